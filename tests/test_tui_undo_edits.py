"""Ctrl+Z takes back what was done last, whatever screen did it: a contact
edit, a plan or capacity change, the e-mail template.  Before, these were
not on the undo stack, so Ctrl+Z after an edit undid an older, unrelated
action (an e-mail logged as bounced) and left the edit in place."""

from __future__ import annotations

from textual.widgets import Static

from store import Store
from tui.app import DailyReachApp, PlanScreen
from tui.screens.detail import EditContactScreen

from conftest import TODAY, contact_id

SIZE = (120, 36)


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def latest(store: Store, cid: int) -> tuple:
    row = store.history(cid)[0]
    return row["kind"], row["outcome"], row["field"]


def bounced(store: Store, cid: int) -> bool:
    return ("email", "bounced") in [(h["kind"], h["outcome"]) for h in store.history(cid)]


async def bounce_sams_email(app, pilot, store: Store) -> int:
    """On the queue: Sam's due e-mail logged as bounced (key 1 on the e-mails)."""
    sam = contact_id(store, "Sam Second")
    await pilot.pause()
    await pilot.press("tab", "1")
    await pilot.pause()
    assert latest(store, sam)[:2] == ("email", "bounced")
    return sam


async def edit_name(app, pilot, cid: int, typed: str) -> None:
    app.open_contact(cid)
    await pilot.pause()
    await pilot.press("ctrl+e")
    await pilot.pause()
    assert isinstance(app.screen, EditContactScreen)
    await pilot.press(*typed, "enter")  # the cursor starts at the end of the name
    await pilot.pause()


async def test_undo_after_an_edit_takes_back_the_edit_not_the_bounce_before_it(small_store):
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        sam = await bounce_sams_email(app, pilot, small_store)
        await edit_name(app, pilot, sam, " Jr")
        assert small_store.contact(sam)["name"] == "Sam Second Jr"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert small_store.contact(sam)["name"] == "Sam Second"
        # the bounce is still there, under the edit and its undoing
        assert bounced(small_store, sam)
        assert small_store.contact(sam)["next_email_due"] == "2020-01-01"  # still as bounced
        await pilot.press("ctrl+z")  # the next one takes back the bounce
        await pilot.pause()
        assert not bounced(small_store, sam)
        assert small_store.contact(sam)["name"] == "Sam Second"


async def test_undo_of_an_edit_leaves_a_field_changed_again_since(small_store):
    app = DailyReachApp(small_store)
    pat = contact_id(small_store, "Pat Prospect")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await edit_name(app, pilot, pat, " Jr")
        # the CLI (another Store on the file) renames Pat again meanwhile
        other = Store(small_store.path, today=TODAY)
        other.update_contact(pat, {"name": "Patricia Prospect"})
        other.close()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert small_store.contact(pat)["name"] == "Patricia Prospect"
        assert any("Passed over" in m and "edit Pat Prospect Jr" in m for m in messages(app))


async def test_undo_of_a_plan_change_puts_the_cadence_and_due_dates_back(small_store):
    app = DailyReachApp(small_store)
    pat = contact_id(small_store, "Pat Prospect")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("down", "down", "down", "down", "enter")  # Prospect
        await pilot.pause()
        await pilot.press(*["backspace"] * 3, *"300", "enter", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert small_store.status_by_key("P").call_days == 300
        assert small_store.contact(pat)["next_call_due"] == "2027-02-25"  # May 1 + 300
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert small_store.status_by_key("P").call_days == 182
        assert small_store.contact(pat)["next_call_due"] == "2026-10-30"  # May 1 + 182
        # the plan table on screen shows the old cadence again
        row = next(line for line in screen_lines(app) if "Prospect" in line and "182" in line)
        assert "300" not in row


async def test_undo_of_a_capacity_setting_and_of_the_template(small_store):
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert small_store.settings()["calls_per_day"] == ""
        await pilot.press("tab", "enter", "ctrl+u", "7", "enter")  # calls per day
        await pilot.pause()
        assert small_store.settings()["calls_per_day"] == "7"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert small_store.settings()["calls_per_day"] == ""
        await pilot.press("f2", "tab", "ctrl+e", "ctrl+t")
        await pilot.pause()
        app.screen.query_one("#template-subject").value = "Hi {first_name}"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert small_store.settings()["email_subject"] == "Hi {first_name}"
        await pilot.press("escape")  # in the e-mail, Ctrl+Z belongs to the text being written
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert small_store.settings()["email_subject"] == "A quick question, {first_name}"


async def test_undo_after_adding_a_contact_says_so_and_undoes_nothing_older(small_store):
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        sam = await bounce_sams_email(app, pilot, small_store)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"Nina New", "enter")
        await pilot.pause()
        assert [c["name"] for c in small_store.contacts() if c["name"] == "Nina New"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert any("Adding Nina New is not undone by Ctrl+Z" in m for m in messages(app))
        assert [c["name"] for c in small_store.contacts() if c["name"] == "Nina New"]
        assert latest(small_store, sam)[:2] == ("email", "bounced")  # not undone in its place
        await pilot.press("ctrl+z")  # the next press goes on to the bounce
        await pilot.pause()
        assert not bounced(small_store, sam)


async def test_ctrl_z_with_nothing_recorded_says_so_once(small_store):
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        said = [m for m in messages(app) if "undo" in m.lower()]
        assert said == ["Nothing to undo: no change has been recorded yet."]


async def test_ctrl_z_in_a_text_box_undoes_nothing_behind_it(small_store):
    app = DailyReachApp(small_store)
    pat = contact_id(small_store, "Pat Prospect")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        lst = app.screen.query_one("#contacts")
        while lst.current["id"] != pat:
            await pilot.press("down")
        await pilot.press("s")  # Pat → Secondary Client
        await pilot.pause()
        assert small_store.contact(pat)["status_key"] == "S"
        await pilot.press("slash", *"zz", "ctrl+z")  # a typing fix in the search box
        await pilot.pause()
        assert small_store.contact(pat)["status_key"] == "S"  # not taken back unseen
        assert any("Ctrl+Z does not undo typing in a box" in m for m in messages(app))
        app.open_contact(pat)
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, EditContactScreen)
        await pilot.press(*"ZZ", "ctrl+z")  # in the edit form
        await pilot.pause()
        assert small_store.contact(pat)["status_key"] == "S"
        assert isinstance(app.screen, EditContactScreen)
        assert app.screen.query_one("#f-name").value == "Pat ProspectZZ"


async def test_a_note_added_is_taken_back_by_ctrl_z(small_store):
    app = DailyReachApp(small_store)
    pat = contact_id(small_store, "Pat Prospect")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_contact(pat)
        await pilot.pause()
        await pilot.press("enter", *"call back in May", "enter")
        await pilot.pause()
        assert latest(small_store, pat)[0] == "note"
        await pilot.press("ctrl+z")  # the note, not an older step (there is none)
        await pilot.pause()
        assert all(h["note"] != "call back in May" for h in small_store.history(pat))


async def test_typing_is_not_dropped_without_a_question(small_store):
    from tui.screens.compose import ComposeScreen
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.detail import DetailScreen

    app = DailyReachApp(small_store)
    pat = contact_id(small_store, "Pat Prospect")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # a note typed on a contact, not added yet: F2, or Esc twice, asks
        app.open_contact(pat)
        await pilot.pause()
        await pilot.press("enter", *"half a thought")
        for keys in (("f2",), ("escape", "escape")):
            await pilot.press(*keys)
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert "The note you typed is not added" in str(app.screen.query_one(Static).render())
            await pilot.press("escape")  # no: stay
            await pilot.pause()
            assert isinstance(app.screen, DetailScreen)
            assert app.screen.query_one("#note").value == "half a thought"
        # the edit form: Esc with a change asks, as F3 does
        app.screen.query_one("#note").value = ""
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press(*" Jr", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # yes: leave without saving
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert small_store.contact(pat)["name"] == "Pat Prospect"
        # Ctrl+Q on an e-mail written in asks too
        await pilot.press("f2", "tab", "ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen)
        await pilot.press(*"PS")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and app.is_running
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen) and app.screen.body.startswith("PSHi Sam")
        await pilot.press("ctrl+q", "enter")  # yes: quit
        await pilot.pause()
    assert app.return_code is not None or not app.is_running


async def test_notice_lines_follow_undo_and_a_sent_email(small_store):
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2")  # Kim: no answer
        await pilot.pause()
        notice = app.screen.query_one("#notice")
        assert "Kim Key: call no answer" in str(notice.render())
        await pilot.press("f3", "ctrl+z")  # undone on another screen
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert "no answer" not in str(app.screen.query_one("#notice").render())
        # an e-mail marked sent on its own screen: the queue says so on return
        await pilot.press("tab", "ctrl+e")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Sam Second: e-mail sent" in str(app.screen.query_one("#notice").render())

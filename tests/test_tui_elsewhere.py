"""A window acting on what another window or the CLI changed meanwhile:
a purge answered after the contacts went, an e-mail marked sent for a
contact purged since, undo past a purged contact, a call logged twice.
The other process is a second Store on the same file, as the CLI is."""

from __future__ import annotations

from store import Store
from tui.app import DailyReachApp, QueueScreen
from tui.screens.compose import ComposeScreen
from tui.screens.confirm import ConfirmScreen

from conftest import TODAY, contact_id

SIZE = (120, 36)


def elsewhere(store: Store) -> Store:
    return Store(store.path, today=TODAY)


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def calls_logged(store: Store, cid: int) -> int:
    return sum(1 for h in store.history(cid) if h["kind"] == "call" and h["outcome"] == "reached")


async def go_to_contact(app, pilot, cid: int) -> None:
    """On the contacts screen: the cursor to contact ``cid``, from the top."""
    lst = app.screen.query_one("#contacts")
    await pilot.press("home")
    while lst.current["id"] != cid:
        await pilot.press("down")


async def open_purge_question(app, pilot) -> None:
    await pilot.press("ctrl+p", *"purge contacts")
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause(0.3)
    assert isinstance(app.screen, ConfirmScreen)


async def test_purge_answered_after_another_window_purged_says_nothing_is_left(small_store):
    small_store.set_status([contact_id(small_store, "Vic Vendor")], "d")
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_purge_question(app, pilot)
        with elsewhere(small_store) as other:
            assert other.purge().contacts == 1
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.is_running and isinstance(app.screen, QueueScreen)
        assert any("Nothing left to purge" in m for m in messages(app))
    assert small_store.count_contacts() == 3


async def test_purge_deletes_only_the_contacts_its_question_counted(small_store):
    vic, pat = contact_id(small_store, "Vic Vendor"), contact_id(small_store, "Pat Prospect")
    small_store.set_status([vic], "d")
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_purge_question(app, pilot)
        with elsewhere(small_store) as other:
            other.set_status([pat], "d")  # marked in another window while the question is open
        await pilot.press("enter")
        await pilot.pause(0.3)
    names = {c["name"] for c in small_store.contacts()}
    assert "Vic Vendor" not in names and "Pat Prospect" in names
    assert small_store.marked_for_deletion()["ids"] == [pat]  # waits for the next purge


async def test_a_second_purge_question_cannot_open_over_the_first(small_store):
    small_store.set_status([contact_id(small_store, "Vic Vendor")], "d")
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_purge_question(app, pilot)
        depth = len(app.screen_stack)
        await pilot.press("ctrl+p", *"purge contacts")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert len(app.screen_stack) == depth and isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.is_running and isinstance(app.screen, QueueScreen)
    assert small_store.count_contacts() == 3


async def test_marking_an_email_sent_for_a_contact_purged_elsewhere_says_so(small_store):
    app = DailyReachApp(small_store)
    sam = contact_id(small_store, "Sam Second")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab")  # the e-mails list: Sam Second
        await pilot.press("ctrl+e")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ComposeScreen)
        with elsewhere(small_store) as other:
            other.set_status([sam], "d")
            other.purge()
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        assert app.is_running
        assert any("no longer exists" in m for m in messages(app))
    assert "Sam Second" not in {c["name"] for c in small_store.contacts()}


async def test_undo_passes_over_a_change_whose_contact_was_purged(small_store):
    pat, vic = contact_id(small_store, "Pat Prospect"), contact_id(small_store, "Vic Vendor")
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause(0.3)
        for cid, letter in ((pat, "s"), (vic, "d")):
            await go_to_contact(app, pilot, cid)
            await pilot.press(letter)
            await pilot.pause(0.2)
        with elsewhere(small_store) as other:
            other.purge()
        await pilot.press("ctrl+z")
        await pilot.pause(0.3)
        assert small_store.contact(pat)["status_key"] == "P"  # Pat's change, under the purged one
        assert "passed over" in str(app.screen.query_one("#notice").render())
        await pilot.press("ctrl+z")  # nothing of this session left: earlier history, no crash
        await pilot.pause(0.3)
        assert app.is_running


async def test_a_call_logged_elsewhere_is_not_logged_twice(small_store):
    kim, pat = contact_id(small_store, "Kim Key"), contact_id(small_store, "Pat Prospect")
    before = {cid: calls_logged(small_store, cid) for cid in (kim, pat)}  # their imported reaches
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#calls").current.contact_id == kim
        with elsewhere(small_store) as other:
            other.log_outcome(kim, "call", "reached")
        await pilot.press("enter")  # the list still shows Kim: it was read before
        await pilot.pause(0.3)
        assert calls_logged(small_store, kim) == before[kim] + 1  # the other window's only
        assert any("logged elsewhere" in m for m in messages(app))
        # the reloaded list no longer holds Kim; Enter now logs Pat, the next call
        assert app.screen.query_one("#calls").current.name == "Pat Prospect"
        await pilot.press("enter")
        await pilot.pause(0.3)
    assert calls_logged(small_store, pat) == before[pat] + 1
    assert calls_logged(small_store, kim) == before[kim] + 1


async def test_a_letter_follows_a_status_list_changed_in_another_window(small_store):
    pat, kim = contact_id(small_store, "Pat Prospect"), contact_id(small_store, "Kim Key")
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down")  # Pat Prospect's call
        assert app.screen.query_one("#calls").current.contact_id == pat
        with elsewhere(small_store) as other:
            other.set_owner_name("Tony")  # the personal status ("Me") has the letter T now
        await pilot.press("t")
        await pilot.pause(0.3)
        assert small_store.contact(pat)["status"] == "Tony"
        legend = app.screen.query_one("#legend")
        assert "t Tony" in "".join(legend.render_line(y).text for y in range(legend.size.height))
        with elsewhere(small_store) as other:
            other.set_owner_name("Mia")  # T is gone
        assert app.screen.query_one("#calls").current.contact_id == kim
        await pilot.press("t")
        await pilot.pause(0.3)
        assert small_store.contact(kim)["status_key"] == "K"
        assert any("No status has the letter 't'" in m for m in messages(app))


def pat_calls(store: Store) -> int:
    return calls_logged(store, contact_id(store, "Pat Prospect"))


async def test_undo_after_a_restore_elsewhere_leaves_the_restored_database_alone(small_store, tmp_path):
    """A restore brings back a database whose row ids the open window's undo
    steps no longer name: the next call logged there can get the id of the
    call this window logged before.  Ctrl+Z must not undo that other call."""
    backup = tmp_path / "before.db"
    with elsewhere(small_store) as other:
        other.backup(backup)
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#calls").current.name == "Kim Key"
        await pilot.press("enter")  # Kim reached: this window's undo step
        await pilot.pause(0.2)
        with elsewhere(small_store) as other:
            other.restore(backup, backup_dir=tmp_path)
            before = pat_calls(other)
            other.log_outcome(contact_id(other, "Pat Prospect"), "call", "reached")
        await pilot.press("ctrl+z")
        await pilot.pause(0.3)
        assert app.is_running
        assert pat_calls(small_store) == before + 1  # the other window's call stays
        assert any("Passed over 'Kim Key: call reached'" in m for m in messages(app))


async def test_undo_after_a_purge_elsewhere_does_not_undo_a_call_that_took_the_same_id(small_store):
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#calls").current.name == "Kim Key"
        await pilot.press("enter")  # Kim reached: the newest history row
        await pilot.pause(0.2)
        with elsewhere(small_store) as other:
            other.set_status([contact_id(other, "Kim Key")], "d")
            other.purge()  # Kim and her history go, so that row's id is free again
            before = pat_calls(other)
            other.log_outcome(contact_id(other, "Pat Prospect"), "call", "reached")
        await pilot.press("ctrl+z")
        await pilot.pause(0.3)
        assert app.is_running
        assert pat_calls(small_store) == before + 1


async def test_a_letter_on_a_row_read_before_a_restore_changes_nobody(small_store, tmp_path):
    """The restored database may give the row's id to someone else."""
    pat = contact_id(small_store, "Pat Prospect")
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#calls").current.name == "Kim Key"
        with elsewhere(small_store) as other:
            other.backup(tmp_path / "b.db")
            other.restore(tmp_path / "b.db", backup_dir=tmp_path)
        await pilot.press("v")
        await pilot.pause(0.3)
        assert any("restored from a backup elsewhere" in m for m in messages(app))
        assert {c["name"]: c["status_key"] for c in small_store.contacts()}["Kim Key"] == "K"
        await pilot.press("v")  # after the reload, the letter works again
        await pilot.pause(0.3)
        assert {c["name"]: c["status_key"] for c in small_store.contacts()}["Kim Key"] == "V"
    assert small_store.contact(pat)["status_key"] == "P"


async def test_a_letter_on_a_contact_purged_elsewhere_does_not_reach_a_newcomer(small_store, tmp_path):
    vic = contact_id(small_store, "Vic Vendor")
    assert vic == max(c["id"] for c in small_store.contacts())
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause(0.3)
        await go_to_contact(app, pilot, vic)
        with elsewhere(small_store) as other:
            other.set_status([vic], "d")
            other.purge(backup_dir=tmp_path)
            newcomer = other.add_contact({"name": "Nia New"})
        await pilot.press("k")
        await pilot.pause(0.3)
        assert app.is_running
    assert newcomer != vic
    assert small_store.contact(newcomer)["status_key"] is None


async def open_edit_form(app, pilot, cid: int) -> None:
    from tui.screens.detail import EditContactScreen

    app.open_contact(cid)
    await pilot.pause()
    await pilot.press("ctrl+e")
    await pilot.pause()
    assert isinstance(app.screen, EditContactScreen)


async def test_an_edit_form_writes_only_what_was_typed_in_it(small_store):
    pat = contact_id(small_store, "Pat Prospect")
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_edit_form(app, pilot, pat)
        with elsewhere(small_store) as other:  # another window saves a title meanwhile
            other.update_contact(pat, {"title": "Title from B"})
        await pilot.press(*["tab"] * 5, *"Dana", "enter")  # the owner box: only it is typed in
        await pilot.pause(0.3)
        assert any(m == "Saved: Owner." for m in messages(app))
    c = small_store.contact(pat)
    assert (c["title"], c["owner"]) == ("Title from B", "Dana")  # B's title was erased before


async def test_an_edit_form_asks_before_writing_over_a_field_changed_elsewhere(small_store):
    pat = contact_id(small_store, "Pat Prospect")
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_edit_form(app, pilot, pat)
        with elsewhere(small_store) as other:
            other.update_contact(pat, {"title": "Title from B"})
        await pilot.press(*["tab"] * 4, *"Boss", "enter")  # the title box, typed in here too
        await pilot.pause(0.3)
        problem = str(app.screen.query_one("#edit-problem").render())
        assert "Changed in another window or by the command line since this form opened: Title" \
            in problem
        assert small_store.contact(pat)["title"] == "Title from B"  # not yet
        await pilot.press("enter")  # again: saved over it, as asked
        await pilot.pause(0.3)
    assert small_store.contact(pat)["title"] == "Boss"


async def test_an_email_marked_sent_after_the_cli_logged_it_is_not_logged_twice(small_store):
    sam = contact_id(small_store, "Sam Second")

    def sent() -> int:
        return sum(1 for h in small_store.history(sam) if (h["kind"], h["outcome"]) == ("email", "sent"))

    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab", "ctrl+e")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ComposeScreen)
        with elsewhere(small_store) as other:
            other.log_outcome(sam, "email", "sent", note="cli")
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        assert sent() == 1  # the CLI's only
        assert any("logged elsewhere" in m for m in messages(app))
        assert isinstance(app.screen, ComposeScreen)  # the e-mail is still there
        await pilot.press("ctrl+s")  # again: this one was sent too
        await pilot.pause(0.3)
        assert sent() == 2 and not isinstance(app.screen, ComposeScreen)

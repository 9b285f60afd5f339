"""The TUI driven as a user would: keys through Pilot, results checked in the
database."""

from __future__ import annotations

from datetime import timedelta

from store import Store
from store.importer import ImportReport, import_records
from tui.app import ContactsScreen, DailyReachApp, HelpScreen, QueueScreen
from tui.widgets import RowList

from conftest import TODAY, contact_id, make_record

SIZE = (120, 36)


def visible_text(lst: RowList) -> str:
    return "\n".join(lst.render_line(y).text for y in range(lst.size.height))


async def test_queue_opens_with_hand_computed_items(small_store):
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        calls = app.screen.query_one("#calls", RowList)
        emails = app.screen.query_one("#emails", RowList)
        assert [calls.row_at(i).name for i in range(calls.row_count)] == ["Kim Key", "Pat Prospect"]
        assert [emails.row_at(i).name for i in range(emails.row_count)] == ["Sam Second"]
        assert app.focused is calls
        text = visible_text(calls)
        assert "34 d late" in text  # Kim: due 2026-10-30, today 2026-12-03


async def test_letter_reclassifies_focused_contact_and_undo_restores(small_store):
    app = DailyReachApp(small_store)
    pat = contact_id(small_store, "Pat Prospect")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down")  # Pat Prospect
        await pilot.press("k")
        await pilot.pause()
        assert small_store.contact(pat)["status_key"] == "K"
        change = small_store.history(pat)[0]
        assert (change["kind"], change["old_status"], change["new_status"]) == (
            "status", "Prospect", "Key Client")
        # visible on screen: Pat is now listed as K
        calls = app.screen.query_one("#calls", RowList)
        assert " K Pat Prospect" in visible_text(calls)
        notice = app.screen.query_one("#notice")
        assert "✓ Pat Prospect → Key Client   (Ctrl+Z undoes)" in str(notice.render())
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert small_store.contact(pat)["status_key"] == "P"
        assert small_store.history(pat)[0]["new_status"] == "Prospect"
        assert "✓ Undone: Pat Prospect → Key Client" in str(notice.render())


async def test_unknown_letter_changes_nothing(small_store):
    app = DailyReachApp(small_store)
    kim = contact_id(small_store, "Kim Key")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("z")
        await pilot.pause()
        assert small_store.contact(kim)["status_key"] == "K"
        assert [h["kind"] for h in small_store.history(kim)] == ["email", "call"]


async def test_enter_marks_call_done_and_next_due_follows_plan(small_store):
    app = DailyReachApp(small_store)
    kim = contact_id(small_store, "Kim Key")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        latest = small_store.history(kim)[0]
        assert (latest["kind"], latest["outcome"], latest["at"][:10]) == ("call", "reached", "2026-12-03")
        assert small_store.contact(kim)["next_call_due"] == (TODAY + timedelta(days=90)).isoformat()
        calls = app.screen.query_one("#calls", RowList)
        assert [calls.row_at(i).name for i in range(calls.row_count)] == ["Pat Prospect"]
        assert calls.current.name == "Pat Prospect"
        # undo removes the logged call: Kim is due again
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [h["kind"] for h in small_store.history(kim)] == ["email", "call"]
        assert [calls.row_at(i).name for i in range(calls.row_count)] == ["Kim Key", "Pat Prospect"]


async def test_tab_to_emails_and_enter_marks_sent(small_store):
    app = DailyReachApp(small_store)
    sam = contact_id(small_store, "Sam Second")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab")
        emails = app.screen.query_one("#emails", RowList)
        assert app.focused is emails
        await pilot.press("enter")
        await pilot.pause()
        assert small_store.history(sam)[0]["kind"] == "email"
        assert small_store.contact(sam)["next_email_due"] == (TODAY + timedelta(days=90)).isoformat()
        assert emails.row_count == 0


async def test_contacts_screen_search_and_reclassify(small_store):
    app = DailyReachApp(small_store)
    vic = contact_id(small_store, "Vic Vendor")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        lst = app.screen.query_one("#contacts", RowList)
        assert lst.row_count == 4
        await pilot.press("slash", *"dyes", "enter")
        await pilot.pause(0.3)
        assert lst.row_count == 1 and lst.current["name"] == "Vic Vendor"
        assert app.focused is lst
        await pilot.press("p")
        await pilot.pause()
        assert small_store.contact(vic)["status_key"] == "P"
        assert " P Vic Vendor" in visible_text(lst)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        # Vic is now a never-called prospect with a phone: due today
        calls = app.screen.query_one("#calls", RowList)
        assert "Vic Vendor" in [calls.row_at(i).name for i in range(calls.row_count)]


async def test_help_lists_keys_and_status_letters(small_store):
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = str(app.screen.query_one("Static").render())
        assert "Ctrl+Z" in shown and "Secondary Client" in shown and "call every 90 d" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)


async def test_markup_in_names_is_shown_literally(tmp_path):
    store = Store(tmp_path / "m.db", today=TODAY)
    import_records(store, [
        make_record(2, "[bold]Ann[/]", status="Key Client", phone="555-0001",
                    notes="[link=http://x]click[/link] and an unterminated ["),
        make_record(3, "Bob [/]", status="Key Client", phone="555-0002", company="[red]Co"),
        make_record(4, "Eve \x1b[31mRed\x1b]0;title\x07", status="Key Client", phone="555-0003"),
    ], ImportReport(file="test"))
    app = DailyReachApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        calls = app.screen.query_one("#calls", RowList)
        text = visible_text(calls)
        assert "[bold]Ann[/]" in text and "Bob [/]" in text and "[red]Co" in text
        assert "Eve Red" in text and "\x1b" not in text
        while calls.current.name != "[bold]Ann[/]":
            await pilot.press("down")
        await pilot.pause()
        card = str(app.screen.query_one("#card").text)
        assert "[bold]Ann[/]" in card and "unterminated [" in card
        await pilot.press("f3")
        await pilot.pause()
        lst = app.screen.query_one("#contacts", RowList)
        assert "Bob [/]" in visible_text(lst)
        await pilot.press("down", "e")  # reclassify Bob: the notification carries his name
        await pilot.pause()
    store.close()


async def test_contacts_list_pages_from_sql(tmp_path, monkeypatch):
    store = Store(tmp_path / "big.db", today=TODAY)
    import_records(store, [make_record(i, f"Person {i:05d}", phone=f"555-{i:05d}")
                           for i in range(2, 3002)], ImportReport(file="test"))
    calls = []
    real = store.contacts

    def spy(**kwargs):
        calls.append(kwargs.get("limit"))
        return real(**kwargs)

    monkeypatch.setattr(store, "contacts", spy)
    app = DailyReachApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        lst = app.screen.query_one("#contacts", RowList)
        assert lst.row_count == 3000
        await pilot.press("end")
        await pilot.pause()
        assert lst.current["name"] == "Person 03001"
        assert calls and all(limit is not None and limit <= 100 for limit in calls)
    store.close()


async def test_keymap_file_remaps_a_binding(small_store, keymap):
    keymap('{"app.contacts": "f12", "queue.done": "x"}')
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
    # the letter binding was refused: x is still free for statuses
    assert app._keymap_problems and "letters" in app._keymap_problems[0]


async def test_tab_cycles_between_the_two_queue_lists(small_store):
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        calls = app.screen.query_one("#calls", RowList)
        emails = app.screen.query_one("#emails", RowList)
        await pilot.press("tab")
        assert app.focused is emails
        await pilot.press("tab")
        assert app.focused is calls


async def palette(pilot, command: str) -> None:
    """Run a command from the palette: Ctrl+P, type it, Enter."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*command)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause(0.3)


async def test_command_palette_offers_the_app_actions(small_store):
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await palette(pilot, "contacts")
        assert isinstance(app.screen, ContactsScreen)


async def test_page_down_right_after_ctrl_p_does_not_stop_the_app(small_store):
    """PageDown typed before the palette's list is laid out (0 rows high)
    used to raise KeyError: 0 inside Textual and end the app."""
    from textual import events
    from textual.command import CommandList, CommandPalette

    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in ["ctrl+p", "pagedown", "pageup", "pagedown"]:  # no pause between them
            app.post_message(events.Key(key, None))
        await pilot.pause(0.3)
        assert app.is_running and isinstance(app.screen, CommandPalette)
        # once the list has a size, PageDown still moves a page
        command_list = app.screen.query_one(CommandList)
        await pilot.press("down")
        await pilot.pause(0.3)
        first = command_list.highlighted
        await pilot.press("pagedown")
        await pilot.pause()
        assert command_list.highlighted > first
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)


async def test_esc_closes_the_keys_panel_opened_from_the_palette(small_store):
    from textual.widgets import HelpPanel

    from tui.app import PlanScreen

    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        await palette(pilot, "keys")
        assert isinstance(app.screen, PlanScreen) and len(app.screen.query(HelpPanel)) == 1
        assert app.screen.active_bindings["escape"].binding.action == "close_keys_panel"
        await pilot.press("escape")  # closes the panel only
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen) and len(app.screen.query(HelpPanel)) == 0
        # with no panel, Esc is the screen's again (and the footer shows "esc Back")
        assert app.screen.active_bindings["escape"].binding.action == "back"
        await pilot.press("escape")  # now the plan's own Esc: back to the queue
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)


async def test_fast_typing_after_slash_goes_to_the_search_box(small_store):
    """Keys typed right after '/' (before any idle moment) must not reach the
    list, where letters would reclassify contacts."""
    app = DailyReachApp(small_store)
    before = {c["id"]: c["status_key"] for c in small_store.contacts()}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        # simulate a burst: post all keys at once, then let the app process them
        for key in ["slash", "k", "i", "m", "enter"]:
            app.post_message(events_key(key))
        await pilot.pause(0.4)
        assert app.screen.query_one("#search").value == "kim"
        lst = app.screen.query_one("#contacts", RowList)
        assert lst.row_count == 1 and app.focused is lst
    assert {c["id"]: c["status_key"] for c in small_store.contacts()} == before


def events_key(key: str):
    from textual import events

    char = {"slash": "/", "enter": "\r"}.get(key, key)
    return events.Key(key, char)


async def test_burst_of_keys_acts_on_the_rows_the_user_saw(small_store):
    """Down then a letter, typed faster than the app redraws, reclassifies the
    second row; Enter then a letter marks the first done and reclassifies the
    row that moved under the cursor."""
    app = DailyReachApp(small_store)
    kim, pat = contact_id(small_store, "Kim Key"), contact_id(small_store, "Pat Prospect")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in ["down", "s"]:
            app.post_message(events_key(key))
        await pilot.pause(0.3)
        assert small_store.contact(pat)["status_key"] == "S"
        assert small_store.contact(kim)["status_key"] == "K"
        for key in ["home", "enter", "i"]:
            app.post_message(events_key(key))
        await pilot.pause(0.3)
    assert small_store.history(kim)[0]["outcome"] == "reached"
    assert small_store.contact(kim)["status_key"] == "K"
    assert small_store.contact(pat)["status_key"] == "I"


async def test_help_is_not_modal_app_keys_still_work(small_store):
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)


async def test_never_contacted_items_say_so(small_store):
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        emails = app.screen.query_one("#emails", RowList)
        # Sam Second was never e-mailed: due since 2020-01-01, shown as "never e-mailed"
        assert "never e-mailed" in visible_text(emails)
        assert "d late" not in visible_text(emails)


async def test_empty_database_points_to_import(tmp_path):
    store = Store(tmp_path / "empty.db", today=TODAY)
    app = DailyReachApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = visible_text(app.screen.query_one("#calls", RowList))
        assert "Ctrl+O imports a file" in shown and "dailyreach import" in shown
    store.close()


async def test_capital_letter_changes_nothing(small_store):
    app = DailyReachApp(small_store)
    kim = contact_id(small_store, "Kim Key")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("P")
        await pilot.pause()
    assert small_store.contact(kim)["status_key"] == "K"
    assert all(h["kind"] != "status" for h in small_store.history(kim))


async def test_card_hides_on_narrow_terminals_and_scrolls_with_brackets(small_store):
    from tui.card import ContactCard

    app = DailyReachApp(small_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(ContactCard).display is False
        assert "Kim Key" in visible_text(app.screen.query_one("#calls", RowList))
    app = DailyReachApp(small_store)
    async with app.run_test(size=(120, 12)) as pilot:
        await pilot.pause()
        card = app.screen.query_one(ContactCard)
        assert card.display is True and card.max_scroll_y > 0
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert card.scroll_y > 0
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert card.scroll_y == 0


async def test_keymap_problems_are_named_and_help_shows_remapped_keys(small_store, tmp_path,
                                                                       monkeypatch, keymap):
    keymap('{"app.contacts": "f12", "app.refresh": "notakey+++", "app.quit": 5}')
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        problems = " | ".join(app._keymap_problems)
        assert "'notakey+++' is not a key name" in problems
        assert "app.quit: keys must be a string" in problems
        await pilot.press("f5")  # refresh kept its default keys
        await pilot.press("question_mark")
        await pilot.pause()
        shown = str(app.screen.query_one("Static").render())
        assert "F12" in shown and "F3" not in shown
    monkeypatch.setenv("DAILYREACH_KEYMAP", str(tmp_path / "missing.json"))
    assert "does not exist" in DailyReachApp(small_store)._keymap_problems[0]


async def test_keymap_names_punctuation_keys_as_textual_does(small_store, keymap):
    """"minus", "slash", "greater_than_sign" are the names the app's own
    bindings use; a keymap may use them too."""
    keymap('{"queue.skip": "backslash", "contacts.search": "slash,f11"}')
    app = DailyReachApp(small_store)
    kim = contact_id(small_store, "Kim Key")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app._keymap_problems == []
        await pilot.press("backslash")  # skip Kim's call for today
        await pilot.pause()
        assert small_store.contact(kim)["call_hold_until"] == (TODAY + timedelta(days=1)).isoformat()


async def test_two_actions_on_one_key_are_refused_and_named(small_store, keymap):
    """queue.done and queue.message both on Ctrl+D would make 'left a
    message' unreachable: the later entry keeps its default key (1) and the
    notice names both; the help screen writes remapped keys as it writes the
    others (Ctrl+D, not ctrl+d)."""
    path = keymap('{"queue.done": "ctrl+d", "queue.message": "ctrl+d", "app.contacts": "f12"}')
    app = DailyReachApp(small_store)
    kim, pat = contact_id(small_store, "Kim Key"), contact_id(small_store, "Pat Prospect")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app._keymap_problems == [
            f"{path}: queue.message and queue.done would both be on Ctrl+D (on the queue "
            "screen); queue.message keeps its default key, 1"]
        assert app.keymap_overrides == {"queue.done": "ctrl+d", "app.contacts": "f12"}
        await pilot.press("ctrl+d")  # Kim reached
        await pilot.pause()
        assert small_store.history(kim)[0]["outcome"] == "reached"
        await pilot.press("1")  # Pat: left a message, on its default key
        await pilot.pause()
        assert small_store.history(pat)[0]["outcome"] == "message"
        await pilot.press("question_mark")
        await pilot.pause()
        shown = str(app.screen.query_one("#help-text").render())
        # "    Ctrl+D       mark done: …": the keys, then two or more spaces
        keys = {line.strip().split("  ")[0]: line for line in shown.splitlines()
                if line.startswith("    ") and "  " in line.strip()}
        assert "mark done: call reached" in keys["Ctrl+D"]
        assert "call: left a message" in keys["1"]
        assert keys["F12"].split()[1] == "contacts"
        assert "ctrl+d" not in shown and "f12" not in shown


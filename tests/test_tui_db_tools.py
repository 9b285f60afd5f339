"""Issue 4 screens driven with Pilot as a user would, checking the database
afterwards: clean-up mapping, triage with undo, status 2, bulk + undo,
the breakdown's drill-down, contact detail / edit / new, purge, and undo
after a restart."""

from __future__ import annotations

from datetime import date

import pytest

from store import Store
from store.importer import ImportReport, import_records
from tui.app import (BreakdownScreen, CleanupScreen, ContactsScreen, DailyReachApp, DetailScreen,
                     EditContactScreen, Status2Screen, TriageScreen)
from tui.screens.confirm import ConfirmScreen
from tui.widgets import RowList

from conftest import TODAY, contact_id, make_record

SIZE = (120, 36)


def visible(lst: RowList) -> str:
    return "\n".join(lst.render_line(y).text for y in range(lst.size.height))


@pytest.fixture
def messy(tmp_path) -> Store:
    """Kim Key (K), Pat Prospect (P), Vic Vendor (V) and five unclassified:
    in name order Una Alpha "Prosp.", Uri Beta "prosp. ", Ula Delta
    "Customer [/]", Uma Epsilon (blank), Ugo Gamma "KEY"."""
    store = Store(tmp_path / "messy.db", today=TODAY)
    records = [
        make_record(2, "Kim Key", company="Acme", status="Key Client", email="kim@acme.test",
                    phone="555-0101", reached=date(2026, 8, 1)),
        make_record(3, "Pat Prospect", company="Bolt", status="prospect", phone="555-0102"),
        make_record(4, "Vic Vendor", company="Dyes", status="Vendor", phone="555-0104"),
        make_record(5, "Una Alpha", company="Elm", status="Prosp.", phone="555-0105"),
        make_record(6, "Uri Beta", company="Fig", status="prosp. ", phone="555-0106"),
        make_record(7, "Ugo Gamma", company="Gum", status="KEY", phone="555-0107"),
        make_record(8, "Ula Delta", company="Hop", status="Customer [/]", phone="555-0108"),
        make_record(9, "Uma Epsilon", company="Ivy", status="", phone="555-0109"),
    ]
    import_records(store, records, ImportReport(file="test"))
    yield store
    store.close()


async def move_to(pilot, lst: RowList, predicate) -> None:
    """Press ↓ from the top until the row under the cursor satisfies ``predicate``."""
    await pilot.press("home")
    for _ in range(lst.row_count):
        if predicate(lst.current):
            return
        await pilot.press("down")
    raise AssertionError("row not found")


def key_of(store: Store, name: str) -> str | None:
    return store.contact(contact_id(store, name))["status_key"]


# ------------------------------------------------------------------ clean-up
async def test_cleanup_maps_a_value_and_a_group_and_undo_reverts(messy):
    app = DailyReachApp(messy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, CleanupScreen)
        lst = app.screen.query_one("#cleanup", RowList)
        assert "'Customer [/]'" in visible(lst)  # shown literally
        # the value "Prosp." (both spellings), guessed Prospect: map it with "p"
        await move_to(pilot, lst, lambda r: getattr(r, "norm", None) == "prosp.")
        await pilot.press("p")
        await pilot.pause()
        assert key_of(messy, "Una Alpha") == "P" and key_of(messy, "Uri Beta") == "P"
        assert dict(messy.conn.execute("SELECT raw_norm, status_id FROM status_map")) == {
            "prosp.": messy.status_by_key("P").id}
        # the Key Client group holds the guess "KEY": Enter on its heading accepts it
        await move_to(pilot, lst, lambda r: getattr(r, "name", None) == "Key Client")
        await pilot.press("enter")
        await pilot.pause()
        assert key_of(messy, "Ugo Gamma") == "K"
        # a letter on the value with no guess maps it too
        await move_to(pilot, lst, lambda r: getattr(r, "norm", None) == "customer [/]")
        await pilot.press("v")
        await pilot.pause()
        assert key_of(messy, "Ula Delta") == "V"
        # undo, step by step, reverts contacts and the remembered mappings
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert key_of(messy, "Ula Delta") is None
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert key_of(messy, "Ugo Gamma") is None
        assert set(dict(messy.conn.execute("SELECT raw_norm, status_id FROM status_map"))) == {
            "prosp."}
        assert key_of(messy, "Una Alpha") == "P"


# ------------------------------------------------------------------ triage
async def test_triage_classifies_moves_on_and_undo_goes_back(messy):
    app = DailyReachApp(messy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        card = screen.query_one("#triage-card")
        assert screen.current["name"] == "Una Alpha"
        assert "Una Alpha" in str(card.render()) and "'Prosp.'" in str(card.render())
        await pilot.press("k")  # Una → Key Client; Uri comes up
        await pilot.pause()
        assert screen.current["name"] == "Uri Beta"
        await pilot.press("right")  # skip Uri
        await pilot.press("s")  # Ula → Secondary Client
        await pilot.pause()
        assert key_of(messy, "Una Alpha") == "K"
        assert key_of(messy, "Uri Beta") is None
        assert key_of(messy, "Ula Delta") == "S"
        top = str(screen.query_one("#topbar").render())
        assert "2 done" in top and "3 left" in top and "a minute" in top
        await pilot.press("ctrl+z")  # undo goes back to Ula
        await pilot.pause()
        assert key_of(messy, "Ula Delta") is None
        assert screen.current["name"] == "Ula Delta"
        top = str(screen.query_one("#topbar").render())
        assert "1 done" in top and "4 left" in top
        status_rows = [h for h in messy.history(contact_id(messy, "Ula Delta"))
                       if h["kind"] == "status"]
        assert [(h["old_status"], h["new_status"]) for h in status_rows] == [
            ("Secondary Client", None), (None, "Secondary Client")]


async def test_triage_types_ahead_in_order(messy):
    """Three letters typed faster than the screen redraws classify three
    contacts in turn."""
    from test_tui import events_key

    app = DailyReachApp(messy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        for key in ["k", "p", "v"]:
            app.post_message(events_key(key))
        await pilot.pause(0.4)
    assert [key_of(messy, n) for n in ("Una Alpha", "Uri Beta", "Ula Delta")] == ["K", "P", "V"]
    assert key_of(messy, "Uma Epsilon") is None


# ------------------------------------------------------------------ status 2
async def test_status2_list_edited_in_the_app_and_set_with_shift_letter(messy):
    app = DailyReachApp(messy)
    kim = contact_id(messy, "Kim Key")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.press(*"status 2 list")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, Status2Screen)
        await pilot.press(*"Web", "enter")
        await pilot.press(*"Referral", "enter")
        await pilot.press(*"Wholesale", "enter")  # refused: W is taken
        await pilot.pause()
        assert [v.name for v in messy.status2_values()] == ["Web", "Referral"]
        await pilot.press("escape")  # clears the box, focus to the list
        # a name typed with the list focused goes into the box and is added
        # (it was lost, and the Enter after it renamed the focused value)
        await pilot.press(*"Zeta", "enter")
        await pilot.pause()
        assert [v.name for v in messy.status2_values()] == ["Web", "Referral", "Zeta"]
        assert app.focused is app.screen.query_one("#values")  # back on the list
        await pilot.press("ctrl+z")  # the add is taken back
        await pilot.pause()
        assert [v.name for v in messy.status2_values()] == ["Web", "Referral"]
        await pilot.press("home", "down", "enter", "ctrl+u", *"Referrals", "enter")  # rename
        await pilot.pause()
        assert [v.name for v in messy.status2_values()] == ["Web", "Referrals"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [v.name for v in messy.status2_values()] == ["Web", "Referral"]
        # several steps, undone one by one, in order: the undo of a removal
        # puts its value back at the end of the list, which does not make the
        # steps before it look changed since (they were all passed over)
        await pilot.press(*"Partner", "enter")  # add
        await pilot.press("home", "enter", "ctrl+u", *"Website", "enter")  # rename Web
        await pilot.press("end", "delete")  # remove Partner (nobody has it)
        await pilot.pause()
        assert [v.name for v in messy.status2_values()] == ["Website", "Referral"]
        await pilot.press("home", "down", "delete")  # remove Referral (nobody has it yet)
        await pilot.pause()
        assert [v.name for v in messy.status2_values()] == ["Website"]
        for expected in (["Website", "Referral"], ["Website", "Referral", "Partner"],
                         ["Web", "Referral", "Partner"], ["Web", "Referral"]):
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert [v.name for v in messy.status2_values()] == expected
        await pilot.press("escape")
        await pilot.press("f3")
        await pilot.pause()
        lst = app.screen.query_one("#contacts", RowList)
        await move_to(pilot, lst, lambda c: c["name"] == "Kim Key")
        await pilot.press("W")  # Shift+w
        await pilot.pause()
        assert messy.contact(kim)["status2"] == "Web"
        assert messy.contact(kim)["status_key"] == "K"  # the status is untouched
        row = messy.history(kim)[0]
        assert (row["kind"], row["old_value"], row["new_value"]) == ("status2", None, "Web")
        await pilot.press("R")
        await pilot.pause()
        assert messy.contact(kim)["status2"] == "Referral"
        await pilot.press("Z")  # no value starts with Z: nothing changes
        await pilot.pause()
        assert messy.contact(kim)["status2"] == "Referral"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert messy.contact(kim)["status2"] == "Web"
        # removing Web clears it on Kim (asked first); Ctrl+Z puts both back
        await pilot.press("ctrl+p", *"status 2 list")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press("home", "delete")
        await pilot.pause()
        await pilot.press("enter")  # yes
        await pilot.pause()
        assert [v.name for v in messy.status2_values()] == ["Referral"]
        assert messy.contact(kim)["status2"] is None
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [v.name for v in messy.status2_values()] == ["Referral", "Web"]
        assert messy.contact(kim)["status2"] == "Web"


# ------------------------------------------------------------------ bulk
async def test_space_selects_a_letter_changes_all_and_one_undo_reverts(messy):
    app = DailyReachApp(messy)
    kim, pat = contact_id(messy, "Kim Key"), contact_id(messy, "Pat Prospect")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        lst = app.screen.query_one("#contacts", RowList)
        await move_to(pilot, lst, lambda c: c["name"] == "Kim Key")
        await pilot.press("space")  # selects Kim, moves down
        await move_to(pilot, lst, lambda c: c["name"] == "Pat Prospect")
        await pilot.press("space")
        await pilot.pause()
        assert app.screen.selected == {kim, pat}
        assert "2 selected" in str(app.screen.query_one("#topbar").render())
        await pilot.press("e")
        await pilot.pause()
        assert key_of(messy, "Kim Key") == "E" and key_of(messy, "Pat Prospect") == "E"
        assert app.screen.selected == set()
        batch = {h["batch_id"] for cid in (kim, pat) for h in messy.history(cid)[:1]}
        assert len(batch) == 1
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert key_of(messy, "Kim Key") == "K" and key_of(messy, "Pat Prospect") == "P"


async def test_select_all_matching_a_filter_asks_before_a_big_change(tmp_path):
    store = Store(tmp_path / "many.db", today=TODAY)
    import_records(store, [make_record(i, f"Person {i:03d}", status="Prospect",
                                       phone=f"555-{i:04d}") for i in range(2, 32)]
                   + [make_record(40, "Other One", status="Prospect", phone="555-9999")],
                   ImportReport(file="test"))
    app = DailyReachApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.press("slash", *"person status:p", "enter")
        await pilot.pause(0.3)
        lst = app.screen.query_one("#contacts", RowList)
        assert lst.row_count == 30
        await pilot.press("ctrl+a")
        await pilot.pause()
        assert len(app.screen.selected) == 30
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # no: nothing changes, the selection stays
        await pilot.pause()
        assert store.count_contacts(status="i") == 0
        assert len(app.screen.selected) == 30
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("enter")  # yes
        await pilot.pause()
        assert store.count_contacts(status="i") == 30
        assert store.contact(contact_id(store, "Other One"))["status_key"] == "P"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert store.count_contacts(status="i") == 0 and store.count_contacts(status="p") == 31
    store.close()


# ------------------------------------------------------------------ breakdown
async def test_breakdown_shows_counts_and_enter_lists_a_cells_contacts(messy):
    messy.add_status2("Web")
    web = [contact_id(messy, n) for n in ("Kim Key", "Una Alpha", "Uri Beta")]
    messy.set_status2(web, "Web")
    app = DailyReachApp(messy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BreakdownScreen)
        table = screen.query_one("#breakdown")
        # by status: K 1, S 0, N 0, I 0, P 1, E 0, M 0, V 1, D 0, unclassified 5
        counts = [str(table.get_cell_at((r, 2))) for r in range(table.row_count)]
        assert counts == ["1", "0", "0", "0", "1", "0", "0", "1", "0", "5", "8"]
        assert str(table.get_cell_at((9, 3))) == "62.5"  # 5 of 8
        assert "█" in str(table.get_cell_at((9, 4)))
        await pilot.press("f4")  # status × status 2
        await pilot.pause()
        # columns: Status, Total, Web (3), (none) (5); the unclassified row is row 9
        assert str(table.get_cell_at((9, 2))) == "2"  # Una and Uri
        table.move_cursor(row=9, column=2)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ContactsScreen)
        lst = app.screen.query_one("#contacts", RowList)
        assert [lst.row_at(i)["name"] for i in range(lst.row_count)] == ["Una Alpha", "Uri Beta"]
        assert app.screen.query_one("#search").value == "status:? status2:Web"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BreakdownScreen)


# ------------------------------------------------------------------ detail / edit / new
async def test_detail_adds_a_note_and_edits_fields(messy):
    app = DailyReachApp(messy)
    pat = contact_id(messy, "Pat Prospect")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        lst = app.screen.query_one("#contacts", RowList)
        await move_to(pilot, lst, lambda c: c["name"] == "Pat Prospect")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("enter", *"call back friday", "enter")
        await pilot.pause()
        note = messy.history(pat)[0]
        assert (note["kind"], note["note"]) == ("note", "call back friday")
        assert "call back friday" in str(app.screen.query_one("#history").render())
        await pilot.press("s")  # letters still classify here
        await pilot.pause()
        assert key_of(messy, "Pat Prospect") == "S"
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, EditContactScreen)
        await pilot.press("tab", "tab", "tab")  # name → first → last → company
        await pilot.press("ctrl+u", *"Bolt & Nut", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert messy.contact(pat)["company"] == "Bolt & Nut"
        edit = messy.history(pat)[0]
        assert (edit["kind"], edit["field"], edit["old_value"], edit["new_value"]) == (
            "edit", "company", "Bolt", "Bolt & Nut")
        assert "Bolt & Nut" in str(app.screen.query_one("#fields").render())


async def test_new_contact_warns_about_a_duplicate_before_saving(messy):
    app = DailyReachApp(messy)
    before = messy.count_contacts()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, EditContactScreen)
        await pilot.press(*"Kimberly Key")
        for _ in range(6):  # to the e-mail box
            await pilot.press("tab")
        await pilot.press(*"KIM@acme.test", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EditContactScreen)  # warned, not saved
        assert "Kim Key" in str(app.screen.query_one("#edit-problem").render())
        assert messy.count_contacts() == before
        await pilot.press("enter")  # saves anyway
        await pilot.pause()
        assert messy.count_contacts() == before + 1
        assert isinstance(app.screen, DetailScreen)
        new = messy.contact(app.screen.contact_id)
        assert (new["name"], new["email"], new["status_key"]) == ("Kimberly Key", "KIM@acme.test",
                                                                  None)


# ------------------------------------------------------------------ purge / undo after restart
async def test_purge_from_the_palette_backs_up_then_deletes(messy):
    app = DailyReachApp(messy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        lst = app.screen.query_one("#contacts", RowList)
        await move_to(pilot, lst, lambda c: c["name"] == "Ula Delta")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("ctrl+p", *"purge contacts")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause(0.3)
    assert messy.count_contacts() == 7
    [backup] = list(messy.backup_dir().iterdir())
    with Store(backup, today=TODAY) as copy:
        assert "Ula Delta" in {c["name"] for c in copy.contacts()}


async def test_ctrl_z_after_a_restart_undoes_the_last_recorded_change(messy):
    pat = contact_id(messy, "Pat Prospect")
    messy.set_status([pat], "k")  # an earlier session
    app = DailyReachApp(messy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert key_of(messy, "Pat Prospect") == "P"
        await pilot.press("ctrl+z")  # nothing older: says so, changes nothing
        await pilot.pause()
        assert key_of(messy, "Pat Prospect") == "P"


async def test_filters_in_the_search_box_and_a_bad_one_is_named(messy):
    messy.update_contact(contact_id(messy, "Kim Key"), {"owner": "Dana Whitfield"})
    messy.update_contact(contact_id(messy, "Una Alpha"), {"owner": "dana whitfield"})
    app = DailyReachApp(messy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.press("slash", *'owner:"Dana Whitfield"', "enter")
        await pilot.pause(0.3)
        lst = app.screen.query_one("#contacts", RowList)
        assert sorted(lst.row_at(i)["name"] for i in range(lst.row_count)) == [
            "Kim Key", "Una Alpha"]
        await pilot.press("slash", "ctrl+u", *"status:z due:soon", "enter")
        await pilot.pause(0.3)
        # a filter that cannot work lists nobody (not everybody) and is named;
        # Ctrl+A then selects nothing, so a letter cannot change every contact
        assert lst.row_count == 0
        assert "due:soon" in str(app.screen.query_one("#topbar").render())
        assert "fix the filter" in visible(lst)
        await pilot.press("tab", "ctrl+a")
        await pilot.pause()
        assert app.screen.selected == set()
        await pilot.press("slash", "ctrl+u", *"status:? due:today", "enter")
        await pilot.pause(0.3)
        # unclassified contacts have no plan, so none is due
        assert lst.row_count == 0
        await pilot.press("slash", "ctrl+u", *"s:k due:overdue", "enter")
        await pilot.pause(0.3)
        assert [lst.row_at(i)["name"] for i in range(lst.row_count)] == ["Kim Key"]


async def test_owner_view_drills_down_to_the_owners_contacts(messy):
    for name in ("Kim Key", "Pat Prospect", "Una Alpha"):
        messy.update_contact(contact_id(messy, name), {"owner": "Dana O'Neil"})
    app = DailyReachApp(messy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f4", "f4", "f4")  # by status × owner
        await pilot.pause()
        table = app.screen.query_one("#breakdown")
        # columns: Status, Total, then the owners by size with (none) last:
        # Dana O'Neil (3 contacts), (none) (5)
        assert str(table.columns[list(table.columns)[2]].label) == "Dana O'Neil"
        last = table.row_count - 1
        assert str(table.get_cell_at((last, 2))) == "3"
        table.move_cursor(row=last, column=2)  # the owner's total
        await pilot.press("enter")
        await pilot.pause(0.3)
        lst = app.screen.query_one("#contacts", RowList)
        assert sorted(lst.row_at(i)["name"] for i in range(lst.row_count)) == [
            "Kim Key", "Pat Prospect", "Una Alpha"]


# ------------------------------------------------------------------ found by fresh eyes
async def test_a_new_search_clears_the_selection_so_letters_never_hit_hidden_contacts(messy):
    app = DailyReachApp(messy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3", "slash", *"status:k", "enter")
        await pilot.pause(0.3)
        await pilot.press("space")
        assert app.screen.selected == {contact_id(messy, "Kim Key")}
        await pilot.press("slash", "ctrl+u", *"status:v", "enter")
        await pilot.pause(0.3)
        assert app.screen.selected == set()
        await pilot.press("i")  # the focused vendor, and only it
        await pilot.pause()
        assert key_of(messy, "Vic Vendor") == "I" and key_of(messy, "Kim Key") == "K"


async def test_after_a_bulk_change_the_cursor_stays_on_the_focused_contact(messy):
    app = DailyReachApp(messy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3", "slash", *"status:?", "enter")
        await pilot.pause(0.3)
        lst = app.screen.query_one("#contacts", RowList)
        # unclassified, by name: Una Alpha, Uri Beta, Ula Delta, Uma Epsilon, Ugo Gamma
        await pilot.press("space", "space")  # Una and Uri; the cursor moves to Ula
        await pilot.press("down")  # Uma Epsilon
        assert lst.current["name"] == "Uma Epsilon"
        await pilot.press("p")
        await pilot.pause()
        assert lst.row_count == 3 and lst.current["name"] == "Uma Epsilon"


async def test_every_bad_filter_is_named(messy):
    app = DailyReachApp(messy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3", "slash", *"status:z due:soon kim", "enter")
        await pilot.pause(0.3)
        bar = str(app.screen.query_one("#topbar").render())
        assert "'Z'" in bar or "z" in bar
        assert "due:soon" in bar and "no status has the key" in bar
        assert "0 of 8" in bar  # the count says the list is empty, not "8 contacts"


async def test_a_filter_with_nothing_after_its_colon_asks_for_a_value(messy):
    app = DailyReachApp(messy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3", "slash", *"status:", "enter")
        await pilot.pause(0.3)
        bar = str(app.screen.query_one("#topbar").render())
        assert "status: needs a value after the colon" in bar and "0 of 8" in bar
        assert app.screen.query_one("#contacts").row_count == 0
        # "status: k" (a space after the colon) is the filter status:k
        await pilot.press("slash", "ctrl+u", *"s: k", "enter")
        await pilot.pause(0.3)
        lst = app.screen.query_one("#contacts")
        assert [lst.row_at(i)["name"] for i in range(lst.row_count)] == ["Kim Key"]
        await pilot.press("slash", "ctrl+u", *"owner: due:today", "enter")
        await pilot.pause(0.3)
        bar = str(app.screen.query_one("#topbar").render())
        assert "owner: needs a value" in bar  # due:today was not taken for the owner
        await pilot.press("slash", "ctrl+u", *'owner:"Dana', "enter")
        await pilot.pause(0.3)
        bar = str(app.screen.query_one("#topbar").render())
        assert "a quote is not closed" in bar and "0 of 8" in bar


async def test_leaving_an_edit_form_with_changes_asks_first(messy):
    app = DailyReachApp(messy)
    pat = contact_id(messy, "Pat Prospect")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_contact(pat)
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press(*" Jr")  # the cursor is at the end: this adds to the name
        assert app.screen.query_one("#f-name").value == "Pat Prospect Jr"
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # no: back to the form, text kept
        await pilot.pause()
        assert isinstance(app.screen, EditContactScreen)
        assert app.screen.query_one("#f-name").value == "Pat Prospect Jr"
        await pilot.press("enter")  # save
        await pilot.pause()
        assert messy.contact(pat)["name"] == "Pat Prospect Jr"
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press("f3")  # nothing typed: no question
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)


# ------------------------------------------------------------------ legend
def legend_lines(app) -> list[str]:
    """The rows of the screen the legend bar takes, as the terminal shows them."""
    bar = app.screen.query_one("#legend")
    strips = app.screen._compositor.render_strips()
    return [strips[y].text.rstrip() for y in range(bar.region.y, bar.region.bottom)]


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_the_status_legend_is_only_where_letters_set_a_status(messy, tmp_path):
    sample = tmp_path / "few.csv"
    sample.write_text("Contact,ID/Status\nAnn Lee,Prosp.\n")
    everything = "  ".join(f"{s.key.lower()} {s.name}" for s in messy.statuses())
    app = DailyReachApp(messy)
    async with app.run_test(size=(160, 36)) as pilot:
        await pilot.pause()

        async def legend_after(*keys) -> bool:
            await pilot.press(*keys)
            await pilot.pause()
            shown = everything in screen_text(app)
            assert shown == bool(app.screen.query("#legend"))
            return shown

        assert await legend_after()  # the queue
        assert await legend_after("f3")  # contacts
        assert await legend_after("enter")  # a contact
        assert await legend_after("f7")  # triage
        assert await legend_after("f6")  # clean-up: a letter maps a value to a status
        assert await legend_after("ctrl+o", *str(sample), "enter")  # import's status values
        assert not await legend_after("escape", "f4")  # breakdown
        assert not await legend_after("f8")  # plan
        assert not await legend_after("f9")  # the day
        assert not await legend_after("question_mark")  # help
        app.action_show_status2()
        assert not await legend_after()  # status 2 list


async def test_the_legend_takes_two_lines_when_narrow_and_never_cuts_a_word(messy):
    entries = [f"{s.key.lower()} {s.name}" for s in messy.statuses()]
    app = DailyReachApp(messy)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert legend_lines(app) == [" " + "  ".join(entries)]  # 114 cells: one line at 120
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        lines = legend_lines(app)
        assert len(lines) == 2 and all(len(line) <= 80 for line in lines)
        # every entry whole, on one line or the other, in the status list's order
        assert [e for line in lines for e in line.strip().split("  ")] == entries
        assert "Calls due" in screen_text(app)  # the list keeps the rest of the screen
    app = DailyReachApp(messy)
    async with app.run_test(size=(44, 20)) as pilot:
        await pilot.pause()
        lines = legend_lines(app)
        # too narrow even for two lines of full names: shortened, letters all there
        assert len(lines) == 2 and all(len(line) <= 44 for line in lines)
        letters = [e.split()[0] for line in lines for e in line.strip().split("  ")]
        assert letters == [s.key.lower() for s in messy.statuses()]
        assert "…" in "".join(lines)


# ------------------------------------------------------------------ history words
async def test_history_is_written_in_peoples_words(messy):
    """An e-mail edit is not shown as the stored JSON, a field by its column
    name, nor an undone status 2 as '→ — — undo'; on the contact screen and
    on the card beside the contacts list alike."""
    messy.add_status2("Referral")
    kim = contact_id(messy, "Kim Key")
    app = DailyReachApp(messy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        lst = app.screen.query_one("#contacts", RowList)
        await move_to(pilot, lst, lambda c: c["name"] == "Kim Key")
        await pilot.press("R")  # status 2 Referral
        await pilot.pause()
        await pilot.press("ctrl+z")  # and undone
        await pilot.pause()
        assert messy.contact(kim)["status2"] is None
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, EditContactScreen)
        await pilot.press("tab", "ctrl+u", *"Kimberly")  # first name
        await pilot.press(*["tab"] * 5, "ctrl+u", *"Bob@X.test", "enter")  # the work e-mail
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert messy.contact(kim)["emails"][0]["value"] == "Bob@X.test"
        history = str(app.screen.query_one("#history").render())
        assert "E-mail (work): kim@acme.test → Bob@X.test" in history
        assert "First name: Kim → Kimberly" in history
        assert "status 2 Referral → none (undo)" in history
        assert "status 2 none → Referral" in history
        for internal in ('"type"', "first_name", "emails", "— —"):
            assert internal not in history
        await pilot.press("escape")
        await pilot.pause()
        card = str(app.screen.query_one("#card").text)
        assert "E-mail (work): kim@acme.test → Bob@X.test" in card
        assert "First name: Kim → Kimberly" in card
        assert "status 2 Referral → none (undo)" in card
        assert '"type"' not in card and "first_name" not in card


async def test_a_search_matching_more_than_the_list_holds_says_so(tmp_path, monkeypatch):
    import tui.screens.contacts as screen

    monkeypatch.setattr(screen, "SEARCH_COUNT_CAP", 10)
    store = Store(tmp_path / "many.db", today=TODAY)
    import_records(store, [make_record(i, f"Person {i:03d}", email=f"p{i}@example.org")
                           for i in range(2, 32)], ImportReport(file="test"))
    app = DailyReachApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3", "slash", *"example", "enter")
        await pilot.pause(0.3)
        lst = app.screen.query_one("#contacts", RowList)
        assert lst.row_count == 10
        assert "10+ of 30 (the first 10 listed; add a word to narrow)" in str(
            app.screen.query_one("#topbar").render())
        await pilot.press("slash", *" 01", "enter")  # "example 01": p10-p19
        await pilot.pause(0.3)
        assert lst.row_count == 10 and "10 of 30" in str(app.screen.query_one("#topbar").render())
    store.close()


async def test_in_a_big_database_a_search_of_short_words_waits_for_enter(messy, monkeypatch):
    monkeypatch.setattr(ContactsScreen, "SHORT_SEARCH_WAITS", 5)  # messy has 8 contacts
    app = DailyReachApp(messy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3", "slash", *"ug")
        await pilot.pause(0.4)
        lst = app.screen.query_one("#contacts", RowList)
        assert lst.row_count == 8  # not searched yet
        assert "Enter searches for 'ug'" in str(app.screen.query_one("#topbar").render())
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert [lst.row_at(i)["name"] for i in range(lst.row_count)] == ["Ugo Gamma"]
        await pilot.press("slash", *"o", "enter")  # "ugo": three letters search as typed
        await pilot.pause(0.3)
        assert "Enter searches" not in str(app.screen.query_one("#topbar").render())


async def test_a_letter_on_a_group_heading_leaves_blanks_and_asks_before_a_big_change(tmp_path):
    from textual.widgets import Static

    store = Store(tmp_path / "groups.db", today=TODAY)
    records = [make_record(i + 2, f"Pat Show{i:02}", status="Trade Show", phone=f"555-01{i:02}")
               for i in range(24)]
    records.append(make_record(40, "Uma Blank", status="", phone="555-0199"))
    import_records(store, records, ImportReport(file="test"))
    app = DailyReachApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        lst = app.screen.query_one("#cleanup", RowList)
        await move_to(pilot, lst, lambda r: getattr(r, "name", "").startswith("No guess"))
        await pilot.press("p")  # 24 contacts would change: asked first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "24 unclassified contacts get it" in str(app.screen.query_one(Static).render())
        await pilot.press("escape")  # no
        await pilot.pause()
        assert store.count_contacts(status="-") == 25
        await pilot.press("p", "enter")  # yes
        await pilot.pause()
        assert store.count_contacts(status="P") == 24
        # the contact with no status at all is no value of the group: left as it was
        assert [c["name"] for c in store.contacts(status="-")] == ["Uma Blank"]
    store.close()

"""The import screen, driven from the keyboard as a user would."""

from __future__ import annotations

from contextlib import asynccontextmanager

from store import Store
from tui.app import DailyReachApp, ImportScreen, QueueScreen
from tui.widgets import RowList

from conftest import TODAY

SIZE = (120, 36)


def rows(lst: RowList) -> list:
    return [lst.row_at(i) for i in range(lst.row_count)]


@asynccontextmanager
async def import_screen(tmp_path):
    """The app on a new database, with Ctrl+O pressed: (store, app, pilot, screen)."""
    store = Store(tmp_path / "tui.db", today=TODAY)
    app = DailyReachApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        yield store, app, pilot, app.screen


async def wait_idle(app, pilot, screen) -> None:
    for _ in range(100):
        await pilot.pause(0.05)
        if not screen.busy:
            await app.workers.wait_for_complete()
            await pilot.pause()
            if not screen.busy:
                return
    raise AssertionError("the import screen stayed busy")


async def test_import_screen_preview_map_statuses_and_import(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("Contact,E-mail,ID/Status,Colour\r\n"
                    "Ann Lee,ann@x.test,Prosp.,green\r\n"
                    "Bo Bell,bo@x.test,Prosp.,blue\r\n"
                    "Cy Cole,cy@x.test,Key Client,red\r\n"
                    "Di Dunn,di@x.test,Trade Show,\r\n", encoding="utf-8")
    async with import_screen(tmp_path) as (store, app, pilot, screen):
        assert isinstance(screen, ImportScreen)
        await pilot.press(*str(path), "enter")
        await wait_idle(app, pilot, screen)
        columns = screen.query_one("#import-columns", RowList)
        assert rows(columns) == [("Contact", "name"), ("E-mail", "email"), ("ID/Status", "status"),
                                 ("Colour", None)]
        statuses = screen.query_one("#import-statuses", RowList)
        # values that need a decision first, then those that already name a status
        assert rows(statuses) == [("Prosp.", 2), ("Trade Show", 1), ("Key Client", 1)]
        # focus stays in the path box (typing there must never classify);
        # the status values are one Tab away
        assert app.focused is screen.query_one("#import-path")
        await pilot.press("tab")
        assert app.focused is statuses
        info = str(screen.query_one("#import-info").render())
        assert "Act!" in info and "4 rows" in info
        # "p" maps the focused raw value (Prosp.) and moves on; Trade Show is left alone
        await pilot.press("p")
        await pilot.pause()
        assert statuses.cursor == 1
        await pilot.press("minus")  # Trade Show: leave unclassified
        await pilot.press("ctrl+s")
        await wait_idle(app, pilot, screen)
        assert screen.result is not None and screen.error == ""
        assert (screen.result.added, screen.result.unclassified) == (4, 1)
        assert "Done: 4 added" in str(screen.query_one("#import-info").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
    assert sorted(c["name"] for c in store.contacts(status="P")) == ["Ann Lee", "Bo Bell"]
    assert [c["name"] for c in store.contacts(status="-")] == ["Di Dunn"]
    # the mapping is remembered: a later file's "prosp." is a prospect
    remembered = store.conn.execute("SELECT raw_norm FROM status_map").fetchall()
    assert [r[0] for r in remembered] == ["prosp."]
    store.close()


async def test_import_screen_change_a_column_field_and_show_errors(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Name,Handy,Colour\r\nAnn Lee,0171 555 0100,green\r\n", encoding="utf-8")
    store = Store(tmp_path / "tui.db", today=TODAY)
    app = DailyReachApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_show_import()  # as the command palette entry does
        await pilot.pause()
        screen = app.screen
        await pilot.press(*str(tmp_path / "missing.csv"), "enter")
        await wait_idle(app, pilot, screen)
        assert "no such file" in screen.error
        assert "no such file" in str(screen.query_one("#import-info").render())
        field = screen.query_one("#import-path")
        field.value = ""
        await pilot.press(*str(path), "enter")
        await wait_idle(app, pilot, screen)
        columns = screen.query_one("#import-columns", RowList)
        assert rows(columns)[2] == ("Colour", None)
        screen.set_focus(columns)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        # the field picker: choose "notes" (type-ahead is not used: move with the arrows)
        from textual.widgets import OptionList

        picker = app.screen.query_one(OptionList)
        from store.formats import FIELDS

        picker.highlighted = list(FIELDS).index("notes")
        await pilot.press("enter")
        await wait_idle(app, pilot, screen)
        assert rows(columns)[2] == ("Colour", "notes")
        await pilot.press("ctrl+s")
        await wait_idle(app, pilot, screen)
    [c] = store.contacts()
    assert (c["name"], c["phone"], c["notes"]) == ("Ann Lee", "0171 555 0100", "green")
    store.close()


async def test_browse_for_the_file_with_the_keyboard(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "a-contacts.csv").write_text("Name,E-mail\r\nAnn Lee,ann@x.test\r\n", encoding="utf-8")
    async with import_screen(tmp_path) as (store, app, pilot, screen):
        await pilot.press(*str(folder), "ctrl+o")
        await pilot.pause(0.5)
        from textual.widgets import DirectoryTree

        assert isinstance(app.focused, DirectoryTree)
        await pilot.press("down", "enter")  # the tree's root is the folder: its first child is the file
        await wait_idle(app, pilot, screen)
        assert app.screen is screen
        assert screen.path == folder / "a-contacts.csv"
        assert screen.preview is not None and screen.preview.rows == 1
        box = screen.query_one("#import-path")  # what is typed there next goes after the name
        assert box.value == str(folder / "a-contacts.csv")
        assert box.cursor_position == len(box.value)
    store.close()


async def test_typing_a_second_path_after_reading_classifies_nothing(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("Contact,E-mail,ID/Status\r\nAnn Lee,ann@x.test,Prosp.\r\n", encoding="utf-8")
    second.write_text("Contact,E-mail\r\nBo Bell,bo@x.test\r\n", encoding="utf-8")
    async with import_screen(tmp_path) as (store, app, pilot, screen):
        await pilot.press(*str(first), "enter")
        await wait_idle(app, pilot, screen)
        await pilot.press("ctrl+u", *str(second), "enter")
        await wait_idle(app, pilot, screen)
        assert screen.status_choice == {} and screen.path == second
    store.close()


async def test_a_new_reading_drops_the_last_summary(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Contact,E-mail\r\nAnn Lee,ann@x.test\r\n", encoding="utf-8")
    async with import_screen(tmp_path) as (store, app, pilot, screen):
        await pilot.press(*str(path), "enter")
        await wait_idle(app, pilot, screen)
        await pilot.press("ctrl+s")
        await wait_idle(app, pilot, screen)
        assert "Done: 1 added" in str(screen.query_one("#import-info").render())
        for _ in range(4):  # F7 cycles the encoding: detect, utf-8, cp1252, latin-1, utf-16
            await pilot.press("f7")
            await wait_idle(app, pilot, screen)
        info = str(screen.query_one("#import-info").render())
        assert "Done:" not in info and screen.result is None
    store.close()


async def test_the_folder_browser_goes_up_with_backspace(tmp_path):
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    store = Store(tmp_path / "tui.db", today=TODAY)
    app = DailyReachApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.press(*str(inner), "ctrl+o")
        await pilot.pause(0.3)
        from textual.widgets import DirectoryTree

        await pilot.press("backspace", "backspace")
        await pilot.pause(0.3)
        assert app.screen.query_one(DirectoryTree).path == tmp_path
    store.close()


async def test_esc_stops_a_running_import_and_nothing_is_written(tmp_path, monkeypatch):
    import threading

    import store.importer as importer

    path = tmp_path / "big.csv"
    lines = ["Contact,E-mail"] + [f"Person {i},p{i}@x.test" for i in range(5000)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    saving = importer.import_records
    started = threading.Event()

    def slow_start(*args, stop=None, **kwargs):
        # the import waits (up to 10 s) for Esc, so that it is still
        # running when Esc comes however fast this machine is
        started.set()
        for _ in range(200):
            if stop():
                break
            threading.Event().wait(0.05)
        return saving(*args, stop=stop, **kwargs)

    monkeypatch.setattr(importer, "import_records", slow_start)
    async with import_screen(tmp_path) as (store, app, pilot, screen):
        await pilot.press(*str(path), "enter")
        await wait_idle(app, pilot, screen)
        await pilot.press("ctrl+s")
        assert screen.importing
        # reading again meanwhile (F6: another format) is refused: it would
        # have taken the import's place and left the screen waiting for it
        await pilot.press("f6")
        assert any("An import is running" in n.message for n in app._notifications)
        assert screen.importing and screen.fmt == "auto"  # unchanged
        await pilot.press("escape")
        await wait_idle(app, pilot, screen)
        assert started.is_set()
        assert screen.result is None and "stopped" in screen.error
        assert isinstance(app.screen, ImportScreen)  # still here, nothing imported
    assert store.count_contacts() == 0
    store.close()


async def test_import_screen_f9_chooses_the_sheet_of_a_workbook(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    notes = wb.active
    notes.title = "Read me"
    notes.append(["This workbook lists the trade-show leads on the next sheet."])
    leads = wb.create_sheet("Leads")
    leads.append(["Name", "Email", "Company"])
    leads.append(["Ana Ortiz", "ana@ortiz.test", "Ortiz Bikes"])
    leads.append(["Ben Brook", "ben@brook.test", "Brook Tea"])
    path = tmp_path / "leads.xlsx"
    wb.save(path)
    async with import_screen(tmp_path) as (store, app, pilot, screen):
        await pilot.press(*str(path), "enter")
        await wait_idle(app, pilot, screen)
        # the first sheet holds no contacts: said so, with the way out
        assert screen.preview is None and "Read me" in screen.error
        info = str(screen.query_one("#import-info").render())
        assert "Sheet 'Read me' (1 of 2): F9 reads the next one." in info
        await pilot.press("f9")
        await wait_idle(app, pilot, screen)
        assert screen.error == "" and screen.preview.sheet == "Leads"
        info = str(screen.query_one("#import-info").render())
        assert "sheet Leads" in info and "2 rows" in info and "sheet 2 of 2" in info
        await pilot.press("ctrl+s")
        await wait_idle(app, pilot, screen)
        assert screen.result.added == 2
        # F9 wraps round to the first sheet
        await pilot.press("f9")
        await wait_idle(app, pilot, screen)
        assert screen.sheet == "Read me"
    assert sorted((c["name"], c["company"]) for c in store.contacts()) == [
        ("Ana Ortiz", "Ortiz Bikes"), ("Ben Brook", "Brook Tea")]
    store.close()


async def test_import_screen_f9_on_a_csv_says_there_is_no_sheet(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("Name,Email\r\nAna Ortiz,ana@ortiz.test\r\n", encoding="utf-8")
    async with import_screen(tmp_path) as (store, app, pilot, screen):
        await pilot.press(*str(path), "enter")
        await wait_idle(app, pilot, screen)
        await pilot.press("f9")
        await pilot.pause()
        assert screen.sheet is None and isinstance(app.screen, ImportScreen)  # not the day screen
        assert any("several sheets" in n.message for n in app._notifications)
    store.close()


async def test_a_fifo_or_device_read_after_a_file_is_refused_at_once(tmp_path):
    """The sheet check opened any path: a FIFO blocked its thread for good
    (and with it quitting), /dev/zero was read without end."""
    import os
    import threading

    from store import workbook_sheets

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    found: list = []
    reader = threading.Thread(target=lambda: found.append(workbook_sheets(fifo)), daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():  # unblock it, so the test run can end
        with open(fifo, "wb"):
            pass
    assert found == [[]]
    path = tmp_path / "contacts.csv"
    path.write_text("Name,E-mail\r\nAnn Lee,ann@x.test\r\n", encoding="utf-8")
    async with import_screen(tmp_path) as (store, app, pilot, screen):
        box = screen.query_one("#import-path")
        for target, reason in ((path, "1 row"), (fifo, "only regular files"),
                               (path, "1 row"), ("/dev/zero", "only regular files")):
            box.value = str(target)  # as pasted (typing each long path takes seconds)
            await pilot.press("enter")
            await wait_idle(app, pilot, screen)
            assert reason in str(screen.query_one("#import-info").render()), target


async def pick_field(app, pilot, screen, name: str) -> None:
    """In the field picker just opened: choose ``name`` and wait for the new reading."""
    from textual.widgets import OptionList

    from store.formats import FIELDS

    await pilot.pause()
    app.screen.query_one(OptionList).highlighted = list(FIELDS).index(name)
    await pilot.press("enter")
    await wait_idle(app, pilot, screen)


async def test_a_header_naming_no_field_can_be_mapped_on_the_screen(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Wer,Wohin\r\nAnn Lee,Leeds\r\n", encoding="utf-8")
    other = tmp_path / "plain.csv"
    other.write_text("Name,E-mail\r\nBo Bell,bo@x.test\r\n", encoding="utf-8")
    async with import_screen(tmp_path) as (store, app, pilot, screen):
        await pilot.press(*str(path), "enter")
        await wait_idle(app, pilot, screen)
        info = str(screen.query_one("#import-info").render())
        assert "no contact columns in the header" in info
        assert "Enter on it in the columns list" in info and "--map" not in info
        columns = screen.query_one("#import-columns", RowList)
        # the first row's cells are offered, to be given fields by hand
        assert rows(columns) == [("Wer", None), ("Wohin", None)]
        screen.set_focus(columns)
        await pilot.press("enter")
        await pick_field(app, pilot, screen, "name")
        assert screen.error == "" and screen.preview.rows == 1
        assert rows(columns) == [("Wer", "name"), ("Wohin", None)]
        await pilot.press("ctrl+s")
        await wait_idle(app, pilot, screen)
        [c] = store.contacts()
        assert c["name"] == "Ann Lee"
        assert store.contact(c["id"])["extra"] == {"Wohin": "Leeds"}
        # the summary is on the screen, and no toast repeats it over the lists
        assert "Done: 1 added" in str(screen.query_one("#import-info").render())
        assert not any("Imported" in n.message for n in app._notifications)
        bar = screen.query_one("#import-progress")
        assert bar.display
        # another file: the last file's full bar goes, and its hand mapping
        # (Wer → name) is not carried over (it would be refused as missing)
        await pilot.press("f6", "f8")  # a format and a date order forced for this file…
        await wait_idle(app, pilot, screen)
        assert (screen.fmt, screen.date_order) == ("act", "mdy")
        screen.set_focus(screen.query_one("#import-path"))
        await pilot.press("ctrl+u", *str(other), "enter")
        await wait_idle(app, pilot, screen)
        assert (screen.fmt, screen.encoding, screen.date_order) == ("auto", None, None)  # …not the next
        assert not bar.display
        assert screen.error == "" and rows(columns) == [("Name", "name"), ("E-mail", "email")]
    store.close()


async def test_a_vcard_says_it_has_no_columns(tmp_path):
    path = tmp_path / "one.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ann@x.test\r\nEND:VCARD\r\n",
                    encoding="utf-8")
    async with import_screen(tmp_path) as (store, app, pilot, screen):
        await pilot.press(*str(path), "enter")
        await wait_idle(app, pilot, screen)
        assert screen.preview.rows == 1
        columns = screen.query_one("#import-columns", RowList)
        assert "A vCard has no columns" in columns.render_line(0).text
    store.close()


async def test_ctrl_s_after_typing_another_path_reads_it_and_never_imports_the_last_file(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("Contact,E-mail\r\nAnn Lee,ann@x.test\r\n", encoding="utf-8")
    second.write_text("Contact,E-mail\r\nBo Bell,bo@x.test\r\n", encoding="utf-8")
    async with import_screen(tmp_path) as (store, app, pilot, screen):
        await pilot.press(*str(first), "enter")
        await wait_idle(app, pilot, screen)
        # a new path typed, then Ctrl+S at once (as when Enter's reading has
        # not begun yet): the typed file is read, the first one not imported
        await pilot.press("ctrl+u", *str(second), "ctrl+s")
        await wait_idle(app, pilot, screen)
        assert store.count_contacts() == 0 and screen.path == second
        assert any("Reading the file typed first" in n.message for n in app._notifications)
        await pilot.press("ctrl+s")
        await wait_idle(app, pilot, screen)
        assert [c["name"] for c in store.contacts()] == ["Bo Bell"]
    store.close()


async def test_a_file_name_with_escape_sequences_is_shown_cleaned_and_still_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile = folder / "zz\x1b]0;PWNED\x07\x1b[5mbad.csv"
    hostile.write_text("Contact,E-mail\r\nAnn Lee,ann@x.test\r\n", encoding="utf-8")
    async with import_screen(tmp_path) as (store, app, pilot, screen):
        await pilot.press(*str(folder), "ctrl+o")
        await pilot.pause(0.5)
        await pilot.press("down", "enter")
        await wait_idle(app, pilot, screen)
        box = screen.query_one("#import-path")
        assert "\x1b" not in box.value and "\x07" not in box.value
        assert box.value.endswith("bad.csv")
        assert screen.path == hostile and screen.preview.rows == 1
        await pilot.press("ctrl+s")  # the box still means the file picked
        await wait_idle(app, pilot, screen)
        assert [c["name"] for c in store.contacts()] == ["Ann Lee"]
    store.close()


async def test_a_status_name_on_the_import_screen_keeps_its_status(tmp_path):
    path = tmp_path / "kc.csv"
    path.write_text("Contact,E-mail,ID/Status\r\nAnn Lee,ann@x.test,Prosp.\r\n"
                    "Bo Bell,bo@x.test,Key Clients\r\n", encoding="utf-8")
    async with import_screen(tmp_path) as (store, app, pilot, screen):
        await pilot.press(*str(path), "enter")
        await wait_idle(app, pilot, screen)
        statuses = screen.query_one("#import-statuses", RowList)
        assert rows(statuses) == [("Prosp.", 1), ("Key Clients", 1)]
        await pilot.press("tab", "down", "s")  # Key Clients → Secondary? refused
        await pilot.pause()
        assert "Key Clients" not in screen.status_choice
        assert any("'Key Clients' is the name of a status (Key Client)" in n.message
                   for n in app._notifications)
        await pilot.press("minus")  # nor left unclassified
        await pilot.pause()
        assert "Key Clients" not in screen.status_choice
        assert "K Key Client" in statuses.render_line(1).text  # the preview says what happens
        await pilot.press("ctrl+s")
        await wait_idle(app, pilot, screen)
        assert {c["name"]: c["status_key"] for c in store.contacts()} == {
            "Ann Lee": None, "Bo Bell": "K"}
    store.close()


async def test_the_first_contacts_as_read_show_a_wrong_encoding(tmp_path):
    path = tmp_path / "pl.csv"
    path.write_bytes("Name,E-mail,Company\r\nŁukasz Żółć,lz@x.pl,Łódź Sp.\r\n"
                     "Štěpán Čech,sc@x.cz,Brno\r\n".encode("cp1250"))
    async with import_screen(tmp_path) as (store, app, pilot, screen):
        await pilot.press(*str(path), "enter")
        await wait_idle(app, pilot, screen)
        # read as a code page of its own choosing, but the names show it
        for _ in range(6):  # F7 until the names read right
            if screen.encoding == "cp1250":
                break
            await pilot.press("f7")
            await wait_idle(app, pilot, screen)
        info = str(screen.query_one("#import-info").render())
        assert "line 2: Łukasz Żółć · Łódź Sp. · lz@x.pl" in info
        assert "line 3: Štěpán Čech · Brno · sc@x.cz" in info
        await pilot.press("f7")  # latin-1: the same bytes, other letters
        await wait_idle(app, pilot, screen)
        info = str(screen.query_one("#import-info").render())
        assert "Łukasz" not in info and "line 2: " in info
    store.close()

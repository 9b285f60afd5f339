"""Edge cases a fresh-eyes tester found in the CLI: each one a clean,
one-line refusal (or the right result), and the database unchanged."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import stat

import pytest

from store import Store
from test_cli import assert_clean_error, run

from conftest import TODAY


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "edge.db"
    src = tmp_path / "people.csv"
    src.write_text("Contact,Company,E-mail,Phone,ID/Status,Record Manager\r\n"
                   "Ann Lee,Acme,ann@x.test,212-555-0101,Key Client,Chris Seller\r\n"
                   '"=HYPERLINK(""http://x"")",Evil,evil@x.test,+1 212 555 0102,Prospect,'
                   "chris  seller\r\n"
                   "Bo Bell,Bolt,bo@x.test,212-555-0103,Prospect,CHRIS SELLER\r\n",
                   encoding="utf-8")
    assert run("import", str(src), db=path).returncode == 0
    return path


def dump(db) -> list:
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


def ids(db) -> dict[str, int]:
    return {c["name"]: c["id"] for c in json.loads(run("contacts", "--json", db=db).stdout)}


@pytest.mark.parametrize("make", ["fifo", "symlink"])
def test_force_never_replaces_a_pipe_or_a_link(db, tmp_path, make):
    target = tmp_path / "out.csv"
    if make == "fifo":
        os.mkfifo(target)
    else:
        real = tmp_path / "real.csv"
        real.write_text("keep")
        target.symlink_to(real)
    for args in (("export", str(target), "--force"), ("plan", "--export", str(target), "--force"),
                 ("report", "--csv", str(target), "--force")):
        assert_clean_error(run(*args, db=db), str(target))
    mode = os.lstat(target).st_mode
    assert stat.S_ISFIFO(mode) if make == "fifo" else stat.S_ISLNK(mode)
    if make == "symlink":
        assert (tmp_path / "real.csv").read_text() == "keep"


def test_report_files_are_private_and_never_overwritten_without_force(db, tmp_path):
    keep = tmp_path / "keep.csv"
    keep.write_text("keep")
    assert_clean_error(run("report", "--csv", str(keep), db=db), "already exists", "--force")
    assert keep.read_text() == "keep"
    xlsx = tmp_path / "r.xlsx"
    result = run("report", "--by", "owner", "--xlsx", str(xlsx), "--csv", str(keep), "--force",
                 db=db)
    assert result.returncode == 0, result.stderr
    for path in (keep, xlsx):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # the three spellings of one owner (case, doubled space) are one group,
    # named as most contacts write it... each is written once, so the first
    with open(keep, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["owner"], r["count"]) for r in rows] == [("CHRIS SELLER", "3")]


def test_an_export_imports_back_without_the_formula_guard(db, tmp_path):
    out = tmp_path / "all.csv"
    assert run("export", str(out), db=db).returncode == 0
    assert "'=HYPERLINK" in out.read_text(encoding="utf-8-sig")  # neutralised in the file
    again = tmp_path / "again.db"
    assert run("import", str(out), db=again).returncode == 0
    names = {c["name"]: c for c in json.loads(run("contacts", "--json", db=again).stdout)}
    assert '=HYPERLINK("http://x")' in names
    assert names['=HYPERLINK("http://x")']["phone"] == "+1 212 555 0102"


def test_contacts_xlsx_cells_are_text_formatted(db, tmp_path):
    import openpyxl

    out = tmp_path / "all.xlsx"
    assert run("export", str(out), db=db).returncode == 0
    sheet = openpyxl.load_workbook(out)["Contacts"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert cells and all(c.number_format == "@" and c.data_type == "s" for c in cells)


@pytest.mark.parametrize("args, needle", [
    (("--today", "9999-12-31", "queue"), "year from 1900 to 9000"),
    (("--today", "0999-01-01", "queue"), "year from 1900 to 9000"),
    (("queue", "--date", ""), "YYYY-MM-DD"),
    (("snooze", "1", "--days", "99999999999999999999"), "use 1 to 365"),
    (("snooze", "1", "--days", "366"), "use 1 to 365"),
    (("snooze", "1", "--until", "2099-01-01"), "more than 365 days"),
    (("log", "1", "call", "--outcome", "reached", "--date", "1800-01-01"), "1900"),
    (("log", "1", "call", "--outcome", "reached", "--date", ""), "YYYY-MM-DD"),
    (("set-status", "abc", "k"), "not a contact id"),
    (("changes", "--limit", "0"), "--limit"),
    (("config", "calls_per_day", "-3"), "not a whole number"),
    (("config", "retry_days", "99999"), "too large; use 1 to 365"),
    (("config", "phone_region", ""), "two-letter"),
    (("config", "owner_name", "ßtefan"), "letter A–Z"),
    (("config", "email_subject", "Hi {first_name"), "without its pair"),
    (("config", "email_template", "  "), "needs some text"),
    (("backup", "no-such-folder/b.db"), "does not exist"),
    # numbers SQLite cannot hold, and codecs that are no text encoding
    (("set-status", "99999999999999999999", "k"), "too large a number"),
    (("log", "99999999999999999999", "call", "--outcome", "reached"), "too large a number"),
    (("undo", "99999999999999999999"), "is not in the range"),
    (("changes", "--limit", "99999999999999999999"), "is not in the range"),
])
def test_bad_values_are_refused_in_one_line(db, args, needle):
    before = dump(db)
    result = run(*args, db=db)
    assert_clean_error(result, needle)
    assert len(result.stderr.strip().splitlines()) == 1
    assert dump(db) == before


def test_an_unenterable_folder_is_a_clean_error(db, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root enters every folder")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o000)
    try:
        for args in (("export", str(locked / "e.csv")), ("backup", str(locked / "b.db")),
                     ("plan", "--export", str(locked / "p.md"))):
            result = run(*args, db=db)
            assert_clean_error(result)
            assert "unexpected" not in result.stderr
    finally:
        locked.chmod(0o700)


def test_listing_commands_create_no_database(tmp_path):
    new = tmp_path / "nn.db"
    result = run("statuses", "--json", db=new)
    assert result.returncode == 0 and json.loads(result.stdout)[0]["name"] == "Key Client"
    assert_clean_error(run("status2", db=new), "no database")
    empty = tmp_path / "empty.db"
    empty.touch()
    assert_clean_error(run("queue", db=empty), "no database")
    assert not new.exists() and empty.stat().st_size == 0


def test_restore_onto_a_new_machine(db, tmp_path):
    backup = tmp_path / "b.db"
    assert run("backup", str(backup), db=db).returncode == 0
    fresh = tmp_path / "new-machine.db"
    result = run("restore", str(backup), db=fresh)
    assert result.returncode == 0, result.stderr
    assert "saved to" not in result.stdout  # nothing there to save first
    assert set(ids(fresh)) == set(ids(db))


def test_an_import_prints_at_most_twenty_warnings(tmp_path):
    src = tmp_path / "dups.csv"
    lines = ["Contact,E-mail,Title"] + [f"Ann Lee,ann@x.test,Title {i}" for i in range(40)]
    src.write_text("\r\n".join(lines) + "\r\n")
    result = run("import", str(src), db=tmp_path / "d.db")
    assert result.returncode == 0
    assert result.stdout.count("warning: line") == 20
    assert "… and 19 more warning(s): --json lists them" in result.stdout


def test_a_failed_or_dry_first_import_creates_no_database(tmp_path):
    new = tmp_path / "first.db"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert_clean_error(run("import", str(bad), db=new), "binary")
    good = tmp_path / "good.csv"
    good.write_text("Contact,E-mail\r\nAnn Lee,ann@x.test\r\n")
    result = run("import", str(good), "--dry-run", "--json", db=new)
    assert result.returncode == 0 and json.loads(result.stdout)["added"] == 1
    assert not any(tmp_path.glob("first.db*"))


def test_status2_survives_an_export_and_a_reimport(tmp_path):
    src = tmp_path / "src.db"
    csv_in = tmp_path / "in.csv"
    csv_in.write_text("Name,E-mail\r\nAna Ortiz,ana@ortiz.test\r\nBen Brook,ben@brook.test\r\n"
                      "Cy Cole,cy@cole.test\r\n", encoding="utf-8")
    assert run("import", str(csv_in), db=src).returncode == 0
    for value in ("Web", "Referral"):
        assert run("status2", "add", value, db=src).returncode == 0
    ids = {c["name"]: c["id"] for c in json.loads(run("contacts", "--json", db=src).stdout)}
    assert run("set-status2", str(ids["Ana Ortiz"]), "web", db=src).returncode == 0
    assert run("set-status2", str(ids["Ben Brook"]), "Referral", db=src).returncode == 0
    out = tmp_path / "all.csv"
    assert run("export", str(out), db=src).returncode == 0

    # into a database whose list has Web but not Referral, and a W… value of its own
    again = tmp_path / "again.db"
    assert run("import", str(csv_in), db=again).returncode == 0
    assert run("status2", "add", "WEB", db=again).returncode == 0
    result = run("import", str(out), db=again)
    assert result.returncode == 0, result.stderr
    assert "'Referral' added" in result.stdout
    got = {c["name"]: c["status2"] for c in json.loads(run("contacts", "--json", db=again).stdout)}
    assert got == {"Ana Ortiz": "WEB", "Ben Brook": "Referral", "Cy Cole": None}
    # the change is in each contact's history, and one undo takes the import's changes back
    assert run("undo", db=again).returncode == 0
    got = {c["name"]: c["status2"] for c in json.loads(run("contacts", "--json", db=again).stdout)}
    assert got == {"Ana Ortiz": None, "Ben Brook": None, "Cy Cole": None}


def test_extra_data_named_like_an_export_column_survives_a_round_trip(tmp_path):
    src, again = tmp_path / "src.db", tmp_path / "again.db"
    outlook = tmp_path / "outlook.csv"
    outlook.write_text("Title,First Name,Last Name,Job Title,E-mail Address\r\n"
                       "Dr.,Eve,Stone,CEO,eve@stone.test\r\n", encoding="utf-8")
    assert run("import", str(outlook), db=src).returncode == 0
    assert run("status2", "add", "Web", db=src).returncode == 0
    with_s2 = tmp_path / "s2.csv"
    with_s2.write_text("Name,E-mail,Status 2\r\nCy Cole,cy@cole.test,Wholesale\r\n", encoding="utf-8")
    assert "kept as extra data" in run("import", str(with_s2), db=src).stdout  # W is Web's

    def extras(db):
        with Store(db, today=TODAY) as s:
            return {c["name"]: (c["title"], c["extra"]) for c in s.contacts()}

    before = extras(src)
    assert before == {"Eve Stone": ("CEO", {"Title": "Dr."}),
                      "Cy Cole": (None, {"Status 2": "Wholesale"})}
    out = tmp_path / "all.csv"
    assert run("export", str(out), db=src).returncode == 0
    assert run("status2", "add", "Web", db=again).returncode == 0
    assert run("import", str(out), db=again).returncode == 0
    assert extras(again) == before


def test_an_xlsx_export_says_what_it_cut_and_its_reimport_keeps_the_whole_note(tmp_path):
    """Excel cells hold 32,767 characters: the export names the cell it cut,
    and importing that file back into the same database keeps the full
    note.  A noncharacter (U+FFFE) is dropped on the way in, so the
    workbook stays readable."""
    from openpyxl import load_workbook

    db = tmp_path / "long.db"
    long_note = "".join(f"line {i} of a long note\n" for i in range(4000)).strip()
    assert len(long_note) > 32_767
    src = tmp_path / "in.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["Name", "E-mail", "Notes", "Company"],
                                  ["Ann Lee", "ann@x.test", long_note, "Ac\ufffeme\uffff"]])
    assert run("import", str(src), db=db).returncode == 0
    out = tmp_path / "all.xlsx"
    result = run("export", str(out), db=db)
    assert result.returncode == 0
    assert "row 2: Notes is longer than the 32,767 characters an Excel cell holds" in result.stderr
    [header, row] = [[c.value for c in r] for r in load_workbook(out, read_only=True).active.iter_rows()]
    cells = dict(zip(header, row))
    assert cells["Company"] == "Acme" and len(cells["Notes"]) == 32_767
    result = run("import", str(out), db=db)
    assert result.returncode == 0, result.stderr
    with Store(db, today=TODAY) as s:
        [ann] = s.contacts()
        assert ann["notes"] == long_note and ann["company"] == "Acme"


def test_an_export_imported_elsewhere_keeps_each_contacts_place_in_the_plan(db, tmp_path):
    """The export carries the latest of each kind of history (Act!'s Last
    Reach, Last Attempt, Last Meeting, Last Results and Last E-mail): a
    fresh database that imports it has the same queue, due dates and all."""
    people = ids(db)
    steps = [("log", str(people["Ann Lee"]), "email", "--outcome", "sent", "--date", "2026-12-01"),
             ("log", str(people["Bo Bell"]), "call", "--outcome", "no-answer", "--date", "2026-12-02",
              "--note", "rang twice"),
             ("log", str(people["Ann Lee"]), "call", "--outcome", "reached", "--date", "2026-11-20",
              "--note", "wants a quote")]
    for args in steps:
        assert run(*args, db=db).returncode == 0, args
    out = tmp_path / "all.csv"
    assert run("export", str(out), db=db).returncode == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = {r["Contact"]: r for r in csv.DictReader(fh)}
    assert (rows["Ann Lee"]["Last E-mail"], rows["Ann Lee"]["Last Reach"],
            rows["Ann Lee"]["Last Results"]) == ("2026-12-01", "2026-11-20", "wants a quote")
    assert (rows["Bo Bell"]["Last Attempt"], rows["Bo Bell"]["Last Results"]) == ("2026-12-02", "rang twice")
    fresh = tmp_path / "fresh.db"
    assert run("import", str(out), db=fresh).returncode == 0

    def plan(path):
        with Store(path, today=TODAY) as s:
            return {c["name"]: (c["status_key"], c["last_call_reached"], c["last_email_sent"],
                                c["call_attempts"], c["last_call_attempt"], c["next_call_due"],
                                c["next_email_due"]) for c in s.contacts()}

    assert plan(fresh) == plan(db)
    # Ann: e-mailed 2026-12-01, Key Client every 30 days → next e-mail 2026-12-31
    assert plan(fresh)["Ann Lee"][6] == "2026-12-31"


def test_restore_over_a_damaged_database_says_how_and_then_works(db, tmp_path):
    backup = tmp_path / "b.db"
    assert run("backup", str(backup), db=db).returncode == 0
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    result = run("restore", str(backup), db=broken)
    assert_clean_error(result)
    assert f"move that file away first (e.g. mv '{broken}' '{broken}.old')" in result.stderr
    assert broken.read_bytes().startswith(b"SQLite format 3\x00\xff")  # left as it was
    broken.rename(tmp_path / "broken.db.old")
    assert run("restore", str(backup), db=broken).returncode == 0
    assert set(ids(broken)) == set(ids(db))


def test_ctrl_c_while_a_backup_is_copied_in_waits_for_the_whole_restore(db, tmp_path, monkeypatch):
    """From the first page copied, stopping would leave a mix of both
    databases: the interrupt is held back and reported."""
    import signal

    import store.backup as backup_module

    backup = tmp_path / "b.db"
    assert run("backup", str(backup), db=db).returncode == 0
    real_open = backup_module._open_readonly

    class InterruptedCopy:
        def __init__(self, conn):
            self.conn = conn

        def backup(self, target):
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C as the copy starts
            self.conn.backup(target)

        def __getattr__(self, name):
            return getattr(self.conn, name)

    monkeypatch.setattr(backup_module, "_open_readonly", lambda path: InterruptedCopy(real_open(path)))
    with Store(db, today=TODAY) as s:
        before = s.count_contacts()
        s.set_status([ids(db)["Ann Lee"]], "d")
        s.purge(backup_dir=tmp_path)
        result = s.restore(backup, backup_dir=tmp_path)  # no KeyboardInterrupt raised
        assert result.late_interrupt
        assert s.count_contacts() == before


def test_a_header_like_a_formula_survives_an_export_and_a_reimport(tmp_path):
    db = tmp_path / "h.db"
    src = tmp_path / "in.csv"
    src.write_text('Name,E-mail,"=HYPERLINK(""x"")"\r\nAnn Lee,ann@x.test,site\r\n', encoding="utf-8")
    assert run("import", str(src), db=db).returncode == 0
    out = tmp_path / "all.csv"
    assert run("export", str(out), db=db).returncode == 0
    assert "'=HYPERLINK" in out.read_text(encoding="utf-8-sig")  # guarded in the file
    result = run("import", str(out), db=db)
    assert result.returncode == 0, result.stderr
    assert "unchanged:    1" in result.stdout
    with Store(db, today=TODAY) as s:
        [ann] = s.contacts()
        assert ann["extra"] == {'=HYPERLINK("x")': "site"}


def test_a_workbook_whose_sheet_is_cut_short_is_one_clean_error(db, tmp_path):
    import zipfile

    good = tmp_path / "good.xlsx"
    assert run("export", str(good), db=db).returncode == 0
    cut = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(cut, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[:len(data) // 2]  # the XML stops in the middle of a row
            zout.writestr(item, data)
    before = dump(db)
    result = run("import", str(cut), db=db)
    assert_clean_error(result)
    assert "cannot be read: the workbook is damaged" in result.stderr
    assert dump(db) == before


@pytest.mark.parametrize("codec", ["rot13", "base64", "zlib", "idna"])
def test_a_codec_that_is_no_text_encoding_is_refused(db, tmp_path, codec):
    before = dump(db)
    result = run("import", str(tmp_path / "people.csv"), "--encoding", codec, db=db)
    assert_clean_error(result, f"{codec!r} is not a text encoding")
    assert dump(db) == before


def test_a_database_path_of_spaces_is_refused_and_no_file_is_made(tmp_path):
    for args, extra, said in ((("contacts",), {"DAILYREACH_DB": "  "}, "DAILYREACH_DB"),
                              (("--db", " ", "contacts"), {}, "--db: needs a file path")):
        result = subprocess_in(tmp_path, *args, env_extra=extra)
        assert_clean_error(result, said)
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []  # no file called " " in the working folder


def subprocess_in(folder, *args, env_extra):
    """``run`` from inside ``folder`` (a relative path would land there)."""
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        return run(*args, env_extra=env_extra)
    finally:
        os.chdir(cwd)


def test_ctrl_c_during_an_import_says_nothing_was_imported(tmp_path, monkeypatch, capsys):
    import store.importer as importer
    from tui import cli

    src = tmp_path / "a.csv"
    src.write_text("Name,E-mail\r\nAnn Lee,ann@x.test\r\n", encoding="utf-8")
    saving = importer.import_records

    def ctrl_c() -> bool:  # asked after the rows are read, before the commit
        raise KeyboardInterrupt

    def interrupted(*args, stop=None, **kwargs):
        return saving(*args, stop=ctrl_c, **kwargs)

    monkeypatch.setattr(importer, "import_records", interrupted)
    monkeypatch.setenv("DAILYREACH_DB", str(tmp_path / "c.db"))
    monkeypatch.setattr(cli, "INTERRUPTED", {})
    with pytest.raises(SystemExit) as done:
        cli.main(["import", str(src)])
    assert done.value.code == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "dailyreach: interrupted: nothing was imported")
    with Store(tmp_path / "c.db", today=TODAY) as s:
        assert s.count_contacts() == 0

"""Issue 4 commands through the CLI entry point (subprocess): set-status,
set-status2, undo, report (JSON, CSV, XLSX), backup, purge, restore, filters.

Expected numbers are recounted in the test from the records it created."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections import Counter

import pytest

from store import Store
from store.importer import ImportReport, import_records

from conftest import TODAY, make_record

EVIL = '=HYPERLINK("http://evil.test","click")'
PHONE_OWNER = "+1 555 0100"
# (name, raw status, key it gets, owner)
PEOPLE = [
    ("Kim Key", "Key Client", "K", "Dana Whitfield"),
    ("Kai Keen", "key clients", "K", EVIL),
    ("Kit Kohl", "KEY CLIENT", "K", "Dana Whitfield"),
    ("Pat Prospect", "Prospect", "P", "Dana Whitfield"),
    ("Pia Pine", "prospects", "P", PHONE_OWNER),
    ("Poe Park", "Prospect", "P", None),
    ("Pru Pond", "prospect", "P", EVIL),
    ("Uli Umber", "Customer", None, "Dana Whitfield"),
    ("Uma Urn", "Customer", None, None),
    ("Ugo Ulm", "", None, PHONE_OWNER),
    ("Vic Vendor", "Vendor", "V", "Dana Whitfield"),
    ("Val Vane", "vendors", "V", None),
]


def run(*args: str, db, today: str = "2026-12-03", stdin: str | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAILYREACH_")}
    env["DAILYREACH_DB"] = str(db)
    env["DAILYREACH_TODAY"] = today
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True,
                          env=env, timeout=120, input=stdin)


def clean_failure(result, *needles: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    for needle in needles:
        assert needle in result.stderr, result.stderr


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.db"
    store = Store(path, today=TODAY)
    records = []
    for line, (name, raw, _, owner) in enumerate(PEOPLE, start=2):
        rec = make_record(line, name, status=raw, phone=f"555-01{line:02d}",
                          email=f"{name.split()[0].lower()}@x.test")
        rec.owner = owner or ""
        records.append(rec)
    import_records(store, records, ImportReport(file="test"))
    store.close()
    return path


def ids_by_name(path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT name, id FROM contacts"))


def expected_rows(by: tuple[str, ...], status2: dict[str, str] | None = None) -> dict:
    """(grouping values) → count, recounted from PEOPLE."""
    names = {"K": "Key Client", "P": "Prospect", "V": "Vendor", None: None}
    status2 = status2 or {}
    counts: Counter = Counter()
    for name, _, key, owner in PEOPLE:
        values = {"status": (key, names[key]), "owner": owner, "status2": status2.get(name)}
        counts[tuple(values[f] for f in by)] += 1
    return dict(counts)


def json_rows_as_dict(rows: list[dict], by: tuple[str, ...]) -> dict:
    out = {}
    for r in rows:
        key = tuple((r["status_key"], r["status"]) if f == "status" else r[f] for f in by)
        out[key] = r["count"]
    return out


# ------------------------------------------------------------------ set-status / undo
def test_set_status_and_status2_record_history_and_undo_reverts(db):
    ids = ids_by_name(db)
    result = run("set-status", str(ids["Uli Umber"]), "s", db=db)
    assert result.returncode == 0, result.stderr
    assert "Uli Umber: unclassified → Secondary Client" in result.stdout
    assert run("status2", "add", "Web", db=db).returncode == 0
    result = run("set-status2", str(ids["Uli Umber"]), "w", db=db)
    assert "status 2 none → Web" in result.stdout

    store = Store(db, today=TODAY)
    status_row, = [h for h in store.history(ids["Uli Umber"]) if h["kind"] == "status"]
    assert (status_row["old_status"], status_row["new_status"], status_row["source"]) == (
        None, "Secondary Client", "cli")
    assert status_row["batch_id"] is not None
    s2_row, = [h for h in store.history(ids["Uli Umber"]) if h["kind"] == "status2"]
    assert (s2_row["old_value"], s2_row["new_value"]) == (None, "Web")
    store.close()

    clean_failure(run("set-status", str(ids["Uli Umber"]), "z", db=db), "no status has the key 'z'")
    clean_failure(run("set-status", "999999", "k", db=db), "no contact with id 999999")
    clean_failure(run("set-status2", str(ids["Uli Umber"]), "Retail", db=db), "not in the status 2 list")

    assert "status 2 Web" in run("undo", db=db).stdout
    assert "Key Client" not in run("undo", db=db).stdout
    with Store(db, today=TODAY) as store:
        got = store.contact(ids["Uli Umber"])
        assert (got["status_key"], got["status2"]) == (None, None)
    clean_failure(run("undo", db=db), "nothing to undo")


def test_contacts_filters_on_the_command_line(db):
    result = run("contacts", "--owner", "dana whitfield", "--status", "k", "--json", db=db)
    assert sorted(c["name"] for c in json.loads(result.stdout)) == ["Kim Key", "Kit Kohl"]
    result = run("contacts", "--owner", "-", "--json", db=db)
    assert sorted(c["name"] for c in json.loads(result.stdout)) == sorted(
        n for n, _, _, o in PEOPLE if o is None)
    # every contact arrived 2020-01-01 and was never reached or e-mailed:
    # the K and P ones (call and e-mail plans) are due, V and unclassified never.
    result = run("contacts", "--due", "overdue", "--json", db=db)
    assert sorted(c["name"] for c in json.loads(result.stdout)) == sorted(
        n for n, _, k, _ in PEOPLE if k in ("K", "P"))


# ------------------------------------------------------------------ report
@pytest.mark.parametrize("by", ["status", "owner", "status,owner", "status,status2"])
def test_report_json_matches_a_recount(db, by):
    ids = ids_by_name(db)
    status2 = {"Kim Key": "Web", "Pat Prospect": "Web", "Uma Urn": "Referral"}
    run("status2", "add", "Web", db=db)
    run("status2", "add", "Referral", db=db)
    for name, value in status2.items():
        assert run("set-status2", str(ids[name]), value, db=db).returncode == 0
    fields = tuple(by.split(","))
    result = run("report", "--by", by, "--json", db=db)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    expected = expected_rows(fields, status2)
    assert json_rows_as_dict(rows, fields) == expected
    total = len(PEOPLE)
    for r in rows:
        assert r["percent"] == round(100 * r["count"] / total, 1)
        keys = set(r) - {"count", "percent"}
        wanted = set()
        for f in fields:
            wanted |= {"status_key", "status"} if f == "status" else {f}
        assert keys == wanted


def test_report_csv_and_xlsx_hold_the_same_numbers_and_no_formulas(db, tmp_path):
    import openpyxl

    csv_path, xlsx_path = tmp_path / "out.csv", tmp_path / "out.xlsx"
    result = run("report", "--by", "status,owner", "--json", "--csv", str(csv_path),
                 "--xlsx", str(xlsx_path), db=db)
    assert result.returncode == 0, result.stderr
    expected = expected_rows(("status", "owner"))

    def unquote(value: str | None) -> str | None:
        # neutralised cells carry a leading apostrophe; nothing else changes
        return value[1:] if value and value.startswith(("'=", "'+")) else value

    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.DictReader(fh))
    got = Counter()
    for line in lines:
        key = ((line["status_key"] or None, line["status"] or None), unquote(line["owner"] or None))
        got[key] += int(line["count"])
    assert dict(got) == expected
    owners = {line["owner"] for line in lines}
    assert "'" + EVIL in owners and EVIL not in owners
    assert "'" + PHONE_OWNER in owners  # "+1 555 0100" too: a spreadsheet would compute it

    book = openpyxl.load_workbook(xlsx_path)
    sheet = book["Breakdown"]
    header = [c.value for c in sheet[1]]
    assert header == ["status_key", "status", "owner", "count", "percent"]
    got = Counter()
    for row in sheet.iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in row)
        values = dict(zip(header, (c.value for c in row)))
        # in the workbook the value is as it is, a text cell marked to stay text
        got[((values["status_key"], values["status"]), values["owner"])] += values["count"]
        if values["owner"] in (EVIL, PHONE_OWNER):
            assert row[header.index("owner")].quotePrefix
    assert dict(got) == expected

    pivot = book["Pivot"]
    table = {row[0].value: {pivot.cell(1, c.column).value: c.value for c in row[1:]}
             for row in pivot.iter_rows(min_row=2)}
    by_status = Counter()
    by_owner = Counter()
    for (status, owner), n in expected.items():
        by_status[status[1] or "(unclassified)"] += n
        by_owner[owner or "(none)"] += n
    assert {k: v["Total"] for k, v in table.items() if k != "Total"} == dict(by_status)
    assert {k: v for k, v in table["Total"].items() if k != "Total"} == dict(by_owner)
    assert table["Total"]["Total"] == len(PEOPLE)
    assert table["Key Client"]["Dana Whitfield"] == 2  # Kim and Kit
    assert all(c.data_type != "f" for row in pivot.iter_rows() for c in row)


def test_report_rejects_bad_fields_and_unwritable_files(db, tmp_path):
    clean_failure(run("report", "--by", "status,colour", db=db), "cannot group by 'colour'")
    clean_failure(run("report", "--csv", str(tmp_path / "missing" / "x.csv"), db=db),
                  "cannot write")
    # a file type its name does not say, or one file for both: refused, nothing written
    clean_failure(run("report", "--csv", str(tmp_path / "r.xlsx"), db=db),
                  f"--csv {tmp_path / 'r.xlsx'}: the file name must end in .csv")
    clean_failure(run("report", "--xlsx", str(tmp_path / "r.csv"), db=db),
                  "the file name must end in .xlsx")
    clean_failure(run("report", "--csv", str(tmp_path / "r.csv"), "--xlsx", str(tmp_path / "r.csv"),
                      db=db), "--csv and --xlsx both name")
    assert not list(tmp_path.glob("r.*"))


# ------------------------------------------------------------------ backup / purge / restore
def test_purge_backs_up_then_deletes_and_restore_brings_them_back(db, tmp_path):
    ids = ids_by_name(db)
    for name in ("Uli Umber", "Uma Urn"):
        assert run("set-status", str(ids[name]), "d", db=db).returncode == 0
    backups = tmp_path / "bk"
    # a backup folder that does not exist is a typo: refused, nothing deleted
    clean_failure(run("purge", "--yes", "--backup-dir", str(backups), db=db),
                  "nothing was deleted", "does not exist")
    assert not backups.exists() and {"Uli Umber", "Uma Urn"} <= set(ids_by_name(db))
    backups.mkdir()
    result = run("purge", "--yes", "--backup-dir", str(backups), db=db)
    assert result.returncode == 0, result.stderr
    # their only history: the status change that marked them
    assert "deleted 2 contact(s) and 2 history row(s)" in result.stdout
    [backup] = list(backups.iterdir())
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with sqlite3.connect(backup) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM contacts")}
        assert {"Uli Umber", "Uma Urn"} <= names and len(names) == len(PEOPLE)
    assert set(ids_by_name(db)) == {p[0] for p in PEOPLE} - {"Uli Umber", "Uma Urn"}

    result = run("restore", str(backup), "--backup-dir", str(backups), db=db)
    assert result.returncode == 0, result.stderr
    assert set(ids_by_name(db)) == {p[0] for p in PEOPLE}
    assert len(list(backups.iterdir())) == 2  # the purge's, and the one taken before restoring


def test_purge_that_cannot_back_up_deletes_nothing(db, tmp_path):
    ids = ids_by_name(db)
    run("set-status", str(ids["Uma Urn"]), "d", db=db)
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    result = run("purge", "--yes", "--backup-dir", str(blocker / "sub"), db=db)
    clean_failure(result, "nothing was deleted", str(blocker / "sub"))
    assert "Uma Urn" in ids_by_name(db)


def test_purge_without_yes_asks_and_no_answer_keeps_everything(db):
    ids = ids_by_name(db)
    run("set-status", str(ids["Uma Urn"]), "d", db=db)
    result = run("purge", db=db, stdin="n\n")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "Uma Urn" in ids_by_name(db)


def test_backup_command_writes_a_dated_verified_file(db, tmp_path):
    result = run("backup", db=db)
    assert result.returncode == 0, result.stderr
    [backup] = list((tmp_path / "backups").iterdir())
    assert backup.name.startswith("cli-") and backup.suffix == ".db"
    assert f"({len(PEOPLE)} contacts" in result.stdout
    clean_failure(run("restore", str(tmp_path / "nope.db"), db=db), "no such backup file")

"""The plan, outcome, snooze, config and export commands through the entry
point, in a subprocess, with "today" pinned to Thursday 2026-12-03."""

from __future__ import annotations

import csv
import io
import json
import stat
from datetime import date

import pytest

from store import Store
from store.formats import open_records
from store.importer import ImportReport, import_records

from conftest import TODAY, make_record
from test_cli import assert_clean_error, run


@pytest.fixture
def db(tmp_path):
    """The small store's four contacts (see conftest) plus a new lead whose
    name and company look like formulas."""
    path = tmp_path / "cli.db"
    s = Store(path, today=TODAY)
    import_records(s, [
        make_record(2, "Kim Key", company="Acme", status="Key Client", email="kim@acme.test",
                    phone="+1 555 0100", reached=date(2026, 8, 1), emailed=date(2026, 11, 20)),
        make_record(3, "Pat Prospect", company="Bolt", status="prospect", phone="-555-0102",
                    reached=date(2026, 5, 1)),
        make_record(4, "Sam Second", company="Cogs", status="Secondary Client",
                    email="sam@cogs.test", phone="555-0103", reached=date(2026, 11, 1)),
        make_record(5, "Vic Vendor", company="Dyes", status="Vendor", email="vic@dyes.test",
                    phone="555-0104"),
        make_record(6, "=HYPERLINK(\"http://x.test\") Lee", company="@SUM(A1)", status="New Lead",
                    email="lee@lead.test", phone="+44 20 7946 0000", notes="-2+3"),
        make_record(7, "Del Gone", status="Delete", phone="555-0107"),
    ], ImportReport(file="t"))
    s.close()
    return path


def ids(db) -> dict[str, int]:
    return {c["name"]: c["id"] for c in json.loads(run("contacts", "--json", db=db).stdout)}


def queue(db, day: str = "2026-12-03") -> list[dict]:
    result = run("--today", day, "queue", "--json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_log_attempt_then_reached(db):
    kim = ids(db)["Kim Key"]
    result = run("log", str(kim), "call", "--outcome", "no-answer", "--note", "busy", "--json", db=db)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["next_call_due"], out["attempts"], out["held_until"]) == ("2026-10-30", 1, "2026-12-05")
    assert not [i for i in queue(db) if i["name"] == "Kim Key" and i["kind"] == "call"]
    [item] = [i for i in queue(db, "2026-12-05") if i["name"] == "Kim Key" and i["kind"] == "call"]
    assert (item["attempts"], item["overdue_days"], item["due"]) == (1, 36, "2026-10-30")
    result = run("log", str(kim), "call", "--outcome", "reached", "--date", "2026-12-01", db=db)
    assert result.returncode == 0, result.stderr
    assert "next call due 2027-03-01" in result.stdout  # Dec 1 + 90
    result = run("log", str(kim), "email", "--outcome", "sent", db=db)
    assert "next email due 2027-01-02" in result.stdout  # Dec 3 + 30


@pytest.mark.parametrize("args, needle", [
    (["call", "--outcome", "sent"], "not an outcome of a call"),
    (["email", "--outcome", "no-answer"], "not an outcome of an e-mail"),
    (["call", "--outcome", "shouted"], "--outcome"),
    (["call", "--outcome", "reached", "--date", "2026-12-04"], "after today"),
    (["call", "--outcome", "reached", "--date", "12/01/2026"], "YYYY-MM-DD"),
    (["fax", "--outcome", "sent"], "'fax' is not one of"),
])
def test_log_refuses_bad_input_and_changes_nothing(db, args, needle):
    kim = ids(db)["Kim Key"]
    before = queue(db)
    assert_clean_error(run("log", str(kim), *args, db=db), needle)
    assert queue(db) == before


def test_log_unknown_contact(db):
    assert_clean_error(run("log", "999", "call", "--outcome", "reached", db=db), "no contact with id 999")
    assert_clean_error(run("log", "kim", "call", "--outcome", "reached", db=db), "not a contact id")


def test_snooze_by_days_and_until(db):
    pat = ids(db)["Pat Prospect"]
    result = run("snooze", str(pat), "--days", "3", db=db)
    assert result.returncode == 0, result.stderr
    assert "until 2026-12-06" in result.stdout
    assert "Pat Prospect" not in [i["name"] for i in queue(db, "2026-12-05")]
    assert "Pat Prospect" in [i["name"] for i in queue(db, "2026-12-06")]
    run("snooze", str(pat), "--until", "2026-12-03", db=db)
    assert "Pat Prospect" in [i["name"] for i in queue(db)]
    assert_clean_error(run("snooze", str(pat), db=db), "--days N or --until")
    assert_clean_error(run("snooze", str(pat), "--days", "0", db=db), "--days")
    assert_clean_error(run("snooze", str(pat), "--until", "2026-11-30", db=db), "before today")


def test_config_capacity_levels_the_queue(db):
    assert run("config", "calls_per_day", "1", db=db).returncode == 0
    assert run("config", "working_days", db=db).stdout.strip() == "mon-fri"
    items = [i for i in queue(db) if i["kind"] == "call"]
    # Thu: Kim (key client).  Fri: the new lead (due since 2020).  Mon: the
    # lead again (every 3 days: Fri + 3), which outranks Pat.  Tue: Pat.
    assert [(i["name"], i["planned"], i["deferred"]) for i in items] == [
        ("Kim Key", "2026-12-03", False),
        ('=HYPERLINK("http://x.test") Lee', "2026-12-04", True),
        ("Pat Prospect", "2026-12-08", True),
    ]
    text = run("queue", db=db).stdout
    assert "1 for the day, 2 deferred" in text and "deferred to 2026-12-08" in text
    assert_clean_error(run("config", "calls_per_day", "lots", db=db), "not a whole number")
    assert_clean_error(run("config", "working_days", "weekdays", db=db), "'weekdays'")
    assert_clean_error(run("config", "phone_region", "Atlantis", db=db), "country code")
    assert run("config", "calls_per_day", db=db).stdout.strip() == "1"


def test_plan_json_against_hand_computation(db):
    run("config", "calls_per_day", "1", db=db)
    result = run("plan", "--json", db=db)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    rules = {r["status_key"]: r for r in report["rules"]}
    # one contact each; per working day = 1 / days × 7 / 5
    assert rules["K"]["calls_per_day"] == round(7 / 5 / 90, 2) == 0.02
    assert rules["K"]["emails_per_day"] == round(7 / 5 / 30, 2) == 0.05
    assert rules["N"]["calls_per_day"] == round(7 / 5 / 3, 2) == 0.47
    assert rules["V"]["contacts"] == 1 and rules["V"]["calls_per_day"] == 0
    calls = 7 / 5 * (1 / 90 + 1 / 180 + 1 / 3 + 1 / 182)
    assert report["total"]["calls_per_day"] == round(calls, 2)
    assert report["over"]["calls_per_day"] == 0
    for rule in report["rules"]:
        assert set(rule) >= {"status_key", "status", "call_days", "email_days", "contacts",
                             "calls_per_day", "emails_per_day"}
    assert len(report["forecast"]) == 13


def test_plan_export_is_a_readable_private_document(db, tmp_path):
    run("config", "calls_per_day", "1", db=db)
    run("--db", str(db), "config", "owner_name", "Robin", db=db)
    target = tmp_path / "plan.md"
    result = run("plan", "--export", str(target), db=db)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text()
    assert text.startswith("# Contact plan")
    assert "Written by Robin on 3 December 2026" in text
    assert "| K | Key Client | Clients you pay regular attention to. | every 90 days | every 30 days | 1 |" in text
    assert "| V | Vendor | Suppliers. | never | never | 1 |" in text
    assert "Daily capacity: 1 calls, no limit on e-mails." in text
    assert "comes back after 2 days" in text
    assert "| 3 Dec – 9 Dec 2026 |" in text
    # the same file again is refused unless forced
    assert_clean_error(run("plan", "--export", str(target), db=db), "already exists", "--force")
    assert run("plan", "--export", str(target), "--force", db=db).returncode == 0


def _csv_rows(path) -> list[dict]:
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_export_csv_neutralises_formulas_and_keeps_phones(db, tmp_path):
    target = tmp_path / "all.csv"
    result = run("export", str(target), db=db)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    rows = {r["Last Name"] or r["Contact"]: r for r in _csv_rows(target)}
    assert "Gone" not in rows  # marked for deletion: left out
    lee = rows['Lee']
    assert lee["Contact"] == "'=HYPERLINK(\"http://x.test\") Lee"
    assert lee["Company"] == "'@SUM(A1)"
    assert lee["Notes"] == "'-2+3"  # a sum, not a phone number: neutralised
    # phones too: a spreadsheet reads "-555-0102" as a sum (-657)
    assert lee["Phone"] == "'+44 20 7946 0000"
    assert rows["Key"]["Phone"] == "'+1 555 0100"
    assert rows["Prospect"]["Phone"] == "'-555-0102"
    assert rows["Key"]["ID/Status"] == "Key Client"
    assert rows["Key"]["Last Reach"] == "2026-08-01"
    # re-imported, the phones come back exactly as they were
    records = list(open_records(target).records)
    phones = {r.name: r.phone for r in records}
    assert phones["Kim Key"] == "+1 555 0100"
    assert phones["Pat Prospect"] == "-555-0102"
    assert {r.name: r.status_raw for r in records}["Sam Second"] == "Secondary Client"


def test_marketing_export_only_prospects_and_leads(db, tmp_path):
    target = tmp_path / "m.csv"
    assert run("export", str(target), "--marketing", db=db).returncode == 0
    assert sorted(r["ID/Status"] for r in _csv_rows(target)) == ["New Lead", "Prospect"]
    target2 = tmp_path / "m2.csv"
    assert run("export", str(target2), "--marketing", "--status", "k", db=db).returncode == 0
    assert sorted(r["ID/Status"] for r in _csv_rows(target2)) == ["Key Client", "New Lead", "Prospect"]
    target3 = tmp_path / "d.csv"
    assert run("export", str(target3), "--status", "d", db=db).returncode == 0
    assert [r["Contact"] for r in _csv_rows(target3)] == ["Del Gone"]


def test_marketing_export_follows_a_renamed_prospect_status(db, tmp_path):
    with Store(db, today=TODAY) as s:
        s.conn.execute("UPDATE statuses SET name = 'Possible buyer' WHERE name = 'Prospect'")
    target = tmp_path / "m.csv"
    assert run("export", str(target), "--marketing", db=db).returncode == 0
    assert sorted(r["ID/Status"] for r in _csv_rows(target)) == ["New Lead", "Possible buyer"]


def test_export_xlsx_cells_are_text_never_formulas(db, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "all.xlsx"
    result = run("export", str(target), db=db)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    ws = load_workbook(target).active
    header = [c.value for c in ws[1]]
    rows = [{h: c for h, c in zip(header, row)} for row in ws.iter_rows(min_row=2)]
    lee = next(r for r in rows if r["Last Name"].value == "Lee")
    assert lee["Contact"].value == '=HYPERLINK("http://x.test") Lee'  # kept literally...
    assert lee["Contact"].data_type == "s" and lee["Contact"].quotePrefix  # ...as text
    assert lee["Company"].data_type == "s" and lee["Company"].quotePrefix
    kim = next(r for r in rows if r["Last Name"].value == "Key")
    assert kim["Phone"].value == "+1 555 0100" and kim["Phone"].data_type == "s"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize("name, needle", [("out.txt", ".csv or .xlsx"),
                                          ("missing/out.csv", "does not exist")])
def test_export_bad_targets(db, tmp_path, name, needle):
    assert_clean_error(run("export", str(tmp_path / name), db=db), needle)


def test_export_refuses_to_overwrite(db, tmp_path):
    target = tmp_path / "keep.csv"
    target.write_text("precious")
    assert_clean_error(run("export", str(target), db=db), "already exists")
    assert target.read_text() == "precious"

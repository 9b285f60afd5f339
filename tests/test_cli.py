"""The CLI through its entry point, in a subprocess, as a script would use it."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from conftest import FIXTURES

ACT = FIXTURES / "act" / "act_export_300.csv"
needs_act = pytest.mark.skipif(not ACT.exists(), reason=f"shared fixture {ACT} not present")


def run(*args: str, db=None, today: str | None = "2026-12-03", env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAILYREACH_")}
    if db is not None:
        env["DAILYREACH_DB"] = str(db)
    if today:
        env["DAILYREACH_TODAY"] = today
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def assert_clean_error(result, *needles: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = result.stderr.strip().splitlines()
    assert lines, "expected an error message on stderr"
    for needle in needles:
        assert needle in result.stderr


@needs_act
def test_import_then_queue_json_has_hand_computed_due_dates(tmp_path):
    db = tmp_path / "act.db"
    result = run("import", str(ACT), "--json", db=db)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    # 300 rows, 3 pairs of rows share an e-mail in another case → 297 contacts
    assert (summary["rows"], summary["added"], summary["merged"]) == (300, 297, 3)

    result = run("queue", "--json", db=db)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    by = {(i["name"], i["company"], i["kind"]): i for i in items}

    # Miguel D'Angelo: "PROSPECT", Last Reach 5/10/2023, prospects called every
    # 182 days → due 2023-11-08; prospects get no e-mails.
    miguel = by[("Miguel D'Angelo", "Orchard Lane Vet", "call")]
    assert (miguel["due"], miguel["status_key"]) == ("2023-11-08", "P")
    assert ("Miguel D'Angelo", "Orchard Lane Vet", "email") not in by
    # Richard Van der Berg: "New Leads", Last Reach 8/18/2024, every 3 days → 2024-08-21.
    assert by[("Richard Van der Berg", "Harbor View Insurance", "call")]["due"] == "2024-08-21"
    # James Nguyen: "Secondary Client", Last Reach 4/16/2024 + 180 → 2024-10-13;
    # never e-mailed → e-mail due since his Create Date 6/14/2020.
    assert by[("James Nguyen", "Cedar & Pine LLC", "call")]["due"] == "2024-10-13"
    assert by[("James Nguyen", "Cedar & Pine LLC", "email")]["due"] == "2020-06-14"
    # Siobhán Müller (cp1252 decoded): "prospect", Last Reach 1/26/2024 + 182 → 2024-07-26.
    assert by[("Siobhán Müller", "Cedar & Pine LLC", "call")]["due"] == "2024-07-26"
    # Karen Smith is a "Former Client" (unclassified) and Mary Østergaard an
    # Employee: neither is ever due.
    names = {i["name"] for i in items}
    assert "Mary Østergaard" not in names
    assert not any(i["name"] == "Karen Smith" and i["company"] == "Granite Peak CPA" for i in items)
    # queue order: calls first, then e-mails; K before S before N before I before P
    kinds = [i["kind"] for i in items]
    assert kinds == sorted(kinds, key=["call", "email"].index)
    order = "KSNIP"
    for kind in ("call", "email"):
        keys = [i["status_key"] for i in items if i["kind"] == kind]
        assert keys == sorted(keys, key=order.index)
    for item in items:
        assert set(item) >= {"contact_id", "name", "kind", "due", "status_key"}
        assert item["due"] <= "2026-12-03"


@needs_act
def test_contacts_json_and_filters(tmp_path):
    db = tmp_path / "act.db"
    assert run("import", str(ACT), db=db).returncode == 0
    result = run("contacts", "--json", "--search", "fdubois30", db=db)
    [francois] = json.loads(result.stdout)
    assert francois["name"] == "François Dubois"
    assert francois["email"] == "fdubois30@example.org"
    assert (francois["status_key"], francois["status"], francois["status_raw"]) == (
        "E", "Employee", "employee")
    for key in ("id", "first_name", "last_name", "company", "phone", "status2"):
        assert key in francois
    unclassified = json.loads(run("contacts", "--json", "--status", "-", db=db).stdout)
    assert unclassified and all(c["status_key"] is None and c["status"] is None for c in unclassified)
    assert {c["status_raw"] for c in unclassified} >= {"Prosp.", "Customer", "???"}


def test_statuses_json_is_the_default_plan(tmp_path):
    result = run("statuses", "--json", db=tmp_path / "s.db")
    assert not (tmp_path / "s.db").exists()  # shown without creating a database
    rows = json.loads(result.stdout)
    got = {r["key"]: (r["name"], r["call_days"], r["email_days"]) for r in rows}
    assert got["K"] == ("Key Client", 90, 30)
    assert got["S"] == ("Secondary Client", 180, 90)
    assert got["I"] == ("Inactive Client", 365, 90)
    assert got["P"] == ("Prospect", 182, None)
    assert got["N"][0] == "New Lead" and got["N"][2] is None
    assert got["E"] == ("Employee", None, None)
    assert got["V"] == ("Vendor", None, None)
    assert got["D"] == ("Delete", None, None)
    assert len({r["key"] for r in rows}) == len(rows) == 9


def test_demo_uses_a_throwaway_database(tmp_path):
    real = tmp_path / "real.db"
    result = run("--demo", "queue", "--json", db=real)
    assert result.returncode == 0, result.stderr
    assert {i["kind"] for i in json.loads(result.stdout)} == {"call", "email"}
    assert not real.exists()


def test_db_option_beats_environment(tmp_path):
    env_db, opt_db = tmp_path / "env.db", tmp_path / "opt.db"
    assert run("--db", str(opt_db), "config", "owner_name", "Mo", db=env_db).returncode == 0
    assert opt_db.exists() and not env_db.exists()


@pytest.mark.parametrize("content, needle", [
    (None, "no such file"),
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    (b"foo,bar\n1,2\n", "no contact columns"),
])
def test_bad_import_files_fail_cleanly_and_change_nothing(tmp_path, content, needle):
    db = tmp_path / "x.db"
    assert run("import", "--json", str(_write(tmp_path, b"Contact,E-mail\nAnn,ann@x.test\n")),
               db=db).returncode == 0
    path = tmp_path / "bad.csv"
    if content is not None:
        path.write_bytes(content)
    result = run("import", str(path), db=db)
    assert_clean_error(result, needle, str(path))
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1


def _write(tmp_path, data: bytes):
    path = tmp_path / "good.csv"
    path.write_bytes(data)
    return path


def test_bad_today_and_bad_database_fail_cleanly(tmp_path):
    assert_clean_error(run("queue", db=tmp_path / "a.db", today="2026-02-30"), "YYYY-MM-DD")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    assert_clean_error(run("queue", db=junk), str(junk))
    assert run("config", "owner_name", "Mo", db=tmp_path / "b.db").returncode == 0
    assert_clean_error(run("contacts", "--status", "Q", db=tmp_path / "b.db"), "no status has the key")
    one_line = run("queue", db=tmp_path / "b.db", today=None, env_extra={"DAILYREACH_TODAY": ""})
    assert one_line.returncode == 0  # an empty DAILYREACH_TODAY means "not pinned"
    bad = run("--today", "", "queue", db=tmp_path / "b.db", today=None)
    assert_clean_error(bad, "--today")
    assert len(bad.stderr.strip().splitlines()) == 1


def test_read_only_commands_never_create_a_database(tmp_path):
    typo = tmp_path / "no-such-folder" / "x.db"
    assert_clean_error(run("queue", db=typo), "no database at")
    assert_clean_error(run("contacts", db=tmp_path / "missing.db"), "no database at")
    assert not (tmp_path / "missing.db").exists() and not typo.parent.exists()
    # a write command into a folder that does not exist is refused too
    assert_clean_error(run("import", str(tmp_path / "x.csv"), db=typo), "does not exist")
    assert not typo.parent.exists()


def test_demo_refuses_an_explicit_db(tmp_path):
    result = run("--demo", "--db", str(tmp_path / "real.db"), "queue")
    assert_clean_error(result, "--demo")
    assert not (tmp_path / "real.db").exists()


def test_search_matches_formatted_phones_and_ignores_accents(tmp_path):
    db = tmp_path / "p.db"
    csv_file = _write(tmp_path, "Contact,Company,Phone,E-mail\r\n"
                      "François Müller,Café Ørsted,(348) 555-0133,fm@x.test\r\n"
                      "Bob Other,Acme,212-555-0199,bob@x.test\r\n".encode())
    assert run("import", str(csv_file), db=db).returncode == 0
    for query in ("348-555-0133", "(348) 555-0133", "3485550133", "francois muller", "orsted"):
        found = json.loads(run("contacts", "--json", "--search", query, db=db).stdout)
        assert [c["name"] for c in found] == ["François Müller"], query
    for alias in ("-", "?"):
        assert json.loads(run("contacts", "--json", "--status", alias, db=db).stdout) != []


def test_owner_name_renames_the_personal_status_and_clashes_are_refused(tmp_path):
    db = tmp_path / "o.db"
    assert run("config", "owner_name", db=db).stdout.strip() == "Me"
    result = run("config", "owner_name", "Tony", db=db)
    assert result.returncode == 0, result.stderr
    keys = {r["key"]: r["name"] for r in json.loads(run("statuses", "--json", db=db).stdout)}
    assert keys["T"] == "Tony" and "M" not in keys
    # "Kim" starts with K, like Key Client: refused, naming both
    assert_clean_error(run("config", "owner_name", "Kim", db=db), "Key Client", "Kim")
    assert run("config", "owner_name", db=db).stdout.strip() == "Tony"
    assert_clean_error(run("config", "colour", "red", db=db), "unknown setting")


@pytest.mark.skipif(not shutil.which("script"), reason="needs util-linux 'script' for a pseudo-terminal")
def test_tui_on_a_damaged_database_exits_with_one_line_no_traceback(tmp_path):
    from store import Store
    from store.importer import ImportReport, import_records
    from conftest import make_record

    db = tmp_path / "damaged.db"
    store = Store(db)
    import_records(store, [make_record(i, f"Person {i}", status="Prospect", phone=f"555-{i:04d}")
                           for i in range(2, 4002)], ImportReport(file="t"))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    size = db.stat().st_size
    with open(db, "r+b") as f:  # wreck the second half: contact and index pages
        f.seek(size // 2)
        f.write(b"\xff" * (size - size // 2))
    command = f"{sys.executable} -m tui --db {db}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAILYREACH_")}
    env["DAILYREACH_TODAY"] = "2026-12-03"
    result = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True,
                            text=True, env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode != 0
    assert "Traceback" not in result.stdout and "locals" not in result.stdout
    assert f"dailyreach: error: {db}" in result.stdout


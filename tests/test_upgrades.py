"""A database written by every earlier schema version opens and upgrades
without loss.

Each old database is made here: the schema steps up to (not including) one
step, then data written with plain SQL as that version of the app stored it
(derived due dates included, worked out by hand).  Opening it with Store
applies the remaining steps; every row must come back unchanged, and queue,
search and "done today" must work on the old data.
"""

from __future__ import annotations

import sqlite3

import pytest

from store import Store
from store.schema import STEP_NAMES, build_migrations
from store.text import strip_invisible

from conftest import TODAY

TABLES = ("settings", "statuses", "contacts", "activities", "status_map")
# derived keys an upgrade may rebuild (m006_searchable_text drops invisible characters)
REBUILT = {("contacts", "search_text"), ("contacts", "sort_name")}

# (id, name, first, last, company, email, phone, status_id, status_raw, notes,
#  created, last_call_reached, last_email_sent, call_attempts, next_call_due, next_email_due,
#  sort_name, search_text)
CONTACTS = [
    # Key Client (id 1, 90/30): reached 2026-08-01 → call due 2026-10-30;
    # e-mailed 2026-11-20 → e-mail due 2026-12-20 (not yet on 2026-12-03)
    (1, "Kim Key", "Kim", "Key", "Acme", "kim@acme.test", "(212) 555-0101", 1, "Key Client",
     "Prefers mornings.\nAsk for Robin.", "2020-01-01", "2026-08-01", "2026-11-20", 0,
     "2026-10-30", "2026-12-20", "key kim", "kim key acme kim@acme.test (212) 555-0101 2125550101"),
    # Prospect (id 5, 182/-): reached today → next call 2027-06-03; no e-mail plan
    (2, "Dana Done", "Dana", "Done", "Bolt", None, "555-0102", 5, "prospect", None,
     "2021-03-04", "2026-12-03", None, 0, "2027-06-03", None,
     "done dana", "dana done bolt 555-0102 5550102"),
    # unclassified, stored by an older version with zero-width and tag characters
    (3, "Zo\u200bë Tag\U000e0041ged", "Zo\u200bë", "Tag\U000e0041ged", "", "zoe@x.test", None,
     None, "Customer", None, "2022-05-06", None, None, 0, None, None,
     "tag\U000e0041ged zo\u200bë", "zo\u200bë tag\U000e0041ged zoe@x.test"),
]
ACTIVITIES = [
    (1, "call", "reached", "2026-08-01", "Happy [bold]so far[/bold]", None, None, "import"),
    (1, "email", "sent", "2026-11-20T09:15:00", None, None, None, "app"),
    (1, "status", None, "2025-02-02T10:00:00", "set by import", None, "Key Client", "import"),
    (2, "call", "reached", "2026-12-03T10:30:00", "Reached today\nsecond line", None, None, "app"),
    (3, "note", None, "2024-01-01", "Old note", None, None, "import"),
]


def seed_old_version(path, *, invisible: bool = True) -> None:
    """The rows above; ``invisible``: as a version before store.text.clean
    dropped zero-width and tag characters stored them."""
    contacts = [tuple(strip_invisible(v) if isinstance(v, str) and not invisible else v
                      for v in c) for c in CONTACTS]
    conn = sqlite3.connect(path)
    conn.executemany(
        "INSERT INTO contacts (id, name, first_name, last_name, company, email, email_norm, emails,"
        " phone, phones, status_id, status_raw, notes, created_at, updated_at, last_call_reached,"
        " last_email_sent, call_attempts, next_call_due, next_email_due, sort_name, search_text)"
        " VALUES (?, ?, ?, ?, ?, ?, lower(?), json_array(json_object('type', 'work', 'value', ?)),"
        " ?, json_array(json_object('type', 'work', 'value', ?)), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?)",
        [(c[0], c[1], c[2], c[3], c[4], c[5], c[5], c[5], c[6], c[6], c[7], c[8], c[9], c[10],
          c[10], *c[11:]) for c in contacts])
    conn.executemany(
        "INSERT INTO activities (contact_id, kind, outcome, at, note, old_status, new_status,"
        " source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ACTIVITIES)
    conn.execute("INSERT INTO status_map (raw_norm, status_id) VALUES ('customer', 2)")
    conn.execute("INSERT INTO settings (key, value) VALUES ('colour', 'blue')")
    conn.commit()
    conn.close()


def dump(path) -> dict[str, tuple[list[str], list[tuple]]]:
    conn = sqlite3.connect(path)
    out = {}
    for table in TABLES:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        rows = conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid").fetchall()
        if table == "settings":  # "_..." keys are one-off markers an upgrade consumes
            rows = [r for r in rows if not r[cols.index("key")].startswith("_")]
        out[table] = (cols, rows)
    conn.close()
    return out


@pytest.mark.parametrize("first_missing", STEP_NAMES[1:])
def test_every_earlier_version_upgrades_without_loss(tmp_path, first_missing):
    import sqlite_utils

    path = tmp_path / f"before-{first_missing}.db"
    old = sqlite_utils.Database(path)
    build_migrations().apply(old, stop_before=first_missing)
    old.close()
    seed_old_version(path, invisible=first_missing in STEP_NAMES[:STEP_NAMES.index(
        "m006_searchable_text") + 1])
    before = dump(path)
    assert len(before["contacts"][1]) == 3 and len(before["activities"][1]) == 5

    store = Store(path, today=TODAY)
    applied = [r[0] for r in store.conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    assert applied == list(STEP_NAMES)

    # every row and every column the old version had is still there, unchanged
    for table, (cols, rows) in before.items():
        after = store.conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid").fetchall()
        if table == "settings":
            after = [r for r in after if not r[cols.index("key")].startswith("_")]
        assert len(after) == len(rows), table
        for old_row, new_row in zip(rows, after):
            for col, old_value, new_value in zip(cols, old_row, new_row):
                if (table, col) in REBUILT:
                    assert new_value == strip_invisible(old_value), (table, col)
                elif (table, col) == ("statuses", "role") and old_value is None:
                    # m005 gives Prospect and New Lead the roles marketing
                    # exports select by; every other status keeps none
                    name = old_row[cols.index("name")]
                    assert new_value == {"Prospect": "prospect", "New Lead": "lead"}.get(name)
                else:
                    assert new_value == old_value, (table, col)

    # the old data works: queue, search, done today, derived columns
    assert [(i.name, i.kind, i.due.isoformat()) for i in store.queue()] == [
        ("Kim Key", "call", "2026-10-30")]
    assert store.done_today() == {"call": 1, "email": 0}
    assert [c["id"] for c in store.contacts(search="zoë")] == [3]
    assert [c["id"] for c in store.contacts(search="tagged")] == [3]
    assert [c["id"] for c in store.contacts(search="2125550101")] == [1]
    assert [c["id"] for c in store.contacts(search="555-01")] == [2, 1]  # name order
    assert [c["name"] for c in store.contacts()] == ["Dana Done", "Kim Key", before["contacts"][1][2][1]]
    derived = store.conn.execute(
        "SELECT last_call_reached, last_email_sent, call_attempts, next_call_due, next_email_due"
        " FROM contacts ORDER BY id").fetchall()
    store.rebuild_derived()
    assert store.conn.execute(
        "SELECT last_call_reached, last_email_sent, call_attempts, next_call_due, next_email_due"
        " FROM contacts ORDER BY id").fetchall() == derived
    # a change after the upgrade is searchable at once
    store.set_status([3], "p")
    assert store.contact(3)["status_key"] == "P"
    store.conn.execute("INSERT INTO contacts_fts (contacts_fts) VALUES ('integrity-check')")
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


def test_current_version_opens_without_running_any_step(tmp_path):
    path = tmp_path / "now.db"
    Store(path, today=TODAY).close()
    seed_old_version(path)
    before = dump(path)
    Store(path, today=TODAY).close()
    assert dump(path) == before

"""Counts the screens re-read on every reload are remembered while the
database is unchanged, and never outlive a change by anyone."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from store import Store

from conftest import TODAY, contact_id


def direct_counts(store: Store, day: date, kind: str) -> list[tuple[int, int]]:
    """Second method: one grouped query, no cache."""
    col, days = {"call": ("next_call_due", "call_days"), "email": ("next_email_due", "email_days")}[kind]
    return [tuple(r) for r in store.conn.execute(
        f"SELECT c.status_id, count(*) FROM contacts c JOIN statuses s ON s.id = c.status_id"
        f" WHERE c.{col} <= ? AND s.{days} IS NOT NULL GROUP BY c.status_id ORDER BY s.position",
        [day.isoformat()])]


def agree(store: Store, day: date = TODAY) -> None:
    for kind in ("call", "email"):
        assert store.queue_counts(day, kind) == direct_counts(store, day, kind), kind
    assert store.count_contacts() == store.conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
    assert store.count_contacts(search="acme") == len(store.contacts(search="acme"))


def test_counts_follow_every_kind_of_change(small_store, tmp_path):
    agree(small_store)
    assert small_store.queue_counts(kind="call") == [(1, 1), (5, 1)]  # Kim (K), Pat (P)
    pat = contact_id(small_store, "Pat Prospect")
    vic = contact_id(small_store, "Vic Vendor")

    small_store.set_status([pat], "k")  # a write through this store
    agree(small_store)
    assert small_store.queue_counts(kind="call") == [(1, 2)]

    other = Store(small_store.path, today=TODAY)  # another window
    other.set_status([vic], "p")
    agree(small_store)
    assert small_store.queue_counts(kind="call") == [(1, 2), (5, 1)]
    other.close()

    raw = sqlite3.connect(small_store.path)  # any other program
    raw.execute("UPDATE contacts SET company = 'Acme Two', search_text = search_text || ' acme'"
                " WHERE id = ?", [vic])
    raw.commit()
    raw.close()
    agree(small_store)
    assert small_store.count_contacts(search="acme") == 2

    with pytest.raises(RuntimeError):  # a write that is rolled back
        with small_store.transaction() as conn:
            conn.execute("UPDATE contacts SET next_call_due = NULL")
            agree(small_store)  # inside the transaction: its own view
            assert small_store.queue_counts(kind="call") == []
            raise RuntimeError
    agree(small_store)
    assert small_store.queue_counts(kind="call") == [(1, 2), (5, 1)]

    agree(small_store, date(2020, 1, 1))  # another day is another count
    # only Vic, a prospect never called, is due then: from his arrival, 2020-01-01
    assert small_store.queue_counts(date(2020, 1, 1), "call") == [(5, 1)]


def test_unchanged_database_is_not_counted_again(small_store):
    first = small_store.queue_counts(kind="call")
    queries = []
    small_store.conn.set_trace_callback(queries.append)
    assert small_store.queue_counts(kind="call") == first
    assert small_store.count_contacts() == 4 == small_store.count_contacts()
    small_store.conn.set_trace_callback(None)
    assert [q for q in queries if "count(" in q] == ["SELECT count(*) FROM contacts c"]

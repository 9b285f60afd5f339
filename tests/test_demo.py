"""The demo generator: realistic, deterministic, always has work queued."""

from __future__ import annotations

from datetime import date

import pytest

from store.db import ENV_DB, Store
from store.demo import build_demo
from store.scheme import match_status

TODAY = date(2026, 12, 3)


def _build(tmp_path, today=TODAY, name="demo.db", **kwargs) -> Store:
    store = Store(tmp_path / name, today=today)
    build_demo(store, **kwargs)
    return store


@pytest.fixture
def demo(tmp_path):
    store = _build(tmp_path)
    yield store
    store.close()


def _snapshot(store: Store) -> list:
    """Contacts and their history, without the wall-clock update stamp."""
    rows = []
    for contact in store.contacts():
        contact.pop("updated_at")
        history = [(a["kind"], a["outcome"], a["at"], a["note"]) for a in store.history(contact["id"])]
        rows.append((contact, history))
    return rows


def test_count_and_report(tmp_path):
    store = Store(tmp_path / "d.db", today=TODAY)
    report = build_demo(store, count=120)
    assert store.count_contacts() == 120
    assert report.added == 120 and report.merged == 0
    assert report.unclassified == store.count_contacts(status="-")
    assert report.format == "demo"


def test_default_count(demo):
    assert len(demo.contacts()) == 300


def test_deterministic(tmp_path):
    first = _build(tmp_path, name="a.db")
    second = _build(tmp_path, name="b.db")
    assert _snapshot(first) == _snapshot(second)
    other = _build(tmp_path, name="c.db", seed=8)
    assert _snapshot(other) != _snapshot(first)


@pytest.mark.parametrize("today", [TODAY, date(2027, 6, 15), date(2030, 1, 1), date(2026, 2, 28)])
def test_queue_has_calls_and_emails_any_day(tmp_path, today):
    store = _build(tmp_path, today=today)
    queue = store.queue()
    calls = [q for q in queue if q.kind == "call"]
    emails = [q for q in queue if q.kind == "email"]
    assert calls and emails
    assert all(q.due <= today for q in queue)
    assert all(q.phone for q in calls) and all(q.email for q in emails)
    keys = {q.status_key for q in calls}
    assert {"K", "N", "P"} <= keys  # overdue key clients, fresh leads, prospects
    # Tomorrow's queue is not empty either: the plan keeps producing work.
    assert store.queue(date.fromordinal(today.toordinal() + 1))


def test_status_mix(demo):
    contacts = demo.contacts()
    statuses = demo.statuses()
    unclassified = [c for c in contacts if c["status_key"] is None]
    assert 0.12 <= len(unclassified) / len(contacts) <= 0.25
    # Raw text is kept, and it really names no status.
    kept = [c["status_raw"] for c in unclassified if c["status_raw"]]
    assert len(kept) >= len(unclassified) * 0.7
    assert all(match_status(raw, statuses) is None for raw in kept)
    assert {"Prosp.", "Customer"} & set(kept)
    # Classified contacts got the status their raw text names, in many spellings.
    for c in contacts:
        if c["status_key"]:
            assert match_status(c["status_raw"], statuses).key == c["status_key"]
    spellings = {c["status_raw"] for c in contacts if c["status_key"] == "P"}
    assert len(spellings) >= 3
    share = {k: sum(c["status_key"] == k for c in contacts) / len(contacts) for k in "KSIPN"}
    assert 0.05 <= share["K"] <= 0.12 and 0.25 <= share["P"] <= 0.45
    assert share["S"] > 0 and share["I"] > 0 and share["N"] > 0
    assert {"E", "V", "D"} <= {c["status_key"] for c in contacts}


def test_nothing_in_the_future(demo):
    for c in demo.contacts():
        assert date.fromisoformat(c["created_at"][:10]) <= TODAY
        for act in demo.history(c["id"]):
            assert date.fromisoformat(act["at"][:10]) <= TODAY
            assert act["at"][:10] >= c["created_at"][:10]


def test_history_shape(demo):
    contacts = demo.contacts()
    leads = [c for c in contacts if c["status_key"] == "N"]
    assert leads and all((TODAY - date.fromisoformat(c["created_at"])).days <= 7 for c in leads)
    key_reach = [date.fromisoformat(c["last_call_reached"]) for c in contacts
                 if c["status_key"] == "K" and c["last_call_reached"]]
    assert key_reach and all(60 <= (TODAY - d).days <= 120 for d in key_reach)
    assert any((TODAY - d).days > 90 for d in key_reach)  # some overdue
    prospects = [c for c in contacts if c["status_key"] == "P"]
    assert any(c["last_call_reached"] is None for c in prospects)
    kinds = {(a["kind"], a["outcome"]) for c in contacts for a in demo.history(c["id"])}
    assert {("call", "reached"), ("call", "attempt"), ("email", "sent"),
            ("meeting", "held"), ("note", None)} <= kinds
    assert any(c["call_attempts"] for c in contacts)


def test_realistic_fields(demo):
    contacts = demo.contacts()
    names = " ".join(c["name"] for c in contacts)
    assert any(ord(ch) > 127 for ch in names)
    emails = [c["email"] for c in contacts if c["email"]]
    assert len(set(e.casefold() for e in emails)) == len(emails)
    assert all(e.split("@")[1].endswith((".example", "example.com", "example.org",
                                         "example.net", ".test")) for e in emails)
    assert 0 < sum(not c["email"] for c in contacts) < 30
    assert 0 < sum(not c["phone"] for c in contacts) < 30
    phones = {c["phone"] for c in contacts if c["phone"]}
    assert any("(" in p for p in phones) and any("." in p for p in phones)
    assert all("555" in p for p in phones)
    owners = {c["owner"] for c in contacts}
    assert 2 <= len(owners) <= 3 and None not in owners
    texts = [c["notes"] or "" for c in contacts]
    texts += [a["note"] or "" for c in contacts for a in demo.history(c["id"])]
    assert any("\n" in t for t in texts)
    assert any("[bold]" in t for t in texts) and any('"' in t for t in texts)


def test_never_touches_the_real_database(tmp_path, monkeypatch):
    real = tmp_path / "real" / "dailyreach.db"
    monkeypatch.setenv(ENV_DB, str(real))
    store = _build(tmp_path, name="demo.db", count=50)
    store.close()
    assert not real.exists() and not real.parent.exists()

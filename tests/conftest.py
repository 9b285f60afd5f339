"""Shared fixtures: a store with a pinned "today" and hand-made contacts."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

from store import Store
from store.importer import Activity, ImportReport, Record, import_records

# The property tests draw the same examples on every run ("ci", the
# default), so a run that lands cannot fail on a case no earlier run saw;
# HYPOTHESIS_PROFILE=explore draws new ones each run, to hunt for bugs
# (each case it finds goes into the tests as an explicit example).
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TODAY = date(2026, 12, 3)
#: The shared test inputs lie beside the checkout (../shared/fixtures);
#: DAILYREACH_FIXTURES points elsewhere.  Tests that need them skip when absent.
FIXTURES = Path(os.environ.get("DAILYREACH_FIXTURES")
                or Path(__file__).resolve().parents[2] / "shared" / "fixtures")


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    """No test may touch the user's real database, config or keymap."""
    monkeypatch.setenv("DAILYREACH_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("DAILYREACH_KEYMAP", str(tmp_path / "no-keymap.json"))
    monkeypatch.delenv("DAILYREACH_TODAY", raising=False)


@pytest.fixture
def keymap(tmp_path, monkeypatch):
    """Write a keymap.json for the app to read: ``keymap('{"app.contacts": "f12"}')``;
    returns its path."""
    def write(text: str) -> Path:
        path = tmp_path / "keymap.json"
        path.write_text(text)
        monkeypatch.setenv("DAILYREACH_KEYMAP", str(path))
        return path

    return write


def make_record(line: int, name: str, *, company: str = "", status: str = "",
                email: str = "", phone: str = "", created: date | None = None,
                reached: date | None = None, emailed: date | None = None,
                notes: str = "") -> Record:
    first, _, last = name.partition(" ")
    rec = Record(line=line, name=name, first_name=first, last_name=last, company=company,
                 status_raw=status, notes=notes, created=created or date(2020, 1, 1))
    if email:
        rec.emails.append({"type": "work", "value": email})
    if phone:
        rec.phones.append({"type": "work", "value": phone})
    if reached:
        rec.activities.append(Activity("call", "reached", reached))
    if emailed:
        rec.activities.append(Activity("email", "sent", emailed))
    return rec


@pytest.fixture
def small_store(tmp_path) -> Store:
    """Four contacts whose queue on TODAY is worked out by hand:

    - Kim Key (Key Client, 90/30): reached 2026-08-01 → call due 2026-10-30;
      e-mailed 2026-11-20 → e-mail due 2026-12-20 (not yet).
    - Pat Prospect (Prospect, 182/-): reached 2026-05-01 → call due 2026-10-30.
    - Sam Second (Secondary, 180/90): reached 2026-11-01 → call due 2027-04-30
      (not yet); never e-mailed → e-mail due since created 2020-01-01.
    - Vic Vendor (Vendor): never due.

    Queue order on TODAY: calls Kim (K), Pat (P); e-mails Sam (S).
    """
    store = Store(tmp_path / "small.db", today=TODAY)
    records = [
        make_record(2, "Kim Key", company="Acme", status="Key Client", email="kim@acme.test",
                    phone="555-0101", reached=date(2026, 8, 1), emailed=date(2026, 11, 20)),
        make_record(3, "Pat Prospect", company="Bolt", status="prospect", phone="555-0102",
                    reached=date(2026, 5, 1)),
        make_record(4, "Sam Second", company="Cogs", status="Secondary Client",
                    email="sam@cogs.test", phone="555-0103", reached=date(2026, 11, 1)),
        make_record(5, "Vic Vendor", company="Dyes", status="Vendor", email="vic@dyes.test",
                    phone="555-0104"),
    ]
    import_records(store, records, ImportReport(file="test"))
    yield store
    store.close()


def contact_id(store: Store, name: str) -> int:
    [match] = [c for c in store.contacts() if c["name"] == name]
    return match["id"]

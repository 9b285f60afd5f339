"""Generated data for scripts/bench.py: large databases and Act!-style CSV files.

:func:`generate_db` writes contacts and their history straight into the schema
that :class:`store.Store` creates, with ``executemany`` in one transaction,
then lets ``Store.rebuild_derived()`` compute the due dates from that history.
It bypasses the importer on purpose: the importer reads, cleans and merges
record by record (its throughput is measured separately, against a CSV file
from :func:`write_act_csv`), and a million contacts through it would make
every benchmark run wait minutes for its data.

Everything depends only on the seed and the pinned day, so two runs build the
same database.  All names, companies, addresses and numbers are made up.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path

from store import Store
from store.db import search_text, sort_name
from store.demo import FIRST, LAST

TODAY = date(2026, 12, 3)

# Surnames are built from syllables so a million contacts do not share a
# handful of names (search selectivity would be unrealistic otherwise).
_SYL = ["an", "ber", "cas", "del", "en", "fal", "gor", "han", "is", "jor", "kel", "lin",
        "mar", "nor", "ost", "pel", "quin", "ros", "sal", "tor", "ul", "van", "wes", "yor",
        "zan", "bro", "che", "dra", "fen", "gil"]
_MORE_FIRST = ["Alex", "Beatriz", "Chen", "Dana", "Emeka", "Fatima", "Gustav", "Hana", "Ivan",
               "Julia", "Kenji", "Lena", "Mateo", "Nadia", "Oscar", "Priya", "Rafael", "Sofia",
               "Tomás", "Valentina", "William", "Yara", "Zeynep", "Aiko", "Bram", "Camille"]
_CO_A = ["Blue", "North", "Harbor", "Summit", "Copper", "Maple", "Iron", "Silver", "Cedar",
         "Granite", "Lantern", "Orchid", "River", "Stone", "Sun", "Tide", "Vista", "Willow",
         "Falcon", "Atlas", "Beacon", "Crescent", "Delta", "Ember", "Frontier", "Golden"]
_CO_B = ["Logistics", "Dental", "Software", "Print", "Insurance", "Media", "Plumbing",
         "Builders", "Catering", "Marine", "Clinic", "Realty", "Security", "Veterinary",
         "Optics", "Farms", "Design", "Consulting", "Motors", "Foods", "Energy", "Labs"]
_CO_C = ["Inc.", "LLC", "GmbH", "Ltd", "Co.", "Group", "& Sons", "Partners", "AG", "SA", ""]
_TITLES = ["Owner", "CEO", "Office Manager", "Purchasing Manager", "VP Sales", "CFO",
           "Operations Director", "IT Manager", "Partner", "Buyer", ""]
_OWNERS = ["Dana Whitfield", "Marco Bellini", "Priya Raman"]
_DOMAINS = ["example.com", "example.org", "example.net", "mail.test", "inbox.test"]
_NOTES = ["Prefers calls after 3pm.", "Met at the spring expo.\nAsked about pricing.",
          "Renewal handled by head office.", "Busy season; keep it short.", None, None, None]

# (status name or None for unclassified, weight, raw text as imported)
_STATUS_MIX = [
    ("Key Client", 7, "Key Client"), ("Secondary Client", 11, "Secondary Client"),
    ("New Lead", 4, "New Lead"), ("Inactive Client", 9, "Inactive Client"),
    ("Prospect", 38, "Prospect"), ("Employee", 2, "Employee"), ("Me", 1, "Me"),
    ("Vendor", 3, "Vendor"), ("Delete", 3, "Delete"),
    (None, 22, "Prosp."),  # unclassified: an imported value no status matches
]
# Contact cadence per status, for a plausible history: (reached days ago lo, hi)
_REACHED = {"Key Client": (20, 120), "Secondary Client": (60, 300), "Inactive Client": (150, 700),
            "Prospect": (60, 900), "New Lead": (0, 10)}


def _pick(r, seq):
    return seq[int(r() * len(seq))]


def _surname(r) -> str:
    if r() < 0.25:
        return _pick(r, LAST)
    n = 2 if r() < 0.6 else 3
    return "".join(_pick(r, _SYL) for _ in range(n)).capitalize()


def _phone(r) -> str:
    area, num = 201 + int(r() * 789), int(r() * 10_000_000)
    mid, end = num // 10000, num % 10000
    fmt = int(r() * 4)
    if fmt == 0:
        return f"({area}) {mid:03d}-{end:04d}"
    if fmt == 1:
        return f"+1 {area} {mid:03d} {end:04d}"
    if fmt == 2:
        return f"{area}.{mid:03d}.{end:04d}"
    return f"{area}-{mid:03d}-{end:04d}"


_KINDS = ["call"] * 5 + ["email"] * 3 + ["meeting", "note"]
_CALL_OUTCOMES = ["reached", "attempt", "attempt"]
_OUTCOME = {"email": "sent", "meeting": "held", "note": None}


def contact_rows(n: int, seed: int = 1, today: date = TODAY):
    """Yield (contact fields, activities) for ``n`` made-up contacts.

    Plain ``random()`` arithmetic rather than ``choice``/``choices``: a
    million contacts is ~30 million draws, and this halves the time.
    """
    r = random.Random(seed).random
    mix = [entry for name, weight, raw in _STATUS_MIX for entry in [(name, raw)] * weight]
    firsts = FIRST + _MORE_FIRST
    # history ends yesterday: nothing is "done today" before the user starts
    days = [(today - timedelta(days=d)).isoformat() for d in range(4002)]
    for i in range(1, n + 1):
        status_name, raw = _pick(r, mix)
        first, last = _pick(r, firsts), _surname(r)
        company = (f"{_pick(r, _CO_A)} {_pick(r, _CO_B)} {_pick(r, _CO_C)}".rstrip()
                   if r() < 0.85 else "")
        emails = []
        if r() > 0.06:
            local = f"{first}.{last}".encode("ascii", "ignore").decode().lower()
            emails.append({"type": "work", "value": f"{local}{i}@{_pick(r, _DOMAINS)}"})
        phones = []
        if r() > 0.05:
            phones.append({"type": "work", "value": _phone(r)})
            if r() < 0.3:
                phones.append({"type": "mobile", "value": _phone(r)})
        age = int(r() * 11) if status_name == "New Lead" else int(r() * 4001)
        acts = []
        # several activities per contact: calls, attempts, e-mails, meetings, notes
        for _ in range(1 + int(r() * 7)):
            kind = _pick(r, _KINDS)
            outcome = _pick(r, _CALL_OUTCOMES) if kind == "call" else _OUTCOME[kind]
            acts.append((kind, outcome, days[1 + int(r() * age)], _pick(r, _NOTES)))
        lo_hi = _REACHED.get(status_name)
        if lo_hi and r() < 0.85:
            ago = max(1, min(lo_hi[0] + int(r() * (lo_hi[1] - lo_hi[0])), age))
            acts.append(("call", "reached", days[ago], None))
        yield {
            "id": i, "name": f"{first} {last}", "first_name": first, "last_name": last,
            "company": company, "title": _pick(r, _TITLES) if company else "",
            "emails": emails, "phones": phones, "status_name": status_name, "status_raw": raw,
            "owner": _pick(r, _OWNERS), "notes": _pick(r, _NOTES), "created": days[age],
        }, acts


def generate_db(path: Path, n: int, seed: int = 1, today: date = TODAY) -> None:
    """A database of ``n`` contacts with several activities each (see module doc)."""
    store = Store(path, today=today)
    ids = {s.name: s.id for s in store.statuses()}
    now = f"{today.isoformat()}T09:00:00"
    contacts, activities = [], []

    def flush(conn) -> None:
        conn.executemany(
            """INSERT INTO contacts (id, name, first_name, last_name, company, title, email,
                email_norm, emails, phone, phones, status_id, status_raw, owner, notes, extra,
                created_at, updated_at, sort_name, search_text)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?)""",
            contacts)
        conn.executemany(
            "INSERT INTO activities (contact_id, kind, outcome, at, note, source)"
            " VALUES (?, ?, ?, ?, ?, 'import')", activities)
        contacts.clear()
        activities.clear()

    with store.transaction() as conn:
        for c, acts in contact_rows(n, seed, today):
            email = c["emails"][0]["value"] if c["emails"] else None
            phone = c["phones"][0]["value"] if c["phones"] else None
            contacts.append((
                c["id"], c["name"], c["first_name"], c["last_name"], c["company"] or None,
                c["title"] or None, email, email.casefold() if email else None,
                json.dumps(c["emails"]), phone, json.dumps(c["phones"]),
                ids.get(c["status_name"]), c["status_raw"], c["owner"], c["notes"],
                c["created"], now,
                sort_name(c["first_name"], c["last_name"], c["name"], c["company"]),
                search_text((c["name"], c["company"], *(e["value"] for e in c["emails"])),
                            (p["value"] for p in c["phones"])),
            ))
            activities.extend((c["id"], *a) for a in acts)
            if len(contacts) >= 50_000:
                flush(conn)
        flush(conn)
    store.rebuild_derived()
    store.conn.execute("ANALYZE")
    store.close()


ACT_HEADER = ["Contact", "First Name", "Last Name", "Company", "Title", "E-mail", "Phone",
              "Mobile Phone", "ID/Status", "Record Manager", "Create Date", "Last Reach",
              "Last Attempt", "Last Results", "Notes", "City", "ZIP Code"]


def _us(day: str | None) -> str:
    if not day:
        return ""
    y, m, d = day.split("-")
    return f"{m}/{d}/{y}"


def write_act_csv(path: Path, n: int, seed: int = 2, today: date = TODAY) -> None:
    """An Act! "text delimited" export of ``n`` contacts, as the importer reads it."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(ACT_HEADER)
        for c, acts in contact_rows(n, seed, today):
            reached = max((a[2] for a in acts if a[0] == "call" and a[1] == "reached"), default=None)
            attempt = max((a[2] for a in acts if a[0] == "call" and a[1] == "attempt"), default=None)
            phones = [p["value"] for p in c["phones"]] + ["", ""]
            out.writerow([
                c["name"], c["first_name"], c["last_name"], c["company"], c["title"],
                c["emails"][0]["value"] if c["emails"] else "", phones[0], phones[1],
                c["status_raw"], c["owner"], _us(c["created"]), _us(reached), _us(attempt),
                "Left a message." if attempt else "", c["notes"] or "",
                "Springfield", f"{c['id'] % 99999:05d}",
            ])

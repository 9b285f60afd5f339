"""Fake demo data for ``dailyreach --demo``.

:func:`build_demo` invents contacts that look like a long-used Act! database
(messy status spellings, years of history, a few gaps) and writes them through
:func:`store.importer.import_records`, the same path a real file takes.  The
result depends only on the seed and ``store.today()``: every date is relative
to that day, so the queue has calls and e-mails due whenever the demo is built.
All names, companies, domains and phone numbers are made up.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta

from .db import Store
from .importer import Activity, ImportReport, Record, import_records

FIRST = ["Anna", "Ben", "Carla", "Dmitri", "Elif", "Frank", "Greta", "Hiro", "Ines", "Jürgen",
         "Kwame", "Linh", "Marta", "Noah", "Olga", "Pål", "Quinn", "Renée", "Søren", "Tariq",
         "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoë", "José", "Chloé", "Łukasz", "Maeve"]
LAST = ["Müller", "Østergaard", "Nguyen", "O'Brien", "García", "Kowalski", "Björk", "Dubois",
        "Okafor", "Tanaka", "Fischer", "Haddad", "Lindqvist", "Moreau", "Patel", "Quist",
        "Rossi", "Schäfer", "Tran", "Varga", "Whitcombe", "Yilmaz", "Zielińska", "Abernathy",
        "Castellano", "Delacroix", "Eriksen", "Ferreira", "Gallagher", "Hollis", "Iverson",
        "Jansen", "Kaur", "Lefèvre", "Mbeki", "Novak", "Oyelaran", "Pereira", "Ramírez", "Sato"]
COMPANIES = ["Bluefin Logistics", "Harbor & Pine LLC", "Kettle Creek Farms", "Müller Präzision GmbH",
             "Østergaard Design ApS", "Summit Dental Group", "Lantern Software", "Redwood Print Co.",
             "Copperleaf Insurance", "Nordlicht Media", "Three Rivers Plumbing", "Alder & Finch CPA",
             "Quarry Hill Builders", "Saffron Catering", "Tidewater Marine Supply", "Orchid Clinic",
             "Brightside Realty", "Ironclad Security", "Maple Row Veterinary", "Vista Optics Inc."]
TITLES = ["Owner", "CEO", "Office Manager", "Purchasing Manager", "VP Sales", "CFO", "Controller",
          "Operations Director", "IT Manager", "Practice Manager", "Partner", "Buyer", ""]
OWNERS = ["Dana Whitfield", "Marco Bellini", "Priya Raman"]
DOMAINS = ["example.com", "example.org", "example.net", "mail.test", "inbox.test"]
AREA_CODES = ["212", "303", "415", "512", "617", "702", "813", "919"]
PHONE_FORMATS = ["({a}) 555-01{n}", "{a}-555-01{n}", "{a}.555.01{n}", "+1 {a} 555 01{n}",
                 "{a}55501{n}", "1-{a}-555-01{n}"]

# (kind, percent, raw spellings).  The first block names a status clearly
# (store.scheme.match_status accepts it); the second stays unclassified.
STATUS_MIX = [
    ("key", 8, ["Key Client", "key client ", "KEY CLIENTS", "Key  Clients"]),
    ("secondary", 12, ["Secondary Client", "secondary clients", " SECONDARY CLIENT"]),
    ("inactive", 8, ["Inactive Client", "inactive client", "Inactive Clients "]),
    ("prospect", 36, ["Prospect", " prospect", "PROSPECTS", "prospect"]),
    ("lead", 10, ["New Lead", "new leads", "NEW LEAD "]),
    ("other", 2, ["Employee", "employees"]),
    ("other", 3, ["Vendor", "Vendors", "vendor"]),
    ("other", 2, ["Delete", "DELETE", "delete "]),
    ("key", 3, ["KEY", "Client - Key", "Customer"]),
    ("secondary", 3, ["Sec. client", "2nd client", "Customer"]),
    ("inactive", 2, ["Inactive ", "Former client"]),
    ("prospect", 6, ["Prosp.", "Trade Show", "Suspect"]),
    ("lead", 2, ["Web lead", "Referral"]),
    ("other", 3, ["", "???", "n/a"]),
]

NOTES = [
    "Prefers calls after 3pm.\nAssistant: Robin (ext. 12).",
    'Said "call me after the budget meeting" — don\'t push before then.',
    "Uses [bold]three[/bold] locations; wants one contact for all.",
    "Met at the spring expo.\nAsked about pricing for 2 sites.\nFollow up with a quote.",
    "Renewal handled by [i]head office[/i], not this branch.",
    "Spouse's name is Kim. Big sailing fan.",
    "Wrong number on file until 2021 — fixed.",
]
CALL_NOTES = ["Left voicemail.", "Happy with the service.", 'Asked us to "check back in spring".',
              "Busy season; keep it short.", "Mentioned a new project [maybe]."]


def _ascii(text: str) -> str:
    text = text.replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _phone(rng: random.Random) -> str:
    fmt = rng.choice(PHONE_FORMATS)
    return fmt.format(a=rng.choice(AREA_CODES), n=f"{rng.randrange(100):02d}")


def _status_plan(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` (kind, raw status) pairs in the proportions of STATUS_MIX."""
    total = sum(pct for _, pct, _ in STATUS_MIX)
    plan = []
    for i in range(count):
        point, upto = (i + 0.5) * total / count, 0
        for kind, pct, spellings in STATUS_MIX:
            upto += pct
            if point < upto:
                plan.append((kind, rng.choice(spellings)))
                break
    rng.shuffle(plan)
    return plan


def _history(rng: random.Random, kind: str, today: date) -> tuple[list[Activity], date]:
    """Activities and a creation date for one contact of ``kind``."""
    def ago(lo: int, hi: int) -> date:
        return today - timedelta(days=rng.randint(lo, hi))

    acts: list[Activity] = []
    if kind == "lead":
        created = ago(0, 6)
        if rng.random() < 0.3:
            acts.append(Activity("call", "attempt", created + (today - created) // 2, "No answer."))
        return acts, created
    if kind in ("key", "secondary", "inactive"):
        reach, mail, meet = {"key": ((60, 120), (20, 100), 0.5),
                             "secondary": ((90, 260), (20, 100), 0.3),
                             "inactive": ((200, 500), (40, 150), 0.1)}[kind]
        acts.append(Activity("call", "reached", ago(*reach), rng.choice(CALL_NOTES + [None] * 3)))
        if rng.random() < 0.8:
            acts.append(Activity("email", "sent", ago(*mail)))
        if rng.random() < meet:
            acts.append(Activity("meeting", "held", ago(100, 400), "Quarterly review."))
        if rng.random() < 0.25:
            acts.append(Activity("call", "attempt", ago(1, 15), "Left voicemail."))
    elif kind == "prospect" and rng.random() < 0.75:
        acts.append(Activity("call", "reached", ago(100, 400), rng.choice(CALL_NOTES + [None])))
        if rng.random() < 0.3:
            acts.append(Activity("call", "attempt", ago(5, 60)))
    elif kind == "other" and rng.random() < 0.4:
        acts.append(Activity("call", "reached", ago(30, 700)))
    if rng.random() < 0.15:
        acts.append(Activity("note", None, ago(1, 300), rng.choice(NOTES)))
    oldest = min((a.day for a in acts), default=today)
    return acts, oldest - timedelta(days=rng.randint(30, 1500))


def _record(rng: random.Random, line: int, kind: str, raw: str, today: date) -> Record:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    company = rng.choice(COMPANIES) if rng.random() < 0.9 else ""
    rec = Record(line=line, first_name=first, last_name=last, company=company,
                 title=rng.choice(TITLES) if company else "", status_raw=raw,
                 owner=rng.choice(OWNERS))
    if rng.random() > 0.04:
        domain = rng.choice(DOMAINS) if not company or rng.random() < 0.5 \
            else _ascii(company) + ".example"
        local = rng.choice(["{f}.{l}", "{f}{l}", "{i}{l}", "{f}"]).format(
            f=_ascii(first), l=_ascii(last), i=_ascii(first)[:1])
        rec.emails.append({"type": "work", "value": f"{local}@{domain}"})
    if rng.random() > 0.04:
        rec.phones.append({"type": "work", "value": _phone(rng)})
        if rng.random() < 0.1:
            rec.phones[0]["ext"] = str(rng.randint(100, 499))
        if rng.random() < 0.3:
            rec.phones.append({"type": "mobile", "value": _phone(rng)})
    if rng.random() < 0.12:
        rec.notes = rng.choice(NOTES)
    rec.activities, rec.created = _history(rng, kind, today)
    return rec


def build_demo(store: Store, count: int = 300, seed: int = 7) -> ImportReport:
    """Import ``count`` fake contacts into ``store``; same seed and day, same data."""
    rng = random.Random(seed)
    today = store.today()
    records: list[Record] = []
    seen: set[tuple] = set()
    for line, (kind, raw) in enumerate(_status_plan(rng, count), start=1):
        rec = _record(rng, line, kind, raw, today)
        while rec.identity() in seen:  # a duplicate would be merged, not added
            if rec.emails:
                local, domain = rec.email.split("@")
                rec.emails[0]["value"] = f"{local}{rng.randint(2, 99)}@{domain}"
            else:  # same name and company: tell them apart by a middle initial
                rec.first_name += f" {rng.choice('ABCDEFGHJKLMNPRSTW')}."
        seen.add(rec.identity())
        records.append(rec)
    report = ImportReport(file="demo", format="demo", rows=len(records))
    import_records(store, records, report)
    _demo_status2(store, random.Random(seed + 1))
    return report


#: The demo's status 2 list: where each contact came from.
DEMO_STATUS2 = ["Referral", "Web", "Trade show", "Cold call"]


def _demo_status2(store: Store, rng: random.Random) -> None:
    """A status 2 list, and values on about two contacts in three, set as an
    import would set them (no history rows, nothing to undo)."""
    have = {v.name for v in store.status2_values()}
    for name in DEMO_STATUS2:
        if name not in have:
            store.add_status2(name)
    ids = [r[0] for r in store.conn.execute("SELECT id FROM contacts ORDER BY id")]
    rows = [(rng.choice(DEMO_STATUS2), cid) for cid in ids if rng.random() < 0.65]
    with store.transaction() as conn:
        conn.executemany("UPDATE contacts SET status2 = ? WHERE id = ?", rows)

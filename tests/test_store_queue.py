"""Today's queue, logging and undoing, status changes and derived columns.

Literal due dates below were worked out by hand from the Act! CSV text
(date + cadence days); whole-queue checks use an independent model built
here from the CSV with the ``csv`` module.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta

import pytest

from store import Store, StoreError, import_file

TODAY = date(2026, 12, 3)
from conftest import FIXTURES  # noqa: E402
ACT_CSV = FIXTURES / "act" / "act_export_300.csv"

pytestmark = pytest.mark.skipif(
    not ACT_CSV.is_file(),
    reason=f"shared test fixtures not found: {ACT_CSV} is absent "
    "(../shared/fixtures sits beside the project checkout in CI)",
)

# (name, call every, e-mail every), in queue priority order, from the spec.
SCHEME = [
    ("Key Client", 90, 30),
    ("Secondary Client", 180, 90),
    ("New Lead", 3, None),
    ("Inactive Client", 365, 90),
    ("Prospect", 182, None),
    ("Employee", None, None),
    ("Me", None, None),
    ("Vendor", None, None),
    ("Delete", None, None),
]
CADENCE_KEYS = {"K", "S", "N", "I", "P"}
RETRY_DAYS = 2  # the default retry gap after an unanswered call
DERIVED = ("last_call_reached", "last_email_sent", "call_attempts", "next_call_due",
           "next_email_due")


# ------------------------------------------------------------ the model
def classify(raw: str):
    norm = " ".join(raw.split()).lower()
    by = {name.lower(): (pos, name, call, email) for pos, (name, call, email) in enumerate(SCHEME)}
    if norm in by:
        return by[norm]
    if norm.endswith("s") and norm[:-1] in by:
        return by[norm[:-1]]
    return None


def mdy(text: str):
    text = text.strip()
    return datetime.strptime(text, "%m/%d/%Y").date() if text else None


def key_of(email: str, name: str, company: str):
    email = (email or "").strip()
    return email.casefold() if email else (name.strip().casefold(), (company or "").strip().casefold())


def model() -> dict:
    """Per contact (keyed like the spec's duplicate rule): status and due dates."""
    with open(ACT_CSV, encoding="cp1252", newline="") as fh:
        rows = list(csv.DictReader(fh))
    groups: dict = {}
    for row in rows:
        groups.setdefault(key_of(row["E-mail"], row["Contact"], row["Company"]), []).append(row)
    out = {}
    for key, g in groups.items():
        first = g[0]
        status = classify(first["ID/Status"])
        reach = max((mdy(r["Last Reach"]) for r in g if r["Last Reach"].strip()), default=None)
        created = min(mdy(r["Create Date"]) for r in g)
        has_phone = any(r[c].strip() for r in g for c in ("Phone", "Mobile Phone", "Fax Phone"))
        has_email = bool(first["E-mail"].strip())
        # an unanswered attempt after the last reach holds the call back for
        # the retry gap (the due date itself stays the plan's)
        attempt = max((mdy(r["Last Attempt"]) for r in g if r["Last Attempt"].strip()), default=None)
        held_until = None
        if attempt and (reach is None or attempt > reach):
            held_until = attempt + timedelta(days=RETRY_DAYS)
        call_due = email_due = None
        if status and status[2] and has_phone:
            call_due = reach + timedelta(days=status[2]) if reach else created
        if status and status[3] and has_email:
            email_due = created  # the Act! file records no sent e-mails
        out[key] = {
            "name": first["Contact"].strip(),
            "company": first["Company"].strip(),
            "position": status[0] if status else None,
            "reach": reach,
            "call_due": call_due,
            "call_held_until": held_until,
            "email_due": email_due,
        }
    return out


def expected_queue(day: date) -> list[tuple]:
    items = []
    for m in model().values():
        for kind_order, kind, due in ((0, "call", m["call_due"]), (1, "email", m["email_due"])):
            held = kind == "call" and m["call_held_until"] and m["call_held_until"] > day
            if due is not None and due <= day and not held:
                items.append((kind_order, m["position"], due, m["name"], kind, m["company"]))
    items.sort()
    return [(kind, name, company, due) for _, _, due, name, kind, company in items]


def got_queue(s: Store, day: date) -> list[tuple]:
    return [(i.kind, i.name, i.company, i.due) for i in s.queue(day)]


# ---------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """A read-only imported store."""
    s = Store(tmp_path_factory.mktemp("q") / "queue.db", today=TODAY)
    import_file(s, ACT_CSV)
    yield s
    s.close()


@pytest.fixture
def fresh(tmp_path):
    s = Store(tmp_path / "work.db", today=TODAY)
    import_file(s, ACT_CSV)
    yield s
    s.close()


def find(s: Store, name: str, company: str = "") -> dict:
    hits = [c for c in s.contacts() if c["name"] == name and (c["company"] or "") == company]
    assert len(hits) == 1, f"expected one contact {name!r} at {company!r}, found {len(hits)}"
    return hits[0]


def items_for(s: Store, cid: int, day: date = TODAY) -> dict:
    return {i.kind: i for i in s.queue(day) if i.contact_id == cid}


def derived(s: Store) -> list[tuple]:
    cols = ", ".join(DERIVED)
    return [tuple(r) for r in s.conn.execute(f"SELECT id, {cols} FROM contacts ORDER BY id")]


# ---------------------------------------------------------- whole queue
def test_queue_matches_independent_model(shared):
    expected = expected_queue(TODAY)
    assert len(expected) > 100  # the model is not vacuous
    assert got_queue(shared, TODAY) == expected


@pytest.mark.parametrize("day", [date(2015, 1, 1), date(2019, 6, 30), date(2024, 7, 26),
                                 date(2026, 6, 10), date(2027, 12, 31)])
def test_queue_on_other_days_matches_model(shared, day):
    assert got_queue(shared, day) == expected_queue(day)


def test_queue_defaults_to_pinned_today(shared):
    assert got_queue(shared, TODAY) == [(i.kind, i.name, i.company, i.due) for i in shared.queue()]


def test_queue_order_calls_then_emails_by_priority_then_due(shared):
    q = shared.queue(TODAY)
    kinds = [i.kind for i in q]
    assert kinds == sorted(kinds, key=lambda k: k != "call")  # all calls, then all e-mails
    order = "KSNIP"
    keys = [(i.kind != "call", order.index(i.status_key), i.due) for i in q]
    assert keys == sorted(keys)
    assert {i.status_key for i in q} <= CADENCE_KEYS
    assert all(i.due <= TODAY for i in q)


def test_queue_ties_broken_by_name(shared):
    # Pairs of prospects due on the same day (read from the CSV): ties go by name.
    q = [(i.name, i.due) for i in shared.queue(TODAY) if i.kind == "call" and i.status_key == "P"]
    tie = [name for name, due in q if due == date(2024, 7, 26)]
    assert tie == ["Miguel MacLeod", "Siobhán Müller"]
    tie = [name for name, due in q if due == date(2024, 5, 1)]
    assert tie == ["John Smith", "Sarah Williams"]


# ---------------------------------------------------------- specific contacts
def test_miguel_dangelo_call_due(shared):
    c = find(shared, "Miguel D'Angelo", "Orchard Lane Vet")
    items = items_for(shared, c["id"])
    assert set(items) == {"call"}  # prospects are never e-mailed
    call = items["call"]
    assert call.due == date(2023, 11, 8)  # 5/10/2023 + 182 days
    d = call.as_dict(TODAY)
    assert d["contact_id"] == c["id"]
    assert d["name"] == "Miguel D'Angelo"
    assert d["company"] == "Orchard Lane Vet"
    assert d["kind"] == "call"
    assert d["due"] == "2023-11-08"
    assert d["overdue_days"] == 1121  # 366 + 365 + 365 + 25
    assert d["status_key"] == "P"
    assert d["status"] == "Prospect"
    assert d["phone"] == "3905550112"
    assert d["email"] == "mdangelo0@mail.test"
    assert d["last_done"] == "2023-05-10"


def test_new_lead_without_email(shared):
    c = find(shared, "Richard Van der Berg", "Harbor View Insurance")
    items = items_for(shared, c["id"])
    assert set(items) == {"call"}
    assert items["call"].due == date(2024, 8, 21)  # 8/18/2024 + 3
    assert items["call"].as_dict(TODAY)["overdue_days"] == 834
    assert items["call"].status_key == "N"


def test_secondary_client_call_and_email(shared):
    c = find(shared, "James Nguyen", "Cedar & Pine LLC")
    items = items_for(shared, c["id"])
    assert items["call"].due == date(2024, 10, 13)  # 4/16/2024 + 180
    assert items["email"].due == date(2020, 6, 14)  # never e-mailed: Create Date
    assert items["email"].as_dict(TODAY)["due"] == "2020-06-14"
    assert items["email"].status_key == "S"


def test_never_reached_is_due_from_created_date(shared):
    c = find(shared, "Jürgen Garcia", "Evergreen Realty")  # only an attempt, never reached
    assert {k: i.due for k, i in items_for(shared, c["id"]).items()} == {"call": date(2017, 11, 18)}
    c = find(shared, "Barbara Smith-Jones", "Cedar & Pine LLC")
    assert {k: i.due for k, i in items_for(shared, c["id"]).items()} == {
        "call": date(2022, 10, 2), "email": date(2022, 10, 2)}
    c = find(shared, "Linda Lee")  # a meeting is not a reached call
    assert {k: i.due for k, i in items_for(shared, c["id"]).items()} == {
        "call": date(2016, 4, 9), "email": date(2016, 4, 9)}


def test_key_client(shared):
    c = find(shared, "Renée Nguyen", "Evergreen Realty")
    items = items_for(shared, c["id"])
    assert items["call"].due == date(2026, 7, 26)  # 4/27/2026 + 90
    assert items["email"].due == date(2021, 3, 28)
    assert items["call"].status_key == "K"
    assert items["call"].as_dict(TODAY)["overdue_days"] == 130


def test_not_yet_due_call_absent_but_email_present(shared):
    c = find(shared, "Björn Van der Berg", "Keystone Legal")
    items = items_for(shared, c["id"])
    assert set(items) == {"email"}
    assert items["email"].due == date(2019, 11, 25)
    assert c["next_call_due"] == "2026-12-27"  # 6/30/2026 + 180
    later = items_for(shared, c["id"], date(2026, 12, 27))
    assert later["call"].due == date(2026, 12, 27)
    assert later["call"].as_dict(date(2026, 12, 27))["overdue_days"] == 0
    assert "call" not in items_for(shared, c["id"], date(2026, 12, 26))


def test_email_only_when_no_phone(shared):
    c = find(shared, "Michael Davis", "Keystone Legal")  # inactive client, e-mail, no phone
    items = items_for(shared, c["id"])
    assert set(items) == {"email"}
    assert items["email"].due == date(2022, 10, 21)


def test_mobile_only_phone_is_callable(shared):
    c = find(shared, "François Fernández", "Keystone Legal")  # Mobile Phone only
    hits = items_for(shared, c["id"])
    assert set(hits) == {"call"}
    assert hits["call"].phone == "717.555.0145"
    assert hits["call"].due == date(2025, 12, 1)  # 6/2/2025 + 182


@pytest.mark.parametrize(
    "name, company",
    [
        ("Mary Østergaard", "Lakeside Marine"),       # Employee
        ("François Dubois", "Harbor View Insurance"),  # Employee (merged duplicate)
        ("Jürgen O'Brien", 'Fulton "Fast" Printing'),  # Vendor
        ("Karen Smith", "Granite Peak CPA"),           # unclassified "Former Client"
        ("Jürgen Davis", 'Fulton "Fast" Printing'),     # unclassified "Key"
        ("Léa Miller", "Northwind Traders"),           # Prospect with no phone, no e-mail
        ("Jennifer Østergaard", "Granite Peak CPA"),   # Prospect with e-mail only
    ],
)
def test_contacts_without_a_due_item_are_absent(shared, name, company):
    c = find(shared, name, company)
    assert items_for(shared, c["id"], date(2030, 1, 1)) == {}


def test_no_cadence_statuses_never_appear(shared):
    for key in ("E", "V", "D"):
        ids = {c["id"] for c in shared.contacts(status=key)}
        assert ids, key  # the file has such contacts
        assert not ids & {i.contact_id for i in shared.queue(date(2099, 1, 1))}, key
    unclassified = {c["id"] for c in shared.contacts(status="-")}
    assert not unclassified & {i.contact_id for i in shared.queue(date(2099, 1, 1))}


# ---------------------------------------------------------- log and undo
def test_log_reached_call_moves_due_and_undo_restores(fresh):
    c = find(fresh, "Miguel D'Angelo", "Orchard Lane Vet")
    before_history = fresh.history(c["id"])
    before_queue = got_queue(fresh, TODAY)
    aid = fresh.log(c["id"], "call", "reached", note="Spoke briefly")
    after = fresh.contact(c["id"])
    assert after["last_call_reached"] == "2026-12-03"
    assert after["next_call_due"] == "2027-06-03"  # 12/3/2026 + 182
    assert items_for(fresh, c["id"]) == {}
    assert items_for(fresh, c["id"], date(2027, 6, 3))["call"].due == date(2027, 6, 3)
    assert fresh.history(c["id"])[0]["id"] == aid
    assert fresh.history(c["id"])[0]["at"].startswith("2026-12-03")
    assert fresh.done_today() == {"call": 1, "email": 0}

    fresh.delete_activity(aid)
    restored = fresh.contact(c["id"])
    assert restored["last_call_reached"] == "2023-05-10"
    assert restored["next_call_due"] == "2023-11-08"
    assert fresh.history(c["id"]) == before_history
    assert got_queue(fresh, TODAY) == before_queue
    assert fresh.done_today() == {"call": 0, "email": 0}


def test_log_key_client_call_and_email(fresh):
    c = find(fresh, "Renée Nguyen", "Evergreen Realty")
    fresh.log(c["id"], "call", "reached")
    assert fresh.contact(c["id"])["next_call_due"] == "2027-03-03"  # 12/3/2026 + 90
    eid = fresh.log(c["id"], "email", "sent")
    assert fresh.contact(c["id"])["next_email_due"] == "2027-01-02"  # 12/3/2026 + 30
    assert items_for(fresh, c["id"]) == {}
    fresh.delete_activity(eid)
    assert fresh.contact(c["id"])["next_email_due"] == "2021-03-28"
    assert set(items_for(fresh, c["id"])) == {"email"}


def test_log_email_sent_secondary(fresh):
    c = find(fresh, "James Nguyen", "Cedar & Pine LLC")
    fresh.log(c["id"], "email", "sent")
    got = fresh.contact(c["id"])
    assert got["last_email_sent"] == "2026-12-03"
    assert got["next_email_due"] == "2027-03-03"  # 12/3/2026 + 90
    assert got["next_call_due"] == "2024-10-13"  # unchanged
    assert set(items_for(fresh, c["id"])) == {"call"}


@pytest.mark.parametrize("kind, outcome", [("call", "attempt"), ("call", "left message"),
                                           ("meeting", "held"), ("note", None),
                                           ("email", "draft")])
def test_other_activities_do_not_move_due_dates(fresh, kind, outcome):
    c = find(fresh, "James Nguyen", "Cedar & Pine LLC")
    fresh.log(c["id"], kind, outcome)
    got = fresh.contact(c["id"])
    assert got["next_call_due"] == "2024-10-13"
    assert got["next_email_due"] == "2020-06-14"


def test_log_reached_in_the_past_at_explicit_time(fresh):
    c = find(fresh, "Jürgen Garcia", "Evergreen Realty")
    fresh.log(c["id"], "call", "reached", at="2026-11-01T10:00:00")
    assert fresh.contact(c["id"])["next_call_due"] == "2027-05-02"  # 11/1/2026 + 182


def test_log_rejects_bad_arguments(fresh):
    c = find(fresh, "James Nguyen", "Cedar & Pine LLC")
    before = derived(fresh)
    with pytest.raises(StoreError):
        fresh.log(c["id"], "fax", "sent")
    with pytest.raises(StoreError):
        fresh.log(999_999, "call", "reached")
    with pytest.raises(StoreError):
        fresh.delete_activity(999_999)
    assert derived(fresh) == before


# ---------------------------------------------------------- status changes
def test_set_status_records_history_and_moves_queue(fresh):
    c = find(fresh, "Miguel D'Angelo", "Orchard Lane Vet")
    changes = fresh.set_status([c["id"]], "K")
    assert [(x.contact_id, x.old_key, x.new_key) for x in changes] == [(c["id"], "P", "K")]
    entry = fresh.history(c["id"])[0]
    assert entry["kind"] == "status"
    assert (entry["old_status"], entry["new_status"]) == ("Prospect", "Key Client")
    got = fresh.contact(c["id"])
    assert got["status"] == "Key Client"
    assert got["next_call_due"] == "2023-08-08"  # 5/10/2023 + 90
    assert got["next_email_due"] == "2015-05-04"  # Create Date; key clients are e-mailed
    items = items_for(fresh, c["id"])
    assert {k: (i.due, i.status_key) for k, i in items.items()} == {
        "call": (date(2023, 8, 8), "K"), "email": (date(2015, 5, 4), "K")}

    # undo by setting it back
    fresh.set_status([c["id"]], "P")
    assert fresh.contact(c["id"])["next_call_due"] == "2023-11-08"
    assert fresh.contact(c["id"])["next_email_due"] is None
    assert (fresh.history(c["id"])[0]["old_status"], fresh.history(c["id"])[0]["new_status"]) == (
        "Key Client", "Prospect")


@pytest.mark.parametrize("key, name", [("e", "Employee"), ("M", "Me"), ("v", "Vendor"),
                                       ("D", "Delete")])
def test_set_status_to_no_cadence_removes_from_queue(fresh, key, name):
    c = find(fresh, "James Nguyen", "Cedar & Pine LLC")
    fresh.set_status([c["id"]], key)
    assert fresh.history(c["id"])[0]["new_status"] == name
    assert items_for(fresh, c["id"], date(2099, 1, 1)) == {}
    got = fresh.contact(c["id"])
    assert got["next_call_due"] is None and got["next_email_due"] is None
    fresh.set_status([c["id"]], None)
    assert fresh.contact(c["id"])["status"] is None
    assert fresh.history(c["id"])[0]["old_status"] == name
    assert fresh.history(c["id"])[0]["new_status"] is None
    assert items_for(fresh, c["id"], date(2099, 1, 1)) == {}


def test_personal_status_renamed_still_has_no_cadence(fresh):
    fresh.set_owner_name("Alex")
    c = find(fresh, "James Nguyen", "Cedar & Pine LLC")
    fresh.set_status([c["id"]], "A")
    assert fresh.history(c["id"])[0]["new_status"] == "Alex"
    assert items_for(fresh, c["id"], date(2099, 1, 1)) == {}


def test_set_status_classifies_unclassified(fresh):
    c = find(fresh, "Karen Smith", "Granite Peak CPA")  # "Former Client", reached 5/12/2024
    fresh.set_status([c["id"]], "I")
    items = items_for(fresh, c["id"])
    assert items["call"].due == date(2025, 5, 12)  # 5/12/2024 + 365
    assert items["email"].due == date(2016, 6, 5)  # Create Date 6/5/2016
    entry = fresh.history(c["id"])[0]
    assert (entry["old_status"], entry["new_status"]) == (None, "Inactive Client")


def test_set_status_same_status_records_nothing(fresh):
    c = find(fresh, "Miguel D'Angelo", "Orchard Lane Vet")
    n = len(fresh.history(c["id"]))
    assert fresh.set_status([c["id"]], "P") == []
    assert len(fresh.history(c["id"])) == n


def test_set_status_many_and_bad_key(fresh):
    a = find(fresh, "Miguel D'Angelo", "Orchard Lane Vet")
    b = find(fresh, "Karen Smith", "Granite Peak CPA")
    changes = fresh.set_status([a["id"], b["id"], a["id"]], "S")
    assert sorted((x.contact_id, x.old_key, x.new_key) for x in changes) == sorted(
        [(a["id"], "P", "S"), (b["id"], None, "S")])
    before = derived(fresh)
    with pytest.raises(StoreError):
        fresh.set_status([a["id"]], "Z")
    with pytest.raises(StoreError):
        fresh.set_status([a["id"], 999_999], "K")
    assert fresh.contact(a["id"])["status"] == "Secondary Client"  # all or nothing
    assert derived(fresh) == before


# ---------------------------------------------------------- derived columns
def test_derived_columns_match_model(shared):
    m = model()
    seen = 0
    for c in shared.contacts():
        want = m[key_of(c["email"] or "", c["name"], c["company"] or "")]
        where = c["name"]
        assert c["last_call_reached"] == (want["reach"].isoformat() if want["reach"] else None), where
        assert c["next_call_due"] == (want["call_due"].isoformat() if want["call_due"] else None), where
        assert c["next_email_due"] == (want["email_due"].isoformat() if want["email_due"] else None), where
        assert c["last_email_sent"] is None
        seen += 1
    assert seen == len(m)


def test_rebuild_agrees_after_import(fresh):
    before = derived(fresh)
    fresh.rebuild_derived()
    assert derived(fresh) == before


def test_rebuild_agrees_after_changes(fresh):
    miguel = find(fresh, "Miguel D'Angelo", "Orchard Lane Vet")
    james = find(fresh, "James Nguyen", "Cedar & Pine LLC")
    karen = find(fresh, "Karen Smith", "Granite Peak CPA")
    fresh.log(miguel["id"], "call", "reached")
    fresh.log(miguel["id"], "call", "attempt", at="2026-12-04T09:00:00")
    aid = fresh.log(james["id"], "email", "sent")
    fresh.log(james["id"], "call", "no answer")
    fresh.set_status([karen["id"]], "K")
    fresh.log(karen["id"], "email", "sent", at="2026-10-01T08:00:00")
    fresh.delete_activity(aid)
    fresh.set_status([miguel["id"]], "N")
    before = derived(fresh)
    fresh.rebuild_derived()
    assert derived(fresh) == before
    # and a few literal values
    assert fresh.contact(miguel["id"])["next_call_due"] == "2026-12-06"  # 12/3/2026 + 3
    assert fresh.contact(karen["id"])["next_email_due"] == "2026-10-31"  # 10/1/2026 + 30
    assert fresh.contact(karen["id"])["next_call_due"] == "2024-08-10"  # 5/12/2024 + 90
    assert fresh.contact(james["id"])["next_email_due"] == "2020-06-14"


def test_rebuild_repairs_scrambled_columns(fresh):
    before = derived(fresh)
    with fresh.transaction() as conn:
        conn.execute("UPDATE contacts SET last_call_reached = '1999-01-01', last_email_sent = NULL,"
                     " call_attempts = 42, next_call_due = '2000-01-01', next_email_due = NULL")
    fresh.rebuild_derived()
    assert derived(fresh) == before
    assert got_queue(fresh, TODAY) == expected_queue(TODAY)


def test_queue_survives_reopen(fresh):
    path = fresh.path
    expected = got_queue(fresh, TODAY)
    fresh.close()
    with Store(path, today=TODAY) as again:
        assert got_queue(again, TODAY) == expected


def test_contacts_sort_ignores_accents_and_case(tmp_path):
    from datetime import date as _date

    from store import Store
    from store.importer import ImportReport, Record, import_records

    s = Store(tmp_path / "sort.db", today=_date(2026, 12, 3))
    names = [("Quinn", "Østergaard"), ("Anna", "zimmer"), ("Łukasz", "Nowak"), ("Bo", "Olsen"),
             ("Émile", "Ebert")]
    import_records(s, [Record(line=i + 2, first_name=f, last_name=l, name=f"{f} {l}")
                       for i, (f, l) in enumerate(names)], ImportReport(file="t"))
    # by hand: Ebert, Nowak, Olsen, Østergaard (as "ostergaard"), zimmer
    assert [c["last_name"] for c in s.contacts()] == ["Ebert", "Nowak", "Olsen", "Østergaard", "zimmer"]
    assert [c["last_name"] for c in s.contacts(offset=2, limit=2)] == ["Olsen", "Østergaard"]
    s.close()


def test_done_today_counts_only_todays_reached_calls_and_sent_emails(tmp_path):
    from datetime import date as _date

    from store import Store
    from store.importer import Activity, ImportReport, Record, import_records

    s = Store(tmp_path / "done.db", today=_date(2026, 12, 3))
    rec = Record(line=2, name="Ann Able", phones=[{"type": "work", "value": "555-0100"}],
                 emails=[{"type": "work", "value": "ann@x.test"}])
    rec.activities.append(Activity("call", "reached", _date(2026, 12, 3)))  # imported: not "done"
    import_records(s, [rec], ImportReport(file="t"))
    [ann] = s.contacts()
    s.log(ann["id"], "call", "reached")
    s.log(ann["id"], "call", "attempt")
    s.log(ann["id"], "email", "sent")
    s.log(ann["id"], "email", "sent", at="2026-12-02T17:00:00")  # yesterday
    s.log(ann["id"], "call", "reached", at="2026-12-04T08:00:00")  # tomorrow
    assert s.done_today() == {"call": 1, "email": 1}
    assert s.done_today(_date(2026, 12, 2)) == {"call": 0, "email": 1}
    s.close()


def test_remembered_queue_counts_follow_each_change_as_a_recount_would(small_store, tmp_path):
    """Counts kept through a change (adjusted by how the changed contacts
    moved) must equal counting again from scratch, after every kind of
    change the queue screen makes."""
    from datetime import timedelta

    from conftest import contact_id as cid_of

    store = small_store
    kim, pat, sam = (cid_of(store, n) for n in ("Kim Key", "Pat Prospect", "Sam Second"))

    filters = [{}, {"search": "pat"}, {"status": "k"}, {"due": "today"}, {"search": "555 bolt"}]

    def check() -> None:
        fresh = Store(store.path, today=TODAY)
        for kind in ("call", "email"):
            assert store.queue_counts(kind=kind) == fresh._queue_counts(TODAY.isoformat(), kind), kind
        for f in filters:
            assert store.count_contacts(**f) == fresh.count_contacts(**f), f
        fresh.close()

    def remembered() -> None:  # the screens have read the counts: they are cached
        for kind in ("call", "email"):
            store.queue_counts(kind=kind)
        for f in filters:
            store.count_contacts(**f)

    steps = [
        lambda: store.set_status([pat], "K"),  # P → K: moves between groups
        lambda: store.set_status([kim], "V"),  # leaves the queue
        lambda: store.set_status([kim, pat, sam], None),  # several at once, all out
        lambda: store.set_status([kim, pat, sam], "S"),
        lambda: store.log_outcome(sam, "email", "sent"),
        lambda: store.log_outcome(pat, "call", "no-answer"),  # held back by the retry gap
        lambda: store.snooze(kim, TODAY + timedelta(days=3), ["call"]),
        lambda: store.snooze(kim, TODAY, ["call"]),  # back today
    ]
    for step in steps:
        remembered()
        step()
        check()
    remembered()
    activity = store.log_outcome(kim, "call", "reached")
    check()
    remembered()
    store.delete_activity(activity)  # undoing it
    check()
    remembered()
    [snooze] = store.snooze(pat, TODAY + timedelta(days=7), ["email"])
    check()
    remembered()
    store.delete_snoozes([snooze])
    check()

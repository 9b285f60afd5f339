"""Capacity levelling, the plan's daily load and the 13-week forecast.

Small cases are worked out by hand in the comments; larger ones are checked
against a second, item-by-item computation written here.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from store import Store
from store.importer import ImportReport, import_records
from store.plan import level, parse_working_days, Capacity

from conftest import TODAY, contact_id, make_record

THU, FRI, SAT, SUN, MON, TUE, WED = (date(2026, 12, d) for d in range(3, 10))


def planned(store: Store, kind: str = "call", day: date = TODAY) -> dict[str, date | None]:
    return {i.name: i.planned for i in store.queue(day) if i.kind == kind}


@pytest.fixture
def busy(tmp_path):
    """Seven calls due on Thursday 2026-12-03 and one more falling due Friday.

    Key Clients (call every 90 days), never reached, so due since they arrived:
      Ann Alpha 2026-10-01, Bea Beta 2026-10-15, Cal Gamma 2026-11-01;
      Dan Delta reached 2026-09-05 → due Fri 2026-12-04 (Sep 5 + 25 + 31 + 30 + 4).
    Prospects (182 days), never reached: Eve Echo 06-01, Fay Fox 07-01,
      Gus Golf 08-01, Hal Hotel 09-01.
    """
    s = Store(tmp_path / "busy.db", today=TODAY)
    recs = [
        make_record(2, "Ann Alpha", status="Key Client", phone="1", created=date(2026, 10, 1)),
        make_record(3, "Bea Beta", status="Key Client", phone="2", created=date(2026, 10, 15)),
        make_record(4, "Cal Gamma", status="Key Client", phone="3", created=date(2026, 11, 1)),
        make_record(5, "Dan Delta", status="Key Client", phone="4", created=date(2026, 1, 1),
                    reached=date(2026, 9, 5)),
        make_record(6, "Eve Echo", status="Prospect", phone="5", created=date(2026, 6, 1)),
        make_record(7, "Fay Fox", status="Prospect", phone="6", created=date(2026, 7, 1)),
        make_record(8, "Gus Golf", status="Prospect", phone="7", created=date(2026, 8, 1)),
        make_record(9, "Hal Hotel", status="Prospect", phone="8", created=date(2026, 9, 1)),
    ]
    import_records(s, recs, ImportReport(file="t"))
    yield s
    s.close()


def test_without_a_limit_everything_is_for_today(busy):
    assert set(planned(busy).values()) == {THU}
    assert not any(i.deferred for i in busy.queue())


def test_capacity_spreads_the_rest_over_working_days_in_priority_order(busy):
    busy.set_setting("calls_per_day", "2")
    # Thu: the two longest-overdue key clients.  Fri: Cal, and Dan who falls
    # due that day and outranks every prospect.  The weekend is skipped.
    # Mon and Tue: the prospects, longest overdue first.
    assert planned(busy) == {
        "Ann Alpha": THU, "Bea Beta": THU, "Cal Gamma": FRI,
        "Eve Echo": MON, "Fay Fox": MON, "Gus Golf": TUE, "Hal Hotel": TUE,
    }
    q = [i for i in busy.queue() if i.kind == "call"]
    assert [i.name for i in q if not i.deferred] == ["Ann Alpha", "Bea Beta"]
    assert [i.as_dict(TODAY)["planned"] for i in q][:3] == ["2026-12-03", "2026-12-03", "2026-12-04"]
    assert [i.as_dict(TODAY)["deferred"] for i in q][:3] == [False, False, True]


def test_work_done_today_uses_up_the_day(busy):
    busy.set_setting("calls_per_day", "2")
    busy.log_outcome(contact_id(busy, "Ann Alpha"), "call", "no-answer")
    # one call made: one left for today.  Ann's retry gap ends Saturday, so
    # she is back on Monday and, as a key client, takes a Monday place:
    # Mon Ann + Eve, Tue Fay + Gus, Wed Hal.
    assert planned(busy) == {
        "Bea Beta": THU, "Cal Gamma": FRI,
        "Eve Echo": MON, "Fay Fox": TUE, "Gus Golf": TUE, "Hal Hotel": WED,
    }
    # a snooze is not work: it frees its place for the next item
    busy.snooze(contact_id(busy, "Bea Beta"), FRI, reason="skip")
    got = planned(busy)
    assert got["Cal Gamma"] == THU
    assert got["Eve Echo"] == MON


def test_working_days_decide_where_the_rest_goes(busy):
    busy.set_setting("calls_per_day", "2")
    busy.set_setting("working_days", "mon,wed,fri")
    assert planned(busy) == {
        "Ann Alpha": THU, "Bea Beta": THU, "Cal Gamma": FRI,
        "Eve Echo": MON, "Fay Fox": MON, "Gus Golf": WED, "Hal Hotel": WED,
    }


def test_a_day_other_than_today_gets_its_full_capacity(busy):
    busy.set_setting("calls_per_day", "3")
    busy.log_outcome(contact_id(busy, "Ann Alpha"), "call", "reached")
    # Monday's view: Bea, Cal, Dan (all key clients now due) fill Monday
    got = planned(busy, day=MON)
    assert got == {"Bea Beta": MON, "Cal Gamma": MON, "Dan Delta": MON,
                   "Eve Echo": TUE, "Fay Fox": TUE, "Gus Golf": TUE, "Hal Hotel": WED}


def test_a_lead_called_every_three_days_comes_back_before_the_prospects():
    # One new lead (every 3 days) and three prospects due, one call a day,
    # every day a working day.  Thu: the lead.  Fri, Sat: prospects.  Sun:
    # the lead again (Thu + 3) outranks the last prospect, which goes to Mon.
    cap = Capacity(1, None, parse_working_days("mon-sun"))
    lev = level(THU, 1, 0, cap, [(3, 3), (5, 182)], {3: 1, 5: 3}, {})
    assert [lev.planned(5, rank) for rank in range(3)] == [FRI, SAT, MON]
    assert lev.planned(3, 0) == THU
    assert lev.days[:5] == [(THU, 4, 1), (FRI, 3, 1), (SAT, 2, 1), (SUN, 2, 1), (MON, 1, 1)]


def _brute_force_levelling(items, cap, working, today, done=0):
    """Item by item: each day, sort what is due by (priority, due, name) and
    take up to the cap; a done item falls due again one interval later."""
    items = [dict(it) for it in items]
    first: dict[str, date | None] = {it["name"]: None for it in items if it["due"] <= today}
    day, first_day = today, True
    while day <= today + timedelta(days=366) and None in first.values():
        if first_day or day.weekday() in working:
            room = cap - done if first_day else cap
            pool = sorted((it for it in items if it["due"] <= day),
                          key=lambda it: (it["pos"], it["due"], it["name"]))
            for it in pool[:max(room, 0)]:
                if it["orig_due"] <= today and first[it["name"]] is None:
                    first[it["name"]] = day
                it["due"] = day + timedelta(days=it["interval"])
        first_day = False
        day += timedelta(days=1)
    return first


@pytest.mark.parametrize("seed, cap, days", [(1, 3, "mon-fri"), (2, 7, "mon-thu,sat"),
                                             (3, 1, "tue,thu")])
def test_levelling_matches_an_item_by_item_simulation(tmp_path, seed, cap, days):
    rng = random.Random(seed)
    statuses = [("Key Client", 0, 90), ("Secondary Client", 1, 180), ("New Lead", 2, 3),
                ("Inactive Client", 3, 365), ("Prospect", 4, 182)]
    recs, items = [], []
    for n in range(60):
        name, pos, interval = rng.choice(statuses)
        person = f"P{n:03d} Person"
        if rng.random() < 0.5:
            reached = TODAY - timedelta(days=rng.randint(1, 400))
            due = reached + timedelta(days=interval)
            recs.append(make_record(n + 2, person, status=name, phone=str(n), reached=reached))
        else:
            due = TODAY - timedelta(days=rng.randint(-20, 300))
            recs.append(make_record(n + 2, person, status=name, phone=str(n), created=due))
        items.append({"name": person, "pos": pos, "interval": interval, "due": due, "orig_due": due})
    s = Store(tmp_path / "lev.db", today=TODAY)
    import_records(s, recs, ImportReport(file="t"))
    s.set_setting("calls_per_day", str(cap))
    s.set_setting("working_days", days)
    expected = _brute_force_levelling(items, cap, parse_working_days(days), TODAY)
    got = planned(s)
    assert len(got) == sum(it["due"] <= TODAY for it in items) > 20
    assert got == expected
    s.close()


# ------------------------------------------------------------ load
@pytest.fixture
def sized(tmp_path):
    """45 key clients with a phone, 30 of them with an e-mail; 91 prospects
    with a phone; 10 new leads with a phone; 5 vendors; 4 unclassified."""
    recs, line = [], 2
    def add(n, status, email=False, phone=True):
        nonlocal line
        for i in range(n):
            recs.append(make_record(line, f"X{line} {status}", status=status,
                                    phone=f"555-{line}" if phone else "",
                                    email=f"x{line}@t.test" if email else ""))
            line += 1
    add(30, "Key Client", email=True)
    add(15, "Key Client")
    add(91, "Prospect")
    add(10, "New Lead")
    add(5, "Vendor", email=True)
    add(4, "Whatever")
    s = Store(tmp_path / "sized.db", today=TODAY)
    import_records(s, recs, ImportReport(file="t"))
    yield s
    s.close()


def test_load_per_rule_worked_out_by_hand(sized):
    report = sized.plan_report()
    rules = {r["status_key"]: r for r in report["rules"]}
    # K: 45 / 90 = 0.5 calls a calendar day = 3.5 a week over 5 days = 0.7
    #    30 / 30 = 1 e-mail a calendar day → 7 a week / 5 = 1.4
    assert (rules["K"]["contacts"], rules["K"]["calls_per_day"], rules["K"]["emails_per_day"]) == (
        45, 0.7, 1.4)
    # P: 91 / 182 = 0.5 → 0.7;  N: 10 / 3 = 3.333… → 23.33… a week / 5 = 4.67
    assert (rules["P"]["contacts"], rules["P"]["calls_per_day"]) == (91, 0.7)
    assert (rules["N"]["contacts"], rules["N"]["calls_per_day"]) == (10, 4.67)
    assert (rules["V"]["contacts"], rules["V"]["calls_per_day"], rules["V"]["emails_per_day"]) == (
        5, 0, 0)
    assert rules["S"]["contacts"] == 0
    assert report["unclassified"] == 4
    # 0.7 + 0.7 + 4.6667 = 6.0667
    assert report["total"] == {"calls_per_day": 6.07, "emails_per_day": 1.4}
    assert report["over"] == {"calls_per_day": 0, "emails_per_day": 0}
    assert set(rules["K"]) >= {"status_key", "status", "call_days", "email_days", "contacts",
                               "calls_per_day", "emails_per_day"}


def test_load_over_six_working_days_and_over_capacity(sized):
    sized.set_setting("working_days", "mon-sat")
    sized.set_setting("calls_per_day", "4")
    sized.set_setting("emails_per_day", "1")
    report = sized.plan_report()
    # per calendar day: calls 0.5 + 0.5 + 3.3333 = 4.3333, e-mails 1; × 7 / 6
    assert report["total"] == {"calls_per_day": round(4.3333333 * 7 / 6, 2),
                               "emails_per_day": round(7 / 6, 2)}
    assert report["total"]["calls_per_day"] == 5.06
    assert report["over"] == {"calls_per_day": 1.06, "emails_per_day": 0.17}
    assert report["capacity"]["working_days"] == "mon-sat"


def test_plan_change_changes_the_load(sized):
    sized.set_plan("n", call_days="7")
    rules = {r["status_key"]: r for r in sized.plan_report()["rules"]}
    assert rules["N"]["calls_per_day"] == 2.0  # 10 / 7 × 7 / 5


# ------------------------------------------------------------ forecast
def test_forecast_of_the_small_store_worked_out_by_hand(small_store):
    weeks = small_store.plan_report()["forecast"]
    assert len(weeks) == 13
    assert (weeks[0]["week_start"], weeks[0]["week_end"]) == ("2026-12-03", "2026-12-09")
    assert weeks[12]["week_start"] == "2027-02-25"
    # calls: Kim and Pat are due now (week 0); Kim again Dec 3 + 90 = Mar 3,
    # day 90 → week 12; Pat's next (+182) and Sam's (Apr 30) fall outside.
    assert [w["calls"] for w in weeks] == [2] + [0] * 11 + [1]
    # e-mails: Kim Dec 20 (day 17 → week 2), Jan 19 (day 47 → 6), Feb 18
    # (day 77 → 11); Sam now (week 0) and Mar 3 (week 12).
    assert [w["emails"] for w in weeks] == [1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1]
    assert weeks[0]["calls_capacity"] is None


def test_forecast_counts_a_held_item_when_it_comes_back(small_store):
    small_store.snooze(contact_id(small_store, "Pat Prospect"), date(2026, 12, 21), ["call"])
    weeks = small_store.plan_report()["forecast"]
    assert [w["calls"] for w in weeks][:3] == [1, 0, 1]  # Dec 21 is day 18 → week 2


def test_forecast_matches_a_day_by_day_count(sized):
    # move some due dates around so the weeks differ
    rng = random.Random(5)
    for c in sized.contacts():
        if rng.random() < 0.6:
            sized.log(c["id"], "call", "reached", at=(TODAY - timedelta(days=rng.randint(0, 200))).isoformat())
        if c["email"] and rng.random() < 0.5:
            sized.log(c["id"], "email", "sent", at=(TODAY - timedelta(days=rng.randint(0, 40))).isoformat())
    sized.set_setting("calls_per_day", "5")
    intervals = {s.name: (s.call_days, s.email_days) for s in sized.statuses()}
    expected = {"call": [0] * 13, "email": [0] * 13}
    for c in sized.contacts():
        if not c["status"]:
            continue
        for k, (kind, col) in enumerate((("call", "next_call_due"), ("email", "next_email_due"))):
            if c[col] is None:
                continue
            interval = intervals[c["status"]][k]
            nxt = max(date.fromisoformat(c[col]), TODAY)
            for offset in range(91):
                day = TODAY + timedelta(days=offset)
                if day == nxt:
                    expected[kind][offset // 7] += 1
                    nxt = day + timedelta(days=interval)
    weeks = sized.plan_report()["forecast"]
    assert [w["calls"] for w in weeks] == expected["call"]
    assert [w["emails"] for w in weeks] == expected["email"]
    assert sum(expected["call"]) > 100
    assert {w["calls_capacity"] for w in weeks} == {25}  # 5 a day × 5 working days


# ------------------------------------------------------------ the day
def test_day_summary_progress_and_tomorrow(busy):
    busy.set_setting("calls_per_day", "3")
    busy.log_outcome(contact_id(busy, "Ann Alpha"), "call", "reached")
    busy.log_outcome(contact_id(busy, "Bea Beta"), "call", "message")
    busy.snooze(contact_id(busy, "Eve Echo"), MON, ["call"])
    day = busy.day_summary()
    assert day["worked"]["call"] == {"reached": 1, "message": 1}
    assert day["snoozed"] == 1
    # 2 of 3 calls made; left today: Cal; due now: Cal, Fay, Gus, Hal
    assert day["call"] == {"done": 2, "left": 1, "due": 4, "deferred": 3, "cap": 3}
    # Friday: Fay, Gus, Hal are carried over and Dan falls due: 4 due, 3 fit
    assert day["next_day"]["date"] == "2026-12-04"
    assert day["next_day"]["call"] == {"due": 4, "planned": 3}


def test_day_summary_without_a_limit(busy):
    day = busy.day_summary()
    assert day["call"] == {"done": 0, "left": 7, "due": 7, "deferred": 0, "cap": None}
    # if today's seven are done, Friday holds only Dan
    assert day["next_day"]["call"] == {"due": 1, "planned": 1}

"""Outcomes, retries, snoozes, plan changes and settings, against dates worked
out by hand.

TODAY is Thursday 2026-12-03.  The small store (conftest) holds:
- Kim Key (Key Client, call 90 / e-mail 30): reached 2026-08-01 → call due
  2026-10-30; e-mailed 2026-11-20 → e-mail due 2026-12-20.
- Pat Prospect (Prospect, call 182): reached 2026-05-01 → call due 2026-10-30.
- Sam Second (Secondary, 180 / 90): reached 2026-11-01 → call due
  2027-04-30; never e-mailed → e-mail due since 2020-01-01.
- Vic Vendor: never due.
"""

from __future__ import annotations

from datetime import date

import pytest

from store import Store, StoreError

from conftest import TODAY, contact_id

FRI, SAT, SUN, MON, TUE = (date(2026, 12, d) for d in (4, 5, 6, 7, 8))


def reopen(store: Store, day: date) -> Store:
    """The same database as seen on another day."""
    return Store(store.path, today=day)


def due_names(store: Store, day: date, kind: str = "call") -> list[str]:
    return [i.name for i in store.queue(day) if i.kind == kind]


def test_the_pinned_day_is_a_thursday():
    assert TODAY.strftime("%A") == "Thursday"


# ------------------------------------------------------------ reached resets
def test_reached_call_resets_the_call_clock(small_store):
    kim = contact_id(small_store, "Kim Key")
    small_store.log_outcome(kim, "call", "reached")
    c = small_store.contact(kim)
    assert c["last_call_reached"] == "2026-12-03"
    assert c["next_call_due"] == "2027-03-03"  # Dec 3 + 28 → Dec 31, + 31 + 28 + 3 → Mar 3
    assert c["call_attempts"] == 0
    assert "Kim Key" not in due_names(small_store, TODAY)
    assert "Kim Key" in due_names(small_store, date(2027, 3, 3))
    assert "Kim Key" not in due_names(small_store, date(2027, 3, 2))


def test_reached_on_an_earlier_date(small_store):
    kim = contact_id(small_store, "Kim Key")
    small_store.log_outcome(kim, "call", "reached", day=date(2026, 11, 1))
    assert small_store.contact(kim)["next_call_due"] == "2027-01-30"  # Nov 1 + 90


def test_future_date_is_refused(small_store):
    kim = contact_id(small_store, "Kim Key")
    with pytest.raises(StoreError, match="after today"):
        small_store.log_outcome(kim, "call", "reached", day=FRI)
    assert small_store.history(kim)[0]["at"].startswith("2026-11-20")  # nothing logged


@pytest.mark.parametrize("kind, outcome", [("call", "sent"), ("email", "reached"),
                                           ("call", "voicemail"), ("fax", "sent")])
def test_outcome_must_fit_the_kind(small_store, kind, outcome):
    kim = contact_id(small_store, "Kim Key")
    before = small_store.history(kim)
    with pytest.raises(StoreError):
        small_store.log_outcome(kim, kind, outcome)
    assert small_store.history(kim) == before


# ------------------------------------------------------------ attempts
@pytest.mark.parametrize("outcome", ["message", "no-answer", "wrong-number"])
def test_attempt_keeps_the_clock_and_comes_back_after_the_retry_gap(small_store, outcome):
    kim = contact_id(small_store, "Kim Key")
    small_store.log_outcome(kim, "call", outcome, note="try after lunch")
    c = small_store.contact(kim)
    assert c["next_call_due"] == "2026-10-30"  # the clock did not move
    assert c["call_attempts"] == 1
    assert c["call_hold_until"] == "2026-12-05"  # Dec 3 + 2 (default retry gap)
    assert small_store.history(kim)[0]["note"] == "try after lunch"
    assert "Kim Key" not in due_names(small_store, TODAY)
    assert "Kim Key" not in due_names(small_store, FRI)
    [item] = [i for i in small_store.queue(SAT) if i.name == "Kim Key" and i.kind == "call"]
    assert item.due == date(2026, 10, 30)
    assert item.attempts == 1
    assert item.as_dict(SAT)["overdue_days"] == 36  # Oct 30 → Dec 5: 1 + 30 + 5


def test_attempts_add_up_and_a_reach_clears_them(small_store):
    kim = contact_id(small_store, "Kim Key")
    small_store.log_outcome(kim, "call", "no-answer")
    saturday = reopen(small_store, SAT)
    saturday.log_outcome(kim, "call", "message")
    c = saturday.contact(kim)
    assert (c["call_attempts"], c["call_hold_until"], c["next_call_due"]) == (
        2, "2026-12-07", "2026-10-30")
    monday = reopen(small_store, MON)
    [item] = [i for i in monday.queue(MON) if i.name == "Kim Key" and i.kind == "call"]
    assert item.attempts == 2
    monday.log_outcome(kim, "call", "reached")
    c = monday.contact(kim)
    assert (c["call_attempts"], c["next_call_due"]) == (0, "2027-03-07")  # Dec 7 + 90
    saturday.close()
    monday.close()


def test_retry_gap_is_a_setting_and_changing_it_redates_at_once(small_store):
    kim = contact_id(small_store, "Kim Key")
    small_store.log_outcome(kim, "call", "no-answer")
    small_store.set_setting("retry_days", "5")
    assert small_store.contact(kim)["call_hold_until"] == "2026-12-08"  # Dec 3 + 5
    assert "Kim Key" not in due_names(small_store, MON)
    assert "Kim Key" in due_names(small_store, TUE)


def test_email_and_call_clocks_are_independent(small_store):
    kim = contact_id(small_store, "Kim Key")
    small_store.log_outcome(kim, "call", "reached")
    assert small_store.contact(kim)["next_email_due"] == "2026-12-20"  # unchanged
    small_store.log_outcome(kim, "email", "sent")
    c = small_store.contact(kim)
    assert c["next_email_due"] == "2027-01-02"  # Dec 3 + 30
    assert c["next_call_due"] == "2027-03-03"  # unchanged by the e-mail
    sam = contact_id(small_store, "Sam Second")
    small_store.log_outcome(sam, "email", "bounced")
    c = small_store.contact(sam)
    assert (c["next_email_due"], c["email_attempts"], c["email_hold_until"]) == (
        "2020-01-01", 1, "2026-12-05")
    assert (c["next_call_due"], c["call_attempts"], c["call_hold_until"]) == (
        "2027-04-30", 0, None)
    [item] = [i for i in small_store.queue(SAT) if i.name == "Sam Second"]
    assert (item.kind, item.attempts) == ("email", 1)


# ------------------------------------------------------------ snooze
def test_snooze_by_days_holds_the_item_until_then(small_store):
    pat = contact_id(small_store, "Pat Prospect")
    small_store.snooze(pat, date(2026, 12, 6))  # "3 days" from Thursday
    assert "Pat Prospect" not in due_names(small_store, SAT)
    [item] = [i for i in small_store.queue(SUN) if i.name == "Pat Prospect"]
    assert item.due == date(2026, 10, 30)  # the plan's date is kept
    assert small_store.contact(pat)["call_snoozed_until"] == "2026-12-06"


def test_latest_snooze_wins_and_a_snooze_to_today_brings_it_back(small_store):
    pat = contact_id(small_store, "Pat Prospect")
    small_store.snooze(pat, date(2026, 12, 24))
    assert "Pat Prospect" not in due_names(small_store, date(2026, 12, 23))
    small_store.snooze(pat, date(2026, 12, 10))
    assert "Pat Prospect" in due_names(small_store, date(2026, 12, 10))
    small_store.snooze(pat, TODAY)
    assert "Pat Prospect" in due_names(small_store, TODAY)


def test_skip_for_today_and_undo(small_store):
    kim = contact_id(small_store, "Kim Key")
    ids = small_store.snooze(kim, FRI, ["call"], reason="skip")
    assert due_names(small_store, TODAY) == ["Pat Prospect"]
    assert due_names(small_store, FRI) == ["Kim Key", "Pat Prospect"]
    assert small_store.day_summary()["skipped"] == 1
    small_store.delete_snoozes(ids)
    assert due_names(small_store, TODAY) == ["Kim Key", "Pat Prospect"]
    assert small_store.contact(kim)["call_hold_until"] is None


def test_snooze_one_kind_leaves_the_other(small_store):
    sam = contact_id(small_store, "Sam Second")
    small_store.snooze(sam, date(2026, 12, 10), ["email"])
    assert "Sam Second" not in due_names(small_store, TODAY, "email")
    assert small_store.contact(sam)["call_snoozed_until"] is None


def test_doing_the_item_ends_its_snooze(small_store):
    kim = contact_id(small_store, "Kim Key")
    small_store.snooze(kim, date(2027, 6, 1))
    small_store.log_outcome(kim, "call", "reached")
    c = small_store.contact(kim)
    assert c["call_snoozed_until"] is None and c["call_hold_until"] is None
    assert c["email_snoozed_until"] == "2027-06-01"  # the e-mail was not done
    assert "Kim Key" in due_names(small_store, date(2027, 3, 3))


def test_snooze_rejects_the_past_and_unknown_contacts(small_store):
    kim = contact_id(small_store, "Kim Key")
    with pytest.raises(StoreError, match="before today"):
        small_store.snooze(kim, date(2026, 12, 2))
    with pytest.raises(StoreError, match="no contact"):
        small_store.snooze(999_999, FRI)
    with pytest.raises(StoreError):
        small_store.snooze(kim, FRI, ["fax"])
    assert small_store.contact(kim)["call_hold_until"] is None


# ------------------------------------------------------------ plan changes
def test_plan_change_redates_the_queue_at_once(small_store):
    pat = contact_id(small_store, "Pat Prospect")
    kim = contact_id(small_store, "Kim Key")
    small_store.set_plan("p", call_days="30")
    assert small_store.contact(pat)["next_call_due"] == "2026-05-31"  # May 1 + 30
    small_store.set_plan("p", call_days=300)
    assert small_store.contact(pat)["next_call_due"] == "2027-02-25"  # May 1 + 300
    assert due_names(small_store, TODAY) == ["Kim Key"]
    small_store.set_plan("k", email_days="never")
    assert small_store.contact(kim)["next_email_due"] is None
    assert small_store.status_by_key("K").email_days is None
    small_store.set_plan("k", email_days="7", meaning="  Our best   clients ")
    assert small_store.contact(kim)["next_email_due"] == "2026-11-27"  # Nov 20 + 7
    assert small_store.status_by_key("K").meaning == "Our best clients"
    assert small_store.contact(kim)["next_call_due"] == "2026-10-30"  # call untouched


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5", "4000", "12 days"])
def test_invalid_cadence_is_refused_and_nothing_changes(small_store, value):
    pat = contact_id(small_store, "Pat Prospect")
    with pytest.raises(StoreError, match="Prospect"):
        small_store.set_plan("p", call_days=value)
    assert small_store.status_by_key("P").call_days == 182
    assert small_store.contact(pat)["next_call_due"] == "2026-10-30"


def test_delete_status_cannot_get_a_cadence(small_store):
    with pytest.raises(StoreError, match="never contacted"):
        small_store.set_plan("d", call_days="30")


def test_giving_vendors_a_cadence_brings_them_into_the_queue(small_store):
    small_store.set_plan("v", call_days="60")
    # Vic Vendor was never reached: due since he arrived (2020-01-01)
    assert due_names(small_store, TODAY) == ["Kim Key", "Pat Prospect", "Vic Vendor"]


# ------------------------------------------------------------ settings
@pytest.mark.parametrize("key, value, stored", [
    ("calls_per_day", " 25 ", "25"), ("calls_per_day", "", ""), ("emails_per_day", "8", "8"),
    ("working_days", "Mon-Fri", "mon-fri"), ("working_days", "mon,wed, fri", "mon,wed,fri"),
    ("working_days", "sun-thu", "mon-thu,sun"), ("working_days", "monday,tuesday,wed", "mon-wed"),
    ("retry_days", "3", "3"), ("phone_region", "gb", "GB"), ("calls_per_day", "10000", "10000"),
])
def test_settings_are_checked_and_normalised(small_store, key, value, stored):
    small_store.set_setting(key, value)
    assert small_store.settings()[key] == stored


@pytest.mark.parametrize("key, value, needle", [
    ("calls_per_day", "ten", "not a whole number"), ("calls_per_day", "0", "too small; use 1 to 10,000"),
    ("calls_per_day", "1000000000", "1,000,000,000 is too large; use 1 to 10,000"),
    ("retry_days", "99999", "too large; use 1 to 365"), ("phone_region", "", "needs a two-letter"),
    ("calls_per_day", "-3", "not a whole number"), ("retry_days", "", "needs a whole number"),
    ("working_days", "mon-fry", "'fry'"), ("working_days", "", "at least one"),
    ("phone_region", "XX", "country code"), ("phone_region", "USA", "country code"),
    ("email_subject", "Hi {firstname}", "{firstname}"), ("colour", "red", "unknown setting"),
])
def test_bad_settings_are_refused_with_a_message(small_store, key, value, needle):
    before = small_store.settings()
    with pytest.raises(StoreError) as err:
        small_store.set_setting(key, value)
    assert needle in str(err.value)
    assert small_store.settings() == before


def test_capacity_reads_the_settings(small_store):
    cap = small_store.capacity()
    assert (cap.calls_per_day, cap.emails_per_day, cap.working_days, cap.retry_days) == (
        None, None, frozenset({0, 1, 2, 3, 4}), 2)
    small_store.set_setting("calls_per_day", "12")
    small_store.set_setting("working_days", "tue-sat")
    cap = small_store.capacity()
    assert (cap.calls_per_day, cap.working_days) == (12, frozenset({1, 2, 3, 4, 5}))
    assert cap.next_working_day(SAT) == TUE


# ------------------------------------------------------------ derived data
def test_rebuild_agrees_after_outcomes_and_snoozes(small_store):
    kim = contact_id(small_store, "Kim Key")
    sam = contact_id(small_store, "Sam Second")
    small_store.log_outcome(kim, "call", "no-answer")
    small_store.log_outcome(sam, "email", "bounced")
    small_store.snooze(sam, date(2026, 12, 9), ["call"])
    small_store.snooze(kim, SUN, ["email"], reason="skip")
    cols = ("last_call_reached, last_email_sent, call_attempts, last_call_attempt, email_attempts,"
            " last_email_attempt, call_snoozed_until, email_snoozed_until, call_hold_until,"
            " email_hold_until, next_call_due, next_email_due")
    before = small_store.conn.execute(f"SELECT id, {cols} FROM contacts ORDER BY id").fetchall()
    with small_store.transaction() as conn:
        conn.execute("UPDATE contacts SET call_hold_until = NULL, email_hold_until = '1999-01-01',"
                     " call_attempts = 9, call_snoozed_until = NULL")
    small_store.rebuild_derived()
    after = small_store.conn.execute(f"SELECT id, {cols} FROM contacts ORDER BY id").fetchall()
    assert [tuple(r) for r in after] == [tuple(r) for r in before]


def test_worked_counts_every_outcome_of_the_day(small_store):
    kim, pat, sam = (contact_id(small_store, n) for n in ("Kim Key", "Pat Prospect", "Sam Second"))
    small_store.log_outcome(kim, "call", "no-answer")
    small_store.log_outcome(pat, "call", "reached")
    small_store.log_outcome(sam, "email", "bounced")
    small_store.log_outcome(kim, "email", "sent", day=date(2026, 12, 2))  # yesterday
    assert small_store.worked() == {"call": {"no-answer": 1, "reached": 1},
                                    "email": {"bounced": 1}}
    assert small_store.worked_count("call") == 2
    assert small_store.worked_count("email") == 1
    assert small_store.done_today() == {"call": 1, "email": 0}


def test_database_before_m005_upgrades_and_fills_the_new_columns(tmp_path):
    import sqlite_utils

    from store.schema import STEP_NAMES, build_migrations

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    build_migrations().apply(db, stop_before="m005_outcomes_snooze")
    db.execute("INSERT INTO contacts (id, name, phone, status_id, created_at, updated_at)"
               " VALUES (1, 'Old Timer', '555-0100', 1, '2020-01-01', '2020-01-01')")
    db.execute("INSERT INTO activities (contact_id, kind, outcome, at, source)"
               " VALUES (1, 'call', 'reached', '2026-08-01', 'import'),"
               " (1, 'call', 'attempt', '2026-12-02', 'import')")
    db.conn.commit()
    db.close()
    with Store(path, today=TODAY) as s:
        assert [r[0] for r in s.conn.execute(
            "SELECT name FROM _sqlite_migrations ORDER BY rowid")] == list(STEP_NAMES)
        c = s.contact(1)
        # key client reached Aug 1 → due Oct 30; the attempt on Dec 2 holds
        # the call until Dec 4
        assert (c["next_call_due"], c["call_attempts"], c["last_call_attempt"],
                c["call_hold_until"]) == ("2026-10-30", 1, "2026-12-02", "2026-12-04")
        assert due_names(s, TODAY) == []
        assert due_names(s, FRI) == ["Old Timer"]
        assert s.conn.execute("SELECT count(*) FROM settings WHERE key = '_rebuild_derived'"
                              ).fetchone()[0] == 0
        assert {st.role for st in s.statuses() if st.name in ("Prospect", "New Lead")} == {
            "prospect", "lead"}


def test_every_binding_is_in_the_help_rows_and_the_readme():
    from pathlib import Path

    from tui.keys import BINDING_IDS, KEYMAP_ROWS

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    in_rows = {row[0] for row in KEYMAP_ROWS if row[0]}
    missing_rows = {i for i in BINDING_IDS if not i.startswith("list.")} - in_rows
    assert missing_rows == set()
    assert in_rows - BINDING_IDS == set()  # and every help row names a real binding
    assert [i for i in sorted(BINDING_IDS) if f"`{i}`" not in readme] == []

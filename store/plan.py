"""The arithmetic of the plan: settings, daily load, the 13-week forecast and
capacity levelling.

Pure functions over plain values; :mod:`store.db` feeds them counts read
from SQL, and tests feed them hand-made data.  Nothing here touches the
database.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from .errors import StoreError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

DEFAULT_WORKING_DAYS = "mon-fri"
DEFAULT_RETRY_DAYS = 2
MAX_DAYS = 3650  # a cadence or gap longer than ten years is a typo
MAX_SNOOZE_DAYS = 365  # a snooze further out than a year is a typo (or a status change)

#: How far ahead levelling spreads deferred work before it says "later".
LEVEL_HORIZON_DAYS = 366
FORECAST_WEEKS = 13

#: Outcomes a user records.  A reached call resets the call clock and a sent
#: e-mail the e-mail clock; every other call outcome, and a bounced e-mail,
#: is an attempt.
CALL_OUTCOMES = ("reached", "message", "no-answer", "wrong-number")
EMAIL_OUTCOMES = ("sent", "bounced")
OUTCOME_LABELS = {
    "reached": "reached", "message": "left a message", "no-answer": "no answer",
    "wrong-number": "wrong number", "sent": "sent", "bounced": "bounced",
}


# ------------------------------------------------------------------ settings
def _day_index(word: str, text: str) -> int:
    word = word.strip().lower()
    for names in (DAY_NAMES, _FULL_DAY_NAMES):
        if word in names:
            return names.index(word)
    raise StoreError(
        f"working_days: {word!r} in {text!r} is not a day; use mon, tue, wed, thu, fri, "
        "sat, sun, ranges such as mon-fri and commas (mon-thu,sat)")


def parse_working_days(text: str) -> frozenset[int]:
    """``"mon-fri"`` → {0, 1, 2, 3, 4} (Monday is 0).  Commas separate items,
    a dash makes a range (``"sun-thu"`` wraps round the week)."""
    if not text or not text.strip():
        raise StoreError("working_days: at least one working day is needed (e.g. mon-fri)")
    days: set[int] = set()
    for part in text.replace(" ", "").split(","):
        if not part:
            raise StoreError(f"working_days: empty item in {text!r}")
        if "-" in part:
            start_text, _, end_text = part.partition("-")
            start, end = _day_index(start_text, text), _day_index(end_text, text)
            day = start
            days.add(day)
            while day != end:
                day = (day + 1) % 7
                days.add(day)
        else:
            days.add(_day_index(part, text))
    return frozenset(days)


def format_working_days(days: frozenset[int] | set[int]) -> str:
    """The short form of a set of days: runs of three or more become a range
    (``{0,1,2,3,4}`` → ``"mon-fri"``, ``{0,2,4}`` → ``"mon,wed,fri"``)."""
    ordered = sorted(days)
    parts, i = [], 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{DAY_NAMES[ordered[i]]}-{DAY_NAMES[ordered[j]]}")
        else:
            parts.extend(DAY_NAMES[k] for k in ordered[i:j + 1])
        i = j + 1
    return ",".join(parts)


MAX_PER_DAY = 10_000  # calls or e-mails a day: more is a typo
MAX_RETRY_DAYS = 365


def parse_whole(key: str, text: str, *, allow_empty: bool, what: str,
                maximum: int = MAX_PER_DAY) -> int | None:
    """A whole number from 1 to ``maximum`` (or None for empty text when
    ``allow_empty``)."""
    value = (text or "").strip()
    if not value:
        if allow_empty:
            return None
        raise StoreError(f"{key}: needs a whole number of {what} (1 or more)")
    if not re.fullmatch(r"[0-9]+", value):  # \d would take ٣ or ３ as 3
        empty = "; leave it empty for no limit" if allow_empty else ""
        raise StoreError(f"{key}: {value!r} is not a whole number of {what}{empty}")
    number = int(value)
    if number < 1:
        empty = " (leave it empty for no limit)" if allow_empty else ""
        raise StoreError(f"{key}: {number} is too small; use 1 to {maximum:,}{empty}")
    if number > maximum:
        raise StoreError(f"{key}: {number:,} is too large; use 1 to {maximum:,}")
    return number


def parse_cadence(label: str, text: str | int | None) -> int | None:
    """A cadence typed by the user: days as a whole number 1–3650, or empty,
    ``-``, ``never`` or ``—`` for no contact of that kind."""
    if text is None:
        return None
    value = str(text).strip().lower()
    if value in ("", "-", "—", "never", "none"):
        return None
    if not re.fullmatch(r"[0-9]+", value):  # \d would take ٣ or ３ as 3
        raise StoreError(f"{label}: {str(text).strip()!r} is not a number of days "
                         "(a whole number, or empty for never)")
    days = int(value)
    if days < 1 or days > MAX_DAYS:
        raise StoreError(f"{label}: {days} days is out of range; use 1 to {MAX_DAYS}, "
                         "or empty for never")
    return days


def parse_region(text: str) -> str:
    """A two-letter region (country) code phonenumbers knows, upper-cased."""
    value = (text or "").strip().upper()
    if not value:
        raise StoreError("phone_region: needs a two-letter country code (e.g. US, GB, DE, FR)")
    import phonenumbers

    if value not in phonenumbers.SUPPORTED_REGIONS:
        raise StoreError(f"phone_region: {value!r} is not a two-letter country code "
                         "(e.g. US, GB, DE, FR)")
    return value


@dataclass(frozen=True)
class Capacity:
    """How much the user can do per day, and on which days."""

    calls_per_day: int | None = None  # None: no limit
    emails_per_day: int | None = None
    working_days: frozenset[int] = frozenset(range(5))
    retry_days: int = DEFAULT_RETRY_DAYS

    def per_day(self, kind: str) -> int | None:
        return self.calls_per_day if kind == "call" else self.emails_per_day

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.working_days

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        nxt = day + timedelta(days=1)
        while nxt.weekday() not in self.working_days:
            nxt += timedelta(days=1)
        return nxt


# ------------------------------------------------------------------ load
def per_working_day(contacts: int, every_days: int | None, working_days: int) -> float:
    """Contacts reached every ``every_days`` days, in actions per working day.

    ``contacts / every_days`` actions fall due per calendar day; a week's
    seven days of them are done on its working days.
    """
    if not every_days or not contacts:
        return 0.0
    return contacts / every_days * 7 / working_days


# ------------------------------------------------------------------ forecast
@dataclass(frozen=True)
class Week:
    start: date
    end: date  # inclusive
    calls: int
    emails: int


def forecast(today: date, groups: dict[str, list[tuple[int | None, date, int]]],
             weeks: int = FORECAST_WEEKS) -> list[Week]:
    """Due items per week for ``weeks`` seven-day windows starting today.

    ``groups[kind]`` lists ``(interval days, next due, contacts)``.  Each
    contact is counted on its next due date (today if it is already due),
    then again every interval, as if each item were done on the day it falls
    due.  Every window holds each weekday once, so capacity per window is
    the same.
    """
    horizon = today + timedelta(days=7 * weeks)
    counts = {kind: [0] * weeks for kind in ("call", "email")}
    for kind, rows in groups.items():
        for interval, due, n in rows:
            when = max(due, today)
            while when < horizon:
                counts[kind][(when - today).days // 7] += n
                if not interval:
                    break
                when += timedelta(days=interval)
    return [
        Week(today + timedelta(days=7 * w), today + timedelta(days=7 * w + 6),
             counts["call"][w], counts["email"][w])
        for w in range(weeks)
    ]


# ------------------------------------------------------------------ levelling
@dataclass
class Levelling:
    """Which day each due item is planned for under a daily cap.

    ``served[status_id]`` holds ``(day, cumulative count served)`` in day
    order, for the items due on ``today``; an item at position ``rank``
    within its status group is planned for the first day whose cumulative
    count exceeds ``rank``.  ``days`` lists, per simulated day, how many
    items were due then and how many are planned.
    """

    today: date
    cap: int | None
    today_share: int  # items planned for today (the rest are deferred)
    served: dict[int, list[tuple[date, int]]] = field(default_factory=dict)
    days: list[tuple[date, int, int]] = field(default_factory=list)  # (day, due, planned)

    def planned(self, status_id: int, rank: int) -> date | None:
        """The day an item is planned for; None: beyond the horizon."""
        if self.cap is None:
            return self.today
        for day, cumulative in self.served.get(status_id, []):
            if cumulative > rank:
                return day
        return None


def level(today: date, cap: int | None, done_today: int, capacity: Capacity,
          order: list[tuple[int, int | None]], backlog: dict[int, int],
          arrivals: dict[int, dict[date, int]],
          horizon_days: int = LEVEL_HORIZON_DAYS) -> Levelling:
    """Spread due items over today and the next working days.

    ``order`` lists ``(status id, interval days)`` in priority order;
    ``backlog`` the items of each status due on ``today``; ``arrivals`` the
    items falling due on later days.  Each day, the items due are taken in
    priority order (status, then earliest due) up to the cap; today's cap is
    reduced by ``done_today``.  An item done on a day falls due again one
    interval later.  Within a status the earliest due always goes first, so
    a status group is served in order and counts are enough.
    """
    total_due = sum(backlog.values())
    if cap is None:
        return Levelling(today, None, total_due, {}, [(today, total_due, total_due)])
    pool = {sid: backlog.get(sid, 0) for sid, _ in order}
    future: dict[int, dict[date, int]] = {sid: dict(arrivals.get(sid, {})) for sid, _ in order}
    served: dict[int, list[tuple[date, int]]] = defaultdict(list)
    cumulative = defaultdict(int)
    days: list[tuple[date, int, int]] = []
    horizon = today + timedelta(days=horizon_days)
    day, last = today, today
    first = True
    while day <= horizon:
        # items falling due between the previous simulated day and this one
        for sid, _ in order:
            bucket = future[sid]
            for when in [w for w in bucket if last < w <= day]:
                pool[sid] += bucket.pop(when)
        room = max(cap - done_today, 0) if first else cap
        due_now = sum(pool.values())
        planned = 0
        for sid, interval in order:
            take = min(pool[sid], room)
            if take:
                pool[sid] -= take
                room -= take
                planned += take
                cumulative[sid] += take
                served[sid].append((day, cumulative[sid]))
                if interval:
                    again = day + timedelta(days=interval)
                    future[sid][again] = future[sid].get(again, 0) + take
        days.append((day, due_now, planned))
        if first:
            today_share = planned
        first = False
        # stop once today's backlog is all planned and a few days are shown
        if all(cumulative[sid] >= backlog.get(sid, 0) for sid, _ in order) and len(days) > 5:
            break
        last, day = day, capacity.next_working_day(day)
    return Levelling(today, cap, today_share, dict(served), days)


# ------------------------------------------------------------------ document
def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    value = " ".join(str(text if text is not None else "").split())
    return value.replace("\\", "\\\\").replace("|", "\\|")


def _days(days: int | None) -> str:
    if not days:
        return "never"
    return "every day" if days == 1 else f"every {days} days"


def _number(value: float) -> str:
    return f"{value:.1f}"


def _limit(value: int | None, what: str) -> str:
    return f"no limit on {what}" if value is None else f"{value} {what}"


def markdown(report: dict, owner: str = "") -> str:
    """The plan as a Markdown document anyone who sells can read on its own:
    the statuses and what they mean, how often each hears from us, what
    that costs per working day, and the weeks ahead."""
    day = date.fromisoformat(report["date"])
    cap = report["capacity"]
    total = report["total"]
    lines = ["# Contact plan", ""]
    classified = sum(r["contacts"] for r in report["rules"])
    by = f" by {_cell(owner)}" if owner and owner != "Me" else ""
    lines += [f"Written{by} on {day.day} {day:%B %Y}, for {classified:,} classified contacts"
              + (f" ({report['unclassified']:,} more not classified yet)." if report["unclassified"]
                 else "."), ""]
    lines += ["Every contact has exactly one status. The status says how often the person "
              "hears from us: a call every so many days, an e-mail every so many days, or "
              "never. Each contact is called and written to one at a time, never in bulk.", ""]
    lines += ["## Statuses", "",
              "| Key | Status | Who they are | Call | E-mail | Contacts |",
              "| --- | --- | --- | --- | --- | ---: |"]
    for r in report["rules"]:
        lines.append(f"| {r['status_key']} | {_cell(r['status'])} | {_cell(r['meaning'])} | "
                     f"{_days(r['call_days'])} | {_days(r['email_days'])} | {r['contacts']:,} |")
    lines += ["", "## What the plan takes", ""]
    lines += [f"Working days: {cap['working_days']} ({cap['working_days_per_week']} a week). "
              "A contact called every N days needs 1/N of a call per calendar day; a week of "
              "those is done on the working days.", ""]
    lines += ["| Status | Calls per working day | E-mails per working day |",
              "| --- | ---: | ---: |"]
    for r in report["rules"]:
        if r["calls_per_day"] or r["emails_per_day"]:
            lines.append(f"| {_cell(r['status'])} | {_number(r['calls_per_day'])} | "
                         f"{_number(r['emails_per_day'])} |")
    lines.append(f"| **Total** | **{_number(total['calls_per_day'])}** | "
                 f"**{_number(total['emails_per_day'])}** |")
    lines += ["", "Daily capacity: " + _limit(cap["calls_per_day"], "calls") + ", "
              + _limit(cap["emails_per_day"], "e-mails") + ".", ""]
    for kind, label in (("calls_per_day", "calls"), ("emails_per_day", "e-mails")):
        over = report["over"][kind]
        if over:
            share = over / cap[kind] * 100
            lines += [f"**Over capacity:** the plan needs {_number(total[kind])} {label} a "
                      f"working day, {_number(over)} more than the {cap[kind]} allowed "
                      f"({share:.0f}% over). Lengthen a cadence or raise the capacity.", ""]
    lines += ["## The next 13 weeks", "",
              "Items falling due in each week, counting each contact on its next due date "
              "and then every interval after it. The first week also holds everything "
              "already overdue.", "",
              "| Week | Calls due | E-mails due |", "| --- | ---: | ---: |"]
    for w in report["forecast"]:
        start, end = date.fromisoformat(w["week_start"]), date.fromisoformat(w["week_end"])
        lines.append(f"| {start.day} {start:%b} – {end.day} {end:%b %Y} | {w['calls']:,} | "
                     f"{w['emails']:,} |")
    weekly = [w for w in report["forecast"]
              if (w["calls_capacity"] is not None and w["calls"] > w["calls_capacity"])
              or (w["emails_capacity"] is not None and w["emails"] > w["emails_capacity"])]
    if weekly:
        lines += ["", f"{len(weekly)} of these weeks hold more than the weekly capacity "
                  f"({_limit(cap['calls_per_day'], 'calls')} and "
                  f"{_limit(cap['emails_per_day'], 'e-mails')} a day); the extra is spread "
                  "over the following working days, key clients first."]
    lines += ["", "## How the day works", "",
              "- A call counts when the person is reached; the next call falls due one "
              "interval after it. A sent e-mail does the same for e-mails. The two clocks "
              "are independent.",
              f"- A message left, no answer, a wrong number or a bounced e-mail is an attempt: "
              f"it does not move the due date, and the contact comes back after "
              f"{cap['retry_days']} day{'s' if cap['retry_days'] != 1 else ''}.",
              "- An item can be snoozed to a later day, or skipped for today.",
              "- When more is due than the day's capacity, the rest moves to the next working "
              "days in order: the status list's order first (key clients first), then the "
              "longest overdue.",
              ""]
    return "\n".join(lines)

"""Cell values: dates (with the file's day/month order), phone numbers and
e-mail addresses.

Phone numbers are kept exactly as written; :func:`phone_key` adds a
normalized form used only to recognise the same number written two ways.
:mod:`phonenumbers` decides it; plain North American numbers take a fast path
that gives the same answer (a test compares the two), because parsing every
number of a large file with the library costs ~40 µs each.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

MDY, DMY = "mdy", "dmy"
ORDER_NAMES = {MDY: "month/day/year", DMY: "day/month/year"}

# Evidence for the day/month order: a first part over 12 means day first,
# a second part over 12 means month first.  Searched on the raw bytes.
_DMY_EVIDENCE = re.compile(
    rb"(?<![\d/.\-])(1[3-9]|2\d|3[01])([/.])(0?[1-9]|1[0-2])\2(\d{4}|\d{2})(?![\d/.])"
    rb"|(?<![\d/.\-])(1[3-9]|2\d|3[01])-(0?[1-9]|1[0-2])-(\d{4})(?![\d/.\-])"
)
#: Anything shaped like a numeric date (d/d/d, d.d.d, d-d-d): where
#: the exact patterns are worth running.
_DATE_SHAPE = re.compile(rb"\d{1,2}([/.\-])\d{1,2}\1\d{2}")
_MDY_EVIDENCE = re.compile(
    rb"(?<![\d/.\-])(0?[1-9]|1[0-2])([/.])(1[3-9]|2\d|3[01])\2(\d{4}|\d{2})(?![\d/.])"
    rb"|(?<![\d/.\-])(0?[1-9]|1[0-2])-(1[3-9]|2\d|3[01])-(\d{4})(?![\d/.\-])"
)


def _real_date(m: re.Match, order: str) -> bool:
    """Is an evidence match a day that exists in its order (not 02/30/2026)?
    One that exists in neither order is a typo, and shows no order."""
    # groups 1-4: d/m/y with / or . (2 is the separator); 5-7: d-m-y
    first, second, year = ((m.group(1), m.group(3), m.group(4)) if m.group(1) is not None
                           else (m.group(5), m.group(6), m.group(7)))
    day, month = (first, second) if order == "dmy" else (second, first)
    year_n = int(year) + (2000 if len(year) == 2 else 0)
    try:
        date(year_n, int(month), int(day))
    except ValueError:
        return False
    return True


class DateEvidence:
    """The first date in a file that shows its day/month order.

    Searching stops at the first evidence: a later date written the other
    way cannot be a real date in the decided order, so it is reported as
    unreadable on its own line instead of silently read the wrong way.
    """

    def __init__(self) -> None:
        self.dmy: tuple[int, str] | None = None  # (line, text)
        self.mdy: tuple[int, str] | None = None

    @property
    def done(self) -> bool:
        return self.dmy is not None or self.mdy is not None

    @property
    def both(self) -> bool:
        """The file shows both orders: no order can be assumed for it."""
        return self.dmy is not None and self.mdy is not None

    def feed(self, data: bytes, first_line: int) -> None:
        """Search a chunk of raw text starting at ``first_line``.

        The exact patterns (with their look-behind) are slow to run over
        every byte — seconds for a large file with no date at all — so a
        plain date shape finds the places worth checking first."""
        if self.done:
            return
        found: dict[str, re.Match] = {}
        for shape in _DATE_SHAPE.finditer(data):
            start = max(shape.start() - 1, 0)
            for attr, pattern in (("dmy", _DMY_EVIDENCE), ("mdy", _MDY_EVIDENCE)):
                if attr not in found:
                    m = pattern.search(data, start, shape.end() + 8)
                    if m and _real_date(m, attr):
                        found[attr] = m
            if len(found) == 2:
                break
        for attr, m in found.items():
            line = first_line + data.count(b"\n", 0, m.start())
            setattr(self, attr, (line, m.group(0).decode("ascii")))

    def feed_text(self, text: str, line: int) -> None:
        if not self.done:
            self.feed(text.encode("ascii", "ignore"), line)

    def decide(self) -> tuple[str | None, str]:
        """(order or None, a sentence for the summary)."""
        if self.dmy and self.mdy:
            first, second = sorted([self.dmy, self.mdy])
            return None, (
                f"dates are written both ways (line {first[0]}: {first[1]}, line {second[0]}: "
                f"{second[1]}): dates whose order is unclear were kept as text; choose with "
                "--date-order mdy or dmy")
        if self.dmy:
            return DMY, f"dates read as day/month/year (line {self.dmy[0]}: {self.dmy[1]})"
        if self.mdy:
            return MDY, f"dates read as month/day/year (line {self.mdy[0]}: {self.mdy[1]})"
        return None, ""


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_NUMERIC = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T]+(\d{1,2}):(\d{2})(?::\d{2})?\s*([AaPp][Mm])?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_WORDY = re.compile(r"^(\d{1,2})[ \-]([A-Za-z]{3,9})\.?,?[ \-](\d{4})$")
_WORDY_US = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$")


class Ambiguous(ValueError):
    """A date whose day/month order the file did not decide."""


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 69 else 1900
    return year


def _month(name: str) -> int | None:
    return _MONTHS.get(name[:3].casefold()) if name[:3].casefold() in _MONTHS else None


@lru_cache(maxsize=65536)
def parse_date(text: str, order: str | None) -> date | None:
    """A date from ``text`` or None if it is not one; :class:`Ambiguous` when
    the order is needed (both parts ≤ 12 and differing) but unknown."""
    text = text.strip()
    if not text:
        return None
    m = _NUMERIC.match(text)
    if m:
        a, b, y = int(m.group(1)), int(m.group(3)), _year(m.group(4))
        if order is None:
            if a > 12 and b <= 12:
                order = DMY
            elif b > 12 and a <= 12:
                order = MDY
            elif a == b:
                order = MDY
            else:
                raise Ambiguous(text)
        month, day = (a, b) if order == MDY else (b, a)
        return _make(y, month, day)
    m = _ISO.match(text) or _COMPACT.match(text)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _WORDY.match(text)
    if m and _month(m.group(2)):
        return _make(int(m.group(3)), _month(m.group(2)), int(m.group(1)))
    m = _WORDY_US.match(text)
    if m and _month(m.group(1)):
        return _make(int(m.group(3)), _month(m.group(1)), int(m.group(2)))
    return None


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def excel_date(value) -> date | None:
    """A spreadsheet cell that holds a date (openpyxl gives datetime/date)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


# ------------------------------------------------------------------ phones
_PHONE_CHARS = re.compile(r"^\+?[\d\s().\-/]+$")
_NON_DIGITS = re.compile(r"\D+")
_NANP = {"US", "CA", "PR", "GU", "VI", "AS", "MP"}


def phone_key(text: str, region: str = "US") -> str | None:
    """Normalized form of a phone number for matching, or None if it has none.

    E.164 (``+14155550100``) when :mod:`phonenumbers` finds a possible
    number; otherwise its digits prefixed with ``#`` when there are at least
    six; otherwise the text itself (no case, single spaces) prefixed with
    ``~``, so a value that is not a number still matches itself.
    """
    text = text.strip()
    if not text:
        return None
    if _PHONE_CHARS.match(text):
        digits = _NON_DIGITS.sub("", text)
        if text.startswith("+"):
            if len(digits) == 11 and digits[0] == "1" and digits[1] in "23456789" \
                    and digits[4] in "23456789":
                return "+" + digits
        elif region in _NANP:
            if len(digits) == 10 and digits[0] in "23456789" and digits[3] in "23456789":
                return "+1" + digits
    return _phone_key_slow(text, region)


@lru_cache(maxsize=8192)
def _phone_key_slow(text: str, region: str) -> str | None:
    import phonenumbers

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 6:
        return "#" + digits
    return "~" + " ".join(text.casefold().split())


def valid_region(region: str) -> bool:
    import phonenumbers

    return region.upper() in phonenumbers.SUPPORTED_REGIONS


# ----------------------------------------------------------------- e-mails
#: A cell that is one plain address (the common case: one C-level match).
_PLAIN_EMAIL = re.compile(r"[^\s@<>,;:\"']+@[^\s@<>,;:\"']+")
#: What is kept as an address: exactly one @, text on both sides, no spaces.
_ADDRESS = re.compile(r"[^\s@<>,;]+@[^\s@<>,;]+")
_ANGLED = re.compile(r"^(.*)<([^<>]*)>$", re.S)
#: Google Contacts joins several values of one cell with this.
MULTI_SEPARATOR = " ::: "


def plain_email(text: str) -> bool:
    return _PLAIN_EMAIL.fullmatch(text) is not None


def split_emails(text: str) -> tuple[list[str], list[str]]:
    """(addresses, rejected parts) of an e-mail cell.

    ``mailto:`` and quotes around it are dropped, ``Name <addr>`` becomes
    ``addr``, several addresses separated by ``;``, ``,``, Google's `` ::: ``
    or only spaces become several; a part that is then not ``local@domain``
    is rejected (the caller keeps it as extra data).  A comma or semicolon only separates once the text
    before it holds an ``@``, so ``Lee, Ann <ann@x.test>`` stays one part.
    """
    if _PLAIN_EMAIL.fullmatch(text):
        return [text], []
    addresses: list[str] = []
    rejected: list[str] = []
    for piece in text.split(MULTI_SEPARATOR):
        parts, start = [], 0
        for at, ch in enumerate(piece):
            if ch in ",;" and "@" in piece[start:at]:
                parts.append(piece[start:at])
                start = at + 1
        parts.append(piece[start:])
        for part in parts:
            part = part.strip()
            if not part:
                continue
            address = part
            m = _ANGLED.match(address)
            if m:
                address = m.group(2).strip()
            address = address.strip("\"'")
            if address[:7].casefold() == "mailto:":
                address = address[7:].strip()
            if _ADDRESS.fullmatch(address):
                addresses.append(address)
                continue
            words = address.split()
            if len(words) > 1 and all(_ADDRESS.fullmatch(w) for w in words):
                addresses.extend(words)  # one per line, or spaces between them
            else:
                rejected.append(part)
    return addresses, rejected


def add_emails(emails: list[dict], extra: dict, text: str, kind: str, label: str,
               warn) -> None:
    """Add the addresses in one e-mail cell (``text``, already cleaned) to
    ``emails`` with type ``kind``; keep what is not an address in ``extra``
    under ``label``, with a ``warn(message)``."""
    addresses, rejected = split_emails(text)
    for address in addresses:
        emails.append({"type": kind, "value": address})
    if rejected:
        bad = "; ".join(rejected)
        extra[label] = f"{extra[label]}; {bad}" if extra.get(label) else bad
        warn(f"{label}: {bad!r} is not an e-mail address (expected name@domain); "
             "kept as extra data")

"""Cleaning untrusted contact text before it is stored or shown.

Contact data comes from files written by other programs and is treated as
plain text everywhere.  This module removes what a terminal could act on:
C0/C1 control characters (escape sequences start with one), and the Unicode
bidirectional overrides that can make text display in a misleading order,
and invisible characters that would make a name look right but never match a
search: zero-width spaces and joiners, direction marks, the word joiner, the
byte-order mark (U+200B-U+200F, U+2060, U+FEFF), Unicode tag characters
(U+E0000-U+E007F) and the noncharacters U+FDD0-U+FDEF, U+FFFE, U+FFFF.  Emoji built with a zero-width joiner fall apart into
their parts, and tag-letter flags into a plain black flag; that is the price
of names that can always be found.
Line breaks and tabs are kept where a field may hold several lines (notes).
"""

from __future__ import annotations

import re

# ANSI CSI/OSC/other escape sequences: drop the whole sequence, not only ESC,
# so "\x1b[31mred" becomes "red" rather than "[31mred".
_ESCAPE_SEQ = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]                # CSI ... final byte
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?   # OSC ... BEL or ST
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?        # DCS/SOS/PM/APC ... ST
    | \x1b[@-Z\\-_]                        # other two-byte escapes
    | \x9b[0-?]*[ -/]*[@-~]                # 8-bit CSI
    | \x9d[^\x07\x9c]*(?:\x07|\x9c)?       # 8-bit OSC
    """,
    re.VERBOSE,
)
# (also the noncharacters U+FDD0-U+FDEF, U+FFFE and U+FFFF: never text,
# and a spreadsheet file holding one cannot be opened)
_INVISIBLE = "\u200b-\u200f\u2060\ufeff\U000e0000-\U000e007f\ufdd0-\ufdef\ufffe\uffff"
_CONTROL_KEEP_NEWLINES = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069" + _INVISIBLE + "]"
)
_CONTROL_ALL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029" + _INVISIBLE + "]"
)

#: What JSON output leaves alone (it escapes C0 controls itself) but a
#: terminal would act on or hide: C1 controls, line and paragraph separators,
#: bidi controls and invisible characters.
JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069" + _INVISIBLE + "]")

_INVISIBLE_RE = re.compile("[" + _INVISIBLE + "]")


def strip_invisible(text: str) -> str:
    """``text`` without zero-width and tag characters (and nothing else)."""
    return _INVISIBLE_RE.sub("", text) if text else text


def clean(value: object, *, multiline: bool = False) -> str:
    """Return ``value`` as text with escape sequences and control characters removed.

    With ``multiline`` line breaks (normalised to ``\\n``) and tabs survive;
    otherwise every line break or tab becomes a single space.
    """
    if value is None:
        return ""
    text = str(value)
    if not text or text.isprintable():
        # nothing a terminal could act on (the common case: skip the regexes)
        return text
    text = _ESCAPE_SEQ.sub("", text)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return _CONTROL_KEEP_NEWLINES.sub("", text)
    text = re.sub(r"[\r\n\t\u2028\u2029]+", " ", text)
    return _CONTROL_ALL.sub("", text)


# A value a spreadsheet would read as a formula starts with one of these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> object:
    """A cell value safe to put in a CSV or spreadsheet: text starting with
    ``= + - @``, a tab or a carriage return gets a leading apostrophe so it is
    shown as text, never run as a formula.  Phone numbers get it too: a
    spreadsheet computes ``-555-0108`` (to -663) and ``+1 555 0100`` as
    formulas; dailyreach's import takes the apostrophe off again, so they
    come back as they were.  Non-text values pass unchanged."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    return "'" + value

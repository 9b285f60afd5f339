"""Filters typed in the contacts search box.

``status:k``, ``status2:retail``, ``owner:"Dana Whitfield"`` and
``due:today`` / ``due:overdue`` narrow the list; every other word is
searched for in name, company, e-mail and phone.  ``-`` (or ``?`` for
status) means "none": ``status:?`` lists unclassified contacts,
``owner:-`` those without an owner.  Values with spaces go in quotes.
"""

from __future__ import annotations

import shlex

#: Filter names (and their short forms) → Store.contacts() keyword.
FILTERS = {"status": "status", "s": "status", "status2": "status2", "s2": "status2",
           "owner": "owner", "o": "owner", "due": "due"}


def _filter_name(token: str) -> str | None:
    name, sep, _ = token.partition(":")
    return FILTERS.get(name.lower()) if sep else None


def parse_query(text: str) -> tuple[str, dict[str, str]]:
    """Split the search box into plain search words and filters.

    ``status: k`` (a space after the colon) reads as ``status:k``; a filter
    with nothing after it at all comes back with the value ``""``, for the
    caller to ask for one (it filters nothing)."""
    try:
        tokens = shlex.split(text)
    except ValueError:  # an unbalanced quote: take the words as typed
        tokens = text.split()
    words, filters = [], {}
    i = 0
    while i < len(tokens):
        token, i = tokens[i], i + 1
        name = _filter_name(token)
        if name is None:
            words.append(token)
            continue
        value = token.partition(":")[2].strip()
        if not value and i < len(tokens) and _filter_name(tokens[i]) is None:
            value, i = tokens[i].strip(), i + 1
        if value or name not in filters:
            filters[name] = value
    return " ".join(words), filters


def unclosed_quote(text: str) -> bool:
    """Does the search box hold a quote without its pair (owner:"Dana)?"""
    try:
        shlex.split(text)
    except ValueError:
        return True
    return False


def quote(value: str) -> str:
    """A filter value as it can be typed back (quoted when it has spaces)."""
    if value and not any(ch.isspace() or ch in "\"'\\" for ch in value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def filter_text(**filters: str | None) -> str:
    return " ".join(f"{name}:{quote(value)}" for name, value in filters.items() if value is not None)

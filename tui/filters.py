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


def parse_query(text: str) -> tuple[str, dict[str, str]]:
    """Split the search box into plain search words and filters."""
    try:
        tokens = shlex.split(text)
    except ValueError:  # an unbalanced quote: take the words as typed
        tokens = text.split()
    words, filters = [], {}
    for token in tokens:
        name, sep, value = token.partition(":")
        if sep and name.lower() in FILTERS:
            if value.strip():  # "status:" alone (half typed) filters nothing yet
                filters[FILTERS[name.lower()]] = value.strip()
        else:
            words.append(token)
    return " ".join(words), filters


def quote(value: str) -> str:
    """A filter value as it can be typed back (quoted when it has spaces)."""
    if value and not any(ch.isspace() or ch in "\"'\\" for ch in value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def filter_text(**filters: str | None) -> str:
    return " ".join(f"{name}:{quote(value)}" for name, value in filters.items() if value is not None)

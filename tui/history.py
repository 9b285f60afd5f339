"""History rows in people's words, for every screen that lists them (the
contact screen, the card beside the lists, triage).

The store keeps an edit as the field's name and its old and new values as
stored (``first_name``; e-mails and phones as JSON lists).  Here that becomes
``First name: Ann → Anna`` and ``E-mail (work): A@x.test → bob@x.test``.
Every value is contact data, shown literally through :func:`tui.safe.safe`.
"""

from __future__ import annotations

import json

from rich.text import Text

from store.plan import OUTCOME_LABELS

from .safe import safe

#: Field names as the contact screen and the edit form call them.
FIELD_LABELS = {"name": "Name", "first_name": "First name", "last_name": "Last name",
                "company": "Company", "title": "Title", "owner": "Owner", "notes": "Notes"}
#: A list field, and what one of its entries is called.
LIST_LABELS = {"emails": "E-mail", "phones": "Phone"}
KINDS = {"call": "call", "email": "e-mail", "meeting": "meeting", "note": "note"}
#: Shown for a value that was, or became, empty.
NONE = "none"

Change = tuple[str, "str | None", "str | None"]


def field_changes(field: str, old: str | None, new: str | None) -> list[Change]:
    """One edit row as (label, old, new) triples: one for a plain field, one
    per e-mail, phone or extra value that changed for the list fields."""
    if field in LIST_LABELS:
        entries = _entries(old), _entries(new)
        if None not in entries:
            return _list_changes(LIST_LABELS[field], *entries)
        return [(LIST_LABELS[field] + "s", old, new)]  # not a list as stored: as it is
    if field == "extra":
        before, after = _mapping(old), _mapping(new)
        if before is not None and after is not None:
            return [(key, _text(before.get(key)), _text(after.get(key)))
                    for key in dict.fromkeys([*before, *after])
                    if before.get(key) != after.get(key)]
        return [("Imported data", old, new)]
    label = FIELD_LABELS.get(field) or field.replace("_", " ").capitalize()
    return [(label, old, new)]


def _entries(value: str | None) -> list[dict] | None:
    if not value:
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return None
    return items


def _mapping(value: str | None) -> dict | None:
    if not value:
        return {}
    try:
        items = json.loads(value)
    except ValueError:
        return None
    return items if isinstance(items, dict) else None


def _text(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def _shown(entry: dict) -> str:
    ext = entry.get("ext")
    return f"{entry.get('value') or ''}{f' x{ext}' if ext else ''}"


def _list_changes(what: str, old: list[dict], new: list[dict]) -> list[Change]:
    """Entries kept as they were say nothing; an entry whose type alone
    changed says so; a removed and an added entry of one type read as one
    value replaced; the rest as added or removed."""
    old, new = list(old), list(new)
    for entry in list(old):  # unchanged
        if entry in new:
            old.remove(entry)
            new.remove(entry)
    out: list[Change] = []
    for entry in list(old):  # same value, another type
        match = next((n for n in new if _shown(n) == _shown(entry)), None)
        if match is not None:
            old.remove(entry)
            new.remove(match)
            out.append((f"{what} ({entry.get('type') or '?'} → {match.get('type') or '?'})",
                        _shown(entry), _shown(match)))
    for entry in list(old):  # a value replaced by another of the same type
        match = next((n for n in new if n.get("type") == entry.get("type")), None)
        if match is not None:
            old.remove(entry)
            new.remove(match)
            out.append((f"{what} ({entry.get('type') or '?'})", _shown(entry), _shown(match)))
    out += [(f"{what} ({e.get('type') or '?'})", _shown(e), None) for e in old]
    out += [(f"{what} ({e.get('type') or '?'})", None, _shown(e)) for e in new]
    return out


def describe(h: dict) -> Text:
    """What a history row records, on one line (without its date and without
    a note the user wrote; a note the app wrote on a status change, such as
    "undo", follows in brackets)."""
    out = Text()
    kind = h["kind"]
    if kind in ("status", "status2"):
        if kind == "status":
            out.append("status ", style="bold")
            old, new, empty = h["old_status"], h["new_status"], "unclassified"
        else:
            out.append("status 2 ", style="bold")
            old, new, empty = h["old_value"], h["new_value"], NONE
        out.append_text(safe(old or empty))
        out.append(" → ")
        out.append_text(safe(new or empty))
        if h["note"]:
            out.append(" (")
            out.append_text(safe(h["note"]))
            out.append(")")
    elif kind == "edit" and h["field"] == "contact":
        out.append("added by hand", style="bold")
    elif kind == "edit":
        for index, (label, old, new) in enumerate(field_changes(h["field"] or "", h["old_value"],
                                                                h["new_value"])):
            if index:
                out.append("; ")
            out.append_text(safe(label, "bold"))
            out.append(": ")
            if old and old == new:  # only its type changed
                out.append_text(safe(old))
                continue
            out.append_text(safe(old or NONE))
            out.append(" → ")
            out.append_text(safe(new or NONE))
    else:
        outcome = OUTCOME_LABELS.get(h["outcome"] or "", h["outcome"] or "")
        out.append(f"{KINDS.get(kind, kind)} {outcome}".rstrip(), style="bold")
    return out


def user_note(h: dict) -> str | None:
    """The note the user wrote on a call, e-mail, meeting or note (status
    changes and edits carry none of theirs)."""
    if h["kind"] in ("status", "status2", "edit"):
        return None
    return h["note"] or None

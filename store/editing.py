"""Editing a contact's fields, adding a contact by hand, and spotting duplicates.

Every edited field is recorded in the contact's history as an ``edit`` row
(``field``, ``old_value``, ``new_value``; lists and extra data as JSON), in
the same transaction as the change.
"""

from __future__ import annotations

import json
import re

from .errors import StoreError
from .text import clean

#: Fields a user can edit.  ``emails`` and ``phones`` are lists of
#: ``{"type", "value"}`` (phones may add ``"ext"``); the first of each is the
#: one the queue uses.  ``extra`` is the imported data without a field of its own.
EDITABLE = ("name", "first_name", "last_name", "company", "title", "owner", "notes",
            "emails", "phones", "extra")
_SCALAR = ("name", "first_name", "last_name", "company", "title", "owner", "notes")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


def _clean_list(items, what: str) -> list[dict]:
    out = []
    if not isinstance(items, list):
        raise StoreError(f"{what} must be a list")
    for item in items:
        if not isinstance(item, dict):
            raise StoreError(f"each of {what} must be an object with a value")
        value = " ".join(clean(item.get("value")).split())
        if not value:
            continue
        entry = {"type": " ".join(clean(item.get("type") or "work").split()) or "work",
                 "value": value}
        ext = " ".join(clean(item.get("ext")).split())
        if ext:
            entry["ext"] = ext
        if what == "emails" and not _EMAIL.fullmatch(value):
            raise StoreError(f"{value!r} is not an e-mail address (it needs one @ and no spaces)")
        if what == "phones" and not any(ch.isdigit() for ch in value):
            raise StoreError(f"{value!r} is not a phone number (it has no digits)")
        out.append(entry)
    return out


def clean_fields(fields: dict) -> dict:
    """Validated, cleaned copies of editable fields (blanks become ``None``)."""
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise StoreError(f"cannot edit {', '.join(unknown)} (editable: {', '.join(EDITABLE)})")
    out: dict = {}
    for key, value in fields.items():
        if key in ("emails", "phones"):
            out[key] = _clean_list(value or [], key)
        elif key == "extra":
            if not isinstance(value or {}, dict):
                raise StoreError("extra must be an object of field names to text")
            out[key] = {clean(k).strip(): clean(v, multiline=True)
                        for k, v in (value or {}).items() if clean(k).strip()}
        elif key == "notes":
            out[key] = clean(value, multiline=True).strip() or None
        else:
            out[key] = " ".join(clean(value).split()) or None
    return out


def _as_text(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _editable(row: dict) -> dict:
    """A contacts row with its lists and extra data decoded as edits see them."""
    current = dict(row)
    for key in ("emails", "phones"):
        # the import's normalized phone ("norm") is derived data, not
        # something the user edits: compare without it
        current[key] = [{k: v for k, v in e.items() if k != "norm"}
                        for e in json.loads(current[key] or "[]")]
    current["extra"] = json.loads(current["extra"] or "{}")
    return current


class EditingMixin:
    """Field edits, hand-added contacts, duplicate checks (mixed into ``Store``)."""

    def editable_fields(self, contact_id: int) -> dict:
        """A contact's editable fields as ``update_contact`` takes them, so
        that passing some of them back restores those fields."""
        row = self.conn.execute("SELECT * FROM contacts WHERE id = ?", [contact_id]).fetchone()
        if row is None:
            raise StoreError(f"no contact with id {contact_id}")
        current = _editable(dict(row))
        return {k: current[k] for k in EDITABLE}

    def _derived_text(self, row: dict) -> dict:
        from .db import search_text, sort_name

        name = row.get("name") or " ".join(
            p for p in (row.get("first_name"), row.get("last_name")) if p) or ""
        if not name and not row.get("company"):
            raise StoreError("a contact needs a name or a company")
        emails, phones = row.get("emails") or [], row.get("phones") or []
        email = emails[0]["value"] if emails else None
        return {
            "name": name or row.get("company") or "",
            "email": email,
            "email_norm": email.casefold() if email else None,
            "phone": phones[0]["value"] if phones else None,
            "sort_name": sort_name(row.get("first_name"), row.get("last_name"), name,
                                   row.get("company")),
            "search_text": search_text((name, row.get("company"), *(e["value"] for e in emails)),
                                       (p["value"] for p in phones)),
        }

    def update_contact(self, contact_id: int, fields: dict, *, source: str = "app") -> list[str]:
        """Change some of a contact's editable fields; returns the fields that
        changed (each recorded in history), all or nothing."""
        new = clean_fields(fields)
        with self.transaction() as conn:
            row = conn.execute("SELECT * FROM contacts WHERE id = ?", [contact_id]).fetchone()
            if row is None:
                raise StoreError(f"no contact with id {contact_id}")
            current = _editable(dict(row))
            changed = [k for k in EDITABLE if k in new and new[k] != current[k]
                       and not (k == "name" and new[k] is None and current[k] == "")]
            if not changed:
                return []
            # a name that was just first + last follows them when only they change
            parts = ("first_name", "last_name")
            if "name" not in changed and any(k in changed for k in parts):
                old_whole = " ".join(p for p in (current["first_name"], current["last_name"]) if p)
                if old_whole and current["name"] == old_whole:
                    whole = " ".join(p for p in (new.get(k, current[k]) for k in parts) if p)
                    if whole and whole != current["name"]:
                        new = {**new, "name": whole}
                        changed.append("name")
            merged = {**current, **{k: new[k] for k in changed}}
            if "name" in changed and not merged["name"]:
                merged["name"] = ""
            derived = self._derived_text(merged)
            when = self.now()
            updates = {k: merged[k] for k in changed}
            updates.update(derived)
            for key in ("emails", "phones", "extra"):
                if key in updates:
                    updates[key] = json.dumps(updates[key], ensure_ascii=False)
            updates["updated_at"] = when
            sets = ", ".join(f"{k} = ?" for k in updates)
            conn.execute(f"UPDATE contacts SET {sets} WHERE id = ?", [*updates.values(), contact_id])
            conn.executemany(
                "INSERT INTO activities (contact_id, kind, at, field, old_value, new_value, source)"
                " VALUES (?, 'edit', ?, ?, ?, ?, ?)",
                [(contact_id, when, k, _as_text(current[k]), _as_text(merged[k]), source)
                 for k in changed],
            )
            self._refresh(conn, [contact_id])
        return changed

    def add_contact(self, fields: dict, *, source: str = "app") -> int:
        """Add a contact by hand (unclassified until given a status); returns its id.
        It arrives today, so the plan counts its first call or e-mail from today."""
        from .db import next_contact_id

        row = {k: None for k in EDITABLE}
        row.update(clean_fields(fields))
        derived = self._derived_text(row)
        when = self.now()
        with self.transaction() as conn:
            cid = next_contact_id(conn)
            conn.execute(
                """INSERT INTO contacts (id, name, first_name, last_name, company, title, email,
                    email_norm, emails, phone, phones, owner, notes, extra, created_at,
                    updated_at, sort_name, search_text)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [cid, derived["name"], row["first_name"], row["last_name"], row["company"],
                 row["title"], derived["email"], derived["email_norm"],
                 json.dumps(row["emails"] or [], ensure_ascii=False), derived["phone"],
                 json.dumps(row["phones"] or [], ensure_ascii=False), row["owner"], row["notes"],
                 json.dumps(row["extra"] or {}, ensure_ascii=False), self.today().isoformat(),
                 when, derived["sort_name"], derived["search_text"]],
            )
            conn.execute(
                "INSERT INTO activities (contact_id, kind, at, field, new_value, note, source)"
                " VALUES (?, 'edit', ?, 'contact', ?, 'added by hand', ?)",
                [cid, when, derived["name"], source],
            )
            self._refresh(conn, [cid])
        return cid

    def possible_duplicates(self, fields: dict, *, exclude: int | None = None) -> list[dict]:
        """Contacts that look like the same person as ``fields``: the same
        e-mail address (any case), the same phone number (same digits, at
        least 7), or the same name and company (any case).  Each result is
        ``{id, name, company, reasons}``."""
        row = {k: None for k in EDITABLE}
        row.update(clean_fields(fields))
        name = row["name"] or " ".join(p for p in (row["first_name"], row["last_name"]) if p)
        emails = sorted({e["value"].casefold() for e in row["emails"] or []})
        digits = sorted({d for p in row["phones"] or []
                         if len(d := "".join(ch for ch in p["value"] if ch.isdigit())) >= 7})
        found: dict[int, dict] = {}

        def add(rows, reason: str) -> None:
            for r in rows:
                if r["id"] == exclude:
                    continue
                entry = found.setdefault(r["id"], {"id": r["id"], "name": r["name"],
                                                   "company": r["company"], "reasons": []})
                entry["reasons"].append(reason)

        # Each check first narrows with a cheap text test (the e-mail in the
        # stored list, the digits in the search text), then confirms exactly.
        for email in emails:
            add(self.conn.execute(
                "SELECT id, name, company FROM contacts c WHERE c.email_norm = ?"
                " OR (instr(lower(c.emails), ?) > 0 AND EXISTS (SELECT 1 FROM json_each(c.emails) e"
                "     WHERE lower(json_extract(e.value, '$.value')) = ?)) ORDER BY id",
                [email, email, email]), "same e-mail")
        for number in digits:
            add(self.conn.execute(
                "SELECT id, name, company FROM contacts c WHERE instr(c.search_text, ?) > 0"
                " AND EXISTS (SELECT 1 FROM json_each(c.phones) p"
                "     WHERE dr_digits(json_extract(p.value, '$.value')) = ?) ORDER BY id",
                [number, number]), "same phone")
        if name:
            add(self.conn.execute(
                "SELECT id, name, company FROM contacts WHERE lower(name) = lower(?)"
                " AND lower(coalesce(company, '')) = lower(?) ORDER BY id",
                [name, row["company"] or ""]), "same name and company")
        return list(found.values())

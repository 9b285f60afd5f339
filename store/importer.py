"""Importing contacts: reading an Act! "text delimited" export, and the
all-or-nothing merge of parsed records into the store.

Reading produces :class:`Record` objects (plain data, one per contact);
:func:`import_records` writes them in one transaction, so a failure at any
point leaves the database as it was.  The demo generator feeds the same
function, so demo data goes through the same path as real files.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .db import Store, search_text, sort_name
from .errors import StoreError
from .scheme import match_status, normalize_raw
from .text import clean

# Act! field labels (case-insensitive) → record field.  Every other column is
# kept, under its own header, in the contact's extra data.
ACT_COLUMNS = {
    "contact": "name",
    "first name": "first_name",
    "last name": "last_name",
    "company": "company",
    "title": "title",
    "e-mail": "email",
    "email": "email",
    "personal e-mail": "email:personal",
    "phone": "phone:work",
    "mobile phone": "phone:mobile",
    "home phone": "phone:home",
    "alternate phone": "phone:alternate",
    "fax phone": "phone:fax",
    "extension": "extension",
    "id/status": "status_raw",
    "last results": "last_results",
    "last reach": "last_reach",
    "last attempt": "last_attempt",
    "last meeting": "last_meeting",
    "create date": "created",
    "edit date": "edited",
    "record manager": "owner",
    "notes": "notes",
    "note": "notes",
}
_NAME_COLUMNS = {"name", "first_name", "last_name", "company", "email"}
_DATE_FIELDS = ("last_reach", "last_attempt", "last_meeting", "created", "edited")
_SCALARS = ("name", "first_name", "last_name", "company", "title", "status_raw", "owner", "notes")


@dataclass
class Activity:
    kind: str
    outcome: str | None
    day: date
    note: str | None = None

    def key(self) -> tuple:
        """Two activities with this key are the same event (re-import skips it)."""
        return (self.kind, self.outcome, self.day.isoformat(), self.note or None)


@dataclass
class Record:
    """One contact as read from a file, before it is merged into the store."""

    line: int
    name: str = ""
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    title: str = ""
    emails: list[dict] = field(default_factory=list)  # {"type", "value"}
    phones: list[dict] = field(default_factory=list)  # {"type", "value"[, "ext"]}
    status_raw: str = ""
    owner: str = ""
    notes: str = ""
    created: date | None = None
    extra: dict = field(default_factory=dict)
    activities: list[Activity] = field(default_factory=list)

    @property
    def email(self) -> str:
        return self.emails[0]["value"] if self.emails else ""

    @property
    def phone(self) -> str:
        return self.phones[0]["value"] if self.phones else ""

    def display_name(self) -> str:
        return self.name or " ".join(p for p in (self.first_name, self.last_name) if p)

    def identity(self) -> tuple:
        """Duplicate key: e-mail (any case), else name + company."""
        if self.email:
            return ("email", self.email.casefold())
        if self.display_name() or self.company:
            return ("name", self.display_name().casefold(), self.company.casefold())
        return ("phone", self.phone)


@dataclass
class ImportReport:
    file: str
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    rows: int = 0
    added: int = 0
    merged: int = 0
    unclassified: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    unmapped_statuses: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "format": self.format,
            "encoding": self.encoding,
            "rows": self.rows,
            "added": self.added,
            "merged": self.merged,
            "unclassified": self.unclassified,
            "skipped": [{"line": line, "reason": reason} for line, reason in self.skipped],
            "warnings": [{"line": line, "message": msg} for line, msg in self.warnings],
            "extra_columns": self.extra_columns,
            "unmapped_statuses": self.unmapped_statuses,
        }


# ---------------------------------------------------------------- reading
def _decode(data: bytes, path: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise StoreError(f"{path}: not valid UTF-16 text despite its byte-order mark") from None
    if b"\x00" in data[:4096]:
        raise StoreError(f"{path}: this is a binary file, not a text contact export")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _parse_date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    for fmt in ("%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def read_act(path: str | os.PathLike) -> tuple[list[Record], ImportReport]:
    """Parse an Act! "text delimited" export (comma or tab, any column order)."""
    path_text = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise StoreError(f"{path_text}: no such file") from None
    except IsADirectoryError:
        raise StoreError(f"{path_text}: is a directory, not a file") from None
    except OSError as exc:
        raise StoreError(f"{path_text}: cannot read ({exc.strerror})") from None
    report = ImportReport(file=path_text, format="act")
    text, report.encoding = _decode(data, path_text)
    if not text.strip():
        raise StoreError(f"{path_text}: the file is empty")
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(("\t", ",", ";"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    report.delimiter = {"\t": "tab", ",": "comma", ";": "semicolon"}[delimiter]

    # strict: a quote that is never closed is an error, not the rest of the
    # file swallowed into one cell
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
        while not any(h.strip() for h in header):
            header = next(reader)
    except StopIteration:
        raise StoreError(f"{path_text}: the file is empty") from None
    except csv.Error as exc:
        raise StoreError(f"{path_text}: line 1: unreadable header ({exc})") from None

    columns: list[tuple[str, str | None]] = []  # (header label, field or None)
    seen_fields: set[str] = set()
    for index, raw_label in enumerate(header):
        label = clean(raw_label).strip() or f"Column {index + 1}"
        target = ACT_COLUMNS.get(label.casefold())
        taken = {existing for existing, _ in columns}
        if label in taken:  # a repeated header keeps its values apart
            n = 2
            while f"{label} ({n})" in taken:
                n += 1
            label = f"{label} ({n})"
        if target in seen_fields:
            target = None  # a repeated column is kept as extra data, not overwritten
        if target:
            seen_fields.add(target)
        else:
            report.extra_columns.append(label)
        columns.append((label, target))
    if not any(t and (t in _NAME_COLUMNS) for _, t in columns):
        raise StoreError(
            f"{path_text}: line {reader.line_num}: no contact columns in the header "
            "(expected Act! field names such as Contact, Company, E-mail)"
        )

    records: list[Record] = []
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise StoreError(
                f"{path_text}: line {line}: badly quoted field ({exc}); nothing was imported"
            ) from None
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        report.rows += 1
        record = _record_from_row(start, row, columns, report)
        if record is None:
            report.skipped.append((start, "no name, company, e-mail or phone"))
        else:
            records.append(record)
    return records, report


def _record_from_row(line: int, row: list[str], columns, report: ImportReport) -> Record | None:
    rec = Record(line=line)
    values: dict[str, str] = {}
    for index, cell in enumerate(row):
        if index < len(columns):
            label, target = columns[index]
        else:
            label, target = f"Column {index + 1}", None
        multiline = target in ("notes", "last_results")
        value = clean(cell, multiline=multiline).strip()
        if not value:
            continue
        if target is None:
            rec.extra[label] = value
        else:
            values[target] = value
    for key in _SCALARS:
        if key in values:
            setattr(rec, key, values[key])
    for key, value in values.items():
        if key.startswith("phone:"):
            entry = {"type": key.split(":", 1)[1], "value": value}
            if key == "phone:work" and values.get("extension"):
                entry["ext"] = values["extension"]
            rec.phones.append(entry)
        elif key == "email":
            rec.emails.insert(0, {"type": "work", "value": value})
        elif key.startswith("email:"):
            rec.emails.append({"type": key.split(":", 1)[1], "value": value})
    if values.get("extension") and not any("ext" in p for p in rec.phones):
        rec.extra["Extension"] = values["extension"]
    if not (rec.display_name() or rec.company or rec.emails or rec.phones):
        return None
    dates: dict[str, date] = {}
    label_of = {t: label for label, t in columns if t}
    for key in _DATE_FIELDS:
        if key in values:
            parsed = _parse_date(values[key])
            if parsed is None:
                label = label_of.get(key, key)
                report.warnings.append((line, f"{label}: unreadable date {values[key]!r}, kept as text"))
                rec.extra[label] = values[key]
            else:
                dates[key] = parsed
    rec.created = dates.get("created")
    if "edited" in dates:
        rec.extra.setdefault("Edit Date", dates["edited"].isoformat())
    for key, kind, outcome in (
        ("last_reach", "call", "reached"),
        ("last_attempt", "call", "attempt"),
        ("last_meeting", "meeting", "held"),
    ):
        if key in dates:
            rec.activities.append(Activity(kind, outcome, dates[key]))
    results = values.get("last_results")
    if results:
        if rec.activities:
            latest = max(rec.activities, key=lambda a: a.day)
            latest.note = results
        else:
            day = dates.get("edited") or dates.get("created")
            if day:
                rec.activities.append(Activity("note", None, day, results))
            else:
                rec.extra["Last Results"] = results
    return rec


# ---------------------------------------------------------------- writing
def _merge_into(first: Record, other: Record, report: ImportReport) -> None:
    """Fold an in-file duplicate into the first record: fill blanks, keep
    every distinct e-mail and phone, note conflicting values."""
    for key in _SCALARS:
        mine, theirs = getattr(first, key), getattr(other, key)
        if not mine:
            setattr(first, key, theirs)
        elif theirs and theirs != mine:
            report.warnings.append(
                (other.line, f"duplicate of line {first.line}: kept {key} {mine!r}, not {theirs!r}")
            )
    for attr in ("emails", "phones"):
        known = {e["value"].casefold() for e in getattr(first, attr)}
        for entry in getattr(other, attr):
            if entry["value"].casefold() not in known:
                getattr(first, attr).append(entry)
                known.add(entry["value"].casefold())
    for key, value in other.extra.items():
        first.extra.setdefault(key, value)
    first.created = min(filter(None, (first.created, other.created)), default=None)
    have = {a.key() for a in first.activities}
    first.activities.extend(a for a in other.activities if a.key() not in have)


def _clean_record(rec: Record) -> None:
    """Strip control characters and escape sequences from every text the
    record carries, whoever built it (file readers already do; this makes the
    rule hold for every caller)."""
    for key in _SCALARS:
        setattr(rec, key, clean(getattr(rec, key), multiline=key == "notes").strip())
    for entries in (rec.emails, rec.phones):
        for entry in entries:
            for k, v in entry.items():
                entry[k] = clean(v).strip()
    rec.emails[:] = [e for e in rec.emails if e.get("value")]
    rec.phones[:] = [p for p in rec.phones if p.get("value")]
    rec.extra = {clean(k): clean(v, multiline=True) for k, v in rec.extra.items()}
    for activity in rec.activities:
        if activity.note:
            activity.note = clean(activity.note, multiline=True).strip() or None


def import_records(store: Store, records: list[Record], report: ImportReport) -> ImportReport:
    """Merge records into the store in one transaction and fill in ``report``."""
    merged: dict[tuple, Record] = {}
    for rec in records:
        _clean_record(rec)
        key = rec.identity()
        if key in merged:
            _merge_into(merged[key], rec, report)
            report.merged += 1
        else:
            merged[key] = rec

    statuses = store.statuses()
    remembered = {
        r["raw_norm"]: r["status_id"]
        for r in store.conn.execute("SELECT raw_norm, status_id FROM status_map")
    }
    by_id = {s.id: s for s in statuses}
    now = store.now()
    unmapped: Counter = Counter()

    def status_for(raw: str):
        status = match_status(raw, statuses)
        if status is None and raw:
            status = by_id.get(remembered.get(normalize_raw(raw)))
        return status

    touched: list[int] = []
    with store.transaction() as conn:
        next_id = (conn.execute("SELECT coalesce(max(id), 0) FROM contacts").fetchone()[0]) + 1
        new_rows, new_acts = [], []
        for rec in merged.values():
            status = status_for(rec.status_raw)
            existing = _find_existing(conn, rec)
            if existing is not None:
                report.merged += 1
                cid = existing["id"]
                _fill_existing(conn, existing, rec, status, now)
                have = {
                    (r["kind"], r["outcome"], r["day"], r["note"])
                    for r in conn.execute(
                        "SELECT kind, outcome, date(at) AS day, note FROM activities"
                        " WHERE contact_id = ?",
                        [cid],
                    )
                }
                acts = [a for a in rec.activities if a.key() not in have]
                if existing["status_id"] is None and status is None:
                    report.unclassified += 1
            else:
                report.added += 1
                cid = next_id
                next_id += 1
                name = rec.display_name() or rec.company
                new_rows.append((
                    cid, name, rec.first_name or None, rec.last_name or None, rec.company or None,
                    rec.title or None, rec.email or None, rec.email.casefold() or None,
                    json.dumps(rec.emails), rec.phone or None, json.dumps(rec.phones),
                    status.id if status else None, rec.status_raw or None, rec.owner or None,
                    rec.notes or None, json.dumps(rec.extra, ensure_ascii=False),
                    rec.created.isoformat() if rec.created else now, now,
                    sort_name(rec.first_name, rec.last_name, name, rec.company),
                    search_text((name, rec.company, *(e["value"] for e in rec.emails)),
                                (p["value"] for p in rec.phones)),
                ))
                acts = rec.activities
                if status is None:
                    report.unclassified += 1
            if status is None and rec.status_raw:
                unmapped[rec.status_raw] += 1
            touched.append(cid)
            new_acts.extend(
                (cid, a.kind, a.outcome, a.day.isoformat(), a.note) for a in acts
            )
        conn.executemany(
            """INSERT INTO contacts (id, name, first_name, last_name, company, title, email,
                email_norm, emails, phone, phones, status_id, status_raw, owner, notes, extra,
                created_at, updated_at, sort_name, search_text)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            new_rows,
        )
        conn.executemany(
            "INSERT INTO activities (contact_id, kind, outcome, at, note, source)"
            " VALUES (?, ?, ?, ?, ?, 'import')",
            new_acts,
        )
        store._refresh(conn, touched, history=True)
    report.unmapped_statuses = dict(unmapped.most_common())
    return report


def _find_existing(conn, rec: Record):
    if rec.email:
        return conn.execute(
            "SELECT * FROM contacts WHERE email_norm = ? ORDER BY id LIMIT 1", [rec.email.casefold()]
        ).fetchone()
    name = rec.display_name() or rec.company
    if not name:
        return conn.execute(
            "SELECT * FROM contacts WHERE name = '' AND coalesce(email, '') = '' AND phone = ?"
            " ORDER BY id LIMIT 1",
            [rec.phone],
        ).fetchone()
    return conn.execute(
        "SELECT * FROM contacts WHERE lower(name) = lower(?) AND lower(coalesce(company, ''))"
        " = lower(?) AND coalesce(email, '') = '' ORDER BY id LIMIT 1",
        [name, rec.company],
    ).fetchone()


def _fill_existing(conn, existing, rec: Record, status, now: str) -> None:
    """Fill the existing contact's blanks from ``rec``; never blank or overwrite."""
    updates: dict[str, object] = {}
    for key in ("first_name", "last_name", "company", "title", "status_raw", "owner", "notes"):
        value = getattr(rec, key)
        if value and not existing[key]:
            updates[key] = value
    lists = {}
    for key in ("emails", "phones"):
        current = json.loads(existing[key] or "[]")
        known = {e["value"].casefold() for e in current}
        added = [e for e in getattr(rec, key) if e["value"].casefold() not in known]
        if added:
            lists[key] = current + added
            updates[key] = json.dumps(current + added)
    if not existing["email"] and rec.email:
        updates["email"] = rec.email
        updates["email_norm"] = rec.email.casefold()
    if not existing["phone"] and rec.phone:
        updates["phone"] = rec.phone
    extra = json.loads(existing["extra"] or "{}")
    new_extra = {k: v for k, v in rec.extra.items() if k not in extra}
    if new_extra:
        updates["extra"] = json.dumps({**extra, **new_extra}, ensure_ascii=False)
    if existing["status_id"] is None and status is not None:
        updates["status_id"] = status.id
        conn.execute(
            "INSERT INTO activities (contact_id, kind, at, old_status, new_status, new_status_id,"
            " source, note) VALUES (?, 'status', ?, NULL, ?, ?, 'import', 'set by import')",
            [existing["id"], now, status.name, status.id],
        )
    if not updates:
        return
    updates["updated_at"] = now
    merged = {**dict(existing), **updates}
    updates["search_text"] = search_text(
        (merged["name"], merged["company"],
         *(e["value"] for e in lists.get("emails", json.loads(merged["emails"])))),
        (p["value"] for p in lists.get("phones", json.loads(merged["phones"]))),
    )
    sets = ", ".join(f"{k} = ?" for k in updates)
    conn.execute(f"UPDATE contacts SET {sets} WHERE id = ?", [*updates.values(), existing["id"]])


def import_file(store: Store, path: str | os.PathLike) -> ImportReport:
    """Read an Act! export and merge it into the store, all or nothing."""
    records, report = read_act(path)
    return import_records(store, records, report)

"""Importing contacts: any supported file (see :mod:`store.formats`) read
into :class:`Record` objects, merged into the store all-or-nothing.

:func:`import_records` is the one way contacts enter the database — files
and the demo generator both use it.  It runs in one transaction, so an
error, Ctrl-C or a killed process at any point leaves the database as it
was.  Records are consumed as a stream and written in batches, so memory
stays flat however large the file.

Matching (README, "Duplicates and re-import"): an incoming contact is the
same as an existing one when they share an e-mail address (any case), else a
phone number (normalized), else — when it has neither — name and company.
A shared e-mail or phone only counts when the names agree (or one side has
none); two different names on one e-mail are reported, not merged.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from array import array
from collections import Counter
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from json.encoder import encode_basestring as _q

from .db import Store, next_contact_id, search_text, sort_name
from .errors import StoreError
from .formats.values import phone_key
from .records import MAX_MESSAGES, Activity, ImportReport, Record
from .scheme import check_key, match_status, normalize_raw
from .status2 import append_status2
from .text import clean

__all__ = ["Activity", "ImportReport", "Record", "import_file", "import_records", "preview_file"]

_SCALARS = ("name", "first_name", "last_name", "company", "title", "status_raw", "status2", "owner",
            "notes")
#: What a Record attribute is called in messages when the file gave no header.
_ATTR_LABELS = {"name": "Name", "first_name": "First Name", "last_name": "Last Name",
                "company": "Company", "title": "Title", "status_raw": "Status",
                "status2": "Status 2", "owner": "Owner", "notes": "Notes"}
_ATTR_FIELD = {"status_raw": "status"}
BATCH = 2000
def _json(value) -> str:
    """``json.dumps(value, ensure_ascii=False)`` for the shapes a Record
    carries — a dict of str, or a list of such dicts — built directly from
    the C string quoter (json's encoder costs more than the rest of the
    row).  Anything else goes through json.dumps; a test compares both."""
    if not value:
        return "{}" if isinstance(value, dict) else "[]"
    try:
        if isinstance(value, dict):
            return "{" + ", ".join([_q(k) + ": " + _q(v) for k, v in value.items()]) + "}"
        return "[" + ", ".join(
            ["{" + ", ".join([_q(k) + ": " + _q(v) for k, v in e.items()]) + "}" for e in value]) + "]"
    except TypeError:  # a value that is not a string
        return json.dumps(value, ensure_ascii=False)
DEFAULT_REGION = "US"


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Name comparison form: no case, accents or repeated spaces."""
    text = unicodedata.normalize("NFKD", " ".join(text.casefold().split()))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_WORD = re.compile(r"\w+")


def _words(folded: str) -> set[str]:
    return set(_WORD.findall(folded))


def same_person(a: str, b: str, *, strict: bool = False) -> bool:
    """Do two names plausibly name one person?  Blank matches anything;
    otherwise equal after folding, or one's words all among the other's
    (``Ann Lee`` / ``Dr. Ann B. Lee``).  Unless ``strict``, a near miss
    also counts (rapidfuzz, for a typo beside a shared e-mail address);
    a shared phone is weaker evidence — an office line serves many people
    — so it needs whole words: ``Jo Ng`` is not ``Jo Ngo``."""
    if not a or not b:
        return True
    fa, fb = _fold(a), _fold(b)
    if fa == fb:
        return True
    wa, wb = _words(fa), _words(fb)
    if wa and wb and (wa <= wb or wb <= wa):
        return True
    if strict:
        return False
    from rapidfuzz import fuzz

    return fuzz.ratio(fa, fb) >= 90


def _labels(report: ImportReport) -> dict[str, str]:
    """Record attribute → the file's own column header, for messages."""
    by_field: dict[str, str] = {}
    for header, field in report.columns:
        if field and field not in by_field:
            by_field[field] = header
    return {attr: by_field.get(_ATTR_FIELD.get(attr, attr), default)
            for attr, default in _ATTR_LABELS.items()}


#: Excel's cell limit: a file value that is the stored one cut there is
#: that value as a spreadsheet (an XLSX export) holds it, not a change.
_CELL_MAX = 32_767


def _differs(old: str | None, new: str) -> bool:
    """A real change: case and spacing alone do not count, nor a cut at the
    spreadsheet cell limit."""
    if not new or not old:
        return False
    if len(old) > _CELL_MAX and old[:_CELL_MAX].strip() == new.strip():
        return False
    return " ".join(old.casefold().split()) != " ".join(new.casefold().split())


def _clean_record(rec: Record, region: str) -> None:
    """Strip control characters and escape sequences from every text the
    record carries (file readers already do; this makes the rule hold for
    every caller), and add each phone's normalized form."""
    if not rec.cleaned:
        _clean_texts(rec)
    if rec.owner:  # one owner, however its spaces were typed
        rec.owner = " ".join(rec.owner.split())
    for p in rec.phones:
        norm = phone_key(p["value"], region)
        if norm:
            p["norm"] = norm
        else:
            p.pop("norm", None)


def _clean_texts(rec: Record) -> None:
    for key in _SCALARS:
        value = getattr(rec, key)
        if value:
            setattr(rec, key, clean(value, multiline=key == "notes").strip())
    for entries in (rec.emails, rec.phones):
        for entry in entries:
            for k, v in entry.items():
                if isinstance(v, str):
                    entry[k] = clean(v).strip()
    rec.emails[:] = [e for e in rec.emails if e.get("value")]
    rec.phones[:] = [p for p in rec.phones if p.get("value")]
    if rec.extra:
        rec.extra = {clean(k): clean(v, multiline=True) for k, v in rec.extra.items()}
    for activity in rec.activities:
        if activity.note:
            activity.note = clean(activity.note, multiline=True).strip() or None


class _Index:
    """In-memory lookup of contacts by e-mail, phone and name + company,
    loaded once per import and kept up to date as contacts are added."""

    def __init__(self) -> None:
        self.email: dict[str, int] = {}
        self.phone: dict[str, int] = {}
        self.phone_more: dict[str, list[int]] = {}  # other contacts sharing a number
        # folded name → [(contact id, folded company)], in id order
        self.name: dict[str, list[tuple[int, str]]] = {}

    def load(self, conn, region: str) -> None:
        for row in conn.execute(
                "SELECT id, name, company, email_norm, emails, phones FROM contacts ORDER BY id"):
            cid = row[0]
            if row[3]:
                self.email.setdefault(row[3], cid)
            if row[4] and row[4] != "[]":
                for e in json.loads(row[4]):
                    self.email.setdefault(str(e.get("value", "")).casefold(), cid)
            if row[5] and row[5] != "[]":
                for p in json.loads(row[5]):
                    norm = p.get("norm") or phone_key(str(p.get("value", "")), region)
                    if norm:
                        self.add_phone(norm, cid)
            self.add_name(_fold(row[1] or row[2] or ""), _fold(row[2] or ""), cid)

    def add(self, cid: int, rec: Record) -> None:
        self.add_addresses(cid, rec)
        self.add_name(_fold(rec.display_name() or rec.company), _fold(rec.company), cid)

    def add_addresses(self, cid: int, rec: Record) -> None:
        """The record's e-mails and phones now lead to contact ``cid``."""
        for e in rec.emails:
            self.email.setdefault(e["value"].casefold(), cid)
        for p in rec.phones:
            if p.get("norm"):
                self.add_phone(p["norm"], cid)

    def add_name(self, name: str, company: str, cid: int) -> None:
        self.name.setdefault(name, []).append((cid, company))

    def by_name(self, name: str, company: str, stored_before: int) -> list[int]:
        """Contacts a record with no e-mail or phone can be: the same name
        and company, else — among contacts stored before this import (ids
        below ``stored_before``) — the same name where one side has no
        company: a narrower file without a Company column still names the
        same people, while two rows of one file with a name alone are two
        records."""
        entries = self.name.get(name, ())
        exact = [cid for cid, c in entries if c == company]
        if exact:
            return exact[:1]
        return list(dict.fromkeys(cid for cid, c in entries
                                  if cid < stored_before and (not c or not company)))

    def add_phone(self, norm: str, cid: int) -> None:
        first = self.phone.setdefault(norm, cid)
        if first != cid:
            more = self.phone_more.setdefault(norm, [])
            if cid not in more:
                more.append(cid)

    def phone_ids(self, norm: str) -> list[int]:
        first = self.phone.get(norm)
        if first is None:
            return []
        return [first, *self.phone_more.get(norm, ())]


class _Merge:
    """State of one import run inside its transaction."""

    def __init__(self, store: Store, conn, report: ImportReport, status_map: dict | None,
                 region: str):
        self.store, self.conn, self.report = store, conn, report
        self.region = region
        self.statuses = store.statuses()
        self.by_id = {s.id: s for s in self.statuses}
        self.by_key = {s.key: s for s in self.statuses}
        self.remembered = {r[0]: r[1] for r in conn.execute("SELECT raw_norm, status_id FROM status_map")}
        self.chosen: dict[str, int | None] = {}
        for raw, key in (status_map or {}).items():
            norm = normalize_raw(raw)
            if not norm:
                continue
            status = None
            if key:
                status = self.by_key.get(key.upper())
                if status is None:
                    raise StoreError(f"no status has the key {key!r}")
            named = match_status(raw, self.statuses)
            if named is not None and named is not status:
                # the mapping would be ignored (the name wins): refuse it, as
                # the status clean-up does, rather than say nothing
                raise StoreError(f"{raw.strip()!r} is the name of a status ({named.name}) and "
                                 "always means it; it cannot be mapped to another")
            self.chosen[norm] = status.id if status else None
        self._status_cache: dict[str, object] = {}
        self.now = store.now()
        self.today = self.now[:10]
        self.labels = _labels(report)
        self.index = _Index()
        self.index.load(conn, region)
        self.first_new = next_contact_id(conn)
        self.next_id = self.first_new
        self.lines = array("l")  # line of each contact added by this import
        self.pending: dict[int, Record] = {}
        self.touched: list[int] = []
        self.unmapped: Counter = Counter()
        self.seen: set[int] = set()
        self.kept_edits = 0  # values changed by hand that the file's old ones did not undo
        self.map_changes = 0  # remembered raw-status mappings this import changed
        self.first_lines: dict[int, int] = {}  # existing contacts this import already merged into
        self.batch: int | None = None  # the change batch of status changes to stored contacts
        listed = store.status2_values()
        self.status2_names = {v.name.casefold(): v.name for v in listed}
        self.status2_keys = {v.key: v.name for v in listed}

    def status_batch(self) -> int:
        """The one change batch holding this import's status changes to
        contacts already stored, so a single undo reverts them."""
        if self.batch is None:
            self.batch = self.store._new_batch(self.conn, "import", "import")
        return self.batch

    def label_status_batch(self) -> None:
        if self.batch is None:
            return
        n = self.conn.execute("SELECT count(*) FROM activities WHERE batch_id = ?",
                              [self.batch]).fetchone()[0]
        what = [f"status of {n:,} contact(s)"] if n or not self.map_changes else []
        if self.map_changes:
            what.append(f"{self.map_changes} raw status mapping(s)")
        self.conn.execute(
            "UPDATE change_batches SET label = ? WHERE id = ?",
            [f"import of {os.path.basename(self.report.file)}: {', '.join(what)}", self.batch])

    # ----------------------------------------------------------- statuses
    def resolve_status2(self, rec: Record) -> None:
        """The record's status 2 as the list spells it.  A value not in the
        list joins it when its first letter is free (one key must still set
        it in the app); otherwise it is kept as extra data, with a warning."""
        text = " ".join(rec.status2.split())
        known = self.status2_names.get(text.casefold())
        if known is not None:
            rec.status2 = known
            return
        label = self.labels["status2"]
        try:
            key = check_key(text, "status 2 value")
        except StoreError as exc:
            key, why = None, str(exc)
        else:
            why = (f"its letter {key} is taken by {self.status2_keys[key]!r}"
                   if key in self.status2_keys else "")
        if key is None or why:
            self.report.warn(rec.line, f"{label} {text!r} is not in the status 2 list and cannot "
                                       f"join it ({why}); kept as extra data")
            rec.extra.setdefault(label, text)
            rec.status2 = ""
            return
        append_status2(self.conn, [text])
        self.status2_names[text.casefold()] = self.status2_keys[key] = text
        self.report.notes.append(f"status 2 list: {text!r} added (Shift+{key} sets it)")
        rec.status2 = text

    def status_for(self, raw: str):
        if raw in self._status_cache:
            return self._status_cache[raw]
        status = match_status(raw, self.statuses)
        if status is None and raw:
            norm = normalize_raw(raw)
            if norm in self.chosen:
                status = self.by_id.get(self.chosen[norm])
            else:
                status = self.by_id.get(self.remembered.get(norm))
        self._status_cache[raw] = status
        return status

    def save_status_map(self) -> None:
        """Remember the raw-status choices made for this import, and give
        every unclassified contact already carrying one of those values its
        status (mapping a raw value once maps every contact with it)."""
        if not self.chosen:
            return
        conn = self.conn
        changed = []
        for norm, status_id in self.chosen.items():
            if self.remembered.get(norm) != status_id:
                changed.append([norm, self.remembered.get(norm), status_id])
            if status_id is None:
                conn.execute("DELETE FROM status_map WHERE raw_norm = ?", [norm])
            else:
                conn.execute("INSERT OR REPLACE INTO status_map (raw_norm, status_id) VALUES (?, ?)",
                             [norm, status_id])
        if changed:  # the import's undo forgets them again
            self.map_changes = len(changed)
            conn.execute("UPDATE change_batches SET map_changes = ? WHERE id = ?",
                         [json.dumps(changed), self.status_batch()])
        wanted = {norm: sid for norm, sid in self.chosen.items() if sid is not None}
        if not wanted:
            return
        for cid, raw in conn.execute(
                "SELECT id, status_raw FROM contacts WHERE status_id IS NULL AND status_raw IS NOT NULL"
        ).fetchall():
            status_id = wanted.get(normalize_raw(raw))
            if status_id is None:
                continue
            status = self.by_id[status_id]
            conn.execute("UPDATE contacts SET status_id = ?, updated_at = ? WHERE id = ?",
                         [status_id, self.now, cid])
            conn.execute(
                "INSERT INTO activities (contact_id, kind, at, old_status, new_status, old_status_id,"
                " new_status_id, source, note, batch_id)"
                " VALUES (?, 'status', ?, NULL, ?, NULL, ?, 'import', ?, ?)",
                [cid, self.now, status.name, status_id,
                 f"imported status {raw!r} mapped to {status.name}", self.status_batch()])
            self.touched.append(cid)

    # ------------------------------------------------------------ matching
    def find(self, rec: Record) -> tuple[int | None, str | None]:
        """(contact id or None, conflict message or None)."""
        name = rec.display_name()
        index = self.index
        for e in rec.emails:
            cid = index.email.get(e["value"].casefold())
            if cid is not None:
                other = self._name_of(cid)
                if same_person(name, other):
                    return cid, None
                where = self._where(cid)
                return None, (f"e-mail {e['value']} already belongs to {other!r}{where}; "
                              f"{name!r} was not merged with them — check the address")
        for p in rec.phones:
            norm = p.get("norm")
            if norm:
                found = [cid for cid in index.phone_ids(norm)
                         if same_person(name, self._name_of(cid), strict=True)]
                if len(found) == 1:
                    return found[0], None
                if found:
                    # two contacts of that name on that number already: the
                    # record could be either (and which one came first would
                    # decide it, so a second import of the file could differ)
                    return None, (f"phone {p['value']} and the name {name or rec.company!r} match "
                                  f"{len(found)} contacts (ids {', '.join(map(str, sorted(found)))});"
                                  " not merged — add an e-mail to tell them apart")
        if not rec.emails and not rec.phones:
            found = index.by_name(_fold(name or rec.company), _fold(rec.company), self.first_new)
            if len(found) == 1:
                return found[0], None
            if found:
                return None, (f"{name or rec.company!r} has no e-mail or phone and matches "
                              f"{len(found)} contacts of that name at different companies; not "
                              "merged — add the company, an e-mail or a phone to tell them apart")
        return None, None

    def _name_of(self, cid: int) -> str:
        if cid in self.pending:
            return self.pending[cid].display_name()
        row = self.conn.execute("SELECT name FROM contacts WHERE id = ?", [cid]).fetchone()
        return row[0] if row else ""

    def _first_line(self, cid: int) -> int | None:
        if cid >= self.first_new:
            return self.lines[cid - self.first_new]
        return self.first_lines.get(cid)

    def _where(self, cid: int) -> str:
        if cid >= self.first_new:
            return f" (line {self.lines[cid - self.first_new]})"
        return ""

    # -------------------------------------------------------------- adding
    def add(self, rec: Record) -> None:
        cid = self.next_id
        self.next_id += 1
        self.lines.append(rec.line)
        self.pending[cid] = rec
        self.index.add(cid, rec)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        rows, acts = [], []
        report = self.report
        for cid, rec in self.pending.items():
            status = self.status_for(rec.status_raw)
            name = rec.display_name() or rec.company
            created = rec.created.isoformat() if rec.created else self.now
            emails = [e["value"] for e in rec.emails]
            phones = [p["value"] for p in rec.phones]
            derived = _derived(rec, status, created[:10])
            rows.append((
                cid, name, rec.first_name or None, rec.last_name or None, rec.company or None,
                rec.title or None, rec.email or None, rec.email.casefold() or None,
                _json(rec.emails), rec.phone or None, _json(rec.phones),
                status.id if status else None, rec.status_raw or None, rec.status2 or None,
                rec.owner or None, rec.notes or None, _json(rec.extra), created, self.now,
                sort_name(rec.first_name, rec.last_name, name, rec.company),
                search_text((name, rec.company, *emails), phones), *derived,
            ))
            for a in _unique(rec.activities):
                acts.append((cid, a.kind, a.outcome, a.day.isoformat(), a.note))
            if any((a.kind == "call" and a.outcome != "reached")
                   or (a.kind == "email" and a.outcome == "bounced") for a in rec.activities):
                # attempts bring retry gaps and attempt counts, which only
                # Store._refresh knows: refresh these in SQL at the end
                self.touched.append(cid)
            report.added += 1
            if status is None:
                report.unclassified += 1
                if rec.status_raw:
                    self.unmapped[rec.status_raw] += 1
                else:
                    report.no_status += 1
        self.conn.executemany(
            """INSERT INTO contacts (id, name, first_name, last_name, company, title, email,
                email_norm, emails, phone, phones, status_id, status_raw, status2, owner, notes,
                extra, created_at, updated_at, sort_name, search_text, last_call_reached,
                last_email_sent, call_attempts, next_call_due, next_email_due)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            rows)
        self.conn.executemany(
            "INSERT INTO activities (contact_id, kind, outcome, at, note, source)"
            " VALUES (?, ?, ?, ?, ?, 'import')", acts)
        self.pending.clear()

    # ------------------------------------------------------------- merging
    def merge(self, cid: int, rec: Record) -> None:
        if cid in self.pending:
            _merge_into(self.pending[cid], rec, self.report, self.labels)
            # its other addresses find this contact too, as they will once
            # it is stored (else a second import of the file could differ)
            self.index.add_addresses(cid, rec)
            self.report.merged += 1
            return
        # a contact that existed before this import takes the file's changes
        # once; later rows of the same file that match it are duplicates
        update = cid < self.first_new and cid not in self.seen
        if update:
            self.seen.add(cid)
            self.first_lines[cid] = rec.line
        self.merge_row(cid, rec, update=update)

    def merge_row(self, cid: int, rec: Record, *, update: bool) -> None:
        """Merge into a stored contact.  ``update``: it existed before this
        import, so a changed value replaces the old one (kept in history);
        otherwise (an earlier row of this file) blanks are only filled."""
        conn, report = self.conn, self.report
        existing = conn.execute("SELECT * FROM contacts WHERE id = ?", [cid]).fetchone()
        updates: dict[str, object] = {}
        changes: list[str] = []
        first_line = self._first_line(cid)
        edits = _HandEdits(conn, cid, self.region) if update else None
        for key in ("first_name", "last_name", "company", "title", "owner", "notes"):
            new, old = getattr(rec, key), existing[key]
            if not new:
                continue
            if not old:
                updates[key] = new
            elif _differs(old, new):
                if update and edits.replaced(key, new):
                    self.kept_edits += 1
                elif update:
                    updates[key] = new
                    changes.append(f"{self.labels[key]}: {old!r} → {new!r}")
                else:
                    report.warn(rec.line, f"duplicate of line {first_line}: kept {self.labels[key]} "
                                          f"{old!r}, not {new!r}")
        new_name = rec.display_name()
        if new_name and _differs(existing["name"], new_name):
            if update and edits.replaced("name", new_name):
                self.kept_edits += 1
            elif update:
                updates["name"] = new_name
                changes.append(f"{self.labels['name']}: {existing['name']!r} → {new_name!r}")
            else:
                report.warn(rec.line, f"duplicate of line {first_line}: kept {self.labels['name']} "
                                      f"{existing['name']!r}, not {new_name!r}")
        elif new_name and not existing["name"]:
            updates["name"] = new_name
        # status: the file's raw value, compared with what an import stored
        status = self.status_for(rec.status_raw)
        status_id = existing["status_id"]
        if rec.status_raw:
            old_raw = existing["status_raw"] or ""
            if not old_raw:
                updates["status_raw"] = rec.status_raw
            elif normalize_raw(old_raw) != normalize_raw(rec.status_raw) and not (
                    status is not None and status is self.status_for(old_raw)):
                # ("Key Clients" and "Key Client" name one status: no change)
                if update:
                    updates["status_raw"] = rec.status_raw
                    changes.append(f"{self.labels['status_raw']}: {old_raw!r} → {rec.status_raw!r}")
                else:
                    report.warn(rec.line, f"duplicate of line {first_line}: kept "
                                          f"{self.labels['status_raw']} {old_raw!r}, not {rec.status_raw!r}")
                    status = self.status_for(old_raw)
            if status is not None and status.id != status_id and (
                    status_id is None or (update and "status_raw" in updates)):
                old_status = self.by_id.get(status_id)
                updates["status_id"] = status.id
                conn.execute(
                    "INSERT INTO activities (contact_id, kind, at, old_status, new_status,"
                    " old_status_id, new_status_id, source, note, batch_id)"
                    " VALUES (?, 'status', ?, ?, ?, ?, ?, 'import', 'set by import', ?)",
                    [cid, self.now, old_status.name if old_status else None, status.name,
                     status_id, status.id, self.status_batch()])
                status_id = status.id
        # status 2: set like a status change (history, undone with the import's batch)
        if rec.status2:
            old2 = existing["status2"] or ""
            if old2 != rec.status2 and (not old2 or update):
                updates["status2"] = rec.status2
                conn.execute(
                    "INSERT INTO activities (contact_id, kind, at, note, field, old_value,"
                    " new_value, source, batch_id)"
                    " VALUES (?, 'status2', ?, 'set by import', 'status2', ?, ?, 'import', ?)",
                    [cid, self.now, old2 or None, rec.status2, self.status_batch()])
            elif old2 != rec.status2:
                report.warn(rec.line, f"duplicate of line {first_line}: kept "
                                      f"{self.labels['status2']} {old2!r}, not {rec.status2!r}")
        # e-mails and phones
        lists = {}
        for key, label in (("emails", "E-mail"), ("phones", "Phone")):
            current = json.loads(existing[key] or "[]")
            if key == "phones":
                for entry in current:  # one typed by hand has no normalized form yet
                    if not entry.get("norm") and (norm := phone_key(str(entry.get("value", "")), self.region)):
                        entry["norm"] = norm
            incoming = getattr(rec, key)
            if update and incoming:
                # one taken off by hand stays off while the file still lists it
                removed = edits.removed_entries(key) - {_norm_entry(e, key) for e in current}
                kept = [e for e in incoming if _norm_entry(e, key) not in removed]
                self.kept_edits += len(incoming) - len(kept)
                incoming = kept
            merged, notes = _merge_entries(current, incoming, key, update, label)
            if merged is not None:
                lists[key] = merged
                updates[key] = json.dumps(merged, ensure_ascii=False)
                changes.extend(notes)
        if "emails" in lists:
            primary = lists["emails"][0]["value"] if lists["emails"] else None
            if primary != existing["email"]:
                updates["email"] = primary
                updates["email_norm"] = primary.casefold() if primary else None
        if "phones" in lists:
            primary = lists["phones"][0]["value"] if lists["phones"] else None
            if primary != existing["phone"]:
                updates["phone"] = primary
        # extra data
        extra = json.loads(existing["extra"] or "{}")
        new_extra = dict(extra)
        for k, v in rec.extra.items():
            if k not in extra or not extra[k]:
                new_extra[k] = v
            elif extra[k] != v and _differs(extra[k], v):
                if update and edits.replaced_extra(k, v):
                    self.kept_edits += 1
                elif update:
                    new_extra[k] = v
                    changes.append(f"{k}: {extra[k]!r} → {v!r}")
                else:
                    report.warn(rec.line, f"duplicate of line {first_line}: kept {k} {extra[k]!r}, not {v!r}")
        if update:
            # a date an earlier import kept as text (its day/month order was
            # unclear) and this one reads as a date: history now holds it
            for k, text in rec.dated.items():
                if k not in rec.extra and new_extra.get(k) == clean(text):
                    del new_extra[k]
                    changes.append(f"{k}: {text!r} read as a date")
        if new_extra != extra:
            updates["extra"] = json.dumps(new_extra, ensure_ascii=False)
        if rec.created and rec.created.isoformat() < existing["created_at"][:10]:
            updates["created_at"] = rec.created.isoformat()
        # history
        have: dict[tuple, tuple[int, str | None]] = {}
        for r in conn.execute("SELECT id, kind, outcome, date(at), note FROM activities"
                              " WHERE contact_id = ?", [cid]):
            key = Activity(r[1], r[2], date.fromisoformat(r[3]), r[4]).key()
            have.setdefault(key, (r[0], r[4]))
        acts = []
        for a in _unique(rec.activities):
            known = have.get(a.key())
            if known is None:
                acts.append(a)
            elif a.note and not known[1]:  # the same call, now with its result
                conn.execute("UPDATE activities SET note = ? WHERE id = ?", [a.note, known[0]])
                changes.append(f"note on the {a.kind} of {a.day.isoformat()}: {a.note!r}")
        if acts:
            conn.executemany(
                "INSERT INTO activities (contact_id, kind, outcome, at, note, source)"
                " VALUES (?, ?, ?, ?, ?, 'import')",
                [(cid, a.kind, a.outcome, a.day.isoformat(), a.note) for a in acts])
        if changes:
            conn.execute(
                "INSERT INTO activities (contact_id, kind, outcome, at, note, source)"
                " VALUES (?, 'note', 'changed', ?, ?, 'import')",
                [cid, self.now, f"Changed by import of {os.path.basename(report.file)} "
                                f"(line {rec.line}): " + "; ".join(changes)])
        if updates:
            merged = {**dict(existing), **updates}
            updates["updated_at"] = self.now
            updates["sort_name"] = sort_name(merged["first_name"], merged["last_name"],
                                             merged["name"], merged["company"])
            updates["search_text"] = search_text(
                (merged["name"], merged["company"],
                 *(e["value"] for e in lists.get("emails", json.loads(merged["emails"])))),
                (p["value"] for p in lists.get("phones", json.loads(merged["phones"]))))
            sets = ", ".join(f"{k} = ?" for k in updates)
            conn.execute(f"UPDATE contacts SET {sets} WHERE id = ?", [*updates.values(), cid])
        self.index.add_addresses(cid, rec)
        if updates or acts or changes:
            self.touched.append(cid)
        if cid >= self.first_new or updates or acts or changes:
            report.merged += 1
        else:
            report.unchanged += 1
        if update and status_id is None:
            report.unclassified += 1
            raw = updates.get("status_raw") or existing["status_raw"] or ""
            if raw:
                self.unmapped[raw] += 1
            else:
                report.no_status += 1


BULK_BYTES = 1 << 20  # files above this size import in bulk mode…
BULK_MAX_EXISTING = 50_000  # …into a database with fewer contacts than this


def _drop_contact_indexes(conn) -> list[str]:
    """Drop the contacts table's own indexes; return the SQL that recreates them."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                        " AND tbl_name = 'contacts' AND sql IS NOT NULL").fetchall()
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]


class _HandEdits:
    """What was changed by hand (app or CLI ``edit``) on one stored contact,
    read from its history when first needed.  A file still holding the
    value a hand edit replaced is older than the edit: the edit stands
    (else re-importing an unchanged file undid every correction made since)."""

    def __init__(self, conn, cid: int, region: str) -> None:
        self.conn, self.cid, self.region = conn, cid, region
        self._rows: list[tuple[str, str | None, str | None]] | None = None

    def _edits(self, field: str) -> list[tuple[str | None, str | None]]:
        if self._rows is None:
            self._rows = self.conn.execute(
                "SELECT field, old_value, new_value FROM activities"
                " WHERE contact_id = ? AND kind = 'edit' ORDER BY id", [self.cid]).fetchall()
        return [(old, new) for f, old, new in self._rows if f == field]

    def replaced(self, field: str, value: str) -> bool:
        """Was ``value`` this field's value before a hand edit changed it?"""
        return any(old and not _differs(old, value) for old, _ in self._edits(field))

    def replaced_extra(self, key: str, value: str) -> bool:
        for old, new in self._edits("extra"):
            before, after = _json_object(old, {}), _json_object(new, {})
            if before.get(key) and not _differs(before[key], value) and before.get(key) != after.get(key):
                return True
        return False

    def removed_entries(self, key: str) -> set[str]:
        """E-mails or phones (normalized) a hand edit took off the contact."""
        removed: set[str] = set()
        for old, new in self._edits(key):
            before = {self._norm(e, key) for e in _json_object(old, [])}
            after = {self._norm(e, key) for e in _json_object(new, [])}
            removed |= before - after
        return removed

    def _norm(self, entry, key: str) -> str:
        """As _norm_entry compares them; a phone typed by hand (no "norm"
        yet) gets its normalized form first.  History is JSON: anything
        that is not an entry compares as nothing."""
        if not isinstance(entry, dict):
            return ""
        value = str(entry.get("value", ""))
        norm = entry.get("norm") or (phone_key(value, self.region) if key == "phones" else None)
        return _norm_entry({"value": value, "norm": norm}, key)


def _json_object(text: str | None, default):
    try:
        value = json.loads(text) if text else default
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default


def _norm_entry(entry: dict, key: str) -> str:
    if key == "phones":
        return entry.get("norm") or entry["value"].casefold()
    return entry["value"].casefold()


def _merge_entries(current: list[dict], incoming: list[dict], key: str, update: bool,
                   label: str) -> tuple[list[dict] | None, list[str]]:
    """Merge typed e-mails or phones.  New values are added; on ``update`` a
    value replaces one of the same type that the file no longer lists."""
    if not incoming:
        return None, []
    known = {_norm_entry(e, key) for e in current}
    listed = {_norm_entry(e, key) for e in incoming}
    merged = [dict(e) for e in current]
    notes: list[str] = []
    changed = False
    for entry in incoming:
        norm = _norm_entry(entry, key)
        if norm in known:
            continue
        target = None
        if update:
            target = next((i for i, e in enumerate(merged)
                           if e.get("type") == entry.get("type") and _norm_entry(e, key) not in listed), None)
        if target is not None:
            old = merged[target]
            notes.append(f"{label} ({entry.get('type') or 'other'}): {old['value']!r} → {entry['value']!r}")
            merged[target] = dict(entry)
        else:
            merged.append(dict(entry))
        known.add(norm)
        changed = True
    return (merged if changed else None), notes


def _unique(activities: list[Activity]) -> list[Activity]:
    """One activity per event (see :meth:`Activity.key`), keeping a note
    if any copy has one."""
    if len(activities) < 2:
        return activities
    seen: dict[tuple, Activity] = {}
    for a in activities:
        known = seen.get(a.key())
        if known is None:
            seen[a.key()] = a
        elif a.note and not known.note:
            seen[a.key()] = a
    return list(seen.values())


def _derived(rec: Record, status, created_day: str) -> tuple:
    """The derived columns of a new contact, by the rule Store._refresh
    applies in SQL (a test checks both agree)."""
    if not rec.activities:
        if status is None:
            return None, None, 0, None, None
        return (None, None, 0,
                created_day if status.call_days is not None and rec.phones else None,
                created_day if status.email_days is not None and rec.emails else None)
    reached = sent = None
    for a in rec.activities:
        if a.kind == "call" and a.outcome == "reached":
            if reached is None or a.day > reached:
                reached = a.day
        elif a.kind == "email" and a.outcome == "sent":
            if sent is None or a.day > sent:
                sent = a.day
    attempts = len({(a.day, a.outcome) for a in rec.activities  # one per event, as _unique
                    if a.kind == "call" and a.outcome != "reached" and (reached is None or a.day > reached)})
    last_call = reached.isoformat() if reached else None
    last_mail = sent.isoformat() if sent else None
    next_call = next_mail = None
    if status is not None:
        if status.call_days is not None and rec.phones:
            next_call = created_day if reached is None else (
                reached + timedelta(days=status.call_days)).isoformat()
        if status.email_days is not None and rec.emails:
            next_mail = created_day if sent is None else (
                sent + timedelta(days=status.email_days)).isoformat()
    return last_call, last_mail, attempts, next_call, next_mail


def _merge_into(first: Record, other: Record, report: ImportReport, labels: dict[str, str]) -> None:
    """Fold an in-file duplicate into the first record: fill blanks, keep
    every distinct e-mail and phone, report conflicting values."""
    for key in _SCALARS:
        mine, theirs = getattr(first, key), getattr(other, key)
        if not mine:
            setattr(first, key, theirs)
        elif theirs and _differs(mine, theirs) and not (
                key == "status_raw" and normalize_raw(mine) == normalize_raw(theirs)):
            report.warn(other.line, f"duplicate of line {first.line}: kept {labels[key]} "
                                    f"{mine!r}, not {theirs!r}")
    for attr, label in (("emails", "E-mail"), ("phones", "Phone")):
        mine = getattr(first, attr)
        known = {_norm_entry(e, attr) for e in mine}
        for entry in getattr(other, attr):
            norm = _norm_entry(entry, attr)
            if norm not in known:
                same_type = next((e for e in mine if e.get("type") == entry.get("type")), None)
                if same_type is not None:
                    report.warn(other.line, f"duplicate of line {first.line}: added {label} "
                                            f"({entry.get('type') or 'other'}) {entry['value']!r} "
                                            f"beside {same_type['value']!r}")
                mine.append(entry)
                known.add(norm)
    for key, value in other.extra.items():
        first.extra.setdefault(key, value)
    first.created = min(filter(None, (first.created, other.created)), default=None)
    first.activities = _unique([*first.activities, *other.activities])


def import_records(store: Store, records: Iterable[Record], report: ImportReport, *,
                   status_map: dict[str, str | None] | None = None,
                   progress: Callable[[int], None] | None = None,
                   dry_run: bool = False, region: str | None = None,
                   bulk: bool = False, stop: Callable[[], bool] | None = None) -> ImportReport:
    """Merge records into the store in one transaction and fill in ``report``.

    ``status_map`` maps raw status values to status keys (None: leave
    unclassified); the choices are remembered for later imports.
    ``dry_run`` does everything, then rolls back.  ``bulk`` (a large file
    into a small database) drops the contacts' secondary indexes for the run
    and rebuilds them at the end, inside the same transaction: building an
    index once from sorted data beats updating it row by row.  ``stop`` is
    asked every 1,000 rows; when it says True the import rolls back and
    raises StoreError.
    """
    region = (region or store.settings().get("phone_region") or DEFAULT_REGION).upper()
    report.dry_run = dry_run
    # A larger page cache for the run: index inserts of a big file stop
    # spilling to disk (restored afterwards; SQLite allocates it on demand).
    old_cache = store.conn.execute("PRAGMA cache_size").fetchone()[0]
    store.conn.execute("PRAGMA cache_size = -131072")  # 128 MiB
    # Every id this run writes is taken from the statuses table or from
    # the contacts it inserts itself, so per-row foreign-key lookups are
    # skipped for the run (the pragma only changes outside a transaction);
    # a check of the touched rows runs before the commit.
    fk_on = store.conn.execute("PRAGMA foreign_keys").fetchone()[0]
    store.conn.execute("PRAGMA foreign_keys = OFF")
    store.late_interrupt = False

    def stopped() -> None:
        if stop is not None and stop():
            raise StoreError("import stopped: nothing was imported")

    try:
        with store.transaction() as conn:
            state = _Merge(store, conn, report, status_map, region)
            rebuild = _drop_contact_indexes(conn) if bulk else []
            count = 0
            for rec in records:
                _clean_record(rec, region)
                if not (rec.display_name() or rec.company or rec.emails or rec.phones):
                    report.skip(rec.line, "no name, company, e-mail or phone")
                    continue
                if rec.status2:
                    state.resolve_status2(rec)
                cid, conflict = state.find(rec)
                if conflict:
                    report.skip(rec.line, conflict)
                elif cid is None:
                    state.add(rec)
                else:
                    state.merge(cid, rec)
                count += 1
                if count % 1000 == 0:
                    stopped()
                    if progress is not None:
                        progress(count)
            state.flush()
            stopped()
            for sql in rebuild:
                conn.execute(sql)
            state.save_status_map()
            state.label_status_batch()
            if fk_on:
                for table in ("contacts", "activities", "status_map"):
                    bad = conn.execute(f"PRAGMA foreign_key_check({table})").fetchone()
                    if bad:
                        raise StoreError(f"import stopped: a {table} row points at a missing "
                                         f"{bad[2]} row; nothing was imported")
            stopped()
            if state.touched:
                store._refresh(conn, sorted(set(state.touched)), history=True)
            stopped()  # the last chance: the commit follows
            report.unmapped_statuses = dict(state.unmapped.most_common())
            if state.kept_edits:
                report.notes.append(
                    f"{state.kept_edits} value(s) changed by hand since an earlier import were "
                    "kept: the file still has the old ones")
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    finally:
        store.conn.execute(f"PRAGMA cache_size = {int(old_cache)}")
        store.conn.execute(f"PRAGMA foreign_keys = {'ON' if fk_on else 'OFF'}")
    if store.late_interrupt:
        report.notes.append("Ctrl-C came while the import was being saved, too late to stop "
                            "it: the import is complete")
    if progress is not None:
        progress(-1)
    return report


def import_file(store: Store, path: str | os.PathLike, options=None, *, dry_run: bool = False,
                progress: Callable[[float], None] | None = None,
                stop: Callable[[], bool] | None = None) -> ImportReport:
    """Read any supported contact file and merge it into the store, all or nothing."""
    from .formats import ReadOptions, open_records

    options = options or ReadOptions()
    if options.today is None:
        options.today = store.today()
    reading = open_records(path, options)
    report = reading.report
    tick = (lambda _n: progress(reading.progress())) if progress else None
    bulk = Path(path).stat().st_size > BULK_BYTES and store.count_contacts() < BULK_MAX_EXISTING
    import_records(store, reading.records, report, status_map=options.status_map,
                   progress=tick, dry_run=dry_run, bulk=bulk, stop=stop)
    report.raw_statuses = reading.raw_statuses()
    _refuse_empty(report)
    _in_line_order(report)
    if report.skipped_total and report.skipped_total > len(report.skipped):
        report.notes.append(f"{report.skipped_total - MAX_MESSAGES} more skipped row(s) not listed")
    return report


def _refuse_empty(report: ImportReport) -> None:
    if report.rows == 0 and report.added == 0 and not report.skipped:
        raise StoreError(f"{report.file}: no contacts: the file has "
                         f"{'a header but no rows below it' if report.header_line else 'no contact in it'}"
                         "; nothing was imported")


def workbook_sheets(path: str | os.PathLike) -> list[str]:
    """The sheet names of an Excel workbook, in the workbook's order; an
    empty list for any other file (or one that cannot be read: the preview
    says why)."""
    from .formats.tabular import zip_members

    try:
        # only a regular file is opened: a FIFO would block, /dev/zero never ends
        if not Path(path).expanduser().is_file() or "xl/workbook.xml" not in zip_members(path):
            return []
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        try:
            return list(wb.sheetnames)
        finally:
            wb.close()
    except Exception:  # a damaged archive: the preview reports it
        return []


#: How many contacts a preview shows as read.
SAMPLE_ROWS = 3


def preview_file(path: str | os.PathLike, options=None) -> ImportReport:
    """Read a file without touching any database: format, encoding, column
    mapping, the raw status values with their counts, and per-row problems."""
    from .formats import ReadOptions, open_records

    options = options or ReadOptions()
    reading = open_records(path, options)
    report = reading.report
    for rec in reading.records:
        if len(report.sample) < SAMPLE_ROWS and (rec.display_name() or rec.company):
            report.sample.append({
                "line": rec.line, "name": rec.display_name(), "company": rec.company or "",
                "email": rec.emails[0]["value"] if rec.emails else "",
                "phone": rec.phones[0]["value"] if rec.phones else ""})
    report.raw_statuses = reading.raw_statuses()
    _refuse_empty(report)  # said when the file is read, not only at the import
    _in_line_order(report)
    return report


def _in_line_order(report: ImportReport) -> None:
    """Problems in the order of their lines: a reader finds some while it
    splits the file (text between vCards) and others later, per record."""
    report.skipped.sort(key=lambda item: item[0])
    report.warnings.sort(key=lambda item: item[0])

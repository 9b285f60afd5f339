"""The SQLite data layer: one file, plain-data in and out.

The public surface is the :class:`Store` class.  Its methods take and return
plain values (ints, strings, dates, dicts, small frozen dataclasses) so that a
server-backed store can later offer the same API.

Derived columns on ``contacts`` (``last_call_reached``, ``last_email_sent``,
``call_attempts``, ``next_call_due``, ``next_email_due``) are a cache of what
the ``activities`` history and the plan imply.  They are recomputed in the
same transaction as every change to history, status or plan, and
:meth:`Store.rebuild_derived` recomputes them from scratch.
"""

from __future__ import annotations

import json
import os
import sqlite3
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Iterator

from .errors import StoreError
from .scheme import ROLE_PERSONAL, Status, status_key, validate_scheme
from .text import clean

ENV_DB = "DAILYREACH_DB"

#: How long a write waits for another connection's transaction to finish
#: (another window, an import) before failing with a clear StoreError.  The
#: TUI waits much less (Store.set_write_wait) so a key never freezes it.
WRITE_WAIT_SECONDS = 10.0
BUSY_MESSAGE = ("the database is busy: another dailyreach (an import, or another window) "
                "is writing to it; nothing was changed, try again in a moment")

#: Contact columns callers may read, in the order the JSON output uses.
CONTACT_FIELDS = (
    "id", "name", "first_name", "last_name", "company", "title", "email", "phone",
    "status_key", "status", "status_raw", "status2", "owner",
)


def default_db_path() -> Path:
    """``$DAILYREACH_DB`` if set, else ``dailyreach.db`` in the user data dir."""
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("dailyreach")) / "dailyreach.db"


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


@dataclass(frozen=True)
class QueueItem:
    contact_id: int
    name: str
    company: str
    kind: str  # "call" or "email"
    due: date
    status_key: str
    status: str
    priority: int
    phone: str
    email: str
    last_done: date | None
    attempts: int

    def overdue_days(self, today: date) -> int:
        return (today - self.due).days

    def as_dict(self, today: date) -> dict:
        return {
            "contact_id": self.contact_id,
            "name": self.name,
            "company": self.company,
            "kind": self.kind,
            "due": self.due.isoformat(),
            "overdue_days": self.overdue_days(today),
            "status_key": self.status_key,
            "status": self.status,
            "phone": self.phone,
            "email": self.email,
            "last_done": self.last_done.isoformat() if self.last_done else None,
            "attempts": self.attempts,
        }


@dataclass(frozen=True)
class StatusChange:
    contact_id: int
    old_key: str | None
    new_key: str | None


_FOLD = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"})


def sort_name(first: str | None, last: str | None, name: str, company: str | None) -> str:
    """Contacts list order: last name, first name (or the whole name, or the
    company), without case or accents, so Østergaard sorts with the O's."""
    key = " ".join(p for p in (last, first) if p) or name or company or ""
    folded = unicodedata.normalize("NFKD", key.casefold().translate(_FOLD))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def search_text(fields: Iterable[str | None], phones: Iterable[str]) -> str:
    parts = [f for f in fields if f]
    for phone in phones:
        digits = "".join(ch for ch in phone if ch.isdigit())
        parts.append(phone)
        if digits:
            parts.append(digits)
    return " ".join(parts).casefold()


class Store:
    """An open dailyreach database."""

    def __init__(self, path: str | os.PathLike, *, today: date | None = None):
        self.path = Path(path)
        self._today = today
        self.conn = self._connect()
        self._statuses: list[Status] | None = None
        self._counts: dict[tuple, tuple[tuple, object]] = {}

    # ------------------------------------------------------------------ setup
    def _connect(self) -> sqlite3.Connection:
        path = self.path
        created = not path.exists()
        if created:
            try:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                # Create the file owner-only before SQLite opens it; its WAL
                # and shared-memory files inherit these permissions.
                fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
                os.close(fd)
            except OSError as exc:
                raise StoreError(f"cannot create database {path}: {exc.strerror}") from None
        elif path.is_dir():
            raise StoreError(f"{path} is a directory, not a database file")
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(WRITE_WAIT_SECONDS * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreError(f"{path}: could not switch the database to WAL mode")
            self._migrate(conn)
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):  # schema upgrade blocked by another writer
                raise StoreError(f"{path}: {BUSY_MESSAGE}") from None
            raise StoreError(f"{path} is not a usable dailyreach database ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path} is not a usable dailyreach database ({exc})") from None
        return conn

    def set_write_wait(self, seconds: float) -> None:
        """How long a write waits for another connection's transaction."""
        self.conn.execute(f"PRAGMA busy_timeout = {max(int(seconds * 1000), 0)}")

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        from .schema import MIGRATION_SET, STEP_NAMES

        try:
            applied = {
                row[0]
                for row in conn.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
                    [MIGRATION_SET],
                )
            }
        except sqlite3.OperationalError:
            applied = set()
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
            if tables:
                raise StoreError("the file is an SQLite database but not a dailyreach one")
        unknown = applied - set(STEP_NAMES)
        if unknown:
            raise StoreError(
                "the database was written by a newer dailyreach "
                f"(unknown schema steps: {', '.join(sorted(unknown))})"
            )
        if applied == set(STEP_NAMES):
            return
        import sqlite_utils

        from .schema import build_migrations

        build_migrations().apply(sqlite_utils.Database(conn))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing block: commits on success, rolls back on any error
        (including KeyboardInterrupt)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise StoreError(BUSY_MESSAGE) from None
            raise StoreError(f"cannot write to the database ({exc})") from None
        try:
            yield self.conn
            self._sync_search_index(self.conn)
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self._statuses = None

    @staticmethod
    def _sync_search_index(conn: sqlite3.Connection) -> None:
        """Apply the contact changes the triggers noted to the search index
        (see schema step m006_fts); runs inside the caller's transaction."""
        if conn.execute("SELECT 1 FROM contacts_fts_pending LIMIT 1").fetchone() is None:
            return
        conn.execute(
            "INSERT INTO contacts_fts (contacts_fts, rowid, search_text)"
            " SELECT 'delete', id, old_text FROM contacts_fts_pending WHERE old_text IS NOT NULL")
        conn.execute(
            "INSERT INTO contacts_fts (rowid, search_text)"
            " SELECT c.id, c.search_text FROM contacts_fts_pending p JOIN contacts c ON c.id = p.id")
        conn.execute("DELETE FROM contacts_fts_pending")

    # ------------------------------------------------------------------ clock
    def today(self) -> date:
        return self._today or date.today()

    def now(self) -> str:
        """Timestamp for new history rows: the (possibly pinned) day and the
        current time of day."""
        return datetime.combine(self.today(), datetime.now().time()).isoformat(timespec="seconds")

    # --------------------------------------------------------------- statuses
    def statuses(self) -> list[Status]:
        if self._statuses is None:
            self._statuses = [
                Status(r["id"], r["name"], r["call_days"], r["email_days"], r["meaning"],
                       r["role"], r["position"])
                for r in self.conn.execute("SELECT * FROM statuses ORDER BY position, id")
            ]
        return self._statuses

    def status_by_key(self, key: str) -> Status:
        for status in self.statuses():
            if status.key == key.upper():
                return status
        raise StoreError(
            f"no status has the key {key!r} (keys: {', '.join(s.key for s in self.statuses())})"
        )

    def _status_by_id(self, status_id: int | None) -> Status | None:
        for status in self.statuses():
            if status.id == status_id:
                return status
        return None

    def set_owner_name(self, name: str) -> None:
        """Rename the personal status to the owner's own name."""
        name = " ".join(clean(name).split())
        statuses = self.statuses()
        renamed = [
            Status(s.id, name, s.call_days, s.email_days, s.meaning, s.role, s.position)
            if s.role == ROLE_PERSONAL else s
            for s in statuses
        ]
        validate_scheme(renamed)
        with self.transaction() as conn:
            conn.execute("UPDATE statuses SET name = ? WHERE role = ?", [name, ROLE_PERSONAL])

    def owner_name(self) -> str:
        for status in self.statuses():
            if status.role == ROLE_PERSONAL:
                return status.name
        return ""

    # --------------------------------------------------------------- settings
    #: Known settings and what they mean (``dailyreach config`` lists them).
    SETTINGS = {
        "owner_name": "your name; labels the status for your personal contacts",
    }

    def settings(self) -> dict[str, str]:
        values = {r["key"]: r["value"] for r in self.conn.execute("SELECT key, value FROM settings")}
        values["owner_name"] = self.owner_name()
        return {key: values.get(key, "") for key in self.SETTINGS}

    def set_setting(self, key: str, value: str) -> None:
        if key not in self.SETTINGS:
            raise StoreError(f"unknown setting {key!r} (known: {', '.join(self.SETTINGS)})")
        if key == "owner_name":
            self.set_owner_name(value)
            return
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, value])

    # --------------------------------------------------------------- contacts
    _SELECT = """
        SELECT c.*, s.name AS status, s.position AS priority
        FROM contacts c LEFT JOIN statuses s ON s.id = c.status_id
    """

    def _contact_dict(self, row: sqlite3.Row) -> dict:
        data = dict(row)
        data["status_key"] = status_key(data["status"]) if data["status"] else None
        for key in ("emails", "phones"):
            data[key] = json.loads(data[key] or "[]")
        data["extra"] = json.loads(data["extra"] or "{}")
        for key in ("sort_name", "search_text", "email_norm", "priority"):
            data.pop(key, None)
        return data

    def contact(self, contact_id: int) -> dict:
        row = self.conn.execute(self._SELECT + " WHERE c.id = ?", [contact_id]).fetchone()
        if row is None:
            raise StoreError(f"no contact with id {contact_id}")
        return self._contact_dict(row)

    @staticmethod
    def _search_ids(words: list[str]) -> tuple[str, list]:
        """SQL for the ids of contacts whose search text holds every word
        (each of 3+ characters), from the trigram index (schema step
        m006_fts).  A trigram phrase matches exactly where instr() would, so
        the index alone answers; only contacts changed outside
        Store.transaction(), waiting in contacts_fts_pending, are checked
        against their text instead of the index."""
        checks = " AND ".join("instr(c2.search_text, ?) > 0" for _ in words)
        sql = ("SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?"
               " EXCEPT SELECT id FROM contacts_fts_pending"
               " UNION SELECT c2.id FROM contacts_fts_pending p CROSS JOIN contacts c2"
               f" ON c2.id = p.id WHERE {checks}")
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
        return sql, [match, *words]

    def _filter(self, search: str | None, status: str | None) -> tuple[str, list]:
        clauses, params = [], []
        if search:
            words = search.casefold().split()
            # words of 3+ characters through the index; shorter ones, which
            # a trigram index cannot hold, by instr() on the rows
            indexed = [w for w in words if len(w) >= 3]
            if indexed:
                ids, ids_params = self._search_ids(indexed)
                clauses.append(f"c.id IN ({ids})")
                params += ids_params
            for word in words:
                if len(word) < 3:
                    clauses.append("instr(c.search_text, ?) > 0")
                    params.append(word)
        if status:
            if status in ("-", "unclassified"):
                clauses.append("c.status_id IS NULL")
            else:
                clauses.append("c.status_id = ?")
                params.append(self.status_by_key(status).id)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return where, params

    def _unchanged_since(self, key: tuple, compute):
        """``compute()``, or its last result for ``key`` if the database has
        not changed since: no commit by another connection (data_version) and
        no write by this one (total_changes).  Screens re-read counts on every
        reload (a million contacts: tens of ms per count), mostly unchanged."""
        if self.conn.in_transaction:  # a rollback would not show in the version
            return compute()
        version = (self.conn.execute("PRAGMA data_version").fetchone()[0], self.conn.total_changes)
        hit = self._counts.get(key)
        if hit is not None and hit[0] == version:
            return hit[1]
        value = compute()
        if len(self._counts) > 64:
            self._counts.clear()
        self._counts[key] = (version, value)
        return value

    def count_contacts(self, *, search: str | None = None, status: str | None = None) -> int:
        where, params = self._filter(search, status)
        words = (search or "").casefold().split()
        if words and not status and all(len(w) >= 3 for w in words):
            # the index alone knows how many: no table rows to read
            ids, ids_params = self._search_ids(words)
            sql, params = f"SELECT count(*) FROM ({ids})", ids_params
        else:
            sql = f"SELECT count(*) FROM contacts c{where}"
        return self._unchanged_since(
            ("contacts", sql, tuple(params)),
            lambda: self.conn.execute(sql, params).fetchone()[0])

    def contacts(self, *, search: str | None = None, status: str | None = None,
                 offset: int = 0, limit: int | None = None) -> list[dict]:
        """Contacts sorted by last name, first name; one page when ``limit`` is set.

        ``status`` is a key letter, or ``"-"`` for unclassified contacts.
        """
        where, params = self._filter(search, status)
        # Page over ids first (the sort index covers them), then read only
        # the rows on the page: skipping to a far offset stays cheap.
        source = "contacts c"
        if search:
            # Walking the sort index finds a page of frequent matches after
            # a few entries, but visits every entry for a rare one; sorting
            # the matches reads one row per match.  Walking costs about
            # (offset + limit) * total / matches index steps, a row about
            # eight steps: take the cheaper.
            matches = self.count_contacts(search=search, status=status)
            total = self.count_contacts()
            want = offset + (limit if limit is not None else matches)
            walk = matches and want * total < 8 * matches * matches
            source = "contacts c INDEXED BY contacts_sort" if walk else "contacts c NOT INDEXED"
        page = f"SELECT c.id FROM {source}{where} ORDER BY c.sort_name, c.id LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset]
        sql = (self._SELECT + f" JOIN ({page}) page ON page.id = c.id"
               " ORDER BY c.sort_name, c.id")
        return [self._contact_dict(r) for r in self.conn.execute(sql, params)]

    def contact_index(self, contact_id: int, *, search: str | None = None,
                      status: str | None = None) -> int | None:
        """Position of a contact in :meth:`contacts` order, or None if filtered out."""
        where, params = self._filter(search, status)
        row = self.conn.execute(
            "SELECT sort_name, id FROM contacts WHERE id = ?", [contact_id]
        ).fetchone()
        if row is None:
            return None
        extra = "(c.sort_name < ? OR (c.sort_name = ? AND c.id < ?))"
        where_all = (where + " AND " + extra) if where else " WHERE " + extra
        before = self.conn.execute(
            f"SELECT count(*) FROM contacts c{where_all}",
            params + [row["sort_name"], row["sort_name"], row["id"]],
        ).fetchone()[0]
        if where and not self.conn.execute(
            f"SELECT 1 FROM contacts c{where} AND c.id = ?", params + [contact_id]
        ).fetchone():
            return None
        return before

    def history(self, contact_id: int) -> list[dict]:
        """The contact's activities, newest first."""
        return [
            dict(r)
            for r in self.conn.execute(
                "SELECT * FROM activities WHERE contact_id = ? ORDER BY at DESC, id DESC",
                [contact_id],
            )
        ]

    # ---------------------------------------------------------------- changes
    def set_status(self, contact_ids: Iterable[int], key: str | None, *,
                   source: str = "app", note: str | None = None) -> list[StatusChange]:
        """Give contacts a status (``None``: unclassified), recording each change.

        Contacts already in that status are left alone.  Returns the changes
        made, so the caller can undo them.
        """
        new = self.status_by_key(key) if key else None
        ids = list(dict.fromkeys(int(i) for i in contact_ids))
        changes: list[StatusChange] = []
        when = self.now()
        with self.transaction() as conn:
            for cid in ids:
                row = conn.execute("SELECT status_id FROM contacts WHERE id = ?", [cid]).fetchone()
                if row is None:
                    raise StoreError(f"no contact with id {cid}")
                old = self._status_by_id(row["status_id"])
                if (old.id if old else None) == (new.id if new else None):
                    continue
                conn.execute(
                    "UPDATE contacts SET status_id = ?, updated_at = ? WHERE id = ?",
                    [new.id if new else None, when, cid],
                )
                conn.execute(
                    "INSERT INTO activities (contact_id, kind, at, note, old_status, new_status,"
                    " old_status_id, new_status_id, source) VALUES (?, 'status', ?, ?, ?, ?, ?, ?, ?)",
                    [cid, when, note, old.name if old else None, new.name if new else None,
                     old.id if old else None, new.id if new else None, source],
                )
                changes.append(StatusChange(cid, old.key if old else None, new.key if new else None))
            self._refresh(conn, [c.contact_id for c in changes])
        return changes

    def log(self, contact_id: int, kind: str, outcome: str | None, *,
            at: str | None = None, note: str | None = None, source: str = "app") -> int:
        """Record an activity (a call, an e-mail, a meeting or a note); returns its id."""
        if kind not in ("call", "email", "meeting", "note"):
            raise StoreError(f"unknown activity kind {kind!r}")
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM contacts WHERE id = ?", [contact_id]).fetchone() is None:
                raise StoreError(f"no contact with id {contact_id}")
            cur = conn.execute(
                "INSERT INTO activities (contact_id, kind, outcome, at, note, source)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [contact_id, kind, outcome, at or self.now(),
                 clean(note, multiline=True) if note else None, source],
            )
            self._refresh(conn, [contact_id], history=True)
        return cur.lastrowid

    def delete_activity(self, activity_id: int) -> None:
        """Remove one history row (used to undo a mistaken log)."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT contact_id FROM activities WHERE id = ?", [activity_id]
            ).fetchone()
            if row is None:
                raise StoreError(f"no activity with id {activity_id}")
            conn.execute("DELETE FROM activities WHERE id = ?", [activity_id])
            self._refresh(conn, [row["contact_id"]], history=True)

    def done_today(self, day: date | None = None) -> dict[str, int]:
        """Reached calls and sent e-mails logged on ``day`` (default today)."""
        day = (day or self.today()).isoformat()
        rows = self.conn.execute(
            "SELECT kind, count(*) FROM activities WHERE date(at) = ? AND source != 'import'"
            " AND ((kind = 'call' AND outcome = 'reached') OR (kind = 'email' AND outcome = 'sent'))"
            " GROUP BY kind",
            [day],
        ).fetchall()
        counts = {"call": 0, "email": 0}
        counts.update({r[0]: r[1] for r in rows})
        return counts

    # ----------------------------------------------------------- derived data
    @staticmethod
    def _id_clause(ids: list[int] | None) -> tuple[str, list]:
        if ids is None:
            return "", []
        return " WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(ids)]

    def _refresh(self, conn: sqlite3.Connection, ids: list[int] | None, *,
                 history: bool = False) -> None:
        """Recompute derived columns for ``ids`` (all contacts when None)."""
        if ids is not None and not ids:
            return
        where, params = self._id_clause(ids)
        if history:
            conn.execute(
                f"""UPDATE contacts SET
                    last_call_reached = (SELECT max(date(a.at)) FROM activities a
                        WHERE a.contact_id = contacts.id AND a.kind = 'call' AND a.outcome = 'reached'),
                    last_email_sent = (SELECT max(date(a.at)) FROM activities a
                        WHERE a.contact_id = contacts.id AND a.kind = 'email' AND a.outcome = 'sent')
                {where}""",
                params,
            )
            conn.execute(
                f"""UPDATE contacts SET call_attempts = (SELECT count(*) FROM activities a
                        WHERE a.contact_id = contacts.id AND a.kind = 'call'
                        AND coalesce(a.outcome, '') != 'reached'
                        AND date(a.at) > coalesce(contacts.last_call_reached, ''))
                {where}""",
                params,
            )
        conn.execute(
            f"""UPDATE contacts SET
                next_call_due = (SELECT CASE
                    WHEN s.call_days IS NULL OR coalesce(contacts.phone, '') = '' THEN NULL
                    WHEN contacts.last_call_reached IS NULL THEN date(contacts.created_at)
                    ELSE date(contacts.last_call_reached, '+' || s.call_days || ' days') END
                    FROM statuses s WHERE s.id = contacts.status_id),
                next_email_due = (SELECT CASE
                    WHEN s.email_days IS NULL OR coalesce(contacts.email, '') = '' THEN NULL
                    WHEN contacts.last_email_sent IS NULL THEN date(contacts.created_at)
                    ELSE date(contacts.last_email_sent, '+' || s.email_days || ' days') END
                    FROM statuses s WHERE s.id = contacts.status_id)
            {where}""",
            params,
        )

    def rebuild_derived(self) -> None:
        """Recompute every contact's derived columns from history and plan."""
        with self.transaction() as conn:
            self._refresh(conn, None, history=True)

    # ------------------------------------------------------------------ queue
    _QUEUE_COLUMNS = {
        "call": ("next_call_due", "last_call_reached", "call_days"),
        "email": ("next_email_due", "last_email_sent", "email_days"),
    }

    def queue_counts(self, day: date | None = None, kind: str = "call") -> list[tuple[int, int]]:
        """(status id, number due) for each status with a cadence for ``kind``,
        in queue order.  Each count is one index range scan."""
        day_text = (day or self.today()).isoformat()
        return list(self._unchanged_since(("queue", kind, day_text),
                                          lambda: self._queue_counts(day_text, kind)))

    def _queue_counts(self, day_text: str, kind: str) -> list[tuple[int, int]]:
        due_col, _, days_col = self._QUEUE_COLUMNS[kind]
        groups = []
        for status in self.statuses():
            if getattr(status, days_col) is None:
                continue
            count = self.conn.execute(
                f"SELECT count(*) FROM contacts WHERE status_id = ? AND {due_col} <= ?",
                [status.id, day_text],
            ).fetchone()[0]
            if count:
                groups.append((status.id, count))
        return groups

    def queue_page(self, day: date | None = None, kind: str = "call", offset: int = 0,
                   limit: int | None = None,
                   counts: list[tuple[int, int]] | None = None) -> list[QueueItem]:
        """Due items of one kind in queue order, from ``offset``.

        Order: status priority (the scheme's order), then the longest overdue
        (earliest due date), then last name, first name.  Reads only; each
        status group is read in index order, so a page costs the same at any
        offset and any database size.
        """
        due_col, last_col, _ = self._QUEUE_COLUMNS[kind]
        day = day or self.today()
        counts = self.queue_counts(day, kind) if counts is None else counts
        statuses = {s.id: s for s in self.statuses()}
        items: list[QueueItem] = []
        for status_id, count in counts:
            if limit is not None and len(items) >= limit:
                break
            if offset >= count:
                offset -= count
                continue
            want = -1 if limit is None else limit - len(items)
            rows = self.conn.execute(
                f"""SELECT c.id, c.name, c.company, c.phone, c.email, c.call_attempts,
                        c.{due_col} AS due, c.{last_col} AS last_done
                    FROM (SELECT id FROM contacts WHERE status_id = ? AND {due_col} <= ?
                          ORDER BY {due_col}, sort_name, id LIMIT ? OFFSET ?) page
                    JOIN contacts c ON c.id = page.id
                    ORDER BY c.{due_col}, c.sort_name, c.id""",
                [status_id, day.isoformat(), want, offset],
            )
            offset = 0
            status = statuses[status_id]
            for r in rows:
                items.append(QueueItem(
                    contact_id=r["id"], name=r["name"], company=r["company"] or "",
                    kind=kind, due=date.fromisoformat(r["due"]),
                    status_key=status.key, status=status.name, priority=status.position,
                    phone=r["phone"] or "", email=r["email"] or "",
                    last_done=date.fromisoformat(r["last_done"]) if r["last_done"] else None,
                    attempts=r["call_attempts"] if kind == "call" else 0,
                ))
        return items

    def queue(self, day: date | None = None) -> list[QueueItem]:
        """Today's whole queue: due calls, then due e-mails, each in the
        order of :meth:`queue_page`.  Reads only."""
        return self.queue_page(day, "call") + self.queue_page(day, "email")

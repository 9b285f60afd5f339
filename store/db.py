"""The SQLite data layer: one file, plain-data in and out.

The public surface is the :class:`Store` class.  Its methods take and return
plain values (ints, strings, dates, dicts, small frozen dataclasses) so that a
server-backed store can later offer the same API.

Derived columns on ``contacts`` (``last_call_reached``, ``last_email_sent``,
``call_attempts``, ``last_call_attempt``, ``email_attempts``,
``last_email_attempt``, ``call_snoozed_until``, ``email_snoozed_until``,
``next_call_due``, ``next_email_due``) are a cache of what the
``activities`` and ``snoozes`` history, the plan and the retry setting imply.  They are recomputed in the
same transaction as every change to history, status or plan, and
:meth:`Store.rebuild_derived` recomputes them from scratch.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import threading
import unicodedata
from contextlib import contextmanager
from functools import lru_cache
from itertools import filterfalse
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Iterable, Iterator

from .backup import BackupMixin
from .breakdown import BreakdownMixin
from .cleanup import CleanupMixin
from .editing import EditingMixin
from .errors import NothingToUndo, StoreError
from .plan import (
    CALL_OUTCOMES, DEFAULT_RETRY_DAYS, DEFAULT_WORKING_DAYS, EMAIL_OUTCOMES, MAX_RETRY_DAYS,
    MAX_SNOOZE_DAYS,
    Capacity, Levelling,
    format_working_days, forecast, level, parse_cadence, parse_region, parse_whole,
    parse_working_days, per_working_day,
)
from .history import HistoryMixin
from .scheme import (
    ROLE_DELETE, ROLE_PERSONAL, Status, normalize_raw, status_key, validate_scheme,
)
from .status2 import Status2Mixin
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
    #: The day capacity levelling plans this item for (None: beyond the
    #: levelling horizon); ``deferred`` when that is after the queue's day.
    planned: date | None = None
    deferred: bool = False

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
            "planned": self.planned.isoformat() if self.planned else None,
            "deferred": self.deferred,
        }


@dataclass(frozen=True)
class StatusChange:
    contact_id: int
    old_key: str | None
    new_key: str | None
    #: The change batch (one user action) this change belongs to; undo with
    #: :meth:`Store.undo`.
    batch: int | None = None


_FOLD = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"})


def fold(text: str) -> str:
    """Text without case or accents ("Østergaard" → "ostergaard"), for
    sorting and searching."""
    if text.isascii():  # the common case: nothing to strip
        return text.casefold()
    return _fold_accented(text)


@lru_cache(maxsize=65536)
def _fold_accented(text: str) -> str:
    # names and companies repeat (an import folds each part of every row)
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return "".join(filterfalse(unicodedata.combining, folded))


def sort_name(first: str | None, last: str | None, name: str, company: str | None) -> str:
    """Contacts list order: last name, first name — for a contact with only
    a whole name, its last word first ("Ann B. Lee" as "Lee Ann B.") — or
    the company; without case or accents, so Østergaard sorts with the O's."""
    text = " ".join(p for p in (last, first) if p)
    if not text and name:
        words = name.split()
        text = " ".join(words[-1:] + words[:-1])
    return fold(text or company or "")


_PHONE_LIKE = re.compile(r"[\d\s().+\-/]*\d[\d\s().+\-/]*")


def search_words(query: str) -> list[str]:
    """The words a search must all find: folded like :func:`search_text`;
    a phone-like word ("(348)", "555-0133") is reduced to its digits, so a
    number matches however it was written."""
    words = []
    for word in query.split():
        if _PHONE_LIKE.fullmatch(word):
            word = "".join(ch for ch in word if ch.isdigit())
        words.append(fold(word))
    return [w for w in words if w]


_NON_DIGITS = re.compile(r"\D+")


def search_text(fields: Iterable[str | None], phones: Iterable[str]) -> str:
    """What a search looks in: the fields, each phone as written and as
    digits, folded.  (Folding is per character, so the parts are folded one
    by one — each name or company once, from the cache — and joined.)"""
    parts = [fold(f) for f in fields if f]
    for phone in phones:
        digits = _NON_DIGITS.sub("", phone)
        parts.append(fold(phone))
        if digits:
            parts.append(fold(digits))
    return " ".join(parts)


def next_contact_id(conn: sqlite3.Connection) -> int:
    """The id for the next new contact: above every contact there is and
    every one a purge deleted (schema step m008_id_floor), so an id never
    names two people."""
    return conn.execute(
        "SELECT max(coalesce((SELECT max(id) FROM contacts), 0),"
        " coalesce((SELECT last_id FROM id_floor WHERE tbl = 'contacts'), 0)) + 1").fetchone()[0]


@contextmanager
def _interrupt_deferred() -> Iterator[list]:
    """Hold back Ctrl-C (SIGINT) for the duration; the yielded list is
    non-empty afterwards if one came.  Only the main thread receives
    signals, so elsewhere this does nothing."""
    got: list = []
    if threading.current_thread() is not threading.main_thread():
        yield got
        return
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, lambda *_: got.append(True))
    try:
        yield got
    finally:
        signal.signal(signal.SIGINT, previous)


#: Counts of search results stop here (see count_contacts(at_most=...)).
SEARCH_COUNT_CAP = 10_000


def _owner_only(path: Path) -> None:
    """Take group and other permissions off the database and its WAL and
    shared-memory files (SQLite gives those the database file's mode), when
    they are ours: contact data is private, whoever created the file."""
    for name in (str(path), f"{path}-wal", f"{path}-shm"):
        try:
            info = os.stat(name)
            if info.st_uid == os.getuid() and info.st_mode & 0o077:
                os.chmod(name, info.st_mode & 0o700)
        except OSError:
            pass


class Store(HistoryMixin, Status2Mixin, CleanupMixin, EditingMixin, BreakdownMixin, BackupMixin):
    """An open dailyreach database.

    The mixins (one module each) hold the methods for the history and undo,
    status 2, the status clean-up, editing, the breakdown and backups.
    """

    def __init__(self, path: str | os.PathLike, *, today: date | None = None):
        self.path = Path(path)
        self._today = today
        #: set when Ctrl-C came during a COMMIT, which then completed
        self.late_interrupt = False
        self.conn = self._connect()
        self._statuses: list[Status] | None = None
        self._settings: dict[str, str] | None = None
        if self.conn.execute(
            "SELECT 1 FROM settings WHERE key = '_rebuild_derived'"
        ).fetchone():
            # a schema step added derived columns: fill them from history
            with self.transaction() as conn:
                self._refresh(conn, None, history=True)
                conn.execute("DELETE FROM settings WHERE key = '_rebuild_derived'")
        self._status2: list | None = None
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
            _add_functions(conn)
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreError(f"{path}: could not switch the database to WAL mode")
            _owner_only(path)
            self._migrate(conn)
        except StoreError as exc:
            conn.close()
            raise StoreError(f"{path}: {exc}") from None
        except sqlite3.OperationalError as exc:
            conn.close()
            if _is_busy(exc):  # schema upgrade blocked by another writer
                raise StoreError(f"{path}: {BUSY_MESSAGE}") from None
            raise StoreError(f"{path} is not a usable dailyreach database ({exc})") from None
        except sqlite3.DatabaseError as exc:
            conn.close()
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
            with _interrupt_deferred() as interrupted:
                self.conn.execute("COMMIT")
            if interrupted:
                # Ctrl-C came while COMMIT was writing (a large import spends
                # seconds there): too late to stop it, so it is not raised —
                # the change is saved, and saying "aborted" would be false
                self.late_interrupt = True
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self._statuses = None
            self._status2 = None
            self._settings = None

    def generation(self) -> int:
        """A number that changes when the database is replaced by a restore
        (and only then).  Row ids recorded before a restore may name other
        rows after it: a window compares this before undoing what it did."""
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def forget_cache(self) -> None:
        """Re-read statuses and settings on next use (another window may
        have changed them)."""
        self._statuses = None
        self._settings = None
        self._status2 = None

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

    def _stamp(self, day: date | None = None) -> str:
        """Timestamp with microseconds for outcomes and snoozes, so that one
        made right after another still sorts after it."""
        when = datetime.combine(day or self.today(), datetime.now().time())
        return when.isoformat(timespec="microseconds")

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
        "calls_per_day": "calls you can make in a day; empty = no limit",
        "emails_per_day": "e-mails you can write in a day; empty = no limit",
        "working_days": "the days you work, e.g. mon-fri or mon-thu,sat",
        "retry_days": "days before an unanswered call or a bounced e-mail comes back",
        "phone_region": "two-letter country code for numbers written without +country, e.g. US",
        "email_subject": "subject of the e-mail template",
        "email_template": "body of the e-mail template; "
                          "{first_name} {last_name} {name} {company} {owner_name} are filled in",
    }
    SETTING_DEFAULTS = {"phone_region": "US"}

    def _defaults(self) -> dict[str, str]:
        from .mail import DEFAULT_BODY, DEFAULT_SUBJECT

        return {"working_days": DEFAULT_WORKING_DAYS, "retry_days": str(DEFAULT_RETRY_DAYS),
                "email_subject": DEFAULT_SUBJECT, "email_template": DEFAULT_BODY,
                **self.SETTING_DEFAULTS}

    def settings(self) -> dict[str, str]:
        if self._settings is None:
            values = {r["key"]: r["value"]
                      for r in self.conn.execute("SELECT key, value FROM settings")}
            values["owner_name"] = self.owner_name()
            defaults = self._defaults()
            self._settings = {key: values.get(key, defaults.get(key, "")) for key in self.SETTINGS}
        return dict(self._settings)

    def _normalise_setting(self, key: str, value: str) -> str:
        """The value as stored, or :class:`StoreError` naming what is wrong."""
        value = clean(value, multiline=key == "email_template")
        if key in ("calls_per_day", "emails_per_day"):
            number = parse_whole(key, value, allow_empty=True, what="items a day")
            return "" if number is None else str(number)
        if key == "retry_days":
            return str(parse_whole(key, value, allow_empty=False, what="days",
                                   maximum=MAX_RETRY_DAYS))
        if key == "working_days":
            return format_working_days(parse_working_days(value))
        if key == "phone_region":
            return parse_region(value)
        if key in ("email_subject", "email_template"):
            from .mail import check_template

            check_template(key, value)
            return value.strip() if key == "email_subject" else value
        return value

    def set_setting(self, key: str, value: str) -> None:
        """Change one setting.  A new retry gap re-dates the queue in the
        same transaction."""
        if key not in self.SETTINGS:
            raise StoreError(f"unknown setting {key!r} (known: {', '.join(self.SETTINGS)})")
        if key == "owner_name":
            self.set_owner_name(value)
            return
        value = self._normalise_setting(key, value)
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, value])
            if key == "retry_days":
                self._refresh(conn, None, retry_days=int(value))

    def capacity(self) -> Capacity:
        values = self.settings()

        def number(key: str) -> int | None:
            try:
                return parse_whole(key, values[key], allow_empty=True, what="items")
            except StoreError:
                return None

        try:
            days = parse_working_days(values["working_days"])
        except StoreError:
            days = parse_working_days(DEFAULT_WORKING_DAYS)
        return Capacity(number("calls_per_day"), number("emails_per_day"), days,
                        number("retry_days") or DEFAULT_RETRY_DAYS)

    def remembered_statuses(self) -> dict[str, str]:
        """Raw status values (in the form :func:`store.scheme.normalize_raw`
        gives) that an import was told to map, with their status key."""
        return {
            raw: status_key(name)
            for raw, name in self.conn.execute(
                "SELECT m.raw_norm, s.name FROM status_map m JOIN statuses s ON s.id = m.status_id")
        }

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

    def _search_ids(self, words: list[str]) -> tuple[str, list]:
        """SQL for the ids of contacts whose search text holds every word
        (each of 3+ characters), from the trigram index (schema step
        m006_fts).  A trigram phrase matches exactly where instr() would, so
        the index alone answers; only contacts changed outside
        Store.transaction(), waiting in contacts_fts_pending, are checked
        against their text instead of the index.  With none waiting (as
        after every transaction) the plain index query is used: it yields
        ids as it finds them, so a LIMIT stops it early."""
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
        plain = "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?"
        if self.conn.execute("SELECT 1 FROM contacts_fts_pending LIMIT 1").fetchone() is None:
            return plain, [match]
        checks = " AND ".join("instr(c2.search_text, ?) > 0" for _ in words)
        sql = (f"{plain} EXCEPT SELECT id FROM contacts_fts_pending"
               " UNION SELECT c2.id FROM contacts_fts_pending p CROSS JOIN contacts c2"
               f" ON c2.id = p.id WHERE {checks}")
        return sql, [match, *words]

    def _filter(self, search: str | None, status: str | None, status2: str | None = None,
                owner: str | None = None, due: str | None = None, *,
                use_index: bool = True) -> tuple[str, list]:
        clauses, params = self._more_filters(status2, owner, due)
        if search:
            words = search_words(search)
            # words of 3+ characters through the trigram index; shorter ones,
            # which it cannot hold, by instr() on the rows (all of them by
            # instr() without ``use_index``: for rows read anyway)
            indexed = [w for w in words if len(w) >= 3] if use_index else []
            if indexed:
                ids, ids_params = self._search_ids(indexed)
                clauses.append(f"c.id IN ({ids})")
                params += ids_params
            for word in words:
                if word not in indexed:
                    clauses.append("instr(c.search_text, ?) > 0")
                    params.append(word)
        if status:
            if status in ("-", "?", "unclassified"):
                clauses.append("c.status_id IS NULL")
            else:
                clauses.append("c.status_id = ?")
                params.append(self.status_by_key(status).id)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return where, params

    #: ``due`` filter values: due for a call or an e-mail today or earlier,
    #: or before today.
    DUE_FILTERS = ("today", "overdue")

    def _more_filters(self, status2: str | None, owner: str | None,
                      due: str | None) -> tuple[list[str], list]:
        """Clauses for the status 2, owner and due filters.  ``status2`` and
        ``owner`` match whole values, ignoring case; ``"-"`` means none."""
        clauses, params = [], []
        for column, value in (("status2", status2), ("owner", owner)):
            if value is None:
                continue
            value = " ".join(clean(value).split())
            if value in ("-", ""):
                clauses.append(f"coalesce(c.{column}, '') = ''")
            else:
                clauses.append(f"c.{column} = ? COLLATE NOCASE")
                params.append(value)
        if due is not None:
            if due not in self.DUE_FILTERS:
                raise StoreError(f"due filter {due!r} is not one of: {', '.join(self.DUE_FILTERS)}")
            op = "<=" if due == "today" else "<"
            clauses.append(f"(c.next_call_due {op} ? OR c.next_email_due {op} ?)")
            params += [self.today().isoformat()] * 2
        return clauses, params

    def _unchanged_since(self, key: tuple, compute):
        """``compute()``, or its last result for ``key`` if the database has
        not changed since: no commit by another connection (data_version) and
        no write by this one (total_changes).  Screens re-read counts on every
        reload (a million contacts: tens of ms per count), mostly unchanged."""
        if self.conn.in_transaction:  # a rollback would not show in the version
            return compute()
        version = self._version()
        hit = self._counts.get(key)
        if hit is not None and hit[0] == version:
            return hit[1]
        value = compute()
        if len(self._counts) > 64:
            self._counts.clear()
        self._counts[key] = (version, value)
        return value

    def version(self) -> tuple[int, int]:
        """A value that changes whenever the database does (a write here, or
        a commit by another connection): what a screen showed for an older
        version may be stale, for the same version it is not."""
        return (self.conn.execute("PRAGMA data_version").fetchone()[0], self.conn.total_changes)

    _version = version

    @contextmanager
    def _keeping_queue_counts(self, ids: list[int]) -> Iterator[None]:
        """Keep the remembered queue counts through a change of a few
        contacts, by how those contacts move, instead of counting again: at
        a million contacts a count is tens of milliseconds, and a status
        letter changes one contact.  Nothing is kept if another connection
        wrote in between (or the change covers many contacts)."""
        version = self._version()
        entries = [(key, hit[1]) for key, hit in self._counts.items()
                   if key[0] == "queue" and hit[0] == version]
        # contact counts that such a change cannot move: it touches statuses,
        # due dates and holds, never names, owners or the number of contacts
        unmoved = [(key, hit[1]) for key, hit in self._counts.items()
                   if key[0] == "contacts" and hit[0] == version
                   and not any(word in key[1] for word in ("status_id", "_due", "_hold"))]
        if not (entries or unmoved) or not ids or len(ids) > 1000 or self.conn.in_transaction:
            yield
            return
        before = {key: self._due_groups(ids, key[1], key[2]) for key, _ in entries}
        yield
        if self.conn.execute("PRAGMA data_version").fetchone()[0] != version[0]:
            return  # another window committed meanwhile: count afresh
        now = self._version()
        for key, value in unmoved:
            self._counts[key] = (now, value)
        for key, counts in entries:
            kind = key[1]
            after = self._due_groups(ids, kind, key[2])
            groups = dict(counts)
            for cid in ids:
                old, new = before[key].get(cid), after.get(cid)
                if old != new:
                    if old is not None:
                        groups[old] -= 1
                    if new is not None:
                        groups[new] = groups.get(new, 0) + 1
            days_col = self._QUEUE_COLUMNS[kind][2]
            self._counts[key] = (now, [(s.id, groups[s.id]) for s in self.statuses()
                                       if getattr(s, days_col) is not None and groups.get(s.id)])

    def _due_groups(self, ids: list[int], kind: str, day_text: str) -> dict[int, int]:
        """contact id → status id, for those of ``ids`` the queue counts as
        due for ``kind`` on that day (as :meth:`_queue_counts` counts them)."""
        due_col, _, days_col = self._QUEUE_COLUMNS[kind]
        cadenced = {s.id for s in self.statuses() if getattr(s, days_col) is not None}
        rows = self.conn.execute(
            f"SELECT id, status_id FROM contacts WHERE id IN (SELECT value FROM json_each(?))"
            f" AND {due_col} <= ? AND {self._not_held(kind)}",
            [json.dumps(ids), day_text, day_text])
        return {cid: sid for cid, sid in rows if sid in cadenced}

    def count_contacts(self, *, search: str | None = None, status: str | None = None,
                       status2: str | None = None, owner: str | None = None,
                       due: str | None = None, at_most: int | None = None) -> int:
        """How many contacts the filters match (see :meth:`contacts`).  With
        ``at_most``, counting stops there: ``at_most`` means "that many or
        more" — a search found in a fifth of a million contacts takes a
        tenth of a second to count in full, its first ten thousand a few
        milliseconds."""
        where, params = self._filter(search, status, status2, owner, due)
        words = search_words(search or "")
        if (words and all(len(w) >= 3 for w in words)
                and not any((status, status2, owner, due))):
            # the index alone knows how many: no table rows to read
            rows, params = self._search_ids(words)
        else:
            rows = f"SELECT 1 FROM contacts c{where}"
        if at_most is not None:
            sql = f"SELECT count(*) FROM ({rows} LIMIT {int(at_most)})"
        elif rows.startswith("SELECT 1 FROM"):
            sql = f"SELECT count(*) FROM contacts c{where}"  # (the table's own quick count)
        else:
            sql = f"SELECT count(*) FROM ({rows})"
        return self._unchanged_since(
            ("contacts", sql, tuple(params)),
            lambda: self.conn.execute(sql, params).fetchone()[0])

    def contact_ids(self, *, search: str | None = None, status: str | None = None,
                    status2: str | None = None, owner: str | None = None,
                    due: str | None = None) -> list[int]:
        """Ids of every contact the filters match, in list order (for "select all")."""
        where, params = self._filter(search, status, status2, owner, due)
        return [r[0] for r in self.conn.execute(
            f"SELECT c.id FROM contacts c{where} ORDER BY c.sort_name, c.id", params)]

    def contacts(self, *, search: str | None = None, status: str | None = None,
                 status2: str | None = None, owner: str | None = None,
                 due: str | None = None, offset: int = 0,
                 limit: int | None = None) -> list[dict]:
        """Contacts sorted by last name, first name; one page when ``limit`` is set.

        ``status`` is a key letter, or ``"-"`` for unclassified contacts;
        ``status2`` and ``owner`` a whole value (any case) or ``"-"`` for
        none; ``due`` is ``"today"`` (a call or e-mail due today or earlier)
        or ``"overdue"`` (due before today).
        """
        # Page over ids first (the sort index covers them), then read only
        # the rows on the page: skipping to a far offset stays cheap.
        source = "contacts c"
        walk = False
        if search:
            # Walking the sort index finds a page of frequent matches after
            # a few entries, but visits every entry for a rare one; sorting
            # the matches reads one row per match.  Walking costs about
            # (offset + limit) * total / matches index steps, a row about
            # eight steps: take the cheaper.
            # (a count stopped at SEARCH_COUNT_CAP is enough to choose: that
            # many matches make walking cheap)
            matches = self.count_contacts(search=search, status=status, at_most=SEARCH_COUNT_CAP)
            if not matches:
                return []
            total = self.count_contacts()
            want = offset + (limit if limit is not None else matches)
            walk = bool(matches) and want * total < 8 * matches * matches
            source = "contacts c INDEXED BY contacts_sort" if walk else "contacts c NOT INDEXED"
        # walking reads each row it passes, so it checks the words on them
        # (building the index's set of every match first would cost more)
        where, params = self._filter(search, status, status2, owner, due, use_index=not walk)
        page = f"SELECT c.id FROM {source}{where} ORDER BY c.sort_name, c.id LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset]
        sql = (self._SELECT + f" JOIN ({page}) page ON page.id = c.id"
               " ORDER BY c.sort_name, c.id")
        return [self._contact_dict(r) for r in self.conn.execute(sql, params)]

    def contact_index(self, contact_id: int, *, search: str | None = None,
                      status: str | None = None, status2: str | None = None,
                      owner: str | None = None, due: str | None = None) -> int | None:
        """Position of a contact in :meth:`contacts` order, or None if filtered out."""
        where, params = self._filter(search, status, status2, owner, due)
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
                   source: str = "app", note: str | None = None,
                   label: str | None = None) -> list[StatusChange]:
        """Give contacts a status (``None``: unclassified), recording each change.

        Contacts already in that status are left alone.  All the changes form
        one batch (see :meth:`undo`); returns them, in the order given.
        """
        new = self.status_by_key(key) if key else None
        ids = list(dict.fromkeys(int(i) for i in contact_ids))
        with self._keeping_queue_counts(ids), self.transaction() as conn:
            return self._apply_status(conn, ids, new, source=source, note=note, label=label)

    def log(self, contact_id: int, kind: str, outcome: str | None, *,
            at: str | date | None = None, note: str | None = None, source: str = "app") -> int:
        """Record an activity (a call, an e-mail, a meeting or a note); returns its id.

        ``at`` is a timestamp or a day (then the current time of day is used).
        """
        if kind not in ("call", "email", "meeting", "note"):
            raise StoreError(f"unknown activity kind {kind!r}")
        if isinstance(at, date):
            at = self._stamp(at)
        with self._keeping_queue_counts([contact_id]), self.transaction() as conn:
            if conn.execute("SELECT 1 FROM contacts WHERE id = ?", [contact_id]).fetchone() is None:
                raise StoreError(f"no contact with id {contact_id}")
            cur = conn.execute(
                "INSERT INTO activities (contact_id, kind, outcome, at, note, source)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [contact_id, kind, outcome, at or self._stamp(),
                 clean(note, multiline=True).strip() or None if note else None, source],
            )
            self._refresh(conn, [contact_id], history=True)
        return cur.lastrowid

    def log_outcome(self, contact_id: int, kind: str, outcome: str, *,
                    day: date | None = None, note: str | None = None) -> int:
        """Record what happened to a due call or e-mail: one of
        :data:`~store.plan.CALL_OUTCOMES` or :data:`~store.plan.EMAIL_OUTCOMES`."""
        allowed = {"call": CALL_OUTCOMES, "email": EMAIL_OUTCOMES}.get(kind)
        if allowed is None:
            raise StoreError(f"{kind!r} is not call or email")
        if outcome not in allowed:
            raise StoreError(f"{outcome!r} is not an outcome of a{'n e-mail' if kind == 'email' else ' call'}"
                             f" (one of: {', '.join(allowed)})")
        if day is not None and day > self.today():
            raise StoreError(f"{day.isoformat()} is after today ({self.today().isoformat()}): "
                             "only what has happened can be logged")
        if day is not None and day.year < 1900:
            raise StoreError(f"{day.isoformat()} is before 1900: not a date a call or e-mail happened")
        return self.log(contact_id, kind, outcome, at=day, note=note)

    def delete_activity(self, activity_id: int, contact_id: int | None = None) -> None:
        """Remove one history row (used to undo a mistaken log).  With
        ``contact_id``, only if the row is that contact's: a purge frees the
        ids of the history it deletes, so the id may name another's row now."""
        owner = self.conn.execute("SELECT contact_id FROM activities WHERE id = ?",
                                  [activity_id]).fetchone()
        with self._keeping_queue_counts([owner[0]] if owner else []), self.transaction() as conn:
            row = conn.execute(
                "SELECT contact_id FROM activities WHERE id = ?", [activity_id]
            ).fetchone()
            if row is None or (contact_id is not None and row["contact_id"] != contact_id):
                raise NothingToUndo(f"no activity with id {activity_id}"
                                    + (f" for contact {contact_id}" if row is not None else ""))
            conn.execute("DELETE FROM activities WHERE id = ?", [activity_id])
            self._refresh(conn, [row["contact_id"]], history=True)

    def snooze(self, contact_id: int, until: date, kinds: Iterable[str] = ("call", "email"), *,
               reason: str = "snooze") -> list[int]:
        """Keep a contact's call and/or e-mail out of the queue before ``until``.

        The latest snooze of a kind wins (a snooze to today brings the item
        back); doing the item (a reached call, a sent e-mail) ends it.
        ``reason`` is ``"snooze"`` or ``"skip"`` (skipped for today).
        Returns the ids of the snooze rows, for :meth:`delete_snoozes`.
        """
        kinds = list(dict.fromkeys(kinds))
        if not kinds or any(k not in ("call", "email") for k in kinds):
            raise StoreError(f"snooze: kinds must be call and/or email, not {kinds!r}")
        if reason not in ("snooze", "skip"):
            raise StoreError(f"snooze: unknown reason {reason!r}")
        if until < self.today():
            raise StoreError(f"{until.isoformat()} is before today ({self.today().isoformat()}); "
                             "snooze to a later day")
        if (until - self.today()).days > MAX_SNOOZE_DAYS:
            raise StoreError(f"{until.isoformat()} is more than {MAX_SNOOZE_DAYS} days away; "
                             "snooze at most a year ahead (or give the contact another status)")
        ids = []
        with self._keeping_queue_counts([contact_id]), self.transaction() as conn:
            if conn.execute("SELECT 1 FROM contacts WHERE id = ?", [contact_id]).fetchone() is None:
                raise StoreError(f"no contact with id {contact_id}")
            stamp = self._stamp()
            for kind in kinds:
                cur = conn.execute(
                    "INSERT INTO snoozes (contact_id, kind, until, at, reason) VALUES (?, ?, ?, ?, ?)",
                    [contact_id, kind, until.isoformat(), stamp, reason])
                ids.append(cur.lastrowid)
            self._refresh(conn, [contact_id], history=True)
        return ids

    def delete_snoozes(self, snooze_ids: Iterable[int], contact_id: int | None = None) -> None:
        """Remove snoozes (used to undo one); with ``contact_id``, only if
        they are all that contact's (see :meth:`delete_activity`)."""
        ids = [int(i) for i in snooze_ids]
        owners = [r[0] for r in self.conn.execute(
            "SELECT DISTINCT contact_id FROM snoozes WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(ids)])]
        with self._keeping_queue_counts(owners), self.transaction() as conn:
            rows = conn.execute(
                "SELECT DISTINCT contact_id FROM snoozes WHERE id IN (SELECT value FROM json_each(?))",
                [json.dumps(ids)]).fetchall()
            if not rows or (contact_id is not None and {r[0] for r in rows} != {contact_id}):
                raise NothingToUndo(f"no snooze with id {', '.join(map(str, ids))}"
                                    + (f" for contact {contact_id}" if rows else ""))
            conn.execute("DELETE FROM snoozes WHERE id IN (SELECT value FROM json_each(?))",
                         [json.dumps(ids)])
            self._refresh(conn, [r[0] for r in rows], history=True)

    def set_plan(self, key: str, *, call_days: int | str | None = ...,
                 email_days: int | str | None = ..., meaning: str | None = None) -> Status:
        """Change a status's cadence (days, or None/"" for never) or meaning.

        Values are checked first (a message names what is wrong); then the
        status and every due date of its contacts change in one transaction.
        Arguments left out keep their value.
        """
        status = self.status_by_key(key)
        call = status.call_days if call_days is ... else parse_cadence(
            f"{status.name}: call every", call_days)
        email = status.email_days if email_days is ... else parse_cadence(
            f"{status.name}: e-mail every", email_days)
        text = status.meaning if meaning is None else " ".join(clean(meaning).split())
        if status.role == ROLE_DELETE and (call or email):
            raise StoreError(f"{status.name}: contacts marked for deletion are never contacted")
        changed = Status(status.id, status.name, call, email, text, status.role, status.position)
        validate_scheme([changed if s.id == status.id else s for s in self.statuses()])
        with self.transaction() as conn:
            conn.execute("UPDATE statuses SET call_days = ?, email_days = ?, meaning = ? WHERE id = ?",
                         [call, email, text, status.id])
            self._refresh(conn, None, status_id=status.id)
        return changed

    def _day_range(self, day: date | None) -> tuple[str, str]:
        day = day or self.today()
        return day.isoformat(), (day + timedelta(days=1)).isoformat()

    def done_today(self, day: date | None = None) -> dict[str, int]:
        """Reached calls and sent e-mails logged on ``day`` (default today)."""
        worked = self.worked(day)
        return {"call": worked["call"].get("reached", 0), "email": worked["email"].get("sent", 0)}

    def worked(self, day: date | None = None) -> dict[str, dict[str, int]]:
        """Calls and e-mails logged in the app on ``day`` (default today),
        counted by outcome: ``{"call": {"reached": 3, "no-answer": 1}, ...}``."""
        start, end = self._day_range(day)
        out: dict[str, dict[str, int]] = {"call": {}, "email": {}}
        for r in self.conn.execute(
            "SELECT kind, coalesce(outcome, '') AS outcome, count(*) AS n FROM activities"
            " WHERE at >= ? AND at < ? AND source != 'import' AND kind IN ('call', 'email')"
            " GROUP BY kind, outcome",
            [start, end],
        ):
            out[r["kind"]][r["outcome"]] = r["n"]
        return out

    def worked_count(self, kind: str, day: date | None = None) -> int:
        """Items of ``kind`` worked on ``day``: every call made (whatever its
        outcome), every e-mail sent or bounced.  They use up the day's capacity."""
        counts = self.worked(day)[kind]
        if kind == "email":
            return counts.get("sent", 0) + counts.get("bounced", 0)
        return sum(counts.values())

    # ----------------------------------------------------------- derived data
    @staticmethod
    def _id_clause(ids: list[int] | None) -> tuple[str, list]:
        if ids is None:
            return "", []
        return " WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(ids)]

    def _retry_days(self, conn: sqlite3.Connection) -> int:
        row = conn.execute("SELECT value FROM settings WHERE key = 'retry_days'").fetchone()
        try:
            return parse_whole("retry_days", row[0], allow_empty=False, what="days") if row else \
                DEFAULT_RETRY_DAYS
        except StoreError:
            return DEFAULT_RETRY_DAYS

    def _refresh(self, conn: sqlite3.Connection, ids: list[int] | None, *,
                 history: bool = False, status_id: int | None = None,
                 retry_days: int | None = None) -> None:
        """Recompute derived columns for ``ids`` (all contacts when None, or
        those of ``status_id``).

        With ``history`` the last done, attempts and snoozes are re-read from
        history first.  Then each due date follows the plan: the last reached
        call / sent e-mail + the status's interval, or the day the contact
        arrived.  An item is held out of the queue until the later of the
        last attempt since + the retry gap and the snooze in force; the hold
        never moves the due date (the plan's clock).
        """
        if ids is not None and not ids:
            return
        if status_id is not None:
            where, params = " WHERE status_id = ?", [status_id]
        else:
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
            attempts = {
                "call": "a.kind = 'call' AND coalesce(a.outcome, '') != 'reached'"
                        " AND date(a.at) > coalesce(contacts.last_call_reached, '')",
                "email": "a.kind = 'email' AND a.outcome = 'bounced'"
                         " AND date(a.at) > coalesce(contacts.last_email_sent, '')",
            }
            done = {"call": "reached", "email": "sent"}
            sets = []
            for kind in ("call", "email"):
                cond = f"a.contact_id = contacts.id AND {attempts[kind]}"
                sets.append(f"{kind}_attempts = (SELECT count(*) FROM activities a WHERE {cond})")
                sets.append(f"last_{kind}_attempt = (SELECT max(date(a.at)) FROM activities a"
                            f" WHERE {cond})")
                sets.append(
                    f"""{kind}_snoozed_until = (SELECT s.until FROM snoozes s
                        WHERE s.contact_id = contacts.id AND s.kind = '{kind}'
                        AND s.at > coalesce((SELECT max(a.at) FROM activities a
                            WHERE a.contact_id = contacts.id AND a.kind = '{kind}'
                            AND a.outcome = '{done[kind]}'), '')
                        ORDER BY s.at DESC, s.id DESC LIMIT 1)""")
            conn.execute(f"UPDATE contacts SET {', '.join(sets)} {where}", params)
        retry = retry_days if retry_days is not None else self._retry_days(conn)
        sets = []
        for kind, last, days_col, reach in (
            ("call", "last_call_reached", "call_days", "phone"),
            ("email", "last_email_sent", "email_days", "email"),
        ):
            sets.append(
                f"""next_{kind}_due = (SELECT CASE
                    WHEN s.{days_col} IS NULL OR coalesce(contacts.{reach}, '') = '' THEN NULL
                    WHEN contacts.{last} IS NULL THEN date(contacts.created_at)
                    ELSE date(contacts.{last}, '+' || s.{days_col} || ' days') END
                    FROM statuses s WHERE s.id = contacts.status_id)""")
            retry_until = f"date(contacts.last_{kind}_attempt, '+{int(retry)} days')"
            snooze = f"contacts.{kind}_snoozed_until"
            sets.append(
                f"""{kind}_hold_until = CASE WHEN {retry_until} IS NULL THEN {snooze}
                    WHEN {snooze} IS NULL THEN {retry_until}
                    ELSE max({retry_until}, {snooze}) END""")
        conn.execute(f"UPDATE contacts SET {', '.join(sets)} {where}", params)

    def rebuild_derived(self) -> None:
        """Recompute every contact's derived columns from history and plan."""
        with self.transaction() as conn:
            self._refresh(conn, None, history=True)

    # ------------------------------------------------------------------ queue
    _QUEUE_COLUMNS = {
        "call": ("next_call_due", "last_call_reached", "call_days"),
        "email": ("next_email_due", "last_email_sent", "email_days"),
    }

    @staticmethod
    def _not_held(kind: str) -> str:
        """SQL: the item is not held back (retry gap, snooze) on the day ``?``."""
        return f"({kind}_hold_until IS NULL OR {kind}_hold_until <= ?)"

    def queue_counts(self, day: date | None = None, kind: str = "call", *,
                     at_most: int | None = None) -> list[tuple[int, int]]:
        """(status id, number due) for each status with a cadence for ``kind``,
        in queue order.  Each count is one index range scan.  With
        ``at_most`` each count stops there: enough to show the first rows at
        once (a million contacts take tens of milliseconds to count)."""
        day_text = (day or self.today()).isoformat()
        if at_most is not None:
            return self._queue_counts(day_text, kind, at_most)
        return list(self._unchanged_since(("queue", kind, day_text),
                                          lambda: self._queue_counts(day_text, kind)))

    def _queue_counts(self, day_text: str, kind: str,
                      at_most: int | None = None) -> list[tuple[int, int]]:
        due_col, _, days_col = self._QUEUE_COLUMNS[kind]
        rows = (f"SELECT 1 FROM contacts WHERE status_id = ? AND {due_col} <= ?"
                f" AND {self._not_held(kind)}")
        if at_most is not None:
            rows += f" LIMIT {int(at_most)}"
        groups = []
        for status in self.statuses():
            if getattr(status, days_col) is None:
                continue
            count = self.conn.execute(f"SELECT count(*) FROM ({rows})",
                                      [status.id, day_text, day_text]).fetchone()[0]
            if count:
                groups.append((status.id, count))
        return groups

    def levelling(self, day: date | None = None, kind: str = "call",
                  counts: list[tuple[int, int]] | None = None) -> Levelling:
        """How the day's due items of ``kind`` are spread under the daily
        capacity: today's share first, the rest over the next working days
        (see :func:`store.plan.level`).  On the real today, what was already
        worked today uses up part of the capacity."""
        due_col, _, days_col = self._QUEUE_COLUMNS[kind]
        day = day or self.today()
        counts = self.queue_counts(day, kind) if counts is None else counts
        capacity = self.capacity()
        cap = capacity.per_day(kind)
        order = [(s.id, getattr(s, days_col)) for s in self.statuses() if getattr(s, days_col)]
        arrivals: dict[int, dict[date, int]] = {}
        if cap is not None:
            end = (day + timedelta(days=366)).isoformat()
            hold = f"{kind}_hold_until"
            for status_id, _ in order:
                # items falling due later, and items held back now (counted
                # on the day they come back)
                arrivals[status_id] = {
                    date.fromisoformat(r[0]): r[1]
                    for r in self.conn.execute(
                        f"SELECT max({due_col}, coalesce({hold}, '')) AS d, count(*)"
                        f" FROM contacts WHERE status_id = ? AND {due_col} <= ?"
                        f" GROUP BY d HAVING d > ?",
                        [status_id, end, day.isoformat()])
                }
        done = self.worked_count(kind, day) if day == self.today() else 0
        return level(day, cap, done, capacity, order, dict(counts), arrivals)

    def queue_page(self, day: date | None = None, kind: str = "call", offset: int = 0,
                   limit: int | None = None,
                   counts: list[tuple[int, int]] | None = None,
                   levelling: Levelling | None = None) -> list[QueueItem]:
        """Due items of one kind in queue order, from ``offset``.

        Order: status priority (the scheme's order), then the longest overdue
        (earliest due date), then last name, first name.  Reads only; each
        status group is read in index order, so a page costs the same at any
        offset and any database size.  Each item carries the day capacity
        levelling plans it for (pass ``counts`` and ``levelling`` from
        :meth:`queue_counts` and :meth:`levelling` to reuse them).
        """
        due_col, last_col, _ = self._QUEUE_COLUMNS[kind]
        day = day or self.today()
        counts = self.queue_counts(day, kind) if counts is None else counts
        levelling = self.levelling(day, kind, counts) if levelling is None else levelling
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
                f"""SELECT c.id, c.name, c.company, c.phone, c.email, c.{kind}_attempts AS attempts,
                        c.{due_col} AS due, c.{last_col} AS last_done
                    FROM (SELECT id FROM contacts WHERE status_id = ? AND {due_col} <= ?
                          AND {self._not_held(kind)}
                          ORDER BY {due_col}, sort_name, id LIMIT ? OFFSET ?) page
                    JOIN contacts c ON c.id = page.id
                    ORDER BY c.{due_col}, c.sort_name, c.id""",
                [status_id, day.isoformat(), day.isoformat(), want, offset],
            )
            rank = offset
            offset = 0
            status = statuses[status_id]
            for r in rows:
                planned = levelling.planned(status_id, rank)
                rank += 1
                items.append(QueueItem(
                    contact_id=r["id"], name=r["name"], company=r["company"] or "",
                    kind=kind, due=date.fromisoformat(r["due"]),
                    status_key=status.key, status=status.name, priority=status.position,
                    phone=r["phone"] or "", email=r["email"] or "",
                    last_done=date.fromisoformat(r["last_done"]) if r["last_done"] else None,
                    attempts=r["attempts"],
                    planned=planned, deferred=planned is None or planned > day,
                ))
        return items

    def queue(self, day: date | None = None) -> list[QueueItem]:
        """Today's whole queue: due calls, then due e-mails, each in the
        order of :meth:`queue_page`.  Reads only."""
        return self.queue_page(day, "call") + self.queue_page(day, "email")

    # ------------------------------------------------------------------ plan
    def plan_report(self, weeks: int = 13) -> dict:
        """The plan and what it costs: per status its cadence, contacts and
        load per working day; the totals against capacity; and the forecast
        of due items per week.  Plain data (the ``plan --json`` shape)."""
        capacity = self.capacity()
        working = len(capacity.working_days)
        counts = {
            r["status_id"]: r
            for r in self.conn.execute(
                "SELECT status_id, count(*) AS contacts,"
                " sum(coalesce(phone, '') != '') AS with_phone,"
                " sum(coalesce(email, '') != '') AS with_email"
                " FROM contacts WHERE status_id IS NOT NULL GROUP BY status_id")
        }
        rules = []
        total_calls = total_emails = 0.0
        for s in self.statuses():
            row = counts.get(s.id)
            contacts = row["contacts"] if row else 0
            with_phone = row["with_phone"] if row else 0
            with_email = row["with_email"] if row else 0
            calls = per_working_day(with_phone, s.call_days, working)
            emails = per_working_day(with_email, s.email_days, working)
            total_calls += calls
            total_emails += emails
            rules.append({
                "status_key": s.key, "status": s.name, "meaning": s.meaning,
                "call_days": s.call_days, "email_days": s.email_days,
                "contacts": contacts, "with_phone": with_phone, "with_email": with_email,
                "calls_per_day": round(calls, 2), "emails_per_day": round(emails, 2),
            })
        unclassified = self.conn.execute(
            "SELECT count(*) FROM contacts WHERE status_id IS NULL").fetchone()[0]
        today = self.today()
        groups: dict[str, list] = {}
        for kind, (due_col, _, days_col) in self._QUEUE_COLUMNS.items():
            interval = {s.id: getattr(s, days_col) for s in self.statuses()}
            groups[kind] = [
                (interval.get(r[0]), date.fromisoformat(r[1]), r[2])
                for r in self.conn.execute(
                    f"SELECT status_id, max({due_col}, coalesce({kind}_hold_until, ''), ?) AS d,"
                    f" count(*) FROM contacts WHERE {due_col} IS NOT NULL GROUP BY status_id, d",
                    [today.isoformat()])
            ]
        weeks_out = forecast(today, groups, weeks)
        caps = {"call": capacity.calls_per_day, "email": capacity.emails_per_day}
        totals = {"call": total_calls, "email": total_emails}
        over = {kind: (round(totals[kind] - caps[kind], 2)
                       if caps[kind] is not None and totals[kind] > caps[kind] else 0)
                for kind in caps}
        return {
            "date": today.isoformat(),
            "rules": rules,
            "unclassified": unclassified,
            "total": {"calls_per_day": round(total_calls, 2),
                      "emails_per_day": round(total_emails, 2)},
            "capacity": {"calls_per_day": capacity.calls_per_day,
                         "emails_per_day": capacity.emails_per_day,
                         "working_days": format_working_days(capacity.working_days),
                         "working_days_per_week": working,
                         "retry_days": capacity.retry_days},
            "over": {"calls_per_day": over["call"], "emails_per_day": over["email"]},
            "forecast": [
                {"week_start": w.start.isoformat(), "week_end": w.end.isoformat(),
                 "calls": w.calls, "emails": w.emails,
                 "calls_capacity": None if caps["call"] is None else caps["call"] * working,
                 "emails_capacity": None if caps["email"] is None else caps["email"] * working}
                for w in weeks_out
            ],
        }

    # ------------------------------------------------------------------ day
    def day_summary(self, day: date | None = None) -> dict:
        """The day at a glance: what was worked (by outcome), what is left
        of the day's share, what was deferred, and the next working day's
        load.  Plain data."""
        day = day or self.today()
        worked = self.worked(day)
        start, end = self._day_range(day)
        snoozes = {r[0]: r[1] for r in self.conn.execute(
            "SELECT reason, count(DISTINCT contact_id) FROM snoozes WHERE at >= ? AND at < ?"
            " GROUP BY reason", [start, end])}
        # changes that stand: an undone change and the undo itself cancel out
        status_changes = self.conn.execute(
            "SELECT count(*) FROM activities a LEFT JOIN change_batches b ON b.id = a.batch_id"
            " WHERE a.kind = 'status' AND a.source IN ('app', 'cli') AND a.at >= ? AND a.at < ?"
            " AND b.undone_by IS NULL AND b.undoes IS NULL", [start, end]).fetchone()[0]
        capacity = self.capacity()
        out = {"date": day.isoformat(), "working_day": capacity.is_working_day(day),
               "worked": worked, "snoozed": snoozes.get("snooze", 0),
               "skipped": snoozes.get("skip", 0), "status_changes": status_changes}
        for kind in ("call", "email"):
            counts = self.queue_counts(day, kind)
            lev = self.levelling(day, kind, counts)
            due = sum(n for _, n in counts)
            done = self.worked_count(kind, day)
            out[kind] = {"done": done, "left": lev.today_share, "due": due,
                         "deferred": due - lev.today_share, "cap": capacity.per_day(kind)}
            nxt = capacity.next_working_day(day)
            if lev.cap is None:
                # everything due today is done today; these fall due by then
                due_col = self._QUEUE_COLUMNS[kind][0]
                nxt_due = nxt_planned = self.conn.execute(
                    f"SELECT count(*) FROM contacts WHERE {due_col} <= ?"
                    f" AND max({due_col}, coalesce({kind}_hold_until, '')) > ?"
                    f" AND {self._not_held(kind)}",
                    [nxt.isoformat(), day.isoformat(), nxt.isoformat()]).fetchone()[0]
            else:
                _, nxt_due, nxt_planned = lev.days[1]
            out.setdefault("next_day", {"date": nxt.isoformat()})
            out["next_day"][kind] = {"due": nxt_due, "planned": nxt_planned}
        return out

def _digits(value: str | None) -> str:
    return "".join(ch for ch in value or "" if ch.isdigit())


def _add_functions(conn: sqlite3.Connection) -> None:
    """SQL functions the store's queries use: ``dr_norm`` (a raw status as a
    status-map key) and ``dr_digits`` (the digits of a phone number)."""
    conn.create_function("dr_norm", 1, lambda v: normalize_raw(v or ""), deterministic=True)
    conn.create_function("dr_digits", 1, _digits, deterministic=True)

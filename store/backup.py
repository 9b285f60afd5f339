"""Backups, restore and purge: nothing is deleted without a verified copy.

A backup is written with SQLite's online backup API from a second
connection, so it is a consistent snapshot even while the app is open.  It
is then verified: ``PRAGMA integrity_check`` must say ``ok`` and it must hold
as many contacts and history rows as the live database.  Backup files are
created readable by their owner only, named with the date and time.

``purge`` deletes contacts marked with the Delete status (and their history)
only after such a backup, inside one write transaction that is held from
before the backup until the delete, so no other window can change the
database in between.  ``restore`` first backs up the current database the
same way.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import StoreError
from .scheme import ROLE_DELETE


@dataclass(frozen=True)
class BackupResult:
    path: str
    contacts: int
    activities: int

    def as_dict(self) -> dict:
        return {"path": self.path, "contacts": self.contacts, "activities": self.activities}


@dataclass(frozen=True)
class PurgeResult:
    backup: BackupResult | None
    contacts: int
    activities: int

    def as_dict(self) -> dict:
        return {"backup": self.backup.as_dict() if self.backup else None,
                "deleted_contacts": self.contacts, "deleted_activities": self.activities}


@dataclass(frozen=True)
class RestoreResult:
    backup: BackupResult | None  # the current database, saved before the restore
    contacts: int
    activities: int
    #: Ctrl-C came while the backup was being copied in: too late to stop,
    #: so it was held back and the restore completed
    late_interrupt: bool = False

    def as_dict(self) -> dict:
        return {"backup_of_current": self.backup.as_dict() if self.backup else None,
                "contacts": self.contacts, "activities": self.activities}


def _counts(conn: sqlite3.Connection) -> tuple[int, int]:
    return (conn.execute("SELECT count(*) FROM contacts").fetchone()[0],
            conn.execute("SELECT count(*) FROM activities").fetchone()[0])


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


def _open_readonly(path: Path) -> sqlite3.Connection:
    uri = "file:" + str(path.resolve()).replace("?", "%3f").replace("#", "%23") + "?mode=ro"
    return sqlite3.connect(uri, uri=True)


def _existing_dir(directory: str | os.PathLike) -> Path:
    """A backup folder the user named: it must exist (a typo is not a wish
    for a new folder)."""
    path = Path(directory).expanduser()
    if not path.is_dir():
        raise StoreError(f"the backup folder {path} does not exist; create it first, or "
                         "leave it out to use the default")
    return path


#: The ids of the contacts marked Delete (one parameter: the Delete role).
_MARKED = "SELECT c.id FROM contacts c JOIN statuses s ON s.id = c.status_id WHERE s.role = ?"


def _marked_ids(conn: sqlite3.Connection) -> list[int]:
    return [r[0] for r in conn.execute(_MARKED + " ORDER BY c.id", [ROLE_DELETE])]


class BackupMixin:
    """Backup, restore and purge (mixed into ``Store``)."""

    def backup_dir(self) -> Path:
        """Where backups go by default: ``backups`` beside the database file
        (for the default database, in the user data directory); the only
        backup folder that is created when missing."""
        return self.path.parent / "backups"

    def _backup_folder(self, directory: str | os.PathLike | None) -> Path:
        return _existing_dir(directory) if directory else self.backup_dir()

    def _backup_path(self, directory: Path) -> Path:
        stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
        path = directory / f"{self.path.stem}-{stamp}.db"
        n = 2
        while path.exists():
            path = directory / f"{self.path.stem}-{stamp}-{n}.db"
            n += 1
        return path

    def _write_backup(self, target: Path, expect: tuple[int, int],
                      must_hold: list[int] | None = None) -> BackupResult:
        """Copy the committed database to ``target`` (a new, owner-only
        file) and verify it; on any failure remove what was written and
        raise a StoreError saying why."""
        created = False
        for folder in (target.parent, *target.parent.parents):
            if folder.exists():
                if not folder.is_dir():
                    # mkdir would say "File exists", which reads as the backup itself
                    raise StoreError(f"cannot write a verified backup to {target}: {folder} is "
                                     "a file, not a folder (move it away or choose another "
                                     "backup folder)")
                break
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
            created = True
            source = sqlite3.connect(self.path)
            dest = sqlite3.connect(target)
            try:
                source.backup(dest)
                # one self-contained file, not a WAL database with side files
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                dest.close()
                source.close()
            self._verify_backup(target, expect, must_hold)
        except (OSError, sqlite3.Error, StoreError) as exc:
            if created:
                for suffix in ("", "-journal", "-wal", "-shm"):
                    try:
                        os.remove(str(target) + suffix)
                    except OSError:
                        pass
            raise StoreError(f"cannot write a verified backup to {target}: {_why(exc)}") from None
        return BackupResult(str(target), *expect)

    @staticmethod
    def _verify_backup(path: Path, expect: tuple[int, int], must_hold: list[int] | None) -> None:
        conn = _open_readonly(path)
        try:
            check = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise StoreError(f"integrity check failed ({check})")
            got = _counts(conn)
            if got != expect:
                raise StoreError(f"it holds {got[0]} contacts and {got[1]} history rows, "
                                 f"the database {expect[0]} and {expect[1]}")
            if must_hold:
                import json

                held = conn.execute(
                    "SELECT count(*) FROM contacts WHERE id IN (SELECT value FROM json_each(?))",
                    [json.dumps(must_hold)]).fetchone()[0]
                if held != len(must_hold):
                    raise StoreError("it lacks some of the contacts to be deleted")
        finally:
            conn.close()

    def backup(self, path: str | os.PathLike | None = None, *,
               directory: str | os.PathLike | None = None) -> BackupResult:
        """Write a verified backup to ``path``, or to a new dated file in
        ``directory`` (default :meth:`backup_dir`).  An existing file is never
        overwritten."""
        if path is not None:
            target = Path(path).expanduser()
            if target.exists() or target.is_symlink():
                raise StoreError(f"{target} already exists; name a new file for the backup")
            _existing_dir(target.parent)
        else:
            target = self._backup_path(self._backup_folder(directory))
        with self.transaction() as conn:  # hold off writers while copying
            return self._write_backup(target, _counts(conn))

    def marked_for_deletion(self) -> dict:
        """The contacts that carry the Delete status: ``ids`` (in id order),
        how many (``contacts``) and their history rows (``activities``).
        Pass the ids to :meth:`purge` (``only=``) to delete exactly the
        contacts a question named, whatever another window marks meanwhile."""
        ids = _marked_ids(self.conn)
        activities = self.conn.execute(
            f"SELECT count(*) FROM activities WHERE contact_id IN ({_MARKED})",
            [ROLE_DELETE]).fetchone()[0]
        return {"contacts": len(ids), "activities": activities, "ids": ids}

    def purge(self, *, backup_dir: str | os.PathLike | None = None,
              only: Iterable[int] | None = None) -> PurgeResult:
        """Delete every contact marked Delete, with its history — only after
        a backup of the whole database has been written and verified.  If
        the backup fails, nothing is deleted and the StoreError says why.
        ``only``: delete no contact outside these ids (those of them still
        marked Delete; one unmarked or deleted since is left out).  When
        nothing is left to delete, no backup is written (``backup`` None)."""
        try:
            directory = self._backup_folder(backup_dir)
        except StoreError as exc:
            raise StoreError(f"purge cancelled, nothing was deleted: {exc}") from None
        with self.transaction() as conn:
            ids = _marked_ids(conn)
            if only is not None:
                allowed = set(only)
                ids = [i for i in ids if i in allowed]
            if not ids:
                return PurgeResult(None, 0, 0)
            try:
                result = self._write_backup(self._backup_path(directory), _counts(conn), ids)
            except StoreError as exc:
                raise StoreError(f"purge cancelled, nothing was deleted: {exc}") from None
            import json

            id_json = json.dumps(ids)
            activities = conn.execute(
                "SELECT count(*) FROM activities WHERE contact_id IN"
                " (SELECT value FROM json_each(?))", [id_json]).fetchone()[0]
            # the purged ids stay taken (see store.db.next_contact_id)
            conn.execute("INSERT INTO id_floor (tbl, last_id)"
                         " SELECT 'contacts', coalesce(max(id), 0) FROM contacts WHERE true"
                         " ON CONFLICT (tbl) DO UPDATE SET last_id = max(last_id, excluded.last_id)")
            conn.execute("DELETE FROM activities WHERE contact_id IN"
                         " (SELECT value FROM json_each(?))", [id_json])
            conn.execute("DELETE FROM contacts WHERE id IN (SELECT value FROM json_each(?))",
                         [id_json])
        return PurgeResult(result, len(ids), activities)

    def restore(self, path: str | os.PathLike, *,
                backup_dir: str | os.PathLike | None = None,
                backup_current: bool = True) -> RestoreResult:
        """Replace the database with a backup, after backing up the current
        one (verified) to ``backup_dir`` (default :meth:`backup_dir`).
        ``backup_current=False`` is for a database just created to restore
        into, which holds nothing to save."""
        from .db import _interrupt_deferred
        from .schema import STEP_NAMES, expected_tables

        source_path = Path(path).expanduser()
        if not source_path.is_file():
            raise StoreError(f"{source_path}: no such backup file")
        try:
            if source_path.resolve() == self.path.resolve() or os.path.samefile(source_path, self.path):
                raise StoreError(f"{source_path} is the database itself, not a backup of it")
        except OSError:
            pass
        try:
            src = _open_readonly(source_path)
        except sqlite3.Error as exc:
            raise StoreError(f"{source_path} cannot be opened ({exc})") from None
        try:
            try:
                check = src.execute("PRAGMA integrity_check").fetchone()[0]
                steps = {r[0] for r in src.execute("SELECT name FROM _sqlite_migrations")}
                counts = _counts(src)
            except sqlite3.Error as exc:
                raise StoreError(f"{source_path} is not a dailyreach backup ({exc})") from None
            if check != "ok":
                raise StoreError(f"{source_path} is damaged (integrity check: {check})")
            unknown = steps - set(STEP_NAMES)
            if unknown:
                raise StoreError(f"{source_path} was written by a newer dailyreach "
                                 f"(unknown schema steps: {', '.join(sorted(unknown))})")
            if not steps:
                raise StoreError(f"{source_path} is not a dailyreach backup (no schema steps)")
            tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = expected_tables(frozenset(steps)) - tables
            if missing:
                raise StoreError(f"{source_path} is damaged: it lacks the table(s) "
                                 f"{', '.join(sorted(missing))} its schema version has; "
                                 "nothing was restored")
            saved = None
            if backup_current:
                directory = self._backup_folder(backup_dir)
                with self.transaction() as conn:
                    saved = self._write_backup(self._backup_path(directory), _counts(conn))
            generation = self.generation()
            # from the first page copied on, a stop would leave half of each
            # database: Ctrl-C waits until the restore is whole
            with _interrupt_deferred() as interrupted:
                try:
                    src.backup(self.conn)
                except sqlite3.Error as exc:
                    kept = f"; the database as it was is saved in {saved.path}" if saved else ""
                    raise StoreError(f"could not restore {source_path} ({exc}){kept}") from None
                self._statuses = None
                self._status2 = None
                # a new generation: undo steps recorded before name rows by
                # ids that the restored database may give to other rows
                self.conn.execute(f"PRAGMA user_version = {max(generation, self.generation()) + 1}")
                self._migrate(self.conn)  # a backup from an older version is brought up to date
        finally:
            src.close()
        return RestoreResult(saved, *counts, late_interrupt=bool(interrupted))

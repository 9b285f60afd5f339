"""Change batches and undo: the status and status 2 history that survives restarts.

Every user action that changes statuses — one key press, a bulk change of
10,000 contacts, a status clean-up mapping — is one row in
``change_batches``; the ``activities`` rows it wrote carry its id.  Undo
reverts a whole batch and records the reversal as a new batch (``undoes``
points back, the undone batch gets ``undone_by``), so history stays
append-only and "undo the last change" works after a restart.

A contact is only reverted if it still has the value the batch gave it: a
contact changed again since (in another window, by a later import) keeps its
newer value and is counted as skipped.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Iterable

from .errors import NothingToUndo, StoreError
from .scheme import Status
from .text import clean


@dataclass(frozen=True)
class FieldChange:
    """One contact's status 2 (or other field) change."""

    contact_id: int
    field: str
    old: str | None
    new: str | None
    batch: int | None = None


@dataclass(frozen=True)
class Batch:
    """One recorded user action that changed statuses."""

    id: int
    at: str
    label: str
    source: str
    contacts: int
    undone: bool


@dataclass(frozen=True)
class UndoResult:
    batch: int
    label: str
    at: str
    undo_batch: int
    reverted: int
    skipped: int
    contact_ids: tuple[int, ...]


def _ids_json(ids: list[int]) -> str:
    return json.dumps(ids)


_IN_IDS = "IN (SELECT value FROM json_each(?))"


class HistoryMixin:
    """Status / status 2 changes in batches, and undo (mixed into ``Store``)."""

    # ------------------------------------------------------------ batches
    def _new_batch(self, conn: sqlite3.Connection, label: str, source: str, *,
                   undoes: int | None = None, map_raw_norm: str | None = None,
                   map_before: int | None = None, map_after: int | None = None) -> int:
        cur = conn.execute(
            "INSERT INTO change_batches (at, label, source, undoes, map_raw_norm, map_before,"
            " map_after) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [self.now(), clean(label), source, undoes, map_raw_norm, map_before, map_after],
        )
        return cur.lastrowid

    @staticmethod
    def _check_found(ids: list[int], found: dict[int, object]) -> None:
        missing = [i for i in ids if i not in found]
        if missing:
            more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
            raise StoreError(f"no contact with id {missing[0]}{more}")

    def _label_for(self, conn: sqlite3.Connection, ids: list[int], what: str) -> str:
        if len(ids) == 1:
            row = conn.execute("SELECT name FROM contacts WHERE id = ?", [ids[0]]).fetchone()
            return f"{row[0] or '(no name)'} → {what}"
        return f"{len(ids):,} contacts → {what}"

    def _apply_status(self, conn: sqlite3.Connection, ids: list[int], new: Status | None, *,
                      source: str, note: str | None = None, label: str | None = None,
                      batch: int | None = None) -> list:
        """Set ``new`` on ``ids`` inside an open transaction; one set-based
        statement each for history and contacts, so 100,000 contacts stay quick."""
        from .db import StatusChange

        new_id = new.id if new else None
        current = {r[0]: r[1] for r in conn.execute(
            f"SELECT id, status_id FROM contacts WHERE id {_IN_IDS}", [_ids_json(ids)])}
        self._check_found(ids, current)
        old_by_id = {i: v for i, v in current.items() if v != new_id}
        if not old_by_id:
            return []
        changed = [i for i in ids if i in old_by_id]
        if batch is None:
            batch = self._new_batch(
                conn, label or self._label_for(conn, changed, new.name if new else "unclassified"),
                source)
        when = self.now()
        changed_json = _ids_json(changed)
        conn.execute(
            "INSERT INTO activities (contact_id, kind, at, note, old_status, new_status,"
            " old_status_id, new_status_id, source, batch_id)"
            " SELECT c.id, 'status', ?, ?, s.name, ?, c.status_id, ?, ?, ?"
            f" FROM contacts c LEFT JOIN statuses s ON s.id = c.status_id WHERE c.id {_IN_IDS}"
            " ORDER BY c.id",
            [when, note, new.name if new else None, new_id, source, batch, changed_json],
        )
        conn.execute(
            f"UPDATE contacts SET status_id = ?, updated_at = ? WHERE id {_IN_IDS}",
            [new_id, when, changed_json],
        )
        self._refresh(conn, changed)
        keys = {s.id: s.key for s in self.statuses()}
        return [StatusChange(i, keys.get(old_by_id[i]), new.key if new else None, batch)
                for i in changed]

    def _apply_status2(self, conn: sqlite3.Connection, ids: list[int], value: str | None, *,
                       source: str, note: str | None = None, label: str | None = None,
                       batch: int | None = None) -> list[FieldChange]:
        current = {r[0]: r[1] for r in conn.execute(
            f"SELECT id, status2 FROM contacts WHERE id {_IN_IDS}", [_ids_json(ids)])}
        self._check_found(ids, current)
        old_by_id = {i: v for i, v in current.items() if (v or "") != (value or "")}
        if not old_by_id:
            return []
        changed = [i for i in ids if i in old_by_id]
        if batch is None:
            batch = self._new_batch(
                conn, label or self._label_for(conn, changed, f"status 2 {value or 'none'}"),
                source)
        when = self.now()
        changed_json = _ids_json(changed)
        conn.execute(
            "INSERT INTO activities (contact_id, kind, at, note, field, old_value, new_value,"
            " source, batch_id)"
            " SELECT c.id, 'status2', ?, ?, 'status2', nullif(c.status2, ''), ?, ?, ?"
            f" FROM contacts c WHERE c.id {_IN_IDS} ORDER BY c.id",
            [when, note, value, source, batch, changed_json],
        )
        conn.execute(
            f"UPDATE contacts SET status2 = ?, updated_at = ? WHERE id {_IN_IDS}",
            [value, when, changed_json],
        )
        return [FieldChange(i, "status2", old_by_id[i] or None, value, batch) for i in changed]

    # ------------------------------------------------------------ status 2
    def set_status2(self, contact_ids: Iterable[int], value: str | None, *,
                    source: str = "app", note: str | None = None,
                    label: str | None = None) -> list[FieldChange]:
        """Give contacts a status 2 value from the list (its name in any case,
        or its letter); ``None``, ``""`` or ``"-"`` clears it.  One batch,
        recorded in history like a status change."""
        entry = self.status2_lookup(value)
        name = entry.name if entry else None
        ids = list(dict.fromkeys(int(i) for i in contact_ids))
        with self.transaction() as conn:
            return self._apply_status2(conn, ids, name, source=source, note=note, label=label)

    def would_change(self, contact_ids: Iterable[int], *, status: str | None = None,
                     status2: str | None = None) -> int:
        """How many of ``contact_ids`` a status (key) or status 2 change would
        actually change — for a confirmation before a bulk change."""
        ids = _ids_json(list(dict.fromkeys(int(i) for i in contact_ids)))
        if status2 is not None:
            entry = self.status2_lookup(status2)
            return self.conn.execute(
                f"SELECT count(*) FROM contacts WHERE id {_IN_IDS}"
                " AND coalesce(status2, '') IS NOT coalesce(?, '')",
                [ids, entry.name if entry else None]).fetchone()[0]
        new_id = self.status_by_key(status).id if status else None
        return self.conn.execute(
            f"SELECT count(*) FROM contacts WHERE id {_IN_IDS} AND status_id IS NOT ?",
            [ids, new_id]).fetchone()[0]

    # ------------------------------------------------------------ undo
    _UNDOABLE = ("undoes IS NULL AND undone_by IS NULL"
                 " AND EXISTS (SELECT 1 FROM activities a WHERE a.batch_id = b.id"
                 "             UNION ALL SELECT 1 WHERE b.map_raw_norm IS NOT NULL"
                 "             OR b.map_changes IS NOT NULL)")

    def batches(self, limit: int = 20) -> list[Batch]:
        """The latest recorded changes, newest first."""
        rows = self.conn.execute(
            "SELECT b.*, (SELECT count(*) FROM activities a WHERE a.batch_id = b.id) AS n"
            " FROM change_batches b ORDER BY b.id DESC LIMIT ?", [limit])
        return [Batch(r["id"], r["at"], r["label"], r["source"], r["n"],
                      r["undone_by"] is not None) for r in rows]

    def last_undoable(self) -> Batch | None:
        """The newest change that can still be undone (from any session)."""
        row = self.conn.execute(
            "SELECT b.*, (SELECT count(*) FROM activities a WHERE a.batch_id = b.id) AS n"
            f" FROM change_batches b WHERE {self._UNDOABLE} ORDER BY b.id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return Batch(row["id"], row["at"], row["label"], row["source"], row["n"], False)

    #: Rows of a batch that undo can still revert: the contact exists and
    #: still has the value the batch gave it.
    _REVERTIBLE = """
        SELECT a.contact_id, a.kind, a.old_status_id, a.old_value
        FROM activities a JOIN contacts c ON c.id = a.contact_id
        WHERE a.batch_id = ? AND (
            (a.kind = 'status' AND c.status_id IS a.new_status_id)
            OR (a.kind = 'status2' AND coalesce(c.status2, '') = coalesce(a.new_value, '')))
        ORDER BY a.id"""

    @staticmethod
    def _map_entries(row) -> list[tuple[str, int | None, int | None]]:
        """The remembered raw-status mappings a batch changed: (raw_norm,
        status id before, status id after), None meaning no mapping."""
        entries = []
        if row["map_raw_norm"] is not None:  # a clean-up's one mapping
            entries.append((row["map_raw_norm"], row["map_before"], row["map_after"]))
        if row["map_changes"]:  # an import's
            entries += [(norm, before, after) for norm, before, after in json.loads(row["map_changes"])]
        return entries

    def _standing_maps(self, conn: sqlite3.Connection, row) -> list[tuple[str, int | None]]:
        """The batch's mappings that still stand as it left them, with the
        status id each had before (the others were changed again since)."""
        standing = []
        for norm, before, after in self._map_entries(row):
            current = conn.execute("SELECT status_id FROM status_map WHERE raw_norm = ?",
                                   [norm]).fetchone()
            if (current[0] if current else None) == after:
                standing.append((norm, before))
        return standing

    def _map_revertible(self, conn: sqlite3.Connection, row) -> bool:
        """Does a mapping the batch made still stand as it left it?"""
        return bool(self._standing_maps(conn, row))

    def _can_revert(self, conn: sqlite3.Connection, row) -> bool:
        return (conn.execute(f"SELECT 1 FROM ({self._REVERTIBLE}) LIMIT 1",
                             [row["id"]]).fetchone() is not None
                or self._map_revertible(conn, row))

    def undo(self, batch_id: int | None = None, *, source: str = "app") -> UndoResult:
        """Revert one batch (default: the newest one not undone yet that still
        has something to revert), all or nothing.

        A change whose contacts have all been changed again since (or
        purged) has nothing left to revert: named explicitly it is refused,
        and it is passed over when looking for the newest one, so it stays
        as it is, not marked undone.
        """
        with self.transaction() as conn:
            if batch_id is None:
                row = None
                passed = 0
                for candidate in conn.execute(
                        f"SELECT * FROM change_batches b WHERE {self._UNDOABLE}"
                        " ORDER BY b.id DESC").fetchall():
                    if self._can_revert(conn, candidate):
                        row = candidate
                        break
                    passed += 1
                if row is None and not conn.execute(
                        "SELECT count(*) FROM change_batches").fetchone()[0]:
                    raise NothingToUndo("nothing to undo: no change has been recorded yet")
                if row is None:
                    raise NothingToUndo("nothing to undo: every recorded change has been undone"
                                     + (f" or its contacts have changed since ({passed:,} such "
                                        "change(s) left as they are)" if passed else ""))
            else:
                row = conn.execute("SELECT * FROM change_batches WHERE id = ?",
                                   [batch_id]).fetchone()
                if row is None:
                    raise NothingToUndo(f"no recorded change with id {batch_id} (a restore or purge "
                                        "replaced the history since?)")
                if row["undone_by"] is not None:
                    raise NothingToUndo(f"{row['label']!r} has already been undone")
                if row["undoes"] is not None:
                    raise StoreError(f"{row['label']!r} is itself an undo; it cannot be undone")
                if not self._can_revert(conn, row):
                    raise NothingToUndo(
                        f"nothing to undo in {row['label']!r}: every contact it changed has been "
                        "changed again (or deleted) since; undo the later changes first")
            batch = row["id"]
            undo_batch = self._new_batch(conn, f"undo: {row['label']}", source, undoes=batch)
            statuses = {s.id: s for s in self.statuses()}
            total = conn.execute("SELECT count(*) FROM activities WHERE batch_id = ?"
                                 " AND kind IN ('status', 'status2')", [batch]).fetchone()[0]
            groups: dict[int | None, list[int]] = {}
            groups2: dict[str | None, list[int]] = {}
            for r in conn.execute(self._REVERTIBLE, [batch]).fetchall():
                if r["kind"] == "status":
                    old = r["old_status_id"]
                    if old is None or old in statuses:  # a status since removed stays
                        groups.setdefault(old, []).append(r["contact_id"])
                else:
                    groups2.setdefault(r["old_value"], []).append(r["contact_id"])
            reverted: list[int] = []
            for old, ids in groups.items():
                changes = self._apply_status(conn, ids, statuses.get(old), source=source,
                                             note="undo", batch=undo_batch)
                reverted += [c.contact_id for c in changes]
            if groups2:
                self._restore_status2_values(conn, [v for v in groups2 if v])
            for old, ids in groups2.items():
                changes = self._apply_status2(conn, ids, old, source=source, note="undo",
                                              batch=undo_batch)
                reverted += [c.contact_id for c in changes]
            # Mappings of raw status values (a clean-up's, an import's): put
            # the remembered ones back as they were.
            for norm, before in self._standing_maps(conn, row):
                conn.execute("DELETE FROM status_map WHERE raw_norm = ?", [norm])
                if before is not None and before in statuses:
                    conn.execute("INSERT INTO status_map (raw_norm, status_id) VALUES (?, ?)",
                                 [norm, before])
            conn.execute("UPDATE change_batches SET undone_by = ? WHERE id = ?",
                         [undo_batch, batch])
        unique = tuple(dict.fromkeys(reverted))
        return UndoResult(batch, row["label"], row["at"], undo_batch, len(unique),
                          total - len(unique), unique)

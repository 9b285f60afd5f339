"""Status 2: a second, user-defined list (industry, source, region...).

Like the status list, every value starts with its own letter, so one key
(Shift + that letter in the app) sets it.  Contacts hold the value's name in
``contacts.status2``; renaming a value renames it on every contact.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import StoreError
from .history import FieldChange
from .scheme import check_key, status_key
from .text import clean


@dataclass(frozen=True)
class Status2:
    id: int
    name: str
    position: int

    @property
    def key(self) -> str:
        return status_key(self.name)

    def as_dict(self) -> dict:
        return {"key": self.key, "name": self.name}


def _clean_name(name: str) -> str:
    return " ".join(clean(name).split())


def validate_status2(names: list[str]) -> None:
    """Raise unless every name is usable and first letters are unique."""
    seen: dict[str, str] = {}
    for name in names:
        if not name:
            raise StoreError("a status 2 value needs a name")
        key = check_key(name, "status 2 value")
        if key in seen:
            if seen[key].casefold() == name.casefold():
                raise StoreError(f"status 2 value {name!r} is already in the list")
            raise StoreError(
                f"status 2 values {seen[key]!r} and {name!r} both start with {key!r}; "
                "every value needs its own first letter")
        seen[key] = name


def append_status2(conn, names: list[str]) -> list[Status2]:
    """Add ``names`` (already checked) at the end of the status 2 list,
    inside the caller's transaction."""
    position = conn.execute(
        "SELECT coalesce(max(position), -1) + 1 FROM status2_values").fetchone()[0]
    added = []
    for i, name in enumerate(names):
        cur = conn.execute("INSERT INTO status2_values (position, name) VALUES (?, ?)",
                           [position + i, name])
        added.append(Status2(cur.lastrowid, name, position + i))
    return added


class Status2Mixin:
    """The status 2 list (mixed into ``Store``)."""

    def status2_values(self) -> list[Status2]:
        if self._status2 is None:
            self._status2 = [
                Status2(r["id"], r["name"], r["position"])
                for r in self.conn.execute("SELECT * FROM status2_values ORDER BY position, id")
            ]
        return self._status2

    def status2_lookup(self, value: str | None) -> Status2 | None:
        """The list entry ``value`` names — its name in any case, or its
        letter — or ``None`` for ``None``, ``""`` and ``"-"`` (no status 2)."""
        if value is None:
            return None
        text = _clean_name(value)
        if text in ("", "-"):
            return None
        values = self.status2_values()
        for entry in values:
            if entry.name.casefold() == text.casefold():
                return entry
        if len(text) == 1:
            for entry in values:
                if entry.key == text.upper():
                    return entry
        listed = ", ".join(f"{v.key.lower()} {v.name}" for v in values) or "the list is empty"
        raise StoreError(f"{text!r} is not in the status 2 list ({listed})")

    def add_status2(self, name: str) -> Status2:
        name = _clean_name(name)
        validate_status2([v.name for v in self.status2_values()] + [name])
        with self.transaction() as conn:
            [added] = append_status2(conn, [name])
        return added

    def rename_status2(self, old: str, new: str) -> Status2:
        """Rename a value; every contact carrying it (in any case) follows."""
        entry = self.status2_lookup(old)
        if entry is None:
            raise StoreError("name the status 2 value to rename")
        new = _clean_name(new)
        validate_status2([new if v.id == entry.id else v.name for v in self.status2_values()])
        with self.transaction() as conn:
            conn.execute("UPDATE status2_values SET name = ? WHERE id = ?", [new, entry.id])
            conn.execute("UPDATE contacts SET status2 = ? WHERE status2 = ? COLLATE NOCASE",
                         [new, entry.name])
        return Status2(entry.id, new, entry.position)

    def _restore_status2_values(self, conn, names: list[str]) -> None:
        """Put back in the list the values an undo gives contacts again
        (removed from the list since); refused if a letter now clashes."""
        listed = [v.name for v in self.status2_values()]
        missing = list(dict.fromkeys(n for n in names
                                     if n.casefold() not in {v.casefold() for v in listed}))
        if not missing:
            return
        try:
            validate_status2(listed + missing)
        except StoreError as exc:
            raise StoreError(f"cannot undo: the status 2 value {missing[0]!r} it puts back no "
                             f"longer fits the list ({exc})") from None
        append_status2(conn, missing)
        self._status2 = None

    def remove_status2(self, name: str, *, clear: bool = False,
                       source: str = "app") -> list[FieldChange]:
        """Remove a value from the list.  If contacts carry it, ``clear=True``
        clears it on them first (recorded in their history, one batch, whose
        undo also puts the value back in the list); otherwise nothing changes
        and the error says how many carry it.  Returns the contacts cleared,
        as set_status2 does."""
        entry = self.status2_lookup(name)
        if entry is None:
            raise StoreError("name the status 2 value to remove")
        ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM contacts WHERE status2 = ? COLLATE NOCASE ORDER BY id", [entry.name])]
        if ids and not clear:
            raise StoreError(f"{len(ids):,} contact(s) have status 2 {entry.name!r}; "
                             "clear it on them too, or give them another value first")
        changes: list[FieldChange] = []
        with self.transaction() as conn:
            if ids:
                changes = self._apply_status2(
                    conn, ids, None, source=source,
                    label=f"{len(ids):,} contacts: status 2 {entry.name!r} removed")
            conn.execute("DELETE FROM status2_values WHERE id = ?", [entry.id])
        return changes

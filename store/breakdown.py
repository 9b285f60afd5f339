"""The breakdown: contacts counted by status, status 2 and owner (a pivot table).

Counted in SQL with one ``GROUP BY``; plain rows out, so the TUI's chart,
``dailyreach report --json`` and the spreadsheets all show the same numbers.
"""

from __future__ import annotations

from .errors import StoreError

#: SQLite's NOCASE folds only A–Z: the same, for matching its groups.
_NOCASE = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

#: Fields a breakdown can group by.
GROUP_FIELDS = ("status", "status2", "owner")


def parse_by(text: str | tuple | list) -> tuple[str, ...]:
    """``"status,status2"`` → ``("status", "status2")``, checked."""
    parts = [p.strip().lower() for p in (text.split(",") if isinstance(text, str) else text)]
    parts = [p for p in parts if p]
    if not parts:
        raise StoreError(f"group by at least one of: {', '.join(GROUP_FIELDS)}")
    for part in parts:
        if part not in GROUP_FIELDS:
            raise StoreError(f"cannot group by {part!r} (choose from: {', '.join(GROUP_FIELDS)})")
    if len(set(parts)) != len(parts):
        raise StoreError(f"{','.join(parts)}: each field may appear once")
    return tuple(parts)


def percent(count: int, total: int) -> float:
    """A share of all contacts, in percent, to one decimal."""
    return round(100 * count / total, 1) if total else 0.0


class BreakdownMixin:
    """Contacts counted by groups (mixed into ``Store``)."""

    def breakdown(self, by: str | tuple[str, ...] = ("status",)) -> list[dict]:
        """One row per group that has contacts: its grouping fields
        (``status_key`` and ``status``, ``status2``, ``owner``; ``None`` for
        unclassified / none), ``count`` and ``percent`` of all contacts.

        Rows follow the status list's order (unclassified last); within a
        status, the largest groups first (those without a value last), then
        by name.  Status 2 and owner
        values that differ only in case count as one.
        """
        fields = parse_by(by)
        # status 2 and owner group ignoring case, as the contacts filters
        # match them, so a cell's count is the number of contacts it lists
        columns = {"status": "c.status_id", "status2": "nullif(trim(c.status2), '')",
                   "owner": "nullif(trim(c.owner), '')"}
        select = ", ".join(f"{columns[f]} AS {f}" if f == "status" else
                           f"min({columns[f]}) AS {f}" for f in fields)
        group = ", ".join(columns[f] if f == "status" else f"{columns[f]} COLLATE NOCASE"
                          for f in fields)
        rows = self.conn.execute(
            f"SELECT {select}, count(*) AS n FROM contacts c GROUP BY {group}").fetchall()
        total = sum(r["n"] for r in rows)
        labels = {f: self._spellings(columns[f]) for f in fields if f != "status"}
        statuses = {s.id: s for s in self.statuses()}
        out = []
        for r in rows:
            item: dict = {}
            for f in fields:
                if f == "status":
                    status = statuses.get(r["status"])
                    item["status_key"] = status.key if status else None
                    item["status"] = status.name if status else None
                else:
                    item[f] = labels[f].get(r[f].translate(_NOCASE), r[f]) if r[f] is not None else None
            item["count"] = r["n"]
            item["percent"] = percent(r["n"], total)
            out.append(item)

        def order(item: dict) -> tuple:
            parts: list = []
            first = fields[0]
            if first != "status" and len(fields) > 1:
                # grouped by owner (or status 2) first: each one's rows together
                parts += [item[first] is None, (item[first] or "").casefold()]
            if "status" in fields:
                status = next((s for s in statuses.values() if s.name == item["status"]), None)
                parts.append(status.position if status else 1 << 30)
            others = [f for f in fields if f != "status"]
            parts += [item[f] is None for f in others]
            parts.append(-item["count"])
            parts += [(item[f] or "").casefold() for f in others]
            return tuple(parts)

        out.sort(key=order)
        return out

    def _spellings(self, column: str) -> dict[str, str]:
        """For values that differ only in (ASCII) case, as the breakdown
        groups them: the spelling most contacts carry (ties: the first in
        sort order), so every row and both sheets name a group alike."""
        best: dict[str, tuple[int, str]] = {}
        for value, n in self.conn.execute(
                f"SELECT {column} AS v, count(*) FROM contacts c WHERE v IS NOT NULL"
                " GROUP BY v ORDER BY v"):
            key = value.translate(_NOCASE)
            if key not in best or n > best[key][0]:
                best[key] = (n, value)
        return {key: value for key, (_, value) in best.items()}

"""The status clean-up: every raw status value, what it most likely means,
and mapping a value to a status once for all contacts and future imports.

A raw value is the ``ID/Status`` text a contact was imported with, compared
ignoring case and spacing (:func:`store.scheme.normalize_raw`).  Its meaning
is, in order: the status it names (``match_status``), the status it was
mapped to before (the ``status_map`` table, which imports read too), or a
fuzzy guess (rapidfuzz) that the user confirms or overrides.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .errors import StoreError
from .scheme import Status, match_status, normalize_raw

#: A guess needs this score (0–100) and this lead over the runner-up;
#: anything weaker is shown as "no guess" rather than a coin toss.
GUESS_MIN_SCORE = 75
GUESS_MIN_LEAD = 3


@dataclass(frozen=True)
class RawStatus:
    """One raw status value and the contacts carrying it."""

    norm: str  # the value as compared ('' for blank)
    raw: str  # its most common spelling
    spellings: int  # how many spellings fold to ``norm``
    count: int  # contacts carrying it
    unclassified: int  # of which still unclassified
    mapped_key: str | None  # the status it names or was mapped to
    exact: bool  # it is a status's own name (cannot be mapped elsewhere)
    guess_key: str | None  # the fuzzy guess when not mapped
    score: int  # the guess's score (100 for a mapped value)

    @property
    def key(self) -> str | None:
        """The status this value most likely means."""
        return self.mapped_key or self.guess_key

    def as_dict(self) -> dict:
        return {"raw": self.raw, "count": self.count, "unclassified": self.unclassified,
                "mapped": self.mapped_key, "guess": self.guess_key, "score": self.score}


@dataclass(frozen=True)
class MapResult:
    batch: int | None
    label: str
    changed: tuple[int, ...]


def guess_status(raw: str, statuses: list[Status]) -> tuple[Status | None, int]:
    """The status a messy value most likely means, and a 0–100 score.

    Scores with two rapidfuzz measures averaged: word-set similarity (so
    "Client - Key" is Key Client) and best partial word match (so "Prosp."
    and "Sec. client" find their abbreviation's status).  A lone letter that
    is a status key means that status.
    """
    from rapidfuzz import fuzz, utils

    named = match_status(raw, statuses)
    if named is not None:
        return named, 100
    text = normalize_raw(raw)
    if len(text) == 1:
        for s in statuses:
            if s.key == text.upper():
                return s, 100
    if not utils.default_process(text):
        return None, 0
    # Only the words that tell statuses apart count: "client" is in three
    # names, so "Former Client" must not look like Key Client for sharing it.
    names = [utils.default_process(s.name).split() for s in statuses]
    shared = {w for w, n in Counter(w for words in names for w in set(words)).items() if n > 1}
    words = [w for w in utils.default_process(text).split() if w not in shared]
    if not words:
        return None, 0
    text = " ".join(words)
    scored = []
    for s, name_words in zip(statuses, names):
        own = " ".join(w for w in name_words if w not in shared) or " ".join(name_words)
        # a part matching counts for an abbreviation ("Prosp."), not for a
        # longer word that happens to contain a short name ("Former" ∋ "Me")
        part = (fuzz.partial_token_sort_ratio(text, own) if len(text) <= len(own)
                else fuzz.token_sort_ratio(text, own))
        scored.append(((fuzz.token_set_ratio(text, own) + part) / 2, s))
    scored.sort(key=lambda pair: -pair[0])
    if not scored:
        return None, 0
    best, status = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0
    if best >= GUESS_MIN_SCORE and best - runner_up >= GUESS_MIN_LEAD:
        return status, round(best)
    return None, round(best)


class CleanupMixin:
    """Raw status values and mapping them (mixed into ``Store``)."""

    def _status_map(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT raw_norm, status_id FROM status_map")}

    def raw_statuses(self) -> list[RawStatus]:
        """Every raw status value in the database, most contacts first."""
        statuses = self.statuses()
        by_id = {s.id: s for s in statuses}
        remembered = self._status_map()
        spellings: dict[str, Counter] = {}
        count: Counter = Counter()
        unclassified: Counter = Counter()
        for r in self.conn.execute(
                "SELECT coalesce(status_raw, '') AS raw, status_id IS NULL AS unc, count(*) AS n"
                " FROM contacts GROUP BY 1, 2"):
            norm = normalize_raw(r["raw"])
            spellings.setdefault(norm, Counter())[r["raw"]] += r["n"]
            count[norm] += r["n"]
            if r["unc"]:
                unclassified[norm] += r["n"]
        out = []
        for norm, n in count.items():
            raw = spellings[norm].most_common(1)[0][0]
            named = match_status(raw, statuses) if norm else None
            mapped = named or by_id.get(remembered.get(norm)) if norm else None
            guess, score = (None, 0) if mapped or not norm else guess_status(raw, statuses)
            out.append(RawStatus(norm, raw, len(spellings[norm]), n, unclassified[norm],
                                 mapped.key if mapped else None, named is not None,
                                 guess.key if guess else None, 100 if mapped else score))
        out.sort(key=lambda v: (-v.count, v.norm))
        return out

    def map_raw_status(self, raw: str, key: str, *, source: str = "app") -> MapResult:
        """Map a raw value (any spelling of it) to the status with ``key``.

        Every contact carrying the value that is unclassified, or still has
        the status the value meant until now, gets the new status, as one
        batch (undo reverts it and the mapping).  The mapping is remembered
        for future imports, except for a blank value.  A value that is a
        status's own name always means that status and cannot be mapped.
        """
        status = self.status_by_key(key)
        statuses = self.statuses()
        norm = normalize_raw(raw or "")
        if norm and match_status(raw, statuses) is not None:
            raise StoreError(f"{raw.strip()!r} is the name of a status and always means it")
        remembered = self._status_map().get(norm) if norm else None
        shown = raw.strip() or "(blank)"
        with self.transaction() as conn:
            ids = [r[0] for r in conn.execute(
                "SELECT id FROM contacts WHERE dr_norm(status_raw) = ?"
                " AND (status_id IS NULL OR status_id IS ?) ORDER BY id",
                [norm, remembered])]
            if not ids and remembered == status.id:
                return MapResult(None, f"{shown!r} already means {status.name}", ())
            if not ids and not norm:
                raise StoreError("no unclassified contact has a blank status")
            label = f"{shown!r} → {status.name} ({len(ids):,} contact{'s' if len(ids) != 1 else ''})"
            batch = self._new_batch(conn, label, source,
                                    map_raw_norm=norm if norm else None,
                                    map_before=remembered, map_after=status.id if norm else None)
            if norm:
                conn.execute("INSERT OR REPLACE INTO status_map (raw_norm, status_id) VALUES (?, ?)",
                             [norm, status.id])
            changes = self._apply_status(conn, ids, status, source=source,
                                         note=f"clean-up: {shown!r}", batch=batch)
        return MapResult(batch, label, tuple(c.contact_id for c in changes))

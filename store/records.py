"""Plain data shared by the file readers (:mod:`store.formats`) and the merge
(:mod:`store.importer`): one :class:`Record` per contact read, its
:class:`Activity` history, and the :class:`ImportReport` summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: At most this many per-row problems are kept in a report; the rest are
#: only counted, so a million-row file full of warnings stays small in memory.
MAX_MESSAGES = 2000


@dataclass
class Activity:
    kind: str
    outcome: str | None
    day: date
    note: str | None = None

    def key(self) -> tuple:
        """Two activities with this key are the same event (re-import skips
        it): a call, e-mail or meeting by its kind, outcome and day — a file
        that carries no Last Results, or another one, still names the same
        call —; a note by its text too."""
        if self.kind == "note":
            return (self.kind, self.outcome, self.day.isoformat(), self.note or None)
        return (self.kind, self.outcome, self.day.isoformat())


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
    phones: list[dict] = field(default_factory=list)  # {"type", "value"[, "ext"][, "norm"]}
    status_raw: str = ""
    status2: str = ""  # a status 2 value; the import adds it to the list when its letter is free
    owner: str = ""
    notes: str = ""
    created: date | None = None
    extra: dict = field(default_factory=dict)
    activities: list[Activity] = field(default_factory=list)
    #: date columns read as dates this time: label → their text (an earlier
    #: import that could not read them kept that text as extra data)
    dated: dict = field(default_factory=dict)
    #: set by readers that already cleaned every text (the merge skips it)
    cleaned: bool = field(default=False, repr=False, compare=False)

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
    """What an import read and did.  ``columns`` pairs each file header with
    the field it was mapped to (``None``: kept as extra data)."""

    file: str
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    rows: int = 0
    added: int = 0
    merged: int = 0
    unchanged: int = 0
    unclassified: int = 0
    no_status: int = 0
    dry_run: bool = False
    date_order: str = ""
    header_line: int = 0
    sheet: str = ""
    skipped: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    columns: list[tuple[str, str | None]] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    #: columns kept as extra data because a chosen column took their field:
    #: label → (that field, the chosen column's label)
    demoted: dict[str, tuple[str, str]] = field(default_factory=dict)
    unmapped_statuses: dict[str, int] = field(default_factory=dict)
    raw_statuses: dict[str, int] = field(default_factory=dict)
    skipped_total: int = 0
    warnings_total: int = 0
    #: a preview's first contacts as read ({"line", "name", "company",
    #: "email", "phone"}), to see at a glance that the encoding and the
    #: columns are right
    sample: list[dict] = field(default_factory=list)

    def skip(self, line: int, reason: str) -> None:
        self.skipped_total += 1
        if len(self.skipped) < MAX_MESSAGES:
            self.skipped.append((line, reason))

    def warn(self, line: int, message: str) -> None:
        self.warnings_total += 1
        if len(self.warnings) < MAX_MESSAGES:
            self.warnings.append((line, message))

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet or None,
            "header_line": self.header_line,
            "date_order": self.date_order or None,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "added": self.added,
            "merged": self.merged,
            "unchanged": self.unchanged,
            "unclassified": self.unclassified,
            "no_status": self.no_status,
            "skipped": [{"line": line, "reason": reason} for line, reason in self.skipped],
            "skipped_total": max(self.skipped_total, len(self.skipped)),
            "warnings": [{"line": line, "message": msg} for line, msg in self.warnings],
            "warnings_total": max(self.warnings_total, len(self.warnings)),
            "notes": self.notes,
            "columns": [{"header": h, "field": f} for h, f in self.columns],
            "extra_columns": self.extra_columns,
            "unmapped_statuses": self.unmapped_statuses,
            "raw_statuses": self.raw_statuses,
        }

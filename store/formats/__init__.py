"""File readers: every supported contact file becomes a stream of
:class:`store.records.Record` objects for the shared merge.

:func:`open_records` detects the format from the content (not the file
name), reads the header or cards, and returns a :class:`Reading`: the
records (a lazy iterator, so a million-row file is never held in memory),
the report filled with what was found so far, and a progress callable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterator

from ..errors import StoreError
from ..records import ImportReport, Record
from .mapping import FIELDS, FORMAT_NAMES, parse_map_option
from .source import Source, open_source

#: Values ``--format`` accepts.
FORMATS = ("auto", "act", "outlook", "google", "thunderbird", "linkedin", "csv", "xlsx", "vcard")

__all__ = ["FIELDS", "FORMATS", "FORMAT_NAMES", "ReadOptions", "Reading", "open_records",
           "parse_map_option"]


@dataclass
class ReadOptions:
    format: str | None = None  # one of FORMATS; None/"auto" = detect
    encoding: str | None = None
    sheet: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)  # header → field
    date_order: str | None = None  # "mdy" / "dmy"; None = decide from the file
    today: date | None = None
    status_map: dict[str, str | None] = field(default_factory=dict)  # raw → status key


@dataclass
class Reading:
    records: Iterator[Record]
    report: ImportReport
    progress: Callable[[], float]
    raw_statuses: Callable[[], dict[str, int]]


def open_records(path, options: ReadOptions | None = None) -> Reading:
    options = options or ReadOptions()
    fmt = (options.format or "auto").lower()
    if fmt not in FORMATS:
        raise StoreError(f"unknown format {options.format!r} (formats: {', '.join(FORMATS)})")
    if options.date_order not in (None, "", "mdy", "dmy"):
        raise StoreError(f"--date-order must be mdy or dmy, not {options.date_order!r}")
    today = options.today or date.today()
    src: Source = open_source(path, options.encoding)
    report = ImportReport(file=src.label)
    report.encoding = src.encoding_label
    if src.guessed:
        # several code pages read the same bytes, as different letters
        report.notes.append(
            f"the file is not UTF-8: its code page was guessed as {src.encoding_label}; if "
            "accented letters look wrong, choose another --encoding (cp1250 Central European, "
            "cp1252 Western European)")
    if src.kind == "zip" or fmt == "xlsx":
        if src.kind != "zip":
            raise src.error("not an Excel .xlsx workbook (those are ZIP files)")
        if fmt == "vcard":
            # (an exporter's name is a header profile a sheet can have: kept)
            raise src.error("--format vcard: this is an Excel workbook, not a vCard; leave "
                            "--format out (nothing was imported)")
        from .tabular import read_xlsx

        records, mapper, progress = read_xlsx(
            src, report, sheet=options.sheet, profile=None if fmt in ("auto", "xlsx") else fmt,
            overrides=options.mapping, today=today, date_order=options.date_order or None)
        if options.encoding:
            # harmless, so not refused: a workbook is not a text file
            report.notes.append(f"--encoding {options.encoding} was not used: an Excel workbook "
                                "records the encoding of its own text")
        return Reading(records, report, progress, lambda: dict(mapper.raw_statuses))
    from .vcard import looks_like_vcard

    if src.encoding.startswith(("utf-16", "utf-32")):
        from .source import _wide_text

        head_text = _wide_text(src)[:8192]
    else:
        head_text = src.head.decode(src.encoding, errors="replace")
    is_vcard = fmt == "vcard" or (fmt == "auto" and looks_like_vcard(head_text))
    if options.sheet:
        # refused, as a sheet name a workbook does not have is: the file is
        # not the one the option was meant for
        raise src.error(f"--sheet {options.sheet!r}: this is a "
                        f"{'vCard' if is_vcard else 'CSV/text'} file, not an Excel workbook, so it "
                        "has no sheets; leave --sheet out (nothing was imported)")
    if is_vcard:
        from .vcard import read_vcards

        records, lines = read_vcards(src, report)
        return Reading(records, report, lines.progress, lambda: {})
    from .tabular import read_delimited

    records, mapper, lines = read_delimited(
        src, report, profile=None if fmt == "auto" else fmt, overrides=options.mapping,
        today=today, date_order=options.date_order or None)
    return Reading(records, report, lines.progress, lambda: dict(mapper.raw_statuses))

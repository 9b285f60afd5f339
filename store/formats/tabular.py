"""Tables: delimited text (CSV, TSV, semicolon, pipe) and Excel workbooks,
turned into :class:`Record` objects through the column mapping."""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from datetime import date
from typing import Iterator

from ..errors import StoreError
from ..records import Activity, ImportReport, Record
from ..text import clean
from .mapping import (
    DATE_FIELDS, EMAIL_FIELDS, PHONE_FIELDS, Column, demotion_note, detect_profile,
    has_contact_columns, map_columns, unique_labels,
)
from .source import Source, TextLines
from .values import (
    MDY, MULTI_SEPARATOR, ORDER_NAMES, Ambiguous, add_emails, excel_date, parse_date,
    plain_email,
)

#: A cell may hold this many characters (long notes are real; a runaway
#: quote that swallows the rest of a large file is not).
FIELD_LIMIT = 64 * 1024 * 1024
csv.field_size_limit(FIELD_LIMIT)

DELIMITERS = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}
HEADER_SEARCH_ROWS = 50
_MULTILINE = {"notes", "last_results"}
_EXPORTER_DATE_ORDER = {"act": MDY, "outlook": MDY}
_PHONE_ORDER = {"fax": 1, "pager": 1}


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the sample into the most consistent rows of
    more than one field (ties: comma, tab, semicolon, pipe)."""
    text = "".join(lines)
    best, best_score = ",", 0.0
    for delim in DELIMITERS:
        counts = []
        try:
            for row in csv.reader(text.splitlines(), delimiter=delim):
                if any(cell.strip() for cell in row):
                    counts.append(len(row))
        except csv.Error:
            continue
        if not counts:
            continue
        mode, freq = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        score = freq / len(counts) + min(mode, 50) / 1000
        if score > best_score + 1e-9:
            best, best_score = delim, score
    return best


class RowMapper:
    """Turns one row of cells into a :class:`Record` using the columns.

    This runs once per row of files with a million rows, so the columns are
    sorted by what they feed once, up front, and each group has its own
    short loop.
    """

    def __init__(self, columns: list[Column], report: ImportReport, *, today: date,
                 date_order: str | None, default_order: str | None = None,
                 profile: str | None = None):
        self.columns = columns
        self.report = report
        self.today = today
        self.order = date_order
        self.default_order = default_order
        self._default_noted = False
        self.width = len(columns)
        self.raw_statuses: Counter = Counter()
        self.scalars: list[tuple[int, str, bool]] = []  # (index, field, multiline)
        self.extras: list[tuple[int, str]] = []
        self.emails: list[tuple[int, str, int | None, str]] = []  # (index, type, type column, label)
        # (index, type, label, type column, may hold several numbers joined by " ::: ")
        self.phones: list[tuple[int, str, str, int | None, bool]] = []
        self.dates: list[tuple[int, str, str]] = []  # (index, field, label)
        self.extension: int | None = None
        taken: set[str] = set()
        for c in columns:
            f = c.field
            if f == "pair_type":
                continue
            if f is None or f == "extra":
                # dailyreach's export names an extra value that shares a name
                # with one of its own columns "NAME (extra)": filed back as NAME
                label = c.label[:-len(EXTRA_SUFFIX)] if c.label.endswith(EXTRA_SUFFIX) else c.label
                self.extras.append((c.index, label))
            elif f == "email" and c.type_index is not None:
                self.emails.append((c.index, "", c.type_index, c.label))
            elif f in EMAIL_FIELDS:
                self.emails.append((c.index, EMAIL_FIELDS[f], None, c.label))
            elif f in PHONE_FIELDS:
                self.phones.append((c.index, PHONE_FIELDS[f], c.label, c.type_index,
                                    profile == "google" or c.how == "pair"))
            elif f in DATE_FIELDS:
                self.dates.append((c.index, f, c.label))
            elif f == "extension":
                self.extension = c.index
            elif f in taken:
                self.extras.append((c.index, c.label))
            else:
                taken.add(f)
                self.scalars.append((c.index, f, f in _MULTILINE))
        self.labels = {c.field: c.label for c in reversed(columns) if c.field}
        self.sort_emails = all(t is None for _, _, t, _ in self.emails)
        self.text_row = True  # rows are lists of str (CSV); Excel rows are not

    def _phone(self, line: int, label: str, kind: str, value: str, phones: list) -> None:
        if not _HAS_DIGIT.search(value):
            self.report.warn(line, f"{label}: {value!r} has no digits; kept as written")
        phones.append({"type": kind, "value": value})

    def label_for(self, index: int) -> str:
        return f"Column {index + 1}"

    def record(self, line: int, cells: list) -> Record | None:
        rec = Record(line=line, cleaned=True)
        n = len(cells)
        joined = "".join(cells) if self.text_row else ""
        if "'" in joined:
            cells = [_unquote(c) for c in cells]
        if n >= self.width and self.text_row and joined.isprintable():
            # the common case: a CSV row of plain text (one check for the
            # whole row instead of one per cell)
            values = {f: v for i, f, _ in self.scalars if (v := cells[i].strip())}
            extra = rec.extra = {label: v for i, label in self.extras if (v := cells[i].strip())}
        else:
            values = {}
            for index, field, multiline in self.scalars:
                if index < n:
                    raw = cells[index]
                    if raw is not None and raw != "":  # a cell holding 0 or FALSE is a value
                        value = _text(raw, multiline)
                        if value:
                            values[field] = value
            extra = rec.extra
            for index, label in self.extras:
                if index < n:
                    raw = cells[index]
                    if raw is not None and raw != "":
                        value = _text(raw, True)
                        if value:
                            extra[label] = value
        for index, kind, type_index, label in self.emails:
            if index < n:
                raw = cells[index]
                if raw is not None and raw != "":
                    value = _text(raw, False)
                    if value:
                        if type_index is not None:
                            kind = _type_name(cells[type_index] if type_index < n else "", "other")
                        if plain_email(value):
                            rec.emails.append({"type": kind, "value": value})
                        else:
                            add_emails(rec.emails, extra, value, kind, label,
                                       lambda message: self.report.warn(line, message))
        if len(rec.emails) > 1 and self.sort_emails:
            # the work address (Act!'s E-mail) is the one to write to
            rec.emails.sort(key=_not_work)
        phones = rec.phones
        for index, kind, label, type_index, several in self.phones:
            if index < n:
                raw = cells[index]
                if raw is not None and raw != "":
                    value = _text(raw, False)
                    if value:
                        if type_index is not None:
                            kind = _type_name(cells[type_index] if type_index < n else "", "other")
                        if several and MULTI_SEPARATOR in value:
                            # Google: "+1 555 0100 ::: +1 555 0101", one type
                            for number in value.split(MULTI_SEPARATOR):
                                if number.strip():
                                    self._phone(line, label, kind, number.strip(), phones)
                            continue
                        if not _HAS_DIGIT.search(value):
                            self._phone(line, label, kind, value, phones)
                        else:
                            phones.append({"type": kind, "value": value})
        if n > self.width:
            extra_cells = [i for i in range(self.width, n) if cells[i] not in (None, "")]
            if extra_cells:
                self.report.warn(line, f"{n - self.width} more field(s) than the header has "
                                       f"columns; kept as {', '.join(self.label_for(i) for i in extra_cells)}")
                for i in extra_cells:
                    value = _text(cells[i], True)
                    if value:
                        extra[self.label_for(i)] = value
        get = values.get
        rec.name = get("name", "")
        rec.first_name = get("first_name", "")
        rec.last_name = get("last_name", "")
        rec.company = get("company", "")
        rec.title = get("title", "")
        rec.owner = get("owner", "")
        rec.status2 = get("status2", "")
        rec.notes = get("notes", "")
        status = get("status", "")
        rec.status_raw = status
        extension = ""
        if self.extension is not None and self.extension < n and cells[self.extension] not in (None, ""):
            extension = _text(cells[self.extension], False)
        if phones:
            if len(phones) > 1:
                phones.sort(key=lambda p: _PHONE_ORDER.get(p["type"], 0))
            if extension:
                work = next((p for p in phones if p["type"] == "work"), None)
                if work is not None:
                    work["ext"] = extension
                    extension = ""
        if extension:
            extra[self.labels.get("extension", "Extension")] = extension
        if not (rec.name or rec.first_name or rec.last_name or rec.company or rec.emails or phones):
            return None
        self.raw_statuses[status] += 1
        results = get("last_results", "")
        dates = [(field, label, cells[index]) for index, field, label in self.dates
                 if index < n and cells[index] not in (None, "")]
        if dates:
            self._dates(rec, dates, results)
        elif results:
            extra[self.labels.get("last_results", "Last Results")] = results
        return rec

    def _parse(self, rec: Record, label: str, text: str) -> date | None:
        try:
            return parse_date(text, self.order)
        except Ambiguous:
            pass
        if self.default_order:
            if not self._default_noted:
                self._default_noted = True
                self.report.notes.append(
                    f"no date in the file shows whether the day or the month comes first "
                    f"(line {rec.line}: {text}); such dates were read as "
                    f"{ORDER_NAMES[self.default_order]}, as this exporter writes them "
                    "(--date-order to change)")
                self.report.date_order = self.default_order
            return parse_date(text, self.default_order)
        if not self._default_noted:
            self._default_noted = True
            self.report.notes.append(
                "no date in the file shows whether the day or the month comes first: such dates "
                "were kept as text; choose with --date-order mdy or dmy")
        self.report.warn(rec.line, f"{label}: {text!r} could be day/month or month/day; "
                                   "kept as text (see --date-order)")
        rec.extra[label] = text
        raise Ambiguous(text)

    def _dates(self, rec: Record, dates: list, results: str) -> None:
        parsed: dict[str, date] = {}
        for field, label, raw in dates:
            if type(raw) is str:
                day = None
                text = raw.strip() if raw.isprintable() else clean(raw).strip()
            else:
                day = excel_date(raw)
                text = clean(str(raw)).strip()
            if day is None:
                if not text:
                    continue
                try:
                    day = self._parse(rec, label, text)
                except Ambiguous:
                    continue
                if day is None:
                    self.report.warn(rec.line, f"{label}: unreadable date {text!r}, kept as text")
                    rec.extra[label] = text
                    continue
            if day.year < 1900 or day > self.today:
                when = "in the future" if day > self.today else "implausibly old"
                extra = " (the import day is used as its arrival date)" if field == "created" else ""
                self.report.warn(rec.line, f"{label}: {text!r} is {when}; kept as text, "
                                           f"not added to history{extra}")
                rec.extra[label] = text
                continue
            parsed[field] = day
            if text:
                rec.dated[label] = text
        rec.created = parsed.get("created")
        if "edited" in parsed:
            rec.extra[self.labels.get("edited", "Edit Date")] = parsed["edited"].isoformat()
        for field, kind, outcome in (("last_reach", "call", "reached"),
                                     ("last_attempt", "call", "attempt"),
                                     ("last_meeting", "meeting", "held"),
                                     ("last_email", "email", "sent")):
            if field in parsed:
                rec.activities.append(Activity(kind, outcome, parsed[field]))
        if results:
            talks = [a for a in rec.activities if a.kind != "email"]  # Last Results: a call or meeting
            if talks:
                max(talks, key=lambda a: a.day).note = results
            else:
                day = parsed.get("edited") or parsed.get("created")
                if day:
                    rec.activities.append(Activity("note", None, day, results))
                else:
                    rec.extra[self.labels.get("last_results", "Last Results")] = results


def _not_work(entry: dict) -> bool:
    return entry["type"] != "work"


_QUOTED_FORMULA = tuple("'" + c for c in ("=", "+", "-", "@", "\t", "\r"))


def _unquote(cell: str) -> str:
    """A CSV cell without the apostrophe a formula-safe export put in front
    of it (see :func:`store.text.neutralize`): ``'=SUM(A1)`` reads as
    ``=SUM(A1)`` again, so an export imports back as it was."""
    return cell[1:] if cell.startswith(_QUOTED_FORMULA) else cell


EXTRA_SUFFIX = " (extra)"


def _text(raw, multiline: bool) -> str:
    if type(raw) is str:
        if raw.isprintable():
            return raw.strip()
        return clean(raw, multiline=multiline).strip()
    return _cell_text(raw)


def _cell_text(value) -> str:
    """A spreadsheet number as the text a person typed: never a float repr,
    never scientific notation."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        from decimal import Decimal

        return format(Decimal(repr(value)), "f")
    day = excel_date(value)
    if day is not None:
        return day.isoformat()
    return clean(str(value)).strip()


def _type_name(raw, default: str) -> str:
    text = clean(str(raw or "")).strip().lstrip("*").strip().casefold()
    return {"cell": "mobile", "business": "work", "main": "work", "private": "home",
            "personal": "home", "home fax": "fax", "work fax": "fax"}.get(text, text or default)


# ------------------------------------------------------------------- CSV
def read_delimited(src: Source, report: ImportReport, *, profile: str | None,
                   overrides: dict[str, str] | None, today: date,
                   date_order: str | None) -> tuple[Iterator[Record], RowMapper, TextLines]:
    """Find the delimiter and header; return the record iterator."""
    lines = TextLines(src, report.warn)
    it = iter(lines)
    sample = list(itertools.islice(it, 200))
    if not any(line.strip() for line in sample):
        raise src.error("the file is empty")
    delimiter = sniff_delimiter(sample[:100])
    report.delimiter = DELIMITERS[delimiter]
    # strict: a quote that is never closed is an error, not the rest of the
    # file silently swallowed into one cell
    reader = csv.reader(itertools.chain(sample, it), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    columns: list[Column] = []
    header_line = 0
    try:
        for _ in range(HEADER_SEARCH_ROWS):
            row = next(reader)
            if not any(cell.strip() for cell in row):
                continue
            row = _header_cells(row)
            guess = profile if profile not in (None, "csv") else detect_profile(row)
            cols = map_columns(row, guess, None)
            if has_contact_columns(cols) or (overrides and _mentions(row, overrides)):
                header, columns, header_line = row, map_columns(row, guess, overrides), reader.line_num
                report.format = guess or "csv"
                break
    except StopIteration:
        pass
    except csv.Error as exc:
        raise src.error(_csv_problem(exc, "unreadable text near the header"),
                        reader.line_num or 1) from None
    if header is None:
        first = sample_header(sample, delimiter)
        if overrides:
            map_columns(first, None, overrides)  # names the bad header
        extra = ""
        if delimiter == "," and any("|" in line for line in sample[:3]):
            extra = " (is it separated by a character other than comma, tab, semicolon or pipe?)"
        raise _no_columns(src.error(
            "no contact columns in the header: expected names such as Name, First Name, "
            f"Company or E-mail (use --map 'Their Header=name' to say which is which){extra}",
            1), _header_cells(first))
    report.header_line = header_line
    if header_line > 1:
        report.notes.append(f"header found on line {header_line}; "
                            f"{header_line - 1} line(s) above it skipped")
    describe_columns(report, columns)
    order = date_order or _decide_order(src, report, report.format)
    if date_order:
        report.date_order = date_order
    # an exporter's usual order fills in only where the file says nothing;
    # a file that shows both orders keeps its unclear dates as text
    default = None if src.evidence.both else _EXPORTER_DATE_ORDER.get(report.format)
    mapper = RowMapper(columns, report, today=today, date_order=order,
                       default_order=default, profile=report.format)

    def records() -> Iterator[Record]:
        line = header_line + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise src.error(_csv_problem(exc, "badly quoted field") + "; nothing was imported",
                                line) from None
            start, line = line, reader.line_num + 1
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            report.rows += 1
            rec = mapper.record(start, row)
            if rec is None:
                if any(cell.strip() for cell in row):
                    report.skip(start, "no name, company, e-mail or phone")
                else:
                    report.rows -= 1
                continue
            yield rec

    return records(), mapper, lines


def describe_columns(report: ImportReport, columns: list[Column]) -> None:
    """The mapping as the summary shows it, with a note for each column an
    explicit choice pushed out of its field."""
    report.columns = [(c.label, c.field if c.field != "pair_type" else "type") for c in columns]
    report.extra_columns = [c.label for c in columns if c.field is None]
    demoted = [c for c in columns if c.demoted]
    report.demoted = {c.label: c.demoted for c in demoted}
    report.notes.extend(demotion_note(c) for c in demoted)


def _csv_problem(exc: csv.Error, what: str) -> str:
    if "field larger than field limit" in str(exc):
        return (f"a cell is over the size limit of {FIELD_LIMIT // (1024 * 1024)} MiB (a quote "
                "that is never closed can also make one)")
    return f"{what} ({exc})"


def _mentions(row: list[str], overrides: dict[str, str]) -> bool:
    folded = {c.strip().casefold() for c in row} | {c.casefold() for c in unique_labels(row)}
    return any(h.strip().casefold() in folded for h in overrides)


def _header_cells(row: list[str]) -> list[str]:
    """A CSV header row's cells as read for mapping: cleaned, and without
    the apostrophe an export put before a formula-like header (as before
    its cells)."""
    return [_unquote(clean(cell).strip()) for cell in row]


def _no_columns(error: StoreError, first_row: list[str]) -> StoreError:
    """The error for a file whose header names no contact field, carrying
    the first row's cells (``error.columns``) so that a screen can offer
    them to be mapped by hand."""
    error.columns = tuple(dict.fromkeys(cell for cell in first_row if cell))
    return error


def sample_header(sample: list[str], delimiter: str) -> list[str]:
    for row in csv.reader([line for line in sample if line.strip()][:1], delimiter=delimiter):
        return row
    return []


def _decide_order(src: Source, report: ImportReport, fmt: str) -> str | None:
    order, sentence = src.evidence.decide()
    report.date_order = order or ""
    if sentence:
        report.notes.append(sentence)
    return order


# ------------------------------------------------------------------ Excel
def zip_members(path) -> set[str]:
    """The member names of a ZIP archive (an .xlsx is one); BadZipFile or
    OSError for anything else."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return set(archive.namelist())


def read_xlsx(src: Source, report: ImportReport, *, sheet: str | None, profile: str | None,
              overrides: dict[str, str] | None, today: date,
              date_order: str | None) -> tuple[Iterator[Record], RowMapper, object]:
    import zipfile

    try:
        names = zip_members(src.path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise src.error(f"a damaged ZIP archive ({exc})") from None
    if "xl/workbook.xml" not in names:
        raise src.error("a ZIP archive, not an Excel workbook or contact file")
    from openpyxl import load_workbook

    try:
        wb = load_workbook(src.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise src.error(f"cannot read this Excel workbook ({type(exc).__name__}: {exc})") from None
    sheets = wb.sheetnames
    if sheet:
        # a sheet's name in any case (as Excel compares them), else its number
        chosen = next((n for n in sheets if n == sheet), None) or next(
            (n for n in sheets if n.casefold() == sheet.strip().casefold()), None)
        if chosen is None and sheet.strip().isdigit():
            number = int(sheet.strip())
            if not 1 <= number <= len(sheets):
                raise src.error(f"--sheet {sheet}: the workbook has {len(sheets)} sheet(s): "
                                f"{', '.join(sheets)}")
            chosen = sheets[number - 1]
        if chosen is None:
            raise src.error(f"no sheet named {sheet!r} (sheets: {', '.join(sheets)})")
    else:
        chosen = sheets[0]
    report.sheet = chosen
    report.format = "xlsx"
    report.encoding = "xlsx"
    others = [name for name in sheets if name != chosen]
    if others:
        elsewhere = (f"; the workbook's other sheets: {', '.join(repr(n) for n in others)} "
                     "(choose one with --sheet NAME)")
    else:
        elsewhere = ""
    rows = _sheet_rows(wb[chosen], src, chosen)
    header, header_line = None, 0
    columns: list[Column] = []
    filled, first = False, []
    for number, row in enumerate(itertools.islice(rows, HEADER_SEARCH_ROWS), 1):
        cells = [clean(_cell_text(c)).strip() if c is not None else "" for c in row]
        if not any(cells):
            continue
        first = first or cells
        filled = True
        guess = profile if profile not in (None, "csv", "xlsx") else detect_profile(cells)
        cols = map_columns(cells, guess, None)
        if has_contact_columns(cols) or (overrides and _mentions(cells, overrides)):
            header, header_line = cells, number
            columns = map_columns(cells, guess, overrides)
            break
    if header is None:
        if not filled and not any(any(c not in (None, "") for c in row) for row in rows):
            if others and not any(_has_cells(wb[name], src) for name in others):
                raise src.error(f"every sheet of the workbook is empty ({', '.join(sheets)})")
            raise src.error(f"sheet {chosen!r} is empty{elsewhere}")
        raise _no_columns(src.error(
            f"sheet {chosen!r}: no contact columns in the header: expected names such as Name, "
            f"First Name, Company or E-mail (use --map 'Their Header=name' to say which is "
            f"which){elsewhere}"), first)
    while columns and not header[columns[-1].index] and columns[-1].field is None:
        columns.pop()  # read-only openpyxl pads rows with empty trailing cells
    report.header_line = header_line
    describe_columns(report, columns)
    # Dates typed as text in a workbook decide the order like a CSV's do.
    rows_list = list(rows)
    if not any(any(c not in (None, "") for c in row) for row in rows_list):
        raise src.error(f"sheet {chosen!r} has a header on row {header_line} but no rows below it"
                        f"{elsewhere}; nothing was imported")
    for number, row in enumerate(rows_list, header_line + 1):
        for c in row:
            if isinstance(c, str):
                src.evidence.feed_text(c, number)
    _warn_unsaved_formulas(wb[chosen], report)
    order = date_order or _decide_order(src, report, "xlsx")
    if date_order:
        report.date_order = date_order
    mapper = RowMapper(columns, report, today=today, date_order=order, profile=guess)
    mapper.text_row = False
    total = max(len(rows_list), 1)
    progress = [0.0]

    def records() -> Iterator[Record]:
        for number, row in enumerate(rows_list, header_line + 1):
            if (number & 255) == 0:
                progress[0] = (number - header_line) / total
            cells = list(row)
            if not any(c not in (None, "") for c in cells):
                continue
            report.rows += 1
            rec = mapper.record(number, cells)
            if rec is None:
                report.skip(number, "no name, company, e-mail or phone")
                continue
            yield rec
        progress[0] = 1.0
        wb.close()

    return records(), mapper, lambda: progress[0]


def _has_cells(ws, src: Source) -> bool:
    """Does a sheet hold anything at all (read until its first value)?"""
    return any(any(c not in (None, "") for c in row) for row in _sheet_rows(ws, src, ws.title))


def _sheet_rows(ws, src: Source, name: str) -> Iterator[list]:
    """The sheet's rows as values; a sheet whose XML is damaged (cut short,
    not well-formed) is one clear error, not the parser's exception."""
    try:
        for row in ws.iter_rows():
            yield _xlsx_values(row)
    except Exception as exc:  # the XML parser and openpyxl raise many types
        raise src.error(f"sheet {name!r} cannot be read: the workbook is damaged "
                        f"({type(exc).__name__}: {exc})") from None


# A cell whose whole content is a formula with no saved result: the
# workbook was written by a program that does not calculate (openpyxl, many
# generators), so the value Excel would show is not in the file.
_UNSAVED_FORMULA = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]+)"[^>]*>\s*'
    rb'<(?:\w+:)?f\b(?:[^>]*/>|[^>]*>[^<]*</(?:\w+:)?f>)\s*'
    rb'(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>')


def _warn_unsaved_formulas(ws, report: ImportReport) -> None:
    """Warn, naming the cell, about formulas whose value the file does not
    hold (openpyxl reads them as empty).  Costs one pass of a C-level byte
    search over the sheet's XML; the pattern runs only on parts that hold a
    formula."""
    try:
        fh = ws.parent._archive.open(ws._worksheet_path)
    except (AttributeError, KeyError, OSError):
        return
    tail = b""
    with fh:
        while True:
            chunk = fh.read(1 << 20)
            data = tail + chunk
            if chunk:
                cut = data.rfind(b"row>") + 4
                data, tail = (data[:cut], data[cut:]) if cut > 3 else (b"", data)
            if b"<f" in data or b":f" in data:
                for m in _UNSAVED_FORMULA.finditer(data):
                    cell = (m.group(1) + m.group(2)).decode("ascii")
                    report.warn(int(m.group(2)), f"cell {cell} holds a formula with no saved value "
                                                 "(the program that wrote the file did not calculate "
                                                 "it); read as empty — open and save the file in Excel "
                                                 "to keep its value")
            if not chunk:
                break


_ZEROS = re.compile(r"^0+$")
_HAS_DIGIT = re.compile(r"\d")


def _xlsx_values(row) -> list:
    """Cell values; a whole number shown with a zero-padded format (a ZIP code
    formatted ``00000``) becomes the padded text the sheet displays."""
    out = []
    for cell in row:
        value = getattr(cell, "value", None)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            fmt = getattr(cell, "number_format", "") or ""
            if _ZEROS.match(fmt) and float(value).is_integer():
                value = str(int(value)).zfill(len(fmt))
        out.append(value)
    return out

"""Writing files for people: the contact export (CSV or XLSX) and a private
file writer shared with the plan document.

Exported files are created readable by their owner only (0600), written to
a temporary file first and renamed into place, so a failure never leaves a
half-written file.  Cells a spreadsheet would run as a formula are
neutralised (see :func:`store.text.neutralize`, shared with the reports).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import tempfile
from pathlib import Path

from .db import Store
from .errors import StoreError
from .scheme import MARKETING_ROLES, ROLE_DELETE
from .formats.tabular import EXTRA_SUFFIX
from .text import clean, neutralize

#: Column headers, named as Act! names them so an export can be imported again.
COLUMNS = ("Contact", "First Name", "Last Name", "Company", "Title", "E-mail", "Other E-mails",
           "Phone", "Extension", "Mobile Phone", "Home Phone", "Alternate Phone", "Fax Phone",
           "Other Phones", "ID/Status", "Status 2", "Record Manager", "Create Date", "Last Reach",
           "Last Attempt", "Last Meeting", "Last Results", "Last E-mail", "Notes")
_PHONE_COLUMNS = {"work": "Phone", "mobile": "Mobile Phone", "home": "Home Phone",
                  "alternate": "Alternate Phone", "fax": "Fax Phone"}

def write_private(path: str | os.PathLike, data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path``, readable by the owner only.  An existing
    file is replaced only with ``force``."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise StoreError(f"{target} is a folder; give a file name")
    if not target.parent.is_dir():
        raise StoreError(f"cannot write {target}: the folder {target.parent} does not exist")
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise StoreError(f"cannot write {target}: {exc.strerror}") from None
    if mode is not None:
        # --force replaces a file; never a link (it would not write where the
        # link points), a device, a pipe or a socket
        if stat.S_ISLNK(mode):
            raise StoreError(f"{target} is a symbolic link; give the file itself or a new name")
        if not stat.S_ISREG(mode):
            raise StoreError(f"{target} is not a regular file (a device, pipe or socket); "
                             "give a file name")
        if not force:
            raise StoreError(f"{target} already exists; choose another name or add --force "
                             "to replace it")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise StoreError(f"cannot write {target}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp creates the file as 0600
            fh.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise StoreError(f"cannot write {target}: {exc.strerror}") from None
        raise
    return target


def select_statuses(store: Store, *, marketing: bool = False,
                    keys: str | None = None) -> tuple[list[int | None], str]:
    """Status ids to export (None stands for unclassified) and a description.

    Nothing chosen: every contact except those marked for deletion.
    ``marketing``: prospects and new leads.  ``keys``: the statuses named by
    letter (``?`` or ``-`` for unclassified); these add to ``marketing``.
    """
    statuses = store.statuses()
    chosen: list[int | None] = []
    what = []
    if marketing:
        chosen += [s.id for s in statuses if s.role in MARKETING_ROLES]
        what.append("marketing (" + ", ".join(s.name for s in statuses if s.role in MARKETING_ROLES) + ")")
    if keys:
        for letter in keys.replace(",", "").replace(" ", ""):
            if letter in "?-":
                chosen.append(None)
                what.append("unclassified")
            else:
                status = store.status_by_key(letter)
                chosen.append(status.id)
                what.append(status.name)
    if not marketing and not keys:
        chosen = [s.id for s in statuses if s.role != ROLE_DELETE] + [None]
        what.append("all contacts except those marked for deletion")
    return list(dict.fromkeys(chosen)), ", ".join(dict.fromkeys(what))


def _rows(store: Store, status_ids: list[int | None]) -> tuple[list[str], list[list[str]]]:
    names = {s.id: s.name for s in store.statuses()}
    known = [i for i in status_ids if i is not None]
    clauses = []
    params: list = []
    if known:
        clauses.append("status_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(known))
    if None in status_ids:
        clauses.append("status_id IS NULL")
    if not clauses:
        return list(COLUMNS), []
    extra_columns: dict[str, None] = {}
    records = []
    # each contact's latest call or meeting (its note is Act!'s Last
    # Results) and last meeting: what the import reads back into history
    talks = {r[0]: (r[1], r[2]) for r in store.conn.execute(
        """SELECT contact_id, note, meeting FROM (
               SELECT contact_id, note,
                   row_number() OVER (PARTITION BY contact_id ORDER BY at DESC, id DESC) AS n,
                   max(CASE WHEN kind = 'meeting' THEN date(at) END)
                       OVER (PARTITION BY contact_id) AS meeting
               FROM activities WHERE kind IN ('call', 'meeting'))
           WHERE n = 1""")}
    for r in store.conn.execute(
        f"SELECT * FROM contacts WHERE {' OR '.join(clauses)} ORDER BY sort_name, id", params
    ):
        emails = [e["value"] for e in json.loads(r["emails"] or "[]")]
        phones = json.loads(r["phones"] or "[]")
        row = {
            "Contact": r["name"], "First Name": r["first_name"], "Last Name": r["last_name"],
            "Company": r["company"], "Title": r["title"],
            "E-mail": emails[0] if emails else "", "Other E-mails": "; ".join(emails[1:]),
            "ID/Status": names.get(r["status_id"]) if r["status_id"] else r["status_raw"],
            "Status 2": r["status2"], "Record Manager": r["owner"],
            "Create Date": (r["created_at"] or "")[:10], "Last Reach": r["last_call_reached"],
            "Last Attempt": r["last_call_attempt"], "Last E-mail": r["last_email_sent"],
            "Notes": r["notes"],
        }
        if r["id"] in talks:
            row["Last Results"], row["Last Meeting"] = talks[r["id"]]
        others = []
        for phone in phones:
            column = _PHONE_COLUMNS.get(phone.get("type", ""), "")
            if column and not row.get(column):
                row[column] = phone["value"]
                if column == "Phone" and phone.get("ext"):
                    row["Extension"] = phone["ext"]
            else:
                others.append(phone["value"])
        row["Other Phones"] = "; ".join(others)
        extra = json.loads(r["extra"] or "{}")
        for key in list(extra):
            if key in COLUMNS:
                # an imported column named like one of the export's own (an
                # Outlook honorific "Title", a status 2 value the list had no
                # letter for): its own column, which the import files back
                extra[key + EXTRA_SUFFIX] = extra.pop(key)
                key += EXTRA_SUFFIX
            extra_columns.setdefault(key)
        records.append((row, extra))
    header = list(COLUMNS) + list(extra_columns)
    rows = []
    for row, extra in records:
        values = [row.get(h) if h in COLUMNS else extra.get(h) for h in header]
        rows.append([clean(v, multiline=True) if v is not None else "" for v in values])
    return header, rows


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralize(h) for h in header])
    for row in rows:
        writer.writerow([neutralize(v) for v in row])
    # a byte-order mark tells spreadsheets the file is UTF-8
    return ("\ufeff" + out.getvalue()).encode("utf-8")


#: The most characters an Excel cell holds (openpyxl cuts longer text there).
XLSX_CELL_MAX = 32_767
# what an XLSX (XML) file cannot hold: C0 controls and the noncharacters
# (a database written before store.text dropped those may still hold them)
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xlsx_bytes(header: list[str], rows: list[list[str]], cut: list[tuple[int, str]] | None = None
                ) -> bytes:
    """The workbook; each cell cut at Excel's limit is added to ``cut`` as
    (row number in the sheet, column header)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Contacts"
    for r, values in enumerate([header, *rows], start=1):
        for c, value in enumerate(values, start=1):
            if value == "":
                continue
            cell = ws.cell(row=r, column=c)
            value = _XML_UNSAFE.sub("", value)
            if len(value) > XLSX_CELL_MAX and cut is not None:
                cut.append((r, header[c - 1]))
            # every value is a text cell: never a formula, never a number
            # (so leading zeros and "+" in phone numbers stay)
            cell.value = value
            cell.data_type = "s"
            cell.number_format = "@"  # Excel's Text format: an edit stays text
            if neutralize(value) != value:
                cell.quotePrefix = True  # stays text even when edited
            if r == 1:
                cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_contacts(store: Store, path: str | os.PathLike, *, marketing: bool = False,
                    keys: str | None = None, force: bool = False) -> dict:
    """Write the chosen contacts to ``path``: XLSX if it ends in ``.xlsx``,
    CSV if in ``.csv``.  Returns a summary (file, format, contacts, selection)."""
    target = Path(path).expanduser()
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise StoreError(f"{target}: the file name must end in .csv or .xlsx")
    status_ids, what = select_statuses(store, marketing=marketing, keys=keys)
    header, rows = _rows(store, status_ids)
    cut: list[tuple[int, str]] = []
    data = _xlsx_bytes(header, rows, cut) if suffix == ".xlsx" else _csv_bytes(header, rows)
    written = write_private(target, data, force=force)
    warnings = [f"row {r}: {column} is longer than the {XLSX_CELL_MAX:,} characters an Excel "
                "cell holds and was cut there (a .csv export keeps it whole; importing this "
                "file back does not shorten the contact)" for r, column in cut]
    return {"file": str(written), "format": suffix[1:], "contacts": len(rows), "selection": what,
            "warnings": warnings}

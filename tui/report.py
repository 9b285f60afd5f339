"""Writing the breakdown to CSV and XLSX with pandas (imported only here,
when an export is asked for).

Both files hold the same rows as ``dailyreach report --json``: the grouping
fields, ``count`` and ``percent``.  A two-field breakdown also gets a
"Pivot" sheet in the XLSX: the first field down, the second across, counts in
the cells, totals on the margins.  A value such as ``=HYPERLINK(...)`` is
never run as a formula: in the CSV it goes through
:func:`store.text.neutralize`; in the XLSX every text cell is a text cell.
The bytes are written by :func:`store.export.write_private` (owner-only,
never over an existing file without ``--force``).
"""

from __future__ import annotations

from store.text import neutralize

#: Labels for groups without a value, in the pivot sheet.
NONE_LABELS = {"status": "(unclassified)", "status2": "(none)", "owner": "(none)"}


def _frame(rows: list[dict], by: tuple[str, ...], *, safe_text: bool):
    """The rows as a DataFrame; ``safe_text`` neutralises formula-like text
    (for the CSV; the XLSX marks such cells as text instead)."""
    import pandas as pd

    columns = []
    for field in by:
        columns += ["status_key", "status"] if field == "status" else [field]
    columns += ["count", "percent"]
    frame = pd.DataFrame(rows, columns=columns)
    if safe_text:
        for column in columns[:-2]:
            frame[column] = frame[column].map(lambda v: None if v is None else neutralize(v))
    return frame


def csv_bytes(rows: list[dict], by: tuple[str, ...]) -> bytes:
    # UTF-8 with a byte-order mark, so Excel shows accents correctly
    text = _frame(rows, by, safe_text=True).to_csv(index=False)
    return ("\ufeff" + text).encode("utf-8")


def pivot(rows: list[dict], by: tuple[str, ...]):
    """The first field down, the second across, with totals; labels keep the
    breakdown's order (the status list's order, then the largest first)."""
    import pandas as pd

    down, across = by
    labels = []
    for row in rows:
        label = {}
        for field in (down, across):
            value = row[field]
            label[field] = value if value is not None else NONE_LABELS[field]
        labels.append({**label, "count": row["count"]})
    frame = pd.DataFrame(labels, columns=[down, across, "count"])
    order_down = list(dict.fromkeys(frame[down]))
    totals_across = frame.groupby(across, sort=False)["count"].sum().sort_values(
        ascending=False, kind="stable")
    order_across = [v for v in totals_across.index if v != NONE_LABELS[across]]
    if NONE_LABELS[across] in totals_across.index:
        order_across.append(NONE_LABELS[across])
    table = frame.pivot_table(index=down, columns=across, values="count", aggfunc="sum",
                              fill_value=0)
    table = table.reindex(index=order_down, columns=order_across, fill_value=0)
    table["Total"] = table.sum(axis=1)
    table.loc["Total"] = table.sum(axis=0)
    table.index.name = down
    table.columns.name = None
    return table.astype(int)


def xlsx_bytes(rows: list[dict], by: tuple[str, ...]) -> bytes:
    """The workbook: sheet "Breakdown" (and "Pivot" for two fields).  Every
    text cell is stored as text — a value such as ``=HYPERLINK(...)`` is
    never a formula — and formula-like ones are marked to stay text when
    edited, with the value shown as it is (no visible apostrophe)."""
    import io

    import pandas as pd

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _frame(rows, by, safe_text=False).to_excel(writer, sheet_name="Breakdown", index=False)
        if len(by) == 2:
            pivot(rows, by).to_excel(writer, sheet_name="Pivot")
        for sheet in writer.book.worksheets:
            for line in sheet.iter_rows():
                for cell in line:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"
                        if neutralize(cell.value) != cell.value:
                            cell.quotePrefix = True
    return buffer.getvalue()

"""Writing the breakdown to CSV and XLSX with pandas (imported only here,
when an export is asked for).

Both files hold the same rows as ``dailyreach report --json``: the grouping
fields, ``count`` and ``percent``.  A two-field breakdown also gets a
"Pivot" sheet in the XLSX: the first field down, the second across, counts in
the cells, totals on the margins.  Every text cell goes through
:func:`store.text.neutralize`, so a value such as ``=HYPERLINK(...)`` is
shown as text and never run as a formula.
"""

from __future__ import annotations

from pathlib import Path

from store import StoreError
from store.text import neutralize

#: Labels for groups without a value, in the pivot sheet.
NONE_LABELS = {"status": "(unclassified)", "status2": "(none)", "owner": "(none)"}


def _frame(rows: list[dict], by: tuple[str, ...]):
    import pandas as pd

    columns = []
    for field in by:
        columns += ["status_key", "status"] if field == "status" else [field]
    columns += ["count", "percent"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns[:-2]:
        frame[column] = frame[column].map(lambda v: None if v is None else neutralize(v))
    return frame


def write_csv(rows: list[dict], by: tuple[str, ...], path: Path) -> None:
    frame = _frame(rows, by)
    try:
        # UTF-8 with a byte-order mark, so Excel shows accents correctly
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from None


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
            label[field] = neutralize(value) if value is not None else NONE_LABELS[field]
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


def write_xlsx(rows: list[dict], by: tuple[str, ...], path: Path) -> None:
    import pandas as pd

    frame = _frame(rows, by)
    try:
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            frame.to_excel(writer, sheet_name="Breakdown", index=False)
            if len(by) == 2:
                pivot(rows, by).to_excel(writer, sheet_name="Pivot")
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from None

"""The breakdown: contacts by status (with a bar chart), by status ×
status 2 and by status × owner.  Enter on a cell lists its contacts."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from store import Store

from ..filters import filter_text
from ..keys import BREAKDOWN_BINDINGS
from ..safe import safe

VIEWS = [("status",), ("status", "status2"), ("status", "owner")]
VIEW_NAMES = ["by status", "status × status 2", "status × owner"]
ACROSS_LABEL = {"status2": "status 2", "owner": "owner"}
BAR = 36


class BreakdownScreen(Screen):
    """A table per view; F4 again shows the next view.  The numbers come
    from :meth:`store.Store.breakdown`, the same rows ``dailyreach report``
    prints and exports."""

    BINDINGS = BREAKDOWN_BINDINGS

    def __init__(self) -> None:
        super().__init__()
        self.view = 0
        #: (row, column) → the filters that list that cell's contacts.
        self.cells: dict[tuple[int, int], dict[str, str]] = {}

    @property
    def store(self) -> Store:
        return self.app.store

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        yield DataTable(id="breakdown", cursor_type="cell", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.set_focus(self.query_one("#breakdown", DataTable))

    def on_screen_resume(self) -> None:
        self.reload()

    def next_view(self) -> None:
        self.view = (self.view + 1) % len(VIEWS)
        self.query_one("#breakdown", DataTable).move_cursor(row=0, column=0)
        self.reload()

    def reload(self) -> None:
        table = self.query_one("#breakdown", DataTable)
        where = table.cursor_coordinate
        table.clear(columns=True)
        self.cells = {}
        total = self.store.count_contacts()
        if VIEWS[self.view] == ("status",):
            self._by_status(table, total)
        else:
            self._crossed(table, VIEWS[self.view][1], total)
        if table.row_count:
            table.move_cursor(row=min(where.row, table.row_count - 1),
                              column=min(where.column, len(table.columns) - 1))
        names = Text()
        for i, name in enumerate(VIEW_NAMES):
            names.append(f" {name} ", style="bold reverse" if i == self.view else "dim")
        self.query_one("#topbar", Static).update(Text.assemble(
            (" dailyreach ", "bold reverse"), "  ", ("Breakdown", "bold"), "  ", names,
            (f"   {total:,} contacts · F4 next view · Enter lists", "dim")))

    def _by_status(self, table: DataTable, total: int) -> None:
        rows = {r["status_key"]: r for r in self.store.breakdown("status")}
        width = max([len(s.name) for s in self.store.statuses()] + [12])
        for label, size in (("", 1), ("Status", min(width, 28)), ("Contacts", 9), ("%", 6),
                            ("", BAR)):
            table.add_column(Text(label, justify="right" if label in ("Contacts", "%") else "left"),
                             width=size)
        biggest = max((r["count"] for r in rows.values()), default=0)
        entries = [(s.key, s.name) for s in self.store.statuses()]
        if None in rows:
            entries.append((None, "Unclassified"))
        for key, name in entries:
            count = rows.get(key, {}).get("count", 0)
            pct = rows.get(key, {}).get("percent", 0.0)
            bar = "█" * max(1, round(BAR * count / biggest)) if count else ""
            index = table.row_count
            table.add_row(Text(key.lower() if key else "?", style="bold"), safe(name),
                          Text(f"{count:,}", justify="right"), Text(f"{pct:.1f}", justify="right"),
                          Text(bar, style="green" if key else "yellow"))
            for column in range(5):
                self.cells[(index, column)] = {"status": key.lower() if key else "?"}
        index = table.row_count
        table.add_row("", Text("Total", style="bold"), Text(f"{total:,}", justify="right",
                                                            style="bold"),
                      Text("100.0" if total else "0.0", justify="right"), "")
        for column in range(5):
            self.cells[(index, column)] = {}

    def _crossed(self, table: DataTable, across: str, total: int) -> None:
        rows = self.store.breakdown(("status", across))
        # columns: values by overall count, the "none" column last
        per_value: dict[str | None, int] = {}
        per_status: dict[str | None, int] = {}
        counts: dict[tuple[str | None, str | None], int] = {}
        for r in rows:
            per_value[r[across]] = per_value.get(r[across], 0) + r["count"]
            per_status[r["status_key"]] = per_status.get(r["status_key"], 0) + r["count"]
            counts[(r["status_key"], r[across])] = r["count"]
        values = sorted((v for v in per_value if v is not None),
                        key=lambda v: (-per_value[v], v.casefold()))
        if None in per_value:
            values.append(None)
        table.add_column("Status")
        table.add_column(Text("Total", style="bold"))
        for v in values:
            table.add_column(safe(v) if v is not None else Text("(none)", style="italic"))
        entries = [(s.key, s.name) for s in self.store.statuses()]
        if None in per_status:
            entries.append((None, "Unclassified"))

        def drill(key: str | None, value: str | None, column_is_value: bool) -> dict:
            out = {"status": key.lower() if key else "?"}
            if column_is_value:
                out[across] = value if value is not None else "-"
            return out

        for key, name in entries:
            index = table.row_count
            label = Text(f"{key.lower() if key else '?'} ", style="bold")
            label.append_text(safe(name))
            cells = [label, Text(f"{per_status.get(key, 0):,}", justify="right", style="bold")]
            self.cells[(index, 0)] = self.cells[(index, 1)] = drill(key, None, False)
            for column, v in enumerate(values, start=2):
                n = counts.get((key, v), 0)
                cells.append(Text(f"{n:,}" if n else "·", justify="right",
                                  style="" if n else "dim"))
                self.cells[(index, column)] = drill(key, v, True)
            table.add_row(*cells)
        index = table.row_count
        cells = [Text("Total", style="bold"), Text(f"{total:,}", justify="right", style="bold")]
        self.cells[(index, 0)] = self.cells[(index, 1)] = {}
        for column, v in enumerate(values, start=2):
            cells.append(Text(f"{per_value[v]:,}", justify="right", style="bold"))
            self.cells[(index, column)] = {across: v if v is not None else "-"}
        table.add_row(*cells)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        filters = self.cells.get((event.coordinate.row, event.coordinate.column))
        if filters is None:
            return
        from .contacts import ContactsScreen

        self.app.push_screen(ContactsScreen(filter_text(**filters), pushed=True))

    def action_back(self) -> None:
        self.app.action_show_queue()

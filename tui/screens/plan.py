"""The plan: each status's meaning and cadence, editable; the daily load the
plan implies against the user's capacity; and a 13-week forecast chart."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Static

from store import Store, StoreError

from ..keys import PLAN_BINDINGS
from ..safe import fit, safe
from ..widgets import RowList

#: Settings shown (and edited) under the rules: (key, label, hint).
CAPACITY_ROWS = [
    ("calls_per_day", "Calls per day", "a whole number; empty for no limit"),
    ("emails_per_day", "E-mails per day", "a whole number; empty for no limit"),
    ("working_days", "Working days", "e.g. mon-fri, or mon-thu,sat"),
    ("retry_days", "Retry after (days)", "days before an unanswered call or a bounce comes back"),
]


def _every(days: int | None) -> str:
    return f"{days} d" if days else "never"


def _bar(value: int, cap: int | None, scale: float, width: int) -> Text:
    """A horizontal bar of ``value``; the part over ``cap`` in red, and a
    mark where the capacity is."""
    cells = round(value * scale) if value else 0
    cells = min(max(cells, 1 if value else 0), width)
    limit = None if cap is None else min(round(cap * scale), width)
    out = Text()
    for i in range(width):
        if i < cells:
            over = limit is not None and i >= limit
            out.append("█", style="red" if over else "green")
        elif limit is not None and i == limit:
            out.append("│", style="yellow")
        else:
            out.append(" ")
    return out


#: Cells of a chart row that are not bars: the week (8), and for calls and
#: for e-mails a space, the count (6) and a space between the two.
CHART_FIXED = 23


def chart_bar_width(cells: int) -> int:
    """The width of each of a chart row's two bars in ``cells`` columns."""
    return max(4, (cells - CHART_FIXED) // 2)


def forecast_chart(report: dict, width: int = 16) -> Text:
    """Weekly due calls and e-mails, one row per week: a bar for each
    (``width`` cells), the part over the week's capacity in red, a yellow
    mark at the capacity."""
    weeks = report["forecast"]
    cap = report["capacity"]
    out = Text(no_wrap=True, overflow="crop")
    out.append("Next 13 weeks: calls and e-mails falling due per week\n", style="bold")
    parts = []
    for label, key in (("calls", "calls_per_day"), ("e-mails", "emails_per_day")):
        per_day = cap[key]
        weekly = "no limit" if per_day is None else f"{per_day * cap['working_days_per_week']}"
        parts.append(f"{label} {weekly}")
    limited = any(cap[key] is not None for key in ("calls_per_day", "emails_per_day"))
    # (the mark is drawn only where there is a limit; a bar past it is red)
    mark = " (│; a bar past it in red)" if limited else ""
    out.append(f"Weekly capacity{mark}: " + ", ".join(parts) + ".\n", style="dim")
    out.append("The first week also holds everything overdue.\n", style="dim")
    scales = {}
    for kind in ("calls", "emails"):
        caps = [w[f"{kind}_capacity"] for w in weeks if w[f"{kind}_capacity"] is not None]
        scales[kind] = width / max([w[kind] for w in weeks] + caps + [1])
    out.append(f"{'week of':<8} {'calls':<{width + 7}} e-mails\n", style="dim")
    for w in weeks:
        start = date.fromisoformat(w["week_start"])
        out.append(f"{start:%-d %b}".ljust(8), style="dim")
        for kind in ("calls", "emails"):
            out.append(" ")
            out.append_text(_bar(w[kind], w[f"{kind}_capacity"], scales[kind], width))
            limit = w[f"{kind}_capacity"]
            over = limit is not None and w[kind] > limit
            out.append(f"{w[kind]:>6,}", style="bold red" if over else "")
            if kind == "calls":
                out.append(" ")
        out.append("\n")
    for kind, label in (("calls", "calls"), ("emails", "e-mails")):
        over_weeks = [w for w in weeks if w[f"{kind}_capacity"] is not None
                      and w[kind] > w[f"{kind}_capacity"]]
        if over_weeks:
            extra = sum(w[kind] - w[f"{kind}_capacity"] for w in over_weeks)
            out.append(f"{len(over_weeks)} of 13 weeks hold more {label} than fit "
                       f"({extra:,} over in all); the rest moves to later days.\n", style="red")
    return out


def load_summary(report: dict) -> Text:
    """The plan's daily load against capacity, in words."""
    total, cap, over = report["total"], report["capacity"], report["over"]
    out = Text()
    out.append(f"This plan needs {total['calls_per_day']:.1f} calls and "
               f"{total['emails_per_day']:.1f} e-mails per working day ", style="bold")
    days = cap["working_days_per_week"]
    out.append(f"({cap['working_days']}, {days} day{'s' if days != 1 else ''} a week).\n")
    for key, label in (("calls_per_day", "calls"), ("emails_per_day", "e-mails")):
        limit = cap[key]
        if limit is None:
            out.append(f"No limit set on {label} a day.\n", style="dim")
        elif over[key]:
            share = over[key] / limit * 100
            out.append(f"Over capacity: {total[key]:.1f} {label} a day needed, {limit} allowed — "
                       f"{over[key]:.1f} too many ({share:.0f}% over).\n", style="bold red")
        else:
            out.append(f"Fits: {total[key]:.1f} of {limit} {label} a day.\n", style="green")
    if report["unclassified"]:
        out.append(f"{report['unclassified']:,} unclassified contacts are not in the plan yet.\n",
                   style="yellow")
    return out


#: DataTable's action for each of the lists' moves (their keys: RowList's).
_TABLE_MOVES = {"list.up": "cursor_up", "list.down": "cursor_down", "list.page_up": "page_up",
                "list.page_down": "page_down", "list.first": "scroll_top",
                "list.last": "scroll_bottom"}


class RowTable(DataTable):
    """A row-cursor table whose Home / End go to the first / last row, as in
    every other list (DataTable's own Home / End scroll sideways).  Its
    moves carry the lists' binding ids, so a keymap remaps them here too."""

    BINDINGS = [Binding(b.key, _TABLE_MOVES[b.id], b.description, show=False, id=b.id)
                for b in RowList.BINDINGS]


class RulesTable(RowTable):
    """The rules, one row per status.  The columns are sized to the table's
    width: the meaning takes what is left and ends in "…" when cut; when
    narrow the headers are shorter and the meaning (then shown only in the
    line under the table) is left out."""

    #: (header, short header, right-aligned) of the columns before the meaning.
    COLUMNS = [("", "", False), ("Status", "Status", False), ("Call every", "Call", False),
               ("E-mail every", "E-mail", False), ("Contacts", "Contacts", True),
               ("Calls/day", "Calls/d", True), ("E-mails/day", "E-mails/d", True)]
    #: The narrowest meaning column worth showing.
    MIN_MEANING = 12

    rules: list[dict] = []
    _filled_for = -1

    def show(self, rules: list[dict]) -> None:
        self.rules = rules
        self._fill()

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._filled_for:
            self._fill()

    def _fill(self) -> None:
        # Until the table is laid out, size it for the whole terminal.
        width = self.scrollable_content_region.width or self.app.size.width - 2
        self._filled_for = self.size.width
        cells = [[Text(r["status_key"].lower(), style="bold"), safe(_cut(r["status"], 24)),
                  Text(_every(r["call_days"])), Text(_every(r["email_days"])),
                  Text(f"{r['contacts']:,}"), Text(f"{r['calls_per_day']:.2f}"),
                  Text(f"{r['emails_per_day']:.2f}")] for r in self.rules]
        pad = 2 * self.cell_padding

        def sizes(use_short: bool) -> tuple[list[str], list[int]]:
            labels = [short if use_short else long for long, short, _ in self.COLUMNS]
            return labels, [max([cell_len(label)] + [row[i].cell_len for row in cells])
                            for i, label in enumerate(labels)]

        labels, col_widths = sizes(False)
        if sum(col_widths) + pad * len(col_widths) + pad + self.MIN_MEANING > width:
            labels, col_widths = sizes(True)
        meaning = width - sum(col_widths) - pad * (len(col_widths) + 1)
        keep = self.cursor_row
        self.clear(columns=True)
        for label, col_width, (_, _, right) in zip(labels, col_widths, self.COLUMNS):
            self.add_column(Text(label, justify="right" if right else "left"), width=col_width)
        if meaning >= self.MIN_MEANING:
            self.add_column("Meaning", width=meaning)
        for r, row in zip(self.rules, cells):
            for cell, (_, _, right) in zip(row, self.COLUMNS):
                cell.justify = "right" if right else "left"
            if meaning >= self.MIN_MEANING:
                row.append(safe(_cut(r["meaning"], meaning), "dim"))
            self.add_row(*row, key=r["status_key"])
        if self.row_count:
            self.move_cursor(row=min(max(keep, 0), self.row_count - 1))


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells: cut at the last word that fits,
    with "…" (mid-word only when one word is most of the width)."""
    if cell_len(text) <= width:
        return text
    head = fit(text, width)[:-1]  # fit() ends a cut text with "…"
    words = head.rsplit(" ", 1)
    if len(words) == 2 and cell_len(words[0]) >= width // 2:
        head = words[0].rstrip(" ,;:—-")
    return head + "…"


class ForecastChart(Static):
    """The 13-week chart; its bars take the width the pane has."""

    report: dict | None = None

    def show(self, report: dict) -> None:
        self.report = report
        self._draw(self.size.width or self.app.size.width // 2)

    def on_resize(self, event: events.Resize) -> None:
        self._draw(event.size.width)

    def _draw(self, cells: int) -> None:
        if self.report is not None:
            self.update(forecast_chart(self.report, chart_bar_width(cells)))


class PlanScreen(Screen):
    """Rules and capacity in two tables (Tab moves between them); Enter
    edits the focused row.  Wide and tall enough, capacity and the forecast
    sit side by side under the rules; else everything is one column that
    scrolls (Tab to the forecast, then the arrows)."""

    BINDINGS = PLAN_BINDINGS
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (26, "-tall")]

    @property
    def store(self) -> Store:
        return self.app.store

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        with VerticalScroll(id="plan-body", can_focus=False):
            yield Static(" Rules: Enter edits the focused status · Tab: capacity",
                         classes="pane-title")
            yield RulesTable(id="rules", cursor_type="row", zebra_stripes=True)
            yield Static(id="rule-meaning")
            with Horizontal(id="plan-bottom"):
                with Vertical(id="plan-left"):
                    yield Static(" Capacity: Enter edits", classes="pane-title")
                    yield RowTable(id="capacity", cursor_type="row")
                    yield Static(id="load")
                with VerticalScroll(id="plan-right"):
                    yield ForecastChart(id="chart")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#capacity", DataTable).add_columns("Setting", "Value")
        self.reload()
        self.set_focus(self.query_one("#rules", RulesTable))

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        report = self.store.plan_report()
        self.report = report
        self.query_one("#rules", RulesTable).show(report["rules"])
        self._show_meaning()
        capacity = self.query_one("#capacity", DataTable)
        keep = capacity.cursor_row
        capacity.clear()
        settings = self.store.settings()
        for key, label, hint in CAPACITY_ROWS:
            value = settings[key] or "no limit"
            capacity.add_row(label, Text(value, style="bold"), key=key)
        capacity.move_cursor(row=min(keep, capacity.row_count - 1))
        self.query_one("#topbar", Static).update(Text.assemble(
            (" dailyreach ", "bold reverse"), "  ", ("The plan", "bold"), "   ",
            f"{sum(r['contacts'] for r in report['rules']):,} classified contacts · "
            f"{report['total']['calls_per_day']:.1f} calls and "
            f"{report['total']['emails_per_day']:.1f} e-mails per working day"))
        self.query_one("#load", Static).update(load_summary(report))
        self.query_one("#chart", ForecastChart).show(report)

    def _show_meaning(self) -> None:
        """The focused status's meaning in full, under the rules."""
        rules = self.query_one("#rules", RulesTable)
        line = Text(" ")
        if rules.row_count:
            rule = rules.rules[rules.cursor_row]
            line.append_text(safe(rule["status"], "bold"))
            line.append(": ")
            line.append_text(safe(rule["meaning"] or "(no meaning written)"))
        self.query_one("#rule-meaning", Static).update(line)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "rules":
            self._show_meaning()

    def action_edit(self) -> None:
        focused = self.focused
        if not isinstance(focused, DataTable) or focused.row_count == 0:
            return
        key = focused.coordinate_to_cell_key((focused.cursor_row, 0)).row_key.value
        if focused.id == "rules":
            self.app.push_screen(RuleEditor(key), self._edited)
        else:
            self.app.push_screen(SettingEditor(key), self._edited)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def _edited(self, changed: bool | None) -> None:
        if changed:
            self.reload()

    def action_back(self) -> None:
        self.app.action_show_queue()


class _Editor(ModalScreen[bool]):
    DEFAULT_CSS = """
    _Editor { align: center middle; }
    #editor { width: 76; height: auto; border: round $accent; padding: 1 2; background: $surface; }
    #editor Input { margin-bottom: 0; }
    #editor-error { color: $error; height: auto; }
    """
    BINDINGS = [("escape", "cancel", "Cancel"), ("ctrl+s", "save", "Save")]

    def action_cancel(self) -> None:
        self.dismiss(False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last one it saves."""
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            self.set_focus(inputs[index + 1])
        else:
            self.action_save()

    def refuse(self, message: str) -> None:
        self.app.bell()
        self.query_one("#editor-error", Static).update(Text(message))


class RuleEditor(_Editor):
    """Cadences and meaning of one status; saved all together or not at all."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def compose(self) -> ComposeResult:
        status = self.app.store.status_by_key(self.key)
        title = Text("Plan for ", style="bold")
        title.append_text(safe(status.name, "bold"))
        title.append("\nDays between calls and between e-mails (empty for never). "
                     "Enter: next field / save · Esc: cancel", style="dim")
        with Vertical(id="editor"):
            yield Static(title)
            yield Static("Call every (days)")
            yield Input(str(status.call_days or ""), id="call", placeholder="never")
            yield Static("E-mail every (days)")
            yield Input(str(status.email_days or ""), id="email", placeholder="never")
            yield Static("Meaning")
            yield Input(status.meaning, id="meaning")
            yield Static("", id="editor-error")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#call", Input))

    def action_save(self) -> None:
        store = self.app.store
        before = store.status_by_key(self.key)
        try:
            after = store.set_plan(self.key, call_days=self.query_one("#call", Input).value,
                                   email_days=self.query_one("#email", Input).value,
                                   meaning=self.query_one("#meaning", Input).value)
        except StoreError as exc:
            self.refuse(str(exc))
            return
        def plan_of(status):
            return (status.call_days, status.email_days, status.meaning)

        if plan_of(before) != plan_of(after):
            key = self.key
            self.app.record_setting(
                f"plan for {after.name}", lambda: plan_of(store.status_by_key(key)),
                lambda: store.set_plan(key, call_days=before.call_days,
                                       email_days=before.email_days, meaning=before.meaning),
                plan_of(after))
        if (before.call_days, before.email_days) != (after.call_days, after.email_days):
            self.notify(f"{after.name}: call {_every(after.call_days)}, e-mail "
                        f"{_every(after.email_days)}; the queue follows the new plan.",
                        markup=False)
        self.dismiss(True)


class SettingEditor(_Editor):
    """One capacity setting."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    @property
    def label(self) -> str:
        return next(lbl for k, lbl, _ in CAPACITY_ROWS if k == self.key)

    def compose(self) -> ComposeResult:
        hint = next(h for k, _, h in CAPACITY_ROWS if k == self.key)
        with Vertical(id="editor"):
            yield Static(Text.assemble((self.label, "bold"),
                                       (f"\n{hint}. Enter saves · Esc cancels", "dim")))
            yield Input(self.app.store.settings()[self.key], id="value")
            yield Static("", id="editor-error")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#value", Input))

    def action_save(self) -> None:
        store, key = self.app.store, self.key
        old = store.settings()[key]
        try:
            store.set_setting(key, self.query_one("#value", Input).value)
        except StoreError as exc:
            # The store names the setting by its key (as the CLI's `config`
            # does); here it is called by the label on the screen.
            message = str(exc)
            if message.startswith(f"{self.key}: "):
                message = f"{self.label}: {message[len(self.key) + 2:]}"
            self.refuse(message)
            return
        new = store.settings()[key]
        if new != old:
            self.app.record_setting(f"{self.label}: {new}", lambda: store.settings()[key],
                                    lambda: store.set_setting(key, old), new)
        self.dismiss(True)

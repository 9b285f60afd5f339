"""The plan: each status's meaning and cadence, editable; the daily load the
plan implies against the user's capacity; and a 13-week forecast chart."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Static

from store import Store, StoreError

from ..keys import PLAN_BINDINGS
from ..safe import safe

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


def forecast_chart(report: dict, width: int = 16) -> Text:
    """Weekly due calls and e-mails, one row per week: a bar for each, the
    part over the week's capacity in red, a yellow mark at the capacity."""
    weeks = report["forecast"]
    cap = report["capacity"]
    out = Text(no_wrap=True, overflow="crop")
    out.append("Next 13 weeks: calls and e-mails falling due per week\n", style="bold")
    parts = []
    for label, key in (("calls", "calls_per_day"), ("e-mails", "emails_per_day")):
        per_day = cap[key]
        weekly = "no limit" if per_day is None else f"{per_day * cap['working_days_per_week']}"
        parts.append(f"{label} {weekly}")
    out.append("Weekly capacity (│): " + ", ".join(parts) + ".\n", style="dim")
    out.append("The first week also holds everything overdue.\n", style="dim")
    scales = {}
    for kind in ("calls", "emails"):
        caps = [w[f"{kind}_capacity"] for w in weeks if w[f"{kind}_capacity"] is not None]
        scales[kind] = width / max([w[kind] for w in weeks] + caps + [1])
    out.append(f"{'week of':<8} {'calls':<{width + 7}}  e-mails\n", style="dim")
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
    out.append(f"({cap['working_days']}, {cap['working_days_per_week']} days a week).\n")
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


class RowTable(DataTable):
    """A row-cursor table whose Home / End go to the first / last row, as in
    every other list (DataTable's own Home / End scroll sideways).  The
    bindings carry the lists' ids, so a keymap remaps them too."""

    BINDINGS = [
        Binding("home", "scroll_top", "First", show=False, id="list.first"),
        Binding("end", "scroll_bottom", "Last", show=False, id="list.last"),
    ]


class PlanScreen(Screen):
    """Rules and capacity in two tables (Tab moves between them); Enter
    edits the focused row."""

    BINDINGS = PLAN_BINDINGS

    @property
    def store(self) -> Store:
        return self.app.store

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        yield Static(" Rules: Enter edits the focused status · Tab: capacity", classes="pane-title")
        yield RowTable(id="rules", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="plan-bottom"):
            with Vertical(id="plan-left"):
                yield Static(" Capacity: Enter edits", classes="pane-title")
                yield RowTable(id="capacity", cursor_type="row")
                yield Static(id="load")
            with VerticalScroll(id="plan-right"):
                yield Static(id="chart")
        yield Footer()

    def on_mount(self) -> None:
        rules = self.query_one("#rules", DataTable)
        rules.add_columns("", "Status", "Call every", "E-mail every", "Contacts", "Calls/day",
                          "E-mails/day", "Meaning")
        self.query_one("#capacity", DataTable).add_columns("Setting", "Value")
        self.reload()
        self.set_focus(rules)

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        report = self.store.plan_report()
        self.report = report
        rules = self.query_one("#rules", DataTable)
        keep = rules.cursor_row
        rules.clear()
        for r in report["rules"]:
            rules.add_row(Text(r["status_key"].lower(), style="bold"), safe(r["status"]),
                          _every(r["call_days"]), _every(r["email_days"]),
                          Text(f"{r['contacts']:,}", justify="right"),
                          Text(f"{r['calls_per_day']:.2f}", justify="right"),
                          Text(f"{r['emails_per_day']:.2f}", justify="right"),
                          safe(r["meaning"], "dim"), key=r["status_key"])
        rules.move_cursor(row=min(keep, rules.row_count - 1))
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
        self.query_one("#chart", Static).update(forecast_chart(report))

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

    def compose(self) -> ComposeResult:
        label, hint = next((lbl, h) for k, lbl, h in CAPACITY_ROWS if k == self.key)
        with Vertical(id="editor"):
            yield Static(Text.assemble((label, "bold"), (f"\n{hint}. Enter saves · Esc cancels",
                                                          "dim")))
            yield Input(self.app.store.settings()[self.key], id="value")
            yield Static("", id="editor-error")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#value", Input))

    def action_save(self) -> None:
        try:
            self.app.store.set_setting(self.key, self.query_one("#value", Input).value)
        except StoreError as exc:
            self.refuse(str(exc))
            return
        self.dismiss(True)

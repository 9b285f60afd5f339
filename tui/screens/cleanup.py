"""Status clean-up: every raw status value, grouped by the status it most
likely means; one key maps a value, or a whole group, for good."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from store import RawStatus, Store, StoreError

from ..keys import CLEANUP_BINDINGS
from ..safe import fit, safe
from ..widgets import RowList
from .confirm import ConfirmScreen


@dataclass
class Group:
    key: str | None
    name: str
    values: list[RawStatus] = field(default_factory=list)

    @property
    def contacts(self) -> int:
        return sum(v.count for v in self.values)

    @property
    def unclassified(self) -> int:
        return sum(v.unclassified for v in self.values)


class CleanupScreen(Screen):
    """Rows are group headings (a status, or "no guess") and the raw values
    under them.  On a value, a letter maps it to that status; on a heading,
    to every value in the group.  Enter accepts the guess.  A mapping
    classifies every contact carrying the value (unclassified, or still on
    the value's previous meaning) and is remembered for future imports;
    Ctrl+Z undoes it, mapping included."""

    BINDINGS = CLEANUP_BINDINGS

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Group | RawStatus] = []

    @property
    def store(self) -> Store:
        return self.app.store

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        yield Static(id="cleanup-header", classes="pane-title")
        yield RowList(lambda: len(self.rows), lambda o, n: self.rows[o:o + n], self._render_row,
                      on_letter=self._letter, empty="No contacts yet.", id="cleanup")
        yield Static(id="legend")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.set_focus(self.query_one("#cleanup", RowList))

    def on_screen_resume(self) -> None:
        self.reload()

    def after_undo(self, contact_ids: list[int]) -> None:
        self.reload()

    def reload(self) -> None:
        statuses = self.store.statuses()
        groups = {s.key: Group(s.key, s.name) for s in statuses}
        unknown = Group(None, "No guess: press the letter it should mean")
        for value in self.store.raw_statuses():
            groups.get(value.key, unknown).values.append(value)
        self.rows = []
        for group in [*groups.values(), unknown]:
            if not group.values:
                continue
            group.values.sort(key=lambda v: (v.unclassified == 0, -v.unclassified, -v.count,
                                             v.norm))
            self.rows.append(group)
            self.rows += group.values
        self.query_one("#cleanup", RowList).reload()
        unclassified = self.store.count_contacts(status="-")
        values = sum(1 for r in self.rows if isinstance(r, RawStatus) and r.unclassified)
        self.query_one("#topbar", Static).update(Text.assemble(
            (" dailyreach ", "bold reverse"), "  ", ("Status clean-up", "bold"), "   ",
            (f"{unclassified:,} unclassified contacts", "bold yellow" if unclassified else "green"),
            f" carrying {values:,} raw value{'s' if values != 1 else ''}",
            ("   letter maps · Enter accepts the guess · Ctrl+Z undoes", "dim")))
        self.query_one("#cleanup-header", Static).update(Text.assemble(
            " ", fit("Raw status value (as imported)", 40), " ", fit("contacts", 9), " ",
            fit("unclassified", 13), " meaning", style="bold"))
        self.query_one("#legend", Static).update(self.app.legend())

    def _render_row(self, item: Group | RawStatus, width: int) -> Text:
        if isinstance(item, Group):
            out = Text(no_wrap=True)
            out.append(" ▼ ", style="bold")
            if item.key:
                out.append(f"{item.key.lower()} ", style="bold reverse")
                out.append(" ")
            out.append_text(safe(item.name, "bold"))
            out.append(f"   {len(item.values)} value{'s' if len(item.values) != 1 else ''}"
                       f" · {item.contacts:,} contacts · {item.unclassified:,} unclassified",
                       style="dim")
            return out
        out = Text(no_wrap=True)
        shown = repr(item.raw) if item.norm else "(blank)"
        if item.spellings > 1:
            shown += f" +{item.spellings - 1} spelling{'s' if item.spellings > 2 else ''}"
        style = "" if item.unclassified else "dim"
        out.append("    ")
        out.append_text(safe(fit(shown, 36), style))
        out.append(f" {item.count:>9,} ", style=style)
        out.append(f"{item.unclassified:>13,} ", style="bold yellow" if item.unclassified else "dim")
        if item.exact:
            out.append(" ✓ its status's name", style="dim")
        elif item.mapped_key:
            out.append(" ✓ mapped", style="green")
        elif item.guess_key:
            out.append(f" ? guess ({item.score})", style="yellow")
        else:
            out.append(" —", style="dim")
        return out

    # ------------------------------------------------------------ mapping
    def _map(self, values: list[RawStatus], key: str, what: str) -> None:
        mappable = [v for v in values if not v.exact]
        if not mappable:
            self.notify("These values are status names; they always mean their status.",
                        markup=False)
            return
        batches, changed, labels = [], 0, []
        try:
            for value in mappable:
                result = self.store.map_raw_status(value.raw, key)
                if result.batch is not None:
                    batches.append(result.batch)
                    labels.append(result.label)
                    changed += len(result.changed)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
        status = self.store.status_by_key(key).name
        if batches:
            label = labels[0] if len(labels) == 1 else \
                f"{what} → {status} ({len(labels)} values, {changed:,} contacts)"
            self.app.record_batches(label, batches)
            self.notify(f"{label}   (Ctrl+Z undoes)", markup=False)
        else:
            self.notify(f"{what} already means {status}.", markup=False)
        self.reload()

    def _letter(self, item: Group | RawStatus | None, letter: str) -> None:
        if item is None:
            return
        if letter.isupper():
            self.app.bell()
            self.notify("Status letters are lower case (is Caps Lock on?).", severity="warning")
            return
        if letter.upper() not in {s.key for s in self.store.statuses()}:
            self.app.bell()
            self.notify(f"No status has the letter {letter!r}.", severity="warning", markup=False)
            return
        if isinstance(item, Group):
            self._map_group(item, letter)
        else:
            self._map([item], letter, repr(item.raw))

    def _map_group(self, group: Group, key: str, values: list[RawStatus] | None = None) -> None:
        """Map values of a group heading (a letter: all but the blank one —
        no status at all is no value, its own row maps it; Enter: those
        whose guess is not yet taken), asking first when that changes many
        contacts."""
        from ..app import BULK_CONFIRM

        values = [v for v in (group.values if values is None else values) if v.norm]
        what = f"group {group.name!r}"
        changing = sum(v.unclassified for v in values if not v.exact)
        if changing < BULK_CONFIRM:
            self._map(values, key, what)
            return
        status = self.store.status_by_key(key).name
        question = Text.assemble("Map ", (f"{len(values):,} values", "bold"), " of ")
        question.append_text(safe(group.name, "bold"))
        question.append(f" to {status}? {changing:,} unclassified contacts get it.\n"
                        "One Ctrl+Z undoes the whole change.")
        self.app.push_screen(ConfirmScreen(question),
                             lambda yes: self._map(values, key, what) if yes else None)

    def action_accept(self) -> None:
        item = self.query_one("#cleanup", RowList).current
        if isinstance(item, Group):
            if item.key is None:
                self.notify("No guess for these: press the letter of the status they mean.")
                return
            todo = [v for v in item.values if v.mapped_key != item.key]
            if not todo:
                self.notify(f"Every value here already means {item.name}.", markup=False)
                return
            self._map_group(item, item.key, todo)
        elif item is not None:
            if item.key is None:
                self.notify("No guess for this value: press the letter of the status it means.")
                return
            self._map([item], item.key, repr(item.raw))

    def action_back(self) -> None:
        self.app.action_show_queue()

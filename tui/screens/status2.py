"""Editing the status 2 list: add, rename, remove values."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from store import Status2, Store, StoreError

from ..keys import STATUS2_BINDINGS
from ..safe import fit, safe
from ..widgets import RowList
from .confirm import ConfirmScreen


class Status2Screen(Screen):
    """The values, with how many contacts carry each.  Type a name in the
    box and press Enter to add it; Enter on a value renames it; Delete
    removes it (asking first when contacts carry it)."""

    BINDINGS = STATUS2_BINDINGS

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[Status2, int]] = []
        self.renaming: Status2 | None = None

    @property
    def store(self) -> Store:
        return self.app.store

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        yield RowList(lambda: len(self.values), lambda o, n: self.values[o:o + n],
                      self._render_value, empty="The list is empty: type a value below.",
                      on_letter=self._start_adding, id="values")
        # (no select on focus: the letter that moved focus here is kept)
        yield Input(placeholder="Add a value: type its name, Enter adds (first letters must differ)",
                    id="value-name", select_on_focus=False)
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.set_focus(self.query_one("#value-name", Input) if not self.values
                       else self.query_one("#values", RowList))

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.values = [(v, self.store.count_contacts(status2=v.name))
                       for v in self.store.status2_values()]
        self.query_one("#values", RowList).reload()
        self.query_one("#topbar", Static).update(Text.assemble(
            (" dailyreach ", "bold reverse"), "  ", ("Status 2 list", "bold"),
            ("   Shift+letter sets a value on the focused contact · Enter renames · "
             "Delete removes", "dim")))

    @staticmethod
    def _render_value(item: tuple[Status2, int], width: int) -> Text:
        value, count = item
        out = Text(no_wrap=True)
        out.append(f" {value.key} ", style="bold reverse")
        out.append("  ")
        out.append_text(safe(fit(value.name, 30)))
        out.append(f" {count:>9,} contact{'s' if count != 1 else ' '}", style="dim")
        return out

    def _start_adding(self, _item, letter: str) -> None:
        """A letter typed on the list starts a new value in the box below
        (it did nothing, and the Enter after it renamed the focused value)."""
        self._end_edit()
        box = self.query_one("#value-name", Input)
        box.value = letter
        box.cursor_position = 1
        self.set_focus(box)

    def action_rename(self) -> None:
        item = self.query_one("#values", RowList).current
        if item is None:
            self.set_focus(self.query_one("#value-name", Input))
            return
        self.renaming = item[0]
        box = self.query_one("#value-name", Input)
        box.value = item[0].name
        box.cursor_position = len(box.value)  # typing goes on after the name
        box.placeholder = f"New name for {item[0].name} (Enter saves, Esc cancels)"
        self.set_focus(box)

    def _listed(self, name: str) -> bool:
        return name.casefold() in {v.name.casefold() for v in self.store.status2_values()}

    def _undoable(self, label: str, restore, *, listed: tuple[str, ...] = (),
                  gone: tuple[str, ...] = ()) -> None:
        """Ctrl+Z puts the list back while what this step left is still so
        (``listed`` there, ``gone`` not): each step checks only its own
        values, so undoing another step first (which may put a value back
        at the end of the list) does not make it look changed since."""
        def still() -> bool:
            return all(self._listed(n) for n in listed) and not any(self._listed(n) for n in gone)

        self.app.record_setting(label, still, restore, True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value
        store = self.store
        try:
            if self.renaming is not None:
                old = self.renaming.name
                entry = store.rename_status2(old, name)
                self._undoable(f"status 2 {old} renamed {entry.name}",
                               lambda: store.rename_status2(entry.name, old),
                               listed=(entry.name,),
                               gone=(old,) if old.casefold() != entry.name.casefold() else ())
                self.notify(f"Renamed to {entry.name} (Ctrl+Z takes it back).", markup=False)
            elif name.strip():
                entry = store.add_status2(name)
                self._undoable(f"status 2 {entry.name} added",
                               lambda: store.remove_status2(entry.name), listed=(entry.name,))
                self.notify(f"Added {entry.key} {entry.name}: Shift+{entry.key} sets it.",
                            markup=False)
            else:
                return
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self._end_edit()
        self.reload()
        # back on the list: Ctrl+Z there takes the step back (in the box it
        # would be refused as typing), and a letter starts the next value
        self.set_focus(self.query_one("#values", RowList))

    def _end_edit(self) -> None:
        self.renaming = None
        box = self.query_one("#value-name", Input)
        box.value = ""
        box.placeholder = "Add a value: type its name, Enter adds (first letters must differ)"

    def action_remove(self) -> None:
        item = self.query_one("#values", RowList).current
        if item is None:
            return
        value, count = item
        if not count:
            self._remove(value, False)
            return
        question = Text.assemble("Remove ")
        question.append_text(safe(value.name, "bold"))
        question.append(f" from the list and clear it on the {count:,} contact(s) that have it?")
        self.app.push_screen(ConfirmScreen(question),
                             lambda yes: self._remove(value, True) if yes else None)

    def _remove(self, value: Status2, clear: bool) -> None:
        store = self.store
        try:
            changes = store.remove_status2(value.name, clear=clear)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        cleared = len(changes)
        label = f"status 2 {value.name} removed"
        if changes:
            # cleared on contacts: one batch in their history, whose undo
            # also puts the value back in the list
            self.app.record_batches(label, [changes[0].batch])
        else:
            self._undoable(label, lambda: store.add_status2(value.name), gone=(value.name,))
        self.notify(f"Removed {value.name}" + (f"; cleared on {cleared:,} contact(s)."
                                               if cleared else "."), markup=False)
        self.reload()

    def action_back(self) -> None:
        box = self.query_one("#value-name", Input)
        if box.has_focus:
            self._end_edit()
            if self.values:
                self.set_focus(self.query_one("#values", RowList))
                return
        self.app.action_show_queue()

"""The dailyreach terminal app: the App class, its undo stack and the
actions every screen shares.  Screens live in :mod:`tui.screens`.

Screens read and write through :class:`store.Store` only.  Contact text is
always passed to widgets as :class:`rich.text.Text` built by
:func:`tui.safe.safe`, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import App, SystemCommand
from textual.screen import Screen

from store import QueueItem, StatusChange, Store, StoreError

from .keys import APP_BINDINGS, load_keymap
from .safe import safe
from .screens.contacts import ContactsScreen
from .screens.help import HelpScreen
from .screens.queue import QueueScreen

__all__ = ["ContactsScreen", "DailyReachApp", "HelpScreen", "QueueScreen"]

#: Seconds a write from the UI waits for another process's transaction.
UI_WRITE_WAIT = 0.3


@dataclass
class Undo:
    """One undoable step: status changes, or one logged activity."""

    label: str
    changes: list[StatusChange] | None = None
    activity_id: int | None = None


class DailyReachApp(App):
    """Open with a :class:`Store`; shows today's queue first."""

    CSS_PATH = "app.tcss"
    TITLE = "dailyreach"
    BINDINGS = APP_BINDINGS

    def __init__(self, store: Store, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        # Another process may hold the database for a long write (an
        # import): wait briefly, then say so, rather than freeze the UI.
        store.set_write_wait(UI_WRITE_WAIT)
        self.undo_stack: list[Undo] = []
        keymap, self._keymap_problems = load_keymap()
        if keymap:
            self.set_keymap(keymap)

    def get_system_commands(self, screen: Screen):
        """The app's own actions in the command palette (Ctrl+P)."""
        yield SystemCommand("Today's queue", "Due calls and e-mails (F2)", self.action_show_queue)
        yield SystemCommand("Contacts", "Every contact, with search (F3)", self.action_show_contacts)
        yield SystemCommand("Undo", "Undo the last change (Ctrl+Z)", self.action_undo)
        yield SystemCommand("Reload", "Re-read the database (F5)", self.action_refresh)
        yield SystemCommand("Keys", "The whole keymap and the status letters (?)", self.action_help)
        yield from super().get_system_commands(screen)

    def on_mount(self) -> None:
        self.push_screen(QueueScreen())
        for problem in self._keymap_problems:
            self.notify(problem, severity="warning", markup=False)

    def legend(self) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        for s in self.store.statuses():
            out.append(f" {s.key.lower()}", style="bold reverse")
            out.append(" ")
            out.append_text(safe(s.name, "dim"))
            out.append(" ")
        return out

    # ------------------------------------------------------------ actions
    def _refresh_screen(self) -> None:
        reload = getattr(self.screen, "reload", None)
        if reload is not None:
            reload()

    def reclassify(self, contact_ids: list[int], letter: str, name: str) -> None:
        keys = [s.key for s in self.store.statuses()]
        if letter.upper() not in keys:
            self.bell()
            self.notify(f"No status has the letter {letter!r}. Letters: "
                        f"{' '.join(k.lower() for k in keys)}", severity="warning", markup=False)
            return
        try:
            changes = self.store.set_status(contact_ids, letter)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        status = self.store.status_by_key(letter).name
        if not changes:
            self.notify(f"{name} is already {status}.", markup=False)
            return
        self.undo_stack.append(Undo(f"{name} → {status}", changes=changes))
        self.notify(f"{name} → {status}   (Ctrl+Z undoes)", markup=False)
        self._refresh_screen()

    def mark_done(self, item: QueueItem) -> None:
        outcome = "reached" if item.kind == "call" else "sent"
        try:
            activity_id = self.store.log(item.contact_id, item.kind, outcome)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        what = "call reached" if item.kind == "call" else "e-mail sent"
        self.undo_stack.append(Undo(f"{item.name}: {what}", activity_id=activity_id))
        self.notify(f"{item.name}: {what}   (Ctrl+Z undoes)", markup=False)
        self._refresh_screen()

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.")
            return
        step = self.undo_stack.pop()
        try:
            if step.activity_id is not None:
                self.store.delete_activity(step.activity_id)
            for change in step.changes or []:
                self.store.set_status([change.contact_id], change.old_key, note="undo")
        except StoreError as exc:
            self.undo_stack.append(step)  # kept, so Ctrl+Z can try again
            self.notify(f"Could not undo: {exc}", severity="error", markup=False)
            return
        self.notify(f"Undone: {step.label}", markup=False)
        self._refresh_screen()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def _switch(self, screen_type) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        if isinstance(self.screen, screen_type):
            return
        for screen in self.screen_stack:
            if isinstance(screen, screen_type):
                while not isinstance(self.screen, screen_type):
                    self.pop_screen()
                return
        self.push_screen(screen_type())

    def action_show_queue(self) -> None:
        self._switch(QueueScreen)

    def action_show_contacts(self) -> None:
        self._switch(ContactsScreen)

    def action_refresh(self) -> None:
        self._refresh_screen()
        self.notify("Reloaded from the database.")

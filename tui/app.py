"""The dailyreach terminal app: the App class, its undo stack and the
actions every screen shares.  Screens live in :mod:`tui.screens`.

Screens read and write through :class:`store.Store` only.  Contact text is
always passed to widgets as :class:`rich.text.Text` built by
:func:`tui.safe.safe`, never as markup.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.app import App, SystemCommand
from textual.screen import Screen

from store import QueueItem, StatusChange, Store, StoreError
from store.plan import OUTCOME_LABELS

from .keys import APP_BINDINGS, load_keymap
from .safe import safe
from .screens.compose import ComposeScreen
from .screens.contacts import ContactsScreen
from .screens.day import DayScreen
from .screens.help import HelpScreen
from .screens.plan import PlanScreen
from .screens.queue import QueueScreen

__all__ = ["ComposeScreen", "ContactsScreen", "DailyReachApp", "DayScreen", "HelpScreen",
           "PlanScreen", "QueueScreen"]


@dataclass
class Undo:
    """One undoable step: status changes, one logged activity, or a snooze."""

    label: str
    changes: list[StatusChange] | None = None
    activity_id: int | None = None
    snooze_ids: list[int] | None = None


class DailyReachApp(App):
    """Open with a :class:`Store`; shows today's queue first."""

    CSS_PATH = "app.tcss"
    TITLE = "dailyreach"
    BINDINGS = APP_BINDINGS

    def __init__(self, store: Store, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.undo_stack: list[Undo] = []
        #: Set when the app stopped on an error; the CLI prints it as one line.
        self.fatal_error: str | None = None
        self.keymap_overrides, self._keymap_problems = load_keymap()
        if self.keymap_overrides:
            self.set_keymap(self.keymap_overrides)

    def _handle_exception(self, error: Exception) -> None:
        """Stop on an unexpected error with a one-line message instead of a
        traceback full of local variables (which may hold contact data).
        Tests (headless) and DAILYREACH_DEBUG=1 keep Textual's report."""
        if self.is_headless or os.environ.get("DAILYREACH_DEBUG"):
            super()._handle_exception(error)
            return
        if isinstance(error, StoreError):
            self.fatal_error = str(error)
        elif isinstance(error, sqlite3.DatabaseError):
            self.fatal_error = f"{self.store.path}: the database cannot be read ({error})"
        else:
            self.fatal_error = (f"unexpected error: {type(error).__name__}: {error} "
                                "(set DAILYREACH_DEBUG=1 for details)")
        self._return_code = 1
        self.exit(return_code=1)

    def get_system_commands(self, screen: Screen):
        """The app's own actions in the command palette (Ctrl+P)."""
        yield SystemCommand("Today's queue", "Due calls and e-mails (F2)", self.action_show_queue)
        yield SystemCommand("Contacts", "Every contact, with search (F3)", self.action_show_contacts)
        yield SystemCommand("The plan", "Cadences per status, their load and the forecast (F8)",
                            self.action_show_plan)
        yield SystemCommand("The day", "Progress, what is left, summary and tomorrow (F9)",
                            self.action_show_day)
        yield SystemCommand("Edit the e-mail template", "The text personal e-mails start from",
                            self.action_edit_template)
        yield SystemCommand("Undo", "Undo the last change (Ctrl+Z)", self.action_undo)
        yield SystemCommand("Reload", "Re-read the database (F5)", self.action_refresh)
        yield SystemCommand("Help: keys and status letters", "The whole keymap (?)", self.action_help)
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
        if letter.isupper():
            self.bell()
            self.notify("Statuses use lower-case letters (is Caps Lock on?).", severity="warning")
            return
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

    def mark_done(self, item: QueueItem, note: str | None = None) -> None:
        self.log_outcome(item, "reached" if item.kind == "call" else "sent", note)

    def log_outcome(self, item: QueueItem, outcome: str, note: str | None = None) -> bool:
        """Record what happened to a queue item; True if it was recorded."""
        try:
            activity_id = self.store.log_outcome(item.contact_id, item.kind, outcome, note=note)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return False
        what = f"{'call' if item.kind == 'call' else 'e-mail'} {OUTCOME_LABELS[outcome]}"
        if outcome not in ("reached", "sent"):
            retry = self.store.capacity().retry_days
            what += f" (attempt {item.attempts + 1}; back in {retry} day{'s' if retry != 1 else ''})"
        self.undo_stack.append(Undo(f"{item.name}: {what}", activity_id=activity_id))
        self.notify(f"{item.name}: {what}   (Ctrl+Z undoes)", markup=False)
        self._refresh_screen()
        return True

    def snooze(self, item: QueueItem, until: date, reason: str = "snooze") -> bool:
        """Hold a queue item back until ``until``; True if it was done."""
        try:
            ids = self.store.snooze(item.contact_id, until, [item.kind], reason=reason)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return False
        kind = "call" if item.kind == "call" else "e-mail"
        what = (f"{kind} skipped for today" if reason == "skip"
                else f"{kind} snoozed until {until:%a %-d %b}")
        self.undo_stack.append(Undo(f"{item.name}: {what}", snooze_ids=ids))
        self.notify(f"{item.name}: {what}   (Ctrl+Z undoes)", markup=False)
        self._refresh_screen()
        return True

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.")
            return
        step = self.undo_stack.pop()
        try:
            if step.activity_id is not None:
                self.store.delete_activity(step.activity_id)
            if step.snooze_ids:
                self.store.delete_snoozes(step.snooze_ids)
            for change in step.changes or []:
                self.store.set_status([change.contact_id], change.old_key, note="undo")
        except StoreError as exc:
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

    def action_show_plan(self) -> None:
        self._switch(PlanScreen)

    def action_show_day(self) -> None:
        self._switch(DayScreen)

    def action_edit_template(self) -> None:
        from .screens.compose import TemplateScreen

        self.push_screen(TemplateScreen())

    def compose_email(self, contact_id: int) -> None:
        """Open the compose screen for one contact."""
        self.push_screen(ComposeScreen(contact_id))

    def action_refresh(self) -> None:
        self.store.forget_cache()
        self._refresh_screen()
        self.notify("Reloaded from the database.")

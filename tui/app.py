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
from typing import Callable

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.theme import ThemeProvider
from textual.widgets import Input

from store import NothingToUndo, QueueItem, Store, StoreError, UndoResult
from store.plan import OUTCOME_LABELS

from .keys import APP_BINDINGS, load_keymap
from .legend import Legend
from .palette import CommandPalette
from .safe import brief, safe
from .screens.queue import QueueScreen, day_label
from .widgets import Line

#: The other screens, imported when first opened: the first frame (the
#: queue) does not wait for them.  ``tui.app.ContactsScreen`` and the like
#: still work (module ``__getattr__`` below).
_SCREENS = {
    "BreakdownScreen": "breakdown", "CleanupScreen": "cleanup", "ComposeScreen": "compose",
    "ConfirmScreen": "confirm", "ContactsScreen": "contacts", "DayScreen": "day",
    "DetailScreen": "detail", "EditContactScreen": "detail", "HelpScreen": "help",
    "ImportScreen": "importer", "PlanScreen": "plan", "Status2Screen": "status2",
    "TriageScreen": "triage",
}

__all__ = ["DailyReachApp", "QueueScreen", *_SCREENS]


def screen_class(name: str) -> type:
    """The screen class called ``name`` (importing its module on first use)."""
    if name == "QueueScreen":
        return QueueScreen
    from importlib import import_module

    return getattr(import_module(f".screens.{_SCREENS[name]}", __package__), name)


def __getattr__(name: str):
    if name in _SCREENS:
        return screen_class(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: A bulk change of this many contacts or more asks first.
BULK_CONFIRM = 20

#: Seconds a write from the UI waits for another process's transaction.
UI_WRITE_WAIT = 0.3


@dataclass
class Undo:
    """One undoable step: change batches (status, status 2, clean-up
    mappings; undone through the store's history), one logged activity,
    or snoozes."""

    label: str
    activity_id: int | None = None
    snooze_ids: list[int] | None = None
    batches: list[int] | None = None
    contact_id: int | None = None  # whose activity or snoozes
    generation: int | None = None  # Store.generation() when it was done
    #: puts back what a screen changed (a contact edit, a plan or setting);
    #: returns the contacts it touched, raises NothingToUndo when what it
    #: changed has been changed again since
    revert: Callable[[], list[int]] | None = None
    #: a step Ctrl+Z cannot take back: says this instead of undoing an older one
    refusal: str | None = None


class DailyReachApp(App):
    """Open with a :class:`Store`; shows today's queue first."""

    CSS_PATH = "app.tcss"
    TITLE = "dailyreach"
    BINDINGS = APP_BINDINGS + [
        # Esc closes the keys panel ("Keys" in the palette) before anything
        # else; with no panel open it is disabled (check_action).
        Binding("escape", "close_keys_panel", "Close keys", show=False, priority=True),
    ]

    def __init__(self, store: Store, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        # Another process may hold the database for a long write (an
        # import): wait briefly, then say so, rather than freeze the UI.
        store.set_write_wait(UI_WRITE_WAIT)
        self.undo_stack: list[Undo] = []
        self._seen_version: int | None = None  # PRAGMA data_version the lists were read at
        self._generation = store.generation()  # moves on when a restore replaces the database
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
        yield SystemCommand("Import contacts", "Read a CSV, Excel or vCard file and import it (Ctrl+O)",
                            self.action_show_import)
        yield SystemCommand("The plan", "Cadences per status, their load and the forecast (F8)",
                            self.action_show_plan)
        yield SystemCommand("The day", "Progress, what is left, summary and tomorrow (F9)",
                            self.action_show_day)
        yield SystemCommand("Edit the e-mail template", "The text personal e-mails start from",
                            self.action_edit_template)
        yield SystemCommand("Breakdown", "Contacts by status, status 2, owner (F4)",
                            self.action_show_breakdown)
        yield SystemCommand("Status clean-up", "Map raw imported status values (F6)",
                            self.action_show_cleanup)
        yield SystemCommand("Triage", "Classify unclassified contacts one by one (F7)",
                            self.action_show_triage)
        yield SystemCommand("New contact", "Add a contact by hand (Ctrl+N)", self.action_new_contact)
        yield SystemCommand("Status 2 list", "Add, rename or remove status 2 values",
                            self.action_show_status2)
        yield SystemCommand("Undo", "Undo the last change (Ctrl+Z)", self.action_undo)
        yield SystemCommand("Undo last recorded change",
                            "Revert the newest status change in history, from any session",
                            self.action_undo_history)
        yield SystemCommand("Back up now", "Write a verified backup of the database",
                            self.action_backup)
        yield SystemCommand("Purge contacts marked Delete",
                            "Back up and verify, then delete them and their history",
                            self.action_purge)
        yield SystemCommand("Reload", "Re-read the database (F5)", self.action_refresh)
        yield SystemCommand("Help: keys and status letters", "The whole keymap (?)", self.action_help)
        yield from super().get_system_commands(screen)

    def action_command_palette(self) -> None:
        """Ctrl+P: the palette of :mod:`tui.palette` (Textual's, made safe
        against PageDown typed before it is laid out)."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette"))

    def search_themes(self) -> None:
        """The palette's "Theme" command, with the same safe palette."""
        self.push_screen(CommandPalette(providers=[ThemeProvider],
                                        placeholder="Search for themes…"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_keys_panel":
            # Only with the panel open, so every screen's own Esc (and the
            # footer's "esc Back") is left alone otherwise.
            return bool(self.screen.query("HelpPanel"))
        return True

    def action_show_help_panel(self) -> None:
        super().action_show_help_panel()
        self.refresh_bindings()

    def action_close_keys_panel(self) -> None:
        """Esc with Textual's keys panel open (palette → "Keys") closes it."""
        self.screen.query("HelpPanel").remove()
        self.refresh_bindings()

    def get_default_screen(self) -> Screen:
        # the queue is the app's first screen itself (not pushed on mount):
        # composed with the app, it is drawn once, at the first frame
        return QueueScreen()

    def on_mount(self) -> None:
        for problem in self._keymap_problems:
            self.notify(problem, severity="warning", markup=False)

    def say(self, message: str) -> None:
        """Confirm a change on the screen's notice line (the last action
        stays shown there); a screen without one gets a notification.  The
        line costs no layout, so a status letter repaints at once; toasts
        stay for warnings and errors, which want attention."""
        shown = Text.assemble((" ✓ ", "bold green"), safe(message))
        try:
            line = self.screen.query_one("#notice", Line)
        except NoMatches:
            self.notify(message, markup=False)
            # and on the screen below, which shows it on return (the e-mail
            # marked sent; its queue kept an older outcome there)
            for below in reversed(self.screen_stack[:-1]):
                lines = below.query("#notice")
                if lines:
                    lines.first(Line).update(shown)
                    break
            return
        line.update(shown)

    def _clear_other_notices(self) -> None:
        """After an undo, the notice lines of the screens underneath may name
        what was just undone, '(Ctrl+Z undoes)' and all: cleared."""
        for below in self.screen_stack[:-1]:
            for line in below.query("#notice"):
                line.update(Text())

    def legend(self) -> Legend:
        """The status letters for a screen's legend bar (it fits itself to
        the bar's width: one line, or two when narrow)."""
        return Legend(tuple((s.key, s.name) for s in self.store.statuses()))

    # ------------------------------------------------------------ actions
    def _refresh_screen(self) -> None:
        reload = getattr(self.screen, "reload", None)
        if reload is not None:
            reload()

    def reclassify(self, contact_ids: list[int], letter: str, name: str,
                   done: Callable[[], None] | None = None) -> None:
        """A letter on one or more contacts: lower case sets the status with
        that key, upper case (Shift) the status 2 value with that letter.
        Many contacts at once ask for confirmation first; ``done`` runs after
        a change is made."""
        self._reread_if_changed_elsewhere()
        if self.restored_elsewhere():
            return
        if letter.isupper():
            self.set_status2(contact_ids, letter, name, done)
            return
        keys = [s.key for s in self.store.statuses()]
        if letter.upper() not in keys:
            self.bell()
            self.notify(f"No status has the letter {letter!r}. Letters: "
                        f"{' '.join(k.lower() for k in keys)}", severity="warning", markup=False)
            return
        status = self.store.status_by_key(letter).name
        self._change(contact_ids, name, status, done,
                     count=lambda: self.store.would_change(contact_ids, status=letter),
                     apply=lambda label: self.store.set_status(contact_ids, letter, label=label))

    def _reread_if_changed_elsewhere(self) -> None:
        """Before a letter is read as a status: if another window or the
        CLI committed since, re-read the status lists (a renamed owner moves
        the personal status's letter), and reload the screen if they changed."""
        seen = self.store.version()[0]
        if seen == self._seen_version:
            return
        first = self._seen_version is None
        self._seen_version = seen
        before = (self.store.statuses(), self.store.status2_values())
        self.store.forget_cache()
        if not first and (self.store.statuses(), self.store.status2_values()) != before:
            self.notify("The status lists were changed elsewhere; the letters shown are "
                        "up to date again.", severity="warning", markup=False)
            self._refresh_screen()

    def set_status2(self, contact_ids: list[int], letter: str, name: str,
                    done: Callable[[], None] | None = None) -> None:
        values = self.store.status2_values()
        entry = next((v for v in values if v.key == letter.upper()), None)
        if entry is None:
            self.bell()
            listed = " ".join(f"{v.key}={v.name}" for v in values)
            self.notify(
                f"No status 2 value starts with {letter.upper()!r} (is Caps Lock on?). "
                + (f"Status 2: {listed}." if values else
                   "The status 2 list is empty: Ctrl+P → Status 2 list."),
                severity="warning", markup=False)
            return
        self._change(contact_ids, name, f"status 2 {entry.name}", done,
                     count=lambda: self.store.would_change(contact_ids, status2=entry.name),
                     apply=lambda label: self.store.set_status2(contact_ids, entry.name,
                                                                label=label))

    def _change(self, contact_ids: list[int], name: str, what: str, done, *, count,
                apply) -> None:
        try:
            n = count()
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        name = brief(name)  # (a 300-character name hid "→ Vendor" off the line)
        if n == 0:
            if len(contact_ids) == 1 and self.live_contact(contact_ids[0]) is None:
                return
            self.say(f"{name} {'is' if len(contact_ids) == 1 else 'are'} already {what}.")
            return
        label = f"{name} → {what}" if len(contact_ids) == 1 else f"{n:,} contacts → {what}"

        def go() -> None:
            try:
                changes = apply(label)
            except StoreError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            if changes:
                self.push_undo(Undo(label, batches=[changes[0].batch]))
                self.say(f"{label}   (Ctrl+Z undoes)")
            if done is not None:
                done()
            self._refresh_screen()

        if n >= BULK_CONFIRM:
            question = Text.assemble("Change ", (f"{n:,} contacts", "bold"), " to ")
            question.append_text(safe(what, "bold"))
            question.append("?\nOne Ctrl+Z undoes the whole change.")
            self.push_screen(screen_class("ConfirmScreen")(question), lambda yes: go() if yes else None)
        else:
            go()

    def push_undo(self, step: Undo) -> None:
        step.generation = self.store.generation()
        self.undo_stack.append(step)

    def record_edit(self, contact_id: int, before: dict, after: dict, label: str) -> None:
        """Put a contact edit on the undo stack: ``before`` and ``after`` hold
        the fields it changed.  Undo puts back each field still as the edit
        left it (one changed again since stays)."""
        def revert() -> list[int]:
            try:
                now = self.store.editable_fields(contact_id)
            except StoreError:
                raise NothingToUndo("the contact has been deleted since") from None
            back = {k: before[k] for k in after if now.get(k) == after[k]}
            if not back:
                raise NothingToUndo("every field it changed has been changed again since")
            self.store.update_contact(contact_id, back)
            return [contact_id]

        self.push_undo(Undo(label, contact_id=contact_id, revert=revert))

    def record_setting(self, label: str, current: Callable[[], object], restore: Callable[[], None],
                       after: object) -> None:
        """Put a plan or setting change on the undo stack: ``restore`` puts
        the old value back while ``current()`` still returns ``after``."""
        def revert() -> list[int]:
            try:
                now = current()
            except StoreError:
                raise NothingToUndo("what it changed is gone") from None
            if now != after:
                raise NothingToUndo("it has been changed again since")
            restore()
            return []

        self.push_undo(Undo(label, revert=revert))

    def record_activity(self, label: str, activity_id: int, contact_id: int) -> None:
        """A history row a screen wrote (a note): Ctrl+Z deletes it."""
        self.push_undo(Undo(label, activity_id=activity_id, contact_id=contact_id))

    def record_refusal(self, label: str, message: str) -> None:
        """Something done that Ctrl+Z cannot take back (see Undo.refusal)."""
        self.push_undo(Undo(label, refusal=message))

    def record_batches(self, label: str, batches: list[int]) -> None:
        """Put changes a screen made through the store on the undo stack."""
        if batches:
            self.push_undo(Undo(label, batches=batches))

    def mark_done(self, item: QueueItem, note: str | None = None) -> None:
        self.log_outcome(item, "reached" if item.kind == "call" else "sent", note)

    def log_outcome(self, item: QueueItem, outcome: str, note: str | None = None) -> bool:
        """Record what happened to a queue item; True if it was recorded.
        Refused, with the screen reloaded, when the contact was deleted or
        this kind of item logged elsewhere since the item was read (another
        window, a CLI ``log``): it would be recorded twice."""
        contact = self.live_contact(item.contact_id)
        if contact is None:
            return False
        last, attempts = ((contact["last_call_reached"], contact["call_attempts"]) if item.kind == "call"
                          else (contact["last_email_sent"], contact["email_attempts"]))
        if (last, attempts) != (item.last_done and item.last_done.isoformat(), item.attempts):
            self.bell()
            self.notify(f"{brief(item.name)}: this {'call' if item.kind == 'call' else 'e-mail'} was "
                        "logged elsewhere since the list was read; the screen is reloaded — "
                        "check it, then press again if it is still to do.",
                        severity="warning", markup=False)
            self._refresh_screen()
            return False
        try:
            activity_id = self.store.log_outcome(item.contact_id, item.kind, outcome, note=note)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return False
        what = f"{'call' if item.kind == 'call' else 'e-mail'} {OUTCOME_LABELS[outcome]}"
        if outcome not in ("reached", "sent"):
            retry = self.store.capacity().retry_days
            what += f" (attempt {item.attempts + 1}; back in {retry} day{'s' if retry != 1 else ''})"
        self.push_undo(Undo(f"{brief(item.name)}: {what}", activity_id=activity_id,
                            contact_id=item.contact_id))
        self.say(f"{brief(item.name)}: {what}   (Ctrl+Z undoes)")
        self._refresh_screen()
        return True

    def snooze(self, item: QueueItem, until: date, reason: str = "snooze") -> bool:
        """Hold a queue item back until ``until``; True if it was done."""
        if self.live_contact(item.contact_id) is None:
            return False
        try:
            ids = self.store.snooze(item.contact_id, until, [item.kind], reason=reason)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return False
        kind = "call" if item.kind == "call" else "e-mail"
        what = (f"{kind} skipped for today" if reason == "skip"
                else f"{kind} snoozed until {day_label(until, self.store.today())}")
        self.push_undo(Undo(f"{brief(item.name)}: {what}", snooze_ids=ids,
                            contact_id=item.contact_id))
        self.say(f"{brief(item.name)}: {what}   (Ctrl+Z undoes)")
        self._refresh_screen()
        return True

    def action_undo(self) -> None:
        """Undo this session's last step; with none left, the newest change
        recorded in history (an earlier session's), so undo survives a restart."""
        if isinstance(self.focused, Input):
            # a text box has no undo of its own: Ctrl+Z there is a typing
            # fix, and must not take back a change behind the form unseen
            self.bell()
            self.notify("Ctrl+Z does not undo typing in a box, nor changes while you type: "
                        "leave the box (Esc or Tab), then Ctrl+Z undoes the last change.",
                        severity="warning", markup=False)
            return
        if not self.undo_stack:
            self.action_undo_history()
            return
        passed: list[str] = []  # steps with nothing left to undo (deleted since…)
        while self.undo_stack:
            step = self.undo_stack.pop()
            if step.refusal:
                # the last thing done cannot be undone: say so, rather than
                # quietly take back something older in its place
                self.notify(step.refusal + " The next Ctrl+Z undoes what came before it.",
                            severity="warning", markup=False)
                return
            try:
                done, contacts, left_alone = self._undo_step(step)
            except StoreError as exc:
                self.undo_stack.append(step)  # kept, so Ctrl+Z can try again
                self.notify(f"Could not undo: {exc}", severity="error", markup=False)
                self._refresh_screen()
                return
            if done:
                note = f" ({left_alone:,} changed since, left alone)" if left_alone else ""
                over = (f"   (passed over {', '.join(repr(p) for p in passed)}: "
                        "nothing left to undo)" if passed else "")
                self.say(f"Undone: {step.label}{note}{over}")
                self._after_undo(contacts)
                return
            passed.append(step.label)
        # this session's steps had nothing left to undo: said, and nothing
        # else undone by this press (the next one goes on to the history's
        # newest change, which the user has not seen named yet)
        self.notify(f"Passed over {', '.join(repr(p) for p in passed)}: nothing left to undo "
                    "(changed again, deleted or restored since). Ctrl+Z again undoes the newest "
                    "change in history.", severity="warning", markup=False)

    def _undo_step(self, step: Undo) -> tuple[bool, list[int], int]:
        """Undo one step: (whether anything was undone, the contacts it
        touched, how many it left alone because they changed since).  A part
        with nothing left to revert (its contact purged, its change undone
        elsewhere) is passed over; other errors propagate."""
        contacts: list[int] = []
        done, left_alone = False, 0
        if step.generation is not None and step.generation != self.store.generation():
            # a restore replaced the database since: its ids name other rows now
            return done, contacts, left_alone
        parts = []
        if step.activity_id is not None:
            parts.append(lambda: self.store.delete_activity(step.activity_id, step.contact_id))
        if step.snooze_ids:
            parts.append(lambda: self.store.delete_snoozes(step.snooze_ids, step.contact_id))
        for batch in reversed(step.batches or []):
            parts.append(lambda batch=batch: self.store.undo(batch))
        if step.revert is not None:
            parts.append(step.revert)
        for part in parts:
            try:
                result = part()
            except NothingToUndo:
                continue
            done = True
            if isinstance(result, UndoResult):
                contacts += result.contact_ids
                left_alone += result.skipped
            elif isinstance(result, list):
                contacts += result
        return done, contacts, left_alone

    def action_undo_history(self) -> None:
        try:
            result = self.store.undo()
        except StoreError as exc:
            message = str(exc)
            if message.startswith("nothing to undo"):
                self.notify(message[0].upper() + message[1:] + ".", markup=False)
            else:
                self.notify(f"Nothing to undo ({message}).", markup=False)
            return
        when = result.at.replace("T", " ")[:16]
        skipped = f"; {result.skipped} changed since, left alone" if result.skipped else ""
        self.say(f"Undone from history: {result.label} (made {when}){skipped}")
        self._after_undo(list(result.contact_ids))

    def _after_undo(self, contact_ids: list[int]) -> None:
        self._clear_other_notices()
        hook = getattr(self.screen, "after_undo", None)
        if hook is not None:
            hook(contact_ids)
        else:
            self._refresh_screen()

    def action_backup(self) -> None:
        try:
            result = self.store.backup()
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify(f"Backup written and verified: {result.path}", markup=False, timeout=10)

    def action_purge(self) -> None:
        if isinstance(self.screen, screen_class("ConfirmScreen")):
            self.bell()  # a question is open: answer it first
            return
        marked = self.store.marked_for_deletion()
        if not marked["contacts"]:
            self.notify("No contact is marked Delete; nothing to purge.")
            return
        question = Text.assemble(
            "Delete ", (f"{marked['contacts']:,} contact(s)", "bold"), " marked Delete and their ",
            f"{marked['activities']:,} history row(s)?\nA backup is written to ")
        question.append_text(safe(str(self.store.backup_dir())))
        question.append(" and verified first; if that fails, nothing is deleted.")

        def go(yes: bool | None) -> None:
            if not yes:
                return
            try:
                # only the contacts the question counted: one marked in
                # another window meanwhile waits for the next purge
                result = self.store.purge(only=marked["ids"])
            except StoreError as exc:
                self.notify(str(exc), severity="error", markup=False, timeout=15)
                return
            if result.backup is None:
                self.notify("Nothing left to purge: the marked contacts were changed or "
                            "deleted elsewhere meanwhile.", severity="warning", markup=False)
            else:
                fewer = (f" of the {marked['contacts']:,} asked (the others were changed or "
                         "deleted elsewhere)" if result.contacts < marked["contacts"] else "")
                self.notify(f"Deleted {result.contacts:,} contact(s){fewer}. "
                            f"Backup: {result.backup.path}", markup=False, timeout=15)
            self._refresh_screen()

        self.push_screen(screen_class("ConfirmScreen")(question), go)

    def action_help(self) -> None:
        if not isinstance(self.screen, screen_class("HelpScreen")):
            self.push_screen(screen_class("HelpScreen")())

    def _ask_to_leave(self, then: Callable[[], object]) -> bool:
        """When the screen holds typing not saved (an edit form, an e-mail,
        a note), ask before it is dropped and run ``then`` on yes; returns
        whether it asked (the caller stops there)."""
        unsaved = getattr(self.screen, "unsaved", None)
        if unsaved is None or not unsaved():
            return False
        question = getattr(self.screen, "LEAVE_QUESTION",
                           "Leave this form without saving? What you typed is lost.")
        self.push_screen(screen_class("ConfirmScreen")(Text(question, style="bold")),
                         lambda yes: then() if yes else None)
        return True

    def leave_screen(self) -> None:
        """Esc on a screen with typing in it: asks first (see _ask_to_leave)."""
        if not self._ask_to_leave(self.pop_screen):
            self.pop_screen()

    async def action_quit(self) -> None:
        """Ctrl+Q: asks first when the screen holds typing not saved."""
        if not self._ask_to_leave(self.exit):
            self.exit()

    def _switch(self, screen_type) -> None:
        if getattr(self.screen, "importing", False):
            self.notify("An import is running; wait for its summary.", severity="warning")
            return
        if self._ask_to_leave(lambda: (self.pop_screen(), self._switch(screen_type))):
            return
        if isinstance(self.screen, screen_class("HelpScreen")):
            self.pop_screen()
        if isinstance(self.screen, screen_type):
            return
        for below in self.screen_stack:
            if isinstance(below, screen_type):
                while not isinstance(self.screen, screen_type):
                    self.pop_screen()
                return
        self.push_screen(screen_type())

    def action_show_queue(self) -> None:
        self._switch(QueueScreen)

    def action_show_contacts(self) -> None:
        self._switch(screen_class("ContactsScreen"))

    def action_show_plan(self) -> None:
        self._switch(screen_class("PlanScreen"))

    def action_show_day(self) -> None:
        self._switch(screen_class("DayScreen"))

    def action_edit_template(self) -> None:
        from .screens.compose import TemplateScreen

        self.push_screen(TemplateScreen())

    def compose_email(self, contact_id: int) -> None:
        """Open the compose screen for one contact."""
        if self.live_contact(contact_id) is None:
            return
        self.push_screen(screen_class("ComposeScreen")(contact_id))

    def restored_elsewhere(self) -> bool:
        """True, said on screen and the screen reloaded, when a restore
        (CLI) replaced the database since this window last looked: the rows
        it shows may carry ids that name other contacts now."""
        generation = self.store.generation()
        if generation == self._generation:
            return False
        self._generation = generation
        self.store.forget_cache()
        self.bell()
        self.notify("The database was restored from a backup elsewhere; the screen is reloaded "
                    "with the restored contacts — check it, then press again.",
                    severity="warning", markup=False)
        self._refresh_screen()
        return True

    def live_contact(self, contact_id: int) -> dict | None:
        """The contact as stored now; None, said on screen and the screen
        reloaded, when another window or a CLI purge deleted it (or a
        restore replaced the database)."""
        if self.restored_elsewhere():
            return None
        try:
            return self.store.contact(contact_id)
        except StoreError:
            self.bell()
            self.notify("That contact no longer exists (deleted elsewhere?); the screen is "
                        "reloaded.", severity="warning", markup=False)
            self._refresh_screen()
            return None

    def action_show_breakdown(self) -> None:
        if isinstance(self.screen, screen_class("BreakdownScreen")):
            self.screen.next_view()
            return
        self._switch(screen_class("BreakdownScreen"))

    def action_show_cleanup(self) -> None:
        self._switch(screen_class("CleanupScreen"))

    def action_show_triage(self) -> None:
        self._switch(screen_class("TriageScreen"))

    def action_show_status2(self) -> None:
        self._switch(screen_class("Status2Screen"))

    def action_new_contact(self) -> None:
        if not isinstance(self.screen, screen_class("EditContactScreen")):
            self.push_screen(screen_class("EditContactScreen")(None))

    def open_contact(self, contact_id: int) -> None:
        self.push_screen(screen_class("DetailScreen")(contact_id))

    def action_show_import(self) -> None:
        self._switch(screen_class("ImportScreen"))

    def action_refresh(self) -> None:
        self.store.forget_cache()
        self._refresh_screen()
        self.notify("Reloaded from the database.")

"""The dailyreach terminal app: today's queue, the contacts list, help.

Screens read and write through :class:`store.Store` only.  Contact text is
always passed to widgets as :class:`rich.text.Text` built by
:func:`tui.safe.safe`, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Static

from store import QueueItem, StatusChange, Store, StoreError

from .keys import APP_BINDINGS, CONTACTS_BINDINGS, KEYMAP_ROWS, QUEUE_BINDINGS, load_keymap
from .safe import row, safe, widths
from .widgets import RowList


@dataclass
class Undo:
    """One undoable step: status changes, or one logged activity."""

    label: str
    changes: list[StatusChange] | None = None
    activity_id: int | None = None


def _late(item: QueueItem, today: date) -> str:
    days = item.overdue_days(today)
    return "due today" if days <= 0 else f"{days} d late"


class CardScroll(VerticalScroll, can_focus=False):
    """Scrolls the contact card; never takes focus, so Tab stays on the lists."""


class ContactCard(Static):
    """The focused contact, in full: every value shown literally."""

    def show(self, store: Store, contact_id: int | None) -> None:
        if contact_id is None:
            self.update(Text("No contact selected.", style="italic"))
            return
        try:
            c = store.contact(contact_id)
        except StoreError:
            self.update(Text("This contact no longer exists.", style="italic"))
            return
        out = Text()
        out.append_text(safe(c["name"] or "(no name)", "bold"))
        out.append("\n")
        line = " · ".join(v for v in (c["company"], c["title"]) if v)
        if line:
            out.append_text(safe(line))
            out.append("\n")
        for phone in c["phones"]:
            out.append(f"☎ {phone.get('type', 'phone'):<7} ", style="dim")
            out.append_text(safe(phone["value"] + (f" x{phone['ext']}" if phone.get("ext") else "")))
            out.append("\n")
        for email in c["emails"]:
            out.append("✉ ", style="dim")
            out.append_text(safe(email["value"]))
            out.append("\n")
        out.append("\nStatus  ", style="dim")
        if c["status_key"]:
            out.append(f"{c['status_key']} ", style="bold")
            out.append_text(safe(c["status"]))
        else:
            out.append("unclassified", style="bold yellow")
        if c["status_raw"] and c["status_raw"] != c["status"]:
            out.append("  (imported as ", style="dim")
            out.append_text(safe(repr(c["status_raw"])))
            out.append(")", style="dim")
        if c["owner"]:
            out.append("\nOwner   ", style="dim")
            out.append_text(safe(c["owner"]))
        out.append("\nReached ", style="dim")
        out.append(c["last_call_reached"] or "never")
        if c["call_attempts"]:
            out.append(f"  · {c['call_attempts']} attempt(s) since", style="dim")
        out.append("\nE-mailed ", style="dim")
        out.append(c["last_email_sent"] or "never")
        out.append("\nNext    ", style="dim")
        out.append(f"call {c['next_call_due'] or '—'} · e-mail {c['next_email_due'] or '—'}")
        history = store.history(contact_id)[:6]
        if history:
            out.append("\n\nHistory\n", style="bold")
            for h in history:
                out.append(h["at"][:10] + " ", style="dim")
                if h["kind"] == "status":
                    out.append("status ")
                    out.append_text(safe(h["old_status"] or "unclassified"))
                    out.append(" → ")
                    out.append_text(safe(h["new_status"] or "unclassified"))
                else:
                    out.append(f"{h['kind']} {h['outcome'] or ''}".rstrip())
                if h["note"]:
                    out.append(" — ", style="dim")
                    out.append_text(safe(h["note"]))
                out.append("\n")
        if c["notes"]:
            out.append("\nNotes\n", style="bold")
            out.append_text(safe(c["notes"], multiline=True))
        self.update(out)


# Focus moves with Screen.set_focus, which takes effect at once, never with
# Widget.focus(), which waits for the next idle moment: keys typed quickly
# after "/" or Enter must reach the widget the user moved to, not the list
# (where a letter would reclassify a contact).


class QueueScreen(Screen):
    """Today's due calls and e-mails."""

    BINDINGS = QUEUE_BINDINGS

    def __init__(self) -> None:
        super().__init__()
        # (status id, count) per status group, refreshed on every reload;
        # the lists page their rows from the store with these.
        self.groups: dict[str, list[tuple[int, int]]] = {"call": [], "email": []}

    @property
    def store(self) -> Store:
        return self.app.store

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        with Horizontal():
            with Vertical(id="lists"):
                yield Static(id="calls-title", classes="pane-title")
                yield RowList(lambda: self._count("call"), lambda o, n: self._page("call", o, n),
                              self._render_call, on_letter=self._letter,
                              empty="No calls due.", id="calls")
                yield Static(id="emails-title", classes="pane-title")
                yield RowList(lambda: self._count("email"), lambda o, n: self._page("email", o, n),
                              self._render_email, on_letter=self._letter,
                              empty="No e-mails due.", id="emails")
            with CardScroll(id="card-scroll"):
                yield ContactCard(id="card")
        yield Static(id="legend")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.set_focus(self.query_one("#calls", RowList))

    def on_screen_resume(self) -> None:
        self.reload()

    def _render_call(self, item: QueueItem, width: int) -> Text:
        today = self.store.today()
        name_w, company_w, phone_w = widths(width, 2 + 11 + 8 + 2, (40, 30, 30))
        return row((f" {item.status_key}", 2, "bold"), (item.name, name_w, ""),
                   (item.company, company_w, "dim"), (item.phone, min(phone_w, 18), ""),
                   (_late(item, today), 11, "red" if item.overdue_days(today) > 0 else "green"),
                   (f"{item.attempts} tried" if item.attempts else "", 8, "yellow"))

    def _render_email(self, item: QueueItem, width: int) -> Text:
        today = self.store.today()
        name_w, company_w, email_w = widths(width, 2 + 11 + 1, (30, 25, 45))
        return row((f" {item.status_key}", 2, "bold"), (item.name, name_w, ""),
                   (item.company, company_w, "dim"), (item.email, email_w, ""),
                   (_late(item, today), 11, "red" if item.overdue_days(today) > 0 else "green"))

    def _count(self, kind: str) -> int:
        self.groups[kind] = self.store.queue_counts(kind=kind)
        return sum(n for _, n in self.groups[kind])

    def _page(self, kind: str, offset: int, limit: int) -> list[QueueItem]:
        return self.store.queue_page(kind=kind, offset=offset, limit=limit,
                                     counts=self.groups[kind])

    def reload(self) -> None:
        """Re-read the queue.  The cursor keeps its place in each list, so
        after an item is done or leaves, the next one is under it."""
        calls = self.query_one("#calls", RowList)
        emails = self.query_one("#emails", RowList)
        calls.reload()
        emails.reload()
        today = self.store.today()
        done = self.store.done_today()
        self.query_one("#topbar", Static).update(Text.assemble(
            (" dailyreach ", "bold reverse"), "  ",
            (today.strftime("%A %-d %B %Y"), "bold"), "   ",
            f"calls {calls.row_count:,} due, {done['call']} done · "
            f"e-mails {emails.row_count:,} due, {done['email']} done",
        ))
        self.query_one("#calls-title", Static).update(Text(f" Calls due ({calls.row_count:,})"))
        self.query_one("#emails-title", Static).update(Text(f" E-mails due ({emails.row_count:,})"))
        self.query_one("#legend", Static).update(self.app.legend())
        self._show_card()

    def _focused_list(self) -> RowList:
        focused = self.focused
        if isinstance(focused, RowList):
            return focused
        return self.query_one("#calls", RowList)

    def _show_card(self) -> None:
        item = self._focused_list().current
        self.query_one("#card", ContactCard).show(self.store, item.contact_id if item else None)

    def on_row_list_highlighted(self, message: RowList.Highlighted) -> None:
        if message.rowlist is self._focused_list():
            self._show_card()

    def _letter(self, item: QueueItem | None, letter: str) -> None:
        if item is not None:
            self.app.reclassify([item.contact_id], letter, item.name)

    def action_done(self) -> None:
        item = self._focused_list().current
        if item is not None:
            self.app.mark_done(item)


class ContactsScreen(Screen):
    """Every contact, paged from SQL, with search and one-letter status."""

    BINDINGS = CONTACTS_BINDINGS

    def __init__(self) -> None:
        super().__init__()
        self.search = ""
        self._timer = None

    @property
    def store(self) -> Store:
        return self.app.store

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        yield Input(placeholder="Search name, company, e-mail or phone  (/ to focus, Esc to leave)",
                    id="search")
        with Horizontal():
            with Vertical(id="lists"):
                yield Static(id="contacts-header", classes="pane-title")
                yield RowList(self._count, self._fetch, self._render_contact, on_letter=self._letter,
                              empty="No contacts match.", id="contacts")
            with CardScroll(id="card-scroll"):
                yield ContactCard(id="card")
        yield Static(id="legend")
        yield Footer()

    def _count(self) -> int:
        return self.store.count_contacts(search=self.search)

    def _fetch(self, offset: int, limit: int) -> list[dict]:
        return self.store.contacts(search=self.search, offset=offset, limit=limit)

    @staticmethod
    def _columns(width: int) -> list[int]:
        return [*widths(width, 2 + 15 + 16 + 1, (26, 20, 30)), 16]

    def _render_contact(self, c: dict, width: int) -> Text:
        key = c["status_key"] or "?"
        name_w, company_w, email_w, phone_w = self._columns(width)
        return row((f" {key}", 2, "bold" if c["status_key"] else "bold yellow"),
                   (c["name"], name_w, ""), (c["company"], company_w, "dim"),
                   (c["email"], email_w, ""), (c["phone"], phone_w, ""),
                   ("" if c["status_key"] else c["status_raw"], 15, "yellow italic"))

    def on_resize(self) -> None:
        self._header()

    def _header(self) -> None:
        width = self.query_one("#contacts", RowList).size.width or 80
        name_w, company_w, email_w, phone_w = self._columns(width)
        self.query_one("#contacts-header", Static).update(row(
            (" ", 2, ""), ("Name", name_w, "bold"), ("Company", company_w, "bold"),
            ("E-mail", email_w, "bold"), ("Phone", phone_w, "bold"),
            ("Unclassified as", 15, "bold")))

    def on_mount(self) -> None:
        self.reload()
        self.set_focus(self.query_one("#contacts", RowList))

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        lst = self.query_one("#contacts", RowList)
        lst.reload()
        total = self.store.count_contacts()
        shown = lst.row_count
        self.query_one("#topbar", Static).update(Text.assemble(
            (" dailyreach ", "bold reverse"), "  ", ("Contacts", "bold"), "   ",
            f"{shown:,} of {total:,}" if self.search else f"{total:,} contacts",
        ))
        self.query_one("#legend", Static).update(self.app.legend())
        self._header()
        self._show_card()

    def _show_card(self) -> None:
        c = self.query_one("#contacts", RowList).current
        self.query_one("#card", ContactCard).show(self.store, c["id"] if c else None)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(0.15, lambda: self._apply_search(event.value))

    def _apply_search(self, value: str) -> None:
        self.search = value.strip()
        self.query_one("#contacts", RowList).cursor = 0
        self.reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._apply_search(event.value)
        self.set_focus(self.query_one("#contacts", RowList))

    def on_row_list_highlighted(self, message: RowList.Highlighted) -> None:
        self._show_card()

    def _letter(self, contact: dict | None, letter: str) -> None:
        if contact is not None:
            self.app.reclassify([contact["id"]], letter, contact["name"])

    def action_focus_search(self) -> None:
        self.set_focus(self.query_one("#search", Input))

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus:
            self.set_focus(self.query_one("#contacts", RowList))
        else:
            self.app.action_show_queue()


class HelpScreen(ModalScreen):
    """The whole keymap and the status letters."""

    BINDINGS = [("escape,f1,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        out = Text()
        out.append("Keys\n\n", style="bold")
        for keys, what, where in KEYMAP_ROWS:
            out.append(f"  {keys:<24}", style="bold")
            out.append(f"{what}")
            out.append(f"  ({where})\n", style="dim")
        out.append("\nStatus letters\n\n", style="bold")
        for s in self.app.store.statuses():
            out.append(f"  {s.key.lower()}  ", style="bold")
            out.append_text(safe(s.name))
            cadence = []
            if s.call_days:
                cadence.append(f"call every {s.call_days} d")
            if s.email_days:
                cadence.append(f"e-mail every {s.email_days} d")
            out.append(f"  {', '.join(cadence) or 'no contact plan'}\n", style="dim")
        out.append("\nEsc closes this help.", style="italic")
        with VerticalScroll(id="help"):
            yield Static(out)


class DailyReachApp(App):
    """Open with a :class:`Store`; shows today's queue first."""

    CSS_PATH = "app.tcss"
    TITLE = "dailyreach"
    BINDINGS = APP_BINDINGS

    def __init__(self, store: Store, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
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

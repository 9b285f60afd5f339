"""Today's queue: due calls and due e-mails."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from store import QueueItem, Store

from ..card import CardScroll, ContactCard
from ..keys import QUEUE_BINDINGS
from ..safe import row, widths
from ..widgets import Line, RowList

# Focus moves with Screen.set_focus, which takes effect at once, never with
# Widget.focus(), which waits for the next idle moment: keys typed quickly
# after "/" or Enter must reach the widget the user moved to, not the list
# (where a letter would reclassify a contact).


def _late(item: QueueItem, today: date) -> str:
    days = item.overdue_days(today)
    return "due today" if days <= 0 else f"{days} d late"


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
        yield Line(id="topbar")
        with Horizontal():
            with Vertical(id="lists"):
                yield Line(id="calls-title", classes="pane-title")
                yield RowList(lambda: self._count("call"), lambda o, n: self._page("call", o, n),
                              self._render_call, on_letter=self._letter,
                              empty="No calls due.", id="calls")
                yield Line(id="emails-title", classes="pane-title")
                yield RowList(lambda: self._count("email"), lambda o, n: self._page("email", o, n),
                              self._render_email, on_letter=self._letter,
                              empty="No e-mails due.", id="emails")
            with CardScroll(id="card-scroll"):
                yield ContactCard(id="card")
        yield Line(id="legend")
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

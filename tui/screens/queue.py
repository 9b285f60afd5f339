"""Today's queue: due calls and due e-mails."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, Static

from store import QueueItem, Store, StoreError
from store.plan import Levelling

from ..card import CardScreenMixin, ContactCard
from ..keys import CARD_BINDINGS, OUTCOME_KEYS, QUEUE_BINDINGS
from ..safe import row, widths
from ..widgets import PAGE as FIRST_ROWS
from ..widgets import Line, RowList

# Focus moves with Screen.set_focus, which takes effect at once, never with
# Widget.focus(), which waits for the next idle moment: keys typed quickly
# after "/" or Enter must reach the widget the user moved to, not the list
# (where a letter would reclassify a contact).


def _late(item: QueueItem, today: date) -> tuple[str, str]:
    """How late an item is, and its colour.  A contact never reached (or
    e-mailed) says so rather than counting days from the day it arrived."""
    if item.last_done is None:
        # "reached", not "called": a contact may have been tried already
        return ("never " + ("reached" if item.kind == "call" else "e-mailed"), "yellow")
    days = item.overdue_days(today)
    return ("due today", "green") if days <= 0 else (f"{days} d late", "red")


def day_label(day: date, today: date) -> str:
    """"Fri 4 Dec", with the year when it is not this year's."""
    return f"{day:%a %-d %b}" if day.year == today.year else f"{day:%a %-d %b %Y}"


def _planned(item: QueueItem, today: date) -> str:
    """Where capacity levelling put a deferred item ("→ Fri 4 Dec")."""
    if not item.deferred:
        return ""
    return f"→ {day_label(item.planned, today)}" if item.planned else "→ later"


class QueueScreen(CardScreenMixin, Screen):
    """Today's due calls and e-mails."""

    BINDINGS = QUEUE_BINDINGS + CARD_BINDINGS

    def __init__(self) -> None:
        super().__init__()
        # (status id, count) per status group, refreshed on every reload;
        # the lists page their rows from the store with these.
        self.groups: dict[str, list[tuple[int, int]]] = {"call": [], "email": []}
        self.levels: dict[str, Levelling | None] = {"call": None, "email": None}
        # The first frame counts only as far as its first rows need (a
        # million contacts take ~70 ms to count); the exact counts follow
        # right after it is drawn.
        self.first = True
        self.counting: dict[str, bool] = {"call": False, "email": False}

    @property
    def store(self) -> Store:
        return self.app.store

    def compose(self) -> ComposeResult:
        yield Line(id="topbar")
        with Horizontal():
            with Vertical(id="lists"):
                yield Line(id="calls-title", classes="pane-title")
                yield RowList(lambda: self._count("call"), lambda o, n: self._page("call", o, n),
                              self._render_call, on_letter=self._letter, row_key=self._row_key,
                              empty=lambda: self._empty("calls"), id="calls")
                yield Line(id="emails-title", classes="pane-title")
                yield RowList(lambda: self._count("email"), lambda o, n: self._page("email", o, n),
                              self._render_email, on_letter=self._letter, row_key=self._row_key,
                              empty=lambda: self._empty("e-mails"), id="emails")
            yield ContactCard(id="card")
        yield Line(id="notice")
        yield Line(id="legend")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.set_focus(self.query_one("#calls", RowList))
        self.call_after_refresh(self._exact_counts)

    def on_screen_resume(self) -> None:
        self.reload()

    def _row_key(self, item: QueueItem) -> tuple:
        # a row shows the item's own values and how late it is today
        return (item, self.store.today())

    @staticmethod
    def _who(item: QueueItem, flex: int) -> list[tuple[str, int, str]]:
        """Name and company cells sharing ``flex`` cells; when that is too
        little for both, the company goes (it is on the card) and the name
        keeps it all."""
        if flex < 28:
            return [(item.name, max(flex, 8), "")]
        name_w, company_w = widths(flex + 1, 0, (58, 42), minimum=8)
        return [(item.name, name_w, ""), (item.company, company_w, "dim")]

    def _when(self, item: QueueItem) -> tuple[str, str]:
        """The "when" cell: where levelling moved a deferred item, else how
        late it is."""
        if item.deferred:
            return (" " + _planned(item, self.store.today()), "italic")
        late, colour = _late(item, self.store.today())
        return (" " + late, colour)

    def _render_call(self, item: QueueItem, width: int) -> Text:
        when, colour = self._when(item)
        # fixed cells: key 2, phone 16, when 15, tried 7, and 4 gaps
        flex = width - (2 + 16 + 15 + 7 + 4)
        text = row((f" {item.status_key}", 2, "bold"), *self._who(item, flex),
                   (item.phone, 16, ""), (when, 15, colour),
                   (f"{item.attempts} tried" if item.attempts else "", 7, "yellow"))
        if item.deferred:
            text.stylize("dim")
        return text

    def _render_email(self, item: QueueItem, width: int) -> Text:
        when, colour = self._when(item)
        # fixed cells: key 2, when 16, bounces 8, 3 gaps; the address takes
        # 45% of the rest
        rest = width - (2 + 16 + 8 + 3)
        email_w = max(rest * 45 // 100, 12)
        text = row((f" {item.status_key}", 2, "bold"), *self._who(item, rest - email_w - 1),
                   (item.email, email_w, ""), (when, 16, colour),
                   (f"{item.attempts} bounce" if item.attempts else "", 8, "yellow"))
        if item.deferred:
            text.stylize("dim")
        return text

    def _empty(self, what: str) -> str:
        if self.store.count_contacts() == 0:
            return "No contacts yet: Ctrl+O imports a file (or run: dailyreach import FILE)"
        return f"No {what} due today."

    def _count(self, kind: str) -> int:
        if self.first:
            groups = self.store.queue_counts(kind=kind, at_most=FIRST_ROWS + 1)
            self.counting[kind] = any(n > FIRST_ROWS for _, n in groups)
        else:
            groups = self.store.queue_counts(kind=kind)
            self.counting[kind] = False
        self.groups[kind] = groups
        self.levels[kind] = self.store.levelling(kind=kind, counts=groups)
        return sum(n for _, n in groups)

    def _exact_counts(self) -> None:
        self.first = False
        if any(self.counting.values()):
            self.reload()

    def _page(self, kind: str, offset: int, limit: int) -> list[QueueItem]:
        return self.store.queue_page(kind=kind, offset=offset, limit=limit,
                                     counts=self.groups[kind], levelling=self.levels[kind])

    def on_resize(self, event) -> None:
        try:
            self._topbar()
        except NoMatches:  # a resize can come before the lists are mounted
            pass

    def _topbar(self) -> None:
        """Today and the day's progress; on a narrow terminal the date is
        shortened, then the name goes, so the e-mail figures stay shown."""
        calls = self.query_one("#calls", RowList)
        emails = self.query_one("#emails", RowList)
        figures = Text()
        for kind, lst, label in (("call", calls, "calls"), ("email", emails, "e-mails")):
            done = self.store.worked_count(kind)
            if self.counting.get(kind):
                figures.append(f"   {label} {done} done, counting…")
                continue
            level = self.levels.get(kind)
            share = level.today_share if level else lst.row_count
            figures.append(f"   {label} {done} done, {share:,} left")
            deferred = lst.row_count - share
            if deferred:
                figures.append(f" (+{deferred:,} deferred)", style="dim")
        today = self.store.today()
        width = self.size.width or 120
        for brand, when in ((" dailyreach ", "%A %-d %B %Y"), (" dailyreach ", "%a %-d %b"),
                            ("", "%a %-d %b")):
            bar = Text.assemble((brand, "bold reverse"), "  " if brand else " ",
                                (today.strftime(when), "bold"))
            bar.append_text(figures)
            if bar.cell_len <= width:
                break
        self.query_one("#topbar", Static).update(bar)

    def reload(self) -> None:
        """Re-read the queue.  The cursor keeps its place in each list, so
        after an item is done or leaves, the next one is under it."""
        calls = self.query_one("#calls", RowList)
        emails = self.query_one("#emails", RowList)
        calls.reload()
        emails.reload()
        self._topbar()
        for kind, lst, label, wid in (("call", calls, "Calls due", "#calls-title"),
                                      ("email", emails, "E-mails due", "#emails-title")):
            if self.counting[kind]:
                self.query_one(wid, Static).update(Text(f" {label} (counting…)"))
                continue
            share = self.levels[kind].today_share if self.levels[kind] else lst.row_count
            title = f" {label} ({lst.row_count:,})"
            if share < lst.row_count:
                title = (f" {label} ({lst.row_count:,}): {share:,} for today, "
                         f"{lst.row_count - share:,} deferred by your daily capacity")
            self.query_one(wid, Static).update(Text(title))
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
        item = self._focused_item()
        if item is not None:
            self.app.mark_done(item)

    # ------------------------------------------------------------ outcomes
    def _focused_item(self) -> QueueItem | None:
        if self.app.screen is not self:  # a key that arrived as a pop-up opened
            return None
        return self._focused_list().current

    def action_outcome(self, number: int) -> None:
        item = self._focused_item()
        if item is None:
            return
        outcome = OUTCOME_KEYS[number][item.kind]
        if outcome is None:
            self.app.bell()
            self.notify(f"{number} is for calls only; for an e-mail: Enter sent, 1 bounced.",
                        severity="warning")
            return
        self.app.log_outcome(item, outcome)

    def action_note(self) -> None:
        from .prompts import NoteScreen

        item = self._focused_item()
        if item is None:
            return

        def done(result: tuple[str, str] | None) -> None:
            if result is not None:
                outcome, note = result
                self.app.log_outcome(item, outcome, note or None)

        self.app.push_screen(NoteScreen(item), done)

    def action_snooze(self) -> None:
        from .prompts import SnoozeScreen

        item = self._focused_item()
        if item is None:
            return

        def done(until: date | None) -> None:
            if until is not None:
                self.app.snooze(item, until)

        self.app.push_screen(SnoozeScreen(item, self.store.today()), done)

    def action_skip(self) -> None:
        item = self._focused_item()
        if item is not None:
            self.app.snooze(item, self.store.today() + timedelta(days=1), reason="skip")

    def action_compose(self) -> None:
        item = self._focused_item()
        if item is None:
            return
        contact = self.app.live_contact(item.contact_id)
        if contact is None:
            return
        if not contact["email"]:
            self.app.bell()
            self.notify(f"{item.name} has no e-mail address.", severity="warning", markup=False)
            return
        self.app.compose_email(item.contact_id)

    def action_copy(self) -> None:
        """Calls: copy the phone number, dialable; e-mails: the filled-in
        message from the template."""
        from ..compose import copy_text, dialable, filled_email

        item = self._focused_item()
        if item is None:
            return
        if item.kind == "call":
            number = dialable(item.phone, self.store.settings()["phone_region"])
            copy_text(self.app, number, f"{item.name}: {number}", contact_id=None)
            return
        try:
            address, subject, body = filled_email(self.store, item.contact_id)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        from store.mail import as_text

        copy_text(self.app, as_text(address, subject, body), f"e-mail to {item.name}",
                  contact_id=item.contact_id)

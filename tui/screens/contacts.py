"""Every contact, paged from SQL, with search and one-letter status."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from store import Store

from ..card import CardScroll, ContactCard
from ..keys import CONTACTS_BINDINGS
from ..safe import row, widths
from ..widgets import Line, RowList


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
        yield Line(id="topbar")
        yield Input(placeholder="Search name, company, e-mail or phone  (/ to focus, Esc to leave)",
                    id="search")
        with Horizontal():
            with Vertical(id="lists"):
                yield Line(id="contacts-header", classes="pane-title")
                yield RowList(self._count, self._fetch, self._render_contact, on_letter=self._letter,
                              empty="No contacts match.", id="contacts")
            with CardScroll(id="card-scroll"):
                yield ContactCard(id="card")
        yield Line(id="legend")
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

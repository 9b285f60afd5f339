"""Every contact, paged from SQL, with search, filters, selection and
one-letter status."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from store import SEARCH_COUNT_CAP, Store, StoreError, search_words

from ..card import CardScreenMixin, ContactCard
from ..filters import parse_query, unclosed_quote
from ..keys import CARD_BINDINGS, CONTACTS_BINDINGS
from ..safe import row, safe, widths
from ..widgets import Line, RowList

#: What each filter takes, for the message when one is typed without a value.
EXAMPLES = {"status": "status:k, or status:? for unclassified",
            "status2": "status2:web, or status2:- for none",
            "owner": 'owner:"Dana W", or owner:- for none',
            "due": "due:today or due:overdue"}


class ContactsScreen(CardScreenMixin, Screen):
    """Every contact, paged from SQL, with search and one-letter status.

    ``search`` pre-fills the search box (the breakdown opens a cell's
    contacts this way); with ``pushed`` Esc returns to the screen below
    instead of the queue.
    """

    BINDINGS = CONTACTS_BINDINGS + CARD_BINDINGS

    def __init__(self, search: str = "", *, pushed: bool = False) -> None:
        super().__init__()
        self.query_text = search
        self.search = ""
        self.filters: dict[str, str] = {}
        self.problem = ""
        self.pushed = pushed
        #: Ids of the selected contacts; a letter then changes all of them.
        self.selected: set[int] = set()
        #: The search matches more contacts than the list holds.
        self.capped = False
        #: Typed but not yet applied (short words in a big database).
        self.pending_search: str | None = None
        self._timer = None
        self._parse(search, check=False)

    @property
    def store(self) -> Store:
        return self.app.store

    def compose(self) -> ComposeResult:
        yield Line(id="topbar")
        yield Input(value=self.query_text,
                    placeholder="Search name, company, e-mail, phone; filter with status:k "
                                "status2:web owner:\"Dana W\" due:today|overdue  (/ focuses)",
                    id="search")
        with Horizontal():
            with Vertical(id="lists"):
                yield Line(id="contacts-header", classes="pane-title")
                yield RowList(self._count, self._fetch, self._render_contact, on_letter=self._letter,
                              row_key=self._row_key,
                              empty=lambda: ("No contacts: fix the filter named above." if self.problem
                                             else "No contacts match."), id="contacts")
            yield ContactCard(id="card")
        yield Line(id="notice")
        yield Line(id="legend")
        yield Footer()

    # ------------------------------------------------------------ query
    def _parse(self, text: str, *, check: bool = True) -> None:
        """Split the search box into words and filters; a filter value that
        cannot work (an unknown status letter...) is dropped and named."""
        self.search, filters = parse_query(text)
        problems = []
        if unclosed_quote(text):
            # (read as typed, owner:"Dana looked for an owner called "Dana)
            problems.append('a quote is not closed: a value with spaces goes in "…"')
        for name in list(filters):
            if not filters[name]:
                del filters[name]
                problems.append(f"{name}: needs a value after the colon ({EXAMPLES[name]})")
                continue
            try:
                self._check(name, filters[name], check)
            except StoreError as exc:
                problems.append(str(exc))
                del filters[name]
        self.problem = "; ".join(problems)
        self.filters = filters

    def _check(self, name: str, value: str, with_store: bool) -> None:
        if name == "due" and value not in Store.DUE_FILTERS:
            raise StoreError(f"due:{value} is not one of: "
                             + ", ".join(f"due:{d}" for d in Store.DUE_FILTERS))
        if name == "status" and value not in ("-", "?", "unclassified") and with_store:
            self.store.status_by_key(value)

    def _count(self) -> int:
        self.capped = False
        if self.problem:
            # a filter that cannot work lists nobody, rather than everybody
            # (Ctrl+A and a letter would then change every contact)
            return 0
        if not (self.search or self.filters):
            return self.store.count_contacts()
        # a search found in a fifth of a million contacts lists its first
        # ten thousand at once (refine it to see others) instead of
        # counting them all on every key
        n = self.store.count_contacts(search=self.search, **self.filters,
                                      at_most=SEARCH_COUNT_CAP + 1)
        self.capped = n > SEARCH_COUNT_CAP
        return min(n, SEARCH_COUNT_CAP)

    def _fetch(self, offset: int, limit: int) -> list[dict]:
        if self.problem:
            return []
        return self.store.contacts(search=self.search, offset=offset, limit=limit, **self.filters)

    # ------------------------------------------------------------ drawing
    @staticmethod
    def _columns(width: int) -> list[int]:
        return [*widths(width, 2 + 15 + 16 + 1, (26, 20, 30)), 16]

    def _row_key(self, c: dict) -> tuple:
        # what _render_contact shows of the contact, and whether it is selected
        return (c["id"], c["id"] in self.selected, c["status_key"], c["name"], c["company"],
                c["email"], c["phone"], c["status_raw"])

    def _render_contact(self, c: dict, width: int) -> Text:
        key = c["status_key"] or "?"
        mark = "✓" if c["id"] in self.selected else " "
        name_w, company_w, email_w, phone_w = self._columns(width)
        style = "bold" if c["status_key"] else "bold yellow"
        if mark != " ":
            style = "bold green"
        return row((f"{mark}{key}", 2, style),
                   (c["name"], name_w, ""), (c["company"], company_w, "dim"),
                   (c["email"], email_w, ""), (c["phone"], phone_w, ""),
                   ("" if c["status_key"] else c["status_raw"], 15, "yellow italic"))

    def on_resize(self, event) -> None:
        super().on_resize(event)
        self.call_after_refresh(self._header)

    def _header(self) -> None:
        width = self.query_one("#contacts", RowList).size.width or 80
        name_w, company_w, email_w, phone_w = self._columns(width)
        self.query_one("#contacts-header", Static).update(row(
            (" ", 2, ""), ("Name", name_w, "bold"), ("Company", company_w, "bold"),
            ("E-mail", email_w, "bold"), ("Phone", phone_w, "bold"),
            ("Unclassified as", 15, "bold")))

    def on_mount(self) -> None:
        self._parse(self.query_text)  # now with the store at hand
        self.reload()
        self.set_focus(self.query_one("#contacts", RowList))

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self, *, follow: bool = True) -> None:
        """Re-read the list.  With ``follow`` the cursor stays on the focused
        contact when rows around it came or went."""
        lst = self.query_one("#contacts", RowList)
        focused = lst.current if follow else None
        lst.reload()
        if focused is not None and (lst.current or {}).get("id") != focused["id"]:
            # the list changed around the focused contact (a bulk change took
            # rows out above it): stay on that contact if it is still listed,
            # else on the row that took its place
            index = self.store.contact_index(focused["id"], search=self.search, **self.filters)
            if index is not None:
                lst.cursor = index
        total = self.store.count_contacts()
        shown = lst.row_count
        narrowed = bool(self.search or self.filters or self.problem)
        bar = Text.assemble(
            (" dailyreach ", "bold reverse"), "  ", ("Contacts", "bold"), "   ",
            (f"{shown:,}+ of {total:,} (the first {shown:,} listed; add a word to narrow)"
             if self.capped else f"{shown:,} of {total:,}") if narrowed else f"{total:,} contacts",
        )
        if self.selected:
            bar.append(f"   {len(self.selected):,} selected (a letter changes all; Esc clears)",
                       style="bold green")
        if self.problem:
            bar.append("   ")
            bar.append_text(safe(self.problem, "bold red"))
        if self.pending_search is not None:
            bar.append("   Enter searches for ", style="yellow")
            bar.append_text(safe(repr(self.pending_search.strip()), "bold yellow"))
            bar.append(" (words under 3 letters read every contact)", style="yellow")
        self.query_one("#topbar", Static).update(bar)
        self.query_one("#legend", Static).update(self.app.legend())
        self._header()
        self._show_card()

    def _show_card(self) -> None:
        c = self.query_one("#contacts", RowList).current
        self.query_one("#card", ContactCard).show(self.store, c["id"] if c else None)

    # ------------------------------------------------------------ search box
    def on_input_changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self._only_short_words(event.value):
            # no index holds words under three letters: each such search
            # reads every contact (about a second at a million), so in a big
            # database it waits for Enter instead of running on every key
            self.pending_search = event.value
            self.reload()
            return
        self.pending_search = None
        self._timer = self.set_timer(0.15, lambda: self._apply_search(event.value))

    #: From this many contacts, searches made only of 1-2 letter words wait for Enter.
    SHORT_SEARCH_WAITS = 50_000

    def _only_short_words(self, text: str) -> bool:
        words, _ = parse_query(text)
        short = search_words(words)
        return (bool(short) and all(len(w) < 3 for w in short)
                and self.store.count_contacts() >= self.SHORT_SEARCH_WAITS)

    def _apply_search(self, value: str) -> None:
        if self.selected and value != self.query_text:
            # a letter must never change contacts the list no longer shows
            self.selected.clear()
            self.notify("Selection cleared: the search changed.", markup=False)
        self.query_text = value
        self._parse(value)
        self.query_one("#contacts", RowList).cursor = 0
        self.reload(follow=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.pending_search = None
        self._apply_search(event.value)
        self.set_focus(self.query_one("#contacts", RowList))

    def on_row_list_highlighted(self, message: RowList.Highlighted) -> None:
        self._show_card()

    # ------------------------------------------------------------ actions
    def _letter(self, contact: dict | None, letter: str) -> None:
        if self.selected:
            ids = sorted(self.selected)
            self.app.reclassify(ids, letter, f"{len(ids):,} selected contacts",
                                done=self._clear_selection)
        elif contact is not None:
            self.app.reclassify([contact["id"]], letter, contact["name"])

    def _clear_selection(self) -> None:
        self.selected.clear()

    def action_select(self) -> None:
        lst = self.query_one("#contacts", RowList)
        contact = lst.current
        if contact is None:
            return
        self.selected ^= {contact["id"]}
        lst.action_move(1)
        self.reload()

    def action_select_all(self) -> None:
        if self.problem:
            self.app.bell()
            self.notify(f"Fix the filter first: {self.problem}", severity="warning", markup=False)
            return
        ids = set(self.store.contact_ids(search=self.search, **self.filters))
        if ids and ids <= self.selected:
            self.selected -= ids
        else:
            self.selected |= ids
        self.reload()

    def action_open(self) -> None:
        contact = self.query_one("#contacts", RowList).current
        if contact is not None:
            self.app.open_contact(contact["id"])

    def action_focus_search(self) -> None:
        self.set_focus(self.query_one("#search", Input))

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus:
            self.set_focus(self.query_one("#contacts", RowList))
        elif self.selected:
            self.selected.clear()
            self.reload()
        elif self.pushed:
            self.app.pop_screen()
        else:
            self.app.action_show_queue()

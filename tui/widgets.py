"""A list that renders only the rows on screen, fetching them on demand.

The contacts list may hold 100,000+ rows, more than Textual's DataTable can
mount, so :class:`RowList` is a :class:`~textual.scroll_view.ScrollView` using
the line API: its virtual height is the row count, and ``render_line`` asks a
fetch callback for the page of rows it needs (a small page cache avoids
re-querying while scrolling).
"""

from __future__ import annotations

from typing import Any, Callable, Hashable

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

PAGE = 100


class Line(Static):
    """A one-line bar (top bar, list title, legend).  Screens set it on
    every reload; it repaints only when the text really changed, and never
    asks for a new layout (its size comes from the stylesheet, not its text),
    so a key press does not re-arrange the whole screen."""

    _shown: object = None

    def update(self, content="", *, layout: bool = False) -> None:
        if content == self._shown:
            return
        self._shown = content
        super().update(content, layout=layout)


class RowList(ScrollView, can_focus=True):
    """Rows from ``count()`` and ``fetch(offset, limit)``, drawn by ``render_row``.

    Lower-case letters are never bindings here: each one is handed to
    ``on_letter(row, letter)`` so the screen can treat it as a status key.
    """

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False, id="list.up"),
        Binding("down", "move(1)", "Down", show=False, id="list.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page_down"),
        Binding("home", "jump(0)", "First", show=False, id="list.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="list.last"),
    ]
    COMPONENT_CLASSES = {"rowlist--cursor", "rowlist--empty"}
    DEFAULT_CSS = """
    RowList { height: 1fr; overflow-x: hidden; }
    RowList > .rowlist--cursor { background: $accent 30%; }
    RowList:focus > .rowlist--cursor { background: $accent; color: $text; text-style: bold; }
    RowList > .rowlist--empty { color: $text-muted; }
    """

    # repaint=False: the watcher redraws just the rows whose highlight moved
    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        def __init__(self, rowlist: "RowList", row: Any | None) -> None:
            super().__init__()
            self.rowlist = rowlist
            self.row = row

    def __init__(self, count: Callable[[], int], fetch: Callable[[int, int], list],
                 render_row: Callable[[Any, int], Text], *,
                 on_letter: Callable[[Any | None, str], None] | None = None,
                 empty: str | Callable[[], str] = "Nothing here.",
                 row_key: Callable[[Any], Hashable] | None = None,
                 name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self._count_fn = count
        self._fetch = fetch
        self._render_row = render_row
        self._on_letter = on_letter
        self._empty = empty
        #: ``row_key(row)``: everything a row's drawing depends on; with it,
        #: drawn rows are kept and reused (a key that takes a row out shifts
        #: the others, which then cost nothing to draw again)
        self._row_key = row_key
        self._strips: dict[tuple, Strip] = {}
        self._pages: dict[int, list] = {}
        self._empty_text = ""
        self.row_count = 0

    # ------------------------------------------------------------ data
    def on_mount(self) -> None:
        self.reload()

    def reload(self, *, keep: int | None = None) -> None:
        """Re-read the row count and drop cached pages; keep the cursor index
        (or move it to ``keep``) within range.  Only the lines that now show
        something else are drawn again."""
        shown = self._shown()
        self._pages.clear()
        before = self.row_count
        self.row_count = self._count_fn()
        # (the empty text may cost a query: only worked out when it shows)
        self._empty_text = (self._empty() if callable(self._empty) else self._empty) \
            if self.row_count == 0 else ""
        self._set_rows(before)
        index = self.cursor if keep is None else keep
        self._quiet = True  # the lines are refreshed below, not by the watcher
        try:
            self.cursor = max(0, min(index, self.row_count - 1))
        finally:
            self._quiet = False
        self._refresh_changed(shown)

    def _shown(self) -> list | None:
        """What each visible line shows (row key, cursor), from the rows
        already fetched; None when that is not known."""
        if self._row_key is None or not self.row_count or not self.size.height:
            return None
        top = self.scroll_offset.y
        out = []
        for index in range(top, min(top + self.size.height, self.row_count)):
            page, offset = divmod(index, PAGE)
            rows = self._pages.get(page)
            if rows is None or offset >= len(rows):
                return None
            out.append((self._row_key(rows[offset]), index == self.cursor))
        return [top, out]

    def _refresh_changed(self, shown: list | None) -> None:
        now = self._shown()
        if shown is None or now is None or shown[0] != now[0]:
            self.refresh()
            return
        old, new = shown[1], now[1]
        changed = [y for y in range(max(len(old), len(new)))
                   if y >= len(old) or y >= len(new) or old[y] != new[y]]
        if changed:
            self.refresh(*line_regions(changed, self.size.width))

    def row_at(self, index: int) -> Any | None:
        if not 0 <= index < self.row_count:
            return None
        page, offset = divmod(index, PAGE)
        if page not in self._pages:
            if len(self._pages) > 50:
                self._pages.clear()
            self._pages[page] = self._fetch(page * PAGE, PAGE)
        rows = self._pages[page]
        return rows[offset] if offset < len(rows) else None

    @property
    def current(self) -> Any | None:
        return self.row_at(self.cursor)

    # ------------------------------------------------------------ moving
    _quiet = False

    def watch_cursor(self, old: int, cursor: int) -> None:
        top = self.scroll_offset.y
        if self.row_count:
            self.scroll_to_region(Region(0, cursor, 1, 1), animate=False, force=True)
        if not self._quiet:
            if self.scroll_offset.y == top:  # only the two rows whose highlight moved
                for index in {old, cursor}:
                    self.refresh(Region(0, index - top, self.size.width, 1))
            else:
                self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def action_move(self, delta: int) -> None:
        if self.row_count:
            self.cursor = max(0, min(self.cursor + delta, self.row_count - 1))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(self.size.height - 1, 1))

    def action_jump(self, index: int) -> None:
        if self.row_count:
            self.cursor = self.row_count - 1 if index < 0 else index

    async def on_key(self, event: events.Key) -> None:
        """Every key in arrival order, at once (see :func:`route_key`)."""
        await route_key(self, event, self._letter)

    def _letter(self, char: str) -> None:
        if self._on_letter is not None:
            self._on_letter(self.current, char)

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < self.row_count:
            self.cursor = index

    def on_focus(self) -> None:
        self.post_message(self.Highlighted(self, self.current))

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.row_count)

    def _set_rows(self, before: int) -> None:
        """Give the scroll range the new row count.  Setting ``virtual_size``
        asks for a layout of the whole screen; that is only needed when the
        scrollbar appears or goes (the list is then a column narrower or
        wider).  Otherwise the range and the scrollbar are updated in place,
        so a key that takes a row out repaints without a new layout."""
        size = Size(self.size.width, self.row_count)
        height = self.size.height
        if not height or (before > height) != (self.row_count > height):
            self.virtual_size = size
            return
        if size != self.virtual_size:  # (an unchanged count needs no new scrollbar)
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)

    # ------------------------------------------------------------ drawing
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        if self.row_count == 0:
            base = self.rich_style
            if y == 0:
                style = self.get_component_rich_style("rowlist--empty")
                text = Text(" " + self._empty_text, no_wrap=True)
                return Strip(list(text.render(self.app.console)), text.cell_len).adjust_cell_length(
                    width, base).apply_style(style)
            return Strip.blank(width, base)
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, self.rich_style)
        cursor = index == self.cursor
        key = None
        if self._row_key is not None:
            key = (self._row_key(row), cursor, width, self.has_focus)
            strip = self._strips.get(key)
            if strip is not None:
                return strip
        strip = self._draw(row, cursor, width)
        if key is not None:
            if len(self._strips) > 400:
                self._strips.clear()
            self._strips[key] = strip
        return strip

    def notify_style_update(self) -> None:
        self._strips.clear()  # a new theme or focus style: draw again
        super().notify_style_update()

    def _draw(self, row: Any, cursor: bool, width: int) -> Strip:
        base = self.rich_style
        if cursor:
            base = base + self.get_component_rich_style("rowlist--cursor")
        text = self._render_row(row, width)
        text.truncate(width, overflow="crop", pad=True)
        # on the cursor row the cells keep bold/italic but take the cursor's
        # colours: yellow or red text on the highlight would be unreadable
        segments = [Segment(s.text, base + (s.style.without_color if cursor else s.style)
                            if s.style else base)
                    for s in text.render(self.app.console) if s.text != "\n"]
        return Strip(segments).adjust_cell_length(width, base)


def line_regions(changed: list[int], width: int) -> list[Region]:
    """Runs of neighbouring changed lines as one region each."""
    regions: list[Region] = []
    for y in changed:
        if regions and regions[-1].bottom == y:
            last = regions[-1]
            regions[-1] = Region(0, last.y, width, last.height + 1)
        else:
            regions.append(Region(0, y, width, 1))
    return regions


class LetterTarget(Static, can_focus=True):
    """A focusable panel showing one contact, where letters are status keys.

    Like :class:`RowList`, it handles every key at once, in arrival order:
    a letter goes to ``on_letter(letter)`` (lower case: status, upper case:
    status 2), any other key runs the bindings from here up to the app.  So
    "k", "p", "s" typed quickly in triage classify three contacts in turn.
    """

    DEFAULT_CSS = """
    LetterTarget { height: auto; }
    LetterTarget:focus { background: $boost; }
    """

    def __init__(self, on_letter: Callable[[str], None], *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._on_letter_cb = on_letter

    async def on_key(self, event: events.Key) -> None:
        await route_key(self, event, self._on_letter_cb)


async def route_key(widget, event: events.Key, on_letter: Callable[[str], None]) -> None:
    """Handle a key for a widget whose letters are status keys, in arrival order.

    Textual queues keys for the focused widget and resolves bindings later,
    as the key bubbles up; with fast typing ("/kim", "↓k", Enter then a
    letter) a letter could then act on the wrong row or reach the widget
    after focus has moved on.  So: a key that arrives after focus has left
    ``widget`` is passed on to the widget that has focus now; a letter goes
    to ``on_letter``; any other key runs its (non-priority) binding at once,
    from ``widget`` up to the app.
    """
    focused = widget.app.focused
    if focused is not widget:
        if focused is not None:
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
        return
    char = event.character
    if char and len(char) == 1 and char.isascii() and char.isalpha():
        event.stop()
        event.prevent_default()
        on_letter(char)
        return
    if await widget.app._check_bindings(event.key):
        event.stop()
        event.prevent_default()

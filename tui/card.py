"""The contact card: the focused contact in full, every value shown literally."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store import Store, StoreError

from .history import describe, user_note
from .safe import safe
from .widgets import line_regions


class CardScreenMixin:
    """Shared by screens with a list beside a contact card: ``[`` and ``]``
    scroll the card; below 100 columns the card is hidden so the list keeps
    room for names."""

    NARROW = 100

    def action_scroll_card(self, lines: int) -> None:
        self.query_one(ContactCard).scroll_relative(y=lines, animate=False, force=True)

    def on_resize(self, event) -> None:
        self.query_one(ContactCard).display = event.size.width >= self.NARROW


class ContactCard(ScrollView, can_focus=False):
    """The focused contact, in full: every value shown literally.

    Drawn line by line (Textual's line API) from the wrapped text, and
    scrolled with ``[`` / ``]``: a new card — after every cursor move and
    every status letter — only repaints, it never asks for a layout of the
    screen (a widget whose height follows its text would, each time that
    height changed).
    """

    DEFAULT_CSS = """
    ContactCard { overflow-x: hidden; overflow-y: hidden; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = Text()
        self._lines: list[Text] | None = None
        self._wrapped_at = -1

    @property
    def text(self) -> Text:
        """What the card shows, before wrapping."""
        return self._text

    def lines(self) -> list[str]:
        """Every line of the card as drawn (also those scrolled out of view)."""
        return [line.plain for line in self._wrap()]

    def update(self, content: Text) -> None:
        # shown again after every reload and cursor move, mostly unchanged:
        # an unchanged card costs nothing
        if content == self._text:
            return
        old = self._lines
        self._text = content
        self._lines = None
        top = self.scroll_offset.y
        new = self._wrap()
        if old is None or self.scroll_offset.y != top:
            self.refresh()
            return
        # only the lines that read differently are drawn again (a status
        # letter changes a line or two of the same contact's card)
        changed = [y for y in range(self.size.height)
                   if (old[top + y] if top + y < len(old) else None)
                   != (new[top + y] if top + y < len(new) else None)]
        if changed:
            self.refresh(*line_regions(changed, self.size.width))

    def _wrap(self) -> list[Text]:
        width = self.scrollable_content_region.width
        if self._lines is None or width != self._wrapped_at:
            self._wrapped_at = width
            self._lines = list(self._text.wrap(self.app.console, width)) if width > 0 else []
            size = Size(width, len(self._lines))
            self.set_reactive(ScrollView.virtual_size, size)  # no layout: no scrollbars here
            self.scroll_to(y=min(self.scroll_y, max(len(self._lines) - self.size.height, 0)),
                           animate=False, immediate=True)
        return self._lines

    def on_resize(self) -> None:
        self._wrap()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        lines = self._wrap()
        index = self.scroll_offset.y + y
        base = self.rich_style
        if not 0 <= index < len(lines):
            return Strip.blank(width, base)
        segments = [Segment(seg.text, base + seg.style if seg.style else base)
                    for seg in lines[index].render(self.app.console) if seg.text != "\n"]
        return Strip(segments).adjust_cell_length(width, base)

    _showing: tuple | None = None

    def show(self, store: Store, contact_id: int | None) -> None:
        # the same contact at the same database version reads the same: the
        # list's cursor message after a reload asks again, for nothing
        showing = (contact_id, store.version())
        if showing == self._showing:
            return
        self._showing = showing
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
        if c["status2"]:
            out.append("\nStatus 2 ", style="dim")
            out.append_text(safe(c["status2"]))
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
                out.append_text(describe(h))
                if note := user_note(h):
                    out.append(" — ", style="dim")
                    out.append_text(safe(note))
                out.append("\n")
        if c["notes"]:
            out.append("\nNotes\n", style="bold")
            out.append_text(safe(c["notes"], multiline=True))
        self.update(out)

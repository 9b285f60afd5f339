"""The contact card: the focused contact in full, every value shown literally."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from store import Store, StoreError

from .history import describe, user_note
from .safe import safe


class CardScroll(VerticalScroll, can_focus=False):
    """Scrolls the contact card; never takes focus, so Tab stays on the lists."""


class CardScreenMixin:
    """Shared by screens with a list beside a contact card: ``[`` and ``]``
    scroll the card; below 100 columns the card is hidden so the list keeps
    room for names."""

    NARROW = 100

    def action_scroll_card(self, lines: int) -> None:
        self.query_one(CardScroll).scroll_relative(y=lines, animate=False)

    def on_resize(self, event) -> None:
        self.query_one(CardScroll).display = event.size.width >= self.NARROW


class ContactCard(Static):
    """The focused contact, in full: every value shown literally."""

    _shown: object = None

    def update(self, content="", *, layout: bool = True) -> None:
        # shown again after every reload and cursor move, mostly unchanged:
        # an unchanged card costs no layout and no repaint
        if content == self._shown:
            return
        self._shown = content
        super().update(content, layout=layout)

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
                out.append_text(describe(h))
                if note := user_note(h):
                    out.append(" — ", style="dim")
                    out.append_text(safe(note))
                out.append("\n")
        if c["notes"]:
            out.append("\nNotes\n", style="bold")
            out.append_text(safe(c["notes"], multiline=True))
        self.update(out)

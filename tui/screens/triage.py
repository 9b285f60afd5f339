"""Triage: unclassified contacts one at a time; one letter classifies and
moves on."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from store import Store

from ..keys import TRIAGE_BINDINGS
from ..safe import safe
from ..widgets import LetterTarget, Line
from .detail import history_line


class TriageScreen(Screen):
    """One unclassified contact at a time, in name order.

    A status letter classifies it and the next one appears (a classified
    contact leaves the unclassified list, so the same position now holds the
    next).  Shift+letter sets status 2 and stays.  → skips, ← goes back,
    Ctrl+Z undoes the last classification and shows that contact again.
    The top line counts contacts classified here, those left, and the pace.
    """

    BINDINGS = TRIAGE_BINDINGS

    def __init__(self) -> None:
        super().__init__()
        self.index = 0
        self.current: dict | None = None
        self.done: list[int] = []
        self.started: float | None = None

    @property
    def store(self) -> Store:
        return self.app.store

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        with VerticalScroll(id="triage"):
            yield LetterTarget(self._letter, id="triage-card")
        yield Line(id="notice")
        yield Static(id="legend")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.set_focus(self.query_one("#triage-card", LetterTarget))

    def on_screen_resume(self) -> None:
        self.reload()

    # ------------------------------------------------------------ state
    def left(self) -> int:
        return self.store.count_contacts(status="-")

    def pace(self) -> float | None:
        """Contacts classified per minute since the first one here."""
        if not self.done or self.started is None:
            return None
        minutes = max(time.monotonic() - self.started, 1.0) / 60
        return len(self.done) / minutes

    def reload(self) -> None:
        left = self.left()
        self.index = max(0, min(self.index, left - 1))
        page = self.store.contacts(status="-", offset=self.index, limit=1) if left else []
        self.current = page[0] if page else None
        bar = Text.assemble((" dailyreach ", "bold reverse"), "  ", ("Triage", "bold"), "   ",
                            (f"{len(self.done):,} done", "bold green"), " · ",
                            (f"{left:,} left", "bold"))
        pace = self.pace()
        if pace is not None:
            bar.append(f" · {pace:.1f} a minute")
        if left:
            bar.append(f"   showing {self.index + 1:,} of {left:,}", style="dim")
        self.query_one("#topbar", Static).update(bar)
        self.query_one("#triage-card", LetterTarget).update(self._card())
        self.query_one("#legend", Static).update(self.app.legend())

    def _card(self) -> Text:
        c = self.current
        if c is None:
            return Text("Every contact has a status. Nothing left to triage.\n\n"
                        "Esc goes back to the queue.", style="bold green")
        out = Text()
        out.append_text(safe(c["name"] or "(no name)", "bold"))
        out.append("\n")
        line = " · ".join(v for v in (c["title"], c["company"]) if v)
        if line:
            out.append_text(safe(line))
            out.append("\n")
        out.append("\nImported as  ", style="dim")
        out.append_text(safe(repr(c["status_raw"]) if c["status_raw"] else "(blank)", "yellow"))
        for label, value in (("Status 2", c["status2"]), ("Owner", c["owner"])):
            if value:
                out.append(f"\n{label:<13}", style="dim")
                out.append_text(safe(value))
        for phone in c["phones"]:
            out.append(f"\n☎ {phone.get('type', 'phone'):<10} ", style="dim")
            out.append_text(safe(phone["value"]))
        for email in c["emails"]:
            out.append("\n✉ ", style="dim")
            out.append_text(safe(email["value"]))
        history = self.store.history(c["id"])
        results = next((h for h in history
                        if h["note"] and h["kind"] in ("call", "email", "meeting", "note")), None)
        out.append("\n\nLast results  ", style="dim")
        if results:
            out.append(results["at"][:10] + "  ", style="dim")
            out.append_text(safe(results["note"], "italic", multiline=True))
        else:
            out.append("—")
        if history:
            out.append("\n\nRecent history\n", style="bold")
            for h in history[:6]:
                out.append("  ")
                out.append_text(history_line(h))
                out.append("\n")
        if c["notes"]:
            out.append("\nNotes\n", style="bold")
            out.append_text(safe(c["notes"], multiline=True))
        out.append("\n\nA letter classifies and moves on · Shift+letter status 2 · "
                   "→ skip · ← back · Ctrl+Z undo", style="dim italic")
        return out

    # ------------------------------------------------------------ keys
    def _letter(self, letter: str) -> None:
        c = self.current
        if c is None:
            self.app.bell()
            return
        if letter.isupper():
            self.app.reclassify([c["id"]], letter, c["name"])
            return

        def classified() -> None:
            if self.started is None:
                self.started = time.monotonic()
            self.done.append(c["id"])

        self.app.reclassify([c["id"]], letter, c["name"], done=classified)

    def after_undo(self, contact_ids: list[int]) -> None:
        """Undo goes back: the contact it made unclassified again is shown."""
        for cid in contact_ids:
            if cid in self.done:
                self.done.remove(cid)
        for cid in reversed(contact_ids):
            index = self.store.contact_index(cid, status="-")
            if index is not None:
                self.index = index
                break
        self.reload()

    def action_step(self, delta: int) -> None:
        self.index += delta
        self.reload()

    def action_open(self) -> None:
        if self.current is not None:
            self.app.open_contact(self.current["id"])

    def action_back(self) -> None:
        self.app.action_show_queue()

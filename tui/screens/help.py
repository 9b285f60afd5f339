"""The whole keymap and the status letters."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import KEYMAP_ROWS
from ..safe import safe


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

"""The whole keymap and the status letters."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..keys import KEYMAP_ROWS, key_labels
from ..safe import fit, safe


class HelpScreen(Screen):
    """A full screen rather than a modal, so F2, F3 and the other app keys
    keep working while it is open."""

    BINDINGS = [("escape,f1,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        overrides = getattr(self.app, "keymap_overrides", {})
        out = Text()
        out.append("Keys\n", style="bold")
        for binding_id, keys, what, where in KEYMAP_ROWS:
            if binding_id in overrides:
                keys = key_labels(overrides[binding_id])
            out.append(f"  {fit(keys, 24)}", style="bold")
            out.append(fit(what, 46))
            out.append(f" {where}\n", style="dim")
        out.append("\nStatus letters\n", style="bold")
        names = [s.name for s in self.app.store.statuses()]
        width = min(max(map(len, names), default=8) + 2, 28)
        for s in self.app.store.statuses():
            out.append(f"  {s.key.lower()}  ", style="bold")
            out.append_text(safe(fit(s.name, width)))
            cadence = []
            if s.call_days:
                cadence.append(f"call every {s.call_days} d")
            if s.email_days:
                cadence.append(f"e-mail every {s.email_days} d")
            out.append(f"{', '.join(cadence) or 'no contact plan'}\n", style="dim")
        out.append("\nEsc closes this help.", style="italic")
        with VerticalScroll(id="help"):
            yield Static(out)
        yield Footer()

    def action_dismiss(self) -> None:
        self.app.pop_screen()

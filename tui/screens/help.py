"""The whole keymap and the status letters."""

from __future__ import annotations

import textwrap

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from store.text import clean

from ..keys import KEYMAP_ROWS, key_labels
from ..safe import fit, safe


class HelpScreen(Screen):
    """A full screen rather than a modal, so F2, F3 and the other app keys
    keep working while it is open."""

    BINDINGS = [("escape,f1,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(id="help-text")
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    def on_resize(self, event) -> None:
        self._show()

    def _show(self) -> None:
        box = self.query_one("#help", VerticalScroll)
        # the box is 96 wide, or the terminal's width when it is narrower:
        # borders, padding and a scroll bar take 8 of it
        width = max(min(96, self.size.width or 96) - 8, 40)
        self.query_one("#help-text", Static).update(self._text(width))
        box.refresh(layout=True)

    def _text(self, width: int) -> Text:
        """Every key, under the screen it works on, in two columns that fit
        ``width``; a description too long for its column goes on under
        itself rather than being cut."""
        overrides = getattr(self.app, "keymap_overrides", {})
        groups: dict[str, list[tuple[str, str]]] = {}
        for binding_id, keys, what, where in KEYMAP_ROWS:
            if binding_id in overrides:
                keys = key_labels(overrides[binding_id])
            groups.setdefault(where, []).append((keys, what))
        keys_w = min(max(cell_len(k) for rows in groups.values() for k, _ in rows) + 2, 26)
        what_w = max(width - 4 - keys_w, 20)
        out = Text(no_wrap=True, overflow="crop")
        out.append("Keys", style="bold")
        for where, rows in groups.items():
            out.append(f"\n  {where[0].upper()}{where[1:]}\n", style="bold underline")
            for keys, what in rows:
                lines = textwrap.wrap(clean(what), what_w) or [""]
                out.append(f"    {fit(keys, keys_w)}", style="bold")
                out.append(lines[0] + "\n")
                for more in lines[1:]:
                    out.append(" " * (4 + keys_w) + more + "\n")
        out.append("\nStatus letters\n", style="bold")
        names = [s.name for s in self.app.store.statuses()]
        name_w = min(max(map(len, names), default=8) + 2, 28)
        for s in self.app.store.statuses():
            out.append(f"  {s.key.lower()}  ", style="bold")
            out.append_text(safe(fit(s.name, name_w)))
            cadence = []
            if s.call_days:
                cadence.append(f"call every {s.call_days} d")
            if s.email_days:
                cadence.append(f"e-mail every {s.email_days} d")
            out.append(f"{', '.join(cadence) or 'no contact plan'}\n", style="dim")
        out.append("\nEsc closes this help.", style="italic")
        return out

    def action_dismiss(self) -> None:
        self.app.pop_screen()

"""Small pop-ups over the queue: an outcome with a note, and a snooze."""

from __future__ import annotations

import re
from datetime import date, timedelta

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from store import QueueItem
from store.plan import MAX_SNOOZE_DAYS, OUTCOME_LABELS

from ..keys import OUTCOME_KEYS
from ..safe import safe


class _Prompt(Static, can_focus=True):
    """Holds focus while a pop-up waits for a single key."""


class NoteScreen(ModalScreen[tuple[str, str] | None]):
    """Step one: the outcome key (Enter, 1, 2, 3).  Step two: the note,
    Enter to record both.  Esc cancels at either step."""

    DEFAULT_CSS = """
    NoteScreen { align: center middle; }
    #note-box { width: 72; height: auto; border: round $accent; padding: 1 2; background: $surface; }
    #note-input { display: none; }
    """

    def __init__(self, item: QueueItem) -> None:
        super().__init__()
        self.item = item
        self.outcome: str | None = None

    def _choices(self) -> dict[str, str]:
        first = "reached" if self.item.kind == "call" else "sent"
        keys = {"enter": first}
        for number, outcomes in OUTCOME_KEYS.items():
            if outcomes[self.item.kind]:
                keys[str(number)] = outcomes[self.item.kind]
        return keys

    def compose(self) -> ComposeResult:
        kind = "Call to " if self.item.kind == "call" else "E-mail to "
        title = Text(kind, style="bold")
        title.append_text(safe(self.item.name, "bold"))
        choices = Text("\nWhat happened?  ")
        for key, outcome in self._choices().items():
            choices.append(f" {'Enter' if key == 'enter' else key} ", style="bold reverse")
            choices.append(f" {OUTCOME_LABELS[outcome]}  ")
        choices.append("\nEsc cancels.", style="dim")
        with Vertical(id="note-box"):
            yield _Prompt(title + choices, id="note-title")
            yield Input(placeholder="Note (Enter records it, Esc cancels)", id="note-input",
                        disabled=True)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#note-title", _Prompt))

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            event.stop()
            self.dismiss(None)
            return
        if self.outcome is not None:
            return  # typing the note
        choice = self._choices().get(event.key)
        if choice is None:
            if event.character and event.character.isprintable():
                self.app.bell()
            event.stop()
            return
        event.stop()
        event.prevent_default()
        self.outcome = choice
        box = self.query_one("#note-input", Input)
        box.disabled = False
        box.display = True
        box.placeholder = f"Note for “{OUTCOME_LABELS[choice]}” (Enter records it, Esc cancels)"
        self.set_focus(box)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.outcome is not None:
            self.dismiss((self.outcome, event.value.strip()))


_DAYS = re.compile(r"\d{1,3}")


def parse_when(text: str, today: date) -> date:
    """A number of days from today (1–365) or a date (YYYY-MM-DD) not
    before today nor more than 365 days ahead; ValueError with a message
    otherwise."""
    value = text.strip()
    if not value:
        raise ValueError("type a number of days (1, 3, 7…) or a date (YYYY-MM-DD)")
    if _DAYS.fullmatch(value):
        days = int(value)
        if not 1 <= days <= MAX_SNOOZE_DAYS:
            raise ValueError(f"{days} days: use 1 to {MAX_SNOOZE_DAYS}")
        return today + timedelta(days=days)
    try:
        when = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is neither a number of days nor a date (YYYY-MM-DD)") from None
    if when < today:
        raise ValueError(f"{when.isoformat()} is in the past")
    if (when - today).days > MAX_SNOOZE_DAYS:
        raise ValueError(f"{when.isoformat()} is more than {MAX_SNOOZE_DAYS} days away")
    return when


class SnoozeScreen(ModalScreen[date | None]):
    """Push an item: type 1, 3 or 7 (days) or a date, then Enter."""

    DEFAULT_CSS = """
    SnoozeScreen { align: center middle; }
    #snooze-box { width: 64; height: auto; border: round $accent; padding: 1 2; background: $surface; }
    #snooze-error { color: $error; height: auto; }
    """

    def __init__(self, item: QueueItem, today: date) -> None:
        super().__init__()
        self.item = item
        self.today = today

    def compose(self) -> ComposeResult:
        title = Text("Snooze ", style="bold")
        title.append_text(safe(self.item.name, "bold"))
        title.append(f"'s {'call' if self.item.kind == 'call' else 'e-mail'}\n")
        title.append("Days (1, 3, 7…) or a date (YYYY-MM-DD), then Enter.  Esc cancels.", style="dim")
        with Vertical(id="snooze-box"):
            yield Static(title)
            yield Input(placeholder="3", id="snooze-input")
            yield Static("", id="snooze-error")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#snooze-input", Input))

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            event.stop()
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            when = parse_when(event.value, self.today)
        except ValueError as exc:
            self.app.bell()
            self.query_one("#snooze-error", Static).update(Text(str(exc)))
            return
        self.dismiss(when)

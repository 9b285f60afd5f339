"""A yes/no question: Enter confirms, Esc cancels."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import CONFIRM_BINDINGS


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True on Enter, False on Esc."""

    BINDINGS = CONFIRM_BINDINGS
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 72; height: auto; border: thick $warning;
                               background: $surface; padding: 1 2; }
    """

    def __init__(self, question: Text) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="question")
            yield Static(Text("\nEnter: yes    Esc: no", style="bold"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

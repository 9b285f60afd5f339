"""The command palette (Ctrl+P), made safe against keys typed before it has
been laid out.

Textual 8.2's palette passes PageUp / PageDown straight to its option list,
which looks the highlighted option up in a table of lines it only builds
once it has a size: PageDown pressed within a frame of Ctrl+P (the list
still 0 rows high) raised ``KeyError: 0`` and stopped the app.
"""

from __future__ import annotations

from textual.command import CommandList
from textual.command import CommandPalette as TextualCommandPalette


class CommandPalette(TextualCommandPalette):
    """Textual's palette; a page move before the list has a size does nothing."""

    def _action_command_list(self, action: str) -> None:
        if action in ("page_up", "page_down"):
            command_list = self.query_one(CommandList)
            if not command_list.scrollable_content_region:  # no lines laid out yet
                return
        super()._action_command_list(action)

"""The legend of status letters (``k Key Client  s Secondary Client …``),
shown on the screens where a letter sets a status.

It is a Rich renderable that fits itself to the width it is drawn in, so
the screens only hand it to their legend bar: one line when every name
fits; else two lines (the bar grows to two rows, see ``app.tcss``), never
splitting an entry; names are shortened (``Secondary Cl…``) only when two
lines are not enough, and at the very narrowest only the letters are left.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from store.text import clean

from .safe import fit, safe

#: Longest names tried, in turn, when the full names do not fit (0: letters only).
_SHORTER = (16, 12, 10, 8, 6, 4, 0)


@dataclass(frozen=True)
class Legend:
    """(letter, status name) pairs; equal legends are equal, so a bar that is
    handed the same legend again does not repaint."""

    entries: tuple[tuple[str, str], ...]
    #: Most rows it may take when the bar's height is not fixed.
    max_rows: int = 2

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.lines(options.max_width, options.height or self.max_rows)

    def lines(self, width: int, rows: int) -> list[Text]:
        """The legend in at most ``rows`` lines of ``width`` cells."""
        for limit in (None, *_SHORTER):
            lines = _wrap([self._entry(key, name, limit) for key, name in self.entries], width)
            if len(lines) <= rows:
                return lines
        return lines[:rows]  # not even the letters fit: cut (with an ellipsis)

    @staticmethod
    def _entry(key: str, name: str, limit: int | None) -> Text:
        out = Text()
        out.append(f" {key.lower()}", style="bold reverse")
        name = clean(name)
        if limit != 0:
            if limit is not None and cell_len(name) > limit:
                name = fit(name, limit).rstrip()
            out.append(" ")
            out.append_text(safe(name, "dim"))
        out.append(" ")
        return out


def _wrap(entries: list[Text], width: int) -> list[Text]:
    """Entries packed into lines of ``width`` cells (an entry's trailing
    space may fall off the end of a line)."""
    lines: list[Text] = []
    line = Text(no_wrap=True, overflow="ellipsis")
    for entry in entries:
        if line and cell_len(line.plain + entry.plain.rstrip()) > width:
            lines.append(line)
            line = Text(no_wrap=True, overflow="ellipsis")
        line.append_text(entry)
    lines.append(line)
    for text in lines:
        text.rstrip()
        text.truncate(width, overflow="ellipsis")
    return lines

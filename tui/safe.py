"""Turning untrusted contact text into something safe to display.

Every widget that shows contact data goes through :func:`safe`: control
characters and escape sequences are removed (by :func:`store.text.clean`) and
the result is a :class:`rich.text.Text`, which Textual never parses as markup.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text

from store.text import clean


def safe(value: object, style: str | Style = "", *, multiline: bool = False) -> Text:
    return Text(clean(value, multiline=multiline), style=style, no_wrap=not multiline)


def fit(value: object, width: int) -> str:
    """Cleaned single-line text cut or padded to exactly ``width`` cells."""
    text = clean(value)
    if cell_len(text) > width:
        text = set_cell_size(text, max(width - 1, 0)) + "…"
    return set_cell_size(text, width)


def row(*cells: tuple[object, int, str]) -> Text:
    """One table row from (value, width, style) cells, separated by a space."""
    out = Text(no_wrap=True, overflow="crop")
    for index, (value, width, style) in enumerate(cells):
        if index:
            out.append(" ")
        out.append(fit(value, width), style=style)
    return out


def widths(total: int, fixed: int, weights: tuple[int, ...], minimum: int = 6) -> list[int]:
    """Share ``total`` cells, less ``fixed`` cells and one separator per
    column, between flexible columns in proportion to ``weights``."""
    spare = max(total - fixed - len(weights), minimum * len(weights))
    shares = [max(minimum, spare * w // sum(weights)) for w in weights]
    return shares


def brief(name: object, width: int = 40) -> str:
    """A name for a one-line message: cleaned, and cut with "…" past
    ``width`` cells, so that what happened to it still shows after it."""
    text = " ".join(clean(name).split())
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1) + "…"

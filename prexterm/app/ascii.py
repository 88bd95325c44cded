"""The player's own chrome in plain ASCII, for `--ascii` and terminals without UTF-8.

Deck text is shown as written; what prexterm itself draws around it (borders, scroll
bars, marks, messages) must then use nothing but ASCII, or such a terminal shows
question marks. Textual draws its borders and scroll bars from Unicode boxes, so each
is swapped here for an ASCII one, keeping the colour the theme gave it.
"""

from __future__ import annotations

from typing import ClassVar

from textual.scrollbar import ScrollBarRender
from textual.widget import Widget

_PLAIN = str.maketrans(
    {
        "…": "...",
        "×": "x",
        "—": "-",
        "–": "-",
        "·": "-",
        "•": "*",
        "◦": "-",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "▲": "^",
        "▼": "v",
        "→": "->",
        "←": "<-",
        "▣": "#",
        "━": "=",
        "─": "-",
    }
)


def ascii_text(text: str) -> str:
    """`text` with the marks prexterm's messages use spelt in ASCII ("…" becomes "...")."""
    return text.translate(_PLAIN)


class AsciiScrollBarRender(ScrollBarRender):
    """A scroll bar whose thumb is whole coloured cells, without the block characters
    Textual draws its ends with."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8


_ASCII_KINDS = frozenset({"", "none", "hidden", "blank", "ascii"})


def ascii_borders(root: Widget) -> None:
    """Draw every border under `root` (itself included) with `+`, `-` and `|`.

    Each edge keeps the colour its style gives it now; only the kind of line changes,
    set inline so that no later rule brings the Unicode one back. Scroll bars of
    scrollable widgets get ASCII thumbs.
    """
    for widget in (root, *root.query("*")):
        styles = widget.styles
        for edge in ("border_top", "border_right", "border_bottom", "border_left"):
            kind, colour = getattr(styles, edge)
            if kind not in _ASCII_KINDS:
                setattr(styles, edge, ("ascii", colour))
        if widget.is_scrollable:
            widget.vertical_scrollbar.renderer = AsciiScrollBarRender
            widget.horizontal_scrollbar.renderer = AsciiScrollBarRender


ASCII_CSS = """
Toast.-information { border-left: ascii $success; }
Toast.-warning { border-left: ascii $warning; }
Toast.-error { border-left: ascii $error; }
#body.wide #presenter { border-left: ascii $accent; }
#body #presenter { border-top: ascii $accent; }
"""
"""Borders that come and go with a widget's class (notifications, the presenter pane
beside or below the slide) are given in CSS, in the same colours as the rules they
outdo, which name the same variables."""

"""The player's own chrome in plain ASCII, for `--ascii` and terminals without UTF-8.

Deck text is shown as written; what prexterm itself draws around it (borders, scroll
bars, marks, messages) must then use nothing but ASCII, or such a terminal shows
question marks. Textual draws its borders and scroll bars from Unicode boxes, so each
is swapped here for an ASCII one, keeping the colour the theme gave it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Span, Text
from textual.app import App
from textual.scrollbar import ScrollBar, ScrollBarRender
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


def ascii_rich(text: Text) -> Text:
    """`text` as `ascii_text` spells it, each piece keeping its style."""
    plain = text.plain
    if plain.isascii():
        return text
    cuts = sorted({i + step for i, c in enumerate(plain) if not c.isascii() for step in (0, 1)})
    result = text.blank_copy()
    for piece in text.divide(cuts):
        if piece.plain.isascii():
            result.append_text(piece)
        else:
            spelt = ascii_text(piece.plain)
            spans = [Span(0, len(spelt), span.style) for span in piece.spans]
            result.append_text(Text(spelt, style=piece.style, spans=spans))
    return result


def wants_ascii(widget: Widget) -> bool:
    """Whether the player `widget` belongs to draws its chrome in ASCII only (a widget
    outside any running player, as in a unit test, draws as usual)."""
    try:
        app = widget.app
    except RuntimeError:  # Textual's "no active app"
        return False
    return bool(getattr(app, "ascii_only", False))


class AsciiScrollBarRender(ScrollBarRender):
    """A scroll bar whose thumb is whole coloured cells, without the block characters
    Textual draws its ends with."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8


_ASCII_KINDS = frozenset({"", "none", "hidden", "blank", "ascii"})


def ascii_borders(root: Widget) -> None:
    """Draw every border under `root` (itself included) with `+`, `-` and `|`.

    Each edge keeps the colour its style gives it now; only the kind of line changes,
    set inline so that no later rule brings the Unicode one back. For widgets whose
    borders do not change while they show (overlays, the slide, the search line): the
    presenter pane's move from beside the slide to below it is in `ASCII_CSS`.
    """
    for widget in (root, *root.query("*")):
        styles = widget.styles
        for edge in ("border_top", "border_right", "border_bottom", "border_left"):
            kind, colour = getattr(styles, edge)
            if kind not in _ASCII_KINDS:
                setattr(styles, edge, ("ascii", colour))
                widget.refresh(layout=True)


ASCII_CSS = """
Toast.-information { border-left: ascii $success; }
Toast.-warning { border-left: ascii $warning; }
Toast.-error { border-left: ascii $error; }
#body.wide #presenter { border-left: ascii $accent; }
#body #presenter { border-top: ascii $accent; }
#editor { border: ascii $border-blurred; }
#editor:focus { border: ascii $border; }
"""
"""Borders that come and go with a widget's class or focus (notifications, the
presenter pane beside or below the slide, the code editor) are given in CSS, in the
same colours as the rules they outdo, which name the same variables."""


ASCII_TIE_BREAKER = 3
"""Above the theme's and the deck's stylesheets, whose rules `ASCII_CSS` outdoes."""


def use_ascii_chrome(app: App[Any], ascii_only: bool) -> None:
    """Set up `app`, before it runs, to draw its own chrome in ASCII (or not).

    Scroll bars are drawn by one renderer for the whole process, which is what a
    player is; setting it each time keeps one player's choice from the next.
    """
    ScrollBar.renderer = AsciiScrollBarRender if ascii_only else ScrollBarRender
    if ascii_only:
        app.stylesheet.add_source(
            ASCII_CSS,
            read_from=(__file__, "ASCII_CSS"),
            is_default_css=False,
            tie_breaker=ASCII_TIE_BREAKER,
        )

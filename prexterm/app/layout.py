"""The rows and columns the player's frame leaves a slide, in one place.

The player lays its frame out with `prexterm.tcss`; `prexterm check --size` works out
the same slide area without starting it (a test ties these numbers to the stylesheet).
This module imports nothing, so the checker can use it without Textual.
"""

from __future__ import annotations

HEADER_ROWS = 1
"""The `!header` line, shown only on a slide that has one."""
PROGRESS_ROWS = 1
FOOTER_ROWS = 1
"""The status line and `FOOTER | N/M` share this row."""
MORE_ROWS = 1
"""The "more below" mark, shown under a slide taller than its area."""
FRAME_ROWS = HEADER_ROWS + PROGRESS_ROWS + FOOTER_ROWS
"""Rows of the audience's frame around the slide: header, progress line and footer."""

MAX_TEXT_WIDTH = 100
"""Text wider than this is hard to read from the back of a room: wider terminals get margins."""
MARGIN_COLUMNS = 4
"""Columns kept free beside the text (two each side) once the area is wider than 8."""

MIN_WIDTH = 20
MIN_HEIGHT = 6
"""Below this size the player shows "terminal too small" instead of the slide."""


def slide_rows(terminal_rows: int, *, header: bool) -> int:
    """Rows of the slide area in the audience's view of a terminal `terminal_rows` high."""
    frame = PROGRESS_ROWS + FOOTER_ROWS + (HEADER_ROWS if header else 0)
    return max(0, terminal_rows - frame)


def text_width(area_width: int) -> int:
    """How wide a slide's text is laid out in an area `area_width` columns wide."""
    if area_width > 8:
        return max(1, min(area_width - MARGIN_COLUMNS, MAX_TEXT_WIDTH))
    return max(1, area_width)


def code_window_rows(area_rows: int) -> int:
    """Lines of code a `!code` panel shows at once; longer code scrolls inside it."""
    return max(5, area_rows - 8)


def picture_rows(area_rows: int) -> int:
    """Rows of a picture in running text: about a third of the slide's height."""
    return max(3, area_rows // 3)

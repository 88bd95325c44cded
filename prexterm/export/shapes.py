"""A page as filled boxes and pieces of text: what the PDF and SVG writers draw.

Backgrounds become boxes, and so do the block characters pictures are drawn with (an
upper half block is the top half of a cell in one colour over the bottom in another):
drawn as shapes they fill their cells exactly, whatever the font, so a picture has no
seams. Everything else is text, one piece per run, placed at its own column.
"""

from __future__ import annotations

from typing import NamedTuple

from prexterm.export.pages import Look, Page

FULL, TOP, BOTTOM = 0, 1, 2
_BLOCKS = {"█": FULL, "▀": TOP, "▄": BOTTOM}


class Box(NamedTuple):
    """A filled rectangle of `width` cells at (`column`, `row`); `half` picks a half."""

    column: int
    row: int
    width: int
    colour: str
    half: int = FULL


class Piece(NamedTuple):
    """Text in one look at (`column`, `row`), `width` cells wide: one cell per character,
    or one wide character in two (`wide`)."""

    column: int
    row: int
    text: str
    look: Look
    width: int
    wide: bool = False


def _add_box(boxes: list[Box], box: Box) -> None:
    """Append `box`, widening the one before instead when it continues it."""
    if boxes:
        last = boxes[-1]
        if (
            last.row == box.row
            and last.half == box.half
            and last.colour == box.colour
            and last.column + last.width == box.column
        ):
            boxes[-1] = last._replace(width=last.width + box.width)
            return
    boxes.append(box)


def _add_text(pieces: list[Piece], column: int, row: int, text: str, look: Look) -> None:
    stripped = text.lstrip(" ")
    column += len(text) - len(stripped)
    if not look.underline and not look.strike:
        stripped = stripped.rstrip(" ")
    if stripped:
        pieces.append(Piece(column, row, stripped, look, len(stripped)))


def shapes(page: Page) -> tuple[list[Box], list[Piece]]:
    """The boxes (drawn first) and the text pieces of `page`."""
    boxes: list[Box] = []
    pieces: list[Piece] = []
    ground = page.background.bg
    for y, row in enumerate(page.rows):
        fills: list[Box] = []
        marks: list[Box] = []
        for run in row:
            look = run.look
            if look.bg != ground:
                _add_box(fills, Box(run.column, y, run.width, look.bg))
            if run.width != len(run.text):
                # A wide character, or letters with combining marks: whole, in its cells.
                pieces.append(Piece(run.column, y, run.text, look, run.width, run.wide))
                continue
            if not any(c in _BLOCKS for c in run.text):
                _add_text(pieces, run.column, y, run.text, look)
                continue
            start = 0
            for x, char in enumerate(run.text):
                half = _BLOCKS.get(char)
                if half is None:
                    continue
                _add_text(pieces, run.column + start, y, run.text[start:x], look)
                start = x + 1
                _add_box(marks, Box(run.column + x, y, 1, look.fg, half))
            _add_text(pieces, run.column + start, y, run.text[start:], look)
        boxes += fills
        boxes += marks
    return boxes, pieces

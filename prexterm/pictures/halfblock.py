"""Pictures drawn with text cells: two pixels per cell with the upper half block.

A terminal cell is about twice as tall as it is wide, so a cell can show two square
pixels stacked: "▀" in the colour of the top pixel, over a background in the colour
of the bottom one. This works in every terminal with colour; in one with 256 or 16
colours each cell is rounded to a colour it has (`set_colour_depth`), and `emitted`
tells which colour that is, so contrast is measured on what is really shown.
Without colour (mono or ASCII-only output) there is no picture at all: the callers
show their placeholder.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.color import Color, ColorSystem
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from prexterm.pictures.decode import RGB, fit_size, scale_to_fit

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "UPPER_HALF",
    "Cell",
    "HalfBlockPicture",
    "cells_of",
    "colour_depth",
    "emitted",
    "halfblock",
    "overlay_text",
    "picture_cells",
    "set_colour_depth",
]

UPPER_HALF = "\N{UPPER HALF BLOCK}"

Cell = tuple[str, "RGB | None", "RGB | None", bool]
"""One cell: its character, foreground, background (None: the terminal's) and boldness.

A wide character takes its own cell and is followed by a cell whose character is "".
"""


def picture_cells(size: tuple[int, int], width: int, height: int) -> tuple[int, int]:
    """How many cells (columns, rows) a picture of `size` pixels takes in the area.

    Each cell is one pixel wide and two pixels tall, so the picture is fitted into
    `width` x `2 * height` pixels.
    """
    pixels_wide, pixels_high = fit_size(size, (max(1, width), 2 * max(1, height)))
    return pixels_wide, (pixels_high + 1) // 2


def cells_of(
    image: Image.Image, width: int, height: int, *, background: RGB | None = None
) -> list[list[Cell]]:
    """The cells of `image` fitted and centred in `width` x `height` cells.

    Cells outside the picture are blank in `background` (None leaves the terminal's
    own background). When the picture has an odd number of pixel rows, the bottom
    half of its last cell row shows `background` too.
    """
    width, height = max(0, width), max(0, height)
    blank: Cell = (" ", None, background, False)
    grid = [[blank] * width for _ in range(height)]
    if not width or not height:
        return grid
    fitted = scale_to_fit(
        image if image.mode == "RGB" else image.convert("RGB"), (width, 2 * height)
    )
    pixels_wide, pixels_high = fitted.size
    rows = (pixels_high + 1) // 2
    left = (width - pixels_wide) // 2
    top = (height - rows) // 2
    data = fitted.tobytes()
    stride = 3 * pixels_wide
    for row in range(rows):
        upper = 2 * row * stride
        lower = upper + stride if 2 * row + 1 < pixels_high else -1
        line = grid[top + row]
        for column in range(pixels_wide):
            at = upper + 3 * column
            fg: RGB = (data[at], data[at + 1], data[at + 2])
            bg: RGB | None = background
            if lower >= 0:
                at = lower + 3 * column
                bg = (data[at], data[at + 1], data[at + 2])
            line[left + column] = (UPPER_HALF, fg, bg, False)
    return grid


def overlay_text(
    grid: list[list[Cell]],
    lines: Sequence[str],
    text: RGB | None,
    *,
    top: int,
    bold: bool = True,
) -> None:
    """Write `lines` centred into `grid` from row `top`, in colour `text`.

    A letter replaces the half block of its cell, so its background becomes the
    cell's top pixel colour (a colour of the picture, which is what the contrast of
    the text was checked against). Lines that do not fit are cut.

    With `text` None each line stands on a band of the slide's own colours (the
    theme's foreground on its background), one blank cell wider on each side: in 16
    colours the palette is the user's, so no contrast with the picture can be known,
    while the theme's own text is as readable as everywhere else on the screen.
    """
    width = len(grid[0]) if grid else 0
    for offset, line in enumerate(lines):
        row = top + offset
        if not 0 <= row < len(grid):
            continue
        cells = grid[row]
        column = max(0, (width - cell_len(line)) // 2)
        if text is None:
            for edge in (column - 1, column + cell_len(line)):
                if 0 <= edge < width:
                    cells[edge] = (" ", None, None, False)
        for character in line:
            size = cell_len(character)
            if size == 0:
                continue
            if column + size > width:
                break
            behind = _behind(cells[column]) if text is not None else None
            cells[column] = (character, text, behind, bold)
            if size == 2:
                cells[column + 1] = ("", text, behind, bold)
            column += size


def _behind(cell: Cell) -> RGB | None:
    character, fg, bg, _ = cell
    return fg if character == UPPER_HALF else bg


_depth: ColorSystem | None = None
_stand_ins: dict[int | None, RGB] = {}
"""Per colour number of this depth, the first colour seen that is rounded to it."""


def set_colour_depth(depth: str | None) -> None:
    """Draw pictures in the colours the terminal has: "256", "standard" or truecolor.

    The terminal would round every cell's colour anyway; rounding first lets runs of
    neighbouring cells that end up alike merge into one span, so a photo frame is a
    fraction of the bytes and of the work to draw.
    """
    global _depth
    _depth = {"256": ColorSystem.EIGHT_BIT, "standard": ColorSystem.STANDARD}.get(depth or "")
    _stand_ins.clear()
    _rounded.cache_clear()
    emitted.cache_clear()


def colour_depth() -> str:
    """The depth pictures are drawn in: "truecolor", "256" or "standard" (16 colours)."""
    if _depth is ColorSystem.EIGHT_BIT:
        return "256"
    return "standard" if _depth is ColorSystem.STANDARD else "truecolor"


@lru_cache(maxsize=65536)
def _rounded(rgb: RGB) -> RGB:
    """A colour the terminal is sent as the same colour number as `rgb`.

    Every colour rounded to one number gets the same stand-in, so runs of them merge.
    The stand-in is one of those colours, not the number's palette value: rounded
    again on the way out it gives that very number (a palette value need not; 16
    colours' grey 128 comes back as light grey).
    """
    if _depth is None:
        return rgb
    number = Color.from_rgb(*rgb).downgrade(_depth).number
    return _stand_ins.setdefault(number, rgb)


@lru_cache(maxsize=65536)
def emitted(rgb: RGB) -> RGB:
    """The colour a terminal shows for `rgb` at this depth, for measuring contrast.

    In truecolor that is `rgb`; in 256 colours xterm's value of the number it is
    rounded to. In 16 colours the palette is the user's and this is only a guess.
    """
    if _depth is None:
        return rgb
    triplet = Color.from_rgb(*rgb).downgrade(_depth).get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def _segments(grid: Iterable[list[Cell]]) -> list[list[Segment]]:
    """Rows of cells as rows of Segments, one Segment per run of equal style."""
    styles: dict[tuple[RGB | None, RGB | None, bool], Style] = {}

    def style_of(key: tuple[RGB | None, RGB | None, bool]) -> Style:
        style = styles.get(key)
        if style is None:
            fg, bg, bold = key
            style = Style(
                color=Color.from_rgb(*fg) if fg is not None else None,
                bgcolor=Color.from_rgb(*bg) if bg is not None else None,
                bold=bold or None,
            )
            styles[key] = style
        return style

    result: list[list[Segment]] = []
    for cells in grid:
        line: list[Segment] = []
        run: list[str] = []
        current: tuple[RGB | None, RGB | None, bool] | None = None
        for character, fg, bg, bold in cells:
            if _depth is not None:
                fg = _rounded(fg) if fg is not None else None
                bg = _rounded(bg) if bg is not None else None
            key = (fg if character != " " else None, bg, bold)
            if key != current:
                if run and current is not None:
                    line.append(Segment("".join(run), style_of(current)))
                run = []
                current = key
            run.append(character)
        if run and current is not None:
            line.append(Segment("".join(run), style_of(current)))
        result.append(line)
    return result


class HalfBlockPicture:
    """A picture as a Rich renderable of exactly `width` x `height` cells.

    The Segments are built once, when the picture is made, so drawing it again (a
    resize of something else, a redraw) costs nothing.
    """

    def __init__(self, grid: list[list[Cell]], width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.lines = _segments(grid)

    @classmethod
    def from_image(
        cls, image: Image.Image, width: int, height: int, *, background: RGB | None = None
    ) -> HalfBlockPicture:
        """`image` fitted and centred in `width` x `height` cells (see `cells_of`)."""
        return cls(cells_of(image, width, height, background=background), width, height)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines:
            yield from line
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)


def halfblock(
    image: Image.Image,
    width: int,
    height: int,
    *,
    background: RGB | None = None,
    mono: bool = False,
) -> HalfBlockPicture | None:
    """`image` drawn in half blocks into exactly `width` x `height` cells.

    Returns None in `mono` mode (no colours, or ASCII only): a picture made of one
    colour of blocks is worse than the placeholder that names the file.
    """
    if mono:
        return None
    return HalfBlockPicture.from_image(image, width, height, background=background)

"""Helpers for the picture tests: pictures made on the spot, and cells read back."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console, RenderableType
from rich.segment import Segment

RGB = tuple[int, int, int]
CellInfo = tuple[str, RGB | None, RGB | None]


def console(width: int = 80) -> Console:
    return Console(
        width=width,
        color_system="truecolor",
        force_terminal=True,
        legacy_windows=False,
        file=io.StringIO(),
    )


def lines_of(
    renderable: RenderableType, width: int, height: int | None = None
) -> list[list[Segment]]:
    """The renderable drawn `width` wide (and `height` tall when given), unpadded."""
    out = console(width)
    options = out.options.update(width=width, height=height)
    return out.render_lines(renderable, options, pad=False)


def cells(line: list[Segment]) -> list[CellInfo]:
    """One (character, fg, bg) per cell of a line; colours as RGB triplets."""
    result: list[CellInfo] = []
    for segment in line:
        style = segment.style
        fg = style.color.get_truecolor() if style and style.color else None
        bg = style.bgcolor.get_truecolor() if style and style.bgcolor else None
        for character in segment.text:
            result.append((character, _rgb(fg), _rgb(bg)))
    return result


def _rgb(colour: tuple[int, int, int] | None) -> RGB | None:
    return (colour[0], colour[1], colour[2]) if colour is not None else None


def grid(renderable: RenderableType, width: int, height: int | None = None) -> list[list[CellInfo]]:
    return [cells(line) for line in lines_of(renderable, width, height)]


def save(path: Path, image: object, **options: object) -> Path:
    image.save(path, **options)  # type: ignore[attr-defined]
    return path

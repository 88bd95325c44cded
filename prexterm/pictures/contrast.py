"""Keeping text readable over a picture: WCAG contrast, dimming and a text colour.

A slide with a background picture and text must stay readable from the back of the
room. WCAG AA asks for a contrast of 4.5:1 between text and what is behind it; here
that is checked against every colour the picture shows, and the picture is darkened
(blended towards black) only as much as needed for a light text colour to reach it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from prexterm.pictures.decode import RGB

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "AA_CONTRAST",
    "Emitted",
    "Readable",
    "contrast_ratio",
    "dim_rgb",
    "dimmed",
    "readable_over",
    "readable_text",
    "relative_luminance",
]

AA_CONTRAST = 4.5
"""WCAG 2 level AA for normal text."""

WHITE: RGB = (255, 255, 255)
BLACK: RGB = (0, 0, 0)

_DIM_STEP = 0.05


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


_LINEAR = tuple(_linear(channel) for channel in range(256))


def relative_luminance(rgb: RGB) -> float:
    """WCAG relative luminance of an sRGB colour: 0.0 for black to 1.0 for white."""
    red, green, blue = rgb
    return 0.2126 * _LINEAR[red] + 0.7152 * _LINEAR[green] + 0.0722 * _LINEAR[blue]


def contrast_ratio(first: RGB, second: RGB) -> float:
    """WCAG contrast ratio of two colours, from 1.0 (same) to 21.0 (black on white)."""
    return _ratio(relative_luminance(first), relative_luminance(second))


def _ratio(first: float, second: float) -> float:
    lighter, darker = (first, second) if first >= second else (second, first)
    return (lighter + 0.05) / (darker + 0.05)


@lru_cache(maxsize=64)
def _dim_table(factor: float) -> tuple[int, ...]:
    """Channel value -> value blended towards black by `factor` (one table for both paths)."""
    keep = 1.0 - min(1.0, max(0.0, factor))
    return tuple(round(channel * keep) for channel in range(256))


def dim_rgb(rgb: RGB, factor: float) -> RGB:
    """A colour blended towards black by `factor` (0 keeps it, 1 gives black)."""
    table = _dim_table(factor)
    return (table[rgb[0]], table[rgb[1]], table[rgb[2]])


def dimmed(image: Image.Image, factor: float = 0.7) -> Image.Image:
    """An RGB picture blended towards black by `factor`, exactly as `dim_rgb` does."""
    if factor <= 0:
        return image
    table = _dim_table(factor)
    return image.point(list(table) * len(image.getbands()))


class Readable(NamedTuple):
    """A text colour and how much to dim the picture behind it.

    `contrast` is the lowest contrast of the text against any colour of the dimmed
    picture, so it is at least the minimum asked for whenever that could be reached.
    """

    text: RGB
    dim: float
    contrast: float


Emitted = Callable[[RGB], RGB]
"""The colour a terminal really shows for a colour it is sent (see `halfblock.emitted`)."""


def readable_text(
    colours: Iterable[RGB],
    candidates: Sequence[RGB] = (WHITE, BLACK),
    minimum: float = AA_CONTRAST,
    emitted: Emitted | None = None,
) -> Readable:
    """The text colour (and the least dimming) that reads against every one of `colours`.

    A candidate that already reaches `minimum` without dimming wins, the one with the
    best worst-case contrast first: a photo is best left as it is. Otherwise a light
    candidate is chosen with the smallest dimming (in steps of 5%) that makes it
    reach `minimum`. Dimming only helps light text, so dark candidates are never
    dimmed. Without any light candidate, white over a black picture is the answer.

    With `emitted` (a terminal with 256 colours) every colour, the text's and the
    dimmed picture's, is measured as the terminal will show it: rounding each cell
    on its own can take a colour closer to the text than the one chosen from.
    """
    unique = set(colours) or {BLACK}
    shown = {emitted(colour) for colour in unique} if emitted else unique
    luminances = {relative_luminance(colour) for colour in shown}
    best: Readable | None = None
    for text in candidates:
        text_luminance = relative_luminance(emitted(text) if emitted else text)
        worst = min(_ratio(text_luminance, value) for value in luminances)
        if worst >= minimum and (best is None or worst > best.contrast):
            best = Readable(text, 0.0, worst)
    if best is not None:
        return best
    return _dim_for(unique, candidates, minimum, emitted)


def _dim_for(
    colours: set[RGB], candidates: Sequence[RGB], minimum: float, emitted: Emitted | None
) -> Readable:
    # Brightest colours first: for light text they are the ones that fail, so a
    # dimming that is not enough is rejected after a few colours.
    ordered = sorted(colours, key=relative_luminance, reverse=True)
    best: Readable | None = None
    for text in candidates:
        text_luminance = relative_luminance(emitted(text) if emitted else text)
        if _ratio(text_luminance, 0.0) < minimum:
            continue  # even black behind it would not do: dimming cannot help
        steps = round(1 / _DIM_STEP)
        for step in range(1, steps + 1):
            factor = round(step * _DIM_STEP, 4)
            if emitted is None:
                worst = _worst(text_luminance, ordered, factor, minimum)
            else:
                worst = _worst_shown(text_luminance, ordered, factor, minimum, emitted)
            if worst >= minimum:
                if best is None or (factor, -worst) < (best.dim, -best.contrast):
                    best = Readable(text, factor, worst)
                break
    if best is None:
        best = Readable(WHITE, 1.0, 21.0)
    return best


def _worst(text_luminance: float, ordered: list[RGB], factor: float, minimum: float) -> float:
    """Lowest contrast of the text against the colours dimmed by `factor`, or the first
    value below `minimum` (the caller only needs to know that it failed)."""
    table = _dim_table(factor)
    worst = 21.0
    for red, green, blue in ordered:
        value = 0.2126 * _LINEAR[table[red]] + 0.7152 * _LINEAR[table[green]]
        value += 0.0722 * _LINEAR[table[blue]]
        ratio = _ratio(text_luminance, value)
        if ratio < worst:
            worst = ratio
            if worst < minimum:
                return worst
    return worst


def _worst_shown(
    text_luminance: float, ordered: list[RGB], factor: float, minimum: float, emitted: Emitted
) -> float:
    """`_worst` for colours measured as the terminal shows them once dimmed."""
    worst = 21.0
    for colour in ordered:
        ratio = _ratio(text_luminance, relative_luminance(emitted(dim_rgb(colour, factor))))
        if ratio < worst:
            worst = ratio
            if worst < minimum:
                return worst
    return worst


def readable_over(
    image: Image.Image,
    candidates: Sequence[RGB] = (WHITE, BLACK),
    minimum: float = AA_CONTRAST,
    extra: Iterable[RGB] = (),
    emitted: Emitted | None = None,
) -> tuple[Image.Image, Readable]:
    """The picture dimmed as needed and the text colour to write over it.

    Every pixel colour of `image` counts (it should already be scaled to the cells it
    fills, so this is a few thousand colours), plus `extra`, such as the padding
    colour around it. `emitted`: see `readable_text`.
    """
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    counted = rgb.getcolors(maxcolors=rgb.width * rgb.height) or []
    colours: set[RGB] = {_as_rgb(colour) for _, colour in counted}
    colours.update(extra)
    choice = readable_text(colours, candidates, minimum, emitted)
    return dimmed(rgb, choice.dim), choice


def _as_rgb(colour: object) -> RGB:
    if isinstance(colour, tuple) and len(colour) >= 3:
        return (int(colour[0]), int(colour[1]), int(colour[2]))
    value = int(colour) if isinstance(colour, int | float) else 0
    return (value, value, value)

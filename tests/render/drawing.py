"""Drawing renderables the way the render tests look at them: text and styled segments."""

from __future__ import annotations

import io

from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.style import Style


def console(width: int) -> Console:
    """A recording truecolor console of `width` cells that writes nowhere."""
    return Console(
        width=width,
        record=True,
        color_system="truecolor",
        force_terminal=True,
        legacy_windows=False,
        file=io.StringIO(),
    )


def draw(renderable: RenderableType, width: int = 60) -> tuple[str, list[Segment]]:
    """The visible text of `renderable` and the styled segments it is made of."""
    out = console(width)
    segments = list(out.render(renderable, out.options))
    out.print(renderable)
    return out.export_text(), segments


def styles_of(segments: list[Segment], word: str) -> list[Style]:
    """The styles of every segment that holds `word`."""
    return [seg.style for seg in segments if word in seg.text and seg.style is not None]

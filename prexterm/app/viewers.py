"""Who watches the talk from other terminals, in the presenter's words.

The presenter's view hears of every `follow` and `notes` view that connects, and of each
terminal's size: an audience view smaller than the slide needs cuts it, and the speaker
would not know unless told ("follower 2: 80x24, slide 7 cut").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from prexterm.app.layout import MIN_HEIGHT, MIN_WIDTH, code_window_rows, slide_rows, text_width
from prexterm.app.messages import View
from prexterm.core.model import Slide

if TYPE_CHECKING:
    from prexterm.app.caches import SlideCaches
    from prexterm.style.webcss import SlideLook


def slide_cut(
    caches: SlideCaches, slide: Slide, look: SlideLook | None, columns: int, rows: int
) -> bool:
    """Whether `slide`, drawn as the player draws it, is taller than an audience view of
    `columns` x `rows` shows (or the terminal is too small for any slide)."""
    if columns < MIN_WIDTH or rows < MIN_HEIGHT:
        return True
    if slide.photo:
        return False  # a photo is fitted to whatever room there is
    area = slide_rows(rows, header=bool(slide.header))
    cache = caches.for_look(look)
    drawn = cache.get(slide, text_width(columns), code_window=(code_window_rows(area), ()))
    return len(drawn.lines) > area


def describe_viewers(views: Sequence[View]) -> str:
    """`watching: 2 follow, 1 notes` (empty when nobody does)."""
    if not views:
        return ""
    counts = {role: sum(1 for _, r, _ in views if r == role) for role in ("follow", "notes")}
    parts = [f"{count} {role}" for role, count in counts.items() if count]
    return "watching: " + ", ".join(parts)


def cut_warnings(
    views: Sequence[View],
    slide: Slide | None,
    look: SlideLook | None,
    caches: SlideCaches,
) -> list[str]:
    """`follower 2: 80x24, slide 7 cut` for each audience view too small for `slide`."""
    if slide is None:
        return []
    warnings = []
    for name, role, size in views:
        if role != "follow" or size is None:
            continue
        columns, rows = size
        if slide_cut(caches, slide, look, columns, rows):
            warnings.append(f"{name}: {columns}x{rows}, slide {slide.number} cut")
    return warnings

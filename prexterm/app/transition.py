"""The slide transition: the presenter's screen moves sideways from one slide to the next,
as Prexent's browser view did.

Kept apart from the slide view as plain functions of the two slides' rows and the time,
so a test drives it with a clock of its own and reads every frame.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.strip import Strip

DURATION = 0.25
"""Seconds a transition takes: Prexent took 500 ms, too slow for a talk driven by keys."""
FRAME = 1 / 60
"""Seconds between two frames of a transition."""


class SlideMove(NamedTuple):
    """A transition under way: the rows it leaves, the rows it brings, when it began."""

    old: list[Strip]
    new: list[Strip]
    start: float
    forward: bool
    """Moving on (the new slide comes in from the right) or back (from the left)."""

    def progress(self, now: float) -> float:
        """How far the move has gone, from 0 to 1."""
        return min(1.0, max(0.0, (now - self.start) / DURATION))

    def row(self, y: int, now: float, width: int) -> Strip:
        """Row `y` of the frame at time `now`."""
        blank = Strip.blank(width)
        old = self.old[y] if y < len(self.old) else blank
        new = self.new[y] if y < len(self.new) else blank
        return slide_row(old, new, self.progress(now), width, forward=self.forward)


def slide_row(old: Strip, new: Strip, progress: float, width: int, *, forward: bool) -> Strip:
    """One row of the frame `progress` (0 to 1) of the way from `old` to `new`.

    The move slows down towards its end (ease-out), which reads as the new slide settling
    in place. At 0 the row is `old`, at 1 it is `new`.
    """
    eased = 1 - (1 - progress) ** 2
    shift = max(0, min(width, round(width * eased)))
    old = old.adjust_cell_length(width)
    new = new.adjust_cell_length(width)
    if forward:
        return Strip.join([old.crop(shift, width), new.crop(0, shift)])
    return Strip.join([new.crop(width - shift, width), old.crop(0, width - shift)])

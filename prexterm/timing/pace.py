"""The talk's pace: where it stands against an even schedule over its slides.

Pure arithmetic on elapsed seconds; `format_duration` writes them as the pane shows them.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from prexterm.timing.durations import format_duration

ON_TIME_BAND = 10.0
"""Seconds either side of a slide's window of the even schedule that still count as "on
time": a pace that flips between ahead and behind over a few seconds only distracts."""


class Pace(NamedTuple):
    """Where the talk stands against an even schedule over its slides.

    With a planned `duration` and M slides, slide n owns the window
    [(n-1)·duration/M, n·duration/M] of the talk. Being on slide n inside its window (give
    or take `ON_TIME_BAND`) is on time; before the window opens you are ahead by the
    difference, after it closes you are behind by the difference.

    Everything is counted in the whole seconds the pane shows (elapsed time rounded down,
    as a clock does), so the elapsed time and the time left on screen add up to the
    duration.
    """

    duration: float
    elapsed: int
    """Whole seconds of the talk so far, as shown."""
    delta: float
    """Seconds ahead of the slide's window (negative: behind it; 0: on time)."""

    @property
    def left(self) -> float:
        """Seconds left of the planned duration (negative once over time)."""
        return self.duration - self.elapsed

    @property
    def behind(self) -> bool:
        return self.delta < 0

    def describe(self) -> str:
        left = self.left
        left_text = (
            f"{format_duration(left)} left" if left >= 0 else f"{format_duration(-left)} over"
        )
        if self.delta == 0:
            return f"{left_text} · on time"
        word = "behind" if self.behind else "ahead"
        return f"{left_text} · {word} {format_duration(abs(self.delta))}"


def pace_at(elapsed: float, duration: float, slide: int, count: int) -> Pace:
    """The pace on slide `slide` of `count` after `elapsed` seconds of a `duration` talk."""
    shown = max(0, math.floor(elapsed))
    share = duration / max(1, count)
    opens, closes = (slide - 1) * share, slide * share
    delta = 0.0
    if shown < opens - ON_TIME_BAND:
        delta = opens - shown
    elif shown > closes + ON_TIME_BAND:
        delta = closes - shown
    return Pace(duration=duration, elapsed=shown, delta=delta)

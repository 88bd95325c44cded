"""The talk's clocks: elapsed time (pausable), time on the current slide, and pace.

Pure arithmetic over an injected monotonic clock, so the presenter pane shows the same
figures in a test as on stage, and a test can move time forward by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple


def format_seconds(seconds: float) -> str:
    """`m:ss`, or `h:mm:ss` past an hour; negative values keep their sign."""
    sign = "-" if seconds < 0 else ""
    total = int(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"


ON_TIME_BAND = 10.0
"""Seconds either side of a slide's window of the even schedule that still count as "on
time": a pace that flips between ahead and behind over a few seconds only distracts."""

CLOCK_MODES = ("idle", "running", "paused")
"""`idle`: the talk has not started yet (the clock shows 0:00 and waits for the first move
or `t`); `running`; `paused` (by `t`)."""


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
        left_text = f"{format_seconds(left)} left" if left >= 0 else f"{format_seconds(-left)} over"
        if self.delta == 0:
            return f"{left_text} · on time"
        word = "behind" if self.behind else "ahead"
        return f"{left_text} · {word} {format_seconds(abs(self.delta))}"


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


class ClockState(NamedTuple):
    """The talk clock as the views of a talk share it: a state, never a stream of ticks.

    Each view turns it back into a running clock with its own monotonic clock, so a view
    that joins late, or a presenter that restarts, shows the same elapsed time as the rest.
    """

    mode: str
    """One of `CLOCK_MODES`."""
    elapsed: float
    """Seconds of talk so far, when the state was taken."""
    on_slide: float
    """Seconds of talk spent on the current slide, when the state was taken."""


class TalkClock:
    """Elapsed talk time that can be paused, resumed and reset, plus time on the slide.

    A presented talk's clock starts `idle`: opening the deck ten minutes before the talk
    must not count against the pace. It runs from the first move or from `t`
    (`start`). A rehearsal's clock runs from launch (`started=True`).
    """

    def __init__(self, clock: Callable[[], float], *, started: bool = True) -> None:
        self._clock = clock
        self._mode = "running" if started else "idle"
        self._since = clock()
        """When the clock last ran from `_base` (meaningful while running)."""
        self._base = 0.0
        """Elapsed seconds at `_since`; all of it while idle or paused."""
        self._slide_since = 0.0

    @property
    def mode(self) -> str:
        return self._mode

    @property
    def started(self) -> bool:
        return self._mode != "idle"

    @property
    def paused(self) -> bool:
        return self._mode == "paused"

    @property
    def elapsed(self) -> float:
        if self._mode != "running":
            return self._base
        return self._base + max(0.0, self._clock() - self._since)

    def start(self) -> bool:
        """Start an idle clock from zero; True if it was idle."""
        if self._mode != "idle":
            return False
        self._mode = "running"
        self._since = self._clock()
        self._base = 0.0
        self._slide_since = 0.0
        return True

    def toggle_pause(self) -> None:
        """Pause a running clock, resume a paused one, start an idle one."""
        if self._mode == "idle":
            self.start()
        elif self._mode == "running":
            self._base = self.elapsed
            self._mode = "paused"
        else:
            self._since = self._clock()
            self._mode = "running"

    def reset(self) -> None:
        """Start the talk over from zero (keeps the paused, running or idle state)."""
        self._since = self._clock()
        self._base = 0.0
        self._slide_since = 0.0

    def slide_changed(self) -> None:
        self._slide_since = self.elapsed

    @property
    def on_slide(self) -> float:
        return max(0.0, self.elapsed - self._slide_since)

    def state(self) -> ClockState:
        """The clock as it stands, to share with the other views."""
        elapsed = self.elapsed
        return ClockState(self._mode, elapsed, max(0.0, elapsed - self._slide_since))

    def adopt(self, state: ClockState) -> None:
        """Become the clock another view shared (see `ClockState`)."""
        if state.mode not in CLOCK_MODES:
            raise ValueError(f"unknown clock mode {state.mode!r}")
        self._mode = state.mode
        self._since = self._clock()
        self._base = max(0.0, state.elapsed)
        self._slide_since = self._base - min(max(0.0, state.on_slide), self._base)

    def pace(self, duration: float, slide: int, count: int) -> Pace:
        """Against slide `slide`'s window of an even share of `duration` (see `Pace`)."""
        return pace_at(self.elapsed, duration, slide, count)

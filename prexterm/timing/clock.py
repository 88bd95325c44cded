"""The talk's clocks: elapsed time (pausable) and time on the current slide.

Pure arithmetic over an injected monotonic clock, so the presenter pane shows the same
figures in a test as on stage, and a test can move time forward by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from prexterm.timing.pace import Pace, pace_at

CLOCK_MODES = ("idle", "running", "paused")
"""`idle`: the talk has not started yet (the clock shows 0:00 and waits for the first move
or `t`); `running`; `paused` (by `t`)."""


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

"""The talk's clocks: elapsed time (pausable), time on the current slide, and pace.

Pure arithmetic over an injected monotonic clock, so the presenter pane shows the same
figures in a test as on stage, and a test can move time forward by hand.
"""

from __future__ import annotations

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


class Pace(NamedTuple):
    """Where the talk stands against an even schedule over its slides."""

    left: float
    """Seconds left of the planned duration (negative once over time)."""
    delta: float
    """Seconds ahead of the even schedule (negative: behind)."""

    @property
    def behind(self) -> bool:
        return self.delta < 0

    def describe(self) -> str:
        left = (
            f"{format_seconds(self.left)} left"
            if self.left >= 0
            else (f"{format_seconds(-self.left)} over")
        )
        if abs(self.delta) < 1:
            return f"{left} · on time"
        word = "behind" if self.behind else "ahead"
        return f"{left} · {word} {format_seconds(abs(self.delta))}"


class TalkClock:
    """Elapsed talk time that can be paused, resumed and reset, plus time on the slide."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._started = clock()
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self._slide_since = self.elapsed

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    @property
    def elapsed(self) -> float:
        now = self._paused_at if self._paused_at is not None else self._clock()
        return now - self._started - self._paused_total

    def toggle_pause(self) -> None:
        if self._paused_at is None:
            self._paused_at = self._clock()
        else:
            self._paused_total += self._clock() - self._paused_at
            self._paused_at = None

    def reset(self) -> None:
        """Start the talk over from zero (keeps the paused state)."""
        now = self._clock()
        self._started = now
        self._paused_total = 0.0
        if self._paused_at is not None:
            self._paused_at = now
        self._slide_since = 0.0

    def slide_changed(self) -> None:
        self._slide_since = self.elapsed

    @property
    def on_slide(self) -> float:
        return max(0.0, self.elapsed - self._slide_since)

    def pace(self, duration: float, slide: int, count: int) -> Pace:
        """Against an even share of `duration` per slide: where slide `slide` should start."""
        elapsed = self.elapsed
        expected = duration * (slide - 1) / max(1, count)
        return Pace(left=duration - elapsed, delta=expected - elapsed)

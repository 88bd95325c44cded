"""Rehearsal timing: how long each slide held the screen, to print on quit and keep as JSON.

Pure: the clock is injected (the app passes `time.monotonic`, tests a fake), nothing here
knows the UI, and the only I/O is `write_report`. Reports go to the user's state directory,
never next to the deck: a rehearsal must not leave files in a talk's folder (which may be
a git checkout or a shared drive).
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from prexterm.timing.durations import format_duration

REPORT_VERSION = 1
_TITLE_WIDTH = 32
_UNSAFE_NAME = re.compile(r"[^\w.-]+")


@dataclass(frozen=True, slots=True)
class RehearsalRow:
    """One slide's line of the report."""

    slide: int
    title: str
    visits: int
    seconds: float
    share: float
    """Fraction of the total time (0 when no time was recorded at all)."""
    difference: float | None
    """`seconds - duration / slides` when a planned duration was given: how far this slide
    is from an even split of the talk (positive = longer than its even share)."""
    fingerprint: str | None = None
    """What the slide said (`prexterm.timing.plan.slide_fingerprint`), so a later talk
    finds the slide's time after the deck was edited around it; None in older reports."""


@dataclass(frozen=True, slots=True)
class RehearsalReport:
    """The timing of one rehearsal, slide by slide."""

    deck_title: str
    duration: float | None
    total: float
    rows: tuple[RehearsalRow, ...]
    deck_path: str | None = None
    """The deck's absolute path: `--pace-from latest` finds this deck's reports by it."""
    finished: str | None = None
    """When the rehearsal ended (ISO 8601, UTC): which of a deck's reports is the latest."""


class Rehearsal:
    """Records which slide is shown when.

    Call `visit(n)` whenever slide `n` (1-based) comes on screen and `finish()` when the
    talk ends. Showing the slide that is already on screen is not a new visit, so the app
    may call `visit` on every refresh. Time runs from the first visit.
    """

    def __init__(
        self,
        clock: Callable[[], float],
        deck_title: str,
        slide_titles: list[str],
        duration: float | None,
    ) -> None:
        if duration is not None and duration <= 0:
            raise ValueError("duration must be positive")
        self._clock = clock
        self.deck_title = deck_title
        self.slide_titles = list(slide_titles)
        self.duration = duration
        self._seconds = [0.0] * len(self.slide_titles)
        self._visits = [0] * len(self.slide_titles)
        self._current: int | None = None
        self._since = 0.0
        self.fingerprints: list[str] = []
        """Each slide's fingerprint, set by whoever knows the deck as it ends (the command
        line, at quit): rows of slides it does not cover have none."""
        self.deck_path: str | None = None
        self.finished: str | None = None

    @property
    def current(self) -> int | None:
        """The slide being timed, or None before the first visit and after `finish`."""
        return self._current

    def visit(self, slide_number: int) -> None:
        """Slide `slide_number` is now on screen."""
        if not 1 <= slide_number <= len(self.slide_titles):
            raise ValueError(f"no slide {slide_number} in a deck of {len(self.slide_titles)}")
        if slide_number == self._current:
            return
        now = self._clock()
        self._close(now)
        self._current = slide_number
        self._since = now
        self._visits[slide_number - 1] += 1

    def deck_changed(self, slide_titles: list[str]) -> None:
        """The deck was saved while rehearsing: time its new slides too.

        Slides added at the end get rows of their own, so a visit to them counts, and the
        rows keep the titles the deck now gives them. Rows past the end of a shorter deck
        stay: the time spent on them was spent.
        """
        for index, title in enumerate(slide_titles):
            if index < len(self.slide_titles):
                self.slide_titles[index] = title
            else:
                self.slide_titles.append(title)
                self._seconds.append(0.0)
                self._visits.append(0)

    def finish(self) -> None:
        """Stop the clock (on quit). Calling it twice is harmless."""
        self._close(self._clock())
        self._current = None

    def _close(self, now: float) -> None:
        if self._current is not None:
            # A clock that steps back must not take time away from a slide.
            self._seconds[self._current - 1] += max(0.0, now - self._since)
            self._since = now

    def report(self) -> RehearsalReport:
        """The report so far; a slide still on screen counts up to now (without stopping)."""
        seconds = list(self._seconds)
        if self._current is not None:
            seconds[self._current - 1] += max(0.0, self._clock() - self._since)
        total = sum(seconds)
        even = self.duration / len(seconds) if self.duration and seconds else None
        rows = tuple(
            RehearsalRow(
                slide=index + 1,
                title=title,
                visits=self._visits[index],
                seconds=spent,
                share=spent / total if total > 0 else 0.0,
                difference=None if even is None else spent - even,
                fingerprint=(self.fingerprints[index] if index < len(self.fingerprints) else None),
            )
            for index, (title, spent) in enumerate(zip(self.slide_titles, seconds, strict=True))
        )
        return RehearsalReport(
            self.deck_title, self.duration, total, rows, self.deck_path, self.finished
        )


# -- presenting ---------------------------------------------------------------------------


def _fit(title: str, width: int) -> str:
    title = " ".join(title.split()) or "(untitled)"
    return title if len(title) <= width else title[: width - 1] + "…"


def whole_seconds(seconds: list[float]) -> list[int]:
    """`seconds` in whole seconds that add up to the whole seconds of their sum.

    Each part is the difference of the running total rounded down, before and after it:
    the table rounds the report's seconds by one rule (down, as the presenter pane's clock
    does), so its column adds up to its total line, whatever the fractions.
    """
    out: list[int] = []
    before = 0
    running = 0.0
    for value in seconds:
        running += value
        after = _floor(running)
        out.append(after - before)
        before = after
    return out


def _floor(seconds: float) -> int:
    """Whole seconds, rounded down; a sum that lands a hair below a whole second
    (0.1 + 0.2 + 0.7) still counts as that second."""
    return math.floor(seconds + 1e-6)


def format_table(report: RehearsalReport) -> str:
    """A plain-text table, one slide a line, with the total; printed when the player quits.

    The figures are the report's (and its JSON's) seconds in whole seconds (see
    `whole_seconds`): the times add up to the total, and each "vs even" is the time shown
    minus the even share shown, so the table agrees with itself and with the JSON.
    """
    total = _floor(report.total)
    times = whole_seconds([row.seconds for row in report.rows])
    planned = ""
    evens: list[int] = []
    if report.duration is not None:
        planned = f", planned {format_duration(_floor(report.duration))}"
        evens = whole_seconds([report.duration / max(1, len(report.rows))] * len(report.rows))
    lines = [f"Rehearsal of {_fit(report.deck_title, 60)}: {format_duration(total)}{planned}"]
    head = f"{'#':>4}  {'Slide':<{_TITLE_WIDTH}}  {'Visits':>6}  {'Time':>7}  {'Share':>6}"
    if report.duration is not None:
        head += f"  {'vs even':>8}"
    lines += [head, "-" * len(head)]
    for index, row in enumerate(report.rows):
        line = (
            f"{row.slide:>4}  {_fit(row.title, _TITLE_WIDTH):<{_TITLE_WIDTH}}  {row.visits:>6}  "
            f"{format_duration(times[index]):>7}  {row.share:>6.1%}"
        )
        if evens:
            line += f"  {format_duration(times[index] - evens[index], signed=True):>8}"
        lines.append(line)
    lines.append("-" * len(head))
    visits = sum(row.visits for row in report.rows)
    share = 1.0 if report.total > 0 else 0.0
    total_line = (
        f"{'':>4}  {'Total':<{_TITLE_WIDTH}}  {visits:>6}  "
        f"{format_duration(total):>7}  {share:>6.1%}"
    )
    if report.duration is not None:
        total_line += f"  {format_duration(total - sum(evens), signed=True):>8}"
    lines.append(total_line)
    return "\n".join(lines)


def to_json(report: RehearsalReport) -> dict[str, Any]:
    """The report as JSON-ready data (seconds as floats, unrounded)."""
    return {
        "version": REPORT_VERSION,
        "deck": report.deck_title,
        "deck_path": report.deck_path,
        "finished": report.finished,
        "duration": report.duration,
        "total_seconds": report.total,
        "slides": [
            {
                "slide": row.slide,
                "title": row.title,
                "visits": row.visits,
                "seconds": row.seconds,
                "share": row.share,
                "difference": row.difference,
                "fingerprint": row.fingerprint,
            }
            for row in report.rows
        ],
    }


def from_json(data: Mapping[str, Any]) -> RehearsalReport:
    """Read back what `to_json` wrote (to compare rehearsals); ValueError when it is not."""
    try:
        if data["version"] != REPORT_VERSION:
            raise ValueError(f"unsupported rehearsal report version {data['version']!r}")
        rows = tuple(
            RehearsalRow(
                slide=int(row["slide"]),
                title=str(row["title"]),
                visits=int(row["visits"]),
                seconds=float(row["seconds"]),
                share=float(row["share"]),
                difference=None if row["difference"] is None else float(row["difference"]),
                fingerprint=_text_or_none(row.get("fingerprint")),
            )
            for row in data["slides"]
        )
        duration = data["duration"]
        return RehearsalReport(
            deck_title=str(data["deck"]),
            duration=None if duration is None else float(duration),
            total=float(data["total_seconds"]),
            rows=rows,
            deck_path=_text_or_none(data.get("deck_path")),
            finished=_text_or_none(data.get("finished")),
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"not a rehearsal report: {error}") from None


def _text_or_none(value: object) -> str | None:
    """An optional text field of a report (fields added since version 1 may be absent)."""
    return value if isinstance(value, str) else None


# -- storing ------------------------------------------------------------------------------


def default_report_path(deck: Path, now: datetime) -> Path:
    """`<state folder>/prexterm/rehearsals/<deck stem>-<YYYYmmdd-HHMMSS>.json`.

    platformdirs finds the user's state folder: on Linux `$XDG_STATE_HOME` when it is an
    absolute path, otherwise `~/.local/state`. Never the deck's own folder: should the
    state folder resolve there (an odd XDG_STATE_HOME), `~/.local/state` is used instead.
    """
    from platformdirs import user_state_path

    stem = _UNSAFE_NAME.sub("_", Path(deck).stem).strip("._") or "deck"
    name = f"{stem}-{now:%Y%m%d-%H%M%S}.json"
    folder = user_state_path("prexterm", appauthor=False) / "rehearsals"
    deck_folder = Path(os.path.realpath(Path(deck).parent))
    if Path(os.path.realpath(folder)) == deck_folder:
        folder = Path.home() / ".local" / "state" / "prexterm" / "rehearsals"
    return folder / name


def write_report(report: RehearsalReport, path: Path) -> Path:
    """Write the JSON report atomically (`save_atomically`), so an interrupted write never
    leaves half a report; a new one is for its owner's eyes. Creates the folder; returns
    `path`."""
    from prexterm.core.text import save_atomically

    path.parent.mkdir(parents=True, exist_ok=True)
    save_atomically(
        path, json.dumps(to_json(report), ensure_ascii=False, indent=2) + "\n", new_mode=0o600
    )
    return path

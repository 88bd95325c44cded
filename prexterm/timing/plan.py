"""Pacing learnt from rehearsal: each slide's share of a rehearsed talk, scaled to the
time there is, and where the talk stands against that plan.

An even pace treats a title slide and a demo alike; a rehearsal knows better. A plan is
built from a rehearsal report (`prexterm.timing.rehearsal`), matching its rows to the
deck's slides by what they say, so a deck edited since keeps the times of the slides it
kept and says which slides have none. Pure: times come in as seconds of talk (the talk
clock's), and the only I/O is finding and reading reports.

The presenter pane calls `load_plan` once (with `resolve_pace_from`), then on each
slide change `PlanPace.arrive`, and on each tick `PlanPace.status(...).describe()`.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from prexterm.core.model import CodeBlock, Slide
from prexterm.timing.durations import format_duration
from prexterm.timing.pace import ON_TIME_BAND
from prexterm.timing.rehearsal import RehearsalReport, from_json

__all__ = [
    "Change",
    "Plan",
    "PlanPace",
    "PlanStatus",
    "compare_rehearsals",
    "format_changes",
    "latest_report",
    "load_plan",
    "match_slides",
    "plan_from_report",
    "resolve_pace_from",
    "slide_fingerprint",
]

GREW_BY = 0.25
"""A slide changed between rehearsals when its time moved by more than this share of
what it took before…"""
GREW_AT_LEAST = 15.0
"""…and by more than these seconds: a 4 s slide taking 6 s is noise, not news."""


def slide_fingerprint(slide: Slide) -> str:
    """What the slide says, as a short hash: its text with spacing ignored, and its code.

    Two slides with the same words and code are the same slide for pacing, wherever
    they stand in the deck; a slide whose words changed is a new one.
    """
    digest = hashlib.sha256(" ".join(slide.markdown.split()).encode("utf-8", "replace"))
    for block in slide.blocks:
        if isinstance(block, CodeBlock):
            digest.update(b"\0" + block.code.encode("utf-8", "replace"))
    if slide.photo and slide.background is not None:
        digest.update(b"\0" + slide.background.written.encode("utf-8", "replace"))
    return digest.hexdigest()[:16]


def match_slides(
    report: RehearsalReport, fingerprints: Sequence[str], titles: Sequence[str]
) -> list[int | None]:
    """For each slide of the deck, the index of its row in `report`, or None.

    A row matches the slide with the same fingerprint first (in order, for repeated
    slides); rows of slides that were edited then match by the same title, when only
    one slide and one row are left with it. A row of a report too old to hold
    fingerprints matches by title alone. Each row matches one slide at most.
    """
    found: list[int | None] = [None] * len(fingerprints)
    free: dict[str, list[int]] = {}
    for index, row in enumerate(report.rows):
        if row.fingerprint:
            free.setdefault(row.fingerprint, []).append(index)
    used: set[int] = set()
    for slide, fingerprint in enumerate(fingerprints):
        rows = free.get(fingerprint)
        if rows:
            taken = rows.pop(0)
            found[slide] = taken
            used.add(taken)
    left_rows: dict[str, list[int]] = {}
    for index, row in enumerate(report.rows):
        if index not in used and row.title.strip():
            left_rows.setdefault(row.title.strip(), []).append(index)
    left_slides: dict[str, list[int]] = {}
    for slide, title in enumerate(titles):
        if found[slide] is None and title.strip():
            left_slides.setdefault(title.strip(), []).append(slide)
    for title, slides in left_slides.items():
        rows = left_rows.get(title, [])
        if len(slides) == 1 and len(rows) == 1:
            found[slides[0]] = rows[0]
    return found


@dataclass(frozen=True)
class Plan:
    """Seconds planned for each slide of the deck, in order, and where each starts."""

    seconds: tuple[float, ...]
    unplanned: tuple[int, ...] = ()
    """Slide numbers that matched no rehearsed slide: they get the median rehearsed time."""
    starts: tuple[float, ...] = field(init=False)

    def __post_init__(self) -> None:
        running, starts = 0.0, []
        for seconds in self.seconds:
            starts.append(running)
            running += seconds
        object.__setattr__(self, "starts", tuple(starts))

    @property
    def total(self) -> float:
        return sum(self.seconds)

    def start(self, slide: int) -> float:
        """Seconds of talk at which slide `slide` (1-based) should come on screen."""
        return self.starts[_index(slide, self.seconds)]

    def end(self, slide: int) -> float:
        """Seconds of talk at which slide `slide` should give way to the next."""
        index = _index(slide, self.seconds)
        return self.starts[index] + self.seconds[index]

    def left_on_slide(self, slide: int, on_slide: float) -> float:
        """Seconds this slide has left of its plan after `on_slide` on it (negative: over)."""
        return self.seconds[_index(slide, self.seconds)] - on_slide

    def describe_unplanned(self) -> str | None:
        """`no rehearsed time for slides 3, 7-9` (None when every slide has one)."""
        if not self.unplanned:
            return None
        word = "slide" if len(self.unplanned) == 1 else "slides"
        return f"no rehearsed time for {word} {_ranges(self.unplanned)}"


def _index(slide: int, seconds: Sequence[float]) -> int:
    if not 1 <= slide <= len(seconds):
        raise ValueError(f"no slide {slide} in a plan of {len(seconds)}")
    return slide - 1


def _ranges(numbers: Sequence[int]) -> str:
    """`3, 7-9`: runs of numbers written as ranges."""
    parts: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(parts)


def plan_from_report(
    report: RehearsalReport,
    fingerprints: Sequence[str],
    titles: Sequence[str],
    duration: float | None,
) -> Plan:
    """Each slide's rehearsed share of the time, scaled so the plan lasts `duration`.

    Without a duration the plan is the rehearsal's own times. A slide that matches no
    row, or whose row was never visited, gets the median time of the rehearsed slides
    (an even share when none was), before scaling: it has to be said in some time.
    """
    matched = match_slides(report, fingerprints, titles)
    rehearsed: list[float | None] = []
    for index in matched:
        row = report.rows[index] if index is not None else None
        rehearsed.append(row.seconds if row is not None and row.visits > 0 else None)
    known = sorted(value for value in rehearsed if value is not None)
    if known:
        middle = len(known) // 2
        fill = known[middle] if len(known) % 2 else (known[middle - 1] + known[middle]) / 2
    else:
        fill = (duration or 60.0 * len(rehearsed)) / max(1, len(rehearsed))
    seconds = [value if value is not None else fill for value in rehearsed]
    total = sum(seconds)
    if duration is not None and total > 0:
        seconds = [value * duration / total for value in seconds]
    elif duration is not None:
        seconds = [duration / max(1, len(seconds))] * len(seconds)
    unplanned = tuple(n for n, value in enumerate(rehearsed, start=1) if value is None)
    return Plan(tuple(seconds), unplanned)


class PlanStatus(NamedTuple):
    """Where the talk stands against the plan, in the whole seconds the pane shows."""

    left_on_slide: int
    """Seconds this slide has left of its plan; negative once it has run over."""
    over: int
    """Seconds the talk is behind the plan (0 when on time or ahead)."""
    since: int | None
    """The slide from which the talk has been behind, when it is."""
    ahead: int
    """Seconds the talk is ahead of the plan (0 when on time or behind)."""

    def describe(self) -> str:
        """`0:25 left on this slide · +0:40 over since slide 12` (or `on plan`, `-0:30
        ahead`)."""
        left = self.left_on_slide
        slide_part = (
            f"{format_duration(left)} left on this slide"
            if left >= 0
            else f"{format_duration(-left)} over on this slide"
        )
        if self.over:
            return f"{slide_part} · +{format_duration(self.over)} over since slide {self.since}"
        if self.ahead:
            return f"{slide_part} · -{format_duration(self.ahead)} ahead"
        return f"{slide_part} · on plan"


class PlanPace:
    """Follows a talk against a plan: when each slide came on screen, and since when the
    talk has been late.

    Call `arrive(slide, elapsed)` whenever a slide comes on screen (elapsed: seconds of
    talk by the talk clock) and `status(slide, elapsed, on_slide)` to show where it stands.
    """

    def __init__(self, plan: Plan, *, band: float = ON_TIME_BAND) -> None:
        self.plan = plan
        self.band = band
        self._late_since: int | None = None
        """The slide the talk fell behind on, while it has not caught up since."""
        self._on: int | None = None

    def arrive(self, slide: int, elapsed: float) -> None:
        """Slide `slide` came on screen `elapsed` seconds into the talk.

        Arriving after its planned start (beyond the band) means the talk fell behind on
        the slide it came from (which held the screen past that start), unless it was
        behind already; arriving on time or early ends the late run.
        """
        late = elapsed > self.plan.start(slide) + self.band
        if not late:
            self._late_since = None
        elif self._late_since is None:
            self._late_since = self._on or slide
        self._on = slide

    def status(self, slide: int, elapsed: float, on_slide: float) -> PlanStatus:
        """Where the talk stands on slide `slide` after `elapsed` seconds, `on_slide` of
        them on this slide."""
        shown = max(0, math.floor(elapsed))
        left = math.floor(self.plan.left_on_slide(slide, max(0.0, on_slide)))
        end, start = self.plan.end(slide), self.plan.start(slide)
        if shown > end + self.band:
            return PlanStatus(left, math.ceil(shown - end), self._late_since or slide, 0)
        if shown < start - self.band:
            return PlanStatus(left, 0, None, math.ceil(start - shown))
        return PlanStatus(left, 0, None, 0)


# -- reports on disk ----------------------------------------------------------------------


def reports_folder() -> Path:
    """Where rehearsal reports go by default (see `default_report_path`)."""
    from datetime import datetime

    from prexterm.timing.rehearsal import default_report_path

    return default_report_path(Path("deck.md"), datetime.now()).parent


def _read_report(path: Path) -> RehearsalReport:
    """A report from disk; ValueError with a message naming the file when it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path} is not a rehearsal report: {error}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a rehearsal report")
    try:
        return from_json(data)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None


def latest_report(
    deck: Path, folder: Path | None = None, *, skip: Path | None = None
) -> tuple[Path, RehearsalReport] | None:
    """The latest report of `deck` in `folder` (the user's reports), other than `skip`.

    A report belongs to the deck whose absolute path it names; the latest is the one
    that finished last (by the file's time when it does not say). Unreadable files and
    other decks' reports are passed over.
    """
    folder = reports_folder() if folder is None else folder
    wanted = os.path.realpath(deck)
    best: tuple[str, Path, RehearsalReport] | None = None
    try:
        candidates = sorted(folder.glob("*.json"))
    except OSError:
        return None
    for path in candidates:
        if skip is not None and path.resolve() == skip.resolve():
            continue
        try:
            report = _read_report(path)
        except ValueError:
            continue
        if report.deck_path is None or os.path.realpath(report.deck_path) != wanted:
            continue
        when = report.finished or _modified(path)
        if best is None or when > best[0]:
            best = (when, path, report)
    return None if best is None else (best[1], best[2])


def _modified(path: Path) -> str:
    from datetime import datetime, timezone

    try:
        stamp = path.stat().st_mtime
    except OSError:
        return ""
    return datetime.fromtimestamp(stamp, timezone.utc).isoformat()


def resolve_pace_from(value: str, deck: Path, folder: Path | None = None) -> Path:
    """The report `--pace-from` names: a file, or `latest` (this deck's latest report).

    Raises ValueError with a message fit for the command line when there is none.
    """
    if value == "latest":
        found = latest_report(deck, folder)
        if found is None:
            raise ValueError(
                f"--pace-from latest: no rehearsal report of {deck} yet "
                f"(run prexterm rehearse {deck} first)"
            )
        return found[0]
    path = Path(value).expanduser()
    if not path.is_file():
        raise ValueError(f"--pace-from: no such report: {value}")
    return path


def load_plan(path: Path, slides: Sequence[Slide], duration: float | None) -> Plan:
    """The plan for `slides` from the report at `path`; ValueError when it cannot be read."""
    report = _read_report(path)
    return plan_from_report(
        report,
        [slide_fingerprint(slide) for slide in slides],
        [slide.title for slide in slides],
        duration,
    )


# -- comparing rehearsals -----------------------------------------------------------------


class Change(NamedTuple):
    """A slide that took notably more or less time than in the rehearsal before."""

    slide: int
    title: str
    before: float
    after: float

    @property
    def grew(self) -> bool:
        return self.after > self.before


def compare_rehearsals(
    previous: RehearsalReport,
    current: RehearsalReport,
    *,
    share: float = GREW_BY,
    at_least: float = GREW_AT_LEAST,
) -> list[Change]:
    """Slides of `current` whose time moved from `previous` by more than `share` of it
    and more than `at_least` seconds, matched by content (see `match_slides`)."""
    fingerprints = [row.fingerprint or "" for row in current.rows]
    titles = [row.title for row in current.rows]
    changes = []
    for row, index in zip(current.rows, match_slides(previous, fingerprints, titles), strict=True):
        if index is None:
            continue
        before = previous.rows[index].seconds
        moved = abs(row.seconds - before)
        if moved > at_least and moved > share * before:
            changes.append(Change(row.slide, row.title, before, row.seconds))
    return changes


def format_changes(changes: Sequence[Change], when: str | None) -> str:
    """Lines printed after the rehearsal table: what grew and shrank since last time."""
    since = f" (the rehearsal of {_local(when)})" if when else ""
    if not changes:
        return (
            f"Compared with the previous rehearsal{since}: no slide grew or shrank by more "
            f"than {GREW_BY:.0%} and {GREW_AT_LEAST:.0f} s."
        )
    lines = [f"Compared with the previous rehearsal{since}:"]
    for change in changes:
        word = "grew" if change.grew else "shrank"
        # The difference of the times as shown, so that the line adds up.
        difference = math.floor(change.after) - math.floor(change.before)
        sign = "+" if difference > 0 else "-"
        title = " ".join(change.title.split()) or "(untitled)"
        if len(title) > 40:
            title = title[:39] + "…"
        lines.append(
            f"  slide {change.slide} {title}: {word} from {format_duration(change.before)} "
            f"to {format_duration(change.after)} ({sign}{format_duration(abs(difference))})"
        )
    return "\n".join(lines)


def _local(when: str) -> str:
    """`2026-12-01 09:12` in the local time zone, from a report's ISO 8601 time."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(when)
    except ValueError:
        return when
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment:%Y-%m-%d %H:%M}"

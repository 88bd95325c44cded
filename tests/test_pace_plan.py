"""Pacing learnt from rehearsal: plans built from reports, matched by slide content, and
followed with an injected clock; and what `rehearse` says changed since last time."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from prexterm.core.model import Deck
from prexterm.core.parser import load_deck
from prexterm.timing.clock import TalkClock
from prexterm.timing.plan import (
    PlanPace,
    compare_rehearsals,
    format_changes,
    latest_report,
    load_plan,
    plan_from_report,
    resolve_pace_from,
    slide_fingerprint,
)
from prexterm.timing.rehearsal import (
    Rehearsal,
    RehearsalReport,
    from_json,
    to_json,
    write_report,
)

DECK = "# Opening\n\nhello\n---\n# Demo\n\nlong part\n---\n# Questions\n\nask\n"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _deck(text: str, folder: Path) -> Deck:
    path = folder / "talk.md"
    path.write_text(text)
    return load_deck(path, cwd=folder)


def _rehearse(
    deck: Deck, times: list[float], *, finished: str = "2026-12-01T08:00:00"
) -> RehearsalReport:
    clock = FakeClock()
    slides = deck.slides
    rehearsal = Rehearsal(clock, "talk.md", [s.title for s in slides], None)
    for number, seconds in enumerate(times, start=1):
        rehearsal.visit(number)
        clock.now += seconds
    rehearsal.finish()
    rehearsal.fingerprints = [slide_fingerprint(s) for s in slides]
    rehearsal.deck_path = os.path.realpath(deck.path)
    rehearsal.finished = finished
    return rehearsal.report()


def test_each_slide_gets_its_rehearsed_share_scaled_to_the_duration(tmp_path: Path) -> None:
    deck = _deck(DECK, tmp_path)
    report = _rehearse(deck, [60, 240, 100])
    slides = deck.slides
    plan = plan_from_report(
        report, [slide_fingerprint(s) for s in slides], [s.title for s in slides], 600.0
    )
    assert plan.seconds == pytest.approx((90.0, 360.0, 150.0))
    assert (plan.start(2), plan.end(2)) == pytest.approx((90.0, 450.0))
    assert plan.unplanned == ()


def test_an_edited_deck_keeps_the_plan_of_the_slides_it_kept(tmp_path: Path) -> None:
    report = _rehearse(_deck(DECK, tmp_path), [60, 240, 100])
    report_path = tmp_path / "report.json"
    write_report(report, report_path)
    # A new slide in front, the demo's words edited (its title kept), questions moved.
    edited = (
        "# Agenda\n\nfirst things\n---\n# Questions\n\nask\n---\n# Opening\n\nhello\n"
        "---\n# Demo\n\nlonger part now\n"
    )
    slides = _deck(edited, tmp_path).slides
    plan = load_plan(report_path, slides, None)
    # Agenda has no rehearsed time: it gets the median (100 s) and is named.
    assert plan.seconds == pytest.approx((100.0, 100.0, 60.0, 240.0))
    assert plan.unplanned == (1,)
    assert plan.describe_unplanned() == "no rehearsed time for slide 1"


def test_time_left_and_over_since_a_slide_with_an_injected_clock(tmp_path: Path) -> None:
    deck = _deck(DECK, tmp_path)
    slides = deck.slides
    report = _rehearse(deck, [60, 120, 60])
    plan = plan_from_report(
        report, [slide_fingerprint(s) for s in slides], [s.title for s in slides], None
    )
    clock = FakeClock()
    talk = TalkClock(clock)
    pace = PlanPace(plan)
    pace.arrive(1, talk.elapsed)
    clock.now += 35
    assert pace.status(1, talk.elapsed, talk.on_slide).describe() == (
        "0:25 left on this slide · on plan"
    )
    clock.now += 55  # 90 s on a 60 s slide: 30 s over, since this very slide
    status = pace.status(1, talk.elapsed, talk.on_slide)
    assert (status.left_on_slide, status.over, status.since) == (-30, 30, 1)
    assert status.describe() == "0:30 over on this slide · +0:30 over since slide 1"
    talk.slide_changed()
    pace.arrive(2, talk.elapsed)  # arrives at 90 s, planned for 60 s: still late
    clock.now += 140  # 230 s: the demo should have ended at 180 s
    status = pace.status(2, talk.elapsed, talk.on_slide)
    assert status.describe() == "0:20 over on this slide · +0:50 over since slide 1"
    assert status.since == 1


def test_arriving_early_shows_how_far_ahead(tmp_path: Path) -> None:
    deck = _deck(DECK, tmp_path)
    slides = deck.slides
    report = _rehearse(deck, [60, 120, 60])
    plan = plan_from_report(
        report, [slide_fingerprint(s) for s in slides], [s.title for s in slides], None
    )
    pace = PlanPace(plan)
    pace.arrive(3, 100.0)
    assert pace.status(3, 100.0, 0.0).describe() == "1:00 left on this slide · -1:20 ahead"


def test_pace_from_latest_finds_this_decks_latest_report(tmp_path: Path) -> None:
    deck = _deck(DECK, tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    other_deck = _deck(DECK, other)
    folder = tmp_path / "reports"
    write_report(_rehearse(deck, [1, 2, 3], finished="2026-11-01T10:00:00"), folder / "a.json")
    write_report(_rehearse(deck, [4, 5, 6], finished="2026-11-20T10:00:00"), folder / "b.json")
    write_report(
        _rehearse(other_deck, [7, 8, 9], finished="2026-11-30T10:00:00"), folder / "c.json"
    )
    (folder / "junk.json").write_text("{not json")
    path = deck.path
    assert resolve_pace_from("latest", path, folder) == folder / "b.json"
    found = latest_report(path, folder, skip=folder / "b.json")
    assert found is not None and found[0] == folder / "a.json"
    with pytest.raises(ValueError, match="no rehearsal report of"):
        resolve_pace_from("latest", tmp_path / "never.md", folder)
    with pytest.raises(ValueError, match="no such report"):
        resolve_pace_from(str(tmp_path / "gone.json"), path, folder)


def test_reports_written_before_fingerprints_still_read(tmp_path: Path) -> None:
    old = {
        "version": 1, "deck": "talk.md", "duration": None, "total_seconds": 3.0,
        "slides": [{"slide": 1, "title": "Opening", "visits": 1, "seconds": 3.0,
                    "share": 1.0, "difference": None}],
    }  # fmt: skip
    report = from_json(old)
    assert report.deck_path is None and report.rows[0].fingerprint is None
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old))
    slides = _deck(DECK, tmp_path).slides
    plan = load_plan(path, slides, 300.0)
    assert plan.unplanned == (2, 3), "matched by title alone"
    assert sum(plan.seconds) == pytest.approx(300.0)


def test_a_rehearsal_compared_with_the_previous_one(tmp_path: Path) -> None:
    deck = _deck(DECK, tmp_path)
    before = _rehearse(deck, [60, 120, 60])
    after = _rehearse(deck, [65, 200, 30])
    changes = compare_rehearsals(before, after)
    assert [(c.slide, c.grew) for c in changes] == [(2, True), (3, False)]
    text = format_changes(changes, "2026-12-01T08:00:00")
    assert text.splitlines() == [
        "Compared with the previous rehearsal (the rehearsal of 2026-12-01 08:00):",
        "  slide 2 Demo: grew from 2:00 to 3:20 (+1:20)",
        "  slide 3 Questions: shrank from 1:00 to 0:30 (-0:30)",
    ]
    assert "no slide grew or shrank" in format_changes([], None)
    assert to_json(after)["slides"][0]["fingerprint"] == slide_fingerprint(deck.slides[0])

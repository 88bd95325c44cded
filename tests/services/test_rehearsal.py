"""Rehearsal timing with a fake clock: visits, shares, the table, JSON and where it is kept."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from prexterm.timing.rehearsal import (
    Rehearsal,
    default_report_path,
    format_table,
    from_json,
    to_json,
    write_report,
)

TITLES = ["Welcome", "The problem", "Our answer", "Questions"]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += seconds


def rehearse(duration: float | None = 400.0) -> tuple[Rehearsal, FakeClock]:
    """1: 60 s, 2: 30 s, 1 again: 15 s, 3: 125 s, then finish (4 never shown)."""
    clock = FakeClock()
    rehearsal = Rehearsal(clock, "Kigali talk", TITLES, duration)
    for slide, seconds in ((1, 60), (2, 30), (1, 15), (3, 125)):
        rehearsal.visit(slide)
        clock.tick(seconds)
    rehearsal.finish()
    return rehearsal, clock


def test_visits_and_revisits_accumulate() -> None:
    report = rehearse()[0].report()
    assert [(r.slide, r.visits, r.seconds) for r in report.rows] == [
        (1, 2, 75.0),
        (2, 1, 30.0),
        (3, 1, 125.0),
        (4, 0, 0.0),
    ]
    assert report.total == 230.0
    assert [r.title for r in report.rows] == TITLES


def test_same_slide_again_is_not_a_new_visit() -> None:
    clock = FakeClock()
    rehearsal = Rehearsal(clock, "t", TITLES, None)
    rehearsal.visit(2)
    clock.tick(5)
    rehearsal.visit(2)
    clock.tick(5)
    rehearsal.finish()
    row = rehearsal.report().rows[1]
    assert (row.visits, row.seconds) == (1, 10.0)


def test_shares_sum_to_one() -> None:
    report = rehearse()[0].report()
    assert math.isclose(sum(r.share for r in report.rows), 1.0)
    assert math.isclose(report.rows[0].share, 75 / 230)


def test_difference_from_an_even_share() -> None:
    report = rehearse(duration=400.0)[0].report()
    # 400 s over 4 slides: 100 s each.
    assert [r.difference for r in report.rows] == [-25.0, -70.0, 25.0, -100.0]
    assert all(r.difference is None for r in rehearse(duration=None)[0].report().rows)


def test_report_while_running_counts_up_to_now_without_stopping() -> None:
    clock = FakeClock()
    rehearsal = Rehearsal(clock, "t", TITLES, None)
    rehearsal.visit(1)
    clock.tick(12)
    assert rehearsal.report().rows[0].seconds == 12.0
    clock.tick(8)
    rehearsal.finish()
    rehearsal.finish()  # twice is harmless
    clock.tick(100)
    assert rehearsal.report().rows[0].seconds == 20.0
    assert rehearsal.current is None


def test_clock_stepping_back_takes_nothing_away() -> None:
    clock = FakeClock()
    rehearsal = Rehearsal(clock, "t", TITLES, None)
    rehearsal.visit(1)
    clock.tick(-30)
    rehearsal.visit(2)
    clock.tick(10)
    rehearsal.finish()
    assert [r.seconds for r in rehearsal.report().rows[:2]] == [0.0, 10.0]


def test_no_time_at_all_gives_zero_shares() -> None:
    report = Rehearsal(FakeClock(), "t", TITLES, None).report()
    assert report.total == 0 and all(r.share == 0 for r in report.rows)


def test_bad_input_is_refused() -> None:
    rehearsal = Rehearsal(FakeClock(), "t", TITLES, None)
    with pytest.raises(ValueError):
        rehearsal.visit(0)
    with pytest.raises(ValueError):
        rehearsal.visit(5)
    with pytest.raises(ValueError):
        Rehearsal(FakeClock(), "t", TITLES, 0)


def test_table_text() -> None:
    table = format_table(rehearse()[0].report())
    lines = table.splitlines()
    assert lines[0] == "Rehearsal of Kigali talk: 3:50, planned 6:40"
    assert lines[1].split() == ["#", "Slide", "Visits", "Time", "Share", "vs", "even"]
    assert lines[3].split() == ["1", "Welcome", "2", "1:15", "32.6%", "-0:25"]
    assert lines[5].split() == ["3", "Our", "answer", "1", "2:05", "54.3%", "+0:25"]
    assert lines[6].split() == ["4", "Questions", "0", "0:00", "0.0%", "-1:40"]
    assert lines[-1].split() == ["Total", "4", "3:50", "100.0%", "-2:50"]
    assert len({len(line) for line in lines[1:]}) == 1  # columns line up


def test_table_figures_add_up_whatever_the_fractions() -> None:
    """Three slides of 10.4 s against 31.5 s planned: each column adds up to its total."""
    clock = FakeClock()
    rehearsal = Rehearsal(clock, "t", TITLES[:3], 31.5)
    for slide in (1, 2, 3):
        rehearsal.visit(slide)
        clock.tick(10.4)
    rehearsal.finish()
    report = rehearsal.report()
    lines = format_table(report).splitlines()
    assert lines[0] == "Rehearsal of t: 0:31, planned 0:31"
    rows = [line.split() for line in lines[3:6]]
    times = [row[-3] for row in rows]
    versus = [row[-1] for row in rows]
    assert times == ["0:10", "0:10", "0:11"]  # 31 s in all, as the total says
    assert versus == ["+0:00", "-0:01", "+0:01"]  # even shares shown as 0:10, 0:11, 0:10
    assert lines[-1].split()[-3] == "0:31" and lines[-1].split()[-1] == "+0:00"
    data = to_json(report)  # the JSON keeps the seconds the table was made from
    assert [row["seconds"] for row in data["slides"]] == pytest.approx([10.4, 10.4, 10.4])
    assert math.floor(data["total_seconds"] + 1e-6) == 31


def test_table_without_duration_and_long_titles() -> None:
    clock = FakeClock()
    rehearsal = Rehearsal(clock, "t", ["x" * 80, "  "], None)
    rehearsal.visit(1)
    clock.tick(3)
    rehearsal.finish()
    table = format_table(rehearsal.report())
    assert "vs even" not in table and "planned" not in table
    assert "x" * 31 + "…" in table and "(untitled)" in table


def test_json_round_trip() -> None:
    report = rehearse()[0].report()
    data = json.loads(json.dumps(to_json(report)))
    assert data["version"] == 1 and data["deck"] == "Kigali talk"
    assert data["slides"][0] == {
        "slide": 1,
        "title": "Welcome",
        "visits": 2,
        "seconds": 75.0,
        "share": 75 / 230,
        "difference": -25.0,
        "fingerprint": None,
    }
    assert from_json(data) == report
    no_plan = rehearse(duration=None)[0].report()
    assert from_json(json.loads(json.dumps(to_json(no_plan)))) == no_plan
    with pytest.raises(ValueError):
        from_json({"version": 1})
    with pytest.raises(ValueError):
        from_json({**data, "version": 99})


NOW = datetime(2025, 3, 7, 9, 5, 3)


@pytest.fixture
def state_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Set HOME (under `tmp_path`) and, when given, XDG_STATE_HOME for the lookup."""

    def setting(*, home: str = str(tmp_path / "home"), state: str | None = None) -> None:
        monkeypatch.setenv("HOME", home)
        if state is None:
            monkeypatch.delenv("XDG_STATE_HOME", raising=False)
        else:
            monkeypatch.setenv("XDG_STATE_HOME", state)

    return setting


def test_default_path_in_xdg_state_home(tmp_path: Path, state_env: Callable[..., None]) -> None:
    deck = tmp_path / "talks" / "kigali.md"
    state_env(state=str(tmp_path / "state"))
    path = default_report_path(deck, NOW)
    assert path == tmp_path / "state" / "prexterm" / "rehearsals" / "kigali-20250307-090503.json"


def test_default_path_falls_back_to_home(tmp_path: Path, state_env: Callable[..., None]) -> None:
    deck = tmp_path / "kigali.md"
    expected = tmp_path / "home" / ".local" / "state" / "prexterm" / "rehearsals"
    for state in (None, "relative/state", ""):
        state_env(state=state)
        assert default_report_path(deck, NOW).parent == expected


def test_default_path_is_never_the_deck_folder(
    tmp_path: Path, state_env: Callable[..., None]
) -> None:
    deck_dir = tmp_path / "talk" / "prexterm" / "rehearsals"
    deck_dir.mkdir(parents=True)
    state_env(state=str(tmp_path / "talk"))
    path = default_report_path(deck_dir / "deck.md", NOW)
    assert path.parent != deck_dir
    assert path.parent == tmp_path / "home" / ".local" / "state" / "prexterm" / "rehearsals"


def test_default_path_name_is_safe(tmp_path: Path, state_env: Callable[..., None]) -> None:
    state_env(home=str(tmp_path))
    path = default_report_path(Path("/x/my talk; rm -rf.md"), NOW)
    assert path.name == "my_talk_rm_-rf-20250307-090503.json"
    assert default_report_path(Path("/x/.md"), NOW).name == "md-20250307-090503.json"
    assert default_report_path(Path("/x/__.md"), NOW).name == "deck-20250307-090503.json"


def test_write_report_is_atomic_and_creates_the_folder(tmp_path: Path) -> None:
    report = rehearse()[0].report()
    path = tmp_path / "state" / "prexterm" / "rehearsals" / "kigali-20250307-090503.json"
    assert write_report(report, path) == path
    assert from_json(json.loads(path.read_text(encoding="utf-8"))) == report
    write_report(report, path)  # replacing an existing report is fine
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_failed_write_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r" / "x.json"
    write_report(rehearse()[0].report(), path)
    before = path.read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_report(rehearse(duration=None)[0].report(), path)
    assert path.read_bytes() == before  # the old report is intact
    assert [p.name for p in path.parent.iterdir()] == ["x.json"]


def test_a_changed_deck_adds_rows_renames_them_and_keeps_time_spent() -> None:
    clock = FakeClock()
    rehearsal = Rehearsal(clock, "talk", ["A", "B", "C"], None)
    rehearsal.visit(3)
    clock.tick(5)
    rehearsal.deck_changed(["A", "Bee"])
    rehearsal.deck_changed(["A", "Bee", "C", "D"])
    rehearsal.visit(4)
    clock.tick(7)
    rows = rehearsal.report().rows
    assert [(r.title, r.visits, r.seconds) for r in rows] == [
        ("A", 0, 0.0),
        ("Bee", 0, 0.0),
        ("C", 1, 5.0),
        ("D", 1, 7.0),
    ]

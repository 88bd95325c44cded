"""A rehearsal driven through the player, with a clock the test moves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prexterm.app.factory import create_app
from prexterm.app.options import PlayerOptions
from prexterm.app.presenter import PresenterPane
from prexterm.app.run import _finish_rehearsal
from tests.conftest import FakeClock, WriteFiles


async def test_rehearsal_records_visits_and_writes_its_report(
    write: WriteFiles, tmp_path: Path, capsys: object
) -> None:
    deck = write({"deck.md": "# Intro\n---\n# Middle\n---\n# End\n"})
    clock = FakeClock()
    options = PlayerOptions(
        deck=deck, watch=False, sync=False, rehearse=True, presenter=True, duration=180.0,
        clock=clock,
    )  # fmt: skip
    app = create_app(options)
    async with app.run_test(size=(120, 30)) as pilot:
        assert app.query_one(PresenterPane).display
        clock.advance(30)
        await pilot.press("right")
        clock.advance(90)
        await pilot.press("left")
        clock.advance(10)
        await pilot.press("end")
        clock.advance(20)
        await pilot.press("q")
    assert app.rehearsal is not None
    report_path = tmp_path / "report.json"
    _finish_rehearsal(app.rehearsal, app.deck, str(report_path))
    data = json.loads(report_path.read_text())
    rows = {row["slide"]: row for row in data["slides"]}
    assert (rows[1]["visits"], rows[1]["seconds"]) == (2, 40.0)
    assert (rows[2]["visits"], rows[2]["seconds"]) == (1, 90.0)
    assert (rows[3]["visits"], rows[3]["seconds"]) == (1, 20.0)
    assert rows[2]["difference"] == 30.0, "90 s against an even share of 60 s"
    assert abs(sum(row["share"] for row in rows.values()) - 1.0) < 1e-9
    printed = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "Middle" in printed and "report written to" in printed


async def test_a_slide_added_by_a_reload_is_timed(
    write: WriteFiles, tmp_path: Path, capsys: object
) -> None:
    deck = write({"deck.md": "# Intro\n---\n# End\n"})
    clock = FakeClock()
    options = PlayerOptions(
        deck=deck, watch=False, sync=False, rehearse=True, presenter=True, clock=clock
    )
    app = create_app(options)
    async with app.run_test(size=(120, 30)) as pilot:
        clock.advance(10)
        deck.write_text("# Intro\n---\n# End\n---\n# Encore\n", encoding="utf-8")
        await pilot.press("r")
        await pilot.press("end")
        assert app.index == 2, "the reloaded deck has a third slide"
        clock.advance(25)
        await pilot.press("q")
    assert app.rehearsal is not None
    report_path = tmp_path / "report.json"
    _finish_rehearsal(app.rehearsal, app.deck, str(report_path))
    rows = {row["slide"]: row for row in json.loads(report_path.read_text())["slides"]}
    assert (rows[3]["title"], rows[3]["visits"], rows[3]["seconds"]) == ("Encore", 1, 25.0)
    assert "Encore" in capsys.readouterr().out  # type: ignore[attr-defined]


async def _rehearse(deck: Path, seconds: list[float], report: Path) -> None:
    """Rehearse `deck` spending `seconds` on each slide in turn, then write `report`."""
    clock = FakeClock()
    options = PlayerOptions(
        deck=deck, watch=False, sync=False, rehearse=True, presenter=True, clock=clock
    )
    app = create_app(options)
    async with app.run_test(size=(120, 30)) as pilot:
        for number, spent in enumerate(seconds, start=1):
            clock.advance(spent)
            await pilot.press("right" if number < len(seconds) else "q")
    assert app.rehearsal is not None
    _finish_rehearsal(app.rehearsal, app.deck, str(report))


async def test_a_rehearsal_says_what_changed_since_the_last_one(
    write: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    deck = write({"deck.md": "# Intro\n---\n# Demo\n---\n# End\n"})
    await _rehearse(deck, [30, 60, 40], tmp_path / "reports" / "first.json")
    first = capsys.readouterr().out
    assert "Compared with" not in first, "a first rehearsal has nothing to compare with"
    # The deck gains a slide in front: the others keep their times by their content.
    deck.write_text("# Welcome\n---\n# Intro\n---\n# Demo\n---\n# End\n", encoding="utf-8")
    await _rehearse(deck, [10, 32, 150, 15], tmp_path / "reports" / "second.json")
    lines = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Compared with"))
    assert lines[start + 1 : start + 3] == [
        "  slide 3 Demo: grew from 1:00 to 2:30 (+1:30)",
        "  slide 4 End: shrank from 0:40 to 0:15 (-0:25)",
    ]
    assert lines[start + 3].startswith("report written to")
    data = json.loads((tmp_path / "reports" / "second.json").read_text())
    assert data["deck_path"] == str(deck.resolve())
    assert all(len(row["fingerprint"]) == 16 for row in data["slides"])

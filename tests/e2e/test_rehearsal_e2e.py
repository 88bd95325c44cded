"""End to end: `prexterm rehearse` times every slide and leaves its report, however it ends.

A rehearsal ends with `q` (the table is printed on the terminal once the player has left
it) or with the terminal closing under it (SIGHUP): the JSON report must be written in
both cases, with the right number of visits for every slide.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal
from tests.e2e.tmux import Terminal

pytestmark = NEEDS_TERMINAL

TITLES = ("Alpha opening", "Bravo middle", "Charlie closing")
PAUSE = 0.3
"""Seconds the test stays on a slide once it is on screen."""


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    """A deck of three slides, each with a title and one line."""
    path = tmp_path / "three.md"
    slides = [f"# {title}\n\nslide {title.split()[0]}\n" for title in TITLES]
    path.write_text("\n---\n\n".join(slides))
    return path


def rehearse(
    terminal: Terminal, deck: Path, report: Path, env: dict[str, str], *, record_status: bool
) -> None:
    assert PREXTERM is not None
    terminal.start(
        [PREXTERM, "rehearse", str(deck), "--duration", "3m", "--report", str(report)],
        cwd=deck.parent,
        env=env,
        record_status=record_status,
    )


def walk(terminal: Terminal) -> float:
    """Right, Right, Left, pausing on every slide; return the seconds it took from the start."""
    started = time.monotonic()
    terminal.wait_for("1/3")
    terminal.wait_for(TITLES[0])
    time.sleep(PAUSE)
    for key, number in (("Right", 2), ("Right", 3), ("Left", 2)):
        terminal.send(key)
        terminal.wait_until(
            lambda s, n=number: f"{n}/3" in s and TITLES[n - 1] in s, f"slide {number}/3"
        )
        time.sleep(PAUSE)
    return time.monotonic() - started


HANGUP_BOUND = 10.0
"""Seconds after a hang-up by which the report must exist and the player be gone."""


def wait_report(path: Path, timeout: float = 5.0) -> dict[str, Any]:
    """The report once it is on disk (it is written atomically, by a rename)."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"no report at {path} after {timeout:.0f} s"
        time.sleep(0.05)
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def check_report(data: dict[str, Any], walked: float) -> None:
    assert data["duration"] == 180
    rows = data["slides"]
    assert [row["slide"] for row in rows] == [1, 2, 3]
    assert [row["title"] for row in rows] == list(TITLES)
    assert [row["visits"] for row in rows] == [1, 2, 1]
    seconds = [row["seconds"] for row in rows]
    # Every slide was on screen for at least one pause, slide 2 for two.
    assert seconds[0] >= PAUSE * 0.8 and seconds[2] >= PAUSE * 0.8, seconds
    assert seconds[1] >= 2 * PAUSE * 0.8, seconds
    assert sum(seconds) == pytest.approx(data["total_seconds"], abs=0.01)
    # Timing starts with the first slide, which the test saw a moment after starting.
    assert data["total_seconds"] <= walked + 5, (data["total_seconds"], walked)
    assert sum(row["share"] for row in rows) == pytest.approx(1.0, abs=0.01)


def test_quit_prints_the_table_and_writes_the_report(
    open_terminal: OpenTerminal, runtime: dict[str, str], deck: Path, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    terminal = open_terminal(100, 30)
    rehearse(terminal, deck, report, runtime, record_status=True)
    walked = walk(terminal)

    terminal.send("q")
    assert terminal.exit_status() == 0
    screen = terminal.wait_for("Total")
    assert terminal.display("#{alternate_on}") == "0"
    table = screen.splitlines()
    for number, title in enumerate(TITLES, start=1):
        (row,) = [line for line in table if title in line]
        visits = 2 if number == 2 else 1
        assert row.split()[:1] == [str(number)], row
        assert row.split()[3] == str(visits), row
    (total,) = [line for line in table if "Total" in line]
    assert total.split()[1] == "4", total  # visits in all
    # -J joins the rows a long path wrapped onto.
    joined = terminal.tmux("capture-pane", "-p", "-J", "-t", terminal.target)
    assert f"report written to {report}" in joined.splitlines(), joined

    check_report(wait_report(report, timeout=1), walked)


def test_closing_the_terminal_still_writes_the_report(
    open_terminal: OpenTerminal, runtime: dict[str, str], deck: Path, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    terminal = open_terminal(100, 30)
    # Without the status wrapper prexterm is the pane's own process: closing the pane
    # hangs up its terminal, and the kernel sends it SIGHUP directly.
    rehearse(terminal, deck, report, runtime, record_status=False)
    walked = walk(terminal)
    pid = int(terminal.display("#{pane_pid}"))
    assert not report.exists()

    terminal.tmux("kill-pane", "-t", terminal.target)

    # The player's watchdog ends it 3 s after the hang-up at the latest; the bounds leave
    # room for a slow machine without letting a process that ignores its terminal pass.
    check_report(wait_report(report, timeout=HANGUP_BOUND), walked)
    deadline = time.monotonic() + HANGUP_BOUND
    while Path(f"/proc/{pid}").exists() and _alive(pid):
        assert time.monotonic() < deadline, f"prexterm (pid {pid}) still runs after the hangup"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    """Whether `pid` is a process that has not ended (a zombie has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2 :].split()[0] not in ("Z", "X")

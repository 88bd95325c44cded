"""Three terminals on one talk: the presenter's, the notes view and the audience view.

Real processes of the installed command, talking over the private Unix socket.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal
from tests.e2e.tmux import Terminal

REPO = Path(__file__).resolve().parents[2]
SEED_DECK = REPO / "samples" / "kigali.md"

pytestmark = NEEDS_TERMINAL


def start(terminal: Terminal, env: dict[str, str], *args: str) -> None:
    assert PREXTERM is not None
    terminal.start([PREXTERM, *args, str(SEED_DECK)], cwd=REPO, env=env)


def test_followers_follow_and_lead(open_terminal: OpenTerminal, runtime: dict[str, str]) -> None:
    leader, notes, audience = (open_terminal(100, 30) for _ in range(3))
    start(leader, runtime)
    leader.wait_for("| 1/40")
    leader.send("1", "2", "Enter")
    leader.wait_for("| 12/40")

    start(notes, runtime, "notes")
    notes.wait_for("slide 12/40")  # a late view jumps to the current slide
    start(audience, runtime, "follow")
    audience.wait_for("| 12/40")

    leader.send("Right")
    notes.wait_for("slide 13/40")
    audience.wait_for("| 13/40")

    audience.send("Right")  # navigation in any view moves all of them
    leader.wait_for("| 14/40")
    notes.wait_for("slide 14/40")

    notes.send("Left", "Left")
    leader.wait_for("| 12/40")
    audience.wait_for("| 12/40")

    leader.send("q")
    assert leader.exit_status() == 0
    audience.wait_for("presenter disconnected")
    audience.send("Right")  # it keeps working on its own
    audience.wait_for("| 13/40")

    start(leader, runtime, "--slide", "30")
    leader.wait_for("| 30/40")
    audience.wait_for("| 30/40", timeout=10)  # reconnected
    notes.wait_for("slide 30/40", timeout=10)
    status_line = audience.lines()[-1]
    assert "presenter disconnected" not in status_line


def test_second_presenter_plays_alone(open_terminal: OpenTerminal, runtime: dict[str, str]) -> None:
    first, second = open_terminal(100, 30), open_terminal(100, 30)
    start(first, runtime)
    first.wait_for("| 1/40")
    start(second, runtime)
    second.wait_for("plays alone")
    second.send("End")
    second.wait_for("| 40/40")
    assert "| 1/40" in first.screen()

"""Three terminals on one talk: the presenter's, the notes view and the audience view.

Real processes of the installed command, talking over the private Unix socket.
"""

from __future__ import annotations

import re
import time
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


ELAPSED = re.compile(r"(\d+):(\d\d) (elapsed|not started)")


def elapsed(terminal: Terminal) -> int:
    """The talk's elapsed seconds as the terminal's presenter pane shows them."""
    found = ELAPSED.search(terminal.screen())
    assert found, terminal.screen()
    return int(found[1]) * 60 + int(found[2])


def test_every_view_shows_one_talk_clock(
    open_terminal: OpenTerminal, runtime: dict[str, str]
) -> None:
    leader, notes = open_terminal(100, 30), open_terminal(100, 30)
    start(leader, runtime, "--presenter", "--duration", "20m")
    leader.wait_for("0:00 not started")
    time.sleep(3)  # the deck opened before the talk: nothing counts yet
    assert "0:00 not started" in leader.screen()
    start(notes, runtime, "notes")
    notes.wait_for("0:00 not started")

    leader.send("Right")  # the talk starts with its first move
    notes.wait_for("slide 2/40")
    time.sleep(3)
    first, second = elapsed(leader), elapsed(notes)
    assert first >= 2 and abs(first - second) <= 2, (first, second)

    leader.send("t")  # the presenter pauses: every view's clock stops
    notes.wait_for("elapsed (paused)")
    paused = elapsed(notes)
    time.sleep(2)
    assert elapsed(notes) == paused and abs(elapsed(leader) - paused) <= 1

    notes.send("T")  # the notes view resets the one clock
    leader.wait_for("0:00 elapsed (paused)")
    notes.wait_for("0:00 elapsed (paused)")


def test_a_notes_view_started_late_shows_the_talks_elapsed_time(
    open_terminal: OpenTerminal, runtime: dict[str, str]
) -> None:
    leader, notes = open_terminal(100, 30), open_terminal(100, 30)
    start(leader, runtime, "--presenter", "--duration", "20m")
    leader.wait_for("0:00 not started")
    leader.send("Right")
    leader.wait_for("0:05 elapsed", timeout=15)
    start(notes, runtime, "notes")  # no --duration: the presenter's is shared
    notes.wait_for("slide 2/40")
    notes.wait_for("left · ahead")
    first, second = elapsed(leader), elapsed(notes)
    assert first >= 5 and abs(first - second) <= 2, (first, second)


def test_the_presenter_blanks_follow_views_not_the_notes_view(
    open_terminal: OpenTerminal, runtime: dict[str, str]
) -> None:
    leader, notes, audience = (open_terminal(100, 30) for _ in range(3))
    start(leader, runtime)
    leader.wait_for("| 1/40")
    start(notes, runtime, "notes")
    start(audience, runtime, "follow")
    notes.wait_for("slide 1/40")
    audience.wait_for("| 1/40")
    leader.send("b")
    audience.wait_until(lambda screen: not screen.strip(), "a blank screen")
    time.sleep(0.5)
    assert "slide 1/40" in notes.screen(), "the notes view is the speaker's own"
    leader.send("b")
    audience.wait_for("| 1/40")


def test_a_restarted_presenter_takes_the_talk_back_where_it_was(
    open_terminal: OpenTerminal, runtime: dict[str, str]
) -> None:
    leader, audience = open_terminal(100, 30), open_terminal(100, 30)
    start(leader, runtime, "--presenter")
    leader.wait_for("slide 1/40")
    start(audience, runtime, "follow")
    audience.wait_for("| 1/40")
    leader.send("1", "7", "Enter")
    audience.wait_for("| 17/40")
    time.sleep(2)
    leader.send("q")
    assert leader.exit_status() == 0
    audience.wait_for("presenter disconnected")

    start(leader, runtime, "--presenter")  # no --slide: it adopts the talk
    seen = []
    deadline = time.monotonic() + 10
    while "slide 17/40" not in leader.screen() and time.monotonic() < deadline:
        seen.append(audience.screen())
        time.sleep(0.05)
    leader.wait_for("slide 17/40", timeout=1)
    assert elapsed(leader) >= 2, "and its clock goes on from where it was"
    audience.wait_gone("presenter disconnected")
    seen.append(audience.screen())
    assert all("| 17/40" in screen for screen in seen), "the audience never went back"


TOUR = REPO / "samples" / "tour.md"


def test_a_follow_view_steps_along(open_terminal: OpenTerminal, runtime: dict[str, str]) -> None:
    """The tour's Steps slide: the audience view shows each step the presenter shows, and
    its own keys step the talk for everyone."""
    leader, audience = open_terminal(100, 30), open_terminal(80, 24)
    assert PREXTERM is not None
    leader.start([PREXTERM, "--slide", "19", str(TOUR)], cwd=REPO, env=runtime)
    leader.wait_for("19/23 · 1/4")
    audience.start([PREXTERM, "follow", str(TOUR)], cwd=REPO, env=runtime)
    audience.wait_for("19/23 · 1/4")
    assert "every item of a list" not in audience.screen()

    leader.send("Right")
    audience.wait_for("19/23 · 2/4")
    assert "After" in audience.screen() and "every item of a list" not in audience.screen()

    audience.send("Right")  # the audience view's key steps every view
    leader.wait_for("19/23 · 3/4")
    audience.wait_for("every item of a list")

    leader.send("a")
    audience.wait_for("19/23 · 4/4")
    audience.wait_for("belong to the slide")

    leader.send("Right")
    audience.wait_for("| 20/23")
    leader.send("Left")
    audience.wait_for("19/23 · 4/4")  # back to the last step, as the audience last saw it
    leader.send("[")
    audience.wait_for("18/23")

"""The presenter pane and the notes view in a real terminal, as the installed command
draws them: the notes must be readable at the sizes people present from."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal
from tests.e2e.tmux import Terminal

REPO = Path(__file__).resolve().parents[2]
SEED_DECK = REPO / "samples" / "kigali.md"
SEED_NOTE = "Building relationships based on trust to collaborate on technological projects."

pytestmark = NEEDS_TERMINAL


def reads(screen: str) -> str:
    """The screen as one line of words: a wrapped note reads whole, wherever it was cut
    (a notice's left edge, `▌`, left out)."""
    return " ".join(screen.replace("▌", " ").split())


def start(terminal: Terminal, env: dict[str, str], *args: str) -> None:
    assert PREXTERM is not None
    terminal.start([PREXTERM, *args, str(SEED_DECK)], cwd=REPO, env=env)


@pytest.mark.parametrize("size", [(100, 30), (80, 24), (60, 20)])
def test_the_whole_note_shows_in_the_pane_below_the_slide(
    open_terminal: OpenTerminal, runtime: dict[str, str], size: tuple[int, int]
) -> None:
    terminal = open_terminal(*size)
    start(terminal, runtime, "--presenter")
    screen = terminal.wait_until(lambda s: f"• {SEED_NOTE}" in reads(s), "the whole note")
    assert "For about a year now" in screen, "the slide is on screen too"


def test_notes_are_a_list_with_a_hanging_indent(
    open_terminal: OpenTerminal, runtime: dict[str, str]
) -> None:
    terminal = open_terminal(80, 24)
    assert PREXTERM is not None
    tour = REPO / "samples" / "tour.md"
    terminal.start([PREXTERM, "--presenter", "--slide", "9", str(tour)], cwd=REPO, env=runtime)
    terminal.wait_for("bang lines")
    lines = terminal.lines()
    marked = [i for i, line in enumerate(lines) if line.startswith(" • ")]
    assert [lines[i][3:13] for i in marked] == ["Code block", "Inside a f"], "\n".join(lines)
    assert lines[marked[0] + 1].startswith("   has less room"), "under the first word"
    assert marked[1] == marked[0] + 2, "no blank line between two notes"


def test_the_notes_view_shows_its_status(
    open_terminal: OpenTerminal, runtime: dict[str, str]
) -> None:
    notes, leader = open_terminal(80, 24), open_terminal(80, 24)
    start(notes, runtime, "notes")
    screen = notes.wait_for("waiting for the presenter")
    assert notes.lines()[0].strip() == "waiting for the presenter…", screen
    start(leader, runtime)
    leader.wait_for("| 1/40")
    notes.wait_gone("waiting for the presenter")
    leader.send("q")
    assert leader.exit_status() == 0
    notes.wait_until(lambda s: s.splitlines()[0].strip() == "presenter disconnected", "status")
    notes.send("s")
    screen = notes.wait_until(
        lambda s: "the notes view always shows the presenter pane" in reads(s), "the notice"
    )
    assert f"• {SEED_NOTE}" in reads(screen), "the pane stays"

"""End to end: Ctrl+Z hands the terminal back to the shell, and `fg` brings the talk back.

Only a real shell with job control can show this: the player stops, the shell's prompt
takes the terminal (in its normal mode: what is typed is echoed and runs), and `fg`
draws the slide again, where it was, with the keys working.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal

REPO = Path(__file__).resolve().parents[2]
SEED_DECK = REPO / "samples" / "kigali.md"
PROMPT = "shell-ready$ "

pytestmark = NEEDS_TERMINAL


def test_ctrl_z_suspends_and_fg_brings_the_slide_back(
    open_terminal: OpenTerminal, runtime: dict[str, str]
) -> None:
    assert PREXTERM is not None
    terminal = open_terminal(80, 24)
    terminal.start(
        ["bash", "--norc", "--noprofile", "-i"],
        cwd=REPO,
        env={**runtime, "PS1": PROMPT},
        record_status=False,
    )
    terminal.wait_for(PROMPT.rstrip())
    terminal.send(f"clear; {shlex.join([PREXTERM, str(SEED_DECK), '--slide', '3'])}", "Enter")
    terminal.wait_for("Made with Prexent | 3/40")

    terminal.send("C-z")
    screen = terminal.wait_for("Stopped")
    assert screen.rstrip().endswith(PROMPT.rstrip()), "the shell has the terminal"
    terminal.send("echo typed-$((40+2))", "Enter")
    terminal.wait_for("typed-42")  # echoed and run: the terminal is the shell's again

    terminal.send("fg", "Enter")
    screen = terminal.wait_for("Made with Prexent | 3/40")
    assert "FACTTIC in Kigali 2019" in screen, "the whole slide is drawn again"
    assert "ICA: The International Co-operative Alliance" in screen
    terminal.send("l")
    terminal.wait_for("Made with Prexent | 4/40")
    terminal.send("q")
    terminal.wait_until(lambda s: s.rstrip().endswith(PROMPT.rstrip()), "the prompt after quit")

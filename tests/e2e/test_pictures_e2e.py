"""A photo slide in a real terminal: the picture itself, drawn in half blocks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import OpenTerminal
from tests.e2e.tmux import tmux_path

REPO = Path(__file__).resolve().parents[2]
PREXTERM = shutil.which("prexterm")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(tmux_path() is None, reason="tmux is not installed"),
    pytest.mark.skipif(PREXTERM is None, reason="the prexterm command is not on PATH"),
]


def test_photo_slide_shows_the_picture(open_terminal: OpenTerminal) -> None:
    pytest.importorskip("PIL")
    assert PREXTERM is not None
    terminal = open_terminal(100, 30)
    terminal.start([PREXTERM, "samples/tour.md", "--slide", "12"], cwd=REPO)
    screen = terminal.wait_until(lambda s: s.count("▀") > 1000, "a picture in half blocks")
    assert "Photo slides fill the screen" in screen
    coloured = terminal.screen(escapes=True)
    assert "48;5;" in coloured or "48;2;" in coloured, "the picture has colours"
    terminal.send("q")
    assert terminal.exit_status() == 0

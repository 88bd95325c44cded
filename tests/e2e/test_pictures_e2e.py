"""A photo slide in a real terminal: the picture itself, drawn in half blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal

REPO = Path(__file__).resolve().parents[2]

pytestmark = NEEDS_TERMINAL


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

"""End to end: the seed deck plays in the terminals people really have.

`TERM` decides what the program may send: 256 colours or 16, and which capabilities the
terminal has. Each kind must show the talk, move, quit with status 0 and leave the
terminal as it found it. A 16-colour terminal must never receive 256-colour or truecolour
escapes; a locale that is not UTF-8 must get ASCII drawing without being asked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal
from tests.e2e.tmux import Terminal, sgr_parameters

REPO = Path(__file__).resolve().parents[2]
SEED_DECK = REPO / "samples" / "kigali.md"

HEADER = "FACTTIC in Kigali 2019"
SLIDES = 40
PHOTO_SLIDE = 26

BOX_DRAWING = re.compile(r"[\u2500-\u259f]")
"""Box drawing (U+2500–U+257F) and block elements (U+2580–U+259F)."""

EXTENDED_COLOUR = re.compile(r"(^|;)(38|48)[;:](5|2)[;:]")
"""An SGR parameter string that sets a 256-colour (`38;5;N`) or truecolour (`38;2;R;G;B`)
foreground or background."""

pytestmark = NEEDS_TERMINAL


def play(terminal: Terminal, env: dict[str, str], *args: str) -> None:
    assert PREXTERM is not None
    terminal.start([PREXTERM, *args, str(SEED_DECK)], cwd=REPO, env=env)


def position(number: int) -> str:
    return f"| {number}/{SLIDES}"


def assert_16_colours(terminal: Terminal) -> None:
    """The screen, with its colours as the terminal holds them, uses the 16 basic ones only."""
    params = sgr_parameters(terminal.screen(escapes=True))
    assert any(re.search(r"(^|;)(3[0-7]|9[0-7])(;|$)", p) for p in params), (
        "no foreground colour at all: the check for extended colours would prove nothing"
    )
    extended = sorted({p for p in params if EXTENDED_COLOUR.search(p)})
    assert not extended, f"a 16-colour terminal got {extended}"


@pytest.mark.parametrize("term", ["xterm-256color", "xterm", "screen", "tmux-256color", "linux"])
def test_plays_and_restores(
    open_terminal: OpenTerminal, runtime: dict[str, str], term: str
) -> None:
    terminal = open_terminal(100, 30)
    play(terminal, {**runtime, "TERM": term})
    screen = terminal.wait_until(
        lambda s: position(1) in s and "For about a year now" in s, f"slide 1 in {term}"
    )
    assert HEADER in screen
    assert "Traceback" not in screen
    assert terminal.display("#{alternate_on}") == "1"
    if term == "xterm":
        assert_16_colours(terminal)

    terminal.send("Right")
    terminal.wait_until(
        lambda s: position(2) in s and "For about a year now" not in s, f"slide 2 in {term}"
    )
    if term == "xterm":
        assert_16_colours(terminal)

    terminal.send("q")
    assert terminal.exit_status() == 0
    terminal.wait_gone(HEADER)
    assert terminal.display("#{alternate_on}") == "0", "the alternate screen was not left"


def test_c_locale_draws_ascii_by_itself(
    open_terminal: OpenTerminal, runtime: dict[str, str]
) -> None:
    terminal = open_terminal(100, 30)
    # Terminal.start already clears LC_ALL and LC_CTYPE; LANG=C replaces the UTF-8 default.
    play(terminal, {**runtime, "LANG": "C"}, "--slide", str(PHOTO_SLIDE))
    screen = terminal.wait_until(
        lambda s: position(PHOTO_SLIDE) in s and re.search(r"\bphoto\b", s) is not None,
        f"the photo slide {PHOTO_SLIDE}",
    )
    assert HEADER in screen
    assert not BOX_DRAWING.findall(screen), sorted(set(BOX_DRAWING.findall(screen)))
    terminal.send("q")
    assert terminal.exit_status() == 0

"""End to end: in a terminal whose locale is not UTF-8, prexterm's own chrome is ASCII.

The overview, the help, the presenter pane, notifications and the status line are read
off a real terminal (LANG=C); the deck itself is plain ASCII, so every character on the
screen must be.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal

pytestmark = NEEDS_TERMINAL

DECK = """\
!header Plain talk !footer Plain footer
# First slide

Plain words only.
!comment A note for the speaker.
-
# Second slide
"""


def not_ascii(screen: str) -> list[str]:
    return [line for line in screen.splitlines() if not line.isascii()]


def test_c_locale_chrome_is_ascii(
    open_terminal: OpenTerminal, runtime: dict[str, str], tmp_path: Path
) -> None:
    deck = tmp_path / "talk.md"
    deck.write_text(DECK, encoding="ascii")
    terminal = open_terminal(130, 30)
    assert PREXTERM is not None
    argv = [PREXTERM, "--presenter", "--duration", "10m", str(deck)]
    terminal.start(argv, cwd=tmp_path, env={**runtime, "LANG": "C"})
    screen = terminal.wait_for("Plain footer | 1/2")
    assert "left - " in screen, "the pace line"
    assert not not_ascii(screen), not_ascii(screen)

    terminal.send("o")
    screen = terminal.wait_for("type to filter")
    assert "+----" in screen and "Second slide" in screen, "an ASCII frame from the start"
    assert not not_ascii(screen), not_ascii(screen)

    terminal.send("Escape")
    terminal.wait_gone("type to filter")
    terminal.send("?")
    screen = terminal.wait_for("Navigation")
    assert "Right  l  j" in screen
    assert not not_ascii(screen), not_ascii(screen)

    terminal.send("Escape")
    terminal.wait_gone("Navigation")
    terminal.send("x")
    terminal.send("1")
    screen = terminal.wait_until(
        lambda s: "no code to run" in s and "go to slide 1..." in s, "a notice and the status"
    )
    assert not not_ascii(screen), not_ascii(screen)
    terminal.send("q")
    assert terminal.exit_status() == 0

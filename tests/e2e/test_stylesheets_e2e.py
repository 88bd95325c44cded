"""End to end: a deck's broken stylesheets in a real terminal, at start and saved mid-talk."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal
from tests.e2e.tmux import TerminalTimeout

pytestmark = NEEDS_TERMINAL

DECK = "!custom_css look.tcss\n!custom_css nested.css\n# One\n\nfirst words\n---\n# Two\n"
RED_SLIDE = "48;5;124"
"""How tmux shows the slide background `#aa0000` of `look.tcss` in 256 colours."""


def notices(screen: str) -> str:
    """The words of the notices on `screen` (drawn after a `▌` on the right), one line."""
    rows = [row.rsplit("▌", 1)[1] for row in screen.splitlines() if "▌" in row]
    return " ".join(" ".join(rows).split())


def test_broken_stylesheets_leave_the_talk_playing(
    tmp_path: Path, open_terminal: OpenTerminal
) -> None:
    (tmp_path / "deck.md").write_text(DECK)
    (tmp_path / "look.tcss").write_text("#slide { background: #aa0000; }\n")
    (tmp_path / "nested.css").write_text(".x { color: " + "(" * 50_000 + " }\n")
    terminal = open_terminal(80, 24)
    assert PREXTERM is not None
    terminal.start([PREXTERM, "deck.md"], cwd=tmp_path)
    screen = terminal.wait_until(lambda s: "(playing without it)" in notices(s), "a notice")
    assert "first words" in screen and "1/2" in screen
    assert "nested.css:1: brackets nested more than 32 deep (playing" in notices(screen)
    assert RED_SLIDE in terminal.screen(escapes=True), "the good stylesheet is applied"

    # Saved again until the file watcher, which starts in the background, has seen it.
    for _ in range(30):
        (tmp_path / "look.tcss").write_text("#slide { background: #00aa00;\n")
        try:
            screen = terminal.wait_until(
                lambda s: "(keeping its last" in notices(s), "a notice", timeout=0.5
            )
            break
        except TerminalTimeout:
            continue
    assert "look.tcss:2: Unexpected end of file. Did you forget a '}'? (keeping" in notices(screen)
    assert "One" in screen and "1/2" in screen, "the slide, beside the notices"
    assert RED_SLIDE in terminal.screen(escapes=True), "the last good look stays"

    terminal.send("?")
    terminal.wait_for("prexterm keys")
    terminal.send("Escape")
    terminal.wait_gone("prexterm keys")
    terminal.send("Right")
    terminal.wait_for("2/2")
    terminal.send("q")
    assert terminal.exit_status() == 0

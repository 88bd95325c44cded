"""End to end: what a hostile deck or its name holds never drives the terminal, and keys
typed while the player quits never end it with a traceback.

A deck named `a␛]0;PWNED␇b.md` once retitled the terminal through the rehearsal table
printed on quit; `qo` typed fast printed a traceback as the overview opened during exit.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal

pytestmark = NEEDS_TERMINAL

TITLE_ATTACK = "\x1b]0;PWNED\x07"
HOSTILE_NAME = f"a{TITLE_ATTACK}b\x9bc.md"
"""An OSC that sets the window title, and the 8-bit CSI some terminals obey."""
SHOWN_NAME = "a␛]0;PWNED␇b\ufffdc.md"
SEED_DECK = Path(__file__).resolve().parents[2] / "samples" / "kigali.md"
"""Forty slides: an overview of them takes long enough to open that quitting overtook it."""


def hostile_deck(folder: Path) -> Path:
    deck = folder / HOSTILE_NAME
    deck.write_text("# Alpha [@click=app.quit]x[/]\n\none\n---\n# Bravo\n\ntwo\n")
    return deck


def test_a_deck_named_with_an_escape_sequence_cannot_retitle_the_terminal(
    open_terminal: OpenTerminal, runtime: dict[str, str], tmp_path: Path
) -> None:
    assert PREXTERM is not None
    deck = hostile_deck(tmp_path)
    terminal = open_terminal(100, 30)
    title = terminal.display("#{pane_title}")
    terminal.start(
        [PREXTERM, "rehearse", deck.name, "--report", "r.json"], cwd=tmp_path, env=runtime
    )
    terminal.wait_for("1/2")
    terminal.send("q")
    assert terminal.exit_status() == 0
    screen = terminal.wait_for("Total")
    assert f"Rehearsal of {SHOWN_NAME}" in screen
    assert "Alpha [@click=app.quit]x[/]" in screen
    assert terminal.display("#{pane_title}") == title
    assert "PWNED\x07" not in terminal.screen(escapes=True)
    assert "\x1b]" not in terminal.screen(escapes=True)


def test_check_prints_a_hostile_deck_name_as_text(tmp_path: Path) -> None:
    assert PREXTERM is not None
    deck = hostile_deck(tmp_path)
    (tmp_path / "ok.md").write_text("# Fine\n")
    done = subprocess.run(
        [PREXTERM, "check", deck.name, "ok.md"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.stdout.splitlines()[0] == f"{SHOWN_NAME}: 2 slides, 0 errors, 0 warnings"
    as_json = subprocess.run(
        [PREXTERM, "check", "--json", deck.name], cwd=tmp_path, capture_output=True, text=True
    )
    for printed in (done.stdout, done.stderr, as_json.stdout):
        assert not any(0x7F <= ord(c) <= 0x9F or (ord(c) < 0x20 and c != "\n") for c in printed)
    assert json.loads(as_json.stdout)["deck"] == HOSTILE_NAME, "the JSON keeps the exact name"


@pytest.mark.parametrize("keys", ["qo", "q?", "qb", "q/", "qs"])
def test_keys_typed_right_after_quit_end_cleanly(
    open_terminal: OpenTerminal, runtime: dict[str, str], tmp_path: Path, keys: str
) -> None:
    assert PREXTERM is not None
    terminal = open_terminal(80, 24)
    terminal.start([PREXTERM, str(SEED_DECK)], cwd=tmp_path, env=runtime)
    terminal.wait_for("1/40")
    terminal.send(keys)  # both keys in one write, as fast fingers type them
    assert terminal.exit_status() == 0
    screen = terminal.screen()
    assert "Traceback" not in screen
    assert "Error" not in screen

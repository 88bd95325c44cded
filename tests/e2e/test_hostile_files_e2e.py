"""End to end: files a hostile deck or a process beside it swaps in while a talk runs.

A code file and an include replaced by links to outside the deck root after the deck was
read: the reload is refused, the talk goes on, and `x` runs the code that was read and
shown (the outside program's marker and the outside file's canary never appear). Named
pipes where an include, a code file and a stylesheet should be: the player draws its
first frame with their error blocks and quits on `q`. A settings file linked to
`/dev/zero`: a clear message, at once.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal

pytestmark = NEEDS_TERMINAL


def test_files_swapped_for_links_after_loading_are_not_read_or_run(
    open_terminal: OpenTerminal, runtime: dict[str, str], tmp_path: Path
) -> None:
    assert PREXTERM is not None
    deck = tmp_path / "deck"
    outside = tmp_path / "outside"
    deck.mkdir()
    outside.mkdir()
    (deck / "talk.md").write_text("# Swapped\n\n!include part.md\n\n!code demo.py\n")
    (deck / "part.md").write_text("Included words\n")
    (deck / "demo.py").write_text("print('INSIDE' + '-MARKER')\n")
    (outside / "evil.py").write_text("print('OUTSIDE' + '-MARKER')\n")
    (outside / "canary.md").write_text("CANARY words\n")

    terminal = open_terminal(100, 30)
    terminal.start([PREXTERM, "--allow-exec", "deck/talk.md"], cwd=tmp_path, env=runtime)
    terminal.wait_for("Included words")
    for name, target in (("demo.py", outside / "evil.py"), ("part.md", outside / "canary.md")):
        swap = deck / f"{name}.swap"
        swap.symlink_to(target)
        swap.replace(deck / name)
    terminal.send("r")  # reload now, whether or not the watcher has seen the swap yet
    terminal.wait_until(
        lambda screen: "reload failed" in screen and "refused:" in screen, "the refused reload"
    )
    terminal.send("x")
    screen = terminal.wait_for("exited normally")
    assert "INSIDE-MARKER" in screen
    assert "Included words" in screen
    assert "OUTSIDE-MARKER" not in screen
    assert "CANARY" not in screen
    terminal.send("q")
    assert terminal.exit_status() == 0


def test_named_pipes_show_error_blocks_and_the_player_quits(
    open_terminal: OpenTerminal, runtime: dict[str, str], tmp_path: Path
) -> None:
    assert PREXTERM is not None
    for name in ("part.md", "demo.py", "look.tcss"):
        os.mkfifo(tmp_path / name)
    (tmp_path / "talk.md").write_text(
        "# Pipes\n\n!include part.md\n\n!code demo.py\n\n!custom_css look.tcss\n"
    )
    terminal = open_terminal(100, 30)
    terminal.start([PREXTERM, "talk.md"], cwd=tmp_path, env=runtime)
    screen = terminal.wait_for("demo.py: not a regular file", timeout=5)
    assert "cannot read included file part.md: not a regular file (a named pipe)" in screen
    terminal.wait_for("look.tcss: cannot read: not a regular file", timeout=5)
    terminal.send("q")
    assert terminal.exit_status(timeout=5) == 0


def test_settings_linked_to_a_device_are_refused_at_once(
    open_terminal: OpenTerminal, runtime: dict[str, str], tmp_path: Path
) -> None:
    assert PREXTERM is not None
    settings = tmp_path / "config" / "prexterm" / "config.toml"
    settings.parent.mkdir(parents=True)
    settings.symlink_to("/dev/zero")
    (tmp_path / "talk.md").write_text("# Talk\n")
    terminal = open_terminal(100, 30)
    env = {**runtime, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    terminal.start([PREXTERM, "talk.md"], cwd=tmp_path, env=env)
    assert terminal.exit_status(timeout=5) == 2
    assert f"{settings}: cannot read: not a regular file (a character device)" in (
        terminal.screen().replace("\n", "")
    )

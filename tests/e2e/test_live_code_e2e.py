"""End to end: `!code` blocks run live in a real terminal, and nothing outlives the player.

The tour deck's live-code slides run their real programs (with `--allow-exec`); a temporary
deck holds a script that never ends, to stop it with Escape and to quit while it runs. The
process table (/proc) tells whether a program was left behind: the script's file name and
the fractional seconds it sleeps are unique to the test, so they mark its processes.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal
from tests.e2e.tmux import Terminal

REPO = Path(__file__).resolve().parents[2]
TOUR = REPO / "samples" / "tour.md"

pytestmark = NEEDS_TERMINAL

DISABLED = "code execution is disabled"


def tour_slide(title: str) -> tuple[int, int, str]:
    """The number of the tour's slide called `title`, the slide count, and its code file.

    Read from `prexterm check --json`, so the tests follow the deck when slides move.
    """
    assert PREXTERM is not None
    done = subprocess.run(
        [PREXTERM, "check", "--json", str(TOUR)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    slides = json.loads(done.stdout)["slides"]
    for slide in slides:
        if slide["title"] == title:
            (block,) = slide["code"]
            return slide["number"], len(slides), block["path"]
    raise AssertionError(f"the tour has no slide {title!r}")


PANEL_ROW = re.compile(r"│ (.*?)\s*│\s*$")
"""A row inside the output panel (a rounded frame); code blocks are framed in heavy lines."""


def panel(screen: str) -> list[str]:
    """The text rows of the output panel on `screen`, top to bottom, blank ones left out."""
    return [m.group(1) for row in screen.splitlines() if (m := PANEL_ROW.search(row)) and m[1]]


def wait_panel(terminal: Terminal, text: str, *, absent: str | None = None) -> str:
    """Wait until the output panel has a row `text` (and, if given, none `absent`)."""

    def shows(screen: str) -> bool:
        rows = panel(screen)
        return text in rows and (absent is None or absent not in rows)

    what = f"a panel row {text!r}" + (f" without {absent!r}" if absent else "")
    return terminal.wait_until(shows, what)


def play(terminal: Terminal, env: dict[str, str], *args: str, cwd: Path = REPO) -> None:
    assert PREXTERM is not None
    terminal.start([PREXTERM, *args], cwd=cwd, env=env)


# -- the tour's own live-code slides -------------------------------------------------------


def test_shell_slide_streams_its_output(
    open_terminal: OpenTerminal, runtime: dict[str, str]
) -> None:
    number, count, code = tour_slide("Live code: shell")
    assert code == "code/count.sh"
    terminal = open_terminal(100, 40)
    play(terminal, runtime, str(TOUR), "--slide", str(number), "--allow-exec")
    terminal.wait_for(f"{number}/{count}")
    terminal.wait_for("count.sh")
    assert not panel(terminal.screen())

    terminal.send("x")
    # The script prints a step every 0.3 s: the first ones show while it still runs.
    screen = wait_panel(terminal, "step 1 of 5", absent="exited normally")
    assert "Escape stops" in screen
    screen = wait_panel(terminal, "exited normally")
    expected = [*(f"step {step} of 5" for step in range(1, 6)), "finished", "exited normally"]
    shown = panel(screen)
    assert shown[-len(expected) :] == expected, shown
    assert "Escape closes" in screen
    assert f"{number}/{count}" in screen

    terminal.send("q")
    assert terminal.exit_status() == 0


def test_python_slide_shows_stdout_and_stderr(
    open_terminal: OpenTerminal, runtime: dict[str, str]
) -> None:
    number, count, code = tour_slide("Live code: Python")
    assert code == "code/hello.py"
    terminal = open_terminal(100, 40)
    play(terminal, runtime, str(TOUR), "--slide", str(number), "--allow-exec")
    terminal.wait_for(f"{number}/{count}")
    terminal.wait_for("hello.py")

    terminal.send("x")
    wait_panel(terminal, "3...", absent="exited normally")
    screen = wait_panel(terminal, "exited normally")
    expected = [
        "3...",
        "2...",
        "1...",
        "this line goes to stderr",
        "Done. Press e to change this file and x to run it again.",
        "exited normally",
    ]
    shown = panel(screen)
    assert shown[-len(expected) :] == expected, shown
    terminal.send("q")
    assert terminal.exit_status() == 0


def test_output_panel_sits_over_the_slide(
    open_terminal: OpenTerminal, runtime: dict[str, str]
) -> None:
    number, count, _ = tour_slide("Live code: shell")
    terminal = open_terminal(100, 40)
    play(terminal, runtime, str(TOUR), "--slide", str(number), "--allow-exec")
    terminal.wait_for(f"{number}/{count}")
    before = terminal.lines()
    terminal.send("x")
    screen = wait_panel(terminal, "exited normally")
    rows = screen.splitlines()
    # The frame stays where it was: the panel floats over the slide's lower right.
    assert rows[0].rstrip() == before[0], screen
    assert rows[-1].rstrip().endswith(f"| {number}/{count}"), screen
    assert "bash count.sh" in screen, "the panel's title (its top border) is cut off"
    assert panel(screen)[0].startswith("Counting in"), "the program's first line is cut off"


# -- a program that never ends -------------------------------------------------------------


@dataclass
class Forever:
    """A deck whose only `!code` block is a script that prints a beat until it is stopped."""

    deck: Path
    script: Path
    pause: str
    """The fractional seconds the script sleeps: unique, so it marks its `sleep`."""

    def processes(self) -> dict[int, str]:
        """Every live process that belongs to this script: pid to command line."""
        marks = (self.script.name.encode(), self.pause.encode())
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if any(mark in cmdline for mark in marks):
                found[int(entry.name)] = cmdline.replace(b"\0", b" ").decode(errors="replace")
        return found

    def wait_no_processes(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while (left := self.processes()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not left, f"processes left behind: {left}"


@pytest.fixture
def forever(tmp_path: Path) -> Iterator[Forever]:
    unique = uuid.uuid4()
    pause = f"0.2{unique.int % 10**9:09d}"
    script = tmp_path / f"tick-{unique.hex[:12]}.sh"
    script.write_text(
        "#!/usr/bin/env bash\n"
        f"# {unique.hex}: one beat a moment, forever\n"
        "n=0\n"
        "while true; do\n"
        "    n=$((n + 1))\n"
        '    echo "beat $n"\n'
        f"    sleep {pause}\n"
        "done\n"
    )
    deck = tmp_path / "forever.md"
    deck.write_text(f"# Forever\n\n!code {script.name} bash\n")
    marked = Forever(deck, script, pause)
    yield marked
    # Should a test fail half-way, leave nothing running either.
    for pid in marked.processes():
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def test_run_stop_and_close(
    open_terminal: OpenTerminal, runtime: dict[str, str], forever: Forever
) -> None:
    terminal = open_terminal(100, 40)
    play(terminal, runtime, str(forever.deck), "--allow-exec", cwd=forever.deck.parent)
    terminal.wait_for("1/1")
    terminal.wait_for(forever.script.name)

    terminal.send("x")
    wait_panel(terminal, "beat 3")
    assert "Escape stops" in terminal.screen()
    assert forever.processes(), "the script runs, yet no process of it was found"

    terminal.send("Escape")
    screen = wait_panel(terminal, "stopped")
    assert "Escape closes" in screen
    forever.wait_no_processes(timeout=5)
    beats = panel(screen)
    assert beats[-1] == "stopped" and beats[-2].startswith("beat "), beats
    time.sleep(0.5)  # a stopped program prints nothing more
    assert panel(terminal.screen()) == beats

    terminal.send("Escape")
    screen = terminal.wait_until(
        lambda s: not panel(s) and "Escape closes" not in s, "the output panel to close"
    )
    assert "Forever" in screen and "1/1" in screen

    terminal.send("q")
    assert terminal.exit_status() == 0
    forever.wait_no_processes(timeout=0.5)


def test_quit_while_running_leaves_nothing(
    open_terminal: OpenTerminal, runtime: dict[str, str], forever: Forever
) -> None:
    terminal = open_terminal(100, 40)
    play(terminal, runtime, str(forever.deck), "--allow-exec", cwd=forever.deck.parent)
    terminal.wait_for("1/1")
    terminal.send("x")
    wait_panel(terminal, "beat 2")
    assert forever.processes()

    terminal.send("q")
    assert terminal.exit_status() == 0
    forever.wait_no_processes(timeout=0.5)


def test_without_allow_exec_nothing_runs(
    open_terminal: OpenTerminal, runtime: dict[str, str], forever: Forever
) -> None:
    terminal = open_terminal(100, 40)
    play(terminal, runtime, str(forever.deck), cwd=forever.deck.parent)
    terminal.wait_for("1/1")
    terminal.wait_for(forever.script.name)

    terminal.send("x")
    screen = terminal.wait_for(DISABLED)
    assert "--allow-exec" in screen
    # For a second, nothing may start: no output, no process.
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        assert not panel(terminal.screen())
        assert not forever.processes()
        time.sleep(0.1)

    terminal.send("q")
    assert terminal.exit_status() == 0


# -- a hostile program ------------------------------------------------------------------

HOSTILE = r"""import sys
w = sys.stdout.write
w("\x1b]0;PWNED-TITLE\x07\x1b]2;PWNED-TOO\x1b\\")
w("\x1b]52;c;cHduZWQtY2xpcGJvYXJk\x07")
w("\x1b[2J\x1b[3J\x1b[H\x1b[?1049l")
w("plain \x1b[31mcrimson\x1b[0m \x1b]8;;file:///etc/passwd\x1b\\link\x1b]8;;\x1b\\ end\n")
w("\x1b[5;1Hmoved \x1bc\x1b[1;32mverdant\x1b[0m\n")
sys.stdout.flush()
"""


def test_a_programs_escape_sequences_never_reach_the_terminal(
    open_terminal: OpenTerminal, runtime: dict[str, str], tmp_path: Path
) -> None:
    """Title, clipboard (OSC 52), hyperlink, clear screen and cursor moves are not obeyed;
    the program's colours still show."""
    deck = tmp_path / "deck.md"
    deck.write_text("# Hostile output\n\n!code evil.py\n", encoding="utf-8")
    (tmp_path / "evil.py").write_text(HOSTILE, encoding="utf-8")
    terminal = open_terminal(100, 30)
    terminal.tmux("set-option", "-g", "set-clipboard", "on")  # let OSC 52 fill a buffer
    play(terminal, runtime, str(deck), "--allow-exec", cwd=tmp_path)
    terminal.wait_for("Hostile output")
    title = terminal.display("#{pane_title}")

    terminal.send("x")
    screen = wait_panel(terminal, "exited normally")
    assert "plain crimson link end" in panel(screen)
    assert "moved verdant" in panel(screen)
    assert "Hostile output" in screen, "the screen was not cleared"
    assert not [row for row in panel(screen) if "PWNED" in row or "passwd" in row]
    assert terminal.display("#{pane_title}") == title
    assert "PWNED" not in title
    assert terminal.display("#{alternate_on}") == "1", "still on the player's screen"
    assert terminal.tmux("list-buffers").strip() == "", "no clipboard write"
    coloured = terminal.screen(escapes=True)
    assert "\x1b]" not in coloured and "\x1b[2J" not in coloured
    # The panel's row, not the code listing's (which spells the escapes out as text).
    sgr = re.compile(r"\x1b\[[0-9;]*m")
    row = next(
        line
        for line in coloured.splitlines()
        if "crimson" in line and sgr.sub("", line[: line.rfind("crimson")]).endswith("│ plain ")
    )
    before = row[: row.rfind("crimson")]
    colour = before[before.rindex("\x1b[") :]
    assert re.fullmatch(r"\x1b\[(?:[0-9;]*;)?(?:31|91|38;5;\d+|38;2;\d+;\d+;\d+)m", colour), colour
    plain_colour = row[: row.rfind("plain")]
    assert plain_colour[plain_colour.rindex("\x1b[") :] != colour, "crimson has a colour of its own"
    terminal.send("q")
    assert terminal.exit_status() == 0

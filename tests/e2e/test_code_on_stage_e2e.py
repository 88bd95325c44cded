"""End to end: code on stage in a real terminal. A `+pty` program's colours reach the
screen while its OSC 52, title and clear-screen sequences do not, its progress bar
redraws one line; highlighted lines carry their mark."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal
from tests.e2e.test_live_code_e2e import panel, wait_panel

pytestmark = NEEDS_TERMINAL

PTY_DECK = """\
# Colour on stage

```python +exec +pty
import sys, time
print("\\x1b[38;5;196mRED-LINE\\x1b[0m plain")
sys.stdout.write("A\\x1b]52;c;UFdORUQ=\\x07B\\x1b]2;PWNED\\x07C\\x1b[2JD\\x1b[HE\\n")
for i in range(1, 6):
    sys.stdout.write(f"\\r\\x1b[2Kprogress {i * 20}%")
    sys.stdout.flush()
    time.sleep(0.05)
print()
print("tty", sys.stdout.isatty())
```
"""

HIGHLIGHT_DECK = """\
# Lines that matter

```python {2} +line_numbers
first = 1
second = 2
third = 3
```
"""


def test_pty_colours_show_and_other_sequences_do_not(
    open_terminal: OpenTerminal, runtime: dict[str, str], tmp_path: Path
) -> None:
    assert PREXTERM is not None
    (tmp_path / "deck.md").write_text(PTY_DECK)
    terminal = open_terminal(100, 30)
    terminal.tmux("set-option", "-g", "set-clipboard", "on")
    terminal.start([PREXTERM, "deck.md", "--allow-exec", "--no-watch"], cwd=tmp_path, env=runtime)
    terminal.wait_for("Colour on stage")
    terminal.send("x")
    screen = wait_panel(terminal, "exited normally")
    assert panel(screen)[-5:] == [
        "RED-LINE plain",
        "ABCDE",
        "progress 100%",
        "tty True",
        "exited normally",
    ]
    assert "Colour on stage" in screen, "a clear screen in the output wiped nothing"
    coloured = terminal.screen(escapes=True)
    # The code on the slide holds the same word: the panel's is the one drawn in red.
    colours = [
        re.findall(r"\x1b\[([0-9;]*)m", line[: found.start()])[-1]
        for line in coloured.splitlines()
        for found in re.finditer("RED-LINE", line)
    ]
    assert {"38;5;196", "38;2;255;0;0", "91", "31"} & set(colours), colours
    assert "PWNED" not in terminal.display("#{pane_title}")
    assert terminal.tmux("list-buffers").strip() == "", "OSC 52 reached the terminal"
    terminal.send("q")
    assert terminal.exit_status() == 0


def test_highlighted_line_is_marked(
    open_terminal: OpenTerminal, runtime: dict[str, str], tmp_path: Path
) -> None:
    assert PREXTERM is not None
    (tmp_path / "deck.md").write_text(HIGHLIGHT_DECK)
    for width, height in ((100, 30), (80, 24), (50, 16)):
        terminal = open_terminal(width, height)
        terminal.start([PREXTERM, "deck.md", "--no-watch"], cwd=tmp_path, env=runtime)
        screen = terminal.wait_for("third = 3")
        rows = {word: line for line in screen.splitlines() for word in ("first", "second", "third")
                if f"{word} =" in line}  # fmt: skip
        assert "▌ 2 second = 2" in rows["second"]
        assert "▌" not in rows["first"] and "1 first = 1" in rows["first"]
        assert "▌" not in rows["third"]
        terminal.send("q")
        assert terminal.exit_status() == 0

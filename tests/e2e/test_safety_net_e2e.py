"""End to end: the demo's safety net in a real terminal. A rehearsal records a good run;
on stage the same demo fails, and `R` shows the recording under its badge. A `+pty`
program's terminal is the size of the inside of the output panel."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal
from tests.e2e.test_live_code_e2e import panel, wait_panel

pytestmark = NEEDS_TERMINAL

DECK = """\
# Fetch

```python +exec
from pathlib import Path
if not Path("network-up").exists():
    raise SystemExit("connection refused")
print("42 rows fetched")
```
---
# Sized

```bash +exec +pty
echo "size $(tput cols)x$(tput lines)"
```
"""


def test_r_replays_what_the_rehearsal_recorded(
    open_terminal: OpenTerminal, runtime: dict[str, str], tmp_path: Path
) -> None:
    assert PREXTERM is not None
    (tmp_path / "deck.md").write_text(DECK)
    (tmp_path / "network-up").write_text("")
    env = {**runtime, "XDG_STATE_HOME": runtime["XDG_RUNTIME_DIR"] + "/state"}
    rehearsal = open_terminal(100, 30)
    report = str(tmp_path.parent / "report.json")
    rehearsal.start(
        [PREXTERM, "rehearse", "deck.md", "--allow-exec", "--no-watch", "--report", report],
        cwd=tmp_path,
        env=env,
    )
    rehearsal.wait_for("Fetch")
    rehearsal.send("x")
    rehearsal.wait_for("exited normally · recorded for R")
    rehearsal.send("q")
    assert rehearsal.exit_status() == 0

    (tmp_path / "network-up").unlink()
    for width, height in ((100, 30), (50, 16)):
        terminal = open_terminal(width, height)
        terminal.start([PREXTERM, "deck.md", "--allow-exec", "--no-watch"], cwd=tmp_path, env=env)
        terminal.wait_for("Fetch")
        terminal.send("x")
        wait_panel(terminal, "connection refused")
        terminal.send("R")
        screen = wait_panel(terminal, "42 rows fetched")
        assert "connection refused" not in panel(screen)
        assert any("RECORDED  python3" in row for row in screen.splitlines())
        terminal.send("q")
        assert terminal.exit_status() == 0


def test_a_pty_program_is_told_the_panels_size(
    open_terminal: OpenTerminal, runtime: dict[str, str], tmp_path: Path
) -> None:
    assert PREXTERM is not None
    (tmp_path / "deck.md").write_text(DECK)
    # The panel takes three fifths of the slide area across and two fifths down; inside
    # it, two columns of frame and two of space, and two rows of frame.
    for (width, height), inside in (((100, 30), "56x9"), ((80, 24), "44x6"), ((50, 16), "26x3")):
        terminal = open_terminal(width, height)
        terminal.start(
            [PREXTERM, "deck.md", "--allow-exec", "--no-watch", "--slide", "2"],
            cwd=tmp_path,
            env=runtime,
        )
        terminal.wait_for("Sized")
        terminal.send("x")
        wait_panel(terminal, f"size {inside}")
        terminal.send("q")
        assert terminal.exit_status() == 0

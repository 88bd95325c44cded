"""The demo's safety net and the edits of fenced blocks, read from the screen.

A rehearsal records each good run; on stage `R` replays that recording, under a
"RECORDED" badge, once a live run has failed or stayed silent. Each fenced block keeps
its own edit, and Ctrl+S on one says why nothing is saved. A `+pty` program's terminal is
the size of the output panel.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.widgets import TextArea

from prexterm.app import code_stage
from prexterm.app.code_stage import NO_FILE_TO_SAVE, REPLAY_NOT_NEEDED
from prexterm.app.live_code import OutputPanel
from prexterm.app.player import PlayerApp
from prexterm.services.recordings import RecordingStore, default_folder
from tests.app.test_live_code import app_for
from tests.conftest import WriteFiles, screen_text, wait_for

SIZE = (100, 30)

FLAKY = """\
from pathlib import Path
if not Path("network-up").exists():
    raise SystemExit("connection refused")
print("42 rows fetched")
print("done in 0.3 s")
"""
"""A demo that works only while a file stands beside the deck, as a demo may need the
network: the rehearsal has it, the stage does not."""

FLAKY_DECK = f"# Fetch\n\n```python +exec\n{FLAKY}```\n"


def finished(app: PlayerApp, key: tuple[int, int] = (1, 0)) -> bool:
    run = app.runner.run_for(key)
    return run is not None and not run.running


def told(app: PlayerApp, message: str) -> bool:
    """Whether a notice saying `message` shows. A toast starts each of its rows after a
    `▌` and wraps its text over rows, over whatever frame it covers at its right edge."""
    rows = (row.rsplit("▌", 1)[1] for row in screen_text(app).splitlines() if "▌" in row)
    text = " ".join(row.strip().rstrip("▎▁─╯│┃━ ").strip() for row in rows)
    return message in " ".join(text.split())


def panel_lines(app: PlayerApp) -> list[str]:
    """The output panel's rows as drawn on screen."""
    panel = app.query_one(OutputPanel)
    return [panel.render_line(y).text for y in range(panel.size.height)]


async def rehearse_once(deck: Path) -> None:
    """Run the deck's first block in `prexterm rehearse`, as a presenter rehearsing does."""
    app = app_for(deck, allow_exec=True, rehearse=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(lambda: finished(app))
        await wait_for(lambda: "recorded for R" in screen_text(app))


# -- recording in rehearse ---------------------------------------------------------------


async def test_a_rehearsal_records_a_good_run_and_a_play_does_not(write: WriteFiles) -> None:
    deck = write({"deck.md": FLAKY_DECK, "network-up": ""})
    store = RecordingStore(default_folder())
    app = app_for(deck, allow_exec=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(lambda: finished(app))
        await pilot.pause(0.1)
        assert "exited normally · Escape closes" in screen_text(app)
    (block,) = app.code.blocks(app.deck.slides[0])
    assert store.state(block) == "missing", "playing records nothing"

    await rehearse_once(deck)
    recording = store.load(block)
    assert recording is not None
    assert recording.lines == (("out", "42 rows fetched"), ("out", "done in 0.3 s"))
    assert store.path_for(block).stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in deck.parent.iterdir()) == ["deck.md", "network-up"]


async def test_a_rehearsal_runs_nothing_by_itself(write: WriteFiles) -> None:
    deck = write({"deck.md": FLAKY_DECK, "network-up": ""})
    app = app_for(deck, allow_exec=True, rehearse=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "left")
        await pilot.pause(0.2)
        assert app.runner.run_for((1, 0)) is None
        assert "Escape closes" not in screen_text(app)
    (block,) = app.code.blocks(app.deck.slides[0])
    assert RecordingStore(default_folder()).state(block) == "missing"


# -- R on stage --------------------------------------------------------------------------


async def test_r_replays_the_recording_after_a_failed_run(write: WriteFiles) -> None:
    deck = write({"deck.md": FLAKY_DECK, "network-up": ""})
    await rehearse_once(deck)
    (deck.parent / "network-up").unlink()
    app = app_for(deck, allow_exec=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(lambda: finished(app))
        await wait_for(lambda: "exited with status 1" in screen_text(app))
        assert "connection refused" in screen_text(app)
        await pilot.press("R")
        await wait_for(lambda: "RECORDED" in screen_text(app))
        rows = panel_lines(app)
        assert "RECORDED" in rows[0] and "python3 block-3.py" in rows[0]
        body = "\n".join(rows)
        assert "42 rows fetched" in body and "done in 0.3 s" in body
        assert "connection refused" not in body
        assert "recorded in rehearsal, 20" in body
        assert "recorded output · Escape closes" in rows[-1]
        await pilot.press("escape")
        await pilot.pause()
        assert not app.query_one(OutputPanel).display


async def test_r_without_a_recording_says_so(write: WriteFiles) -> None:
    deck = write({"deck.md": FLAKY_DECK})
    app = app_for(deck, allow_exec=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("x")
        await wait_for(lambda: finished(app))
        await pilot.press("R")
        await wait_for(lambda: told(app, "no recorded output for this code"))
        assert "RECORDED" not in screen_text(app)


async def test_r_leaves_a_good_live_run_alone(write: WriteFiles) -> None:
    deck = write({"deck.md": FLAKY_DECK, "network-up": ""})
    await rehearse_once(deck)
    app = app_for(deck, allow_exec=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("x")
        await wait_for(lambda: finished(app))
        await pilot.press("R")
        await wait_for(lambda: told(app, REPLAY_NOT_NEEDED))
        assert "RECORDED" not in screen_text(app)
        assert "exited normally" in "\n".join(panel_lines(app))


async def test_r_replays_over_a_program_that_stays_silent(
    write: WriteFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    silent = "import time, pathlib\nif not pathlib.Path('network-up').exists():\n" \
        "    time.sleep(30)\nprint('answer 42')\n"  # fmt: skip
    deck = write({"deck.md": f"# Wait\n\n```python +exec\n{silent}```\n", "network-up": ""})
    await rehearse_once(deck)
    (deck.parent / "network-up").unlink()
    monkeypatch.setattr(code_stage, "QUIET_FOR_REPLAY", 0.5)
    app = app_for(deck, allow_exec=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(lambda: (r := app.runner.run_for((1, 0))) is not None and r.running)
        run = app.runner.run_for((1, 0))
        assert run is not None
        await wait_for(lambda: "running" in screen_text(app))
        await wait_for(lambda: time.monotonic() - run.started_at > 0.6)
        await pilot.press("R")
        await wait_for(lambda: "RECORDED" in screen_text(app))
        assert "answer 42" in "\n".join(panel_lines(app))
        await wait_for(lambda: not run.running)
        assert run.status_text == "stopped", "the silent program was stopped"


# -- edits of fenced blocks --------------------------------------------------------------

TWO_FENCES = """\
# Two

```python +exec
print("first")
```

```python +exec
print("second")
```
---
# Third

```python +exec
print("third")
```
"""


async def edit_selected(app: PlayerApp, pilot: object, text: str) -> None:
    await pilot.press("e")  # type: ignore[attr-defined]
    editor = app.query_one("#editor", TextArea)
    assert editor.display
    editor.load_text(text)
    await pilot.press("escape")  # type: ignore[attr-defined]
    assert not editor.display


async def test_each_fenced_block_keeps_its_own_edit(write: WriteFiles) -> None:
    deck = write({"deck.md": TWO_FENCES})
    app = app_for(deck, allow_exec=True)
    async with app.run_test(size=SIZE) as pilot:
        await edit_selected(app, pilot, 'print("FIRST EDITED")\n')
        await pilot.pause()
        shown = screen_text(app)
        assert "FIRST EDITED" in shown and 'print("second")' in shown
        assert 'print("first")' not in shown
        await pilot.press("tab")
        await edit_selected(app, pilot, 'print("SECOND EDITED")\n')
        await pilot.pause()
        shown = screen_text(app)
        assert "FIRST EDITED" in shown and "SECOND EDITED" in shown
        await pilot.press("x")
        await wait_for(lambda: finished(app, (1, 1)))
        run = app.runner.run_for((1, 1))
        assert run is not None and ("out", "SECOND EDITED") in run.lines
        await pilot.press("right")
        await pilot.pause()
        shown = screen_text(app)
        assert 'print("third")' in shown and "EDITED" not in shown
        await edit_selected(app, pilot, 'print("THIRD EDITED")\n')
        await pilot.press("left")
        await pilot.pause()
        shown = screen_text(app)
        assert "FIRST EDITED" in shown and "SECOND EDITED" in shown
        assert "THIRD" not in shown
    assert deck.read_text() == TWO_FENCES


async def test_ctrl_s_on_a_fenced_block_says_it_has_no_file(write: WriteFiles) -> None:
    deck = write({"deck.md": TWO_FENCES})
    app = app_for(deck)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("e")
        app.query_one("#editor", TextArea).load_text('print("kept")\n')
        await pilot.press("ctrl+s")
        await wait_for(lambda: told(app, NO_FILE_TO_SAVE))
        assert app.query_one("#editor", TextArea).display, "the editor stays open"
        await pilot.press("escape")
        await pilot.pause()
        assert 'print("kept")' in screen_text(app)
    assert deck.read_text() == TWO_FENCES


# -- the size of a +pty program's terminal ------------------------------------------------

SIZE_PROGRAM = """\
import os, signal, sys, time
def tell(*_):
    print("size", *os.get_terminal_size(1), flush=True)
signal.signal(signal.SIGWINCH, tell)
tell()
time.sleep(20)
"""


async def test_a_pty_program_gets_the_panels_size_and_its_changes(write: WriteFiles) -> None:
    deck = write({"deck.md": f"# Sized\n\n```python +exec +pty\n{SIZE_PROGRAM}```\n"})
    app = app_for(deck, allow_exec=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(lambda: "size " in screen_text(app))
        panel = app.query_one(OutputPanel)
        inside = (panel.size.width - 4, panel.size.height - 2)
        assert f"size {inside[0]} {inside[1]}" in "\n".join(panel_lines(app))
        await pilot.resize_terminal(80, 24)
        await wait_for(lambda: panel.size.width < inside[0] + 4)
        smaller = (panel.size.width - 4, panel.size.height - 2)
        assert smaller != inside
        await wait_for(lambda: f"size {smaller[0]} {smaller[1]}" in screen_text(app))
        await pilot.press("escape")
        await wait_for(lambda: finished(app))

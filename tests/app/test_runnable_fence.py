"""A `+exec` fenced block runs like a `!code` block: only when allowed, in the deck's
folder, from a private copy that is gone afterwards, leaving no process behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from prexterm.app.code_stage import EXEC_DISABLED
from prexterm.app.player import PlayerApp
from tests.app.test_live_code import app_for
from tests.conftest import WriteFiles, screen_text, wait_for

SIZE = (100, 30)

PROGRAM = """\
import os, stat, subprocess
child = subprocess.Popen(["sleep", "30"])
print("child", child.pid)
print("mode", oct(stat.S_IMODE(os.stat(__file__).st_mode)))
print("folder", oct(stat.S_IMODE(os.stat(os.path.dirname(__file__)).st_mode)))
print("file", __file__)
print("cwd", os.getcwd())
"""

DECK = f"# Fenced\n\n```python +exec\n{PROGRAM}```\n\nafter\n"


@pytest.fixture
def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary folder of the test's own, so what a run leaves there can be seen."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def printed(app: PlayerApp) -> dict[str, str]:
    run = app.runner.run_for((1, 0))
    assert run is not None
    words = (text.split(" ", 1) for kind, text in run.lines if kind == "out")
    return {pair[0]: pair[1] for pair in words if len(pair) == 2}


async def test_a_fenced_block_does_not_run_without_allow_exec(
    write: WriteFiles, private_temp: Path
) -> None:
    deck = write({"deck.md": DECK})
    app = app_for(deck)
    async with app.run_test(size=SIZE) as pilot:
        assert "subprocess.Popen" in screen_text(app)
        await pilot.press("x")
        await pilot.pause()
        assert app.runner.run_for((1, 0)) is None
        assert any(EXEC_DISABLED in str(n.message) for n in app._notifications)
    assert list(private_temp.iterdir()) == []


async def test_a_fenced_block_runs_in_the_deck_folder_and_leaves_nothing(
    write: WriteFiles, private_temp: Path
) -> None:
    deck = write({"deck.md": DECK})
    before = sorted(p.name for p in deck.parent.iterdir())
    app = app_for(deck, allow_exec=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(lambda: (r := app.runner.run_for((1, 0))) is not None and not r.running)
        await pilot.pause(0.1)
        assert "cwd " in screen_text(app)
        seen = printed(app)
    assert seen["cwd"] == str(deck.parent)
    assert seen["mode"] == "0o600" and seen["folder"] == "0o700"
    assert Path(seen["file"]).parent.parent == private_temp
    assert Path(seen["file"]).name == "block-3.py"
    assert list(private_temp.iterdir()) == [], "the private copy is removed"
    assert sorted(p.name for p in deck.parent.iterdir()) == before, "nothing written by the deck"
    child = int(seen["child"])
    await wait_for(lambda: not _alive(child))


def _alive(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie waiting for its parent is not)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return False
    return stat[stat.rfind(b")") + 2 :][:1] not in (b"Z", b"X")


def test_check_lists_the_command_of_a_fenced_block(write: WriteFiles) -> None:
    from prexterm.check import runnable_diagnostics
    from prexterm.core.parser import load_deck

    deck_path = write({"deck.md": DECK})
    deck = load_deck(deck_path, cwd=deck_path.parent)
    note, recording = [d.message for d in runnable_diagnostics(deck)]
    assert recording == "no recorded output: run it in `prexterm rehearse`"
    assert note.startswith("runnable with --allow-exec: python3 $TMPDIR/prexterm-run-")
    assert f"/block-3.py (in {deck_path.parent};" in note
    assert os.sep + "block-3.py" in note

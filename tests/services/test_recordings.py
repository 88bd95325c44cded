"""The demo safety net: good runs are recorded in rehearsal and replayed on stage, marked
as recorded, when a live run fails; `check` tells blocks without a recording."""

from __future__ import annotations

import stat
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from prexterm.core.model import Asset, CodeBlock, Source
from prexterm.services.code_runner import CodeRun, CodeRunner, RunRefused
from prexterm.services.recordings import RecordingStore, should_offer_replay

CODE = "print(open('data.txt').read().strip())\nprint('done')\n"


def make_block(folder: Path, code: str = CODE) -> CodeBlock:
    path = folder / "demo.py"
    path.write_text(code, encoding="utf-8")
    source = Source("t.md", 1)
    return CodeBlock(Asset("demo.py", path, source), "python", code, source, (sys.executable,))


@pytest.fixture
def store(tmp_path: Path) -> RecordingStore:
    return RecordingStore(tmp_path / "state" / "recordings")


@pytest.fixture
async def rehearsal(store: RecordingStore) -> AsyncIterator[CodeRunner]:
    runner = CodeRunner(kill_after=0.3, recordings=store, record=True)
    yield runner
    await runner.shutdown()


async def run_to_end(runner: CodeRunner, block: CodeBlock) -> CodeRun:
    run = await runner.start("panel", block)
    assert isinstance(run, CodeRun), run
    await run.wait()
    return run


async def test_a_good_run_is_recorded_and_replayed_after_a_failing_one(
    tmp_path: Path, store: RecordingStore, rehearsal: CodeRunner
) -> None:
    (tmp_path / "data.txt").write_text("forty-two\n")
    block = make_block(tmp_path)
    assert store.state(block) == "missing"
    await run_to_end(rehearsal, block)
    assert store.state(block) == "recorded"
    (path,) = store.folder.iterdir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    # On stage the data file is gone: the live run fails, and the recording is offered.
    (tmp_path / "data.txt").unlink()
    stage = CodeRunner(kill_after=0.3, recordings=store)
    try:
        failed = await run_to_end(stage, block)
        assert failed.returncode == 1
        assert should_offer_replay(failed, quiet_for=3)
        replayed = stage.replay("panel", block)
        assert isinstance(replayed, CodeRun)
        assert replayed.recorded and not replayed.running
        assert stage.run_for("panel") is replayed
        assert list(replayed.lines)[:2] == [("out", "forty-two"), ("out", "done")]
        assert replayed.lines[-1][0] == "status"
        assert "recorded in rehearsal, " in replayed.status_text
        assert replayed.lines[-1] == ("status", replayed.status_text)
        assert len(list(store.folder.iterdir())) == 1, "a stage run records nothing"
    finally:
        await stage.shutdown()


async def test_failed_and_silent_runs_are_not_recorded(
    tmp_path: Path, store: RecordingStore, rehearsal: CodeRunner
) -> None:
    await run_to_end(rehearsal, make_block(tmp_path))  # no data.txt: exits 1
    await run_to_end(rehearsal, make_block(tmp_path, "pass\n"))
    assert not store.folder.exists() or not list(store.folder.iterdir())


async def test_changed_code_makes_the_recording_stale(
    tmp_path: Path, store: RecordingStore, rehearsal: CodeRunner
) -> None:
    (tmp_path / "data.txt").write_text("x\n")
    await run_to_end(rehearsal, make_block(tmp_path))
    changed = make_block(tmp_path, CODE + "print('more')\n")
    assert store.state(changed) == "stale"
    assert [why for _, why in store.problems([changed])] == [
        "the recorded output is of older code: run it again in rehearse"
    ]
    refused = rehearsal.replay("panel", changed)
    assert isinstance(refused, RunRefused) and "older code" in refused.message


async def test_nothing_to_replay_is_said_plainly(tmp_path: Path, store: RecordingStore) -> None:
    runner = CodeRunner(recordings=store)
    refused = runner.replay("panel", make_block(tmp_path))
    assert isinstance(refused, RunRefused)
    assert refused.message.startswith("no recorded output for this code")


async def test_a_quiet_run_is_offered_the_recording_after_the_chosen_time(
    tmp_path: Path,
) -> None:
    runner = CodeRunner(kill_after=0.3)
    try:
        run = await runner.start("panel", make_block(tmp_path, "import time\ntime.sleep(30)\n"))
        assert isinstance(run, CodeRun)
        assert not should_offer_replay(run, quiet_for=5, now=run.started_at + 1)
        assert should_offer_replay(run, quiet_for=5, now=run.started_at + 5)
        assert should_offer_replay(None, quiet_for=5)
    finally:
        await runner.shutdown()

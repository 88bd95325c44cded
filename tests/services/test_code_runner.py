"""The live-code service, with real programs: streaming, statuses, stopping, cleanup."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest

from prexterm.core.model import Asset, CodeBlock, Source
from prexterm.render.terminal_output import plain_text
from prexterm.services.code_runner import (
    MAX_LINE_CHARS,
    MAX_LINES,
    CodeRun,
    CodeRunner,
    RunRefused,
    command_line,
)
from tests.conftest import fresh_python

PY = (sys.executable, "-u")

MakeBlock = Callable[..., CodeBlock]


@pytest.fixture
def block(tmp_path: Path) -> MakeBlock:
    """Write a code file under a fresh folder and describe it as a `!code` block."""

    def _block(
        code: str,
        name: str = "demo.py",
        runner: tuple[str, ...] | None = PY,
        language: str = "python",
        runner_problem: str | None = None,
    ) -> CodeBlock:
        path = tmp_path / "code" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code, encoding="utf-8")
        source = Source("t.md", 1)
        return CodeBlock(
            Asset(f"code/{name}", path, source), language, code, source, runner, runner_problem
        )

    return _block


@pytest.fixture
async def runner() -> AsyncIterator[CodeRunner]:
    code_runner = CodeRunner(kill_after=0.3)
    yield code_runner
    await code_runner.shutdown()


async def started(code_runner: CodeRunner, block: CodeBlock, **kwargs: str) -> CodeRun:
    run = await code_runner.start("panel", block, **kwargs)
    assert isinstance(run, CodeRun), run
    return run


async def until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


def text_of(run: CodeRun) -> list[str]:
    return [text for kind, text in run.lines if kind != "status"]


def processes_with(marker: str) -> list[int]:
    """Live processes whose command line holds `marker` (zombies have an empty one)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in cmdline:
            found.append(int(entry.name))
    return found


# -- output -------------------------------------------------------------------


async def test_stdout_and_stderr_arrive_in_order_with_their_kinds(
    runner: CodeRunner, block: MakeBlock
) -> None:
    code = (
        "import sys, time\n"
        "for i in range(3):\n"
        "    print(f'a{i}', flush=True); time.sleep(0.02)\n"
        "    sys.stderr.write(f'b{i}\\n'); sys.stderr.flush(); time.sleep(0.02)\n"
    )
    run = await started(runner, block(code))
    assert await run.wait() == 0
    assert list(run.lines) == [
        ("out", "a0"),
        ("err", "b0"),
        ("out", "a1"),
        ("err", "b1"),
        ("out", "a2"),
        ("err", "b2"),
        ("status", "exited normally"),
    ]
    assert run.dropped == 0
    assert run.first_output_at is not None and run.first_output_at >= run.started_at
    assert run.ended_at is not None and run.ended_at >= run.first_output_at


async def test_output_streams_while_the_program_runs(runner: CodeRunner, block: MakeBlock) -> None:
    code = "import time\nprint('first', flush=True)\ntime.sleep(30)\n"
    run = await started(runner, block(code))
    version = run.version
    await until(lambda: ("out", "first") in run.lines)
    assert run.running and run.version > version and run.changed.is_set()


async def test_a_line_without_newline_shows_at_once_and_grows_in_place(
    runner: CodeRunner, block: MakeBlock
) -> None:
    code = (
        "import sys, time\n"
        "sys.stdout.write('loading'); sys.stdout.flush(); time.sleep(0.3)\n"
        "sys.stdout.write('... done\\r\\n'); sys.stdout.write('tail')\n"
    )
    run = await started(runner, block(code))
    await until(lambda: ("out", "loading") in run.lines)
    assert run.running
    await run.wait()
    assert list(run.lines) == [
        ("out", "loading... done"),
        ("out", "tail"),
        ("status", "exited normally"),
    ]


async def test_endless_line_is_cut(runner: CodeRunner, block: MakeBlock) -> None:
    code = f"import sys\nsys.stdout.write('x' * {MAX_LINE_CHARS * 2 + 5})\n"
    run = await started(runner, block(code))
    await run.wait()
    assert [len(t) for t in text_of(run)] == [MAX_LINE_CHARS, MAX_LINE_CHARS, 5]


async def test_undecodable_bytes_are_replaced(runner: CodeRunner, block: MakeBlock) -> None:
    code = "import sys\nsys.stdout.buffer.write(b'caf\\xc3\\xa9 \\xff\\n')\n"
    run = await started(runner, block(code))
    await run.wait()
    assert text_of(run) == ["café \ufffd"]


HOSTILE_PRINT = (
    "import sys, time\n"
    "out = sys.stdout.buffer\n"
    "out.write(b'\\x1b]0;pwned\\x07\\x1b]52;c;cm0gLXJmIH4K\\x07\\x1b[2J\\x1b[H')\n"
    "out.write(b'\\x1b[31mred\\x1b[0m \\x1b]8;;file:///etc/passwd\\x1b\\\\link\\x1b]8;;\\x1b\\\\')\n"
    "out.write(b' \\xff\\x1b_Gf=100;AAAA\\x1b\\\\end\\n'); out.flush()\n"
    "out.write(b'split\\x1b]2;ti'); out.flush(); time.sleep(0.3)\n"
    "out.write(b'tle\\x07 whole\\x1b['); out.flush(); time.sleep(0.3)\n"
    "out.write(b'32mgreen\\x1b[0m\\n'); out.flush()\n"
)


async def test_escape_sequences_are_removed_and_colours_kept(
    runner: CodeRunner, block: MakeBlock
) -> None:
    """Titles, clipboard, hyperlinks, clears and graphics never get into the lines,
    not even when a sequence is cut between two reads, while SGR colours stay."""
    run = await started(runner, block(HOSTILE_PRINT))
    await run.wait()
    assert text_of(run) == [
        "\x1b[31mred\x1b[0m link \ufffdend",
        "split whole\x1b[32mgreen\x1b[0m",
    ]
    assert [plain_text(text) for text in text_of(run)] == ["red link \ufffdend", "split wholegreen"]


async def test_a_line_rewritten_with_carriage_returns_keeps_its_last_state(
    runner: CodeRunner, block: MakeBlock
) -> None:
    code = (
        "import sys, time\n"
        "for n in (10, 50, 100):\n"
        "    sys.stdout.write(f'\\r{n}%'); sys.stdout.flush(); time.sleep(0.05)\n"
        "print('\\r\\x1b[2Kdone\\r'); print('last\\r', end='')\n"
    )
    run = await started(runner, block(code))
    await run.wait()
    assert text_of(run) == ["done", "last"]


# -- how it ends ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "returncode", "status"),
    [
        ("print('hi')\n", 0, "exited normally"),
        ("raise SystemExit(3)\n", 3, "exited with status 3"),
        ("import os, signal\nos.kill(os.getpid(), signal.SIGUSR1)\n", -10, None),
    ],
)
async def test_exit_status(
    runner: CodeRunner, block: MakeBlock, code: str, returncode: int, status: str | None
) -> None:
    run = await started(runner, block(code))
    assert await run.wait() == returncode
    expected = status or "killed by signal SIGUSR1"
    assert run.status_text == expected
    assert run.lines[-1] == ("status", expected)
    assert not run.running and run.returncode == returncode


async def test_stop_ends_a_sleeping_program(runner: CodeRunner, block: MakeBlock) -> None:
    run = await started(runner, block("sleep 30\n", "demo.sh", ("bash",), "shell"))
    await asyncio.sleep(0.1)
    begin = time.monotonic()
    run.stop()
    await asyncio.wait_for(run.wait(), 3)
    assert time.monotonic() - begin < 3
    assert run.status_text == "stopped" and run.lines[-1] == ("status", "stopped")


async def test_a_program_ignoring_sigterm_is_killed(runner: CodeRunner, block: MakeBlock) -> None:
    code = (
        "import signal, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "print('ready', flush=True)\n"
        "time.sleep(30)\n"
    )
    run = await started(runner, block(code))
    await until(lambda: ("out", "ready") in run.lines)
    begin = time.monotonic()
    run.stop()
    assert await asyncio.wait_for(run.wait(), 3) == -9
    assert 0.25 < time.monotonic() - begin < 2
    assert run.status_text == "stopped"


async def test_shutdown_leaves_no_process_behind(runner: CodeRunner, block: MakeBlock) -> None:
    marker = f"60.{uuid.uuid4().int % 10**9:09d}"
    script = f"sleep {marker} &\nsleep {marker} &\necho ready\nwait\n"
    run = await started(runner, block(script, "demo.sh", ("bash",), "shell"))
    await until(lambda: ("out", "ready") in run.lines)
    await until(lambda: len(processes_with(marker)) == 2)
    await asyncio.wait_for(runner.shutdown(), 5)
    assert not run.running
    await until(lambda: processes_with(marker) == [], timeout=1)
    assert isinstance(await runner.start("again", run.block), RunRefused)


async def test_what_a_finished_program_left_running_is_stopped(
    runner: CodeRunner, block: MakeBlock
) -> None:
    marker = f"60.{uuid.uuid4().int % 10**9:09d}"
    script = f"sleep {marker} >/dev/null 2>&1 &\nsleep {marker} &\necho bye\n"
    run = await started(runner, block(script, "demo.sh", ("bash",), "shell"))
    assert await asyncio.wait_for(run.wait(), 3) == 0
    assert run.status_text == "exited normally"
    await until(lambda: processes_with(marker) == [], timeout=1)


def own_groups_script(marker: str, pids: Path) -> str:
    """A shell script whose children leave its process group, not its session.

    `set -m` gives every background job a group of its own, `timeout` makes one for
    itself; both once escaped a stop that only signalled the first group. Every pid
    goes to `pids`, so the test asks the process table about exactly those.
    """
    return (
        "set -m\n"
        f"sleep {marker} & echo $! >> {pids}\n"
        f"timeout 1000 sleep {marker} & echo $! >> {pids}\n"
        f"(trap '' TERM; sleep {marker}) & echo $! >> {pids}\n"
        "echo ready\n"
        "wait\n"
    )


def alive(pid: int) -> bool:
    """Whether `pid` is a process that has not ended (a zombie has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return False
    return stat[stat.rfind(b")") + 2 :].split()[0] not in (b"Z", b"X")


def own_group_pids(pids: Path, run: CodeRun) -> list[int]:
    """The pids the script wrote, checked to be in groups other than the run's."""
    numbers = [int(line) for line in pids.read_text().split()]
    assert len(numbers) == 3
    for pid in numbers:
        assert os.getpgid(pid) != run.pid and os.getsid(pid) == run.pid
    return numbers


@pytest.mark.parametrize("how", ["stop", "shutdown", "kill_now"])
async def test_children_in_their_own_process_groups_are_stopped(
    runner: CodeRunner, block: MakeBlock, tmp_path: Path, how: str
) -> None:
    marker = f"60.{uuid.uuid4().int % 10**9:09d}"
    pids = tmp_path / "pids"
    run = await started(
        runner, block(own_groups_script(marker, pids), "demo.sh", ("bash",), "shell")
    )
    await until(lambda: ("out", "ready") in run.lines)
    numbers = own_group_pids(pids, run)
    if how == "stop":
        run.stop()
    elif how == "shutdown":
        await asyncio.wait_for(runner.shutdown(), 5)
    else:
        runner.kill_now()
    await asyncio.wait_for(run.wait(), 5)
    await until(lambda: not any(map(alive, numbers)), timeout=2)
    assert processes_with(marker) == []


async def test_children_in_their_own_groups_do_not_outlive_a_finished_program(
    runner: CodeRunner, block: MakeBlock, tmp_path: Path
) -> None:
    marker = f"60.{uuid.uuid4().int % 10**9:09d}"
    pids = tmp_path / "pids"
    script = own_groups_script(marker, pids).replace("wait\n", "")
    script = script.replace(" & echo", " >/dev/null 2>&1 & echo")
    run = await started(runner, block(script, "demo.sh", ("bash",), "shell"))
    await asyncio.wait_for(run.wait(), 5)
    numbers = [int(line) for line in pids.read_text().split()]
    assert len(numbers) == 3
    await until(lambda: not any(map(alive, numbers)), timeout=2)
    assert processes_with(marker) == []


# -- floods -------------------------------------------------------------------


async def test_a_flood_keeps_the_loop_responsive_and_memory_bounded(
    runner: CodeRunner, block: MakeBlock
) -> None:
    gaps: list[float] = []

    async def ticker() -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.01)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    # The ticker starts once the program runs: what is measured is the flood of output,
    # not the fork of a large test process, which other workers can slow down.
    run = await started(runner, block("exec yes\n", "flood.sh", ("bash",), "shell"))
    ticking = asyncio.create_task(ticker())
    try:
        await asyncio.sleep(1.0)
        run.stop()
        await asyncio.wait_for(run.wait(), 3)
    finally:
        ticking.cancel()
    assert len(run.lines) == MAX_LINES
    assert run.dropped > MAX_LINES
    assert all(line == ("out", "y") for line in list(run.lines)[:-1])
    assert run.lines[-1] == ("status", "stopped")
    # Generous: other test workers share the two cores; bench/code.py measures the real figure.
    assert max(gaps) < 0.3, f"event loop stalled for {max(gaps):.3f}s"


# -- refusals -----------------------------------------------------------------


async def test_missing_runner(runner: CodeRunner, block: MakeBlock) -> None:
    refused = await runner.start("p", block("print(1)\n", runner=("no-such-runner-xyz",)))
    assert refused == RunRefused("runner not found: no-such-runner-xyz")
    assert runner.run_for("p") is None


async def test_no_runner_known(runner: CodeRunner, block: MakeBlock) -> None:
    refused = await runner.start("p", block("x", "demo.cob", None, "cobol"))
    assert refused == RunRefused("no runner is known for cobol; name one on the !code line")
    given = block("x", "demo.cob", None, "cobol", runner_problem="cannot read the runner")
    assert await runner.start("p", given) == RunRefused("cannot read the runner")


async def test_missing_code_file(runner: CodeRunner) -> None:
    source = Source("t.md", 1)
    missing = CodeBlock(
        Asset("gone.py", None, source, "Code file not found: gone.py"), "python", "", source, PY
    )
    assert await runner.start("p", missing) == RunRefused("Code file not found: gone.py")
    assert command_line(missing) is None


async def test_runner_that_cannot_be_executed(
    runner: CodeRunner, block: MakeBlock, tmp_path: Path
) -> None:
    code_block = block("print(1)\n", runner=("./not-executable",))
    (tmp_path / "code" / "not-executable").write_text("#!/bin/sh\n")
    refused = await runner.start("p", code_block)
    assert refused == RunRefused("runner not found: ./not-executable")


# -- what the program sees ------------------------------------------------------


async def test_cwd_is_the_code_directory_and_stdin_is_empty(
    runner: CodeRunner, block: MakeBlock
) -> None:
    code = "import os, sys\nprint(os.getcwd())\nprint(repr(sys.stdin.read()))\n"
    code_block = block(code)
    run = await started(runner, code_block)
    assert await asyncio.wait_for(run.wait(), 3) == 0
    assert code_block.asset.path is not None
    assert text_of(run) == [str(code_block.asset.path.parent), "''"]
    assert run.cwd == code_block.asset.path.parent
    # The program is a private copy of the code that was read, named like the file.
    assert run.argv[:-1] == PY
    assert run.argv[-1] != str(code_block.asset.path)
    assert Path(run.argv[-1]).name == "demo.py"


async def test_code_override_runs_a_private_copy(runner: CodeRunner, block: MakeBlock) -> None:
    original = "print('original')\n"
    code_block = block(original)
    edited = (
        "import os, stat, sys\n"
        "print('edited')\n"
        "print(os.path.basename(__file__))\n"
        "print(oct(stat.S_IMODE(os.stat(__file__).st_mode)))\n"
        "print(oct(stat.S_IMODE(os.stat(os.path.dirname(__file__)).st_mode)))\n"
        "print(os.getcwd())\n"
    )
    run = await started(runner, code_block, code_override=edited)
    assert await run.wait() == 0
    assert code_block.asset.path is not None
    assert text_of(run) == [
        "edited",
        "demo.py",
        "0o600",
        "0o700",
        str(code_block.asset.path.parent),
    ]
    private_copy = Path(run.argv[-1])
    assert private_copy != code_block.asset.path and private_copy.name == "demo.py"
    assert not private_copy.exists() and not private_copy.parent.exists()
    assert code_block.asset.path.read_text(encoding="utf-8") == original


async def test_a_code_file_swapped_for_a_link_runs_the_code_that_was_read(
    runner: CodeRunner, block: MakeBlock, tmp_path: Path
) -> None:
    code_block = block("print('INSIDE')\n")
    assert code_block.asset.path is not None
    outside = tmp_path / "outside.py"
    outside.write_text("print('OUTSIDE')\n", encoding="utf-8")
    code_block.asset.path.unlink()
    code_block.asset.path.symlink_to(outside)
    run = await started(runner, code_block)
    assert await run.wait() == 0
    assert text_of(run) == ["INSIDE"]
    assert not Path(run.argv[-1]).parent.exists()


# -- panels -----------------------------------------------------------------------


async def test_rerun_stops_the_previous_run(runner: CodeRunner, block: MakeBlock) -> None:
    first = await started(runner, block("import time\ntime.sleep(30)\n"))
    second = await started(runner, block("print('again')\n", "other.py"))
    assert not first.running and first.status_text == "stopped"
    assert runner.run_for("panel") is second
    await second.wait()
    assert text_of(second) == ["again"]


async def test_forget_stops_and_drops_the_panel(runner: CodeRunner, block: MakeBlock) -> None:
    run = await started(runner, block("import time\ntime.sleep(30)\n"))
    runner.forget("panel")
    assert runner.run_for("panel") is None
    assert await asyncio.wait_for(run.wait(), 3) is not None
    assert run.status_text == "stopped"
    assert runner.running == []


async def test_listener_is_told_of_changes(block: MakeBlock) -> None:
    seen: list[int] = []
    code_runner = CodeRunner(kill_after=0.3, on_change=lambda run: seen.append(run.version))
    try:
        run = await started(code_runner, block("print(1)\nprint(2)\n"))
        await run.wait()
    finally:
        await code_runner.shutdown()
    assert seen and seen[-1] == run.version and seen == sorted(seen)


# -- pure parts -------------------------------------------------------------------


def test_command_line(block: MakeBlock) -> None:
    code_block = block("print(1)\n", "my demo.py", ("python3", "-u"))
    assert code_block.asset.path is not None
    folder = code_block.asset.path.parent
    assert command_line(code_block) == f"python3 -u '{folder}/my demo.py' (in {folder})"
    assert command_line(block("x", "a.cob", None, "cobol")) is None


def test_the_service_never_imports_textual() -> None:
    code = (
        "import sys, prexterm.services.code_runner\n"
        "print(','.join(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    output = fresh_python(code)
    assert output.strip() == ""


class SlowToStart(subprocess.Popen):  # type: ignore[type-arg]
    """A real program that takes 0.3 s to begin, as on a busy machine; notes the thread."""

    threads: ClassVar[list[str]] = []
    pids: ClassVar[list[int]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        SlowToStart.threads.append(threading.current_thread().name)
        time.sleep(0.3)
        super().__init__(*args, **kwargs)
        SlowToStart.pids.append(self.pid)


async def test_a_slow_start_does_not_hold_up_the_event_loop(
    runner: CodeRunner, block: MakeBlock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(subprocess, "Popen", SlowToStart)
    SlowToStart.threads.clear()
    loop = asyncio.get_running_loop()
    gaps: list[float] = []
    starting = asyncio.create_task(started(runner, block("print('begun')\n")))
    last = loop.time()
    while not starting.done():
        await asyncio.sleep(0.01)
        gaps.append(loop.time() - last)
        last = loop.time()
    run = starting.result()
    assert await run.wait() == 0
    assert text_of(run) == ["begun"]
    assert SlowToStart.threads and threading.main_thread().name not in SlowToStart.threads
    assert sum(gaps) >= 0.3 and max(gaps) < 0.15, gaps


async def test_a_start_cancelled_midway_leaves_no_process(
    runner: CodeRunner, block: MakeBlock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(subprocess, "Popen", SlowToStart)
    SlowToStart.pids.clear()
    marker = uuid.uuid4().hex
    code = block("import time\ntime.sleep(30)\n", name=f"{marker}.py")
    starting = asyncio.create_task(started(runner, code))
    await asyncio.sleep(0.1)
    starting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await starting
    await until(lambda: bool(SlowToStart.pids))  # the program began after all
    await until(lambda: not processes_with(marker))
    assert runner.running == []

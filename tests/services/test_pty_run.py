"""A `+pty` block runs in a pseudo-terminal: colours and redrawn progress lines show,
nothing else the program writes gets through, it gets no input and never hangs the run."""

from __future__ import annotations

import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from prexterm.core.code_attributes import CodeAttributes
from prexterm.core.model import Asset, CodeBlock, Source
from prexterm.services.code_runner import CodeRun, CodeRunner


@pytest.fixture
async def runner() -> AsyncIterator[CodeRunner]:
    code_runner = CodeRunner(kill_after=0.3)
    yield code_runner
    await code_runner.shutdown()


def program(tmp_path: Path, code: str, *, pty: bool = True) -> CodeBlock:
    path = tmp_path / "demo.py"
    path.write_text(code, encoding="utf-8")
    source = Source("t.md", 1)
    return CodeBlock(
        Asset("demo.py", path, source),
        "python",
        code,
        source,
        (sys.executable, "-u"),
        attributes=CodeAttributes(pty=pty),
    )


async def finished(runner: CodeRunner, block: CodeBlock, **extra: object) -> CodeRun:
    run = await runner.start("panel", block, **extra)  # type: ignore[arg-type]
    assert isinstance(run, CodeRun), run
    await run.wait()
    return run


def shown(run: CodeRun) -> list[str]:
    return [text for kind, text in run.lines if kind != "status"]


async def test_colours_a_terminal_and_its_size(runner: CodeRunner, tmp_path: Path) -> None:
    code = (
        "import os, sys\n"
        "print('\\x1b[32mgreen\\x1b[0m', sys.stdout.isatty(), sys.stderr.isatty())\n"
        "print(os.get_terminal_size(), os.environ['PAGER'], repr(sys.stdin.read()))\n"
    )
    run = await finished(runner, program(tmp_path, code), size=(61, 9))
    assert run.terminal
    assert shown(run) == [
        "\x1b[32mgreen\x1b[0m True True",
        "os.terminal_size(columns=61, lines=9) cat ''",
    ]
    assert run.status_text == "exited normally"


async def test_progress_bars_redraw_their_lines(runner: CodeRunner, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "w = sys.stdout.write\n"
        "for i in range(4):\n"
        "    w(f'\\r[{\"#\" * i:<3}] {i}'); sys.stdout.flush()\n"
        "w('\\n')\n"
        "w('one 0%\\ntwo 0%\\n')\n"
        "w('\\x1b[2A\\r\\x1b[2Kone 100%\\n\\x1b[2Ktwo 100%\\n')\n"
        "w('left\\x1b[Fup\\x1b[Edown\\n')\n"
        "w('kept\\x1b[K\\n')\n"
    )
    run = await finished(runner, program(tmp_path, code))
    assert shown(run) == ["[###] 3", "one 100%", "up", "down", "kept"]


async def test_other_sequences_never_get_through(runner: CodeRunner, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.stdout.write('a\\x1b]52;c;aGVsbG8=\\x07b\\x1b]0;title\\x07c\\x1b[2Jd\\x1b[H"
        "e\\x1b[6nf\\x1b[?1049hg\\x1bch\\n')\n"
    )
    run = await finished(runner, program(tmp_path, code))
    assert shown(run) == ["abcdefgh"]


async def test_a_query_waiting_for_an_answer_never_hangs(
    runner: CodeRunner, tmp_path: Path
) -> None:
    code = (
        "import os, sys\n"
        "sys.stdout.write('\\x1b[6n'); sys.stdout.flush()\n"
        "print('stdin gave', repr(sys.stdin.read(10)))\n"
        "try:\n"
        "    fd = os.open('/dev/tty', os.O_RDWR)\n"
        "except OSError as exc:\n"
        "    print('no terminal to answer', exc.errno)\n"
        "else:\n"
        "    print('answer', os.read(fd, 32))\n"
    )
    start = time.monotonic()
    run = await finished(runner, program(tmp_path, code))
    assert time.monotonic() - start < 5
    assert shown(run)[0] == "stdin gave ''"
    assert shown(run)[1].startswith("no terminal to answer")


async def test_without_pty_output_stays_two_pipes(runner: CodeRunner, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "print('x', sys.stdout.isatty())\n"
        "print('err', file=sys.stderr)\n"
        "sys.stdout.write('a\\x1b[1Ab\\x1b[2Kc\\n')\n"
    )
    run = await finished(runner, program(tmp_path, code, pty=False))
    assert not run.terminal
    assert sorted(line for line in run.lines if line[0] != "status") == [
        ("err", "err"),
        ("out", "abc"),
        ("out", "x False"),
    ]


async def test_a_pty_run_leaves_no_process(runner: CodeRunner, tmp_path: Path) -> None:
    code = "import subprocess\nchild = subprocess.Popen(['sleep', '30'])\nprint(child.pid)\n"
    run = await finished(runner, program(tmp_path, code))
    pid = int(shown(run)[0])
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rsplit(b")", 1)[1].split()[0]
    except OSError:
        return
    assert state in (b"Z", b"X")

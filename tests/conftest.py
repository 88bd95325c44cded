"""Shared fixtures: the seed decks and a helper that writes small decks to disk."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent


def fresh_python(code: str) -> str:
    """What a new Python process started in the repository prints for `code`.

    For what only a fresh process can show, such as which modules an import loads.
    """
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    return result.stdout


def check_in_fresh_python(
    args: list[str], watched: tuple[str, ...] = ("asyncio", "textual")
) -> tuple[int, str, list[str]]:
    """Run `prexterm check ARGS` in a new process: its exit status, what it printed, and
    which of the `watched` top-level packages it loaded (what a plain check must not)."""
    code = (
        "import contextlib, io, json, sys\n"
        "from prexterm.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    status = main({['check', *args]!r})\n"
        f"loaded = sorted({{m.split('.')[0] for m in sys.modules}} & {set(watched)!r})\n"
        "print(json.dumps([status, out.getvalue(), loaded]))\n"
    )
    status, report, loaded = json.loads(fresh_python(code))
    return status, report, loaded


SEEDS = REPO.parent / "shared" / "seeds"
SAMPLES = REPO / "samples"
SEED_DECK = SAMPLES / "kigali.md"
PLAIN_SEED = SEEDS / "003_60e08724765c41f5.txt"

WriteFiles = Callable[[dict[str, "str | bytes"]], Path]


@pytest.fixture
def write(tmp_path: Path) -> WriteFiles:
    """Write files under a temporary deck folder; returns the path of the first one.

    Strings are written as UTF-8; bytes as they are.
    """

    def _write(files: dict[str, str | bytes]) -> Path:
        first: Path | None = None
        for name, content in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
            first = first or path
        assert first is not None
        return first

    return _write


class FakeClock:
    """A clock that only moves when a test says so: timers become exact."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def screen_text(app: object) -> str:
    """What the app's screen shows right now, as plain text rows (from a screenshot)."""
    import html
    import re

    svg = app.export_screenshot()  # type: ignore[attr-defined]
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in re.findall(r'<text[^>]*?x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        rows.setdefault(float(y), []).append((float(x), html.unescape(text)))
    return "\n".join(
        "".join(text for _, text in sorted(parts)).replace("\xa0", " ")
        for _, parts in sorted(rows.items())
    )


@pytest.fixture(autouse=True)
def private_runtime_dir(monkeypatch: pytest.MonkeyPatch) -> object:
    """Each test gets its own runtime folder, so players in parallel tests never meet.

    Socket paths must stay short (about 100 bytes), hence a folder directly under /tmp.
    """
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="pxt-", dir="/tmp")
    monkeypatch.setenv("XDG_RUNTIME_DIR", folder)
    # Recordings of code output live in the state folder: each test has its own.
    monkeypatch.setenv("XDG_STATE_HOME", folder + "/state")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


async def wait_for(condition: object, timeout: float = 8.0) -> None:
    """Poll until `condition()` is true: watchers, workers and programs keep their own time."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():  # type: ignore[operator]
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


async def reload_deck(app: Any) -> None:
    """What `r` does: read the deck again, then wait until the player shows that version."""
    before = app.reloads
    app.main_screen.action_reload()
    await wait_for(lambda: app.reloads > before)


async def settle(app: Any) -> int:
    """Wait until the watcher, which starts in the background, sees saves in the folder.

    A file beside the deck is written until a reload follows; then the count of reloads
    so far is the baseline the test counts from.
    """
    probe = app.deck.path.parent / "probe.txt"
    for attempt in range(50):
        probe.write_text(str(attempt))
        try:
            await wait_for(lambda: app.reloads > 0, timeout=0.2)
            break
        except AssertionError:
            continue
    await asyncio.sleep(0.2)  # the burst is over
    return app.reloads

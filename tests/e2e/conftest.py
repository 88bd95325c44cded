"""The terminals end-to-end tests open: private tmux servers that die with the test."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.tmux import Terminal, tmux_path

OpenTerminal = Callable[[int, int], Terminal]

PREXTERM = shutil.which("prexterm")
"""The installed command, as a user runs it: every end-to-end test plays it."""

NEEDS_TERMINAL = [
    pytest.mark.e2e,
    pytest.mark.skipif(tmux_path() is None, reason="tmux is not installed"),
    pytest.mark.skipif(
        PREXTERM is None,
        reason="the prexterm command is not on PATH (install with `pip install -e .`)",
    ),
]
"""The marks of every end-to-end module (`pytestmark = NEEDS_TERMINAL`)."""


@pytest.fixture
def open_terminal(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[OpenTerminal]:
    """Open private terminals of a given size; their tmux servers die with the test."""
    opened: list[Terminal] = []

    def _open(width: int, height: int) -> Terminal:
        terminal = Terminal(width, height, workdir=tmp_path, name=request.node.name[:20])
        opened.append(terminal)
        return terminal

    yield _open
    for terminal in opened:
        terminal.close()


@pytest.fixture
def runtime() -> Iterator[dict[str, str]]:
    """A private runtime folder (0700), so this test's players meet no other test's.

    Pass it as the environment of every process of one test; socket paths must stay
    short, hence a folder directly under /tmp.
    """
    folder = tempfile.mkdtemp(prefix="pxe-", dir="/tmp")
    os.chmod(folder, 0o700)
    yield {"XDG_RUNTIME_DIR": folder}
    shutil.rmtree(folder, ignore_errors=True)

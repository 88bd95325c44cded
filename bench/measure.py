"""Helpers shared by the benchmark scripts in this folder.

Only what several scripts do the same way lives here: finding the installed command,
the nearest-rank p95, the footer marker, the load average line, a left-aligned table, a
timed screen read and the deck text. Each script keeps its own measurements and report.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.e2e.tmux import Terminal


def prexterm_command() -> str | None:
    """The console script installed beside this Python, else the one on PATH.

    A version manager's shim on PATH (pyenv) adds a shell script and a second process
    start to every launch; a baseline run with this Python directly would not pay it, so
    the player runs from beside this Python too.
    """
    beside = Path(sys.executable).with_name("prexterm")
    if beside.exists():
        return str(beside)
    return shutil.which("prexterm")


def ready_to_measure() -> str | None:
    """Start a terminal benchmark: line-buffered output and the prexterm command.

    None (after saying why on stderr) when tmux or the command is missing.
    """
    from tests.e2e.tmux import tmux_path

    line_buffered_stdout()
    prexterm = prexterm_command()
    if tmux_path() is None or prexterm is None:
        print("needs tmux and the prexterm command (pip install -e .)", file=sys.stderr)
        return None
    started = subprocess.run(
        [prexterm, "--version"], capture_output=True, text=True, cwd="/", check=False
    )
    if started.returncode != 0:
        last = (started.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"{prexterm} --version failed: {last} (reinstall: pip install -e .)", file=sys.stderr)
        return None
    byte_compile_package()
    return prexterm


def byte_compile_package() -> None:
    """Write the package's bytecode, as `pip install .` does at install time.

    An editable install under PYTHONDONTWRITEBYTECODE=1 would otherwise compile every
    module from source at each launch, some 50 ms that no installed copy pays.
    """
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import compileall, os, prexterm; "
            "compileall.compile_dir(os.path.dirname(prexterm.__file__), quiet=1)",
        ],
        cwd="/",
        check=False,
    )


def shows(*texts: str) -> Callable[[str], bool]:
    """A screen test: does the screen show any of `texts`?"""
    return lambda screen: any(text in screen for text in texts)


def p95(values: list[float]) -> float:
    """The 95th percentile by the nearest-rank method (no interpolation)."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def footer(number: int, count: int) -> str:
    """The footer's position; the leading bar keeps `1/40` from matching `11/40`."""
    return f"| {number}/{count}"


def deck_source(footer_text: str, slides: list[str]) -> str:
    """A deck's text: a `!footer` line, then the slides separated by `---`."""
    return f"!footer {footer_text}\n" + "\n---\n".join(slides) + "\n"


def line_buffered_stdout() -> None:
    """Keep the report in order with the progress lines written to stderr."""
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)


def print_load_average(
    when: str = "the end", load: tuple[float, float, float] | None = None
) -> None:
    """The machine's 1, 5 and 15 minute load (now, or `load` taken earlier): well above 1 on
    two cores, something else is running and the figures are noisy."""
    load = load or os.getloadavg()
    print(f"load average at {when}: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


def print_table(table: Sequence[Sequence[str]]) -> None:
    """Left-aligned columns; the first row is the header, underlined with dashes."""
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    for n, line in enumerate(table):
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


@dataclass
class Screen:
    """A terminal read by polling; every read's duration is kept as the resolution."""

    terminal: Terminal
    interval: float
    reads: list[float]

    def read(self) -> tuple[float, str]:
        """One read of the screen: the monotonic time it returned, and the screen."""
        before = time.monotonic()
        screen = self.terminal.screen()
        now = time.monotonic()
        self.reads.append(now - before)
        return now, screen

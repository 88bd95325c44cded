"""A deck of one 3 MB line: first frame and the presenter pane, beside the seed deck.

A deck that is a single enormous line (pasted from somewhere, or written to stall the
player) must still open quickly, and `s` must still bring the pane up at once. Each run
launches, in a 100x30 tmux terminal: the seed deck (the reference), a deck that is one
3 MB line, and a deck whose second slide is that line (so the pane previews it); after
each first frame it presses `s` and waits for the pane. The table shows medians; the
ratios are to the seed deck's first frame in the same run, which the machine's load
leaves alone better than seconds do.

    python bench/long_line.py [--runs 5] [--prexterm COMMAND]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from measure import print_load_average, print_table, ready_to_measure  # noqa: E402

from tests.e2e.tmux import Terminal  # noqa: E402

SEED_DECK = REPO / "samples" / "kigali.md"
WIDTH, HEIGHT = 100, 30
LINE_BYTES = 3_000_000
POLL = 0.005
TIMEOUT = 60.0
FIRST_FRAME_RATIO = 3.0
"""Target: the long line's first frame within this many times the seed deck's."""
PANE_SECONDS = 0.5
"""Target: the pane on screen within this long of pressing `s`."""


def long_line() -> str:
    """About 3 MB of words on one line, the same in every run."""
    words = ["alpha", "beta", "gamma", "delta", "lorem", "ipsum", "talk", "slide"]
    chooser = random.Random(1)
    text = " ".join(chooser.choice(words) for _ in range(LINE_BYTES // 5))
    return text[:LINE_BYTES]


def time_until(terminal: Terminal, marker: str) -> float:
    """Seconds until `marker` is on screen, counted from now."""
    started = time.monotonic()
    while marker not in terminal.screen():
        if time.monotonic() - started > TIMEOUT:
            raise TimeoutError(f"{marker!r} never showed:\n{terminal.screen()}")
        time.sleep(POLL)
    return time.monotonic() - started


def launch(prexterm: str, deck: Path, footer: str, workdir: Path) -> tuple[float, float]:
    """First frame (the footer shows) and then the pane (after `s`), in seconds."""
    terminal = Terminal(WIDTH, HEIGHT, workdir=workdir, name="long-line")
    try:
        terminal.start([prexterm, "--no-watch", str(deck)], cwd=workdir, record_status=False)
        first = time_until(terminal, footer)
        time.sleep(0.3)  # let the pictures and lexers warmed after the first frame settle
        terminal.send("s")
        pane = time_until(terminal, "elapsed")
        terminal.send("q")
        return first, pane
    finally:
        terminal.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs to take the median of")
    parser.add_argument("--prexterm", help="the command to measure (default: the installed one)")
    args = parser.parse_args(argv)
    prexterm = ready_to_measure()
    if prexterm is None:
        return 0
    prexterm = args.prexterm or prexterm
    load = os.getloadavg()
    print_load_average("the start", load)
    figures: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="prexterm-long-line-") as folder:
        workdir = Path(folder)
        line = long_line()
        alone = workdir / "line.md"
        alone.write_text(line + "\n", encoding="utf-8")
        second = workdir / "next.md"
        second.write_text("# Before\n\nA short slide.\n\n---\n\n" + line + "\n", encoding="utf-8")
        decks = (
            ("seed deck", SEED_DECK, "1/40"),
            ("one 3 MB line", alone, "1/1"),
            ("3 MB line as the next slide", second, "1/2"),
        )
        for run in range(args.runs):
            seed_first = 0.0
            for name, deck, footer in decks:
                first, pane = launch(prexterm, deck, footer, workdir)
                seed_first = seed_first or first
                figures.setdefault(f"{name}: first frame s", []).append(first)
                figures.setdefault(f"{name}: first frame / seed", []).append(first / seed_first)
                figures.setdefault(f"{name}: pane after s, s", []).append(pane)
            print(f"run {run + 1} of {args.runs} done", file=sys.stderr)
    table = [["figure", "median"]]
    for name, values in figures.items():
        table.append([name, f"{statistics.median(values):.3f}"])
    print_table(table)
    print_load_average()
    missed = []
    for name in ("one 3 MB line", "3 MB line as the next slide"):
        ratio = statistics.median(figures[f"{name}: first frame / seed"])
        pane = statistics.median(figures[f"{name}: pane after s, s"])
        if ratio > FIRST_FRAME_RATIO:
            missed.append(f"{name}: first frame x{ratio:.1f} (target <= x{FIRST_FRAME_RATIO:.0f})")
        if pane > PANE_SECONDS:
            missed.append(f"{name}: pane {pane:.2f} s (target <= {PANE_SECONDS} s)")
    print("targets met" if not missed else "TARGETS MISSED: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

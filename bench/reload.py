"""Live reload latency as an author meets it: from a completed save to the edit on screen.

The installed `prexterm` plays a generated deck in a real terminal (tmux); the deck is
saved 20 times (half in place, half by writing a temporary file and renaming it over,
as many editors do), each save changing the title of the slide on screen. The time from
the save's completion to the new title being visible is measured by reading the screen
every 2 ms. Prints median and p95 against the targets (median <= 150 ms, p95 <= 300 ms).

    python bench/reload.py [--saves 20] [--slides 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import measure  # noqa: E402

from tests.e2e.tmux import Terminal  # noqa: E402

TARGET_MEDIAN = 0.150
TARGET_P95 = 0.300


def deck_text(slides: int, title: str) -> str:
    parts = [f"# {title}\n\nThe slide being edited."]
    parts += [f"# Slide {n}\n\n- a point\n- another point" for n in range(2, slides + 1)]
    return measure.deck_source("reload bench", parts)


def save(path: Path, text: str, *, rename: bool) -> None:
    if rename:
        temp = path.with_name(f".{path.name}.swap")
        temp.write_text(text)
        os.replace(temp, path)
    else:
        with path.open("w") as handle:
            handle.write(text)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--slides", type=int, default=50)
    options = parser.parse_args()
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        deck = folder / "deck.md"
        deck.write_text(deck_text(options.slides, "Version 0"))
        terminal = Terminal(100, 30, workdir=folder, name="reload")
        try:
            terminal.start(["prexterm", str(deck)], cwd=folder, record_status=False)
            terminal.wait_for(f"1/{options.slides}", timeout=20)
            time.sleep(0.5)  # let the watcher settle before the first save
            for n in range(1, options.saves + 1):
                title = f"Version {n}"
                save(deck, deck_text(options.slides, title), rename=bool(n % 2))
                saved = time.perf_counter()
                terminal.wait_until(measure.shows(title), title, interval=0.002)
                latencies.append(time.perf_counter() - saved)
                time.sleep(0.1)
            terminal.send("q")
        finally:
            terminal.close()
    median = statistics.median(latencies)
    p95 = percentile(latencies, 0.95)
    print(f"saves: {len(latencies)}")
    print(f"save -> on screen: median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(f"targets: median <= {TARGET_MEDIAN * 1000:.0f} ms, p95 <= {TARGET_P95 * 1000:.0f} ms")
    met = median <= TARGET_MEDIAN and p95 <= TARGET_P95
    print("targets met" if met else "TARGETS MISSED")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

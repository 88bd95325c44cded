"""`prexterm check --size` on the seed deck: the whole command, as a user runs it.

Target: under 5 s on this machine (a pre-flight is run before every venue, often on a
laptop on battery). Prints the median and the slowest of several runs at three sizes.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
TARGET = 5.0
RUNS = 5


def timed(deck: Path, size: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "prexterm", "check", "--size", size, str(deck)],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    return time.perf_counter() - start


def main() -> int:
    decks = sorted(SEEDS.glob("*.txt")) or [REPO / "samples" / "tour.md"]
    worst = 0.0
    for deck in decks:
        for size in ("100x30", "80x24", "50x16"):
            times = [timed(deck, size) for _ in range(RUNS)]
            worst = max(worst, max(times))
            print(
                f"{deck.name:<28} {size:>7}: median {statistics.median(times):.3f} s, "
                f"slowest {max(times):.3f} s (target < {TARGET:.0f} s)"
            )
    print("within target" if worst < TARGET else "OVER TARGET")
    return 0 if worst < TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())

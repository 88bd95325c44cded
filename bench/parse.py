"""Parse time and peak memory of realistic decks of 100, 1,000 and 10,000 slides.

Each size is generated once into a temporary folder (headings, bullets, fenced code,
tables, directives, notes, includes and `!code` files), then parsed in a fresh process
five times; the median time and peak memory are printed with the targets.

    python bench/parse.py [--runs 5] [--sizes 100 1000 10000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TARGET_SECONDS_10K = 0.5
TARGET_GROWTH = 12.0

_CHILD = """
import json, resource, sys, time
from prexterm.core.parser import load_deck
start = time.perf_counter()
deck = load_deck(sys.argv[1])
elapsed = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "slides": len(deck.slides), "peak_mib": peak_kib / 1024}))
"""


def slide_text(n: int) -> str:
    """One slide of a realistic talk; the kind rotates so every construct is exercised."""
    kind = n % 6
    lines = [f"## Slide {n}: a heading with *emphasis*", ""]
    if kind == 0:
        lines += [f"- point {i} with `code` and **bold**" for i in range(5)]
        lines += ["  - a nested point", "  - another nested point"]
    elif kind == 1:
        lines += ["```python", *(f"value_{i} = compute({i})  # ---" for i in range(8)), "```"]
    elif kind == 2:
        lines += [
            "| name | value |",
            "| :--- | ---: |",
            *(f"| row {i} | {i * 7} |" for i in range(6)),
        ]
    elif kind == 3:
        lines += ["!code code/example.py", "Run it with x."]
    elif kind == 4:
        lines += ["> A quote that goes on", "> and on", "", "Paragraph text " * 6]
    else:
        lines += ["!slide_classes photo-content-slide", "!slide_background img/photo.png"]
    lines += [f"!comment speaker note for slide {n}", "!comment and a second note"]
    return "\n".join(lines)


def make_deck(folder: Path, slides: int) -> Path:
    """Write a deck of `slides` slides; every tenth slide comes from an included part."""
    (folder / "code").mkdir()
    (folder / "img").mkdir()
    (folder / "parts").mkdir()
    (folder / "code" / "example.py").write_text("print('hello')\n")
    (folder / "img" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    main = ["!header Benchmark deck !footer prexterm", "!custom_css theme.tcss"]
    (folder / "theme.tcss").write_text("/* empty */\n")
    for n in range(1, slides + 1):
        if n > 1:
            main.append("---")
        if n % 10 == 0:
            part = folder / "parts" / f"part{n}.md"
            part.write_text(slide_text(n) + "\n")
            main.append(f"!include parts/part{n}.md")
        else:
            main.append(slide_text(n))
    deck = folder / "deck.md"
    deck.write_text("\n".join(main) + "\n")
    return deck


def measure(deck: Path, runs: int) -> dict[str, float]:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, str(deck)], capture_output=True, text=True, check=True
        )
        results.append(json.loads(out.stdout))
    return {
        "seconds": statistics.median(r["seconds"] for r in results),
        "peak_mib": statistics.median(r["peak_mib"] for r in results),
        "slides": results[0]["slides"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    options = parser.parse_args()
    figures: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in options.sizes:
            folder = Path(tmp) / str(size)
            folder.mkdir()
            figures[size] = measure(make_deck(folder, size), options.runs)
    print(f"{'slides':>8} {'parse s (median)':>17} {'peak MiB':>9}")
    for size, fig in figures.items():
        assert fig["slides"] == size, f"expected {size} slides, parsed {fig['slides']}"
        print(f"{size:>8} {fig['seconds']:>17.4f} {fig['peak_mib']:>9.1f}")
    ok = True
    if 10000 in figures:
        seconds = figures[10000]["seconds"]
        ok &= seconds <= TARGET_SECONDS_10K
        print(f"10,000 slides: {seconds:.3f} s (target <= {TARGET_SECONDS_10K} s)")
    sizes = sorted(figures)
    for small, big in itertools.pairwise(sizes):
        growth = figures[big]["seconds"] / figures[small]["seconds"]
        factor = big / small
        limit = TARGET_GROWTH * factor / 10
        ok &= growth <= limit
        print(f"{small} -> {big} slides: time x{growth:.1f} (target <= x{limit:.0f})")
    print("targets met" if ok else "TARGETS MISSED")
    return 0  # the verdict is printed, not an exit status


if __name__ == "__main__":
    raise SystemExit(main())

"""Export time and peak memory: decks of 300 and 1,000 slides to HTML and to PDF.

Each deck is generated into a temporary folder (headings, bullets, code with a highlight
that moves, tables with CJK letters, emoji, notes, a tall slide and inline pictures when
Pillow is there), then exported by the installed command in a fresh process, several
times; the median wall time, seconds per slide and the process's peak memory are printed
beside the targets.

    python bench/export.py [--sizes 300 1000] [--formats html pdf] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = {"html": 15.0, "pdf": 30.0}
"""For the 300-slide deck."""
TARGET_PEAK_MIB = 400.0
TARGET_GROWTH = 3.6
"""1,000 slides may take at most this many times as long as 300: linear, with slack.
Judged on CPU time, which is the export's own work: on a machine shared with others the
wall time also measures them (both ratios are printed)."""


def slide_text(n: int) -> str:
    """One slide of a realistic talk; the kind rotates so every look is drawn."""
    kind = n % 6
    lines = [f"## Slide {n}: a heading with *emphasis*", ""]
    if kind == 0:
        lines += [f"- point {i} with `code` and **bold**" for i in range(5)]
    elif kind == 1:
        code = (f"value_{i} = compute({i})  # note" for i in range(8))
        lines += ["```python {1-2|5|all} +line_numbers", *code, "```"]
    elif kind == 2:
        lines += [
            "| name 名字 | value |",
            "| :--- | ---: |",
            *(f"| row {i} 第{i}行 | {i * 7} |" for i in range(6)),
            "",
            "Done 🎉 完成",
        ]
    elif kind == 3:
        lines += ["![a picture](pic.png)", "", "A caption under it."]
    elif kind == 4:
        lines += ["> A quote that goes on", "> and on", "", "Paragraph text " * 12]
    else:
        lines += [f"{i}. a numbered line of a long slide" for i in range(1, 45)]
    lines += [f"!comment speaker note for slide {n}"]
    return "\n".join(lines)


def make_deck(folder: Path, slides: int) -> Path:
    try:
        from PIL import Image

        picture = Image.new("RGB", (64, 32))
        picture.putdata([(x * 4, y * 8, 128) for y in range(32) for x in range(64)])
        picture.save(folder / "pic.png")
    except ImportError:
        (folder / "pic.png").write_bytes(b"")
    deck = folder / f"deck{slides}.md"
    deck.write_text(
        "!header Benchmark !footer export\n"
        + "\n---\n".join(slide_text(n) for n in range(1, slides + 1))
        + "\n",
        encoding="utf-8",
    )
    return deck


def export_median(deck: Path, fmt: str, out: Path, runs: int) -> tuple[float, float, float]:
    """The median wall and CPU seconds of `runs` exports, and the highest peak memory."""
    done = [export(deck, fmt, out) for _ in range(max(1, runs))]
    return (
        statistics.median(d[0] for d in done),
        statistics.median(d[1] for d in done),
        max(d[2] for d in done),
    )


def export(deck: Path, fmt: str, out: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak memory (MiB) of one `prexterm export` in its
    own process. The CPU time says how much work it was on a machine others share."""
    command = [sys.executable, "-m", "prexterm", "export", str(deck), "-o", str(out)]
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    errors = child.stderr.read().decode() if child.stderr else ""
    if status != 0:
        raise SystemExit(f"export failed ({status}): {errors}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--formats", nargs="+", default=["html", "pdf"])
    parser.add_argument("--runs", type=int, default=3, help="exports per deck (median)")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory(prefix="prexterm-export-bench-") as tmp:
        folder = Path(tmp)
        results: dict[tuple[str, int], tuple[float, float]] = {}
        print(
            f"{'format':6} {'slides':>6} {'seconds':>8} {'s/slide':>8} {'cpu s':>7} "
            f"{'peak MiB':>9}  target"
        )
        for fmt in args.formats:
            for size in args.sizes:
                deck = make_deck(folder, size)
                out = folder / f"out{size}.{fmt}"
                seconds, cpu, peak = export_median(deck, fmt, out, args.runs)
                results[fmt, size] = seconds, cpu
                target = ""
                if size == 300:
                    ok = seconds <= TARGET_SECONDS[fmt] and peak <= TARGET_PEAK_MIB
                    target = f"<= {TARGET_SECONDS[fmt]:g} s, <= {TARGET_PEAK_MIB:g} MiB"
                    target += "  ok" if ok else "  MISSED"
                    failed |= not ok
                elif (fmt, 300) in results:
                    wall, work = results[fmt, 300]
                    growth = cpu / work
                    ok = growth <= TARGET_GROWTH and peak <= TARGET_PEAK_MIB
                    target = (
                        f"cpu {growth:.2f}x of 300 (<= {TARGET_GROWTH:g}x), "
                        f"wall {seconds / wall:.2f}x"
                    )
                    target += "  ok" if ok else "  MISSED"
                    failed |= not ok
                print(
                    f"{fmt:6} {size:>6} {seconds:>8.2f} {seconds / size:>8.4f} {cpu:>7.2f} "
                    f"{peak:>9.1f}  {target}",
                    flush=True,
                )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

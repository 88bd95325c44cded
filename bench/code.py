"""Live code as a presenter meets it: output latency of a run, and navigation during a flood.

The installed `prexterm --allow-exec` plays a generated deck in a real terminal (tmux 100x30);
keys are sent with `send-keys` and the screen is read with `capture-pane` every 2 ms.

(a) Run to first output. The deck has one slide per run, each with its own `!code` file.
    On each slide `x` starts the program, which takes a CLOCK_MONOTONIC stamp, prints two
    unique lines in one write (`MARK-<n>a`, the first output line, and `MARK-<n>b`), and
    then writes the stamp to a file. Measured per run: key -> first line on screen, key ->
    any line of the run on screen (the panel painted the program's output), and the
    program's print -> first line on screen (the stamp against the moment the screen was
    read; both clocks are CLOCK_MONOTONIC, one clock system-wide on Linux). As a cross
    check the same programs run outside the player (`python3` from PATH, unbuffered,
    as the player runs them), and key -> screen minus their median start-to-print time
    is printed as the player's share. Target: first output at most 150 ms after the
    program prints it (median).

(b) Next slide during a flood. Slide 1 runs `while True: print("y" * 60)`; with it
    running, Right and Left are pressed alternately (100 presses), each time waiting for
    the footer's `N/M` to change. Target: p95 at most 100 ms. Escape stops the flood and
    `q` quits.

The screen is read by running `tmux capture-pane`; a figure ends when a read that shows the
expected text returns, so each figure includes up to one read plus one poll interval
(the measured read time is printed as the resolution). Prints a table and ends with
"targets met" or "TARGETS MISSED: ..."; always exits 0.

(c) Stepping a highlight. Two slides of the same size with four steps each: one whose
    code highlight moves ({1-6|7-12|13-18|all}), one whose steps are pauses. Each round
    starts from an empty render cache: the slide appears at step 1 (timed apart: its
    layout, and how each line shows at every step), then steps 2 and 3 take their lines
    from the render cache, as the player does the first time a step shows, and write
    them to a terminal (a Rich console into memory). Target: the highlight's step within
    10% of the plain step (median and p95) once written; the lines alone are printed too.

(d) +pty output. The same program (five stamped lines) runs through pipes and in a
    pseudo-terminal in turn; measured: the program's print -> its line in the run's
    output (what the panel shows at its next repaint). Target: +pty p95 at most 1.5x
    the pipe's.

(e) Starting a program. While `CodeRunner.start` starts a program (pipes, then +pty),
    a ticker on the event loop notes the longest wait between its turns, against the same
    window when nothing starts. Printed without a target: the program is started in a
    worker thread, so the loop should wait no longer than when nothing starts.

    python bench/code.py [--runs 10] [--presses 100] [--interval 0.002]
                         [--part all|live|highlight|pty|start]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# This file is named like the standard library's `code` module: keep its folder off the
# import path so nothing imported below picks it up by mistake.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(REPO))
sys.path.append(str(HERE))  # last, for the shared `measure`: the standard library comes first

import measure  # noqa: E402
from measure import footer, p95  # noqa: E402

from tests.e2e.tmux import Terminal, TerminalTimeout  # noqa: E402

WIDTH, HEIGHT = 100, 30
TIMEOUT = 20.0
SETTLE = 0.3
"""Seconds on a slide before `x`: a presenter never runs code the instant a slide shows."""
HIDDEN_GRACE = 1.0
"""How long the first line may lag the second before it counts as never shown."""

TARGET_PRINT_TO_SCREEN_MS = 150.0
TARGET_FLOOD_P95_MS = 100.0

PROGRAM = """\
import time

stamp = time.monotonic()
print("MARK" + "-{n}a", "MARK" + "-{n}b", sep="\\n", flush=True)
with open("stamp-{n}.txt", "w") as out:
    out.write(repr(stamp))
"""
"""The marker is built at run time, so the code shown on the slide never matches it."""

FLOOD = """\
while True:
    print("y" * 60)
"""


class Screen(measure.Screen):
    """A terminal read by polling; every read's duration is kept as the resolution."""

    def poll(self, predicate: Callable[[str], bool], what: str) -> tuple[float, str]:
        """Read until `predicate` holds; the monotonic time that read returned, and the screen."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            now, screen = self.read()
            if predicate(screen):
                return now, screen
            if now >= deadline:
                raise TerminalTimeout(f"waited {TIMEOUT:.0f} s for {what}; screen:\n{screen}")
            time.sleep(self.interval)

    def poll_until(self, predicate: Callable[[str], bool], deadline: float) -> float | None:
        """Like `poll`, but give up quietly at `deadline` and return None."""
        while True:
            now, screen = self.read()
            if predicate(screen):
                return now
            if now >= deadline:
                return None
            time.sleep(self.interval)


# -- the decks --------------------------------------------------------------------------


def write_run_deck(folder: Path, runs: int) -> Path:
    """One slide per run, each with its own code file, and a last slide to rest on."""
    slides = []
    for n in range(1, runs + 1):
        (folder / f"run_{n}.py").write_text(PROGRAM.format(n=n))
        slides.append(f"# Run {n}\n\n!code run_{n}.py")
    slides.append("# The end")
    deck = folder / "runs.md"
    deck.write_text(measure.deck_source("code bench", slides))
    return deck


def write_flood_deck(folder: Path) -> Path:
    (folder / "flood.py").write_text(FLOOD)
    deck = folder / "flood.md"
    deck.write_text(
        "!footer flood bench\n# Flood\n\n!code flood.py\n---\n# Calm\n\n- a point\n- another\n"
    )
    return deck


# -- (a) run to first output ------------------------------------------------------------


@dataclass
class RunSample:
    key_to_first: float | None
    key_to_any: float
    print_to_first: float | None
    print_to_any: float


def read_stamp(path: Path) -> float:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            return float(path.read_text())
        except (OSError, ValueError):  # not written yet, or half written
            time.sleep(0.005)
    raise TerminalTimeout(f"the program never wrote {path.name}")


def measure_runs(
    prexterm: str, deck: Path, runs: int, interval: float, reads: list[float]
) -> list[RunSample]:
    folder = deck.parent
    count = runs + 1
    terminal = Terminal(WIDTH, HEIGHT, workdir=folder, name="code")
    screen = Screen(terminal, interval, reads)
    samples = []
    try:
        terminal.start([prexterm, "--allow-exec", "--no-watch", str(deck)], cwd=folder)
        screen.poll(lambda s: footer(1, count) in s, "the first slide")
        for n in range(1, runs + 1):
            if n > 1:
                terminal.send("Right")
                screen.poll(measure.shows(footer(n, count)), f"slide {n}")
            time.sleep(SETTLE)
            first, second = f"MARK-{n}a", f"MARK-{n}b"
            sent = time.monotonic()
            terminal.send("x")
            seen_any, shown = screen.poll(measure.shows(first, second), second)
            seen_first: float | None = seen_any if first in shown else None
            if seen_first is None:
                seen_first = screen.poll_until(
                    measure.shows(first), time.monotonic() + HIDDEN_GRACE
                )
            printed = read_stamp(folder / f"stamp-{n}.txt")
            samples.append(
                RunSample(
                    key_to_first=None if seen_first is None else seen_first - sent,
                    key_to_any=seen_any - sent,
                    print_to_first=None if seen_first is None else seen_first - printed,
                    print_to_any=seen_any - printed,
                )
            )
            screen.poll(lambda s: "Escape closes" in s, "the run to end")
            terminal.send("Escape")  # the run has ended: Escape closes its panel
            screen.poll(lambda s: "Escape closes" not in s, "the panel to close")
            print(f"run {n}/{runs} done", file=sys.stderr)
        terminal.send("q")
        terminal.exit_status(timeout=TIMEOUT)
    finally:
        terminal.close()
    return samples


def program_start_to_print(folder: Path, runs: int) -> list[float]:
    """Seconds from spawning each program (as the player does) to its own print stamp."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    python = shutil.which("python3") or sys.executable
    times = []
    for n in range(1, runs + 1):
        (folder / f"stamp-{n}.txt").unlink(missing_ok=True)
        started = time.monotonic()
        subprocess.run(
            [python, str(folder / f"run_{n}.py")],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        times.append(read_stamp(folder / f"stamp-{n}.txt") - started)
    return times


# -- (b) navigation during a flood ------------------------------------------------------


def measure_flood(
    prexterm: str, deck: Path, presses: int, interval: float, reads: list[float]
) -> list[float]:
    folder = deck.parent
    terminal = Terminal(WIDTH, HEIGHT, workdir=folder, name="flood")
    screen = Screen(terminal, interval, reads)
    latencies = []
    try:
        terminal.start([prexterm, "--allow-exec", "--no-watch", str(deck)], cwd=folder)
        screen.poll(lambda s: footer(1, 2) in s, "the first slide")
        terminal.send("x")
        screen.poll(lambda s: "y" * 40 in s, "the flood on screen")
        time.sleep(0.5)  # let the flood reach its steady pace
        number = 1
        for _ in range(presses):
            key, number = ("Right", 2) if number == 1 else ("Left", 1)
            sent = time.monotonic()
            terminal.send(key)
            marker = footer(number, 2)
            seen, _ = screen.poll(measure.shows(marker), marker)
            latencies.append(seen - sent)
        if number == 2:
            terminal.send("Left")
            screen.poll(lambda s: footer(1, 2) in s, "back on the flood")
        still_running = "running" in terminal.screen()
        terminal.send("Escape")
        screen.poll(lambda s: "Escape closes" in s or "stopped" in s, "the flood stopped")
        terminal.send("q")
        terminal.exit_status(timeout=TIMEOUT)
        if not still_running:
            print("warning: the flood was not running at the end", file=sys.stderr)
    finally:
        terminal.close()
    return latencies


# -- the report --------------------------------------------------------------------------


@dataclass
class Row:
    figure: str
    median_ms: float | None
    p95_ms: float | None
    target: str
    met: bool | None


def ms_row(figure: str, values: list[float], target: str = "-", met: bool | None = None) -> Row:
    if not values:
        return Row(figure, None, None, target, met)
    return Row(figure, statistics.median(values) * 1000, p95(values) * 1000, target, met)


def _ms(value: float) -> str:
    """Milliseconds, with more digits below one (steps take fractions of one)."""
    return f"{value:.1f} ms" if value >= 1 else f"{value:.3f} ms"


def print_table(rows: list[Row]) -> None:
    table = [("figure", "median", "p95", "target", "")]
    for row in rows:
        median = "never" if row.median_ms is None else _ms(row.median_ms)
        high = "never" if row.p95_ms is None else _ms(row.p95_ms)
        verdict = "" if row.met is None else ("ok" if row.met else "MISSED")
        table.append((row.figure, median, high, row.target, verdict))
    measure.print_table(table)


# -- stepping a highlight, and +pty output -------------------------------------------------

TARGET_HIGHLIGHT_RATIO = 1.10
TARGET_PTY_RATIO = 1.5
_CODE_LINES = "\n".join(f"value_{i} = compute({i}, 'text for line {i}')" for i in range(1, 25))


def highlight_decks(folder: Path) -> tuple[Path, Path]:
    """Two slides of the same size and four steps each: one whose code highlight moves
    ({1-6|7-12|13-18|all}), one whose steps are pauses between paragraphs."""
    moving = folder / "moving.md"
    moving.write_text(
        f"# Walk\n\n```python {{1-6|7-12|13-18|all}} +line_numbers\n{_CODE_LINES}\n```\n\n"
        "one\n\ntwo\n\nthree\n"
    )
    plain = folder / "plain.md"
    plain.write_text(
        f"# Walk\n\n```python +line_numbers\n{_CODE_LINES}\n```\n\none\n\n<!-- pause -->\n\n"
        "two\n\n<!-- pause -->\n\nthree\n\n<!-- pause -->\n\nfour\n"
    )
    return moving, plain


def measure_highlight(folder: Path, rounds: int) -> dict[str, list[float]]:
    """Seconds to show a step of each slide as the player does when the presenter presses
    on: the slide has appeared at its first step (drawn whole once, untimed here, as in a
    slide change), then steps 2 and 3 each take the render cache's lines for that step
    (worked out from the whole slide's) and write them to a terminal. Every round starts
    from an empty cache, as a first visit of the slide does.

    Keys: "moving", "plain" (the lines alone), "moving drawn", "plain drawn", and
    "moving appears", "plain appears" (the slide's first step: its layout and the
    working out of every step's lines).
    """
    import io

    from rich.console import Console

    from prexterm.core.parser import load_deck
    from prexterm.render.palette import DARK
    from prexterm.render.slide import SlideRenderCache

    moving_deck, plain_deck = highlight_decks(folder)
    timings: dict[str, list[float]] = {}
    slides = {}
    for name, path in (("moving", moving_deck), ("plain", plain_deck)):
        (slide,) = load_deck(path, cwd=folder).slides
        assert slide.steps == 4, (name, slide.steps)
        slides[name] = slide
    screen = Console(file=io.StringIO(), width=WIDTH, color_system="truecolor", force_terminal=True)
    for index in range(rounds):
        for name in ("moving", "plain") if index % 2 else ("plain", "moving"):
            cache = SlideRenderCache(palette=DARK)
            start = time.perf_counter()
            cache.get(slides[name], WIDTH - 4, step=1)
            timings.setdefault(f"{name} appears", []).append(time.perf_counter() - start)
            for step in (2, 3):
                start = time.perf_counter()
                lines = cache.get(slides[name], WIDTH - 4, step=step)
                ready = time.perf_counter()
                screen.print(lines)
                end = time.perf_counter()
                timings.setdefault(name, []).append(ready - start)
                timings.setdefault(f"{name} drawn", []).append(end - start)
                screen.file = io.StringIO()
    return timings


PTY_PROGRAM = """import sys, time
for n in range(5):
    sys.stdout.write(f"LINE {{n}} {{time.monotonic()!r}}\\n")
    sys.stdout.flush()
    time.sleep(0.01)
"""


def measure_pty(folder: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from a program's print to its line in the run's output, in a
    pseudo-terminal and through a pipe, runs of both taken in turn in the same loop."""
    import asyncio

    from prexterm.core.code_attributes import CodeAttributes
    from prexterm.core.model import Asset, CodeBlock, Source
    from prexterm.services.code_runner import CodeRun, CodeRunner

    path = folder / "stamps.py"
    path.write_text(PTY_PROGRAM.format())
    source = Source("bench.md", 1)

    def block(pty: bool) -> CodeBlock:
        return CodeBlock(
            Asset("stamps.py", path, source),
            "python",
            path.read_text(),
            source,
            (sys.executable, "-u"),
            attributes=CodeAttributes(pty=pty),
        )

    delays: dict[bool, list[float]] = {True: [], False: []}

    async def run_all() -> None:
        seen: dict[int, float] = {}

        def changed(run: CodeRun) -> None:
            now = time.monotonic()
            for _, text in run.lines:
                if text.startswith("LINE "):
                    number, stamp = text.split()[1:3]
                    key = id(run) * 10 + int(number)
                    if key not in seen:
                        seen[key] = now
                        delays[run.terminal].append(now - float(stamp))

        runner = CodeRunner(on_change=changed)
        try:
            for index in range(runs * 2):
                pty = bool(index % 2)
                run = await runner.start(index, block(pty), size=(WIDTH - 4, 12))
                assert isinstance(run, CodeRun), run
                await run.wait()
        finally:
            await runner.shutdown()

    asyncio.run(run_all())
    return delays[True], delays[False]


def measure_start(folder: Path, runs: int) -> dict[str, list[float]]:
    """The longest the event loop waits while `CodeRunner.start` starts a program, through
    pipes and in a pseudo-terminal, and in an equal window when nothing starts (what the
    machine's own load costs the loop). A ticker sleeps 2 ms at a time and notes the
    longest time between two of its turns.

    Keys: "pipe", "pty", "idle".
    """
    import asyncio

    from prexterm.core.code_attributes import CodeAttributes
    from prexterm.core.model import Asset, CodeBlock, Source
    from prexterm.services.code_runner import CodeRun, CodeRunner

    path = folder / "hello.py"
    path.write_text("print('hello')\n")
    source = Source("deck.md", 1)

    def block(pty: bool) -> CodeBlock:
        return CodeBlock(
            Asset("hello.py", path, source),
            "python",
            path.read_text(),
            source,
            (sys.executable, "-u"),
            attributes=CodeAttributes(pty=pty),
        )

    gaps: dict[str, list[float]] = {"pipe": [], "pty": [], "idle": []}

    async def longest_gap_while(work: Callable[[], object]) -> float:
        longest = 0.0
        done = False

        async def tick() -> None:
            nonlocal longest
            last = time.perf_counter()
            while not done:
                await asyncio.sleep(0.002)
                now = time.perf_counter()
                longest, last = max(longest, now - last), now

        ticker = asyncio.create_task(tick())
        await asyncio.sleep(0.01)
        await work()  # type: ignore[misc]
        done = True
        await ticker
        return longest

    async def run_all() -> None:
        runner = CodeRunner()
        try:
            for index in range(runs):
                for name in ("pipe", "pty", "idle"):
                    started: list[CodeRun] = []

                    async def work(
                        name: str = name, index: int = index, started: list[CodeRun] = started
                    ) -> None:
                        if name == "idle":
                            await asyncio.sleep(0.03)
                            return
                        run = await runner.start((name, index), block(name == "pty"))
                        assert isinstance(run, CodeRun), run
                        started.append(run)

                    gaps[name].append(await longest_gap_while(work))
                    for run in started:
                        await run.wait()
        finally:
            await runner.shutdown()

    asyncio.run(run_all())
    return gaps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="code runs to take the median of")
    parser.add_argument("--presses", type=int, default=100, help="key presses during the flood")
    parser.add_argument("--interval", type=float, default=0.002, help="seconds between reads")
    parser.add_argument(
        "--part",
        choices=("all", "live", "highlight", "pty", "start"),
        default="all",
        help="live: runs and floods in tmux; highlight: stepping a highlight; pty: +pty output; "
        "start: the event loop while a program starts",
    )
    args = parser.parse_args(argv)
    missed: list[str] = []
    if args.part in ("all", "highlight", "pty", "start"):
        print_table(code_on_stage(args, missed))
        print()
        if args.part != "all":
            measure.print_load_average()
            print("targets met" if not missed else "TARGETS MISSED: " + "; ".join(missed))
            return 0
    prexterm = measure.ready_to_measure()
    if prexterm is None:
        return 0
    print(
        f"prexterm: {prexterm}\nterminal: tmux {WIDTH}x{HEIGHT}; {args.runs} runs; "
        f"{args.presses} presses during a flood; screen read every {args.interval * 1000:g} ms\n"
    )
    rows: list[Row] = []
    run_reads: list[float] = []
    flood_reads: list[float] = []
    with tempfile.TemporaryDirectory(prefix="prexterm-code-") as tmp:
        folder = Path(tmp)
        run_deck = write_run_deck(folder, args.runs)
        flood_deck = write_flood_deck(folder)
        try:
            samples = measure_runs(prexterm, run_deck, args.runs, args.interval, run_reads)
        except TerminalTimeout as exc:
            print(f"run measurement failed: {exc}", file=sys.stderr)
            samples = []
        starts = program_start_to_print(folder, max(1, args.runs))
        try:
            flood = measure_flood(prexterm, flood_deck, args.presses, args.interval, flood_reads)
        except TerminalTimeout as exc:
            print(f"flood measurement failed: {exc}", file=sys.stderr)
            flood = []

    if samples:
        shown = [s for s in samples if s.key_to_first is not None]
        hidden = len(samples) - len(shown)
        first = [s.print_to_first for s in samples if s.print_to_first is not None]
        key_first = [s.key_to_first for s in samples if s.key_to_first is not None]
        start = statistics.median(starts)
        met = (
            hidden == 0 and statistics.median(first) * 1000 <= TARGET_PRINT_TO_SCREEN_MS
            if first
            else False
        )
        rows += [
            ms_row("key x -> first output line on screen", key_first),
            ms_row(
                "key x -> run's output on screen (either line)",
                [s.key_to_any for s in samples],
            ),
            ms_row("program start -> its print (outside the player)", starts),
            ms_row(
                "key -> first line minus program start-to-print",
                [k - start for k in key_first],
            ),
            ms_row(
                "key -> run's output minus program start-to-print",
                [s.key_to_any - start for s in samples],
            ),
            ms_row(
                "program prints -> first output line on screen",
                first,
                f"median <= {TARGET_PRINT_TO_SCREEN_MS:g} ms",
                met,
            ),
            ms_row("program prints -> run's output on screen", [s.print_to_any for s in samples]),
        ]
        if not met:
            missed.append(
                "first output after print"
                + (f" ({hidden}/{len(samples)} runs never showed the first line)" if hidden else "")
            )
    else:
        missed.append("run to first output (no run completed)")
    if flood:
        met = p95(flood) * 1000 <= TARGET_FLOOD_P95_MS
        rows.append(
            ms_row(
                "next slide during a flood (footer N/M)",
                flood,
                f"p95 <= {TARGET_FLOOD_P95_MS:g} ms",
                met,
            )
        )
        if not met:
            missed.append("next slide during a flood")
    else:
        missed.append("next slide during a flood (no measurement)")
    print_table(rows)
    print()
    for what, reads in (("runs", run_reads), ("flood", flood_reads)):
        if reads:
            print(
                f"resolution ({what}): one screen read takes {statistics.median(reads) * 1000:.1f}"
                f" ms median, {p95(reads) * 1000:.1f} ms p95, plus a {args.interval * 1000:g} ms"
                " pause between reads; a figure can be late by up to one read and one pause"
            )
    measure.print_load_average()
    print()
    print("targets met" if not missed else "TARGETS MISSED: " + "; ".join(missed))
    return 0


def code_on_stage(args: argparse.Namespace, missed: list[str]) -> list[Row]:
    """(c) a step of a moving highlight against a plain step; (d) +pty against pipes."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="prexterm-code-") as tmp:
        folder = Path(tmp)
        if args.part in ("all", "highlight"):
            timings = measure_highlight(folder, max(50, args.runs * 20))
            moving, plain = timings["moving drawn"], timings["plain drawn"]
            met = statistics.median(moving) <= TARGET_HIGHLIGHT_RATIO * statistics.median(
                plain
            ) and p95(moving) <= TARGET_HIGHLIGHT_RATIO * p95(plain)
            rows.append(ms_row("a plain slide appears (step 1)", timings["plain appears"]))
            rows.append(
                ms_row("a moving highlight's slide appears (step 1)", timings["moving appears"])
            )
            rows.append(ms_row("a plain step: its lines", timings["plain"]))
            rows.append(ms_row("a step of a moving highlight: its lines", timings["moving"]))
            rows.append(ms_row("a plain step: lines written to a terminal", plain))
            rows.append(
                ms_row(
                    "a highlight step: lines written to a terminal",
                    moving,
                    f"median and p95 <= {TARGET_HIGHLIGHT_RATIO:g}x plain",
                    met,
                )
            )
            if not met:
                missed.append("stepping a highlight")
        if args.part in ("all", "start"):
            starts = measure_start(folder, max(20, args.runs * 2))
            rows.append(ms_row("longest loop wait, nothing starting", starts["idle"]))
            rows.append(ms_row("longest loop wait while a program starts (pipe)", starts["pipe"]))
            rows.append(ms_row("longest loop wait while a program starts (+pty)", starts["pty"]))
        if args.part in ("all", "pty"):
            pty, pipe = measure_pty(folder, max(5, args.runs))
            met = p95(pty) <= TARGET_PTY_RATIO * p95(pipe)
            rows.append(ms_row("program prints -> its line in the panel (pipe)", pipe))
            rows.append(
                ms_row(
                    "program prints -> its line in the panel (+pty)",
                    pty,
                    f"p95 <= {TARGET_PTY_RATIO:g}x pipe",
                    met,
                )
            )
            if not met:
                missed.append("+pty output")
    return rows


if __name__ == "__main__":
    sys.exit(main())

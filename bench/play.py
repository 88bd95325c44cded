"""How the player feels in a real terminal: first frame, next-slide latency and peak memory.

Every figure is taken the way a user meets it: the installed `prexterm` command runs in a
tmux pseudo-terminal, keys are sent with `send-keys`, and a figure ends when the screen
(read with `capture-pane`) shows the expected text. Absolute numbers depend on the
machine, so each is printed next to a "floor": a bare Textual app, written here and run
with the same Python, that shows one Static and swaps its text on a key. The floor is
what any Textual app pays for startup, a repaint and memory; the targets are ratios to it
(a first frame within 300 ms also meets its own).

Each run launches, in turn: the floor, the floor again after loading the libraries any
Markdown player with a command line needs (argparse, markdown-it; for reference), the
seed deck, a generated 1,000-slide deck and a generated 101-slide deck that mixes text,
code, tables, `!code` files and photo slides (100 key presses, each showing a slide for
the first time, as in a talk), and a deck whose slides come in three steps each, walked
through with the same key: a step and a slide change are timed in the same run, so the
step's key-to-screen time can be set against the slide change's. The first frames are
taken in rounds of four launches back to back, three rounds a run. The table shows
medians; a ratio is the median of the ratios within each round (or run), which the
machine's drift between them leaves alone. The program prints the load average at its
start and end (well above 1 on two cores, something else ran and the figures are noisy),
always exits 0 and ends with "targets met" or "TARGETS MISSED: ...".

With `--transition slide` it measures the slide transition instead: on a deck whose
slides are laid out alike, the time from a key to the frame where the next slide stands in
its final place, with `--transition slide` and with `none`, median and p95 (the slide's
ceiling: 350 ms p95); the mixed deck's next-slide presses (the figure above) are taken too
with `none`. `--before COMMAND` takes the same figures, in the same runs and alternating,
with another checkout's `prexterm` command, and gives the ratios: with `none`, within 10%.

    python bench/play.py [--runs 5] [--steps-only] [--transition slide [--before COMMAND]]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from measure import (  # noqa: E402
    deck_source,
    footer,
    p95,
    print_load_average,
    ready_to_measure,
    shows,
)
from parse import make_deck  # noqa: E402

from tests.e2e.tmux import Terminal, TerminalTimeout  # noqa: E402

SEED_DECK = REPO / "samples" / "kigali.md"
SEED_SLIDES = 40
SEED_FIRST_TEXT = "For about a year now"
BIG_SLIDES = 1000
MIXED_SLIDES = 101
PRESSES = MIXED_SLIDES - 1
T = TypeVar("T")
"""What one run of a measurement gives."""

WIDTH, HEIGHT = 100, 30
STEPPED_SLIDES = 34
STEPS = 3
"""Each slide of the stepped deck: a paragraph, then a list, then code, a step each."""
MOVING_SLIDES = 31
"""Slides of the transition deck: 30 presses, each one a transition."""
TARGET_TRANSITION_P95_MS = 350.0
"""Key to the final frame of a slide transition, p95."""
TARGET_BEFORE = 1.10
"""With `none`, key to screen within 10% of the command measured with `--before`."""
TARGET_STEP = 1.0
"""A step shows no slower than a slide change (median and p95, ratio of the two)."""

ROUNDS = 3
"""Rounds of first-frame launches in each run; the figures are medians over all rounds."""
LAUNCH_POLL = 0.005
"""Seconds between screen reads while waiting for a first frame."""
KEY_POLL = 0.002
"""Seconds between screen reads after a key: a repaint takes a few milliseconds."""
TIMEOUT = 20.0

TARGET_FIRST_FRAME = 1.35
TARGET_FIRST_FRAME_MS = 300.0
"""The first frame's ceiling: within 1.35x the floor or within 300 ms, whichever is larger."""
TARGET_BIG_FIRST_FRAME = 1.1
TARGET_NEXT_P95 = 2.0
TARGET_MEMORY = 1.5
TARGET_BIG_MEMORY_MB = 60.0

FLOOR_APP = '''
"""The floor: the least a Textual app can do, one Static whose text changes on a key.

With --libraries it first loads what any Markdown player with a command line needs
(argparse, markdown-it) and parses one slide: the floor of such a player.
"""
import sys

if "--libraries" in sys.argv:
    import argparse
    from markdown_it import MarkdownIt

    MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse("# Slide\\n\\n- a point\\n")

from textual.app import App, ComposeResult
from textual.widgets import Static


class Floor(App[None]):
    BINDINGS = [("right", "next", "Next"), ("q", "quit", "Quit")]

    def __init__(self) -> None:
        super().__init__()
        self.number = 1

    def label(self) -> str:
        return f"floor slide <{self.number}>"

    def compose(self) -> ComposeResult:
        yield Static(self.label())

    def action_next(self) -> None:
        self.number += 1
        self.query_one(Static).update(self.label())


Floor().run()
'''


def floor_marker(number: int) -> str:
    return f"<{number}>"


# -- measuring one launch ------------------------------------------------------------------


@dataclass
class Launch:
    """One program in one fresh terminal; its server is not part of any figure."""

    argv: list[str]
    workdir: Path
    terminal: Terminal = field(init=False)

    def __post_init__(self) -> None:
        self.terminal = Terminal(WIDTH, HEIGHT, workdir=self.workdir, name="bench")

    def first_frame(self, *markers: str) -> list[float]:
        """Start the program; seconds until each marker is on screen, in order."""
        start = time.perf_counter()
        self.terminal.start(self.argv, cwd=REPO, record_status=False)
        times = []
        for marker in markers:
            self.terminal.wait_until(
                shows(marker), repr(marker), timeout=TIMEOUT, interval=LAUNCH_POLL
            )
            times.append(time.perf_counter() - start)
        return times

    def press(self, key: str, marker: str) -> float:
        """Seconds from sending `key` to `marker` on screen."""
        start = time.perf_counter()
        self.terminal.send(key)
        self.terminal.wait_until(
            lambda s: marker in s, repr(marker), timeout=TIMEOUT, interval=KEY_POLL
        )
        return time.perf_counter() - start

    def peak_memory_mb(self) -> float:
        """The app's RSS high-water mark (VmHWM), in MiB.

        The pane runs `env ... program`, and both `env` and a console script exec, so the
        pane's pid is the app's own; a process with a single child is followed down in
        case something in between forks instead.
        """
        pid = int(self.terminal.display("#{pane_pid}"))
        while "python" not in _cmdline(pid) and (children := _children(pid)):
            pid = children[0]
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no VmHWM for pid {pid}")

    def quit(self) -> None:
        self.terminal.send("q")
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                if self.terminal.display("#{pane_dead}") == "1":
                    break
            except RuntimeError:  # the last pane closed, and the server with it
                break
            time.sleep(0.01)
        self.terminal.close()


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(p) for p in path.read_text().split()]
    except OSError:
        return []


# -- one run ---------------------------------------------------------------------------


@dataclass
class FirstFrames:
    """One round of launches, back to back: seconds to each program's first frame."""

    floor: float
    libraries: float
    seed: float
    seed_text: float
    big: float


@dataclass
class Run:
    rounds: list[FirstFrames] = field(default_factory=list)
    floor_next: list[float] = field(default_factory=list)
    floor_memory: float = 0.0
    seed_memory: float = 0.0
    big_memory: float = 0.0
    mixed_next: list[float] = field(default_factory=list)
    step_next: list[float] = field(default_factory=list)
    """Key to screen of a step inside a slide of the stepped deck."""
    step_slide_next: list[float] = field(default_factory=list)
    """Key to screen of a slide change (from a last step to a first) in the same deck."""


def stepped_deck(folder: Path) -> Path:
    """`STEPPED_SLIDES` slides of `STEPS` steps: text, a list, then highlighted code."""
    slides = []
    for n in range(1, STEPPED_SLIDES + 1):
        slides.append(
            f"## Slide {n} in steps\n\n"
            f"A paragraph that opens slide {n}, long enough to wrap once at the width of a\n"
            "terminal and so to be laid out like the text of a real slide.\n\n"
            "<!-- pause -->\n\n"
            f"- the first point of slide {n}\n- a second point, with `code` in it\n"
            "- a third point, **bold**\n\n"
            "<!-- pause -->\n\n"
            f"```python\ndef slide_{n}(x: int) -> int:\n    return x * {n}\n```"
        )
    path = folder / "stepped.md"
    path.write_text(deck_source("Stepped", slides))
    return path


def step_marker(number: int, step: int) -> str:
    return f"{footer(number, STEPPED_SLIDES)} · {step}/{STEPS}"


def walk_steps(prexterm: str, deck: Path, workdir: Path, run: Run) -> None:
    """Every step of the stepped deck with →: steps and slide changes, timed apart."""
    app = Launch([prexterm, str(deck)], workdir)
    app.first_frame(step_marker(1, 1))
    for number in range(1, STEPPED_SLIDES + 1):
        for step in range(2, STEPS + 1):
            run.step_next.append(app.press("Right", step_marker(number, step)))
        if number < STEPPED_SLIDES:
            run.step_slide_next.append(app.press("Right", step_marker(number + 1, 1)))
    app.quit()


# -- the slide transition --------------------------------------------------------------


def moving_deck(folder: Path) -> Path:
    """`MOVING_SLIDES` slides laid out alike, each with a line of its own number: a slide
    stands in its final place when that line reads, cell for cell, as the first slide's."""
    slides = [
        f"# Moving slide {n:03}\n\n"
        f"A paragraph on slide {n:03}, long enough to wrap once at the width of a terminal\n"
        "and so to be laid out like the text of a real slide.\n\n"
        f"- a first point\n- a second point, marked {n:03}\n"
        for n in range(1, MOVING_SLIDES + 1)
    ]
    path = folder / "moving.md"
    path.write_text(deck_source("Moving", slides))
    return path


def settled(number: int, first: str) -> Callable[[str], bool]:
    """Whether the screen shows slide `number`'s marked line where the first slide's
    stood: the transition's final frame (every row of a frame moves by one amount)."""
    line = first.replace("marked 001", f"marked {number:03}")
    return lambda screen: line in screen.split("\n")


def first_marked_line(app: Launch) -> str:
    """The first slide's marked line as the terminal shows it, margins included."""
    screen = app.terminal.wait_until(
        shows(footer(1, MOVING_SLIDES)), "the first slide", timeout=TIMEOUT
    )
    (line,) = [row for row in screen.split("\n") if "marked 001" in row]
    return line


def time_moves(prexterm: str, deck: Path, workdir: Path, transition: str) -> list[float]:
    """Seconds from each → to the final frame of the next slide, through the deck."""
    app = Launch([prexterm, "--transition", transition, str(deck)], workdir)
    app.first_frame(footer(1, MOVING_SLIDES))
    first = first_marked_line(app)
    times = []
    for number in range(2, MOVING_SLIDES + 1):
        start = time.perf_counter()
        app.terminal.send("Right")
        app.terminal.wait_until(
            settled(number, first), f"slide {number} settled", timeout=TIMEOUT, interval=KEY_POLL
        )
        times.append(time.perf_counter() - start)
    app.quit()
    return times


def time_next_slides(prexterm: str, mixed: Path, workdir: Path) -> list[float]:
    """The mixed deck's next-slide presses, as `one_run` takes them."""
    app = Launch([prexterm, str(mixed)], workdir)
    app.first_frame(footer(1, MIXED_SLIDES))
    times = [app.press("Right", footer(n, MIXED_SLIDES)) for n in range(2, MIXED_SLIDES + 1)]
    app.quit()
    return times


MoveRun = dict[str, list[float]]
"""One run of the transition figures: `slide`, `none` and `next_none` (the mixed deck's
next-slide presses), each also prefixed `before_` for the command measured alike."""


def move_run(
    prexterm: str, before: str | None, moving: Path, mixed: Path, workdir: Path, index: int
) -> MoveRun:
    """Every transition figure once, this checkout and the one before taking turns; which
    goes first changes from run to run, so neither always meets a warmer machine."""
    run: MoveRun = {}
    commands = [(prexterm, "")] + ([(before, "before_")] if before else [])
    if index % 2:
        commands.reverse()
    for command, prefix in commands:
        run[prefix + "none"] = time_moves(command, moving, workdir, "none")
    for command, prefix in commands:
        run[prefix + "slide"] = time_moves(command, moving, workdir, "slide")
    for command, prefix in commands:
        run[prefix + "next_none"] = time_next_slides(command, mixed, workdir)
    return run


def move_rows(runs: list[MoveRun], before: bool) -> list[Row]:
    """Key to final frame with and without the transition, and against the checkout
    before, each ratio taken within a run."""
    ms = 1000.0
    rows = []
    picks: tuple[tuple[str, Callable[[list[float]], float]], ...] = (
        ("median", statistics.median),
        ("p95", p95),
    )

    def of(name: str, pick: Callable[[list[float]], float]) -> float:
        return statistics.median(pick(r[name]) for r in runs) * ms

    def ratio(top: str, bottom: str, pick: Callable[[list[float]], float]) -> float:
        return statistics.median(pick(r[top]) / pick(r[bottom]) for r in runs)

    for name, pick in picks:
        slide = of("slide", pick)
        rows.append(
            Row(
                f"key to final frame, --transition slide, {name} (floor column: none)",
                slide,
                of("none", pick),
                "ms",
                f"<= {TARGET_TRANSITION_P95_MS:.0f} ms" if name == "p95" else "-",
                slide <= TARGET_TRANSITION_P95_MS if name == "p95" else None,
                ratio("slide", "none", pick),
            )
        )
    if not before:
        for name, pick in picks:
            rows.append(
                Row(f"next slide, none, {name}", of("next_none", pick), None, "ms", "-", None)
            )
        return rows
    for figure, top, bottom in (
        ("key to final frame, none", "none", "before_none"),
        ("next slide (mixed deck), none", "next_none", "before_next_none"),
        ("key to final frame, slide", "slide", "before_slide"),
    ):
        for name, pick in picks:
            within = ratio(top, bottom, pick)
            checked = top != "slide"
            rows.append(
                Row(
                    f"{figure}, {name} (floor column: before)",
                    of(top, pick),
                    of(bottom, pick),
                    "ms",
                    f"<= {TARGET_BEFORE}x before" if checked else "-",
                    within <= TARGET_BEFORE if checked else None,
                    within,
                )
            )
    return rows


def text_first(deck: Path) -> Path:
    """Open the big deck on a paragraph, as the seed deck opens.

    The comparison is about deck size (parse fast, render lazily); a first slide with
    highlighted code would add the cost of loading a highlighter, which the seed does
    not pay, and hide what is measured.
    """
    lines = deck.read_text().split("\n")
    title = [
        "# A thousand slides",
        "",
        "The first slide is a paragraph, as in the seed deck; the rest mix every construct.",
        "---",
    ]
    deck.write_text("\n".join([*lines[:2], *title, *lines[2:]]))
    return deck


def one_run(
    prexterm: str, floor: Path, big: Path, mixed: Path, stepped: Path, workdir: Path
) -> Run:
    """Every figure once; the programs alternate so drift in the machine hits all alike.

    The first frames come in rounds of four launches back to back, so that the ratios
    between them are taken at one speed of the machine; the key presses and the memory
    follow.
    """
    run = Run()

    for _ in range(ROUNDS):
        app = Launch([sys.executable, str(floor)], workdir)
        (floor_first,) = app.first_frame(floor_marker(1))
        app.quit()
        app = Launch([sys.executable, str(floor), "--libraries"], workdir)
        (libraries_first,) = app.first_frame(floor_marker(1))
        app.quit()
        app = Launch([prexterm, str(SEED_DECK)], workdir)
        seed_first, seed_text = app.first_frame(footer(1, SEED_SLIDES), SEED_FIRST_TEXT)
        app.quit()
        app = Launch([prexterm, str(big)], workdir)
        (big_first,) = app.first_frame(footer(1, BIG_SLIDES))
        app.quit()
        run.rounds.append(
            FirstFrames(floor_first, libraries_first, seed_first, seed_text, big_first)
        )

    app = Launch([prexterm, str(big)], workdir)
    app.first_frame(footer(1, BIG_SLIDES))
    app.press("End", footer(BIG_SLIDES, BIG_SLIDES))
    run.big_memory = app.peak_memory_mb()
    app.quit()

    app = Launch([prexterm, str(SEED_DECK)], workdir)
    app.first_frame(footer(1, SEED_SLIDES))
    for n in range(2, SEED_SLIDES + 1):  # the whole talk, so memory holds every slide
        app.press("Right", footer(n, SEED_SLIDES))
    run.seed_memory = app.peak_memory_mb()
    app.quit()

    app = Launch([sys.executable, str(floor)], workdir)
    app.first_frame(floor_marker(1))
    run.floor_next = [app.press("Right", floor_marker(n)) for n in range(2, PRESSES + 2)]
    run.floor_memory = app.peak_memory_mb()
    app.quit()

    app = Launch([prexterm, str(mixed)], workdir)
    app.first_frame(footer(1, MIXED_SLIDES))
    run.mixed_next = [
        app.press("Right", footer(n, MIXED_SLIDES)) for n in range(2, MIXED_SLIDES + 1)
    ]
    app.quit()
    walk_steps(prexterm, stepped, workdir, run)
    return run


def warm_up(prexterm: str, floor: Path, workdir: Path) -> None:
    """Launch each program once untimed, so the first run does not pay for a cold disk."""
    for argv, marker in (
        ([sys.executable, str(floor)], floor_marker(1)),
        ([prexterm, str(SEED_DECK)], footer(1, SEED_SLIDES)),
    ):
        app = Launch(argv, workdir)
        app.first_frame(marker)
        app.quit()


# -- the report ------------------------------------------------------------------------


@dataclass
class Row:
    figure: str
    value: float
    floor: float | None
    unit: str
    target: str
    met: bool | None
    ratio: float | None = None
    """The median of the runs' own ratios, when the figure has one; value/floor otherwise."""


def median_of(runs: list[Run], pick: Callable[[Run], float]) -> float:
    return statistics.median(pick(r) for r in runs)


def report(runs: list[Run]) -> list[Row]:
    ms = 1000.0
    rounds = [f for r in runs for f in r.rounds]

    def over_rounds(pick: Callable[[FirstFrames], float]) -> float:
        return statistics.median(pick(f) for f in rounds)

    floor_first = over_rounds(lambda f: f.floor) * ms
    libraries_first = over_rounds(lambda f: f.libraries) * ms
    seed_first = over_rounds(lambda f: f.seed) * ms
    seed_text = over_rounds(lambda f: f.seed_text) * ms
    big_first = over_rounds(lambda f: f.big) * ms
    next_median = median_of(runs, lambda r: statistics.median(r.mixed_next)) * ms
    next_p95 = median_of(runs, lambda r: p95(r.mixed_next)) * ms
    floor_next_median = median_of(runs, lambda r: statistics.median(r.floor_next)) * ms
    floor_next_p95 = median_of(runs, lambda r: p95(r.floor_next)) * ms
    floor_memory = median_of(runs, lambda r: r.floor_memory)
    seed_memory = median_of(runs, lambda r: r.seed_memory)
    big_memory = median_of(runs, lambda r: r.big_memory)
    # Ratios are taken within each run, then the median: the machine's speed drifts
    # between runs more than between programs launched one after the other.
    first_ratio = over_rounds(lambda f: f.seed / f.floor)
    text_ratio = over_rounds(lambda f: f.seed_text / f.floor)
    libraries_ratio = over_rounds(lambda f: f.libraries / f.floor)
    big_ratio = over_rounds(lambda f: f.big / f.seed)
    big_floor_ratio = over_rounds(lambda f: f.big / f.floor)
    p95_ratio = median_of(runs, lambda r: p95(r.mixed_next) / p95(r.floor_next))
    return [
        Row(
            "first frame, seed deck (footer 1/40)",
            seed_first,
            floor_first,
            "ms",
            f"<= {TARGET_FIRST_FRAME}x floor or {TARGET_FIRST_FRAME_MS:.0f} ms",
            first_ratio <= TARGET_FIRST_FRAME or seed_first <= TARGET_FIRST_FRAME_MS,
            first_ratio,
        ),
        Row(
            "first frame, seed deck (slide text)",
            seed_text,
            floor_first,
            "ms",
            "-",
            None,
            text_ratio,
        ),
        Row(
            "first frame, floor + argparse, markdown-it",
            libraries_first,
            floor_first,
            "ms",
            "- (for reference)",
            None,
            libraries_ratio,
        ),
        Row(
            "first frame, 1,000 slides",
            big_first,
            floor_first,
            "ms",
            f"<= {TARGET_BIG_FIRST_FRAME}x seed ({big_ratio:.2f}x)",
            big_ratio <= TARGET_BIG_FIRST_FRAME,
            big_floor_ratio,
        ),
        Row("next slide, median", next_median, floor_next_median, "ms", "-", None),
        Row(
            "next slide, p95",
            next_p95,
            floor_next_p95,
            "ms",
            f"<= {TARGET_NEXT_P95}x floor",
            p95_ratio <= TARGET_NEXT_P95,
            p95_ratio,
        ),
        Row(
            "peak memory, seed deck",
            seed_memory,
            floor_memory,
            "MiB",
            f"<= {TARGET_MEMORY}x floor",
            seed_memory <= TARGET_MEMORY * floor_memory,
        ),
        Row(
            "peak memory, 1,000 slides",
            big_memory,
            floor_memory,
            "MiB",
            f"<= {TARGET_BIG_MEMORY_MB:.0f} MiB",
            big_memory <= TARGET_BIG_MEMORY_MB,
        ),
    ]


def step_rows(runs: list[Run]) -> list[Row]:
    """A step against a slide change of the same deck, in the same runs."""
    ms = 1000.0
    rows = []
    picks: tuple[tuple[str, Callable[[list[float]], float]], ...] = (
        ("median", statistics.median),
        ("p95", p95),
    )
    for name, pick in picks:
        step = statistics.median(pick(r.step_next) for r in runs) * ms
        slide = statistics.median(pick(r.step_slide_next) for r in runs) * ms
        ratio = statistics.median(pick(r.step_next) / pick(r.step_slide_next) for r in runs)
        rows.append(
            Row(
                f"next step, {name} (floor column: slide change)",
                step,
                slide,
                "ms",
                f"<= {TARGET_STEP}x slide change",
                ratio <= TARGET_STEP,
                ratio,
            )
        )
    return rows


def print_table(rows: list[Row]) -> None:
    header = ("figure", "prexterm", "floor", "ratio", "target", "")
    table = [header]
    for row in rows:
        floor = f"{row.floor:.1f} {row.unit}" if row.floor is not None else "-"
        ratio_value = (
            row.ratio if row.ratio is not None else (row.value / row.floor if row.floor else None)
        )
        ratio = f"{ratio_value:.2f}x" if ratio_value is not None else "-"
        verdict = "" if row.met is None else ("ok" if row.met else "MISSED")
        table.append((row.figure, f"{row.value:.1f} {row.unit}", floor, ratio, row.target, verdict))
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for n, line in enumerate(table):
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        )
        if n == 0:
            print("  ".join("-" * width for width in widths).rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs to take the median of")
    parser.add_argument(
        "--steps-only", action="store_true", help="time only steps against slide changes"
    )
    parser.add_argument(
        "--transition",
        choices=("none", "slide"),
        default="none",
        help="slide: time the slide transition (key to its final frame) instead",
    )
    parser.add_argument(
        "--before",
        metavar="COMMAND",
        help="with --transition slide: another checkout's prexterm, measured alike",
    )
    args = parser.parse_args(argv)
    if args.before and args.transition != "slide":
        parser.error("--before goes with --transition slide")
    start_load = os.getloadavg()
    prexterm = ready_to_measure()
    if prexterm is None:
        return 0
    with tempfile.TemporaryDirectory(prefix="prexterm-bench-") as tmp:
        root = Path(tmp)
        floor = root / "floor.py"
        floor.write_text(FLOOR_APP)
        (root / "big").mkdir()
        (root / "mixed").mkdir()
        big = text_first(make_deck(root / "big", BIG_SLIDES - 1))
        mixed = make_deck(root / "mixed", MIXED_SLIDES)
        stepped = stepped_deck(root)
        print(
            f"prexterm: {prexterm}\npython: {sys.executable}\n"
            f"terminal: tmux {WIDTH}x{HEIGHT}, TERM=xterm-256color; {args.runs} runs, medians; "
            f"next slide over {PRESSES} presses on a mixed deck\n"
        )
        warm_up(prexterm, floor, root)
        if args.transition == "slide":
            return transition_main(args.runs, prexterm, args.before, root, mixed, start_load)

        def steps_run(_n: int) -> Run:
            run = Run()
            walk_steps(prexterm, stepped, root, run)
            return run

        def whole_run(_n: int) -> Run:
            return one_run(prexterm, floor, big, mixed, stepped, root)

        runs = take_runs(args.runs, steps_run if args.steps_only else whole_run)
    if not runs:
        print("TARGETS MISSED: no run completed")
        return 0
    return conclude(
        step_rows(runs) if args.steps_only else report(runs) + step_rows(runs), start_load
    )


def transition_main(
    count: int,
    prexterm: str,
    before: str | None,
    root: Path,
    mixed: Path,
    start_load: tuple[float, float, float],
) -> int:
    """The transition figures (`--transition slide`), printed as the others are."""
    moving = moving_deck(root)
    if before:
        print(f"before: {before}\n")
        app = Launch([before, str(SEED_DECK)], root)  # untimed, as `warm_up` does
        app.first_frame(footer(1, SEED_SLIDES))
        app.quit()
    runs = take_runs(count, lambda n: move_run(prexterm, before, moving, mixed, root, n))
    if not runs:
        print("TARGETS MISSED: no run completed")
        return 0
    return conclude(move_rows(runs, before is not None), start_load)


def take_runs(count: int, one: Callable[[int], T]) -> list[T]:
    """`count` runs of `one` (given the run's index); a run the terminal timed out in is
    reported and left out."""
    runs = []
    for n in range(count):
        try:
            runs.append(one(n))
        except TerminalTimeout as exc:
            print(f"run {n + 1} failed: {exc}", file=sys.stderr)
        print(f"run {n + 1}/{count} done", file=sys.stderr)
    return runs


def conclude(rows: list[Row], start_load: tuple[float, float, float]) -> int:
    """Print the figures, the load they were taken under and which targets were missed."""
    print_table(rows)
    missed = [row.figure for row in rows if row.met is False]
    print()
    print_load_average("the start", start_load)
    print_load_average()
    print("targets met" if not missed else "TARGETS MISSED: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())

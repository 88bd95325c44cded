"""Pictures as an audience meets them: a 12-megapixel photo, and a walk through photo slides.

A temporary deck is generated with Pillow: slide 1 is text, slide 2 a 4000x3000 JPEG
(a colour gradient with grain, quality 90, `!slide_background big.jpg`), slides 3-22 are
photo slides of twenty different 1600x900 JPEGs, and slides 23-43 are text slides. The
installed `prexterm --images halfblock` plays it in a real terminal (tmux 100x30); keys are
sent with `send-keys` and the screen is read with `capture-pane` every 3 ms. A picture
counts as on screen when at least 1,000 cells show the upper half block `▀`.

(a) The big photo. In fresh launches, from the key that moves from slide 1 to slide 2
    until the footer shows `2/43` and the picture is drawn: once with the key pressed as
    soon as the first slide is on screen (nothing could be decoded ahead), once after
    a pause on the title slide (`--pause-title`, 1 s: a presenter opening a talk).
    Target: median within 300 ms.

(b) Walking the photos. In each launch with a pause, Right is pressed through the twenty
    photo slides (3-22), each time until the footer shows the new `N/43` and the picture is
    drawn, then through twenty text slides (24-43) until the footer and the slide's title
    show, with `--pause` seconds on every slide, as in a talk. Target: p95 of the photo
    walk within 1.2x the p95 of the text walk. Reads where the footer had moved but the
    picture was not drawn yet are counted: that is what the audience glimpses.

(c) Memory. Pictures made to cost the most memory the player accepts: 16-bit RGBA PNGs
    of 5000x5000 (25 megapixels that Pillow holds in 95 MB, just under the 100 MB decode
    limit), and one 16-bit RGBA PNG of 7000x7000 (49 megapixels, under the pixel limit
    but refused for its cost). The
    player runs as the pane's own process, and its peak resident memory (`VmHWM` in
    /proc) is read: on the third of five text slides (its own memory, nothing decoded
    yet, as the slides drawn ahead are text too), then
    after walking to one such picture (one launch), or after paging through ten of
    them and the refused one with `--page` seconds per key (another launch).
    Targets: median of one picture within 150 MB above the player's own memory;
    median peak while paging through ten under 400 MB.

Prints a table with medians and p95 over all launches and ends with "targets met" or
"TARGETS MISSED: ..."; always exits 0.

    python bench/pictures.py [--launches 5] [--pause 0.4] [--pause-title 1.0]
                             [--memory-launches 3] [--page 0.15] [--memory-only]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import measure  # noqa: E402
from measure import p95  # noqa: E402

from tests.e2e.tmux import Terminal, TerminalTimeout  # noqa: E402

WIDTH, HEIGHT = 100, 30
PHOTOS = 20
TEXTS = 21
"""One more than measured: the first text slide is reached from a photo slide."""
COUNT = 2 + PHOTOS + TEXTS
PICTURE_CELLS = 1000
"""Cells of `▀` that make a picture: a photo slide at 100x30 draws about 2,000 to 2,600."""
TIMEOUT = 20.0

TARGET_BIG_MS = 300.0
TARGET_WALK_RATIO = 1.2

HEAVY = 10
"""Heavy pictures paged through in the memory case."""
HEAVY_SIZE = 5000
TEXT_FIRST = 5
"""Text slides before the heavy pictures: on the third, the two drawn ahead are text too."""
END = TEXT_FIRST + HEAVY + 2
BOMB_SIZE = 7000
TARGET_ONE_MB = 150.0
TARGET_TEN_MB = 400.0


def footer(number: int) -> str:
    """The footer's position; the leading bar keeps `1/43` from matching `11/43`."""
    return measure.footer(number, COUNT)


def picture_drawn(screen: str) -> bool:
    return screen.count("▀") >= PICTURE_CELLS


def text_title(number: int) -> str:
    return f"Text slide {number}"


# -- the deck ------------------------------------------------------------------------------


def make_deck(folder: Path) -> Path:
    """Write the pictures and the deck; returns the deck's path."""
    from PIL import Image, ImageOps

    def grainy(size: tuple[int, int], dark: str, light: str, mid: str, grain: float) -> Image.Image:
        """A three-colour gradient across the picture with photographic grain on top."""
        ramp = Image.linear_gradient("L").rotate(35, expand=True).resize(size)
        glow = Image.radial_gradient("L").resize(size)
        base = ImageOps.colorize(Image.blend(ramp, glow, 0.4), dark, light, mid)
        noise = Image.effect_noise(size, grain).convert("RGB")
        return Image.blend(base, noise, 0.18)

    grainy((4000, 3000), "#10203a", "#f6d7a7", "#6a8caf", 60).save(folder / "big.jpg", quality=90)
    palettes = [
        ("#1b1b3a", "#ffcf56", "#8e3b46"),
        ("#0b3d20", "#e8f1a0", "#3f8f5a"),
        ("#2d0b3d", "#f7a8d8", "#7a4fa3"),
        ("#3d1f0b", "#fff0c2", "#c97b36"),
        ("#062b3d", "#b8f2ff", "#2d8fb3"),
    ]
    for n in range(1, PHOTOS + 1):
        dark, light, mid = palettes[n % len(palettes)]
        picture = grainy((1600, 900), dark, light, mid, 30 + 4 * n)
        if n % 2:
            picture = ImageOps.mirror(picture)
        if n % 3 == 0:
            picture = ImageOps.flip(picture)
        picture.save(folder / f"photo-{n:02d}.jpg", quality=90)
    slides = ["# Pictures bench\n\nA title slide, then a big photo."]
    slides.append("!slide_background big.jpg")
    slides += [f"!slide_background photo-{n:02d}.jpg" for n in range(1, PHOTOS + 1)]
    slides += [
        f"# {text_title(n)}\n\n- a point on slide {n}\n- another point\n- a third"
        for n in range(2 + PHOTOS + 1, COUNT + 1)
    ]
    deck = folder / "pictures.md"
    deck.write_text(measure.deck_source("pictures bench", slides))
    return deck


def heavy_png(path: Path, size: int, shade: int) -> Path:
    """A 16-bit RGBA PNG of `size` x `size`, written row by row (little memory to make).

    The rows are a ramp shifted by `shade`, so that each picture is a different file.
    """
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    line = size * 8
    ramp = bytes((shade + n) % 256 for n in range(256))
    row = b"\x00" + (ramp * (line // 256 + 1))[:line]
    packer = zlib.compressobj(1)
    with path.open("wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 16, 6, 0, 0, 0)))
        data = bytearray()
        for _ in range(size):
            data += packer.compress(row)
            if len(data) > 1 << 20:
                out.write(chunk(b"IDAT", bytes(data)))
                data.clear()
        data += packer.flush()
        out.write(chunk(b"IDAT", bytes(data)))
        out.write(chunk(b"IEND", b""))
    return path


def memory_title(number: int) -> str:
    return f"Memory slide {number}"


def make_memory_decks(folder: Path) -> tuple[Path, Path]:
    """Decks of three text slides and then one heavy picture, or ten and the refused one."""
    for n in range(1, HEAVY + 1):
        heavy_png(folder / f"heavy-{n:02d}.png", HEAVY_SIZE, 23 * n)
    heavy_png(folder / "bomb.png", BOMB_SIZE, 0)
    texts = [f"# {memory_title(n)}\n\nNothing decoded yet." for n in range(1, TEXT_FIRST + 1)]
    one = folder / "memory-one.md"
    one.write_text(measure.deck_source("memory", [*texts, "!slide_background heavy-01.png"]))
    ten = folder / "memory-ten.md"
    pictures = [f"!slide_background heavy-{n:02d}.png" for n in range(1, HEAVY + 1)]
    end = f"# {memory_title(END)}\n\nThe end."
    ten.write_text(
        measure.deck_source("memory", [*texts, *pictures, "!slide_background bomb.png", end])
    )
    return one, ten


def peak_mb(pid: int) -> tuple[float, float]:
    """The process's peak and current resident memory, in MB (VmHWM and VmRSS)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024


@dataclass
class Memory:
    own: list[float] = field(default_factory=list)
    one: list[float] = field(default_factory=list)
    ten: list[float] = field(default_factory=list)


def memory_launch(prexterm: str, deck: Path, memory: Memory, *, page: float | None) -> None:
    """One player: its own memory on slide 3, then one heavy picture or ten paged through."""
    terminal = Terminal(WIDTH, HEIGHT, workdir=deck.parent, name="picmem")
    try:
        terminal.start(
            [prexterm, "--images", "halfblock", "--no-watch", str(deck)],
            cwd=REPO,
            record_status=False,
        )
        pid = int(terminal.display("#{pane_pid}"))
        for number in (1, 2, 3):
            if number > 1:
                terminal.send("Right")
            terminal.wait_for(memory_title(number), timeout=TIMEOUT)
        time.sleep(1.0)  # drawn ahead: slides 2 and 4, text only
        own, _ = peak_mb(pid)
        if page is None:
            for number in range(4, TEXT_FIRST + 1):
                terminal.send("Right")
                terminal.wait_for(memory_title(number), timeout=TIMEOUT)
            terminal.send("Right")
            terminal.wait_until(picture_drawn, "the heavy picture", timeout=TIMEOUT)
            time.sleep(1.0)
            peak, _ = peak_mb(pid)
            memory.one.append(peak - own)
        else:
            for _ in range(END - 3):
                terminal.send("Right")
                time.sleep(page)
            terminal.wait_for(memory_title(END), timeout=TIMEOUT)
            time.sleep(3.0)  # what was still decoding has finished or been dropped
            peak, _ = peak_mb(pid)
            memory.ten.append(peak)
        memory.own.append(own)
        terminal.send("q")
    finally:
        terminal.close()


def memory_rows(memory: Memory, missed: list[str]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    if memory.own:
        own = statistics.median(memory.own)
        rows.append((f"player's own memory ({len(memory.own)} launches)", f"{own:.0f} MB",
                     f"{max(memory.own):.0f} MB", "-", ""))  # fmt: skip
    for label, values, target, what in (
        ("one heavy picture, above own", memory.one, TARGET_ONE_MB, "<="),
        (f"peak paging {HEAVY} heavy + 1 refused", memory.ten, TARGET_TEN_MB, "<"),
    ):
        if not values:
            missed.append(f"{label} (no measurement)")
            continue
        median = statistics.median(values)
        met = median <= target if what == "<=" else median < target
        rows.append((f"{label} ({len(values)} launches)", f"{median:.0f} MB",
                     f"{max(values):.0f} MB (max)", f"median {what} {target:g} MB",
                     "ok" if met else "MISSED"))  # fmt: skip
        if not met:
            missed.append(label)
    return rows


# -- measuring -----------------------------------------------------------------------------


class Screen(measure.Screen):
    """A terminal read by polling; every read's duration is kept as the resolution."""

    def poll(
        self, predicate: Callable[[str], bool], what: str, glimpse: Callable[[str], bool] | None
    ) -> tuple[float, int]:
        """Read until `predicate` holds: the time that read returned, and the reads for
        which `glimpse` held on the way (an intermediate state the audience could see)."""
        deadline = time.monotonic() + TIMEOUT
        glimpses = 0
        while True:
            now, screen = self.read()
            if predicate(screen):
                return now, glimpses
            if glimpse is not None and glimpse(screen):
                glimpses += 1
            if now >= deadline:
                raise TerminalTimeout(f"waited {TIMEOUT:.0f} s for {what}; screen:\n{screen}")
            time.sleep(self.interval)

    def press(
        self,
        key: str,
        predicate: Callable[[str], bool],
        what: str,
        glimpse: Callable[[str], bool] | None = None,
    ) -> tuple[float, int]:
        """Seconds from sending `key` to `predicate` holding, and the glimpses on the way."""
        sent = time.monotonic()
        self.terminal.send(key)
        seen, glimpses = self.poll(predicate, what, glimpse)
        return seen - sent, glimpses


@dataclass
class Results:
    big_at_once: list[float] = field(default_factory=list)
    big_after_pause: list[float] = field(default_factory=list)
    photo_walk: list[float] = field(default_factory=list)
    text_walk: list[float] = field(default_factory=list)
    photo_glimpses: int = 0
    reads: list[float] = field(default_factory=list)


def on_slide(number: int) -> Callable[[str], bool]:
    """The screen shows slide `number` complete: its footer and its picture or title."""
    marker = footer(number)
    if 2 <= number <= 2 + PHOTOS:
        return lambda s: marker in s and picture_drawn(s)
    return lambda s: marker in s and text_title(number) in s


def footer_only(number: int) -> Callable[[str], bool]:
    """The footer has moved to `number` (whatever the slide area shows)."""
    marker = footer(number)
    return lambda s: marker in s


def one_launch(
    prexterm: str, deck: Path, results: Results, *, title_pause: float, walk_pause: float | None
) -> None:
    """One fresh player: the big photo after `title_pause`, then the walks if asked."""
    terminal = Terminal(WIDTH, HEIGHT, workdir=deck.parent, name="pictures")
    screen = Screen(terminal, 0.003, results.reads)
    try:
        terminal.start([prexterm, "--images", "halfblock", "--no-watch", str(deck)], cwd=REPO)
        screen.poll(lambda s: footer(1) in s and "Pictures bench" in s, "slide 1", None)
        time.sleep(title_pause)
        latency, _ = screen.press("Right", on_slide(2), "the big photo")
        (results.big_after_pause if title_pause else results.big_at_once).append(latency)
        if walk_pause is not None:
            for number in range(3, 2 + PHOTOS + 1):
                time.sleep(walk_pause)
                latency, glimpses = screen.press(
                    "Right", on_slide(number), f"photo slide {number}", footer_only(number)
                )
                results.photo_walk.append(latency)
                results.photo_glimpses += glimpses
            time.sleep(walk_pause)
            screen.press("Right", on_slide(2 + PHOTOS + 1), "the first text slide")
            for number in range(2 + PHOTOS + 2, COUNT + 1):
                time.sleep(walk_pause)
                latency, _ = screen.press("Right", on_slide(number), f"text slide {number}")
                results.text_walk.append(latency)
        terminal.send("q")
        terminal.exit_status(timeout=TIMEOUT)
    finally:
        terminal.close()


# -- the report ----------------------------------------------------------------------------


def print_table(rows: list[tuple[str, ...]]) -> None:
    measure.print_table([("figure", "median", "p95", "target", ""), *rows])


def ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=5, help="fresh launches of each kind")
    parser.add_argument("--pause", type=float, default=0.4, help="seconds on each slide")
    parser.add_argument("--pause-title", type=float, default=1.0, help="seconds on the title slide")
    parser.add_argument(
        "--memory-launches", type=int, default=3, help="launches of each memory case"
    )
    parser.add_argument("--page", type=float, default=0.15, help="seconds per key when paging")
    parser.add_argument("--memory-only", action="store_true", help="only the memory case (c)")
    args = parser.parse_args(argv)
    prexterm = measure.ready_to_measure()
    if prexterm is None:
        return 0
    try:
        import PIL  # noqa: F401
    except ImportError:
        print("needs Pillow (pip install '.[images]')", file=sys.stderr)
        return 0
    results = Results()
    memory = Memory()
    missed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="prexterm-pictures-") as tmp:
        folder = Path(tmp)
        started = time.monotonic()
        one, ten = make_memory_decks(folder)
        print(
            f"memory: {HEAVY} 16-bit RGBA PNGs {HEAVY_SIZE}x{HEAVY_SIZE} and one "
            f"{BOMB_SIZE}x{BOMB_SIZE}; generated in {time.monotonic() - started:.1f} s"
        )
        for n in range(args.memory_launches):
            for deck, page in ((one, None), (ten, args.page)):
                try:
                    memory_launch(prexterm, deck, memory, page=page)
                except TerminalTimeout as exc:
                    print(f"launch failed: {exc}", file=sys.stderr)
            print(f"memory launch pair {n + 1}/{args.memory_launches} done", file=sys.stderr)
        if args.memory_only:
            print_table(memory_rows(memory, missed))
            measure.print_load_average()
            print()
            print("targets met" if not missed else "TARGETS MISSED: " + "; ".join(missed))
            return 0
        started = time.monotonic()
        deck = make_deck(folder)
        big = folder / "big.jpg"
        print(
            f"prexterm: {prexterm}\nterminal: tmux {WIDTH}x{HEIGHT}, --images halfblock; "
            f"{args.launches} launches of each kind; {args.pause:g} s on each slide\n"
            f"deck: big.jpg 4000x3000 ({big.stat().st_size / 1e6:.1f} MB), {PHOTOS} photos "
            f"1600x900, {TEXTS} text slides; generated in {time.monotonic() - started:.1f} s\n"
        )
        for n in range(args.launches):
            for title_pause, walk in ((0.0, None), (args.pause_title, args.pause)):
                try:
                    one_launch(prexterm, deck, results, title_pause=title_pause, walk_pause=walk)
                except TerminalTimeout as exc:
                    print(f"launch failed: {exc}", file=sys.stderr)
            print(f"launch pair {n + 1}/{args.launches} done", file=sys.stderr)

    rows = memory_rows(memory, missed)
    for label, values in (
        ("big photo, key at first frame", results.big_at_once),
        (f"big photo, key after {args.pause_title:g} s", results.big_after_pause),
    ):
        if not values:
            missed.append(f"{label} (no measurement)")
            continue
        met = statistics.median(values) * 1000 <= TARGET_BIG_MS
        rows.append(
            (
                f"{label} ({len(values)} launches)",
                ms(statistics.median(values)),
                ms(p95(values)),
                f"median <= {TARGET_BIG_MS:g} ms",
                "ok" if met else "MISSED",
            )
        )
        if not met:
            missed.append(label)
    photo, text = results.photo_walk, results.text_walk
    if photo and text:
        ratio = p95(photo) / p95(text)
        met = ratio <= TARGET_WALK_RATIO
        rows.append(
            (
                f"next slide, text walk ({len(text)} presses)",
                ms(statistics.median(text)),
                ms(p95(text)),
                "-",
                "",
            )
        )
        rows.append(
            (
                f"next slide, photo walk ({len(photo)} presses)",
                ms(statistics.median(photo)),
                ms(p95(photo)),
                f"p95 <= {TARGET_WALK_RATIO:g}x text ({ratio:.2f}x)",
                "ok" if met else "MISSED",
            )
        )
        if not met:
            missed.append("photo walk vs text walk")
    else:
        missed.append("walks (no measurement)")
    print_table(rows)
    print()
    print(
        f"photo walk: {results.photo_glimpses} screen reads showed the new footer before "
        "the picture (a placeholder glimpsed)"
    )
    if results.reads:
        print(
            f"resolution: one screen read takes {ms(statistics.median(results.reads))} median, "
            f"{ms(p95(results.reads))} p95, plus a 3 ms pause between reads"
        )
    measure.print_load_average()
    print()
    print("targets met" if not missed else "TARGETS MISSED: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())

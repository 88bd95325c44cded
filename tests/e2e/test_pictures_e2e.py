"""Pictures in a real terminal: drawn in half blocks, centred, with readable text over them."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import pytest
from rich.color import Color

from prexterm.pictures.contrast import AA_CONTRAST, contrast_ratio
from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal

REPO = Path(__file__).resolve().parents[2]

pytestmark = NEEDS_TERMINAL


def test_photo_slide_shows_the_picture(open_terminal: OpenTerminal) -> None:
    pytest.importorskip("PIL")
    assert PREXTERM is not None
    terminal = open_terminal(100, 30)
    terminal.start([PREXTERM, "samples/tour.md", "--slide", "12"], cwd=REPO)
    screen = terminal.wait_until(lambda s: s.count("▀") > 1000, "a picture in half blocks")
    assert "Photo slides fill the screen" in screen
    coloured = terminal.screen(escapes=True)
    assert "48;5;" in coloured or "48;2;" in coloured, "the picture has colours"
    terminal.send("q")
    assert terminal.exit_status() == 0


Colour = tuple[str, int] | tuple[str, tuple[int, ...]] | None
Cell = tuple[str, Colour, Colour]
_TOKEN = re.compile(r"\x1b\[([0-9;:]*)m|(.)", re.S)


def coloured_rows(screen: str) -> list[list[Cell]]:
    """`capture-pane -e` output as rows of (character, foreground, background).

    A colour is ("16", n), ("256", n), ("rgb", (r, g, b)) or None for the terminal's own;
    tmux carries colours from one row to the next.
    """
    fg: Colour = None
    bg: Colour = None
    rows = []
    for line in screen.split("\n"):
        row: list[Cell] = []
        for parameters, character in _TOKEN.findall(line):
            if character:
                row.append((character, fg, bg))
                continue
            codes = [int(code or 0) for code in parameters.replace(":", ";").split(";")]
            at = 0
            while at < len(codes):
                code = codes[at]
                if code == 0:
                    fg = bg = None
                elif 30 <= code <= 37 or 90 <= code <= 97:
                    fg = ("16", code - 30 if code < 90 else code - 82)
                elif 40 <= code <= 47 or 100 <= code <= 107:
                    bg = ("16", code - 40 if code < 100 else code - 92)
                elif code in (39, 49):
                    fg, bg = (None, bg) if code == 39 else (fg, None)
                elif code in (38, 48):
                    value: Colour
                    if codes[at + 1] == 5:
                        value, at = ("256", codes[at + 2]), at + 2
                    else:
                        value, at = ("rgb", tuple(codes[at + 2 : at + 5])), at + 4
                    fg, bg = (value, bg) if code == 38 else (fg, value)
                at += 1
        rows.append(row)
    return rows


def colours_of(screen: str, text: str) -> set[tuple[Colour, Colour]]:
    """The (foreground, background) pairs of the letters of `text` where it shows."""
    for row in coloured_rows(screen):
        line = "".join(cell[0] for cell in row)
        if text in line:
            start = line.index(text)
            return {(fg, bg) for char, fg, bg in row[start : start + len(text)] if char != " "}
    raise AssertionError(f"{text!r} is not on the screen:\n{screen}")


def xterm_rgb(colour: Colour) -> tuple[int, int, int]:
    """What xterm shows for a 256-colour number (16 and up) or a true colour."""
    assert colour is not None and colour[0] in ("256", "rgb"), colour
    if colour[0] == "rgb":
        red, green, blue = colour[1]  # type: ignore[misc]
        return (red, green, blue)
    assert isinstance(colour[1], int) and colour[1] >= 16, "the first 16 are the user's"
    triplet = Color.from_ansi(colour[1]).get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def _deck(folder: Path) -> None:
    """A tall photo, a photo with a caption and a slide of text over a picture.

    Their colours read 4.5:1 with white text before a 256-colour terminal rounds them,
    and less after: only a contrast measured on the rounded colours holds.
    """
    from PIL import Image

    Image.new("RGB", (300, 900), (40, 110, 60)).save(folder / "tall.png")
    Image.new("RGB", (320, 180), (0, 115, 160)).save(folder / "sea.png")
    Image.new("RGB", (320, 180), (200, 60, 60)).save(folder / "red.png")
    (folder / "deck.md").write_text(
        "# Plain words\n\nA paragraph on the theme's colours.\n"
        "---\n!slide_background tall.png\n"
        "---\n!slide_background sea.png\n!slide_classes photo-title-slide\nOut at sea\n"
        "---\n!slide_background red.png\n# Over a red picture\n\nWords over a tint.\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize("size", [(100, 30), (40, 12)])
def test_a_tall_photo_is_centred(
    open_terminal: OpenTerminal, tmp_path: Path, size: tuple[int, int]
) -> None:
    pytest.importorskip("PIL")
    assert PREXTERM is not None
    _deck(tmp_path)
    terminal = open_terminal(*size)
    terminal.start([PREXTERM, "deck.md", "--slide", "2"], cwd=tmp_path)
    terminal.wait_until(lambda s: s.count("▀") > 50, "a picture in half blocks")
    margins = {
        (row.index("▀"), size[0] - 1 - row.rindex("▀"))
        for row in terminal.screen().splitlines()
        if "▀" in row
    }
    [(left, right)] = margins
    assert left > 5 and abs(left - right) <= 1, (left, right)


def test_text_over_pictures_reads_in_256_colours(
    open_terminal: OpenTerminal, tmp_path: Path
) -> None:
    pytest.importorskip("PIL")
    assert PREXTERM is not None
    _deck(tmp_path)
    terminal = open_terminal(80, 24)
    terminal.start([PREXTERM, "deck.md", "--slide", "3"], cwd=tmp_path)
    terminal.wait_until(lambda s: "Out at sea" in s and s.count("▀") > 500, "the photo")
    for text in ("Out at sea", "Over a red picture", "Words over a tint"):
        if text != "Out at sea":
            terminal.send("Right")
            terminal.wait_for(text)
        for fg, bg in colours_of(terminal.screen(escapes=True), text):
            ratio = contrast_ratio(xterm_rgb(fg), xterm_rgb(bg))
            assert ratio >= AA_CONTRAST, (text, fg, bg, ratio)


def test_text_over_pictures_in_16_colours_has_the_themes_colours(
    open_terminal: OpenTerminal, tmp_path: Path
) -> None:
    pytest.importorskip("PIL")
    assert PREXTERM is not None
    _deck(tmp_path)
    terminal = open_terminal(80, 24)
    terminal.start([PREXTERM, "deck.md"], cwd=tmp_path, env={"TERM": "screen"})
    terminal.wait_for("A paragraph")
    [theme] = colours_of(terminal.screen(escapes=True), "A paragraph on the theme's colours")
    assert theme[0] != theme[1]
    terminal.send("3", "Enter")
    terminal.wait_until(lambda s: "Out at sea" in s and s.count("▀") > 500, "the photo")
    assert colours_of(terminal.screen(escapes=True), "Out at sea") == {theme}
    terminal.send("Right")
    terminal.wait_for("Words over a tint")
    assert colours_of(terminal.screen(escapes=True), "Words over a tint") == {theme}


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ({"NO_COLOR": "1"}, "pictures are not drawn without colour (NO_COLOR)"),
        ("--ascii", "pictures are not drawn in --ascii mode"),
    ],
)
def test_a_placeholder_says_why_no_picture_is_drawn(
    open_terminal: OpenTerminal, tmp_path: Path, how: object, reason: str
) -> None:
    pytest.importorskip("PIL")
    assert PREXTERM is not None
    _deck(tmp_path)
    terminal = open_terminal(80, 24)
    argv = [PREXTERM, "deck.md", "--slide", "2", *([how] if isinstance(how, str) else [])]
    terminal.start(argv, cwd=tmp_path, env=how if isinstance(how, dict) else None)
    screen = terminal.wait_for("photo")
    assert f"tall.png ({reason})" in screen


def _canary_shown(screen: str) -> bool:
    """Whether magenta (the canary's colour) is anywhere on a `capture-pane -e` screen."""
    return any(
        colour in (("rgb", (255, 0, 255)), ("256", 201), ("16", 13))
        for row in coloured_rows(screen)
        for _, fg, bg in row
        for colour in (fg, bg)
    )


def test_a_picture_swapped_for_a_link_out_of_the_deck_never_reaches_the_screen(
    open_terminal: OpenTerminal, tmp_path: Path
) -> None:
    Image = pytest.importorskip("PIL.Image")
    assert PREXTERM is not None
    folder = tmp_path / "deck"
    folder.mkdir()
    deck = folder / "deck.md"
    deck.write_text("# Start\n---\n# Two\n---\n# Three\n---\n!slide_background pic.png\n")
    Image.new("RGB", (400, 200), (20, 90, 200)).save(folder / "pic.png")
    canary = tmp_path / "canary.png"
    Image.new("RGB", (400, 200), (255, 0, 255)).save(canary)
    terminal = open_terminal(100, 30)
    terminal.start([PREXTERM, str(deck), "--images", "halfblock"], cwd=folder)
    terminal.wait_for("1/4")
    (folder / "pic.png").unlink()
    (folder / "pic.png").symlink_to(canary)
    terminal.send("Right", "Right", "Right")
    screen = terminal.wait_for("refused: it now resolves outside the deck root")
    assert "4/4" in screen
    assert not _canary_shown(terminal.screen(escapes=True))
    terminal.send("q")
    assert terminal.exit_status() == 0


def test_a_fifo_as_a_picture_is_a_placeholder_and_the_player_answers(
    open_terminal: OpenTerminal, tmp_path: Path
) -> None:
    pytest.importorskip("PIL")
    assert PREXTERM is not None
    deck = tmp_path / "deck.md"
    deck.write_text("# Start\n---\n!slide_background pipe.png\n---\n# After the pipe\n")
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    stop, opened = threading.Event(), []

    def watch() -> None:
        # A write end opened without waiting succeeds only while someone reads the FIFO.
        while not stop.is_set():
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                time.sleep(0.005)
                continue
            opened.append(time.monotonic())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        terminal = open_terminal(80, 24)
        terminal.start([PREXTERM, str(deck), "--images", "halfblock"], cwd=tmp_path)
        terminal.wait_for("1/3")
        terminal.send("Right")
        screen = terminal.wait_for("not a regular file")
        assert "2/3" in screen
        terminal.send("Right")
        terminal.wait_for("After the pipe")
        terminal.send("q")
        assert terminal.exit_status() == 0
    finally:
        stop.set()
        watcher.join(5)
    assert opened == [], "the player opened the FIFO to read it"

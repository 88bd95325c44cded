"""Pictures as the audience sees them: photo slides, inline images, backgrounds, failures."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.color import Color, ColorSystem

from prexterm.app import kitty_layer
from prexterm.app.factory import create_app
from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp
from prexterm.app.slide_view import SlideView
from prexterm.pictures.contrast import contrast_ratio
from tests.conftest import WriteFiles, screen_text

Image = pytest.importorskip("PIL.Image")

SIZE = (80, 24)


def picture(path: Path, size: tuple[int, int], colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


def app_for(deck: Path, **extra: object) -> PlayerApp:
    return create_app(PlayerOptions(deck=deck, watch=False, sync=False, images="halfblock",
                                    **extra))  # type: ignore[arg-type]  # fmt: skip


async def shown(app: PlayerApp, number: int) -> None:
    """Wait until slide `number` is drawn (pictures are decoded in a worker first)."""
    for _ in range(200):
        view = app.query_one(SlideView)
        if view.slide is not None and view.slide.number == number:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"slide {number} never showed")


def cells(app: PlayerApp) -> list[list[tuple[str, object, object]]]:
    view = app.query_one(SlideView)
    rows = []
    for y in range(view.size.height):
        row = []
        for segment in view.render_line(y):
            style = segment.style
            fg = style.color.get_truecolor() if style and style.color else None
            bg = style.bgcolor.get_truecolor() if style and style.bgcolor else None
            row.extend((ch, fg, bg) for ch in segment.text)
        rows.append(row)
    return rows


async def test_photo_slide_draws_the_picture_in_half_blocks(write: WriteFiles) -> None:
    deck = write({"deck.md": "# Intro\n---\n!slide_background red.png\n"})
    picture(deck.parent / "red.png", (400, 200), (200, 30, 40))
    app = app_for(deck, slide=2)
    async with app.run_test(size=SIZE) as pilot:
        await shown(app, 2)
        await pilot.pause()
        grid = cells(app)
        middle = grid[len(grid) // 2]
        blocks = [cell for cell in middle if cell[0] == "▀"]
        assert blocks, "the picture is drawn with upper half blocks"
        for _, fg, bg in blocks:
            assert tuple(fg) == (200, 30, 40) and tuple(bg) == (200, 30, 40)  # type: ignore[arg-type]
        # 2:1 picture, 80 columns wide at most: it keeps its shape (about 40 rows of pixels
        # per 80 columns, two pixels per cell).
        picture_rows = [row for row in grid if any(cell[0] == "▀" for cell in row)]
        width = max(sum(1 for cell in row if cell[0] == "▀") for row in picture_rows)
        ratio = width / (2 * len(picture_rows))
        assert 1.6 < ratio < 2.4


async def test_inline_image_is_bounded_to_a_third_of_the_slide(write: WriteFiles) -> None:
    deck = write({"deck.md": "# Logo\n\n![the logo](logo.png)\n\nafter\n"})
    picture(deck.parent / "logo.png", (100, 100), (10, 120, 250))
    app = app_for(deck)
    async with app.run_test(size=SIZE) as pilot:
        await shown(app, 1)
        await pilot.pause()
        grid = cells(app)
        picture_rows = [row for row in grid if any(c[0] == "▀" for c in row)]
        view_height = app.query_one(SlideView).size.height
        assert 1 <= len(picture_rows) <= max(3, view_height // 3)
        text = "\n".join("".join(c[0] for c in row) for row in grid)
        assert "the logo" in text and "after" in text


async def test_broken_pictures_show_placeholders_with_reasons(write: WriteFiles) -> None:
    deck = write({"deck.md": "![x](noise.png)\n---\n!slide_background noise.png\n"})
    (deck.parent / "noise.png").write_bytes(b"not a picture at all" * 10)
    app = app_for(deck)
    async with app.run_test(size=SIZE) as pilot:
        await shown(app, 1)
        text = "\n".join(app.query_one(SlideView).render_line(y).text for y in range(20))
        assert "not a picture (corrupt or unknown format)" in text
        await pilot.press("right")
        await shown(app, 2)
        text = "\n".join(app.query_one(SlideView).render_line(y).text for y in range(20))
        assert "photo" in text and "not a picture" in text


@pytest.mark.parametrize("colour", [(255, 255, 255), (0, 0, 0), (230, 200, 40), (20, 90, 200)])
async def test_text_over_a_background_picture_stays_readable(
    write: WriteFiles, colour: tuple[int, int, int]
) -> None:
    deck = write({"deck.md": "!slide_background bg.png\n# Title\n\nSome words to read.\n"})
    picture(deck.parent / "bg.png", (64, 36), colour)
    app = app_for(deck)
    async with app.run_test(size=SIZE) as pilot:
        await shown(app, 1)
        await pilot.pause()
        view = app.query_one(SlideView)
        background = view.styles.background.rgb
        text = app.palette.text.color.get_truecolor()  # type: ignore[union-attr]
        assert contrast_ratio(background, (text.red, text.green, text.blue)) >= 4.5


async def test_no_pictures_mode_keeps_placeholders(write: WriteFiles) -> None:
    deck = write({"deck.md": "!slide_background red.png\n"})
    picture(deck.parent / "red.png", (40, 20), (200, 30, 40))
    app = create_app(PlayerOptions(deck=deck, watch=False, sync=False, images="none"))
    async with app.run_test(size=SIZE):
        text = "\n".join(app.query_one(SlideView).render_line(y).text for y in range(20))
        assert "photo" in text and "red.png" in text
        assert "▀" not in text


async def test_kitty_mode_sends_the_photo_with_real_pixels(
    write: WriteFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write({"deck.md": "# Intro\n---\n!slide_background red.png\n---\n# After\n"})
    picture(deck.parent / "red.png", (400, 200), (200, 30, 40))
    app = create_app(PlayerOptions(deck=deck, watch=False, sync=False, images="kitty"))
    written: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        assert app.pictures.mode == "kitty"
        monkeypatch.setattr(
            kitty_layer, "write_to_terminal", lambda _app, data: written.append(data)
        )
        await pilot.press("right")
        await shown(app, 2)
        for _ in range(100):
            if written:
                break
            await asyncio.sleep(0.02)
        # A slide drawn again once its picture is decoded may place it twice, under the
        # same image id: the second replaces the first.
        placed = written[-1]
        assert all(write == placed for write in written)
        region = app.query_one(SlideView).region
        assert placed.startswith(f"\x1b7\x1b[{region.y + 1};{region.x + 1}H\x1b_Ga=T,f=100,q=2,i=")
        assert f"c={region.width},r={region.height}" in placed
        assert placed.endswith("\x1b8")
        await pilot.press("right")
        assert written[-1] == "\x1b_Ga=d,d=i,i=7\x1b\\", "leaving the slide removes the picture"


def screen_rows(app: PlayerApp, width: int) -> list[str]:
    """The screen as rows of `width` characters, each where a screenshot places it.

    A screenshot leaves blank cells out (only their background is painted), so each
    piece of text is put at the column its x position names.
    """
    import html
    import re

    svg = app.export_screenshot()
    pieces = re.findall(
        r'<text[^>]*?x="([\d.]+)" y="([\d.]+)" textLength="([\d.]+)"[^>]*>(.*?)</text>', svg
    )
    cell = min(float(length) / len(html.unescape(text)) for _, _, length, text in pieces)
    rows: dict[float, list[str]] = {}
    for x, y, _, text in pieces:
        row = rows.setdefault(float(y), [" "] * width)
        column = round(float(x) / cell)
        for offset, character in enumerate(html.unescape(text).replace("\xa0", " ")):
            if 0 <= column + offset < width:
                row[column + offset] = character
    return ["".join(row) for _, row in sorted(rows.items())]


def margins(rows: list[str]) -> set[tuple[int, int]]:
    """(blank columns left, blank columns right) of the picture on every row that shows it."""
    return {(row.index("▀"), len(row) - 1 - row.rindex("▀")) for row in rows if "▀" in row}


@pytest.mark.parametrize("size", [(100, 30), (80, 24), (40, 12)])
async def test_a_portrait_photo_is_centred_on_the_screen(
    write: WriteFiles, size: tuple[int, int]
) -> None:
    deck = write({"deck.md": "# Intro\n---\n!slide_background tall.png\n"})
    picture(deck.parent / "tall.png", (300, 900), (40, 110, 60))
    app = app_for(deck, slide=2)
    async with app.run_test(size=size) as pilot:
        await shown(app, 2)
        await pilot.pause()
        found = margins(screen_rows(app, size[0]))
        assert len(found) == 1, found
        [(left, right)] = found
        assert left > 4 and abs(left - right) <= 1, (left, right)


@pytest.fixture
def colour_depth(request: pytest.FixtureRequest) -> Iterator[str]:
    """Pictures drawn for a terminal of `request.param` colours ("256" or "standard")."""
    from prexterm.pictures.halfblock import set_colour_depth

    set_colour_depth(request.param)
    yield request.param
    set_colour_depth(None)


def _sent_256(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    """What a 256-colour terminal shows for `colour`: xterm's value of its number."""
    triplet = Color.from_rgb(*colour).downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


@pytest.mark.parametrize("colour_depth", ["256"], indirect=True)
@pytest.mark.parametrize(
    "colour", [(255, 255, 255), (230, 200, 40), (20, 90, 200), (200, 60, 60), (180, 120, 200)]
)
async def test_the_tint_behind_text_reads_in_256_colours(
    write: WriteFiles, colour: tuple[int, int, int], colour_depth: str
) -> None:
    deck = write({"deck.md": "!slide_background bg.png\n# Title\n\nSome words to read.\n"})
    picture(deck.parent / "bg.png", (64, 36), colour)
    app = app_for(deck)
    async with app.run_test(size=SIZE) as pilot:
        await shown(app, 1)
        await pilot.pause()
        view = app.query_one(SlideView)
        tint = view.styles.background.rgb
        text = app.palette.text.color.get_truecolor()  # type: ignore[union-attr]
        ink = (text.red, text.green, text.blue)
        assert contrast_ratio(_sent_256(tint), _sent_256(ink)) >= 4.5, (tint, _sent_256(tint))


@pytest.mark.parametrize("colour_depth", ["standard"], indirect=True)
async def test_in_16_colours_text_keeps_the_themes_colours_over_pictures(
    write: WriteFiles, colour_depth: str
) -> None:
    deck = write(
        {
            "deck.md": "# Plain\n---\n!slide_background bg.png\n# Over a picture\n"
            "---\n!slide_background bg.png\n!slide_classes photo-title-slide\nOn a photo\n"
        }
    )
    picture(deck.parent / "bg.png", (64, 36), (225, 225, 225))
    app = app_for(deck)
    async with app.run_test(size=SIZE) as pilot:
        await shown(app, 1)
        await pilot.pause()
        view = app.query_one(SlideView)
        theme_background = view.styles.background
        await pilot.press("right")
        await shown(app, 2)
        await pilot.pause()
        assert view.styles.background == theme_background, "no tint of the picture"
        await pilot.press("right")
        await shown(app, 3)
        await pilot.pause()
        style = view.rich_style
        theme = (style.color.get_truecolor(), style.bgcolor.get_truecolor())  # type: ignore[union-attr]
        grid = cells(app)
        assert sum(cell[0] == "▀" for row in grid for cell in row) > 500
        [row] = [row for row in grid if "On a photo" in "".join(cell[0] for cell in row)]
        letters = [cell for cell in row if cell[0] not in ("▀", " ")]
        assert letters and all((fg, bg) == theme for _, fg, bg in letters), (letters[0], theme)


async def test_a_picture_swapped_for_a_link_out_of_the_root_never_shows(
    write: WriteFiles, tmp_path_factory: pytest.TempPathFactory
) -> None:
    deck = write({"deck.md": "# Start\n---\n# Two\n---\n# Three\n---\n!slide_background pic.png\n"})
    picture(deck.parent / "pic.png", (400, 200), (20, 90, 200))
    canary = picture(tmp_path_factory.mktemp("elsewhere") / "canary.png", (400, 200), (255, 0, 255))
    app = app_for(deck)
    async with app.run_test(size=SIZE) as pilot:
        await shown(app, 1)
        # While the talk runs, the picture becomes a link to a file outside the deck.
        (deck.parent / "pic.png").unlink()
        (deck.parent / "pic.png").symlink_to(canary)
        await pilot.press("right", "right", "right")
        await shown(app, 4)
        await pilot.pause()
        text = "\n".join(app.query_one(SlideView).render_line(y).text for y in range(20))
        assert "refused: it now resolves outside the deck root" in text
        colours = {colour for row in cells(app) for _, fg, bg in row for colour in (fg, bg)}
        assert (255, 0, 255) not in {tuple(c) for c in colours if c is not None}  # type: ignore[arg-type]


def _watch_fifo(fifo: Path, stop: threading.Event, opened: list[float]) -> None:
    """Note each time someone opens `fifo` to read it, and let them go at once.

    Opening a FIFO to write without waiting succeeds only while a reader has it open:
    so a player that read the FIFO is seen here, and released instead of hanging the test.
    """
    while not stop.is_set():
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            time.sleep(0.005)
            continue
        opened.append(time.monotonic())
        os.close(fd)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
async def test_a_fifo_as_a_picture_is_a_placeholder_and_keys_still_answer(
    write: WriteFiles,
) -> None:
    deck = write(
        {"deck.md": "# Start\n---\n!slide_background pipe.png\n---\n![a pipe](pipe.png)\n"
                    "---\n# After\n"}
    )  # fmt: skip
    os.mkfifo(deck.parent / "pipe.png")
    stop, opened = threading.Event(), []
    watcher = threading.Thread(
        target=_watch_fifo, args=(deck.parent / "pipe.png", stop, opened), daemon=True
    )
    watcher.start()
    try:
        app = app_for(deck)
        async with app.run_test(size=SIZE) as pilot:
            await shown(app, 1)
            await pilot.press("right")
            await shown(app, 2)
            await pilot.pause()
            assert "not a regular file" in screen_text(app)
            await pilot.press("right")
            await shown(app, 3)
            await pilot.pause()
            assert "not a regular file" in screen_text(app)
            await pilot.press("right")
            await shown(app, 4)
            assert "After" in screen_text(app)
    finally:
        stop.set()
        watcher.join(5)
    assert opened == [], "the player opened the FIFO to read it"

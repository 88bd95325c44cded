"""Half blocks: exact colours per cell, aspect ratio, centring and exact output size."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prexterm.pictures.halfblock import (
    UPPER_HALF,
    HalfBlockPicture,
    cells_of,
    halfblock,
    overlay_text,
    picture_cells,
)
from tests.pictures.helpers import grid, lines_of

Image = pytest.importorskip("PIL.Image")

RED = (255, 0, 0)
BLUE = (0, 0, 255)


def test_solid_colour_fills_every_cell() -> None:
    drawn = halfblock(Image.new("RGB", (20, 20), (12, 34, 56)), 10, 5)
    assert drawn is not None
    cells = grid(drawn, 10)
    assert len(cells) == 5 and all(len(row) == 10 for row in cells)
    for row in cells:
        for cell in row:
            assert cell == (UPPER_HALF, (12, 34, 56), (12, 34, 56))


def test_vertical_split_gives_top_and_bottom_colours() -> None:
    image = Image.new("RGB", (10, 10), RED)
    image.paste(BLUE, (0, 5, 10, 10))
    drawn = halfblock(image, 10, 5)
    assert drawn is not None
    cells = grid(drawn, 10)
    assert cells[0][0] == (UPPER_HALF, RED, RED)
    assert cells[1][9] == (UPPER_HALF, RED, RED)
    assert cells[2][4] == (UPPER_HALF, RED, BLUE)  # pixel rows 4 and 5: the boundary
    assert cells[4][0] == (UPPER_HALF, BLUE, BLUE)


def test_each_cell_shows_two_pixels() -> None:
    image = Image.new("RGB", (1, 2))
    image.putpixel((0, 0), RED)
    image.putpixel((0, 1), BLUE)
    drawn = halfblock(image, 1, 1)
    assert drawn is not None
    assert grid(drawn, 1) == [[(UPPER_HALF, RED, BLUE)]]


def test_wide_picture_keeps_its_aspect_and_is_centred() -> None:
    drawn = halfblock(Image.new("RGB", (200, 100), RED), 40, 40, background=(1, 2, 3))
    assert drawn is not None
    cells = grid(drawn, 40)
    assert len(cells) == 40
    picture_rows = [index for index, row in enumerate(cells) if row[0][0] == UPPER_HALF]
    assert picture_rows == list(range(15, 25))  # 40x20 pixels: 10 rows, in the middle
    assert all(cell == (UPPER_HALF, RED, RED) for row in cells[15:25] for cell in row)
    assert all(cell == (" ", None, (1, 2, 3)) for row in cells[:15] + cells[25:] for cell in row)


def test_tall_picture_is_centred_horizontally() -> None:
    drawn = halfblock(Image.new("RGB", (10, 40), RED), 30, 10)  # 5x20 pixels fit 30x20
    assert drawn is not None
    cells = grid(drawn, 30)
    row = cells[4]
    assert [index for index, cell in enumerate(row) if cell[0] == UPPER_HALF] == list(range(12, 17))
    assert row[0] == (" ", None, None)  # no background: the terminal's own


def test_odd_pixel_rows_end_on_the_background() -> None:
    image = Image.new("RGB", (4, 3), RED)
    grid_cells = cells_of(image, 4, 2, background=BLUE)
    assert grid_cells[1][0] == (UPPER_HALF, RED, BLUE, False)


def test_mono_draws_nothing() -> None:
    assert halfblock(Image.new("RGB", (4, 4)), 4, 4, mono=True) is None


def test_picture_cells() -> None:
    assert picture_cells((200, 100), 40, 40) == (40, 10)
    assert picture_cells((100, 100), 40, 10) == (20, 10)
    assert picture_cells((3, 1), 1, 1) == (1, 1)


def test_measure_is_the_width() -> None:
    drawn = HalfBlockPicture.from_image(Image.new("RGB", (5, 5)), 17, 3)
    from rich.measure import Measurement

    from tests.pictures.helpers import console

    out = console(80)
    assert Measurement.get(out, out.options, drawn) == Measurement(17, 17)


def test_overlay_text_takes_the_top_pixel_as_background() -> None:
    image = Image.new("RGB", (6, 2), RED)
    image.paste(BLUE, (0, 1, 6, 2))
    cells = cells_of(image, 6, 1)
    overlay_text(cells, ["hi"], (255, 255, 255), top=0)
    assert cells[0][2] == ("h", (255, 255, 255), RED, True)
    assert cells[0][3] == ("i", (255, 255, 255), RED, True)
    assert cells[0][0][0] == UPPER_HALF
    wide = cells_of(image, 6, 1)
    overlay_text(wide, ["日本"], (255, 255, 255), top=0)
    rows = grid(HalfBlockPicture(wide, 6, 1), 6)
    assert "".join(cell[0] for cell in rows[0]) == f"{UPPER_HALF}日本{UPPER_HALF}"


@settings(max_examples=60, deadline=None)
@given(
    image_width=st.integers(1, 120),
    image_height=st.integers(1, 120),
    width=st.integers(1, 90),
    height=st.integers(1, 40),
    background=st.none() | st.just((9, 9, 9)),
)
def test_exact_size(
    image_width: int,
    image_height: int,
    width: int,
    height: int,
    background: tuple[int, int, int] | None,
) -> None:
    image = Image.new("RGB", (image_width, image_height), RED)
    drawn = halfblock(image, width, height, background=background)
    assert drawn is not None
    lines = lines_of(drawn, width)
    assert len(lines) == height
    assert all(sum(len(segment.text) for segment in line) == width for line in lines)
    painted = sum(segment.text.count(UPPER_HALF) for line in lines for segment in line)
    columns, rows = picture_cells((image_width, image_height), width, height)
    assert painted == columns * rows


def test_colours_are_rounded_to_the_terminals_depth_and_runs_merge() -> None:
    from prexterm.pictures.halfblock import _segments, set_colour_depth

    # Two neighbouring greens that a 256-colour terminal shows alike.
    row = [("▀", (10, 200, 10), (10, 200, 10), False), ("▀", (12, 201, 9), (12, 201, 9), False)]
    try:
        set_colour_depth(None)
        assert len(_segments([row])[0]) == 2
        set_colour_depth("256")
        [merged] = _segments([row])[0]
        assert merged.text == "▀▀"
    finally:
        set_colour_depth(None)


@pytest.mark.parametrize("depth", ["256", "standard"])
def test_a_rounded_colour_is_sent_as_the_number_it_was_rounded_to(depth: str) -> None:
    from rich.color import Color, ColorSystem

    from prexterm.pictures.halfblock import _segments, set_colour_depth

    system = ColorSystem.EIGHT_BIT if depth == "256" else ColorSystem.STANDARD
    # A dark slate blue is bright black in 16 colours; rounded twice through the
    # palette's own values it came out light grey. And a grey between two of the 256.
    colours = [(40, 60, 90), (95, 95, 95), (10, 200, 10), (250, 250, 250)]
    row = [("▀", colour, colour, False) for colour in colours]
    try:
        set_colour_depth(depth)
        segments = _segments([row])[0]
    finally:
        set_colour_depth(None)
    sent = [
        segment.style.color.downgrade(system).number
        for segment in segments
        for _ in segment.text
        if segment.style is not None and segment.style.color is not None
    ]
    assert sent == [Color.from_rgb(*colour).downgrade(system).number for colour in colours]

"""The renderer's picture hook: inline pictures with captions, photos with readable text."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.color import Color, ColorSystem
from rich.console import Group

from prexterm.core.model import Asset, MarkdownBlock, Slide, Source
from prexterm.pictures.cache import PictureCache
from prexterm.pictures.contrast import AA_CONTRAST, contrast_ratio
from prexterm.pictures.halfblock import UPPER_HALF, set_colour_depth
from prexterm.pictures.hook import Pictures, make_picture_hook
from prexterm.render.markdown import PictureUnavailable, render_markdown
from prexterm.render.palette import DARK
from prexterm.render.slide import render_photo
from tests.conftest import REPO
from tests.pictures.helpers import CellInfo, grid, lines_of

Image = pytest.importorskip("PIL.Image")

HERE = Source("deck.md", 1)


def _asset(path: Path, written: str | None = None) -> Asset:
    return Asset(written or path.name, path, HERE)


def _png(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (200, 100)) -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


def _text(rows: list[list[CellInfo]]) -> list[str]:
    return ["".join(cell[0] for cell in row) for row in rows]


def test_inline_picture_is_bounded_and_captioned(tmp_path: Path) -> None:
    path = _png(tmp_path / "wide.png", (10, 20, 30))
    hook = make_picture_hook(PictureCache(), mode="halfblock", max_height=6)
    drawn = hook(_asset(path), "A wide picture")
    assert drawn is not None
    rows = grid(drawn, 60)
    # 200x100 into 60 x 12 pixels: 24x12 pixels, 6 rows, then the caption.
    assert len(rows) == 7
    assert all(len(row) == 24 for row in rows)
    assert rows[0][0] == (UPPER_HALF, (10, 20, 30), (10, 20, 30))
    assert _text(rows)[-1].strip() == "A wide picture"


def test_inline_picture_in_markdown(tmp_path: Path) -> None:
    path = _png(tmp_path / "pic.png", (200, 0, 0))
    hook = make_picture_hook(PictureCache(), mode="halfblock", max_height=4)
    parts = render_markdown(
        "Before\n\n![Red square](pic.png)\n\nAfter",
        palette=DARK,
        images={"pic.png": _asset(path, "pic.png")},
        picture=hook,
    )
    from rich.console import Group

    text = _text(grid(Group(*parts), 40))
    assert text[0].strip() == "Before" and text[-1].strip() == "After"
    assert sum(UPPER_HALF in line for line in text) == 4
    assert any(line.strip() == "Red square" for line in text)


def test_no_picture_when_off_mono_or_broken(tmp_path: Path) -> None:
    good = _asset(_png(tmp_path / "ok.png", (1, 1, 1)))
    cache = PictureCache()
    assert make_picture_hook(cache, mode="none")(good, "") == PictureUnavailable(
        "pictures are turned off (--images none)"
    )
    assert make_picture_hook(cache, mode="halfblock", mono=True)(good, "") == PictureUnavailable(
        "pictures are not drawn without colour (mono theme)"
    )
    assert make_picture_hook(cache, mode="halfblock", ascii_only=True)(
        good, ""
    ) == PictureUnavailable("pictures are not drawn in --ascii mode")
    hook = make_picture_hook(cache, mode="halfblock")
    assert hook(good, "") is not None
    assert make_picture_hook(cache, mode="kitty")(good, "") is not None
    assert hook(Asset("gone.png", None, HERE, "missing"), "") is None
    assert hook(_asset(tmp_path / "gone.png"), "") == PictureUnavailable("missing")
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x00" * 100)
    assert hook(_asset(bad), "") == PictureUnavailable("not a picture (corrupt or unknown format)")


def test_damaged_file_found_late_shows_its_reason(tmp_path: Path) -> None:
    noisy = Image.effect_noise((64, 64), 90).convert("RGB")
    full = tmp_path / "full.png"
    noisy.save(full)
    cut = tmp_path / "cut.png"
    cut.write_bytes(full.read_bytes()[:400])
    hook = make_picture_hook(PictureCache(), mode="halfblock")
    drawn = hook(_asset(cut), "Noise")
    assert drawn is not None  # the header looked fine
    text = "\n".join(_text(grid(drawn, 80)))
    assert "not a picture (corrupt or unknown format)" in text and "cut.png" in text


def _slide(background: Asset, text: str) -> Slide:
    return Slide(
        number=1,
        blocks=(MarkdownBlock(text, HERE),),
        classes=(),
        notes=(),
        header=None,
        footer=None,
        background=background,
        own_background=True,
        source=HERE,
        photo=True,
    )


def _gradient(path: Path) -> Path:
    hue = Image.linear_gradient("L").rotate(90).resize((160, 90))
    value = Image.linear_gradient("L").transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    Image.merge("HSV", (hue, Image.new("L", (160, 90), 255), value.resize((160, 90)))).convert(
        "RGB"
    ).save(path)
    return path


@pytest.mark.parametrize("kind", ["white", "black", "gradient"])
def test_photo_fills_the_area_with_readable_text(tmp_path: Path, kind: str) -> None:
    if kind == "gradient":
        path = _gradient(tmp_path / "g.png")
    else:
        path = _png(tmp_path / f"{kind}.png", (255, 255, 255) if kind == "white" else (0, 0, 0))
    hook = make_picture_hook(PictureCache(), mode="halfblock")
    slide = _slide(_asset(path), "Sunrise over the lake")
    renderable = render_photo(slide, width=60, height=20, palette=DARK, picture=hook)
    rows = grid(renderable, 60, 20)
    assert len(rows) == 20 and all(len(row) == 60 for row in rows)
    text = _text(rows)
    assert any("Sunrise over the lake" in line for line in text)
    letters = [cell for row in rows for cell in row if cell[0] not in (UPPER_HALF, " ")]
    assert letters
    ink = letters[0][1]
    assert ink is not None and all(cell[1] == ink for cell in letters)
    shown = {colour for row in rows for cell in row for colour in cell[1:] if colour is not None}
    shown.discard(ink)
    assert shown
    assert min(contrast_ratio(ink, colour) for colour in shown) >= AA_CONTRAST
    for _, fg, bg in letters:
        assert fg is not None and bg is not None and contrast_ratio(fg, bg) >= AA_CONTRAST


def test_photo_without_text_is_the_plain_picture(tmp_path: Path) -> None:
    path = _png(tmp_path / "p.png", (90, 10, 10))
    pictures = Pictures(PictureCache())
    drawn = pictures.photo(_asset(path), 30, 10)
    assert drawn is not None
    rows = grid(drawn, 80)
    assert len(rows) == 10 and all(len(row) == 30 for row in rows)
    assert rows[5][15] == (UPPER_HALF, (90, 10, 10), (90, 10, 10))


def test_photo_of_a_broken_file_still_fills_the_area(tmp_path: Path) -> None:
    noisy = Image.effect_noise((64, 64), 90).convert("RGB")
    full = tmp_path / "full.png"
    noisy.save(full)
    cut = tmp_path / "cut.png"
    cut.write_bytes(full.read_bytes()[:400])
    drawn = Pictures(PictureCache()).photo(_asset(cut), 50, 9, "Caption")
    assert drawn is not None
    lines = lines_of(drawn, 80)
    assert len(lines) == 9
    assert all(sum(len(s.text) for s in line) == 50 for line in lines)


def test_targets_name_what_drawing_will_ask_for(tmp_path: Path) -> None:
    photo = _asset(_png(tmp_path / "p.png", (1, 1, 1)))
    inline = _asset(_png(tmp_path / "i.png", (1, 1, 1)))
    slide = Slide(
        number=1,
        blocks=(MarkdownBlock("![x](i.png)", HERE, images=(inline,)),),
        classes=(),
        notes=(),
        header=None,
        footer=None,
        background=photo,
        own_background=True,
        source=HERE,
        photo=True,
    )
    pictures = Pictures(PictureCache(), max_height=8)
    assert pictures.targets(slide, 70, 20) == [(photo.path, 70, 20), (inline.path, 70, 8)]
    assert Pictures(PictureCache(), mode="none").targets(slide, 70, 20) == []
    cache = pictures.cache
    for path, cols, rows in pictures.targets(slide, 70, 20):
        assert path is not None
        cache.prepare(path, cols, rows)
    hook = pictures.hook
    drawn = hook(inline, "x")
    assert drawn is not None
    before = len(cache)
    lines_of(drawn, 70)
    assert len(cache) == before  # drawn from what was prepared


def test_importing_pictures_pulls_in_neither_textual_nor_pillow() -> None:
    code = (
        "import sys\n"
        "import prexterm.pictures\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'PIL'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == ""


def test_text_beside_a_narrow_picture_keeps_its_contrast(tmp_path: Path) -> None:
    path = _png(tmp_path / "tall.png", (250, 250, 250), (20, 200))  # 4 columns in 40x20
    drawn = Pictures(PictureCache()).photo(_asset(path), 40, 20, "A caption much wider than it")
    assert drawn is not None
    rows = grid(drawn, 40)
    letters = [cell for row in rows for cell in row if cell[0] not in (UPPER_HALF, " ")]
    assert "".join(cell[0] for cell in letters).startswith("Acaption")
    for _, fg, bg in letters:
        assert fg is not None and bg is not None and contrast_ratio(fg, bg) >= AA_CONTRAST


@pytest.mark.parametrize(
    ("mono", "ascii_only", "no_color", "reason"),
    [
        (True, False, True, "pictures are not drawn without colour (NO_COLOR)"),
        (False, True, False, "pictures are not drawn in --ascii mode"),
    ],
)
def test_placeholders_say_why_no_picture_is_drawn(
    tmp_path: Path, mono: bool, ascii_only: bool, no_color: bool, reason: str
) -> None:
    path = _png(tmp_path / "sea.png", (20, 60, 200))
    pictures = Pictures(PictureCache(), mono=mono, ascii_only=ascii_only, no_color=no_color)
    parts = render_markdown(
        "![The sea](sea.png)",
        palette=DARK,
        images={"sea.png": _asset(path)},
        picture=pictures.hook,
        ascii_only=ascii_only,
    )
    inline = "\n".join(_text(grid(Group(*parts), 100)))
    assert f"sea.png ({reason})" in inline
    slide = _slide(_asset(path), "The sea")
    photo = render_photo(
        slide, width=80, height=12, palette=DARK, picture=pictures.hook, ascii_only=ascii_only
    )
    shown = "\n".join(_text(grid(photo, 80, 12)))
    assert "photo" in shown and f"sea.png ({reason})" in shown
    assert UPPER_HALF not in shown


def _at_depth(depth: str) -> Iterator[None]:
    set_colour_depth(depth)
    try:
        yield
    finally:
        set_colour_depth(None)


@pytest.fixture
def colours_256() -> Iterator[None]:
    yield from _at_depth("256")


@pytest.fixture
def colours_16() -> Iterator[None]:
    yield from _at_depth("standard")


def _as_sent(colour: tuple[int, int, int], system: ColorSystem) -> tuple[int, int, int]:
    """The colour a terminal with `system` is sent for `colour`, as it shows it (xterm)."""
    triplet = Color.from_rgb(*colour).downgrade(system).get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


@pytest.mark.parametrize("colour", [(0, 115, 160), (0, 110, 250), (140, 140, 140), (60, 90, 30)])
@pytest.mark.usefixtures("colours_256")
def test_photo_text_reads_after_rounding_to_256_colours(
    tmp_path: Path, colour: tuple[int, int, int]
) -> None:
    # Each of these reads 4.5:1 with white or black before rounding, and less after.
    path = _png(tmp_path / "p.png", colour)
    slide = _slide(_asset(path), "Sunrise over the lake")
    hook = Pictures(PictureCache()).hook
    rows = grid(render_photo(slide, width=60, height=20, palette=DARK, picture=hook), 60, 20)
    letters = [cell for row in rows for cell in row if cell[0] not in (UPPER_HALF, " ")]
    assert len(letters) == len("Sunriseoverthelake")
    for _, fg, bg in letters:
        assert fg is not None and bg is not None
        shown = _as_sent(fg, ColorSystem.EIGHT_BIT), _as_sent(bg, ColorSystem.EIGHT_BIT)
        assert contrast_ratio(*shown) >= AA_CONTRAST, (fg, bg, shown)


@pytest.mark.usefixtures("colours_16")
def test_photo_text_in_16_colours_stands_on_the_themes_colours(tmp_path: Path) -> None:
    path = _gradient(tmp_path / "g.png")
    slide = _slide(_asset(path), "Sunrise over the lake")
    hook = Pictures(PictureCache()).hook
    rows = grid(render_photo(slide, width=60, height=20, palette=DARK, picture=hook), 60, 20)
    [row] = [row for row in rows if "Sunrise over the lake" in "".join(c[0] for c in row)]
    line = "".join(cell[0] for cell in row)
    start = line.index("Sunrise")
    band = row[start - 1 : start + len("Sunrise over the lake") + 1]
    # No colour of its own: the slide's foreground on its background, as all its text.
    assert all(fg is None and bg is None for _, fg, bg in band), band
    assert (
        row[start - 2][0] == UPPER_HALF
        and row[start + len("Sunrise over the lake") + 1][0] == UPPER_HALF
    )
    assert sum(cell[0] == UPPER_HALF for row in rows for cell in row) > 900

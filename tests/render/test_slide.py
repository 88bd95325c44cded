"""Whole slides: code and error blocks, the slide body, photo slides and the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import RenderableType
from rich.segment import Segment
from rich.text import Text

from prexterm.core.model import Asset, Block, CodeBlock, ErrorBlock, MarkdownBlock, Slide, Source
from prexterm.render import slide as slide_module
from prexterm.render.palette import DARK, MONO
from prexterm.render.slide import (
    SlideRenderCache,
    render_code_block,
    render_error_block,
    render_photo,
    render_slide_body,
)
from tests.render.drawing import console, draw, styles_of

SRC = Source("t.md", 1)


def make_slide(
    *blocks: Block,
    classes: tuple[str, ...] = (),
    background: Asset | None = None,
    photo: bool = False,
    number: int = 1,
) -> Slide:
    return Slide(
        number=number,
        blocks=blocks,
        classes=classes,
        notes=(),
        header=None,
        footer=None,
        background=background,
        own_background=background is not None,
        source=SRC,
        photo=photo,
    )


def md(text: str) -> MarkdownBlock:
    return MarkdownBlock(text, SRC)


def show(renderable: RenderableType, width: int = 60) -> tuple[str, list[Segment]]:
    return draw(renderable, width)


def grid(renderable: RenderableType, width: int) -> list[str]:
    """The rendered lines, untrimmed, after checking each is exactly `width` cells."""
    out = console(width)
    lines = list(Segment.split_lines(out.render(renderable, out.options)))
    return ["".join(seg.text for seg in line) for line in lines]


CODE = CodeBlock(
    asset=Asset("code/hello.py", Path("/deck/code/hello.py"), SRC),
    language="python",
    code="def hello():\n    return 42\n",
    source=SRC,
    runner=("python3",),
)


# Code and error blocks


def test_code_block_has_title_line_numbers_and_highlighting() -> None:
    text, segments = show(render_code_block(CODE, palette=DARK))
    rows = text.splitlines()
    assert "hello.py · python" in rows[0]
    assert "code/" not in rows[0]
    assert "1 def hello():" in rows[1]
    assert "2     return 42" in rows[2]
    keyword = next(s for s in styles_of(segments, "def") if s.color)
    number = next(s for s in styles_of(segments, "42") if s.color)
    assert keyword.color != number.color


def test_code_block_width_is_honoured() -> None:
    text, _ = show(render_code_block(CODE, palette=DARK, width=50), width=80)
    assert {cell_len(row.rstrip()) for row in text.splitlines()} == {50}


def test_code_block_language_from_file_name_when_unknown() -> None:
    block = CodeBlock(Asset("x.py", None, SRC), "weird", "def f(): pass\n", SRC, None)
    _, segments = show(render_code_block(block, palette=DARK))
    assert any(s.color for s in styles_of(segments, "def"))


def test_code_block_ascii_only() -> None:
    text, _ = show(render_code_block(CODE, palette=DARK, ascii_only=True), width=20)
    assert text.isascii()
    assert "hello.py - python" in text or "hello.py" in text


def test_code_title_is_never_markup() -> None:
    block = CodeBlock(Asset("[bold]x.py", None, SRC), "python", "[red]x[/red]\n", SRC, None)
    text, _ = show(render_code_block(block, palette=DARK))
    assert "[bold]x.py" in text and "[red]x[/red]" in text


def test_error_block_shows_message_in_error_style() -> None:
    block = ErrorBlock("unknown directive !badcomm [bold]", SRC)
    text, segments = show(render_error_block(block, palette=DARK))
    assert "error" in text.splitlines()[0]
    assert "unknown directive !badcomm [bold]" in text
    assert styles_of(segments, "unknown directive")[0].color == DARK.error.color
    assert any(s.color == DARK.error_border.color for s in styles_of(segments, "╭"))


# The slide body


def test_body_keeps_block_order_with_blank_lines_between() -> None:
    slide = make_slide(md("first para"), CODE, ErrorBlock("broken", SRC), md("last"))
    rows = [row.rstrip() for row in show(render_slide_body(slide, palette=DARK))[0].splitlines()]
    first, code, error, last = (
        next(i for i, row in enumerate(rows) if word in row)
        for word in ("first para", "hello.py", "broken", "last")
    )
    assert first < code < error < last
    assert rows[first + 1] == ""
    assert rows[last - 1] == ""
    assert rows[code - 1] == ""


def test_first_heading_is_the_title() -> None:
    slide = make_slide(md("intro\n\n## Topic"), md("## Later"))
    _, segments = show(render_slide_body(slide, palette=DARK))
    assert styles_of(segments, "Topic")[0].color == DARK.title.color
    assert styles_of(segments, "Later")[0].color == DARK.heading2.color
    assert DARK.title.color != DARK.heading2.color


def test_body_images_use_the_block_assets() -> None:
    asset = Asset("pic.png", None, SRC, "outside the deck root")
    slide = make_slide(MarkdownBlock("![me](pic.png)", SRC, (asset,)))
    text, _ = show(render_slide_body(slide, palette=DARK))
    assert "image: me — pic.png (outside the deck root)" in text


def test_empty_slide_renders_nothing() -> None:
    text, _ = show(render_slide_body(make_slide(md("   \n")), palette=DARK))
    assert text.strip() == ""


# Photo slides


PHOTO_BG = Asset("/img/kigali.jpg", None, SRC, "missing")


def photo_slide(
    text: str = "Our team", classes: tuple[str, ...] = ("photo-content-slide",)
) -> Slide:
    blocks = (md(text),) if text else ()
    return make_slide(*blocks, classes=classes, background=PHOTO_BG, photo=True)


def test_photo_placeholder_fills_the_area_with_all_parts() -> None:
    rows = grid(render_photo(photo_slide(), width=50, height=16, palette=DARK), 80)
    assert len(rows) == 16
    assert all(cell_len(row) == 50 for row in rows)
    text = "\n".join(rows)
    assert "photo" in text
    assert "/img/kigali.jpg (missing)" in text
    assert "Our team" in text
    assert rows[0].startswith("╭") and rows[-1].endswith("╯")
    assert "╭──┘  └──╮" in text  # the camera


def test_photo_title_slide_shows_a_large_title_above_the_mark() -> None:
    slide = photo_slide("Many contacts", classes=("photo-title-slide",))
    rows = grid(render_photo(slide, width=60, height=14, palette=DARK), 60)
    text = "\n".join(rows)
    assert "M A N Y   C O N T A C T S" in text
    title_row = next(i for i, row in enumerate(rows) if "M A N Y" in row)
    photo_row = next(i for i, row in enumerate(rows) if "photo" in row and "M A N Y" not in row)
    assert title_row < photo_row
    _, segments = show(render_photo(slide, width=60, height=14, palette=DARK), 60)
    assert styles_of(segments, "M A N Y")[0].bold


def test_photo_caption_sits_below_the_mark() -> None:
    rows = grid(render_photo(photo_slide(), width=40, height=14, palette=DARK), 40)
    photo_row = next(i for i, row in enumerate(rows) if " photo " in row)
    caption_row = next(i for i, row in enumerate(rows) if "Our team" in row)
    assert photo_row < caption_row


def test_photo_without_background_or_text_still_says_photo() -> None:
    slide = make_slide(classes=("photo-content-slide",), photo=True)
    rows = grid(render_photo(slide, width=30, height=10, palette=DARK), 30)
    assert "photo" in "\n".join(rows)


def test_small_photo_drops_camera_then_path() -> None:
    rows = grid(render_photo(photo_slide(), width=20, height=4, palette=DARK), 20)
    text = "\n".join(rows)
    assert len(rows) == 4 and all(cell_len(row) == 20 for row in rows)
    assert "photo" in text and "Our team" in text
    assert "└──╮" not in text
    rows = grid(render_photo(photo_slide(), width=30, height=6, palette=DARK), 30)
    text = "\n".join(rows)
    assert "/img/kigali.jpg" in text and "└──╮" not in text


def test_one_line_photo_says_what_it_is() -> None:
    rows = grid(render_photo(photo_slide(), width=40, height=1, palette=DARK), 40)
    assert rows[0].strip() == "photo: Our team"


def test_photo_ascii_only() -> None:
    rows = grid(render_photo(photo_slide(), width=50, height=16, palette=DARK, ascii_only=True), 50)
    text = "\n".join(rows)
    assert text.isascii()
    assert rows[0].startswith("+") and "photo" in text and "Our team" in text


def test_photo_fills_with_its_background() -> None:
    _, segments = show(render_photo(photo_slide(), width=30, height=8, palette=DARK), 30)
    visible = [seg for seg in segments if seg.text != "\n"]
    assert all(seg.style and seg.style.bgcolor == DARK.photo_text.bgcolor for seg in visible)


def test_photo_text_is_never_markup() -> None:
    rows = grid(render_photo(photo_slide("[bold]x[/bold]"), width=40, height=10, palette=DARK), 40)
    assert "[bold]x[/bold]" in "\n".join(rows)


def test_photo_picture_hook_is_given_the_area() -> None:
    good = Asset("/img/k.jpg", Path("/deck/img/k.jpg"), SRC)
    slide = make_slide(md("Team"), classes=("photo-content-slide",), background=good, photo=True)
    seen: list[tuple[Asset, str]] = []

    def picture(asset: Asset, alt: str) -> RenderableType:
        seen.append((asset, alt))
        return Text("PIC")

    rows = grid(render_photo(slide, width=25, height=5, palette=DARK, picture=picture), 25)
    assert seen == [(good, "Team")]
    assert len(rows) == 5 and all(cell_len(row) == 25 for row in rows)
    assert rows[0].startswith("PIC") and "photo" not in "\n".join(rows)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=1, max_value=200),
    st.integers(min_value=1, max_value=60),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["", "Short", "A much longer caption " * 6, "漢字のキャプション"]),
)
def test_photo_always_fills_exactly(
    width: int, height: int, ascii_only: bool, title: bool, caption: str
) -> None:
    classes = ("photo-title-slide",) if title else ("photo-content-slide",)
    slide = photo_slide(caption, classes=classes)
    rows = grid(
        render_photo(slide, width=width, height=height, palette=MONO, ascii_only=ascii_only), 200
    )
    assert len(rows) == height
    assert all(cell_len(row) == width for row in rows)
    text = "\n".join(rows)
    assert text.strip(), "a photo slide must never look empty"
    if width >= 8:
        assert "photo" in text or "P H O T O" in text
    if ascii_only and not caption.startswith("漢"):
        assert text.isascii()


# The cache


def test_cache_renders_a_slide_once_per_width(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = slide_module.render_slide_body

    def counting(slide: Slide, **options: object) -> RenderableType:
        calls.append(slide.number)
        return real(slide, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(slide_module, "render_slide_body", counting)
    cache = SlideRenderCache(palette=DARK)
    first = make_slide(md("# One\n\nbody"), number=1)
    second = make_slide(md("# Two"), number=2)
    a = cache.get(first, 40)
    cache.get(second, 40)
    assert cache.get(first, 40) is a
    assert calls == [1, 2]
    b = cache.get(first, 30)
    assert b is not a and calls == [1, 2, 1]
    text, _ = show(a, 40)
    assert "One" in text and "body" in text


def test_cache_keys_photos_by_height_and_forgets_old_entries() -> None:
    cache = SlideRenderCache(palette=DARK, size=2)
    photo = photo_slide()
    tall = cache.get(photo, 30, 10)
    short = cache.get(photo, 30, 5)
    assert tall is not short
    assert len(grid(tall, 30)) == 10 and len(grid(short, 30)) == 5
    cache.get(make_slide(md("x"), number=3), 30)
    assert len(cache) == 2
    assert cache.get(photo, 30, 10) is not tall  # evicted, so rendered again


def test_cache_tells_equal_slides_apart() -> None:
    cache = SlideRenderCache(palette=DARK)
    old = make_slide(md("old text"))
    new = make_slide(md("new text"))  # a reload: same number, new object
    assert "old text" in show(cache.get(old, 40), 40)[0]
    assert "new text" in show(cache.get(new, 40), 40)[0]

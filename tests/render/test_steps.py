"""A slide drawn at a step: later parts blank in their own place, nothing moves."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.segment import Segment

from prexterm.core.model import Slide
from prexterm.core.parser import load_deck
from prexterm.render.palette import DARK
from prexterm.render.plain import first_step_showing, markdown_to_plain, step_texts
from prexterm.render.slide import RenderedLines, SlideRenderCache
from tests.conftest import WriteFiles

DECK = """\
# Plan

First point
!comment say hello
<!-- pause -->
!comment the second step

- one
  <!-- pause -->
  more about one
- two

<!-- incremental_lists: true -->
1. alpha
2. beta

!code demo.py
"""


def slide_of(write: WriteFiles, text: str = DECK) -> Slide:
    path = write({"deck.md": text, "demo.py": "print('gamma')\n"})
    return load_deck(path, cwd=Path(path).parent).slides[0]


def rows(rendered: RenderedLines) -> list[str]:
    return ["".join(segment.text for segment in line) for line in rendered.lines]


def test_step_one_lacks_the_text_of_later_steps_and_has_the_same_height(
    write: WriteFiles,
) -> None:
    slide = slide_of(write)
    assert slide.steps == 4
    cache = SlideRenderCache(palette=DARK)
    whole = rows(cache.get(slide, 60))
    first = rows(cache.get(slide, 60, step=1))
    second = rows(cache.get(slide, 60, step=2))
    assert len(first) == len(second) == len(whole)
    shown_first = "\n".join(first)
    assert "First point" in shown_first and "Plan" in shown_first
    for later in ("one", "more about one", "two", "alpha", "beta", "gamma", "demo.py"):
        assert later not in shown_first
    shown_second = "\n".join(second)
    assert "• one" in shown_second
    for later in ("more about one", "two", "alpha", "beta", "gamma"):
        assert later not in shown_second
    third = "\n".join(rows(cache.get(slide, 60, step=3)))
    assert "more about one" in third and "1. alpha" in third and "beta" not in third
    assert "gamma" in "\n".join(whole)


def test_what_shows_at_an_early_step_stays_in_its_cells_at_every_later_step(
    write: WriteFiles,
) -> None:
    slide = slide_of(write)
    cache = SlideRenderCache(palette=DARK)
    whole = rows(cache.get(slide, 50))
    for step in range(1, slide.steps + 1):
        drawn = rows(cache.get(slide, 50, step=step))
        for row, full in zip(drawn, whole, strict=True):
            # Every cell is either what the whole slide has there, or blank.
            assert len(row) == len(full)
            assert all(cell in (" ", other) for cell, other in zip(row, full, strict=True))


def test_a_step_keeps_the_width_of_the_whole_slide_for_centring(write: WriteFiles) -> None:
    text = "Short\n<!-- pause -->\nA much longer line that appears only at the second step\n"
    slide = slide_of(write, text)
    cache = SlideRenderCache(palette=DARK)
    assert cache.get(slide, 80, step=1).used == cache.get(slide, 80).used > len("Short")


def test_blank_cells_carry_no_style_of_what_they_hide(write: WriteFiles) -> None:
    slide = slide_of(write)
    lines = SlideRenderCache(palette=DARK).get(slide, 60, step=1).lines
    hidden_row = next(i for i, line in enumerate(lines) if not "".join(s.text for s in line).strip()
                      and i > 4)  # fmt: skip
    assert all(segment.style is None or not segment.style.bgcolor for segment in lines[hidden_row])
    assert all(isinstance(segment, Segment) for line in lines for segment in line)


def test_the_cache_keeps_each_step_apart_and_the_last_step_is_the_whole_slide(
    write: WriteFiles,
) -> None:
    slide = slide_of(write)
    cache = SlideRenderCache(palette=DARK)
    whole = cache.get(slide, 60)
    assert cache.get(slide, 60, step=slide.steps) is whole
    assert cache.get(slide, 60, step=99) is whole
    first = cache.get(slide, 60, step=1)
    assert cache.get(slide, 60, step=1) is first
    assert rows(cache.get(slide, 60, step=2)) != rows(first)


def test_a_slide_without_steps_draws_the_same_at_any_step(write: WriteFiles) -> None:
    slide = slide_of(write, "# Just text\n\n- a\n- b\n")
    cache = SlideRenderCache(palette=DARK)
    assert rows(cache.get(slide, 40, step=1)) == rows(cache.get(slide, 40))


def test_the_plain_text_for_search_shows_every_step(write: WriteFiles) -> None:
    slide = slide_of(write)
    plain = markdown_to_plain(slide.markdown)
    for word in ("First point", "more about one", "beta"):
        assert word in plain
    assert "pause" not in plain


def test_each_step_s_text_is_what_it_adds(write: WriteFiles) -> None:
    slide = slide_of(write)
    texts = step_texts(slide)
    assert len(texts) == 4
    assert texts[0] == "Plan\nFirst point"
    assert texts[1] == "- one"
    assert texts[2] == "  more about one\n- two\n1. alpha"
    assert texts[3] == "2. beta\nprint('gamma')"


def test_a_search_opens_the_first_step_that_shows_the_match(write: WriteFiles) -> None:
    slide = slide_of(write)
    assert first_step_showing(slide, "PLAN") == 1
    assert first_step_showing(slide, "about one") == 3
    assert first_step_showing(slide, "gamma") == 4
    assert first_step_showing(slide, "say hello") == 1  # only in the notes


def test_items_parted_by_pauses_still_read_as_one_list(write: WriteFiles) -> None:
    text = "- one\n<!-- pause -->\n- two\n<!-- pause -->\n- three\n\n1. x\n<!-- pause -->\n2. y\n"
    slide = slide_of(write, text)
    assert slide.steps == 4
    drawn = [row.rstrip() for row in rows(SlideRenderCache(palette=DARK).get(slide, 40))]
    assert drawn == ["• one", "• two", "• three", "", "1. x", "2. y"]
    first = [row.rstrip() for row in rows(SlideRenderCache(palette=DARK).get(slide, 40, step=1))]
    assert first == ["• one", "", "", "", "", ""]


_pieces = st.sampled_from(
    [
        "<!-- pause -->",
        "  <!-- pause -->",
        "<!-- incremental_lists: true -->",
        "- item",
        "  - nested",
        "1. first",
        "> quote",
        "| a | b |",
        "|---|---|",
        "```",
        "# Title",
        "text",
        "",
    ]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_pieces, min_size=1, max_size=16))
def test_every_step_of_any_slide_has_the_whole_slide_s_height(
    write: WriteFiles, lines: list[str]
) -> None:
    path = write({"deck.md": "\n".join(lines) + "\n"})
    cache = SlideRenderCache(palette=DARK)
    for slide in load_deck(path, cwd=path.parent).slides:
        whole = cache.get(slide, 30)
        for step in range(1, slide.steps + 1):
            drawn = cache.get(slide, 30, step=step)
            assert len(drawn.lines) == len(whole.lines)
            assert drawn.used == whole.used

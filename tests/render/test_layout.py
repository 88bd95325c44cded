"""Layout commands drawn: columns side by side or stacked, alignment, empty lines, and
the line from which a slide sits in the vertical middle."""

from __future__ import annotations

from prexterm.core.model import Slide
from prexterm.core.parser import load_deck
from prexterm.render.layout import COLUMN_GAP, MIN_COLUMN_WIDTH
from prexterm.render.palette import DARK
from prexterm.render.slide import RenderedLines, SlideRenderCache
from tests.conftest import WriteFiles

COLUMNS = """\
# Two columns

<!-- column_layout: [3, 2] -->
<!-- column: 1 -->
Explained on the right.
<!-- column: 0 -->
```python
def hello():
    return "world"
```
<!-- column: 1 -->
<!-- pause -->
- later point
<!-- reset_layout -->
Under both.
"""


def slide_of(write: WriteFiles, text: str) -> Slide:
    path = write({"deck.md": text})
    return load_deck(path, cwd=path.parent).slides[0]


def rows(rendered: RenderedLines) -> list[str]:
    return ["".join(seg.text for seg in line).rstrip() for line in rendered.lines]


def row_with(found: list[str], text: str) -> str:
    (row,) = [r for r in found if text in r]
    return row


def test_columns_stand_side_by_side_by_their_widths(write: WriteFiles) -> None:
    slide = slide_of(write, COLUMNS)
    found = rows(SlideRenderCache(palette=DARK).get(slide, 100))
    first = row_with(found, "Explained on the right.")
    assert "python" in first, "the code and its explanation share the first row"
    assert first.index("Explained") == 60  # 3/5 of 98 cells, then the gap
    assert row_with(found, "later point").index("•") == 60
    assert found.index(row_with(found, "Under both.")) > found.index(
        row_with(found, 'return "world"')
    )


def test_columns_stack_in_order_when_narrow(write: WriteFiles) -> None:
    slide = slide_of(write, COLUMNS)
    width = 2 * MIN_COLUMN_WIDTH + COLUMN_GAP  # 3/5 and 2/5 of it leave column 1 too narrow
    found = rows(SlideRenderCache(palette=DARK).get(slide, width))
    order = [
        found.index(row_with(found, text))
        for text in ("Two columns", 'return "world"', "Explained", "later point", "Under both.")
    ]
    assert order == sorted(order), "column 0 first, then column 1, then what follows"
    assert all(len(row) <= width for row in found), "nothing is cut"


def test_steps_inside_columns_blank_later_parts_in_place(write: WriteFiles) -> None:
    slide = slide_of(write, COLUMNS)
    cache = SlideRenderCache(palette=DARK)
    whole = rows(cache.get(slide, 100))
    first = rows(cache.get(slide, 100, step=1))
    assert len(first) == len(whole)
    assert not any("later point" in row for row in first)
    assert row_with(first, "Explained") == row_with(whole, "Explained")


def test_alignment_centres_and_right_aligns_text(write: WriteFiles) -> None:
    slide = slide_of(
        write,
        "<!-- alignment: center -->\nMiddle words\n\n<!-- alignment: right -->\nRight words\n"
        "<!-- alignment: left -->\nLeft words\n",
    )
    found = rows(SlideRenderCache(palette=DARK).get(slide, 60))
    assert row_with(found, "Middle words").index("M") == (60 - len("Middle words")) // 2
    assert row_with(found, "Right words").endswith("Right words")
    assert len(row_with(found, "Right words")) == 60
    assert row_with(found, "Left words").startswith("Left words")


def test_new_lines_add_empty_rows(write: WriteFiles) -> None:
    plain = rows(SlideRenderCache(palette=DARK).get(slide_of(write, "one\n\ntwo\n"), 40))
    spaced = slide_of(write, "one\n<!-- new_lines: 3 -->\ntwo\n")
    found = rows(SlideRenderCache(palette=DARK).get(spaced, 40))
    assert found.index("two") - found.index("one") == plain.index("two") - plain.index("one") + 3


def test_jump_to_middle_marks_where_the_middle_part_starts(write: WriteFiles) -> None:
    slide = slide_of(write, "Top line\n<!-- jump_to_middle -->\n# Title\n")
    rendered = SlideRenderCache(palette=DARK).get(slide, 40)
    found = rows(rendered)
    assert rendered.middle is not None
    assert "Title" in found[rendered.middle]
    assert "Top line" in "".join(found[: rendered.middle])
    assert "Title" in "".join(found[rendered.middle :])

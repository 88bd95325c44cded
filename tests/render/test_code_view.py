"""Highlighted code lines: the others dimmed, a mark beside the lit ones, numbers shown,
and a moving highlight that follows the slide's step, in every theme and colour depth."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from rich.segment import Segment

from prexterm.core.model import Slide
from prexterm.core.parser import load_deck
from prexterm.render.palette import DARK, MONO, Palette
from prexterm.render.slide import PLAIN_STEP, RenderedLines, SlideRenderCache
from prexterm.style.themes import list_themes
from tests.conftest import WriteFiles

DECK = """\
# Walk through

```python {1-2|3|all} +line_numbers
alpha = 1
beta = 2
gamma = alpha + beta
```

after the code
---
!code demo.py python python3 {2} +line_numbers
---
```python {2}
one = 1
two = 2
```
"""

_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def slides(write: WriteFiles) -> tuple[Slide, ...]:
    path = write({"deck.md": DECK, "demo.py": "first = 1\nsecond = 2\nthird = 3\n"})
    return load_deck(path, cwd=path.parent).slides


def code_rows(lines: RenderedLines, word: str) -> list[Segment]:
    """The segments of the one drawn line that shows `word`."""
    (row,) = [line for line in lines.lines if word in "".join(s.text for s in line)]
    return row


def text_of(row: list[Segment]) -> str:
    return "".join(segment.text for segment in row)


def is_dim(row: list[Segment], word: str) -> bool:
    """Whether the cells of `word`'s code on its line are drawn dim."""
    cells = [s for s in row if s.text.strip() and s.text.strip() in word]
    assert cells, f"{word!r} not drawn"
    dims = {bool(s.style and s.style.dim) for s in cells}
    assert len(dims) == 1, f"{word!r} partly dim"
    return dims.pop()


def marked(row: list[Segment]) -> bool:
    inside = text_of(row).split("│", 1)[-1].lstrip(" ")
    return inside.startswith(("▌", ">"))


def test_fixed_highlight_dims_the_other_lines(write: WriteFiles) -> None:
    slide = slides(write)[2]
    lines = SlideRenderCache(palette=DARK).get(slide, 40)
    assert not is_dim(code_rows(lines, "two"), "two = 2")
    assert is_dim(code_rows(lines, "one"), "one = 1")
    assert marked(code_rows(lines, "two")) and not marked(code_rows(lines, "one"))


def test_line_numbers_are_shown(write: WriteFiles) -> None:
    first, code_file, plain = slides(write)
    cache = SlideRenderCache(palette=DARK)
    assert "1 alpha = 1" in text_of(code_rows(cache.get(first, 50), "alpha = 1"))
    assert "3 gamma" in text_of(code_rows(cache.get(first, 50), "gamma"))
    assert "2 second = 2" in text_of(code_rows(cache.get(code_file, 50), "second"))
    # Without +line_numbers a fence has none.
    assert "1 one" not in text_of(code_rows(cache.get(plain, 50), "one = 1"))


def test_a_step_moves_the_highlight(write: WriteFiles) -> None:
    slide = slides(write)[0]
    assert slide.steps == 3
    cache = SlideRenderCache(palette=DARK)
    seen = []
    for step in (1, 2, 3):
        lines = cache.get(slide, 50, step=step)
        seen.append(
            [
                (marked(code_rows(lines, word)), not is_dim(code_rows(lines, word), word))
                for word in ("alpha = 1", "beta = 2", "gamma")
            ]
        )
        shows_after = any("after the code" in text_of(line) for line in lines.lines)
        assert shows_after is (step == 3)
    lit = [[mark for mark, _ in row] for row in seen]
    assert lit == [[True, True, False], [False, False, True], [True, True, True]]
    assert all(mark == bright for row in seen for mark, bright in row)


MOVING_THEN_STILL = """\
```python {1|3} +line_numbers
alpha = x
beta = y
gamma = z
```

- revealed later
---
```python {1,3}
alpha = x
beta = y
gamma = z
```
"""


@pytest.mark.parametrize("palette", [DARK, MONO], ids=["dark", "mono"])
def test_the_plain_step_draws_a_moving_highlight_as_plain_code(
    write: WriteFiles, palette: Palette
) -> None:
    path = write({"deck.md": MOVING_THEN_STILL})
    moving, still = load_deck(path, cwd=path.parent).slides
    cache = SlideRenderCache(palette=palette)
    words = ("alpha = x", "beta = y", "gamma = z")
    # Its last step lights the last group only, and the whole slide is drawn that way.
    last = cache.get(moving, 50)
    assert [is_dim(code_rows(last, w), w) for w in words] == [True, True, False]
    plain = cache.get(moving, 50, step=PLAIN_STEP)
    assert [is_dim(code_rows(plain, w), w) for w in words] == [False, False, False]
    assert not any(marked(code_rows(plain, w)) for w in words)
    assert "1 alpha" in text_of(code_rows(plain, "alpha"))  # the numbers stay
    # Every step is revealed, and the layout is the whole slide's.
    assert any("revealed later" in text_of(line) for line in plain.lines)
    assert len(plain.lines) == len(last.lines) and plain.used == last.used
    assert [text_of(line).replace("▌", " ") for line in plain.lines] == [
        text_of(line).replace("▌", " ") for line in last.lines
    ]
    # A highlight that never moves is the slide's look: kept.
    kept = cache.get(still, 50, step=PLAIN_STEP)
    assert [is_dim(code_rows(kept, w), w) for w in words] == [False, True, False]
    assert [marked(code_rows(kept, w)) for w in words] == [True, False, True]
    # The steps themselves still move it.
    first = cache.get(moving, 50, step=1)
    assert [is_dim(code_rows(first, w), w) for w in words] == [False, True, True]
    assert not any("revealed later" in text_of(line) for line in first.lines)


def test_a_step_changes_styles_only(write: WriteFiles) -> None:
    slide = slides(write)[0]
    cache = SlideRenderCache(palette=DARK)
    texts = {
        step: [text_of(line).replace("▌", " ") for line in cache.get(slide, 50, step=step).lines]
        for step in (1, 2)
    }
    assert [line for line in texts[1] if "after" not in line] == [
        line for line in texts[2] if "after" not in line
    ]


def _ansi(lines: RenderedLines, palette: Palette, system: str) -> list[str]:
    out = Console(
        file=io.StringIO(),
        width=lines.width,
        color_system=system,  # type: ignore[arg-type]
        force_terminal=True,
        legacy_windows=False,
    )
    rows = []
    for line in lines.lines:
        with out.capture() as capture:
            out.print(RenderedLines([line], lines.width))
        rows.append(capture.get())
    return rows


def _row_is_dim(row: str, word: str) -> bool:
    """Whether the SGR sequence right before `word` in an ANSI line sets dim."""
    before = row[: row.index(word.split()[0])]
    params = [int(p or 0) for p in _SGR.findall(before)[-1].split(";")]
    attributes = []
    while params:
        code = params.pop(0)
        if code in (38, 48):  # a colour: 5;n or 2;r;g;b follow, which are no attributes
            del params[: 2 if params[0] == 5 else 4]
            continue
        attributes.append(code)
    return 2 in attributes


@pytest.mark.parametrize("system", ["standard", "256", "truecolor"])
@pytest.mark.parametrize("theme", [theme.name for theme in list_themes()] + ["mono-palette"])
def test_highlight_reads_in_every_theme_and_colour_depth(
    write: WriteFiles, theme: str, system: str
) -> None:
    palette = MONO if theme == "mono-palette" else {t.name: t.palette for t in list_themes()}[theme]
    slide = slides(write)[2]
    lines = SlideRenderCache(palette=palette, ascii_only=theme == "mono").get(slide, 40)
    rows = _ansi(lines, palette, system)
    (one,) = [row for row in rows if "one" in row]
    (two,) = [row for row in rows if "two" in row]
    assert _row_is_dim(one, "one") and not _row_is_dim(two, "two")
    assert _SGR.sub("", two).split("two")[0].rstrip().endswith(("▌", ">"))
    assert not _SGR.sub("", one).split("one")[0].rstrip().endswith(("▌", ">"))

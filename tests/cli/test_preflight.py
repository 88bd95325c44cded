"""`prexterm check --size`: every finding of the venue pre-flight on a deck made for it.

Each deck here holds one thing a room would miss at the size checked, and the same deck
at a size where it fits (or with the colours that show it) is checked clean of it, so a
finding that is always or never printed fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.segment import Segment

from prexterm.app import layout
from tests.cli.test_check import run, write
from tests.conftest import REPO

TALL = "# Tall\n\n" + "".join(f"{n}. item {n}\n" for n in range(1, 19))
TABLE = (
    "# Wide table\n\n"
    "| alpha | beta | gamma | delta |\n| --- | --- | --- | --- |\n"
    "| supercalifragilistic | antidisestablishment | floccinaucinihilipilification "
    "| pneumonoultramicroscopic |\n"
)
FENCED = (
    "# Fenced\n\n```python\nshort = 1\n"
    "this_line_is_far_too_long_for_a_panel = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]\n```\n"
)
LOW_CONTRAST_THEME = """/* prexterm-theme
name: teal
description: teal words on white, readable in truecolor only
background: #ffffff
text: #007a7a
*/
Screen {
    background: #ffffff;
}
"""


def warnings(result_out: str) -> list[str]:
    return [line for line in result_out.splitlines() if ": warning: " in line]


def test_a_slide_taller_than_the_screen_says_how_many_lines_need_scrolling(
    tmp_path: Path,
) -> None:
    write(tmp_path, "talk.md", TALL)
    short = run("--size", "60x20", "talk.md", cwd=tmp_path)
    assert short.status == 0
    # 20 rows less the progress line and the footer, less the "more below" mark.
    assert (
        "talk.md:1: warning: slide 1 is 21 lines tall and the screen shows 17 of them: "
        "4 lines need scrolling" in short.lines
    )
    assert short.lines[-1] == "1 slide, 0 errors, 1 warning at 60x20, dark theme, 256 colours"
    assert warnings(run("--size", "60x30", "talk.md", cwd=tmp_path).out) == []


def test_a_header_takes_a_row_from_the_slide(tmp_path: Path) -> None:
    """A slide of exactly 18 lines fits 20 rows without a header, not with one."""
    body = "# Tall\n\n" + "".join(f"{n}. item {n}\n" for n in range(1, 16))
    write(tmp_path, "plain.md", body)
    write(tmp_path, "headed.md", "!header Our talk\n" + body)
    assert warnings(run("--size", "60x20", "plain.md", cwd=tmp_path).out) == []
    headed = warnings(run("--size", "60x20", "headed.md", cwd=tmp_path).out)
    assert len(headed) == 1
    assert "is 18 lines tall and the screen shows 16 of them: 2 lines" in headed[0]


def test_a_table_whose_columns_do_not_fit_is_named_at_its_line(tmp_path: Path) -> None:
    write(tmp_path, "talk.md", TABLE)
    narrow = run("--size", "60x20", "talk.md", cwd=tmp_path)
    assert (
        "talk.md:3: warning: table of 4 columns does not fit in 56 columns: the room sees it "
        "one row at a time, each heading beside its value" in narrow.lines
    )
    tiny = warnings(run("--size", "24x20", "talk.md", cwd=tmp_path).out)
    assert any("table of 4 columns does not fit in 20 columns, not even one row" in w
               for w in tiny)  # fmt: skip
    # Even 140 columns give text at most 100 (margins beside it): the table needs 106.
    assert any("fit in 100 columns" in w for w in warnings(run("--size", "140x20", "talk.md",
                                                              cwd=tmp_path).out))  # fmt: skip
    write(tmp_path, "small.md", TABLE.replace("supercalifragilistic", "super"))
    assert warnings(run("--size", "140x20", "small.md", cwd=tmp_path).out) == []


def test_fenced_code_wider_than_its_panel_is_named_at_the_deck_line(tmp_path: Path) -> None:
    write(tmp_path, "talk.md", FENCED)
    found = warnings(run("--size", "60x20", "talk.md", cwd=tmp_path).out)
    assert found == [
        "talk.md:5: warning: code line is 83 columns wide and its panel holds 52: it wraps"
    ]
    assert warnings(run("--size", "100x20", "talk.md", cwd=tmp_path).out) == []


def test_a_code_file_line_wider_than_its_panel_is_named_in_the_code_file(
    tmp_path: Path,
) -> None:
    write(tmp_path, "talk.md", "# Demo\n\n!code code/demo.py python\n")
    write(tmp_path, "code/demo.py", "x = 1\n\n" + "y = " + "1 + " * 14 + "1\n")
    found = [w for w in warnings(run("--size", "50x20", "talk.md", cwd=tmp_path).out)
             if "code line" in w]  # fmt: skip
    assert len(found) == 1
    assert re.fullmatch(
        r"code/demo\.py:3: warning: code line is 61 columns wide and its panel holds \d+: it wraps",
        found[0],
    ), found
    assert not any("code line" in w for w in warnings(run("--size", "100x20", "talk.md",
                                                          cwd=tmp_path).out))  # fmt: skip


def test_pictures_that_show_as_placeholders_say_why(tmp_path: Path) -> None:
    from PIL import Image

    (tmp_path / "img").mkdir()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(tmp_path / "img" / "red.png")
    write(tmp_path, "img/broken.png", b"\x89PNG\r\n\x1a\nnot really")
    deck = (
        "# Pictures\n\n![fine](img/red.png)\n\n![broken](img/broken.png)\n\n"
        "![gone](img/gone.png)\n---\n!slide_classes photo-content-slide\n"
    )
    write(tmp_path, "talk.md", deck)
    found = warnings(run("--size", "80x24", "talk.md", cwd=tmp_path).out)
    placeholders = [w for w in found if "placeholder" in w]
    assert len(placeholders) == 3, found
    assert placeholders[0].startswith("talk.md:5: warning: slide 1: picture img/broken.png")
    assert placeholders[1].startswith("talk.md:7: warning: slide 1: picture img/gone.png")
    assert placeholders[2] == (
        "talk.md:9: warning: slide 2 is a photo slide without a picture: it shows a placeholder"
    )
    drawn_as_ascii = warnings(run("--size", "80x24", "--ascii", "talk.md", cwd=tmp_path).out)
    assert any(
        "picture img/red.png shows as a placeholder: pictures are not drawn in --ascii mode" in w
        for w in drawn_as_ascii
    )


def test_text_below_the_least_contrast_once_rounded_to_256_colours(tmp_path: Path) -> None:
    """Teal #007a7a on white is 5.2:1, but 256 colours round it to #008787: 4.4:1."""
    write(tmp_path, "teal.tcss", LOW_CONTRAST_THEME)
    write(tmp_path, "talk.md", "Plain words on a page.\n")
    rounded = run("--size", "80x24", "--theme", "./teal.tcss", "talk.md", cwd=tmp_path)
    assert warnings(rounded.out) == [
        "talk.md:1: warning: slide 1: text 'Plain words on a page.' is #008787 on #ffffff in "
        "256 colours: contrast 4.4:1, below 4.5:1"
    ]
    assert rounded.lines[-1].endswith("at 80x24, teal theme, 256 colours")
    exact = run(
        "--size", "80x24", "--theme", "./teal.tcss", "--colors", "truecolor", "talk.md",
        cwd=tmp_path,
    )  # fmt: skip
    assert warnings(exact.out) == []


def test_the_findings_are_in_the_json_with_the_venue(tmp_path: Path) -> None:
    write(tmp_path, "talk.md", TALL + "---\n" + TABLE)
    result = run("--size", "60x20", "--json", "talk.md", cwd=tmp_path)
    (deck,) = result.decks()
    assert deck["venue"] == {
        "width": 60, "height": 20, "theme": "dark", "colors": "256", "ascii": False
    }  # fmt: skip
    assert [(d["line"], d["message"].split(":")[0]) for d in deck["diagnostics"]] == [
        (1, "slide 1 is 21 lines tall and the screen shows 17 of them"),
        (24, "table of 4 columns does not fit in 56 columns"),
    ]
    assert deck["summary"]["warnings"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--size", "10x3"], "below the player's least, 20x6"),
        (["--size", "wide"], "write columns x rows, such as 100x30"),
        (["--theme", "light"], "--theme needs --size"),
        (["--size", "80x24", "--theme", "nope"], "unknown theme 'nope'"),
    ],
)
def test_a_venue_that_cannot_be_checked_is_one_line(
    tmp_path: Path, args: list[str], message: str
) -> None:
    write(tmp_path, "talk.md", "# Hi\n")
    result = run(*args, "talk.md", cwd=tmp_path)
    assert result.status == 2
    assert len(result.err.splitlines()) == 1
    assert message in result.err


def test_the_frame_numbers_are_the_stylesheets() -> None:
    """The rows the checker takes from a slide are the heights the player's CSS gives."""
    css = (REPO / "prexterm" / "app" / "prexterm.tcss").read_text()

    def height(selector: str) -> int:
        match = re.search(rf"^{re.escape(selector)} \{{[^}}]*?height: (\d+);", css, re.M)
        assert match, selector
        return int(match.group(1))

    assert height("#header") == layout.HEADER_ROWS
    assert height("#progress") == layout.PROGRESS_ROWS
    assert height("#footer-row") == layout.FOOTER_ROWS
    assert height("#more") == layout.MORE_ROWS


def test_code_longer_than_its_panel_needs_scrolling(tmp_path: Path) -> None:
    """20 rows leave the panel 10 lines (the slide's 18 less 8): 12 lines need scrolling."""
    write(tmp_path, "talk.md", "# Demo\n\n!code code/long.py python\n")
    write(tmp_path, "code/long.py", "".join(f"x{n} = {n}\n" for n in range(12)))
    found = [w for w in warnings(run("--size", "60x20", "talk.md", cwd=tmp_path).out)
             if "scrolling" in w]  # fmt: skip
    assert found == [
        "talk.md:3: warning: code code/long.py has 12 lines and its panel shows 10 at a time: "
        "the rest needs scrolling with the arrow keys"
    ]
    assert not any("scrolling" in w for w in warnings(run("--size", "60x24", "talk.md",
                                                          cwd=tmp_path).out))  # fmt: skip


def test_a_web_stylesheet_that_hides_the_header_gives_its_row_back(tmp_path: Path) -> None:
    """The slide of 18 lines that a header makes too tall fits once a stylesheet hides it."""
    body = "!header Our talk\n# Tall\n\n" + "".join(f"{n}. item {n}\n" for n in range(1, 16))
    write(tmp_path, "talk.md", body)
    assert len(warnings(run("--size", "60x20", "talk.md", cwd=tmp_path).out)) == 1
    write(tmp_path, "hide.css", ".quiet .header { display: none; }\n")
    write(tmp_path, "quiet.md", "!custom_css hide.css\n!slide_classes quiet\n" + body)
    quiet = run("--size", "60x20", "quiet.md", cwd=tmp_path)
    assert warnings(quiet.out) == [], quiet.out


def test_a_web_stylesheets_colours_are_the_ones_checked(tmp_path: Path) -> None:
    write(tmp_path, "grey.css", ".dim { color: #444444; }\n")
    write(tmp_path, "talk.md", "!custom_css grey.css\n!slide_classes dim\nQuiet words here.\n")
    found = warnings(run("--size", "80x24", "talk.md", cwd=tmp_path).out)
    assert any(
        "text 'Quiet words here.' is #444444 on #1c1c1c in 256 colours: contrast" in w
        for w in found
    ), found


COLUMNS = """\
# Code beside a table

<!-- column_layout: [1, 1] -->
<!-- column: 0 -->
```python
result = add_the_numbers(first_number, second_number, third)
```
<!-- column: 1 -->
| alpha | bravo | delta | gamma | kilos | limas | oscar | papas |
| --- | --- | --- | --- | --- | --- | --- | --- |
| one | two | six | ten | two | one | six | ten |
<!-- reset_layout -->

```python
result = add_the_numbers(first_number, second_number, third)
```

| alpha | bravo | delta | gamma | kilos | limas | oscar | papas |
| --- | --- | --- | --- | --- | --- | --- | --- |
| one | two | six | ten | two | one | six | ten |
"""


def test_code_and_tables_in_columns_are_measured_in_their_column(tmp_path: Path) -> None:
    write(tmp_path, "talk.md", COLUMNS)
    # 100 cells of text: two columns of 49 cells, 2 between them.
    found = warnings(run("--size", "140x30", "talk.md", cwd=tmp_path).out)
    assert found == [
        "talk.md:6: warning: code line is 60 columns wide and its panel holds 45: it wraps",
        "talk.md:9: warning: table of 8 columns does not fit in 49 columns: the room sees it "
        "one row at a time, each heading beside its value",
    ], "the same code line and table at full width (lines 15 and 18) fit"


def test_columns_that_stack_are_named_and_measured_at_full_width(tmp_path: Path) -> None:
    write(tmp_path, "talk.md", COLUMNS)
    found = warnings(run("--size", "40x60", "talk.md", cwd=tmp_path).out)
    assert found[0] == (
        "talk.md:3: warning: slide 1: the columns [1, 1] stand one under the other in "
        "36 columns: column 0 needs 20 cells and gets 17"
    )
    # Stacked, the column's code has the whole width, as the full-width copy does.
    assert (
        "talk.md:6: warning: code line is 60 columns wide and its panel holds 32: it wraps" in found
    )
    assert (
        "talk.md:15: warning: code line is 60 columns wide and its panel holds 32: it wraps"
        in found
    )
    assert not any("stand one under the other" in w for w in warnings(
        run("--size", "140x30", "talk.md", cwd=tmp_path).out))  # fmt: skip


def test_the_pre_flight_measures_a_moving_highlight_as_the_plain_exported_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prexterm.core.model import Slide
    from prexterm.core.parser import load_deck
    from prexterm.preflight import Venue, venue_diagnostics
    from prexterm.render.slide import RenderedLines, SlideRenderCache
    from prexterm.style.themes import load_theme

    deck_path = write(
        tmp_path,
        "talk.md",
        "# Walk\n\n```python {1|3}\nalpha = x\nbeta = y\ngamma = z\n```\n"
        "---\n# Still\n\n```python {2}\nalpha = x\nbeta = y\n```\n",
    )
    measured: dict[int, RenderedLines] = {}
    drawn = SlideRenderCache.get

    def recorded(
        self: SlideRenderCache, slide: Slide, *args: object, **kwargs: object
    ) -> RenderedLines:
        lines = drawn(self, slide, *args, **kwargs)  # type: ignore[arg-type]
        # A step is drawn from the whole slide: the call that returns last is the one asked.
        measured[slide.number] = lines
        return lines

    monkeypatch.setattr(SlideRenderCache, "get", recorded)
    venue_diagnostics(load_deck(deck_path), Venue(80, 24, load_theme("dark")))
    moving, still = measured[1], measured[2]

    def row(lines: RenderedLines, word: str) -> list[Segment]:
        (found,) = [ln for ln in lines.lines if word in "".join(s.text for s in ln)]
        return found

    def dim(lines: RenderedLines, word: str) -> bool:
        return any(s.style is not None and s.style.dim for s in row(lines, word) if s.text.strip())

    # The moving highlight is measured plain: no line dimmed, no mark.
    assert not any(dim(moving, word) for word in ("alpha", "beta", "gamma"))
    assert not any("▌" in s.text for line in moving.lines for s in line)
    # A highlight that never moves is measured as it shows.
    assert dim(still, "alpha") and not dim(still, "beta")

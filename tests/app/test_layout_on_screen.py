"""Layout and slide commands as the audience sees them in the player."""

from __future__ import annotations

from pathlib import Path

from prexterm.app.factory import create_app
from prexterm.app.frame import TextLine
from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp
from prexterm.app.screens import OverviewScreen
from prexterm.app.slide_view import SlideView
from tests.conftest import WriteFiles, screen_text

DECK = """\
!footer Layouts
<!-- jump_to_middle -->
<!-- alignment: center -->
# Centred title

<!-- alignment: right -->
by the speaker
---
# Code and words

<!-- column_layout: [3, 2] -->
<!-- column: 0 -->
```python
def hello():
    return "world"
```
<!-- column: 1 -->
The code on the left says hello to the world.
---
<!-- skip_slide -->
# Backup slide
---
<!-- no_footer -->
# Last words
"""


def app_for(write: WriteFiles, slide: int = 1) -> PlayerApp:
    path: Path = write({"deck.md": DECK})
    return create_app(PlayerOptions(deck=path, slide=slide, watch=False))


def footer(app: PlayerApp) -> str:
    return str(app.query_one("#footer", TextLine).render())


def slide_screen(app: PlayerApp) -> str:
    """The slide area as drawn, cell for cell (leading spaces kept)."""
    view = app.query_one(SlideView)
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


def row_with(screen: str, text: str) -> str:
    (row,) = [row for row in screen.split("\n") if text in row]
    return row


async def test_columns_side_by_side_at_120_columns(write: WriteFiles) -> None:
    app = app_for(write, 2)
    async with app.run_test(size=(120, 30)):
        screen = slide_screen(app)
        row = row_with(screen, "The code on the left")
        assert "python" in row, screen
        assert row.index("The code") > row.index("python")


async def test_columns_stack_at_50_columns(write: WriteFiles) -> None:
    app = app_for(write, 2)
    async with app.run_test(size=(50, 30)):
        screen = slide_screen(app)
        rows = screen.split("\n")
        words = rows.index(row_with(screen, "The code on"))
        code = rows.index(row_with(screen, 'return "world"'))
        assert words > code, screen
        assert "python" not in rows[words]


async def test_title_centred_and_line_right_aligned(write: WriteFiles) -> None:
    app = app_for(write)
    async with app.run_test(size=(100, 30)):
        screen = slide_screen(app)
        width = app.query_one(SlideView).size.width
        title = row_with(screen, "Centred title")
        left = len(title) - len(title.lstrip())
        right = width - len(title.rstrip())
        assert abs(left - right) <= 1, screen
        speaker = row_with(screen, "by the speaker")
        title_end = len(title.rstrip())
        assert len(speaker.rstrip()) > title_end, "right-aligned past the centred title"
        rows = screen.split("\n")
        height = len(rows)
        assert abs(rows.index(title) - height // 2) <= 2, "the title sits in the vertical middle"


async def test_a_skipped_slide_is_out_of_the_talk(write: WriteFiles) -> None:
    app = app_for(write, 2)
    async with app.run_test(size=(100, 30)) as pilot:
        assert footer(app) == "Layouts | 2/3"
        await pilot.press("right")
        assert "Last words" in screen_text(app)
        assert "Backup slide" not in screen_text(app)
        await pilot.press("o")
        assert isinstance(app.screen, OverviewScreen)
        overview = screen_text(app)
        assert "Backup slide" in row_with(overview, "skipped")
        assert app.screen.shown == [1, 2, 3]
        await pilot.press("escape", "1", "enter")
        assert footer(app) == "Layouts | 1/3"
        await pilot.press("3", "enter")
        assert "Last words" in screen_text(app), "go-to uses the talk's numbers"


async def test_no_footer_hides_the_footer(write: WriteFiles) -> None:
    app = app_for(write, 3)
    async with app.run_test(size=(100, 30)) as pilot:
        assert "Layouts" not in screen_text(app)
        await pilot.press("left")
        assert "Layouts | 2/3" in screen_text(app)


async def test_a_presenterm_deck_plays_with_its_titles() -> None:
    deck = Path(__file__).parent.parent / "decks" / "presenterm_intro.md"
    app = create_app(PlayerOptions(deck=deck, watch=False))
    async with app.run_test(size=(100, 30)) as pilot:
        title = row_with(slide_screen(app), "Terminal slides")
        assert title.startswith(" " * 20), "the title slide is centred"
        assert footer(app) == "1/4"
        await pilot.press("right")
        assert "Why slides in a terminal" in screen_text(app)
        assert "---" not in screen_text(app)
        await pilot.press("right")
        screen = slide_screen(app)
        assert "bash" in row_with(screen, "Everything is plain")
        assert footer(app) == "3/4"


async def test_empty_lines_alone_keep_the_slide_s_usual_centring(write: WriteFiles) -> None:
    path = write(
        {"deck.md": "Short words.\n---\n<!-- new_lines: 3 -->\nShort words.\n"},
    )
    app = create_app(PlayerOptions(deck=path, watch=False))
    async with app.run_test(size=(100, 30)) as pilot:
        plain = slide_screen(app).split("\n")
        await pilot.press("right")
        await pilot.pause()
        spaced = slide_screen(app).split("\n")
    plain_row = row_with("\n".join(plain), "Short words.")
    spaced_row = row_with("\n".join(spaced), "Short words.")
    assert spaced_row == plain_row, "the same margin, as if there were no command"
    assert spaced_row.index("Short") > 20, "centred in the screen, not at its left edge"
    assert spaced.index(spaced_row) > plain.index(plain_row), "moved down by the empty lines"


async def test_columns_stack_below_the_width_the_docs_give(write: WriteFiles) -> None:
    docs = (Path(__file__).parents[2] / "docs" / "format.md").read_text(encoding="utf-8")
    assert "`[3, 2]` 54" in docs
    path = write(
        {"deck.md": "<!-- column_layout: [3, 2] -->\nleft words\n<!-- column: 1 -->\nright words\n"}
    )
    for width, beside in ((54, True), (53, False)):
        app = create_app(PlayerOptions(deck=path, watch=False))
        async with app.run_test(size=(width, 20)):
            screen = slide_screen(app)
            row = row_with(screen, "left words")
            assert ("right words" in row) is beside, (width, screen)


async def test_a_word_too_long_for_its_column_folds_and_is_never_cut(write: WriteFiles) -> None:
    word = "compute_the_total_of_all_values"
    path = write(
        {
            "deck.md": "<!-- column_layout: [1, 1] -->\n```python\n"
            f"total = {word}(first)\n```\n<!-- column: 1 -->\nwords\n"
        }
    )
    app = create_app(PlayerOptions(deck=path, watch=False))
    async with app.run_test(size=(60, 20)):
        screen = slide_screen(app)
    assert "words" in row_with(screen, "python"), "side by side"
    assert "…" not in screen
    inside = "".join(row.split("│")[1].strip() for row in screen.split("\n") if row.count("│") >= 2)
    assert word in inside, screen

"""A deck of one enormous line: the slide shows where its text was cut, and the presenter
pane previews such a slide in a few rows, not thousands."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from prexterm.app.factory import create_app
from prexterm.app.options import PlayerOptions
from prexterm.app.presenter import PresenterPane
from prexterm.app.slide_view import SlideView
from tests.conftest import screen_text

LINE = "alpha beta gamma " * 176_471
"""Three million characters on one line."""


async def test_the_pane_previews_a_3_mb_next_slide_in_a_few_rows(tmp_path: Path) -> None:
    deck = tmp_path / "talk.md"
    deck.write_text("# Before\n\nA short slide.\n\n---\n\n" + LINE + "\n")
    app = create_app(PlayerOptions(deck=deck, watch=False, sync=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        preview = app.query_one(PresenterPane).query_one("#next", Static)
        assert str(preview.render()).startswith("2. alpha beta gamma alpha")
        assert preview.region.height < 30
        assert len(str(preview.render())) < 3000
        screen = screen_text(app)
        assert "2. alpha beta gamma" in screen
        assert "A short slide." in screen


async def test_a_slide_of_one_3_mb_line_says_where_it_was_cut(tmp_path: Path) -> None:
    deck = tmp_path / "talk.md"
    deck.write_text(LINE + "\n")
    app = create_app(PlayerOptions(deck=deck, watch=False, sync=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "alpha beta gamma" in screen_text(app)
        view = app.query_one(SlideView)
        assert view.virtual_size.height < 2000
        view.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert "slide text cut: a slide shows at most 100,000" in screen_text(app)

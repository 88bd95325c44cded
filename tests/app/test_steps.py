"""Steps inside a slide, as the audience and the presenter see them on screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from prexterm.app.factory import create_app
from prexterm.app.frame import ProgressLine, TextLine
from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp
from prexterm.app.screens import OverviewScreen
from tests.conftest import FakeClock, reload_deck, screen_text

SIZE = (100, 30)

DECK = """\
# Opening

Only one step here

---
## Paused

Alpha words

<!-- pause -->
!comment Say bravo now

Bravo words

<!-- pause -->
!comment Say charlie now

Charlie words

---
## Listed

<!-- incremental_lists: true -->

- Delta item
- Echo item
"""


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    path = tmp_path / "talk.md"
    path.write_text(DECK, encoding="utf-8")
    return path


def player(deck: Path, slide: int = 1, **options: object) -> PlayerApp:
    return create_app(PlayerOptions(deck=deck, slide=slide, watch=False, **options))  # type: ignore[arg-type]


def footer(app: PlayerApp) -> str:
    return str(app.query_one("#footer", TextLine).render())


def row_of(app: PlayerApp, text: str) -> int | None:
    """The screen row that shows `text`, or None when nothing shows it."""
    for index, row in enumerate(screen_text(app).splitlines()):
        if text in row:
            return index
    return None


async def test_next_shows_one_step_more_then_the_next_slide(deck: Path) -> None:
    app = player(deck, 2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "Alpha words" in shown and "Bravo words" not in shown
        assert footer(app) == "2/3 · 1/3"
        await pilot.press("right")
        shown = screen_text(app)
        assert "Alpha words" in shown and "Bravo words" in shown
        assert "Charlie words" not in shown
        assert footer(app) == "2/3 · 2/3"
        await pilot.press("space")
        assert "Charlie words" in screen_text(app)
        await pilot.press("right")
        shown = screen_text(app)
        assert "Delta item" in shown and "Echo item" not in shown, "next slide, first step"
        assert footer(app) == "3/3 · 1/2"


async def test_previous_goes_back_a_step_then_to_the_last_step_before(deck: Path) -> None:
    app = player(deck, 3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        assert "Echo item" in screen_text(app)
        await pilot.press("left")
        assert "Echo item" not in screen_text(app)
        await pilot.press("left")
        shown = screen_text(app)
        assert "Charlie words" in shown, "the previous slide as the audience last saw it"
        assert footer(app) == "2/3 · 3/3"
        await pilot.press("left")
        assert "Charlie words" not in screen_text(app)
        assert "Bravo words" in screen_text(app)


async def test_a_shows_every_step_and_brackets_skip_them(deck: Path) -> None:
    app = player(deck, 2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        shown = screen_text(app)
        assert "Bravo words" in shown and "Charlie words" in shown
        assert footer(app) == "2/3 · 3/3"
        await pilot.press("left_square_bracket")
        assert app.number == 1 and "Only one step here" in screen_text(app)
        await pilot.press("right_square_bracket")
        shown = screen_text(app)
        assert app.number == 2 and "Alpha words" in shown and "Bravo words" not in shown
        await pilot.press("right_square_bracket")
        shown = screen_text(app)
        assert "Delta item" in shown and "Echo item" not in shown, "skips the steps left"
        await pilot.press("left_square_bracket")
        assert "Bravo words" not in screen_text(app), "the slide before, at its first step"


async def test_go_to_home_end_and_overview_open_the_first_step(deck: Path) -> None:
    app = player(deck, 2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end")
        assert "Delta item" in screen_text(app) and "Echo item" not in screen_text(app)
        await pilot.press("a", "2", "enter")
        assert app.number == 2 and "Bravo words" not in screen_text(app)
        await pilot.press("a", "home")
        await pilot.press("o")
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.number == 2 and "Bravo words" not in screen_text(app)


async def test_a_search_match_opens_the_first_step_that_shows_it(deck: Path) -> None:
    app = player(deck)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"bravo", "enter")
        await pilot.pause()
        shown = screen_text(app)
        assert app.number == 2 and "Bravo words" in shown and "Charlie words" not in shown
        assert footer(app) == "2/3 · 2/3"


async def test_a_step_appears_without_moving_what_shows_already(deck: Path) -> None:
    app = player(deck, 2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = screen_text(app).splitlines()
        row = row_of(app, "Alpha words")
        assert row is not None
        await pilot.press("a")
        after = screen_text(app).splitlines()
        assert row_of(app, "Alpha words") == row
        assert after[row] == before[row], "same row, same columns"


async def test_the_progress_line_moves_by_steps(deck: Path) -> None:
    app = player(deck, 2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        progress = app.query_one(ProgressLine)
        first = progress.fraction
        await pilot.press("right")
        second = progress.fraction
        await pilot.press("right")
        assert first < second < progress.fraction == pytest.approx(2 / 3)
        drawn = [line for line in screen_text(app).splitlines() if "━" in line]
        assert drawn and drawn[-1].count("━") == round(100 * 2 / 3)


async def test_the_pane_previews_the_next_step_and_marks_its_notes(deck: Path) -> None:
    app = player(deck, 2, presenter=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "next step" in shown and "step 2/3" in shown
        await pilot.press("right")
        await pilot.pause()
        pane = app.query_one("#notes")
        notes = pane.render()
        spans = {notes.plain[s.start : s.end]: str(s.style) for s in notes.spans}  # type: ignore[union-attr]
        assert spans.get("Say bravo now") == "bold"
        assert spans.get("Say charlie now") == "dim"
        assert "step 3/3" in screen_text(app)
        assert "slide 2/3 · 2/3" in screen_text(app)
        await pilot.press("right")
        await pilot.pause()
        shown = screen_text(app)
        assert "next step" not in shown, "the last step: the next slide is previewed"
        assert "3. Listed" in shown


async def test_ascii_footer_marks_the_step_plainly(deck: Path) -> None:
    app = player(deck, 2, ascii=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        assert "2/3 - 2/3" in screen_text(app)


async def test_a_rehearsal_times_a_slide_with_all_its_steps(deck: Path) -> None:
    clock = FakeClock()
    app = player(deck, 2, rehearse=True, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(3):  # steps 2 and 3, then slide 3
            clock.now += 10
            await pilot.press("right")
        await pilot.pause()
        assert "Delta item" in screen_text(app)
        assert app.rehearsal is not None
        rows = app.rehearsal.report().rows
        assert (rows[1].visits, rows[1].seconds) == (1, 30.0)
        assert rows[2].visits == 1


async def test_incremental_lists_for_the_whole_deck(tmp_path: Path) -> None:
    path = tmp_path / "lists.md"
    path.write_text("# Points\n\n- Foxtrot item\n- Golf item\n", encoding="utf-8")
    app = player(path, incremental_lists=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "Foxtrot item" in shown and "Golf item" not in shown
        assert footer(app) == "1/1 · 1/2"
        await pilot.press("right")
        assert "Golf item" in screen_text(app)


async def test_a_reload_keeps_the_step_on_screen(deck: Path) -> None:
    app = player(deck, 2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        deck.write_text(DECK.replace("Bravo words", "Bravo changed words"), encoding="utf-8")
        await reload_deck(app)
        await pilot.pause()
        shown = screen_text(app)
        assert "Bravo changed words" in shown and "Charlie words" not in shown
        assert footer(app) == "2/3 · 2/3"


async def test_space_on_a_slide_taller_than_the_screen_shows_the_next_step(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tall.md"
    lines = "\n\n".join(f"Line {n} of the first step" for n in range(40))
    path.write_text(f"# Tall\n\n{lines}\n\n<!-- pause -->\n\nHotel words\n", encoding="utf-8")
    app = player(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        assert footer(app) == "1/1 · 2/2", "the step before any paging into blank room"
        assert "Line 0 of the first step" in screen_text(app)
        await pilot.press("space")
        assert "Line 0 of the first step" not in screen_text(app), "then it pages"

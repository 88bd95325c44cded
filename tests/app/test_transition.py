"""The slide transition on the presenter's screen, driven by a clock the test moves."""

from __future__ import annotations

from pathlib import Path

from rich.segment import Segment
from textual.strip import Strip

from prexterm.app.factory import create_app
from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp
from prexterm.app.slide_view import SlideView
from prexterm.app.transition import DURATION, slide_row
from tests.conftest import FakeClock, WriteFiles, wait_for

DECK = "# Alpha slide\n\nfirst\n---\n# Bravo slide\n\nsecond\n---\n# Charlie slide\n\nthird\n"


def rows(app: PlayerApp) -> list[str]:
    view = app.query_one(SlideView)
    return [view.render_line(y).text for y in range(view.size.height)]


def player(write: WriteFiles, clock: FakeClock, transition: str = "slide") -> PlayerApp:
    path: Path = write({"deck.md": DECK})
    return create_app(PlayerOptions(deck=path, watch=False, clock=clock, transition=transition))


async def test_first_and_last_frames_are_the_two_slides(write: WriteFiles) -> None:
    clock = FakeClock()
    app = player(write, clock)
    async with app.run_test(size=(80, 20)) as pilot:
        alpha = rows(app)
        await pilot.press("right")
        view = app.query_one(SlideView)
        assert view.moving
        assert rows(app) == alpha, "the first frame is the slide being left"
        clock.advance(DURATION / 3)
        middle = rows(app)
        clock.advance(DURATION)
        last = rows(app)
        assert any("Bravo slide" in row for row in last)
        assert middle not in (alpha, last), "a frame between the two slides"
        await wait_for(lambda: not view.moving)
        assert rows(app) == last, "the last frame is the slide arrived at"


async def test_a_key_mid_transition_finishes_it_and_acts(write: WriteFiles) -> None:
    clock = FakeClock()
    app = player(write, clock)
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.press("right")
        clock.advance(DURATION / 4)
        await pilot.press("right")
        assert app.number == 3, "no key is lost"
        first = "\n".join(rows(app))
        assert "Bravo slide" in first, "the first move ended on slide 2, the next starts there"
        clock.advance(DURATION)
        assert any("Charlie slide" in row for row in rows(app))
        await pilot.press("left")
        assert app.number == 2


async def test_without_transition_the_slide_changes_at_once(write: WriteFiles) -> None:
    clock = FakeClock()
    app = player(write, clock, transition="none")
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.press("right")
        assert not app.query_one(SlideView).moving
        assert any("Bravo slide" in row for row in rows(app))


def test_a_row_moves_from_the_old_slide_to_the_new() -> None:
    old = Strip([Segment("AAAAAAAAAA")])
    new = Strip([Segment("BBBBBBBBBB")])
    assert slide_row(old, new, 0, 10, forward=True).text == "AAAAAAAAAA"
    assert slide_row(old, new, 1, 10, forward=True).text == "BBBBBBBBBB"
    halfway = slide_row(old, new, 0.5, 10, forward=True).text
    assert halfway.startswith("A") and halfway.endswith("B")
    back = slide_row(old, new, 0.5, 10, forward=False).text
    assert back.startswith("B") and back.endswith("A")

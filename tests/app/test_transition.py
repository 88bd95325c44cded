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


async def second_slide_at_rest(write: WriteFiles) -> list[str]:
    """The rows of the second slide as a player with no transition shows it."""
    still = player(write, FakeClock(), transition="none")
    async with still.run_test(size=(80, 20)) as pilot:
        await pilot.press("right")
        return rows(still)


async def test_first_and_last_frames_are_the_two_slides(write: WriteFiles) -> None:
    bravo = await second_slide_at_rest(write)
    clock = FakeClock()
    app = player(write, clock)
    async with app.run_test(size=(80, 20)) as pilot:
        alpha = rows(app)
        await pilot.press("right")
        view = app.query_one(SlideView)
        assert view.moving
        assert rows(app) == alpha, "the first frame is the slide being left"
        clock.advance(DURATION / 3)
        await wait_for(lambda: rows(app) != alpha)
        middle = rows(app)
        assert middle != bravo, "a frame between the two slides"
        clock.advance(DURATION)
        await wait_for(lambda: not view.moving)
        assert rows(app) == bravo, "the last frame is the slide arrived at"


def shifts(old: str, new: str, row: str, width: int) -> set[int]:
    """Every shift of a forward move whose frame shows `row` between `old` and `new`."""
    old, new = old.ljust(width), new.ljust(width)
    return {s for s in range(width + 1) if (old[s:] + new[:s]) == row.ljust(width)}


class TickingClock(FakeClock):
    """A clock that, while `ticking`, moves on a little every time it is read, as a real
    one does while a frame is painted."""

    ticking = False

    def __call__(self) -> float:
        if self.ticking:
            self.now += DURATION / 100
        return self.now


async def test_every_row_of_a_frame_is_drawn_at_one_moment(write: WriteFiles) -> None:
    bravo = await second_slide_at_rest(write)
    clock = TickingClock()
    app = player(write, clock)
    async with app.run_test(size=(80, 20)) as pilot:
        alpha = rows(app)
        await pilot.press("right")
        view = app.query_one(SlideView)
        frames = []
        while view.moving:
            clock.advance(DURATION / 8)
            await pilot.pause(0.05)
            clock.ticking = True
            frame = rows(app)
            clock.ticking = False
            common = set(range(81))
            for old, new, row in zip(alpha, bravo, frame, strict=True):
                common &= shifts(old, new, row, 80)
            assert common, "rows of one frame moved by different amounts:\n" + "\n".join(frame)
            frames.append(frame)
        assert [f for f in frames if f not in (alpha, bravo)], "frames between the two slides"


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
        await wait_for(lambda: any("Charlie slide" in row for row in rows(app)))
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

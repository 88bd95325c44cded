"""The presenter pane: notes, next slide, timers and pace, with a clock the test controls."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from prexterm.app.factory import create_app
from prexterm.app.player import PlayerApp
from prexterm.app.presenter import PresenterPane
from prexterm.options import PlayerOptions
from tests.conftest import SEED_DECK, FakeClock, WriteFiles

WALL = 1_700_000_000.0


def app_for(deck: Path, clock: FakeClock, **extra: object) -> PlayerApp:
    options = PlayerOptions(
        deck=deck, watch=False, animate=False, clock=clock, wall_clock=lambda: WALL, **extra
    )  # type: ignore[arg-type]
    return create_app(options)


def pane_text(app: PlayerApp, widget_id: str) -> str:
    return str(app.query_one(PresenterPane).query_one(f"#{widget_id}", Static).render())


async def test_s_toggles_the_pane_with_notes_and_next_slide() -> None:
    app = app_for(SEED_DECK, FakeClock())
    async with app.run_test(size=(120, 30)) as pilot:
        assert not app.presenting
        assert not app.query(PresenterPane), "the pane is made when first opened"
        await pilot.press("s")
        assert app.presenting
        assert app.query_one(PresenterPane).region.width > 0
        assert "Building relationships based on trust" in pane_text(app, "notes")
        assert pane_text(app, "next").startswith("2. Shortly after")
        await pilot.press("right")
        assert pane_text(app, "notes") == "no notes"
        await pilot.press("s")
        assert not app.presenting
        assert app.query_one(PresenterPane).region.width == 0


async def test_a_pane_opened_later_is_laid_out_like_one_opened_at_start() -> None:
    """Its layout joins the stylesheet when it is first made, before or after the start."""
    regions = []
    for presenter, keys in ((True, ()), (False, ("s",))):
        app = app_for(SEED_DECK, FakeClock(), presenter=presenter)
        async with app.run_test(size=(140, 30)) as pilot:
            await pilot.press(*keys)
            pane = app.query_one(PresenterPane)
            regions.append((pane.region, app.query_one("#frame").region))
            assert pane.region.width == 44
            assert pane.styles.border_left[0] == "solid"
    assert regions[0] == regions[1]


async def test_next_preview_marks_photo_and_end_of_deck() -> None:
    app = app_for(SEED_DECK, FakeClock(), presenter=True, slide=25)
    async with app.run_test(size=(120, 30)) as pilot:
        assert "photo" in pane_text(app, "next")
        await pilot.press("end")
        assert pane_text(app, "next") == "end of deck"


async def test_pane_beside_on_wide_below_on_narrow() -> None:
    app = app_for(SEED_DECK, FakeClock(), presenter=True)
    async with app.run_test(size=(140, 30)) as pilot:
        pane = app.query_one(PresenterPane)
        slide = app.query_one("#frame")
        assert pane.region.x >= slide.region.right - 1
        assert pane.region.height == 30
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert pane.region.y >= slide.region.bottom - 1
        assert pane.region.width == 90
        assert "Made with Prexent | 1/40" in str(app.query_one("#footer").render())


async def test_timers_wait_for_the_first_move_then_pause_resume_reset() -> None:
    clock = FakeClock()
    app = app_for(SEED_DECK, clock, presenter=True)
    async with app.run_test(size=(120, 30)) as pilot:
        clock.advance(600)  # the deck opened ten minutes before the talk
        app.query_one(PresenterPane).tick()
        assert pane_text(app, "timers").startswith("0:00 not started")
        await pilot.press("right")  # the talk starts with its first move
        clock.advance(75)
        app.query_one(PresenterPane).tick()
        assert pane_text(app, "timers").startswith("1:15 elapsed")
        assert "slide 2/40" in pane_text(app, "timers")
        await pilot.press("right")
        clock.advance(20)
        app.query_one(PresenterPane).tick()
        assert "0:20 on this slide" in pane_text(app, "timers")
        await pilot.press("t")
        clock.advance(100)
        app.query_one(PresenterPane).tick()
        assert pane_text(app, "timers").startswith("1:35 elapsed (paused)")
        await pilot.press("t")
        clock.advance(5)
        app.query_one(PresenterPane).tick()
        assert pane_text(app, "timers").startswith("1:40 elapsed")
        await pilot.press("T")
        assert pane_text(app, "timers").startswith("0:00 elapsed")


async def test_t_starts_the_talk_clock_without_a_move() -> None:
    clock = FakeClock()
    app = app_for(SEED_DECK, clock, presenter=True)
    async with app.run_test(size=(120, 30)) as pilot:
        clock.advance(30)
        await pilot.press("t")
        clock.advance(12)
        app.query_one(PresenterPane).tick()
        assert pane_text(app, "timers").startswith("0:12 elapsed")
        assert "slide 1/40" in pane_text(app, "timers")


async def test_a_rehearsal_times_from_launch() -> None:
    clock = FakeClock()
    app = app_for(SEED_DECK, clock, presenter=True, rehearse=True, sync=False)
    async with app.run_test(size=(120, 30)):
        clock.advance(42)
        app.query_one(PresenterPane).tick()
        assert pane_text(app, "timers").startswith("0:42 elapsed")


async def test_pace_against_the_slides_window_of_an_even_schedule(write: WriteFiles) -> None:
    """10 slides in 10 minutes: slide n owns minute n; 10 s either side is on time."""
    deck = write({"deck.md": "\n---\n".join(f"# S{i}" for i in range(1, 11)) + "\n"})
    clock = FakeClock()
    app = app_for(deck, clock, presenter=True, duration=600.0)
    async with app.run_test(size=(120, 30)) as pilot:
        pane = app.query_one(PresenterPane)
        pace = pane.query_one("#pace", Static)

        def after(seconds: float) -> str:
            clock.advance(seconds)
            pane.tick()
            return str(pace.render())

        assert after(0) == "10:00 left · on time"
        await pilot.press("right", "right")  # slide 3 owns 2:00 to 3:00
        assert after(60) == "9:00 left · ahead 1:00"
        assert not pace.has_class("behind")
        assert after(55) == "8:05 left · on time"  # 5 s before its window: on time
        assert after(60) == "7:05 left · on time"  # inside its window
        assert after(15) == "6:50 left · on time"  # 10 s past its end: still on time
        assert after(1) == "6:49 left · behind 0:11"
        assert pace.has_class("behind")
        await pilot.press("right")  # slide 4 (3:00 to 4:00) at 3:11: never behind at once
        assert after(0) == "6:49 left · on time"
        assert not pace.has_class("behind")
        assert after(900).startswith("8:11 over · behind 14:11")


async def test_elapsed_and_left_add_up_to_the_duration(write: WriteFiles) -> None:
    deck = write({"deck.md": "# A\n---\n# B\n"})
    clock = FakeClock()
    app = app_for(deck, clock, presenter=True, duration=600.0)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("right")  # the talk starts
        pane = app.query_one(PresenterPane)
        for step in (0.4, 0.3, 9.9, 0.5, 0.99, 59.7):
            clock.advance(step)
            pane.tick()
            elapsed = pane_text(app, "timers").split()[0]
            left = str(pane.query_one("#pace", Static).render()).split()[0]
            minutes, seconds = (int(part) for part in elapsed.split(":"))
            left_minutes, left_seconds = (int(part) for part in left.split(":"))
            total = minutes * 60 + seconds + left_minutes * 60 + left_seconds
            assert total == 600, (elapsed, left)


async def test_no_pace_without_duration() -> None:
    app = app_for(SEED_DECK, FakeClock(), presenter=True)
    async with app.run_test(size=(120, 30)):
        assert not app.query_one(PresenterPane).query_one("#pace").display

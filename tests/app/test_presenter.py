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


async def test_timers_pause_resume_reset_and_time_on_slide() -> None:
    clock = FakeClock()
    app = app_for(SEED_DECK, clock, presenter=True)
    async with app.run_test(size=(120, 30)) as pilot:
        clock.advance(75)
        app.query_one(PresenterPane).tick()
        assert pane_text(app, "timers").startswith("1:15 elapsed")
        assert "slide 1/40" in pane_text(app, "timers")
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


async def test_pace_against_duration_warns_when_behind(write: WriteFiles) -> None:
    deck = write({"deck.md": "\n---\n".join(f"# S{i}" for i in range(1, 11)) + "\n"})
    clock = FakeClock()
    app = app_for(deck, clock, presenter=True, duration=600.0)
    async with app.run_test(size=(120, 30)) as pilot:
        pace = app.query_one(PresenterPane).query_one("#pace", Static)
        assert str(pace.render()) == "10:00 left · on time"
        await pilot.press("right", "right")  # slide 3 should start at 2:00
        clock.advance(60)
        app.query_one(PresenterPane).tick()
        assert str(pace.render()) == "9:00 left · ahead 1:00"
        assert not pace.has_class("behind")
        clock.advance(120)
        app.query_one(PresenterPane).tick()
        assert str(pace.render()) == "7:00 left · behind 1:00"
        assert pace.has_class("behind")
        clock.advance(900)
        app.query_one(PresenterPane).tick()
        assert str(pace.render()).startswith("8:00 over")


async def test_no_pace_without_duration() -> None:
    app = app_for(SEED_DECK, FakeClock(), presenter=True)
    async with app.run_test(size=(120, 30)):
        assert not app.query_one(PresenterPane).query_one("#pace").display

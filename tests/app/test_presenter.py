"""The presenter pane: notes, next slide, timers and pace, with a clock the test controls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Static

from prexterm.app.factory import create_app
from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp
from prexterm.app.presenter import (
    PresenterPane,
    pane_rows_below,
    plan_pane,
    progress_gives_way,
)
from tests.conftest import SAMPLES, SEED_DECK, FakeClock, WriteFiles, screen_text, wait_for

WALL = 1_700_000_000.0


def app_for(deck: Path, clock: FakeClock, **extra: object) -> PlayerApp:
    options = PlayerOptions(deck=deck, watch=False, clock=clock, wall_clock=lambda: WALL, **extra)  # type: ignore[arg-type]
    return create_app(options)


def pane_text(app: PlayerApp, widget_id: str) -> str:
    return str(app.query_one(PresenterPane).query_one(f"#{widget_id}", Static).render())


async def test_s_toggles_the_pane_with_notes_and_next_slide() -> None:
    app = app_for(SEED_DECK, FakeClock())
    async with app.run_test(size=(120, 30)) as pilot:
        assert not app.presenting
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


# -- the pane below the slide: notes first ---------------------------------------------

SEED_NOTE = "Building relationships based on trust to collaborate on technological projects."
TOUR = SAMPLES / "tour.md"
TOUR_SLIDE_9_NOTES = (
    "Code blocks are highlighted by language. Keep them short: a terminal slide has less "
    "room than a projector.",
    "Inside a fence nothing is special, so code may contain lines of dashes or bang lines "
    "without ending the slide.",
)


def pane_rows(app: PlayerApp) -> list[str]:
    """The rows of the screen under the footer (`… | N/M`): the pane below the slide."""
    rows = screen_text(app).splitlines()
    footer = max(i for i, row in enumerate(rows) if re.search(r"(^|\| )\d+/\d+$", row))
    return [row for row in rows[footer + 1 :] if row.strip("─")]  # not the pane's border


def reads(rows: list[str]) -> str:
    """Rows as one line of words: what a wrapped text says, wherever it was cut."""
    return " ".join(" ".join(rows).split())


@pytest.mark.parametrize("size", [(100, 30), (80, 24), (60, 20)])
async def test_the_seed_note_shows_whole_below_the_slide(size: tuple[int, int]) -> None:
    app = app_for(SEED_DECK, FakeClock(), presenter=True)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        rows = pane_rows(app)
        assert app.query_one(PresenterPane).region.y > 3, "the pane sits below the slide"
        assert f"• {SEED_NOTE}" in reads(rows), "\n".join(rows)
        assert rows[0].startswith("0:00 not started"), "the timers lead the pane"
        assert "For about a year now" in screen_text(app), "the slide is still there"


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_two_notes_of_the_tour_show_as_a_list(size: tuple[int, int]) -> None:
    app = app_for(TOUR, FakeClock(), presenter=True, slide=9)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        rows = pane_rows(app)
        text = reads(rows)
        for note in TOUR_SLIDE_9_NOTES:
            assert f"• {note}" in text, "\n".join(rows)
        marked = [i for i, row in enumerate(rows) if row.startswith("• ")]
        assert len(marked) == 2, "one mark per note"
        assert marked[1] == marked[0] + 2, "no blank line between notes"
        notes = pane_text(app, "notes").splitlines()
        assert notes[1].startswith("  ") and notes[1][2] != " ", (
            "the second line of a note hangs under its first word"
        )
        assert "next 10. A little HTML" in text, "the next slide's preview gave way, not gone"


async def test_the_pane_follows_the_terminal_height_and_the_next_preview_gives_way() -> None:
    app = app_for(SEED_DECK, FakeClock(), presenter=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.query_one(PresenterPane)
        short = pane.region.height
        assert pane.plan is not None and pane.plan.next < 1 + 3, "the preview is cut first"
        assert pane.plan.notes == 2
        await pilot.resize_terminal(80, 40)
        await pilot.pause()
        assert pane.region.height > short
        assert 'FOR" co-ops.' in reads(pane_rows(app)), "a taller pane shows the whole preview"


def long_notes_deck(write: WriteFiles) -> Path:
    notes = "".join(
        f"!comment Note {i}: say something useful about point {i} and look at the room.\n"
        for i in range(1, 9)
    )
    return write({"deck.md": f"# One\n\nSome text.\n{notes}---\n# Two\n\nMore.\n"})


async def test_long_notes_say_more_and_scroll_with_j_and_k(write: WriteFiles) -> None:
    app = app_for(long_notes_deck(write), FakeClock(), presenter=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = reads(pane_rows(app))
        assert "notes ▼ more notes (J)" in text
        assert "Note 1:" in text and "Note 8:" not in text
        assert "next 2. Two" in text, "the next slide keeps its title and first line"
        for _ in range(8):
            await pilot.press("J")
        text = reads(pane_rows(app))
        assert "Note 8: say something useful about point 8 and look at the room." in text
        assert "▲ earlier notes (K)" in text and "Note 1:" not in text
        await pilot.press("K")
        assert "▲▼ more notes (K / J)" in reads(pane_rows(app))
        await pilot.press("right", "left")
        assert "Note 1:" in reads(pane_rows(app)), "a new slide shows its notes from the top"


async def test_ascii_marks(write: WriteFiles) -> None:
    app = app_for(long_notes_deck(write), FakeClock(), presenter=True, ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = reads(pane_rows(app))
        assert "v more notes (J)" in text and "- Note 1:" in text and "•" not in text


@pytest.mark.parametrize("size", [(40, 12), (20, 6)])
async def test_small_terminals_keep_the_slide_and_the_notes(size: tuple[int, int]) -> None:
    app = app_for(SEED_DECK, FakeClock(), presenter=True)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = screen_text(app)
        assert "For about a" in screen, screen
        assert "• Building" in screen, screen
        if size == (40, 12):
            assert SEED_NOTE in reads(pane_rows(app)), "the notes alone, all of them"
        else:
            await pilot.press("J")
            assert "relationships" in reads(pane_rows(app)), "one row, scrolled by J"


def test_plan_gives_the_notes_their_rows_before_the_previews() -> None:
    roomy = plan_pane(20, fixed=2, note_lines=3, next_lines=4)
    assert (roomy.notes, roomy.next, roomy.spaced) == (3, 5, True)
    tight = plan_pane(8, fixed=2, note_lines=3, next_lines=4)
    assert (tight.notes, tight.next) == (3, 2)
    long = plan_pane(10, fixed=2, note_lines=30, next_lines=4)
    assert long.notes == 6 and long.next == 1, "the next slide keeps a row: title and line"
    alone = plan_pane(4, fixed=2, note_lines=3, next_lines=4)
    assert alone.notes_only and alone.notes == 4
    notes_view = plan_pane(20, fixed=3, note_lines=4, next_lines=4, current_lines=8)
    assert notes_view.notes == 4 and notes_view.current >= 2 and notes_view.next >= 2


def test_pane_height_follows_the_terminal_and_leaves_the_slide_rows() -> None:
    heights = {rows: pane_rows_below(rows) for rows in (6, 12, 20, 24, 30, 50)}
    assert heights[30] == 12 and heights[50] == 20 and heights[24] < heights[30]
    for rows, pane in heights.items():
        assert rows - pane - 3 >= 3 or rows == 6, rows
    assert progress_gives_way(6) and not progress_gives_way(7)


# -- prexterm notes ------------------------------------------------------------------------


async def test_notes_view_shows_its_status_and_s_only_says_so() -> None:
    app = app_for(SEED_DECK, FakeClock(), role="notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: "waiting for the presenter" in screen_text(app))
        assert screen_text(app).splitlines()[0].strip() == "waiting for the presenter…"
        before = screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        assert said == ["the notes view always shows the presenter pane"]
        screen = screen_text(app)
        assert app.presenting and screen == before, "s leaves the notes view as it was"
        assert SEED_NOTE.split()[0] in screen and "slide 1/40" in screen

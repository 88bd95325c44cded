"""The presenter's cockpit: keys from the settings, the white screen, peek, back, pace
learnt from a rehearsal and who watches from other terminals, as the screen shows them."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType

import pytest
from rich.color import Color
from textual.pilot import Pilot
from textual.widgets import Static

from prexterm.app.draw_ahead import FOLLOWER_DRAW_AHEAD_DELAY
from prexterm.app.factory import create_app
from prexterm.app.keys import configured_groups, keys_text, parse_key_settings
from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp
from prexterm.app.presenter import PresenterPane
from prexterm.app.screens import BlankScreen, HelpScreen
from prexterm.core.parser import load_deck
from prexterm.services.sync.follower import SyncFollower
from prexterm.services.sync.leader import SyncLeader
from prexterm.services.sync.protocol import Shared
from prexterm.timing.plan import slide_fingerprint
from prexterm.timing.rehearsal import Rehearsal, write_report
from tests.conftest import FakeClock, WriteFiles, screen_text

TEN = "\n---\n".join(f"# Slide {i}\n\n!comment note of slide {i}" for i in range(1, 11)) + "\n"


@pytest.fixture
def deck(write: WriteFiles) -> Path:
    return write({"deck.md": TEN})


def player(deck: Path, clock: FakeClock | None = None, **changes: object) -> PlayerApp:
    options = PlayerOptions(
        deck=deck,
        watch=False,
        sync=False,
        clock=clock or FakeClock(),
        wall_clock=lambda: 0.0,
    )
    return create_app(options._replace(**changes))  # type: ignore[arg-type]


async def until(pilot: Pilot[int], condition: Callable[[], bool]) -> None:
    for _ in range(400):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("condition not met in time")


def pane_text(app: PlayerApp) -> str:
    return screen_text(app).split("─" * 20)[-1]


# -- keys from the settings ------------------------------------------------------------------


async def test_rebound_keys_move_and_the_old_ones_no_longer_do(deck: Path) -> None:
    keys = parse_key_settings({"next": ["z", "pagedown"], "blank": "B"})
    app = player(deck, keys=MappingProxyType(keys))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("z")
        await until(pilot, lambda: "2/10" in screen_text(app))
        await pilot.press("right", "l", "pagedown")  # right and l are no longer next
        await until(pilot, lambda: "3/10" in screen_text(app))
        assert "4/10" not in screen_text(app)
        await pilot.press("b")
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_text = screen_text(app)
        assert "PgDn  z " in help_text, help_text
        assert "→  l  j" not in help_text
        assert "w  B " in help_text and "b  .  w" not in help_text
        await pilot.press("escape", "B")
        await until(pilot, lambda: isinstance(app.screen, BlankScreen))
        await pilot.press("B")
        await until(pilot, lambda: "Slide 3" in screen_text(app))


async def test_the_default_keys_are_the_key_maps(deck: Path) -> None:
    app = player(deck)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "l", "j", "space")
        await until(pilot, lambda: "5/10" in screen_text(app))
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "→  l  j  Space  PgDn  Enter  n" in screen_text(app)
        assert "b  .  w" in screen_text(app)


def test_the_help_of_a_rebound_action_lists_its_new_keys() -> None:
    groups = configured_groups(parse_key_settings({"peek": "P", "timer": ["t", "ctrl+t"]}))
    rows = {row.meaning: keys_text(row.keys) for _, rows in groups for row in rows}
    assert rows["peek at slides privately; Enter: go live"] == "P"
    assert rows["start, pause, resume / reset the talk clock"] == "t  Ctrl+T"


def test_a_key_an_action_gives_up_stays_in_the_rows_it_still_serves() -> None:
    groups = configured_groups(parse_key_settings({"next": ["z", "pagedown"]}))
    rows = {row.meaning: keys_text(row.keys) for _, rows in groups for row in rows}
    assert rows["next step or slide"] == "PgDn  z"
    assert rows["a slide number, then Enter: go there"] == "0-9  Enter"
    assert rows["search (marked); n / N: next / previous"] == "/  N", "n went with next"


# -- white screen ----------------------------------------------------------------------------


def _background(app: PlayerApp) -> Color | None:
    return app.screen.styles.background.rich_color


async def test_w_blanks_to_white_and_any_blank_key_returns(deck: Path) -> None:
    app = player(deck)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, BlankScreen))
        await pilot.pause()
        assert "Slide 1" not in screen_text(app)
        assert _background(app) == Color.from_rgb(255, 255, 255)
        await pilot.press("b")
        await until(pilot, lambda: "Slide 1" in screen_text(app))
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, BlankScreen))
        assert _background(app) == Color.from_rgb(0, 0, 0)


async def test_a_follow_view_turns_white_with_the_presenter(deck: Path) -> None:
    env = {"XDG_RUNTIME_DIR": os.environ["XDG_RUNTIME_DIR"]}
    leader = SyncLeader(deck, on_goto=lambda slide: None, env=env)
    leader.publish(2, 10, Shared("running", 10.0, 1.0, False))
    await leader.start()
    app = player(deck, sync=True, role="follow")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: "Slide 2" in screen_text(app))
            leader.publish(2, 10, Shared("running", 12.0, 3.0, True, white=True))
            await until(pilot, lambda: isinstance(app.screen, BlankScreen))
            await pilot.pause()
            assert _background(app) == Color.from_rgb(255, 255, 255)
            leader.publish(2, 10, Shared("running", 15.0, 6.0, True))  # w, then b
            await until(pilot, lambda: _background(app) == Color.from_rgb(0, 0, 0))
            leader.publish(2, 10, Shared("running", 16.0, 7.0, False))
            await until(pilot, lambda: "Slide 2" in screen_text(app))
            assert app.follower is not None
            await app.follower.close()
            await pilot.pause(FOLLOWER_DRAW_AHEAD_DELAY + 0.2)
    finally:
        await leader.close()


# -- peek and back ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(100, 30), (80, 24), (50, 16)])
async def test_peek_browses_privately_and_a_real_follower_does_not_move(
    deck: Path, size: tuple[int, int]
) -> None:
    app = player(deck, sync=True, presenter=True)
    seen: list[int] = []
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: app.leader is not None and app.leader.running)
        follower = SyncFollower(deck, role="follow", on_state=lambda n, _c, _s: seen.append(n))
        await follower.start()
        try:
            await until(pilot, lambda: seen == [1])
            await pilot.press("v", "right", "right")
            await until(pilot, lambda: "peeking at 4/10" in screen_text(app))
            text = pane_text(app)
            assert "note of slide 4" in text and "note of slide 1" not in text
            assert "1/10" in screen_text(app), "the slide on screen stays the live one"
            await pilot.press("left")
            await until(pilot, lambda: "peeking at 3/10" in screen_text(app))
            await pilot.press("escape")
            await until(pilot, lambda: "peeking" not in screen_text(app))
            assert "note of slide 1" in pane_text(app)
            await pilot.press("v", "enter")  # a peek starts at the next slide
            await until(pilot, lambda: seen[-1] == 2)
            assert seen == [1, 2], "the follower heard of the live move only"
            await until(pilot, lambda: "2/10" in screen_text(app))
            assert "peeking" not in screen_text(app)
        finally:
            await follower.close()


async def test_peek_in_the_notes_view_leaves_the_presenter_where_it_is(deck: Path) -> None:
    env = {"XDG_RUNTIME_DIR": os.environ["XDG_RUNTIME_DIR"]}
    gotos: list[int] = []
    leader = SyncLeader(deck, on_goto=lambda n, _s: gotos.append(n), env=env)
    leader.publish(5, 10, Shared("running", 10.0, 1.0, False))
    await leader.start()
    app = player(deck, sync=True, role="notes")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: app.number == 5)
            await pilot.press("v", "right", "right")
            await until(pilot, lambda: "peeking at 8/10" in screen_text(app))
            assert "note of slide 8" in screen_text(app)
            await pilot.press("v")
            await until(pilot, lambda: "peeking" not in screen_text(app))
            await pilot.press("v", "left", "left", "enter")
            await until(pilot, lambda: gotos == [4])
            assert app.follower is not None
            await app.follower.close()
            await pilot.pause(FOLLOWER_DRAW_AHEAD_DELAY + 0.2)
    finally:
        await leader.close()


def toasts(screen: str) -> str:
    """The text of the screen's notifications, their wrapped lines joined by spaces."""
    rows = [row.rsplit("▌", 1)[1].strip() for row in screen.splitlines() if "▌" in row]
    return " ".join(row for row in rows if row)


async def test_v_without_the_pane_says_where_peeking_shows(deck: Path) -> None:
    app = player(deck)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("v")
        await until(pilot, lambda: "s opens it" in toasts(screen_text(app)))
        assert app.talk.peeking is None


async def test_back_returns_to_the_slide_a_jump_left(deck: Path) -> None:
    app = player(deck)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "right")
        await until(pilot, lambda: "3/10" in screen_text(app))
        await pilot.press("8", "enter")
        await until(pilot, lambda: "8/10" in screen_text(app))
        await pilot.press("grave_accent")
        await until(pilot, lambda: "3/10" in screen_text(app))
        await pilot.press("grave_accent")
        await until(pilot, lambda: "8/10" in screen_text(app))
        await pilot.press("home")
        await until(pilot, lambda: "1/10" in screen_text(app))
        await pilot.press("grave_accent")
        await until(pilot, lambda: "8/10" in screen_text(app))
        await pilot.press("slash", *"Slide 5", "enter")
        await until(pilot, lambda: "5/10" in screen_text(app))
        await pilot.press("grave_accent")
        await until(pilot, lambda: "8/10" in screen_text(app))


async def test_back_before_any_jump_says_so(deck: Path) -> None:
    app = player(deck)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("right", "grave_accent")
        await until(pilot, lambda: "no jump to go back from" in toasts(screen_text(app)))
        assert "2/10" in screen_text(app)


# -- pace learnt from a rehearsal ------------------------------------------------------------


def _report(deck: Path, seconds: list[float], folder: Path) -> Path:
    slides = load_deck(deck).slides
    now = [0.0]
    rehearsal = Rehearsal(lambda: now[0], deck.name, [s.title for s in slides], None)
    for number, spent in enumerate(seconds, start=1):
        rehearsal.visit(number)
        now[0] += spent
    rehearsal.finish()
    rehearsal.fingerprints = [slide_fingerprint(s) for s in slides]
    rehearsal.deck_path = os.path.realpath(deck)
    return write_report(rehearsal.report(), folder / "report.json")


async def test_the_pane_paces_the_talk_by_the_rehearsal(deck: Path, tmp_path: Path) -> None:
    # Slides 1-8 rehearsed (slide 2 took long), 9 and 10 never reached.
    report = _report(deck, [30, 120, 30, 30, 30, 30, 30, 30], tmp_path)
    clock = FakeClock()
    app = player(deck, clock, presenter=True, duration=600.0, pace_from=report)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right")  # the clock starts with the first move: slide 2
        await until(pilot, lambda: "2/10" in screen_text(app))
        pane = app.query_one(PresenterPane)
        plan = pane.plan_pace
        assert plan is not None and plan.plan.unplanned == (9, 10)
        slide_two = plan.plan.seconds[1]
        clock.advance(60)
        pane.tick()
        await pilot.pause()
        text = pane_text(app)
        left = int(slide_two) - 60
        assert f"{left // 60}:{left % 60:02d} left on this slide" in text, text
        assert "no rehearsed time for slides 9-10" in text
        clock.advance(slide_two + 60)  # well past slide 2's end in the plan
        pane.tick()
        await pilot.pause()
        text = pane_text(app)
        assert "over on this slide" in text and "over since slide 2" in text, text
        assert pane.query_one("#pace", Static).has_class("behind")


async def test_a_report_of_another_deck_still_plans_every_slide(
    deck: Path, tmp_path: Path, write: WriteFiles
) -> None:
    other = write({"other/deck.md": "# Something else\n---\n# And more\n"})
    report = _report(other, [40, 50], tmp_path)
    app = player(deck, presenter=True, duration=600.0, pace_from=report)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "no rehearsed time for slides 1-10" in pane_text(app)
        assert "1:00 left on this slide" in pane_text(app), "an even share of 10 minutes"


# -- who is watching ---------------------------------------------------------------------------


async def test_the_pane_counts_the_views_and_warns_of_a_small_follower(write: WriteFiles) -> None:
    tall = "\n".join(f"- line {n}" for n in range(1, 30))
    deck = write({"deck.md": f"# Short\n\nhello\n---\n# Tall\n\n{tall}\n"})
    app = player(deck, sync=True, presenter=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.leader is not None and app.leader.running)
        small = SyncFollower(deck, role="follow", on_state=lambda n, c: None)
        small.size(80, 24)
        notes = SyncFollower(deck, role="notes", on_state=lambda n, c: None)
        await small.start()
        await notes.start()
        try:
            await until(pilot, lambda: "watching: 1 follow, 1 notes" in screen_text(app))
            assert "cut" not in screen_text(app), "slide 1 fits 80x24"
            await pilot.press("right")
            await until(pilot, lambda: "follower 1: 80x24, slide 2 cut" in screen_text(app))
            small.size(120, 60)
            await until(pilot, lambda: "cut" not in screen_text(app))
            await notes.close()
            await until(
                pilot,
                lambda: re.search(r"watching: 1 follow *$", screen_text(app), re.M) is not None,
            )
        finally:
            await small.close()
            await notes.close()


# -- sections ----------------------------------------------------------------------------------


async def test_the_pane_says_when_the_next_section_should_start(
    write: WriteFiles, tmp_path: Path
) -> None:
    slides = [f"# Slide {i}\n\ntext {i}" for i in range(1, 11)]
    slides[5] = "<!-- section: Demo -->\n" + slides[5]
    slides[3] += "\n\n```markdown\n<!-- section: Not one -->\n```"
    deck = write({"deck.md": "\n---\n".join(slides) + "\n"})
    clock = FakeClock()
    app = player(deck, clock, presenter=True, duration=600.0)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right")
        await until(pilot, lambda: "section Demo at 5:00 (slide 6)" in pane_text(app))
        assert "Not one" not in pane_text(app), "a mark inside fenced code is text"
        pane = app.query_one(PresenterPane)
        assert not pane.query_one("#pace", Static).has_class("behind")
        clock.advance(320)  # still on slide 2, 20 s after the demo should have begun
        pane.tick()
        await pilot.pause()
        assert "section Demo at 5:00 (slide 6), late 0:20" in pane_text(app)
        assert pane.query_one("#pace", Static).has_class("behind")
        await pilot.press("6", "enter")
        await until(pilot, lambda: "section Demo" not in pane_text(app))

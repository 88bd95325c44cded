"""Views in other terminals share the presenter's talk clock and blank screen.

Each test leads the talk itself with a `SyncLeader` on a private socket, and runs one
following player (notes or audience view) in the same event loop with a fake clock.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from prexterm.app.draw_ahead import FOLLOWER_DRAW_AHEAD_DELAY
from prexterm.app.factory import create_app
from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp
from prexterm.app.presenter import PresenterPane
from prexterm.app.screens import BlankScreen
from prexterm.services.sync.leader import SyncLeader
from prexterm.services.sync.protocol import Shared
from tests.conftest import FakeClock, WriteFiles, screen_text

Env = dict[str, str]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    """A short private runtime folder, for this test's socket only."""
    folder = tempfile.mkdtemp(prefix="pxa-", dir="/tmp")
    monkeypatch.setenv("XDG_RUNTIME_DIR", folder)
    try:
        yield {"XDG_RUNTIME_DIR": folder}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def view(deck: Path, clock: FakeClock, role: str) -> PlayerApp:
    options = PlayerOptions(deck=deck, watch=False, clock=clock, role=role, wall_clock=lambda: 0.0)
    return create_app(options)


async def until(pilot: Pilot[int], condition: Callable[[], bool]) -> None:
    for _ in range(300):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("condition not met in time")


async def quiet(app: PlayerApp, pilot: Pilot[int]) -> None:
    """Stop following before the view closes, as `q` does, once the slides a following
    view draws ahead after a move (`FOLLOWER_DRAW_AHEAD_DELAY`) are drawn."""
    if app.follower is not None:
        await app.follower.close()
    await pilot.pause(FOLLOWER_DRAW_AHEAD_DELAY + 0.2)


def timers(app: PlayerApp) -> str:
    return str(app.query_one(PresenterPane).query_one("#timers", Static).render())


@pytest.fixture
def deck(write: WriteFiles) -> Path:
    return write({"deck.md": "\n---\n".join(f"# Slide {i}" for i in range(1, 11)) + "\n"})


async def test_a_late_notes_view_shows_the_presenters_elapsed_time(deck: Path, env: Env) -> None:
    leader = SyncLeader(deck, on_goto=lambda slide: None, env=env)
    leader.publish(3, 10, Shared("running", 30.0, 4.0, False, 600.0))
    await leader.start()
    clock = FakeClock()
    app = view(deck, clock, "notes")  # started without --duration
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: app.number == 3 and app.talk.started)
            clock.advance(9)  # it runs on by itself from the state it was given
            app.query_one(PresenterPane).tick()
            assert timers(app).startswith("0:39 elapsed")
            assert "0:13 on this slide" in timers(app)
            pace = app.query_one(PresenterPane).query_one("#pace", Static)
            assert str(pace.render()) == "9:21 left · ahead 1:21", "the presenter's duration"
            leader.publish(3, 10, Shared("paused", 40.0, 14.0, True))  # `t`, then `b`
            await until(pilot, lambda: app.talk.paused)
            clock.advance(60)
            app.query_one(PresenterPane).tick()
            assert timers(app).startswith("0:40 elapsed (paused)")
            await pilot.pause(0.05)
            assert not isinstance(app.screen, BlankScreen), "the notes view never blanks"
            assert "Slide 3" in screen_text(app)
            await quiet(app, pilot)
    finally:
        await leader.close()


async def test_a_follow_view_blanks_with_the_presenter(deck: Path, env: Env) -> None:
    leader = SyncLeader(deck, on_goto=lambda slide: None, env=env)
    leader.publish(2, 10, Shared("running", 10.0, 1.0, False))
    await leader.start()
    app = view(deck, FakeClock(), "follow")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: "Slide 2" in screen_text(app))
            leader.publish(2, 10, Shared("running", 12.0, 3.0, True))
            await until(pilot, lambda: isinstance(app.screen, BlankScreen))
            await pilot.pause()
            assert "Slide" not in screen_text(app)
            leader.publish(2, 10, Shared("running", 15.0, 6.0, False))
            await until(pilot, lambda: not isinstance(app.screen, BlankScreen))
            await pilot.pause()
            assert "Slide 2" in screen_text(app)
            await quiet(app, pilot)
    finally:
        await leader.close()


async def test_t_in_the_notes_view_asks_the_presenter(deck: Path, env: Env) -> None:
    actions: list[str] = []
    leader = SyncLeader(deck, on_goto=lambda slide: None, on_timer=actions.append, env=env)
    leader.publish(1, 10, Shared("running", 5.0, 5.0, False))
    await leader.start()
    app = view(deck, FakeClock(), "notes")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: app.follower is not None and app.follower.connected)
            await pilot.press("t", "T")
            await until(pilot, lambda: actions == ["toggle", "reset"])
            assert not app.talk.paused, "only the presenter's answer changes the clock"
            await quiet(app, pilot)
    finally:
        await leader.close()


async def test_the_sync_link_can_be_asked_about_once_the_talk_has_ended(
    deck: Path, env: Env
) -> None:
    """The command line asks the presenter's view about its followers after the app has
    closed (to say where the views went): the talk's screen, which holds the sync link,
    outlives the app's screen stack."""
    app = create_app(PlayerOptions(deck=deck, watch=False, clock=FakeClock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.leader is not None)
        await pilot.press("q")
    assert app.screen_stack == []
    assert app.leader is not None and app.follower is None

"""Parts of the player, each mounted on its own in a small app.

The player tells its parts what changed (`prexterm.app.messages.tell`) and each part
handles its own news, so each can be understood, and changed, without the rest. These
tests hold each part to that: a part works with nothing around it but what it is given
and the messages it hears, and when one of these tests fails it points at that part,
not at the whole player.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from textual.app import ComposeResult
from textual.geometry import Size
from textual.notifications import SeverityLevel
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import WorkerState

from prexterm.app.blank import BlankCurtain
from prexterm.app.caches import SlideCaches
from prexterm.app.keys import KeySettings
from prexterm.app.messages import (
    BlankChanged,
    DeckReloaded,
    FirstSlideShown,
    StatusChanged,
    TalkClockChanged,
    TalkMessage,
    tell,
)
from prexterm.app.pictures import PictureDecoder, make_pictures
from prexterm.app.player import PlayerApp
from prexterm.app.reloader import Reloader
from prexterm.app.screens import BlankScreen
from prexterm.app.steady_app import SteadyApp
from prexterm.app.sync_bridge import SyncBridge
from prexterm.config import load_config
from prexterm.core.model import Deck
from prexterm.core.parser import load_deck
from prexterm.core.talk import Talk
from prexterm.render.palette import DARK
from prexterm.timing.clock import TalkClock
from tests.conftest import FakeClock, WriteFiles, screen_text, wait_for

SIZE = (60, 16)
SLIDE_TEXT = "Look at the slide"


class Heard(Widget):
    """Records the talk's news it hears, as a part of the player would handle it."""

    DEFAULT_CSS = "Heard { display: none; }"

    def __init__(self) -> None:
        super().__init__()
        self.news: list[TalkMessage] = []

    def on_blank_changed(self, event: BlankChanged) -> None:
        self.news.append(event)

    def on_status_changed(self, event: StatusChanged) -> None:
        self.news.append(event)

    def on_talk_clock_changed(self, event: TalkClockChanged) -> None:
        self.news.append(event)


class PartsApp(SteadyApp):
    """Mounts the parts it is given, and nothing else of the player.

    It has the player's stylesheet (which colours the blank screen) and, like the player,
    holds notices while its talk's screen is blank. What parts post to the app, and the
    notices they give, are kept for the test to read."""

    CSS_PATH = PlayerApp.CSS_PATH
    TITLE = ""
    """Screenshots name the app in a title line: this one says nothing there."""

    def __init__(self, *parts: Widget, talk: Talk | None = None) -> None:
        super().__init__()
        self.parts = parts
        self.talk = talk
        self.notices: list[str] = []
        self.decoded: list[int] = []
        self.loaded: list[Deck] = []
        self.arrived = asyncio.Event()
        """Set when a part posts the app something (a decoded picture, a read deck)."""

    def compose(self) -> ComposeResult:
        yield from self.parts

    @property
    def holding_notices(self) -> bool:
        return self.talk is not None and self.talk.blanked

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        self.notices.append(message)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def on_picture_decoder_decoded(self, event: PictureDecoder.Decoded) -> None:
        self.decoded.append(event.number)
        self.arrived.set()

    def on_reloader_loaded(self, event: Reloader.Loaded) -> None:
        self.loaded.append(event.deck)
        self.arrived.set()

    async def next_arrival(self, timeout: float = 8.0) -> None:
        """Wait for the next message a part posts to the app."""
        await asyncio.wait_for(self.arrived.wait(), timeout)
        self.arrived.clear()


def talk_of(count: int, clock: FakeClock | None = None, *, slide: int = 1) -> Talk:
    """A talk of `count` slides whose clock moves only when the test says (`FakeClock`)."""
    return Talk(count, TalkClock(clock or FakeClock(), started=False), slide=slide)


def groups_running(app: PartsApp) -> set[str]:
    """The groups of the app's workers that have not finished."""
    done = {WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED}
    return {worker.group for worker in app.workers if worker.state not in done}


def backgrounds(app: PartsApp) -> set[str]:
    """Every background colour the screen's cells show, from a screenshot of it (the
    window drawn around them has rounded corners, the cells crisp edges)."""
    cells = re.findall(r'<rect fill="(#[0-9a-f]{6})"[^>]*crispEdges', app.export_screenshot())
    return set(cells)


# -- BlankCurtain ---------------------------------------------------------------------------


def curtain_app(settings: KeySettings | None = None) -> tuple[PartsApp, BlankCurtain, Heard]:
    talk = talk_of(3)
    curtain = BlankCurtain(talk, settings)
    heard = Heard()
    return PartsApp(Static(SLIDE_TEXT), curtain, heard, talk=talk), curtain, heard


@pytest.mark.parametrize(("white", "colour"), [(False, "#000000"), (True, "#ffffff")])
async def test_blank_covers_the_slide_in_black_or_white(white: bool, colour: str) -> None:
    app, curtain, heard = curtain_app()
    async with app.run_test(size=SIZE) as pilot:
        assert SLIDE_TEXT in screen_text(app)
        assert backgrounds(app) != {colour}
        curtain.blank(white=white)
        await pilot.pause()
        assert isinstance(app.screen, BlankScreen)
        assert screen_text(app).strip() == "", "nothing of the slide shows through"
        assert backgrounds(app) == {colour}
        assert curtain.talk.blanked and curtain.talk.white == white
        assert [(e.blank, e.white) for e in heard.news if isinstance(e, BlankChanged)] == [
            (True, white)
        ]


async def test_the_blanking_keys_bring_the_slide_back() -> None:
    app, curtain, heard = curtain_app()
    async with app.run_test(size=SIZE) as pilot:
        for key in ("b", "full_stop", "w", "escape"):
            curtain.blank()
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, BlankScreen), key
            assert SLIDE_TEXT in screen_text(app), key
            assert not curtain.talk.blanked
        changes = [e.blank for e in heard.news if isinstance(e, BlankChanged)]
        assert changes == [True, False] * 4


async def test_a_key_from_the_settings_brings_the_slide_back(tmp_path: Path) -> None:
    settings = tmp_path / "config.toml"
    settings.write_text('[keys]\nblank = "z"\n', encoding="utf-8")
    app, curtain, _ = curtain_app(load_config(settings).keys)
    assert set(curtain.return_keys) == {"z", "w"}
    async with app.run_test(size=SIZE) as pilot:
        curtain.blank()
        await pilot.pause()
        await pilot.press("b")  # no longer a blanking key: the screen stays blank
        await pilot.pause()
        assert isinstance(app.screen, BlankScreen)
        assert SLIDE_TEXT not in screen_text(app)
        await pilot.press("z")
        await pilot.pause()
        assert not isinstance(app.screen, BlankScreen)
        assert SLIDE_TEXT in screen_text(app)


async def test_notices_given_while_blank_show_once_the_slide_is_back() -> None:
    app, curtain, _ = curtain_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        curtain.blank()
        await pilot.pause()
        app.notify("program finished", timeout=30)
        await pilot.pause()
        assert "program finished" not in screen_text(app)
        await pilot.press("b")
        await wait_for(lambda: "program finished" in screen_text(app))
        assert SLIDE_TEXT in screen_text(app)


async def test_notices_on_screen_go_when_the_screen_blanks() -> None:
    app, curtain, _ = curtain_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.notify("said before", timeout=30)
        await wait_for(lambda: "said before" in screen_text(app))
        curtain.blank()
        await pilot.pause()
        assert screen_text(app).strip() == ""


async def test_nothing_blanks_once_the_talk_is_quitting() -> None:
    app, curtain, heard = curtain_app()
    async with app.run_test(size=SIZE) as pilot:
        app.quitting = True  # `q` was pressed: a `b` typed after it changes nothing
        curtain.blank()
        await pilot.pause()
        assert not isinstance(app.screen, BlankScreen)
        assert SLIDE_TEXT in screen_text(app)
        assert not curtain.talk.blanked and heard.news == []


async def test_the_presenters_blank_screen_comes_and_goes_in_a_following_view() -> None:
    app, curtain, heard = curtain_app()
    async with app.run_test(size=SIZE) as pilot:
        # Told on the screen under the blank one, as the sync part there tells it.
        tell(heard, SyncBridge.BlankShared(True))
        await wait_for(lambda: isinstance(app.screen, BlankScreen))
        await pilot.pause()
        assert backgrounds(app) == {"#000000"}
        tell(heard, SyncBridge.BlankShared(True, white=True))
        await wait_for(lambda: backgrounds(app) == {"#ffffff"})
        assert isinstance(app.screen, BlankScreen) and curtain.talk.white
        tell(heard, SyncBridge.BlankShared(False))
        await wait_for(lambda: SLIDE_TEXT in screen_text(app))
        assert not curtain.talk.blanked
        changes = [(e.blank, e.white) for e in heard.news if isinstance(e, BlankChanged)]
        assert changes == [(True, False), (False, False), (True, True), (False, False)]


# -- PictureDecoder -------------------------------------------------------------------------

PHOTO_DECK = "# Intro\n---\n!slide_background red.png\n"
AREA = Size(40, 12)


def photo_deck(write: WriteFiles) -> Deck:
    """A deck whose second slide is a photo of a small red picture."""
    image = pytest.importorskip("PIL.Image")
    path = write({"deck.md": PHOTO_DECK})
    image.new("RGB", (64, 32), (200, 30, 40)).save(path.parent / "red.png")
    return load_deck(path)


def decoder_app(deck: Deck, talk: Talk) -> tuple[PartsApp, PictureDecoder]:
    pictures = make_pictures("halfblock", mono=False, ascii_only=False, root=deck.root)
    decoder = PictureDecoder(SlideCaches(DARK, pictures, ascii_only=False), talk)
    return PartsApp(decoder, talk=talk), decoder


async def test_a_photo_is_decoded_once_then_ready(write: WriteFiles) -> None:
    deck = photo_deck(write)
    photo = deck.slides[1]
    assert photo.photo and photo.background is not None and photo.background.path is not None
    talk = talk_of(2, slide=2)
    app, decoder = decoder_app(deck, talk)
    async with app.run_test(size=SIZE):
        assert not decoder.pending(deck.slides[0], AREA), "a slide without pictures is ready"
        assert decoder.pending(photo, AREA)
        await app.next_arrival()
        assert app.decoded == [2]
        assert not decoder.pending(photo, AREA), "decoded already: shown at once"
        picture = decoder.pictures.cache.get(photo.background.path, AREA.width, AREA.height)
        assert picture is not None and picture.image is not None
        assert picture.image.convert("RGB").getpixel((0, 0)) == (200, 30, 40)


async def test_a_photo_the_talk_has_left_is_not_decoded(write: WriteFiles) -> None:
    deck = photo_deck(write)
    photo = deck.slides[1]
    talk = talk_of(2, slide=1)  # the talk is on the first slide, not on the photo
    app, decoder = decoder_app(deck, talk)
    async with app.run_test(size=SIZE):
        assert decoder.pending(photo, AREA)
        await app.next_arrival()
        assert app.decoded == [2], "the decoder still says it is done with the slide"
        assert decoder.pending(photo, AREA), "but the photo was left undecoded"
        await app.next_arrival()  # the second try, as unwanted as the first
        assert photo.background is not None and photo.background.path is not None
        assert decoder.pictures.cache.get(photo.background.path, AREA.width, AREA.height) is None


async def test_no_pictures_means_nothing_to_wait_for(write: WriteFiles) -> None:
    deck = photo_deck(write)
    talk = talk_of(2, slide=2)
    pictures = make_pictures("none", mono=False, ascii_only=False, root=deck.root)
    decoder = PictureDecoder(SlideCaches(DARK, pictures, ascii_only=False), talk)
    app = PartsApp(decoder, talk=talk)
    async with app.run_test(size=SIZE) as pilot:
        assert not decoder.pending(deck.slides[1], AREA)
        await pilot.pause()
        assert app.decoded == []
        assert "pictures" not in groups_running(app)


# -- Reloader -------------------------------------------------------------------------------

DECK = "# One\n\nhello\n---\n# Two\n"


def reloader_app(path: Path, *, follow_saves: bool) -> tuple[PartsApp, Reloader, Heard]:
    deck = load_deck(path)
    reloader = Reloader(deck, path, None, follow_saves=follow_saves)
    heard = Heard()
    return PartsApp(reloader, heard), reloader, heard


def titles(deck: Deck) -> list[str]:
    return [slide.title for slide in deck.slides]


async def test_without_following_saves_no_watcher_starts(write: WriteFiles) -> None:
    app, _, _ = reloader_app(write({"deck.md": DECK}), follow_saves=False)
    async with app.run_test(size=SIZE) as pilot:
        tell(app.screen, FirstSlideShown())
        await pilot.pause()
        assert "watch" not in groups_running(app)


async def test_following_saves_watches_from_the_first_slide(write: WriteFiles) -> None:
    path = write({"deck.md": DECK})
    app, reloader, _ = reloader_app(path, follow_saves=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "watch" not in groups_running(app), "nothing is watched before the first slide"
        tell(app.screen, FirstSlideShown())
        await wait_for(lambda: "watch" in groups_running(app))
        # The watcher takes a moment to start: save until a save is read.
        for attempt in range(40):
            path.write_text(f"# Saved {attempt}\n", encoding="utf-8")
            try:
                await app.next_arrival(timeout=0.25)
                break
            except asyncio.TimeoutError:  # not the built-in one before Python 3.11
                continue
        assert app.loaded and titles(app.loaded[-1])[0].startswith("Saved")
        assert reloader.deck is app.loaded[-1]


async def test_reloading_an_unchanged_deck_says_so_once(write: WriteFiles) -> None:
    path = write({"deck.md": DECK})
    app, reloader, _ = reloader_app(path, follow_saves=False)
    async with app.run_test(size=SIZE) as pilot:
        reloader.reload()
        await app.next_arrival()
        assert titles(app.loaded[0]) == ["One", "Two"]
        assert app.notices == [], "said once the player has shown it"
        tell(app.screen, DeckReloaded(app.loaded[0], restyled=False))
        await pilot.pause()
        assert app.notices == ["deck unchanged"]
        tell(app.screen, DeckReloaded(app.loaded[0], restyled=False))
        await pilot.pause()
        assert app.notices == ["deck unchanged"], "said once"


async def test_reloading_a_changed_or_restyled_deck_says_nothing(write: WriteFiles) -> None:
    path = write({"deck.md": DECK})
    app, reloader, _ = reloader_app(path, follow_saves=False)
    async with app.run_test(size=SIZE) as pilot:
        reloader.reload()
        await app.next_arrival()
        tell(app.screen, DeckReloaded(app.loaded[-1], restyled=True))  # its styles changed
        await pilot.pause()
        path.write_text("# Uno\n---\n# Two\n", encoding="utf-8")
        reloader.reload()
        await app.next_arrival()
        assert titles(app.loaded[-1]) == ["Uno", "Two"]
        tell(app.screen, DeckReloaded(app.loaded[-1], restyled=False))
        await pilot.pause()
        assert app.notices == []


async def test_a_broken_save_is_not_loaded_and_says_why(
    write: WriteFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write({"deck.md": DECK})
    monkeypatch.chdir(path.parent)
    app, reloader, heard = reloader_app(path, follow_saves=False)
    async with app.run_test(size=SIZE) as pilot:
        good = reloader.deck
        path.write_bytes(b"# One\n\nhel\xff\xfelo\n---\n# Two\n")
        reloader.reload()
        await wait_for(lambda: reloader.problem is not None)
        await pilot.pause()
        assert reloader.problem == "deck.md:3: invalid UTF-8 at byte offset 10"
        assert app.loaded == []
        assert reloader.deck is good, "the last good version stays"
        said = [e.said for e in heard.news if isinstance(e, StatusChanged)]
        assert said == [{"reload": "deck.md:3: invalid UTF-8 at byte offset 10"}]
        assert app.notices == [
            "deck.md:3: invalid UTF-8 at byte offset 10\nshowing the last good version"
        ]
        # Mended: read again, and the status line hears the problem is over.
        path.write_text("# One\n\nhello again\n---\n# Two\n", encoding="utf-8")
        reloader.reload()
        await app.next_arrival()
        await pilot.pause()
        assert reloader.problem is None
        assert [e.said for e in heard.news if isinstance(e, StatusChanged)][-1] == {"reload": None}


# -- SyncBridge -----------------------------------------------------------------------------


def bridge_app(
    path: Path, clock: FakeClock, *, sync: bool = False
) -> tuple[PartsApp, SyncBridge, Heard]:
    talk = talk_of(3, clock)
    bridge = SyncBridge(talk, path, role="leader", adopt=False, sync=sync)
    heard = Heard()
    return PartsApp(bridge, heard, talk=talk), bridge, heard


def clock_news(heard: Heard) -> list[tuple[str | None, bool, bool, str]]:
    return [
        (e.used, e.was_started, e.remote, e.state.mode)
        for e in heard.news
        if isinstance(e, TalkClockChanged)
    ]


async def test_the_timer_keys_start_pause_and_reset_the_talk_clock(write: WriteFiles) -> None:
    clock = FakeClock()
    app, bridge, heard = bridge_app(write({"deck.md": DECK}), clock)
    talk = bridge.talk
    async with app.run_test(size=SIZE) as pilot:
        clock.advance(60)  # before the talk: not counted
        assert not talk.started and talk.elapsed == 0
        bridge.use_timer("toggle")
        await pilot.pause()
        assert talk.started and not talk.paused
        assert clock_news(heard) == [("toggle", False, False, "running")]
        clock.advance(30)
        assert talk.elapsed == 30
        bridge.use_timer("toggle")
        await pilot.pause()
        assert talk.paused
        clock.advance(30)
        assert talk.elapsed == 30, "a paused clock stands still"
        bridge.use_timer("reset")
        await pilot.pause()
        assert talk.elapsed == 0 and talk.paused, "reset keeps the clock paused"
        assert clock_news(heard)[1:] == [
            ("toggle", True, False, "paused"),
            ("reset", True, False, "paused"),
        ]
        bridge.use_timer("toggle")
        clock.advance(5)
        assert talk.elapsed == 5 and not talk.paused


async def test_playing_alone_starts_no_sync(write: WriteFiles) -> None:
    app, bridge, _ = bridge_app(write({"deck.md": DECK}), FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        tell(app.screen, FirstSlideShown())
        await pilot.pause()
        assert "sync" not in groups_running(app)
        assert bridge.leader is None and bridge.follower is None


async def test_sharing_the_talk_leads_from_the_first_slide(write: WriteFiles) -> None:
    app, bridge, _ = bridge_app(write({"deck.md": DECK}), FakeClock(), sync=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert bridge.leader is None, "nothing is shared before the first slide"
        tell(app.screen, FirstSlideShown())
        await wait_for(lambda: bridge.leader is not None)
        await bridge.close()

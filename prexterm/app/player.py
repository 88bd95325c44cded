"""The player: the talk, and the keys that move it.

The app holds the talk (`prexterm.core.talk.Talk`), changes it as keys ask, and tells its
screen (`prexterm.app.talk_screen`) through messages (`prexterm.app.messages`); each part
on the screen handles what concerns it: the slide area and its frame, the presenter pane,
live code, pictures, drawing ahead, the slide's styling, views in other terminals, the
rehearsal's stopwatch, the reload. Keys that work a part of the screen without moving the
talk run on the screen itself.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.binding import BindingType

from prexterm.app.appearance import dress
from prexterm.app.code_stage import CodeStage
from prexterm.app.frame import SlideFooter, StatusLine
from prexterm.app.keys import configured_groups, player_bindings
from prexterm.app.live_code import CodeState
from prexterm.app.messages import (
    DeckReloaded,
    FirstSlideShown,
    OverlayChanged,
    PeekChanged,
    SearchChanged,
    SlideChanged,
    StatusChanged,
    TalkMessage,
    TerminalResized,
    tell,
)
from prexterm.app.options import PlayerOptions
from prexterm.app.pictures import PictureDecoder
from prexterm.app.reloader import Reloader
from prexterm.app.screens import open_overlay
from prexterm.app.search import SearchLine
from prexterm.app.steady_app import SteadyApp
from prexterm.app.styling import restyle_deck
from prexterm.app.sync_bridge import SyncBridge
from prexterm.app.talk_screen import TalkScreen
from prexterm.core.changes import index_after_reload
from prexterm.core.model import Deck, Slide
from prexterm.core.talk import Move, Talk
from prexterm.render.slide import CODE_BLOCK_META
from prexterm.timing.clock import TalkClock

if TYPE_CHECKING:
    from prexterm.services.code_runner import CodeRunner
    from prexterm.services.sync.follower import SyncFollower
    from prexterm.services.sync.leader import SyncLeader
    from prexterm.timing.rehearsal import Rehearsal


class PlayerApp(SteadyApp):
    """Plays a deck full-screen. Build it with `prexterm.app.factory.create_app`."""

    CSS_PATH = Path(__file__).with_name("prexterm.tcss")
    """Beside this module, whatever module a subclass lives in."""
    TITLE = "prexterm"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS: ClassVar[list[BindingType]] = player_bindings()
    """Every key of `prexterm.app.keys.KEYS` as the key map binds it by default (see
    `prexterm.app.factory.player_class` for the keys a settings file changes); Tab and
    Ctrl+C take priority over widgets."""

    def __init__(self, deck: Deck, options: PlayerOptions) -> None:
        # With no colour wanted, Textual's colour filter must drop colours, not grey them.
        super().__init__(ansi_color=True if options.no_color else None)
        self.deck = deck
        self.options = options
        self.ascii_only = options.ascii
        self.look, self.theme_problem, self.pictures, self.caches, self.deck_styles = dress(
            self, deck, options
        )
        self.palette = self.look.palette
        # A talk's clock waits for the first move or `t`; a rehearsal times from launch.
        self.talk = Talk(
            len(deck.slides),
            TalkClock(options.clock, started=options.rehearse),
            slide=options.slide,
            leads=options.role == "leader",
            duration=options.duration,
            steps=[slide.steps for slide in deck.slides],
        )
        """Where the talk stands: what every view of it shares."""
        self.code = CodeState()
        """The selected code blocks, their scrolling and their unsaved edits."""
        self.reloads = 0
        """How many reloads replaced the deck, counted once the footer shows the new version:
        lets tests and benchmarks wait for one."""
        self.rehearsal: Rehearsal | None = None
        if options.rehearse:
            from prexterm.timing.rehearsal import Rehearsal

            titles = [slide.title for slide in deck.slides]
            self.rehearsal = Rehearsal(options.clock, deck.display_path, titles, options.duration)

    def get_default_screen(self) -> TalkScreen:
        """The talk's own screen, which holds every part of it (`prexterm.app.talk_screen`)."""
        return self.main_screen

    @property
    def holding_notices(self) -> bool:
        """A blank screen shows nothing: notices wait for the slide to be back."""
        return self.talk.blanked

    @cached_property
    def main_screen(self) -> TalkScreen:
        """The talk's screen, under any overlay: parts are looked up there, so a reload or a
        follower's move while the overview is open still finds them; and it is kept once the
        app has closed, for what the command line asks of the sync link afterwards."""
        return TalkScreen(self)

    def _tell(self, message: TalkMessage) -> None:
        """Tell every part of the talk's screen that handles `message`."""
        if self.screen_stack:  # not once the screen is taken down
            tell(self.main_screen, message)

    @property
    def runner(self) -> CodeRunner:
        """Runs `!code` blocks; made on first use."""
        return self.main_screen.code_stage.runner

    @property
    def follower(self) -> SyncFollower | None:
        """The link to the presenter, in a view that follows one."""
        return self.main_screen.sync.follower

    @property
    def leader(self) -> SyncLeader | None:
        """The views' server, in the presenter's view (kept until the process ends)."""
        return self.main_screen.sync.leader

    @property
    def presenting(self) -> bool:
        """Whether the presenter pane is showing."""
        return self.main_screen.presenting

    # -- starting ------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.app_resume_signal.subscribe(self, self._resumed)

    def on_resize(self, event: events.Resize) -> None:
        """The terminal's size, for the parts that follow it (the app hears of it once its
        screen is laid out, at start too)."""
        self._tell(TerminalResized(event.size.width, event.size.height))

    def show_talk(self) -> None:
        """Show where the talk stands: the first slide, once every part of the screen is in
        place to hear of it (`TalkScreen` calls this when it has mounted them)."""
        self._show()

    def _resumed(self, _app: object) -> None:
        """Back from Ctrl+Z (`fg`): the shell had the terminal, so every cell is drawn again."""
        self.refresh(layout=True)

    def on_ready(self) -> None:
        """The audience sees the first slide: what waits for it starts once the widgets have
        laid themselves out at the terminal's size too."""
        self.first_slide_shown()
        self.call_after_refresh(self._tell, FirstSlideShown())

    def first_slide_shown(self) -> None:
        """Runs once, on the event loop, when the first slide is on screen: a hook for
        whoever runs the player (the command line holds the signals that would end the
        talk, and pauses the garbage collector, until then; see `prexterm.app.run`)."""

    # -- the talk ------------------------------------------------------------------------

    @property
    def slide(self) -> Slide | None:
        return self.deck.slides[self.index] if self.deck.slides else None

    @property
    def index(self) -> int:
        """The 0-based index of the slide on screen in the deck's slides."""
        return max(0, self.talk.slide - 1)

    @property
    def number(self) -> int:
        """The 1-based number of the slide on screen."""
        return self.index + 1

    @property
    def matches(self) -> list[int]:
        """The numbers of the slides the search found."""
        return list(self.talk.search.matches) if self.talk.search is not None else []

    def go(self, number: int, *, step: int = 1, remote: bool = False) -> None:
        """Show slide `number` at `step`, clamped to the deck: navigation stops at both ends.

        `remote`: another view of the talk moved there, and knows of it already."""
        self._moved(self.talk.go_to(number, step), remote=remote)

    def _moved(self, move: Move | None, *, remote: bool = False) -> None:
        """Show the slide and step a move of the talk went to, if it went anywhere."""
        if move is not None and move.changed:
            self._show(moved=True, remote=remote)

    def _show(self, *, moved: bool = False, remote: bool = False) -> None:
        """Tell the screen which slide the talk is on, once its pictures are decoded."""
        slide = self.slide
        screen = self.main_screen
        if slide is not None and screen.query_one(PictureDecoder).pending(slide, screen.view.size):
            return  # shown as soon as its pictures are decoded
        count = len(self.deck.slides)
        following = self.deck.slides[slide.number] if slide and slide.number < count else None
        look = self.deck_styles.look(slide.classes) if slide is not None else None
        self._tell(
            SlideChanged(
                slide, following, count, look=look, step=self.talk.step, moved=moved, remote=remote
            )
        )

    def on_picture_decoder_decoded(self, event: PictureDecoder.Decoded) -> None:
        if self.number == event.number:
            self._show()

    def on_sync_bridge_moved(self, event: SyncBridge.Moved) -> None:
        self._moved(event.move, remote=True)

    def on_code_stage_edited(self, _event: CodeStage.Edited) -> None:
        self._show()

    def _tell_status(self) -> None:
        self._tell(StatusChanged())

    # -- actions: the keys that move the talk --------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While an overlay is open only quitting and suspending reach the player; the overlay
        owns the other keys. While the editor is open, only Escape closes it.

        Once quitting has begun nothing else runs: an overlay pushed while the app shuts
        down would be mounted half-way and end the talk with a traceback.
        """
        if self.quitting:
            return False
        if action == "quit":
            return True
        editing = self.main_screen.code_stage.editing is not None
        if action == "suspend_process":  # the editor and the search line undo with Ctrl+Z
            return not editing and not self.main_screen.searching
        if editing:
            return action == "escape"
        return self.screen is self.main_screen

    def action_next(self) -> None:
        if not self.main_screen.pane.peek_by(1):
            self._moved(self.talk.next())

    def action_previous(self) -> None:
        if not self.main_screen.pane.peek_by(-1):
            self._moved(self.talk.previous())

    def action_next_slide(self) -> None:
        self._moved(self.talk.next_slide())

    def action_previous_slide(self) -> None:
        self._moved(self.talk.previous_slide())

    def action_reveal_all(self) -> None:
        self._moved(self.talk.reveal_all())

    def action_page_down(self) -> None:
        """Space and PgDn (what clickers send): a screenful further down a long slide,
        then the next slide, so a slide taller than the screen can be read to its end.

        While the slide has steps to show, the next step comes first: the room of a
        hidden step is blank, and paging into it would show the audience nothing."""
        screen = self.main_screen
        if screen.pane.peek_by(1):
            return
        if self.talk.step < self.talk.last_step or not screen.view.page(1):
            self.action_next()

    def action_page_up(self) -> None:
        """PgUp: a screenful back up a long slide, then the previous slide."""
        screen = self.main_screen
        if not screen.pane.peek_by(-1) and not screen.view.page(-1):
            self.action_previous()

    def action_first(self) -> None:
        self._moved(self.talk.first())

    def action_last(self) -> None:
        self._moved(self.talk.last())

    def action_g(self) -> None:
        self._moved(self.talk.press_g())

    def action_go_back(self) -> None:
        """The backtick: the slide the last go-to, overview jump, search, Home or End left."""
        move = self.talk.back()
        if move is None:
            self.notify("no jump to go back from yet", timeout=3)
        self._moved(move)

    def action_digit(self, digit: int) -> None:
        self.talk.type_digit(digit)
        self._tell_status()

    def action_enter(self) -> None:
        peeked, typed = self.talk.peeking, self.talk.typed
        move = self.talk.enter()
        if peeked is not None:  # the peeked slide went live
            self._tell(PeekChanged(None, None, len(self.deck.slides)))
        self._moved(move)
        if typed and peeked is None:
            self._tell_status()
            count = len(self.deck.slides)
            if count and move.clamped:
                self.notify(f"no slide {int(typed)}: went to {self.number}/{count}", timeout=4)

    def action_backspace(self) -> None:
        if self.talk.erase_digit():
            self._tell_status()
        else:
            self.action_page_up()

    def action_escape(self) -> None:
        """Escape backs out of one thing at a time: editor, search, program, panel, peek,
        typing."""
        screen = self.main_screen
        if screen.code_stage.editing is not None:
            screen.code_stage.close_editor()
        elif screen.searching:
            screen.search_line.close()
        elif not screen.code_stage.stop_or_close() and not screen.pane.stop_peeking():
            self.talk.cancel()
            self._tell(SearchChanged(None))
            self._tell_status()

    def on_key(self, event: events.Key) -> None:
        if event.key != "g":
            self.talk.other_key()

    def on_click(self, event: events.Click) -> None:
        """A left click on a code block selects it; elsewhere on the slide, a click on the
        right half of the screen goes on, on the left half back."""
        screen = self.main_screen
        if self.screen is not screen or screen.code_stage.editing is not None or screen.searching:
            return
        if event.button != 1:
            return  # a right or middle click is often a slip, or the terminal's own menu
        clicked_code = event.style.meta.get(CODE_BLOCK_META) if event.style else None
        if isinstance(clicked_code, int) and self.slide is not None:
            screen.code_stage.select(clicked_code)
        elif event.screen_x >= self.size.width // 2:
            self.action_next()
        else:
            self.action_previous()

    def action_tab(self, step: int) -> None:
        """Tab selects the next code block, or, on a slide with fewer than two, opens the
        overview."""
        if not self.main_screen.code_stage.tab(step) and step > 0:
            self.action_overview()

    def action_next_or_match(self, step: int) -> None:
        if not self.main_screen.search_line.match(step):
            self.action_next()

    def on_search_line_moved(self, event: SearchLine.Moved) -> None:
        self._moved(event.move)

    def on_search_line_emptied(self, _event: SearchLine.Emptied) -> None:
        self.action_escape()

    def action_overview(self) -> None:
        from prexterm.app.screens import OverviewScreen

        def jump(number: int | None) -> None:
            if number is not None:
                self._moved(self.talk.jump_to(number))

        overview = OverviewScreen(self.deck, self.number, ascii_only=self.ascii_only)
        open_overlay(self.main_screen, overview, jump)

    def action_help(self) -> None:
        from prexterm.app.screens import HelpScreen

        groups = configured_groups(self.options.keys)
        open_overlay(self.main_screen, HelpScreen(ascii_only=self.ascii_only, groups=groups))

    async def action_quit(self) -> None:
        self.quitting = True
        self._tell(OverlayChanged(True))
        await self.main_screen.code_stage.shutdown()
        await self.main_screen.sync.close()
        self.exit(0)

    # -- live reload ---------------------------------------------------------------------

    def on_reloader_loaded(self, event: Reloader.Loaded) -> None:
        self.apply_deck(event.deck)

    @property
    def reload_problem(self) -> str | None:
        """Why the last save could not be shown (the last good deck stays on screen), once
        the status line says so."""
        status = self.main_screen.query(StatusLine) if self.screen_stack else None
        return status.first().said.get("reload") if status else None

    def apply_deck(self, deck: Deck) -> None:
        """Show a new version of the deck, on the slide the edit is about."""
        old, self.deck = self.deck, deck
        self.deck_styles, new_problems, restyled = restyle_deck(self, deck, self.deck_styles)
        number = index_after_reload(old, deck, self.index) + 1
        self.talk.deck_changed(
            len(deck.slides),
            number,
            steps=[slide.steps for slide in deck.slides],
            # An edit to the slide on screen keeps what the audience sees of it.
            step=self.talk.step if number == self.talk.slide else 1,
        )
        self._tell(DeckReloaded(deck, new_problems, restyled=restyled))
        self._show()
        # Counted once the footer has the new version: it hears of it before this runs.
        self.main_screen.query_one(SlideFooter).call_later(self._count_reload)

    def _count_reload(self) -> None:
        self.reloads += 1

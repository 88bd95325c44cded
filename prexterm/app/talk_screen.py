"""The screen of a talk: what the audience sees, the presenter pane, the parts that show
nothing but act on the talk's news, and the keys that work a part of the screen.

The player (`prexterm.app.player`) holds the talk and runs the keys that move it; the keys
that work one part of the screen without moving the talk (live code, the search line, the
presenter pane and its clock, the blank screen, the reload) are bound in the same key map
as `screen.` actions and run here. Textual runs a `screen.` action on the screen on top,
so while an overlay is up, these keys reach the overlay, which has none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Container
from textual.screen import Screen

from prexterm.app.blank import BlankCurtain
from prexterm.app.code_stage import CodeStage
from prexterm.app.draw_ahead import DrawAhead
from prexterm.app.frame import AudienceFrame, TooSmall
from prexterm.app.kitty_layer import KittyPictures
from prexterm.app.pictures import PictureDecoder
from prexterm.app.reloader import Reloader
from prexterm.app.search import SearchLine
from prexterm.app.slide_styling import SlideStyling
from prexterm.app.slide_view import SlideView
from prexterm.app.steady_app import SteadyApp
from prexterm.app.style_notices import StyleNotices
from prexterm.app.sync_bridge import SyncBridge

if TYPE_CHECKING:
    from prexterm.app.player import PlayerApp
    from prexterm.app.presenter import PresenterPane


class TalkScreen(Screen[None]):
    """The player's own screen, under any overlay."""

    def __init__(self, player: PlayerApp) -> None:
        super().__init__()
        options, deck = player.options, player.deck
        self.player = player
        """The player whose talk this screen shows (its deck, talk, look and options)."""
        self.code_stage = CodeStage(
            player.code,
            allow_exec=options.allow_exec,
            kill_after=options.kill_after,
            record=options.rehearse,
        )
        self.reloader = Reloader(
            deck,
            options.deck,
            options.root,
            incremental_lists=options.incremental_lists,
            follow_saves=options.watch,
        )
        self.sync = SyncBridge(
            player.talk, deck.path, role=options.role, adopt=options.adopt, sync=options.sync
        )
        """Leads the talk or follows it, with views in other terminals."""

    def compose(self) -> ComposeResult:
        """Every widget of the talk's screen, from the start: what shows only at times
        (the presenter pane, the search line, the editor, the output panel, the scroll
        marks, the too-small notice) is hidden until then, never mounted mid-talk.

        The parts that show nothing come first: the slide's styling is in place before
        the slide area lays the slide out."""
        from prexterm.app.live_code import OutputLook
        from prexterm.app.presenter import PresenterPane

        player = self.player
        options, talk, deck, caches = player.options, player.talk, player.deck, player.caches
        leads = options.role == "leader"
        yield SlideStyling(caches)
        yield self.code_stage
        yield DrawAhead(deck, talk, player.code, player.pictures, leads=leads)
        yield KittyPictures(player.pictures)
        yield PictureDecoder(caches, talk)
        yield self.sync
        yield self.reloader
        yield BlankCurtain(talk, options.keys)
        problems = [player.theme_problem] if player.theme_problem else []
        yield StyleNotices(deck, problems + player.deck_styles.problems, leads=leads)
        if player.rehearsal is not None:
            from prexterm.app.rehearsal_recorder import RehearsalRecorder

            yield RehearsalRecorder(player.rehearsal)
        notes_view = options.role == "notes"
        body = Container(id="body")
        body.set_class(options.presenter or notes_view, "presenting")
        body.set_class(notes_view, "notes-view")
        with body:
            colours = not (options.no_color or player.look.name == "mono")
            yield AudienceFrame(
                talk,
                deck,
                caches,
                player.code,
                output_look=OutputLook.of(player.look, colours=colours),
                transition=options.transition,
                clock=options.clock,
                id="frame",
            )
            yield PresenterPane(
                talk,
                wall_clock=options.wall_clock,
                show_current=notes_view,
                ascii_only=options.ascii,
                pace_from=options.pace_from,
                deck=deck,
                caches=caches,
                id="presenter",
            )
        yield TooSmall(id="too-small")

    def on_mount(self) -> None:
        self.player.show_talk()

    # -- the parts the player moves the talk with ----------------------------------------

    @property
    def view(self) -> SlideView:
        """The slide area."""
        return self.query_one(SlideView)

    @property
    def pane(self) -> PresenterPane:
        """The presenter pane (hidden unless `presenting`)."""
        from prexterm.app.presenter import PresenterPane

        return self.query_one(PresenterPane)

    @property
    def search_line(self) -> SearchLine:
        return self.query_one(SearchLine)

    @property
    def searching(self) -> bool:
        """Whether the search line is open and has the keys."""
        found = self.query(SearchLine)
        return bool(found) and found.first().searching

    @property
    def presenting(self) -> bool:
        """Whether the presenter pane is showing (never, while the screen is being taken
        down and a clock tick still comes)."""
        body = self.query("#body")
        return bool(body) and body.first().has_class("presenting")

    # -- keys that work a part of the screen ---------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nothing once quitting has begun; while the editor is open, only saving."""
        if isinstance(self.app, SteadyApp) and self.app.quitting:
            return False
        return self.code_stage.editing is None or action == "save_code"

    def action_run_code(self) -> None:
        self.code_stage.run()

    def action_replay_code(self) -> None:
        self.code_stage.replay()

    def action_edit_code(self) -> None:
        self.code_stage.edit()

    def action_save_code(self) -> None:
        self.code_stage.save()

    def action_search(self) -> None:
        self.search_line.open()

    def action_match(self, step: int) -> None:
        self.search_line.match(step)

    def action_blank(self, white: bool = False) -> None:
        """`b` blanks the screen to black, `w` to white; any of them brings the slide back."""
        self.query_one(BlankCurtain).blank(white)

    def action_white(self) -> None:
        self.action_blank(white=True)

    def action_peek(self) -> None:
        """`v`: peek at the slides around in the presenter pane, or stop peeking."""
        if not self.pane.stop_peeking():
            self.pane.peek_by(1, start=True)

    def action_scroll_notes(self, pages: int) -> None:
        """J / K: the notes in the pane, when they are longer than its room for them."""
        if self.presenting:
            self.pane.scroll_notes(pages)

    def action_toggle_presenter(self) -> None:
        if self.player.options.role == "notes":
            self.app.notify("the notes view always shows the presenter pane", timeout=3)
            return
        self.pane.stop_peeking()
        self.pane.toggle()

    def action_pause_timer(self) -> None:
        self.sync.use_timer("toggle")

    def action_reset_timer(self) -> None:
        self.sync.use_timer("reset")

    def action_reload(self) -> None:
        self.reloader.reload()

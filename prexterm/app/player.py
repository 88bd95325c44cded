"""The player: one screen with the frame and the slide, and the keys that drive a talk.

The app only presents. The deck comes parsed from the core; slides come drawn from the
render cache; the app keeps which slide is current and moves between them.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical
from textual.dom import DOMNode
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from prexterm.app.ascii import ascii_borders, ascii_text, use_ascii_chrome
from prexterm.app.frame import ProgressLine, SlideFooter, SlideHeader, TextLine
from prexterm.app.messages import SlideChanged, TalkClockChanged
from prexterm.app.options import PlayerOptions
from prexterm.app.pictures import (
    kitty_placement,
    kitty_removal,
    make_pictures,
    missing,
    prepare,
    tint_for,
)
from prexterm.app.slide_view import SlideView
from prexterm.app.styling import (
    add_theme_css,
    apply_deck_styles,
    css_classes,
    theme_css_problem,
)
from prexterm.core.changes import first_changed, index_after_reload, new_error
from prexterm.core.model import CodeBlock, Deck, DeckUnreadable, MarkdownBlock, Slide
from prexterm.core.parser import load_deck
from prexterm.core.talk import Move, Talk
from prexterm.core.text import clean
from prexterm.render.palette import Palette
from prexterm.render.plain import markdown_to_plain
from prexterm.render.slide import CODE_BLOCK_META, SlideRenderCache
from prexterm.style.themes import theme_or_default
from prexterm.timing.clock import TalkClock
from prexterm.timing.pace import format_seconds

if TYPE_CHECKING:
    # Imported when first needed: a talk that runs no code and has no second view should
    # not pay for loading them before its first slide.
    from textual.notifications import SeverityLevel
    from textual.widgets import TextArea

    from prexterm.app.live_code import OutputPanel
    from prexterm.app.presenter import PresenterPane
    from prexterm.services.code_runner import CodeRunner
    from prexterm.services.sync.follower import SyncFollower
    from prexterm.services.sync.leader import SyncLeader
    from prexterm.services.sync.protocol import Shared
    from prexterm.style.webcss import SlideLook
    from prexterm.timing.rehearsal import Rehearsal

_FENCE_LANGUAGE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})[ \t]*([^\s`{]+)", re.MULTILINE)


def languages_shown(slides: Iterable[Slide]) -> Iterator[str]:
    """The languages of the code on `slides`, fenced or from `!code` files, in order."""
    for slide in slides:
        for block in slide.blocks:
            if isinstance(block, CodeBlock):
                yield block.language
            elif isinstance(block, MarkdownBlock) and ("```" in block.text or "~~~" in block.text):
                yield from _FENCE_LANGUAGE.findall(block.text)


FOLLOWER_DRAW_AHEAD_DELAY = 0.3
"""Seconds a following view waits after a move before drawing the next slides ahead."""
REAP_TIMEOUT = 1.0
"""Seconds the player waits at exit for killed programs to be reaped."""
MIN_WIDTH = 20
MIN_HEIGHT = 6
EXEC_DISABLED = "code execution is disabled; start prexterm with --allow-exec to run code"
LAST_GOOD_SHOWN = "showing the last good version"
"""What a failed reload keeps on screen, in the toast and the status line alike."""
WIDE_ENOUGH_FOR_SIDE_PANE = 110
"""From this width the presenter pane sits beside the slide; below it, under the slide."""


class PlayerApp(App[int]):
    """Plays a deck full-screen. Build it with `prexterm.app.factory.create_app`."""

    CSS_PATH = "prexterm.tcss"
    TITLE = "prexterm"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,l,j", "next", "Next slide", show=False),
        Binding("space,pagedown", "page_down", "Scroll a long slide, then next slide", show=False),
        Binding("enter", "enter", "Next slide, or go to the typed number", show=False),
        Binding("n", "next_or_match(1)", "Next slide or next match", show=False),
        Binding("N", "match(-1)", "Previous match", show=False),
        Binding("left,h,k,p", "previous", "Previous slide", show=False),
        Binding("pageup", "page_up", "Scroll a long slide back, then previous slide", show=False),
        Binding("backspace", "backspace", "Page back, or delete a typed digit", show=False),
        Binding("home", "first", "First slide", show=False),
        Binding("g", "g", "First slide when pressed twice", show=False),
        Binding("end,G", "last", "Last slide", show=False),
        Binding("o", "overview", "Overview", show=False),
        Binding("tab", "tab(1)", "Next code block, or the overview", show=False, priority=True),
        Binding("shift+tab", "tab(-1)", "Previous code block", show=False, priority=True),
        Binding("x,ctrl+e", "run_code", "Run the selected code block", show=False),
        Binding("e", "edit_code", "Edit the selected code block", show=False),
        Binding("ctrl+s", "save_code", "Save the edited code", show=False, priority=True),
        Binding("slash", "search", "Search", show=False),
        Binding("b,full_stop", "blank", "Blank the screen", show=False),
        Binding("question_mark", "help", "Help", show=False),
        Binding("s", "toggle_presenter", "Presenter pane", show=False),
        Binding("J", "scroll_notes(1)", "Scroll the notes down", show=False),
        Binding("K", "scroll_notes(-1)", "Scroll the notes up", show=False),
        Binding("t", "pause_timer", "Pause or resume the talk timer", show=False),
        Binding("T", "reset_timer", "Reset the talk timer", show=False),
        Binding("escape", "escape", "Cancel", show=False, priority=True),
        Binding("r,ctrl+r", "reload", "Reload the deck", show=False),
        Binding("q", "quit", "Quit", show=False),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("ctrl+z", "suspend_process", "Suspend (back with fg)", show=False, priority=True),
        *[Binding(str(d), f"digit({d})", "Type a slide number", show=False) for d in range(10)],
    ]
    """Every key of `prexterm.app.keys.KEYS`; Tab and Ctrl+C take priority over widgets."""

    when_shown: Callable[[], None] | None = None
    """Called once, on the event loop, when the first slide is on screen: the command
    line holds signals that would end the talk, and pauses the garbage collector, until
    then (see `prexterm.app.run`)."""

    def __init__(self, deck: Deck, options: PlayerOptions) -> None:
        # With no colour wanted, Textual's colour filter must drop colours, not grey them.
        super().__init__(ansi_color=True if options.no_color else None)
        self.deck = deck
        self.options = options
        self.ascii_only = options.ascii
        self.look, self.theme_problem = theme_or_default(
            options.theme or ("mono" if options.no_color else "dark")
        )
        self.palette: Palette = self.look.palette
        self.pictures = make_pictures(
            options.images,
            mono=options.no_color or self.look.name == "mono",
            ascii_only=self.ascii_only,
            no_color=options.no_color,
            root=deck.root,
        )
        self._picture_rows = 0
        self._kitty_shown = False
        """Whether a kitty picture is on screen (it must be removed on the next change)."""
        self._caches: dict[Palette, SlideRenderCache] = {}
        self.cache = self.cache_for(self.palette)
        self._slide_classes: set[str] = set()
        """The classes the screen has from the slide on it (`.photo` included)."""
        self._styles_applied = False
        """False until the first slide is shown: the screen is styled as it starts anyway."""
        self._framed: tuple[SlideLook | None, str | None] = (None, None)
        # A theme that could not be loaded has left the dark one in its place, which is
        # applied; a theme whose CSS is broken leaves the player's own look.
        css_problem = theme_css_problem(self.look)
        self.theme_problem = self.theme_problem or css_problem
        if css_problem is None:
            # Before the first stylesheet parse, so the theme costs no second pass at start.
            add_theme_css(self, self.look)
        self.deck_styles = apply_deck_styles(self, deck, None, running=False)
        use_ascii_chrome(self, self.ascii_only)
        self._plain: dict[int, str] = {}
        self._visible: dict[int, str] = {}
        """What the audience sees of each slide, lower-cased: a search tells the matches
        only in the notes from the others."""
        # A talk's clock waits for the first move or `t`; a rehearsal times from launch.
        self.talk = Talk(
            len(deck.slides),
            TalkClock(options.clock, started=options.rehearse),
            slide=options.slide,
            leads=options.role == "leader",
        )
        """Where the talk stands: what every view of it shares."""
        self._shared_blank = False
        """The blank screen as the presenter last shared it (in a following view)."""
        self._presenter_acted = False
        """The presenter moved or used the clock: a restarted talk then adopts nothing."""
        self.reload_problem: str | None = None
        """Why the last save could not be shown (the last good deck stays on screen)."""
        self.reloads = 0
        """How many reloads replaced the deck, counted once the footer shows the new version:
        lets tests and benchmarks wait for one."""
        self._runner: CodeRunner | None = None
        self._output_used = False
        """A program has run: the output panel is in use and polled."""
        self.selected: dict[int, int] = {}
        """The selected code block of each slide (by slide number), when not the first."""
        self.edits: dict[str, str] = {}
        """Edited code by code file path: survives navigation and reloads until saved."""
        self._edited_slides: dict[tuple[Slide, int], Slide] = {}
        """Slides with their code edits, keyed by the slide itself (not its id, which a
        reload can give to a new slide) and the version of the edits."""
        self.code_lines_from: dict[tuple[int, int], int] = {}
        """First line shown of long code blocks, by (slide number, block index)."""
        self._edits_version = 0
        self._held_notices: list[tuple[str, str, SeverityLevel, float | None]] = []
        """Notices that came while the screen was blank, shown when the slide is back."""
        self.editing: tuple[int, int] | None = None
        """(slide number, code block index) open in the editor, if any."""
        self.quitting = False
        """Set by the quit key: keys typed after it (`qo`) no longer open or change anything."""
        self._unused_told: set[str] = set()
        """The unused deck files already told of (see `_tell_unused_files`)."""
        self.leader: SyncLeader | None = None
        self.follower: SyncFollower | None = None
        self.sync_status: str | None = None
        """Shown in the status line while a following view has lost its presenter."""
        self.rehearsal: Rehearsal | None = None
        if options.rehearse:
            from prexterm.timing.rehearsal import Rehearsal

            self.rehearsal = Rehearsal(
                options.clock,
                deck.display_path,
                [slide.title for slide in deck.slides],
                options.duration,
            )

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Every widget of the player's screen, from the start: what shows only at times
        (the presenter pane, the search line, the editor, the output panel, the scroll
        marks, the too-small notice) is hidden until then, never mounted mid-talk."""
        with Container(id="body"):
            yield from self._compose_frame()
            yield self._new_pane()
        yield Static(id="too-small")

    def _new_pane(self) -> PresenterPane:
        """The presenter pane; `#body.presenting` shows it."""
        from prexterm.app.presenter import PresenterPane

        return PresenterPane(
            self.talk.clock,
            wall_clock=self.options.wall_clock,
            duration=self.options.duration,
            show_current=self.options.role == "notes",
            ascii_only=self.ascii_only,
            id="presenter",
        )

    def _compose_frame(self) -> ComposeResult:
        """The audience's frame."""
        from textual.widgets import TextArea

        from prexterm.app.live_code import OutputLook, OutputPanel

        with Vertical(id="frame"):
            yield SlideHeader(id="header")
            view = SlideView(self.cache, id="slide")
            view.on_scroll_change = self._scroll_marks
            view.before_layout = self._fit_pictures
            view.code_scroll = self._scroll_code
            yield view
            editor = TextArea(id="editor", show_line_numbers=True, tab_behavior="indent")
            editor.display = False
            yield editor
            colours = not (self.options.no_color or self.look.name == "mono")
            look = OutputLook.of(self.look, colours=colours)
            output = OutputPanel(ascii_only=self.ascii_only, look=look, id="output")
            output.display = False
            yield output
            more = TextLine(id="more")
            more.display = False
            yield more
            search = Input(placeholder="search slides and notes", id="search")
            search.display = False
            yield search
            yield ProgressLine(ascii_only=self.ascii_only, id="progress")
            with Vertical(id="footer-row"):
                yield TextLine(id="status")
                yield SlideFooter(id="footer")

    @property
    def main_screen(self) -> Screen[object]:
        """The player's own screen, under any overlay: widgets are looked up there, so a
        reload or a follower's move while the overview is open still finds them."""
        return self.screen_stack[0]

    def _mounted(self, selector: str) -> Widget | None:
        """The widget `selector` finds on the player's screen, or None once the screen
        is being taken down."""
        found = self.main_screen.query(selector)
        return found.first() if found else None

    def _pane(self) -> PresenterPane | None:
        """The presenter pane (hidden unless `presenting`)."""
        return cast("PresenterPane | None", self._mounted("#presenter"))

    def _output_panel(self, *, create: bool = False) -> OutputPanel | None:
        """The panel that shows a run's output, from the first run on (None before)."""
        if not (self._output_used or create):
            return None
        panel = cast("OutputPanel | None", self._mounted("#output"))
        if panel is not None and not self._output_used:
            self._output_used = True
            # Output streams in: poll for it from the first run on, not before, so that
            # an idle player (or fifty following ones) does not wake up 25 times a second.
            self.set_interval(0.04, self._refresh_output)
        return panel

    def _refresh_output(self) -> None:
        if not self.screen_stack:
            return  # shutting down
        panel = self._output_panel()
        if panel is not None:
            panel.refresh_if_changed()

    def _searching(self) -> bool:
        """Whether the search line is open and has the keys."""
        search = self._mounted("#search")
        return search is not None and search.has_focus

    @property
    def runner(self) -> CodeRunner:
        """Runs `!code` blocks; made on first use."""
        if self._runner is None:
            from prexterm.services.code_runner import CodeRunner

            self._runner = CodeRunner(kill_after=self.options.kill_after)
        return self._runner

    def _editor(self) -> TextArea:
        """The code editor, in the slide's place while a code block is edited."""
        from textual.widgets import TextArea

        return self.main_screen.query_one("#editor", TextArea)

    def cache_for(self, palette: Palette) -> SlideRenderCache:
        """One render cache per palette: slides a stylesheet recolours get their own."""
        cache = self._caches.get(palette)
        if cache is None:
            cache = self._caches[palette] = SlideRenderCache(
                palette=palette, ascii_only=self.ascii_only, picture=self.pictures.hook
            )
        return cache

    def _apply_styles(self) -> None:
        """The theme's CSS, then the deck's own stylesheets; problems become notices."""
        problems = [self.theme_problem] if self.theme_problem else []
        problems += self.deck_styles.problems
        for problem in problems:
            self._style_problem(problem)
        self._tell_unused_files(self.deck)

    def _style_problem(self, problem: str) -> None:
        """A notice about a stylesheet; plain text, as it quotes the file's name and CSS."""
        self.notify(problem, title="Style problem", severity="warning", timeout=8, markup=False)

    def _tell_unused_files(self, deck: Deck) -> None:
        """Say in one notice which `!custom_css` and `!global_background` files go unused, and why.

        A refused stylesheet or background (outside the deck root, not a regular file)
        changes nothing visible on a slide, so without this the presenter would not know
        the deck looks other than meant.
        `check` reports the same lines; a reload only tells what is newly wrong. Only the
        presenter's main view says it: the audience's view never shows such notices, and
        the notes view would only repeat them.
        """
        if self.options.role != "leader":
            return
        unused = list(deck.stylesheets)
        unused += [
            slide.background
            for slide in deck.slides
            if slide.background is not None and not slide.own_background
        ]
        why = {d.source: d.message for d in deck.diagnostics}
        told: dict[str, None] = {}  # in the deck's order, each line once
        for asset in unused:
            # A file that is simply missing is a `check` warning: Prexent decks often name a
            # stylesheet they never shipped, and a notice at every start would cover the
            # slide for nothing. A file that exists but was refused is news.
            if asset.path is None and asset.problem not in (None, "not found"):
                reason = why.get(asset.source) or asset.problem or "not found"
                told[f"{asset.source}: {reason}"] = None
        new = [line for line in told if line not in self._unused_told]
        if new:
            self.notify("\n".join(new), title="Not used", severity="warning", timeout=8)
        self._unused_told = set(told)

    def on_mount(self) -> None:
        if self.pictures.enabled and not self.is_headless:
            from prexterm.pictures.halfblock import set_colour_depth

            set_colour_depth(self.console.color_system)
        self._apply_styles()
        view = self.main_screen.query_one(SlideView)
        view.focus()
        if self.ascii_only:
            ascii_borders(view)
            ascii_borders(self.main_screen.query_one("#search"))
        body = self.main_screen.query_one("#body")
        body.set_class(self.options.presenter or self.options.role == "notes", "presenting")
        body.set_class(self.options.role == "notes", "notes-view")
        self._place_notices()
        self._fit_pane(self.size)
        self._show()
        self.app_resume_signal.subscribe(self, self._resumed)
        # The screen is restyled as a whole when it first shows, after this: the first
        # slide's classes needed no restyle of their own.
        self._styles_applied = True
        self.set_interval(0.5, self._tick)
        # Draw the neighbours once the layout has given the slide its size, and load what
        # the deck will need soon while the first slide is read.
        self.call_after_refresh(self._prefetch)
        self.call_after_refresh(self._warm_up)

    def _resumed(self, _app: object) -> None:
        """Back from Ctrl+Z (`fg`): the shell had the terminal, so every cell is drawn again."""
        self.refresh(layout=True)
        if self.pictures.mode == "kitty":
            self.call_after_refresh(self._place_kitty_picture)

    def on_ready(self) -> None:
        """What waits until the audience sees the first slide: the file watcher and the
        presenter socket take longer to load than the first frame takes to draw. They
        start once the widgets have laid themselves out at the terminal's size too."""
        if self.when_shown is not None:
            self.when_shown()
        self.call_after_refresh(self._start_services)

    def _start_services(self) -> None:
        if self.options.watch:
            self.watch_files()
        if self.options.sync:
            self._start_sync()

    def _tick(self) -> None:
        if not self.screen_stack:
            return  # shutting down
        if self.presenting:
            self._tick_pane()

    def on_resize(self, event: events.Resize) -> None:
        small = event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT
        if self.slide is not None:
            self.main_screen.query_one(SlideFooter).fit(event.size.width - 4)
        self.main_screen.query_one("#body").set_class(
            event.size.width >= WIDE_ENOUGH_FOR_SIDE_PANE, "wide"
        )
        self._fit_pane(event.size)
        self.main_screen.set_class(small, "too-small")
        if small:
            notice = self._mounted("#too-small")
            if notice is None:
                return  # the screen is being taken down
            size = f"{event.size.width}×{event.size.height}"
            cast(Static, notice).update(
                f"terminal too small ({ascii_text(size) if self.ascii_only else size})"
            )

    # -- state ---------------------------------------------------------------------------

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
    def typed(self) -> str:
        """The digits of a go-to typed so far."""
        return self.talk.typed

    @property
    def search_query(self) -> str | None:
        return self.talk.search.query if self.talk.search is not None else None

    @property
    def matches(self) -> list[int]:
        """The numbers of the slides the search found."""
        return list(self.talk.search.matches) if self.talk.search is not None else []

    @property
    def blanked(self) -> bool:
        """The blank screen is up (`b`): part of the state the presenter shares."""
        return self.talk.blanked

    def go(self, number: int, *, remote: bool = False) -> None:
        """Show slide `number`, clamped to the deck: navigation stops at both ends."""
        self._moved(self.talk.go_to(number), remote=remote)

    def _moved(self, move: Move | None, *, remote: bool = False) -> None:
        """Show the slide a move of the talk went to, if it went anywhere.

        A following view tells its presenter where it went (unless the move came from the
        presenter in the first place), so every connected view moves together.
        """
        if move is None or not move.moved:
            return
        if self.options.role == "leader":
            self._presenter_acted = True
            if self.leader is not None:
                self.leader.stop_adopting()
        self._show()
        if self.follower is not None and not remote:
            self.follower.goto(self.number)

    def _tell_slide(self, slide: Slide | None, look: SlideLook | None) -> None:
        """Tell the frame and the presenter pane which slide is on screen."""
        count = len(self.deck.slides)
        following = self.deck.slides[slide.number] if slide and slide.number < count else None
        parts = [*self.main_screen.query("#header, #footer, #progress, #presenter"), self]
        for part in parts:
            part.post_message(SlideChanged(slide, following, count, look=look))

    def _tell_clock(self) -> None:
        """Tell the presenter pane how the talk clock stands."""
        for part in self.main_screen.query("#presenter"):
            part.post_message(TalkClockChanged(self.talk.clock_state()))

    def on_slide_changed(self, event: SlideChanged) -> None:
        """A rehearsal times the slide shown."""
        number, rehearsal = event.number, self.rehearsal
        if rehearsal is not None and 1 <= number <= len(rehearsal.slide_titles):
            rehearsal.visit(number)

    def _show(self) -> None:
        slide = self.slide
        view = self.main_screen.query_one(SlideView)
        if slide is not None and self._pictures_pending(slide, view):
            return  # shown as soon as its pictures are decoded, off the UI thread
        if slide is None:
            self._tell_slide(None, None)
            dash = "-" if self.ascii_only else "—"
            view.show_message(f"the deck is empty {dash} add slides and save")
            return
        look = self.deck_styles.look(slide.classes)
        self._tell_slide(slide, look)
        self._style_frame(look)
        self._set_slide_classes(slide)
        # At once, not by a message: a presenter started again greets its views with
        # what it published as it adopted their slide.
        self._publish()
        view.show(
            self._with_edits(slide),
            selected_code=self._selected_index(slide),
            code_offsets=self._code_offsets(slide),
            cache=self._cache_for_look(look),
            align=look.align if look else None,
        )
        self._show_output()
        self._update_status()
        # Drawing ahead waits for this slide to reach the screen: the worker thread would
        # otherwise compete with the frame being painted. A following view waits a little
        # longer, for the other views on the same machine to paint theirs too.
        if self.options.role != "leader":
            self.set_timer(FOLLOWER_DRAW_AHEAD_DELAY, self._prefetch)
        else:
            self.call_after_refresh(self._prefetch)
        if self.pictures.mode == "kitty":
            self.call_after_refresh(self._place_kitty_picture)

    # -- live code -----------------------------------------------------------------------

    @staticmethod
    def code_blocks(slide: Slide | None) -> list[CodeBlock]:
        if slide is None:
            return []
        return [b for b in slide.blocks if isinstance(b, CodeBlock)]

    def _selected_index(self, slide: Slide) -> int | None:
        blocks = self.code_blocks(slide)
        if not blocks:
            return None
        return min(self.selected.get(slide.number, 0), len(blocks) - 1)

    def _with_edits(self, slide: Slide) -> Slide:
        """The slide as it shows: code blocks carry their unsaved edits."""
        if not self.edits or not self.code_blocks(slide):
            return slide
        key = (slide, self._edits_version)
        derived = self._edited_slides.get(key)
        if derived is None:
            blocks = tuple(
                b._replace(code=self.edits[str(b.asset.path)])
                if isinstance(b, CodeBlock) and str(b.asset.path) in self.edits
                else b
                for b in slide.blocks
            )
            derived = slide._replace(blocks=blocks)
            self._edited_slides = {key: derived, **{
                k: v for k, v in self._edited_slides.items() if k[1] == self._edits_version
            }}  # fmt: skip
        return derived

    def _run_key(self) -> tuple[int, int] | None:
        slide = self.slide
        if slide is None:
            return None
        selected = self._selected_index(slide)
        return None if selected is None else (slide.number, selected)

    def _show_output(self) -> None:
        key = self._run_key()
        run = self._runner.run_for(key) if key is not None and self._runner else None
        panel = self._output_panel(create=run is not None)
        if panel is None:
            return
        panel.show_run(run)
        if run is not None:
            self._place_output()

    def on_slide_view_area_changed(self, _event: SlideView.AreaChanged) -> None:
        if self.screen_stack:  # not while shutting down
            self._place_output()

    def _place_output(self) -> None:
        """Put the output panel over the lower right of the slide, as Prexent did.

        Only while the slide shows: the editor takes the slide's place, and the panel
        steps aside rather than cover the code being edited. The slide area tells when
        its size changes (shown again, a resized terminal, the presenter pane), so the
        panel is never sized for an area that is hidden or not laid out yet.
        """
        panel = self._output_panel()
        if panel is None or panel.run is None:
            return
        area = self.main_screen.query_one(SlideView).region
        panel.display = self.editing is None and bool(area)
        if not panel.display:
            return
        width = max(20, min(area.width, area.width * 3 // 5))
        height = max(5, min(area.height, area.height * 2 // 5))
        panel.styles.width = width
        panel.styles.height = height
        panel.styles.offset = (max(0, area.width - width), max(0, area.y + area.height - height))

    def action_tab(self, step: int) -> None:
        slide = self.slide
        blocks = self.code_blocks(slide)
        if slide is None or len(blocks) < 2:
            if step > 0:
                self.action_overview()
            return
        current = self._selected_index(slide) or 0
        self._select_code((current + step) % len(blocks))

    def _code_offsets(self, slide: Slide) -> tuple[int, ...]:
        return tuple(
            self.code_lines_from.get((slide.number, i), 0)
            for i in range(len(self.code_blocks(slide)))
        )

    def _scroll_code(self, step: int) -> bool:
        """Up/Down move through the selected code when it is longer than its panel."""
        slide = self.slide
        selected = self._selected_index(slide) if slide is not None else None
        if slide is None or selected is None:
            return False
        view = self.main_screen.query_one(SlideView)
        shown = view.code_window(())[0]
        block = self.code_blocks(slide)[selected]
        total = block.code.rstrip("\n").count("\n") + 1
        if total <= shown:
            return False
        key = (slide.number, selected)
        current = self.code_lines_from.get(key, 0)
        wanted = max(0, min(total - shown, current + step))
        if wanted == current:
            return False  # at an end: the slide itself scrolls
        self.code_lines_from[key] = wanted
        view.set_code_offsets(self._code_offsets(slide))
        return True

    def _select_code(self, index: int) -> None:
        """Make code block `index` of this slide the one the run and edit keys act on."""
        slide = self.slide
        if slide is None or not 0 <= index < len(self.code_blocks(slide)):
            return
        self.selected[slide.number] = index
        self.main_screen.query_one(SlideView).select_code(index)
        self._show_output()

    def action_run_code(self) -> None:
        slide = self.slide
        blocks = self.code_blocks(slide)
        key = self._run_key()
        if slide is None or not blocks or key is None:
            self.notify("this slide has no code to run", severity="warning", timeout=3)
            return
        if not self.options.allow_exec:
            self.notify(EXEC_DISABLED, severity="warning", timeout=5)
            return
        block = blocks[key[1]]
        override = self.edits.get(str(block.asset.path))
        self.run_worker(self._start_run(key, block, override), group="code", exit_on_error=False)

    async def _start_run(self, key: tuple[int, int], block: CodeBlock, code: str | None) -> None:
        from prexterm.services.code_runner import RunRefused

        outcome = await self.runner.start(key, block, code_override=code)
        if isinstance(outcome, RunRefused):
            self.notify(outcome.message, severity="error", timeout=6)
            return
        if self._run_key() == key:
            self._show_output()

    def action_edit_code(self) -> None:
        slide = self.slide
        key = self._run_key()
        if slide is None or key is None:
            self.notify("this slide has no code to edit", severity="warning", timeout=3)
            return
        block = self.code_blocks(slide)[key[1]]
        editor = self._editor()
        editor.load_text(self.edits.get(str(block.asset.path), block.code))
        try:
            editor.language = block.language
        except Exception:  # no highlighting for this language: plain text is fine
            editor.language = None
        self.editing = key
        self.main_screen.query_one(SlideView).display = False
        self._place_output()
        editor.display = True
        editor.focus()

    def _close_editor(self) -> None:
        """Leave the editor, keeping the edit for this code file."""
        key = self.editing
        slide = self.slide
        if key is None or slide is None:
            return
        block = self.code_blocks(slide)[key[1]]
        text = self._editor().text
        path = str(block.asset.path)
        if text != block.code:
            self.edits[path] = text
        else:
            self.edits.pop(path, None)
        self._edits_version += 1
        self.editing = None
        self.main_screen.query_one("#editor").display = False
        view = self.main_screen.query_one(SlideView)
        view.display = True
        view.focus()
        self._show()

    def action_save_code(self) -> None:
        if self.editing is None or self.slide is None:
            return
        block = self.code_blocks(self.slide)[self.editing[1]]
        if block.asset.path is None:
            return
        text = self._editor().text
        try:
            from prexterm.core.text import save_atomically

            save_atomically(block.asset.path, text)
        except OSError as exc:
            self.notify(f"could not save {block.asset.written}: {exc.strerror}", severity="error")
            return
        self.notify(f"saved {block.asset.written}", timeout=3)

    def _cache_for_look(self, look: SlideLook | None) -> SlideRenderCache:
        if look is None:
            return self.cache
        from prexterm.style.webcss import palette_for

        return self.cache_for(palette_for(self.palette, look))

    def _style_frame(self, look: SlideLook | None) -> None:
        """What a deck's web stylesheet says of this slide's area, header and footer."""
        slide = self.slide
        tint = None
        if slide is not None and slide.background is not None and not slide.photo:
            tint = self._tint(slide)
        if (look, tint) == self._framed:
            return  # the common case: nothing to restyle, no CSS work on a slide change
        self._framed = (look, tint)
        if look is None:
            from prexterm.style.webcss import SlideLook

            look = SlideLook()
        view = self.main_screen.query_one(SlideView)
        background = look.slide_style.bgcolor
        view.styles.background = background.name if background else tint
        for widget_id, style, align in (
            ("#header", look.header_style, look.header_align),
            ("#footer", look.footer_style, look.footer_align),
        ):
            widget = self.main_screen.query_one(widget_id)
            widget.styles.color = style.color.name if style.color else None
            widget.styles.background = style.bgcolor.name if style.bgcolor else None
            widget.styles.text_align = align if align in ("left", "center", "right") else None  # type: ignore[assignment]

    def _tint(self, slide: Slide) -> str | None:
        """The calm colour a slide with a background picture and text is drawn on."""
        text = self.palette.text.color
        triplet = text.get_truecolor() if text is not None else None
        rgb = (triplet.red, triplet.green, triplet.blue) if triplet else (228, 228, 228)
        return tint_for(self.pictures, slide, rgb)

    def _set_slide_classes(self, slide: Slide) -> None:
        """Put the slide's classes on the screen and the slide, where themes can style them.

        The screen also has `.photo` on photo slides. The slide's classes change first,
        unstyled; the screen's change then has Textual restyle the screen and everything
        on it, so a class's look leaves with its slide wherever its rules put it.
        """
        classes = css_classes(slide.classes)
        screen_classes = {*classes, *(["photo"] if slide.photo else [])}
        before = self._slide_classes
        if screen_classes == before:
            return
        self._slide_classes = screen_classes
        gone = dict.fromkeys(before, False)
        view = self.main_screen.query_one(SlideView)
        view.update_classes({**gone, **dict.fromkeys(classes, True)}, update=False)
        self.main_screen.update_classes(
            {**gone, **dict.fromkeys(screen_classes, True)},
            update=self._styles_applied,
            animate=False,
        )

    def _scroll_marks(self, above: bool, below: bool) -> None:
        up, down = ("^", "v") if self.ascii_only else ("▲", "▼")
        parts = ([f"{up} more above"] if above else []) + ([f"{down} more below"] if below else [])
        more = self._mounted("#more")
        if more is None:
            return  # the screen is being taken down
        cast(TextLine, more).set("   ".join(parts))
        more.display = bool(parts)

    def _update_status(self) -> None:
        status = self.main_screen.query_one("#status", TextLine)
        if self.sync_status:
            status.set(self.sync_status)
        elif self.reload_problem:
            status.set(f"reload failed, {LAST_GOOD_SHOWN}: {self.reload_problem}")
        elif self.typed:
            status.set(f"go to slide {self.typed}…")
        elif (search := self.talk.search) is not None:
            if search.matches:
                rank = search.current(self.number)
                count = len(search.matches)
                here = f"{rank}/{count}" if rank is not None else f"{count} matches"
                if self.talk.only_in_notes:
                    here += " in the notes"
                status.set(f"search “{search.query}”: {here}  (n/N, Escape ends)")
            else:
                status.set(f"search “{search.query}”: no match  (Escape ends)")
        else:
            status.set("")
        pane = self._pane()
        if pane is not None and self.options.role == "notes":
            pane.show_status(status.text)  # the notes view hides the frame, and this line

    # -- actions -------------------------------------------------------------------------

    async def run_action(
        self,
        action: str | tuple[str, str, tuple[object, ...]],
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Run a key's action; if it fails, say so and let the talk go on.

        A bug behind one key must not end a presentation: the error becomes a
        notification, and the next key works as before.
        """
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:  # the talk goes on
            self.notify(
                f"{type(error).__name__}: {error}", title="That did not work", severity="error"
            )
            return True

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification, shown literally, spelt in ASCII when the terminal may show nothing else.

        Every message the player shows can carry deck text: a file name from `!include` or
        `!custom_css`, a `!code` runner, an error's own words. Read as markup, a name like
        `[link=x]` would end the talk with a markup error and `[@click=app.quit]` would
        become a button, so the text is never markup (whatever `markup` says: it stays for
        Textual's signature) and its control characters are shown as harmless stand-ins.
        """
        message, title = clean(message), clean(title)
        if self.ascii_only:
            message, title = ascii_text(message), ascii_text(title)
        if self.talk.blanked:  # the room is looking at the speaker: say it when the slide is back
            self._held_notices.append((message, title, severity, timeout))
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A background job that failed (a picture, a reload) is reported, never fatal."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.notify(
                f"{type(error).__name__}: {error}", title="Background task failed", severity="error"
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While an overlay is open only quitting and suspending reach the player; the overlay
        owns the other keys.

        Once quitting has begun nothing else runs: an overlay pushed while the app shuts
        down would be mounted half-way and end the talk with a traceback.
        """
        if self.quitting:
            return False
        if action == "quit":
            return True
        if action == "suspend_process":  # the editor and the search line undo with Ctrl+Z
            return self.editing is None and not self._searching()
        if self.editing is not None:
            return action in ("escape", "save_code")
        return self.screen is self.screen_stack[0]

    def action_next(self) -> None:
        self._moved(self.talk.next())

    def action_previous(self) -> None:
        self._moved(self.talk.previous())

    def action_page_down(self) -> None:
        """Space and PgDn (what clickers send): a screenful further down a long slide,
        then the next slide, so a slide taller than the screen can be read to its end."""
        if not self.main_screen.query_one(SlideView).page(1):
            self.action_next()

    def action_page_up(self) -> None:
        """PgUp: a screenful back up a long slide, then the previous slide."""
        if not self.main_screen.query_one(SlideView).page(-1):
            self.action_previous()

    def action_first(self) -> None:
        self._moved(self.talk.first())

    def action_last(self) -> None:
        self._moved(self.talk.last())

    def action_g(self) -> None:
        self._moved(self.talk.press_g())

    def action_digit(self, digit: int) -> None:
        self.talk.type_digit(digit)
        self._update_status()

    def action_enter(self) -> None:
        typed = self.talk.typed
        move = self.talk.enter()
        self._moved(move)
        if typed:
            self._update_status()
            count = len(self.deck.slides)
            if count and move.clamped:
                self.notify(f"no slide {int(typed)}: went to {self.number}/{count}", timeout=4)

    def action_backspace(self) -> None:
        if self.talk.erase_digit():
            self._update_status()
        else:
            self.action_page_up()

    def action_escape(self) -> None:
        """Escape backs out of one thing at a time: editor, search, program, panel, typing."""
        if self.editing is not None:
            self._close_editor()
            return
        if self._searching():
            self._close_search()
            return
        key = self._run_key()
        run = self._runner.run_for(key) if key is not None and self._runner else None
        if run is not None and key is not None:
            if run.running:
                run.stop()
            else:
                self.runner.forget(key)
                self._show_output()
            return
        self.talk.cancel()
        self.main_screen.query_one(SlideView).set_highlight(None)
        self._update_status()

    def action_next_or_match(self, step: int) -> None:
        if self.talk.search is not None and self.talk.search.matches:
            self.action_match(step)
        else:
            self.action_next()

    def action_match(self, step: int) -> None:
        move = self.talk.match(step)
        if move is None:
            return
        self._moved(move)
        self._say_if_only_in_notes()
        self._update_status()

    def action_overview(self) -> None:
        from prexterm.app.screens import OverviewScreen

        def jump(number: int | None) -> None:
            if number is not None:
                self.go(number)

        self._open_overlay(OverviewScreen(self.deck, self.number, ascii_only=self.ascii_only), jump)

    def _open_overlay(
        self, screen: Screen[Any], closed: Callable[[Any], None] | None = None
    ) -> None:
        """Show `screen` over the slide; a kitty picture steps aside while it shows.
        `closed` gets what the overlay returns."""
        if self.quitting:
            return  # a key typed right after `q`: the app is already closing
        self._before_overlay()

        def after(result: Any) -> None:
            if closed is not None:
                closed(result)
            self._after_overlay()

        self.push_screen(screen, after)

    def _before_overlay(self) -> None:
        """A kitty picture sits above every cell: take it away while an overlay shows."""
        if self._kitty_shown:
            self._write_to_terminal(kitty_removal())
            self._kitty_shown = False

    def _after_overlay(self) -> None:
        if self.pictures.mode == "kitty":
            self.call_after_refresh(self._place_kitty_picture)

    def _pictures_pending(self, slide: Slide, view: SlideView) -> bool:
        """Start decoding `slide`'s pictures in a worker if they are not ready yet."""
        if not self.pictures.enabled or not view.size.width:
            return False
        self._fit_pictures(view)
        targets = missing(self.pictures, slide, view.size.width, view.size.height)
        if not targets:
            return False
        number = slide.number

        def decode_then_show() -> None:
            prepare(self.pictures, targets, wanted=lambda: self.number == number)
            self.call_from_thread(self._show_if_current, number)

        self.run_worker(decode_then_show, thread=True, group="pictures", exit_on_error=False)
        return True

    def _write_to_terminal(self, data: str) -> None:
        """Escapes Textual cannot carry in its cells (kitty pictures) go straight out."""
        from prexterm.app.terminal_out import write_to_terminal

        write_to_terminal(self, data)

    def _place_kitty_picture(self) -> None:
        """Replace the half blocks of a photo slide with real pixels (kitty protocol)."""
        if self._kitty_shown:
            self._write_to_terminal(kitty_removal())
            self._kitty_shown = False
        slide = self.slide
        if slide is None or not slide.photo or self.screen is not self.screen_stack[0]:
            return
        region = self.main_screen.query_one(SlideView).region
        number = slide.number

        def build() -> None:
            data = kitty_placement(
                self.pictures, slide, region.x, region.y, region.width, region.height
            )
            self.call_from_thread(self._show_kitty, number, data)

        self.run_worker(build, thread=True, exclusive=True, group="kitty", exit_on_error=False)

    def _show_kitty(self, number: int, data: str) -> None:
        if data and self.number == number:
            self._write_to_terminal(data)
            self._kitty_shown = True

    def _show_if_current(self, number: int) -> None:
        if self.number == number:
            self._show()

    def _fit_pictures(self, view: SlideView) -> None:
        """Inline pictures take about a third of the slide's height."""
        if not view.size.height:
            return
        rows = max(3, view.size.height // 3)
        if rows != self._picture_rows:
            self._picture_rows = rows
            self.pictures.max_height = rows
            for cache in self._caches.values():
                cache.clear()

    def _warm_up(self) -> None:
        """Build off the UI thread the highlighters of the languages the deck shows (a
        deck uses few), so that a key press waits for none of them."""
        slides = self.deck.slides

        def load() -> None:
            from prexterm.render.markdown import build_highlighter

            for language in dict.fromkeys(languages_shown(slides)):
                build_highlighter(language)

        self.run_worker(load, thread=True, group="warm-up", exit_on_error=False)

    def _update_pane(self) -> None:
        """Notes and next slide, only while someone can see them."""
        if not self.presenting or self.slide is None:
            return
        count = len(self.deck.slides)
        next_slide = self.deck.slides[self.index + 1] if self.index + 1 < count else None
        pane = self._pane()
        if pane is not None:
            pane.show(self.slide, next_slide, count)

    def _prefetch(self) -> None:
        """Draw the neighbours of this slide while the speaker talks, so moving is instant.

        Two slides ahead, not one: when the keys come quickly (skipping through a
        talk), the next slide was drawn during the move before, and this one draws the
        slide after it while the next key is on its way."""
        neighbours = [
            (slide, self._selected_index(slide), self._code_offsets(slide))
            for i in (self.index + 1, self.index - 1, self.index + 2)
            if 0 <= i < len(self.deck.slides)
            for slide in (self.deck.slides[i],)
        ]
        view = self.main_screen.query_one(SlideView)
        width, height = view.size.width, view.size.height
        targets = [
            t for slide, _, _ in neighbours for t in self.pictures.targets(slide, width, height)
        ]

        index = self.index

        def draw_ahead() -> None:
            def wanted() -> bool:
                return self.index == index

            prepare(self.pictures, targets, ahead=True, wanted=wanted)
            with self.pictures.cache.slots.ahead():
                view.prepare(neighbours)

        if neighbours and view.size.width:
            self.run_worker(
                draw_ahead,
                thread=True,
                exclusive=True,
                group="prefetch",
                exit_on_error=False,
            )

    def _fit_pane(self, size: Size) -> None:
        """The pane's height follows the terminal's (see `PresenterPane.fit`)."""
        pane = self._pane()
        if pane is not None:
            beside = size.width >= WIDE_ENOUGH_FOR_SIDE_PANE or self.options.role == "notes"
            pane.fit(size, beside=beside)

    def action_scroll_notes(self, pages: int) -> None:
        """J / K: the notes in the pane, when they are longer than its room for them."""
        pane = self._pane()
        if pane is not None and self.presenting:
            pane.scroll_notes(pages)

    def action_toggle_presenter(self) -> None:
        if self.options.role == "notes":
            self.notify("the notes view always shows the presenter pane", timeout=3)
            return
        body = self.main_screen.query_one("#body")
        body.toggle_class("presenting")
        self._place_notices()
        self._update_pane()
        self.call_after_refresh(self._rerender)

    def _place_notices(self) -> None:
        """Notices go where they hide least: over the top of the slide while the pane is
        open beside or below it (the speaker's notes stay readable), at the bottom right
        otherwise, as usual."""
        open_pane = self.presenting and self.options.role != "notes"
        self.main_screen.set_class(open_pane, "-pane-open")

    def _rerender(self) -> None:
        if self.slide is not None:
            self.main_screen.query_one(SlideView).show(self.slide)

    def action_pause_timer(self) -> None:
        self._use_timer("toggle")

    def action_reset_timer(self) -> None:
        self._use_timer("reset")

    def _use_timer(self, action: str) -> None:
        """`t`/`T` work on the one talk clock: a following view asks its presenter, which
        tells every view; alone, a view keeps its own."""
        if self.follower is not None and self.follower.timer(action):
            return
        was_started = self.talk.started
        if action == "toggle":
            self.talk.clock.toggle_pause()
        else:
            self.talk.clock.reset()
        self._presenter_acted = True
        if self.leader is not None:
            self.leader.stop_adopting()
            self._publish()
        self._tell_clock()
        if not self.presenting:  # nothing on screen shows the clock: say what happened
            if action == "reset":
                self.notify("timer reset", timeout=3)
            else:
                state = "paused" if self.talk.paused else "resumed" if was_started else "started"
                self.notify(f"timer {state} {format_seconds(self.talk.elapsed)}", timeout=3)

    def _tick_pane(self) -> None:
        """Show the timers as they are now, once the pane exists."""
        pane = self._pane()
        if pane is not None:
            pane.tick()

    @property
    def presenting(self) -> bool:
        """Whether the presenter pane is showing (never, while the player's screen is being
        taken down and a clock tick still comes)."""
        body = self.main_screen.query("#body")
        return bool(body) and body.first().has_class("presenting")

    def action_help(self) -> None:
        from prexterm.app.screens import HelpScreen

        self._open_overlay(HelpScreen(ascii_only=self.ascii_only))

    def action_blank(self) -> None:
        from prexterm.app.screens import BlankScreen

        self.talk.set_blank(True)
        self.clear_notifications()  # a blank screen shows nothing at all
        self._open_overlay(BlankScreen(), self._unblanked)
        self._presenter_acted = True
        if self.leader is not None:
            self.leader.stop_adopting()
            self._publish()

    def _unblanked(self, _result: object) -> None:
        self.talk.set_blank(False)
        self._publish()
        held, self._held_notices = self._held_notices, []
        for message, title, severity, timeout in held:
            self.notify(message, title=title, severity=severity, timeout=timeout)

    async def action_search(self) -> None:
        search = self.main_screen.query_one("#search", Input)
        search.value = self.search_query or ""
        search.display = True
        search.focus()

    async def action_quit(self) -> None:
        self.quitting = True
        self._before_overlay()
        if self._runner is not None:
            await self._runner.shutdown()
        if self.leader is not None:
            await self.leader.close()
        if self.follower is not None:
            await self.follower.close()
        self.exit(0)

    # -- views in other terminals ------------------------------------------------------

    @work(group="sync", exit_on_error=False)
    async def _start_sync(self) -> None:
        """Lead the talk, or follow the process that leads it (`prexterm notes|follow`).

        A worker made from the method, not from a coroutine made by the caller: when the
        player is already closing, no coroutine is left behind unawaited."""
        from prexterm.services.sync.follower import SyncFollower
        from prexterm.services.sync.leader import LeaderAlreadyRunning, SyncLeader
        from prexterm.services.sync.runtime import SyncError

        if self.options.role == "leader":
            leader = SyncLeader(
                self.deck.path,
                on_goto=lambda n: self.go(n, remote=True),
                on_timer=self._use_timer,
                on_adopt=self._adopt,
                adopt=self.options.adopt and not self._presenter_acted,
                shared_now=self._shared,
            )
            leader.publish(self.number, len(self.deck.slides), self._shared())
            try:
                await leader.start()
            except LeaderAlreadyRunning:
                self.notify(
                    "another prexterm presents this deck; this one plays alone",
                    severity="warning",
                    timeout=6,
                )
                return
            except SyncError as exc:
                self.notify(f"views in other terminals are off: {exc}", severity="warning")
                return
            self.leader = leader
            return
        self.follower = SyncFollower(
            self.deck.path,
            role=self.options.role,
            on_state=lambda slide, count: self.go(slide, remote=True),
            on_connect=lambda: self._set_sync_status(None),
            on_disconnect=lambda: self._set_sync_status("presenter disconnected"),
            on_shared=self._follow_shared,
            held=self._shared,
        )
        self._set_sync_status("waiting for the presenter…")
        await self.follower.start()

    def _shared(self) -> Shared:
        """The talk's clock and blank screen, as this view shares them."""
        from prexterm.services.sync.protocol import Shared

        clock = self.talk.clock_state()
        blank = self.blanked if self.options.role == "leader" else self._shared_blank
        return Shared(clock.mode, clock.elapsed, clock.on_slide, blank, self.options.duration)

    def _publish(self) -> None:
        """Tell the views in other terminals where the talk stands (when leading)."""
        if self.leader is not None and self.deck.slides:
            self.leader.publish(self.number, len(self.deck.slides), self._shared())

    def _follow_shared(self, shared: Shared) -> None:
        """The presenter's clock and blank screen: the clock for every view, the blank
        for the audience's views only (the notes view is the speaker's own)."""
        from prexterm.timing.clock import ClockState

        self.talk.clock.adopt(ClockState(shared.clock, shared.elapsed, shared.on_slide))
        if self.options.duration is None and shared.duration is not None:
            # The presenter's planned length gives a notes view started without one a pace.
            self.options = self.options._replace(duration=shared.duration)
            pane = self._pane()
            if pane is not None:
                pane.duration = shared.duration
        if shared.blank != self._shared_blank:
            self._shared_blank = shared.blank
            if self.options.role == "follow":
                self._show_blank(shared.blank)
        self._tell_clock()

    def _show_blank(self, blank: bool) -> None:
        from prexterm.app.screens import BlankScreen

        if blank and not self.blanked:
            self.action_blank()
        elif not blank and self.blanked and isinstance(self.screen, BlankScreen):
            self.screen.dismiss()

    def _adopt(self, slide: int, shared: Shared) -> None:
        """A presenter started again takes the talk's state from the views that held it."""
        from prexterm.timing.clock import ClockState

        clock = ClockState(shared.clock, shared.elapsed, shared.on_slide)
        if self.talk.adopt(slide, clock, blank=False).moved:
            self._show()
        if shared.blank and not self.blanked:
            self.action_blank()
        self._publish()
        self._tell_clock()

    def _set_sync_status(self, status: str | None) -> None:
        if status == "presenter disconnected":
            self.notify("presenter disconnected: this view goes on by itself", timeout=4)
        elif status is None and self.sync_status == "presenter disconnected":
            self.notify("presenter connected again", timeout=3)
        self.sync_status = status
        self._update_status()

    async def on_unmount(self) -> None:
        # However the app ends, no program it started may outlive it. The killed programs
        # are also reaped here, while the event loop still runs, so that nothing of them
        # is left for the interpreter to clean up after the loop has closed.
        if self._runner is not None:
            self._runner.kill_now()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._runner.shutdown(), REAP_TIMEOUT)

    # -- search --------------------------------------------------------------------------

    def plain_text(self, slide: Slide) -> str:
        """The slide's visible text and its notes, lower-cased, for searching."""
        text = self._plain.get(slide.number)
        if text is None:
            text = "\n".join([self._visible_text(slide), *slide.notes]).lower()
            self._plain[slide.number] = text
        return text

    def _visible_text(self, slide: Slide) -> str:
        """The slide's visible text, lower-cased."""
        text = self._visible.get(slide.number)
        if text is None:
            text = self._visible[slide.number] = markdown_to_plain(slide.markdown).lower()
        return text

    def find(self, query: str) -> list[int]:
        """Numbers of the slides whose text or notes contain `query` (any case)."""
        needle = query.lower()
        return [s.number for s in self.deck.slides if needle in self.plain_text(s)]

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self._close_search()
        query = event.value.strip()
        if not query:
            self.action_escape()
            return
        matches = self.find(query)
        move = self.talk.find(query, matches, self._only_in_notes(matches, query))
        self.main_screen.query_one(SlideView).set_highlight(query)
        if move is not None:
            self._moved(move)
            self._say_if_only_in_notes()
        self._update_status()

    def only_in_notes(self, slide: Slide, query: str) -> bool:
        """Whether `query` is in the slide's notes but not in what the audience sees."""
        needle = query.lower()
        return needle in self.plain_text(slide) and needle not in self._visible_text(slide)

    def _only_in_notes(self, numbers: Iterable[int], query: str) -> list[int]:
        """Those of the slides `numbers` that have `query` in their notes only."""
        slides = self.deck.slides
        return [n for n in numbers if self.only_in_notes(slides[n - 1], query)]

    def _say_if_only_in_notes(self) -> None:
        """A match in the notes has nothing to mark on the slide: say where it is."""
        if self.slide is not None and self.talk.only_in_notes:
            self.notify(f"found in the notes of slide {self.slide.number}", timeout=4)

    def _close_search(self) -> None:
        search = self._mounted("#search")
        if search is not None:
            search.display = False
        self.main_screen.query_one(SlideView).focus()

    def on_key(self, event: events.Key) -> None:
        if event.key != "g":
            self.talk.other_key()

    # -- live reload ---------------------------------------------------------------------

    @work(exclusive=True, group="watch", exit_on_error=False)
    async def watch_files(self) -> None:
        """Reload after every burst of saves to the deck's files, for as long as the app runs."""
        from prexterm.services.watcher import file_changes, watched_folders

        files = self.deck.files | {self.deck.path}
        async for _ in file_changes(files):
            await self.reload()
            if watched_folders(self.deck.files | {self.deck.path}) != watched_folders(files):
                self.watch_files()  # an include moved the deck into new folders
                return

    def action_reload(self) -> None:
        self.run_worker(
            self.reload(asked=True), group="reload", exclusive=True, exit_on_error=False
        )

    async def reload(self, *, asked: bool = False) -> None:
        """Parse the deck again and show it, unless the new version is broken.

        `asked`: the presenter pressed the key, and hears back when nothing changed
        (a key that seems to do nothing looks broken)."""
        try:
            deck = await asyncio.to_thread(load_deck, self.options.deck, root=self.options.root)
        except DeckUnreadable as exc:
            self._reload_failed(f"{exc.path}: {exc.reason}")
            return
        broken = new_error(self.deck, deck)
        if broken is not None:
            # The parser says how it would show the broken text ("shown with replacement
            # characters"); after a failed reload it is not shown at all.
            what = broken.message.split("; shown with ", 1)[0]
            self._reload_failed(f"{broken.source}: {what}")
            return
        unchanged = asked and first_changed(self.deck, deck) is None
        styles = self.deck_styles
        self.apply_deck(deck)
        new_styles = self.deck_styles
        if unchanged and (styles.sources, styles.web) == (new_styles.sources, new_styles.web):
            self.notify("deck unchanged", timeout=3)

    def _reload_failed(self, message: str) -> None:
        """Say what broke the save, and that the last good version stays on screen.

        The message names deck files and deck text, so it is never read as markup.
        """
        self.reload_problem = message
        self.notify(
            f"{message}\n{LAST_GOOD_SHOWN}",
            title="Reload failed",
            severity="error",
            timeout=6,
            markup=False,
        )
        self._update_status()

    def apply_deck(self, deck: Deck) -> None:
        """Show a new version of the deck, on the slide the edit is about."""
        old = self.deck
        self.reload_problem = None
        self.deck = deck
        self._plain.clear()
        known = set(self.deck_styles.problems)  # said already: not again at every save
        self._visible.clear()
        self.deck_styles = apply_deck_styles(self, deck, self.deck_styles)
        for problem in self.deck_styles.problems:
            if problem not in known:
                self._style_problem(problem)
        self._tell_unused_files(deck)
        self.talk.deck_changed(len(deck.slides), index_after_reload(old, deck, self.index) + 1)
        if self.rehearsal is not None:
            self.rehearsal.deck_changed([slide.title for slide in deck.slides])
        if (query := self.search_query) is not None:
            matches = self.find(query)
            self.talk.refind(matches, self._only_in_notes(matches, query))
        self._show()
        # Counted once the footer has the new version: it hears of it before this runs.
        self.main_screen.query_one(SlideFooter).call_later(self._count_reload)

    def _count_reload(self) -> None:
        self.reloads += 1

    # -- mouse ---------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        if self.screen is not self.screen_stack[0] or self.editing is not None or self._searching():
            return
        if event.button != 1:
            return  # a right or middle click is often a slip, or the terminal's own menu
        clicked_code = event.style.meta.get(CODE_BLOCK_META) if event.style else None
        if isinstance(clicked_code, int) and self.slide is not None:
            self._select_code(clicked_code)
            return
        if event.screen_x >= self.size.width // 2:
            self.action_next()
        else:
            self.action_previous()

"""The slide area: finished lines of the current slide, scrolled and centred.

A slide change only swaps which cached lines this widget draws (`show`); nothing is
mounted or removed, so moving through a deck costs a lookup and a repaint. Lines come
from `SlideRenderCache`, which renders each slide once per size.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from prexterm.app.ascii import ascii_borders, wants_ascii
from prexterm.app.caches import SlideCaches
from prexterm.app.layout import MAX_TEXT_WIDTH, code_window_rows, text_width
from prexterm.app.live_code import CodeState
from prexterm.app.messages import SearchChanged, SlideChanged, TalkMessage, tell
from prexterm.app.transition import FRAME, SlideMove
from prexterm.core.model import CodeBlock, Slide
from prexterm.render.markdown import safe_text
from prexterm.render.slide import PLAIN_STEP, SlideRenderCache

MATCH_STYLE = Style(reverse=True, bold=True)
"""How a search match stands out on the slide, in every theme, colour or none."""


def marked(strip: Strip, text: str) -> Strip:
    """`strip` with every occurrence of `text` (any case) drawn in `MATCH_STYLE`."""
    line = strip.text
    folded, needle = line.lower(), text.lower()
    if not needle or needle not in folded or len(folded) != len(line):
        return strip  # (a letter whose lower case is longer cannot be placed by cell)
    cuts: list[int] = []
    start = folded.find(needle)
    while start >= 0:
        end = start + len(needle)
        cuts += [cell_len(line[:start]), cell_len(line[:end])]
        start = folded.find(needle, end)
    pieces = strip.divide([*cuts, strip.cell_length])
    return Strip.join(
        Strip(Segment.apply_style(list(piece), post_style=MATCH_STYLE)) if i % 2 else piece
        for i, piece in enumerate(pieces)
    )


class SlideView(ScrollView, inherit_bindings=False):
    """Shows one slide; scrolls with Up/Down and the wheel when it is taller than the screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("down", "scroll_down", "Scroll down", show=False),
    ]
    """Only vertical scrolling: every other key belongs to the player's navigation."""

    can_focus = True

    class AreaChanged(TalkMessage):
        """The slide area has a new size (shown again after being hidden, a resized
        terminal, a pane beside it): what floats over the slide is placed anew."""

    class MarksChanged(TalkMessage):
        """There is now more (or no more) of the slide above or below what shows: told at
        once, so the first frame of a long slide already says there is more below."""

        def __init__(self, above: bool, below: bool) -> None:
            super().__init__()
            self.above = above
            self.below = below

    class CodeScrolled(TalkMessage):
        """Up/Down moved the window of the selected code block of slide `number`, which
        now shows from line `first` (0-based)."""

        def __init__(self, number: int, block: int, first: int) -> None:
            super().__init__()
            self.number = number
            self.block = block
            self.first = first

    def __init__(
        self,
        caches: SlideCaches,
        code: CodeState,
        *,
        id: str | None = None,
        transition: str = "none",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(id=id)
        self.transition = transition
        """`slide`: a change of slide moves sideways (see `app.transition`)."""
        self.clock = clock
        self._move: SlideMove | None = None
        self._frame_at = 0.0
        """The clock's moment of the transition frame on screen. Read once per frame, not
        per row, so a paint never joins rows of two moments into one torn frame."""
        self.caches = caches
        self.cache = caches.main
        self.code = code
        """Which code block of each slide is selected, scrolled and edited."""
        self.slide: Slide | None = None
        self.step: int | None = None
        """The step of the slide shown: what later steps reveal is blank (None: all)."""
        self.selected_code: int | None = None
        """Which code block of the slide is marked as the one the keys act on."""
        self.code_offsets: tuple[int, ...] = ()
        """First line shown of each code block taller than its window."""
        self.align: str | None = None
        """`center` or `right` when a deck stylesheet aligns this slide's text."""
        self._strips: list[Strip] = []
        self._top = 0
        self._left = 0
        self._failure: str | None = None
        self._marks: tuple[bool, bool] = (False, False)
        self._laid_out_for = Size(0, 0)
        self._blank = Strip.blank(0)
        self.message: str | None = None
        """Shown alone in the slide's place when there is no slide (an empty deck)."""
        self.highlight: str | None = None
        """The text searched for: drawn in reverse wherever a line of the slide shows it."""
        self.plain_whole = False
        """Whether the whole slide (its last step) shows code whose highlight moves plain:
        an exported page shows every step at once, so it has no step for the highlight to
        stand at."""

    @property
    def text_width(self) -> int:
        return text_width(self.size.width)

    def show(
        self,
        slide: Slide,
        *,
        selected_code: int | None = None,
        code_offsets: tuple[int, ...] = (),
        cache: SlideRenderCache | None = None,
        align: str | None = None,
        step: int | None = None,
    ) -> None:
        """Display `slide` at `step` (None: every step) from its top, drawn by `cache`
        (the one for its palette)."""
        self.finish_transition()
        before = self.slide
        moving = (
            self.transition == "slide"
            and before is not None
            and before.number != slide.number
            and self.size.width > 0
            and self.size.height > 0
        )
        old = self._rows() if moving else None
        self.slide = slide
        self.step = step
        self.message = None
        self.selected_code = selected_code
        self.code_offsets = code_offsets
        self.align = align
        if cache is not None:
            self.cache = cache
        self._layout_lines()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._report_marks()
        if old is not None and before is not None:
            forward = slide.number > before.number
            self._move = SlideMove(old, self._rows(), self.clock(), forward)
            self._frame_at = self._move.start
            self.set_timer(FRAME, self._next_frame)
        self.refresh()

    @property
    def moving(self) -> bool:
        """Whether a slide transition is under way."""
        return self._move is not None

    def finish_transition(self) -> None:
        """End the transition under way at once, on the slide it was moving to."""
        if self._move is not None:
            self._move = None
            self.refresh()

    def _next_frame(self) -> None:
        move = self._move
        if move is None:
            return
        now = self.clock()
        if move.progress(now) >= 1:
            self.finish_transition()
            return
        self._frame_at = now
        self.refresh()
        self.set_timer(FRAME, self._next_frame)

    def _rows(self) -> list[Strip]:
        """The rows the view shows now, without any transition."""
        return [self._still_line(y) for y in range(self.size.height)]

    def on_slide_changed(self, event: SlideChanged) -> None:
        """Show the talk's slide as it is now: its code edited, selected and scrolled as
        left, in the colours and alignment its look gives it."""
        slide, look, code = event.slide, event.look, self.code
        if slide is None:
            dash = "-" if wants_ascii(self) else "—"
            self.show_message(f"the deck is empty {dash} add slides and save")
            return
        self.show(
            code.with_edits(slide),
            selected_code=code.selected_index(slide, event.step),
            code_offsets=code.offsets(slide),
            cache=self.caches.for_look(look),
            align=look.align if look else None,
            step=event.step,
        )

    def show_message(self, message: str) -> None:
        """Say `message` in the slide's place: a deck with no slide must not leave the
        last slide on screen as if it were still there."""
        self.slide = None
        self.step = None
        self.message = message
        self._layout_lines()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._report_marks()
        self.refresh()

    def on_search_changed(self, event: SearchChanged) -> None:
        self.set_highlight(event.query)

    def set_highlight(self, text: str | None) -> None:
        """Mark `text` (any case) wherever it shows on the slide; None: mark nothing."""
        if text != self.highlight:
            self.highlight = text
            self._layout_lines()
            self.refresh()

    def set_plain_whole(self, plain: bool) -> None:
        """Draw the whole slide's moving highlights plain, or as at its last step."""
        if plain != self.plain_whole:
            self.plain_whole = plain
            self._layout_lines()
            self.refresh()

    def select_code(self, selected: int | None) -> None:
        """Mark another code block without moving the scroll position."""
        self.selected_code = selected
        self._layout_lines()
        self.refresh()

    def _layout_lines(self) -> None:
        self._laid_out_for = self.size
        if self.size.height:
            self.caches.fit(self.size.height)
        slide = self.slide
        width, height = self.size.width, self.size.height
        if (slide is None and self.message is None) or width <= 0 or height <= 0:
            self._strips = []
            self.virtual_size = Size(0, 0)
            return
        # A photo slide's lines already fill the area with the picture centred in it:
        # centring them again would push a narrow (portrait) picture right.
        fills_area = False
        middle: int | None = None
        used: int | None = None
        try:
            if slide is None:
                text_width = max(1, min(width, MAX_TEXT_WIDTH))
                lines = self._message_lines(self.message or "", text_width)
            elif slide.photo:
                rendered = self.cache.get(slide, width, height)
                text_width = width
                fills_area = True
            else:
                text_width = self.text_width
                step = self.step
                if self.plain_whole and (step is None or step >= slide.steps):
                    step = PLAIN_STEP
                rendered = self.cache.get(
                    slide,
                    text_width,
                    selected_code=self.selected_code,
                    code_window=self.code_window(self.code_offsets),
                    step=step,
                )
            if slide is not None:
                lines = rendered.lines
                middle = rendered.middle
                # The whole slide's width at every step: centring never moves as steps appear.
                used = min(text_width, rendered.used)
        except Exception as exc:  # a bad slide must never end the talk
            failed_width = max(1, min(width, MAX_TEXT_WIDTH))
            lines = self._failure_lines(slide, exc, failed_width) if slide is not None else []
            text_width = max(1, min(width, MAX_TEXT_WIDTH))
            fills_area = False
            used = None
        # Centre what the slide actually uses: a small table sits in the middle of the
        # screen, while long paragraphs use the whole comfortable width.
        if used is None:
            used = max(
                (cell_len("".join(seg.text for seg in line).rstrip()) for line in lines),
                default=0,
            )
        # A slide in columns or with aligned text places its text in the whole text area
        # itself, so that area is what is centred.
        spans_width = slide is not None and slide.spans_width
        used = text_width if fills_area or spans_width else min(text_width, used)
        left = max(0, (width - used) // 2)
        style = self.rich_style
        # Lines are finished here, once per layout: drawing a frame only hands them out.
        self._strips = [
            Strip([Segment(" " * left), *self._aligned(Strip(line).crop(0, used), used)])
            .adjust_cell_length(width)
            .apply_style(style)
            if left
            else self._aligned(Strip(line).crop(0, used), used)
            .adjust_cell_length(width)
            .apply_style(style)
            for line in lines
        ]
        if self.highlight:
            self._strips = [marked(strip, self.highlight) for strip in self._strips]
        self._blank = Strip.blank(width, style)
        self._left = left
        self._top = max(0, (height - len(self._strips)) // 2)
        if middle is not None:
            # `jump_to_middle`: what follows it is centred in the slide, what comes
            # before it stays above, and nothing is pushed off the top.
            self._top = max(0, (height - (len(self._strips) - middle)) // 2 - middle)
        self.virtual_size = Size(width, max(len(self._strips), 1))

    def code_window(self, offsets: tuple[int, ...]) -> tuple[int, tuple[int, ...]]:
        """How many code lines a panel shows here, and where each block's window starts."""
        return (code_window_rows(self.size.height), offsets)

    def set_code_offsets(self, offsets: tuple[int, ...]) -> None:
        """Scroll code windows without moving the slide."""
        self.code_offsets = offsets
        self._layout_lines()
        self.refresh()

    def action_scroll_up(self) -> None:
        if not self._scroll_code(-1):
            super().action_scroll_up()

    def action_scroll_down(self) -> None:
        if not self._scroll_code(1):
            super().action_scroll_down()

    def _scroll_code(self, step: int) -> bool:
        """Up/Down move through the selected code when it is longer than its window;
        False when there is none, or it is at that end already (the slide scrolls)."""
        slide, selected = self.slide, self.selected_code
        blocks = [b for b in slide.blocks if isinstance(b, CodeBlock)] if slide else []
        if slide is None or selected is None or not 0 <= selected < len(blocks):
            return False
        shown = self.code_window(())[0]
        total = blocks[selected].code.rstrip("\n").count("\n") + 1
        if total <= shown:
            return False
        offsets = list(self.code_offsets) + [0] * (len(blocks) - len(self.code_offsets))
        wanted = max(0, min(total - shown, offsets[selected] + step))
        if wanted == offsets[selected]:
            return False
        offsets[selected] = wanted
        self.set_code_offsets(tuple(offsets))
        tell(self, self.CodeScrolled(slide.number, selected, wanted))
        return True

    def page(self, step: int) -> bool:
        """Scroll a screenful down (`step` 1) or up (-1); False at that end already.

        A clicker only sends PgDn and PgUp: paging is how a slide taller than the screen
        gets read. One line of the screenful before stays in view, so the eye finds
        where it was.
        """
        # An arrow's glide still under way ends where it was going: pages count from there.
        self.app.animator.force_stop_animation(self, "scroll_y")
        y = round(self.scroll_y)
        target = y + step * max(1, self.scrollable_content_region.height - 1)
        target = max(0, min(round(self.max_scroll_y), target))
        if target == y:
            return False
        self.scroll_to(y=target, animate=False, immediate=True)
        return True

    def prepare(self, slides: list[tuple[Slide, int | None, tuple[int, ...], int | None]]) -> None:
        """Render `slides` (each at the step it would open at) into the cache at this
        view's size (safe from a worker thread).

        Slides a deck stylesheet recolours use another cache and are drawn when shown.
        """
        width, height = self.size.width, self.size.height
        for slide, selected_code, offsets, step in slides:
            if slide.photo:
                self.cache.get(slide, width, height)
            else:
                self.cache.get(
                    slide,
                    self.text_width,
                    selected_code=selected_code,
                    code_window=self.code_window(offsets),
                    step=step,
                )

    def _aligned(self, strip: Strip, width: int) -> Strip:
        """Pad a line to `width`, moving its text right or to the centre when asked to."""
        if self.align in ("center", "right") and not (self.slide and self.slide.photo):
            text = strip.text
            spare = width - cell_len(text.rstrip())
            if spare > 0:
                left = spare // 2 if self.align == "center" else spare
                strip = Strip([Segment(" " * left), *strip.crop(0, width - left)])
        return strip.adjust_cell_length(width)

    def _message_lines(self, message: str, width: int) -> list[list[Segment]]:
        """`message` wrapped to `width`, each line centred on the widest."""
        text = safe_text(message, Style(italic=True))
        text.justify = "center"
        return [list(line.render(self.app.console)) for line in text.wrap(self.app.console, width)]

    def _failure_lines(self, slide: Slide, exc: Exception, width: int) -> list[list[Segment]]:
        """A red message in place of a slide that failed to draw (the talk goes on)."""
        message = safe_text(
            f"slide {slide.number} could not be drawn: {type(exc).__name__}: {exc}",
            Style(color="red", bold=True),
        )
        self._failure = message.plain
        return [
            list(line.render(self.app.console)) for line in message.wrap(self.app.console, width)
        ]

    def on_mount(self) -> None:
        """The slide has the keys from the start (the search line and the editor take
        them while they are open)."""
        self.focus()
        if wants_ascii(self):
            ascii_borders(self)

    def on_resize(self) -> None:
        self.finish_transition()  # its rows were drawn for the old size
        tell(self, self.AreaChanged())
        if self.slide is None and self.message is None:
            return
        # The first paint may already have laid the slide out at this size: drawing it
        # again would only repeat that work before the first frame.
        if self._laid_out_for != self.size:
            self._layout_lines()
            self.refresh()
        self._report_marks()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._report_marks()

    def _report_marks(self) -> None:
        above = self.scroll_y > 0
        below = self.scroll_y < self.max_scroll_y
        if (above, below) != self._marks:
            self._marks = (above, below)
            tell(self, self.MarksChanged(above, below))

    @property
    def more_above(self) -> bool:
        return self._marks[0]

    @property
    def more_below(self) -> bool:
        return self._marks[1]

    def render_line(self, y: int) -> Strip:
        move = self._move
        if move is not None:
            return move.row(y, self._frame_at, self.size.width)
        return self._still_line(y)

    def _still_line(self, y: int) -> Strip:
        if self._laid_out_for != self.size:
            # The first paint can come before the resize event: lay out now, so the very
            # first frame already shows the slide.
            self._layout_lines()
        index = y + int(self.scroll_y) - self._top
        if 0 <= index < len(self._strips):
            return self._strips[index]
        return self._blank

"""The frame around a slide: header, footer with `N/M`, progress, scroll marks, status.

They are tiny widgets updated in place on every slide change; their look comes from the
stylesheet so themes can restyle them without code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from prexterm.app.ascii import ascii_text, wants_ascii
from prexterm.app.layout import MIN_HEIGHT, MIN_WIDTH
from prexterm.app.messages import (
    SlideChanged,
    StatusChanged,
    StatusShown,
    TerminalResized,
    tell,
)
from prexterm.app.slide_view import SlideView
from prexterm.core.model import Deck, Slide
from prexterm.core.talk import Talk
from prexterm.core.text import clean

if TYPE_CHECKING:
    from prexterm.app.caches import SlideCaches
    from prexterm.app.live_code import CodeState, OutputLook


def footer_text(
    footer: str | None,
    number: int,
    count: int,
    width: int | None = None,
    *,
    step: int = 1,
    steps: int = 1,
) -> str:
    """`FOOTER | N/M` as Prexent shows it, or just `N/M` when the deck has no footer.

    A slide of several steps adds its step after the slide number (`3/40 · 2/4`): the
    slide numbers stay what they are, steps never change how many slides there are.
    When `width` is too narrow for all of it, the footer text gives way: the position
    is the one thing the line must always show.
    """
    position = f"{number}/{count}"
    if steps > 1:
        position += f" · {step}/{steps}"
    if not footer:
        return position
    text = f"{footer} | {position}"
    if width is None or len(text) <= width:
        return text
    room = width - len(position) - 4
    if room < 1:
        return position
    return f"{footer[:room]}… | {position}"


class ProgressLine(Widget):
    """A one-row bar: how far through the deck the talk is."""

    fraction: reactive[float] = reactive(0.0)

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only

    def render(self) -> Text:
        width = self.size.width
        done = round(width * max(0.0, min(1.0, self.fraction)))
        full, empty = ("=", "-") if self.ascii_only else ("━", "─")
        text = Text(full * done, style="bold")
        text.append(empty * (width - done), style="dim")
        return text

    def on_slide_changed(self, event: SlideChanged) -> None:
        """Each step moves the line on by its share of its slide."""
        if not event.count or event.slide is None:
            self.fraction = 0.0
            return
        steps = max(1, event.slide.steps)
        step = min(max(1, event.step), steps)
        self.fraction = (event.number - 1 + step / steps) / event.count


class TextLine(Static):
    """A one-row label that never interprets its text as markup, nor lets a control
    character through (the header, footer and status line all carry deck text)."""

    _shown: str | None = None

    @property
    def text(self) -> str:
        """What the line shows."""
        return self._shown or ""

    def set(self, value: str) -> None:
        """Show `value`; a slide change that leaves the line as it was costs nothing.

        Only a change of length can move anything else, so only then is the screen
        laid out again.
        """
        value = clean(value)  # a deck's file name may hold control characters
        if value == self._shown:
            return
        layout = self._shown is None or len(value) != len(self._shown)
        self._shown = value
        if wants_ascii(self):
            self.update(Text(ascii_text(value), no_wrap=True, overflow="crop"), layout=True)
            return
        self.update(Text(value, no_wrap=True, overflow="ellipsis"), layout=layout)


class SlideHeader(TextLine):
    """The slide's `!header` line, hidden when the slide has none or its stylesheet hides it."""

    def on_slide_changed(self, event: SlideChanged) -> None:
        slide, look = event.slide, event.look
        self.set((slide.header or "") if slide is not None else "")
        if slide is not None:
            self.display = bool(slide.header) and not (look and look.header_hidden)


class SlideFooter(TextLine):
    """`FOOTER | N/M`, fitted to the terminal's width (see `footer_text`)."""

    _slide: Slide | None = None
    _count = 0
    _step = 1

    def on_slide_changed(self, event: SlideChanged) -> None:
        self._slide, self._count, self._step = event.slide, event.count, event.step
        if event.slide is None:
            self.set("0/0")
            return
        self.fit(self.app.size.width - 4)
        self.display = not (event.slide.no_footer or (event.look and event.look.footer_hidden))

    def on_terminal_resized(self, event: TerminalResized) -> None:
        self.fit(event.columns - 4)

    def fit(self, width: int) -> None:
        """Show the footer of the slide on screen in at most `width` columns."""
        if self._slide is not None:
            slide = self._slide
            self.set(
                footer_text(
                    slide.footer,
                    slide.number,
                    self._count,
                    width,
                    step=self._step,
                    steps=slide.steps,
                )
            )


class TooSmall(Static):
    """`terminal too small (W×H)`, alone on the screen while the terminal is smaller than
    the least a slide can be read in (`prexterm.app.layout.MIN_WIDTH` by `MIN_HEIGHT`)."""

    def on_terminal_resized(self, event: TerminalResized) -> None:
        small = event.columns < MIN_WIDTH or event.rows < MIN_HEIGHT
        self.screen.set_class(small, "too-small")
        if small:
            size = f"{event.columns}×{event.rows}"
            self.update(f"terminal too small ({ascii_text(size) if wants_ascii(self) else size})")


class ScrollMarks(TextLine):
    """`▼ more below` / `▲ more above` under a slide taller than its area."""

    def on_slide_view_marks_changed(self, event: SlideView.MarksChanged) -> None:
        up, down = ("^", "v") if wants_ascii(self) else ("▲", "▼")
        parts = [f"{up} more above"] if event.above else []
        parts += [f"{down} more below"] if event.below else []
        self.set("   ".join(parts))
        self.display = bool(parts)


LAST_GOOD_SHOWN = "showing the last good version"
"""What a failed reload keeps on screen, in the toast and the status line alike."""


class StatusLine(TextLine):
    """What the talk waits for or went through: a lost presenter, a failed reload, the
    digits of a go-to, a search and where its matches are."""

    def __init__(self, talk: Talk, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.talk = talk
        self.said: dict[str, str | None] = {}
        """What parts of the player have to say: `sync`, then `reload`, first wins."""

    def on_status_changed(self, event: StatusChanged) -> None:
        self.said.update(event.said)
        self._say()

    def on_slide_changed(self, _event: SlideChanged) -> None:
        self._say()

    def _say(self) -> None:
        talk = self.talk
        if sync := self.said.get("sync"):
            text = sync
        elif problem := self.said.get("reload"):
            text = f"reload failed, {LAST_GOOD_SHOWN}: {problem}"
        elif talk.typed:
            text = f"go to slide {talk.typed}…"
        elif (search := talk.search) is not None:
            if search.matches:
                rank = search.current(talk.slide)
                count = len(search.matches)
                here = f"{rank}/{count}" if rank is not None else f"{count} matches"
                if talk.only_in_notes:
                    here += " in the notes"
                text = f"search “{search.query}”: {here}  (n/N, Escape ends)"
            else:
                text = f"search “{search.query}”: no match  (Escape ends)"
        else:
            text = ""
        told = self.text
        self.set(text)
        if self.text != told:
            tell(self, StatusShown(self.text))


class AudienceFrame(Vertical):
    """What the audience sees: the slide between its header and its footer, and what
    shows only at times (the editor, the output panel, the scroll marks, the search line)
    hidden until then, never mounted mid-talk."""

    def __init__(
        self,
        talk: Talk,
        deck: Deck,
        caches: SlideCaches,
        code: CodeState,
        *,
        output_look: OutputLook,
        transition: str,
        clock: Callable[[], float],
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.talk = talk
        self.deck = deck
        self.caches = caches
        self.code = code
        self.output_look = output_look
        self.transition = transition
        self.clock = clock

    def compose(self) -> ComposeResult:
        from textual.widgets import TextArea

        from prexterm.app.live_code import OutputPanel
        from prexterm.app.search import SearchLine

        ascii_only = wants_ascii(self)
        yield SlideHeader(id="header")
        yield SlideView(
            self.caches, self.code, id="slide", transition=self.transition, clock=self.clock
        )
        editor = TextArea(id="editor", show_line_numbers=True, tab_behavior="indent")
        output = OutputPanel(ascii_only=ascii_only, look=self.output_look, id="output")
        more = ScrollMarks(id="more")
        search = SearchLine(self.talk, self.deck, id="search")
        for hidden in (editor, output, more, search):
            hidden.display = False
        yield editor
        yield output
        yield more
        yield search
        yield ProgressLine(ascii_only=ascii_only, id="progress")
        with Vertical(id="footer-row"):
            yield StatusLine(self.talk, id="status")
            yield SlideFooter(id="footer")

"""The presenter pane: notes, the next slide, timers and pace, for the speaker's eyes only.

Its widgets are made once; each slide change or clock tick only updates their text.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from prexterm.core.model import Slide
from prexterm.render.plain import markdown_to_plain
from prexterm.timing import Pace, TalkClock, format_seconds

PREVIEW_LINES = 4
PREVIEW_CHARS = 2000
"""How much of a slide's Markdown a preview reads: it shows a few short lines, and
laying out a slide of a hundred thousand characters would stall the pane."""


def slide_preview(slide: Slide | None, *, lines: int = PREVIEW_LINES) -> Text:
    """A few plain lines that tell the speaker what a slide is about."""
    if slide is None:
        return Text("end of deck", style="italic")
    text = Text(f"{slide.number}. ", style="bold")
    text.append(slide.title or "(no text)", style="bold")
    if slide.photo:
        text.append("  · photo", style="italic")
    plain = markdown_to_plain(slide.markdown[:PREVIEW_CHARS])
    body = [line.strip() for line in plain.splitlines() if line.strip()]
    if body and body[0].lstrip("-*+•◦ ").strip().startswith(slide.title):  # a long one is cut
        body = body[1:]
    for line in body[:lines]:
        text.append("\n" + line)
    return text


def notes_text(slide: Slide | None) -> Text:
    if slide is None or not slide.notes:
        return Text("no notes", style="dim italic")
    return Text("\n\n".join(slide.notes))


class PresenterPane(Vertical):
    """Notes, next slide and timers; the app calls `show` on each slide change."""

    PANE_CSS: ClassVar[str] = """
    /* Beside the slide on wide terminals, below it on narrow ones. */

    #presenter {
        display: none;
        background: $panel;
        padding: 0 1;
    }

    #body.presenting #presenter {
        display: block;
    }

    #body.wide #presenter {
        width: 44;
        height: 100%;
        border-top: none;
        border-left: solid $accent;
    }

    #body #presenter {
        width: 100%;
        height: 12;
        border-top: solid $accent;
    }

    #timers {
        height: auto;
    }

    #pace {
        height: auto;
        color: $success;
    }

    #pace.behind {
        color: $error;
        text-style: bold;
    }

    .pane-title {
        margin-top: 1;
        color: $accent;
    }

    #next, #current {
        height: auto;
        max-height: 6;
        color: $text-muted;
    }

    #notes-scroll {
        height: 1fr;
    }

    #body.notes-view #presenter {
        width: 100%;
        height: 100%;
        border-top: none;
        border-left: none;
    }
    """
    """The pane's layout, added to the app's stylesheet when the pane is first made
    (`PlayerApp._new_pane`): a talk that never opens it never parses it."""

    def __init__(
        self,
        talk: TalkClock,
        *,
        wall_clock: Callable[[], float] = time.time,
        duration: float | None = None,
        show_current: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.talk = talk
        self.duration = duration
        self.show_current = show_current
        self.wall_clock = wall_clock
        self.slide: Slide | None = None
        self.next_slide: Slide | None = None
        self.count = 0
        self._ready = False
        """True once its widgets exist: the pane is mounted when first opened, and the app
        may tell it about the slide before that has finished."""

    def compose(self) -> ComposeResult:
        yield Static(id="timers")
        yield Static(id="pace")
        if self.show_current:
            yield Static(Text("now", style="bold"), classes="pane-title")
            yield Static(id="current")
        yield Static(Text("next", style="bold"), classes="pane-title")
        yield Static(id="next")
        yield Static(Text("notes", style="bold"), classes="pane-title")
        with VerticalScroll(id="notes-scroll"):
            yield Static(id="notes")

    def on_mount(self) -> None:
        self._ready = True
        self.show(self.slide, self.next_slide, self.count)

    def show(self, slide: Slide | None, next_slide: Slide | None, count: int) -> None:
        self.slide = slide
        self.next_slide = next_slide
        self.count = count
        if not self._ready:
            return
        self.query_one("#notes", Static).update(notes_text(slide))
        self.query_one("#notes-scroll").scroll_home(animate=False)
        self.query_one("#next", Static).update(slide_preview(next_slide))
        if self.show_current:
            self.query_one("#current", Static).update(slide_preview(slide, lines=8))
        self.tick()

    def pace(self) -> Pace | None:
        if self.duration is None or self.slide is None:
            return None
        return self.talk.pace(self.duration, self.slide.number, self.count)

    def timers_text(self, wall_time: float) -> Text:
        number = self.slide.number if self.slide else 0
        text = Text()
        text.append(format_seconds(self.talk.elapsed), style="bold")
        text.append(" elapsed" + (" (paused)" if self.talk.paused else ""))
        text.append(f"   slide {number}/{self.count}", style="bold")
        text.append(f"\n{format_seconds(self.talk.on_slide)} on this slide")
        text.append(f"   clock {time.strftime('%H:%M', time.localtime(wall_time))}")
        return text

    def tick(self) -> None:
        """Refresh the timers (called every half second and on every change)."""
        if not self._ready:
            return
        self.query_one("#timers", Static).update(self.timers_text(self.wall_clock()))
        pace = self.pace()
        pace_widget = self.query_one("#pace", Static)
        pace_widget.display = pace is not None
        if pace is not None:
            pace_widget.update(Text(pace.describe()))
            pace_widget.set_class(pace.behind, "behind")

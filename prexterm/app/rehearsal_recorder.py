"""The rehearsal's stopwatch: how long each slide was on screen (`prexterm rehearse`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget

from prexterm.app.messages import DeckReloaded, SlideChanged

if TYPE_CHECKING:
    from prexterm.timing.rehearsal import Rehearsal


class RehearsalRecorder(Widget):
    """Times the slide shown; a reload's new slides are timed too. A step is no visit of
    its own: the time spent on each step adds to its slide's."""

    DEFAULT_CSS = "RehearsalRecorder { display: none; }"

    def __init__(self, rehearsal: Rehearsal) -> None:
        super().__init__()
        self.rehearsal = rehearsal

    def on_deck_reloaded(self, event: DeckReloaded) -> None:
        self.rehearsal.deck_changed([slide.title for slide in event.deck.slides])

    def on_slide_changed(self, event: SlideChanged) -> None:
        number, rehearsal = event.number, self.rehearsal
        if 1 <= number <= len(rehearsal.slide_titles):
            rehearsal.visit(number)

"""What the player tells its parts when the talk changes.

The player changes the talk (`prexterm.core.talk.Talk`) and posts one of these to each
part that shows or shares it; each part handles its own, so the data flow reads from the
message to the handler and no part is called by hand from a hub. They do not bubble: a
part's message is its own, and the app that posted it has already acted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from prexterm.core.model import Slide
from prexterm.timing.clock import ClockState

if TYPE_CHECKING:
    from prexterm.style.webcss import SlideLook


class TalkMessage(Message, bubble=False):
    """A change of the talk, posted to every part that cares about it."""


class SlideChanged(TalkMessage):
    """The talk is on another slide, or the slide on screen was drawn again."""

    def __init__(
        self,
        slide: Slide | None,
        next_slide: Slide | None,
        count: int,
        *,
        look: SlideLook | None = None,
        step: int = 1,
    ) -> None:
        super().__init__()
        self.slide = slide
        """The slide now shown (None while the deck is empty)."""
        self.next_slide = next_slide
        """The slide after it, which the presenter pane previews."""
        self.count = count
        self.look = look
        """What the deck's web stylesheet says of the slide's frame, if anything."""
        self.step = step
        """The place inside the slide (1 for now: a slide has one step)."""

    @property
    def number(self) -> int:
        """The 1-based number of the slide shown, 0 in an empty deck."""
        return self.slide.number if self.slide is not None else 0


class TalkClockChanged(TalkMessage):
    """The presenter started, paused, resumed or reset the talk clock, or took another
    view's."""

    def __init__(self, state: ClockState) -> None:
        super().__init__()
        self.state = state

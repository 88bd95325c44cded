"""What the player tells its parts when the talk changes, and how it tells them.

The player changes the talk (`prexterm.core.talk.Talk`) and `tell`s the screen: every
part on it that has a handler for the message gets its own copy. The player never lists
its parts, and no part is called by hand from a hub: the data flow reads from the message
to its handlers. Messages do not bubble: a part's message is its own, and whoever sent it
has already acted.

Handlers run in the order of the screen's widgets: Textual hands each widget its queued
messages in turn before the screen paints again, so one change reaches every part in
the same frame.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, TypeVar

from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen

from prexterm.core.model import Deck, Slide
from prexterm.timing.clock import ClockState

if TYPE_CHECKING:
    from prexterm.style.webcss import SlideLook


class TalkMessage(Message, bubble=False):
    """A change of the talk, posted to every part that cares about it."""

    def copy(self: _Told) -> _Told:
        """The same news for one more part (a message is handled by one node)."""
        return copy.copy(self)


_Told = TypeVar("_Told", bound=TalkMessage)


def tell(node: DOMNode, message: TalkMessage) -> None:
    """Post `message` to every node of `node`'s screen (the screen itself included) that
    handles it; nothing once `node` has left its screen (the player is closing).

    A part declares what it hears by its handler's name (`on_slide_changed`); each gets
    its own copy, so that one part stopping or preventing it changes nothing for another.
    """
    if not node.is_attached:
        return
    screen = node if isinstance(node, Screen) else node.screen
    name = message.handler_name
    for part in screen.walk_children(with_self=True):
        if hasattr(part, name):
            part.post_message(message.copy())


class SlideChanged(TalkMessage):
    """The talk is on another slide or step, or the slide on screen was drawn again."""

    def __init__(
        self,
        slide: Slide | None,
        next_slide: Slide | None,
        count: int,
        *,
        look: SlideLook | None = None,
        step: int = 1,
        moved: bool = False,
        remote: bool = False,
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
        """The step of the slide the talk is on (1 on a slide without pauses)."""
        self.moved = moved
        """The talk moved here, to another slide or step (False: the slide first shown,
        or drawn again)."""
        self.remote = remote
        """The move came from another view of the talk, which knows of it already."""

    @property
    def number(self) -> int:
        """The 1-based number of the slide shown, 0 in an empty deck."""
        return self.slide.number if self.slide is not None else 0


class FirstSlideShown(TalkMessage):
    """The audience sees the first slide: what would have made them wait for it (the file
    watcher, the presenter socket) can start."""


class TalkClockChanged(TalkMessage):
    """The presenter started, paused, resumed or reset the talk clock, or took another
    view's."""

    def __init__(
        self,
        state: ClockState,
        *,
        remote: bool = False,
        used: str | None = None,
        was_started: bool = False,
    ) -> None:
        super().__init__()
        self.state = state
        self.remote = remote
        """The clock came from another view of the talk (the presenter's)."""
        self.used = used
        """The key that changed it, in this view or a following one: `toggle` (`t`) or
        `reset` (`T`); None when the clock was only shared."""
        self.was_started = was_started
        """Whether the clock had started before the key (`t` starts, pauses or resumes)."""


class DeckReloaded(TalkMessage):
    """A saved edit replaced the deck; the talk stays on the slide the edit is about.

    Told before the `SlideChanged` that shows it, so parts that keep something per slide
    have forgotten the old deck by then."""

    def __init__(
        self, deck: Deck, style_problems: list[str] | None = None, *, restyled: bool = True
    ) -> None:
        super().__init__()
        self.deck = deck
        self.style_problems = style_problems or []
        """What is newly wrong with the deck's stylesheets (said once, not at every save)."""
        self.restyled = restyled
        """The deck's stylesheets changed too (or may have)."""


class BlankChanged(TalkMessage):
    """The blank screen went up or came down."""

    def __init__(self, blank: bool, *, white: bool = False) -> None:
        super().__init__()
        self.blank = blank
        self.white = white
        """The blank screen is white (`w`), not black."""


class PeekChanged(TalkMessage):
    """The presenter peeks at another slide in the pane (`slide`), or stopped (None): the
    audience's slide does not change."""

    def __init__(self, slide: Slide | None, next_slide: Slide | None, count: int) -> None:
        super().__init__()
        self.slide = slide
        self.next_slide = next_slide
        self.count = count


View = tuple[str, str, "tuple[int, int] | None"]
"""A view of the talk in another terminal: its name (`follower 2`), role (`follow`,
`notes`) and terminal size, once it said."""


class ViewersChanged(TalkMessage):
    """Views of the talk in other terminals came, went or resized (see `SyncBridge`)."""

    def __init__(self, views: tuple[View, ...]) -> None:
        super().__init__()
        self.views = views


class TerminalResized(TalkMessage):
    """This view's terminal changed size (a following view tells its presenter)."""

    def __init__(self, columns: int, rows: int) -> None:
        super().__init__()
        self.columns = columns
        self.rows = rows


class StatusChanged(TalkMessage):
    """Something the status line says changed: typed digits or a search (in the talk),
    or what a part has to say there (`said`: `reload`, `sync`; None when it is over)."""

    def __init__(self, **said: str | None) -> None:
        super().__init__()
        self.said = said


class StatusShown(TalkMessage):
    """The status line says `text` now (the notes view, whose frame is hidden, shows it
    in the presenter pane)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class SearchChanged(TalkMessage):
    """The presenter searched for `query`, or forgot the search (None): the slide marks
    where the text shows."""

    def __init__(self, query: str | None) -> None:
        super().__init__()
        self.query = query


class OverlayChanged(TalkMessage):
    """An overlay (help, overview, blank) covers the slide, or has gone."""

    def __init__(self, shown: bool) -> None:
        super().__init__()
        self.shown = shown

"""The talk as every view of it shares it: where it stands in the deck and what the presenter
has begun to type, found or hidden.

The presenter's view, the notes view and the audience's views all show the same talk, so
its state lives here, apart from any screen: the player changes it through the presenter's
actions and tells its widgets what changed. Each action returns what it changed, so the
caller knows what to redraw and what to tell the other views, and a test can drive a
whole talk without a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from prexterm.timing.clock import ClockState, TalkClock

MAX_TYPED_DIGITS = 6
"""Digits typed for a go-to: no deck has a million slides, and the status line stays short."""


@dataclass(frozen=True)
class Move:
    """Where an action took the talk."""

    slide: int
    """The slide the talk is on after the action (0 in an empty deck)."""
    moved: bool
    """Whether that is another slide than before."""
    clamped: bool = False
    """Whether the slide asked for lay outside the deck, so the nearest end was taken."""


@dataclass(frozen=True)
class Search:
    """A search the presenter ran, and the slides it found."""

    query: str
    matches: tuple[int, ...]
    """The numbers of the slides that match, in the deck's order."""
    in_notes_only: frozenset[int] = field(default_factory=frozenset)
    """The matching slides where the query is only in the notes: nothing on the slide
    itself can be marked, so the presenter is told where it is."""

    def current(self, slide: int) -> int | None:
        """The 1-based rank of `slide` among the matches, or None when it is not one."""
        try:
            return self.matches.index(slide) + 1
        except ValueError:
            return None

    def after(self, slide: int, step: int) -> int | None:
        """The match after `slide` (`step` > 0) or before it, wrapping round; None without
        a match."""
        if not self.matches:
            return None
        if step > 0:
            later = [m for m in self.matches if m > slide]
            return later[0] if later else self.matches[0]
        earlier = [m for m in self.matches if m < slide]
        return earlier[-1] if earlier else self.matches[-1]


class Talk:
    """The position in the deck, typed digits, `g g`, search, blank screen and talk clock.

    The slide number always lies between 1 and the number of slides (it is 0 only while
    the deck is empty). `step` is the place inside a slide; every slide has one step today.
    """

    def __init__(
        self,
        count: int,
        clock: TalkClock,
        *,
        slide: int = 1,
        leads: bool = True,
        duration: float | None = None,
    ) -> None:
        self.count = max(0, count)
        self.clock = clock
        """The one talk clock: its state is shared, never its ticks."""
        self.duration = duration
        """The talk's planned length in seconds, if known: a following view started
        without one takes its presenter's."""
        self.leads = leads
        """A presenter's talk starts its clock with its first move; a following view's
        clock is the presenter's."""
        self.slide = min(max(1, slide), self.count)
        self.step = 1
        self.typed = ""
        """The digits of a go-to typed so far (Enter goes there)."""
        self.g_pending = False
        """`g` was pressed once: a second `g` goes to the first slide."""
        self.search: Search | None = None
        self.blanked = False
        """The blank screen is up."""

    # -- clock ---------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        """Whether the talk clock has started (it waits for the first move or `t`)."""
        return self.clock.started

    @property
    def paused(self) -> bool:
        return self.clock.paused

    @property
    def elapsed(self) -> float:
        """Seconds of talk so far."""
        return self.clock.elapsed

    @property
    def on_slide(self) -> float:
        """Seconds of talk on the current slide."""
        return self.clock.on_slide

    def clock_state(self) -> ClockState:
        """The clock as the views share it."""
        return self.clock.state()

    # -- moving --------------------------------------------------------------------------

    def go_to(self, number: int) -> Move:
        """Go to slide `number`, or to the nearest end of the deck when it lies outside."""
        if not self.count:
            return Move(0, moved=False, clamped=number != 0)
        target = min(max(1, number), self.count)
        self.g_pending = False
        if target == self.slide:
            return Move(target, moved=False, clamped=target != number)
        self.slide = target
        self.step = 1
        if self.leads:
            self.clock.start()  # the talk starts with its first move
        self.clock.slide_changed()
        return Move(target, moved=True, clamped=target != number)

    def next(self) -> Move:
        return self.go_to(self.slide + 1)

    def previous(self) -> Move:
        return self.go_to(self.slide - 1)

    def first(self) -> Move:
        return self.go_to(1)

    def last(self) -> Move:
        return self.go_to(self.count)

    def press_g(self) -> Move | None:
        """`g`: the first press waits for a second, which goes to the first slide."""
        if self.g_pending:
            return self.first()
        self.g_pending = True
        return None

    def other_key(self) -> None:
        """Any key but `g` between two `g`s cancels the pair."""
        self.g_pending = False

    def adopt(self, slide: int, clock: ClockState, blank: bool) -> Move:
        """Take the state another view held (a presenter started again): the slide without
        counting it as a move, the clock as it was shared, the blank screen."""
        before = self.slide
        if self.count:
            self.slide = min(max(1, slide), self.count)
        self.clock.adopt(clock)
        self.blanked = self.blanked or blank
        return Move(self.slide, moved=self.slide != before, clamped=self.slide != slide)

    def deck_changed(self, count: int, slide: int) -> Move:
        """A new version of the deck with `count` slides, on slide `slide` of it."""
        before = self.slide
        self.count = max(0, count)
        self.slide = min(max(1, slide), self.count)
        self.step = 1
        return Move(self.slide, moved=self.slide != before)

    # -- typed go-to ---------------------------------------------------------------------

    def type_digit(self, digit: int) -> bool:
        """Add a digit to the typed number; False when it already has all it may have."""
        if not 0 <= digit <= 9:
            raise ValueError(f"not a digit: {digit!r}")
        if len(self.typed) >= MAX_TYPED_DIGITS:
            return False
        self.typed += str(digit)
        return True

    def erase_digit(self) -> bool:
        """Take back the last typed digit; False when nothing was typed."""
        if not self.typed:
            return False
        self.typed = self.typed[:-1]
        return True

    def enter(self) -> Move:
        """Enter: go to the typed number, or to the next slide when nothing was typed."""
        if not self.typed:
            return self.next()
        number = int(self.typed)
        self.typed = ""
        return self.go_to(number)

    # -- search --------------------------------------------------------------------------

    def find(
        self, query: str, matches: Iterable[int], in_notes_only: Iterable[int] = ()
    ) -> Move | None:
        """Start a search that found `matches`; go to the first match from here on,
        wrapping round. None when nothing matched (the talk stays where it is)."""
        found = tuple(sorted(set(matches)))
        self.search = Search(query, found, frozenset(in_notes_only) & frozenset(found))
        if not found:
            return None
        later = [m for m in found if m >= self.slide]
        return self.go_to(later[0] if later else found[0])

    def refind(self, matches: Iterable[int], in_notes_only: Iterable[int] = ()) -> None:
        """The same search over a new version of the deck."""
        if self.search is not None:
            found = tuple(sorted(set(matches)))
            only = frozenset(in_notes_only) & frozenset(found)
            self.search = Search(self.search.query, found, only)

    def match(self, step: int) -> Move | None:
        """The next match (`step` > 0) or the one before; None without a match."""
        target = self.search.after(self.slide, step) if self.search is not None else None
        return None if target is None else self.go_to(target)

    @property
    def only_in_notes(self) -> bool:
        """Whether the search matched this slide in its notes only."""
        return self.search is not None and self.slide in self.search.in_notes_only

    def cancel(self) -> bool:
        """Escape: forget the typed number and the search; True if there was one."""
        had = bool(self.typed) or self.search is not None
        self.typed = ""
        self.search = None
        return had

    # -- blank ---------------------------------------------------------------------------

    def set_blank(self, blank: bool) -> bool:
        """Put the blank screen up or take it down; True if that changed anything."""
        changed = blank != self.blanked
        self.blanked = blank
        return changed

    def toggle_blank(self) -> bool:
        """`b`: blank the screen, or show the slide again. Returns the new state."""
        self.blanked = not self.blanked
        return self.blanked

"""The talk as every view of it shares it: where it stands in the deck and what the presenter
has begun to type, found or hidden.

The presenter's view, the notes view and the audience's views all show the same talk, so
its state lives here, apart from any screen: the player changes it through the presenter's
actions and tells its widgets what changed. Each action returns what it changed, so the
caller knows what to redraw and what to tell the other views, and a test can drive a
whole talk without a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

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
    step: int = 1
    """The step of that slide the talk is on after the action."""
    stepped: bool = False
    """Whether the step is another than before (on the same slide or not)."""

    @property
    def changed(self) -> bool:
        """Whether the audience sees something else: another slide or another step."""
        return self.moved or self.stepped


@dataclass(frozen=True)
class Search:
    """A search the presenter ran, and the slides it found."""

    query: str
    matches: tuple[int, ...]
    """The numbers of the slides that match, in the deck's order."""
    in_notes_only: frozenset[int] = field(default_factory=frozenset)
    """The matching slides where the query is only in the notes: nothing on the slide
    itself can be marked, so the presenter is told where it is."""
    steps: Mapping[int, int] = field(default_factory=lambda: MappingProxyType({}))
    """The step that first shows the match, by slide number (step 1 when not given)."""

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
    the deck is empty). `step` is the place inside the slide, between 1 and its number of
    steps: a pause or an incremental list reveals a slide piece by piece, and the talk
    moves through those pieces before it moves on to the next slide.
    """

    def __init__(
        self,
        count: int,
        clock: TalkClock,
        *,
        slide: int = 1,
        leads: bool = True,
        duration: float | None = None,
        steps: Sequence[int] = (),
    ) -> None:
        self.count = max(0, count)
        self.steps: tuple[int, ...] = tuple(steps)
        """How many steps each slide has, the first slide's first; a slide not listed has one."""
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
        self.white = False
        """The blank screen is white (`w`) rather than black."""
        self.came_from: tuple[int, int] | None = None
        """The slide and step a jump (go-to, overview, search, first, last) left: back
        (the backtick) returns there."""
        self.peeking: int | None = None
        """The slide the presenter peeks at in the pane, privately (None: not peeking);
        the talk itself, and every view that follows it, stays on `slide`."""

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

    def steps_of(self, number: int) -> int:
        """How many steps slide `number` has (at least one)."""
        if 1 <= number <= len(self.steps):
            return max(1, self.steps[number - 1])
        return 1

    @property
    def last_step(self) -> int:
        """The last step of the current slide: everything on it shows."""
        return self.steps_of(self.slide)

    def go_to(self, number: int, step: int = 1) -> Move:
        """Go to slide `number` at `step` (its first, unless told), or to the nearest end of
        the deck when the slide lies outside it; a step past the slide's last is its last."""
        if not self.count:
            return Move(0, moved=False, clamped=number != 0)
        target = min(max(1, number), self.count)
        step = min(max(1, step), self.steps_of(target))
        self.g_pending = False
        moved = target != self.slide
        stepped = step != self.step
        if not moved and not stepped:
            return Move(target, moved=False, clamped=target != number, step=step)
        self.slide = target
        self.step = step
        if self.leads:
            self.clock.start()  # the talk starts with its first move
        if moved:
            self.clock.slide_changed()  # steps add to their slide's time
        return Move(target, moved=moved, clamped=target != number, step=step, stepped=stepped)

    def next(self) -> Move:
        """One step on; after a slide's last step, the next slide's first."""
        if self.count and self.step < self.last_step:
            return self.go_to(self.slide, self.step + 1)
        if self.slide >= self.count:
            return self.go_to(self.slide + 1, self.step)  # the end: nothing changes
        return self.go_to(self.slide + 1)

    def previous(self) -> Move:
        """One step back; from a slide's first step, the previous slide's last step: what
        the audience saw last of it."""
        if self.step > 1:
            return self.go_to(self.slide, self.step - 1)
        return self.go_to(self.slide - 1, self.steps_of(self.slide - 1))

    def next_slide(self) -> Move:
        """The next slide at its first step, whatever steps this one has left."""
        if self.slide >= self.count:
            return self.go_to(self.slide + 1, self.step)
        return self.go_to(self.slide + 1)

    def previous_slide(self) -> Move:
        """The previous slide at its first step, past the steps of this one."""
        if self.slide <= 1:
            return self.go_to(0, self.step)
        return self.go_to(self.slide - 1)

    def reveal_all(self) -> Move:
        """Every step of this slide at once (its last step)."""
        return self.go_to(self.slide, self.last_step)

    def first(self) -> Move:
        """Home, or `g g`: a jump to the first slide (back returns)."""
        return self.jump_to(1)

    def last(self) -> Move:
        """End: a jump to the last slide (back returns)."""
        return self.jump_to(self.count)

    def jump_to(self, number: int, step: int = 1) -> Move:
        """Go to slide `number` as a jump (the overview, a peeked slide going live): back
        returns to where the talk was."""
        before = self.position
        return self._jumped(before, self.go_to(number, step))

    def press_g(self) -> Move | None:
        """`g`: the first press waits for a second, which goes to the first slide."""
        if self.g_pending:
            return self.first()
        self.g_pending = True
        return None

    def other_key(self) -> None:
        """Any key but `g` between two `g`s cancels the pair."""
        self.g_pending = False

    def adopt(self, slide: int, clock: ClockState, blank: bool, step: int = 1) -> Move:
        """Take the state another view held (a presenter started again): the slide and
        step without counting them as a move, the clock as it was shared, the blank screen."""
        before = (self.slide, self.step)
        if self.count:
            self.slide = min(max(1, slide), self.count)
            self.step = min(max(1, step), self.last_step)
        self.clock.adopt(clock)
        self.blanked = self.blanked or blank
        return Move(
            self.slide,
            moved=self.slide != before[0],
            clamped=self.slide != slide,
            step=self.step,
            stepped=self.step != before[1],
        )

    def deck_changed(
        self, count: int, slide: int, *, steps: Sequence[int] = (), step: int = 1
    ) -> Move:
        """A new version of the deck with `count` slides (`steps` of each), on slide
        `slide` of it at `step` (kept within the slide's steps)."""
        before = (self.slide, self.step)
        self.count = max(0, count)
        self.steps = tuple(steps)
        self.slide = min(max(1, slide), self.count)
        self.step = min(max(1, step), self.last_step)
        return Move(
            self.slide,
            moved=self.slide != before[0],
            step=self.step,
            stepped=self.step != before[1],
        )

    # -- back and peek -------------------------------------------------------------------

    def _jumped(self, before: tuple[int, int], move: Move) -> Move:
        """`move` was a jump from `before` (slide, step): back returns there once it went
        somewhere. Returns `move`, to chain."""
        if move.moved:
            self.came_from = before
        return move

    @property
    def position(self) -> tuple[int, int]:
        """The slide and step the talk is on."""
        return self.slide, self.step

    def back(self) -> Move | None:
        """Return to where the last jump came from; None when no jump happened. Back again
        returns to where back left, so two slides can be compared back and forth."""
        if self.came_from is None:
            return None
        slide, step = self.came_from
        return self.jump_to(slide, step)

    def peek(self, step: int) -> int | None:
        """Start peeking (at the slide after this one, `step` > 0, else before it) or move
        the peek by `step` slides, kept within the deck; the slide peeked at, None in an
        empty deck. The talk does not move."""
        if not self.count:
            return None
        start = self.slide if self.peeking is None else self.peeking
        self.peeking = min(max(1, start + step), self.count)
        return self.peeking

    def stop_peek(self) -> bool:
        """Back to the live slide; True if there was a peek to end."""
        was = self.peeking is not None
        self.peeking = None
        return was

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
        """Enter: the peeked slide goes live, else a jump to the typed number, else the
        next step or slide."""
        if self.peeking is not None:
            number, self.peeking = self.peeking, None
            return self.jump_to(number)
        if not self.typed:
            return self.next()
        number = int(self.typed)
        self.typed = ""
        return self.jump_to(number)

    # -- search --------------------------------------------------------------------------

    def find(
        self,
        query: str,
        matches: Iterable[int],
        in_notes_only: Iterable[int] = (),
        steps: Mapping[int, int] | None = None,
    ) -> Move | None:
        """Start a search that found `matches`; go to the first match from here on,
        wrapping round. None when nothing matched (the talk stays where it is).

        `steps` gives, by slide number, the first step that shows the match: a match
        opens there, every other slide at its first step."""
        found = tuple(sorted(set(matches)))
        self.search = Search(
            query,
            found,
            frozenset(in_notes_only) & frozenset(found),
            MappingProxyType(dict(steps or {})),
        )
        if not found:
            return None
        later = [m for m in found if m >= self.slide]
        return self._open_match(later[0] if later else found[0])

    def refind(
        self,
        matches: Iterable[int],
        in_notes_only: Iterable[int] = (),
        steps: Mapping[int, int] | None = None,
    ) -> None:
        """The same search over a new version of the deck."""
        if self.search is not None:
            found = tuple(sorted(set(matches)))
            only = frozenset(in_notes_only) & frozenset(found)
            shows = MappingProxyType(dict(steps or {}))
            self.search = Search(self.search.query, found, only, shows)

    def match(self, step: int) -> Move | None:
        """The next match (`step` > 0) or the one before; None without a match."""
        target = self.search.after(self.slide, step) if self.search is not None else None
        return None if target is None else self._open_match(target)

    def _open_match(self, slide: int) -> Move:
        """Jump to a matching slide at the first step that shows the match."""
        shows = self.search.steps.get(slide, 1) if self.search is not None else 1
        return self.jump_to(slide, shows)

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

    def set_blank(self, blank: bool, *, white: bool = False) -> bool:
        """Put the blank screen up (white, or black) or take it down; True if that
        changed anything."""
        changed = blank != self.blanked or (blank and white != self.white)
        self.blanked = blank
        self.white = blank and white
        return changed

    def toggle_blank(self) -> bool:
        """`b`: blank the screen, or show the slide again. Returns the new state."""
        self.blanked = not self.blanked
        return self.blanked

"""Searching the deck (`/`, `n`, `N`): the search line, which slides have the text, on
the slide or in its notes only, and the moves to them.

A match only in the notes has nothing to mark on the slide, so the player says where it
is; telling the two apart reads each slide's visible text once per deck version.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.message import Message
from textual.widgets import Input

from prexterm.app.ascii import ascii_borders, wants_ascii
from prexterm.app.messages import DeckReloaded, SearchChanged, StatusChanged, tell
from prexterm.core.model import Deck, Slide
from prexterm.core.talk import Move, Talk
from prexterm.render.plain import first_step_showing, markdown_to_plain


class SearchLine(Input):
    """The line the query is typed in; hidden until `/` opens it."""

    class Moved(Message):
        """The search took the talk to a match (already changed): show where it is now."""

        def __init__(self, move: Move) -> None:
            super().__init__()
            self.move = move

    class Emptied(Message):
        """The presenter sent an empty query: as Escape would, that forgets the search."""

    def __init__(self, talk: Talk, deck: Deck, *, id: str | None = None) -> None:
        super().__init__(placeholder="search slides and notes", id=id)
        self.talk = talk
        self.shown_deck = deck
        """The deck on screen, which a search looks through."""
        self.deck: Deck | None = None
        """The deck version the texts below were read from."""
        self._plain: dict[int, str] = {}
        self._visible: dict[int, str] = {}
        """What the audience sees of each slide, lower-cased."""

    def on_mount(self) -> None:
        if wants_ascii(self):
            ascii_borders(self)

    def open(self) -> None:
        """Show the line with the last query in it, and give it the keys."""
        search = self.talk.search
        self.value = search.query if search is not None else ""
        self.display = True
        self.focus()

    def close(self) -> None:
        """Hide the line and give the keys back to the slide."""
        self.display = False
        self.screen.query_one("#slide").focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.close()
        query = event.value.strip()
        if not query:
            self.post_message(self.Emptied())
            return
        move = self.talk.find(query, *self.find(self.shown_deck, query))
        tell(self, SearchChanged(query))
        self._moved(move)
        tell(self, StatusChanged())

    def match(self, step: int) -> bool:
        """`n` (`step` > 0) or `N`: the next match or the one before; False without a
        search that found something."""
        search = self.talk.search
        if search is None or not search.matches:
            return False
        move = self.talk.match(step)
        self._moved(move)
        tell(self, StatusChanged())
        return True

    def _moved(self, move: Move | None) -> None:
        if move is None:
            return
        if move.changed:
            self.post_message(self.Moved(move))
        if self.talk.only_in_notes:  # nothing to mark on the slide: say where it is
            self.app.notify(f"found in the notes of slide {self.talk.slide}", timeout=4)

    def on_deck_reloaded(self, event: DeckReloaded) -> None:
        """The same search over the new version of the deck (the talk is on it already)."""
        self.shown_deck = event.deck
        search = self.talk.search
        if search is not None:
            self.talk.refind(*self.find(event.deck, search.query))
            tell(self, StatusChanged())

    @property
    def searching(self) -> bool:
        """Whether the line is open and has the keys."""
        return self.has_focus

    def plain_text(self, slide: Slide) -> str:
        """The slide's visible text and its notes, lower-cased, for searching."""
        text = self._plain.get(slide.number)
        if text is None:
            text = "\n".join([self._visible_text(slide), *slide.notes]).lower()
            self._plain[slide.number] = text
        return text

    def _visible_text(self, slide: Slide) -> str:
        text = self._visible.get(slide.number)
        if text is None:
            text = self._visible[slide.number] = markdown_to_plain(slide.markdown).lower()
        return text

    def find(self, deck: Deck, query: str) -> tuple[list[int], list[int], dict[int, int]]:
        """The numbers of the slides of `deck` whose text or notes contain `query` (any
        case), those of them that have it in their notes only, and by slide the first
        step that shows it (only for slides of more than one step)."""
        if deck is not self.deck:
            self.deck = deck
            self._plain.clear()
            self._visible.clear()
        needle = query.lower()
        found = [s.number for s in deck.slides if needle in self.plain_text(s)]
        slides = deck.slides
        steps = {
            n: first_step_showing(slides[n - 1], query) for n in found if slides[n - 1].steps > 1
        }
        return found, self._only_in_notes(deck, found, needle), steps

    def _only_in_notes(self, deck: Deck, numbers: Iterable[int], needle: str) -> list[int]:
        slides = deck.slides
        return [n for n in numbers if needle not in self._visible_text(slides[n - 1])]

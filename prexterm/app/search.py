"""Searching the deck (`/`): the search line, and which slides have the text, on the
slide or in its notes only.

A match only in the notes has nothing to mark on the slide, so the player says where it
is; telling the two apart reads each slide's visible text once per deck version.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import Input

from prexterm.core.model import Deck, Slide
from prexterm.render.plain import first_step_showing, markdown_to_plain


class SearchLine(Input):
    """The line the query is typed in; hidden until `/` opens it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="search slides and notes", id=id)
        self.deck: Deck | None = None
        """The deck version the texts below were read from."""
        self._plain: dict[int, str] = {}
        self._visible: dict[int, str] = {}
        """What the audience sees of each slide, lower-cased."""

    def open(self, query: str | None) -> None:
        """Show the line with the last query in it, and give it the keys."""
        self.value = query or ""
        self.display = True
        self.focus()

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

"""The one model every export format writes from: the deck's pages, as styled cells.

A page is what the player showed at the export size: its rows, each a list of runs of
text in one look, laid end to end so that together they cover the page's width. Every
character of a run takes one cell; a character that takes two (a wide CJK letter) is a
run of its own. The writers (PDF, HTML, SVG, text) never see Rich or Textual, only this.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from prexterm.core.model import Deck, Slide

ALL_STEPS = 0
"""The step number of a page that shows its slide with every step revealed."""

_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$")


class Look(NamedTuple):
    """How a run of cells is drawn: colours as `#rrggbb`, and the text's attributes."""

    fg: str
    bg: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False


class Run(NamedTuple):
    """Text in one look from `column` on; `width` cells wide."""

    column: int
    text: str
    look: Look
    width: int
    wide: bool = False
    """One character that takes two cells (a CJK letter, an emoji): each format gives it
    exactly two, whatever width the font it is drawn in gives it."""


Row = tuple[Run, ...]


class Page(NamedTuple):
    """One exported page: a slide (or one step of it, or one screenful of a tall one)."""

    number: int
    """The slide's number in the talk (1-based)."""
    total: int
    """How many slides the talk has."""
    title: str
    step: int
    """The step shown, from 1; `ALL_STEPS` for the slide with every step revealed."""
    part: int
    """Which screenful of the slide, from 1: a slide taller than the page continues."""
    more: bool
    """Whether the slide continues on the next page."""
    rows: tuple[Row, ...]
    width: int
    background: Look
    """The look of the screen behind everything: the page's own colour."""
    notes: tuple[str, ...] = ()
    """The speaker's notes, only when the export was asked for them."""

    @property
    def continued(self) -> bool:
        """Whether this page goes on from the one before (the same slide, further down)."""
        return self.part > 1

    @property
    def label(self) -> str:
        """`slide 3/40`, with the step and `continued` when they apply."""
        text = f"slide {self.number}/{self.total}"
        if self.step != ALL_STEPS:
            text += f", step {self.step}"
        if self.continued:
            text += " (continued)"
        return text

    def lines(self) -> list[str]:
        """The page's plain text, a line per row, without trailing spaces."""
        return ["".join(run.text for run in row).rstrip() for row in self.rows]


def slide_steps(slide: Slide) -> list[int]:
    """The steps of `slide`, each of which `--steps` exports as a page of its own."""
    return list(range(1, slide.steps + 1))


def deck_title(deck: Deck) -> str:
    """The text of the deck's first heading, else the first slide's title, else its name."""
    for slide in deck.slides:
        in_fence = False
        for line in slide.markdown.splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            elif not in_fence and _HEADING.match(line):
                return slide.title
    if deck.slides and deck.slides[0].title:
        return deck.slides[0].title
    return deck.path.stem

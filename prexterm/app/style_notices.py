"""What the presenter is told about a deck's look: a broken theme or stylesheet, and the
`!custom_css` and `!global_background` files that go unused.

A refused stylesheet or background (outside the deck root, not a regular file) changes
nothing visible on a slide, so without a notice the presenter would not know the deck
looks other than meant. `check` reports the same lines; a reload only tells what is newly
wrong. Only the presenter's main view says it: the audience's view never shows such
notices, and the notes view would only repeat them.
"""

from __future__ import annotations

from textual.widget import Widget

from prexterm.app.messages import DeckReloaded
from prexterm.core.model import Deck


def unused_files(deck: Deck) -> list[str]:
    """`file: why` for each stylesheet or background of `deck` that was refused, in the
    deck's order, each line once."""
    unused = list(deck.stylesheets)
    unused += [
        slide.background
        for slide in deck.slides
        if slide.background is not None and not slide.own_background
    ]
    why = {d.source: d.message for d in deck.diagnostics}
    told: dict[str, None] = {}
    for asset in unused:
        # A file that is simply missing is a `check` warning: Prexent decks often name a
        # stylesheet they never shipped, and a notice at every start would cover the
        # slide for nothing. A file that exists but was refused is news.
        if asset.path is None and asset.problem not in (None, "not found"):
            reason = why.get(asset.source) or asset.problem or "not found"
            told[f"{asset.source}: {reason}"] = None
    return list(told)


class StyleNotices(Widget):
    """Says what is wrong with the deck's look, at start and after each reload."""

    DEFAULT_CSS = "StyleNotices { display: none; }"

    def __init__(self, deck: Deck, problems: list[str], *, leads: bool) -> None:
        super().__init__()
        self.deck = deck
        self.problems = problems
        """The theme's and the deck stylesheets' problems at start."""
        self.leads = leads
        self._told: set[str] = set()

    def on_mount(self) -> None:
        for problem in self.problems:
            self._say(problem)
        self._tell_unused(self.deck)

    def on_deck_reloaded(self, event: DeckReloaded) -> None:
        for problem in event.style_problems:
            self._say(problem)
        self._tell_unused(event.deck)

    def _say(self, problem: str) -> None:
        """A notice about a stylesheet; plain text, as it quotes the file's name and CSS."""
        self.app.notify(problem, title="Style problem", severity="warning", timeout=8)

    def _tell_unused(self, deck: Deck) -> None:
        if not self.leads:
            return
        told = unused_files(deck)
        new = [line for line in told if line not in self._told]
        if new:
            self.app.notify("\n".join(new), title="Not used", severity="warning", timeout=8)
        self._told = set(told)

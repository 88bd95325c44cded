"""Drawing ahead: the slides next to the one on screen are drawn (and their pictures
decoded) in a worker thread while the speaker talks, so moving to them is instant.

It waits for the slide on screen to reach the terminal first: the worker would otherwise
compete with the frame being painted. A following view waits a little longer, for the
other views on the same machine to paint theirs too. The highlighters of the languages
the deck shows are built once, off the UI thread, as the talk starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from textual.widget import Widget

from prexterm.app.live_code import CodeState
from prexterm.app.messages import DeckReloaded, SlideChanged
from prexterm.app.pictures import prepare
from prexterm.app.slide_view import SlideView
from prexterm.core.model import CodeBlock, Deck, MarkdownBlock, Slide
from prexterm.core.talk import Talk
from prexterm.pictures.hook import Pictures

FOLLOWER_DRAW_AHEAD_DELAY = 0.3
"""Seconds a following view waits after a move before drawing the next slides ahead."""

_FENCE_LANGUAGE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})[ \t]*([^\s`{]+)", re.MULTILINE)


def languages_shown(slides: Iterable[Slide]) -> Iterator[str]:
    """The languages of the code on `slides`, fenced or from `!code` files, in order."""
    for slide in slides:
        for block in slide.blocks:
            if isinstance(block, CodeBlock):
                yield block.language
            elif isinstance(block, MarkdownBlock) and ("```" in block.text or "~~~" in block.text):
                yield from _FENCE_LANGUAGE.findall(block.text)


class DrawAhead(Widget):
    """Draws the neighbours of the slide on screen after each slide change."""

    DEFAULT_CSS = "DrawAhead { display: none; }"

    def __init__(
        self, deck: Deck, talk: Talk, code: CodeState, pictures: Pictures, *, leads: bool
    ) -> None:
        super().__init__()
        self.deck = deck
        self.talk = talk
        self.code = code
        self.pictures = pictures
        self.leads = leads

    def on_mount(self) -> None:
        self.call_after_refresh(self._draw)
        self.call_after_refresh(self._warm_up)

    def on_deck_reloaded(self, event: DeckReloaded) -> None:
        self.deck = event.deck

    def on_slide_changed(self, _event: SlideChanged) -> None:
        if self.leads:
            self.call_after_refresh(self._draw)
        else:
            self.set_timer(FOLLOWER_DRAW_AHEAD_DELAY, self._draw)

    def _draw(self) -> None:
        """Two slides ahead, not one: when the keys come quickly (skipping through a
        talk), the next slide was drawn during the move before, and this one draws the
        slide after it while the next key is on its way."""
        slides, code = self.deck.slides, self.code
        index = max(0, self.talk.slide - 1)
        # The next slides open at their first step; the one before at its last, which
        # is what going back to it shows.
        neighbours = [
            (slide, code.selected_index(slide, step), code.offsets(slide), step)
            for i, step in ((index + 1, 1), (index - 1, None), (index + 2, 1))
            if 0 <= i < len(slides)
            for slide in (slides[i],)
        ]
        view = self.screen.query_one(SlideView)
        width, height = view.size.width, view.size.height
        pictures = self.pictures
        targets = [
            t for slide, _, _, _ in neighbours for t in pictures.targets(slide, width, height)
        ]
        talk = self.talk

        def draw_ahead() -> None:
            def wanted() -> bool:
                return max(0, talk.slide - 1) == index

            prepare(pictures, targets, ahead=True, wanted=wanted)
            with pictures.cache.slots.ahead():
                view.prepare(neighbours)

        if neighbours and width:
            self.run_worker(
                draw_ahead, thread=True, exclusive=True, group="prefetch", exit_on_error=False
            )

    def _warm_up(self) -> None:
        """Build the highlighters of the languages the deck shows (a deck uses few), so
        that a key press waits for none of them."""
        slides = self.deck.slides

        def load() -> None:
            from prexterm.render.markdown import build_highlighter

            for language in dict.fromkeys(languages_shown(slides)):
                build_highlighter(language)

        self.run_worker(load, thread=True, group="warm-up", exit_on_error=False)

"""Every slide drawn by the player itself, headless, at the export size, read as pages.

The export is what the room saw because it is the same app: the factory builds the
player with the user's theme and deck, the slides are shown one after another with the
app's own `go`, and the composed screen is read back cell by cell. Nothing here draws a
slide; nothing here runs code (the player runs a `!code` block only when allowed to,
and export never allows it).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Callable, Sequence
from typing import Any

from rich.cells import cell_len
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.color import Color as TextualColor
from textual.pilot import Pilot

from prexterm.app.factory import create_app
from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp
from prexterm.app.screen_cells import screen_rows
from prexterm.app.slide_view import SlideView
from prexterm.core.model import Deck, Slide
from prexterm.export.pages import ALL_STEPS, Look, Page, Row, Run, slide_steps

DRAW_PATIENCE = 30.0
"""Seconds a slide may take to show (its pictures are decoded first) before it is
exported as it stands."""

FREEZE_EVERY = 50
"""Slides between two moves of everything alive into the collector's permanent set."""

PageSink = Callable[[Page], None]
Progress = Callable[[int, int], None]


TERMINAL_DEFAULT = ("#000000", "#ffffff")
"""Text and background where the player leaves the terminal's own colours (the `mono`
theme, `NO_COLOR`): a page has no terminal, so black on white, as printed."""


def _hex(color: TextualColor, default: str) -> str:
    if color.ansi == -1:  # the terminal's own colour
        return default
    red, green, blue = color.rgb
    return f"#{red:02x}{green:02x}{blue:02x}"


def _mix(front: str, back: str) -> str:
    """Half of `front` over `back`: how a dim attribute shows."""
    a, b = int(front[1:], 16), int(back[1:], 16)
    parts = [((a >> s & 255) + (b >> s & 255)) // 2 for s in (16, 8, 0)]
    return "#{:02x}{:02x}{:02x}".format(*parts)


class _Looks:
    """Rich styles to looks, resolved once each: default colours, reverse and dim."""

    def __init__(self, fg: str, bg: str) -> None:
        self.fg, self.bg = fg, bg
        self._known: dict[Style | None, Look] = {}

    def _colour(self, color: Color | None, default: str) -> str:
        if color is None or color.is_default:
            return default
        return color.get_truecolor().hex

    def __call__(self, style: Style | None) -> Look:
        look = self._known.get(style)
        if look is None:
            if style is None:
                look = Look(self.fg, self.bg)
            else:
                fg = self._colour(style.color, self.fg)
                bg = self._colour(style.bgcolor, self.bg)
                if style.reverse:
                    fg, bg = bg, fg
                if style.dim:
                    fg = _mix(fg, bg)
                look = Look(
                    fg,
                    bg,
                    bold=bool(style.bold),
                    italic=bool(style.italic),
                    underline=bool(style.underline or style.underline2),
                    strike=bool(style.strike),
                )
            self._known[style] = look
        return look


def _row(segments: Sequence[Segment], looks: _Looks) -> Row:
    """Segments as runs: one look each, wide characters alone, neighbours merged."""
    runs: list[Run] = []
    column = 0

    def add(text: str, look: Look, width: int, *, narrow: bool) -> None:
        nonlocal column
        last = runs[-1] if runs else None
        if narrow and last is not None and last.look == look and last.width == len(last.text):
            runs[-1] = Run(last.column, last.text + text, look, last.width + width)
        else:
            runs.append(Run(column, text, look, width, wide=not narrow))
        column += width

    for segment in segments:
        if segment.control or not segment.text:
            continue
        look = looks(segment.style)
        text = segment.text
        if cell_len(text) == len(text):
            add(text, look, len(text), narrow=True)
            continue
        for char in text:
            width = cell_len(char)
            if width == 1:
                add(char, look, 1, narrow=True)
            elif width == 0 and runs:
                last = runs[-1]
                runs[-1] = last._replace(text=last.text + char)
            elif width > 1:
                add(char, look, width, narrow=False)
    return tuple(runs)


async def _settle(pilot: Pilot[Any]) -> None:
    """Let every message the last change sent be handled and the screen be composed.

    Twice: a message handled in the first round may post another (the footer fits its
    text once it knows the slide). No waiting for the machine to go idle, which costs a
    tenth of a second each time.
    """
    for _ in range(2):
        await pilot.pause(0)


async def _drawn(app: PlayerApp, view: SlideView, slide: Slide) -> None:
    """Wait until `slide` is on the view (its pictures decoded) and every worker is done."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DRAW_PATIENCE
    while loop.time() < deadline:
        for worker in list(app.workers):
            if not worker.is_finished:
                # A worker that fails or is cancelled has still finished.
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(worker.wait(), max(0.0, deadline - loop.time()))
        shown = view.slide
        if shown is not None and shown.number == slide.number:
            return
        await asyncio.sleep(0.01)


async def capture(
    deck: Deck,
    options: PlayerOptions,
    size: tuple[int, int],
    sink: PageSink,
    *,
    steps: bool = False,
    notes: bool = False,
    progress: Progress | None = None,
) -> list[str]:
    """Show every slide of `deck` in a headless player of `size`; each page goes to `sink`.

    Returns what the player would have told the presenter about the deck's looks (a
    theme or stylesheet it had to leave out): the export looks different for it.

    A slide taller than the page is paged through as the player pages it (PgDn), each
    screenful a page of its own, the later ones marked as continued.
    """
    app = create_app(options, deck)
    try:
        return await _capture(app, deck, size, sink, steps=steps, notes=notes, progress=progress)
    finally:
        gc.unfreeze()  # what was set aside can be collected once the export is written


async def _capture(
    app: PlayerApp,
    deck: Deck,
    size: tuple[int, int],
    sink: PageSink,
    *,
    steps: bool,
    notes: bool,
    progress: Progress | None,
) -> list[str]:
    count = len(deck.slides)
    async with app.run_test(size=size, notifications=False) as pilot:
        view = app.query_one(SlideView)
        screen = app.screen
        looks = _Looks(
            _hex(screen.styles.color, TERMINAL_DEFAULT[0]),
            _hex(screen.styles.background, TERMINAL_DEFAULT[1]),
        )
        background = Look(looks.fg, looks.bg)
        # A page of the whole slide has no step for a moving highlight to stand at.
        view.set_plain_whole(not steps)
        for slide in deck.slides:
            shown_steps = slide_steps(slide) if steps else [ALL_STEPS]
            for step in shown_steps:
                # A page without --steps is the slide with every step revealed.
                app.go(slide.number, step=slide.steps if step == ALL_STEPS else step)
                await _settle(pilot)
                await _drawn(app, view, slide)
                part = 1
                while True:
                    await _settle(pilot)
                    rows = tuple(_row(row, looks) for row in screen_rows(app))
                    more = view.more_below
                    sink(
                        Page(
                            number=slide.number,
                            total=count,
                            title=slide.title,
                            step=step,
                            part=part,
                            more=more,
                            rows=rows,
                            width=size[0],
                            background=background,
                            notes=slide.notes if notes and part == 1 else (),
                        )
                    )
                    if not more or not view.page(1):
                        break
                    part += 1
            if slide.number % FREEZE_EVERY == 0:
                # What the pages so far hold stays to the end: set aside from the
                # collector's passes, which would otherwise walk all of it again and
                # again, making a long deck slower per slide than a short one.
                gc.freeze()
            if progress is not None:
                progress(slide.number, count)
        problems = [app.theme_problem] if app.theme_problem else []
        return problems + list(app.deck_styles.problems)
    return []  # pragma: no cover - the block above always returns

"""`prexterm check --size`: what the room would miss on a screen of that size.

Every slide is drawn by the player's own renderer into the slide area its frame leaves
(`prexterm.app.layout`), then read back: slides taller than the screen, tables that
cannot show their columns, code lines wider than their panel, pictures that show as a
placeholder, and text whose colours fall below 4.5:1 once the terminal rounds them.
A talk rehearsed on a laptop then holds no surprise on the venue's projector.

This loads Rich and the renderer, never Textual: plain `check` stays quick, and this
one still has no screen to open.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.color import Color, ColorSystem
from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.panel import Panel
from rich.segment import Segment
from rich.syntax import Syntax

from prexterm.app.layout import (
    MORE_ROWS,
    code_window_rows,
    picture_rows,
    slide_rows,
    text_width,
)
from prexterm.core.markdown_tree import MarkdownNode, parse
from prexterm.core.model import (
    Asset,
    CodeBlock,
    Deck,
    Diagnostic,
    MarkdownBlock,
    Place,
    Severity,
    Slide,
    Source,
)
from prexterm.core.paths import display
from prexterm.core.text import clean
from prexterm.render.layout import Columns, placed
from prexterm.render.markdown import FittedTable, Gutter, MarkdownRenderer, PictureUnavailable
from prexterm.render.palette import Palette
from prexterm.render.slide import (
    PLAIN_STEP,
    SlideRenderCache,
    offscreen_console,
    render_code_block,
)
from prexterm.style.themes import Theme

if TYPE_CHECKING:
    from prexterm.style.webcss import SlideRule

__all__ = ["COLOUR_DEPTHS", "MIN_CONTRAST", "Venue", "venue_diagnostics"]

MIN_CONTRAST = 4.5
"""WCAG's least contrast for body text: below it, text fades on a washed-out projector."""

COLOUR_DEPTHS = {
    "16": ColorSystem.STANDARD,
    "256": ColorSystem.EIGHT_BIT,
    "truecolor": ColorSystem.TRUECOLOR,
}
"""What `--colors` may say, and the colours a terminal of that kind can show."""

_QUOTE_LENGTH = 24
"""Characters of a slide's text quoted in a contrast warning: enough to find it."""


@dataclass(frozen=True)
class Venue:
    """The screen a talk will be shown on."""

    width: int
    height: int
    theme: Theme
    colors: str = "256"
    """A key of `COLOUR_DEPTHS`."""
    ascii_only: bool = False

    def describe(self) -> str:
        """`100x30, dark theme, 256 colours` (and `, ASCII`), for the summary line."""
        colours = "truecolor" if self.colors == "truecolor" else f"{self.colors} colours"
        ascii_part = ", ASCII" if self.ascii_only else ""
        return f"{self.width}x{self.height}, {self.theme.name} theme, {colours}{ascii_part}"


def venue_diagnostics(deck: Deck, venue: Venue) -> list[Diagnostic]:
    """A warning for each thing the room would miss at `venue`, slide by slide."""
    checker = _Checker(deck, venue)
    found: list[Diagnostic] = []
    for slide in deck.slides:
        found += checker.slide(slide)
    return found


def _console(width: int) -> Console:
    """A console that draws as the player's render cache does, into nothing."""
    return offscreen_console(width)


class _Checker:
    """Draws slides at the venue's size and reads what was drawn."""

    def __init__(self, deck: Deck, venue: Venue) -> None:
        from prexterm.pictures.cache import PictureCache
        from prexterm.pictures.hook import Pictures

        self.deck = deck
        self.venue = venue
        self.palette: Palette = venue.theme.palette
        mono = venue.theme.name == "mono"
        self.pictures = Pictures(
            PictureCache(root=deck.root),
            mode="halfblock",
            mono=mono,
            ascii_only=venue.ascii_only,
        )
        self.console = _console(venue.width)
        self.depth = COLOUR_DEPTHS[venue.colors]
        self.theme_page = self._shown(_colour(venue.theme.background))
        self.page = self.theme_page
        self.ink = self._shown(self.palette.text.color)
        self.rules = _web_rules(deck)
        self._caches: dict[Palette, SlideRenderCache] = {}
        self._picture_rows = 0

    def _look(self, slide: Slide) -> bool:
        """Take on the look the deck's web stylesheets give `slide`, as the player does:
        its colours, its page colour, and whether its header shows. Returns whether
        the header shows."""
        from prexterm.style.webcss import look_for, palette_for

        self.palette = self.venue.theme.palette
        self.page = self.theme_page
        if not self.rules:
            return bool(slide.header)
        look = look_for(self.rules, slide.classes)
        self.palette = palette_for(self.palette, look)
        if look.slide_style.bgcolor is not None:
            self.page = self._shown(look.slide_style.bgcolor)
        self.ink = self._shown(self.palette.text.color)
        return bool(slide.header) and not look.header_hidden

    def slide(self, slide: Slide) -> list[Diagnostic]:
        venue = self.venue
        rows = slide_rows(venue.height, header=self._look(slide))
        self.pictures.max_height = picture_rows(rows)
        found = self._placeholders(slide)
        # The lines are drawn by the player's own render cache, as it draws them.
        cache = self._cache()
        if slide.photo:
            photo = cache.get(slide, venue.width, rows)
            return found + self._contrast(slide, photo.lines)
        width = text_width(venue.width)
        # Every step revealed and no moving highlight: the slide as a whole, as exported.
        lines = cache.get(
            slide, width, code_window=(code_window_rows(rows), ()), step=PLAIN_STEP
        ).lines
        parts = list(self._parts(slide, rows))
        if len(lines) > rows:
            shown = max(1, rows - MORE_ROWS)
            found.append(
                Diagnostic(
                    Severity.WARNING,
                    slide.source,
                    f"slide {slide.in_file} is {len(lines)} lines tall and the screen shows "
                    f"{shown} of them: {len(lines) - shown} lines need scrolling",
                )
            )
        rooms: dict[int, int] = {}
        if slide.laid_out:
            rooms, stacked = self._columns(slide, parts, width)
            found += stacked
        for block, part in parts:
            room = rooms.get(id(block), width)
            if isinstance(block, CodeBlock):
                found += self._code_window(block, rows)
                found += self._code_file(block, part, room)
            elif isinstance(block, MarkdownBlock):
                found += self._markdown(block, part, room)
        return found + self._contrast(slide, lines)

    # -- drawing ------------------------------------------------------------------------

    def _parts(
        self, slide: Slide, rows: int
    ) -> Iterator[tuple[MarkdownBlock | CodeBlock | None, RenderableType]]:
        """The slide's blocks drawn as `render_slide_body` draws them, each with its block.

        Kept apart so that a table or a code line found too wide can be told by the
        line of the deck (or the code file) it comes from.
        """
        from rich.text import Text

        from prexterm.render.slide import render_error_block

        markdown = MarkdownRenderer(
            palette=self.palette,
            ascii_only=self.venue.ascii_only,
            picture=self.pictures.hook,
            title_pending=True,
        )
        first = True
        for block in slide.blocks:
            rendered: list[RenderableType]
            owner: MarkdownBlock | CodeBlock | None = None
            if isinstance(block, MarkdownBlock):
                images = {asset.written: asset for asset in block.images}
                drawn = markdown.render(block.text, images)
                if not drawn:
                    continue
                rendered, owner = [Group(*drawn)], block
            elif isinstance(block, CodeBlock):
                window = (0, code_window_rows(rows))
                part = render_code_block(
                    block, palette=self.palette, ascii_only=self.venue.ascii_only, window=window
                )
                rendered, owner = [part], block
            else:
                rendered = [
                    render_error_block(
                        block, palette=self.palette, ascii_only=self.venue.ascii_only
                    )
                ]
            if not first:
                yield None, Text("")
            first = False
            for part in rendered:
                yield owner, part

    def _columns(
        self,
        slide: Slide,
        parts: Sequence[tuple[MarkdownBlock | CodeBlock | None, RenderableType]],
        width: int,
    ) -> tuple[dict[int, int], list[Diagnostic]]:
        """The width each block standing in a column is drawn in (by `id` of the block),
        and a warning for each region whose columns stand one under the other.

        The renderer's own `Columns` decides, as on stage, whether a region's columns
        stand side by side at this width and how many cells each gets; stacked columns
        take the full width, so their blocks are left out of the widths.
        """
        regions: dict[
            int, tuple[Place, list[list[RenderableType]], list[MarkdownBlock | CodeBlock]]
        ]
        regions = {}
        for block, part in parts:
            if block is None or not block.place.widths:
                continue
            place = block.place
            region = regions.setdefault(place.layout, (place, [[] for _ in place.widths], []))
            region[1][place.column].append(Group(*placed([part], place)))
            region[2].append(block)
        rooms: dict[int, int] = {}
        found: list[Diagnostic] = []
        options = self.console.options.update_width(width)
        for place, columns, blocks in regions.values():
            drawn = Columns(place.widths, columns)
            shares = drawn.shares(width)
            if drawn.side_by_side(self.console, options):
                for block in blocks:
                    rooms[id(block)] = shares[block.place.column]
                continue
            needs = drawn.needs(self.console, options)
            column, need, share = next(
                (n, need, share)
                for n, (need, share) in enumerate(zip(needs, shares, strict=True))
                if need > share
            )
            layout = ", ".join(str(w) for w in place.widths)
            found.append(
                Diagnostic(
                    Severity.WARNING,
                    place.opened or blocks[0].source,
                    f"slide {slide.in_file}: the columns [{layout}] stand one under the other "
                    f"in {width} columns: column {column} needs {need} cells and gets {share}",
                )
            )
        return rooms, found

    def _cache(self) -> SlideRenderCache:
        """The render cache for the slide's palette (one per palette, as in the player);
        cleared when the picture rows change, which the player's cache also is."""
        cache = self._caches.get(self.palette)
        if cache is None:
            cache = self._caches[self.palette] = SlideRenderCache(
                palette=self.palette,
                ascii_only=self.venue.ascii_only,
                picture=self.pictures.hook,
            )
        if self._picture_rows != self.pictures.max_height:
            self._picture_rows = self.pictures.max_height
            for each in self._caches.values():
                each.clear()
        return cache

    # -- what does not fit --------------------------------------------------------------

    @staticmethod
    def _code_window(block: CodeBlock, rows: int) -> list[Diagnostic]:
        """A `!code` block longer than its panel shows a window of it, scrolled by hand."""
        total = block.code.rstrip("\n").count("\n") + 1
        shown = code_window_rows(rows)
        if total <= shown:
            return []
        return [
            Diagnostic(
                Severity.WARNING,
                block.source,
                f"code {clean(block.asset.written)} has {total} lines and its panel shows "
                f"{shown} at a time: the rest needs scrolling with the arrow keys",
            )
        ]

    def _code_file(self, block: CodeBlock, panel: RenderableType, width: int) -> list[Diagnostic]:
        """Lines of a `!code` file that wrap in their panel, at the file's own lines."""
        if not isinstance(panel, Panel) or not isinstance(panel.renderable, Syntax):
            return []
        wide = self._wide_lines(panel.renderable, block.code, width)
        if not wide or block.asset.path is None:
            return []
        shown = display(block.asset.path, Path.cwd())
        return [
            self._wide_warning(Source(shown, number), length, room) for number, length, room in wide
        ]

    def _markdown(self, block: MarkdownBlock, part: RenderableType, width: int) -> list[Diagnostic]:
        """Tables and fenced code of a Markdown block that do not fit their width."""
        found: list[Diagnostic] = []
        drawn = list(_walk(part, width))
        nodes = list(_nodes(parse(block.text)))
        tables = [node for node in nodes if node.type == "table"]
        fences = [node for node in nodes if node.type in ("fence", "code_block")]
        drawn_tables = [(r, w) for r, w in drawn if isinstance(r, FittedTable)]
        drawn_code = [
            (r, w) for r, w in drawn if isinstance(r, Panel) and isinstance(r.renderable, Syntax)
        ]
        for node, (table, room) in zip(tables, drawn_tables, strict=False):
            assert isinstance(table, FittedTable)
            shape = table.shape(self.console, room)
            if shape == "columns":
                continue
            where = Source(block.source.file, block.source.line + _first_line(node))
            columns = table.column_count
            if shape == "records":
                message = (
                    f"table of {columns} columns does not fit in {room} columns: the room "
                    "sees it one row at a time, each heading beside its value"
                )
            else:
                message = (
                    f"table of {columns} columns does not fit in {room} columns, not even "
                    "one row at a time: its words are cut"
                )
            found.append(Diagnostic(Severity.WARNING, where, message))
        for node, (panel, room) in zip(fences, drawn_code, strict=False):
            assert isinstance(panel, Panel) and isinstance(panel.renderable, Syntax)
            opening = block.source.line + _first_line(node) + (1 if node.type == "fence" else 0)
            for number, length, inner in self._wide_lines(panel.renderable, node.content, room):
                where = Source(block.source.file, opening + number - 1)
                found.append(self._wide_warning(where, length, inner))
        return found

    def _wide_lines(self, syntax: Syntax, code: str, room: int) -> list[tuple[int, int, int]]:
        """(line number, width, room) of each code line wider than the panel holds.

        The panel takes at most `room` columns, two of them its borders and two its
        padding; the line numbers, when shown, take a gutter of their own.
        """
        lines = clean(code.rstrip("\n"), drop=True).split("\n")
        widths = [cell_len(line.expandtabs(syntax.tab_size)) for line in lines]
        if not widths:
            return []
        options = self.console.options.update_width(10_000)
        natural = Measurement.get(self.console, options, syntax).maximum
        gutter = max(0, natural - max(widths)) if syntax.line_numbers else 0
        inner = room - 4 - gutter
        return [
            (number, length, inner)
            for number, length in enumerate(widths, start=1)
            if length > inner > 0
        ]

    @staticmethod
    def _wide_warning(where: Source, length: int, room: int) -> Diagnostic:
        return Diagnostic(
            Severity.WARNING,
            where,
            f"code line is {length} columns wide and its panel holds {room}: it wraps",
        )

    def _placeholders(self, slide: Slide) -> list[Diagnostic]:
        """Pictures of the slide that show as a placeholder, and why."""
        assets: list[Asset] = []
        if slide.photo and slide.background is not None:
            assets.append(slide.background)
        for block in slide.blocks:
            if isinstance(block, MarkdownBlock):
                assets += block.images
        found = []
        if slide.photo and slide.background is None:
            found.append(
                Diagnostic(
                    Severity.WARNING,
                    slide.source,
                    f"slide {slide.in_file} is a photo slide without a picture: "
                    "it shows a placeholder",
                )
            )
        for asset in assets:
            reason = asset.problem
            if reason is None:
                drawn = self.pictures.hook(asset, "")
                if drawn is None:
                    reason = "it cannot be drawn"
                elif isinstance(drawn, PictureUnavailable):
                    reason = drawn.reason
            if reason is not None:
                found.append(
                    Diagnostic(
                        Severity.WARNING,
                        asset.source,
                        f"slide {slide.in_file}: picture {clean(asset.written)} shows as a "
                        f"placeholder: {clean(reason)}",
                    )
                )
        return found

    # -- colours ------------------------------------------------------------------------

    def _contrast(self, slide: Slide, lines: Sequence[Sequence[Segment]]) -> list[Diagnostic]:
        """Text whose colours, as this terminal shows them, fall below `MIN_CONTRAST`.

        Each pair of colours is told once per slide, quoting the first text drawn in it.
        """
        from prexterm.pictures.contrast import contrast_ratio

        seen: dict[tuple[tuple[int, int, int], tuple[int, int, int]], str] = {}
        ratios: dict[tuple[tuple[int, int, int], tuple[int, int, int]], float] = {}
        for line in lines:
            for segment in line:
                text, style = segment.text, segment.style
                # Frames and rules are not read: only letters and digits are text.
                if style is None or segment.control or not any(c.isalnum() for c in text):
                    continue
                fore = self._shown(style.color) or self.ink
                back = self._shown(style.bgcolor) or self.page
                if style.reverse:
                    fore, back = back, fore
                if fore is None or back is None or fore == back:
                    continue
                pair = (fore, back)
                if pair in seen:
                    continue
                ratio = contrast_ratio(fore, back)
                if ratio < MIN_CONTRAST:
                    seen[pair] = " ".join(text.split())[:_QUOTE_LENGTH]
                    ratios[pair] = ratio
                else:
                    seen[pair] = ""
        found = []
        depth = "truecolor" if self.venue.colors == "truecolor" else f"{self.venue.colors} colours"
        for pair, quoted in seen.items():
            if pair not in ratios:
                continue
            fore, back = pair
            found.append(
                Diagnostic(
                    Severity.WARNING,
                    slide.source,
                    f"slide {slide.in_file}: text {clean(quoted)!r} is {_hex(fore)} on "
                    f"{_hex(back)} in {depth}: contrast {ratios[pair]:.1f}:1, "
                    f"below {MIN_CONTRAST}:1",
                )
            )
        return found

    def _shown(self, colour: Color | None) -> tuple[int, int, int] | None:
        """The colour as the venue's terminal shows it; None for the terminal's default."""
        if colour is None or colour.is_default:
            return None
        shown = colour.downgrade(self.depth)
        triplet = shown.get_truecolor()
        return (triplet.red, triplet.green, triplet.blue)


def _web_rules(deck: Deck) -> list[SlideRule]:
    """The rules of the deck's web stylesheets, in order, as the player applies them;
    one it cannot use is left out (plain `check` already says why)."""
    from prexterm.style.webcss import load_web_css

    rules: list[SlideRule] = []
    for asset in deck.stylesheets:
        if asset.path is None or asset.path.suffix.lower() != ".css":
            continue
        try:
            sheet = load_web_css(asset.path, deck.root)
        except OSError:
            continue
        if sheet.problem is None:
            rules += sheet.rules
    return rules


def _colour(value: str | None) -> Color | None:
    """A theme's page colour; None when it keeps the terminal's own."""
    if not value:
        return None
    try:
        return Color.parse(value)
    except Exception:  # a theme's colour is checked when the theme loads
        return None


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _walk(renderable: RenderableType, width: int) -> Iterator[tuple[RenderableType, int]]:
    """Tables and code panels inside `renderable`, each with the width it is drawn in.

    Lists and quotes draw their contents beside a gutter, so they narrow them.
    """
    if isinstance(renderable, Group):
        for inner in renderable.renderables:
            yield from _walk(inner, width)
    elif isinstance(renderable, Gutter):
        prefix = max(cell_len(renderable.first), cell_len(renderable.rest))
        yield from _walk(renderable.contents, max(1, width - min(prefix, max(0, width - 1))))
    elif isinstance(renderable, FittedTable) or (
        isinstance(renderable, Panel) and isinstance(renderable.renderable, Syntax)
    ):
        yield renderable, width


def _nodes(node: MarkdownNode) -> Iterator[MarkdownNode]:
    """Every table and code node of a parsed block, in the order they are drawn."""
    for child in node.children:
        if child.type in ("table", "fence", "code_block"):
            yield child
        elif child.type in ("bullet_list", "ordered_list", "list_item", "blockquote"):
            yield from _nodes(child)


def _first_line(node: MarkdownNode) -> int:
    """The 0-based line of the block's text where `node` starts."""
    return node.map[0] if node.map else 0

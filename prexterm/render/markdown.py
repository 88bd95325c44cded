"""Markdown to Rich renderables, built by hand from markdown-it tokens.

Rich has its own Markdown class, but a deck needs things it does not do: the HTML
subset that real decks use, image placeholders that name the file and its problem,
an ASCII-only mode, and a guarantee that deck text is never read as Rich markup.
Every piece of deck text therefore goes through `Text.append(text, style)`, and every
string is cleaned of control characters before it reaches Rich.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple
from urllib.parse import unquote

from rich import box
from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.rule import Rule
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from prexterm.core.commands import read_command
from prexterm.core.model import Asset, StepMark

if TYPE_CHECKING:
    from rich.syntax import Syntax, SyntaxTheme
from prexterm.core.markdown_tree import MarkdownNode, parse
from prexterm.core.text import clean
from prexterm.render._shared import (
    HIDDEN_CONTENT,
    Tag,
    classify_tag,
    display_path,
    find_asset,
    html_pieces,
    image_label,
)
from prexterm.render.palette import Palette

__all__ = ["MarkdownRenderer", "PictureHook", "build_highlighter", "lexer_name", "render_markdown"]


class PictureUnavailable(NamedTuple):
    """A picture hook's answer for a file that exists but cannot be shown, and why.

    The placeholder then names the reason (corrupt, too large, Pillow missing) instead
    of looking like a picture that was never asked for.
    """

    reason: str


PictureHook = Callable[[Asset, str], "RenderableType | PictureUnavailable | None"]
"""Draws a picture for an image asset and its alt text, or returns None for the placeholder."""

_NO_IMAGES: Mapping[str, Asset] = MappingProxyType({})

_BULLETS = ("\N{BULLET}", "\N{WHITE BULLET}", "\N{BLACK SMALL SQUARE}", "\N{TRIANGULAR BULLET}")
_ASCII_BULLETS = ("*", "-", "+")

Justify = Literal["left", "center", "right"]


def _lexer_class(language: str) -> Any:
    """The Pygments lexer class for `language`, or None when Pygments does not know it.

    Only looked up, not built: building a lexer's rules is what takes time (see
    `build_highlighter`). Pygments loads only when a slide shows code.
    """
    name = language.strip().lower()
    if not name:
        return None
    from pygments.lexers import find_lexer_class_by_name  # type: ignore[import-untyped]
    from pygments.util import ClassNotFound  # type: ignore[import-untyped]

    try:
        return find_lexer_class_by_name(name)
    except ClassNotFound:
        return None


def lexer_name(language: str) -> str:
    """A Pygments lexer name for `language`, or "text" when Pygments does not know it.

    An unknown fence language (a typo, or a language Pygments lacks) must show plain
    code, never fail.
    """
    return language.strip().lower() if _lexer_class(language) is not None else "text"


def build_highlighter(language: str) -> None:
    """Build the lexer for `language` now, so that drawing its code later is quick."""
    lexer = _lexer_class(language)
    if lexer is not None:
        lexer()


COLOURLESS_THEME = "colourless"
"""The `code_theme` name of `ColourlessSyntaxTheme`."""


def syntax_theme(palette: Palette) -> SyntaxTheme:
    """The palette's code theme, as Rich's syntax highlighter takes it."""
    from rich.syntax import Syntax

    from prexterm.render.code_theme import ColourlessSyntaxTheme

    if palette.code_theme == COLOURLESS_THEME:
        return ColourlessSyntaxTheme()
    return Syntax.get_theme(palette.code_theme)


def highlighted(
    code: str,
    language: str,
    palette: Palette,
    *,
    line_numbers: bool,
    line_range: tuple[int, int] | None = None,
) -> Syntax:
    """Code highlighted by Pygments in the palette's code theme; long lines wrap.

    `line_range` (1-based, inclusive) shows only those lines, numbered as in the file.
    """
    from rich.syntax import Syntax

    return Syntax(
        clean(code.rstrip("\n"), drop=True),
        lexer_name(language),
        theme=syntax_theme(palette),
        background_color=palette.code_background,
        line_numbers=line_numbers,
        word_wrap=True,
        line_range=line_range,
    )


def boxes(ascii_only: bool) -> box.Box:
    """The frame drawn around panels and tables."""
    return box.ASCII if ascii_only else box.ROUNDED


def safe_text(text: str, style: Style | str = "") -> Text:
    """A Text holding `text` literally: cleaned of control characters, never parsed as markup."""
    result = Text(overflow="fold")
    result.append(clean(text, drop=True), style)
    return result


class FittedTable:
    """A Markdown table that keeps its words whole at the width it is given.

    Rich fits a table too wide for the screen by narrowing its widest columns, which cuts
    words anywhere and, with many columns, leaves columns of bare borders. Here every
    column first gets room for its longest word, and the width left goes to the columns
    with the most text. A table that cannot give every column its longest word is drawn
    one record per row instead, each heading beside its value, which a narrow screen can
    show; words are cut only when not even that fits (a terminal a few words wide).
    """

    def __init__(
        self,
        headings: list[Text] | None,
        rows: list[list[Text]],
        justify: list[Justify],
        palette: Palette,
        *,
        ascii_only: bool = False,
    ) -> None:
        self.headings = headings
        self.rows = [row + [Text("")] * (len(justify) - len(row)) for row in rows]
        self.justify = justify
        self.palette = palette
        self.ascii_only = ascii_only

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self._fitted(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self._fitted(console, options))

    def shape(self, console: Console, width: int) -> Literal["columns", "records", "cut"]:
        """How the table shows `width` cells wide: as its columns, as one record per
        row (its columns did not fit), or with words cut (not even records fit).

        `prexterm check --size` tells the presenter which tables the room will not
        see as written.
        """
        options = console.options.update_width(max(1, width))
        cells = [*([self.headings] if self.headings else []), *self.rows]
        columns = [list(column) for column in zip(*cells, strict=True)] if cells else []
        if not self.rows or _column_widths(console, options, columns) is not None:
            return "columns"
        lines = [
            [heading, value]
            for row in self.rows
            for heading, value in zip(self.headings or [Text("")] * len(row), row, strict=True)
        ]
        pairs = [list(column) for column in zip(*lines, strict=True)]
        if not self.headings:
            pairs = pairs[1:]
        if _column_widths(console, options, pairs) is not None:
            return "records"
        if self.headings:
            stacked = [[part for line in lines for part in line]]
            if _column_widths(console, options, stacked) is not None:
                return "records"
        return "cut"

    @property
    def column_count(self) -> int:
        """How many columns the table has as written."""
        return len(self.justify)

    def _fitted(self, console: Console, options: ConsoleOptions) -> Table:
        """The table as a grid of columns if its words fit, else as records."""
        cells = [*([self.headings] if self.headings else []), *self.rows]
        columns = [list(column) for column in zip(*cells, strict=True)] if cells else []
        widths = _column_widths(console, options, columns)
        if widths is not None or not self.rows:
            table = self._table(show_header=self.headings is not None)
            for index, justify in enumerate(self.justify):
                heading = self.headings[index] if self.headings else ""
                width = widths[index] if widths else None
                table.add_column(heading, justify=justify, overflow="fold", width=width)
            for row in self.rows:
                table.add_row(*row)
            return table
        return self._records(console, options)

    def _records(self, console: Console, options: ConsoleOptions) -> Table:
        """One block per row: each heading beside its value, or above it when even two
        columns are too wide for the words; a rule between rows."""
        table = self._table(show_header=False)
        records: list[list[list[Text]]] = [
            [[heading, value] for heading, value in zip(self.headings, row, strict=True)]
            if self.headings
            else [[value] for value in row]
            for row in self.rows
        ]
        lines = [line for record in records for line in record]
        columns = [list(column) for column in zip(*lines, strict=True)]
        widths = _column_widths(console, options, columns)
        if self.headings and widths is None:  # each heading on a line of its own
            header = self.palette.table_header
            records = [
                [[part.copy()] for line in record for part in (line[0], line[1])]
                for record in records
            ]
            for record in records:
                for line in record[::2]:
                    line[0].stylize(header)
            columns = [[line[0] for record in records for line in record]]
            widths = _column_widths(console, options, columns)
        elif self.headings:
            table.add_column(style=self.palette.table_header, overflow="fold",
                             width=widths[0] if widths else None)  # fmt: skip
        table.add_column(overflow="fold", width=widths[-1] if widths else None)
        for record in records:
            for number, line in enumerate(record, start=1):
                table.add_row(*line, end_section=number == len(record))
        return table

    def _table(self, *, show_header: bool) -> Table:
        return Table(
            box=boxes(self.ascii_only),
            header_style=self.palette.table_header,
            border_style=self.palette.table_border,
            show_header=show_header,
            expand=False,
        )


def _column_widths(
    console: Console, options: ConsoleOptions, columns: list[list[Text]]
) -> list[int] | None:
    """Text widths that give every column its longest word within `options.max_width`.

    None when that cannot be done. When every column fits whole, no column is widened:
    the widths asked for are the natural ones. Otherwise each column gets its longest
    word, and what is left is shared out in proportion to the text that still wraps.
    """
    if not columns:
        return []
    room = options.max_width - (len(columns) + 1) - 2 * len(columns)  # borders, padding
    least = [max(Measurement.get(console, options, cell).minimum for cell in c) for c in columns]
    most = [max(Measurement.get(console, options, cell).maximum for cell in c) for c in columns]
    if sum(most) <= room:
        return most
    if sum(least) > room:
        return None
    spare = room - sum(least)
    wraps = [high - low for low, high in zip(least, most, strict=True)]
    total = sum(wraps) or 1
    widths = [low + spare * extra // total for low, extra in zip(least, wraps, strict=True)]
    widths[wraps.index(max(wraps))] += room - sum(widths)  # what rounding left over
    return widths


class Gutter:
    """Content drawn to the right of a prefix: a list bullet, or a block quote's bar.

    The first line gets `first`, the following lines `rest` (both in `prefix_style`),
    so wrapped text and nested blocks stay indented under the item they belong to.
    """

    def __init__(
        self,
        first: str,
        rest: str,
        contents: Iterable[RenderableType],
        *,
        prefix_style: Style,
        style: Style | None = None,
    ) -> None:
        self.first = first
        self.rest = rest
        self.prefix_style = prefix_style
        self.contents = Group(*contents)
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        prefix_width = max(cell_len(self.first), cell_len(self.rest))
        # Keep at least one column for the content; a tiny area crops the prefix.
        prefix_width = min(prefix_width, max(0, width - 1))
        inner = options.update(width=max(1, width - prefix_width), height=None)
        lines = console.render_lines(self.contents, inner, style=self.style, pad=False)
        for index, line in enumerate(lines):
            prefix = self.first if index == 0 else self.rest
            yield Segment(set_cell_size(prefix, prefix_width), self.prefix_style)
            yield from line
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        prefix_width = max(cell_len(self.first), cell_len(self.rest))
        inner = Measurement.get(console, options, self.contents)
        return Measurement(inner.minimum + prefix_width, inner.maximum + prefix_width)


STEP_META = "prexterm_step"
"""Style meta key naming the step of the slide a cell belongs to (absent: the block's)."""


class StepTag:
    """A renderable whose every cell is tagged with the step of the slide it belongs to.

    The tag is the base of each cell's style, so a part of a later step inside this one
    keeps its own tag. Drawing a slide at a step then blanks the cells of later steps
    (see `render.slide.at_step`): the slide is laid out whole, so nothing moves when a
    step appears.
    """

    def __init__(self, renderable: RenderableType, step: int) -> None:
        self.renderable = renderable
        self.step = step

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        tag = Style(meta={STEP_META: self.step})
        for segment in console.render(self.renderable, options):
            if segment.control:
                yield segment
            else:
                style = segment.style
                yield Segment(segment.text, tag + style if style is not None else tag)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)


class Underline:
    """A line of `character` as long as the heading above it (never wider than the area)."""

    def __init__(self, length: int, character: str, style: Style) -> None:
        self.length = length
        self.character = character
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Segment(self.character * max(0, min(self.length, options.max_width)), self.style)
        yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, self.length)


class _Inline:
    """Builds the output of one run of inline content.

    Text accumulates in `current`; an image that becomes a block (a placeholder box or
    a picture) ends the current Text so the paragraph continues after it.
    """

    __slots__ = ("base", "current", "hiding", "html", "parts", "styles")

    def __init__(self, base: Style) -> None:
        self.base = base
        self.parts: list[RenderableType] = []
        self.styles: list[Style] = []
        self.html: list[tuple[str, Style]] = []
        self.hiding = 0
        """How many `<script>` or `<style>` tags are open: their text is never shown."""
        self.current = self._new_text()

    def _new_text(self) -> Text:
        return Text(style=self.base, overflow="fold")

    def style(self) -> Style:
        return Style.chain(Style(), *self.styles, *(style for _, style in self.html))

    def add(self, text: str, extra: Style | None = None) -> None:
        if self.hiding:
            return
        style = self.style() + extra if extra is not None else self.style()
        self.current.append(clean(text, drop=True), style)

    def line_break(self) -> None:
        """End the line here; the spaces before a break would only pad the line."""
        if self.hiding:
            return
        while self.current.plain.endswith(" "):
            self.current.right_crop(1)
        self.add("\n")

    def soft_break(self) -> None:
        """A line end in the source: a space, but none at the start of a line."""
        if self.current.plain[-1:] not in ("\n", ""):
            self.add(" ")

    def block(self, renderable: RenderableType) -> None:
        self.flush()
        self.parts.append(renderable)

    def flush(self) -> None:
        """End the current Text; blanks around an image that split it are dropped."""
        plain = self.current.plain
        if plain.strip():
            text = self.current[len(plain) - len(plain.lstrip(" ")) :]
            text.rstrip()
            self.parts.append(text)
        self.current = self._new_text()

    def open_html(self, name: str, style: Style | None) -> None:
        if name in HIDDEN_CONTENT:
            self.hiding += 1
        if style is not None:
            self.html.append((name, style))

    def close_html(self, name: str) -> None:
        if name in HIDDEN_CONTENT and self.hiding:
            self.hiding -= 1
        for index in range(len(self.html) - 1, -1, -1):
            if self.html[index][0] == name:
                del self.html[index]
                return

    def finish(self) -> list[RenderableType]:
        self.flush()
        return self.parts


class MarkdownRenderer:
    """Renders Markdown blocks with one palette and one set of options.

    A renderer is used for all Markdown blocks of a slide, so it can remember whether
    the slide's title (its first heading) has been drawn yet.
    """

    def __init__(
        self,
        *,
        palette: Palette,
        ascii_only: bool = False,
        picture: PictureHook | None = None,
        title_pending: bool = False,
    ) -> None:
        self.palette = palette
        self.ascii_only = ascii_only
        self.picture = picture
        self.title_pending = title_pending
        self._images: Mapping[str, Asset] = _NO_IMAGES
        self._step = 1
        """The step of the block being drawn."""
        self._marks: tuple[StepMark, ...] = ()

    def render(
        self,
        text: str,
        images: Mapping[str, Asset] = _NO_IMAGES,
        *,
        step: int = 1,
        marks: tuple[StepMark, ...] = (),
    ) -> list[RenderableType]:
        """The blocks of `text`, with a blank line between consecutive blocks.

        `step` is the step at which the text appears and `marks` where later steps begin
        in it (see `MarkdownBlock`): what belongs to a later step is drawn tagged with it
        (see `StepTag`), so a slide can be drawn once and shown at any of its steps.
        """
        self._images = images
        self._step, self._marks = step, marks
        try:
            return self._blocks(parse(text), depth=0, spaced=True)
        finally:
            self._images = _NO_IMAGES
            self._step, self._marks = 1, ()

    def _later_step(self, node: MarkdownNode) -> int | None:
        """The step of `node` when it comes later than the block around it, else None."""
        if not self._marks or not node.map:
            return None
        line = node.map[0]
        step = self._step
        for mark in self._marks:
            if mark.line > line:
                break
            step = mark.step
        return step if step > self._step else None

    def _stepped(
        self, node: MarkdownNode, draw: Callable[[], list[RenderableType]]
    ) -> list[RenderableType]:
        """What `draw` draws of `node`, tagged with the node's step when it comes later."""
        later = self._later_step(node)
        if later is None:
            return draw()
        outer, self._step = self._step, later
        try:
            return [StepTag(part, later) for part in draw()]
        finally:
            self._step = outer

    # Blocks

    def _blocks(self, node: MarkdownNode, *, depth: int, spaced: bool) -> list[RenderableType]:
        result: list[RenderableType] = []
        breaks_from: int | None = None  # where the `<br>` lines after the last block start
        last_list: MarkdownNode | None = None  # the block drawn last, when a tight list
        for child in node.children:
            if _lone_tag(child) == "br":
                # A `<br>` on its own line is one more empty line where it stands.
                if breaks_from is None:
                    breaks_from = len(result)
                    if result and spaced:
                        result.append(Text(""))
                result.append(Text(""))
                last_list = None
                continue
            if child.type == "html_block" and read_command(child.content) is not None:
                continue  # a command shows nothing, and does not part what it stands between
            rendered = self._stepped(child, partial(self._block, child, depth=depth))
            if not rendered:
                continue
            # A pause between two items ends the list there: the items after it are a list
            # of their own, which goes on from the first as one list would, without a gap.
            follows = last_list is not None and _continues(last_list, child)
            if result and spaced and breaks_from is None and not follows:
                result.append(Text(""))
            breaks_from = None
            last_list = child if child.type in ("bullet_list", "ordered_list") else None
            result.extend(rendered)
        if breaks_from is not None:
            del result[breaks_from:]  # after the last block they would only move it up
        return result

    def _block(self, node: MarkdownNode, *, depth: int) -> list[RenderableType]:
        kind = node.type
        if kind == "paragraph":
            return self._inline(node, self.palette.text)
        if kind == "heading":
            return self._heading(node)
        if kind in ("bullet_list", "ordered_list"):
            return [self._list(node, depth)]
        if kind == "blockquote":
            return [self._quote(node, depth)]
        if kind in ("fence", "code_block"):
            return [self._code(node.content, node.info if kind == "fence" else "")]
        if kind == "hr" or _lone_tag(node) == "hr":
            return [
                Rule(
                    characters="-" if self.ascii_only else "\N{BOX DRAWINGS LIGHT HORIZONTAL}",
                    style=self.palette.rule,
                )
            ]
        if kind == "table":
            return [self._table(node)]
        if kind == "html_block":
            return self._html_block(node.content)
        return []

    def _heading(self, node: MarkdownNode) -> list[RenderableType]:
        level = int(node.tag[1:]) if node.tag[1:].isdigit() else 1
        palette = self.palette
        if self.title_pending:
            self.title_pending = False
            style = palette.title
        elif level == 1:
            style = palette.heading1
        elif level == 2:
            style = palette.heading2
        else:
            style = palette.heading3
        parts = self._inline(node, style)
        if level == 1 and parts and isinstance(parts[-1], Text):
            # The biggest heading gets a rule under it: a terminal has no larger font.
            character = "=" if self.ascii_only else "\N{BOX DRAWINGS HEAVY HORIZONTAL}"
            longest = max(cell_len(line) for line in parts[-1].plain.split("\n"))
            parts.append(Underline(longest, character, style))
        return parts

    def _list(self, node: MarkdownNode, depth: int) -> RenderableType:
        ordered = node.type == "ordered_list"
        items = node.children
        marks = (
            self._ordered_marks(node, len(items)) if ordered else [self._bullet(depth)] * len(items)
        )
        width = max((len(mark) for mark in marks), default=1) + 1
        loose = any(
            not paragraph.hidden
            for item in items
            for paragraph in item.children
            if paragraph.type == "paragraph"
        )
        rendered: list[RenderableType] = []
        for item, mark in zip(items, marks, strict=True):
            if loose and rendered:
                rendered.append(Text(""))
            rendered.extend(
                self._stepped(item, partial(self._item, item, mark, width, depth, loose))
            )
        return Group(*rendered)

    def _item(
        self, item: MarkdownNode, mark: str, width: int, depth: int, loose: bool
    ) -> list[RenderableType]:
        contents = self._blocks(item, depth=depth + 1, spaced=loose) or [Text("")]
        first = mark.rjust(width - 1) + " "
        return [Gutter(first, " " * width, contents, prefix_style=self.palette.list_bullet)]

    def _bullet(self, depth: int) -> str:
        bullets = _ASCII_BULLETS if self.ascii_only else _BULLETS
        return bullets[depth % len(bullets)]

    @staticmethod
    def _ordered_marks(node: MarkdownNode, count: int) -> list[str]:
        start = node.attrs.get("start", 1)
        try:
            first = int(start)
        except (TypeError, ValueError):
            first = 1
        delimiter = ")" if node.markup == ")" else "."
        return [f"{first + offset}{delimiter}" for offset in range(count)]

    def _quote(self, node: MarkdownNode, depth: int) -> RenderableType:
        bar = "| " if self.ascii_only else "\N{BOX DRAWINGS LIGHT VERTICAL} "
        contents = self._blocks(node, depth=depth, spaced=True) or [Text("")]
        return Gutter(
            bar, bar, contents, prefix_style=self.palette.quote_bar, style=self.palette.quote
        )

    def _code(self, code: str, info: str) -> RenderableType:
        from prexterm.core.code_attributes import CodeAttributes, fence_info
        from prexterm.render.code_view import code_view

        attributes = CodeAttributes()
        if "{" in info or "+" in info:
            language, attributes = fence_info(info)
            language = clean(language, drop=True)
        else:
            language = clean(info.strip().split(maxsplit=1)[0], drop=True) if info.strip() else ""
        title = safe_text(language, self.palette.code_title) if language else None
        return Panel(
            code_view(
                code,
                language,
                self.palette,
                attributes=attributes,
                line_numbers=attributes.line_numbers,
                first_step=self._step,
                ascii_only=self.ascii_only,
            ),
            box=boxes(self.ascii_only),
            border_style=self.palette.code_border,
            title=title,
            title_align="right",
            expand=False,
            padding=(0, 1),
        )

    def _table(self, node: MarkdownNode) -> RenderableType:
        rows = [row for section in node.children for row in section.children]
        has_header = bool(node.children) and node.children[0].type == "thead"
        if has_header and rows and not any(_plain(cell).strip() for cell in rows[0].children):
            # An empty header row only makes the table one: Earmark's tables have none.
            rows = rows[1:]
            has_header = False
        header = rows[0].children if has_header and rows else []
        columns = max((len(row.children) for row in rows), default=0)
        headings: list[Text] | None = None
        if has_header:
            headings = [
                self._cell(header[index], Style()) if index < len(header) else Text("")
                for index in range(columns)
            ]
        justify = [
            _alignment(rows[0].children[index] if index < len(rows[0].children) else None)
            for index in range(columns)
        ]
        body = [
            [self._cell(cell, self.palette.text) for cell in row.children]
            for row in (rows[1:] if has_header else rows)
        ]
        return FittedTable(headings, body, justify, self.palette, ascii_only=self.ascii_only)

    def _cell(self, cell: MarkdownNode, base: Style) -> Text:
        """A table cell as one Text (images become their label: a cell cannot hold a box)."""
        text = Text(style=base, overflow="fold")
        for part in self._inline(cell, base, inline_images=True):
            if isinstance(part, Text):
                text.append_text(part)
        return text

    def _html_block(self, content: str) -> list[RenderableType]:
        """An HTML block keeps its text (with the inline tag styles) and loses its tags.

        Its lines stay lines, without the blank ones, but an empty line made by two
        `<br>` in a row stays: the author asked for it.
        """
        writer = _Inline(self.palette.text)
        breaks: set[int] = set()
        for piece in html_pieces(content):
            if isinstance(piece, Tag):
                self._tag(writer, piece)
                if piece.kind == "break" and not writer.hiding:
                    breaks.add(len(writer.current) - 1)
            else:
                writer.add(piece)
        text = writer.current
        whole = text.plain
        kept: list[Text] = []
        start = 0
        while start <= len(whole):
            end = whole.find("\n", start)
            if end < 0:
                end = len(whole)
            line, start = text[start:end], end + 1
            plain = line.plain
            if plain.strip():
                line = line[len(plain) - len(plain.lstrip()) :]
                line.rstrip()
                kept.append(line)
            elif end in breaks and kept:
                kept.append(line[:0])
        while kept and not kept[-1].plain:
            kept.pop()
        if not kept:
            return []
        return [Text("\n", style=self.palette.text, overflow="fold").join(kept)]

    # Inline content

    def _inline(
        self, node: MarkdownNode, base: Style, *, inline_images: bool = False
    ) -> list[RenderableType]:
        writer = _Inline(base)
        for child in node.children:
            if child.type == "inline":
                self._inline_children(child, writer, inline_images)
        return writer.finish()

    def _inline_children(self, node: MarkdownNode, writer: _Inline, inline_images: bool) -> None:
        for child in node.children:
            self._inline_node(child, writer, inline_images)

    def _inline_node(self, node: MarkdownNode, writer: _Inline, inline_images: bool) -> None:
        kind = node.type
        if kind == "text":
            writer.add(node.content)
        elif kind == "softbreak":
            writer.soft_break()
        elif kind == "hardbreak":
            writer.add("\n")
        elif kind == "code_inline":
            writer.add(node.content, self.palette.inline_code)
        elif kind == "html_inline":
            self._tag(writer, classify_tag(node.content))
        elif kind == "link":
            self._link(node, writer, inline_images)
        elif kind == "image":
            self._image(node, writer, inline_images)
        else:
            style = _EMPHASIS.get(kind)
            if style is not None:
                writer.styles.append(style)
            self._inline_children(node, writer, inline_images)
            if style is not None:
                writer.styles.pop()

    def _tag(self, writer: _Inline, tag: Tag) -> None:
        if tag.kind == "break":
            writer.line_break()
        elif tag.kind == "open":
            writer.open_html(tag.name, self._tag_style(tag.name))
        elif tag.kind == "close":
            writer.close_html(tag.name)

    def _tag_style(self, name: str) -> Style | None:
        if name in ("small", "sub", "sup"):
            return self.palette.dim
        if name in ("code", "kbd", "samp", "tt"):
            return self.palette.inline_code
        return _HTML_STYLES.get(name)

    def _link(self, node: MarkdownNode, writer: _Inline, inline_images: bool) -> None:
        href = clean(str(node.attrs.get("href", "")), drop=True)
        shown_href = clean(unquote(href), drop=True)
        link = self.palette.link + Style(link=href) if href else self.palette.link
        start = len(writer.current.plain)
        writer.styles.append(link)
        self._inline_children(node, writer, inline_images)
        writer.styles.pop()
        shown = writer.current.plain[start:].strip()
        if href and not _shows_url(shown, href) and not _shows_url(shown, shown_href):
            writer.add(f" ({shown_href})", self.palette.dim + Style(link=href))

    def _image(self, node: MarkdownNode, writer: _Inline, inline_images: bool) -> None:
        src = str(node.attrs.get("src", ""))
        alt = clean(_plain(node), drop=True).strip()
        asset = find_asset(src, self._images)
        path = clean(display_path(src), drop=True)
        problem = asset.problem if asset else None
        if not inline_images and asset is not None and problem is None and self.picture:
            drawn = self.picture(asset, alt)
            if isinstance(drawn, PictureUnavailable):
                problem = drawn.reason
            elif drawn is not None:
                writer.block(drawn)
                return
        label = image_label(alt, path, problem, ascii_only=self.ascii_only)
        if inline_images:
            writer.add(f"[{label}]", self.palette.image_placeholder)
            return
        writer.block(
            Panel(
                safe_text(label, self.palette.image_placeholder),
                box=boxes(self.ascii_only),
                border_style=self.palette.image_placeholder,
                expand=False,
            )
        )


_EMPHASIS = {
    "em": Style(italic=True),
    "strong": Style(bold=True),
    "s": Style(strike=True),
}

_HTML_STYLES = {
    "b": Style(bold=True),
    "strong": Style(bold=True),
    "i": Style(italic=True),
    "em": Style(italic=True),
    "u": Style(underline=True),
    "ins": Style(underline=True),
    "s": Style(strike=True),
    "del": Style(strike=True),
    "strike": Style(strike=True),
}


def _lone_tag(node: MarkdownNode) -> str | None:
    """The void tag (`br`, `hr`, …) alone on its line that is all of an HTML block node."""
    if node.type != "html_block":
        return None
    from prexterm.core.dialect import lone_void_tag  # only slides with HTML blocks need it

    return lone_void_tag(node.content)


def _tight(node: MarkdownNode) -> bool:
    """Whether a list is tight: its items' paragraphs are not set apart by blank lines."""
    return all(
        paragraph.hidden
        for item in node.children
        for paragraph in item.children
        if paragraph.type == "paragraph"
    )


def _continues(before: MarkdownNode, after: MarkdownNode) -> bool:
    """Whether list `after` carries on tight list `before`, only a command between them."""
    return (
        after.type == before.type
        and after.markup == before.markup
        and _tight(before)
        and _tight(after)
    )


def _alignment(cell: MarkdownNode | None) -> Justify:
    style = str(cell.attrs.get("style", "")) if cell is not None else ""
    if "text-align:center" in style:
        return "center"
    if "text-align:right" in style:
        return "right"
    return "left"


def _plain(node: MarkdownNode) -> str:
    """The text of an inline node and its children (an image's alt text)."""
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    return "".join(_plain(child) for child in node.children)


def _shows_url(shown: str, href: str) -> bool:
    """Whether a link's visible text already tells the reader where it goes."""
    if not shown:
        return False
    candidates = {href, href.rstrip("/")}
    for prefix in ("mailto:", "https://", "http://"):
        if href.startswith(prefix):
            candidates.add(href[len(prefix) :].rstrip("/"))
    return shown.rstrip("/") in candidates or shown in candidates


def render_markdown(
    text: str,
    *,
    palette: Palette,
    images: Mapping[str, Asset] = _NO_IMAGES,
    ascii_only: bool = False,
    picture: PictureHook | None = None,
) -> list[RenderableType]:
    """Markdown `text` as Rich renderables, a blank line between blocks.

    `images` maps each image path as written to the parser's asset, so a missing or
    refused picture shows why; `picture` may draw a picture in place of the placeholder.
    """
    renderer = MarkdownRenderer(palette=palette, ascii_only=ascii_only, picture=picture)
    return renderer.render(text, images)

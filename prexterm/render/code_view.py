"""Code with highlighted lines: a marker column, line numbers, the other lines dimmed.

Highlighted lines get a mark in a column of their own and keep their colours; the others
are drawn dim. Dim is an attribute, not a colour, and the mark is a character, so the
highlight reads in every theme, in 16 colours and in `mono` alike.

A highlight that moves (`{1-2|3|all}`) changes only styles and the mark, never the
layout. So a slide is laid out once, showing the last group, and every cell of such code
carries a tag (`HIGHLIGHT_META`) that says at which groups its line stands out;
`restyle_at_step` turns the drawn lines into those of any step without laying anything
out again, exactly as the steps of a slide are shown by blanking later cells.

A page that shows the whole slide at once (an exported page, or the venue pre-flight's
measure of it) has no step for a moving highlight to stand at: at `PLAIN_STEP` such code
is drawn plain, every line as it would be without a highlight. A highlight that never
moves (`{1,3}`) is part of the slide's look and shows at every step, that one included.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.syntax import Syntax

from prexterm.core.code_attributes import CodeAttributes
from prexterm.render.markdown import highlighted, syntax_theme
from prexterm.render.palette import Palette

__all__ = [
    "HIGHLIGHT_META",
    "PLAIN_STEP",
    "code_view",
    "lit_at_step",
    "plain_at_step",
    "restyle_at_step",
]

HIGHLIGHT_META = "prexterm_highlight"
"""Style meta key of a cell of highlighted code; its value is a `HighlightTag`."""

PLAIN_STEP = 0
"""The step at which a slide shows every step revealed and its moving highlights plain
(steps count from 1, so no slide has a step of its own at 0)."""

MARK = "▌"
ASCII_MARK = ">"
_DIM = Style(dim=True)
_TAB_SIZE = 4


def code_view(
    code: str,
    language: str,
    palette: Palette,
    *,
    attributes: CodeAttributes,
    line_numbers: bool,
    first_step: int = 1,
    ascii_only: bool = False,
    line_range: tuple[int, int] | None = None,
) -> RenderableType:
    """Code as a block shows it: plain highlighted code, or with its lines highlighted.

    `first_step` is the step of the slide at which the highlight's first group shows.
    """
    syntax = highlighted(code, language, palette, line_numbers=line_numbers, line_range=line_range)
    if not attributes.highlight:
        return syntax
    return HighlightedCode(
        syntax,
        palette,
        attributes=attributes,
        line_numbers=line_numbers,
        first_step=first_step,
        ascii_only=ascii_only,
        line_range=line_range,
    )


class HighlightedCode:
    """Code whose highlighted lines stand out (see the module's docstring)."""

    def __init__(
        self,
        syntax: Syntax,
        palette: Palette,
        *,
        attributes: CodeAttributes,
        line_numbers: bool,
        first_step: int,
        ascii_only: bool,
        line_range: tuple[int, int] | None,
    ) -> None:
        self.syntax = syntax
        self.palette = palette
        self.attributes = attributes
        self.line_numbers = line_numbers
        self.first_step = first_step
        self.mark = ASCII_MARK if ascii_only else MARK
        text = syntax.highlight(syntax.code)
        if text.plain.endswith("\n"):
            text.right_crop(1)  # the highlighter ends the code with a newline of its own
        text.expand_tabs(_TAB_SIZE)
        lines = list(text.split("\n", allow_blank=True))
        first = 1
        if line_range is not None:
            first = max(1, line_range[0])
            lines = lines[first - 1 : line_range[1]]
        self.first_line = first
        self.lines = lines
        self.background = syntax_theme(palette).get_background_style() + (syntax.background_style)
        self.number_width = len(str(first + len(lines) - 1)) + 1 if line_numbers else 0

    @property
    def gutter(self) -> int:
        """The cells before the code: the mark and its space, then the numbers."""
        return 2 + self.number_width

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((line.cell_len for line in self.lines), default=0)
        return Measurement(self.gutter + 1, self.gutter + widest)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        attributes = self.attributes
        last = attributes.steps - 1  # laid out as the last group shows
        width = max(1, options.max_width - self.gutter)
        inner = options.update(width=width, height=None, justify="left")
        background = self.background
        number_style = background + self.palette.dim
        mark_style = background + self.palette.code_title
        for number, line in enumerate(self.lines, self.first_line):
            groups = attributes.groups_of(number)
            lit = last in groups
            count = attributes.steps
            mark_tag = Style(meta={HIGHLIGHT_META: (self.first_step, count, groups, self.mark)})
            mark = Segment(self.mark if lit else " ", mark_style + mark_tag)
            space = Segment(" ", background)
            wrapped = console.render_lines(line, inner, style=background, pad=True)
            for index, row in enumerate(wrapped):
                yield mark if index == 0 else Segment(" ", background)
                yield space
                if self.line_numbers:
                    shown = str(number).rjust(self.number_width - 1) + " " if index == 0 else ""
                    yield from _tagged(
                        [Segment(shown.ljust(self.number_width), number_style)],
                        (self.first_step, count, groups),
                        lit,
                    )
                yield from _tagged(row, (self.first_step, count, groups), lit)
                yield Segment.line()


def _tagged(
    segments: Iterable[Segment], line: tuple[int, int, tuple[int, ...]], lit: bool
) -> Iterable[Segment]:
    """The cells of one line, tagged with their groups, dim unless the line is `lit`."""
    for segment in segments:
        if segment.control:
            yield segment
            continue
        style = segment.style or Style()
        tag = Style(meta={HIGHLIGHT_META: (*line, bool(style.dim))})
        style = style + tag
        yield Segment(segment.text, style if lit else style + _DIM)


HighlightTag = tuple[int, int, tuple[int, ...], "bool | str"]
"""(step of the first group, how many groups, the groups at which the line stands out,
whether the cell is dim of itself, or for the mark the character of the mark)."""


def restyle_at_step(style: Style, tag: HighlightTag, step: int) -> tuple[Style, str | None]:
    """How a cell of highlighted code shows at `step` of the slide: its style, and for
    the mark its text (None: the cell keeps its text).

    Before its first group the code shows its first group (it is blanked anyway when
    it appears later), after its last group the last. Depends only on the cell's style
    and the step, so a slide's drawing works it out once per style.
    """
    own = tag[3]
    if plain_at_step(tag, step):
        # As if there were no highlight: no mark, and dim only what is dim of itself.
        return (style, " ") if isinstance(own, str) else (style + Style(dim=own), None)
    lit = lit_at_step(tag, step)
    if isinstance(own, str):  # the mark
        return style, own if lit else " "
    return style + Style(dim=own or not lit), None


def plain_at_step(tag: HighlightTag, step: int) -> bool:
    """Whether the line of a cell tagged `tag` shows with no highlight at `step`: at
    `PLAIN_STEP`, when the highlight moves from step to step."""
    return step == PLAIN_STEP and tag[1] > 1


def lit_at_step(tag: HighlightTag, step: int) -> bool:
    """Whether the line of a cell tagged `tag` stands out at `step` of the slide."""
    first_step, count, groups, _ = tag
    return max(0, min(step - first_step, count - 1)) in groups

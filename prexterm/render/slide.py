"""Whole slides as Rich renderables: the body of a slide, its code and error blocks,
the photo placeholder, and a cache so that moving between slides does not re-render.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import PurePosixPath

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from prexterm.core.model import CodeBlock, ErrorBlock, MarkdownBlock, Place, Slide
from prexterm.core.text import clean
from prexterm.render.code_view import (
    HIGHLIGHT_META,
    PLAIN_STEP,
    code_view,
    lit_at_step,
    plain_at_step,
    restyle_at_step,
)
from prexterm.render.layout import Columns, placed
from prexterm.render.markdown import (
    STEP_META,
    MarkdownRenderer,
    PictureHook,
    PictureUnavailable,
    StepTag,
    boxes,
    lexer_name,
    safe_text,
)
from prexterm.render.palette import Palette
from prexterm.render.plain import markdown_to_plain

__all__ = [
    "PLAIN_STEP",
    "Exact",
    "RenderedLines",
    "SlideRenderCache",
    "at_step",
    "render_code_block",
    "render_error_block",
    "render_photo",
    "render_slide_body",
]

PHOTO_TITLE_CLASS = "photo-title-slide"

_CAMERA = (
    "   ┌──┐   ",
    "╭──┘  └──╮",
    "│  ╭──╮  │",
    "│  ╰──╯  │",
    "╰────────╯",
)
_ASCII_CAMERA = (
    "   .--.   ",
    ".--'  '--.",
    "|  .--.  |",
    "|  '--'  |",
    "'--------'",
)


def _code_language(block: CodeBlock) -> str:
    """The lexer for a code block: its language, else what its file name suggests."""
    name = lexer_name(block.language)
    if name != "text":
        return name
    # Guessing from the name only: the code itself may be anything.
    from rich.syntax import Syntax

    return lexer_name(Syntax.guess_lexer(block.asset.written))


CODE_BLOCK_META = "prexterm_code_block"
"""Style meta key naming the code block (by its index in the slide) a cell belongs to."""


def render_code_block(
    block: CodeBlock,
    *,
    palette: Palette,
    ascii_only: bool = False,
    width: int | None = None,
    selected: bool = False,
    index: int | None = None,
    window: tuple[int, int] | None = None,
) -> RenderableType:
    """A `!code` block: highlighted, numbered, in a panel titled with its file and language.

    With `width` the panel takes exactly that width; without, it fits the code. The
    `selected` panel (the one the run and edit keys act on) gets a heavier, brighter frame.
    """
    separator = " - " if ascii_only else " · "
    name = PurePosixPath(block.asset.written).name or block.asset.written
    mark = ("> " if ascii_only else "▶ ") if selected else ""
    title = safe_text(f"{mark}{name}{separator}{block.language or 'text'}", palette.code_title)
    title.overflow = "crop"
    frame = (box.ASCII2 if ascii_only else box.HEAVY) if selected else boxes(ascii_only)
    # Long code shows a window of `window[1]` lines from line `window[0]` (0-based), so
    # the panel fits the slide; the presenter scrolls it with the arrow keys.
    line_range = None
    subtitle = None
    total = block.code.rstrip("\n").count("\n") + 1
    if window is not None and total > window[1]:
        first = max(0, min(window[0], total - window[1]))
        line_range = (first + 1, first + window[1])
        subtitle = safe_text(
            f"lines {first + 1}–{first + window[1]} of {total} · ↑↓ scroll", palette.dim
        )
    # Every cell of the panel carries which code block it is, so a click can select it.
    tag = Style(meta={CODE_BLOCK_META: index}) if index is not None else Style()
    return Panel(
        code_view(
            block.code,
            _code_language(block),
            palette,
            attributes=block.attributes,
            line_numbers=True,
            first_step=block.step,
            ascii_only=ascii_only,
            line_range=line_range,
        ),
        subtitle=subtitle,
        subtitle_align="right",
        title=title,
        title_align="left",
        box=frame,
        border_style=(palette.heading1 if selected else palette.code_border) + tag,
        style=tag,
        expand=width is not None,
        width=width,
        padding=(0, 1),
    )


def render_error_block(
    block: ErrorBlock,
    *,
    palette: Palette,
    ascii_only: bool = False,
) -> RenderableType:
    """A problem shown where it stood in the slide, in the error style, titled "error"."""
    title = Text("error", style=palette.error, overflow="crop")
    return Panel(
        safe_text(block.message, palette.error),
        title=title,
        title_align="left",
        box=boxes(ascii_only),
        border_style=palette.error_border,
        expand=False,
        padding=(0, 1),
    )


def render_slide_body(
    slide: Slide,
    *,
    palette: Palette,
    ascii_only: bool = False,
    picture: PictureHook | None = None,
    selected_code: int | None = None,
    code_window: tuple[int, tuple[int, ...]] | None = None,
) -> RenderableType:
    """Every block of the slide in order, a blank line between blocks.

    `code_window` is (lines shown, first line of each code block): code longer than
    that shows a scrollable window of it.

    The slide's first heading is drawn in the title style; `selected_code` is the index,
    among the slide's code blocks, of the one marked as selected.
    """
    code_index = -1
    laid_out = slide.laid_out
    placed_blocks: list[tuple[Place, list[RenderableType]]] = []
    markdown = MarkdownRenderer(
        palette=palette, ascii_only=ascii_only, picture=picture, title_pending=True
    )
    parts: list[RenderableType] = []
    for block in slide.blocks:
        rendered: list[RenderableType]
        if isinstance(block, MarkdownBlock):
            images = {asset.written: asset for asset in block.images}
            rendered = markdown.render(block.text, images, step=block.step, marks=block.marks)
        elif isinstance(block, CodeBlock):
            code_index += 1
            rendered = [
                render_code_block(
                    block,
                    palette=palette,
                    ascii_only=ascii_only,
                    selected=code_index == selected_code,
                    index=code_index,
                    window=(
                        (
                            code_window[1][code_index] if code_index < len(code_window[1]) else 0,
                            code_window[0],
                        )
                        if code_window is not None
                        else None
                    ),
                )
            ]
        else:
            rendered = [render_error_block(block, palette=palette, ascii_only=ascii_only)]
        if not rendered:
            continue
        if block.step > 1:
            rendered = [StepTag(part, block.step) for part in rendered]
        if laid_out:
            placed_blocks.append((block.place, rendered))
            continue
        if parts:
            parts.append(Text(""))
        parts.extend(rendered)
    if laid_out:
        return _laid_out(placed_blocks)
    return Group(*parts)


class Middle:
    """A slide in two parts: what comes before `jump_to_middle`, and from there on.

    The view places the second part in the vertical middle of the slide (see
    `RenderedLines.middle`).
    """

    def __init__(self, top: RenderableType, rest: RenderableType) -> None:
        self.top = top
        self.rest = rest

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Drawn anywhere else (an export, a preview), the parts simply follow each other."""
        yield self.top
        yield self.rest


def _laid_out(placed_blocks: list[tuple[Place, list[RenderableType]]]) -> RenderableType:
    """A slide drawn region by region (see `render.layout`), split at `jump_to_middle`."""
    top: list[RenderableType] = []
    rest: list[RenderableType] | None = None
    index = 0
    while index < len(placed_blocks):
        place, rendered = placed_blocks[index]
        end = index + 1
        if place.widths:
            while end < len(placed_blocks) and placed_blocks[end][0].layout == place.layout:
                end += 1
        region = placed_blocks[index:end]
        if rest is None and any(p.middle for p, _ in region):
            rest = []
        parts = top if rest is None else rest
        if parts:
            parts.append(Text(""))
        if place.widths:
            columns: list[list[RenderableType]] = [[] for _ in place.widths]
            for inner, shown in region:
                columns[inner.column].append(Group(*placed(shown, inner)))
            parts.append(Columns(place.widths, columns))
        else:
            parts.extend(placed(rendered, place))
        index = end
    if rest is None:
        return Group(*top)
    return Middle(Group(*top), Group(*rest))


class Exact:
    """Draws a renderable into exactly `width` x `height` cells, cropping or padding.

    The photo area must fill the slide whatever a picture or a placeholder draws, so
    the layout around it never jumps.
    """

    def __init__(
        self, renderable: RenderableType, width: int, height: int, style: Style | None = None
    ) -> None:
        self.renderable = renderable
        self.width = max(0, width)
        self.height = max(0, height)
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.width or not self.height:
            return
        inner = options.update(width=self.width, height=self.height)
        lines = console.render_lines(self.renderable, inner, style=self.style, pad=True)
        for line in Segment.set_shape(lines, self.width, self.height, style=self.style):
            yield from line
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)


def render_photo(
    slide: Slide,
    *,
    width: int,
    height: int,
    palette: Palette,
    ascii_only: bool = False,
    picture: PictureHook | None = None,
) -> RenderableType:
    """A photo slide filling exactly `width` x `height`: the picture, or a placeholder.

    The placeholder has a frame, a camera mark, the word "photo", the image path (and
    its problem) and the slide's text as a caption, or as a large title on a
    `photo-title-slide`. When space is short it drops the camera first, then the path,
    so it never looks empty or broken.
    """
    text = " ".join(markdown_to_plain(slide.markdown).split())
    background = slide.background
    problem = background.problem if background is not None else None
    if picture is not None and background is not None and problem is None:
        drawn = picture(background, text)
        if isinstance(drawn, PictureUnavailable):
            problem = drawn.reason
        elif drawn is not None:
            return Exact(drawn, width, height)
    path = None
    if background is not None:
        path = clean(background.written, drop=True)
        if problem:
            path += f" ({clean(problem, drop=True)})"
    placeholder = _PhotoPlaceholder(
        text=clean(text, drop=True),
        path=path,
        title=PHOTO_TITLE_CLASS in slide.classes,
        palette=palette,
        ascii_only=ascii_only,
    )
    return Exact(placeholder, width, height, style=palette.photo_text)


class _PhotoPlaceholder:
    """What a photo slide shows when no picture can be drawn (see `render_photo`)."""

    def __init__(
        self, *, text: str, path: str | None, title: bool, palette: Palette, ascii_only: bool
    ) -> None:
        self.text = text
        self.path = path
        self.title = title
        self.palette = palette
        self.ascii_only = ascii_only

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        height = options.height or options.size.height
        framed = width >= 8 and height >= 3
        inner_width, inner_height = (width - 2, height - 2) if framed else (width, height)
        body = self._body(console, inner_width, inner_height)
        lines = [self._fit(line, inner_width) for line in body]
        top = (inner_height - len(lines)) // 2
        blank = Text(" " * inner_width, style=self.palette.photo_text)
        lines = [blank] * top + lines + [blank] * (inner_height - top - len(lines))
        if framed:
            lines = self._framed(lines, inner_width)
        yield from lines

    def _framed(self, lines: list[Text], inner_width: int) -> list[Text]:
        frame = boxes(self.ascii_only)
        style = self.palette.photo_frame
        result = [Text(frame.top_left + frame.top * inner_width + frame.top_right, style=style)]
        for line in lines:
            row = Text(frame.mid_left, style=style)
            row.append_text(line)
            row.append(frame.mid_right, style)
            result.append(row)
        result.append(
            Text(frame.bottom_left + frame.bottom * inner_width + frame.bottom_right, style=style)
        )
        return result

    def _fit(self, line: Text, width: int) -> Text:
        """`line` centred in `width` cells, cut with an ellipsis when too long."""
        line = line.copy()
        line.no_wrap = True
        if line.cell_len > width:
            mark = "..." if self.ascii_only else "…"
            if width > cell_len(mark):
                line.truncate(width - cell_len(mark))
                line.append(mark, self.palette.photo_text)
            line.truncate(width, pad=True)
        padding = width - line.cell_len
        left = padding // 2
        result = Text(" " * left, style=self.palette.photo_text, no_wrap=True)
        result.append_text(line)
        result.append(" " * (padding - left), self.palette.photo_text)
        return result

    def _body(self, console: Console, width: int, height: int) -> list[Text]:
        """The lines of the placeholder, most important first kept, in display order."""
        palette = self.palette
        word = Text("photo", style=palette.photo_text + Style(bold=True))
        if height <= 1 or width < 1:
            # One line: say it is a photo and what it shows, as far as it fits.
            line = Text("photo", style=palette.photo_text + Style(bold=True))
            if self.text:
                line.append(
                    ": " + self.text, palette.photo_title if self.title else palette.photo_text
                )
            elif self.path:
                line.append(": " + self.path, palette.photo_text)
            # The word itself must never be the part that is cut: when not even one
            # character of what follows fits beside its ellipsis, the word stands alone.
            shortest = cell_len("photo: x") + cell_len("..." if self.ascii_only else "…")
            if line.cell_len > width and width < shortest:
                return [word]
            return [line]
        remaining = height - 1  # the word "photo" always shows
        words = self._words(console, width, max(1, remaining - 1) if self.path else remaining)
        remaining -= len(words)
        path: list[Text] = []
        if self.path and remaining >= 1:
            # The path and the reason after it may take a few lines: a reason cut off
            # says nothing, and the camera below gives way first.
            style = palette.photo_text + Style(italic=True)
            path = self._wrap(console, self.path, width, style)
            if len(path) > remaining:
                path = path[:remaining]
                path[-1].append(" " * width)  # forces the ellipsis where it is cut
            remaining -= len(path)
        camera: list[Text] = []
        if remaining >= len(_CAMERA) + 1 and width >= len(_CAMERA[0]):
            drawing = _ASCII_CAMERA if self.ascii_only else _CAMERA
            camera = [Text(row, style=palette.photo_frame) for row in drawing]
            remaining -= len(camera)
        mark = [*camera, word, *path]
        gap = [Text("")] if words and remaining >= 1 else []
        return [*words, *gap, *mark] if self.title else [*mark, *gap, *words]

    def _words(self, console: Console, width: int, limit: int) -> list[Text]:
        """The slide's text: a caption, or a spaced upper-case title; at most `limit` lines."""
        if not self.text or limit < 1:
            return []
        if self.title:
            style = self.palette.photo_title
            spaced = "   ".join(" ".join(word.upper()) for word in self.text.split())
            # Letter-spacing reads as a title only on one line: wrapped, it would break
            # words apart, so a longer title stays in plain capitals.
            if cell_len(spaced) <= width:
                lines = self._wrap(console, spaced, width, style)
            else:
                lines = self._wrap(console, self.text.upper(), width, style)
        else:
            lines = self._wrap(console, self.text, width, self.palette.photo_text)
        if len(lines) > limit:
            lines = lines[:limit]
            last = lines[-1]
            last.append(" " * width)  # forces the ellipsis when the line is cut
        return lines

    @staticmethod
    def _wrap(console: Console, text: str, width: int, style: Style) -> list[Text]:
        wrapped = Text(text, style=style).wrap(console, max(1, width))
        lines = [line.copy() for line in wrapped]
        for line in lines:
            line.rstrip()
        return lines


class RenderedLines:
    """Lines of segments rendered once, drawn again as they are."""

    def __init__(
        self,
        lines: Sequence[Sequence[Segment]],
        width: int,
        used: int | None = None,
        middle: int | None = None,
    ) -> None:
        self.lines = [list(line) for line in lines]
        self.width = width
        self._used = used
        self.middle = middle
        """The line from which the slide sits in the vertical middle (`jump_to_middle`)."""
        self._changing: tuple[tuple[int, tuple[_Tags, ...]], ...] | None = None
        self.at_steps: dict[tuple[int, tuple[int, ...]], list[Segment]] = {}
        """Lines as they show at some step, by line and by how its tags show then (see
        `at_step`): a step reuses what an earlier step of the slide has worked out."""

    @property
    def changing(self) -> tuple[tuple[int, tuple[_Tags, ...]], ...]:
        """The lines that may show otherwise at some step, each with the tags of its cells
        that do: cells of a later step or of a moving highlight. Worked out once."""
        if self._changing is None:
            found = []
            for index, line in enumerate(self.lines):
                tags = dict.fromkeys(
                    _tags(segment.style)
                    for segment in line
                    if segment.style is not None and _may_change(segment.style)
                )
                if tags:
                    found.append((index, tuple(tags)))
            self._changing = tuple(found)
        return self._changing

    @property
    def used(self) -> int:
        """How many cells wide the drawn text is, at its widest line.

        At an early step of a slide this is the width of the whole slide, so a view that
        centres the text by it keeps every line in place as the later steps appear.
        """
        if self._used is None:
            self._used = max(
                (cell_len("".join(seg.text for seg in line).rstrip()) for line in self.lines),
                default=0,
            )
        return self._used

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines:
            yield from line
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((Segment.get_line_length(line) for line in self.lines), default=0)
        return Measurement(widest, max(widest, self.width))


_Tags = tuple[object, object]
_TAGS: dict[Style, _Tags] = {}
"""The step and highlight tags of each style met (reading a style's meta unpacks it)."""
_AT_STEP: dict[tuple[Style, int], object] = {}
"""What `at_step` does to the cells of each style at each step (see `_action`)."""
_CACHE_LIMIT = 8192


def _tags(style: Style) -> _Tags:
    """The step tag and the highlight tag of `style`, each None when it has none."""
    tags = _TAGS.get(style)
    if tags is None:
        if len(_TAGS) >= _CACHE_LIMIT:
            _TAGS.clear()
        meta = style.meta
        tags = _TAGS[style] = (meta.get(STEP_META), meta.get(HIGHLIGHT_META))
    return tags


def _may_change(style: Style) -> bool:
    """Whether cells of `style` show otherwise at some step than in the whole slide."""
    tag, highlight = _tags(style)
    return (isinstance(tag, int) and tag > 1) or highlight is not None


def _later(tag: object, step: int) -> bool:
    """Whether a cell of step `tag` is still to come at `step` (never at `PLAIN_STEP`,
    which reveals every step)."""
    return isinstance(tag, int) and tag > step and step != PLAIN_STEP


def _action(style: Style, step: int) -> object:
    """What the cells of `style` become at `step`: kept (None), blanked (True), or drawn
    in another style, with another text for a mark (a (style, text or None) pair).

    Kept across slides and steps, so that a restyled cell takes the very same style
    object each time it shows, whose terminal codes Rich has already worked out.
    """
    key = (style, step)
    found = _AT_STEP.get(key, _AT_STEP)
    if found is not _AT_STEP:
        return found
    tag, highlight = _tags(style)
    if _later(tag, step):
        found = True
    elif highlight is None:
        found = None
    else:
        restyled, text = restyle_at_step(style, highlight, step)  # type: ignore[arg-type]
        found = None if text is None and restyled == style else (restyled, text)
    if len(_AT_STEP) >= _CACHE_LIMIT:
        _AT_STEP.clear()
    _AT_STEP[key] = found
    return found


def _how(tag: object, highlight: object, step: int) -> int:
    """How a cell tagged (`tag`, `highlight`) shows at `step`: 0 blank, 1 dim, 2 as in
    the whole slide, 3 plain (see `at_step`)."""
    if _later(tag, step):
        return 0
    if highlight is None:
        return 2
    if plain_at_step(highlight, step):  # type: ignore[arg-type]
        return 3
    return 2 if lit_at_step(highlight, step) else 1  # type: ignore[arg-type]


def at_step(rendered: RenderedLines, step: int) -> RenderedLines:
    """A whole slide's lines as they show at `step`: every cell of a later step blank, and
    code whose highlight moves lit as at that step (see `render.code_view`); at
    `PLAIN_STEP`, nothing blank and that code plain.

    The lines keep their number and their cells' places, and `used` stays that of the
    whole slide: the layout (and the vertical centring) is the same at every step. Only
    the lines that may change are gone through; the others are the whole slide's own.
    """

    actions: dict[Style, object] = {}  # this step's share of `_AT_STEP`, looked up fast

    hows: dict[tuple[_Tags, ...], tuple[int, ...]] = {}

    def how(tags: tuple[_Tags, ...]) -> tuple[int, ...]:
        """How cells of each of `tags` show at `step`: 0 blank, 1 dim, 2 as in the whole
        slide, 3 plain. The lines of one highlight group share their tags: worked out once."""
        found = hows.get(tags)
        if found is None:
            found = hows[tags] = tuple(_how(tag, highlight, step) for tag, highlight in tags)
        return found

    def shown(segment: Segment) -> Segment:
        style = segment.style
        if style is None:
            return segment
        found = actions.get(style, actions)
        if found is actions:
            found = actions[style] = _action(style, step)
        if found is None:
            return segment
        if found is True:
            return Segment(" " * cell_len(segment.text))
        restyled: tuple[Style, str | None] = found  # type: ignore[assignment]
        return Segment(segment.text if restyled[1] is None else restyled[1], restyled[0])

    lines = list(rendered.lines)
    known = rendered.at_steps
    for index, tags in rendered.changing:
        # A line shows the same at every step at which its tags show the same: a
        # highlight's dimmed line is worked out once for all the steps that dim it.
        key = (index, how(tags))
        line = known.get(key)
        if line is None:
            line = known[key] = [shown(segment) for segment in lines[index]]
        lines[index] = line
    return RenderedLines(lines, rendered.width, rendered.used, rendered.middle)


def offscreen_console(width: int) -> Console:
    """A console that draws slides into nothing, in full colour, taking no markup, emoji
    or highlighting of its own: what the render cache draws with, and what the venue
    pre-flight measures with, so the two agree."""
    return Console(
        file=io.StringIO(),
        width=width,
        color_system="truecolor",
        force_terminal=True,
        legacy_windows=False,
        markup=False,
        emoji=False,
        highlight=False,
    )


class SlideRenderCache:
    """Rendered slides kept by slide, width and height.

    Parsing Markdown, highlighting code and wrapping text cost far more than drawing
    finished lines, and a talk moves back and forth over the same few slides: a slide
    is rendered once per size, and moving between slides only draws stored lines. A
    deck never changes (a reload gives new Slide objects), so entries are keyed by the
    slide object itself and never go stale; the oldest entries are dropped past `size`.
    """

    def __init__(
        self,
        *,
        palette: Palette,
        ascii_only: bool = False,
        picture: PictureHook | None = None,
        size: int = 64,
    ) -> None:
        self.palette = palette
        self.ascii_only = ascii_only
        self.picture = picture
        self.size = size
        self._entries: OrderedDict[tuple[object, ...], tuple[Slide, RenderedLines]] = OrderedDict()
        self._lock = threading.RLock()
        self._console = offscreen_console(80)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        """Forget everything (for example after the palette changed)."""
        with self._lock:
            self._entries.clear()

    def get(
        self,
        slide: Slide,
        width: int,
        height: int | None = None,
        *,
        selected_code: int | None = None,
        code_window: tuple[int, tuple[int, ...]] | None = None,
        step: int | None = None,
    ) -> RenderedLines:
        """The slide drawn `width` cells wide; a photo slide fills `width` x `height`.

        Without a height a photo slide shows its body (its text) like any slide. `step`
        shows the slide as it is at that step (see `at_step`); None, or its last step,
        shows all of it, and `PLAIN_STEP` all of it with no moving highlight. A photo
        slide always shows whole.
        """
        width = max(1, width)
        photo_height = max(1, height) if slide.photo and height is not None else None
        if step is not None and (
            (step >= slide.steps and step != PLAIN_STEP) or photo_height is not None
        ):
            step = None
        key = (id(slide), width, photo_height, selected_code, code_window, step)
        # The player draws the next slide ahead in a worker thread while the current one
        # may be drawn on the UI thread: one lock keeps the entries and the console whole.
        with self._lock:
            entry = self._entries.get(key)
            # The slide is kept in the entry, so its id cannot be reused while it is cached.
            if entry is not None and entry[0] is slide:
                self._entries.move_to_end(key)
                return entry[1]
            if step is None:
                rendered = self._render(slide, width, photo_height, selected_code, code_window)
            else:
                # A step is the whole slide with later parts blanked: drawn from the whole
                # slide's lines (rendered once), never laid out on its own.
                whole = self.get(
                    slide, width, height, selected_code=selected_code, code_window=code_window
                )
                if not whole.at_steps:
                    # The first step shown (as the slide appears) works out how each line
                    # shows at every step, so pressing on to the next is a matter of
                    # putting lines together, however much of a highlight it dims.
                    for other in range(1, slide.steps):
                        at_step(whole, other)
                rendered = at_step(whole, step)
            self._entries[key] = (slide, rendered)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
            return rendered

    def _render(
        self,
        slide: Slide,
        width: int,
        height: int | None,
        selected_code: int | None,
        code_window: tuple[int, tuple[int, ...]] | None = None,
    ) -> RenderedLines:
        renderable: RenderableType
        if height is not None:
            renderable = render_photo(
                slide,
                width=width,
                height=height,
                palette=self.palette,
                ascii_only=self.ascii_only,
                picture=self.picture,
            )
        else:
            renderable = render_slide_body(
                slide,
                palette=self.palette,
                ascii_only=self.ascii_only,
                picture=self.picture,
                selected_code=selected_code,
                code_window=code_window,
            )
        options = self._console.options.update(width=width, height=height)
        if isinstance(renderable, Middle):
            top = self._console.render_lines(renderable.top, options, pad=False)
            rest = self._console.render_lines(renderable.rest, options, pad=False)
            return RenderedLines([*top, *rest], width, middle=len(top))
        lines = self._console.render_lines(renderable, options, pad=False)
        return RenderedLines(lines, width)

"""Pictures for the slide renderer: the `PictureHook` and full-area photos.

The renderer asks the hook for a picture of an image asset and draws its placeholder
when the answer is None. The hook answers with a renderable that sizes itself when
it is drawn: in a fixed area (a photo slide: the renderer gives it a height) the
picture fills the area with the slide's text written over it, readable; in running
text (no height) it is at most `max_height` rows tall with its alt text as a caption.

Decoding happens in `PictureCache.prepare`, ideally ahead of time in a worker thread
(see `Pictures.targets`); when it has not, drawing decodes on the spot, so the output
is always the finished picture and can be cached by the renderer as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.align import Align
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from prexterm.core.model import Asset, MarkdownBlock, Slide
from prexterm.core.text import clean
from prexterm.render._shared import image_label
from prexterm.render.markdown import PictureHook, PictureUnavailable, boxes
from prexterm.render.slide import Exact

if TYPE_CHECKING:
    from prexterm.pictures.cache import Picture, PictureCache
    from prexterm.pictures.decode import RGB
    from prexterm.pictures.halfblock import Cell

# Drawing (half blocks, contrast) is imported by the methods that draw: the player makes
# its `Pictures` at start, and the first frame should not wait for what only a slide
# with a picture needs.

__all__ = ["Pictures", "make_picture_hook"]

DEFAULT_MAX_HEIGHT = 12
"""Rows of an inline picture when nothing else is said: about a third of a 36-row slide."""


class Pictures:
    """Draws pictures from a `PictureCache` for one output mode.

    `mode` is what `choose_protocol` chose. With "none", or `mono` (no colours, or
    ASCII only), nothing is drawn and every placeholder stays. With "kitty" the cells
    are still drawn in half blocks: they are what shows under (and before) the kitty
    picture that the player places over them.
    """

    def __init__(
        self,
        cache: PictureCache,
        *,
        mode: str = "halfblock",
        max_height: int = DEFAULT_MAX_HEIGHT,
        mono: bool = False,
        ascii_only: bool = False,
        background: RGB | None = None,
        caption: Style | None = None,
        placeholder: Style | None = None,
        no_color: bool = False,
    ) -> None:
        self.cache = cache
        self.mode = mode
        self.max_height = max(1, max_height)
        self.enabled = mode in ("halfblock", "kitty") and not mono and not ascii_only
        self.ascii_only = ascii_only
        self.off_reason = _off_reason(mode, mono=mono, ascii_only=ascii_only, no_color=no_color)
        """Why no picture is drawn at all, said by every placeholder (None when they are)."""
        self.background = background
        """The colour around a picture (None: the terminal's own background)."""
        self.caption = caption if caption is not None else Style(dim=True, italic=True)
        self.placeholder = placeholder if placeholder is not None else Style(italic=True)

    def hook(self, asset: Asset, alt: str) -> RenderableType | PictureUnavailable | None:
        """The `PictureHook`: a picture of `asset`, or None for the renderer's placeholder.

        Only the file's header is read here; a picture that is missing, too large or
        not a picture at all gives None at once.
        """
        if asset.path is None or asset.problem is not None:
            return None
        if not self.enabled:
            return PictureUnavailable(self.off_reason) if self.off_reason else None
        reason = self.cache.probe(asset.path).reason
        if reason is not None:
            return PictureUnavailable(reason)
        return _Drawn(self, asset, asset.path, alt)

    def photo(self, asset: Asset, width: int, height: int, text: str = "") -> RenderableType | None:
        """A picture filling exactly `width` x `height` cells, `text` written over it."""
        drawn = self.hook(asset, text)
        if drawn is None or isinstance(drawn, PictureUnavailable):
            return None
        return Exact(drawn, max(1, width), max(1, height))

    def targets(self, slide: Slide, width: int, height: int) -> list[tuple[Path, int, int]]:
        """The (path, cols, rows) that drawing `slide` at this size will ask the cache for.

        Give each to `PictureCache.prepare` in a worker thread before the slide shows.
        (An image inside a list or quote is drawn a little narrower, so it may still be
        decoded when drawn; from the cached working copy that is only a resize.)
        """
        if not self.enabled:
            return []
        found: list[tuple[Path, int, int]] = []
        background = slide.background
        if (
            slide.photo
            and background is not None
            and background.path is not None
            and background.problem is None
        ):
            found.append((background.path, max(1, width), max(1, height)))
        for block in slide.blocks:
            if isinstance(block, MarkdownBlock):
                for image in block.images:
                    if image.path is not None and image.problem is None:
                        found.append((image.path, max(1, width), self.max_height))
        return found

    def picture(self, path: Path, cols: int, rows: int) -> Picture:
        """The cached picture for these cells, decoded now if it was not prepared."""
        return self.cache.get(path, cols, rows) or self.cache.prepare(path, cols, rows)

    def failed(self, asset: Asset, reason: str | None, alt: str) -> RenderableType:
        """What shows when a picture that looked fine fails to decode (a damaged file)."""
        label = image_label(
            clean(alt, drop=True),
            clean(asset.written, drop=True),
            reason,
            ascii_only=self.ascii_only,
        )
        text = Text(overflow="fold")
        text.append(label, self.placeholder)
        return Panel(text, box=boxes(self.ascii_only), border_style=self.placeholder, expand=False)


def _off_reason(mode: str, *, mono: bool, ascii_only: bool, no_color: bool) -> str | None:
    """Why pictures are not drawn in this mode: a placeholder alone looks like a fault."""
    if no_color:
        return "pictures are not drawn without colour (NO_COLOR)"
    if mono:
        return "pictures are not drawn without colour (mono theme)"
    if ascii_only:
        return "pictures are not drawn in --ascii mode"
    if mode == "none":
        return "pictures are turned off (--images none)"
    return None


def make_picture_hook(
    cache: PictureCache,
    *,
    mode: str = "halfblock",
    max_height: int = DEFAULT_MAX_HEIGHT,
    mono: bool = False,
    ascii_only: bool = False,
    background: RGB | None = None,
) -> PictureHook:
    """The renderer's `picture` hook for `mode` ("halfblock", "kitty" or "none").

    `max_height` bounds pictures in running text, in rows; about a third of the slide
    height reads well.
    """
    pictures = Pictures(
        cache,
        mode=mode,
        max_height=max_height,
        mono=mono,
        ascii_only=ascii_only,
        background=background,
    )
    return pictures.hook


class _Drawn:
    """A picture that takes its size from where it is drawn (see the module docs)."""

    def __init__(self, pictures: Pictures, asset: Asset, path: Path, text: str) -> None:
        self.pictures = pictures
        self.asset = asset
        self.path = path
        self.text = " ".join(clean(text, drop=True).split())

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width)
        if options.height is not None:
            yield from self._area(console, options, width, max(1, options.height))
        else:
            yield from self._inline(console, options, width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = max(1, options.max_width)
        if options.height is not None:
            return Measurement(width, width)
        from prexterm.pictures.halfblock import picture_cells

        size = self.pictures.cache.probe(self.path).size or (1, 1)
        cols, _ = picture_cells(size, width, self.pictures.max_height)
        shown = max(cols, min(width, cell_len(self.text)))
        return Measurement(shown, shown)

    def _area(
        self, console: Console, options: ConsoleOptions, width: int, height: int
    ) -> RenderResult:
        from prexterm.pictures.contrast import readable_over
        from prexterm.pictures.halfblock import (
            HalfBlockPicture,
            cells_of,
            colour_depth,
            emitted,
            overlay_text,
            picture_cells,
        )

        pictures = self.pictures
        picture = pictures.picture(self.path, width, height)
        if picture.image is None:
            failed = Align(
                pictures.failed(self.asset, picture.reason, self.text),
                align="center",
                vertical="middle",
                height=height,
            )
            yield from console.render(failed, options.update(width=width, height=height))
            return
        if not self.text:
            drawn = picture.halfblock(pictures.background)
            assert drawn is not None
            yield from drawn.__rich_console__(console, options)
            return
        # Keep the text over the picture, unless that would squeeze it into a column.
        columns = max(1, min(width - 4, picture.image.width - 2))
        if columns < 12:
            columns = max(1, min(width - 4, 24))
        lines = [
            line.plain.rstrip() for line in Text(self.text).wrap(console, columns, justify="left")
        ]
        limit = max(1, height // 3)
        if len(lines) > limit:
            lines = lines[:limit]
            lines[-1] = lines[-1][: max(0, width - 5)] + ("..." if pictures.ascii_only else "…")
        depth = colour_depth()
        ink: RGB | None = None
        if depth == "standard":
            # 16 colours are the user's own: no contrast with the picture can be known,
            # so the text stands on the theme's colours (see `overlay_text`).
            grid = cells_of(picture.image, width, height, background=pictures.background)
        else:
            extra = [pictures.background] if pictures.background is not None else []
            rounded = emitted if depth == "256" else None
            dim, readable = readable_over(picture.image, extra=extra, emitted=rounded)
            grid = cells_of(dim, width, height, background=pictures.background)
            ink = readable.text
        # The last rows of the picture itself (not of the area): the text must stand on
        # the colours its contrast was checked against, not on the terminal's.
        _, rows = picture_cells(picture.image.size, width, height)
        bottom = (height - rows) // 2 + rows
        margin = 1 if rows > len(lines) + 1 else 0
        top = max(0, bottom - len(lines) - margin)
        overlay_text(grid, lines, ink, top=top)
        if ink is not None:
            _back_letters(grid, ink)
        yield from HalfBlockPicture(grid, width, height).__rich_console__(console, options)

    def _inline(self, console: Console, options: ConsoleOptions, width: int) -> RenderResult:
        from prexterm.pictures.halfblock import HalfBlockPicture, picture_cells

        pictures = self.pictures
        picture = pictures.picture(self.path, width, pictures.max_height)
        if picture.image is None:
            failed = pictures.failed(self.asset, picture.reason, self.text)
            yield from console.render(failed, options)
            return
        cols, rows = picture_cells(picture.image.size, width, pictures.max_height)
        shown = max(cols, min(width, cell_len(self.text)))
        left = (shown - cols) // 2
        right = shown - cols - left
        drawn = HalfBlockPicture.from_image(
            picture.image, cols, rows, background=pictures.background
        )
        pad = Style.null()
        for line in drawn.lines:
            if left:
                yield Segment(" " * left, pad)
            yield from line
            if right:
                yield Segment(" " * right, pad)
            yield Segment.line()
        if self.text:
            caption = Text(
                self.text,
                style=pictures.caption,
                justify="center",
                no_wrap=True,
                overflow="ellipsis",
            )
            yield from console.render(caption, options.update(width=shown, height=None))


def _back_letters(grid: list[list[Cell]], ink: RGB) -> None:
    from prexterm.pictures.contrast import BLACK, WHITE, contrast_ratio
    from prexterm.pictures.halfblock import UPPER_HALF

    """Give letters that spill past a narrow picture a background of their own.

    Beside the picture is the terminal's background, whose colour is unknown; black or
    white, whichever contrasts more with the text, keeps those letters readable.
    """
    back = BLACK if contrast_ratio(ink, BLACK) >= contrast_ratio(ink, WHITE) else WHITE
    for row in grid:
        for column, (character, fg, bg, bold) in enumerate(row):
            if bg is None and fg == ink and character not in (" ", UPPER_HALF):
                row[column] = (character, fg, back, bold)

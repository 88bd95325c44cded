"""Pictures in the player: which drawing mode, preparing them off the UI thread, and tints.

Decoding a 12-megapixel photo takes tens of milliseconds: it happens in worker threads
(`prepare`), for the slide about to show and for its neighbours, so moving through a
deck of photos stays smooth. The renderer then draws from the prepared pictures.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget

from prexterm.core.model import Slide
from prexterm.core.talk import Talk
from prexterm.pictures.cache import NotWanted, PictureCache
from prexterm.pictures.hook import Pictures
from prexterm.pictures.kitty import choose_protocol

if TYPE_CHECKING:
    from prexterm.app.caches import SlideCaches

RGB = tuple[int, int, int]


def picture_mode(requested: str, *, mono: bool, ascii_only: bool) -> str:
    """What `--images` means in this terminal: `halfblock`, `kitty` or `none`."""
    if mono or ascii_only:
        return "none"
    try:
        return choose_protocol(requested, os.environ)
    except ValueError:
        return "halfblock"


def make_pictures(
    requested: str,
    *,
    mono: bool,
    ascii_only: bool,
    no_color: bool = False,
    root: Path | None = None,
) -> Pictures:
    """The player's pictures; `no_color` (NO_COLOR is set) is named by the placeholders.

    Pictures are read only from inside `root` (the deck root), checked again at each read.
    """
    mode = picture_mode(requested, mono=mono, ascii_only=ascii_only)
    cache = PictureCache(root=root)
    return Pictures(cache, mode=mode, mono=mono, ascii_only=ascii_only, no_color=no_color)


def missing(pictures: Pictures, slide: Slide, width: int, height: int) -> list[tuple]:  # type: ignore[type-arg]
    """The pictures of `slide` at this size that are not decoded yet."""
    if not pictures.enabled:
        return []
    return [
        target
        for target in pictures.targets(slide, width, height)
        if pictures.cache.get(*target) is None and pictures.cache.probe(target[0]).reason is None
    ]


def prepare(
    pictures: Pictures,
    targets: Iterable[tuple],  # type: ignore[type-arg]
    *,
    ahead: bool = False,
    wanted: Callable[[], bool] | None = None,
) -> None:
    """Decode and scale (in a worker thread): the cache keeps the results.

    `ahead`: for a slide not shown yet, so the slide on screen decodes first. `wanted`
    is asked before each decode; once the slide has been left, the rest is not decoded.
    """
    slots = pictures.cache.slots
    try:
        with slots.priority(urgent=not ahead, wanted=wanted):
            for target in targets:
                if wanted is not None and not wanted():
                    return
                pictures.cache.prepare(*target)
    except NotWanted:
        return


def blend(colour: RGB, target: RGB, factor: float) -> RGB:
    """`colour` moved towards `target` by `factor` (0 keeps it, 1 gives `target`)."""
    r, g, b = (round(c + (t - c) * factor) for c, t in zip(colour, target, strict=True))
    return (r, g, b)


def tint_for(pictures: Pictures, slide: Slide, text: RGB) -> str | None:
    """A background colour taken from the slide's picture that `text` reads on (4.5:1).

    For a slide that has both a background picture and text: the text stays crisp on a
    calm tint of the picture's own colour, instead of fighting the picture itself.

    The contrast is measured on the colours the terminal really shows (in 256 colours
    the tint and the text are each rounded). In 16 colours there is no tint: that
    palette is the user's, so the text keeps the theme's own background.
    """
    from prexterm.pictures.contrast import contrast_ratio, relative_luminance
    from prexterm.pictures.halfblock import colour_depth, emitted

    background = slide.background
    if not pictures.enabled or background is None or background.path is None:
        return None
    if colour_depth() == "standard":
        return None
    picture = pictures.cache.get(background.path, 8, 4) or pictures.cache.prepare(
        background.path, 8, 4
    )
    if picture.image is None:
        return None
    small = picture.image.convert("RGB").resize((1, 1))
    average = small.getpixel((0, 0))
    assert isinstance(average, tuple)
    colour: RGB = (int(average[0]), int(average[1]), int(average[2]))
    # Dark text wants a light tint, light text a dark one.
    target: RGB = (255, 255, 255) if relative_luminance(text) < 0.5 else (0, 0, 0)
    factor = 0.0
    tinted = colour
    shown = emitted(text)
    while contrast_ratio(emitted(tinted), shown) < 4.5 and factor < 1.0:
        factor = min(1.0, factor + 0.05)
        tinted = blend(colour, target, factor)
    if contrast_ratio(emitted(tinted), shown) < 4.5:
        return None
    return "#{:02x}{:02x}{:02x}".format(*tinted)


KITTY_IMAGE_ID = 7
"""The id of the one kitty picture the player shows at a time (a photo slide's)."""


def kitty_placement(pictures: Pictures, slide: Slide, x: int, y: int, cols: int, rows: int) -> str:
    """The escapes that show `slide`'s photo with real pixels over its area, or "".

    Built in a worker thread (encoding a PNG takes a while). The cursor is saved, moved
    to the area's top left corner, and restored, so the screen around is untouched.
    """
    from prexterm.pictures.kitty import kitty_sequence

    background = slide.background
    if not slide.photo or background is None or background.path is None or cols < 1:
        return ""
    picture = pictures.cache.prepare(background.path, cols, rows, mode="kitty")
    png = picture.png()
    if png is None:
        return ""
    sequence = kitty_sequence(png, cols, rows, KITTY_IMAGE_ID, tmux="TMUX" in os.environ)
    return f"\x1b7\x1b[{y + 1};{x + 1}H{sequence}\x1b8"


def kitty_removal() -> str:
    from prexterm.pictures.kitty import kitty_delete

    return kitty_delete(KITTY_IMAGE_ID, tmux="TMUX" in os.environ)


class PictureDecoder(Widget):
    """Decodes the pictures of the slide about to show, off the UI thread: the slide
    shows once they are ready, rather than drawn with placeholders and drawn again."""

    DEFAULT_CSS = "PictureDecoder { display: none; }"

    class Decoded(Message):
        """The pictures of slide `number` are ready (it may no longer be the current one)."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def __init__(self, caches: SlideCaches, talk: Talk) -> None:
        super().__init__()
        self.caches = caches
        self.pictures = caches.pictures
        self.talk = talk

    def on_mount(self) -> None:
        if self.pictures.enabled and not self.app.is_headless:
            from prexterm.pictures.halfblock import set_colour_depth

            set_colour_depth(self.app.console.color_system)

    def pending(self, slide: Slide, area: Size) -> bool:
        """Whether `slide`'s pictures, drawn in `area`, still have to be decoded: if so,
        they are, and `Decoded` follows."""
        if not self.pictures.enabled or not area.width:
            return False
        self.caches.fit(area.height)
        targets = missing(self.pictures, slide, area.width, area.height)
        if not targets:
            return False
        self._decode(targets, slide.number)
        return True

    @work(thread=True, group="pictures", exit_on_error=False)
    def _decode(self, targets: list[tuple], number: int) -> None:  # type: ignore[type-arg]
        # Once the talk has moved on, the pictures it left are not worth finishing.
        prepare(self.pictures, targets, wanted=lambda: self.talk.slide == number)
        self.post_message(self.Decoded(number))

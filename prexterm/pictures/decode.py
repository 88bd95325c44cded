"""Reading picture files into small RGB images, never raising.

A deck is written by hand and played live: a picture may be missing, renamed, half
copied, a 100-megapixel camera original or not a picture at all. None of that may stop
the talk, so every failure becomes a `Decoded` with a reason the presenter can read,
and the slide shows a placeholder instead.

Pillow is optional (the `images` extra). It is imported lazily, inside the functions,
so that importing this module costs nothing and works without it.
"""

from __future__ import annotations

import errno
import os
import stat
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "MAX_DECODE_BYTES",
    "MAX_PIXELS",
    "MISSING",
    "NEED_PILLOW",
    "NOT_A_PICTURE",
    "NOT_A_REGULAR_FILE",
    "OUTSIDE_ROOT",
    "RGB",
    "Decoded",
    "decode",
    "decode_bytes",
    "fit_size",
    "open_picture",
    "pillow_available",
    "probe",
    "scale_to_fit",
]

RGB = tuple[int, int, int]
"""A colour as red, green and blue from 0 to 255."""

MAX_PIXELS = 50_000_000
"""Pictures larger than this are refused before their pixels are read.

Decoding 50 megapixels takes about a second; nothing a terminal can show needs more,
and a bigger file is far more likely a mistake than a slide. (What decoding costs in
memory is bounded separately, by `MAX_DECODE_BYTES`.)
"""

MAX_DECODE_BYTES = 100 * 1024 * 1024
"""Pictures whose decoding would take more memory than this are refused from their header.

Pixels alone do not say what a picture costs: Pillow holds a 16-bit RGB PNG as four
bytes a pixel, so a picture under `MAX_PIXELS` could take 200 MB, twice that with the
copies a careless conversion makes. 100 MB is a 26-megapixel PNG, more than any slide
needs. A JPEG is counted at the reduced scale it is decoded at (see `decode`), so a
camera photo of any size under `MAX_PIXELS` stays well below this.
"""

MISSING = "missing"
NEED_PILLOW = "pictures need pip install 'prexterm[images]'"
NOT_A_PICTURE = "not a picture (corrupt or unknown format)"
NOT_A_REGULAR_FILE = "not a regular file"
OUTSIDE_ROOT = "refused: it now resolves outside the deck root"

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
"""No link followed at the last step, and no wait: a FIFO or a device opens at once
(and is then turned away by `open_picture`) instead of freezing the thread."""

_BLACK: RGB = (0, 0, 0)

# EXIF orientation tag value -> the Image.Transpose member that undoes it (by name,
# so that this table needs no Pillow at import time).
_ORIENTATION = {
    2: "FLIP_LEFT_RIGHT",
    3: "ROTATE_180",
    4: "FLIP_TOP_BOTTOM",
    5: "TRANSPOSE",
    6: "ROTATE_270",
    7: "TRANSVERSE",
    8: "ROTATE_90",
}
_ORIENTATION_TAG = 0x0112
_SWAPS = frozenset({"TRANSPOSE", "TRANSVERSE", "ROTATE_90", "ROTATE_270"})


class Decoded(NamedTuple):
    """The outcome of reading a picture: an RGB image, or the reason there is none.

    `size` is the picture's own size in pixels (after EXIF rotation) when it is known,
    also for refused pictures, so that a caller can say how large they were.
    """

    image: Image.Image | None
    reason: str | None = None
    size: tuple[int, int] | None = None

    @property
    def ok(self) -> bool:
        return self.image is not None


def pillow_available() -> bool:
    """Whether pictures can be drawn at all (Pillow installed and importable)."""
    try:
        from PIL import Image  # noqa: F401
    except ImportError:
        return False
    return True


def fit_size(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The largest size with the aspect ratio of `size` that fits in `box` (never 0)."""
    width, height = max(1, size[0]), max(1, size[1])
    box_width, box_height = max(1, box[0]), max(1, box[1])
    scale = min(box_width / width, box_height / height)
    return (
        max(1, min(box_width, round(width * scale))),
        max(1, min(box_height, round(height * scale))),
    )


def scale_to_fit(image: Image.Image, box: tuple[int, int]) -> Image.Image:
    """`image` scaled up or down to fit `box`, keeping its aspect ratio.

    Lanczos keeps photos sharp when shrinking; `reducing_gap` first halves the image
    cheaply, which is what keeps large downscales fast.
    """
    from PIL import Image

    size = fit_size(image.size, box)
    if size == image.size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def probe(path: Path, root: Path | None = None) -> Decoded:
    """Check a picture from its header only: no pixels are decoded, so this is cheap.

    The result has no image; `reason` is None when the picture looks usable, and `size`
    is its size as shown (EXIF rotation applied). A file that is damaged further on
    is only found out by `decode`. `root` confines the read as in `open_picture`.
    """
    return _read(path, root, box=None, background=_BLACK, load=False)


def decode(
    path: Path,
    box: tuple[int, int] | None = None,
    *,
    background: RGB = _BLACK,
    root: Path | None = None,
) -> Decoded:
    """Read the picture at `path` as an RGB image, at most `box` pixels if given.

    The file's content decides its format, not its name. GIF and other animations
    give their first frame; transparency is painted over `background`; EXIF rotation
    is applied. A JPEG larger than needed is decoded at a reduced scale (1/2 to 1/8),
    which makes a camera photo about ten times faster to show; any other picture is
    scaled down to `box` before it is converted, so that only one full-size copy is
    ever held. `root` confines the read as in `open_picture`. Never raises.
    """
    return _read(path, root, box=box, background=background, load=True)


def open_picture(path: Path, root: Path | None = None) -> BinaryIO | str:
    """The picture file opened for reading, or why it may not be read.

    The deck's paths were checked when it was read, but a file can be swapped for a
    link (or a folder for a link to another folder) while the talk runs. So the file
    is opened without following a last link and without waiting, and then what was
    really opened is checked: it must be a regular file (a FIFO would freeze the
    reader, a device never ends) and, with a `root`, lie inside it.
    """
    real = os.path.realpath(path)
    root_real = os.path.realpath(root) if root is not None else None
    if root_real is not None and not _inside(real, root_real):
        return OUTSIDE_ROOT
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except FileNotFoundError:
        return MISSING
    except OSError as error:
        if error.errno == errno.ELOOP:
            return OUTSIDE_ROOT if root_real is not None else NOT_A_REGULAR_FILE
        return f"cannot read: {error.strerror or error}"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            reason: str | None = NOT_A_REGULAR_FILE
        elif root_real is not None and not _opened_inside(fd, info, real, root_real):
            reason = OUTSIDE_ROOT
        else:
            reason = None
        if reason is not None:
            os.close(fd)
            return reason
        return os.fdopen(fd, "rb")
    except OSError as error:
        os.close(fd)
        return f"cannot read: {error.strerror or error}"


def _inside(real: str, root: str) -> bool:
    """Whether `real` is `root` or lies below it; both are real paths."""
    return real == root or real.startswith(root if root.endswith(os.sep) else root + os.sep)


def _opened_inside(fd: int, info: os.stat_result, real: str, root: str) -> bool:
    """Whether the file open as `fd` lies inside `root`, asked of the system where it can.

    Linux names an open file under /proc; elsewhere the file at `real` (already inside
    the root) must still be the very file that was opened.
    """
    try:
        opened = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        try:
            found = os.stat(real)
        except OSError:
            return False
        return (found.st_dev, found.st_ino) == (info.st_dev, info.st_ino)
    return _inside(opened, root)


def decode_bytes(
    mode: str, size: tuple[int, int], *, transparent: bool = False, scaled: bool = True
) -> int:
    """About how much memory decoding a picture of this Pillow mode and size takes.

    The picture itself as Pillow holds it: one byte a pixel for grey and palettes, two
    for 16-bit grey, four for everything else. Scaled down (as the player always does),
    nothing else of that size is held (see `_shrink`); at full size, a palette or 1-bit
    picture takes an RGB copy, and transparency one more to paint it over the background.
    """
    pixels = max(0, size[0]) * max(0, size[1])
    per_pixel = 1 if mode in ("1", "L", "P") else 2 if mode.startswith("I;16") else 4
    if not scaled:
        if mode in ("1", "P", "PA") or (transparent and mode not in _ALPHA):
            per_pixel += 4
        if transparent:
            per_pixel += 4
    return pixels * per_pixel


_ALPHA = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})


def _is_transparent(picture: Image.Image) -> bool:
    return picture.mode in _ALPHA or "transparency" in picture.info


def _too_costly(picture: Image.Image, shown: tuple[int, int], *, scaled: bool = True) -> str | None:
    """Why decoding `picture` as it stands (a JPEG after `draft`) would take too much memory."""
    transparent = _is_transparent(picture)
    cost = decode_bytes(picture.mode, picture.size, transparent=transparent, scaled=scaled)
    if cost <= MAX_DECODE_BYTES:
        return None
    megabytes = -(-cost // (1024 * 1024))
    return (
        f"too large to decode: {shown[0]}×{shown[1]} would take {megabytes} MB,"
        f" over {MAX_DECODE_BYTES // (1024 * 1024)} MB"
    )


def _read(
    path: Path, root: Path | None, *, box: tuple[int, int] | None, background: RGB, load: bool
) -> Decoded:
    try:
        from PIL import Image  # noqa: F401
    except ImportError:
        return Decoded(None, NEED_PILLOW)
    _quiet_bomb_warnings()
    file = open_picture(path, root)
    if isinstance(file, str):
        return Decoded(None, file)
    with file:
        return _read_open(file, box=box, background=background, load=load)


def _read_open(
    file: BinaryIO, *, box: tuple[int, int] | None, background: RGB, load: bool
) -> Decoded:
    from PIL import Image

    try:
        picture = _open(file)
    except Image.DecompressionBombError:
        return Decoded(None, f"too large (over {MAX_PIXELS // 1_000_000} megapixels)")
    except Exception:
        # Pillow's format plugins raise many kinds of errors on bad data.
        return Decoded(None, NOT_A_PICTURE)
    with picture:
        width, height = picture.size
        if width <= 0 or height <= 0:
            return Decoded(None, NOT_A_PICTURE)
        if width * height > MAX_PIXELS:
            return Decoded(
                None,
                f"too large: {width}×{height} (over {MAX_PIXELS // 1_000_000} megapixels)",
                (width, height),
            )
        shown = (width, height)
        if picture.format != "JPEG":
            # Before anything else reads the file: a JPEG's cost is known after `draft`.
            costly = _too_costly(picture, shown)
            if costly is not None:
                return Decoded(None, costly, shown)
        try:
            transpose = _orientation(picture)
            shown = (height, width) if transpose in _SWAPS else (width, height)
            if not load:
                return Decoded(None, None, shown)
            # The box as the file lies, before EXIF rotation.
            raw_box = None if box is None else box if shown == (width, height) else box[::-1]
            if raw_box is not None and picture.format == "JPEG":
                # draft() picks the smallest DCT scale that is still at least this big.
                picture.draft("RGB", fit_size((width, height), raw_box))
            costly = _too_costly(picture, shown, scaled=raw_box is not None)
            if costly is not None:
                return Decoded(None, costly, shown)
            picture.load()
            image = _shrink(picture, raw_box, background)
            if transpose is not None:
                image = image.transpose(Image.Transpose[transpose])
            if box is not None and (image.width > box[0] or image.height > box[1]):
                image = scale_to_fit(image, box)
        except Image.DecompressionBombError:
            return Decoded(None, f"too large (over {MAX_PIXELS // 1_000_000} megapixels)", shown)
        except Exception:
            return Decoded(None, NOT_A_PICTURE, shown if load else None)
        return Decoded(image, None, shown)


_COMMON_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "PPM")
"""The formats Pillow knows without loading its other plugins."""
_COMMON_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8", b"GIF8", b"BM", b"P1", b"P2", b"P3",
                      b"P4", b"P5", b"P6")  # fmt: skip


def _open(file: BinaryIO) -> Image.Image:
    """`Image.open`, without loading every Pillow plugin for a damaged common picture.

    Pillow tries each of its format plugins, importing them all (tens of milliseconds),
    before it gives up on a file. A file that starts like a PNG or a JPEG but is damaged is given
    up on at once; only other files (WebP, TIFF, ...) get the full search.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        return Image.open(file, formats=_COMMON_FORMATS)
    except UnidentifiedImageError:
        file.seek(0)
        if file.read(8).startswith(_COMMON_SIGNATURES):
            raise
        file.seek(0)
        return Image.open(file)


def _orientation(picture: Image.Image) -> str | None:
    """The transpose that shows the picture upright, from its EXIF orientation tag.

    A PNG's EXIF comes before its pixels when it has any; Pillow would otherwise decode
    the whole picture looking for it further on, which a mere `probe` must not do.
    """
    if picture.format == "PNG" and "exif" not in picture.info:
        return None
    try:
        value = picture.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:
        return None
    return _ORIENTATION.get(value) if isinstance(value, int) else None


_SCALABLE = frozenset({"L", "LA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "LAB", "HSV", "I", "F"})
"""Modes Pillow scales with Lanczos as they are, keeping one full-size copy at most."""


def _shrink(picture: Image.Image, box: tuple[int, int] | None, background: RGB) -> Image.Image:
    """The loaded picture as plain RGB, scaled down to `box` (if given) as early as possible.

    Converting a large picture whole would hold a second full-size copy of it. So RGB
    and grey pictures are scaled in their own mode (16-bit grey with a box filter, which
    needs no copy either), and the others (transparency, palettes, 1-bit) are converted
    and reduced a strip of rows at a time (`_reduced_in_strips`).
    """
    from PIL import Image

    image = picture
    if box is not None and (image.width > box[0] or image.height > box[1]):
        size = fit_size(image.size, box)
        if image.mode.startswith("I;16"):
            image = image.resize(size, Image.Resampling.BOX)
        elif image.mode not in _SCALABLE or _is_transparent(image):
            image = _reduced_in_strips(image, size, background)
        if image.size != size:
            image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
    return _flatten(image, background)


_STRIP_BYTES = 4 * 1024 * 1024
"""About how much one strip of `_reduced_in_strips` holds once converted."""


def _reduced_in_strips(image: Image.Image, size: tuple[int, int], background: RGB) -> Image.Image:
    """`image` as RGB over `background`, reduced by a whole factor towards `size`.

    Each strip of rows is converted, painted over the background and averaged down on
    its own, so that no full-size copy exists; the result is at least twice `size`, for
    the final Lanczos step to work from.
    """
    from PIL import Image

    width, height = image.size
    factor = max(1, min(width // (2 * size[0]), height // (2 * size[1])))
    if factor == 1:
        return _flatten(image, background)
    rows = factor * max(1, _STRIP_BYTES // (4 * width * factor))
    reduced = Image.new("RGB", (-(-width // factor), -(-height // factor)))
    for top in range(0, height, rows):
        strip = _flatten(image.crop((0, top, width, min(height, top + rows))), background)
        reduced.paste(strip.reduce(factor), (0, top // factor))
    return reduced


def _flatten(picture: Image.Image, background: RGB) -> Image.Image:
    """The picture as plain RGB, transparent parts painted over `background`."""
    from PIL import Image

    if not _is_transparent(picture):
        if picture.mode == "RGB":
            return picture.copy()
        if picture.mode.startswith("I;16"):
            # 16-bit greyscale: keep the high byte, which is what a screen can show.
            return picture.point(lambda value: value / 256).convert("L").convert("RGB")
        return picture.convert("RGB")
    rgba = picture if picture.mode == "RGBA" else picture.convert("RGBA")
    base = Image.new("RGB", rgba.size, background)
    base.paste(rgba, mask=rgba)
    return base


def _quiet_bomb_warnings() -> None:
    """Silence Pillow's decompression bomb warning, whose case `_read_open` handles.

    The size check refuses such pictures anyway, and a warning printed to the terminal
    would scribble over the full-screen player. The filter is added again whenever it
    has gone (a test harness or another library may reset the filters).
    """
    from PIL import Image

    category = Image.DecompressionBombWarning
    if not any(entry[2] is category and entry[0] == "ignore" for entry in warnings.filters):
        warnings.filterwarnings("ignore", category=category)

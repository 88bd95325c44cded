"""Reading picture files into small RGB images, never raising.

A deck is written by hand and played live: a picture may be missing, renamed, half
copied, a 100-megapixel camera original or not a picture at all. None of that may stop
the talk, so every failure becomes a `Decoded` with a reason the presenter can read,
and the slide shows a placeholder instead.

Pillow is optional (the `images` extra). It is imported lazily, inside the functions,
so that importing this module costs nothing and works without it.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "MAX_PIXELS",
    "MISSING",
    "NEED_PILLOW",
    "NOT_A_PICTURE",
    "RGB",
    "Decoded",
    "decode",
    "fit_size",
    "pillow_available",
    "probe",
    "scale_to_fit",
]

RGB = tuple[int, int, int]
"""A colour as red, green and blue from 0 to 255."""

MAX_PIXELS = 50_000_000
"""Pictures larger than this are refused before their pixels are read.

Decoding 50 megapixels already takes 150 MB and about a second; nothing a terminal can
show needs more, and a bigger file is far more likely a mistake than a slide.
"""

MISSING = "missing"
NEED_PILLOW = "pictures need pip install 'prexterm[images]'"
NOT_A_PICTURE = "not a picture (corrupt or unknown format)"

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


def probe(path: Path) -> Decoded:
    """Check a picture from its header only: no pixels are decoded, so this is cheap.

    The result has no image; `reason` is None when the picture looks usable, and `size`
    is its size as shown (EXIF rotation applied). A file that is damaged further on
    is only found out by `decode`.
    """
    return _read(path, box=None, background=_BLACK, load=False)


def decode(path: Path, box: tuple[int, int] | None = None, *, background: RGB = _BLACK) -> Decoded:
    """Read the picture at `path` as an RGB image, at most `box` pixels if given.

    The file's content decides its format, not its name. GIF and other animations
    give their first frame; transparency is painted over `background`; EXIF rotation
    is applied. A JPEG larger than needed is decoded at a reduced scale (1/2 to 1/8),
    which makes a camera photo about ten times faster to show. Never raises.
    """
    return _read(path, box=box, background=background, load=True)


def _read(path: Path, *, box: tuple[int, int] | None, background: RGB, load: bool) -> Decoded:
    try:
        from PIL import Image  # noqa: F401
    except ImportError:
        return Decoded(None, NEED_PILLOW)
    _quiet_bomb_warnings()
    try:
        file = open(path, "rb")  # noqa: SIM115 - closed below, after Pillow is done with it
    except FileNotFoundError:
        return Decoded(None, MISSING)
    except OSError as error:
        return Decoded(None, f"cannot read: {error.strerror or error}")
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
        try:
            transpose = _orientation(picture)
            shown = (height, width) if transpose in _SWAPS else (width, height)
            if not load:
                return Decoded(None, None, shown)
            if box is not None and picture.format == "JPEG":
                # draft() picks the smallest DCT scale that is still at least this big.
                wanted = fit_size(shown, box)
                if shown != (width, height):
                    wanted = (wanted[1], wanted[0])
                picture.draft("RGB", wanted)
            picture.load()
            image = _flatten(picture, background)
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
    """The transpose that shows the picture upright, from its EXIF orientation tag."""
    try:
        value = picture.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:
        return None
    return _ORIENTATION.get(value) if isinstance(value, int) else None


def _flatten(picture: Image.Image, background: RGB) -> Image.Image:
    """The picture as plain RGB, transparent parts painted over `background`."""
    from PIL import Image

    transparent = picture.mode in ("RGBA", "RGBa", "LA", "La", "PA") or (
        "transparency" in picture.info
    )
    if not transparent:
        if picture.mode == "RGB":
            return picture.copy()
        if picture.mode.startswith("I;16"):
            # 16-bit greyscale: keep the high byte, which is what a screen can show.
            return picture.point(lambda value: value / 256).convert("L").convert("RGB")
        return picture.convert("RGB")
    rgba = picture.convert("RGBA")
    base = Image.new("RGB", rgba.size, background)
    base.paste(rgba, mask=rgba.getchannel("A"))
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

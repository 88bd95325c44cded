"""Pictures in the terminal: decoding, half-block drawing, the kitty protocol, a cache.

Nothing here imports Textual, and Pillow (the optional `images` extra) is imported
only when a picture is actually read: without it every picture reports
"pictures need pip install 'prexterm[images]'" and the slides show placeholders.

The pieces, from the bottom up:

- `decode`: a file to a small RGB image, or a readable reason why not; never raises.
- `halfblock`: an image as Rich cells, two pixels per cell with "▀".
- `contrast`: WCAG contrast, dimming, and a readable text colour over a picture.
- `kitty`: escape sequences of the kitty graphics protocol, and `choose_protocol`.
- `cache`: a thread-safe LRU of decoded pictures, filled ahead of time by workers.
- `hook`: the renderer's `PictureHook` and full-area photos.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prexterm.loading import names_on_first_use

if TYPE_CHECKING:
    from prexterm.pictures.cache import Picture, PictureCache
    from prexterm.pictures.contrast import (
        AA_CONTRAST,
        Readable,
        contrast_ratio,
        dimmed,
        readable_over,
        readable_text,
    )
    from prexterm.pictures.decode import (
        MAX_DECODE_BYTES,
        MAX_PIXELS,
        NEED_PILLOW,
        RGB,
        Decoded,
        decode,
        pillow_available,
        probe,
    )
    from prexterm.pictures.halfblock import HalfBlockPicture, halfblock, picture_cells
    from prexterm.pictures.hook import Pictures, make_picture_hook
    from prexterm.pictures.kitty import choose_protocol, kitty_delete, kitty_sequence, tmux_wrap

_HOMES = {
    "cache": ("Picture", "PictureCache"),
    "contrast": (
        "AA_CONTRAST", "Readable", "contrast_ratio", "dimmed", "readable_over", "readable_text",
    ),
    "decode": (
        "MAX_DECODE_BYTES", "MAX_PIXELS", "NEED_PILLOW", "RGB", "Decoded", "decode",
        "pillow_available", "probe",
    ),
    "halfblock": ("HalfBlockPicture", "halfblock", "picture_cells"),
    "hook": ("Pictures", "make_picture_hook"),
    "kitty": ("choose_protocol", "kitty_delete", "kitty_sequence", "tmux_wrap"),
}  # fmt: skip
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "AA_CONTRAST",
    "MAX_DECODE_BYTES",
    "MAX_PIXELS",
    "NEED_PILLOW",
    "RGB",
    "Decoded",
    "HalfBlockPicture",
    "Picture",
    "PictureCache",
    "Pictures",
    "Readable",
    "choose_protocol",
    "contrast_ratio",
    "decode",
    "dimmed",
    "halfblock",
    "kitty_delete",
    "kitty_sequence",
    "make_picture_hook",
    "picture_cells",
    "pillow_available",
    "probe",
    "readable_over",
    "readable_text",
    "tmux_wrap",
]


# A deck without pictures (or a first slide without one) never pays for half-block
# drawing or contrast maths.
__getattr__, __dir__ = names_on_first_use(__name__, _HOME_OF)

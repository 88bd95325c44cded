"""The monospaced font that PDF and HTML exports embed, found on this machine.

Slides are drawn in terminal cells: frames, progress lines and pictures are made of
box-drawing and block characters, and columns only line up in a font that has them all
at one width. DejaVu Sans Mono has them and ships with most Linux systems; fontconfig
finds it, or another font that has them, wherever it is installed.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

INSTALL_HINT = "on Debian or Ubuntu: apt-get install fonts-dejavu-core"
NEEDED = "─│┌┐└┘╭╮╰╯━▀▄█▌▐░•…"
"""Characters the player draws its frames, marks and pictures with."""

KNOWN = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/TTF/DejaVuSansMono.ttf",
    "/usr/local/share/fonts/DejaVuSansMono.ttf",
    "/Library/Fonts/DejaVuSansMono.ttf",
)
"""Where DejaVu Sans Mono lives on common systems, for machines without fontconfig."""

_VARIANTS = {"bold": "-Bold", "italic": "-Oblique", "bold_italic": "-BoldOblique"}


# fontTools (which cuts the font down to the characters used) reports each table it
# leaves out on the root logger's handlers; an export has nothing to say about that.
logging.getLogger("fontTools").setLevel(logging.ERROR)


class FontMissing(Exception):
    """No usable monospaced font was found; the message says what to install."""


class FontFiles(NamedTuple):
    """A monospaced font family: the regular face, and the others where they exist."""

    regular: Path
    bold: Path | None = None
    italic: Path | None = None
    bold_italic: Path | None = None


def _fc_match(pattern: str) -> Path | None:
    if shutil.which("fc-match") is None:
        return None
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(found) if found else None
    return path if path is not None and path.suffix.lower() == ".ttf" and path.is_file() else None


def _covers(path: Path) -> bool:
    """Whether the font at `path` has every character in `NEEDED` (when it can be told)."""
    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        # Without a font reader only DejaVu Sans Mono, known to have them, is taken.
        return path.name.startswith("DejaVuSansMono")
    try:
        with TTFont(str(path), lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:
        return False
    return all(ord(char) in cmap for char in NEEDED)


def find_font() -> FontFiles:
    """The first monospaced TrueType font found that has the needed characters.

    Raises `FontMissing` with the package to install when there is none.
    """
    candidates = [Path(p) for p in KNOWN]
    for pattern in ("DejaVu Sans Mono", "monospace"):
        match = _fc_match(pattern)
        if match is not None:
            candidates.append(match)
    for path in candidates:
        if path.is_file() and _covers(path):
            return FontFiles(path, **_variants(path))
    raise FontMissing(
        f"no monospaced font with box-drawing and block characters was found ({INSTALL_HINT})"
    )


def _variants(regular: Path) -> dict[str, Path | None]:
    """Bold and italic faces beside the regular one, named the way DejaVu names them."""
    stem = regular.stem.removesuffix("-Regular").removesuffix("-Book")
    found: dict[str, Path | None] = {}
    for face, suffix in _VARIANTS.items():
        names = [f"{stem}{suffix}{regular.suffix}"]
        if face == "italic":
            names.append(f"{stem}-Italic{regular.suffix}")
        if face == "bold_italic":
            names.append(f"{stem}-BoldItalic{regular.suffix}")
        found[face] = next(
            (regular.with_name(n) for n in names if regular.with_name(n).is_file()), None
        )
    return found

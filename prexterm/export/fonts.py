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
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

INSTALL_HINT = "on Debian or Ubuntu: apt-get install fonts-dejavu-core"
CJK_PACKAGE = "fonts-wqy-zenhei"
EMOJI_PACKAGE = "fonts-noto-color-emoji"
OTHER_PACKAGE = "fonts-noto-core"
_CJK = (
    (0x1100, 0x11FF),  # Hangul letters
    (0x2E80, 0x9FFF),  # CJK radicals, punctuation, kana, ideographs
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),  # Hangul syllables
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20000, 0x3FFFF),
)
_LOADABLE = (".ttf", ".ttc", ".otf")
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


class Face(NamedTuple):
    """One font of a file, and the characters it has."""

    path: Path
    number: int
    """Which font of the file (a collection holds several), from 0."""
    has: frozenset[int]


def _charset(ranges: str) -> frozenset[int]:
    """fontconfig's charset (`20-7e a0-17f 2500`) as the code points it names."""
    found: set[int] = set()
    for part in ranges.split():
        first, _, last = part.partition("-")
        try:
            found.update(range(int(first, 16), int(last or first, 16) + 1))
        except ValueError:
            continue
    return frozenset(found)


class Fallbacks:
    """Fonts for the characters the monospaced font lacks (CJK letters, emoji), found on
    this machine through fontconfig, the nearest to a monospaced font first.

    fontconfig is asked once, when the first such character is met: a deck in one script
    never pays for it. Without fontconfig, or with no font that has a character, there is
    none for it, and the export says which package would bring one (`install_hint`).
    """

    def __init__(self) -> None:
        self._faces: list[tuple[Path, int, str]] | None = None
        self._chosen: dict[str, Face | None] = {}
        self._charsets: dict[tuple[Path, int], frozenset[int]] = {}

    def _listed(self) -> list[tuple[Path, int, str]]:
        if self._faces is None:
            self._faces = []
            if shutil.which("fc-match") is not None:
                try:
                    listing = subprocess.run(
                        [
                            "fc-match",
                            "-s",
                            "monospace",
                            "--format",
                            "%{file}\t%{index}\t%{charset}\n",
                        ],
                        capture_output=True,
                        text=True,
                        timeout=20,
                        check=False,
                    ).stdout
                except (OSError, subprocess.SubprocessError):
                    listing = ""
                for line in listing.splitlines():
                    file, _, rest = line.partition("\t")
                    index, _, ranges = rest.partition("\t")
                    if file.lower().endswith(_LOADABLE) and index.isdigit():
                        self._faces.append((Path(file), int(index), ranges))
        return self._faces

    def face_for(self, char: str) -> Face | None:
        """The first font found that has `char`, None when there is none."""
        if char in self._chosen:
            return self._chosen[char]
        point = ord(char)
        chosen: Face | None = None
        for path, index, ranges in self._listed():
            key = (path, index)
            has = self._charsets.get(key)
            if has is None:
                has = self._charsets[key] = _charset(ranges)
            if point in has and path.is_file():
                chosen = Face(path, index, has)
                break
        self._chosen[char] = chosen
        return chosen


def install_hint(chars: Iterable[str]) -> str:
    """Which Debian package brings a font for `chars`."""
    points = [ord(c) for c in chars]
    if any(low <= p <= high for p in points for low, high in _CJK):
        package = CJK_PACKAGE
    elif any(p >= 0x1F000 for p in points):
        package = EMOJI_PACKAGE
    else:
        package = OTHER_PACKAGE
    return f"on Debian or Ubuntu: apt-get install {package}"

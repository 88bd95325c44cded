"""The talk as a PDF: each page the slide as drawn, in vector shapes and selectable text.

fpdf2 writes it: pure Python, on PyPI, maintained, and it embeds a subset of a TrueType
font, so the text can be selected and searched and the columns line up in any viewer.
Characters the monospaced font lacks (CJK letters, emoji) come from a fallback font the
system has, found through fontconfig, each drawn in the middle of its cells.
It is the optional extra `prexterm[pdf]`; the other formats need nothing more.
"""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prexterm.export.fonts import Fallbacks, FontFiles, install_hint
from prexterm.export.pages import Look, Page
from prexterm.export.shapes import BOTTOM, TOP, Piece, shapes

if TYPE_CHECKING:
    from fpdf import FPDF

FONT_SIZE = 10.0
"""Points; a page of 120 columns is then some 25 cm wide."""
NOTES_SIZE = 11.0
NOTES_MARGIN = 18.0
FAMILY = "prexterm-mono"

# fpdf2 reports characters its font lacks through logging, in a line of its own making;
# the export says it once, in its own words (see `PdfWriter.problems`).
logging.getLogger("fpdf").setLevel(logging.ERROR)


class PdfMissing(Exception):
    """fpdf2 is not installed: the message names the extra that brings it."""


def _rgb(colour: str) -> tuple[int, int, int]:
    value = int(colour[1:], 16)
    return value >> 16 & 255, value >> 8 & 255, value & 255


def _metrics(path: str) -> tuple[float, float, float, frozenset[str]]:
    """The font's advance width, ascent and descent, as fractions of its size, and the
    characters it has."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        units = font["head"].unitsPerEm
        hhea = font["hhea"]
        advance = font["hmtx"]["zero"][0] if "zero" in font["hmtx"].metrics else units * 0.6
        has = frozenset(map(chr, font.getBestCmap() or {}))
        return advance / units, hhea.ascent / units, -hhea.descent / units, has


class PdfWriter:
    """Collects pages into one PDF document; `result` is its bytes."""

    extension = ".pdf"

    def __init__(self, title: str, fonts: FontFiles, *, handout: bool = False) -> None:
        try:
            from fpdf import FPDF
        except ImportError:
            raise PdfMissing(
                "PDF export needs fpdf2: install prexterm with the pdf extra, "
                "python3 -m pip install 'prexterm[pdf]'"
            ) from None
        self.handout = handout
        advance, ascent, descent, self._has = _metrics(str(fonts.regular))
        self._lacking: set[str] = set()
        self._fallbacks = Fallbacks()
        self._families: dict[tuple[Path, int], str | None] = {}
        self._current: tuple[str, str, str] | None = None
        self.cell_width = advance * FONT_SIZE
        self.cell_height = (ascent + descent) * FONT_SIZE
        self.baseline = ascent * FONT_SIZE
        self.notes_advance = advance * NOTES_SIZE
        pdf: FPDF = FPDF(unit="pt")
        pdf.set_auto_page_break(False)
        pdf.set_margin(0)
        pdf.set_creator("prexterm")
        pdf.set_title(title)
        pdf.add_font(FAMILY, "", str(fonts.regular))
        self.styles = {""}
        for style, path in (("B", fonts.bold), ("I", fonts.italic), ("BI", fonts.bold_italic)):
            if path is not None:
                pdf.add_font(FAMILY, style, str(path))
                self.styles.add(style)
        self.pdf = pdf
        self._colours: dict[str, Any] = {}

    def _style(self, look: Look) -> str:
        style = ("B" if look.bold else "") + ("I" if look.italic else "")
        return (
            style if style in self.styles else ("B" if "B" in style and "B" in self.styles else "")
        )

    def _notes_lines(self, page: Page, width: float) -> list[str]:
        per_line = max(20, int((width - 2 * NOTES_MARGIN) / self.notes_advance))
        lines: list[str] = []
        for note in page.notes:
            wrapped = textwrap.wrap(note, per_line - 2) or [""]
            lines += ["• " + wrapped[0], *("  " + rest for rest in wrapped[1:])]
        return lines

    def add(self, page: Page) -> None:
        pdf = self.pdf
        width = page.width * self.cell_width
        height = len(page.rows) * self.cell_height
        notes = self._notes_lines(page, width) if self.handout else []
        notes_height = (
            NOTES_MARGIN * 2 + NOTES_SIZE * 1.4 * (len(notes) + 1) if self.handout else 0.0
        )
        pdf.add_page(format=(width, height + notes_height))
        pdf.start_section(f"{page.label}: {page.title}"[:200] if page.title else page.label)
        cw, ch = self.cell_width, self.cell_height
        pdf.set_fill_color(*_rgb(page.background.bg))
        pdf.rect(0, 0, width, height, style="F")
        boxes, pieces = shapes(page)
        for box in boxes:
            y, h = box.row * ch, ch
            if box.half == TOP:
                h /= 2
            elif box.half == BOTTOM:
                h /= 2
                y += h
            pdf.set_fill_color(*_rgb(box.colour))
            # A hair wider and taller than the cell: neighbouring boxes overlap instead of
            # leaving the faint seams some viewers draw between touching shapes.
            pdf.rect(box.column * cw, y, box.width * cw + 0.3, h + 0.3, style="F")
        self._current = None
        for piece in pieces:
            look = piece.look
            x = piece.column * cw
            baseline = piece.row * ch + self.baseline
            if self._has.issuperset(piece.text):
                self._set_font(FAMILY, self._style(look), look.fg)
                pdf.text(x, baseline, piece.text)
            else:
                self._draw_mixed(piece, x, baseline)
            if look.underline or look.strike:
                pdf.set_draw_color(*_rgb(look.fg))
                pdf.set_line_width(0.6)
                end = x + piece.width * cw
                if look.underline:
                    pdf.line(x, baseline + 1.5, end, baseline + 1.5)
                if look.strike:
                    middle = baseline - FONT_SIZE * 0.3
                    pdf.line(x, middle, end, middle)
        if self.handout:
            pdf.set_fill_color(255, 255, 255)
            pdf.rect(0, height, width, notes_height, style="F")
            pdf.set_text_color(0, 0, 0)
            pdf.set_font(FAMILY, "", NOTES_SIZE)
            y = height + NOTES_MARGIN + NOTES_SIZE
            for line in notes or ["(no notes)"]:
                pdf.text(NOTES_MARGIN, y, line)
                y += NOTES_SIZE * 1.4

    def _set_font(self, family: str, style: str, colour: str) -> None:
        key = (family, style, colour)
        if key != self._current:
            self.pdf.set_font(family, style, FONT_SIZE)
            self.pdf.set_text_color(*_rgb(colour))
            self._current = key

    def _family_for(self, char: str) -> str | None:
        """The font family, added to the document when first used, of the fallback font
        that has `char`; None when there is none (or it cannot be embedded)."""
        face = self._fallbacks.face_for(char)
        if face is None:
            return None
        key = (face.path, face.number)
        if key not in self._families:
            family: str | None = f"{FAMILY}-{len(self._families) + 1}"
            try:
                self.pdf.add_font(family, "", str(face.path), collection_font_number=face.number)
            except Exception:  # a font fpdf2 cannot read is as good as none
                family = None
            self._families[key] = family
        return self._families[key]

    def _draw_mixed(self, piece: Piece, x: float, baseline: float) -> None:
        """Text some of whose characters the monospaced font lacks: those drawn in a
        fallback font, each centred in its own cells so that the columns still line up."""
        look, cw = piece.look, self.cell_width
        if piece.wide or piece.width != len(piece.text):
            # One wide character (or letters with combining marks): drawn whole.
            stretches = [(0, piece.text, piece.width)]
        else:
            stretches = [(i, char, 1) for i, char in enumerate(piece.text)]
        for offset, text, width in stretches:
            first = text[0]
            family = None if first in self._has else self._family_for(first)
            if family is None:
                self._lacking.update(c for c in text if c not in self._has and c >= " ")
                self._set_font(FAMILY, self._style(look), look.fg)
            else:
                self._set_font(family, "", look.fg)
            room = width * cw
            drawn = self.pdf.get_string_width(text)
            left = x + offset * cw + max(0.0, (room - drawn) / 2)
            self.pdf.text(left, baseline, text)

    @property
    def problems(self) -> list[str]:
        """What the PDF could not show as the player did: characters the font lacks."""
        if not self._lacking:
            return []
        shown = sorted(self._lacking)
        listed = " ".join(shown[:10]) + (f" and {len(shown) - 10} more" if len(shown) > 10 else "")
        return [f"no font here has {listed}: blank in the PDF ({install_hint(shown)})"]

    def result(self) -> bytes:
        return bytes(self.pdf.output())

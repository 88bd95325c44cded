"""Each page as an SVG picture: boxes for backgrounds and pictures, real text for the rest.

Every piece of text is stretched to exactly its cells (`textLength`), a wide character
to its two, so columns line up in whichever fonts the viewer has.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from prexterm.export.pages import ALL_STEPS, Page
from prexterm.export.shapes import BOTTOM, TOP, shapes

FONT_SIZE = 14.0
CELL_WIDTH = 8.43
"""DejaVu Sans Mono's advance (0.602 em) at `FONT_SIZE`."""
CELL_HEIGHT = 16.25
"""A hair under the font's ascent plus descent (1.164 em): frames touch from row to row."""
BASELINE = 13.0
"""Where the text sits in its cell, from the cell's top."""
FONT_FAMILY = "'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace"


def _xml(text: str) -> str:
    """Text for XML: control characters (which XML cannot hold) as stand-ins."""
    safe = "".join(c if c >= " " or c in "\t" else "\ufffd" for c in text)
    return escape(safe, {'"': "&quot;"})


def page_name(page: Page) -> str:
    """`slide-007.svg`, with the step and the screenful when they apply."""
    name = f"slide-{page.number:03d}"
    if page.step != ALL_STEPS:
        name += f"-step-{page.step}"
    if page.part > 1:
        name += f"-part-{page.part}"
    return name + ".svg"


def page_svg(page: Page, title: str) -> str:
    """One page as a standalone SVG document."""
    width = page.width * CELL_WIDTH
    height = len(page.rows) * CELL_HEIGHT
    boxes, pieces = shapes(page)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" font-family="{FONT_FAMILY}" '
        f'font-size="{FONT_SIZE:g}">',
        f"<title>{_xml(title)}: {_xml(page.label)}</title>",
        f'<rect width="100%" height="100%" fill="{page.background.bg}"/>',
    ]
    for box in boxes:
        y = box.row * CELL_HEIGHT
        h = CELL_HEIGHT
        if box.half == TOP:
            h /= 2
        elif box.half == BOTTOM:
            h /= 2
            y += h
        out.append(
            f'<rect x="{box.column * CELL_WIDTH:g}" y="{y:g}" '
            f'width="{box.width * CELL_WIDTH:g}" height="{h:g}" fill="{box.colour}"/>'
        )
    for piece in pieces:
        look = piece.look
        extra = ""
        if look.bold:
            extra += ' font-weight="bold"'
        if look.italic:
            extra += ' font-style="italic"'
        decorations = [
            d for d, on in (("underline", look.underline), ("line-through", look.strike)) if on
        ]
        if decorations:
            extra += f' text-decoration="{" ".join(decorations)}"'
        out.append(
            f'<text x="{piece.column * CELL_WIDTH:g}" y="{piece.row * CELL_HEIGHT + BASELINE:g}" '
            f'fill="{look.fg}" textLength="{piece.width * CELL_WIDTH:g}" '
            f'lengthAdjust="spacingAndGlyphs" xml:space="preserve"{extra}>{_xml(piece.text)}</text>'
        )
    out.append("</svg>\n")
    return "\n".join(out)


class SvgWriter:
    """Collects pages as SVG files, by name."""

    extension = ".svg"

    def __init__(self, title: str) -> None:
        self.title = title
        self.files: dict[str, str] = {}

    def add(self, page: Page) -> None:
        self.files[page_name(page)] = page_svg(page, self.title)

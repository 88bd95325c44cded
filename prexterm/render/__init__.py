"""Turning slides into Rich renderables (and plain text), without any UI toolkit.

The Textual app, the exporter and the tests all draw slides through this package,
so a slide looks the same everywhere it is shown.

Names are imported on first use: the checker only needs `markdown_to_plain`, and
importing this package must not pull in Rich for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prexterm.loading import names_on_first_use

if TYPE_CHECKING:
    from prexterm.render.markdown import MarkdownRenderer, PictureHook, render_markdown
    from prexterm.render.palette import DARK, MONO, Palette
    from prexterm.render.plain import markdown_to_plain
    from prexterm.render.slide import (
        Exact,
        RenderedLines,
        SlideRenderCache,
        render_code_block,
        render_error_block,
        render_photo,
        render_slide_body,
    )

_HOMES = {
    "DARK": "palette",
    "MONO": "palette",
    "Palette": "palette",
    "MarkdownRenderer": "markdown",
    "PictureHook": "markdown",
    "render_markdown": "markdown",
    "markdown_to_plain": "plain",
    "Exact": "slide",
    "RenderedLines": "slide",
    "SlideRenderCache": "slide",
    "render_code_block": "slide",
    "render_error_block": "slide",
    "render_photo": "slide",
    "render_slide_body": "slide",
}

__all__ = [
    "DARK",
    "MONO",
    "Exact",
    "MarkdownRenderer",
    "Palette",
    "PictureHook",
    "RenderedLines",
    "SlideRenderCache",
    "markdown_to_plain",
    "render_code_block",
    "render_error_block",
    "render_markdown",
    "render_photo",
    "render_slide_body",
]


__getattr__, __dir__ = names_on_first_use(__name__, _HOMES)

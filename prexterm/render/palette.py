"""The styles the renderer uses for each element of a slide.

A palette is plain data so that themes (and stylesheets) can build one with
`_replace`; the renderer never invents a colour of its own. It is a named tuple, not a
dataclass: defining one costs the player's start a tenth of the time.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style

__all__ = ["DARK", "MONO", "Palette"]


class Palette(NamedTuple):
    """Concrete Rich styles for every element the renderer draws."""

    text: Style
    dim: Style
    title: Style
    """The slide's first heading, whatever its level."""
    heading1: Style
    heading2: Style
    heading3: Style
    """Headings of level 3 to 6."""
    inline_code: Style
    link: Style
    quote: Style
    quote_bar: Style
    list_bullet: Style
    table_header: Style
    table_border: Style
    rule: Style
    error: Style
    error_border: Style
    code_border: Style
    code_title: Style
    photo_frame: Style
    photo_text: Style
    photo_title: Style
    image_placeholder: Style
    code_theme: str
    """A Pygments style name for highlighted code, or "colourless" for bold/italic only."""
    code_background: str | None
    """Background colour of code, or None for the code theme's own background."""

    @classmethod
    def mono(cls) -> Palette:
        """A palette without any colour: only bold, italic, underline, dim and reverse.

        For terminals without colour, `NO_COLOR` users and plain-text exports.
        """
        bold = Style(bold=True)
        return cls(
            text=Style(),
            dim=Style(dim=True),
            title=Style(bold=True, underline=True),
            heading1=Style(bold=True, underline=True),
            heading2=bold,
            heading3=Style(bold=True, italic=True),
            inline_code=Style(bold=True),
            link=Style(underline=True),
            quote=Style(italic=True),
            quote_bar=Style(dim=True),
            list_bullet=bold,
            table_header=bold,
            table_border=Style(dim=True),
            rule=Style(dim=True),
            error=bold,
            error_border=bold,
            code_border=Style(dim=True),
            code_title=bold,
            photo_frame=Style(dim=True),
            photo_text=Style(),
            photo_title=bold,
            image_placeholder=Style(italic=True),
            code_theme="colourless",
            code_background=None,
        )


DARK = Palette(
    text=Style(color="#e4e4e4"),
    dim=Style(color="#8a8a8a"),
    title=Style(color="#ffffff", bold=True),
    heading1=Style(color="#87d7ff", bold=True),
    heading2=Style(color="#5fd7af", bold=True),
    heading3=Style(color="#d7d787", bold=True, italic=True),
    inline_code=Style(color="#ffaf87", bgcolor="#303030"),
    link=Style(color="#5fafff", underline=True),
    quote=Style(color="#b2b2b2", italic=True),
    quote_bar=Style(color="#5f5f87"),
    list_bullet=Style(color="#ffaf5f", bold=True),
    table_header=Style(color="#ffffff", bgcolor="#3a3a3a", bold=True),
    table_border=Style(color="#6c6c6c"),
    rule=Style(color="#585858"),
    error=Style(color="#ff5f5f", bold=True),
    error_border=Style(color="#d70000"),
    code_border=Style(color="#585858"),
    code_title=Style(color="#afafaf", bold=True),
    photo_frame=Style(color="#8a8a8a", bgcolor="#262626"),
    photo_text=Style(color="#d0d0d0", bgcolor="#262626"),
    photo_title=Style(color="#ffffff", bgcolor="#262626", bold=True),
    image_placeholder=Style(color="#af87ff", italic=True),
    code_theme="monokai",
    code_background=None,
)
"""The default palette, for dark terminals."""

MONO = Palette.mono()
"""The colourless palette."""

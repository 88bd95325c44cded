"""A code theme with no colours, for palettes that must not use any.

Kept apart from the Markdown renderer so that Pygments, which it needs, loads only
when a slide actually shows code.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.syntax import SyntaxTheme, TokenType


class ColourlessSyntaxTheme(SyntaxTheme):
    """Highlighting with bold and italic only, for palettes without colour.

    Pygments' own black-and-white style still paints text black, which would vanish
    on a dark terminal; this theme leaves every colour to the terminal.
    """

    _STYLES: ClassVar[dict[tuple[str, ...], Style]] = {
        ("Keyword",): Style(bold=True),
        ("Name", "Class"): Style(bold=True),
        ("Name", "Function"): Style(bold=True),
        ("Name", "Tag"): Style(bold=True),
        ("Comment",): Style(italic=True, dim=True),
        ("Literal", "String"): Style(italic=True),
        ("Generic", "Heading"): Style(bold=True),
        ("Generic", "Emph"): Style(italic=True),
        ("Generic", "Strong"): Style(bold=True),
    }

    def get_style_for_token(self, token_type: TokenType) -> Style:
        for length in range(len(token_type), 0, -1):
            style = self._STYLES.get(tuple(token_type[:length]))
            if style is not None:
                return style
        return Style()

    def get_background_style(self) -> Style:
        return Style()

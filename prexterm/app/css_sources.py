"""A deck's own Textual CSS, added to and taken out of the running app's stylesheet.

Textual's public stylesheet API can add a source of CSS (`Stylesheet.add_source`) but
has no call that removes one again, which a deck needs when a `.tcss` file is dropped
from it, or saved broken, while the talk runs. This is the one place that bridges the
gap, with public calls only: a source is taken out by replacing its text with nothing,
so its rules are gone at the next `refresh_css`. Should Textual change how sources are
kept, only this module and its test have to follow.
"""

from __future__ import annotations

import re
from typing import Any

from textual.app import App
from textual.css.stylesheet import StylesheetParseError
from textual.css.tokenizer import TokenError

__all__ = ["CSS_ERRORS", "parse_problem", "put_css", "take_css"]

CSS_ERRORS = (StylesheetParseError, TokenError)
"""What Textual raises for CSS it cannot read: rules it cannot apply, or text it cannot
even split into tokens (an unclosed block, an undefined `$variable`)."""

_TEXTUAL_MARKUP = re.compile(r"\[/?(?:i|b|u|dim|bold|italic)?\]")


def put_css(app: App[Any], origin: str, css: str, tie_breaker: int) -> None:
    """Add `css` under `origin` (a file's path), replacing what was there before.

    Call `app.refresh_css()` afterwards on a running app; before it runs, the first
    parse reads it with the rest.
    """
    app.stylesheet.add_source(
        css, read_from=(origin, ""), is_default_css=False, tie_breaker=tie_breaker
    )


def take_css(app: App[Any], origin: str) -> None:
    """Take the CSS added under `origin` out again; nothing happens when there is none.

    Its rules are gone at the next `app.refresh_css()`.
    """
    if app.stylesheet.has_source(origin):
        app.stylesheet.add_source("", read_from=(origin, ""), is_default_css=False)


def parse_problem(error: StylesheetParseError | TokenError) -> str:
    """The first thing wrong in CSS that did not parse, as `LINE:COLUMN: what`.

    Textual's errors print as panels for its own console, and one of them as an object's
    address in a plain string: the presenter gets the place and the reason in one line.
    """
    if isinstance(error, TokenError):
        (line, column), what = error.start, str(error)
        return f"{line}:{column}: {_TEXTUAL_MARKUP.sub('', what).strip()}"
    for rule in error.errors.rules:
        for token, message in rule.errors:
            line, column = (token.referenced_by or token).location
            return f"{line + 1}:{column + 1}: {_TEXTUAL_MARKUP.sub('', str(message)).strip()}"
    return "invalid CSS"

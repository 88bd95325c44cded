"""A deck's own Textual CSS, added to and taken out of the running app's stylesheet.

Textual's public stylesheet API can add a source of CSS (`Stylesheet.add_source`) but
has no call that removes one again, which a deck needs when a `.tcss` file is dropped
from it, or saved broken, while the talk runs. This is the one place that bridges the
gap, with public calls only: a source is taken out by replacing its text with nothing,
so its rules are gone at the next `refresh_css`. Should Textual change how sources are
kept, only this module and its test have to follow.
"""

from __future__ import annotations

from typing import Any

from textual.app import App

__all__ = ["put_css", "take_css"]


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

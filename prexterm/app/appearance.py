"""How the player draws a deck: its theme, the deck's own stylesheets, its pictures and
the caches of the slides it has drawn.

All of it is set up before the app runs: the theme's CSS and the deck's `.tcss` files
join the app's first stylesheet parse, so none of them costs a second pass at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from textual.app import App

from prexterm.app.ascii import use_ascii_chrome
from prexterm.app.caches import SlideCaches
from prexterm.app.pictures import make_pictures
from prexterm.app.styling import (
    DeckStyles,
    add_theme_css,
    apply_deck_styles,
    theme_css_problem,
)
from prexterm.core.model import Deck
from prexterm.style.themes import Theme, theme_or_default

if TYPE_CHECKING:
    from prexterm.app.options import PlayerOptions
    from prexterm.pictures.hook import Pictures


class Appearance(NamedTuple):
    """What `dress` set up for one player."""

    look: Theme
    """The theme in use: the one asked for, or the dark one when it could not be loaded."""
    theme_problem: str | None
    """Why the theme asked for is not (wholly) in use, for the presenter to read."""
    pictures: Pictures
    caches: SlideCaches
    deck_styles: DeckStyles


def dress(app: App[Any], deck: Deck, options: PlayerOptions) -> Appearance:
    """Give `app`, before it runs, the theme and the deck's stylesheets that `options` and
    `deck` ask for, and the pictures and caches to draw the deck with.

    A theme that could not be loaded leaves the dark one in its place, which is applied; a
    theme whose CSS is broken leaves the player's own look. Either way the talk plays.
    """
    look, problem = theme_or_default(options.theme or ("mono" if options.no_color else "dark"))
    pictures = make_pictures(
        options.images,
        mono=options.no_color or look.name == "mono",
        ascii_only=options.ascii,
        no_color=options.no_color,
        root=deck.root,
    )
    caches = SlideCaches(look.palette, pictures, ascii_only=options.ascii)
    css_problem = theme_css_problem(look)
    if css_problem is None:
        add_theme_css(app, look)
    deck_styles = apply_deck_styles(app, deck, None, running=False)
    use_ascii_chrome(app, options.ascii)
    return Appearance(look, problem or css_problem, pictures, caches, deck_styles)

"""Putting a theme and a deck's own stylesheets into the running app.

A theme is Textual CSS plus a palette (`prexterm.themes`); a deck adds `.tcss` files
(Textual CSS, applied after the theme) and web `.css` files written for Prexent's
browser view (translated by `prexterm.webcss`). Everything that can be wrong with them
becomes one message for the presenter; the talk goes on with what did work.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.css.stylesheet import Stylesheet, StylesheetParseError

from prexterm.core.model import Deck
from prexterm.core.text import STYLESHEET_LIMIT, read_file
from prexterm.themes import Theme

if TYPE_CHECKING:
    from prexterm.webcss import SlideLook, WebStylesheet

THEME_TIE_BREAKER = 1
DECK_TIE_BREAKER = 2
"""Deck stylesheets win over the theme, which wins over the player's own layout."""

_CSS_CLASS = re.compile(r"-?[A-Za-z_][A-Za-z0-9_-]*")


def css_classes(names: Iterable[str]) -> list[str]:
    """The slide classes that can be CSS class names (others cannot be styled anyway)."""
    return [name for name in names if _CSS_CLASS.fullmatch(name)]


def _add_css(app: App[Any], css: str, origin: str, tie_breaker: int) -> str | None:
    """Add (or replace) one source of CSS; on a parse error take it out again and say why."""
    stylesheet = app.stylesheet
    key = (origin, "")
    stylesheet.add_source(css, read_from=key, is_default_css=False, tie_breaker=tie_breaker)
    try:
        app.refresh_css(animate=False)
    except StylesheetParseError as exc:
        stylesheet.source.pop(key, None)
        app.refresh_css(animate=False)
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid CSS"
        return f"{origin}: {detail}"
    return None


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


@lru_cache(maxsize=4)
def _theme_variables(name: str) -> dict[str, str]:
    """The CSS variables of a built-in Textual theme (generating them takes a millisecond)."""
    from textual.theme import BUILTIN_THEMES

    base = BUILTIN_THEMES.get(name) or BUILTIN_THEMES["textual-dark"]
    return base.to_color_system().generate()


def css_problem(css: str, origin: str, app: App[Any] | None = None, theme: str = "") -> str | None:
    """Why some Textual CSS cannot be used, or None, found without touching the app.

    It is parsed on its own with the variables of the app's theme (or `theme`), as the
    app itself would parse it.
    """
    if not _CSS_COMMENT.sub("", css).strip():
        return None  # nothing but comments: nothing that could be wrong
    name = theme or (app.theme if app is not None else "textual-dark")
    probe = Stylesheet(variables=dict(_theme_variables(name)))
    try:
        probe.add_source(css, read_from=(origin, ""), is_default_css=False)
        probe.parse()
    except StylesheetParseError as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid CSS"
        return f"{origin}: {detail}"
    return None


def theme_css_problem(theme: Theme) -> str | None:
    """Why a theme file's Textual CSS cannot be used, or None. Bundled themes are tested."""
    if theme.bundled:
        return None
    problem = css_problem(theme.css, str(theme.path), theme=theme.textual_theme)
    return f"{problem} (using the player's own look)" if problem else None


def add_theme_css(app: App[Any], theme: Theme) -> None:
    """Give a not yet running app `theme`'s look; its CSS is parsed with the app's own."""
    with contextlib.suppress(Exception):  # an unknown built-in theme: keep the current one
        app.theme = theme.textual_theme
    app.stylesheet.add_source(
        theme.css,
        read_from=(str(theme.path), ""),
        is_default_css=False,
        tie_breaker=THEME_TIE_BREAKER,
    )


class DeckStyles:
    """What a deck's `!custom_css` files mean for each slide."""

    __slots__ = ("problems", "sources", "web")

    def __init__(self) -> None:
        self.web: list[WebStylesheet] = []
        self.problems: list[str] = []
        self.sources: dict[str, str] = {}
        """The `.tcss` sources currently added to the app, by origin."""

    def look(self, classes: Iterable[str]) -> SlideLook | None:
        """The look a deck's web stylesheets give a slide, or None when they say nothing."""
        rules = [rule for sheet in self.web for rule in sheet.rules]
        if not rules:
            return None
        from prexterm.webcss import look_for

        look = look_for(rules, classes)
        return None if look.plain else look


def apply_deck_styles(
    app: App[Any], deck: Deck, previous: DeckStyles | None, *, running: bool = True
) -> DeckStyles:
    """Read the deck's stylesheets (again: they may have been saved) and apply them.

    Before the app runs (`running=False`) their CSS joins the app's own first parse, so a
    deck stylesheet costs no second pass at start-up; later, only a changed file is
    parsed again.
    """
    styles = DeckStyles()
    known = previous.sources if previous is not None else {}
    changed = False
    for asset in deck.stylesheets:
        if asset.path is None:
            continue  # reported by the parser; nothing to apply
        try:
            if asset.path.suffix.lower() == ".css":
                from prexterm.webcss import load_web_css

                styles.web.append(load_web_css(asset.path, deck.root))
                continue
            data = read_file(asset.path, limit=STYLESHEET_LIMIT, root=deck.root)
            css = data.decode("utf-8", errors="replace")
        except OSError as exc:
            styles.problems.append(f"{asset.written}: cannot read: {exc.strerror}")
            continue
        origin = str(asset.path)
        if known.get(origin) == css:
            styles.sources[origin] = css  # unchanged: already applied
            continue
        if running:
            problem = _add_css(app, css, origin, DECK_TIE_BREAKER)
        else:
            problem = css_problem(css, origin, app)
            if problem is None:
                app.stylesheet.add_source(
                    css, read_from=(origin, ""), is_default_css=False, tie_breaker=DECK_TIE_BREAKER
                )
        if problem:
            styles.problems.append(problem)
        else:
            styles.sources[origin] = css
            changed = True
    gone = set(known) - set(styles.sources)
    for origin in gone:
        app.stylesheet.source.pop((origin, ""), None)
    if gone and running and not changed:
        app.refresh_css(animate=False)
    return styles

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
from dataclasses import dataclass, field
from typing import Any

from textual.app import App
from textual.css.stylesheet import StylesheetParseError

from prexterm.core.model import Deck
from prexterm.themes import Theme
from prexterm.webcss import SlideLook, WebStylesheet, is_web_css, load_web_css, look_for

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


def apply_theme(app: App[Any], theme: Theme) -> str | None:
    """Switch to `theme`'s look; returns a message when its CSS could not be used."""
    with contextlib.suppress(Exception):  # an unknown built-in theme: keep the current one
        app.theme = theme.textual_theme
    return _add_css(app, theme.css, str(theme.path), THEME_TIE_BREAKER)


@dataclass
class DeckStyles:
    """What a deck's `!custom_css` files mean for each slide."""

    web: list[WebStylesheet] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    applied: set[str] = field(default_factory=set)
    """Origins of the `.tcss` sources currently added to the app."""

    def look(self, classes: Iterable[str]) -> SlideLook:
        rules = [rule for sheet in self.web for rule in sheet.rules]
        return look_for(rules, classes) if rules else SlideLook()


def apply_deck_styles(app: App[Any], deck: Deck, previous: DeckStyles | None) -> DeckStyles:
    """Read the deck's stylesheets again (they may have been saved) and apply them."""
    styles = DeckStyles()
    for asset in deck.stylesheets:
        if asset.path is None:
            continue  # reported by the parser; nothing to apply
        try:
            if is_web_css(asset.path):
                styles.web.append(load_web_css(asset.path))
                continue
            css = asset.path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            styles.problems.append(f"{asset.written}: cannot read: {exc.strerror}")
            continue
        origin = str(asset.path)
        problem = _add_css(app, css, origin, DECK_TIE_BREAKER)
        if problem:
            styles.problems.append(problem)
        else:
            styles.applied.add(origin)
    if previous is not None:
        for origin in previous.applied - styles.applied:
            app.stylesheet.source.pop((origin, ""), None)
        if previous.applied - styles.applied:
            app.refresh_css(animate=False)
    return styles

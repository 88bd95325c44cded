"""Putting a theme and a deck's own stylesheets into the running app.

A theme is Textual CSS plus a palette (`prexterm.style.themes`); a deck adds `.tcss` files
(Textual CSS, applied after the theme) and web `.css` files written for Prexent's
browser view (translated by `prexterm.style.webcss`). Everything that can be wrong with them
becomes one message for the presenter; the talk goes on with what did work.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.errors import MarkupError
from rich.text import Text
from textual.app import App
from textual.css.stylesheet import Stylesheet, StylesheetParseError
from textual.css.tokenizer import TokenError

from prexterm.app.css_sources import put_css, take_css
from prexterm.core.model import Deck
from prexterm.style.themes import (
    MAX_RULES,
    TCSS_MAX_BYTES,
    StylesheetError,
    Theme,
    ThemeError,
    load_theme,
    nesting_problem,
    read_stylesheet,
)

if TYPE_CHECKING:
    from prexterm.style.webcss import SlideLook, WebStylesheet

THEME_TIE_BREAKER = 1
DECK_TIE_BREAKER = 2
"""Deck stylesheets win over the theme, which wins over the player's own layout."""

_CSS_CLASS = re.compile(r"-?[A-Za-z_][A-Za-z0-9_-]*")


def css_classes(names: Iterable[str]) -> list[str]:
    """The slide classes that can be CSS class names (others cannot be styled anyway)."""
    return [name for name in names if _CSS_CLASS.fullmatch(name)]


def _add_css(app: App[Any], css: str, origin: str, before: str | None, shown: str) -> str | None:
    """Add (or replace) a deck's stylesheet; on an error put back what was there, say why.

    The CSS has passed `css_problem` already; this is for what only the app's own parse
    finds. `before` is the stylesheet's last good version, if any.
    """
    put_css(app, origin, css, DECK_TIE_BREAKER)
    try:
        app.refresh_css(animate=False)
    except Exception as exc:
        if before is not None:
            put_css(app, origin, before, DECK_TIE_BREAKER)
        else:
            take_css(app, origin)
        with contextlib.suppress(Exception):  # as it was before, which parsed
            app.refresh_css(animate=False)
        return f"{shown}: {_first_line(exc)}"
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _parse_error(exc: StylesheetParseError) -> tuple[int, str]:
    """The line and summary of the first error Textual found in a stylesheet's rules."""
    for rule in exc.errors.rules:
        for token, message in rule.errors:
            where = token.referenced_by.location if token.referenced_by else token.location
            return where[0] + 1, _plain(str(message))
    return 0, "invalid CSS"


def _sentences(message: str) -> str:
    """Textual's `;`-separated tokenizer message as sentences: "Unexpected end of file;
    did you forget a '}' ?" reads "Unexpected end of file. Did you forget a '}'?"."""
    parts = []
    for part in message.split(";"):
        part = part.strip().replace(" ?", "?")
        if part:
            part = part[0].upper() + part[1:]
            parts.append(part if part[-1] in ".?!" else part + ".")
    return " ".join(parts) or message


def _plain(summary: str) -> str:
    """Textual's summary of a CSS error without its markup (`[i]color[/]`): messages about
    stylesheets are plain text, in `check` and in the player alike."""
    try:
        return Text.from_markup(summary).plain
    except MarkupError:
        return summary


_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
"""A comment; one never closed runs to the end (and is found once, not at every `/*`)."""


@lru_cache(maxsize=4)
def _theme_variables(name: str) -> dict[str, str]:
    """The CSS variables of a built-in Textual theme (generating them takes a millisecond)."""
    from textual.theme import BUILTIN_THEMES

    base = BUILTIN_THEMES.get(name) or BUILTIN_THEMES["textual-dark"]
    return base.to_color_system().generate()


def css_problem(css: str, origin: str, app: App[Any] | None = None, theme: str = "") -> str | None:
    """Why some Textual CSS cannot be used, as `origin:line: what`, or None.

    See `tcss_error`; the variables are those of the app's theme (or of `theme`).
    """
    name = theme or (app.theme if app is not None else "textual-dark")
    found = tcss_error(css, name)
    if found is None:
        return None
    line, what = found
    return f"{origin}:{line}: {what}" if line else f"{origin}: {what}"


@lru_cache(maxsize=16)
def tcss_error(css: str, theme: str = "textual-dark") -> tuple[int, str] | None:
    """The line (0 when unknown) and summary of what makes some Textual CSS unusable.

    It is parsed on its own with the variables of the built-in Textual `theme`, as the
    app itself would parse it, so that a broken stylesheet never reaches the app: there
    it would fail every later parse, including the one each overlay makes as it opens.
    Cached: the command line checks a theme before the app applies it, and a reload asks
    again about every stylesheet of the deck.
    """
    if len(css) > TCSS_MAX_BYTES:
        return 0, f"larger than the {TCSS_MAX_BYTES // 1024} KiB a stylesheet may be"
    if not _CSS_COMMENT.sub("", css).strip() and css.rstrip().endswith("*/"):
        return None  # nothing but closed comments: nothing that could be wrong
    nested = nesting_problem(css, max_rules=MAX_RULES)
    if nested is not None:
        return nested
    probe = Stylesheet(variables=dict(_theme_variables(theme)))
    try:
        probe.add_source(css, read_from=("", ""), is_default_css=False)
        probe.parse()
    except StylesheetParseError as exc:
        return _parse_error(exc)
    except TokenError as exc:
        return exc.start[0], _sentences(_first_line(exc))
    except Exception as exc:  # Textual wraps whatever else its parser raised
        return 0, _first_line(exc)
    selectors = [selector for rule in probe.rules for selector in rule.selector_set]
    if len(selectors) > MAX_RULES:
        return 0, f"more than {MAX_RULES} selectors"
    if sum(len(selector.selectors) for selector in selectors) > 4 * MAX_RULES:
        return 0, f"more than {4 * MAX_RULES} parts of selectors"
    return None


def theme_css_problem(theme: Theme) -> str | None:
    """Why a theme file's Textual CSS cannot be used, or None. Bundled themes are tested."""
    if theme.bundled:
        return None
    problem = css_problem(theme.css, str(theme.path), theme=theme.textual_theme)
    return f"{problem} (using the player's own look)" if problem else None


def unusable_theme(name: str) -> str | None:
    """Why the theme the user asked for (a bundled name or a file) cannot be used, or None.

    The command line asks before the screen switches: a theme named there is the user's
    own choice, so a broken one is a one-line error, not a talk in another look.
    """
    try:
        theme = load_theme(name)
    except ThemeError as error:
        return str(error)
    if theme.bundled:
        return None
    return css_problem(theme.css, str(theme.path), theme=theme.textual_theme)


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

    __slots__ = ("problems", "sheets", "sources", "web")

    def __init__(self) -> None:
        self.web: list[WebStylesheet] = []
        self.sheets: dict[str, WebStylesheet] = {}
        """The web stylesheets in use, by path: a broken save keeps the last good one."""
        self.problems: list[str] = []
        self.sources: dict[str, str] = {}
        """The `.tcss` sources currently added to the app, by origin."""

    def look(self, classes: Iterable[str]) -> SlideLook | None:
        """The look a deck's web stylesheets give a slide, or None when they say nothing."""
        rules = [rule for sheet in self.web for rule in sheet.rules]
        if not rules:
            return None
        from prexterm.style.webcss import look_for

        look = look_for(rules, classes)
        return None if look.plain else look


_NOT_USED = " (playing without it)"
_KEPT = " (keeping its last good version)"


def _web_sheet(path: Path, shown: str, root: Path | None) -> tuple[WebStylesheet | None, str]:
    """A web stylesheet read from `path`, or None and why it cannot be used."""
    from prexterm.style.webcss import load_web_css

    try:
        sheet = load_web_css(path, root)
    except OSError as exc:
        return None, f"{shown}: cannot read: {exc.strerror or exc}"
    if sheet.problem is not None:
        return None, f"{sheet.where(shown)}: {sheet.problem}"
    return sheet, ""


def _deck_tcss(
    app: App[Any], path: Path, shown: str, before: str | None, *, running: bool, root: Path | None
) -> tuple[str, str | None]:
    """Read one of the deck's `.tcss` files and put it in the app, unless it is unchanged.

    Returns its text and None, or why it cannot be used (the app is then left as it was).
    """
    try:
        data = read_stylesheet(path, TCSS_MAX_BYTES, root)
    except OSError as exc:
        return "", f"{shown}: cannot read: {exc.strerror or exc}"
    except StylesheetError as exc:
        return "", f"{shown}: {exc}"
    css = data.decode("utf-8-sig", errors="replace")
    if before == css:
        return css, None  # unchanged: already applied
    problem = css_problem(css, shown, app)
    if problem is None:
        if running:
            problem = _add_css(app, css, str(path), before, shown)
        else:
            put_css(app, str(path), css, DECK_TIE_BREAKER)
    return css, problem


def apply_deck_styles(
    app: App[Any], deck: Deck, previous: DeckStyles | None, *, running: bool = True
) -> DeckStyles:
    """Read the deck's stylesheets (again: they may have been saved) and apply them.

    Before the app runs (`running=False`) their CSS joins the app's own first parse, so a
    deck stylesheet costs no second pass at start-up; later, only a changed file is
    parsed again. A stylesheet that cannot be used (unreadable, too large, nested too
    deeply, or CSS that does not parse) becomes a problem for the presenter; the talk
    plays without it, or, after a save that broke it, with its last good version.
    """
    styles = DeckStyles()
    known = previous.sources if previous is not None else {}
    sheets = previous.sheets if previous is not None else {}
    changed = False
    for asset in deck.stylesheets:
        if asset.path is None:
            continue  # reported by the parser; nothing to apply
        origin = str(asset.path)
        if asset.path.suffix.lower() == ".css":
            sheet, why = _web_sheet(asset.path, asset.written, deck.root)
            if sheet is None:
                sheet = sheets.get(origin)
                styles.problems.append(f"{why}{_NOT_USED if sheet is None else _KEPT}")
            if sheet is not None:
                styles.web.append(sheet)
                styles.sheets[origin] = sheet
            continue
        before = known.get(origin)
        css, problem = _deck_tcss(
            app, asset.path, asset.written, before, running=running, root=deck.root
        )
        if problem is None:
            styles.sources[origin] = css
            changed = changed or css != before
            continue
        if before is not None:
            styles.sources[origin] = before  # still in the app: the last good look stays
        styles.problems.append(f"{problem}{_NOT_USED if before is None else _KEPT}")
    gone = set(known) - set(styles.sources)
    for origin in gone:
        take_css(app, origin)
    if gone and running and not changed:
        app.refresh_css(animate=False)
    return styles


def restyle_deck(
    app: App[Any], deck: Deck, previous: DeckStyles
) -> tuple[DeckStyles, list[str], bool]:
    """The deck's stylesheets after a save: their styles, applied; the problems not said
    before (a stylesheet broken for a while is not reported again at every save); and
    whether any stylesheet changed."""
    styles = apply_deck_styles(app, deck, previous)
    known = set(previous.problems)
    new_problems = [problem for problem in styles.problems if problem not in known]
    changed = (previous.sources, previous.web) != (styles.sources, styles.web)
    return styles, new_problems, changed

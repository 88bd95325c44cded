"""Reading web stylesheets written for Prexent's browser view, for what a terminal can show.

Decks made for Prexent name `.css` files with `!custom_css`. A terminal cannot honour most
of CSS (fonts, sizes, floats, animations), but the parts that carry meaning on a slide
(colours, bold/italic/underline, alignment, and hiding the header or footer) translate
directly. This module keeps exactly that subset and reports everything else as an
`Ignored` note with its line, so `prexterm check` can tell the author what was dropped
instead of silently showing a different look.

Selectors mean what they mean in a browser: cssselect2 matches them against Prexent's page,
built for the classes of the slide on screen. That page is `html > body > div#slide_container`
holding the slide, a `div.slide` with the slide's classes, which holds a `div.header`, a
`div.content` and a `div.footer`. So:

- a rule matching the slide (`.dark-slide`, `div.slide.custom`, `#slide_container .slide`) styles
  its text and its background;
- a rule matching the page around it (`body`, `#slide_container`) reaches the slide as inherited
  values do: under every rule that matches the slide itself;
- a rule matching `.header` or `.footer` (`.slide.custom .header`) styles them, or hides them.

Rules cascade as in CSS: `!important` declarations over the others, then the more specific
selector (an id over classes, `.a.b` over `.a`), then the later one. A selector that can match
none of these on any slide (`h1`, `.slide p`, `a:hover`, `::before`) is reported as not supported.

Nothing here raises on bad CSS: a talk must never fail because of a stylesheet. A file
larger than `WEB_CSS_MAX_BYTES`, or nested more than `MAX_NESTING` deep, is not read at
all: its `WebStylesheet.problem` says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NamedTuple
from xml.etree import ElementTree

import cssselect2  # type: ignore[import-untyped]
import tinycss2  # type: ignore[import-untyped]
import tinycss2.color4  # type: ignore[import-untyped]
from rich.style import Style

from prexterm.render.palette import Palette
from prexterm.style.themes import (
    MAX_NESTING,
    WEB_CSS_MAX_BYTES,
    StylesheetError,
    nesting_problem,
    read_stylesheet,
)

__all__ = [
    "MAX_NESTING",
    "MAX_SELECTORS",
    "MAX_SELECTOR_LENGTH",
    "WEB_CSS_MAX_BYTES",
    "Ignored",
    "SlideLook",
    "SlideRule",
    "Target",
    "WebStylesheet",
    "is_web_css",
    "load_web_css",
    "look_for",
    "palette_for",
    "parse_web_css",
]

Target = Literal["slide", "header", "footer"]

MAX_SELECTORS = 8192
"""How many selectors (`a, b` is two) a web stylesheet may hold.

Each one is read in Python and every slide is matched against those kept: 260,000 of them
(1 MiB of `.a, .a, …`) took half a minute to read. A deck's stylesheet has tens; a
whole site's framework (Bootstrap) a few thousand, nearly all without a terminal meaning.
"""

_ALIGNS = {"left": "left", "start": "left", "center": "center", "right": "right", "end": "right"}
_PAGE_PARTS = frozenset({"slide", "header", "content", "footer"})
"""Classes of the page's own parts: a slide class with one of these names is left off the
slide, so that `.header` always means the header."""
_PROBES_WITH_EACH_CLASS = 8
"""Up to this many class names in a selector with a negation, it is tried on slides with each
one alone and with all but one of them, besides none and all (`.a:not(.b)` needs `a` without
`b`)."""
MAX_SELECTOR_LENGTH = 1024
"""Characters in one selector: a longer one is not supported. Real ones are tens; reading one
of 600,000 (`.a.a.a…`) took half a minute."""


@dataclass(frozen=True)
class Ignored:
    """A part of the stylesheet with no terminal meaning, kept for `check` to report."""

    line: int
    what: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what}"


@dataclass(frozen=True)
class SlideRule:
    """What one selector of one CSS rule asks for, in terminal terms.

    `style`, `align` and `hidden` hold only what the rule declares: an unset `align` or
    `hidden` is None so that a later rule about colours does not undo an earlier
    `display: none`. A rule with `!important` declarations makes two: one for those, one for
    the rest.
    """

    selector: str
    style: Style
    align: str | None
    """`left`, `center` or `right`, or None when the rule does not say."""
    hidden: bool | None
    """True for `display: none`, False to show again; only the header and footer hide."""
    source_line: int
    specificity: tuple[int, int, int] = (0, 0, 0)
    """Ids, classes (and attributes, pseudo-classes), element names: the larger wins."""
    important: bool = False
    """True for the `!important` declarations, which win over every other."""
    compiled: Any = field(default=None, compare=False, repr=False)
    """The selector as cssselect2 compiled it; None matches nothing."""

    def matches(self, element: Any) -> bool:
        """Whether the selector matches `element` (a cssselect2 `ElementWrapper`)."""
        return self.compiled is not None and bool(self.compiled.test(element))


@dataclass(frozen=True)
class SlideLook:
    """The effective look of one slide after every matching rule, in order."""

    slide_style: Style = field(default_factory=Style)
    header_style: Style = field(default_factory=Style)
    footer_style: Style = field(default_factory=Style)
    header_hidden: bool = False
    footer_hidden: bool = False
    align: str | None = None
    """Text alignment of the slide body, or None for the player's own."""
    header_align: str | None = None
    footer_align: str | None = None

    @property
    def plain(self) -> bool:
        """True when no stylesheet rule changes anything on this slide."""
        return self == SlideLook()


@dataclass(frozen=True)
class WebStylesheet:
    """The terminal meaning of one web stylesheet, and the notes on what was dropped."""

    rules: tuple[SlideRule, ...] = ()
    ignored: tuple[Ignored, ...] = ()
    problem: str | None = None
    """Why the stylesheet was not read at all (too large, nested too deeply); None for a
    stylesheet that was read."""
    problem_line: int = 0
    """The line `problem` is about, or 0 when it is about the whole file."""

    def where(self, shown: str) -> str:
        """`shown` (the file as the deck names it) with the line of the problem, if any."""
        return f"{shown}:{self.problem_line}" if self.problem_line else shown


def is_web_css(path: str | Path) -> bool:
    """True for a web stylesheet (`.css`); `.tcss` files are Textual CSS for the app."""
    return Path(path).suffix.lower() == ".css"


def load_web_css(path: str | Path, root: str | Path | None = None) -> WebStylesheet:
    """Read and translate a `.css` file (inside the deck `root`, when given). Raises
    OSError only when the file cannot be read or is refused (see `read_file`); bytes that
    are not UTF-8 are replaced, as a browser would show them. A file larger than
    `WEB_CSS_MAX_BYTES` is not read: its size alone makes the `problem`."""
    try:
        data = read_stylesheet(Path(path), WEB_CSS_MAX_BYTES, root)
    except StylesheetError as error:
        return WebStylesheet(problem=str(error))
    return parse_web_css(data.decode("utf-8-sig", errors="replace"))


def look_for(rules: Sequence[SlideRule], slide_classes: Iterable[str]) -> SlideLook:
    """The look of a slide with `slide_classes`: the cascade of every rule that matches."""
    if not rules:
        return SlideLook()
    return _look(tuple(rules), frozenset(slide_classes) - _PAGE_PARTS)


class _Page(NamedTuple):
    """Prexent's page for one slide, as cssselect2 elements."""

    around: tuple[Any, ...]
    """`html`, `body` and `#slide_container`, outermost first."""
    slide: Any
    header: Any
    footer: Any


@lru_cache(maxsize=256)
def _page(classes: frozenset[str]) -> _Page:
    html = ElementTree.Element("html")
    body = ElementTree.SubElement(html, "body")
    container = ElementTree.SubElement(body, "div", {"id": "slide_container"})
    names = " ".join(("slide", *sorted(classes)))
    slide = ElementTree.SubElement(container, "div", {"class": names})
    for part in ("header", "content", "footer"):
        ElementTree.SubElement(slide, "div", {"class": part})
    html_, body_, container_, slide_, header, _content, footer = (
        cssselect2.ElementWrapper.from_html_root(html).iter_subtree()
    )
    return _Page((html_, body_, container_), slide_, header, footer)


class _Cascaded(NamedTuple):
    style: Style
    align: str | None
    hidden: bool | None


def _cascade(rules: tuple[SlideRule, ...], elements: Iterable[Any]) -> _Cascaded:
    """What `rules` give the last of `elements`, each element inheriting from those before.

    Each element's own rules go in cascade order (important last, then by specificity, the
    file order kept among equals), so the later one wins each property it sets.
    """
    style = Style()
    align: str | None = None
    hidden: bool | None = None
    for element in elements:
        hidden = None  # display is not inherited
        matched = sorted(
            (rule for rule in rules if rule.matches(element)),
            key=lambda rule: (rule.important, rule.specificity),
        )
        for rule in matched:
            style += rule.style
            if rule.align is not None:
                align = rule.align
            if rule.hidden is not None:
                hidden = rule.hidden
    return _Cascaded(style, align, hidden)


@lru_cache(maxsize=64)
def _look(rules: tuple[SlideRule, ...], classes: frozenset[str]) -> SlideLook:
    page = _page(classes)
    slide = _cascade(rules, (*page.around, page.slide))
    header = _cascade(rules, (page.header,))
    footer = _cascade(rules, (page.footer,))
    return SlideLook(
        slide_style=slide.style,
        header_style=header.style,
        footer_style=footer.style,
        header_hidden=bool(header.hidden),
        footer_hidden=bool(footer.hidden),
        align=slide.align,
        header_align=header.align,
        footer_align=footer.align,
    )


_INHERITING = ("text", "title", "heading1", "heading2", "heading3", "quote", "list_bullet")
"""Palette entries that inherit the slide's colour and emphasis in a browser."""


def palette_for(palette: Palette, look: SlideLook) -> Palette:
    """`palette` with the slide's stylesheet colour and emphasis laid over its text.

    In the browser a slide's `color` reaches its paragraphs, headings, quotes and bullets;
    the background belongs to the slide area, so the app paints it (`look.slide_style.bgcolor`)
    rather than every span of text.
    """
    over = Style(
        color=look.slide_style.color,
        bold=look.slide_style.bold,
        italic=look.slide_style.italic,
        underline=look.slide_style.underline,
        strike=look.slide_style.strike,
    )
    if not over:
        return palette
    changes = {name: getattr(palette, name) + over for name in _INHERITING}
    return palette._replace(**changes)


# -- parsing -------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def parse_web_css(text: str) -> WebStylesheet:
    """Translate stylesheet text; never raises, whatever the text holds.

    Cached (the result is immutable): every reload reads the deck's stylesheets again,
    and one that was not saved should cost nothing.
    """
    nested = nesting_problem(text, max_rules=MAX_SELECTORS)
    if nested is not None:
        return WebStylesheet(problem=nested[1], problem_line=nested[0])
    rules: list[SlideRule] = []
    ignored: list[Ignored] = []
    try:
        nodes = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    except Exception as error:  # tinycss2 is lenient, but a talk must never fail on CSS
        return WebStylesheet(problem=f"not read: {error}")
    try:
        _translate(nodes, rules, ignored)
    except _TooMany as error:
        return WebStylesheet(
            problem=f"more than {MAX_SELECTORS} selectors", problem_line=error.line
        )
    except Exception as error:  # as above: whatever tinycss2 hands over, the talk goes on
        return WebStylesheet(problem=f"not read: {error}")
    return WebStylesheet(tuple(rules), tuple(ignored))


class _TooMany(Exception):
    """More than `MAX_SELECTORS` selectors; `line` is where the one too many stands."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _translate(nodes: list[Any], rules: list[SlideRule], ignored: list[Ignored]) -> None:
    selectors = 0
    for node in nodes:
        if node.type == "qualified-rule":
            selectors += 1 + sum(1 for token in node.prelude if token == ",")
            if selectors > MAX_SELECTORS:
                raise _TooMany(_line(node))
        line = _line(node)
        if node.type == "at-rule":
            ignored.append(Ignored(line, f"@{node.at_keyword} ignored"))
        elif node.type == "error":
            ignored.append(Ignored(line, f"CSS syntax error: {node.message}"))
        elif node.type == "qualified-rule":
            _rule(node, rules, ignored)


def _line(node: Any) -> int:
    return int(getattr(node, "source_line", 0) or 0)


def _rule(node: Any, rules: list[SlideRule], ignored: list[Ignored]) -> None:
    line = _line(node)
    chosen: list[tuple[str, Any]] = []
    boxes = False
    for tokens in _split_selectors(node.prelude):
        selector = tinycss2.serialize(tokens).strip()
        found = _selector(selector) if 0 < len(selector) <= MAX_SELECTOR_LENGTH else None
        if found is None:
            shown = selector if len(selector) <= MAX_SELECTOR_LENGTH else selector[:60] + "…"
            ignored.append(Ignored(line, f"selector {shown or '(empty)'} not supported"))
            continue
        compiled, reach = found
        chosen.append((selector, compiled))
        boxes = boxes or bool(reach & {"header", "footer"})
    if not chosen:
        return
    normal, important = _declarations(node.content, ignored, boxes=boxes)
    for selector, compiled in chosen:
        for effect, is_important in ((normal, False), (important, True)):
            if effect.style or effect.align is not None or effect.hidden is not None:
                rules.append(
                    SlideRule(
                        selector,
                        effect.style,
                        effect.align,
                        effect.hidden,
                        line,
                        compiled.specificity,
                        is_important,
                        compiled,
                    )
                )


def _split_selectors(prelude: list[Any]) -> list[list[Any]]:
    """A selector list's tokens split on its commas (those inside `:is(a, b)` are inside a
    function's tokens, not at this level)."""
    parts: list[list[Any]] = [[]]
    for token in prelude:
        if token == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


@lru_cache(maxsize=1024)
def _selector(selector: str) -> tuple[Any, frozenset[Target]] | None:
    """The compiled selector and what it can reach on some slide, or None when it can reach
    nothing a terminal shows (or is no selector at all).

    Whether it can is found by trying it on the page of a slide with every class it names:
    which slide has which class is only known when a slide is shown. A selector with a
    negation (`:not(.b)`) may need some of them absent, so it is also tried with none and
    (when they are few) with each one alone and with all but one.
    """
    tokens = tinycss2.parse_component_value_list(selector)
    try:
        compiled = cssselect2.compile_selector_list(tokens)
    except Exception:  # SelectorError, or whatever a hostile selector brings: not supported
        return None
    if len(compiled) != 1 or compiled[0].never_matches or compiled[0].pseudo_element:
        return None
    rule = SlideRule(selector, Style(), None, None, 0, compiled=compiled[0])
    reach: set[Target] = set()
    for classes in _probes(_class_names(tokens), negated=_negates(tokens)):
        page = _page(classes)
        if any(rule.matches(element) for element in (*page.around, page.slide)):
            reach.add("slide")
        if rule.matches(page.header):
            reach.add("header")
        if rule.matches(page.footer):
            reach.add("footer")
    return (compiled[0], frozenset(reach)) if reach else None


def _class_names(tokens: Iterable[Any]) -> list[str]:
    """The class names a selector's tokens name (`.a`), inside `:not(…)` and the like too."""
    names: list[str] = []
    previous: Any = None
    for token in tokens:
        if token.type == "ident" and previous == ".":
            names.append(token.value)
        elif token.type == "function":
            names += _class_names(token.arguments)
        previous = token
    return sorted(set(names) - _PAGE_PARTS)


def _negates(tokens: Iterable[Any]) -> bool:
    """Whether a selector holds a `:not(…)`, the one way a class can keep it from matching."""
    return any(
        token.type == "function" and (token.lower_name == "not" or _negates(token.arguments))
        for token in tokens
    )


def _probes(names: list[str], *, negated: bool) -> Iterator[frozenset[str]]:
    every = frozenset(names)
    yield every
    if not negated:
        return
    yield frozenset()
    if len(names) <= _PROBES_WITH_EACH_CLASS:
        for name in names:
            yield frozenset({name})
            yield every - {name}


# -- declarations --------------------------------------------------------------------------


@dataclass
class _Effect:
    """What some declarations of one rule ask for."""

    style: Style = field(default_factory=Style)
    align: str | None = None
    hidden: bool | None = None


def _declarations(content: Any, notes: list[Ignored], *, boxes: bool) -> tuple[_Effect, _Effect]:
    """What one rule's declarations ask for: its normal ones, then its `!important` ones.

    `boxes` tells whether the rule's selectors can reach a header or footer, the only
    things `display` can hide.
    """
    normal, important = _Effect(), _Effect()
    items = tinycss2.parse_blocks_contents(content or [], skip_comments=True, skip_whitespace=True)
    for item in items:
        line = _line(item)
        if item.type == "error":
            notes.append(Ignored(line, f"CSS syntax error: {item.message}"))
            continue
        if item.type == "at-rule":
            notes.append(Ignored(line, f"@{item.at_keyword} inside a rule ignored"))
            continue
        if item.type == "qualified-rule":
            notes.append(Ignored(line, "nested rule ignored"))
            continue
        if item.type != "declaration":
            continue
        name: str = item.lower_name
        effect = important if item.important else normal
        values = [t for t in item.value if t.type not in ("whitespace", "comment")]
        shown = tinycss2.serialize(item.value).strip()
        if name in ("color", "background-color", "background"):
            colour, note = _colour(values, shown)
            if colour is not None:
                if name == "color":
                    effect.style += Style(color=colour)
                else:
                    effect.style += Style(bgcolor=colour)
            elif note:
                notes.append(Ignored(line, f"{name}: {note}"))
        elif name == "font-weight":
            bold = _font_weight(values)
            if bold is None:
                notes.append(Ignored(line, f"font-weight: {shown} ignored"))
            else:
                effect.style += Style(bold=bold)
        elif name == "font-style":
            word = _ident(values)
            if word in ("italic", "oblique", "normal"):
                effect.style += Style(italic=word != "normal")
            else:
                notes.append(Ignored(line, f"font-style: {shown} ignored"))
        elif name in ("text-decoration", "text-decoration-line"):
            decoration = _decoration(values)
            if decoration is None:
                notes.append(Ignored(line, f"{name}: {shown} ignored"))
            else:
                effect.style += decoration
        elif name == "text-align":
            word = _ident(values)
            if word in _ALIGNS:
                effect.align = _ALIGNS[word]
            else:
                notes.append(Ignored(line, f"text-align: {shown} ignored"))
        elif name == "display":
            word = _ident(values)
            if not boxes:
                what = "display: none on a slide" if word == "none" else "display"
                notes.append(Ignored(line, f"{what} ignored (only the header or footer hide)"))
            elif word is None:
                notes.append(Ignored(line, f"display: {shown} ignored"))
            else:
                effect.hidden = word == "none"
        else:
            notes.append(Ignored(line, f"{name} ignored"))
    return normal, important


def _ident(values: list[Any]) -> str | None:
    if len(values) == 1 and values[0].type == "ident":
        return str(values[0].lower_value)
    return None


def _is_image(token: Any) -> bool:
    return bool(
        token.type == "url"
        or (
            token.type == "function"
            and (token.lower_name == "url" or "gradient" in token.lower_name)
        )
    )


def _colour(values: list[Any], shown: str) -> tuple[str | None, str | None]:
    """A `#rrggbb` for a plain colour value, or None and why it was not used."""
    if any(_is_image(v) for v in values):
        return None, "images and gradients ignored"
    if len(values) != 1:
        return None, f"{shown} ignored (only a plain colour has a terminal meaning)"
    token = values[0]
    if token.type == "ident" and token.lower_value in ("inherit", "initial", "unset", "none"):
        return None, f"{token.lower_value} ignored"
    rgba = _rgba(token)
    if rgba is None:
        return None, f"bad colour {shown!r}"
    if isinstance(rgba, str):  # currentColor
        return None, f"{shown} ignored"
    red, green, blue, alpha = rgba
    if alpha == 0:
        return None, "transparent ignored"
    red, green, blue = (max(0, min(255, round(c * 255))) for c in (red, green, blue))
    return f"#{red:02x}{green:02x}{blue:02x}", None


def _rgba(token: Any) -> tuple[float, float, float, float] | str | None:
    """Red, green, blue and alpha from 0 to 1, the text `currentcolor`, or None.

    CSS Color 4 is read (named colours such as `rebeccapurple`, space-separated `rgb()`);
    colour spaces a terminal cannot map simply (`lab()`, `oklch()`) read as no colour.
    """
    try:
        parsed = tinycss2.color4.parse_color(token)
        if parsed is not None and not isinstance(parsed, str):
            parsed = parsed.to("srgb")
    except Exception:
        return None
    if parsed is None or isinstance(parsed, str):
        return "currentcolor" if isinstance(parsed, str) else None
    red, green, blue, alpha = (float(value) for value in list(parsed)[:4])
    return red, green, blue, alpha


def _font_weight(values: list[Any]) -> bool | None:
    if len(values) != 1:
        return None
    token = values[0]
    if token.type == "ident":
        word = token.lower_value
        if word in ("bold", "bolder"):
            return True
        if word in ("normal", "lighter"):
            return False
        return None
    if token.type == "number":
        return bool(token.value >= 700)
    return None


def _decoration(values: list[Any]) -> Style | None:
    words = {v.lower_value for v in values if v.type == "ident"}
    if "none" in words:
        return Style(underline=False, strike=False)
    underline = "underline" in words
    strike = "line-through" in words
    if not underline and not strike:
        return None
    return Style(underline=underline or None, strike=strike or None)

"""Reading web stylesheets written for Prexent's browser view, for what a terminal can show.

Decks made for Prexent name `.css` files with `!custom_css`. A terminal cannot honour most
of CSS (fonts, sizes, floats, animations), but the parts that carry meaning on a slide
(colours, bold/italic/underline, alignment, and hiding the header or footer) translate
directly. This module keeps exactly that subset and reports everything else as an
`Ignored` note with its line, so `prexterm check` can tell the author what was dropped
instead of silently showing a different look.

Prexent's page is a `div.slide` (carrying the slide's classes) that holds a `.header` and a
`.footer`. Selectors are read against that shape only:

- `.dark-slide`, `div.slide`, `.slide.custom`, `body`: slides (every slide when no class
  other than `slide` is named);
- `.header`, `.footer`, `.slide.custom .header`: the header or footer, of every slide or of
  slides with the named classes.

Rules apply in file order, later declarations overriding earlier ones, which matches CSS
for the selectors above (they differ little in specificity and decks rarely rely on it).
Nothing here raises on bad CSS: a talk must never fail because of a stylesheet. A file
larger than `WEB_CSS_MAX_BYTES`, or nested more than `MAX_NESTING` deep, is not read at
all: its `WebStylesheet.problem` says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import tinycss2  # type: ignore[import-untyped]
import tinycss2.color3  # type: ignore[import-untyped]
from rich.style import Style

from prexterm.render.palette import Palette
from prexterm.style.themes import (
    MAX_NESTING,
    WEB_CSS_MAX_BYTES,
    StylesheetError,
    nesting_problem,
    read_stylesheet,
)

try:
    import tinycss2.color4 as _color4  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - tinycss2 before 1.3
    _color4 = None

__all__ = [
    "MAX_NESTING",
    "MAX_SELECTORS",
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
_PAGE_TYPES = frozenset({"html", "body"})
"""Elements around every slide: a rule on them reaches every slide."""
_SLIDE_TYPES = frozenset({"div", "section", "*"})
"""Element types a slide (or its header and footer) may be written with."""
_COMPOUND = re.compile(
    r"(?P<type>\*|[A-Za-z][A-Za-z0-9-]*)?(?P<classes>(?:\.-?[A-Za-z_][A-Za-z0-9_-]*)*)"
)


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
    `display: none`.
    """

    classes: frozenset[str]
    """Slide classes a slide must all have for the rule to apply; empty means every slide."""
    target: Target
    style: Style
    align: str | None
    """`left`, `center` or `right`, or None when the rule does not say."""
    hidden: bool | None
    """True for `display: none` on the header or footer, False to show it again."""
    source_line: int
    selector: str = ""

    def applies_to(self, slide_classes: Iterable[str]) -> bool:
        return self.classes <= frozenset(slide_classes)


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

    def look_for(self, slide_classes: Iterable[str]) -> SlideLook:
        return look_for(self.rules, slide_classes)


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
    """The look of a slide with `slide_classes`: every matching rule, later ones winning."""
    classes = frozenset(slide_classes)
    styles: dict[Target, Style] = {"slide": Style(), "header": Style(), "footer": Style()}
    aligns: dict[Target, str | None] = {"slide": None, "header": None, "footer": None}
    hidden: dict[Target, bool] = {"slide": False, "header": False, "footer": False}
    for rule in rules:
        if not rule.classes <= classes:
            continue
        styles[rule.target] = styles[rule.target] + rule.style
        if rule.align is not None:
            aligns[rule.target] = rule.align
        if rule.hidden is not None:
            hidden[rule.target] = rule.hidden
    return SlideLook(
        slide_style=styles["slide"],
        header_style=styles["header"],
        footer_style=styles["footer"],
        header_hidden=hidden["header"],
        footer_hidden=hidden["footer"],
        align=aligns["slide"],
        header_align=aligns["header"],
        footer_align=aligns["footer"],
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
    prelude = tinycss2.serialize(node.prelude).strip()
    targets: list[tuple[str, frozenset[str], Target]] = []
    for selector in _split_selectors(prelude):
        parsed = _selector(selector)
        if parsed is None:
            ignored.append(Ignored(line, f"selector {selector or '(empty)'} not supported"))
        else:
            targets.append((selector, *parsed))
    if not targets:
        return
    # Notes are kept for the first target only, so a rule with several selectors is not
    # reported twice.
    for index, target in enumerate(sorted({t for _, _, t in targets})):
        style, align, hidden = _declarations(node.content, target, ignored if index == 0 else [])
        if not style and align is None and hidden is None:
            continue
        for selector, classes, rule_target in targets:
            if rule_target == target:
                rules.append(SlideRule(classes, target, style, align, hidden, line, selector))


def _split_selectors(prelude: str) -> list[str]:
    """Split a selector list on top-level commas (not those inside `:is(a, b)`)."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in prelude:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return parts


def _selector(selector: str) -> tuple[frozenset[str], Target] | None:
    """The slide classes and target of a supported selector, or None.

    Supported: optional page elements (`html`, `body`), then the slide (`div.slide.x`,
    `.x`), then optionally its `.header` or `.footer`, joined by spaces or `>`.
    """
    if not selector or any(c in selector for c in "+~:[#,()\"'\\"):
        return None
    compounds: list[tuple[str | None, list[str]]] = []
    for part in re.split(r"\s*>\s*|\s+", selector.strip()):
        match = _COMPOUND.fullmatch(part)
        if not part or match is None:
            return None
        kind = match.group("type")
        classes = [c for c in match.group("classes").split(".") if c]
        compounds.append((kind.lower() if kind else None, classes))
    last_kind, last_classes = compounds[-1]
    target: Target = "slide"
    for name in ("header", "footer"):
        if name in last_classes:
            if len(last_classes) > 1 or (last_kind is not None and last_kind not in _SLIDE_TYPES):
                return None
            target = "header" if name == "header" else "footer"
            compounds = compounds[:-1]
    # The remaining compounds are page wrappers, then at most one slide element.
    slide_classes: frozenset[str] = frozenset()
    for index, (kind, classes) in enumerate(compounds):
        is_last = index == len(compounds) - 1
        if kind in _PAGE_TYPES:
            if classes:
                return None
            continue
        if kind is not None and kind not in _SLIDE_TYPES:
            return None
        if not is_last or {"header", "footer"} & set(classes):
            return None
        slide_classes = frozenset(classes) - {"slide"}
    return slide_classes, target


# -- declarations --------------------------------------------------------------------------


def _declarations(
    content: Any, target: Target, ignored: list[Ignored]
) -> tuple[Style, str | None, bool | None]:
    """The style, alignment and visibility one rule's declarations ask of `target`."""
    style = Style()
    align: str | None = None
    hidden: bool | None = None
    notes = ignored
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
        values = [t for t in item.value if t.type not in ("whitespace", "comment")]
        shown = tinycss2.serialize(item.value).strip()
        if name in ("color", "background-color", "background"):
            colour, note = _colour(values, shown)
            if colour is not None:
                if name == "color":
                    style += Style(color=colour)
                else:
                    style += Style(bgcolor=colour)
            elif note:
                notes.append(Ignored(line, f"{name}: {note}"))
        elif name == "font-weight":
            bold = _font_weight(values)
            if bold is None:
                notes.append(Ignored(line, f"font-weight: {shown} ignored"))
            else:
                style += Style(bold=bold)
        elif name == "font-style":
            word = _ident(values)
            if word in ("italic", "oblique", "normal"):
                style += Style(italic=word != "normal")
            else:
                notes.append(Ignored(line, f"font-style: {shown} ignored"))
        elif name in ("text-decoration", "text-decoration-line"):
            decoration = _decoration(values)
            if decoration is None:
                notes.append(Ignored(line, f"{name}: {shown} ignored"))
            else:
                style += decoration
        elif name == "text-align":
            word = _ident(values)
            if word in _ALIGNS:
                align = _ALIGNS[word]
            else:
                notes.append(Ignored(line, f"text-align: {shown} ignored"))
        elif name == "display":
            word = _ident(values)
            if target == "slide":
                what = "display: none on a slide" if word == "none" else "display"
                notes.append(Ignored(line, f"{what} ignored (only the header or footer hide)"))
            elif word is None:
                notes.append(Ignored(line, f"display: {shown} ignored"))
            else:
                hidden = word == "none"
        else:
            notes.append(Ignored(line, f"{name} ignored"))
    return style, align, hidden


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

    CSS Color 4 (named colours such as `rebeccapurple`, space-separated `rgb()`) is read
    when this tinycss2 has it, CSS Color 3 otherwise; colour spaces a terminal cannot map
    simply (`lab()`, `oklch()`) read as no colour.
    """
    try:
        if _color4 is not None:
            parsed = _color4.parse_color(token)
            if parsed is not None and not isinstance(parsed, str):
                parsed = parsed.to("srgb")
        else:
            parsed = tinycss2.color3.parse_color(token)
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

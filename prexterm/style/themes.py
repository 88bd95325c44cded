"""Themes: a Textual stylesheet for the frame plus the palette the slide renderer draws with.

A theme is one `.tcss` file. Textual styles the widgets around a slide (header, footer,
progress, overlays, presenter pane), but slide content is drawn by the renderer as Rich
text, so its colours cannot come from Textual CSS. Each theme therefore opens with a
`/* prexterm-theme ... */` comment that declares those styles as plain variables; Textual
skips the comment and this module reads it. Keeping both halves in one file means a theme
is copied, shared and edited as a single thing.

This module stays free of Textual so that `prexterm themes` and `prexterm check` can list
and validate themes without starting the UI toolkit. The Textual CSS half is validated by
the app when it applies a theme.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import textwrap
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from rich.color import Color, ColorParseError
from rich.errors import StyleSyntaxError
from rich.style import Style
from rich.text import Text

from prexterm.bundled import bundled_dir
from prexterm.core.text import FileRefused, read_file
from prexterm.render.palette import DARK, Palette

__all__ = [
    "DEFAULT_THEME",
    "EXTRA_STYLES",
    "MAX_NESTING",
    "MAX_RULES",
    "META_KEYS",
    "PALETTE_STYLE_KEYS",
    "TCSS_MAX_BYTES",
    "WEB_CSS_MAX_BYTES",
    "StylesheetError",
    "Theme",
    "ThemeError",
    "list_themes",
    "load_theme",
    "nesting_problem",
    "preview_line",
    "read_stylesheet",
    "theme_listing",
    "theme_or_default",
]

DEFAULT_THEME = "dark"
"""The theme used when none is asked for and the terminal can show colour."""

BLOCK_START = "/* prexterm-theme"
"""How the variables block opens; it must be the first thing in the file."""

COLOURLESS = "colourless"
"""The renderer's code theme that uses bold and italic only (see `Palette.code_theme`)."""

PALETTE_STYLE_KEYS: tuple[str, ...] = tuple(
    name.replace("_", "-")
    for name in Palette._fields
    if name not in ("code_theme", "code_background")
)
"""Variable names that set a Rich style of the palette (`heading1`, `inline-code`, …)."""

EXTRA_STYLES: tuple[str, ...] = ("output", "output-error", "output-ok")
"""Rich styles for things drawn outside a slide: the live-code output panel, its stderr,
and its "exited normally" line. Optional; `Theme.style` fills in sensible defaults."""

META_KEYS: tuple[str, ...] = (
    "name",
    "description",
    "code-theme",
    "code-background",
    "background",
    "textual-theme",
)
"""Variables that are not palette styles.

`background` is the page colour (used by previews and plain exports); `textual-theme` is the
built-in Textual theme the app should switch to so stock widgets (inputs, lists,
scrollbars) match the theme.
"""

_KNOWN_KEYS = frozenset((*META_KEYS, *PALETTE_STYLE_KEYS, *EXTRA_STYLES))

_EXTRA_DEFAULTS: dict[str, Style] = {
    "output": Style(color="#cccccc", bgcolor="#444444"),
    "output-error": Style(color="#cc1111", bgcolor="#444444"),
    "output-ok": Style(color="#11cc11", bgcolor="#444444"),
}
"""Prexent's own output panel colours, used when a theme does not choose its own."""

_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_-]*)\s*:\s*(.*?)\s*$")


class StylesheetError(Exception):
    """A stylesheet that cannot be used; the message says why (and where, when known)."""


class ThemeError(StylesheetError):
    """A theme that cannot be found or read; the message names the file, line and key."""


# -- limits on stylesheets -----------------------------------------------------------------

TCSS_MAX_BYTES = 256 * 1024
"""The largest Textual stylesheet (a theme or a deck's `.tcss`) prexterm reads.

Textual parses some 100 to 200 KB of CSS a second and needs about 200 bytes of memory
for each byte, and a stylesheet is parsed before the first frame: 3.6 MB took 10 s and
820 MB. The bundled themes are under 10 KiB and a deck's own rules rarely reach a few;
256 KiB is far above anything written by hand, and parses in one or two seconds at
worst (with `MAX_RULES` bounding how much of it may be rules).
"""

WEB_CSS_MAX_BYTES = 1024 * 1024
"""The largest web stylesheet (`.css`) prexterm reads.

Web stylesheets are often larger than Textual ones (a site's whole theme, minified), but
reading 30 MB took 40 s and 1.7 GB. 1 MiB holds any slide deck's stylesheet (and a
whole site framework), and is read in a second or two; `webcss.MAX_SELECTORS` keeps the
work done on what was read small.
"""

MAX_NESTING = 32
"""How deeply brackets (`{`, `(`, `[`) may nest in a stylesheet.

Both CSS readers descend into nested blocks by recursion: 50,000 nested parentheses
exhausted Python's stack. Hand-written CSS nests a few levels (`rgb(var(--x))`, a rule
in a rule); 32 leaves ample room and keeps far from the stack's end.
"""

MAX_RULES = 1024
"""How many rules (`{` blocks) a Textual stylesheet may hold; also how many selectors
(`a, b` is two), and four times as many selector parts (`a b` is two).

Textual's parser spends about 0.1 ms on each rule, and more on nested ones, whose
selectors grow with their depth: 256 KiB of rules nested 32 deep took 28 s. Every
selector is then matched against every widget each time a screen opens: 20,000
selectors made the help take 18 s to open. A bundled theme has 35 rules and about 60
selectors; at these limits a screen still opens within a second or so.
"""

_NESTING_TOKENS = re.compile(
    r"/\*.*?(?:\*/|\Z)"  # a comment, closed or not
    r'|"(?:[^"\\\n]|\\.)*"?'  # a string: its brackets are text
    r"|'(?:[^'\\\n]|\\.)*'?"
    r"|\\."  # an escaped character
    r"|[(\[{]|[)\]}]",
    re.DOTALL,
)


def nesting_problem(css: str, *, max_rules: int | None = None) -> tuple[int, str] | None:
    """The line where brackets first nest deeper than `MAX_NESTING` (or where the rule
    after `max_rules` opens), and what to say.

    Read before a stylesheet is handed to a CSS reader, so that no reader ever recurses
    deeper than that; the scan itself is a loop over the brackets only.
    """
    depth = 0
    rules = 0
    for match in _NESTING_TOKENS.finditer(css):
        char = match.group()
        if char in "([{":
            depth += 1
            if depth > MAX_NESTING:
                line = css.count("\n", 0, match.start()) + 1
                return line, f"brackets nested more than {MAX_NESTING} deep"
            if char == "{" and max_rules is not None:
                rules += 1
                if rules > max_rules:
                    line = css.count("\n", 0, match.start()) + 1
                    return line, f"more than {max_rules} rules"
        elif char in ")]}":
            depth = max(0, depth - 1)
    return None


def _size(count: int) -> str:
    """A size in KiB or MiB, rounded up: a file one byte over the limit reads as over it."""
    if count >= 1024 * 1024:
        return f"{math.ceil(count * 10 / (1024 * 1024)) / 10:.1f}".removesuffix(".0") + " MiB"
    return f"{math.ceil(count / 1024)} KiB"


def read_stylesheet(path: Path, limit: int, root: str | os.PathLike[str] | None = None) -> bytes:
    """The bytes of a stylesheet (inside the deck `root`, when given), read with
    `read_file`: its size is asked before anything is read, so a huge file costs nothing.

    Raises `StylesheetError` for a file above `limit`, saying how large it is, and
    `OSError` (`FileRefused` among them) when it cannot or must not be read.
    """
    too_large = f"larger than the {_size(limit)} a stylesheet may be"
    try:
        return read_file(path, limit=limit, root=root, too_large=too_large)
    except FileRefused as error:
        if str(error) != too_large:
            raise
        with contextlib.suppress(OSError):
            too_large = f"{_size(os.stat(path).st_size)}, {too_large}"
        raise StylesheetError(too_large) from None


class Theme(NamedTuple):
    """One loaded theme: the Textual CSS to apply and the palette to render slides with."""

    name: str
    description: str
    path: Path
    css: str
    """The whole file; Textual ignores the variables comment at its top."""
    palette: Palette
    variables: Mapping[str, str] = MappingProxyType({})
    """Every variable as written in the block (keys with `-`), for tools and the app."""
    bundled: bool = False
    extra_styles: Mapping[str, Style] = MappingProxyType({})

    @property
    def background(self) -> str | None:
        """The page colour the theme paints, or None when it keeps the terminal's own."""
        value = self.variables.get("background", "").strip()
        return None if value in ("", "none", "default") else value

    @property
    def textual_theme(self) -> str:
        """The built-in Textual theme to pair with this one (default `textual-dark`)."""
        return self.variables.get("textual-theme", "").strip() or "textual-dark"

    def style(self, key: str) -> Style:
        """An extra style (`output`, `output-error`, `output-ok`), with Prexent's as default."""
        if key not in EXTRA_STYLES:
            raise KeyError(key)
        return self.extra_styles.get(key, _EXTRA_DEFAULTS[key])


def _themes_dir() -> Path:
    return bundled_dir("themes")


def _bundled_names() -> list[str]:
    """Names of the bundled themes, the default first, then alphabetical."""
    directory = _themes_dir()
    names = sorted(p.stem for p in directory.glob("*.tcss")) if directory.is_dir() else []
    return sorted(names, key=lambda n: (n != DEFAULT_THEME, n))


def _looks_like_path(text: str) -> bool:
    return "/" in text or "\\" in text or text.endswith(".tcss") or text.startswith(".")


def load_theme(name_or_path: str) -> Theme:
    """Load a bundled theme by name (`light`) or any theme file by path (`~/my.tcss`).

    Raises `ThemeError` with one message that says what is wrong and where.
    """
    text = name_or_path.strip()
    if not text:
        raise ThemeError("empty theme name: choose one of " + ", ".join(_bundled_names()))
    if _looks_like_path(text):
        path = Path(text).expanduser()
        if not path.is_file():
            raise ThemeError(f"theme file not found: {text}")
        return _load_file(path, shown=text, bundled=False)
    path = _themes_dir() / f"{text}.tcss"
    if not path.is_file():
        raise ThemeError(
            f"unknown theme {text!r}: choose one of {', '.join(_bundled_names())}, "
            "or give the path of a .tcss theme file"
        )
    return _load_file(path, shown=f"themes/{path.name}", bundled=True)


def list_themes() -> list[Theme]:
    """Every bundled theme, the default first. A broken bundled theme raises `ThemeError`."""
    return [load_theme(name) for name in _bundled_names()]


def theme_or_default(name: str | None) -> tuple[Theme, str | None]:
    """The theme called `name`, or the default theme and why `name` could not be used.

    A talk must start even when a theme file is broken: the caller shows the message in
    the status line (or on stderr) and plays with the default look.
    """
    if name is None or name.strip() in ("", DEFAULT_THEME):
        return load_theme(DEFAULT_THEME), None
    try:
        return load_theme(name), None
    except ThemeError as error:
        return load_theme(DEFAULT_THEME), f"{error} (using the {DEFAULT_THEME} theme)"


def _load_file(path: Path, *, shown: str, bundled: bool) -> Theme:
    try:
        css = read_stylesheet(path, TCSS_MAX_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ThemeError(f"{shown}: not UTF-8 (byte {error.start})") from None
    except StylesheetError as error:
        raise ThemeError(f"{shown}: {error}") from None
    except OSError as error:
        raise ThemeError(f"{shown}: cannot read: {error.strerror or error}") from None
    variables, lines = _read_block(css, shown)
    palette, extras = _palette(variables, lines, shown, trusted=bundled)
    return Theme(
        name=variables.get("name") or path.stem,
        description=variables.get("description", ""),
        path=path,
        css=css,
        palette=palette,
        variables=variables,
        bundled=bundled,
        extra_styles=extras,
    )


def _read_block(css: str, shown: str) -> tuple[dict[str, str], dict[str, int]]:
    """The `key: value` lines of the leading comment, and the line number of each key."""
    stripped = css.lstrip()
    if not stripped.startswith(BLOCK_START):
        raise ThemeError(
            f"{shown}:1: a theme must start with a '{BLOCK_START}' comment "
            "that declares its palette (see themes/dark.tcss)"
        )
    first = css[: len(css) - len(stripped)].count("\n") + 1
    end = stripped.find("*/")
    if end < 0:
        raise ThemeError(f"{shown}:{first}: the '{BLOCK_START}' comment is never closed")
    body = stripped[len(BLOCK_START) : end]
    variables: dict[str, str] = {}
    lines: dict[str, int] = {}
    for offset, raw in enumerate(body.split("\n")):
        number = first + offset
        if not raw.strip():
            continue
        match = _LINE.match(raw)
        if match is None:
            raise ThemeError(f"{shown}:{number}: expected 'name: value', got {raw.strip()!r}")
        key = match.group(1).lower().replace("_", "-")
        if key not in _KNOWN_KEYS:
            raise ThemeError(f"{shown}:{number}: unknown variable {key!r}")
        if key in lines:
            raise ThemeError(f"{shown}:{number}: {key} is set twice (first on line {lines[key]})")
        variables[key] = match.group(2)
        lines[key] = number
    return variables, lines


def _palette(
    variables: Mapping[str, str], lines: Mapping[str, int], shown: str, *, trusted: bool = False
) -> tuple[Palette, dict[str, Style]]:
    """Build the palette: declared styles over the DARK defaults, each one checked.

    The code theme of a bundled (`trusted`) theme is not looked up: the tests check them,
    and looking it up would load Pygments before the first slide even shows code.
    """

    def where(key: str) -> str:
        return f"{shown}:{lines[key]}"

    def parse_style(key: str) -> Style:
        value = variables[key]
        try:
            return Style.parse(value or "none")
        except (StyleSyntaxError, ColorParseError) as error:
            raise ThemeError(f"{where(key)}: bad style for {key}: {value!r} ({error})") from None

    changes: dict[str, Any] = {}
    for key in PALETTE_STYLE_KEYS:
        if key in variables:
            changes[key.replace("-", "_")] = parse_style(key)
    if "code-theme" in variables:
        value = variables["code-theme"]
        changes["code_theme"] = value if trusted else _code_theme(value, where("code-theme"))
    if "code-background" in variables:
        changes["code_background"] = _colour_or_none(
            variables["code-background"], where("code-background"), "code-background"
        )
    if "background" in variables:
        _colour_or_none(variables["background"], where("background"), "background")
    extras = {key: parse_style(key) for key in EXTRA_STYLES if key in variables}
    return DARK._replace(**changes), extras


def _code_theme(value: str, where: str) -> str:
    """A Pygments style name, one of Rich's ANSI themes, or `colourless`."""
    from rich.syntax import RICH_SYNTAX_THEMES

    if value == COLOURLESS or value in RICH_SYNTAX_THEMES:
        return value
    from pygments.styles import get_style_by_name  # type: ignore[import-untyped]
    from pygments.util import ClassNotFound  # type: ignore[import-untyped]

    try:
        get_style_by_name(value)
    except ClassNotFound:
        raise ThemeError(
            f"{where}: bad code-theme {value!r}: use a Pygments style name "
            f"(monokai, default, …), ansi_dark, ansi_light or {COLOURLESS}"
        ) from None
    return value


def _colour_or_none(value: str, where: str, key: str) -> str | None:
    if value in ("", "none", "default"):
        return None
    try:
        Color.parse(value)
    except ColorParseError as error:
        raise ThemeError(f"{where}: bad colour for {key}: {value!r} ({error})") from None
    return value


def preview_line(
    theme: Theme, *, name_width: int = 14, description: bool = True, width: int | None = None
) -> Text:
    """One line that shows what a theme looks like, for `prexterm themes`.

    Samples are drawn on the theme's own page colour, so a light theme previews legibly
    even in a dark terminal. `description=False` leaves the description out, for a
    listing that puts it on lines of its own. Within `width` cells, only the samples
    that fit whole are shown: a sample cut in two would read as a word cut in two.
    """
    palette = theme.palette
    page = Style(bgcolor=theme.background) if theme.background else Style()
    line = Text(style=page, no_wrap=True, overflow="ellipsis")
    line.append(f" {theme.name:<{name_width}}", palette.title)
    samples = (
        (" Heading", palette.heading1),
        ("text", palette.text),
        (" code ", palette.inline_code),
        ("link", palette.link),
        ("quote", palette.quote),
        ("error", palette.error),
    )
    for number, (sample, style) in enumerate(samples):
        gap = "  " if number else ""
        if width is not None and line.cell_len + len(gap) + len(sample) + 1 > width:
            break
        line.append(gap)
        line.append(sample, style)
    line.append(" ")
    if description and theme.description:
        line.append(f"  {theme.description}", palette.dim)
        line.append(" ")
    return line


def theme_listing(themes: list[Theme], width: int, *, name_width: int = 14) -> list[Text]:
    """The lines of `prexterm themes` for a terminal `width` cells wide.

    Each theme gets its preview line. When every description fits after its samples,
    it stands there; otherwise each goes on lines of its own below its preview, wrapped
    between words (never at a hyphen), so no description is cut in the middle of a word.
    """
    previews = [
        preview_line(t, name_width=name_width, description=False, width=width) for t in themes
    ]
    if all(
        preview.cell_len + len(t.description) + 3 <= width
        for t, preview in zip(themes, previews, strict=True)
    ):
        return [preview_line(t, name_width=name_width) for t in themes]
    indent = name_width + 2 if width - name_width - 2 >= 24 else 2
    lines: list[Text] = []
    for theme, preview in zip(themes, previews, strict=True):
        lines.append(preview)
        for part in textwrap.wrap(
            theme.description, max(width - indent, 1), break_on_hyphens=False
        ):
            lines.append(Text(" " * indent + part, style="dim", no_wrap=True))
    return lines

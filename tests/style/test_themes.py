"""Bundled themes load completely, and a broken theme explains itself and falls back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.console import Console
from rich.style import Style

from prexterm.bundled import bundled_dir
from prexterm.render.palette import DARK, MONO, Palette
from prexterm.style.themes import (
    EXTRA_STYLES,
    PALETTE_STYLE_KEYS,
    Theme,
    ThemeError,
    list_themes,
    load_theme,
    preview_line,
    theme_or_default,
)

BUNDLED = ("dark", "light", "high-contrast", "mono", "prexent")


def _theme_text(**overrides: str) -> str:
    """A complete theme file whose variables can be changed one by one."""
    variables = {"name": "mine", "description": "a test theme", "heading1": "bold #112233"}
    variables.update(overrides)
    block = "\n".join(f"{key}: {value}" for key, value in variables.items())
    return f"/* prexterm-theme\n{block}\n*/\nScreen {{ background: #000000; }}\n"


def test_every_bundled_theme_is_listed_with_the_default_first() -> None:
    names = [theme.name for theme in list_themes()]
    assert names[0] == "dark"
    assert sorted(names) == sorted(BUNDLED)


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_theme_loads_with_a_complete_palette(name: str) -> None:
    theme = load_theme(name)
    assert theme.name == name
    assert theme.bundled
    assert theme.description
    assert theme.path == bundled_dir("themes") / f"{name}.tcss"
    assert isinstance(theme.palette, Palette)
    # Every palette style is declared in the file itself, not inherited from the defaults.
    for key in (*PALETTE_STYLE_KEYS, "code-theme", "code-background", *EXTRA_STYLES):
        assert key in theme.variables, f"{name} does not declare {key}"
    for name in Palette._fields:
        value = getattr(theme.palette, name)
        if name == "code_theme":
            assert isinstance(value, str) and value
        elif name == "code_background":
            assert value is None or isinstance(value, str)
        else:
            assert isinstance(value, Style)
    for key in EXTRA_STYLES:
        assert isinstance(theme.style(key), Style)


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_theme_css_is_valid_textual_css(name: str) -> None:
    from textual.css.stylesheet import Stylesheet

    theme = load_theme(name)
    sheet = Stylesheet()
    sheet.add_source(theme.css, read_from=(str(theme.path), ""))
    sheet.parse()  # raises StylesheetParseError on any bad rule or value


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_theme_styles_every_element(name: str) -> None:
    css = load_theme(name).css
    for selector in (
        "Screen {",
        "#header",
        "#slide",
        "#more",
        "#search",
        "#progress",
        "#footer-row",
        "#status",
        "#footer",
        "#too-small",
        "#overview",
        "#overview-list",
        "#help",
        "BlankScreen",
        "Screen.photo",
        "#presenter",
        "#notes",
        "#next",
        "#timers",
        "#pace.behind",
        "Screen.last-slide",
    ):
        assert selector in css, f"{name} does not style {selector}"
    assert "slide class" in css.lower()  # the header comment documents slide classes


@pytest.mark.parametrize("name", BUNDLED)
def test_preview_line_shows_name_and_samples(name: str) -> None:
    theme = load_theme(name)
    line = preview_line(theme)
    assert "\n" not in line.plain
    for word in (name, "Heading", "text", "code", "error"):
        assert word in line.plain
    console = Console(width=200, record=True, color_system="truecolor", force_terminal=True)
    console.print(line, no_wrap=True, crop=True)
    assert name in console.export_text()


def test_dark_theme_is_the_renderers_default_palette() -> None:
    assert load_theme("dark").palette == DARK


def test_mono_theme_has_no_colour_at_all() -> None:
    theme = load_theme("mono")
    assert theme.palette == MONO
    assert theme.palette.code_theme == "colourless"
    assert theme.palette.code_background is None
    styles = [getattr(theme.palette, key.replace("-", "_")) for key in PALETTE_STYLE_KEYS]
    styles += [theme.style(key) for key in EXTRA_STYLES]
    for style in styles:
        assert style.color is None and style.bgcolor is None
    assert theme.background is None
    # Only the terminal's own colours in the Textual half too.
    body = re.sub(r"/\*.*?\*/", "", theme.css, flags=re.DOTALL)
    assert not re.search(r":[^;{}]*(#[0-9a-fA-F]{3}|rgb|hsl)", body)
    for line in body.splitlines():
        if ":" in line and ("color" in line or "background" in line or "border" in line):
            value = line.split(":", 1)[1]
            assert "ansi_default" in value or value.strip().rstrip(";").isdigit(), line


def test_prexent_theme_follows_prexents_look() -> None:
    theme = load_theme("prexent")
    assert theme.background == "#eeeeee"
    assert theme.palette.text == Style.parse("#333333")
    assert theme.palette.quote == Style.parse("italic #555555")
    assert theme.palette.table_header.bgcolor == Style.parse("on #dddddd").bgcolor
    assert theme.palette.table_border == Style.parse("#cccccc")
    assert theme.style("output") == Style.parse("#cccccc on #444444")
    css = theme.css.lower()
    assert "#efefef" in css and "text-align: right" in css


def test_theme_from_a_path_outside_the_bundled_folder(tmp_path: Path) -> None:
    path = tmp_path / "mine.tcss"
    path.write_text(_theme_text(), encoding="utf-8")
    theme = load_theme(str(path))
    assert not theme.bundled
    assert theme.name == "mine"
    assert theme.path == path
    assert theme.palette.heading1 == Style(bold=True, color="#112233")
    # Undeclared entries take the dark defaults.
    assert theme.palette.text == DARK.text
    assert theme.palette.code_theme == DARK.code_theme
    assert theme.style("output") == Style.parse("#cccccc on #444444")


def test_theme_name_defaults_to_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "nameless.tcss"
    path.write_text("/* prexterm-theme\ntext: #ffffff\n*/\n", encoding="utf-8")
    assert load_theme(str(path)).name == "nameless"


def test_bad_style_names_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "x.tcss"
    path.write_text(_theme_text(heading1="bold #zzzzzz"), encoding="utf-8")
    with pytest.raises(ThemeError) as caught:
        load_theme(str(path))
    message = str(caught.value)
    # The block starts on line 1; name, description, then heading1 on line 4.
    assert message.startswith(f"{path}:4: bad style for heading1: 'bold #zzzzzz'")


def test_bad_style_in_a_bundled_theme_is_named_relative_to_themes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "themes"
    folder.mkdir()
    (folder / "dark.tcss").write_text(_theme_text(name="dark"), encoding="utf-8")
    (folder / "x.tcss").write_text(_theme_text(name="x", quote="italics"), encoding="utf-8")
    monkeypatch.setattr("prexterm.style.themes.bundled_dir", lambda name: tmp_path / name)
    with pytest.raises(ThemeError, match=r"^themes/x\.tcss:5: bad style for quote: 'italics'"):
        load_theme("x")
    theme, message = theme_or_default("x")
    assert theme.name == "dark"
    assert message is not None
    assert "themes/x.tcss:5: bad style for quote" in message
    assert "using the dark theme" in message


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"code-theme": "nosuchstyle"}, r":5: bad code-theme 'nosuchstyle'"),
        ({"code-background": "#12"}, r":5: bad colour for code-background"),
        ({"headng1": "bold"}, r":5: unknown variable 'headng1'"),
    ],
)
def test_other_bad_variables(tmp_path: Path, variables: dict[str, str], expected: str) -> None:
    path = tmp_path / "t.tcss"
    path.write_text(_theme_text(**variables), encoding="utf-8")
    with pytest.raises(ThemeError, match=expected):
        load_theme(str(path))


def test_malformed_block_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.tcss"
    path.write_text("/* prexterm-theme\ntext #ffffff\n*/\n", encoding="utf-8")
    with pytest.raises(ThemeError, match=r":2: expected 'name: value'"):
        load_theme(str(path))
    path.write_text("/* prexterm-theme\ntext: red\ntext: blue\n*/\n", encoding="utf-8")
    with pytest.raises(ThemeError, match=r":3: text is set twice \(first on line 2\)"):
        load_theme(str(path))
    path.write_text("/* prexterm-theme\ntext: red\n", encoding="utf-8")
    with pytest.raises(ThemeError, match="never closed"):
        load_theme(str(path))
    path.write_text("Screen { color: red; }\n", encoding="utf-8")
    with pytest.raises(ThemeError, match=r":1: a theme must start with"):
        load_theme(str(path))


def test_unknown_theme_and_missing_file() -> None:
    with pytest.raises(ThemeError, match=r"unknown theme 'nope': choose one of dark, "):
        load_theme("nope")
    with pytest.raises(ThemeError, match=r"theme file not found: /no/such/theme\.tcss"):
        load_theme("/no/such/theme.tcss")


def test_theme_or_default() -> None:
    theme, message = theme_or_default(None)
    assert (theme.name, message) == ("dark", None)
    theme, message = theme_or_default("light")
    assert (theme.name, message) == ("light", None)
    theme, message = theme_or_default("nope")
    assert theme.name == "dark"
    assert message is not None and message.startswith("unknown theme 'nope'")


def test_themes_module_never_imports_textual() -> None:
    from tests.conftest import fresh_python

    code = (
        "import sys, prexterm.style.themes, prexterm.style.webcss, prexterm.config\n"
        "print(','.join(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    output = fresh_python(code)
    assert output.strip() == ""


def test_theme_is_plain_data() -> None:
    theme = load_theme("light")
    assert isinstance(theme, Theme)
    assert theme.textual_theme == "textual-light"
    assert theme.background == "#fafafa"


def test_bundled_code_themes_exist() -> None:
    """Bundled themes skip the Pygments lookup at start-up, so it is checked here."""
    from prexterm.style.themes import _code_theme, list_themes

    for theme in list_themes():
        assert _code_theme(theme.palette.code_theme, theme.name) == theme.palette.code_theme


def test_a_stylesheet_of_comments_only_is_fine_and_a_wrong_one_is_still_found() -> None:
    from prexterm.app.styling import css_problem

    assert css_problem("/* nothing yet */\n\n/* the look comes later */\n", "deck.tcss") is None
    problem = css_problem("/* a note */\nScreen { colour: red; }\n", "deck.tcss")
    assert problem is not None and problem.startswith("deck.tcss")

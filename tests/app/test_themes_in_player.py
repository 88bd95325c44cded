"""Every bundled theme plays the whole tour; broken themes and configs say so once."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from textual.color import Color

from prexterm.app.factory import create_app
from prexterm.app.options import PlayerOptions
from prexterm.app.slide_view import SlideView
from prexterm.style.themes import list_themes
from tests.conftest import REPO, SAMPLES, WriteFiles, reload_deck, screen_text

THEMES = [theme.name for theme in list_themes()]

_SVG_TEXT = re.compile(
    r'<text class="([^"]+)" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
    r'clip-path="url\(#terminal-\d+-line-(\d+)\)">(.*?)</text>'
)
_SVG_FILL = re.compile(r'<rect fill="(#[0-9a-f]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"')


def look_of(app: object, words: str) -> tuple[str, bool]:
    """The background and the boldness of `words` as a screenshot of the app draws them."""
    svg = app.export_screenshot()  # type: ignore[attr-defined]
    bold = {name for name, rule in re.findall(r"\.(terminal-\d+-r\d+) \{([^}]*)\}", svg)
            if "bold" in rule}  # fmt: skip
    for name, x, line, text in _SVG_TEXT.findall(svg):
        if html.unescape(text).replace("\xa0", " ").startswith(words):
            for fill, left, top, width in _SVG_FILL.findall(svg):
                row = round((float(top) - 1.5) / 24.4)
                if row == int(line) and float(left) <= float(x) < float(left) + float(width):
                    return fill, name in bold
            raise AssertionError(f"no background drawn under {words!r}")
    raise AssertionError(f"{words!r} is not on the screen")


@pytest.mark.parametrize("name", THEMES)
async def test_theme_renders_every_tour_slide(name: str) -> None:
    app = create_app(
        PlayerOptions(deck=SAMPLES / "tour.md", theme=name, watch=False, sync=False, images="none")
    )
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.look.name == name
        assert app.theme_problem is None
        view = app.query_one(SlideView)
        for number in range(1, len(app.deck.slides) + 1):
            app.go(number)
            await pilot.pause()
            assert view._failure is None, f"slide {number} failed to draw in {name}"
            rows = [view.render_line(y).text for y in range(view.size.height)]
            assert any(row.strip() for row in rows), f"slide {number} is empty in {name}"
        assert not [n for n in app._notifications if n.severity == "error"]


async def test_broken_theme_falls_back_with_one_message(write: WriteFiles) -> None:
    theme = write({"bad.tcss": "/* prexterm-theme\nname: bad\nheading1: bold nonsense-colour\n*/\n",
                   "deck.md": "# Hello\n"})  # fmt: skip
    app = create_app(PlayerOptions(deck=theme.parent / "deck.md", theme=str(theme), watch=False,
                                   sync=False))  # fmt: skip
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.look.name == "dark"
        assert app.screen.styles.background == Color.parse("#1c1c1c"), "the dark theme's page"
        messages = [str(n.message) for n in app._notifications]
        assert len(messages) == 1
        assert "bad.tcss:3" in messages[0] and "heading1" in messages[0]


async def test_theme_with_bad_css_keeps_the_players_look(write: WriteFiles) -> None:
    theme = write({"odd.tcss": "/* prexterm-theme\nname: odd\n*/\n#header { colour: red; }\n",
                   "deck.md": "# Hello\n"})  # fmt: skip
    app = create_app(PlayerOptions(deck=theme.parent / "deck.md", theme=str(theme), watch=False,
                                   sync=False))  # fmt: skip
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme_problem is not None and "odd.tcss" in app.theme_problem
        assert app.number == 1


def test_bad_config_is_one_clear_message(tmp_path: Path) -> None:
    config = tmp_path / "prexterm" / "config.toml"
    config.parent.mkdir()
    config.write_text("presenter = 'yes'\n")
    result = subprocess.run(
        [sys.executable, "-m", "prexterm", str(SAMPLES / "kigali.md")],
        capture_output=True,
        text=True,
        env={"XDG_CONFIG_HOME": str(tmp_path), "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        timeout=30,
    )
    assert result.returncode == 2
    assert "config.toml" in result.stderr and "'presenter'" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


async def test_user_theme_may_use_textual_variables(write: WriteFiles) -> None:
    theme = write({"mine.tcss": "/* prexterm-theme\nname: mine\n*/\n#header { color: $accent; }\n",
                   "deck.md": "# Hello\n"})  # fmt: skip
    app = create_app(PlayerOptions(deck=theme.parent / "deck.md", theme=str(theme), watch=False,
                                   sync=False))  # fmt: skip
    async with app.run_test(size=(80, 24)):
        assert app.theme_problem is None
        assert app.look.name == "mine"


async def test_slide_classes_style_the_frame_from_the_first_slide_on(write: WriteFiles) -> None:
    """Themes style `Screen.CLASS #widget`: right on the first slide, and after every move.

    The class changes are batched into at most one restyle; a class no rule mentions
    (`unstyled`) still reaches the screen, so a later stylesheet could use it.
    """
    deck = write({"deck.md": "!slide_classes last-slide\n# One\n---\n# Two\n---\n"
                             "!slide_classes last-slide unstyled\n# Three\n"})  # fmt: skip
    app = create_app(PlayerOptions(deck=deck, theme="dark", watch=False, sync=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.main_screen.query_one("#footer")
        styled = footer.styles.color
        assert app.main_screen.has_class("last-slide")
        assert app.main_screen.query_one(SlideView).has_class("last-slide")
        await pilot.press("right")
        assert not app.main_screen.has_class("last-slide")
        plain = footer.styles.color
        assert plain != styled
        await pilot.press("right")
        assert app.main_screen.has_class("last-slide") and app.main_screen.has_class("unstyled")
        assert footer.styles.color == styled
        await pilot.press("left")
        assert footer.styles.color == plain
        assert not app.main_screen.has_class("unstyled")


async def test_photo_slides_put_photo_on_the_screen_only(write: WriteFiles) -> None:
    deck = write({"deck.md": "# Words\n---\n!slide_classes photo-slide\n![a](p.png)\n"})
    app = create_app(PlayerOptions(deck=deck, theme="dark", watch=False, sync=False, images="none"))
    async with app.run_test(size=(80, 24)) as pilot:
        row = app.main_screen.query_one("#footer-row")
        view = app.main_screen.query_one(SlideView)
        plain = (row.styles.background, view.styles.background)
        assert not app.main_screen.has_class("photo")
        await pilot.press("right")
        assert app.main_screen.has_class("photo")
        assert not view.has_class("photo")
        # "Screen.photo #footer-row" and "Screen.photo #slide" in the theme apply
        photo = (row.styles.background, view.styles.background)
        assert photo[0] != plain[0] and photo[1] != plain[1]
        await pilot.press("left")
        assert not app.main_screen.has_class("photo")
        assert (row.styles.background, view.styles.background) == plain


async def test_the_theme_styles_the_overlays_and_the_pane() -> None:
    app = create_app(PlayerOptions(deck=SAMPLES / "tour.md", theme="dark", watch=False, sync=False))
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.press("question_mark")
        assert app.screen.query_one("#help").styles.background == Color.parse("#262626")
        await pilot.press("escape", "s")
        pane = app.query_one("#presenter")
        assert pane.styles.background == Color.parse("#121212")
        assert app.query_one("#notes").styles.color == Color.parse("#ffffff")


async def test_a_slide_class_look_leaves_with_its_slide(write: WriteFiles) -> None:
    """A deck rule for a slide class colours that slide only, whichever way the talk goes."""
    deck = write({"deck.md": "!custom_css x.tcss\n# One\n\nfirst words\n---\n"
                             "!slide_classes hot\n# Two\n\nhot words\n---\n"
                             "# Three\n\nthird words\n",
                  "x.tcss": "#slide.hot { background: #aa0000; }\n"})  # fmt: skip
    app = create_app(PlayerOptions(deck=deck, theme="dark", watch=False, sync=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.main_screen.query_one(SlideView)
        assert look_of(app, "first words") == ("#1c1c1c", False)
        await pilot.press("right")
        assert look_of(app, "hot words") == ("#aa0000", False)
        assert view.styles.background == Color.parse("#aa0000")
        await pilot.press("right")
        assert look_of(app, "third words") == ("#1c1c1c", False)
        assert view.styles.background == Color.parse("#1c1c1c")
        await pilot.press("home")
        assert look_of(app, "first words") == ("#1c1c1c", False)


async def test_the_tours_closing_slide_alone_is_bold() -> None:
    """The tour's `.closing` rule makes its last slide bold, and only that one."""
    app = create_app(PlayerOptions(deck=SAMPLES / "tour.md", theme="dark", watch=False,
                                   sync=False, images="none"))  # fmt: skip
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert look_of(app, "Presentations that play")[1] is False
        await pilot.press("end")
        assert look_of(app, "Now write your own")[1] is True
        await pilot.press("home")
        assert look_of(app, "Presentations that play")[1] is False
        await pilot.press("right")
        assert look_of(app, "Write Markdown")[1] is False


@pytest.mark.parametrize("name", ["light", "high-contrast", "prexent"])
async def test_a_tall_slide_scrolls_up_and_down_only(name: str, write: WriteFiles) -> None:
    """A slide taller than the screen uses every row for its lines: no sideways scrollbar."""
    items = "".join(f"- item {n}\n" for n in range(1, 41))
    deck = write({"deck.md": f"# Tall\n\n{items}\n---\n# Short\n"})
    app = create_app(PlayerOptions(deck=deck, theme=name, watch=False, sync=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rows = screen_text(app).splitlines()
        last = max(i for i, row in enumerate(rows) if "item" in row)
        below = rows[last + 1]
        assert "more below" in below or below.strip().startswith("╰"), "the slide's edge"
        view = app.main_screen.query_one(SlideView)
        assert view.show_vertical_scrollbar and not view.show_horizontal_scrollbar
        await pilot.press("right")
        assert not view.show_vertical_scrollbar and not view.show_horizontal_scrollbar
        assert "more below" not in screen_text(app)


def notices_on_screen(app: object) -> str:
    """The words of the notices on the screen (toasts, drawn after a `▌` on the right)."""
    rows = [row.rsplit("▌", 1)[1] for row in screen_text(app).splitlines() if "▌" in row]
    return " ".join(" ".join(rows).split())


BAD_STYLESHEETS = {
    "unclosed.tcss": (
        "#slide {\n  background: #aa0000;\n",
        "unclosed.tcss:3: Unexpected end of file. Did you forget a '}'?",
    ),
    "unknown.tcss": (
        "#slide { colour: red; }\n",
        "unknown.tcss:1: Invalid CSS property 'colour'. Did you mean 'color'?",
    ),
    "[b]markup[/].tcss": (
        "#slide { color: [/]; }\n",
        "[b]markup[/].tcss:1: Expected rule value or end of declaration (found '[/]'). "
        "Did you forget a semicolon at the end of a line?",
    ),
    "nested.tcss": ("Screen {" * 20_000, "nested.tcss:1: brackets nested more than 32 deep"),
    "nested.css": (
        ".x { color: " + "(" * 50_000 + " }\n",
        "nested.css:1: brackets nested more than 32 deep",
    ),
    "huge.tcss": (
        "#slide { background: #aa0000; }\n" * 9_000,
        "huge.tcss: 282 KiB, larger than the 256 KiB a stylesheet may be",
    ),
    "huge.css": (
        ".x { color: red; }\n" * 60_000,
        "huge.css: 1.1 MiB, larger than the 1 MiB a stylesheet may be",
    ),
}


@pytest.mark.parametrize("name", BAD_STYLESHEETS)
async def test_a_bad_deck_stylesheet_is_left_out_with_a_notice(
    name: str, write: WriteFiles
) -> None:
    """Broken, hostile or huge: the talk starts on its slide without it, and says so."""
    css, message = BAD_STYLESHEETS[name]
    deck = write({"deck.md": f"!custom_css {name}\n# One\n\nfirst words\n---\n# Two\n",
                  name: css})  # fmt: skip
    app = create_app(PlayerOptions(deck=deck, theme="dark", watch=False, sync=False))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert "first words" in screen_text(app)
        assert f"{message} (playing without it)" in notices_on_screen(app)
        assert look_of(app, "first words")[0] == "#1c1c1c", "the theme's look, not the sheet's"
        await pilot.press("right")
        assert "Two" in screen_text(app)


async def test_a_broken_save_keeps_the_last_good_look_and_the_overlays(write: WriteFiles) -> None:
    deck = write({"deck.md": "!custom_css look.tcss\n# One\n\nfirst words\n---\n# Two\n",
                  "look.tcss": "#slide { background: #aa0000; }\n"})  # fmt: skip
    sheet = deck.parent / "look.tcss"
    app = create_app(PlayerOptions(deck=deck, theme="dark", watch=False, sync=False))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert look_of(app, "first words")[0] == "#aa0000"
        sheet.write_text("#slide { background: #00aa00;\n")
        await reload_deck(app)
        await pilot.pause()
        assert look_of(app, "first words")[0] == "#aa0000", "the last good look stays"
        assert (
            "look.tcss:2: Unexpected end of file. Did you forget a '}'? "
            "(keeping its last good version)"
        ) in notices_on_screen(app)
        await pilot.press("question_mark")
        assert "prexterm keys" in screen_text(app)
        await pilot.press("escape", "o")
        assert "filter by number or text" in screen_text(app)
        await pilot.press("escape", "slash", "T", "w", "o", "enter")
        assert "search “Two”: 1/1" in screen_text(app)
        await pilot.press("escape", "home")
        sheet.write_text("#slide { background: #00aa00; }\n")
        await reload_deck(app)
        await pilot.pause()
        assert look_of(app, "first words")[0] == "#00aa00", "a good save shows at once"


async def test_a_broken_web_stylesheet_save_keeps_its_last_good_rules(write: WriteFiles) -> None:
    deck = write({"deck.md": "!custom_css look.css\n# One\n\nfirst words\n",
                  "look.css": ".slide { background-color: #aa0000 }\n"})  # fmt: skip
    app = create_app(PlayerOptions(deck=deck, theme="dark", watch=False, sync=False))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert look_of(app, "first words")[0] == "#aa0000"
        (deck.parent / "look.css").write_text(".slide { color: " + "[" * 40 + " }\n")
        await reload_deck(app)
        await pilot.pause()
        assert look_of(app, "first words")[0] == "#aa0000"
        assert (
            "look.css:1: brackets nested more than 32 deep (keeping its last good version)"
        ) in notices_on_screen(app)

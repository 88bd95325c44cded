"""A deck's Textual CSS goes into the running app's stylesheet and out again."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.color import Color
from textual.widgets import Static

from prexterm.app.css_sources import put_css, take_css

RED = "#slide { background: red; }"
BLUE = "#slide { background: blue; }"


class _Stage(App[None]):
    """One widget to style, as a slide is."""

    def compose(self) -> ComposeResult:
        yield Static("slide", id="slide")


def _background(app: App[Any]) -> Color:
    return app.query_one("#slide").styles.background


async def test_css_put_in_applies_and_taken_out_no_longer_does() -> None:
    app = _Stage()
    async with app.run_test() as pilot:
        before = _background(app)
        put_css(app, "/deck/look.tcss", RED, 2)
        app.refresh_css(animate=False)
        await pilot.pause()
        assert _background(app) == Color.parse("red")

        put_css(app, "/deck/look.tcss", BLUE, 2)
        app.refresh_css(animate=False)
        await pilot.pause()
        assert _background(app) == Color.parse("blue"), "a saved file replaces its rules"

        take_css(app, "/deck/look.tcss")
        app.refresh_css(animate=False)
        await pilot.pause()
        assert _background(app) == before


async def test_taking_out_css_never_added_changes_nothing() -> None:
    app = _Stage()
    async with app.run_test() as pilot:
        put_css(app, "/deck/look.tcss", RED, 2)
        take_css(app, "/deck/other.tcss")
        app.refresh_css(animate=False)
        await pilot.pause()
        assert _background(app) == Color.parse("red")
        assert not app.stylesheet.has_source("/deck/other.tcss")


async def test_css_put_in_before_the_app_runs_joins_its_first_parse() -> None:
    app = _Stage()
    put_css(app, "/deck/look.tcss", RED, 2)
    async with app.run_test():
        assert _background(app) == Color.parse("red")

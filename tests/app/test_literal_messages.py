"""Deck text in the player's messages and overlays is shown as written, never as markup.

A hostile deck names files like `[/x]` (not valid markup: read as markup it ended the
talk) or `[@click=app.quit]x[/]` (valid: read as markup it became a button and showed
only `x`). Every message must show the brackets, and the player must go on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events

from prexterm.app.factory import create_app
from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp
from tests.conftest import WriteFiles, screen_text, wait_for

SIZE = (100, 30)
CLICK = "[@click=app.quit]x[/]"
BROKEN = "[/x]"


def app_for(deck: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> PlayerApp:
    """A player of `deck`, run from the deck's folder so messages name it `deck.md`."""
    monkeypatch.chdir(deck.parent)
    return create_app(PlayerOptions(deck=deck, watch=False, **options))  # type: ignore[arg-type]


def toasts(screen: str) -> str:
    """The text of the screen's notifications, their wrapped lines joined by spaces."""
    rows = [row.rsplit("▌", 1)[1].strip() for row in screen.splitlines() if "▌" in row]
    return " ".join(row for row in rows if row)


@pytest.mark.parametrize("name", [f"{BROKEN}bad.tcss", f"{CLICK}.tcss"])
async def test_a_broken_stylesheet_with_markup_in_its_name_is_named_literally(
    name: str, write: WriteFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad_css = "Screen { color: nope; }"
    deck = write({"deck.md": f"!custom_css {name}\n# One\n\nhello\n", name: bad_css})
    app = app_for(deck, monkeypatch)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await wait_for(lambda: "Style problem" in screen_text(app))
        screen = screen_text(app)
        # The message names the whole path, which may wrap anywhere: compare without spaces.
        assert f"{name}:" in toasts(screen).replace(" ", "")
        assert app.is_running
        assert "hello" in screen


@pytest.mark.parametrize("name", [f"{BROKEN}gone.css", f"{CLICK}.css"])
async def test_a_refused_stylesheet_with_markup_in_its_name_is_named_literally(
    name: str, write: WriteFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write({"talk/deck.md": f"!custom_css ../{name}\n# One\n\nhello\n", name: "x {}\n"})
    app = app_for(deck, monkeypatch)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await wait_for(lambda: "Not used" in screen_text(app))
        told = toasts(screen_text(app))
        assert f"deck.md:1: refused: ../{name} resolves outside" in told
        assert app.is_running


async def test_a_runner_with_markup_is_named_literally_when_x_refuses_it(
    write: WriteFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write({"deck.md": f"# Code\n\n!code demo.py python {CLICK}\n", "demo.py": "print(1)\n"})
    app = app_for(deck, monkeypatch, allow_exec=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await wait_for(lambda: "runner not found" in screen_text(app))
        assert f"runner not found: {CLICK}" in toasts(screen_text(app))
        await pilot.press("x")  # the would-be button is text: the talk goes on
        await pilot.pause()
        assert app.is_running


async def test_control_characters_in_a_message_are_shown_as_stand_ins(
    write: WriteFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write({"deck.md": "# One\n"})
    app = app_for(deck, monkeypatch)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        app.notify("cannot read a\x1b]0;PWNED\x07b.css", title=f"{CLICK}\x1b[31m")
        await pilot.pause()
        told = toasts(screen_text(app))
        assert "cannot read a␛]0;PWNED␇b.css" in told
        assert f"{CLICK}␛[31m" in told


async def test_overview_and_search_show_a_title_with_markup_literally(
    write: WriteFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write({"deck.md": f"# One {CLICK} [b]bold[/b]\n---\n# Two {BROKEN}\n"})
    app = app_for(deck, monkeypatch)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await wait_for(lambda: f"Two {BROKEN}" in screen_text(app))
        assert f"One {CLICK} [b]bold[/b]" in screen_text(app)
        await pilot.press("escape", "slash", *"[/x]", "enter")
        await wait_for(lambda: app.number == 2)
        screen = screen_text(app)
        assert f"Two {BROKEN}" in screen
        assert app.is_running


async def test_a_refused_stylesheet_is_told_once_and_a_missing_one_left_to_check(
    write: WriteFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write(
        {
            "talk/deck.md": (
                "!global_background gone.png\n!custom_css missing.css\n!custom_css ../x.tcss\n"
                "# One\n\nhello\n---\n# Two\n"
            ),
            "x.tcss": "Screen { }\n",
            "y.tcss": "Screen { }\n",
        }
    )
    app = app_for(deck, monkeypatch)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await wait_for(lambda: "Not used" in screen_text(app))
        told = toasts(screen_text(app))
        assert told.count("Not used") == 1, "one notification says it all"
        assert "deck.md:3: refused: ../x.tcss resolves outside" in told
        assert "missing.css" not in told and "gone.png" not in told, "missing is check's news"
        app.clear_notifications()
        await pilot.press("n")
        await pilot.pause()
        assert "Not used" not in screen_text(app), "not again on every slide"
        deck.write_text(deck.read_text() + "!custom_css ../y.tcss\n")
        await pilot.press("r")
        # A save that brings in a refused file is refused whole: the last good deck stays.
        await wait_for(lambda: "refused: ../y.tcss" in toasts(screen_text(app)))
        told = toasts(screen_text(app))
        assert "deck.md:9: refused: ../y.tcss resolves outside" in told
        assert "../x.tcss" not in told, "only what is new"


@pytest.mark.parametrize(
    ("key", "character"), [("o", "o"), ("question_mark", "?"), ("b", "b"), ("slash", "/")]
)
async def test_a_key_typed_right_after_quit_changes_nothing(
    key: str, character: str, write: WriteFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write({"deck.md": "# One\n\ntext\n---\n# Two\n"})
    app = app_for(deck, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Both keys at once, as fast fingers send them: the second arrives while quitting.
        app.post_message(events.Key("q", "q"))
        app.post_message(events.Key(key, character))
        await wait_for(lambda: not app.is_running)
    assert app.return_code == 0
    assert len(app.screen_stack) <= 1, "no overlay was opened on the way out"


async def test_a_deck_name_with_control_characters_shows_stand_ins_in_the_status_line(
    write: WriteFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "a\x1b]0;PWNED\x07b.md"
    deck = write({name: "# One\n"})
    app = app_for(deck, monkeypatch, presenter=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        deck.unlink()
        await pilot.press("r")
        await wait_for(lambda: "reload failed" in screen_text(app))
        status = next(row for row in screen_text(app).splitlines() if "reload failed" in row)
        assert "a␛]0;PWNED␇b.md: no such file" in status
        assert "\x1b" not in screen_text(app)


async def test_a_stylesheet_with_an_undefined_variable_is_told_and_the_talk_goes_on(
    write: WriteFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write({"deck.md": "!custom_css look.tcss\n# One\n\nhello\n",
                  "look.tcss": "Screen { background: $nope; }\n"})  # fmt: skip
    app = app_for(deck, monkeypatch)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await wait_for(lambda: "Style problem" in screen_text(app))
        told = toasts(screen_text(app)).replace(" ", "")
        assert "look.tcss:1:referencetoundefinedvariable'$nope'" in told.lower()
        assert app.is_running and "hello" in screen_text(app)

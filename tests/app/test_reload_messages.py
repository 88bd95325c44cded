"""What a failed reload says on screen: the toast and the status line tell the same story."""

from __future__ import annotations

from pathlib import Path

import pytest

from prexterm.app.factory import create_app
from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp
from tests.conftest import WriteFiles, screen_text, wait_for

SIZE = (100, 30)
DECK = "# One\n\nhello\n---\n# Two\n"


def app_for(deck: Path, monkeypatch: pytest.MonkeyPatch) -> PlayerApp:
    """A player of `deck`, run from the deck's folder so messages name it `deck.md`."""
    monkeypatch.chdir(deck.parent)
    return create_app(PlayerOptions(deck=deck, watch=False))


async def reload_and_read(app: PlayerApp, pilot: object) -> str:
    """Press `r`, wait for the failure to be shown, and read the whole screen."""
    await pilot.press("r")  # type: ignore[attr-defined]
    await wait_for(lambda: "Reload failed" in screen_text(app))
    return screen_text(app)


async def test_invalid_utf8_save_says_the_last_good_version_is_shown(
    write: WriteFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write({"deck.md": DECK})
    app = app_for(deck, monkeypatch)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        deck.write_bytes(b"# One\n\nhel\xff\xfelo\n---\n# Two\n")
        screen = await reload_and_read(app, pilot)
        rows = screen.splitlines()
        assert "replacement" not in screen
        assert "\ufffd" not in screen, "the broken text is not what is shown"
        assert "hello" in screen, "the last good version stays"
        toast = rows.index(next(r for r in rows if r.strip().endswith("Reload failed")))
        assert rows[toast + 1].strip(" ▌") == "deck.md:3: invalid UTF-8 at byte offset 10"
        assert rows[toast + 2].strip(" ▌") == "showing the last good version"
        status = rows[-1].strip()
        assert status.startswith(
            "reload failed, showing the last good version: "
            "deck.md:3: invalid UTF-8 at byte offset 10"
        )
        assert status.endswith("1/2")


async def test_a_vanished_deck_says_the_last_good_version_is_shown(
    write: WriteFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write({"deck.md": DECK})
    app = app_for(deck, monkeypatch)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        deck.unlink()
        screen = await reload_and_read(app, pilot)
        assert "deck.md: no such file" in screen
        assert "error:" not in screen
        assert (
            screen.splitlines()[-1]
            .strip()
            .startswith("reload failed, showing the last good version: deck.md: no such file")
        )


async def test_deck_text_in_a_failed_reload_is_never_markup(
    write: WriteFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write({"deck.md": DECK})
    app = app_for(deck, monkeypatch)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        deck.write_text("# One\n\nhello\n!include [/x][b]bold.md\n---\n# Two\n")
        screen = await reload_and_read(app, pilot)
        rows = [row.strip(" ▌") for row in screen.splitlines()]
        toast = rows.index("Reload failed")
        assert rows[toast + 1 : toast + 4] == [
            "deck.md:4: Included file not found:",
            "[/x][b]bold.md",
            "showing the last good version",
        ]

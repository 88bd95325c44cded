"""Live reload with real files written while the player runs."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from prexterm.app.factory import create_app
from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp
from tests.conftest import WriteFiles, screen_text, settle, wait_for

SIZE = (100, 30)


def app_for(deck: Path, *, watch: bool = True, slide: int = 1) -> PlayerApp:
    return create_app(PlayerOptions(deck=deck, watch=watch, slide=slide))


def save(path: Path, text: str | bytes) -> None:
    data = text.encode() if isinstance(text, str) else text
    path.write_bytes(data)


def save_by_rename(path: Path, text: str) -> None:
    """How many editors save: write a temporary file beside it, then rename it over."""
    temp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    temp.write_text(text)
    os.replace(temp, path)


DECK = "# One\n---\n# Two\n---\n# Three\n---\n# Four\n"


async def test_saving_the_current_slide_shows_the_edit(write: WriteFiles) -> None:
    deck = write({"deck.md": DECK})
    app = app_for(deck, slide=2)
    async with app.run_test(size=SIZE):
        base = await settle(app)
        save(deck, DECK.replace("# Two", "# Two, edited"))
        await wait_for(lambda: app.reloads == base + 1)
        assert app.number == 2
        assert app.slide is not None and app.slide.title == "Two, edited"


async def test_edit_elsewhere_moves_to_first_changed_slide(write: WriteFiles) -> None:
    deck = write({"deck.md": DECK})
    app = app_for(deck, slide=1)
    async with app.run_test(size=SIZE):
        base = await settle(app)
        save_by_rename(deck, DECK.replace("# Three", "# Three, edited"))
        await wait_for(lambda: app.reloads == base + 1)
        assert app.number == 3


async def test_slide_number_is_clamped_when_slides_vanish(write: WriteFiles) -> None:
    deck = write({"deck.md": DECK})
    app = app_for(deck, slide=4)
    async with app.run_test(size=SIZE):
        base = await settle(app)
        save(deck, "# Only\n")
        await wait_for(lambda: app.reloads == base + 1)
        assert app.number == 1
        assert "1/1" in str(app.query_one("#footer").render())


async def test_included_file_and_code_file_reload(write: WriteFiles) -> None:
    deck = write({"deck.md": "# A\n!include part.md\n!code run.py\n", "part.md": "part one\n",
                  "run.py": "print(1)\n"})  # fmt: skip
    app = app_for(deck)
    async with app.run_test(size=SIZE):
        base = await settle(app)
        save(deck.parent / "part.md", "part two\n")
        await wait_for(lambda: app.reloads == base + 1)
        assert app.slide is not None and "part two" in app.slide.markdown
        save(deck.parent / "run.py", "print(2)\n")
        await wait_for(lambda: app.reloads == base + 2)
        code = [b for b in app.slide.blocks if hasattr(b, "code")]
        assert code[0].code == "print(2)\n"  # type: ignore[attr-defined]


async def test_broken_save_keeps_last_good_deck_until_fixed(write: WriteFiles) -> None:
    deck = write({"deck.md": DECK, "a.md": "a\n"})
    app = app_for(deck, slide=2)
    async with app.run_test(size=SIZE):
        base = await settle(app)
        save(deck, b"# One\n---\n# Two \xff\xfe broken\n")
        await wait_for(lambda: app.reload_problem is not None)
        assert "invalid UTF-8" in app.reload_problem  # type: ignore[operator]
        assert len(app.deck.slides) == 4, "the last good deck stays"
        assert "reload failed" in str(app.query_one("#status").render())
        save(deck, "# One\n!include a.md\n---\n!include deck.md\n")
        await wait_for(lambda: "include cycle" in (app.reload_problem or ""))
        deck.unlink()
        await wait_for(lambda: "no such file" in (app.reload_problem or ""))
        save(deck, DECK.replace("# Four", "# Four, fixed"))
        await wait_for(lambda: app.reloads == base + 1)
        assert app.reload_problem is None
        assert app.number == 4
        assert "reload failed" not in str(app.query_one("#status").render())


async def test_burst_of_saves_ends_on_final_content(write: WriteFiles) -> None:
    deck = write({"deck.md": DECK})
    app = app_for(deck)
    async with app.run_test(size=SIZE):
        await settle(app)
        for i in range(20):
            if i % 2:
                save_by_rename(deck, DECK + f"---\n# Burst {i}\n")
            else:
                save(deck, DECK + f"---\n# Burst {i}\n")
            await asyncio.sleep(0.05)
        await wait_for(lambda: app.slide is not None and app.deck.slides[-1].title == "Burst 19")
        assert app.reload_problem is None


async def test_manual_reload_key(write: WriteFiles) -> None:
    deck = write({"deck.md": DECK})
    shown = asyncio.Event()

    class Player(PlayerApp):
        def first_slide_shown(self) -> None:
            shown.set()

    app = create_app(PlayerOptions(deck=deck, watch=False), base=Player)
    async with app.run_test(size=SIZE) as pilot:
        await asyncio.wait_for(shown.wait(), timeout=5)  # when a watcher would start
        save(deck, DECK.replace("# One", "# Uno"))
        watching = [worker for worker in app.workers if worker.group == "watch"]
        assert watching == [] and app.reloads == 0, "no watcher: nothing happens by itself"
        await pilot.press("r")
        await wait_for(lambda: app.reloads == 1)
        assert app.deck.slides[0].title == "Uno"
        save(deck, DECK)
        await pilot.press("ctrl+r")
        await wait_for(lambda: app.reloads == 2)
        assert app.deck.slides[0].title == "One"


async def test_reload_key_says_when_the_deck_is_unchanged(write: WriteFiles) -> None:
    deck = write({"deck.md": DECK})
    app = app_for(deck, watch=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("r")
        await wait_for(lambda: app.reloads == 1)
        await pilot.pause()
        assert "deck unchanged" in screen_text(app)
        app.clear_notifications()
        save(deck, DECK.replace("# One", "# Uno"))
        await pilot.press("r")
        await wait_for(lambda: app.reloads == 2)
        await pilot.pause()
        assert "Uno" in screen_text(app)
        assert "deck unchanged" not in screen_text(app)


async def test_a_save_that_empties_the_deck_says_so_until_slides_return(
    write: WriteFiles,
) -> None:
    deck = write({"deck.md": DECK})
    app = app_for(deck, slide=2)
    async with app.run_test(size=SIZE) as pilot:
        base = await settle(app)
        save(deck, "")
        await wait_for(lambda: app.reloads == base + 1)
        await pilot.pause()
        shown = screen_text(app)
        assert "the deck is empty" in shown
        assert "Two" not in shown, "the old slide is gone"
        assert "0/0" in shown
        save(deck, "# Back again\n\nwith text\n")
        await wait_for(lambda: app.reloads == base + 2)
        await pilot.pause()
        shown = screen_text(app)
        assert "Back again" in shown and "with text" in shown
        assert "the deck is empty" not in shown
        assert "1/1" in shown


async def test_an_empty_deck_at_start_says_so(write: WriteFiles) -> None:
    deck = write({"deck.md": "\n"})
    app = app_for(deck, watch=False)
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.press("right", "space", "pageup", "end")
        assert "the deck is empty" in screen_text(app)


async def test_reload_key_after_a_stylesheet_edit_does_not_say_unchanged(
    write: WriteFiles,
) -> None:
    deck = write({"deck.md": "!custom_css look.tcss\n" + DECK, "look.tcss": "#slide { }\n"})
    app = app_for(deck, watch=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        save(deck.parent / "look.tcss", "#slide { text-style: bold; }\n")
        await pilot.press("r")
        await wait_for(lambda: app.reloads == 1)
        await pilot.pause()
        assert "deck unchanged" not in screen_text(app)

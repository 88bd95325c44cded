"""The help and overview overlays, read off the screen at the sizes people present at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from prexterm.app.factory import create_app
from prexterm.app.keys import KEY_GROUPS, keys_text
from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp
from prexterm.app.screens import HelpScreen, OverviewScreen
from tests.conftest import SEED_DECK, WriteFiles, screen_text, wait_for

FIRST = KEY_GROUPS[0][1][0]
LAST = KEY_GROUPS[-1][1][-1]


def seed_app(slide: int = 1, *, ascii_only: bool = False) -> PlayerApp:
    return create_app(PlayerOptions(deck=SEED_DECK, slide=slide, watch=False, ascii=ascii_only))


CELL = 12.2
"""Width of one terminal cell in Textual's screenshots, in their units."""


def screen_rows(app: PlayerApp) -> list[str]:
    """The screen as rows of cells: like `screen_text`, but each piece of text stands in
    its own column, so that what lines up on screen lines up here."""
    import html

    svg = app.export_screenshot()
    rows: dict[float, dict[int, str]] = {}
    for x, y, text in re.findall(
        r'<text[^>]*?x="([\d.]+)" y="([\d.]+)"[^>]*clip-path[^>]*>(.*?)</text>', svg
    ):
        rows.setdefault(float(y), {})[round(float(x) / CELL)] = html.unescape(text)
    lines = []
    for _, pieces in sorted(rows.items()):
        line = ""
        for column, piece in sorted(pieces.items()):
            line = line.ljust(column) + piece.replace("\xa0", " ").rstrip("\n")
        lines.append(line)
    return lines


# -- help ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_help_shows_the_whole_key_table(size: tuple[int, int]) -> None:
    app = seed_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        lines = [line.strip() for line in screen_rows(app)]
        for group, rows in KEY_GROUPS:
            assert any(re.search(rf"│ {group} +│", line) for line in lines), group
            for row in rows:
                keys = keys_text(row.keys)
                assert any(
                    re.search(rf"│ {re.escape(keys)} +{re.escape(row.meaning)} +│", line)
                    for line in lines
                ), (keys, row.meaning)
        assert "prexterm keys" in lines[0] if size == (80, 24) else True
        assert any("Escape or ? closes" in line for line in lines)


@pytest.mark.parametrize("size", [(60, 20), (40, 12)])
async def test_help_scrolls_when_the_terminal_is_small(size: tuple[int, int]) -> None:
    app = seed_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Navigation" in text
        assert keys_text(FIRST.keys) in text
        assert FIRST.meaning in text
        assert keys_text(LAST.keys) not in text, "the table is taller than the terminal"
        await pilot.press("end")
        # Scrolling may glide: wait for it to arrive.
        await wait_for(lambda: keys_text(LAST.keys) in screen_text(app))
        text = screen_text(app)
        assert "edit the selected block" in text
        assert keys_text(FIRST.keys) not in text
        await pilot.press("home")
        await wait_for(lambda: keys_text(FIRST.keys) in screen_text(app))


@pytest.mark.parametrize("key", ["escape", "question_mark"])
async def test_help_closes(key: str) -> None:
    app = seed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
        assert "Navigation" not in screen_text(app)


@pytest.mark.parametrize(
    ("key", "would_show"), [("s", "not started"), ("slash", "search"), ("b", "")]
)
async def test_keys_that_work_the_talk_screen_do_nothing_under_the_help(
    key: str, would_show: str
) -> None:
    """`s`, `/` and `b` run on the screen on top: over the help they reach the help, which
    has none of them, and the slide under it is as it was once the help closes."""
    app = seed_app()
    async with app.run_test(size=(100, 30)) as pilot:
        before = screen_text(app)
        await pilot.press("question_mark", key)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        after = screen_text(app)
        assert after == before
        if would_show:
            assert would_show not in after
            await pilot.press(key)
            await wait_for(lambda: would_show in screen_text(app))
        else:
            await pilot.press(key)
            await wait_for(lambda: "Made with Prexent" not in screen_text(app))


# -- overview ------------------------------------------------------------------------------


async def test_overview_wraps_titles_under_the_title() -> None:
    app = seed_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        lines = screen_rows(app)
        first = next(i for i, line in enumerate(lines) if "1  For about a year now" in line)
        column = lines[first].index("For about")
        follow = lines[first + 1]
        assert follow[column:].startswith("strategy that consists"), follow
        assert not follow[:column].strip("│ "), "nothing under the number"


async def test_overview_says_photo_once() -> None:
    app = seed_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o", "2", "6")
        await pilot.pause()
        row = next(line for line in screen_rows(app) if re.search(r"│ 26  \S", line))
        assert row.count("photo") == 1, row
        assert "▣ photo" in row
        await pilot.press("backspace", "backspace", *"many contacts")
        await pilot.pause()
        lines = screen_rows(app)
        first = next(i for i, line in enumerate(lines) if re.search(r"│ 25  Many contacts", line))
        assert "▣ photo" in lines[first + 1], "the mark follows the title"


async def test_overview_says_when_nothing_matches() -> None:
    app = seed_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o", *"zebra")
        await pilot.pause()
        assert "no match" in screen_text(app)
        await pilot.press("enter")
        assert isinstance(app.screen, OverviewScreen), "Enter on no match stays"
        await pilot.press(*["backspace"] * 5)
        await pilot.pause()
        assert "no match" not in screen_text(app)


@pytest.mark.parametrize("key", ["escape", "tab", "o"])
@pytest.mark.parametrize("opener", ["o", "tab"])
async def test_overview_closes_by_what_opens_it(opener: str, key: str) -> None:
    app = seed_app(3)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(opener)
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("down", key)
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
        assert app.number == 3
        assert "type to filter" not in screen_text(app)


async def test_overview_o_in_a_filter_is_a_letter() -> None:
    app = seed_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o", *"co-op")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        assert "co-op" in screen_text(app)
        assert 1 in app.screen.shown


async def test_overview_is_usable_at_40x12() -> None:
    app = seed_app(5)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        lines = screen_rows(app)
        assert any("type to filter" in line for line in lines)
        numbered = [line for line in lines if re.match(r"^\s*\d+  \S", line)]
        assert len(numbered) >= 8, lines
        assert any(line.lstrip().startswith("5  Work") for line in numbered)
        await pilot.press(*"enthus")
        await pilot.pause()
        assert any("23  " in line for line in screen_rows(app))
        await pilot.press("enter")
        assert app.number == 23


# -- ASCII only ----------------------------------------------------------------------------

ASCII_DECK = """\
!header Plain talk !footer Plain footer
# First slide

Plain words only.
!comment A note for the speaker.
-
# Second slide with a title long enough to wrap in the overview of a narrow terminal

- one
- two
"""


def chrome_problems(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.isascii()]


async def test_ascii_overlays_draw_only_ascii(write: WriteFiles) -> None:
    deck = write({"talk.md": ASCII_DECK})
    app = create_app(PlayerOptions(deck=deck, watch=False, ascii=True))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        text = screen_text(app)
        assert "type to filter" in text and "First slide" in text
        assert not chrome_problems(text), chrome_problems(text)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Navigation" in text and "Right  l  j" in text
        assert not chrome_problems(text), chrome_problems(text)
        await pilot.press("escape")
        await pilot.resize_terminal(100, 30)
        await pilot.press("o")
        await pilot.pause()
        text = screen_text(app)
        assert "First slide" in text
        assert not chrome_problems(text), chrome_problems(text)


@pytest.mark.parametrize("size", [(130, 30), (80, 24)])
async def test_ascii_chrome_around_the_slide(write: WriteFiles, size: tuple[int, int]) -> None:
    """The presenter pane (beside the slide, or below it), notifications and the status
    line: all ASCII, borders included."""
    deck = write({"talk.md": ASCII_DECK})
    options = PlayerOptions(deck=deck, watch=False, ascii=True, presenter=True, duration=600)
    app = create_app(options)
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.press("x")
        await pilot.press("1", "2")
        await pilot.pause()
        text = screen_text(app)
        assert "no code to run" in text, text
        assert "go to slide 12..." in text
        assert "left - " in text, "the pace line"
        assert "|" in text, "the pane's border, drawn as ASCII"
        assert not chrome_problems(text), chrome_problems(text)
        await pilot.press("escape", "right", "slash", *"zebra", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "no match" in text
        assert not chrome_problems(text), chrome_problems(text)


async def test_ascii_code_output_and_editor(write: WriteFiles) -> None:
    deck = write({"talk.md": "# Code\n!code hi.py\n", "hi.py": "print('hi')\n"})
    options = PlayerOptions(deck=deck, watch=False, ascii=True, allow_exec=True, kill_after=0.5)
    app = create_app(options)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        await wait_for(lambda: "Escape closes" in screen_text(app))
        text = screen_text(app)
        assert "exited normally - Escape closes" in text, text
        assert not chrome_problems(text), chrome_problems(text)
        await pilot.press("escape", "e")
        await pilot.pause()
        text = screen_text(app)
        assert "print('hi')" in text and "+----" in text
        assert not chrome_problems(text), chrome_problems(text)


def test_key_table_stays_ascii_for_ascii_terminals() -> None:
    for _, rows in KEY_GROUPS:
        for row in rows:
            assert keys_text(row.keys, ascii_only=True).isascii()
            assert row.meaning.isascii()


def test_readme_shows_the_key_table() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Keys\n", 1)[1].split("\n## ", 1)[0]
    shown = re.findall(r"^\*\*(\w+)\*\*$|^\| (.+?) \| (.+?) \|$", section, re.MULTILINE)
    expected: list[tuple[str, str, str]] = []
    for group, rows in KEY_GROUPS:
        expected.append((group, "", ""))
        expected.append(("", "keys", "what they do"))
        expected.extend(("", keys_text(row.keys, sep=", "), row.meaning) for row in rows)
    assert [s for s in shown if s[1] != "---"] == expected

"""Live code through the player: real programs, run only when allowed, edited on stage."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

import pytest
from rich.style import Style
from textual.widgets import TextArea

from prexterm.app.code_stage import EXEC_DISABLED
from prexterm.app.factory import create_app
from prexterm.app.live_code import OutputPanel
from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp
from prexterm.app.slide_view import SlideView
from tests.conftest import WriteFiles, reload_deck, screen_text, settle, wait_for

SIZE = (100, 30)

HELLO = "import sys, time\nprint('hello', flush=True)\ntime.sleep(0.05)\n" \
    "print('oops', file=sys.stderr, flush=True)\n"  # fmt: skip


def app_for(deck: Path, **extra: object) -> PlayerApp:
    options = PlayerOptions(deck=deck, watch=False, kill_after=0.5, **extra)  # type: ignore[arg-type]
    return create_app(options)


def code_deck(write: WriteFiles, code: str = HELLO, extra: str = "") -> Path:
    return write({"deck.md": f"# Live\n!code hello.py\n{extra}---\n# Next\n", "hello.py": code})


def output_shown(app: PlayerApp) -> bool:
    """Whether the output panel is on screen (it is mounted for the first run)."""
    found = app.query(OutputPanel)
    return bool(found) and found.first().display


def panel_text(app: PlayerApp) -> str:
    found = app.query(OutputPanel)
    run = found.first().run if found else None
    return "\n".join(text for _, text in run.lines) if run else ""


async def test_running_is_disabled_by_default(write: WriteFiles) -> None:
    app = app_for(code_deck(write))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await pilot.pause()
        assert app.runner.run_for((1, 0)) is None
        assert any(EXEC_DISABLED in str(n.message) for n in app._notifications)


async def test_run_streams_output_with_kinds_and_exit_status(write: WriteFiles) -> None:
    app = app_for(code_deck(write), allow_exec=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(lambda: (r := app.runner.run_for((1, 0))) is not None and not r.running)
        run = app.runner.run_for((1, 0))
        assert run is not None
        assert list(run.lines) == [("out", "hello"), ("err", "oops"), ("status", "exited normally")]
        assert output_shown(app)
        await pilot.pause(0.1)
        assert "exited normally" in screen_text(app)


async def test_output_belongs_to_its_slide_and_escape_stops_then_closes(write: WriteFiles) -> None:
    loop = "import time\nfor i in range(1000):\n    print(i, flush=True)\n    time.sleep(0.05)\n"
    app = app_for(code_deck(write, loop), allow_exec=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(lambda: "3" in panel_text(app))
        await pilot.press("right")
        assert not output_shown(app)
        await asyncio.sleep(0.2)
        await pilot.press("left")
        assert output_shown(app)
        run = app.runner.run_for((1, 0))
        assert run is not None and run.running, "still streaming after navigating away"
        await pilot.press("escape")
        await wait_for(lambda: not run.running)
        assert run.status_text == "stopped"
        assert output_shown(app)
        await pilot.press("escape")
        assert not output_shown(app)
        assert app.runner.run_for((1, 0)) is None


async def test_exit_status_and_rerun(write: WriteFiles) -> None:
    app = app_for(code_deck(write, "import sys\nprint('x')\nsys.exit(3)\n"), allow_exec=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(lambda: (r := app.runner.run_for((1, 0))) is not None and not r.running)
        first = app.runner.run_for((1, 0))
        assert first is not None and first.status_text == "exited with status 3"
        await pilot.press("x")
        await wait_for(lambda: (r := app.runner.run_for((1, 0))) is not first and r is not None
                       and not r.running)  # fmt: skip


async def test_missing_runner_is_a_clear_message(write: WriteFiles) -> None:
    deck = write({"deck.md": "!code a.py python no-such-runner-xyz\n", "a.py": "print(1)\n"})
    app = app_for(deck, allow_exec=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(
            lambda: any(
                "runner not found: no-such-runner-xyz" in str(n.message) for n in app._notifications
            )
        )


async def test_tab_selects_between_code_blocks(write: WriteFiles) -> None:
    deck = write({"deck.md": "!code a.py\n!code b.sh\n", "a.py": "print('A')\n",
                  "b.sh": "echo B\n"})  # fmt: skip
    app = app_for(deck, allow_exec=True)
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(SlideView)
        assert view.selected_code == 0
        await pilot.press("tab")
        assert view.selected_code == 1
        await pilot.press("x")
        await wait_for(lambda: (r := app.runner.run_for((1, 1))) is not None and not r.running)
        run = app.runner.run_for((1, 1))
        assert run is not None and ("out", "B") in run.lines
        await pilot.press("shift+tab")
        assert view.selected_code == 0
        assert not output_shown(app), "block A has no run yet"


async def test_editing_runs_the_edit_and_survives_navigation(write: WriteFiles) -> None:
    deck = code_deck(write, "print('original')\n")
    code_file = deck.parent / "hello.py"
    app = app_for(deck, allow_exec=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        editor = app.query_one("#editor", TextArea)
        assert editor.display and editor.has_focus
        editor.load_text("print('edited')\n")
        await pilot.press("escape")
        assert not editor.display
        await pilot.press("right", "left")
        await pilot.press("x")
        await wait_for(lambda: (r := app.runner.run_for((1, 0))) is not None and not r.running)
        assert ("out", "edited") in app.runner.run_for((1, 0)).lines  # type: ignore[union-attr]
        assert code_file.read_text() == "print('original')\n", "nothing written without Ctrl+S"
        lines = [app.query_one(SlideView).render_line(y).text for y in range(20)]
        assert any("edited" in line for line in lines), "the slide shows the edit"


async def test_ctrl_s_saves_atomically_keeping_the_mode(write: WriteFiles) -> None:
    deck = code_deck(write, "print('original')\n")
    code_file = deck.parent / "hello.py"
    os.chmod(code_file, 0o751)
    deck_bytes = deck.read_bytes()
    app = app_for(deck)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        app.query_one("#editor", TextArea).load_text("print('saved')\n")
        await pilot.press("ctrl+s")
        assert code_file.read_text() == "print('saved')\n"
        assert stat.S_IMODE(code_file.stat().st_mode) == 0o751
        assert sorted(p.name for p in deck.parent.iterdir()) == ["deck.md", "hello.py"]
        assert deck.read_bytes() == deck_bytes
        assert any("saved hello.py" in str(n.message) for n in app._notifications)


async def test_quitting_ends_every_program(write: WriteFiles) -> None:
    marker = "61.424242"
    script = f"sleep {marker} &\nsleep {marker} &\nwait\n"
    deck = write({"deck.md": "!code s.sh\n", "s.sh": script})
    app = app_for(deck, allow_exec=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(lambda: len(_processes_with(marker)) == 2)
        await pilot.press("q")
        await pilot.pause()
    await wait_for(lambda: not _processes_with(marker), timeout=5)


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (entry / "stat").read_text().split(") ", 1)[1][0]
        except OSError:
            continue
        if marker in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


async def test_flood_keeps_the_player_responsive(write: WriteFiles) -> None:
    """A program printing as fast as it can must not starve the player's event loop.

    (Pilot waits for the whole process to be idle after each key, which a flood never
    is, so the loop's own responsiveness is measured here; `bench/code.py` measures
    key-to-screen latency under flood in a real terminal.)
    """
    app = app_for(code_deck(write, "while True:\n    print('y' * 40)\n"), allow_exec=True)
    async with app.run_test(size=SIZE):
        app.main_screen.action_run_code()
        await wait_for(lambda: len(panel_text(app)) > 1000)
        loop = asyncio.get_running_loop()
        gaps: list[float] = []
        last = loop.time()
        for i in range(40):
            await asyncio.sleep(0.01)
            now = loop.time()
            gaps.append(now - last)
            last = now
            app.action_next() if i % 2 == 0 else app.action_previous()
        assert app.number == 1
        run = app.runner.run_for((1, 0))
        assert run is not None and run.running and len(run.lines) <= 5000
        assert run.dropped > 0, "the flood went past the 5,000 kept lines"
        assert max(gaps) < 0.4, f"the event loop stalled for {max(gaps) * 1000:.0f} ms"


async def test_edits_survive_a_reload_of_unrelated_files(write: WriteFiles) -> None:
    deck = write({"deck.md": "# Live\n!code hello.py\n!include other.md\n",
                  "hello.py": "print('original')\n", "other.md": "first\n"})  # fmt: skip
    app = create_app(PlayerOptions(deck=deck, watch=True, sync=False))
    async with app.run_test(size=SIZE) as pilot:
        base = await settle(app)
        await pilot.press("e")
        app.query_one("#editor", TextArea).load_text("print('edited')\n")
        await pilot.press("escape")
        (deck.parent / "other.md").write_text("second\n")
        await wait_for(lambda: app.reloads == base + 1)
        assert app.slide is not None and "second" in app.slide.markdown
        lines = [app.query_one(SlideView).render_line(y).text for y in range(20)]
        assert any("edited" in line for line in lines)
        await pilot.press("e")
        assert app.query_one("#editor", TextArea).text == "print('edited')\n"


async def test_a_click_selects_a_code_block(write: WriteFiles) -> None:
    deck = write({"deck.md": "!code a.py\n\n!code b.sh\n", "a.py": "print('A')\n",
                  "b.sh": "echo B\n"})  # fmt: skip
    app = app_for(deck)
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(SlideView)
        rows = [view.render_line(y).text for y in range(view.size.height)]
        row_b = next(y for y, row in enumerate(rows) if "b.sh" in row)
        column = rows[row_b].index("b.sh")
        await pilot.click(SlideView, offset=(column, row_b + 1))
        assert view.selected_code == 1
        assert app.number == 1, "a click on code selects it, it does not turn the page"
        row_a = next(y for y, row in enumerate(rows) if "a.py" in row)
        await pilot.click(SlideView, offset=(rows[row_a].index("a.py"), row_a + 1))
        assert view.selected_code == 0


async def test_long_code_scrolls_inside_its_panel(write: WriteFiles) -> None:
    code = "".join(f"print('line {n}')\n" for n in range(1, 61))
    deck = write({"deck.md": "# Long\n!code long.py\n", "long.py": code})
    app = app_for(deck)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(SlideView)

        def shown() -> str:
            return "\n".join(view.render_line(y).text for y in range(view.size.height))

        assert "line 1'" in shown() and "line 60'" not in shown()
        assert "of 60" in shown(), "the panel says which lines it shows"
        assert view.max_scroll_y == 0, "the panel fits the slide"
        await pilot.press(*["down"] * 46)
        assert "line 60'" in shown() and "line 1'" not in shown()
        await pilot.press(*["up"] * 46)
        assert "line 1'" in shown()


async def test_the_output_steps_aside_for_the_editor(write: WriteFiles) -> None:
    """While editing, every code line shows whole: no output panel, no tiny box over them.

    A save (Ctrl+S) reloads the deck through the file watcher; the reload must not bring
    the panel back over the editor. Closing the editor brings it back at its full size.
    """
    deck = code_deck(write)
    app = app_for(deck, allow_exec=True)
    code = HELLO.splitlines()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(lambda: (r := app.runner.run_for((1, 0))) is not None and not r.running)
        await pilot.pause()
        assert "Escape closes" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        rows = screen_text(app).splitlines()
        assert not any("Escape closes" in row for row in rows)
        assert all(any(line in row for row in rows) for line in code), "\n".join(rows)
        await pilot.press("ctrl+s")
        await reload_deck(app)
        await pilot.pause()
        rows = screen_text(app).splitlines()
        assert not any("Escape closes" in row for row in rows)
        assert all(any(line in row for row in rows) for line in code), "\n".join(rows)
        await pilot.press("escape")
        await pilot.pause()
        screen = screen_text(app)
        assert "Escape closes" in screen and "oops" in screen
        panel, view = app.query_one(OutputPanel), app.query_one(SlideView)
        assert panel.region.width == view.region.width * 3 // 5
        assert panel.region.bottom == view.region.bottom


HOSTILE = (
    "import sys\n"
    "w = sys.stdout.write\n"
    "w('\\x1b]0;pwned title\\x07\\x1b]52;c;cm0gLXJmIH4K\\x07\\x1b[2J\\x1b[H')\n"
    "w('plain \\x1b[31mred\\x1b[0m \\x1b[1;32mgreen\\x1b[0m end\\n')\n"
    "sys.stderr.write('\\x1b]8;;file:///etc/passwd\\x1b\\\\oops\\x1b]8;;\\x1b\\\\\\n')\n"
)


def panel_rows(app: PlayerApp) -> list[list[tuple[str, Style]]]:
    """The output panel as drawn: per row, its segments' text and style."""
    panel = app.query_one(OutputPanel)
    return [
        [(seg.text, seg.style or Style()) for seg in panel.render_line(y)]
        for y in range(panel.size.height)
    ]


def colour_of(rows: list[list[tuple[str, Style]]], word: str) -> str | None:
    """The colour `word` is drawn in, inside the panel (not its title in the top border)."""
    for row in rows[1:]:
        for text, style in row:
            if word in text:
                return style.color.get_truecolor().hex if style.color else None
    raise AssertionError(f"{word!r} is not in the panel")


async def test_output_colours_show_and_no_escape_gets_through(write: WriteFiles) -> None:
    app = app_for(code_deck(write, HOSTILE), allow_exec=True, theme="prexent")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(lambda: (r := app.runner.run_for((1, 0))) is not None and not r.running)
        await pilot.pause(0.1)
        rows = panel_rows(app)
        drawn = "\n".join("".join(text for text, _ in row) for row in rows)
        assert "plain red green end" in drawn
        assert "oops" in drawn
        assert "\x1b" not in drawn and "\x07" not in drawn
        assert "pwned" not in drawn and "cm0g" not in drawn and "passwd" not in drawn
        assert colour_of(rows, "red") == "#800000", "SGR 31 is the terminal's red"
        assert colour_of(rows, "green") == "#008000"
        assert colour_of(rows, "plain") == "#cccccc", "uncoloured text keeps the panel's colour"
        assert not any(style.link for row in rows for _, style in row), "no hyperlink"
        assert "exited normally" in screen_text(app)


@pytest.mark.parametrize(
    ("theme", "out", "err", "background"),
    [
        ("dark", "#d0d0d0", "#ff5f5f", "#303030"),
        ("light", "#d0d0d0", "#ff8787", "#3a3a3a"),
        ("prexent", "#cccccc", "#cc1111", "#444444"),
    ],
)
async def test_the_panel_takes_the_themes_output_colours(
    write: WriteFiles, theme: str, out: str, err: str, background: str
) -> None:
    app = app_for(code_deck(write), allow_exec=True, theme=theme)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(lambda: (r := app.runner.run_for((1, 0))) is not None and not r.running)
        await pilot.pause(0.1)
        rows = panel_rows(app)
        assert colour_of(rows, "hello") == out
        assert colour_of(rows, "oops") == err
        backgrounds = {
            style.bgcolor.get_truecolor().hex
            for row in rows
            for _, style in row
            if style.bgcolor is not None
        }
        assert backgrounds == {background}, "the panel and the rows below its text"


def colours_of(rows: list[list[tuple[str, Style]]], *, frame: bool) -> set[tuple[str, str]]:
    """The (colour, background) pairs of the panel's frame, or of what stands inside it."""
    found = set()
    for y, row in enumerate(rows):
        x = 0
        for text, style in row:
            edge = y in (0, len(rows) - 1) or x == 0 or x + len(text) == sum(len(t) for t, _ in row)
            if text.strip() and edge == frame:
                colour = style.color.get_truecolor().hex if style.color else "-"
                background = style.bgcolor.get_truecolor().hex if style.bgcolor else "-"
                found.add((colour, background))
            x += len(text)
    return found


async def run_and_read_panel(app: PlayerApp) -> list[list[tuple[str, Style]]]:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(lambda: (r := app.runner.run_for((1, 0))) is not None and not r.running)
        await pilot.pause(0.1)
        return panel_rows(app)


@pytest.mark.parametrize("ascii_only", [False, True])
async def test_the_whole_panel_is_drawn_in_the_themes_colours(
    write: WriteFiles, ascii_only: bool
) -> None:
    """Frame, title and the rows under the output take the theme's `output` colours, in
    ASCII too: nothing of the panel keeps a grey of its own."""
    for theme, out, background in (("high-contrast", "#ffffff", "#1c1c1c"),
                                   ("light", "#d0d0d0", "#3a3a3a")):  # fmt: skip
        app = app_for(code_deck(write), allow_exec=True, theme=theme, ascii=ascii_only)
        rows = await run_and_read_panel(app)
        drawn = "\n".join("".join(text for text, _ in row) for row in rows)
        assert ("+-" if ascii_only else "╭─") in drawn and "hello.py" in drawn
        assert colours_of(rows, frame=True) == {(out, background)}, theme
        assert {bg for _, bg in colours_of(rows, frame=False)} == {background}, theme
        backgrounds = {
            style.bgcolor.get_truecolor().hex for row in rows for _, style in row if style.bgcolor
        }
        assert backgrounds == {background}, theme


async def test_the_mono_theme_panel_has_no_colour_at_all(write: WriteFiles) -> None:
    app = app_for(code_deck(write), allow_exec=True, theme="mono")
    rows = await run_and_read_panel(app)
    styles = [style for row in rows for text, style in row if text]
    assert any("hello" in text for row in rows for text, _ in row)
    assert all(style.color is None or style.color.is_default for style in styles)
    assert all(style.bgcolor is None or style.bgcolor.is_default for style in styles)
    assert any(style.reverse for row in rows for text, style in row if "hello" in text)


async def test_without_colour_a_programs_colours_are_dropped_and_its_bold_kept(
    write: WriteFiles,
) -> None:
    app = app_for(code_deck(write, HOSTILE), allow_exec=True, theme="mono")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_for(lambda: (r := app.runner.run_for((1, 0))) is not None and not r.running)
        await pilot.pause(0.1)
        rows = panel_rows(app)
        plain = colour_of(rows, "plain")
        assert colour_of(rows, "red") == plain, "no colour of its own"
        assert colour_of(rows, "green") == plain
        assert any("green" in text and style.bold for row in rows for text, style in row)


async def test_an_edited_slide_shows_each_reload_of_its_text(write: WriteFiles) -> None:
    """Every reload makes new slides; one may take the place in memory of an older one,
    and the slide with the edits must still be the new text, never an older one."""
    deck = write({"deck.md": "# Take 0\n!code hello.py\n", "hello.py": "print('original')\n"})
    app = app_for(deck)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(lambda: "Take 0" in screen_text(app))
        await pilot.press("e")
        app.query_one("#editor", TextArea).load_text("print('edited')\n")
        await pilot.press("escape")
        for take in range(1, 13):
            deck.write_text(f"# Take {take}\n!code hello.py\n", encoding="utf-8")
            await pilot.press("r")
            await pilot.pause()
            shown = screen_text(app)
            assert f"Take {take}" in shown, f"reload {take} shows its own title"
            assert "edited" in shown

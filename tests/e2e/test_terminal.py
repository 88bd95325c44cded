"""End to end: the installed `prexterm` command in a real terminal (tmux), as a user meets it.

Pilot tests cannot see what only a terminal shows: whether the alternate screen is left and
the cursor comes back on exit, what the exit status is, whether a resize keeps the talk
where it was, and which escape sequences reach the screen. Each test gets its own tmux
server, starts the command found on PATH (so packaging mistakes show up here too), and
waits for text on screen instead of sleeping, so it is as fast as the machine allows.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal
from tests.e2e.tmux import Terminal, sgr_parameters

REPO = Path(__file__).resolve().parents[2]
SEED_DECK = REPO / "samples" / "kigali.md"

HEADER = "FACTTIC in Kigali 2019"
FOOTER = "Made with Prexent"
SLIDES = 40

BOX_DRAWING = re.compile(r"[\u2500-\u259f]")
"""Box drawing (U+2500–U+257F) and block elements (U+2580–U+259F)."""

pytestmark = NEEDS_TERMINAL


def play(terminal: Terminal, *args: str, env: dict[str, str] | None = None) -> None:
    """Start the installed command with `args`, from the repository root."""
    assert PREXTERM is not None
    terminal.start([PREXTERM, *args], cwd=REPO, env=env)


def position(number: int, count: int = SLIDES) -> str:
    """The footer's `N/M` as it stands after the footer text."""
    return f"| {number}/{count}"


def wait_slide(terminal: Terminal, number: int, *texts: str, count: int = SLIDES) -> str:
    """Wait until the footer shows slide `number` and the slide shows all of `texts`.

    The footer alone is not enough: the frame can be drawn a moment before the slide.
    """
    wanted = (position(number, count), *texts)
    return terminal.wait_until(
        lambda screen: all(text in screen for text in wanted), " and ".join(map(repr, wanted))
    )


def slide_rows(screen: str) -> list[str]:
    """The rows between the header and the progress line: the slide itself."""
    return screen.splitlines()[1:-2]


# -- the talk at a comfortable size ------------------------------------------------------


def test_frame_shows_header_footer_and_position(open_terminal: OpenTerminal) -> None:
    terminal = open_terminal(100, 30)
    play(terminal, str(SEED_DECK))
    screen = wait_slide(terminal, 1, "For about a year now")
    assert HEADER in screen
    assert f"{FOOTER} {position(1)}" in screen


def test_navigation_by_number_end_and_home(open_terminal: OpenTerminal) -> None:
    terminal = open_terminal(100, 30)
    play(terminal, str(SEED_DECK))
    terminal.wait_for(position(1))

    terminal.send("2", "5", "Enter")
    # Slide 25 is the photo-title slide: its text becomes a spaced-out title.
    wait_slide(terminal, 25, "MANY CONTACTS")

    terminal.send("Right")
    screen = wait_slide(terminal, 26, "photo")
    rows = slide_rows(screen)
    assert any(re.search(r"\bphoto\b", row) for row in rows), screen
    assert any("╭" in row for row in rows) and any("╰" in row for row in rows), screen
    assert HEADER in screen

    terminal.send("End")
    wait_slide(terminal, 40, "We can continue creating our own spaces")

    terminal.send("End")
    terminal.send("Home")
    wait_slide(terminal, 1, "For about a year now")


def test_resize_keeps_the_slide(open_terminal: OpenTerminal) -> None:
    terminal = open_terminal(100, 30)
    play(terminal, str(SEED_DECK))
    terminal.wait_for(position(1))
    terminal.send("1", "2", "Enter")
    wait_slide(terminal, 12, "We set up")

    terminal.resize(40, 12)
    screen = terminal.wait_until(
        lambda s: len(s.splitlines()) == 12 and position(12) in s and "We set up" in s,
        "a 40×12 frame on 12/40",
    )
    assert all(len(row) <= 40 for row in screen.splitlines())

    terminal.resize(100, 30)
    # At 100 columns the slide's first sentence fits on one row again.
    screen = wait_slide(terminal, 12, HEADER, "We set up an articulated communication strategy")
    assert any(row.rstrip().endswith(f"{FOOTER} {position(12)}") for row in screen.splitlines())


def test_quit_restores_the_terminal(open_terminal: OpenTerminal) -> None:
    terminal = open_terminal(100, 30)
    play(terminal, str(SEED_DECK))
    terminal.wait_for(position(1))
    assert terminal.display("#{alternate_on}") == "1", "the player draws on the alternate screen"

    terminal.send("q")
    assert terminal.exit_status() == 0
    screen = terminal.wait_gone(FOOTER)
    assert HEADER not in screen and "For about a year now" not in screen
    assert terminal.display("#{alternate_on}") == "0", "the alternate screen was not left"
    assert terminal.display("#{cursor_flag}") == "1", "the cursor was left hidden"


# -- failures and odd terminals ---------------------------------------------------------


def test_missing_deck_is_one_line_and_status_2(open_terminal: OpenTerminal) -> None:
    terminal = open_terminal(100, 30)
    play(terminal, "no-such-deck.md")
    assert terminal.exit_status() == 2
    screen = terminal.wait_for("no-such-deck.md")
    printed = [row for row in screen.splitlines() if row.strip()]
    assert len(printed) == 1, screen
    assert "Traceback" not in screen
    assert terminal.display("#{alternate_on}") == "0"


def test_smallest_supported_terminal_plays(open_terminal: OpenTerminal) -> None:
    terminal = open_terminal(20, 6)
    play(terminal, str(SEED_DECK))
    screen = terminal.wait_for("For about a")
    assert "too small" not in screen
    assert "FACTTIC" in screen
    terminal.send("End")
    terminal.wait_for("We can")
    terminal.send("q")
    assert terminal.exit_status() == 0


def test_smallest_supported_terminal_keeps_the_slide_number(open_terminal: OpenTerminal) -> None:
    terminal = open_terminal(20, 6)
    play(terminal, str(SEED_DECK))
    terminal.wait_for("For about a")
    terminal.wait_for("1/40", timeout=3)
    terminal.send("End")
    terminal.wait_for("40/40", timeout=3)


def test_too_small_terminal_says_so_and_recovers(open_terminal: OpenTerminal) -> None:
    terminal = open_terminal(15, 5)
    play(terminal, str(SEED_DECK))
    screen = terminal.wait_until(
        lambda s: "terminal too small" in " ".join(s.split()), "'terminal too small'"
    )
    assert "Traceback" not in screen
    terminal.resize(100, 30)
    terminal.wait_for(position(1))
    terminal.send("q")
    assert terminal.exit_status() == 0


def test_ascii_draws_no_box_characters(open_terminal: OpenTerminal) -> None:
    terminal = open_terminal(100, 30)
    play(terminal, "--ascii", str(SEED_DECK))
    screen = wait_slide(terminal, 1, "For about a year now")
    assert not BOX_DRAWING.findall(screen), screen
    assert "•" not in screen

    terminal.send("2", "6", "Enter")
    screen = wait_slide(terminal, 26, "photo")
    assert any(re.search(r"\bphoto\b", row) for row in slide_rows(screen)), screen
    assert not BOX_DRAWING.findall(screen), sorted(set(BOX_DRAWING.findall(screen)))


def test_no_color_draws_without_colour(open_terminal: OpenTerminal) -> None:
    terminal = open_terminal(100, 30)
    play(terminal, str(SEED_DECK), env={"NO_COLOR": "1"})
    screen = terminal.wait_for(position(1), timeout=5)
    assert "Traceback" not in screen
    rows = slide_rows(terminal.screen(escapes=True))
    text_rows = [row for row in rows if re.sub(r"\x1b\[[0-9;:]*m", "", row).strip()]
    assert text_rows, "the slide shows no text"
    colours = [
        params
        for row in text_rows
        for params in sgr_parameters(row)
        if re.search(r"(^|;)(38|48)[;:]", params)
    ]
    assert not colours, f"colour escapes on the slide: {sorted(set(colours))}"
    terminal.send("q")
    assert terminal.exit_status() == 0


def test_bundled_tour_plays_without_a_deck(open_terminal: OpenTerminal) -> None:
    terminal = open_terminal(100, 30)
    play(terminal)
    screen = terminal.wait_until(lambda s: re.search(r"\b1/\d+", s) is not None, "'1/N'")
    assert "prexterm" in screen
    terminal.send("Right")
    terminal.wait_until(lambda s: re.search(r"\b2/\d+", s) is not None, "'2/N'")
    terminal.send("q")
    assert terminal.exit_status() == 0


def test_a_first_code_slide_gets_its_colours(open_terminal: OpenTerminal, tmp_path: Path) -> None:
    """A first slide of code shows in colour in a real terminal, with no key pressed."""
    deck = tmp_path / "code.md"
    deck.write_text("## Code first\n\n```python\nvalue = compute(0)  # a note\n```\n")
    terminal = open_terminal(100, 30)
    play(terminal, str(deck))

    def foreground_colours(screen: str) -> set[str]:
        row = next((line for line in screen.splitlines() if "compute" in line), "")
        return {
            params
            for params in sgr_parameters(row)
            if re.search(r"(^|;)(3[0-7]|9[0-7]|38)", params)
        }

    terminal.wait_until(
        lambda _: len(foreground_colours(terminal.screen(escapes=True))) >= 4,
        "the code line in several colours",
    )
    terminal.send("q")
    assert terminal.exit_status() == 0

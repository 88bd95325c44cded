"""The screen contract: what a presenter reads, in a real terminal, at the sizes people use.

Each test runs the installed `prexterm` in tmux and reads the screen as a person would:
the tour's first slide, the help's key table, the overview's titles, a search match, the
presenter's note in full, a blank screen, a centred photo and a notes view whose clock
agrees with the presenter's. They run at 100x30, 80x24 and 60x20, in true colour and in
the 16 colours of `TERM=screen` (tmux's own default), because a screen that works in one
of them and not in another is still a broken screen.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from prexterm.app.keys import KEY_GROUPS
from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal
from tests.e2e.tmux import Terminal

REPO = Path(__file__).resolve().parents[2]
TOUR = REPO / "samples" / "tour.md"
SEED_DECK = REPO / "samples" / "kigali.md"
TOUR_SLIDES = 23

SIZES = [(100, 30), (80, 24), (60, 20)]
COLOURS = {
    "truecolor": {"TERM": "xterm-256color", "COLORTERM": "truecolor"},
    "16-colours": {"TERM": "screen"},
}

SEED_NOTE = "Building relationships based on trust to collaborate on technological projects."

pytestmark = NEEDS_TERMINAL


def flat(screen: str) -> str:
    """The screen as one line of words: wrapped text reads as it would aloud."""
    return " ".join(screen.split())


def play(
    terminal: Terminal, *args: str, env: dict[str, str], runtime: dict[str, str] | None = None
) -> None:
    """Start the installed command with `args` from the repository root."""
    assert PREXTERM is not None
    terminal.start([PREXTERM, *args], cwd=REPO, env={**env, **(runtime or {})})


def footer_position(number: int, count: int = TOUR_SLIDES) -> str:
    return f"{number}/{count}"


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def size(request: pytest.FixtureRequest) -> tuple[int, int]:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(params=list(COLOURS))
def colours(request: pytest.FixtureRequest) -> dict[str, str]:
    return COLOURS[request.param]


def test_the_tour_reads_from_first_slide_to_overlays(
    open_terminal: OpenTerminal, size: tuple[int, int], colours: dict[str, str]
) -> None:
    """One walk through the tour: first slide, blank, help, overview and search."""
    terminal = open_terminal(*size)
    play(terminal, str(TOUR), env=colours)
    screen = terminal.wait_until(
        lambda s: "prexterm" in s and footer_position(1) in s, "the tour's first slide"
    )
    assert "Presentations that play in your terminal" in flat(screen)

    # Blank: nothing of the slide is left, and the same key brings it back.
    terminal.send("b")
    terminal.wait_gone("Presentations that play")
    assert terminal.screen().strip() == ""
    terminal.send("b")
    terminal.wait_for("Presentations that play")

    # Help: the key table from its first row to its last, scrolled where it does not fit.
    first_row = KEY_GROUPS[0][1][0].meaning
    last_row = KEY_GROUPS[-1][1][-1].meaning
    terminal.send("?")
    screen = terminal.wait_for("Navigation")
    assert first_row in screen, screen
    if last_row not in screen:
        terminal.send("End")
        terminal.wait_for(last_row)
    terminal.send("Escape")
    terminal.wait_gone("prexterm keys")

    # Overview: the slides' titles, to jump to.
    terminal.send("o")
    screen = terminal.wait_for("A deck is a text file")
    assert "Text styles" in screen
    terminal.send("Escape")
    terminal.wait_gone("Text styles")

    # Search: Enter finds the slide that holds the words.
    terminal.send("/")
    terminal.wait_for("▔▔▔")  # the search line is open: what is typed now goes there
    terminal.send("-l", "another quote")
    terminal.send("Enter")
    screen = terminal.wait_for(footer_position(7))
    assert "A quote can hold another quote" in flat(screen)

    terminal.send("Escape")
    time.sleep(0.3)  # a key right behind Escape would read as Alt+key
    terminal.send("q")
    assert terminal.exit_status() == 0


def test_the_presenter_reads_the_whole_note(
    open_terminal: OpenTerminal, size: tuple[int, int], colours: dict[str, str]
) -> None:
    """The seed's first note, whole, in the pane beside or below the slide."""
    terminal = open_terminal(*size)
    play(terminal, "--presenter", str(SEED_DECK), env=colours)
    terminal.wait_until(lambda s: "1/40" in s, "the seed deck")
    screen = terminal.wait_until(lambda s: SEED_NOTE in flat(s), "the whole note")
    # The slide is still there for the presenter to see.
    assert "For about a year now" in flat(screen)


def picture_columns(screen: str) -> tuple[int, int, int]:
    """The first and last columns holding half blocks, and the screen's width."""
    rows = screen.splitlines()
    width = max(len(row) for row in rows)
    columns = [i for row in rows for i, char in enumerate(row) if char in "▀▄█"]
    assert columns, screen
    return min(columns), max(columns), width


def test_a_portrait_photo_stands_in_the_middle(
    open_terminal: OpenTerminal,
    size: tuple[int, int],
    colours: dict[str, str],
    tmp_path: Path,
) -> None:
    """The blank columns left and right of a narrow photo differ by one at most."""
    from PIL import Image

    picture = Image.new("RGB", (300, 800), (200, 60, 40))
    for y in range(800):
        for x in range(0, 300, 30):
            picture.putpixel((x, y), (20, 20, 160))
    picture.save(tmp_path / "portrait.png")
    deck = tmp_path / "photo.md"
    deck.write_text("!slide_background portrait.png\n", encoding="utf-8")

    terminal = open_terminal(*size)
    play(terminal, str(deck), env=colours)
    screen = terminal.wait_until(lambda s: "▀" in s or "▄" in s, "the picture")
    first, last, _ = picture_columns(screen)
    width = size[0]
    left, right = first, width - 1 - last
    assert abs(left - right) <= 1, f"margins {left} and {right}:\n{screen}"
    assert last - first < width - 4, "a portrait picture is narrower than the slide"


ELAPSED = re.compile(r"(\d+):(\d\d) elapsed")


def elapsed_seconds(screen: str) -> int:
    found = ELAPSED.search(screen)
    assert found, screen
    return int(found.group(1)) * 60 + int(found.group(2))


def test_the_notes_view_keeps_the_presenters_clock(
    open_terminal: OpenTerminal, runtime: dict[str, str]
) -> None:
    """A notes view started late shows the talk's elapsed time, not its own."""
    env = COLOURS["truecolor"]
    presenter = open_terminal(100, 30)
    play(presenter, "--presenter", str(SEED_DECK), env=env, runtime=runtime)
    presenter.wait_for("1/40")
    presenter.send("Right")
    presenter.wait_until(lambda s: "2/40" in s and ELAPSED.search(s) is not None, "the clock")

    time.sleep(3)
    notes = open_terminal(100, 30)
    play(notes, "notes", str(SEED_DECK), env=env, runtime=runtime)
    notes_screen = notes.wait_until(
        lambda s: "2/40" in s and ELAPSED.search(s) is not None, "the notes view on slide 2"
    )
    presenter_screen = presenter.screen()
    assert abs(elapsed_seconds(notes_screen) - elapsed_seconds(presenter_screen)) <= 2
    assert elapsed_seconds(notes_screen) >= 3

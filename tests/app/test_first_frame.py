"""The first frame comes quickly, and what it left for later comes right after it."""

from __future__ import annotations

from pathlib import Path

from prexterm.app.player import languages_shown
from prexterm.core.parser import load_deck
from tests.conftest import fresh_python

# Run in a fresh process: which Pygments lexers are built is shared by a whole process,
# and a test before this one may have built Python's already.
FIRST_FRAME_OF_CODE = """
import asyncio
from pathlib import Path
from prexterm.app.factory import create_app
from prexterm.app.slide_view import SlideView
from prexterm.options import PlayerOptions

drawings = []
layout = SlideView._layout_lines

def record(view):
    layout(view)
    code = [strip for strip in view._strips if "compute" in strip.text]
    colours = {
        segment.style.color.name
        for strip in code
        for segment in strip
        if any(c.isalnum() for c in segment.text) and segment.style and segment.style.color
    }
    if code:
        drawings.append((sorted(view.waiting_for), len(colours)))

SlideView._layout_lines = record

async def main():
    app = create_app(PlayerOptions(deck=Path(DECK), watch=False, animate=False))
    app.code_plain_on_first_frame = PLAIN
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(250):
            if drawings and not drawings[-1][0]:
                break
            await pilot.pause(0.02)
    for waiting, colours in drawings:
        print(",".join(waiting) or "-", colours)

asyncio.run(main())
"""


def drawings(deck: Path, *, plain: bool) -> list[tuple[str, int]]:
    code = FIRST_FRAME_OF_CODE.replace("DECK", repr(str(deck))).replace("PLAIN", repr(plain))
    rows = [line.split() for line in fresh_python(code).splitlines()]
    return [(waiting, int(colours)) for waiting, colours in rows]


def code_deck(tmp_path: Path) -> Path:
    deck = tmp_path / "deck.md"
    deck.write_text("## Code first\n\n```python\nvalue = compute(0)  # a note\n```\n")
    return deck


def test_a_first_code_slide_shows_before_its_highlighter_is_built_then_in_colour(
    tmp_path: Path,
) -> None:
    shown = drawings(code_deck(tmp_path), plain=True)
    assert shown[0] == ("python", 1), "the first frame shows the code in one colour"
    assert shown[-1][0] == "-", "drawn again once the highlighter is built"
    assert shown[-1][1] > 1, "and then the code has its colours"


def test_without_the_switch_the_first_frame_waits_for_the_highlighter(tmp_path: Path) -> None:
    shown = drawings(code_deck(tmp_path), plain=False)
    assert shown[0][0] == "-"
    assert shown[0][1] > 1


def test_the_languages_a_deck_shows_are_found_for_warming_up(tmp_path: Path) -> None:
    (tmp_path / "hello.py").write_text("print('hello')\n")
    deck = tmp_path / "deck.md"
    deck.write_text(
        "```rust\nfn main() {}\n```\n---\n!code hello.py\n---\n~~~ sql\nselect 1\n~~~\n"
        "---\nNo code here, only `inline` code.\n"
    )
    assert list(languages_shown(load_deck(deck).slides)) == ["rust", "python", "sql"]

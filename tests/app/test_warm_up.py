"""The highlighters a deck needs are built ahead, off the UI thread, from its languages."""

from __future__ import annotations

from pathlib import Path

from prexterm.app.draw_ahead import languages_shown
from prexterm.core.parser import load_deck


def test_the_languages_a_deck_shows_are_found_for_warming_up(tmp_path: Path) -> None:
    (tmp_path / "hello.py").write_text("print('hello')\n")
    deck = tmp_path / "deck.md"
    deck.write_text(
        "```rust\nfn main() {}\n```\n---\n!code hello.py\n---\n~~~ sql\nselect 1\n~~~\n"
        "---\nNo code here, only `inline` code.\n"
    )
    assert list(languages_shown(load_deck(deck).slides)) == ["rust", "python", "sql"]

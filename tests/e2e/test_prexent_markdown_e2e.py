"""End to end: a deck written for Prexent's browser view reads on screen as it did there.

Its authors put `<br />` alone on a line between a heading and a picture or a quote,
wrote tables without a delimiter row, and `[Google] [1]` reference links. The audience
must see the picture, the quote, the table and the link, never their Markdown.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal
from tests.e2e.tmux import Terminal

pytestmark = NEEDS_TERMINAL

DECK = """\
!slide_classes title-slide
# Erlang in production
<br />
![Erlang logo](img/erlang_logo.png)
---
## Resilience
<br>
> "things will go wrong"

Plan your **strategies**.
---
## States

| Texas | TX |
| Maine | ME |

###\u00a0Sources
Search with [Google] [1].

[1]: https://google.com
---
## Errors
Text before
!include missing.md
Text after
"""

RAW = ("![", "<br", "> ", "**", "] [", "###", "| Texas")
"""Markdown and HTML syntax that must never reach the audience of this deck."""


def play(terminal: Terminal, folder: Path) -> None:
    deck = folder / "talk.md"
    deck.write_text(DECK, encoding="utf-8")
    assert PREXTERM is not None
    terminal.start([PREXTERM, str(deck)], cwd=folder)


def slide(terminal: Terminal, number: int, text: str) -> list[str]:
    """The rows of slide `number` once `text` is on it, trailing blanks removed."""
    terminal.wait_until(lambda s: f"{number}/4" in s and text in s, f"slide {number}: {text!r}")
    return terminal.lines()


def row_of(rows: list[str], text: str) -> int:
    return next(index for index, row in enumerate(rows) if text in row)


def test_a_prexent_deck_shows_no_markdown_to_the_audience(
    open_terminal: OpenTerminal, tmp_path: Path
) -> None:
    terminal = open_terminal(80, 24)
    play(terminal, tmp_path)

    rows = slide(terminal, 1, "Erlang in production")
    title = row_of(rows, "Erlang in production")
    picture = row_of(rows, "Erlang logo")
    assert picture > title + 3, "an empty line for the <br />, then the picture"
    assert not any(raw in row for row in rows for raw in RAW), "\n".join(rows)

    terminal.send("Right")
    rows = slide(terminal, 2, "Resilience")
    assert rows[row_of(rows, "things will go wrong")].strip() == '│ "things will go wrong"'
    assert "Plan your strategies." in "\n".join(rows)
    assert not any(raw in row for row in rows for raw in RAW), "\n".join(rows)

    terminal.send("Right")
    rows = slide(terminal, 3, "Texas")
    texas, maine = row_of(rows, "Texas"), row_of(rows, "Maine")
    assert maine == texas + 1, "two data rows, no header rule between them"
    assert rows[texas].strip() == "│ Texas │ TX │"
    assert "Search with Google (https://google.com)." in "\n".join(rows)
    assert row_of(rows, "Sources") > maine
    assert not any(raw in row for row in rows for raw in RAW), "\n".join(rows)

    terminal.send("Right")
    rows = slide(terminal, 4, "Included file not found: missing.md")
    before, error, after = (
        row_of(rows, text) for text in ("Text before", "Included file not found", "Text after")
    )
    assert before < error < after, "the error block stands where its directive stood"

    terminal.send("q")
    assert terminal.exit_status() == 0

"""End to end: the installed player draws columns, aligned text and the slide transition
in a real terminal, at three sizes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal

pytestmark = NEEDS_TERMINAL

DECK = """\
# Code and words

<!-- column_layout: [3, 2] -->
<!-- column: 0 -->
```python
def greet(name):
    return name
```
<!-- column: 1 -->
Greets whoever is named.
---
<!-- new_lines: 2 -->
Only words, lower down.
---
<!-- alignment: right -->
Words on the right
"""


@pytest.mark.parametrize(
    ("width", "height", "beside"), [(100, 30, True), (80, 24, True), (44, 16, False)]
)
def test_columns_aligned_text_and_the_transition_on_screen(
    open_terminal: OpenTerminal, tmp_path: Path, width: int, height: int, beside: bool
) -> None:
    assert PREXTERM is not None
    deck = tmp_path / "talk.md"
    deck.write_text(DECK, encoding="utf-8")
    terminal = open_terminal(width, height)
    terminal.start([PREXTERM, "--transition", "slide", str(deck)], cwd=tmp_path)
    terminal.wait_until(lambda s: "Greets whoever" in s and "1/3" in s, "the columns slide")
    lines = terminal.lines()
    (words,) = [line for line in lines if "Greets whoever" in line]
    assert ("python" in words) is beside, "\n".join(lines)
    if not beside:
        (code,) = [n for n, line in enumerate(lines) if "return name" in line]
        assert lines.index(words) > code, "stacked: the code's column first"

    terminal.send("Right")
    terminal.wait_until(lambda s: "2/3" in s, "the footer of slide 2")
    # The transition's last frame puts the slide where it stands without one.
    text = "Only words, lower down."
    final = " " * ((width - 4 - len(text)) // 2 + 2) + text
    terminal.wait_until(lambda s: final in s.split("\n"), "slide 2 in its place")

    terminal.send("Right")
    # Right-aligned against the text's right margin: two cells from the edge.
    text = "Words on the right"
    final = " " * (width - 2 - len(text)) + text
    terminal.wait_until(lambda s: final in s.split("\n") and "3/3" in s, "slide 3 in its place")
    terminal.send("q")

"""Columns, alignment and the vertical middle in an export: what the player draws."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from prexterm.app.factory import create_app
from prexterm.app.options import PlayerOptions
from prexterm.app.slide_view import SlideView
from tests.conftest import WriteFiles
from tests.export.helpers import export

DECK = """\
# Code and words

<!-- column_layout: [3, 2] -->
<!-- column: 0 -->
```python
def greet(name):
    return f"hello {name}"
```
<!-- column: 1 -->
The function greets whoever is named.
---
<!-- alignment: center -->
A centred line

<!-- alignment: right -->
A line on the right
---
<!-- skip_slide -->
# Backup
---
<!-- jump_to_middle -->
<!-- alignment: center -->
# The middle
"""
SIZE = (120, 36)


async def player_rows(deck: Path, slide: int) -> list[str]:
    """The player's slide area at the export size, showing `slide`, without blank rows."""
    app = create_app(PlayerOptions(deck=deck, slide=slide, watch=False))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(SlideView)
        rows = [view.render_line(y).text.rstrip() for y in range(view.size.height)]
        return [row for row in rows if row]


def pages(text: str) -> list[list[str]]:
    """The text export's pages, each without its separator and blank rows."""
    found: list[list[str]] = []
    for line in text.split("\n"):
        if line.startswith("──────── slide "):
            found.append([])
        elif line.strip() and found:
            found[-1].append(line)
    return found


def test_text_export_has_the_players_columns_and_alignment(
    write: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write({"deck.md": DECK})
    out = tmp_path / "talk.txt"
    status, _, err = export(capsys, deck, "-o", out)
    assert (status, err) == (0, "")
    exported = pages(out.read_text(encoding="utf-8"))
    assert len(exported) == 3, "the skipped slide is not exported"
    for number, page in enumerate(exported, start=1):
        slide_area = asyncio.run(player_rows(deck, number))
        assert page[: len(slide_area)] == slide_area, f"slide {number}"
    (beside,) = [row for row in exported[0] if "The function greets" in row]
    assert "python" in beside and beside.index("The function") > beside.index("python")
    (centred,) = [row for row in exported[1] if "A centred line" in row]
    middle = centred.index("A centred line") + len("A centred line") // 2
    assert abs(middle - SIZE[0] // 2) <= 2, centred
    (right,) = [row for row in exported[1] if "A line on the right" in row]
    assert len(right) >= SIZE[0] - 12, "ends near the right margin"


def test_svg_export_puts_columns_side_by_side_and_the_middle_in_the_middle(
    write: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write({"deck.md": DECK})
    out = tmp_path / "slides"
    status, _, err = export(capsys, deck, "-o", out, "--to", "svg")
    assert (status, err) == (0, "")
    files = sorted(out.iterdir())
    assert len(files) == 3

    def texts(path: Path) -> tuple[ET.Element, dict[str, tuple[float, float]]]:
        root = ET.parse(path).getroot()
        found = {
            (t.text or "").strip(): (float(t.get("x", "0")), float(t.get("y", "0")))
            for t in root.iter("{http://www.w3.org/2000/svg}text")
        }
        return root, found

    _, first = texts(files[0])
    assert first["The function greets whoever is named."][1] == first["python"][1]
    assert first["The function greets whoever is named."][0] > first["python"][0]
    root, last = texts(files[2])
    height = float(root.get("height", "0").rstrip("px"))
    x, y = last["The middle"]
    assert height / 3 < y < height * 2 / 3, (y, height)
    width = float(root.get("width", "0").rstrip("px"))
    assert width / 3 < x < width / 2

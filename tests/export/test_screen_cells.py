"""The composed screen is read back as rows of styled segments, cell for cell."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from prexterm.app.screen_cells import screen_rows


class _Stage(App[None]):
    CSS = "Screen { background: #102030; } #word { width: auto; }"

    def compose(self) -> ComposeResult:
        yield Static(
            Text.assemble(("plain ", ""), ("bold", Style(bold=True, color="#ff0000"))), id="word"
        )
        yield Static("second line", id="second")


def _cells(rows: list[list[object]]) -> list[list[tuple[str, Style | None]]]:
    out = []
    for row in rows:
        cells = []
        for segment in row:
            cells += [(char, segment.style) for char in segment.text]  # type: ignore[attr-defined]
        out.append(cells)
    return out


async def test_every_row_covers_the_screen_with_the_text_and_styles_drawn() -> None:
    app = _Stage()
    async with app.run_test(size=(30, 5)) as pilot:
        await pilot.pause()
        rows = _cells(screen_rows(app))  # type: ignore[arg-type]
    assert len(rows) == 5
    assert all(len(row) == 30 for row in rows)
    first = "".join(char for char, _ in rows[0])
    assert first.startswith("plain bold")
    assert "".join(char for char, _ in rows[1]).startswith("second line")
    bold = rows[0][6][1]
    assert bold is not None and bold.bold and bold.color is not None
    assert bold.color.get_truecolor().hex == "#ff0000"
    plain = rows[0][0][1]
    assert plain is not None and not plain.bold
    # The screen's own background shows where nothing is drawn.
    last = rows[4][29][1]
    assert last is not None and last.bgcolor is not None
    assert last.bgcolor.get_truecolor().hex == "#102030"

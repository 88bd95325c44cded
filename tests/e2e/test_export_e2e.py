"""End to end: `prexterm export` in a real terminal shows a progress bar, then one line.

The bar is for a person watching a long export; once it is done the line that says what
was written is all that stays. In a pipe there is no bar at all (`test_export_behaviour`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal

pytestmark = NEEDS_TERMINAL


@pytest.mark.parametrize("size", [(100, 30), (80, 24), (50, 16)])
def test_a_long_export_shows_its_progress_then_what_it_wrote(
    open_terminal: OpenTerminal, tmp_path: Path, size: tuple[int, int]
) -> None:
    assert PREXTERM is not None
    deck = tmp_path / "long.md"
    deck.write_text(
        "\n---\n".join(f"# Slide {n}\n\n- a point\n- another" for n in range(1, 121)),
        encoding="utf-8",
    )
    terminal = open_terminal(*size)
    terminal.start([PREXTERM, "export", str(deck), "-o", "long.txt"], cwd=tmp_path)
    during = terminal.wait_for("exporting", timeout=60)
    assert "/120" in during
    assert terminal.exit_status(timeout=120) == 0
    after = terminal.wait_for("long.txt: 120 pages (txt)")
    assert "exporting" not in after
    assert (tmp_path / "long.txt").read_text(encoding="utf-8").count("──────── slide ") == 120

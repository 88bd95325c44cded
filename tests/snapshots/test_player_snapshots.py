"""Pictures of the key screens at fixed sizes, grouped by feature.

A failing snapshot means the screen changed: look at the report, and if the change is
wanted, accept it with `pytest --snapshot-update`.
"""

from __future__ import annotations

from typing import Any

from prexterm.app.factory import create_app
from prexterm.app.player import PlayerApp
from prexterm.options import PlayerOptions
from tests.conftest import SAMPLES, SEED_DECK

SIZE = (100, 30)


def player(deck: str = "seed", slide: int = 1) -> PlayerApp:
    path = SEED_DECK if deck == "seed" else SAMPLES / "tour.md"
    return create_app(
        PlayerOptions(deck=path, slide=slide, watch=False, animate=False, no_color=False)
    )


class TestSlides:
    def test_seed_first_slide(self, snap_compare: Any) -> None:
        assert snap_compare(player(), terminal_size=SIZE)

    def test_photo_slide(self, snap_compare: Any) -> None:
        assert snap_compare(player(slide=26), terminal_size=SIZE)

    def test_photo_title_slide(self, snap_compare: Any) -> None:
        assert snap_compare(player(slide=25), terminal_size=SIZE)

    def test_tour_table(self, snap_compare: Any) -> None:
        assert snap_compare(player("tour", 8), terminal_size=SIZE)

    def test_tour_code(self, snap_compare: Any) -> None:
        assert snap_compare(player("tour", 9), terminal_size=SIZE)


class TestOverlays:
    def test_overview(self, snap_compare: Any) -> None:
        assert snap_compare(player(slide=3), press=["o"], terminal_size=SIZE)

    def test_help(self, snap_compare: Any) -> None:
        assert snap_compare(player(), press=["question_mark"], terminal_size=SIZE)

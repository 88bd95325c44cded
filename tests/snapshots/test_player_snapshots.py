"""Pictures of the key screens at fixed sizes, grouped by feature.

A failing snapshot means the screen changed: look at the report, and if the change is
wanted, accept it with `pytest --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from prexterm.app.factory import create_app
from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp
from tests.conftest import SAMPLES, SEED_DECK

SIZE = (100, 30)


def player(deck: str = "seed", slide: int = 1) -> PlayerApp:
    path = SEED_DECK if deck == "seed" else SAMPLES / "tour.md"
    return create_app(PlayerOptions(deck=path, slide=slide, watch=False, sync=False))


async def _without_notices(pilot: Any) -> None:
    """Take away the start-up notices: the seed deck names a stylesheet that is not there
    (`/css/custom.css`), and the notice saying so would cover part of the slide. That
    notice has tests of its own; these pictures are of the slides."""
    await pilot.pause()  # the app has mounted and said what it had to say
    pilot.app.clear_notifications()
    await pilot.pause()


class TestSlides:
    def test_seed_first_slide(self, snap_compare: Any) -> None:
        assert snap_compare(player(), terminal_size=SIZE, run_before=_without_notices)

    def test_photo_slide(self, snap_compare: Any) -> None:
        assert snap_compare(player(slide=26), terminal_size=SIZE, run_before=_without_notices)

    def test_photo_title_slide(self, snap_compare: Any) -> None:
        assert snap_compare(player(slide=25), terminal_size=SIZE, run_before=_without_notices)

    def test_tour_table(self, snap_compare: Any) -> None:
        assert snap_compare(player("tour", 8), terminal_size=SIZE)

    def test_tour_code(self, snap_compare: Any) -> None:
        assert snap_compare(player("tour", 9), terminal_size=SIZE)


class TestOverlays:
    def test_overview(self, snap_compare: Any) -> None:
        assert snap_compare(
            player(slide=3), press=["o"], terminal_size=SIZE, run_before=_without_notices
        )

    def test_help(self, snap_compare: Any) -> None:
        assert snap_compare(
            player(), press=["question_mark"], terminal_size=SIZE, run_before=_without_notices
        )


class TestPictures:
    def test_photo_slide_with_its_picture(self, snap_compare: Any) -> None:
        pytest.importorskip("PIL")
        app = player("tour", 12)
        assert snap_compare(app, terminal_size=SIZE, run_before=_pictures_ready)

    def test_background_slide_with_text(self, snap_compare: Any, tmp_path: Path) -> None:
        image = pytest.importorskip("PIL.Image")
        gradient = image.linear_gradient("L").resize((160, 90)).convert("RGB")
        gradient.save(tmp_path / "bg.png")
        deck = tmp_path / "deck.md"
        deck.write_text(
            "!slide_background bg.png\n# Over a picture\n\n- the text stays readable\n"
            "- on a calm tint taken from the picture\n"
        )
        app = create_app(PlayerOptions(deck=deck, watch=False, sync=False))
        assert snap_compare(app, terminal_size=SIZE, run_before=_pictures_ready)


async def _pictures_ready(pilot: Any) -> None:
    """Pictures are decoded in a worker before their slide shows: wait for it."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


class TestThemes:
    @pytest.mark.parametrize("theme", ["dark", "light", "high-contrast", "mono", "prexent"])
    def test_tour_text_styles(self, snap_compare: Any, theme: str) -> None:
        app = create_app(
            PlayerOptions(
                deck=SAMPLES / "tour.md",
                slide=5,
                theme=theme,
                watch=False,
                sync=False,
            )
        )
        assert snap_compare(app, terminal_size=SIZE)

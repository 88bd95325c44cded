"""The screen a running app shows, read back as rows of styled segments.

Export draws every slide with the player itself and needs what is on the screen cell
by cell: the text and the Rich style of each. Textual composes the screen out of its
widgets' lines but has no public call that hands the composed rows back (its own SVG
screenshot reads them from the screen's compositor). This is the one place that does
the same; should Textual change how the screen is composed, only this module and its
test have to follow.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.app import App

__all__ = ["screen_rows"]


def screen_rows(app: App[Any]) -> list[list[Segment]]:
    """Each row of the screen on top as segments, left to right, covering its width.

    Call it on a running app, after the last change has been painted (`pilot.pause()`).
    """
    strips = app.screen._compositor.render_strips()
    return [list(strip) for strip in strips]

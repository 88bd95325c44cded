"""A photo slide in real pixels, in terminals that speak the kitty graphics protocol.

Textual draws the photo in half blocks like everywhere else; once the slide is on screen,
the photo's PNG (encoded in a worker thread) is written straight to the terminal over
the slide's area. The picture sits above every cell, so it leaves with its slide and
steps aside while an overlay shows.
"""

from __future__ import annotations

from textual.widget import Widget

from prexterm.app.messages import OverlayChanged, SlideChanged
from prexterm.app.pictures import kitty_placement, kitty_removal
from prexterm.app.slide_view import SlideView
from prexterm.app.terminal_out import write_to_terminal
from prexterm.core.model import Slide
from prexterm.pictures.hook import Pictures


class KittyPictures(Widget):
    """Places the photo of the slide on screen, and takes it away again."""

    DEFAULT_CSS = "KittyPictures { display: none; }"

    def __init__(self, pictures: Pictures) -> None:
        super().__init__()
        self.pictures = pictures
        self.slide: Slide | None = None
        self._shown = False
        """Whether a picture is on screen (it must be removed on the next change)."""

    @property
    def _wanted(self) -> bool:
        return self.pictures.mode == "kitty"

    def on_mount(self) -> None:
        if self._wanted:
            self.app.app_resume_signal.subscribe(self, self._resumed)

    def _resumed(self, _app: object) -> None:
        """Back from Ctrl+Z (`fg`): the shell had the terminal, the picture is gone."""
        self.call_after_refresh(self._place)

    def on_slide_changed(self, event: SlideChanged) -> None:
        self.slide = event.slide
        if self._wanted:
            self.call_after_refresh(self._place)

    def on_overlay_changed(self, event: OverlayChanged) -> None:
        if event.shown:
            self._remove()
        elif self._wanted:
            self.call_after_refresh(self._place)

    def _remove(self) -> None:
        if self._shown:
            write_to_terminal(self.app, kitty_removal())
            self._shown = False

    def _place(self) -> None:
        """Replace the half blocks of a photo slide with real pixels."""
        self._remove()
        slide = self.slide
        if slide is None or not slide.photo or self.app.screen is not self.screen:
            return
        region = self.screen.query_one(SlideView).region
        pictures = self.pictures

        def build() -> None:
            data = kitty_placement(pictures, slide, region.x, region.y, region.width, region.height)
            self.app.call_from_thread(self._show, slide, data)

        self.run_worker(build, thread=True, exclusive=True, group="kitty", exit_on_error=False)

    def _show(self, slide: Slide, data: str) -> None:
        if data and self.slide is slide:
            write_to_terminal(self.app, data)
            self._shown = True

"""The look of the slide on screen: its classes, and what a deck's web stylesheet says of
its area, header and footer.

A slide's classes go on the slide area and on the screen (with `.photo` on photo slides),
where themes and `.tcss` files style them; a web stylesheet's colours and alignment for
the slide's frame become the inline styles of those widgets. A slide with a background
picture and text is drawn on a calm tint of the picture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget

from prexterm.app.caches import SlideCaches
from prexterm.app.messages import SlideChanged
from prexterm.app.slide_view import SlideView
from prexterm.app.styling import css_classes
from prexterm.core.model import Slide

if TYPE_CHECKING:
    from prexterm.style.webcss import SlideLook


class SlideStyling(Widget):
    """Styles the frame for each slide shown; placed before the frame, so the slide area
    is laid out in its new colours."""

    DEFAULT_CSS = "SlideStyling { display: none; }"

    def __init__(self, caches: SlideCaches) -> None:
        super().__init__()
        self.caches = caches
        self._classes: set[str] = set()
        """The classes the screen has from the slide on it (`.photo` included)."""
        self._framed: tuple[SlideLook | None, str | None] = (None, None)
        self._restyle = False
        """False for the first slide: the screen is styled as it starts anyway."""

    def on_slide_changed(self, event: SlideChanged) -> None:
        slide = event.slide
        if slide is None:
            return
        self._style_frame(slide, event.look)
        self._set_slide_classes(slide)
        self._restyle = True

    def _style_frame(self, slide: Slide, look: SlideLook | None) -> None:
        """What a deck's web stylesheet says of this slide's area, header and footer."""
        tint = None
        if slide.background is not None and not slide.photo:
            tint = self.caches.tint(slide)
        if (look, tint) == self._framed:
            return  # the common case: nothing to restyle, no CSS work on a slide change
        self._framed = (look, tint)
        if look is None:
            from prexterm.style.webcss import SlideLook

            look = SlideLook()
        screen = self.screen
        background = look.slide_style.bgcolor
        screen.query_one(SlideView).styles.background = background.name if background else tint
        for widget_id, style, align in (
            ("#header", look.header_style, look.header_align),
            ("#footer", look.footer_style, look.footer_align),
        ):
            widget = screen.query_one(widget_id)
            widget.styles.color = style.color.name if style.color else None
            widget.styles.background = style.bgcolor.name if style.bgcolor else None
            widget.styles.text_align = align if align in ("left", "center", "right") else None  # type: ignore[assignment]

    def _set_slide_classes(self, slide: Slide) -> None:
        """Put the slide's classes on the screen and the slide, where themes can style them.

        The slide's classes change first, unstyled; the screen's change then has Textual
        restyle the screen and everything on it, so a class's look leaves with its slide
        wherever its rules put it.
        """
        classes = css_classes(slide.classes)
        screen_classes = {*classes, *(["photo"] if slide.photo else [])}
        before = self._classes
        if screen_classes == before:
            return
        self._classes = screen_classes
        gone = dict.fromkeys(before, False)
        self.screen.query_one(SlideView).update_classes(
            {**gone, **dict.fromkeys(classes, True)}, update=False
        )
        self.screen.update_classes(
            {**gone, **dict.fromkeys(screen_classes, True)}, update=self._restyle, animate=False
        )

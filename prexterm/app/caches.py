"""The drawn slides of a talk: one render cache per palette, and the pictures they share.

A deck stylesheet that recolours a slide gives it another palette, drawn by a cache of
its own. The slide area asks for the cache of each slide's look and says its height
before each layout: inline pictures take a share of it, and a new share draws every
slide anew.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prexterm.app.pictures import tint_for
from prexterm.core.model import Slide
from prexterm.pictures.hook import Pictures
from prexterm.render.palette import Palette
from prexterm.render.slide import SlideRenderCache

if TYPE_CHECKING:
    from prexterm.style.webcss import SlideLook


class SlideCaches:
    """Render caches by palette, made on first use, cleared together when pictures resize."""

    def __init__(self, palette: Palette, pictures: Pictures, *, ascii_only: bool) -> None:
        self.palette = palette
        self.pictures = pictures
        self.ascii_only = ascii_only
        self._caches: dict[Palette, SlideRenderCache] = {}
        self._picture_rows = 0
        self.main = self.for_palette(palette)
        """The cache of the theme's own palette, which most slides use."""

    def for_palette(self, palette: Palette) -> SlideRenderCache:
        cache = self._caches.get(palette)
        if cache is None:
            cache = self._caches[palette] = SlideRenderCache(
                palette=palette, ascii_only=self.ascii_only, picture=self.pictures.hook
            )
        return cache

    def for_look(self, look: SlideLook | None) -> SlideRenderCache:
        """The cache that draws slides in the colours `look` gives them."""
        if look is None:
            return self.main
        from prexterm.style.webcss import palette_for

        return self.for_palette(palette_for(self.palette, look))

    def fit(self, height: int) -> None:
        """Inline pictures take about a third of the slide's height."""
        rows = max(3, height // 3)
        if rows != self._picture_rows:
            self._picture_rows = rows
            self.pictures.max_height = rows
            for cache in self._caches.values():
                cache.clear()

    def tint(self, slide: Slide) -> str | None:
        """The calm colour a slide with a background picture and text is drawn on."""
        text = self.palette.text.color
        triplet = text.get_truecolor() if text is not None else None
        rgb = (triplet.red, triplet.green, triplet.blue) if triplet else (228, 228, 228)
        return tint_for(self.pictures, slide, rgb)

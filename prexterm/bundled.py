"""Finding the files prexterm ships beside its code: themes and sample decks.

A wheel carries them inside the package (`prexterm/_bundled/`); a source checkout or an
editable install keeps them at the top of the repository. Both are looked up here so no
other module needs to know how prexterm was installed.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The directory of bundled `name` files (`themes` or `samples`)."""
    inside = _PACKAGE / "_bundled" / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name


def tour_deck() -> Path:
    """The deck `prexterm` plays when it is given none."""
    return bundled_dir("samples") / "tour.md"

"""Readable text over pictures: the WCAG ratio, dimming, and AA over any picture."""

from __future__ import annotations

import pytest

from prexterm.pictures.contrast import (
    AA_CONTRAST,
    BLACK,
    WHITE,
    contrast_ratio,
    dim_rgb,
    dimmed,
    readable_over,
    readable_text,
    relative_luminance,
)

Image = pytest.importorskip("PIL.Image")


def test_ratio_formula() -> None:
    assert contrast_ratio(BLACK, WHITE) == pytest.approx(21.0)
    assert contrast_ratio(WHITE, BLACK) == pytest.approx(21.0)
    assert contrast_ratio((120, 30, 200), (120, 30, 200)) == pytest.approx(1.0)
    assert contrast_ratio((119, 119, 119), WHITE) == pytest.approx(4.48, abs=0.01)
    assert relative_luminance(WHITE) == pytest.approx(1.0)
    assert relative_luminance(BLACK) == 0.0


def test_dim_blends_towards_black() -> None:
    assert dim_rgb((200, 100, 10), 0.7) == (60, 30, 3)
    assert dim_rgb((200, 100, 10), 0.0) == (200, 100, 10)
    assert dim_rgb((200, 100, 10), 1.0) == BLACK
    image = dimmed(Image.new("RGB", (2, 2), (200, 100, 10)), 0.7)
    assert image.getpixel((1, 1)) == (60, 30, 3)


def _gradient() -> object:
    """Every hue left to right, from full brightness at the top to dark at the bottom."""
    hue = Image.linear_gradient("L").rotate(90).resize((180, 60))
    saturation = Image.new("L", (180, 60), 255)
    value = Image.linear_gradient("L").transpose(Image.Transpose.FLIP_TOP_BOTTOM).resize((180, 60))
    return Image.merge("HSV", (hue, saturation, value)).convert("RGB")


def _worst(image: object, text: tuple[int, int, int]) -> float:
    colours = image.getcolors(maxcolors=1 << 20)  # type: ignore[attr-defined]
    return min(contrast_ratio(text, colour) for _, colour in colours)


@pytest.mark.parametrize(
    ("name", "image"),
    [
        ("white", Image.new("RGB", (40, 20), WHITE)),
        ("black", Image.new("RGB", (40, 20), BLACK)),
        ("grey", Image.new("RGB", (40, 20), (119, 119, 119))),
        ("gradient", _gradient()),
        ("noise", Image.effect_noise((64, 32), 120).convert("RGB")),
    ],
)
def test_text_is_readable_over_every_pixel(name: str, image: object) -> None:
    dim, choice = readable_over(image)  # type: ignore[arg-type]
    assert choice.contrast >= AA_CONTRAST
    assert _worst(dim, choice.text) >= AA_CONTRAST
    assert _worst(dim, choice.text) == pytest.approx(choice.contrast)


def test_plain_pictures_are_not_dimmed() -> None:
    _, on_white = readable_over(Image.new("RGB", (8, 8), WHITE))
    assert on_white.text == BLACK and on_white.dim == 0.0
    _, on_black = readable_over(Image.new("RGB", (8, 8), BLACK))
    assert on_black.text == WHITE and on_black.dim == 0.0


def test_gradient_is_dimmed_only_as_needed() -> None:
    _, choice = readable_over(_gradient())  # type: ignore[arg-type]
    assert choice.text == WHITE
    assert 0.0 < choice.dim < 1.0
    less = round(choice.dim - 0.05, 4)
    assert _worst(dimmed(_gradient(), less), WHITE) < AA_CONTRAST  # type: ignore[arg-type]


def test_candidate_colour_is_kept_when_possible() -> None:
    text = (255, 240, 200)
    choice = readable_text([(250, 250, 250), (10, 10, 10)], candidates=[text])
    assert choice.text == text and choice.dim > 0
    assert min(contrast_ratio(text, dim_rgb(c, choice.dim)) for c in [(250,) * 3, (10,) * 3]) >= (
        AA_CONTRAST
    )


def test_dark_only_candidates_fall_back_to_white_on_black() -> None:
    choice = readable_text([(0, 0, 0)], candidates=[(20, 20, 20)])
    assert choice.text == WHITE and choice.dim == 1.0

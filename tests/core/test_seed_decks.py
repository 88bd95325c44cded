"""The two real documents the format was written against."""

from __future__ import annotations

import pytest

from prexterm.core.model import Severity
from prexterm.core.parser import load_deck
from tests.conftest import PLAIN_SEED, SEED_DECK, SEEDS


def test_seed_deck_is_forty_slides_as_the_format_describes() -> None:
    deck = load_deck(SEED_DECK)
    assert len(deck.slides) == 40
    assert {s.header for s in deck.slides} == {"FACTTIC in Kigali 2019"}
    assert {s.footer for s in deck.slides} == {"Made with Prexent"}
    first = deck.slides[0]
    assert first.classes == ("slide-0",)
    assert first.notes == (
        "Building relationships based on trust to collaborate on technological projects.",
    )
    assert first.markdown.startswith("- For about a year now")
    assert deck.stylesheets[0].written == "/css/custom.css"
    for slide in deck.slides[1:24]:
        assert slide.classes == ()
        assert not slide.photo
        assert "\n\n" not in slide.markdown and slide.markdown
    assert deck.slides[24].classes == ("photo-title-slide",)
    assert deck.slides[24].markdown.startswith("Many contacts")
    assert [s.photo for s in deck.slides[24:37]] == [True] * 13
    assert all(s.classes == ("photo-content-slide",) and not s.has_text for s in deck.slides[25:37])
    assert [s.photo for s in deck.slides[37:]] == [False] * 3
    assert deck.slides[39].classes == ("last-slide",)
    assert [(d.severity, d.source.line, d.message) for d in deck.diagnostics] == [
        (Severity.WARNING, 3, "stylesheet not found: /css/custom.css")
    ]


def test_plain_text_seed_is_one_slide_with_accents() -> None:
    if not PLAIN_SEED.exists():
        pytest.skip("the shared seeds are not beside this checkout")
    deck = load_deck(PLAIN_SEED)
    assert len(deck.slides) == 1
    text = PLAIN_SEED.read_text(encoding="utf-8").strip()
    assert deck.slides[0].markdown == text
    assert "MONTRÉAL" in deck.slides[0].title
    assert deck.diagnostics == ()


def test_bundled_seed_copy_matches_the_seed() -> None:
    original = SEEDS / "000_cecc58b135263b51.txt"
    if not original.exists():
        pytest.skip("the shared seeds are not beside this checkout")
    assert SEED_DECK.read_bytes() == original.read_bytes()

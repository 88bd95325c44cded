"""The seed deck in every format: as many pages as slides, each what the player draws."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from prexterm.core.parser import load_deck
from tests.conftest import SEED_DECK
from tests.export.helpers import export, pdf_text

SLIDES = len(load_deck(SEED_DECK).slides)


def test_the_seed_deck_has_the_forty_slides_the_issue_counts() -> None:
    assert SLIDES == 40


def test_pdf_has_a_page_per_slide_with_the_slides_words_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pypdf import PdfReader

    out = tmp_path / "talk.pdf"
    status, said, err = export(capsys, SEED_DECK, "-o", out)
    assert (status, err) == (0, "")
    assert f"{SLIDES} pages" in said
    reader = PdfReader(str(out))
    assert len(reader.pages) == SLIDES
    first = pdf_text(out, 1)
    assert "For about a year now, some co-ops in the federation" in first
    assert "FACTTIC in Kigali 2019" in first
    assert re.search(r"Made with Prexent \| 1/40", first)
    last = pdf_text(out, SLIDES)
    assert f"{SLIDES}/{SLIDES}" in last
    last_words = load_deck(SEED_DECK).slides[-1].title.split()[:4]
    assert " ".join(last_words) in " ".join(last.split())
    # The frame's characters are text in an embedded font, one that has them.
    assert "━" in first
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages[:1]
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Mono" in name for name in fonts), fonts
    assert reader.pages[0]["/Resources"]["/Font"]
    descriptor = next(iter(reader.pages[0]["/Resources"]["/Font"].values())).get_object()
    assert "/DescendantFonts" in descriptor  # a CID font: the TrueType file is inside
    assert reader.metadata is not None and reader.metadata.title
    assert reader.metadata.title.startswith("For about a year now")


def test_pdf_title_is_the_first_heading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pypdf import PdfReader

    deck = tmp_path / "talk.md"
    deck.write_text("Some words first\n---\n# The real title\n\ntext\n", encoding="utf-8")
    status, _, err = export(capsys, deck, "-o", tmp_path / "out.pdf", "--size", "60x20")
    assert (status, err) == (0, "")
    metadata = PdfReader(str(tmp_path / "out.pdf")).metadata
    assert metadata is not None and metadata.title == "The real title"


class _Page(HTMLParser):
    """Collects the slides' sections and every attribute that could fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[dict[str, str | None]] = []
        self.references: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        found = dict(attrs)
        if tag == "section":
            self.sections.append(found)
        for name in ("src", "href", "srcset", "data", "action", "poster"):
            value = found.get(name)
            if value is not None and not value.startswith("#"):
                self.references.append(f"{tag} {name}={value}")


def test_html_is_one_page_of_every_slide_that_asks_for_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "talk.html"
    status, _, err = export(capsys, SEED_DECK, "-o", out)
    assert (status, err) == (0, "")
    text = out.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    assert len(page.sections) == SLIDES
    assert [s["data-slide"] for s in page.sections] == [str(n) for n in range(1, SLIDES + 1)]
    assert page.references == []
    assert not {"link", "img", "iframe", "object", "embed"} & page.tags
    # CSS may only take what is inside the file.
    assert re.findall(r"url\((?!data:)", text) == []
    assert "@import" not in text
    assert "data:font/ttf;base64," in text, "the font is inside the file"
    assert "For about a year now, some co-ops" in text
    assert "Made with Prexent | 1/40" in text
    assert "@media print" in text and "break-after: page" in text
    # Notes are the speaker's: not without --notes.
    assert "Building relationships based on trust" not in text


def test_svg_is_a_folder_of_one_picture_per_slide(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "slides"
    status, _, err = export(capsys, SEED_DECK, "-o", out, "--to", "svg")
    assert (status, err) == (0, "")
    files = sorted(out.iterdir())
    assert [f.name for f in files] == [f"slide-{n:03d}.svg" for n in range(1, SLIDES + 1)]
    first = ET.parse(files[0]).getroot()
    words = " ".join(t.text or "" for t in first.iter("{http://www.w3.org/2000/svg}text"))
    assert "For about a year now, some co-ops" in words
    assert "1/40" in words
    assert first.get("width") and first.get("height")


def test_text_has_every_slide_with_numbers_between(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "talk.txt"
    status, _, err = export(capsys, SEED_DECK, "-o", out)
    assert (status, err) == (0, "")
    text = out.read_text(encoding="utf-8")
    separators = re.findall(r"^──────── slide (\d+)/40 ────────$", text, flags=re.M)
    assert separators == [str(n) for n in range(1, SLIDES + 1)]
    assert "For about a year now, some co-ops" in text
    assert not any(line.endswith(" ") for line in text.splitlines())
    assert "Building relationships based on trust" not in text


def test_format_comes_from_the_ending_and_out_defaults_to_the_decks_name_here(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = tmp_path / "deck" / "talk.md"
    deck.parent.mkdir()
    deck.write_text("# One\n---\n# Two\n", encoding="utf-8")
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    assert export(capsys, deck, "--to", "txt", "--size", "40x10")[0] == 0
    assert (here / "talk.txt").is_file()
    assert export(capsys, deck, "-o", "x.htm", "--size", "40x10")[0] == 0
    assert (here / "x.htm").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert export(capsys, deck, "--to", "svg", "--size", "40x10")[0] == 0
    assert sorted(p.name for p in (here / "talk-svg").iterdir()) == [
        "slide-001.svg",
        "slide-002.svg",
    ]
    assert sorted(p.name for p in deck.parent.iterdir()) == ["talk.md"], "nothing beside the deck"

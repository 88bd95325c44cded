"""Properties of the parser over generated decks: it never raises, and it splits where it should."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prexterm.core.model import Deck
from prexterm.core.parser import KNOWN_DIRECTIVES, load_deck

_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_deck_words = st.sampled_from(
    [
        "---",
        "-",
        "```",
        "~~~",
        "!include x.md",
        "!code y.py",
        "![a](b.png)",
        "\\!x",
        "# h",
        "\t",
        "\r",
        "```python {1-2|3|all} +line_numbers",
        "```py {1,3-5} +exec +pty",
        "``` {0-|x|} +nope",
        "!code y.py python python3 {2|9} +pty",
        "!code {1}",
        "{",
        "|",
        "+exec",
    ]
    + [f"!{name} arg" for name in KNOWN_DIRECTIVES]
    + ["!unknown", "!", "\x1b[31m", "\ufeff", "\x00", "é", " "]
)
_deck_text = st.lists(st.one_of(st.text(max_size=20), _deck_words), max_size=30).map("\n".join)


def _parse(data: bytes) -> Deck:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "deck.md"
        path.write_bytes(data)
        (Path(folder) / "x.md").write_text("!include deck.md\n")
        return load_deck(path, cwd=Path(folder))


@_SETTINGS
@given(_deck_text)
def test_any_text_gives_a_deck_or_diagnostics(text: str) -> None:
    if "\x00" in text:
        return  # binary: covered by the unreadable-deck tests
    deck = _parse(text.encode("utf-8", errors="surrogatepass"))
    assert all(slide.number == i for i, slide in enumerate(deck.slides, 1))
    for slide in deck.slides:
        assert "\x1b" not in slide.markdown
        assert all("\x1b" not in note for note in slide.notes)


@_SETTINGS
@given(st.binary(max_size=200))
def test_any_bytes_without_nul_parse(data: bytes) -> None:
    deck = _parse(data.replace(b"\x00", b""))
    assert deck.slides is not None


_line = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="!-`~\\"),
    min_size=1,
    max_size=15,
).filter(
    # A file's first character may be a byte-order mark, which is read as the encoding's
    # mark and not as text, so a line of nothing else would leave a first slide empty.
    lambda s: s.lstrip("\ufeff").strip() != ""
)
_fenced = st.lists(st.sampled_from(["---", "-", "!header inside", "plain"]), max_size=4).map(
    lambda lines: "\n".join(["```", *lines, "```"])
)
_slide = st.lists(st.one_of(_line, _fenced), min_size=1, max_size=5).map("\n".join)


@_SETTINGS
@given(st.lists(_slide, min_size=1, max_size=12), st.lists(st.sampled_from(["---", "-", "---  "])))
def test_slide_count_follows_separators_outside_fences(slides: list[str], seps: list[str]) -> None:
    text = ""
    for i, slide in enumerate(slides):
        if i:
            text += "\n" + (seps[i % len(seps)] if seps else "---") + "\n"
        text += slide
    deck = _parse(text.encode())
    assert len(deck.slides) == len(slides)
    assert [s.header for s in deck.slides] == [None] * len(slides)


_step_words = st.sampled_from(
    [
        "<!-- pause -->",
        "<!-- stop -->",
        "  <!-- pause -->",
        "    <!-- pause -->",
        "> <!-- pause -->",
        "| <!-- pause --> | x |",
        "<!-- incremental_lists: true -->",
        "<!-- incremental_lists: false -->",
        "<!-- incremental_lists: what -->",
        "<!-- other comment -->",
        "<!--",
        "-->",
        "- item",
        "  - nested",
        "1. first",
        "> quote",
        "```",
        "!comment note",
        "---",
        "",
        "text",
    ]
)


_ITEM_START = re.compile(r"^\s*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")


@_SETTINGS
@given(st.lists(st.one_of(_step_words, st.text(max_size=8)), max_size=30), st.booleans())
def test_any_placement_of_pauses_and_lists_gives_one_to_n_steps(
    lines: list[str], incremental: bool
) -> None:
    """Every slide has at least one step and at most one per pause and list item, every
    block and note a step inside that range, and reading never raises."""
    text = "\n".join(lines).replace("\x00", "")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "deck.md"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        deck = load_deck(path, cwd=Path(folder), incremental_lists=incremental)
    for slide in deck.slides:
        pauses = slide.markdown.count("<!--")
        # Any line that may open a list item (`-`, `+`, `*`, `1.`, `1)`, even with nothing
        # after it) may be a step, and so may each `|` group of a code highlight.
        items = sum(_ITEM_START.match(line) is not None for line in slide.markdown.split("\n"))
        groups = slide.markdown.count("|")
        assert 1 <= slide.steps <= 1 + pauses + items + groups
        for block in slide.blocks:
            assert 1 <= block.step <= slide.steps
            for mark in getattr(block, "marks", ()):
                assert block.step < mark.step <= slide.steps
        assert len(slide.note_steps) in (0, len(slide.notes))
        assert all(1 <= step <= slide.steps for step in slide.note_steps)


_layout_words = st.sampled_from(
    [
        "<!-- column_layout: [3, 2] -->",
        "<!-- column_layout: [1, 1, 1] -->",
        "<!-- column_layout: [0] -->",
        "<!-- column_layout: oops -->",
        "<!-- column: 0 -->",
        "<!-- column: 1 -->",
        "<!-- column: 2 -->",
        "<!-- column: -1 -->",
        "<!-- reset_layout -->",
        "<!-- alignment: center -->",
        "<!-- alignment: right -->",
        "<!-- alignment: middle -->",
        "<!-- jump_to_middle -->",
        "<!-- new_lines: 2 -->",
        "<!-- new_lines: 99999999 -->",
        "<!-- end_slide -->",
        "<!-- speaker_note: a note -->",
        "<!-- no_footer -->",
        "<!-- skip_slide -->",
        "<!-- section: Part -->",
        "<!-- section: -->",
        "<!-- pause -->",
        "  <!-- column: 1 -->",
        "> <!-- column: 1 -->",
        "```",
        "---",
        "- item",
        "!code y.py",
        "text",
        "",
    ]
)


@_SETTINGS
@given(st.lists(st.one_of(_layout_words, st.text(max_size=8)), max_size=30))
def test_any_placement_of_layout_commands_gives_a_deck(lines: list[str]) -> None:
    """Layout and slide commands anywhere: a deck comes out, numbered as the talk and the
    file number it, every block in a column its layout has."""
    text = "\n".join(lines).replace("\x00", "")
    deck = _parse(text.encode("utf-8", errors="surrogatepass"))
    assert [s.number for s in deck.slides] == list(range(1, len(deck.slides) + 1))
    assert [s.in_file for s in deck.all_slides] == list(range(1, len(deck.all_slides) + 1))
    assert all(not s.skipped for s in deck.slides)
    assert len(deck.all_slides) - len(deck.slides) == sum(s.skipped for s in deck.all_slides)
    for slide in deck.all_slides:
        for block in slide.blocks:
            place = block.place
            assert place.column < max(1, len(place.widths))
            assert place.align in ("left", "center", "right")
            assert place.gap >= 0

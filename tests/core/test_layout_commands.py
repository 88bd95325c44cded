"""Layout and slide commands in HTML comments: columns, alignment, the vertical middle,
empty lines, `end_slide`, speaker notes, `no_footer`, `skip_slide` and sections."""

from __future__ import annotations

import pytest

from prexterm.core.model import Deck, MarkdownBlock, Place, Severity
from prexterm.core.parser import load_deck
from tests.conftest import WriteFiles


def load(write: WriteFiles, text: str, **files: str) -> Deck:
    deck = write({"deck.md": text, **files})
    return load_deck(deck, cwd=deck.parent)


def texts_and_places(deck: Deck, index: int = 0) -> list[tuple[str, Place]]:
    return [
        (block.text, block.place)
        for block in deck.all_slides[index].blocks
        if isinstance(block, MarkdownBlock)
    ]


def warnings(deck: Deck) -> list[tuple[int, str]]:
    return [(d.source.line, d.message) for d in deck.diagnostics if d.severity is Severity.WARNING]


def test_columns_hold_what_follows_each_column_command(write: WriteFiles) -> None:
    deck = load(
        write,
        "# Title\n<!-- column_layout: [3, 2] -->\n<!-- column: 1 -->\nright\n"
        "<!-- column: 0 -->\nleft\n<!-- column: 1 -->\nright again\n<!-- reset_layout -->\n"
        "under\n",
    )
    found = [
        (text, place.layout, place.widths, place.column) for text, place in texts_and_places(deck)
    ]
    assert found == [
        ("# Title", 0, (), 0),
        ("right", 1, (3, 2), 1),
        ("left", 1, (3, 2), 0),
        ("right again", 1, (3, 2), 1),
        ("under", 2, (), 0),
    ]
    assert deck.slides[0].laid_out
    assert warnings(deck) == []


def test_what_follows_a_layout_before_any_column_goes_into_the_first(write: WriteFiles) -> None:
    deck = load(write, "<!-- column_layout: [1, 1] -->\nfirst\n")
    ((text, place),) = texts_and_places(deck)
    assert (text, place.column, place.widths) == ("first", 0, (1, 1))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("<!-- column_layout: [3, x] -->", "column_layout takes a list"),
        ("<!-- column_layout: [] -->", "column_layout takes a list"),
        ("<!-- column: 0 -->", "column comes after a column_layout"),
        ("<!-- alignment: middle -->", "alignment takes left, center or right"),
        ("<!-- new_lines: many -->", "new_lines takes a number"),
        ("<!-- section -->", "section needs a name"),
    ],
)
def test_a_command_with_a_bad_value_is_a_warning_and_changes_nothing(
    write: WriteFiles, line: str, message: str
) -> None:
    deck = load(write, f"before\n{line}\nafter\n")
    ((number, found),) = warnings(deck)
    assert number == 2
    assert message in found
    assert all(place.widths == () and place.align == "left" for _, place in texts_and_places(deck))


def test_a_column_past_the_last_is_a_warning(write: WriteFiles) -> None:
    deck = load(write, "<!-- column_layout: [1, 1] -->\n<!-- column: 2 -->\nx\n")
    assert warnings(deck) == [
        (2, "column takes a number from 0 to 1 (the columns of the layout, from 0)")
    ]


def test_alignment_middle_and_new_lines_place_what_follows(write: WriteFiles) -> None:
    deck = load(
        write,
        "top\n<!-- jump_to_middle -->\n<!-- alignment: center -->\n# Title\n"
        "<!-- new_lines: 2 -->\n<!-- alignment: right -->\nby me\n",
    )
    places = texts_and_places(deck)
    assert [(t, p.align, p.middle, p.gap) for t, p in places] == [
        ("top", "left", False, 0),
        ("# Title", "center", True, 0),
        ("by me", "right", False, 2),
    ]


def test_end_slide_ends_a_slide_like_a_separator(write: WriteFiles) -> None:
    deck = load(write, "!header H\none\n<!-- end_slide -->\ntwo\n---\nthree\n")
    assert deck.rules == "prexent", "a Prexent directive keeps Prexent's rules"
    assert [s.markdown for s in deck.slides] == ["one", "two", "three"]


def test_end_slide_inside_a_fence_is_code(write: WriteFiles) -> None:
    deck = load(write, "```\n<!-- end_slide -->\n```\n")
    assert len(deck.slides) == 1
    assert "<!-- end_slide -->" in deck.slides[0].markdown


def test_speaker_note_is_a_note_of_its_step(write: WriteFiles) -> None:
    deck = load(
        write, "one\n<!-- speaker_note: first -->\n<!-- pause -->\ntwo\n<!-- speaker_note: b -->\n"
    )
    slide = deck.slides[0]
    assert slide.notes == ("first", "b")
    assert slide.note_steps == (1, 2)
    assert "speaker_note" not in slide.markdown


def test_skip_slide_keeps_the_slide_out_of_the_talk_numbers(write: WriteFiles) -> None:
    deck = load(write, "one\n---\n<!-- skip_slide -->\ntwo\n---\nthree\n")
    assert [s.markdown for s in deck.slides] == ["one", "three"]
    assert [s.number for s in deck.slides] == [1, 2]
    assert [(s.in_file, s.skipped) for s in deck.all_slides] == [(1, False), (2, True), (3, False)]


def test_no_footer_and_section_mark_their_slide(write: WriteFiles) -> None:
    deck = load(write, "one\n---\n<!-- no_footer -->\n<!-- section: Demo -->\ntwo\n")
    assert [(s.no_footer, s.section) for s in deck.slides] == [(False, None), (True, "Demo")]


def test_the_slide_lists_the_commands_it_read(write: WriteFiles) -> None:
    deck = load(
        write,
        "<!-- no_footer -->\none\n<!-- pause -->\n<!-- other -->\n<!-- column_layout: [1, 2] -->\n",
    )
    assert deck.slides[0].commands == (
        ("no_footer", None, 1),
        ("pause", None, 3),
        ("column_layout", "[1, 2]", 5),
    )


def test_steps_work_inside_columns(write: WriteFiles) -> None:
    deck = load(
        write,
        "<!-- column_layout: [1, 1] -->\n<!-- column: 0 -->\nleft\n<!-- pause -->\n"
        "<!-- column: 1 -->\nright\n",
    )
    slide = deck.slides[0]
    assert slide.steps == 2
    found = [(b.text.split("\n")[0], b.step, b.place.column) for b in slide.blocks]
    assert found == [("left", 1, 0), ("right", 2, 1)]


def test_an_unknown_comment_stays_hidden_text(write: WriteFiles) -> None:
    deck = load(write, "<!-- font_size: 2 -->\nhello\n")
    assert deck.slides[0].commands == ()
    assert not deck.slides[0].laid_out

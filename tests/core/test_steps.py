"""Steps inside a slide: where pauses and incremental lists put each part of a slide."""

from __future__ import annotations

import pytest

from prexterm.core.commands import Command, read_command
from prexterm.core.model import CodeBlock, Deck, MarkdownBlock, Severity, Slide
from prexterm.core.parser import load_deck
from prexterm.core.steps import EMPTY_STEP, MISPLACED_PAUSE
from tests.conftest import WriteFiles


def load(write: WriteFiles, text: str, **files: str) -> Deck:
    deck = write({"deck.md": text, **files})
    return load_deck(deck, cwd=deck.parent)


def lines_new_at(slide: Slide, step: int) -> list[str]:
    """The non-blank text lines of the slide that appear exactly at `step`."""
    found: list[str] = []
    for block in slide.blocks:
        if isinstance(block, MarkdownBlock):
            for index, line in enumerate(block.text.split("\n")):
                if line.strip() and read_command(line) is None and block.step_at(index) == step:
                    found.append(line.strip())
        elif block.step == step:
            found.append(f"[{type(block).__name__}]")
    return found


def warnings(deck: Deck) -> list[tuple[int, str]]:
    return [(d.source.line, d.message) for d in deck.diagnostics if d.severity is Severity.WARNING]


# -- the command reader ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "command"),
    [
        ("<!-- pause -->", Command("pause")),
        ("<!--pause-->", Command("pause")),
        ("   <!--   stop   -->  ", Command("stop")),
        ("<!-- incremental_lists: true -->", Command("incremental_lists", "true")),
        ("<!-- incremental_lists :false-->\n", Command("incremental_lists", "false")),
        ("<!-- PAUSE -->", Command("pause")),
    ],
)
def test_a_command_is_a_comment_alone_on_its_line(line: str, command: Command) -> None:
    assert read_command(line) == command


@pytest.mark.parametrize(
    "line",
    [
        "<!-- a comment about the slide -->",
        "<!-- unknown_command -->",
        "text <!-- pause -->",
        "<!-- pause --> text",
        "> <!-- pause -->",
        "`<!-- pause -->`",
        "<!-- pause",
    ],
)
def test_other_comments_and_other_lines_are_no_command(line: str) -> None:
    assert read_command(line) is None


def test_flags_read_true_and_false_and_nothing_else() -> None:
    assert Command("incremental_lists", "true").flag() is True
    assert Command("incremental_lists", "False").flag() is False
    assert Command("incremental_lists", "maybe").flag() is None


# -- pauses --------------------------------------------------------------------------------


def test_a_slide_without_commands_has_one_step(write: WriteFiles) -> None:
    deck = load(write, "# Title\n\n- a\n- b\n\n<!-- just a remark -->\n")
    assert [s.steps for s in deck.slides] == [1]
    assert lines_new_at(deck.slides[0], 1)[:3] == ["# Title", "- a", "- b"]
    assert lines_new_at(deck.slides[0], 2) == []


def test_each_top_level_pause_starts_the_next_step(write: WriteFiles) -> None:
    deck = load(write, "# Title\n\nOne\n\n<!-- pause -->\n\nTwo\n<!-- stop -->\nThree\n")
    slide = deck.slides[0]
    assert slide.steps == 3
    assert lines_new_at(slide, 1) == ["# Title", "One"]
    assert lines_new_at(slide, 2) == ["Two"]
    assert lines_new_at(slide, 3) == ["Three"]
    assert warnings(deck) == []


def test_steps_count_per_slide_and_never_change_the_slide_count(write: WriteFiles) -> None:
    deck = load(
        write, "A\n<!-- pause -->\nB\n---\nC\n---\nD\n<!-- pause -->\nE\n<!-- pause -->\nF\n"
    )
    assert [s.steps for s in deck.slides] == [2, 1, 3]


def test_a_pause_inside_a_list_item_holds_back_the_rest_of_the_item(write: WriteFiles) -> None:
    deck = load(write, "- one\n  <!-- pause -->\n  more of one\n- two\n\nAfter\n")
    slide = deck.slides[0]
    assert slide.steps == 2
    assert lines_new_at(slide, 1) == ["- one"]
    assert lines_new_at(slide, 2) == ["more of one", "- two", "After"]


def test_a_pause_between_list_items_at_the_top_level(write: WriteFiles) -> None:
    deck = load(write, "- one\n<!-- pause -->\n- two\n")
    assert lines_new_at(deck.slides[0], 2) == ["- two"]


def test_code_blocks_and_errors_take_the_step_they_stand_in(write: WriteFiles) -> None:
    deck = load(
        write,
        "Intro\n<!-- pause -->\n!code demo.py\n!nonsense here\n",
        **{"demo.py": "print(1)\n"},
    )
    slide = deck.slides[0]
    assert slide.steps == 2
    assert [(type(b).__name__, b.step) for b in slide.blocks] == [
        ("MarkdownBlock", 1),
        ("CodeBlock", 2),
        ("ErrorBlock", 2),
    ]
    assert isinstance(slide.blocks[1], CodeBlock)
    assert slide.blocks_at(1) == slide.blocks[:1]


def test_notes_after_a_pause_belong_to_its_step(write: WriteFiles) -> None:
    text = (
        "!comment before anything\n"
        "# Title\n"
        "!comment about the title\n"
        "<!-- pause -->\n"
        "!comment about the second step\n"
        "Second\n"
        "<!-- pause -->\n"
        "Third\n"
        "!comment about the third\n"
    )
    slide = load(write, text).slides[0]
    assert slide.notes == (
        "before anything",
        "about the title",
        "about the second step",
        "about the third",
    )
    assert slide.note_steps == (1, 1, 2, 3)
    assert slide.notes_at(2) == ("about the second step",)


def test_header_footer_classes_and_background_belong_to_the_slide(write: WriteFiles) -> None:
    text = (
        "!header H\n!footer F\nOne\n<!-- pause -->\n!slide_classes special\nTwo\n"
        "!slide_background bg.png\n"
    )
    slide = load(write, text, **{"bg.png": "x"}).slides[0]
    assert (slide.header, slide.footer, slide.classes, slide.steps) == ("H", "F", ("special",), 2)
    assert slide.background is not None and slide.background.written == "bg.png"


# -- incremental lists ---------------------------------------------------------------------


def test_an_incremental_list_shows_one_top_level_item_per_step(write: WriteFiles) -> None:
    text = (
        "Intro\n\n<!-- incremental_lists: true -->\n"
        "1. one\n   - nested in one\n2. two\n3. three\n\nAfter the list\n"
    )
    slide = load(write, text).slides[0]
    assert slide.steps == 3  # a list of three items adds two steps
    assert lines_new_at(slide, 1) == ["Intro", "1. one", "- nested in one"]
    assert lines_new_at(slide, 2) == ["2. two"]
    assert lines_new_at(slide, 3) == ["3. three", "After the list"]


def test_incremental_lists_can_be_turned_off_again(write: WriteFiles) -> None:
    text = (
        "<!-- incremental_lists: true -->\n- a\n- b\n\n"
        "<!-- incremental_lists: false -->\n\n- c\n- d\n"
    )
    slide = load(write, text).slides[0]
    assert slide.steps == 2
    assert lines_new_at(slide, 2) == ["- b", "- c", "- d"]


def test_an_incremental_list_after_a_pause_starts_at_that_step(write: WriteFiles) -> None:
    text = "<!-- incremental_lists: true -->\nTitle\n<!-- pause -->\n- a\n- b\n"
    slide = load(write, text).slides[0]
    assert slide.steps == 3
    assert lines_new_at(slide, 2) == ["- a"]
    assert lines_new_at(slide, 3) == ["- b"]


def test_the_deck_wide_default_makes_every_list_incremental(write: WriteFiles) -> None:
    path = write({"deck.md": "- a\n- b\n---\n<!-- incremental_lists: false -->\n- c\n- d\n"})
    deck = load_deck(path, cwd=path.parent, incremental_lists=True)
    assert [s.steps for s in deck.slides] == [2, 1]
    assert [s.steps for s in load_deck(path, cwd=path.parent).slides] == [1, 1]


def test_lists_in_quotes_and_nested_lists_never_step_on_their_own(write: WriteFiles) -> None:
    text = "<!-- incremental_lists: true -->\n> - a\n> - b\n\n- c\n  - c1\n  - c2\n"
    assert load(write, text).slides[0].steps == 1


# -- where a pause may stand ---------------------------------------------------------------


def test_a_pause_where_it_may_not_stand_is_no_step_and_is_warned_of(write: WriteFiles) -> None:
    text = (
        "Intro\n"  # 1
        "\n"
        "> quoted\n"  # 3
        "> <!-- pause -->\n"  # 4
        "\n"
        "| a | b |\n"  # 6
        "|---|---|\n"
        "| <!-- pause --> | c |\n"  # 8
        "\n"
        "```\n"  # 10
        "<!-- pause -->\n"  # 11
        "```\n"
        "\n"
        "Text <!-- pause --> in a line\n"  # 14
        "Last\n"
    )
    deck = load(write, text)
    assert deck.slides[0].steps == 1
    assert warnings(deck) == [(4, MISPLACED_PAUSE), (8, MISPLACED_PAUSE), (11, MISPLACED_PAUSE),
                              (14, MISPLACED_PAUSE)]  # fmt: skip


def test_the_syntax_shown_as_inline_code_is_no_pause_and_no_warning(write: WriteFiles) -> None:
    deck = load(write, "Write `<!-- pause -->` on a line of its own.\n")
    assert (deck.slides[0].steps, warnings(deck)) == (1, [])


def test_a_pause_that_reveals_nothing_is_warned_of_at_its_line(write: WriteFiles) -> None:
    text = "One\n!comment a note\n<!-- pause -->\n!comment only a note here\n<!-- pause -->\nTwo\n"
    deck = load(write, text)
    assert deck.slides[0].steps == 3
    assert warnings(deck) == [(3, EMPTY_STEP)]


def test_a_pause_at_the_end_of_a_slide_reveals_nothing(write: WriteFiles) -> None:
    deck = load(write, "One\n\n<!-- pause -->\n---\nNext\n")
    assert [s.steps for s in deck.slides] == [2, 1]
    assert warnings(deck) == [(3, EMPTY_STEP)]


def test_a_bad_incremental_lists_value_is_warned_of(write: WriteFiles) -> None:
    deck = load(write, "<!-- incremental_lists: sometimes -->\n- a\n- b\n")
    assert deck.slides[0].steps == 1
    assert [m for _, m in warnings(deck)] == ["incremental_lists takes true or false"]


def test_steps_in_an_included_file_count_for_the_slide(write: WriteFiles) -> None:
    deck = load(write, "Intro\n!include part.md\nEnd\n", **{"part.md": "<!-- pause -->\nPart\n"})
    slide = deck.slides[0]
    assert slide.steps == 2
    assert lines_new_at(slide, 2) == ["Part", "End"]

"""Code attributes after a fence's language and at the end of a `!code` line."""

from __future__ import annotations

from prexterm.core.code_attributes import CodeAttributes, LineRange, fence_info, read_attributes
from prexterm.core.model import CodeBlock, MarkdownBlock, Severity
from prexterm.core.parser import load_deck
from tests.conftest import WriteFiles


def _warnings(write: WriteFiles, text: str, **files: str) -> tuple[list[str], list[int]]:
    deck_path = write({"deck.md": text, **files})
    deck = load_deck(deck_path, cwd=deck_path.parent)
    warnings = [
        f"{d.source.line}: {d.message}" for d in deck.diagnostics if d.severity is Severity.WARNING
    ]
    return warnings, [slide.steps for slide in deck.slides]


def test_fixed_highlight_and_flags_after_the_language() -> None:
    language, attributes = fence_info("python {1,3-5} +line_numbers +exec +pty")
    assert language == "python"
    assert attributes.highlight == ((LineRange(1, 1), LineRange(3, 5)),)
    assert (attributes.line_numbers, attributes.exec, attributes.pty) == (True, True, True)
    assert attributes.steps == 1
    assert [line for line in range(1, 7) if attributes.lit(line, 0)] == [1, 3, 4, 5]


def test_moving_highlight_has_one_step_per_group_and_all_lights_every_line() -> None:
    _, attributes = fence_info("rust {1-2|3|all}")
    assert attributes.steps == 3
    assert [attributes.lit(line, 0) for line in (1, 2, 3)] == [True, True, False]
    assert [attributes.lit(line, 1) for line in (1, 2, 3)] == [False, False, True]
    assert [attributes.lit(line, 2) for line in (1, 2, 3)] == [True, True, True]
    assert attributes.groups_of(3) == (1, 2)


def test_attributes_alone_or_against_the_language() -> None:
    assert fence_info("{2}") == ("", CodeAttributes(highlight=((LineRange(2, 2),),)))
    assert fence_info("python{2}")[0] == "python"
    assert fence_info("python{2}")[1].highlight == ((LineRange(2, 2),),)
    assert fence_info("python { 1 , 3 - 4 }")[1].highlight == ((LineRange(1, 1), LineRange(3, 4)),)
    assert fence_info("python {all}")[1] == CodeAttributes()


def test_unreadable_attributes_are_problems_not_failures() -> None:
    _, attributes = fence_info("python {1,x} +colour {5-2}")
    assert attributes.highlight == ()
    assert len(attributes.problems) == 3
    assert "unknown code attribute +colour" in attributes.problems[1]


def test_code_line_attributes_are_never_the_runner() -> None:
    rest, attributes = read_attributes(
        "demo.py python python3 -u {2,4} +line_numbers", strict=False
    )
    assert rest == "demo.py python python3 -u"
    assert attributes.highlight == ((LineRange(2, 2), LineRange(4, 4)),)
    assert attributes.line_numbers
    # A runner argument that only looks like an attribute stays the runner's.
    rest, attributes = read_attributes("demo.sh bash bash -c +x", strict=False)
    assert rest == "demo.sh bash bash -c +x"
    assert attributes == CodeAttributes()


def test_code_block_keeps_its_runner_and_attributes(write: WriteFiles) -> None:
    deck_path = write(
        {
            "deck.md": "!code demo.py python python3 -u {1|2} +pty\n",
            "demo.py": "print(1)\nprint(2)\n",
        }
    )
    deck = load_deck(deck_path, cwd=deck_path.parent)
    (slide,) = deck.slides
    block = slide.blocks[-1]
    assert isinstance(block, CodeBlock)
    assert block.runner == ("python3", "-u")
    assert block.attributes.pty
    assert slide.steps == 2


def test_moving_fence_adds_steps_and_what_follows_comes_with_its_last_group(
    write: WriteFiles,
) -> None:
    deck_path = write(
        {"deck.md": "# T\n\n```python {1|2|all}\na\nb\n```\n\nafter\n<!-- pause -->\nlast\n"}
    )
    deck = load_deck(deck_path, cwd=deck_path.parent)
    (slide,) = deck.slides
    assert slide.steps == 4
    (block,) = slide.blocks
    assert isinstance(block, MarkdownBlock)
    lines = block.text.split("\n")
    assert block.step_at(lines.index("a")) == 1
    assert block.step_at(lines.index("after")) == 3
    assert block.step_at(lines.index("last")) == 4
    assert not deck.diagnostics


def test_out_of_range_lines_and_bad_tokens_are_check_warnings(write: WriteFiles) -> None:
    warnings, steps = _warnings(
        write,
        "```python {1|7} +line_numbers\na\nb\n```\n---\n```sh +sparkle\nls\n```\n"
        "---\n!code demo.py {3-12}\n",
        **{"demo.py": "a = 1\n"},
    )
    assert warnings == [
        "1: highlighted line 7 is past the end: the code has 2 lines",
        "6: unknown code attribute +sparkle: known are +line_numbers, +exec, +pty",
        "10: highlighted line 12 is past the end: the code has 1 line",
    ]
    assert steps == [2, 1, 1]


def test_code_line_of_attributes_only_is_an_error_block(write: WriteFiles) -> None:
    deck_path = write({"deck.md": "!code {1}\n"})
    deck = load_deck(deck_path, cwd=deck_path.parent)
    assert [d.message for d in deck.diagnostics] == ["!code needs a path before its attributes"]

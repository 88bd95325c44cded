"""The reader for plain slides gives markdown-it's tree, or leaves the slide to markdown-it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it.tree import SyntaxTreeNode

from prexterm.core.parser import load_deck
from prexterm.render._shared import MarkdownNode, parser
from prexterm.render.simple_markdown import read_simple
from tests.conftest import SAMPLES, SEED_DECK, SEEDS, fresh_python


def shape(node: MarkdownNode) -> tuple[Any, ...]:
    """Everything a renderer reads of a node, its children included."""
    if node.type == "root":
        return ("root", [shape(child) for child in node.children])
    return (
        node.type,
        node.tag,
        node.markup,
        node.info,
        node.content,
        node.hidden,
        dict(node.attrs),
        [shape(child) for child in node.children],
    )


def markdown_it_shape(text: str) -> tuple[Any, ...]:
    return shape(SyntaxTreeNode(parser().parse(text)))


def same_tree_when_read(text: str) -> None:
    """When the simple reader reads `text` at all, its tree is markdown-it's."""
    simple = read_simple(text)
    if simple is not None:
        assert shape(simple) == markdown_it_shape(text)


# Pieces that make up slides: plain words and each thing that changes how a line reads.
TEXT = ["word", "Two words", "é", "2019", " ", "  ", "(", ")", '"', "'", ".", ",", "!", ":"]
BLOCKS = ["\n", "\n\n", "# ", "## ", "###### ", "#", "- ", "* ", "+ ", "1.", "1)", "> ", "    "]
MARKS = ["*", "**", "***", "_", "`", "``", "```", "~~~", "```python\n", "\n```", "~~", "\t"]
HTML = ["<small>", "</small>", "<br>", "<br />", "<b>", "<span>", "<!-- x -->"]
OTHER = ["|", "---", "===", "[a](b)", "![i](p.png)", "&amp;", "\\"]
PIECES = st.sampled_from(TEXT + BLOCKS + MARKS + HTML + OTHER)
SLIDE_TEXT = st.lists(PIECES, max_size=24).map("".join)
# Mostly the pieces of the shapes it reads, so that most examples test a tree it gives.
PLAIN = ["word", "Two words", "é", " ", "\n", "\n\n", "# ", "## ", "- ", "* ", "*", "**", "`"]
FENCES = ["```python\n", "```\n", "\n```", "\n```\n", "~~~\n", "<small>", "</small>", "<br>"]
PUNCTUATION = [".", ",", '"', "(", ")", "!", ":", "1.", "x#", "#"]
PLAIN_SLIDE_TEXT = st.lists(st.sampled_from(PLAIN + FENCES + PUNCTUATION), max_size=30).map("".join)


@settings(max_examples=600, deadline=None)
@given(SLIDE_TEXT)
@example("# Title *with* **words**\n\nA line\nand `code` <small>small</small>\n\n- one\n- two")
@example("```python\nx = 1\n  ```\n```")
@example("- a\n\n* b\n\nText")
@example("# \tword")  # a tab is not a space to every rule
def test_any_slide_it_reads_gets_markdown_its_tree(text: str) -> None:
    same_tree_when_read(text)


@settings(max_examples=400, deadline=None)
@given(PLAIN_SLIDE_TEXT)
def test_plain_looking_slides_it_reads_get_markdown_its_tree(text: str) -> None:
    same_tree_when_read(text)


def every_markdown_block() -> list[str]:
    texts = []
    for path in [*SAMPLES.rglob("*.md"), *SEEDS.glob("*.md")]:
        deck = load_deck(path)
        texts += [
            block.text for slide in deck.slides for block in slide.blocks if hasattr(block, "text")
        ]
    return texts


def test_the_slides_it_reads_in_the_samples_and_seeds_match_markdown_it() -> None:
    texts = every_markdown_block()
    read = [text for text in texts if read_simple(text) is not None]
    assert len(read) >= len(texts) // 2, "most real slides are plain"
    for text in read:
        simple = read_simple(text)
        assert simple is not None
        assert shape(simple) == markdown_it_shape(text), text


@pytest.mark.parametrize(
    "text",
    [
        "# prexterm\n\nPresentations that play in your terminal.\n\n<small>Press Space</small>",
        '- For about a year now, some co-ops "WITH" co-operatives.',
        "## Slide 1: a heading with *emphasis*\n\n```python\nvalue = compute(0)  # ---\n```",
        "Plain **strong** words, `code`, and <b>bold</b><br>on two\nlines.",
    ],
)
def test_first_slides_of_common_shapes_are_read(text: str) -> None:
    simple = read_simple(text)
    assert simple is not None
    assert shape(simple) == markdown_it_shape(text)


@pytest.mark.parametrize(
    "text",
    [
        "- a\n  - nested",  # indented lines
        "- a\n\n- b",  # a loose list
        "- a\nlazy continuation",
        "| a | b |\n| - | - |",
        "A [link](https://example.org)",
        "```\ncode\n  ```",  # an indented closing fence
        "```\nnever closed",
        "1. numbered",
        "> quoted",
        "a*b*c",  # emphasis inside a word
        "<div>\nblock\n</div>",
        "Snake_case and ~~struck~~",
        "# Title\n<br />\n**strong**",  # a lone void tag line: `parse` reads on after it
        "# Title\n<br>\nwords",
        "Words\n<hr>\nmore words",
        "###\u00a0Heading",  # the parser rewrites this for both readers
    ],
)
def test_other_shapes_are_left_to_markdown_it(text: str) -> None:
    assert read_simple(text) is None


def test_a_plain_first_slide_is_drawn_without_loading_markdown_it() -> None:
    code = (
        "import sys\n"
        "from prexterm.core.model import MarkdownBlock, Source\n"
        "from prexterm.core.parser import load_deck\n"
        "SOURCE = Source('deck.md', 1)\n"
        "from prexterm.render import DARK, SlideRenderCache\n"
        f"deck = load_deck({str(SEED_DECK)!r})\n"
        "cache = SlideRenderCache(palette=DARK)\n"
        "cache.get(deck.slides[0], 80)\n"
        "print('markdown_it' in sys.modules)\n"
        "cache.get(deck.slides[0]._replace(blocks=(MarkdownBlock('| a |\\n| - |', SOURCE),)), 80)\n"
        "print('markdown_it' in sys.modules)\n"
    )
    assert fresh_python(code).split() == ["False", "True"]

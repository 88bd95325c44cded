"""Slide Markdown as a tree of block nodes, in the dialect of the format.

The renderers draw from this tree, and the deck model reads the same tree to find which
part of a slide belongs to which step: both must see exactly the same blocks.
Only markdown-it is needed here, never Rich.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

if TYPE_CHECKING:
    from markdown_it.token import Token

MarkdownNode = SyntaxTreeNode
"""A node of a parsed slide as the renderers read it: markdown-it's tree is easier to walk
than its flat tokens."""


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The Markdown dialect of the format: CommonMark plus GitHub tables and strikethrough."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def parse(text: str) -> MarkdownNode:
    """`text` as a tree of Markdown nodes (a tree is easier to walk than flat tokens)."""
    env: dict[str, object] = {}
    tokens = parser().parse(text, env)
    if any(token.type == "html_block" for token in tokens):
        tokens = _lone_void_tags_apart(tokens, env)
    return SyntaxTreeNode(tokens)


def _lone_void_tags_apart(tokens: list[Token], env: dict[str, object]) -> list[Token]:
    """Each HTML block that starts with a lone void tag line ends after that line.

    CommonMark opens an HTML block at a line that holds only a tag and runs it to the
    next blank line, so `# Title`, `<br />`, `![logo](logo.png)` shows the picture's
    Markdown as text. Prexent's reader took such a line as one element on its own, and
    decks written for it put `<br />` between a heading and a picture or a quote. The
    lines after it are read again, as the Markdown they are, with the slide's link
    references; their line numbers stay those of the slide, and in an item of a tight
    list their paragraphs are tight too.
    """
    from prexterm.core.dialect import lone_void_tag

    result: list[Token] = []
    for index, token in enumerate(tokens):
        first, _, rest = token.content.partition("\n")
        if token.type != "html_block" or not rest.strip() or lone_void_tag(first) is None:
            result.append(token)
            continue
        start = token.map[0] if token.map else 0
        token.content = first + "\n"
        if token.map:
            token.map = [start, start + 1]
        result.append(token)
        tight = _in_tight_list(tokens, index)
        for inner in _lone_void_tags_apart(parser().parse(rest, env), env):
            if tight and inner.level == 0 and inner.type in ("paragraph_open", "paragraph_close"):
                inner.hidden = True
            inner.level += token.level
            if inner.map:
                inner.map = [inner.map[0] + start + 1, inner.map[1] + start + 1]
            result.append(inner)
    return result


def _in_tight_list(tokens: list[Token], index: int) -> bool:
    """Whether `tokens[index]` stands right in an item of a list whose paragraphs are tight.

    markdown-it marks a tight list only by hiding its items' paragraphs, so the list's
    other paragraphs tell (an HTML block holds no blank line, so it cannot loosen it).
    """
    level = tokens[index].level
    opened = index - 1
    while opened >= 0 and tokens[opened].level >= level:
        opened -= 1
    if opened < 0 or tokens[opened].type != "list_item_open":
        return False
    start = opened
    while start >= 0 and tokens[start].level >= level - 1:
        start -= 1
    for token in tokens[start + 1 :]:
        if token.level < level - 1:
            break
        if token.level == level and token.type == "paragraph_open" and not token.hidden:
            return False
    return True

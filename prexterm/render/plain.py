"""A slide's visible text as plain text, for `check --json` and other tools.

It follows the same rules as the terminal renderer (HTML tags dropped, comments
hidden, `<br>` breaks the line, images show their alt text) but does not import
Rich, so the checker can use it cheaply.
"""

from __future__ import annotations

from prexterm.core.markdown_tree import MarkdownNode, parse
from prexterm.core.model import CodeBlock, MarkdownBlock, Slide
from prexterm.core.text import clean
from prexterm.render._shared import (
    HIDDEN_CONTENT,
    Tag,
    classify_tag,
    html_pieces,
)

__all__ = ["first_step_showing", "markdown_to_plain", "step_texts"]


def markdown_to_plain(text: str) -> str:
    """The visible text of Markdown `text`: one line per paragraph, list item or table row.

    Every step of a slide shows in it: a search finds what a later step reveals.
    """
    lines: list[str] = []
    _blocks(parse(text), lines, indent="")
    return "\n".join(clean(line, drop=True) for line in lines)


class _Steps:
    """The step of every line of plain text, as a Markdown block's marks give them."""

    def __init__(self, block: MarkdownBlock) -> None:
        self.block = block
        self.tags: list[int | None] = []

    def tag(self, lines: list[str], node: MarkdownNode) -> None:
        """The lines added since the last tag that no inner part claimed are `node`'s."""
        step = self.block.step_at(node.map[0]) if node.map else self.block.step
        self.tags.extend([None] * (len(lines) - len(self.tags)))
        for index in range(len(self.tags) - 1, -1, -1):
            if self.tags[index] is not None:
                break  # what is not yet claimed is always at the end
            self.tags[index] = step


def step_texts(slide: Slide) -> tuple[str, ...]:
    """The plain text each step of `slide` adds, the first step's first.

    What the presenter's next-step preview shows, and where a search match first shows.
    Code blocks show their code and error blocks their message.
    """
    added: list[list[str]] = [[] for _ in range(max(1, slide.steps))]

    def add(step: int, line: str) -> None:
        added[min(max(1, step), len(added)) - 1].append(line)

    for block in slide.blocks:
        if isinstance(block, MarkdownBlock):
            lines: list[str] = []
            steps = _Steps(block)
            _blocks(parse(block.text), lines, indent="", steps=steps)
            steps.tags.extend([None] * (len(lines) - len(steps.tags)))
            for line, tag in zip(lines, steps.tags, strict=True):
                add(tag or block.step, clean(line, drop=True))
        elif isinstance(block, CodeBlock):
            for line in block.code.rstrip("\n").split("\n"):
                add(block.step, clean(line, drop=True))
        else:
            add(block.step, clean(block.message, drop=True))
    return tuple("\n".join(lines) for lines in added)


def first_step_showing(slide: Slide, query: str) -> int:
    """The first step of `slide` at which `query` shows (case does not matter); the first
    step when it shows nowhere (a match only in the notes)."""
    needle = query.lower()
    if not needle or slide.steps <= 1:
        return 1
    shown = ""
    for step, text in enumerate(step_texts(slide), 1):
        shown += "\n" + text.lower()
        if needle in shown:
            return step
    return 1


def _blocks(node: MarkdownNode, lines: list[str], indent: str, steps: _Steps | None = None) -> None:
    for child in node.children:
        _block(child, lines, indent, steps)
        if steps is not None:
            steps.tag(lines, child)


def _block(node: MarkdownNode, lines: list[str], indent: str, steps: _Steps | None) -> None:
    kind = node.type
    if kind in ("paragraph", "heading"):
        _add_text(lines, indent, _inline_text(node.children[0]) if node.children else "")
    elif kind in ("bullet_list", "ordered_list"):
        _list(node, lines, indent, steps)
    elif kind == "blockquote":
        _blocks(node, lines, indent, steps)
    elif kind in ("fence", "code_block"):
        lines.extend(indent + line for line in node.content.rstrip("\n").split("\n"))
    elif kind == "table":
        for row in _rows(node):
            if any(cell.strip() for cell in row):  # an empty header row shows nothing
                _add_text(lines, indent, " | ".join(row))
    elif kind == "html_block":
        _add_text(lines, indent, _html_block_text(node.content))
    # Thematic breaks show no text.


def _list(node: MarkdownNode, lines: list[str], indent: str, steps: _Steps | None) -> None:
    ordered = node.type == "ordered_list"
    start = node.attrs.get("start", 1) if ordered else 1
    number = int(start) if isinstance(start, (int, float, str)) else 1
    for item in node.children:
        mark = f"{number}. " if ordered else "- "
        number += 1
        first = len(lines)
        _blocks(item, lines, indent + " " * len(mark), steps)
        if len(lines) == first:
            lines.append(indent + mark.rstrip())
        else:
            lines[first] = indent + mark + lines[first][len(indent) + len(mark) :]
        if steps is not None:
            steps.tag(lines, item)


def _rows(table: MarkdownNode) -> list[list[str]]:
    rows: list[list[str]] = []
    for section in table.children:
        for row in section.children:
            rows.append(
                [_inline_text(cell.children[0]) if cell.children else "" for cell in row.children]
            )
    return rows


def _add_text(lines: list[str], indent: str, text: str) -> None:
    """Add `text` (which may hold explicit line breaks) as indented lines, skipping blank ones."""
    for line in text.split("\n"):
        words = line.split()
        if words:
            lines.append(indent + " ".join(words))


def _inline_text(node: MarkdownNode) -> str:
    parts: list[str] = []
    _inline(node, parts)
    return "".join(parts)


def _inline(node: MarkdownNode, parts: list[str]) -> None:
    hiding = 0  # open `<script>` and `<style>` tags: their text is not shown
    for child in node.children:
        kind = child.type
        if kind == "html_inline":
            tag = classify_tag(child.content)
            if tag.kind == "break" and not hiding:
                parts.append("\n")
            elif tag.name in HIDDEN_CONTENT and tag.kind in ("open", "close"):
                hiding = hiding + 1 if tag.kind == "open" else max(0, hiding - 1)
        elif hiding:
            continue
        elif kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("\n")
        else:
            # Emphasis, links and images (their alt text) keep their children's text.
            _inline(child, parts)


def _html_block_text(content: str) -> str:
    parts: list[str] = []
    for piece in html_pieces(content):
        if isinstance(piece, Tag):
            if piece.kind == "break":
                parts.append("\n")
        else:
            parts.append(piece)
    return "".join(parts)

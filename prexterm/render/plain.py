"""A slide's visible text as plain text, for `check --json` and other tools.

It follows the same rules as the terminal renderer (HTML tags dropped, comments
hidden, `<br>` breaks the line, images show their alt text) but does not import
Rich, so the checker can use it cheaply.
"""

from __future__ import annotations

from prexterm.core.markdown_tree import MarkdownNode, parse
from prexterm.core.text import clean
from prexterm.render._shared import (
    HIDDEN_CONTENT,
    Tag,
    classify_tag,
    html_pieces,
)

__all__ = ["markdown_to_plain"]


def markdown_to_plain(text: str) -> str:
    """The visible text of Markdown `text`: one line per paragraph, list item or table row."""
    lines: list[str] = []
    _blocks(parse(text), lines, indent="")
    return "\n".join(clean(line, drop=True) for line in lines)


def _blocks(node: MarkdownNode, lines: list[str], indent: str) -> None:
    for child in node.children:
        _block(child, lines, indent)


def _block(node: MarkdownNode, lines: list[str], indent: str) -> None:
    kind = node.type
    if kind in ("paragraph", "heading"):
        _add_text(lines, indent, _inline_text(node.children[0]) if node.children else "")
    elif kind in ("bullet_list", "ordered_list"):
        _list(node, lines, indent)
    elif kind == "blockquote":
        _blocks(node, lines, indent)
    elif kind in ("fence", "code_block"):
        lines.extend(indent + line for line in node.content.rstrip("\n").split("\n"))
    elif kind == "table":
        for row in _rows(node):
            if any(cell.strip() for cell in row):  # an empty header row shows nothing
                _add_text(lines, indent, " | ".join(row))
    elif kind == "html_block":
        _add_text(lines, indent, _html_block_text(node.content))
    # Thematic breaks show no text.


def _list(node: MarkdownNode, lines: list[str], indent: str) -> None:
    ordered = node.type == "ordered_list"
    start = node.attrs.get("start", 1) if ordered else 1
    number = int(start) if isinstance(start, (int, float, str)) else 1
    for item in node.children:
        mark = f"{number}. " if ordered else "- "
        number += 1
        first = len(lines)
        _blocks(item, lines, indent + " " * len(mark))
        if len(lines) == first:
            lines.append(indent + mark.rstrip())
        else:
            lines[first] = indent + mark + lines[first][len(indent) + len(mark) :]


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

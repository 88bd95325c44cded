"""The plain shapes of slide Markdown, read without loading markdown-it.

Loading markdown-it takes some 25 ms, close to a tenth of what a bare Textual app needs
to show its first frame, and a first slide is most often a title, a few lines of text,
a short list or a code block. `read_simple` knows exactly those shapes: it gives the
tree markdown-it would give (nodes with the same types, tags, markup and content), or
None for anything else, anything it is not sure of included, and then markdown-it
reads the slide. A property test holds the two readers to the same trees.

What it reads, in a slide whose lines have no leading or trailing spaces:
- ATX headings (`# Title`), paragraphs, tight lists of single-line bullets;
- fenced code with a one-word language, whose closing fence is written plainly;
- inside text: `*emphasis*` and `**strong**` around plain words, `` `code` `` spans,
  and the inline HTML tags the format honours, written without attributes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["SimpleNode", "read_simple"]

_NO_ATTRS: Mapping[str, str | int | float] = MappingProxyType({})


class SimpleNode:
    """One node of the tree, with the attributes the renderers read of markdown-it's."""

    __slots__ = ("children", "content", "hidden", "info", "markup", "tag", "type")

    def __init__(
        self,
        type: str,
        tag: str = "",
        *,
        markup: str = "",
        content: str = "",
        info: str = "",
        hidden: bool = False,
        children: list[SimpleNode] | None = None,
    ) -> None:
        self.type = type
        self.tag = tag
        self.markup = markup
        self.content = content
        self.info = info
        self.hidden = hidden
        self.children: list[SimpleNode] = children if children is not None else []

    @property
    def attrs(self) -> Mapping[str, str | int | float]:
        """No node this reader makes has attributes (links and images are not its shapes)."""
        return _NO_ATTRS

    def __repr__(self) -> str:
        return f"SimpleNode({self.type!r}, {self.content!r}, {len(self.children)} children)"


# The tags FORMAT.md honours, without attributes; a line that starts with one and has
# text after it is a paragraph, never an HTML block.
_TAG = re.compile(r"</?(?:small|b|strong|i|em|u|code|sub|sup)>|<br ?/?>")
_HEADING = re.compile(r"(#{1,6}) (.*)")
_FENCE = re.compile(r"(`{3,}|~{3,})([A-Za-z0-9_+.#-]*)")
_ORDERED = re.compile(r"\d{1,9}[.)]")
# One piece of inline text worth a look; everything between two pieces is plain text.
_PIECE = re.compile(r"\*\*|\*|`[^`\n]+`|<[^<>\n]*>|\n|[\\&\[\]_~|>`<]")
_OTHER_SPACE = re.compile(r"[^\S \n]")
"""White space but a space or a line break (tabs, carriage returns, no-break spaces):
where it counts as a space in Markdown and where it does not is not this reader's job."""
_OPENS_AFTER = frozenset(" ([\"'")
_CLOSES_BEFORE = frozenset(" \n.,;:!?)\"'")


def read_simple(text: str) -> SimpleNode | None:
    """The tree of `text` when every line is of a shape this reader knows, else None."""
    if "\x00" in text or _OTHER_SPACE.search(text):
        return None
    root = SimpleNode("root")
    blocks = root.children
    lines = text.split("\n")
    paragraph: list[str] | None = None
    bullets: SimpleNode | None = None
    after_blank = False

    def paragraph_closed() -> bool:
        """End the open paragraph, if any; False when its text is not simple."""
        nonlocal paragraph
        if paragraph is None:
            return True
        closed, paragraph = _add_paragraph(blocks, paragraph), None
        return closed

    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            if not paragraph_closed():
                return None
            after_blank = True
            continue
        if line != line.strip():
            return None
        first = line[0]
        node: SimpleNode | None
        if first in "`~":
            found = _fence(lines, index - 1)
            if found is None:
                return None
            node, index = found
        elif first == "#":
            node = _heading(line)
        elif first in "-*+" and line[1:2] == " ":
            item = _list_item(line[2:], first)
            if item is None:
                return None
            if bullets is not None and bullets.markup == first:
                if after_blank:
                    return None  # a blank line between items makes a loose list
                bullets.children.append(item)
                continue
            if not paragraph_closed():
                return None
            bullets = SimpleNode("bullet_list", "ul", markup=first, children=[item])
            blocks.append(bullets)
            after_blank = False
            continue
        else:
            if not _starts_text(line):
                return None
            if bullets is not None and not after_blank:
                return None  # the line would continue the last item's text
            if paragraph is None:
                paragraph = []
            paragraph.append(line)
            bullets = None
            after_blank = False
            continue
        # A heading or a fence: it ends the paragraph and the list before it.
        if node is None or not paragraph_closed():
            return None
        blocks.append(node)
        bullets = None
        after_blank = False
    return root if paragraph_closed() else None


def _starts_text(line: str) -> bool:
    """Whether `line` can only begin a paragraph (not a list, quote, break or HTML block)."""
    first = line[0]
    if first.isalpha() or first in "\"'(":
        return True
    if first.isdigit():
        return _ORDERED.match(line) is None
    if first == "<":
        tag = _TAG.match(line)
        return tag is not None and bool(line[tag.end() :].strip())
    return False


def _add_paragraph(blocks: list[SimpleNode], lines: list[str]) -> bool:
    """Add the paragraph of `lines` to `blocks`; False when its text is not simple."""
    inline = _inline("\n".join(lines))
    if inline is None:
        return False
    blocks.append(SimpleNode("paragraph", "p", children=[inline]))
    return True


def _list_item(text: str, marker: str) -> SimpleNode | None:
    """One single-line bullet item whose text cannot start another block, else None."""
    if not _starts_text(text):
        return None
    inline = _inline(text)
    if inline is None:
        return None
    paragraph = SimpleNode("paragraph", "p", hidden=True, children=[inline])
    return SimpleNode("list_item", "li", markup=marker, children=[paragraph])


def _heading(line: str) -> SimpleNode | None:
    match = _HEADING.fullmatch(line)
    if match is None:
        return None
    marks, text = match.groups()
    if not text or text[0] == " " or text.endswith("#"):
        return None
    inline = _inline(text)
    if inline is None:
        return None
    return SimpleNode("heading", f"h{len(marks)}", markup=marks, children=[inline])


def _fence(lines: list[str], start: int) -> tuple[SimpleNode, int] | None:
    """A fenced code block opening at `start`, and the index of the line after it."""
    match = _FENCE.fullmatch(lines[start])
    if match is None:
        return None
    marks, info = match.groups()
    if marks[0] == "~" and "~" in info:
        return None
    for end in range(start + 1, len(lines)):
        line = lines[end]
        stripped = line.strip()
        if stripped and stripped[0] == marks[0] and stripped == marks[0] * len(stripped):
            if len(stripped) < len(marks):
                continue  # too short to close: part of the code
            if stripped != line:
                return None  # an indented or spaced closing fence: leave it to markdown-it
            body = lines[start + 1 : end]
            content = "\n".join(body) + "\n" if body else ""
            node = SimpleNode("fence", "code", markup=marks, info=info, content=content)
            return node, end + 1
    return None  # never closed


def _inline(text: str) -> SimpleNode | None:
    """The inline node of `text`, or None when it holds anything but the simple pieces."""
    pieces: list[SimpleNode | str] = []  # a str is text, to be joined with its neighbours
    position = 0
    open_mark: str | None = None
    opened_at = 0
    for match in _PIECE.finditer(text):
        found = match.group()
        start, end = match.span()
        if start > position:
            pieces.append(text[position:start])
        position = end
        if found[0] == "*":
            before = text[start - 1] if start else " "
            after = text[end] if end < len(text) else " "
            if open_mark is None:
                if before not in _OPENS_AFTER or not after.isalnum():
                    return None
                open_mark = found
                opened_at = len(pieces)
                continue
            if found != open_mark or not before.isalnum() or after not in _CLOSES_BEFORE:
                return None
            inner = pieces[opened_at:]
            if len(inner) != 1 or not isinstance(inner[0], str):
                return None  # only plain words between the marks
            del pieces[opened_at:]
            kind, tag = ("em", "em") if found == "*" else ("strong", "strong")
            node = SimpleNode(
                kind, tag, markup=found, children=[SimpleNode("text", content=inner[0])]
            )
            if kind == "strong":
                # markdown-it leaves an empty text on each side of strong emphasis,
                # joined with the text next to it when there is some.
                pieces += ["", node, ""]
            else:
                pieces.append(node)
            open_mark = None
        elif found == "\n":
            pieces.append(SimpleNode("softbreak", "br"))
        elif found[0] == "`" and len(found) > 1:
            code = found[1:-1]
            if code[0] == " " and code[-1] == " " and code.strip(" "):
                code = code[1:-1]
            pieces.append(SimpleNode("code_inline", "code", markup="`", content=code))
        elif found[0] == "<" and _TAG.fullmatch(found):
            pieces.append(SimpleNode("html_inline", content=found))
        else:
            return None
    if open_mark is not None:
        return None
    if position < len(text):
        pieces.append(text[position:])
    children: list[SimpleNode] = []
    pending: str | None = None
    for piece in pieces:
        if isinstance(piece, str):
            pending = piece if pending is None else pending + piece
            continue
        if pending is not None:
            children.append(SimpleNode("text", content=pending))
            pending = None
        children.append(piece)
    if pending is not None:
        children.append(SimpleNode("text", content=pending))
    return SimpleNode("inline", content=text, children=children)

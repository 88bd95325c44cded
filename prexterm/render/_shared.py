"""Pieces shared by the Rich renderer and the plain-text view.

This module must not import Rich: the checker turns slides into plain text through
`plain.py`, and it should not pay for (or depend on) the terminal renderer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, NamedTuple
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from prexterm.core.model import Asset

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


TagKind = Literal["break", "open", "close", "hidden"]


class Tag(NamedTuple):
    """One HTML tag as the renderers understand it.

    `hidden` covers comments, declarations and processing instructions: nothing of
    them shows. Tags that are neither breaks nor known styles are `open`/`close` with
    a name no renderer knows, so their text stays and the tag itself is dropped.
    """

    kind: TagKind
    name: str = ""


_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)\b[^>]*?(/?)\s*>\Z", re.DOTALL)

# Pieces of an HTML block: comments (possibly unterminated: they run to the end),
# declarations / CDATA, processing instructions, and ordinary tags.
_HTML_PIECE = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<![^>]*(?:>|\Z)"
    r"|<\?.*?(?:\?>|\Z)"
    r"|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>",
    re.DOTALL,
)


def classify_tag(raw: str) -> Tag:
    """What an inline HTML token (a single tag or comment) means for display."""
    stripped = raw.strip()
    if stripped.startswith(("<!", "<?")):
        return Tag("hidden")
    match = _TAG.match(stripped)
    if match is None:
        return Tag("hidden")
    closing, name, self_closing = match.groups()
    name = name.lower()
    if name == "br":
        return Tag("break", name)
    if closing:
        return Tag("close", name)
    if self_closing:
        # A self-closed tag (`<span/>`) holds no text: nothing to open or close.
        return Tag("hidden", name)
    return Tag("open", name)


HIDDEN_CONTENT = frozenset(("script", "style"))
"""Tags whose content is for the browser (a program, a stylesheet), never for the audience."""


def html_pieces(content: str) -> Iterator[str | Tag]:
    """An HTML block as text (entities decoded) and tags, in order.

    The text inside `<script>` and `<style>` is left out.
    """
    import html  # its table of entities loads only for slides with HTML blocks

    position = 0
    hiding = 0
    for match in _HTML_PIECE.finditer(content):
        if match.start() > position and not hiding:
            yield html.unescape(content[position : match.start()])
        tag = classify_tag(match.group(0))
        if tag.name in HIDDEN_CONTENT and tag.kind in ("open", "close"):
            hiding = hiding + 1 if tag.kind == "open" else max(0, hiding - 1)
        yield tag
        position = match.end()
    if position < len(content) and not hiding:
        yield html.unescape(content[position:])


def display_path(src: str) -> str:
    """How an image path is shown: as written, without its `#fragment`.

    Decks use fragments as layout hints for the browser (`#float-right`); they are
    not part of the file name.
    """
    return unquote(src.split("#", 1)[0])


def find_asset(src: str, images: Mapping[str, Asset]) -> Asset | None:
    """The parser's asset for an image source, trying the spellings it may be keyed by.

    The Markdown parser percent-encodes link destinations, while the deck parser
    records the path as written, so both forms (with and without the fragment) are tried.
    """
    bare = src.split("#", 1)[0]
    for key in (src, unquote(src), bare, unquote(bare)):
        asset = images.get(key)
        if asset is not None:
            return asset
    return None


def image_label(alt: str, path: str, problem: str | None, *, ascii_only: bool = False) -> str:
    """The words of an image placeholder: `image: ALT — PATH (problem)`."""
    dash = "-" if ascii_only else "\N{EM DASH}"
    label = f"image: {alt} {dash} {path}" if alt else f"image: {path}"
    if problem:
        label += f" ({problem})"
    return label

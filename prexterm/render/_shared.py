"""Pieces shared by the Rich renderer and the plain-text view.

This module must not import Rich: the checker turns slides into plain text through
`plain.py`, and it should not pay for (or depend on) the terminal renderer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Literal, NamedTuple
from urllib.parse import unquote

from prexterm.core.model import Asset

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

"""Three shapes of Prexent's Markdown reader that CommonMark reads otherwise.

Prexent rendered slides with Earmark, which accepts a few things CommonMark does not.
Decks written for it use them, and markdown-it (the one reader of slide text here)
would show their syntax to the audience. The parser rewrites each such line into the
CommonMark that means the same, as it reads the deck, and reports a note that names the
line and what to write instead:

- a pipe table without a delimiter row (Earmark shows every row as data): an empty
  header row and a delimiter row are put above it; a header row whose cells are all
  empty is not drawn;
- a heading whose marks are followed by a no-break space (U+00A0) instead of a
  space: it becomes a space;
- a reference link with a space between its brackets (`[Google] [1]`) whose label is
  defined in the same file: the space goes.

The rewrite only ever changes those lines (a table gains two lines above its first
row), so every other line of a slide reads exactly as written. Lines inside fences
never come here: the parser keeps them as they are.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_DELIMITER_ROW = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
_NBSP_HEADING = re.compile(r"( {0,3}#{1,6})\u00a0[\u00a0 \t]*")
_DEFINITION = re.compile(r"^ {0,3}\[([^\]\n]+)\]:", re.MULTILINE)
_SPACED_REFERENCE = re.compile(r"(!?\[([^\[\]\n]*)\])[ \t]+\[([^\[\]\n]*)\]")
_SEPARATOR = re.compile(r"(?:---|-)[ \t]*")
# The HTML elements that never hold anything, so never have a closing tag.
_VOID = "area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr"
_LONE_VOID = re.compile(rf" {{0,3}}<({_VOID})(?:\s[^<>]*)?/?>[ \t]*", re.IGNORECASE)


def lone_void_tag(line: str) -> str | None:
    """The name of the void tag (`br`, `hr`, …) that is all of `line`, else None.

    Prexent's reader took such a line as one element of its own, and so does prexterm
    (see `prexterm.render._shared.parse`): the Markdown after it reads as Markdown.
    """
    match = _LONE_VOID.fullmatch(line.rstrip("\n"))
    return match.group(1).lower() if match else None


class Rewrite(NamedTuple):
    """The lines that stand for one deck line, and the note that says why."""

    lines: tuple[str, ...]
    note: str


class DialectReader:
    """Finds the shapes in the lines of one file; made once per file that may hold them
    (one with a `|`, a no-break space or `] [`: the parser loads this module only then)."""

    def __init__(self, text: str, lines: list[str]) -> None:
        self.lines = lines
        labels = _DEFINITION.findall(text) if "] [" in text else ()
        self.labels = frozenset(_label(found) for found in labels)
        self.candidates = self._candidates(text)
        """The numbers (1-based) of the lines worth a closer look: the parser asks only
        about these, so a deck with many tables is read almost as fast as one without."""

    def _candidates(self, text: str) -> frozenset[int]:
        rows = "|" in text
        spaces = "\u00a0" in text
        references = bool(self.labels)
        found: set[int] = set()
        after_row = False
        for number, line in enumerate(self.lines, 1):
            start = line.lstrip(" ") if line[:1] == " " else line
            first = start[:1]
            row = rows and first == "|"
            if (
                (row and not after_row)
                or (spaces and first == "#" and "\u00a0" in line)
                or (references and "] [" in line)
            ):
                found.add(number)
            after_row = row
        return frozenset(found)

    def rewrite(self, index: int) -> Rewrite | None:
        """What line `index` (0-based, outside any fence) becomes, or None to keep it."""
        line = self.lines[index]
        start = line.lstrip(" ")
        if start[:1] == "|" and len(line) - len(start) < 4:
            return self._table(index)
        if start[:1] == "#":
            match = _NBSP_HEADING.match(line)
            if match is not None:
                marks = match.group(1).strip()
                title = line[match.end() :]
                return Rewrite(
                    (f"{match.group(1)} {title}",),
                    f"a no-break space after `{marks}`; write a plain space: `{marks} {title}`",
                )
        if self.labels and "] [" in line:
            return self._references(line)
        return None

    def _table(self, index: int) -> Rewrite | None:
        lines = self.lines
        if index > 0 and not _ends_text(lines[index - 1]):
            return None  # a row inside a table, or a line that goes on a paragraph
        if _is_delimiter_row(lines[index]):
            return None
        if index + 1 < len(lines) and _is_delimiter_row(lines[index + 1]):
            return None  # a table as CommonMark writes it
        if lines[index].count("|") < 2:
            return None
        columns = 0
        for row in lines[index:]:
            stripped = row.strip()
            if not stripped.startswith("|"):
                break
            columns = max(columns, _cells(stripped))
        empty = "|" + "  |" * columns
        delimiter = "|" + " --- |" * columns
        return Rewrite(
            (empty, delimiter, lines[index]),
            "a table without a delimiter row, which Prexent showed with no header row;"
            f" write `{empty}` and `{delimiter}` above it to keep it so,"
            f" or `{delimiter}` under its first row to make that row a header",
        )

    def _references(self, line: str) -> Rewrite | None:
        written: list[str] = []

        def joined(match: re.Match[str]) -> str:
            label = match.group(3) or match.group(2)
            if line.count("`", 0, match.start()) % 2 or _label(label) not in self.labels:
                return match.group(0)  # inside code, or not a reference after all
            written.append(match.group(0))
            return _joined(match)

        rewritten = _SPACED_REFERENCE.sub(joined, line)
        if not written:
            return None
        kind = "link" if len(written) == 1 else "links"
        links = ", ".join(f"`{link}`" for link in written)
        fixed = ", ".join(f"`{_SPACED_REFERENCE.sub(_joined, link)}`" for link in written)
        return Rewrite(
            (rewritten,),
            f"a space between the brackets of the reference {kind} {links}; write {fixed}",
        )


def _joined(match: re.Match[str]) -> str:
    """A spaced reference link (`[Google] [1]`) as CommonMark writes it (`[Google][1]`)."""
    return f"{match.group(1)}[{match.group(3)}]"


def _is_delimiter_row(line: str) -> bool:
    """Whether `line` is a table's delimiter row (`| --- | :---: |`).

    One with no bar at all (`---`, `-`) is a slide separator in a deck.
    """
    return "|" in line and "-" in line and _DELIMITER_ROW.fullmatch(line) is not None


def _ends_text(line: str) -> bool:
    """Whether a table may start on the line after `line` (Earmark wants one on its own).

    After a lone `<br />` it may: that line is an element of its own (see `lone_void_tag`).
    """
    stripped = line.strip()
    return (
        not stripped
        or stripped[0] == "#"
        or (line[:1] == "!" and not line.startswith("!["))
        or _SEPARATOR.fullmatch(line) is not None
        or (stripped[0] == "<" and lone_void_tag(line) is not None)
    )


def _cells(row: str) -> int:
    """How many cells markdown-it finds in a table row (escaped pipes are text)."""
    inner = row[1:] if row.startswith("|") else row
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return 1 + len(re.findall(r"(?<!\\)\|", inner))


def _label(label: str) -> str:
    """A reference label as CommonMark matches it: case and runs of spaces do not count."""
    return " ".join(label.split()).casefold()

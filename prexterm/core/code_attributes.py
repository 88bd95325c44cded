"""Code attributes: `{1,3-5}`, `{1-2|3|all}`, `+line_numbers`, `+exec` and `+pty`.

They stand after a fence's language and at the end of a `!code` line. One reader serves
both, so the parser, the renderer (which reads a fence's info string itself, one slide
at a time) and `check` agree on what a block asks for. Nothing here ever fails: a token
that cannot be read is reported as a problem and otherwise ignored, so the slide plays.
"""

from __future__ import annotations

import re
from typing import NamedTuple

FLAGS = ("line_numbers", "exec", "pty")
"""The `+name` attributes."""

HIGHLIGHT_LIMIT = 100_000
"""The highest line number a highlight may name: no code panel is longer, and a
range such as `1-99999999999` must not be spelled out line by line."""

_BRACES = re.compile(r"\{[^{}]*\}")
_RANGE = re.compile(r"\s*(\d{1,9})\s*(?:-\s*(\d{1,9})\s*)?")


class LineRange(NamedTuple):
    """Lines `first` to `last` (1-based, both included)."""

    first: int
    last: int


HighlightGroup = tuple[LineRange, ...]
"""The lines one step highlights; an empty group is `all`."""


class CodeAttributes(NamedTuple):
    """What a code block's attributes ask for."""

    highlight: tuple[HighlightGroup, ...] = ()
    """One group per step of the highlight (one group: a fixed highlight); empty: none."""
    line_numbers: bool = False
    exec: bool = False
    pty: bool = False
    problems: tuple[str, ...] = ()
    """Tokens that could not be read, in words for `check`."""

    @property
    def steps(self) -> int:
        """How many steps the highlight takes (1 when it does not move)."""
        return max(1, len(self.highlight))

    def lit(self, line: int, group: int) -> bool:
        """Whether 1-based `line` stands out at `group` (0-based) of the highlight."""
        if not self.highlight:
            return True
        ranges = self.highlight[max(0, min(group, len(self.highlight) - 1))]
        return not ranges or any(r.first <= line <= r.last for r in ranges)

    def groups_of(self, line: int) -> tuple[int, ...]:
        """The groups (0-based) at which 1-based `line` stands out."""
        return tuple(i for i in range(len(self.highlight)) if self.lit(line, i))

    def out_of_range(self, lines: int) -> list[str]:
        """Warnings for highlighted lines past the last of `lines` lines of code."""
        found = sorted({r.last for group in self.highlight for r in group if r.last > lines})
        if not found:
            return []
        return [
            f"highlighted line {found[-1]} is past the end: the code has {lines}"
            f" line{'s' if lines != 1 else ''}"
        ]


def _group(text: str) -> HighlightGroup | str:
    """One `|` group: `all`, or ranges; a message when it cannot be read."""
    text = text.strip()
    if text.lower() == "all":
        return ()
    ranges: list[LineRange] = []
    for part in text.split(","):
        match = _RANGE.fullmatch(part)
        if match is None:
            return f"cannot read the highlighted lines {text!r}: write them as 1,3-5"
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) else first
        if first < 1 or last < first:
            return f"highlighted lines {part.strip()!r} are no range of lines: write them as 3-5"
        if last > HIGHLIGHT_LIMIT:
            return f"highlighted line {last} is past the most a code block may hold"
        ranges.append(LineRange(first, last))
    return tuple(ranges)


def _highlight(token: str) -> tuple[tuple[HighlightGroup, ...], str | None]:
    inner = token[1:-1]
    groups: list[HighlightGroup] = []
    for part in inner.split("|"):
        group = _group(part)
        if isinstance(group, str):
            return (), group
        groups.append(group)
    if len(groups) == 1 and not groups[0]:
        return (), None  # `{all}` alone highlights everything: nothing to dim
    return tuple(groups), None


def read_attributes(text: str, *, strict: bool = True) -> tuple[str, CodeAttributes]:
    """Split `text` into what precedes the attributes and the attributes at its end.

    For a fence `text` is the info string after the language; for `!code` it is the
    whole line after the path. With `strict` (a fence) every `+word` and `{…}` is taken
    and unknown ones are problems; without (a `!code` line, whose runner may take any
    argument) only known attributes at the very end are taken, the rest stays the
    runner's.
    """
    words = _words(text)
    highlight: tuple[HighlightGroup, ...] = ()
    flags: set[str] = set()
    problems: list[str] = []
    keep = len(words)
    while keep:
        word = words[keep - 1]
        if word.startswith("{") and word.endswith("}"):
            groups, problem = _highlight(word)
            if problem:
                problems.append(problem)
            elif not highlight:
                highlight = groups
        elif word.startswith("+") and word[1:] in FLAGS:
            flags.add(word[1:])
        elif strict and word.startswith("+"):
            problems.append(f"unknown code attribute {word}: known are +" + ", +".join(FLAGS))
        elif strict and word.startswith("{"):
            problems.append(f"cannot read the highlighted lines {word!r}: close it with }}")
        else:
            break
        keep -= 1
    rest = " ".join(words[:keep]) if keep < len(words) else text.strip()
    problems.reverse()
    attributes = CodeAttributes(
        highlight=highlight,
        line_numbers="line_numbers" in flags,
        exec="exec" in flags,
        pty="pty" in flags,
        problems=tuple(problems),
    )
    return rest, attributes


def _words(text: str) -> list[str]:
    """The words of `text`, a `{…}` kept whole even with spaces inside."""
    words: list[str] = []
    last = 0
    for match in _BRACES.finditer(text):
        words.extend(text[last : match.start()].split())
        words.append(match.group(0))
        last = match.end()
    words.extend(text[last:].split())
    return words


def fence_info(info: str) -> tuple[str, CodeAttributes]:
    """The language of a fence's info string and the attributes after it.

    The language is the first word (possibly empty); attributes may also stand alone
    (```` ``` {1,2} ````), in which case there is no language.
    """
    info = info.strip()
    if not info:
        return "", CodeAttributes()
    first, _, rest = info.partition(" ")
    if first.startswith(("{", "+")):
        first, rest = "", info
    elif "{" in first:
        first, brace, after = first.partition("{")
        rest = brace + after + " " + rest
    _, attributes = read_attributes(rest)
    return first, attributes

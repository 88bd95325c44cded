"""Which part of a slide belongs to which step: pauses and incremental lists.

A pause may stand at the top level of a slide or on its own line inside a list item;
whether a comment line is one depends on the Markdown around it (the same line inside a
quote, a table or fenced code is not a command). So the slide's Markdown is read as a
tree of blocks here, the same tree the renderers draw, and every block is given the
step at which it appears. Only slides with a comment in them are read this way (and,
with incremental lists on for the whole deck, slides with a list), so a deck without
steps costs nothing more to load.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from prexterm.core.code_attributes import fence_info
from prexterm.core.commands import INCREMENTAL_LISTS, Command, read_command
from prexterm.core.model import (
    Block,
    CodeBlock,
    Diagnostic,
    MarkdownBlock,
    Severity,
    Source,
    StepMark,
)

if TYPE_CHECKING:
    from prexterm.core.markdown_tree import MarkdownNode

MISPLACED_PAUSE = (
    "a pause works only on its own line at the top level of a slide or inside a list item;"
    " here it is not a command and shows nothing"
)
EMPTY_STEP = "this pause reveals nothing: the step after it shows nothing new"
BAD_FLAG = "incremental_lists takes true or false"

_LIST_ITEM = re.compile(r"^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)", re.MULTILINE)
_MOVING_HIGHLIGHT = re.compile(r"^ {0,3}(?:`{3,}|~{3,})[^\n]*\{[^}\n]*\|", re.MULTILINE)
"""A fence whose info string may hold a highlight of several groups."""
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_LISTS = ("bullet_list", "ordered_list")


class NotePlace(NamedTuple):
    """Where a note stood among a slide's blocks: before block `block`, or inside it,
    after `line` lines of its text (a Markdown block being gathered when the note came);
    `source_line` is its line in the file, which the block's text no longer holds."""

    block: int
    line: int
    source_line: int


class SlideSteps(NamedTuple):
    """A slide's blocks with their steps, how many steps it has, and what went wrong."""

    blocks: tuple[Block, ...]
    steps: int
    note_steps: tuple[int, ...]
    diagnostics: tuple[Diagnostic, ...]


def may_have_steps(blocks: Iterable[Block], incremental: bool) -> bool:
    """Whether a slide needs reading for steps: a comment, a list under incremental lists,
    or code whose highlight moves."""
    for block in blocks:
        if isinstance(block, MarkdownBlock) and (
            "<!--" in block.text
            or (incremental and _LIST_ITEM.search(block.text))
            or _MOVING_HIGHLIGHT.search(block.text)
        ):
            return True
        if isinstance(block, CodeBlock) and block.attributes.steps > 1:
            return True
    return False


def assign_steps(
    blocks: Sequence[Block],
    notes: Sequence[tuple[int, int, int]],
    *,
    incremental: bool = False,
) -> SlideSteps:
    """Give every block of one slide, and every note, the step at which it appears.

    `notes` are the places of the notes (see `NotePlace`). `incremental` is the deck's
    default for incremental lists; a slide's own `incremental_lists` command changes it
    from there on.
    """
    places = [NotePlace(*place) for place in notes]
    reader = _StepReader(incremental, sorted(place.source_line for place in places))
    placed: list[Block] = []
    entry: list[int] = []
    for block in blocks:
        entry.append(reader.step)
        if isinstance(block, MarkdownBlock):
            placed.append(reader.markdown(block))
        else:
            reader.shown()
            placed.append(block._replace(step=reader.step))
            if isinstance(block, CodeBlock) and block.attributes.steps > 1:
                reader.highlight_steps(block.attributes.steps)
    entry.append(reader.step)
    note_steps = []
    for place in places:
        step = entry[min(place.block, len(entry) - 1)]
        if place.line > 0 and place.block < len(placed):
            block = placed[place.block]
            if isinstance(block, MarkdownBlock):
                step = block.step_at(place.line - 1)
        note_steps.append(step)
    diagnostics = list(reader.diagnostics)
    for source, step in reader.pauses:
        if step not in reader.visible:
            diagnostics.append(Diagnostic(Severity.WARNING, source, EMPTY_STEP))
    diagnostics.sort(key=lambda d: d.source.line)
    return SlideSteps(tuple(placed), reader.step, tuple(note_steps), tuple(diagnostics))


class _StepReader:
    """Walks a slide's blocks in order, counting steps."""

    def __init__(self, incremental: bool, note_lines: Sequence[int]) -> None:
        self.step = 1
        self.incremental = incremental
        self.note_lines = note_lines
        self.visible: set[int] = set()
        """The steps at which something new shows."""
        self.pauses: list[tuple[Source, int]] = []
        """Every pause, with the step it begins."""
        self.diagnostics: list[Diagnostic] = []
        self.marks: list[StepMark] = []
        self.block: MarkdownBlock | None = None

    def shown(self) -> None:
        self.visible.add(self.step)

    def markdown(self, block: MarkdownBlock) -> MarkdownBlock:
        from prexterm.core.markdown_tree import parse

        first = self.step
        self.block = block
        self.marks = []
        if (
            "<!--" in block.text
            or (self.incremental and _LIST_ITEM.search(block.text))
            or _MOVING_HIGHLIGHT.search(block.text)
        ):
            self._walk(parse(block.text).children, top=True, quoted=False)
        elif block.text.strip():
            self.shown()
        return block._replace(step=first, marks=tuple(self.marks))

    # -- the tree --------------------------------------------------------------------------

    def _source(self, line: int) -> Source:
        """The source of line `line` (0-based) of the block's text, notes counted back in."""
        assert self.block is not None
        file, start = self.block.source
        number = start + line
        for note in self.note_lines:  # in order
            if note <= start:
                continue
            if note > number:
                break
            number += 1
        return Source(file, number)

    def highlight_steps(self, groups: int, line: int | None = None) -> None:
        """A moving highlight of `groups` groups: each group after the first is a step.

        What follows the code in the slide comes with its last group, as after a pause.
        `line` is where that begins in the Markdown block being read (None: a `!code`).
        """
        for _ in range(groups - 1):
            self.step += 1
            self.shown()
        if line is not None:
            self.marks.append(StepMark(line, self.step))

    def _next_step(self, line: int) -> None:
        self.step += 1
        self.marks.append(StepMark(line, self.step))

    def _walk(self, nodes: Iterable[MarkdownNode], *, top: bool, quoted: bool) -> None:
        for node in nodes:
            line = node.map[0] if node.map else 0
            if node.type == "html_block":
                command = read_command(node.content) if "\n" not in node.content.strip() else None
                if command is not None:
                    self._command(command, line, quoted=quoted)
                    continue
                if _COMMENT.sub("", node.content).strip():
                    self.shown()
                self._misplaced_lines(node.content, line)
            elif node.type in _LISTS:
                self._list(node, top=top, quoted=quoted)
            elif node.type == "blockquote":
                self.shown()
                self._walk(node.children, top=False, quoted=True)
            elif node.type in ("fence", "code_block"):
                self.shown()
                self._misplaced_lines(node.content, line + (node.type == "fence"))
                if node.type == "fence" and "|" in node.info:
                    groups = fence_info(node.info)[1].steps
                    if groups > 1:
                        self.highlight_steps(groups, node.map[1] if node.map else line + 1)
            else:
                self.shown()
                self._misplaced_inline(node, line)

    def _command(self, command: Command, line: int, *, quoted: bool) -> None:
        if quoted:
            if command.is_pause:
                self._warn(line, MISPLACED_PAUSE)
            return
        if command.is_pause:
            self._next_step(line)
            self.pauses.append((self._source(line), self.step))
            return
        if command.name != INCREMENTAL_LISTS:
            self._warn(line, f"{command.name} works only on its own line at the top level")
            return
        flag = command.flag()
        if flag is None:
            self._warn(line, BAD_FLAG)
        else:
            self.incremental = flag

    def _list(self, node: MarkdownNode, *, top: bool, quoted: bool) -> None:
        stepped = top and self.incremental
        for index, item in enumerate(node.children):
            if stepped and index:
                self._next_step(item.map[0] if item.map else 0)
            self.shown()
            self._walk(item.children, top=False, quoted=quoted)

    def _warn(self, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(Severity.WARNING, self._source(line), message))

    def _misplaced_lines(self, content: str, first: int) -> None:
        """Warn of every line of code or HTML that holds only a pause."""
        if "<!--" not in content:
            return
        for offset, text in enumerate(content.split("\n")):
            command = read_command(text)
            if command is not None and command.is_pause:
                self._warn(first + offset, MISPLACED_PAUSE)

    def _misplaced_inline(self, node: MarkdownNode, line: int) -> None:
        """Warn of a pause inside a paragraph, a heading or a table cell."""
        for child in node.walk():
            if child.map:
                line = child.map[0]  # inline pieces have no lines: the row or block tells
            if child.type == "html_inline":
                command = read_command(child.content)
                if command is not None and command.is_pause:
                    self._warn(line, MISPLACED_PAUSE)

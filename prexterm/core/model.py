"""The deck model: immutable data that the parser builds and every front end reads.

A deck never changes once parsed. A reload parses the files again and yields a new
deck, so widgets, the checker and the exporter can hold on to a deck (or one of its
slides) without locking or copying.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from prexterm.core.code_attributes import CodeAttributes
from prexterm.core.languages import extension_for

# The small value types below are named tuples: as immutable as frozen dataclasses, and
# several times cheaper both to define (at every start of the player) and to make (the
# parser makes one for nearly every directive and text run of a deck).


class Severity(str, Enum):
    """How bad a diagnostic is. Only errors make `prexterm check` fail."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class Source(NamedTuple):
    """Where something came from: a file as the user should see it, and a 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class Diagnostic(NamedTuple):
    """One problem found while reading a deck, with the place it stands."""

    severity: Severity
    source: Source
    message: str

    def format(self) -> str:
        """The `file:line: severity: message` line that `check` prints."""
        return f"{self.source}: {self.severity.value}: {self.message}"


class Asset(NamedTuple):
    """A file a directive or an image names: what was written and where it resolved.

    `path` is None when the file could not be used; `problem` then says why
    (missing, or outside the deck root). Nothing is read from a refused path.
    """

    written: str
    path: Path | None
    source: Source
    problem: str | None = None


class StepMark(NamedTuple):
    """Where a later step begins inside a Markdown block: from this line of its text on
    (0-based), what the block shows belongs to `step`."""

    line: int
    step: int


ALIGNMENTS = ("left", "center", "right")


class Place(NamedTuple):
    """Where a block stands on its slide, as the layout commands before it set it.

    Blocks that follow one another with the same `layout` share one region of the slide:
    full width when `widths` is empty, else columns of those relative widths, the block
    in column `column` (0-based). The default is Prexent's only layout: full width, left.
    """

    layout: int = 0
    """Which region of the slide (each `column_layout` or `reset_layout` starts one)."""
    widths: tuple[int, ...] = ()
    column: int = 0
    align: str = "left"
    middle: bool = False
    """Whether the block is the first of what sits in the vertical middle of the slide."""
    gap: int = 0
    """Empty lines before the block (`new_lines`)."""
    opened: Source | None = None
    """Where the `column_layout` of the block's columns stands, for messages about them."""


FULL_WIDTH = Place()


class MarkdownBlock(NamedTuple):
    """A run of Markdown text lines of one slide."""

    text: str
    source: Source
    images: tuple[Asset, ...] = ()
    """Every `![alt](path)` of the text, resolved; renderers look them up by `written`."""
    step: int = 1
    """The step of the slide at which the block appears."""
    marks: tuple[StepMark, ...] = ()
    """Later steps that begin inside the block (a pause in it, the items of an incremental
    list), in the order of their lines. A pause's own comment line stays in `text`: it is
    an HTML comment, which shows nothing."""
    place: Place = FULL_WIDTH

    def step_at(self, line: int) -> int:
        """The step of what starts at `line` (0-based) of the text."""
        step = self.step
        for mark in self.marks:
            if mark.line > line:
                break
            step = mark.step
        return step

    @property
    def last_step(self) -> int:
        """The step at which the end of the block appears."""
        return self.marks[-1].step if self.marks else self.step


class CodeBlock(NamedTuple):
    """A `!code` block: a code file shown highlighted, which the presenter may run."""

    asset: Asset
    language: str
    code: str
    source: Source
    runner: tuple[str, ...] | None
    """The command that runs it (the code file is appended), or None when no runner is known."""
    runner_problem: str | None = None
    step: int = 1
    """The step of the slide at which the block appears."""
    place: Place = FULL_WIDTH
    attributes: CodeAttributes = CodeAttributes()
    """Highlighted lines, line numbers and how it runs, from the end of its `!code` line."""
    workdir: Path | None = None
    """Where a runnable fenced block (`+exec`) runs: the deck's folder. Such a block has
    no file (`asset.path` is None); None for a `!code` block, run in its file's folder."""

    @property
    def fenced(self) -> bool:
        """Whether the code was written in the deck, in a `+exec` fence, not in a file."""
        return self.workdir is not None

    @property
    def file_name(self) -> str:
        """The name the code runs under: its file's, or for a fenced block one made from
        its line and language (runners such as `node` look at the extension)."""
        if self.asset.path is not None:
            return self.asset.path.name
        return f"block-{self.source.line}{extension_for(self.language)}"


class ErrorBlock(NamedTuple):
    """A problem shown where it stood in the slide, so the talk goes on."""

    message: str
    source: Source
    step: int = 1
    """The step of the slide at which the block appears."""
    place: Place = FULL_WIDTH


Block = MarkdownBlock | CodeBlock | ErrorBlock


def blocks_have_text(blocks: tuple[Block, ...]) -> bool:
    """Whether any block shows something: code, an error, or Markdown that is not blank."""
    return any(not isinstance(b, MarkdownBlock) or b.text.strip() for b in blocks)


TITLE_LIMIT = 1000
"""The most characters of a slide's title: lists, previews and search show it whole."""
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
_MARKUP = re.compile(r"<[^>]*>|[*_`~]|!?\[([^\]]*)\]\([^)]*\)")
_LIST_MARK = re.compile(r"^\s*(?:[-+*>]|\d+[.)])\s+")


def _plain_line(line: str) -> str:
    """A cheap plain-text view of one Markdown line, good enough for titles and previews."""
    line = _LIST_MARK.sub("", line)
    line = _MARKUP.sub(lambda m: m.group(1) or "", line)
    return line.strip()


class _SlideFields(NamedTuple):
    """A slide's data; `Slide` adds what is worked out from it (see there)."""

    number: int
    blocks: tuple[Block, ...]
    classes: tuple[str, ...]
    notes: tuple[str, ...]
    header: str | None
    footer: str | None
    background: Asset | None
    """The slide's own `!slide_background`, else the deck's `!global_background`."""
    own_background: bool
    source: Source
    photo: bool = False
    steps: int = 1
    """How many steps the slide has (at least one): its pauses and incremental lists."""
    note_steps: tuple[int, ...] = ()
    """The step each note belongs to, one for each of `notes` (empty: all at step 1)."""
    file_number: int = 0
    """The slide's number in file order, counting skipped slides (0: the same as `number`).
    `number` is the talk's number, which skipped slides do not take."""
    skipped: bool = False
    """`skip_slide`: the slide is checked and listed, but not part of the talk."""
    no_footer: bool = False
    section: str | None = None
    """The section of the talk that starts with this slide (`section: NAME`)."""
    commands: tuple[tuple[str, str | None, int], ...] = ()
    """The commands read on the slide: name, value and line, in order."""


class Slide(_SlideFields):
    """One slide as the audience meets it, plus what only the presenter sees (notes).

    A named tuple rather than a frozen dataclass: a deck of a thousand slides is built
    four times faster, before its first frame. Unlike its fields, this class keeps an
    instance dictionary, where the title and text below are kept once worked out.
    """

    @cached_property
    def markdown(self) -> str:
        """All Markdown text of the slide, blocks joined by blank lines."""
        return "\n\n".join(b.text for b in self.blocks if isinstance(b, MarkdownBlock))

    @cached_property
    def title(self) -> str:
        """The first heading, else the first line of visible text, else a description."""
        first = ""
        in_fence = False
        for raw in self.markdown.splitlines():
            stripped = raw.strip()
            if stripped.startswith(("```", "~~~")):
                in_fence = not in_fence
                continue
            if in_fence or not stripped:
                continue
            heading = _HEADING.match(raw)
            if heading:
                return _plain_line(heading.group(1)[: TITLE_LIMIT * 2])[:TITLE_LIMIT]
            if not first and stripped.strip("|-: "):  # not a table's empty or delimiter row
                first = _plain_line(raw[: TITLE_LIMIT * 2])[:TITLE_LIMIT]
        if first:
            return first
        for block in self.blocks:
            if isinstance(block, CodeBlock):
                return block.asset.written
        if self.photo:
            return self.background.written if self.background else "photo"
        return ""

    def note_step(self, index: int) -> int:
        """The step that note number `index` (0-based) of `notes` belongs to."""
        return self.note_steps[index] if index < len(self.note_steps) else 1

    def notes_at(self, step: int) -> tuple[str, ...]:
        """The notes written for exactly `step` of the slide."""
        return tuple(n for i, n in enumerate(self.notes) if self.note_step(i) == step)

    def blocks_at(self, step: int) -> tuple[Block, ...]:
        """The blocks of which something shows at `step` (a block that begins at an earlier
        step and goes on into this one counts)."""
        return tuple(b for b in self.blocks if b.step <= step)

    @property
    def in_file(self) -> int:
        """The slide's number in file order (what `check` shows)."""
        return self.file_number or self.number

    @cached_property
    def laid_out(self) -> bool:
        """Whether any block stands elsewhere than full width on the left."""
        return any(b.place != FULL_WIDTH for b in self.blocks)

    @cached_property
    def spans_width(self) -> bool:
        """Whether the slide places its text across the whole text area itself: columns,
        or centred or right-aligned text. Empty lines and the vertical middle alone leave
        the slide as narrow as its text, centred like any other slide."""
        return any(b.place.widths or b.place.align != "left" for b in self.blocks)

    @property
    def has_text(self) -> bool:
        """Whether the slide shows any text or block (a bare photo slide has none)."""
        return blocks_have_text(self.blocks)


@dataclass(frozen=True)
class Deck:
    """A parsed deck: its slides, what went wrong, and every file it depends on."""

    path: Path
    root: Path
    slides: tuple[Slide, ...]
    diagnostics: tuple[Diagnostic, ...]
    stylesheets: tuple[Asset, ...]
    files: frozenset[Path]
    """Every file the deck read or names (includes, code, pictures, stylesheets): what to watch."""
    display_path: str = ""
    every_slide: tuple[Slide, ...] = ()
    """Every slide in file order, skipped ones too (empty: the same as `slides`)."""
    rules: str = "prexent"
    """Which rules the deck was read with: `prexent` or `presenterm`."""

    @property
    def all_slides(self) -> tuple[Slide, ...]:
        """Every slide in file order, those the talk skips included (for `check`, the
        overview)."""
        return self.every_slide or self.slides

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.WARNING)

    def __len__(self) -> int:
        return len(self.slides)


class DeckUnreadable(Exception):
    """The main deck file cannot be read at all (missing, a directory, binary).

    Carries a message ready for the user; the CLI prints it and exits with status 2.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: error: {reason}")
        self.path = path
        self.reason = reason

"""The Prexent parser: one deck file (and what it includes) in, one immutable `Deck` out.

The player, `prexterm check` and the exporter all call `load_deck`, so every front end
agrees on what a deck is. The parser never raises for a problem inside a deck: each
problem becomes a `Diagnostic`, and where the audience would otherwise see a hole, an
`ErrorBlock` in the slide. Only a main deck that cannot be read at all raises
`DeckUnreadable`.

It works line by line in one pass, so a 10,000-slide deck parses in a fraction of a
second; Markdown itself is only parsed later, by the renderer, one slide at a time.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from prexterm.core import commands as cmd
from prexterm.core.code_attributes import CodeAttributes, fence_info, read_attributes
from prexterm.core.languages import default_runner, language_for
from prexterm.core.model import (
    ALIGNMENTS,
    FULL_WIDTH,
    Asset,
    Block,
    CodeBlock,
    Deck,
    DeckUnreadable,
    Diagnostic,
    ErrorBlock,
    MarkdownBlock,
    Severity,
    Slide,
    Source,
    blocks_have_text,
)
from prexterm.core.paths import PathResolver, Resolved, display
from prexterm.core.steps import assign_steps, may_have_steps
from prexterm.core.text import (
    CODE_LIMIT,
    DECK_LIMIT,
    DecodedText,
    decode,
    looks_binary,
    read_file,
)

if TYPE_CHECKING:
    from prexterm.core.dialect import DialectReader

KNOWN_DIRECTIVES = (
    "header",
    "footer",
    "comment",
    "slide_classes",
    "slide_background",
    "global_background",
    "custom_css",
    "include",
    "code",
)
MAX_INCLUDE_DEPTH = 16
"""Includes nested deeper than this are refused: a deck is never that deep on purpose."""
SLIDE_TEXT_LIMIT = 100_000
"""The most characters of Markdown one slide shows; the rest is cut, with an error block.
Laying out megabytes (a deck that is one 3 MB line) would stall the talk for seconds,
and no audience reads a slide of thousands of lines."""
NOTES_LIMIT = 20_000
"""The most characters of notes one slide keeps: the presenter pane lays them all out."""
TOO_LARGE = "too large: a deck, its includes and code files may hold 8 MiB in all"
CODE_TOO_LARGE = "too large: a code file may hold at most 1 MiB"
RUNNABLE_INDENTED = (
    "a runnable fence (+exec) must start at the beginning of its line;"
    " this one is shown as code and never runs"
)

_DIRECTIVE = re.compile(r"!([a-z_]+)(?:[ \t]+|$)")
_NEXT_DIRECTIVE = re.compile(r"[ \t]+!(" + "|".join(KNOWN_DIRECTIVES) + r")(?=[ \t]|$)")
_SEPARATOR = re.compile(r"(?:---|-)[ \t]*")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_IMAGE = re.compile(r"!\[((?:[^\]\\]|\\.)*)\]\(\s*<?([^)\s>]+)>?")
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_LONG_NOTE = re.compile(r"[ \t]*<!--[ \t]*speaker_note[ \t]*:(?!.*-->)")
_FENCE_FIRST = frozenset("`~ ")
"""First characters of a line that may open a code fence (up to three spaces, then it)."""


class _SlideDraft:
    """The slide being built; frozen into a `Slide` once the whole deck is read.

    A plain class rather than a dataclass: those take a millisecond each to define, on
    the way to the first frame.
    """

    __slots__ = (
        "background",
        "blocks",
        "classes",
        "commands",
        "commented",
        "footer",
        "global_background",
        "has_directive",
        "header",
        "images",
        "moving",
        "no_footer",
        "note_places",
        "notes",
        "place",
        "section",
        "skipped",
        "source",
        "text",
        "text_source",
    )  # fmt: skip

    def __init__(self, source: Source) -> None:
        self.source = source
        self.blocks: list[Block] = []
        self.text: list[str] = []
        self.text_source: Source | None = None
        self.images: list[Asset] = []
        self.classes: list[str] | None = None
        self.notes: list[str] = []
        self.note_places: list[tuple[int, int, int]] = []
        """Where each note stood (see `NotePlace`), for the step it belongs to."""
        self.commented = False
        """Whether the slide's text holds an HTML comment, which may be a step command."""
        self.moving = False
        """Whether the slide has code whose highlight moves, one step per group."""
        self.background: Asset | None = None
        self.has_directive = False
        self.header: str | None = None
        self.footer: str | None = None
        self.global_background: Asset | None = None
        self.place = FULL_WIDTH
        """Where the next block stands (see `Place`): the layout commands change it."""
        self.commands: list[tuple[str, str | None, int]] = []
        self.skipped = False
        self.no_footer = False
        self.section: str | None = None

    def add(self, block: Block) -> None:
        """Add a block where the layout commands before it place it."""
        place = self.place
        if place is not FULL_WIDTH:
            block = block._replace(place=place)
            if place.middle or place.gap:
                self.place = place._replace(middle=False, gap=0)
        self.blocks.append(block)


class _DeckReader:
    """Reads files into slide drafts. One instance reads one deck, then is thrown away."""

    def __init__(self, resolver: PathResolver, cwd: Path) -> None:
        self.resolver = resolver
        self.cwd = cwd
        self.deck_folder = cwd
        """The main deck's folder, where runnable fenced blocks run."""
        self.diagnostics: list[Diagnostic] = []
        self.files: set[Path] = set()
        self.stylesheets: list[Asset] = []
        self.drafts: list[_SlideDraft] = []
        self.header: str | None = None
        self.footer: str | None = None
        self.global_background: Asset | None = None
        self.first_global_background: Asset | None = None
        self.draft: _SlideDraft | None = None
        self.code_files: dict[Path, DecodedText | None] = {}
        """Each code file read once, decoded (None: binary); big decks show one many times."""
        self.left = DECK_LIMIT
        """How many more bytes the deck may read (see `DECK_LIMIT`)."""
        self.presenterm = False
        """Whether the deck is read with presenterm's rules (see `core.presenterm`)."""
        self.known = cmd.KNOWN_COMMANDS
        """The commands read on a line of their own."""
        self.options: dict[str, bool] = {}
        """presenterm's front matter options."""
        self.waiting: list[tuple[str, str | None, int]] = []
        """Commands read between slides (an `include` before its text), listed on the
        slide that begins next."""

    def use_presenterm(self) -> None:
        """Read the deck with presenterm's rules from here on."""
        self.presenterm = True
        self.known = cmd.KNOWN_COMMANDS | cmd.PRESENTERM_COMMANDS | cmd.PRESENTERM_UNSUPPORTED

    def title_slide(self, lines: list[str], shown: str) -> int:
        """Make the title slide of a presenterm front matter; how many lines it took."""
        from prexterm.core.presenterm import front_matter, title_slide_text

        matter = front_matter(lines)
        if matter is None:
            return 0
        self.options = matter.options
        for line, message in matter.unused:
            self.report(Severity.WARNING, Source(shown, line), message)
        text = title_slide_text(matter)
        if text:
            draft = self.current(Source(shown, 1))
            draft.place = FULL_WIDTH._replace(align="center", middle=True)
            draft.add(MarkdownBlock(text, Source(shown, 2)))
            self.end_slide()
        return matter.end

    def rule(self, line: str, shown: str, number: int) -> bool:
        """A `---` line in a presenterm deck: True when it ends the slide.

        It does with the front matter's `end_slide_shorthand`, where it is a thematic break
        (after a blank line, not under a title); with `implicit_slide_ends`,
        the setext title it underlines starts a new slide.
        """
        draft = self.draft
        after_text = draft is not None and bool(draft.text) and bool(draft.text[-1].strip())
        if self.options.get("end_slide_shorthand") and line.rstrip() == "---" and not after_text:
            # A thematic break (not a title's underline) ends the slide.
            self.end_slide()
            return True
        if (
            self.options.get("implicit_slide_ends")
            and draft is not None
            and draft.text
            and draft.text[-1].strip()
            and (draft.blocks or any(t.strip() for t in draft.text[:-1]))
        ):
            title = draft.text.pop()
            self.end_slide()
            self.add_text(title, shown, number - 1)
        return False

    def read(self, path: Path, *, code: bool = False) -> bytes:
        """The bytes of a deck, include or code file, counted against the deck's limit.

        Read inside the deck root only (see `read_file`), so a file swapped for a link
        since it was resolved is refused, not followed.
        """
        limit, too_large = self.left, TOO_LARGE
        if code and limit >= CODE_LIMIT:
            limit, too_large = CODE_LIMIT, CODE_TOO_LARGE
        data = read_file(path, limit=limit, root=self.resolver.root, too_large=too_large)
        self.left -= len(data)
        return data

    # -- diagnostics -------------------------------------------------------------------

    def report(self, severity: Severity, source: Source, message: str) -> None:
        self.diagnostics.append(Diagnostic(severity, source, message))

    def error_block(self, source: Source, message: str) -> None:
        """An error the audience sees where it stood, and `check` reports."""
        self.report(Severity.ERROR, source, message)
        draft = self.current(source)
        self.flush_text(draft)
        draft.add(ErrorBlock(message, source))

    # -- slides ------------------------------------------------------------------------

    def current(self, source: Source) -> _SlideDraft:
        if self.draft is None:
            self.draft = _SlideDraft(source)
            self.draft.commands += self.waiting
            self.waiting = []
        return self.draft

    def flush_text(self, draft: _SlideDraft) -> None:
        lines = draft.text
        while lines and not lines[-1].strip():
            lines.pop()
        start = 0
        while start < len(lines) and not lines[start].strip():
            start += 1
        if start < len(lines) and draft.text_source is not None:
            text = "\n".join(lines[start:] if start else lines)
            if "<!--" in text:
                draft.commented = True
            draft.add(MarkdownBlock(text, draft.text_source, tuple(draft.images)))
        if lines:
            draft.text = []
        if draft.images:
            draft.images = []
        draft.text_source = None

    def end_slide(self) -> None:
        draft = self.draft
        self.draft = None
        self.waiting = []  # an include that brought no slide is listed on none
        if draft is None:
            return
        self.flush_text(draft)
        if not draft.blocks and not draft.has_directive:
            return  # only blank lines: Prexent dropped such slides too
        self.keep_within_limits(draft)
        draft.header = self.header
        draft.footer = self.footer
        draft.global_background = self.global_background
        self.drafts.append(draft)

    def keep_within_limits(self, draft: _SlideDraft) -> None:
        """Cut a slide's text at `SLIDE_TEXT_LIMIT` and its notes at `NOTES_LIMIT`.

        The slide says so where its text stops, and `check` reports both cuts.
        """
        room = SLIDE_TEXT_LIMIT
        over: int | None = None
        for index, block in enumerate(draft.blocks):
            if isinstance(block, MarkdownBlock):
                room -= len(block.text)
                if room < 0:
                    over = index
                    break
        if over is not None:
            block = draft.blocks[over]
            assert isinstance(block, MarkdownBlock)
            keep = len(block.text) + room
            cut = block.text[:keep]
            newline = cut.rfind("\n")
            if newline > keep // 2:
                cut = cut[:newline]  # end on a whole line where that loses little
            message = (
                f"slide text cut: a slide shows at most {SLIDE_TEXT_LIMIT:,} characters"
                f" of text; the rest of this one is not shown"
            )
            self.report(Severity.ERROR, block.source, message)
            blocks = draft.blocks[:over]
            if cut.strip():
                blocks.append(block._replace(text=cut))
            blocks.append(ErrorBlock(message, block.source, place=block.place))
            blocks += (b for b in draft.blocks[over + 1 :] if not isinstance(b, MarkdownBlock))
            draft.blocks = blocks
        if draft.notes and sum(map(len, draft.notes)) > NOTES_LIMIT:
            room = NOTES_LIMIT
            notes: list[str] = []
            for note in draft.notes:
                notes.append(note[:room])
                room -= len(note)
                if room <= 0:
                    break
            draft.notes = notes
            self.report(
                Severity.WARNING,
                draft.source,
                f"notes cut: a slide keeps at most {NOTES_LIMIT:,} characters of notes",
            )

    def add_text(self, line: str, shown: str, number: int) -> None:
        draft = self.draft
        if draft is None:
            source = Source(shown, number)
            draft = self.draft = _SlideDraft(source)
            if line.strip():
                draft.text_source = source
                draft.text.append(line)
            return
        if draft.text_source is None:
            if not line.strip():
                return
            draft.text_source = Source(shown, number)
        draft.text.append(line)

    @staticmethod
    def add_note(draft: _SlideDraft, note: str, line: int) -> None:
        """A speaker note, with where it stood: a note after a pause belongs to its step.

        The place is a plain tuple (a `NotePlace`'s fields): most decks have a note on
        every slide and no step at all, and a deck of 10,000 slides must load at once.
        """
        draft.notes.append(note)
        draft.note_places.append((len(draft.blocks), len(draft.text), line))

    # -- files -------------------------------------------------------------------------

    def read_text(self, data: bytes, shown: str, base_dir: Path, chain: tuple[Path, ...]) -> None:
        """Feed every line of one file's bytes to the slide builder; recurse into includes."""
        decoded = decode(data)
        if decoded.invalid_offset is not None:
            self.report(
                Severity.ERROR,
                Source(shown, decoded.invalid_line),
                f"invalid UTF-8 at byte offset {decoded.invalid_offset};"
                " shown with replacement characters",
            )
        fence: str | None = None
        fence_line = 0
        fence_code: CodeAttributes | None = None
        """The attributes of the open fence, when its info string has any."""
        runnable: list[str] | None = None
        """The lines of an open `+exec` fence, which becomes a code block of its own."""
        fence_language = ""
        # Most files have no tab and no image: their lines need not be searched for them.
        tabs = "\t" in decoded.text
        pictures = "![" in decoded.text
        lines = decoded.text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if self.presenterm and len(chain) == 1:
            skip = self.title_slide(lines, shown)
            lines[:skip] = [""] * skip  # blank lines start no slide
        spanning: list[str] | None = None
        """The lines of a speaker note that spans lines (presenterm), while it is read."""
        # Lines in the few shapes Prexent's Markdown reader accepted and CommonMark does
        # not are rewritten as they are read (see `dialect`); most files have none.
        dialect: DialectReader | None = None
        if "|" in decoded.text or "\u00a0" in decoded.text or "] [" in decoded.text:
            from prexterm.core.dialect import DialectReader

            dialect = DialectReader(decoded.text, lines)
        # Most lines are plain text for a slide that already has some: they take the
        # shortest way, onto `text` (the current draft's lines), which is looked up again
        # only after something that may start a slide or a block.
        text: list[str] | None = None
        for number, line in enumerate(lines, 1):
            if spanning is not None:
                end = line.find("-->")
                spanning.append(line if end < 0 else line[:end])
                if end >= 0:
                    self.long_note(spanning, Source(shown, number))
                    spanning = None
                continue
            if fence is not None:
                # Inside a fence every line is text; this one may close it.
                stripped = line.strip()
                if (
                    stripped.startswith(fence)
                    and len(line) - len(line.lstrip(" ")) < 4
                    and stripped == stripped[0] * len(stripped)
                    and stripped[0] == fence[0]
                ):
                    fence = None
                    if fence_code is not None:
                        self.fenced_code(fence_code, Source(shown, fence_line), number)
                        if runnable is not None:
                            self.runnable_fence(
                                runnable, fence_language, fence_code, Source(shown, fence_line)
                            )
                            runnable = None
                            text = None
                            fence_code = None
                            continue
                        fence_code = None
                elif runnable is not None:
                    runnable.append(line)
                    continue
            else:
                first = line[:1]
                if first == "!" and line.startswith("!comment") and line[8:9] in ("", " ", "\t"):
                    # Notes are the most common directive by far: the shortest way, unless
                    # another directive shares the line.
                    rest = line[8:]
                    if "!" not in rest:
                        noted = self.draft or self.current(Source(shown, number))
                        noted.has_directive = True
                        note = rest.strip()
                        if note:
                            self.add_note(noted, note, number)
                        continue
                if first == "!" and not line.startswith("!["):
                    match = _DIRECTIVE.match(line)
                    if match:
                        self.directives(match, line, Source(shown, number), base_dir, chain)
                        text = None
                        continue
                elif first == "-" and _SEPARATOR.fullmatch(line):
                    if not self.presenterm or self.rule(line, shown, number):
                        self.end_slide()
                        text = None
                        continue
                    text = None
                elif first == "<" and line.startswith("<!--"):
                    command = cmd.read_command(line, self.known)
                    if command is not None:
                        if command.name not in cmd.STEP_COMMANDS:
                            self.command(command, Source(shown, number), base_dir, chain)
                            text = None
                            continue
                        # A step command stays in the text, where the steps reader
                        # finds it; the slide lists it among its commands.
                        self.current(Source(shown, number)).commands.append(
                            (command.name, command.value, number)
                        )
                    elif self.presenterm and _LONG_NOTE.match(line):
                        spanning = [line.split(":", 1)[1]]
                        continue
                elif first == "\\" and line.startswith("\\!"):
                    line = line[1:]
                elif dialect is not None and number in dialect.candidates:
                    rewrite = dialect.rewrite(number - 1)
                    if rewrite is not None:
                        self.report(Severity.NOTE, Source(shown, number), rewrite.note)
                        *above, line = rewrite.lines
                        for extra in above:
                            self.add_text(extra, shown, number)
                        text = None
                if tabs and "\t" in line:
                    line = line.expandtabs(4)
                if first in _FENCE_FIRST:
                    fence_match = _FENCE.match(line)
                    if fence_match and not (
                        fence_match.group(1)[0] == "`" and "`" in fence_match.group(2)
                    ):
                        fence = fence_match.group(1)
                        fence_line = number
                        info = fence_match.group(2)
                        if "{" in info or "+" in info:
                            fence_language, fence_code = fence_info(info)
                            if fence_code.exec:
                                if first == " ":
                                    self.report(
                                        Severity.WARNING,
                                        Source(shown, number),
                                        RUNNABLE_INDENTED,
                                    )
                                else:
                                    runnable = []
                                    continue
                if pictures and "![" in line:
                    self.images(line, Source(shown, number), base_dir)
            if text is None:
                draft = self.draft
                if draft is None or draft.text_source is None:
                    self.add_text(line, shown, number)  # may start the slide or its text
                    continue
                text = draft.text
            text.append(line)
        if spanning is not None:
            self.report(Severity.WARNING, Source(shown, len(lines)), "speaker_note is never closed")
            self.long_note(spanning, Source(shown, len(lines)))
        if fence is not None:
            self.report(Severity.WARNING, Source(shown, fence_line), "code fence is never closed")
            if runnable is not None and fence_code is not None:
                source = Source(shown, fence_line)
                self.fenced_code(fence_code, source, len(lines) + 1)
                self.runnable_fence(runnable, fence_language, fence_code, source)
            else:
                self.add_text(fence, shown, len(lines))

    def fenced_code(self, attributes: CodeAttributes, source: Source, closing: int) -> None:
        """Check the attributes of a fence opened at `source` and closed at line `closing`."""
        self.code_attributes(attributes, source, closing - source.line - 1)

    def runnable_fence(
        self, lines: list[str], language: str, attributes: CodeAttributes, source: Source
    ) -> None:
        """A `+exec` fence: a code block of its own, run from the deck's folder."""
        language = language_for("", language) if language else "text"
        runner = default_runner(language)
        problem = None
        if runner is None:
            problem = f"no runner is known for {language or 'a fence without a language'}"
        draft = self.current(source)
        self.flush_text(draft)
        code = "\n".join(lines) + "\n" if lines else ""
        written = f"{source.file}:{source.line}"
        draft.add(
            CodeBlock(
                Asset(written, None, source),
                language,
                code,
                source,
                runner,
                problem,
                attributes=attributes,
                workdir=self.deck_folder,
            )
        )

    def code_attributes(self, attributes: CodeAttributes, source: Source, lines: int) -> None:
        """Warn of attributes that cannot be read or name lines past the code's `lines`.

        Warnings, never errors: on stage the code shows, without the part that is wrong.
        """
        for problem in (*attributes.problems, *attributes.out_of_range(lines)):
            self.report(Severity.WARNING, source, problem)
        if attributes.steps > 1:
            self.current(source).moving = True

    def images(self, line: str, source: Source, base_dir: Path) -> None:
        for match in _IMAGE.finditer(line):
            written = match.group(2)
            if _URL.match(written):
                continue
            asset = self.asset(written, base_dir, source, "image", fragment=True)
            self.current(source).images.append(asset)

    def asset(
        self, written: str, base_dir: Path, source: Source, what: str, *, fragment: bool = False
    ) -> Asset:
        """Resolve a named file that is shown rather than read as deck text."""
        resolved = self.resolver.resolve(written, base_dir, fragment=fragment)
        if resolved.path is not None:
            self.files.add(resolved.path)
            return Asset(written, resolved.path, source)
        self.problem(resolved, source, f"{what} not found: {written}", Severity.WARNING)
        return Asset(written, None, source, resolved.problem)

    def problem(self, resolved: Resolved, source: Source, missing: str, severity: Severity) -> str:
        """Report a path that could not be used; refusals are always errors."""
        if resolved.refused and resolved.problem:
            self.report(Severity.ERROR, source, resolved.problem)
            return resolved.problem
        self.report(severity, source, missing)
        return missing

    # -- directives --------------------------------------------------------------------

    def directives(
        self,
        match: re.Match[str],
        line: str,
        source: Source,
        base_dir: Path,
        chain: tuple[Path, ...],
    ) -> None:
        """Handle a directive line, which may hold several directives (`!header A !footer B`)."""
        parts: list[tuple[str, str]] = []
        name = match.group(1)
        rest = line[match.end() :]
        if "!" not in rest:  # the common case: one directive on its line
            self.directive(name, rest.strip(), source, base_dir, chain)
            return
        if name in KNOWN_DIRECTIVES:
            while True:
                nxt = _NEXT_DIRECTIVE.search(rest)
                if nxt is None:
                    parts.append((name, rest.strip()))
                    break
                parts.append((name, rest[: nxt.start()].strip()))
                name = nxt.group(1)
                rest = rest[nxt.end() :]
        else:
            parts.append((name, rest.strip()))
        for name, argument in parts:
            self.directive(name, argument, source, base_dir, chain)

    def directive(
        self, name: str, argument: str, source: Source, base_dir: Path, chain: tuple[Path, ...]
    ) -> None:
        if name == "slide_classes":
            draft = self.current(source)
            if draft.classes:
                # The compact dialect: a second `!slide_classes` starts the next slide.
                self.end_slide()
                draft = self.current(source)
            draft.classes = argument.split()
            draft.has_directive = True
            return
        if name == "include":
            if self.needs_argument(name, argument, source):
                self.include(argument, source, base_dir, chain)
            return
        draft = self.current(source)
        draft.has_directive = True
        if name == "header":
            self.header = argument or None
        elif name == "footer":
            self.footer = argument or None
        elif name == "comment":
            if argument:
                self.add_note(draft, argument, source.line)
        elif name == "slide_background":
            if self.needs_argument(name, argument, source):
                draft.background = self.asset(
                    argument, base_dir, source, "background image", fragment=True
                )
        elif name == "global_background":
            if self.needs_argument(name, argument, source):
                asset = self.asset(argument, base_dir, source, "background image", fragment=True)
                self.global_background = asset
                if self.first_global_background is None:
                    self.first_global_background = asset
        elif name == "custom_css":
            if self.needs_argument(name, argument, source):
                self.stylesheets.append(self.asset(argument, base_dir, source, "stylesheet"))
        elif name == "code":
            if self.needs_argument(name, argument, source):
                self.code(argument, source, base_dir)
        else:
            self.error_block(source, f"unknown directive !{name}")

    # -- commands in HTML comments ---------------------------------------------------------

    def long_note(self, lines: list[str], source: Source) -> None:
        """A `speaker_note` written over several lines, YAML style (`speaker_note: |`)."""
        import textwrap

        first = lines[0].strip()
        body = lines[1:] if first in ("|", ">", "|-", ">-") else [first, *lines[1:]]
        text = textwrap.dedent("\n".join(body)).strip()
        draft = self.current(source)
        draft.has_directive = True
        draft.commands.append((cmd.SPEAKER_NOTE, text, source.line))
        if text:
            self.add_note(draft, text, source.line)

    def command(
        self, command: cmd.Command, source: Source, base_dir: Path, chain: tuple[Path, ...]
    ) -> None:
        """Act on a command that stands alone on its line at the top level of a slide.

        The commands that shape the layout end the text before them, so each block keeps
        one place; what follows takes the new one.
        """
        name, value = command
        if name == cmd.END_SLIDE:
            # Listed on the slide it ends, though it alone does not make a slide.
            if self.draft is not None:
                self.draft.commands.append((name, value, source.line))
            self.end_slide()
            return
        if name == cmd.INCLUDE:
            # Listed on the slide where the included text begins, without starting one
            # here: the slide starts where its first line is.
            listed = self.draft.commands if self.draft is not None else self.waiting
            listed.append((name, value, source.line))
            if value:
                self.include(value, source, base_dir, chain)
            else:
                self.error_block(source, "include needs a path")
            return
        if name in cmd.PRESENTERM_UNSUPPORTED:
            self.report(
                Severity.WARNING, source, f"presenterm's {name} is not supported; it is ignored"
            )
            return
        if name == "comment":
            return  # an author's comment: hidden
        draft = self.current(source)
        draft.has_directive = True
        draft.commands.append((name, value, source.line))
        if name == cmd.SPEAKER_NOTE:
            if value:
                self.add_note(draft, value, source.line)
            return
        if name == cmd.NO_FOOTER:
            draft.no_footer = True
            return
        if name == cmd.SKIP_SLIDE:
            draft.skipped = True
            return
        if name == cmd.SECTION:
            draft.section = value or None
            if not value:
                self.report(Severity.WARNING, source, "section needs a name")
            return
        self.flush_text(draft)
        place = draft.place
        if name == cmd.COLUMN_LAYOUT:
            widths = cmd.column_widths(value)
            if widths is None:
                self.report(
                    Severity.WARNING,
                    source,
                    "column_layout takes a list of relative widths from 1 to 100, as [3, 2]",
                )
                return
            draft.place = place._replace(
                layout=place.layout + 1, widths=widths, column=0, opened=source
            )
        elif name == cmd.COLUMN:
            column = cmd.count(value, 99)
            if not place.widths:
                self.report(Severity.WARNING, source, "column comes after a column_layout")
            elif column is None or column >= len(place.widths):
                self.report(
                    Severity.WARNING,
                    source,
                    f"column takes a number from 0 to {len(place.widths) - 1}"
                    " (the columns of the layout, from 0)",
                )
            else:
                draft.place = place._replace(column=column)
        elif name == cmd.RESET_LAYOUT:
            if place.widths:
                draft.place = place._replace(
                    layout=place.layout + 1, widths=(), column=0, opened=None
                )
        elif name == cmd.ALIGNMENT:
            align = (value or "").strip().lower()
            if align not in ALIGNMENTS:
                self.report(Severity.WARNING, source, "alignment takes left, center or right")
            else:
                draft.place = place._replace(align=align)
        elif name == cmd.JUMP_TO_MIDDLE:
            draft.place = place._replace(middle=True)
        elif name == cmd.NEW_LINE:
            draft.place = place._replace(gap=place.gap + 1)
        elif name == cmd.NEW_LINES:
            lines = cmd.count(value, 100)
            if lines is None:
                self.report(Severity.WARNING, source, "new_lines takes a number from 0 to 100")
            else:
                draft.place = place._replace(gap=place.gap + lines)

    def needs_argument(self, name: str, argument: str, source: Source) -> bool:
        if argument:
            return True
        self.error_block(source, f"!{name} needs a path")
        return False

    def deck_file(self, written: str, source: Source, base_dir: Path, missing: str) -> Path | None:
        """Resolve a file whose text the deck needs; a missing one is an error block."""
        resolved = self.resolver.resolve(written, base_dir)
        if resolved.path is None:
            message = self.problem(resolved, source, missing, Severity.ERROR)
            draft = self.current(source)
            self.flush_text(draft)  # the block stands where the directive stood
            draft.add(ErrorBlock(message, source))
            return None
        self.files.add(resolved.path)
        return resolved.path

    def include(
        self, written: str, source: Source, base_dir: Path, chain: tuple[Path, ...]
    ) -> None:
        path = self.deck_file(written, source, base_dir, f"Included file not found: {written}")
        if path is None:
            return
        if path in chain or len(chain) > MAX_INCLUDE_DEPTH:
            names = " → ".join(display(p, self.cwd) for p in (*chain, path))
            if path in chain:
                self.error_block(source, f"include cycle: {names}")
            else:
                self.error_block(
                    source, f"includes nested deeper than {MAX_INCLUDE_DEPTH}: {names}"
                )
            return
        try:
            data = self.read(path)
        except IsADirectoryError:
            self.error_block(source, f"Included path is a directory: {written}")
            return
        except OSError as exc:
            self.error_block(source, f"cannot read included file {written}: {exc.strerror}")
            return
        if looks_binary(data):
            self.error_block(source, f"Included file is binary, not text: {written}")
            return
        self.read_text(data, display(path, self.cwd), path.parent, (*chain, path))

    def code(self, argument: str, source: Source, base_dir: Path) -> None:
        argument, attributes = read_attributes(argument, strict=False)
        if not argument:
            self.error_block(source, "!code needs a path before its attributes")
            return
        parts = argument.split(None, 2)
        written = parts[0]
        language = language_for(written, parts[1] if len(parts) > 1 else None)
        runner: tuple[str, ...] | None
        runner_problem: str | None = None
        if len(parts) > 2:
            import shlex  # only decks that name a runner need it, not every start

            try:
                runner = tuple(shlex.split(parts[2]))
            except ValueError as exc:
                runner = None
                runner_problem = f"cannot read the runner {parts[2]!r}: {exc}"
                self.report(Severity.ERROR, source, runner_problem)
        else:
            runner = default_runner(language)
            if runner is None:
                runner_problem = f"no runner is known for {language}; name one after the language"
        path = self.deck_file(written, source, base_dir, f"Code file not found: {written}")
        if path is None:
            return
        decoded = self.code_files.get(path)
        if decoded is None:
            try:
                data = self.read(path, code=True)
            except OSError as exc:
                self.error_block(source, f"cannot read code file {written}: {exc.strerror}")
                return
            decoded = self.code_files[path] = None if looks_binary(data) else decode(data)
        if decoded is None:
            self.error_block(source, f"Code file is binary, not text: {written}")
            return
        if decoded.invalid_offset is not None:
            self.report(
                Severity.WARNING,
                source,
                f"{written}: invalid UTF-8 at byte offset {decoded.invalid_offset}",
            )
        draft = self.current(source)
        self.flush_text(draft)
        self.code_attributes(attributes, source, decoded.text.rstrip("\n").count("\n") + 1)
        draft.add(
            CodeBlock(
                Asset(written, path, source),
                language,
                decoded.text,
                source,
                runner,
                runner_problem,
                attributes=attributes,
            )
        )


def _freeze(
    drafts: list[_SlideDraft],
    first_global: Asset | None,
    diagnostics: list[Diagnostic],
    *,
    incremental: bool = False,
) -> tuple[Slide, ...]:
    slides: list[Slide] = []
    number = 0
    for in_file, draft in enumerate(drafts, 1):
        if not draft.skipped:
            number += 1
        own = draft.background is not None
        background = draft.background or draft.global_background or first_global
        blocks = tuple(draft.blocks)
        steps = 1
        note_steps: tuple[int, ...] = ()
        if draft.commented or draft.moving or (incremental and may_have_steps(blocks, incremental)):
            stepped = assign_steps(blocks, draft.note_places, incremental=incremental)
            blocks, steps = stepped.blocks, stepped.steps
            note_steps = stepped.note_steps[: len(draft.notes)]
            diagnostics.extend(stepped.diagnostics)
        classes = tuple(draft.classes or ())
        photo = any(c.startswith("photo") for c in classes) or (
            own and not blocks_have_text(blocks)
        )
        slides.append(
            Slide(
                number=0 if draft.skipped else number,
                blocks=blocks,
                classes=classes,
                notes=tuple(draft.notes),
                header=draft.header,
                footer=draft.footer,
                background=background,
                own_background=own,
                source=draft.source,
                photo=photo,
                steps=steps,
                note_steps=note_steps,
                file_number=in_file if in_file != number or draft.skipped else 0,
                skipped=draft.skipped,
                no_footer=draft.no_footer,
                section=draft.section,
                commands=tuple(draft.commands),
            )
        )
    return tuple(slides)


def load_deck(
    path: str | os.PathLike[str],
    *,
    root: str | os.PathLike[str] | None = None,
    cwd: Path | None = None,
    incremental_lists: bool = False,
) -> Deck:
    """Read and parse a deck. Raises `DeckUnreadable` only when the file itself cannot be read.

    `incremental_lists` is the deck-wide default of the `incremental_lists` command: each
    top-level item of a slide's lists is then a step of its own.
    """
    cwd = cwd or Path.cwd()
    deck_path = Path(path)
    if not deck_path.is_absolute():
        deck_path = cwd / deck_path
    shown = display(deck_path, cwd)
    if not deck_path.exists():
        raise DeckUnreadable(shown, "no such file")
    if deck_path.is_dir():
        raise DeckUnreadable(shown, "is a directory, not a deck file")
    if deck_path.is_char_device() or deck_path.is_block_device():
        raise DeckUnreadable(shown, "is a device, not a deck file")  # /dev/zero never ends
    real = Path(os.path.realpath(deck_path))
    root_path = Path(os.path.realpath(root if root is not None else real.parent))
    if root is not None and root_path not in real.parents:
        raise DeckUnreadable(shown, f"the deck is not inside --root {root}")
    reader = _DeckReader(PathResolver(root_path, cwd), cwd)
    try:
        data = reader.read(real)
    except OSError as exc:
        raise DeckUnreadable(shown, f"cannot read: {exc.strerror}") from None
    if looks_binary(data):
        raise DeckUnreadable(shown, "binary file, not a deck")
    reader.files.add(real)
    from prexterm.core.presenterm import is_presenterm

    if (b"<!--" in data or data.startswith(b"---")) and is_presenterm(decode(data).text):
        reader.use_presenterm()
        reader.report(
            Severity.NOTE,
            Source(shown, 1),
            "read with presenterm's rules: only end_slide ends a slide, and --- under a line"
            " of text is its title",
        )
    reader.deck_folder = real.parent
    reader.read_text(data, shown, real.parent, (real,))
    reader.end_slide()
    # Reading the slides for their steps may add warnings: the slides come first.
    slides = _freeze(
        reader.drafts,
        reader.first_global_background,
        reader.diagnostics,
        incremental=incremental_lists or reader.options.get("incremental_lists", False),
    )
    shown_slides = tuple(slide for slide in slides if not slide.skipped)
    return Deck(
        path=real,
        root=root_path,
        slides=shown_slides,
        every_slide=slides if len(shown_slides) != len(slides) else (),
        diagnostics=tuple(reader.diagnostics),
        stylesheets=tuple(reader.stylesheets),
        files=frozenset(reader.files),
        display_path=shown,
        rules="presenterm" if reader.presenterm else "prexent",
    )

"""Live code on stage: the output panel of a run and the editor of a code block.

The programs themselves are run by `prexterm.services.code_runner`; these widgets only
show a run's output and hold an edit. Both are made once and reused for every slide.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from rich.console import Group, OverflowMethod
from rich.panel import Panel
from rich.style import Style
from rich.text import Span, Text
from textual.color import Color
from textual.widgets import Static

from prexterm.app.ascii import ascii_text
from prexterm.core.model import CodeBlock, Slide

if TYPE_CHECKING:
    from prexterm.services.code_runner import CodeRun
    from prexterm.style.themes import Theme

_SGR_OR_CONTROL = re.compile(r"(\x1b\[[0-9;]*m)|[\x00-\x08\x0a-\x1f\x7f-\x9f]")
"""What a cleaned line may still hold: SGR sequences (kept) and, where a very long line
was cut inside one, the remains of a sequence (dropped with every other control)."""


_TITLE = Style(bold=True, dim=False)
"""The program's command line on the frame: bold, and not dimmed like the frame."""
_BADGE = Style(bold=True, dim=False, reverse=True)
"""The "recorded" badge of replayed output: it must stand out in every theme."""


class OutputLook(NamedTuple):
    """The styles of the output panel: stdout, stderr, and the "exited normally" line.

    Everything the panel draws comes from these three, which the theme declares: its area
    takes the background of `out` (the page's own where `out` has none, as in the mono
    theme), its frame the colour of `out`, dimmed.
    """

    out: Style
    err: Style
    ok: Style
    colours: bool = True
    """False without colour (NO_COLOR, the mono theme): a program's colours are dropped,
    its bold, underline and the like are kept."""

    @classmethod
    def of(cls, theme: Theme, *, colours: bool = True) -> OutputLook:
        """The output styles `theme` declares (Prexent's where it declares none)."""
        return cls(
            theme.style("output"), theme.style("output-error"), theme.style("output-ok"), colours
        )

    @property
    def area(self) -> Style:
        return Style(bgcolor=self.out.bgcolor)

    @property
    def frame(self) -> Style:
        return Style(color=self.out.color, dim=True)


def output_line(text: str, style: Style, overflow: OverflowMethod, *, colours: bool = True) -> Text:
    """One line of a program's output, its SGR colours and styles shown over `style`.

    The code runner has already removed every other sequence; anything that still
    looks like a control is dropped here too, so nothing but text reaches the screen.
    """
    if "\x1b" in text or _SGR_OR_CONTROL.search(text):
        text = _SGR_OR_CONTROL.sub(lambda found: found.group(1) or "", text)
        line = Text.from_ansi(text, style=style, no_wrap=True, overflow=overflow)
        if not colours:
            line.spans = [
                Span(span.start, span.end, span.style.without_color)
                if isinstance(span.style, Style)
                else span
                for span in line.spans
            ]
        return line
    return Text(text, style=style, no_wrap=True, overflow=overflow)


def output_renderable(
    run: CodeRun, height: int, look: OutputLook, *, ascii_only: bool = False
) -> Panel:
    """The last lines of a run that fit in `height` rows, stdout and stderr in their styles."""
    from rich import box

    visible = max(1, height - 2)
    lines = list(run.lines)[-visible:]
    body = []
    cut: OverflowMethod = "crop" if ascii_only else "ellipsis"
    for kind, text in lines:
        if kind == "err":
            style = look.err
        elif kind == "status":
            style = (look.ok if run.returncode == 0 else look.err) + Style(bold=True)
        else:
            style = look.out
        body.append(output_line(text, style, cut, colours=look.colours))
    if run.running and not lines:
        running = "running..." if ascii_only else "running…"
        body.append(Text(running, style=look.out + Style(dim=True, italic=True)))
    title = Text(" ".join((*run.argv[:-1], Path(run.argv[-1]).name)), style=_TITLE)
    if run.recorded:
        # Never mistaken for a live run: the badge leads the title, in reverse video
        # (which shows in every theme, mono included).
        title = Text.assemble((" RECORDED ", _BADGE), " ", title)
        state = "recorded output · Escape closes"
    elif run.running:
        state = "running · Escape stops"
    elif run.saved_for_replay:
        state = f"{run.status_text} · recorded for R · Escape closes"
    else:
        state = f"{run.status_text} · Escape closes"
    if run.dropped:
        state += f" · {run.dropped} earlier lines dropped"
    return Panel(
        Group(*body),
        title=title,
        title_align="left",
        subtitle=Text(ascii_text(state) if ascii_only else state, style="dim"),
        subtitle_align="right",
        box=box.ASCII if ascii_only else box.ROUNDED,
        border_style=look.frame,
        style=look.area,
    )


class OutputPanel(Static):
    """Shows the run that belongs to the slide on screen; repaints only when it changed."""

    def __init__(
        self, *, look: OutputLook, ascii_only: bool = False, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only
        self.look = look
        self.run: CodeRun | None = None
        self._shown_version = -1
        background = look.out.bgcolor
        if background is not None:
            # The rows under the last line take the theme's colour too, not the page's.
            self.styles.background = Color.from_rich_color(background)

    def show_run(self, run: CodeRun | None) -> None:
        self.run = run
        self.display = run is not None
        self._shown_version = -1
        self.refresh_if_changed()

    def refresh_if_changed(self) -> None:
        """Repaint when the run has new output; called a few times a second, cheap otherwise."""
        run = self.run
        if run is None:
            return
        stamp = run.version * 2 + (0 if run.running else 1)
        if stamp == self._shown_version:
            return
        self._shown_version = stamp
        height = self.size.height or 12
        self.update(output_renderable(run, height, self.look, ascii_only=self.ascii_only))

    def on_resize(self) -> None:
        self._shown_version = -1
        self.refresh_if_changed()


class CodeState:
    """Which code block of each slide is selected, where long ones are scrolled to, and
    the edits not saved yet: what the slide area draws and the live code keys act on.

    Kept by slide number and by block (see `edit_key`), so it survives navigation and
    reloads."""

    def __init__(self) -> None:
        self.selected: dict[int, int] = {}
        """The selected code block of each slide (by slide number), when not the first."""
        self.edits: dict[str, str] = {}
        """Edited code by `edit_key`: survives navigation and reloads until saved."""
        self.lines_from: dict[tuple[int, int], int] = {}
        """First line shown of long code blocks, by (slide number, block index)."""
        self._edited_slides: dict[tuple[Slide, int], Slide] = {}
        """Slides with their code edits, keyed by the slide itself (not its id, which a
        reload can give to a new slide) and the version of the edits."""
        self._version = 0

    @staticmethod
    def edit_key(block: CodeBlock) -> str:
        """What an edit of `block` is kept under: its code file, so every slide showing that
        file shows the edit (saving writes it there); for a block with no file, such as a
        `+exec` fence, the deck file and line it stands at, so each fence keeps its own."""
        return str(block.asset.path) if block.asset.path is not None else f"{block.source}"

    def edit_of(self, block: CodeBlock) -> str | None:
        """The unsaved edit of `block`, if any."""
        return self.edits.get(self.edit_key(block))

    @staticmethod
    def blocks(slide: Slide | None) -> list[CodeBlock]:
        """The code blocks of `slide`, in order."""
        if slide is None:
            return []
        return [b for b in slide.blocks if isinstance(b, CodeBlock)]

    def selected_index(self, slide: Slide, step: int | None = None) -> int | None:
        """The code block of `slide` the run and edit keys act on; None if it has none.

        At `step` only the blocks shown so far count: a block a later step reveals is
        neither marked nor run before the audience sees it (the first shown is taken)."""
        blocks = self.blocks(slide)
        if not blocks:
            return None
        selected = min(self.selected.get(slide.number, 0), len(blocks) - 1)
        if step is None or blocks[selected].step <= step:
            return selected
        shown = self.shown(slide, step)
        return shown[0] if shown else None

    def shown(self, slide: Slide | None, step: int | None) -> list[int]:
        """The indexes of the code blocks of `slide` that show at `step` (all for None)."""
        return [i for i, b in enumerate(self.blocks(slide)) if step is None or b.step <= step]

    def key(self, slide: Slide | None, step: int | None = None) -> tuple[int, int] | None:
        """(slide number, block index) of the selected code of `slide`: names its run."""
        selected = self.selected_index(slide, step) if slide is not None else None
        return None if slide is None or selected is None else (slide.number, selected)

    def offsets(self, slide: Slide) -> tuple[int, ...]:
        """The first line shown of each code block of `slide`."""
        return tuple(
            self.lines_from.get((slide.number, i), 0) for i in range(len(self.blocks(slide)))
        )

    def edited(self, block: CodeBlock, code: str | None) -> None:
        """Keep `code` as the edit of `block`; None: the edit is undone."""
        key = self.edit_key(block)
        if code is None:
            self.edits.pop(key, None)
        else:
            self.edits[key] = code
        self._version += 1

    def with_edits(self, slide: Slide) -> Slide:
        """The slide as it shows: code blocks carry their unsaved edits."""
        if not self.edits or not self.blocks(slide):
            return slide
        key = (slide, self._version)
        derived = self._edited_slides.get(key)
        if derived is None:
            blocks = tuple(
                b._replace(code=edit)
                if isinstance(b, CodeBlock) and (edit := self.edit_of(b)) is not None
                else b
                for b in slide.blocks
            )
            derived = slide._replace(blocks=blocks)
            self._edited_slides = {key: derived, **{
                k: v for k, v in self._edited_slides.items() if k[1] == self._version
            }}  # fmt: skip
        return derived

"""Live code on stage: the output panel of a run and the editor of a code block.

The programs themselves are run by `prexterm.services.code_runner`; these widgets only
show a run's output and hold an edit. Both are made once and reused for every slide.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, OverflowMethod
from rich.panel import Panel
from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from prexterm.app.ascii import ascii_text

if TYPE_CHECKING:
    from prexterm.services.code_runner import CodeRun

OUT_STYLE = Style(color="#cccccc")
ERR_STYLE = Style(color="#ff5f5f")
EXIT_OK_STYLE = Style(color="#5fd75f", bold=True)
EXIT_BAD_STYLE = Style(color="#ff5f5f", bold=True)


def output_renderable(run: CodeRun, height: int, *, ascii_only: bool = False) -> Panel:
    """The last lines of a run that fit in `height` rows, stdout and stderr in their styles."""
    from rich import box

    visible = max(1, height - 2)
    lines = list(run.lines)[-visible:]
    body = []
    for kind, text in lines:
        if kind == "err":
            style = ERR_STYLE
        elif kind == "status":
            style = EXIT_OK_STYLE if run.returncode == 0 else EXIT_BAD_STYLE
        else:
            style = OUT_STYLE
        cut: OverflowMethod = "crop" if ascii_only else "ellipsis"
        body.append(Text(text, style=style, no_wrap=True, overflow=cut))
    if run.running and not lines:
        body.append(Text("running..." if ascii_only else "running…", style="dim italic"))
    title = Text(" ".join((*run.argv[:-1], Path(run.argv[-1]).name)), style="bold")
    state = "running · Escape stops" if run.running else f"{run.status_text} · Escape closes"
    if run.dropped:
        state += f" · {run.dropped} earlier lines dropped"
    return Panel(
        Group(*body),
        title=title,
        title_align="left",
        subtitle=Text(ascii_text(state) if ascii_only else state, style="dim"),
        subtitle_align="right",
        box=box.ASCII if ascii_only else box.ROUNDED,
        border_style=Style(color="#808080"),
        style=Style(bgcolor="#444444") if not ascii_only else Style(),
    )


class OutputPanel(Static):
    """Shows the run that belongs to the slide on screen; repaints only when it changed."""

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only
        self.run: CodeRun | None = None
        self._shown_version = -1

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
        self.update(output_renderable(run, height, ascii_only=self.ascii_only))

    def on_resize(self) -> None:
        self._shown_version = -1
        self.refresh_if_changed()


def save_atomically(path: Path, text: str) -> None:
    """Write `text` over `path` so that a crash never leaves half a file.

    The new content goes to a temporary file in the same folder (so the rename cannot
    cross file systems), takes the old file's permissions, reaches the disk, and then
    replaces the old file in one rename.
    """
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise

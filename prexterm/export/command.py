"""`prexterm export`: the deck as PDF, HTML, SVG or text, exactly as the player draws it.

Everything that can go wrong before the slides are drawn is checked first (the theme,
the deck, the output's place, the font, the PDF library), so a mistake costs a second,
not a whole export. The output is written atomically, never over the deck or any file it
reads, and nothing from the deck runs.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from prexterm.core.model import Deck, DeckUnreadable, MarkdownBlock
from prexterm.core.parser import load_deck
from prexterm.core.text import clean, save_atomically

if TYPE_CHECKING:
    import argparse

    from prexterm.export.pages import Page

EXIT_UNUSABLE = 2
"""Nothing was exported: the command, the deck, the theme or the font cannot be used."""
EXIT_UNWRITTEN = 1
"""The slides were drawn but the output could not be written."""

FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".svg": "svg", ".txt": "txt"}
EXTENSIONS = {"pdf": ".pdf", "html": ".html", "svg": "-svg", "txt": ".txt"}
"""The default output's ending after the deck's name; SVG is a folder of files."""
DEFAULT_SIZE = (120, 36)


class ExportProblem(Exception):
    """A one-line reason the export cannot be done, and the exit status that goes with it."""

    def __init__(self, message: str, status: int = EXIT_UNUSABLE) -> None:
        super().__init__(message)
        self.status = status


class Writer(Protocol):
    def add(self, page: Page) -> None: ...


def _fail(message: str, status: int) -> int:
    print(f"prexterm export: {clean(message)}", file=sys.stderr)
    return status


def read_by(deck: Deck) -> set[Path]:
    """Every file the deck reads or names, resolved: none of them may be written over."""
    paths: set[Path] = {deck.path, *deck.files}
    paths.update(a.path for a in deck.stylesheets if a.path is not None)
    for slide in deck.slides:
        if slide.background is not None and slide.background.path is not None:
            paths.add(slide.background.path)
        for block in slide.blocks:
            if isinstance(block, MarkdownBlock):
                paths.update(a.path for a in block.images if a.path is not None)
    resolved = set()
    for path in paths:
        try:
            resolved.add(path.resolve())
        except OSError:
            continue
    return resolved


def pick_format(to: str | None, out: str | None) -> str:
    """The format `--to` names, else the one OUT's extension names, else PDF."""
    if to is not None:
        return to
    if out is None:
        return "pdf"
    found = FORMATS.get(Path(out).suffix.lower())
    if found is None:
        raise ExportProblem(
            f"cannot tell the format from {out}: end it with .pdf, .html, .svg or .txt, "
            "or say --to pdf|html|svg|txt"
        )
    return found


def output_path(deck: Path, fmt: str, out: str | None) -> Path:
    """OUT, or the deck's name with the format's ending in the current folder."""
    if out is not None:
        return Path(out)
    return Path.cwd() / (deck.stem + EXTENSIONS[fmt])


def check_output(path: Path, fmt: str, reads: set[Path], names: Iterable[str] = ()) -> None:
    """Refuse an output that would replace a file the deck reads, or cannot be written."""
    targets = [path / name for name in names] if fmt == "svg" else [path]
    if fmt == "svg":
        targets.append(path)
    for target in targets:
        if target.resolve() in reads:
            raise ExportProblem(
                f"will not write over {target}: the deck reads it (choose another -o)"
            )
    if fmt == "svg":
        if path.exists() and not path.is_dir():
            raise ExportProblem(f"cannot write to {path}: it is not a folder", EXIT_UNWRITTEN)
        folder = path if path.is_dir() else path.parent
    else:
        if path.is_dir():
            raise ExportProblem(f"cannot write to {path}: it is a folder", EXIT_UNWRITTEN)
        folder = path.parent
    folder = folder if str(folder) else Path(".")
    if not folder.is_dir():
        raise ExportProblem(f"cannot write to {path}: no such folder {folder}", EXIT_UNWRITTEN)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportProblem(f"cannot write to {path}: permission denied", EXIT_UNWRITTEN)


class ProgressBar:
    """A one-line bar on a terminal, redrawn in place; nothing at all on a pipe or file."""

    WIDTH = 30

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        try:
            self.enabled = self.stream.isatty()
        except (OSError, ValueError):
            self.enabled = False
        self.drawn = 0
        """How many characters the bar takes on its line (0: not drawn)."""

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        count = f" {done}/{total}"
        # Narrower on a narrow terminal: a bar that wrapped could not be drawn over.
        width = max(5, min(self.WIDTH, shutil.get_terminal_size().columns - 11 - len(count)))
        filled = width * done // total
        bar = "█" * filled + "░" * (width - filled)
        line = f"exporting {bar}{count}"
        self.stream.write("\r" + line)
        self.stream.flush()
        self.drawn = len(line)

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * self.drawn + "\r")
            self.stream.flush()
            self.drawn = 0


def run_export(args: argparse.Namespace) -> int:
    """The exit status of `prexterm export` for the parsed `args`."""
    try:
        return _export(args)
    except ExportProblem as exc:
        return _fail(str(exc), exc.status)


def _theme(args: argparse.Namespace) -> str | None:
    from prexterm.config import ConfigError, load_config, merge

    try:
        theme = merge(load_config(), theme=args.theme).theme
    except ConfigError as exc:
        raise ExportProblem(str(exc)) from None
    if theme is not None:
        from prexterm.app.styling import unusable_theme

        problem = unusable_theme(theme)
        if problem is not None:
            raise ExportProblem(problem)
    return theme


def _export(args: argparse.Namespace) -> int:
    fmt = pick_format(args.to, args.out)
    theme = _theme(args)
    try:
        deck = load_deck(args.deck, root=args.root)
    except DeckUnreadable as exc:
        # Word for word what `prexterm check` says.
        print(clean(str(exc)), file=sys.stderr)
        return EXIT_UNUSABLE
    if not deck.slides:
        raise ExportProblem(f"{deck.display_path or deck.path}: no slides to export")
    out = output_path(deck.path, fmt, args.out)
    reads = read_by(deck)
    if theme is not None and Path(theme).is_file():
        reads.add(Path(theme).resolve())  # a theme file is read as much as the deck
    check_output(out, fmt, reads)
    title = _title(deck)
    writer, finish = _writer(fmt, title, notes=args.notes)

    from prexterm.app.options import PlayerOptions
    from prexterm.export.capture import capture

    options = PlayerOptions(
        deck=deck.path,
        root=Path(args.root) if args.root else None,
        no_color=bool(os.environ.get("NO_COLOR")),
        theme=theme,
        watch=False,
        sync=False,
        images="halfblock",
        allow_exec=False,
        clock=lambda: 0.0,
        wall_clock=lambda: 0.0,
    )
    bar = ProgressBar()
    pages = 0

    def add(page: Page) -> None:
        nonlocal pages
        pages += 1
        writer.add(page)

    try:
        warnings = asyncio.run(
            capture(
                deck,
                options,
                args.size,
                add,
                steps=args.steps,
                notes=args.notes,
                progress=bar,
            )
        )
    finally:
        bar.close()
    try:
        written = finish(out, reads)
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise ExportProblem(f"cannot write to {out}: {why}", EXIT_UNWRITTEN) from None
    warnings += getattr(writer, "problems", [])
    for warning in warnings:
        print(f"prexterm export: warning: {clean(warning)}", file=sys.stderr)
    noun = "page" if pages == 1 else "pages"
    print(f"{clean(str(written))}: {pages} {noun} ({fmt})")
    return 0


def _title(deck: Deck) -> str:
    from prexterm.export.pages import deck_title

    return deck_title(deck)


Finish = Callable[[Path, set[Path]], Path]


def _writer(fmt: str, title: str, *, notes: bool) -> tuple[Writer, Finish]:
    """The writer for `fmt`, and what writes its result to OUT; both made before any
    slide is drawn, so a missing font or library stops the export at once."""
    from prexterm.export.fonts import FontMissing, find_font

    if fmt == "txt":
        from prexterm.export.txt import TextWriter

        text = TextWriter()
        return text, lambda out, _reads: _save(out, text.result())
    if fmt == "svg":
        from prexterm.export.svg import SvgWriter

        svg = SvgWriter(title)

        def save_folder(out: Path, reads: set[Path]) -> Path:
            check_output(out, "svg", reads, svg.files)
            out.mkdir(exist_ok=True)
            for name, content in svg.files.items():
                save_atomically(out / name, content)
            return out

        return svg, save_folder
    if fmt == "html":
        from prexterm.export.html import HtmlWriter

        try:
            fonts = find_font()
        except FontMissing as exc:
            print(
                f"prexterm export: warning: {exc}; the page uses the reader's own monospaced font",
                file=sys.stderr,
            )
            fonts = None
        html = HtmlWriter(title, fonts, notes=notes)
        return html, lambda out, _reads: _save(out, html.result())
    from prexterm.export.pdf import PdfMissing, PdfWriter

    try:
        pdf = PdfWriter(title, find_font(), handout=notes)
    except (PdfMissing, FontMissing) as exc:
        raise ExportProblem(str(exc)) from None
    return pdf, lambda out, _reads: _save(out, pdf.result())


def _save(out: Path, content: str | bytes) -> Path:
    save_atomically(out, content)
    return out

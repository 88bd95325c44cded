"""`prexterm check`: what is wrong with a deck, as lines for people or JSON for tools.

It reads decks with the same parser as the player, so a deck that checks clean plays
the way `check` describes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from prexterm.core.languages import command_line
from prexterm.core.model import (
    Asset,
    CodeBlock,
    Deck,
    DeckUnreadable,
    Diagnostic,
    MarkdownBlock,
    Severity,
    Source,
)
from prexterm.core.parser import load_deck
from prexterm.core.paths import display
from prexterm.core.text import clean
from prexterm.render.plain import markdown_to_plain

if TYPE_CHECKING:
    from prexterm.preflight import Venue
    from prexterm.services.recordings import RecordingStore

LEAVES_SESSION = re.compile(r"\b(?:setsid|start_new_session)\b")
"""Code that starts programs in a session of their own, out of the player's reach."""
LEFT_BEHIND = (
    "this code calls setsid: what it starts that way is not stopped with the demo, "
    "nor when the player ends"
)

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_UNREADABLE = 2


def counted(number: int, thing: str) -> str:
    """`1 error`, `2 errors`, `0 errors`: a summary reads as a sentence would."""
    return f"{number} {thing}" if number == 1 else f"{number} {thing}s"


def summary_line(deck: Deck) -> str:
    """`N slides, E errors, W warnings`, each word singular when its count is one."""
    return ", ".join(
        (
            counted(len(deck.all_slides), "slide"),
            counted(deck.errors, "error"),
            counted(deck.warnings, "warning"),
        )
    )


def picture_diagnostics(deck: Deck) -> list[Diagnostic]:
    """Pictures that exist but cannot be shown (corrupt, enormous, unreadable).

    Only the file headers are read. Without Pillow there is one note instead: pictures
    then show as placeholders.
    """
    from prexterm.pictures.decode import pillow_available, probe

    assets: dict[Path, Asset] = {}
    for slide in deck.all_slides:
        if slide.background is not None and slide.background.path is not None:
            assets.setdefault(slide.background.path, slide.background)
        for block in slide.blocks:
            if isinstance(block, MarkdownBlock):
                for image in block.images:
                    if image.path is not None:
                        assets.setdefault(image.path, image)
    if not assets:
        return []
    if not pillow_available():
        first = next(iter(assets.values()))
        return [
            Diagnostic(
                Severity.NOTE,
                first.source,
                "pictures show as placeholders; they need pip install 'prexterm[images]'",
            )
        ]
    found = []
    for path, asset in assets.items():
        reason = probe(path).reason
        if reason is not None:
            found.append(
                Diagnostic(Severity.WARNING, asset.source, f"picture {asset.written}: {reason}")
            )
    return found


def stylesheet_diagnostics(deck: Deck) -> list[Diagnostic]:
    """What the deck's stylesheets hold that the player cannot use.

    A stylesheet the player plays without (Textual CSS that does not parse, a file above
    the size limit, brackets nested too deeply) is an error, at its own line when there
    is one and at the `!custom_css` line otherwise. What a web stylesheet says that has
    no meaning in a terminal is a note.
    """
    found: list[Diagnostic] = []
    for asset in deck.stylesheets:
        if asset.path is None:
            continue  # reported by the parser
        shown = display(asset.path, Path.cwd())
        if asset.path.suffix.lower() == ".css":
            found += _web_css_diagnostics(asset, shown, deck.root)
        else:
            found += _tcss_diagnostics(asset, shown, deck.root)
    return found


def _unused(asset: Asset, shown: str, line: int, why: str) -> Diagnostic:
    """An error about a stylesheet the player cannot use, where it is best shown."""
    if line:
        return Diagnostic(Severity.ERROR, Source(shown, line), f"stylesheet not used: {why}")
    return Diagnostic(Severity.ERROR, asset.source, f"stylesheet {asset.written} not used: {why}")


def _web_css_diagnostics(asset: Asset, shown: str, root: Path) -> list[Diagnostic]:
    from prexterm.style.webcss import load_web_css

    assert asset.path is not None
    try:
        sheet = load_web_css(asset.path, root)
    except OSError as exc:
        return [Diagnostic(Severity.WARNING, asset.source, f"cannot read {asset.written}: {exc}")]
    if sheet.problem is not None:
        return [_unused(asset, shown, sheet.problem_line, sheet.problem)]
    return [
        Diagnostic(
            Severity.NOTE,
            Source(shown, ignored.line),
            f"ignored in the terminal: {ignored.what}",
        )
        for ignored in sheet.ignored
    ]


def _tcss_diagnostics(asset: Asset, shown: str, root: Path) -> list[Diagnostic]:
    """Textual CSS is parsed as the player would parse it (the Textual CSS reader is
    loaded for this only, so a deck without such a file is checked without it)."""
    from prexterm.style.themes import TCSS_MAX_BYTES, StylesheetError, read_stylesheet

    assert asset.path is not None
    try:
        data = read_stylesheet(asset.path, TCSS_MAX_BYTES, root)
    except OSError as exc:
        return [Diagnostic(Severity.WARNING, asset.source, f"cannot read {asset.written}: {exc}")]
    except StylesheetError as exc:
        return [_unused(asset, shown, 0, str(exc))]
    from prexterm.app.styling import tcss_error

    found = tcss_error(data.decode("utf-8-sig", errors="replace"))
    return [] if found is None else [_unused(asset, shown, *found)]


def runnable_diagnostics(deck: Deck) -> list[Diagnostic]:
    """A note for every `!code` block naming the exact command `x` would run.

    A presenter reviewing a deck from someone else sees what `--allow-exec` would allow,
    and which runnable blocks have no recorded output to fall back on (see
    `prexterm.services.recordings`), or only one of older code.
    """
    found = []
    store: RecordingStore | None = None
    for slide in deck.all_slides:
        for block in slide.blocks:
            if isinstance(block, CodeBlock):
                command = command_line(block)
                if command is not None:
                    message = f"runnable with --allow-exec: {command}"
                elif block.runner_problem:
                    message = f"cannot run: {block.runner_problem}"
                else:
                    continue
                found.append(Diagnostic(Severity.NOTE, block.source, message))
                if command is not None and LEAVES_SESSION.search(block.code):
                    found.append(Diagnostic(Severity.NOTE, block.source, LEFT_BEHIND))
                if command is not None:
                    if store is None:
                        from prexterm.services.recordings import RecordingStore, default_folder

                        store = RecordingStore(default_folder(deck.path.parent))
                    for _, problem in store.problems([block]):
                        found.append(Diagnostic(Severity.NOTE, block.source, problem))
    return found


def checked(deck: Deck, venue: Venue | None = None) -> Deck:
    """The deck with everything `check` adds to what the parser found, and with a
    `venue`, what the room would miss on that screen (see `prexterm.preflight`)."""
    extra = [
        *picture_diagnostics(deck),
        *stylesheet_diagnostics(deck),
        *runnable_diagnostics(deck),
    ]
    if venue is not None:
        from prexterm.preflight import venue_diagnostics

        extra += venue_diagnostics(deck, venue)
    return replace(deck, diagnostics=deck.diagnostics + tuple(extra)) if extra else deck


def deck_as_json(deck: Deck) -> dict[str, Any]:
    """The deck as plain data: every slide as the audience sees it, and every diagnostic."""
    slides = []
    for slide in deck.all_slides:
        slides.append(
            {
                "number": slide.in_file,
                "talk_number": None if slide.skipped else slide.number,
                "skipped": slide.skipped,
                "footer_shown": not slide.no_footer,
                "section": slide.section,
                "commands": [
                    {"name": name, "value": value, "line": line}
                    for name, value, line in slide.commands
                ],
                "title": slide.title,
                "steps": slide.steps,
                "text": markdown_to_plain(slide.markdown),
                "header": slide.header,
                "footer": slide.footer,
                "classes": list(slide.classes),
                "notes": list(slide.notes),
                "note_steps": [slide.note_step(i) for i in range(len(slide.notes))],
                "photo": slide.photo,
                "background": slide.background.written if slide.background else None,
                "code": [
                    {
                        "path": block.asset.written,
                        "language": block.language,
                        "runner": list(block.runner) if block.runner else None,
                        "command": command_line(block),
                    }
                    for block in slide.blocks
                    if isinstance(block, CodeBlock)
                ],
                "source": {"file": slide.source.file, "line": slide.source.line},
            }
        )
    return {
        "deck": deck.display_path,
        "slides": slides,
        "diagnostics": [
            {
                "severity": d.severity.value,
                "file": d.source.file,
                "line": d.source.line,
                "message": d.message,
            }
            for d in deck.diagnostics
        ],
        "rules": deck.rules,
        "summary": {
            "slides": len(deck.all_slides),
            "errors": deck.errors,
            "warnings": deck.warnings,
        },
    }


_NOT_FOR_TERMINALS = re.compile("[\x7f-\x9f]")


def json_line(data: object) -> str:
    """`data` as one line of JSON that a terminal shows as text.

    JSON escapes C0 control characters itself; DEL and the C1 block (U+009B starts an
    escape sequence in some terminals) it would write raw, so they are escaped here too.
    The data stays exact: a JSON reader gets the file name back as it is on disk.
    """
    text = json.dumps(data, ensure_ascii=False)
    return _NOT_FOR_TERMINALS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def run_check(
    paths: Sequence[str],
    *,
    root: str | None,
    as_json: bool,
    out: TextIO,
    err: TextIO,
    incremental_lists: bool = False,
    venue: Venue | None = None,
) -> int:
    """Check each deck; the exit status is the worst outcome over all of them.

    `incremental_lists` reads the decks with incremental lists on by default, as the
    player's `--incremental-lists` plays them (it changes the step counts).

    With `as_json`, every deck gets exactly one line of JSON (JSON Lines), in the order
    given, an unreadable one too: a tool reading the output line by line can match each
    line to the deck it asked about without parsing stderr.
    """
    status = EXIT_OK
    for path in paths:
        try:
            deck = load_deck(path, root=root, incremental_lists=incremental_lists)
        except DeckUnreadable as exc:
            print(clean(str(exc)), file=err)
            status = EXIT_UNREADABLE
            if as_json:
                unreadable = {"deck": clean(exc.path), "error": clean(exc.reason)}
                print(json_line(unreadable), file=out)
            continue
        deck = checked(deck, venue)
        if deck.errors and status == EXIT_OK:
            status = EXIT_ERRORS
        if as_json:
            data = deck_as_json(deck)
            if venue is not None:
                data["venue"] = {
                    "width": venue.width,
                    "height": venue.height,
                    "theme": venue.theme.name,
                    "colors": venue.colors,
                    "ascii": venue.ascii_only,
                }
            print(json_line(data), file=out)
            continue
        for diagnostic in deck.diagnostics:
            print(clean(diagnostic.format()), file=out)
        prefix = f"{clean(deck.display_path)}: " if len(paths) > 1 else ""
        at = f" at {venue.describe()}" if venue is not None else ""
        print(prefix + summary_line(deck) + at, file=out)
    return status

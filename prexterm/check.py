"""`prexterm check`: what is wrong with a deck, as lines for people or JSON for tools.

It reads decks with the same parser as the player, so a deck that checks clean plays
the way `check` describes it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from prexterm.core.model import CodeBlock, Deck, DeckUnreadable
from prexterm.core.parser import load_deck
from prexterm.core.text import clean
from prexterm.render.plain import markdown_to_plain
from prexterm.services.code_runner import command_line

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_UNREADABLE = 2


def summary_line(deck: Deck) -> str:
    return f"{len(deck.slides)} slides, {deck.errors} errors, {deck.warnings} warnings"


def runnable_lines(deck: Deck) -> list[str]:
    """A note for every `!code` block naming the exact command `x` would run.

    A presenter reviewing a deck from someone else sees what `--allow-exec` would allow.
    """
    lines = []
    for slide in deck.slides:
        for block in slide.blocks:
            if isinstance(block, CodeBlock):
                command = command_line(block)
                if command is not None:
                    lines.append(f"{block.source}: note: runnable with --allow-exec: {command}")
                elif block.runner_problem:
                    lines.append(f"{block.source}: note: cannot run: {block.runner_problem}")
    return lines


def deck_as_json(deck: Deck) -> dict[str, Any]:
    """The deck as plain data: every slide as the audience sees it, and every diagnostic."""
    slides = []
    for slide in deck.slides:
        slides.append(
            {
                "number": slide.number,
                "title": slide.title,
                "text": markdown_to_plain(slide.markdown),
                "header": slide.header,
                "footer": slide.footer,
                "classes": list(slide.classes),
                "notes": list(slide.notes),
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
        "summary": {"slides": len(deck.slides), "errors": deck.errors, "warnings": deck.warnings},
    }


def run_check(
    paths: Sequence[str], *, root: str | None, as_json: bool, out: TextIO, err: TextIO
) -> int:
    """Check each deck; the exit status is the worst outcome over all of them."""
    status = EXIT_OK
    for path in paths:
        try:
            deck = load_deck(path, root=root)
        except DeckUnreadable as exc:
            print(clean(str(exc)), file=err)
            status = EXIT_UNREADABLE
            continue
        if deck.errors and status == EXIT_OK:
            status = EXIT_ERRORS
        if as_json:
            print(json.dumps(deck_as_json(deck), indent=2, ensure_ascii=False), file=out)
            continue
        for diagnostic in deck.diagnostics:
            print(clean(diagnostic.format()), file=out)
        for line in runnable_lines(deck):
            print(clean(line), file=out)
        prefix = f"{clean(deck.display_path)}: " if len(paths) > 1 else ""
        print(prefix + summary_line(deck), file=out)
    return status

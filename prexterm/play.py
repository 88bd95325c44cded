"""The commands that open a screen: play, rehearse, notes and follow; and `themes`.

The deck is read before the screen switches, so a deck that cannot be read gets the
same one-line message as `check` in a normal terminal, with exit status 2. Settings come
from the user's config file, and what was typed on the command line wins.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from prexterm.bundled import tour_deck
from prexterm.config import ConfigError, load_config, merge
from prexterm.core.model import DeckUnreadable
from prexterm.core.parser import load_deck
from prexterm.core.text import clean
from prexterm.options import PlayerOptions, locale_is_utf8

if TYPE_CHECKING:
    import argparse

EXIT_UNUSABLE = 2
EXIT_NO_REPORT = 1
"""A rehearsal whose report could not be written: the table was printed, the file is not."""
SWITCH_INTERVAL = 0.001
"""Seconds a thread may hold the interpreter before another gets it (see `play`)."""
HANGUP_GRACE = 3.0
"""Seconds the player gets to wind down after its terminal closed."""

ROLES = {"play": "leader", "rehearse": "leader", "notes": "notes", "follow": "follow"}


def _fail(message: str) -> int:
    print(f"prexterm: {clean(message)}", file=sys.stderr)
    return EXIT_UNUSABLE


def play(args: argparse.Namespace, command: str = "play") -> int:
    # Off until the first frame: see `PlayerOptions.gc_paused`. Back on however this ends.
    gc.disable()
    try:
        return _play(args, command)
    finally:
        gc.enable()


def _play(args: argparse.Namespace, command: str) -> int:
    try:
        config = merge(
            load_config(),
            theme=args.theme,
            presenter=args.presenter,
            duration=args.duration,
            ascii=args.ascii,
        )
    except ConfigError as exc:
        return _fail(str(exc))
    if config.theme is not None:
        # A theme the user named is checked before the screen switches: a broken one is
        # one line on stderr, where the traceback of a stylesheet reader would have been.
        from prexterm.app.styling import unusable_theme

        problem = unusable_theme(config.theme)
        if problem is not None:
            return _fail(problem)
    deck_path = Path(args.deck) if args.deck else tour_deck()
    options = PlayerOptions(
        deck=deck_path,
        slide=args.slide or 1,
        adopt=command == "play" and args.slide is None,
        root=Path(args.root) if args.root else None,
        ascii=config.ascii or not locale_is_utf8(),
        no_color=bool(os.environ.get("NO_COLOR")),
        theme=config.theme,
        presenter=config.presenter or command == "rehearse",
        duration=config.duration,
        watch=args.watch,
        allow_exec=args.allow_exec,
        images=args.images,
        role=ROLES[command],
        rehearse=command == "rehearse",
        gc_paused=not gc.isenabled(),
    )
    try:
        deck = load_deck(options.deck, root=options.root)
    except DeckUnreadable as exc:
        print(clean(str(exc)), file=sys.stderr)
        return EXIT_UNUSABLE
    from prexterm.app.factory import create_app

    app = create_app(options, deck)
    # Slides are drawn ahead in a worker thread. Python hands the interpreter between
    # threads every 5 ms by default; every 1 ms, a key that arrives while the worker
    # draws is answered sooner (the slowest slide changes came about 6% sooner, measured).
    sys.setswitchinterval(SWITCH_INTERVAL)
    report_to = getattr(args, "report", None)
    finishing = threading.Lock()
    finished = False
    reported = True

    def finish_once(*, to_terminal: bool) -> None:
        nonlocal finished, reported
        if not finished:
            finished = True
            if app.rehearsal is not None:
                reported = _finish_rehearsal(
                    app.rehearsal, deck.path, report_to, to_terminal=to_terminal
                )

    def finish() -> None:
        with finishing:
            finish_once(to_terminal=True)

    def finish_and_end() -> None:
        # Nothing may keep a process whose terminal is gone alive: not the app's own
        # shutdown stuck on that terminal (the lock is only waited for so long), not a
        # report that fails to write, and not a printout for a terminal that is gone.
        try:
            if finishing.acquire(timeout=HANGUP_GRACE):
                try:
                    finish_once(to_terminal=False)
                finally:
                    finishing.release()
        finally:
            os._exit(0 if reported else EXIT_NO_REPORT)

    def hangup(*_: object) -> None:
        # A closed terminal ends the talk like `q` does (a rehearsal still gets its
        # report), and the process never outlives its terminal: if the app cannot wind
        # down within a few seconds, it is ended anyway.
        watchdog = threading.Timer(HANGUP_GRACE, finish_and_end)
        watchdog.daemon = True
        watchdog.start()
        if app.is_running:
            app.exit(0)
        else:
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGHUP, hangup)
    try:
        result = app.run()
    except KeyboardInterrupt:
        result = 0
    finally:
        signal.signal(signal.SIGHUP, previous)
        finish()
    status = result if isinstance(result, int) else app.return_code or 0
    # A rehearsal is for its report: a script that runs one learns that it is missing.
    return status or (0 if reported else EXIT_NO_REPORT)


def _finish_rehearsal(
    rehearsal: object, deck: Path, report_to: str | None, *, to_terminal: bool = True
) -> bool:
    """Print the rehearsal's table and write its report; whether the report was written.

    The table is printed either way, so a rehearsal is never lost to a bad `--report`.
    """
    from prexterm.rehearsal import Rehearsal, default_report_path, format_table, write_report

    assert isinstance(rehearsal, Rehearsal)
    rehearsal.finish()
    report = rehearsal.report()
    path = Path(report_to) if report_to else default_report_path(deck, datetime.now())
    try:
        written = write_report(report, path)
        outcome, stream = f"report written to {clean(str(written))}", sys.stdout
    except OSError as exc:
        why = exc.strerror or str(exc)
        if isinstance(exc, FileExistsError):  # the folder to make is a file
            why = f"{path.parent} is a file, not a folder"
        outcome = f"prexterm: could not write the report to {clean(str(path))}: {clean(why)}"
        stream = sys.stderr
        written = None
    if to_terminal:
        _say(format_table(report))
        _say(outcome, stream)
    return written is not None


def _say(text: str, stream: TextIO | None = None) -> None:
    """Print, unless the terminal has gone away (a closed window): the report is on disk."""
    with contextlib.suppress(OSError):
        print(text, file=stream or sys.stdout, flush=True)


def list_themes_command() -> int:
    """`prexterm themes`: every bundled theme with a one-line preview in its own colours."""
    from rich.console import Console

    from prexterm.themes import ThemeError, list_themes, theme_listing

    console = Console(highlight=False)
    try:
        themes = list_themes()
    except ThemeError as exc:
        return _fail(str(exc))
    for line in theme_listing(themes, console.width):
        console.print(line, no_wrap=True, crop=True)
    console.print("\nUse one with --theme NAME, or --theme PATH for a theme file of your own.")
    return 0

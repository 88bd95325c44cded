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
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from prexterm.app.options import PlayerOptions, locale_is_utf8
from prexterm.bundled import tour_deck
from prexterm.config import ConfigError, load_config, merge
from prexterm.core.model import Deck, DeckUnreadable
from prexterm.core.parser import load_deck
from prexterm.core.text import clean

if TYPE_CHECKING:
    import argparse

    from prexterm.app.player import PlayerApp
    from prexterm.timing.rehearsal import RehearsalReport

EXIT_UNUSABLE = 2
EXIT_NO_REPORT = 1
"""A rehearsal whose report could not be written: the table was printed, the file is not."""
HANGUP_GRACE = 3.0
"""Seconds the player gets to wind down after its terminal closed."""

ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
"""The signals that end a talk like `q`. SIGKILL cannot be caught: after it the demos
are orphaned, and a rehearsal has no report."""
TERMINAL_CHECK = 0.5
"""Seconds between two looks at whether the terminal is still there."""
START_PATIENCE = 10.0
"""Seconds after which a signal ends the player even if its first slide never showed."""

ROLES = {"play": "leader", "rehearse": "leader", "notes": "notes", "follow": "follow"}


def _fail(message: str) -> int:
    print(f"prexterm: {clean(message)}", file=sys.stderr)
    return EXIT_UNUSABLE


def play(args: argparse.Namespace, command: str = "play") -> int:
    """Open the screen `command` names on the deck `args` name; the exit status.

    Python's garbage collector is off from here until the first slide shows: everything
    made meanwhile (modules, widgets, the deck) lives as long as the player, so its
    passes would be pure cost, up to 40 ms for a big deck. Once the slide is on screen,
    all of it is set aside from later passes (`gc.freeze`: with all of start-up in them,
    one took some 40 ms, a visible stall on a key press) and the collector runs again.
    It is back on however the talk ends.
    """
    gc.disable()
    try:
        return _play(args, command)
    finally:
        gc.enable()


def _collect_from_now_on() -> None:
    """The first slide is on screen: see `play`."""
    gc.freeze()
    gc.enable()


def _hold_signals(held: bool) -> None:
    """Hold, or deliver, the signals that end a talk.

    Textual cannot end an app that is still building its screen (widgets mount on a
    screen that is gone): a signal that comes while the player starts waits, pending in
    the kernel, until the first slide is on screen, then ends the talk."""
    how = signal.SIG_BLOCK if held else signal.SIG_UNBLOCK
    signal.pthread_sigmask(how, ENDING_SIGNALS)


def _command_line_player(options: PlayerOptions, deck: Deck) -> PlayerApp:
    """The player as the command line runs it: once the first slide is on screen, the
    signals held until then are delivered and the garbage collector starts again."""
    from prexterm.app.factory import create_app
    from prexterm.app.player import PlayerApp

    class CommandLinePlayer(PlayerApp):
        def first_slide_shown(self) -> None:
            _hold_signals(False)
            _collect_from_now_on()

    return create_app(options, deck, base=CommandLinePlayer)


def _play(args: argparse.Namespace, command: str) -> int:
    try:
        config = merge(
            load_config(),
            theme=args.theme,
            presenter=args.presenter,
            duration=args.duration,
            ascii=args.ascii,
            transition=getattr(args, "transition", None),
            incremental_lists=args.incremental_lists,
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
        # Only the presenter's own screen moves: the views that follow it just change.
        transition=config.transition if ROLES[command] == "leader" else "none",
        incremental_lists=config.incremental_lists,
        keys=config.keys,
    )
    try:
        deck = load_deck(
            options.deck, root=options.root, incremental_lists=options.incremental_lists
        )
    except DeckUnreadable as exc:
        print(clean(str(exc)), file=sys.stderr)
        return EXIT_UNUSABLE
    pace_from = getattr(args, "pace_from", None)
    if pace_from is not None:
        from prexterm.timing.plan import load_plan, resolve_pace_from

        try:
            report = resolve_pace_from(pace_from, deck.path)
            load_plan(report, deck.slides, options.duration)  # a bad report is said here
        except ValueError as exc:
            return _fail(str(exc))
        options = options._replace(pace_from=report)
    app = _command_line_player(options, deck)
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
                    app.rehearsal, app.deck, report_to, to_terminal=to_terminal
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

    ending = False
    closing = False

    def end_talk(*_: object) -> None:
        # SIGTERM (`kill`, `timeout`, a session manager), SIGHUP (a closed terminal),
        # SIGINT from outside, or a terminal that went away without a word: the talk
        # ends like `q` does (the demos stop, a rehearsal still gets its report, the sync
        # socket goes, the terminal is restored), and the process never outlives the
        # moment: if the app cannot wind down within a few seconds, it is ended anyway.
        nonlocal ending
        if closing:
            return  # the talk is over and its report is being written: let it finish
        if not ending:
            ending = True
            # The demos' grace between SIGTERM and SIGKILL comes on top.
            watchdog = threading.Timer(HANGUP_GRACE + options.kill_after, finish_and_end)
            watchdog.daemon = True
            watchdog.start()
        if app.is_running:
            # Exactly what `q` does: demos get SIGTERM and their grace before SIGKILL.
            app.call_later(app.action_quit)
        else:
            raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, end_talk) for sig in ENDING_SIGNALS}
    _hold_signals(True)
    lost = _watch_terminal()
    try:
        result = app.run()
    except KeyboardInterrupt:
        result = 0
    finally:
        closing = True
        _hold_signals(False)  # anything still held is delivered now, and ignored
        lost.set()
        if app.leader is not None:
            app.leader.release()
        finish()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    status = result if isinstance(result, int) else app.return_code or 0
    # A rehearsal is for its report: a script that runs one learns that it is missing.
    return status or (0 if reported else EXIT_NO_REPORT)


def _watch_terminal() -> threading.Event:
    """Watch the terminal the talk is shown on; set the returned event to stop.

    A closed terminal sends SIGHUP only to the session it controls. A player started
    with `setsid`, `su -c` or from a service has none, so when its window closes nobody
    tells it: the terminal is hung up, every read returns end of file at once, and the
    toolkit's input thread reads it again and again at full speed, forever. A hung-up
    terminal no longer answers terminal requests, so `os.isatty` turns false for each of
    the standard streams that was one: when it does, this thread sends the player the
    SIGHUP the kernel did not send, and the talk ends the way a closed terminal ends it.

    It also keeps a start that never finishes from holding the ending signals forever:
    after `START_PATIENCE` seconds it lets them through to itself (a signal's handler
    runs in the main thread whichever thread receives it).
    """
    stop = threading.Event()
    watched = [fd for fd in (0, 1, 2) if os.isatty(fd)]

    def watch() -> None:
        patience = START_PATIENCE
        while not stop.wait(TERMINAL_CHECK):
            patience -= TERMINAL_CHECK
            if patience <= 0 < patience + TERMINAL_CHECK:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, ENDING_SIGNALS)
            if not all(map(os.isatty, watched)):
                os.kill(os.getpid(), signal.SIGHUP)
                return

    threading.Thread(target=watch, name="prexterm terminal watch", daemon=True).start()
    return stop


def _finish_rehearsal(
    rehearsal: object, deck: Deck, report_to: str | None, *, to_terminal: bool = True
) -> bool:
    """Print the rehearsal's table and write its report; whether the report was written.

    The table is printed either way, so a rehearsal is never lost to a bad `--report`.
    The report names the deck and holds each slide's fingerprint (of the deck as it is
    at the end), so the next rehearsal and `--pace-from` find its slides again; what
    changed since the previous rehearsal of the deck is printed after the table.
    """
    from prexterm.timing.plan import slide_fingerprint
    from prexterm.timing.rehearsal import Rehearsal, default_report_path, format_table, write_report

    assert isinstance(rehearsal, Rehearsal)
    rehearsal.finish()
    rehearsal.fingerprints = [slide_fingerprint(slide) for slide in deck.slides]
    rehearsal.deck_path = os.path.realpath(deck.path)
    rehearsal.finished = datetime.now(timezone.utc).isoformat(timespec="seconds")
    report = rehearsal.report()
    path = Path(report_to) if report_to else default_report_path(deck.path, datetime.now())
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
        changes = _since_last_rehearsal(report, deck.path, written)
        if changes:
            _say(changes)
        _say(outcome, stream)
    return written is not None


def _since_last_rehearsal(report: RehearsalReport, deck: Path, written: Path | None) -> str | None:
    """What grew or shrank since the deck's previous rehearsal, or None for its first.

    The previous report is looked for where this one went, then in the user's reports.
    """
    from prexterm.timing.plan import (
        compare_rehearsals,
        format_changes,
        latest_report,
        reports_folder,
    )

    folders = [written.parent] if written is not None else []
    folders += [folder for folder in [reports_folder()] if folder not in folders]
    for folder in folders:
        found = latest_report(deck, folder, skip=written)
        if found is not None:
            previous = found[1]
            return format_changes(compare_rehearsals(previous, report), previous.finished)
    return None


def _say(text: str, stream: TextIO | None = None) -> None:
    """Print, unless the terminal has gone away (a closed window): the report is on disk.

    The text holds deck file names and slide titles: its control characters are shown as
    stand-ins, so a deck named with an escape sequence cannot retitle the terminal.
    """
    with contextlib.suppress(OSError):
        print(clean(text), file=stream or sys.stdout, flush=True)


def list_themes_command() -> int:
    """`prexterm themes`: every bundled theme with a one-line preview in its own colours."""
    from rich.console import Console

    from prexterm.style.themes import ThemeError, list_themes, theme_listing

    console = Console(highlight=False)
    try:
        themes = list_themes()
    except ThemeError as exc:
        return _fail(str(exc))
    for line in theme_listing(themes, console.width):
        console.print(line, no_wrap=True, crop=True)
    console.print("\nUse one with --theme NAME, or --theme PATH for a theme file of your own.")
    return 0

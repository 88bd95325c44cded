"""The `prexterm` command line: play a deck, or check, rehearse and follow one.

`prexterm DECK` plays; the first word picks another command (`prexterm check DECK`).
A deck literally named like a command is played with a path: `prexterm ./check`.
Textual is imported only by the commands that open a screen, so `check` stays quick.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from prexterm import __version__
from prexterm.core.text import clean

COMMANDS = ("play", "check", "themes", "rehearse", "notes", "follow", "export")


def _parser(prog: str, description: str) -> argparse.ArgumentParser:
    """An argument parser whose errors are one line that never echoes control characters.

    argparse would print its whole usage block first; a mistyped option then hides its
    one useful line under four of options. `--help` still shows them all.
    """

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            self.exit(2, f"{self.prog}: error: {clean(message)} (see {self.prog} --help)\n")

    return Parser(prog=prog, description=description)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("slide numbers start at 1")
    return value


def _duration(text: str) -> float:
    from prexterm.config import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _folder(text: str) -> str:
    """A `--root` that is not a folder would refuse every deck, saying only that the deck
    is outside it; naming the real mistake is kinder."""
    if not os.path.isdir(text):
        what = "not a folder" if os.path.exists(text) else "no such folder"
        raise argparse.ArgumentTypeError(f"{what}: {text}")
    return text


def _play_parser(command: str = "play") -> argparse.ArgumentParser:
    """The options of every command that opens a screen on a deck."""
    descriptions = {
        "play": "Play a Prexent deck in the terminal. Other commands: "
        + ", ".join(c for c in COMMANDS if c != "play")
        + " (prexterm COMMAND --help).",
        "rehearse": "Rehearse a talk: the presenter pane is open, every slide visit is timed, "
        "and a report is printed and saved on quit.",
        "notes": "The presenter view (notes, next slide, timers) of a deck that "
        "`prexterm DECK` plays in another terminal; navigation moves both.",
        "follow": "The audience view of a deck that `prexterm DECK` plays in another terminal.",
    }
    prog = "prexterm" if command == "play" else f"prexterm {command}"
    parser = _parser(prog, descriptions[command])
    parser.add_argument(
        "deck",
        nargs="?" if command == "play" else None,
        help="the deck (default: the bundled tour)" if command == "play" else "the deck",
    )
    parser.add_argument("--slide", type=_positive, metavar="N", help="open on slide N")
    parser.add_argument(
        "--root", type=_folder, metavar="DIR", help="deck root: files outside it are refused"
    )
    # None, not False, for a switch left out: the user's config file then decides.
    parser.add_argument(
        "--ascii",
        action="store_true",
        default=None,
        help="draw frames and marks with ASCII characters only",
    )
    parser.add_argument("--theme", metavar="NAME|PATH", help="a bundled theme or a theme file")
    parser.add_argument(
        "--presenter",
        action="store_true",
        default=None,
        help="open with the presenter pane (s toggles it)",
    )
    parser.add_argument(
        "--duration",
        type=_duration,
        metavar="D",
        help="planned length of the talk (20m, 1h30m, 45) for the pace display",
    )
    parser.add_argument(
        "--no-watch", dest="watch", action="store_false", help="do not reload on save"
    )
    parser.add_argument(
        "--images",
        choices=("auto", "halfblock", "kitty", "none"),
        default="auto",
        help="how pictures are drawn (default auto: kitty only where certain, else half blocks)",
    )
    parser.add_argument(
        "-x",
        "--allow-exec",
        action="store_true",
        help="let the presenter run !code blocks (x runs, Escape stops); off by default",
    )
    if command == "rehearse":
        parser.add_argument(
            "--report",
            metavar="FILE",
            help="where to write the JSON report (default: the user's state directory)",
        )
    parser.add_argument("--version", action="version", version=f"prexterm {__version__}")
    return parser


def _check_parser() -> argparse.ArgumentParser:
    parser = _parser(
        "prexterm check", "Report problems in decks as file:line: severity: message lines."
    )
    parser.add_argument("decks", nargs="+", metavar="DECK")
    parser.add_argument(
        "--json", action="store_true", help="print JSON Lines: one object per deck, in order"
    )
    parser.add_argument(
        "--root", type=_folder, metavar="DIR", help="deck root: files outside it are refused"
    )
    return parser


SIZE_LIMITS = ((20, 6), (1000, 500))
"""The smallest size the player draws a slide at, and a largest that keeps an export sane."""


def _size(text: str) -> tuple[int, int]:
    """`COLSxROWS`, any size the player accepts."""
    columns, sep, rows = text.lower().replace("×", "x").partition("x")
    if not sep or not columns.isdigit() or not rows.isdigit():
        raise argparse.ArgumentTypeError(f"not a size like 120x36: {text}")
    (low_w, low_h), (high_w, high_h) = SIZE_LIMITS
    size = (int(columns), int(rows))
    if not (low_w <= size[0] <= high_w and low_h <= size[1] <= high_h):
        raise argparse.ArgumentTypeError(
            f"{text} is out of range: from {low_w}x{low_h} to {high_w}x{high_h}"
        )
    return size


def _export_parser() -> argparse.ArgumentParser:
    parser = _parser(
        "prexterm export",
        "Export a deck as PDF, one HTML page, SVG slides or text, each slide exactly as "
        "the player draws it. Nothing in the deck runs.",
    )
    parser.add_argument("deck", metavar="DECK")
    parser.add_argument(
        "-o",
        "--out",
        metavar="OUT",
        help="where to write (default: the deck's name with the format's ending, here); "
        "a folder for svg",
    )
    parser.add_argument(
        "--to",
        choices=("pdf", "html", "svg", "txt"),
        help="the format (default: from OUT's ending, else pdf)",
    )
    parser.add_argument(
        "--size",
        type=_size,
        default=(120, 36),
        metavar="COLSxROWS",
        help="the screen size slides are drawn at (default 120x36)",
    )
    parser.add_argument("--theme", metavar="NAME|PATH", help="a bundled theme or a theme file")
    parser.add_argument(
        "--notes", action="store_true", help="include the speaker's notes (left out otherwise)"
    )
    parser.add_argument("--steps", action="store_true", help="one page per step of each slide")
    parser.add_argument(
        "--root", type=_folder, metavar="DIR", help="deck root: files outside it are refused"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args and args[0] in COMMANDS else "play"
    if args and args[0] in COMMANDS:
        args = args[1:]
    try:
        if command == "check":
            from prexterm.check import run_check

            options = _check_parser().parse_args(args)
            for stream in (sys.stdout, sys.stderr):
                if isinstance(stream, io.TextIOWrapper):
                    stream.reconfigure(errors="backslashreplace")
            return run_check(
                options.decks,
                root=options.root,
                as_json=options.json,
                out=sys.stdout,
                err=sys.stderr,
            )
        if command == "export":
            from prexterm.export.command import run_export

            return run_export(_export_parser().parse_args(args))
        if command == "themes":
            from prexterm.app.run import list_themes_command

            _parser("prexterm themes", "List the bundled themes.").parse_args(args)
            return list_themes_command()
        play_args = _play_parser(command).parse_args(args)
        from prexterm.app.run import play

        return play(play_args, command)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`prexterm check deck.md | head`): stop quietly, and keep
        # Python from reporting the failed flush of stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1

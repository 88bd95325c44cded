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
from typing import TYPE_CHECKING, NoReturn

from prexterm import __version__
from prexterm.core.text import clean

if TYPE_CHECKING:
    from prexterm.preflight import Venue

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
    from prexterm.timing.durations import parse_duration

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
    if command == "play":
        parser.add_argument(
            "--pace-from",
            metavar="REPORT|latest",
            help="pace the talk by a rehearsal report (latest: this deck's last rehearsal), "
            "scaled to --duration",
        )
    parser.add_argument(
        "--incremental-lists",
        action="store_true",
        default=None,
        help="every top-level list item is a step of its own (a slide can turn it off)",
    )
    parser.add_argument(
        "--transition",
        choices=("none", "slide"),
        default=None,
        help="how the presenter's screen moves between slides (default none)",
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
    parser.add_argument(
        "--incremental-lists",
        action="store_true",
        help="count steps as the player does with --incremental-lists",
    )
    venue = parser.add_argument_group(
        "venue pre-flight",
        "with --size, every slide is drawn as the player would draw it on that screen, and "
        "what the room would miss is told as warnings",
    )
    venue.add_argument("--size", type=_size, metavar="COLSxROWS", help="the screen, e.g. 100x30")
    venue.add_argument("--theme", metavar="NAME|PATH", help="the theme to draw with (default dark)")
    venue.add_argument(
        "--colors",
        choices=("16", "256", "truecolor"),
        help="colours the venue's terminal shows (default 256)",
    )
    venue.add_argument("--ascii", action="store_true", help="frames and marks in ASCII only")
    return parser


def _size(text: str) -> tuple[int, int]:
    """`COLSxROWS` as (columns, rows), for `check --size` and `export --size`: any size the
    player draws a slide at, up to one no screen exceeds."""
    from prexterm.app.layout import MIN_HEIGHT, MIN_WIDTH

    columns, separator, rows = text.strip().lower().replace("\u00d7", "x").partition("x")
    if not separator or not columns.isdigit() or not rows.isdigit():
        raise argparse.ArgumentTypeError(f"bad size {text!r}: write columns x rows, such as 100x30")
    width, height = int(columns), int(rows)
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise argparse.ArgumentTypeError(
            f"size {width}x{height} is below the player's least, {MIN_WIDTH}x{MIN_HEIGHT}: "
            "it shows 'terminal too small' there"
        )
    if width > 1000 or height > 1000:
        raise argparse.ArgumentTypeError(
            f"size {width}x{height} is larger than any screen (1000x1000 at most)"
        )
    return width, height


def _venue(parser: argparse.ArgumentParser, options: argparse.Namespace) -> Venue | None:
    """The screen `check --size` describes; an option that needs --size without it, or a
    theme that cannot be used, is a one-line error (exit status 2)."""
    if options.size is None:
        given = [
            name
            for name, value in (
                ("--theme", options.theme),
                ("--colors", options.colors),
                ("--ascii", options.ascii or None),
            )
            if value is not None
        ]
        if given:
            verb = "needs" if len(given) == 1 else "need"
            parser.error(f"{' and '.join(given)} {verb} --size (such as --size 100x30)")
        return None
    from prexterm.preflight import Venue
    from prexterm.style.themes import ThemeError, load_theme

    wanted = options.theme or ("mono" if os.environ.get("NO_COLOR") else "dark")
    try:
        theme = load_theme(wanted)
    except ThemeError as exc:
        parser.error(str(exc))
    width, height = options.size
    return Venue(width, height, theme, options.colors or "256", ascii_only=options.ascii)


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

            parser = _check_parser()
            options = parser.parse_args(args)
            venue = _venue(parser, options)
            for stream in (sys.stdout, sys.stderr):
                if isinstance(stream, io.TextIOWrapper):
                    stream.reconfigure(errors="backslashreplace")
            return run_check(
                options.decks,
                root=options.root,
                as_json=options.json,
                out=sys.stdout,
                err=sys.stderr,
                incremental_lists=options.incremental_lists,
                venue=venue,
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

"""Commands written as HTML comments: `<!-- NAME -->` or `<!-- NAME: VALUE -->`.

Prexent's browser view hides HTML comments, so a deck that uses these commands still
plays there (all at once). A command is a comment alone on its line, outside fenced
code; the spaces around the name and the value mean nothing. Every command has the same
shape, so this one reader serves all of them, and a comment that names no known command
stays what it always was: invisible, and meaningless.
"""

from __future__ import annotations

import re
from typing import NamedTuple

PAUSE = "pause"
STOP = "stop"
"""lookatme's word for a pause."""
INCREMENTAL_LISTS = "incremental_lists"

STEP_COMMANDS = frozenset((PAUSE, STOP, INCREMENTAL_LISTS))
"""The commands that split a slide into steps."""
END_SLIDE = "end_slide"
SPEAKER_NOTE = "speaker_note"
COLUMN_LAYOUT = "column_layout"
COLUMN = "column"
RESET_LAYOUT = "reset_layout"
ALIGNMENT = "alignment"
JUMP_TO_MIDDLE = "jump_to_middle"
NEW_LINES = "new_lines"
NEW_LINE = "new_line"
NO_FOOTER = "no_footer"
SKIP_SLIDE = "skip_slide"
SECTION = "section"
LINE_COMMANDS = frozenset(
    (
        END_SLIDE,
        SPEAKER_NOTE,
        COLUMN_LAYOUT,
        COLUMN,
        RESET_LAYOUT,
        ALIGNMENT,
        JUMP_TO_MIDDLE,
        NEW_LINES,
        NO_FOOTER,
        SKIP_SLIDE,
        SECTION,
    )
)
"""The commands the parser acts on as it reads the lines of a slide: they end a slide,
shape its layout or mark it, and never show."""
INCLUDE = "include"
PRESENTERM_COMMANDS = frozenset((INCLUDE, NEW_LINE, "comment"))
"""Commands read only in a deck read with presenterm's rules (see `FORMAT.md`)."""
PRESENTERM_UNSUPPORTED = frozenset(
    ("font_size", "incremental_tables", "snippet_output", "list_item_newlines")
)
"""presenterm commands prexterm does not act on: hidden, with a `check` warning."""
KNOWN_COMMANDS = STEP_COMMANDS | LINE_COMMANDS
"""Every command prexterm acts on in any deck; other comments are hidden and ignored."""

_COMMAND = re.compile(r"[ \t]*<!--[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?::(.*?))?-->[ \t]*")


class Command(NamedTuple):
    """One command comment: its name in lower case, and its value when it has one."""

    name: str
    value: str | None = None

    @property
    def is_pause(self) -> bool:
        """Whether what follows the command appears at the next step."""
        return self.name in (PAUSE, STOP)

    def flag(self) -> bool | None:
        """The value as true or false (`yes`/`no` and `on`/`off` too); None if it is neither."""
        value = (self.value or "").strip().lower()
        if value in ("true", "yes", "on"):
            return True
        if value in ("false", "no", "off"):
            return False
        return None


def read_command(line: str, known: frozenset[str] = KNOWN_COMMANDS) -> Command | None:
    """The known command that `line` holds all by itself, or None.

    `line` may be indented (a command inside a list item) and may end with a newline.
    `known` is the set of names to accept.
    """
    if "<!--" not in line:
        return None
    match = _COMMAND.fullmatch(line.rstrip("\r\n"))
    if match is None:
        return None
    name = match.group(1).lower()
    if name not in known:
        return None
    value = match.group(2)
    return Command(name, value.strip() if value is not None else None)


def column_widths(value: str | None) -> tuple[int, ...] | None:
    """The relative widths of `column_layout: [3, 2]`, or None when they are not a list
    of one to twelve whole numbers from 1 to 100."""
    text = (value or "").strip()
    if not (text.startswith("[") and text.endswith("]")):
        return None
    parts = [part.strip() for part in text[1:-1].split(",")]
    if not 1 <= len(parts) <= 12 or not all(p.isdigit() and len(p) <= 3 for p in parts):
        return None
    widths = tuple(int(p) for p in parts)
    return widths if all(1 <= w <= 100 for w in widths) else None


def count(value: str | None, limit: int) -> int | None:
    """A whole number from 0 to `limit` (`new_lines: 3`, `column: 1`), or None."""
    text = (value or "").strip()
    if not text.isdigit() or len(text) > 6:
        return None
    number = int(text)
    return number if number <= limit else None

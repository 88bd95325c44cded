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
KNOWN_COMMANDS = STEP_COMMANDS
"""Every command prexterm acts on; other comments are hidden and ignored."""

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


def read_command(line: str) -> Command | None:
    """The known command that `line` holds all by itself, or None.

    `line` may be indented (a command inside a list item) and may end with a newline.
    """
    if "<!--" not in line:
        return None
    match = _COMMAND.fullmatch(line.rstrip("\r\n"))
    if match is None:
        return None
    name = match.group(1).lower()
    if name not in KNOWN_COMMANDS:
        return None
    value = match.group(2)
    return Command(name, value.strip() if value is not None else None)

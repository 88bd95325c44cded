"""The player's keys, in one table that the help overlay and the README both show.

Bindings live on the app; this table is what people read. Each row names its keys the
way Textual does ("right", "ctrl+r"), so a test can check both ways that every key listed
here is bound and every bound key is listed, and another that README's tables say the
same. How a key is shown (an arrow, or a word with `--ascii`) is worked out here too.
"""

from __future__ import annotations

from typing import NamedTuple


class KeyRow(NamedTuple):
    """Some keys that do one thing, and what that thing is, in the presenter's words."""

    keys: tuple[str, ...]
    """Textual key names, plus "g g" (g twice), "digits" (0 to 9), "wheel" and "click"."""
    meaning: str


KEY_GROUPS: tuple[tuple[str, tuple[KeyRow, ...]], ...] = (
    (
        "Navigation",
        (
            KeyRow(("right", "l", "j", "space", "pagedown", "enter", "n"), "next slide"),
            KeyRow(("left", "h", "k", "backspace", "pageup", "p"), "previous slide"),
            KeyRow(("home", "g g"), "first slide"),
            KeyRow(("end", "G"), "last slide"),
            KeyRow(("digits", "enter"), "a slide number, then Enter: go there"),
            KeyRow(("o", "tab"), "overview of every slide; type to filter"),
            KeyRow(("slash", "n", "N"), "search (marked); n / N: next / previous"),
            KeyRow(("up", "down", "wheel"), "scroll a slide taller than the screen"),
            KeyRow(("click",), "right half: next slide; left half: previous"),
        ),
    ),
    (
        "Presenting",
        (
            KeyRow(("b", "full_stop"), "blank the screen; press again to return"),
            KeyRow(("s", "J", "K"), "presenter pane; J / K scroll its notes"),
            KeyRow(("t", "T"), "start, pause, resume / reset the talk clock"),
            KeyRow(("r", "ctrl+r"), "reload the deck (saving it reloads too)"),
            KeyRow(("question_mark",), "this help"),
            KeyRow(("q", "ctrl+c", "ctrl+z"), "quit; Ctrl+Z suspends, fg comes back"),
        ),
    ),
    (
        "Code",
        (
            KeyRow(("tab", "shift+tab", "click"), "select the next / previous / clicked block"),
            KeyRow(("x", "ctrl+e"), "run the selected block (with --allow-exec)"),
            KeyRow(("escape",), "stop the program; again: close its output"),
            KeyRow(("e", "ctrl+s"), "edit the selected block / save the edit"),
        ),
    ),
)
"""Every key the player has, grouped as the help overlay shows them."""

_LABELS: dict[str, tuple[str, str]] = {
    "right": ("→", "Right"),
    "left": ("←", "Left"),
    "up": ("↑", "Up"),
    "down": ("↓", "Down"),
    "space": ("Space", "Space"),
    "pagedown": ("PgDn", "PgDn"),
    "pageup": ("PgUp", "PgUp"),
    "enter": ("Enter", "Enter"),
    "backspace": ("Backspace", "Backspace"),
    "escape": ("Escape", "Escape"),
    "home": ("Home", "Home"),
    "end": ("End", "End"),
    "tab": ("Tab", "Tab"),
    "shift+tab": ("Shift+Tab", "Shift+Tab"),
    "slash": ("/", "/"),
    "question_mark": ("?", "?"),
    "full_stop": (".", "."),
    "digits": ("0-9", "0-9"),
    "wheel": ("mouse wheel", "mouse wheel"),
    "click": ("left click", "left click"),
}
"""How keys whose Textual name is not what is printed on them are shown: (usual, ASCII)."""

MOUSE: frozenset[str] = frozenset({"wheel", "click"})
"""Row entries that are not keys at all, so nothing binds them."""


def key_label(name: str, *, ascii_only: bool = False) -> str:
    """How a presenter knows the key `name`: "→" (or "Right" with ASCII only), "Ctrl+R", "g"."""
    if name in _LABELS:
        usual, plain = _LABELS[name]
        return plain if ascii_only else usual
    if name.startswith("ctrl+"):
        return "Ctrl+" + name.removeprefix("ctrl+").upper()
    return name


def keys_text(keys: tuple[str, ...], *, ascii_only: bool = False, sep: str = "  ") -> str:
    """A row's keys as one line, apart by `sep` (two spaces, as "g g" holds one)."""
    return sep.join(key_label(name, ascii_only=ascii_only) for name in keys)


def bound_names(keys: tuple[str, ...]) -> set[str]:
    """The Textual key names that must be bound for a row's keys to work."""
    names: set[str] = set()
    for name in keys:
        if name == "g g":
            names.add("g")
        elif name == "digits":
            names.update(str(d) for d in range(10))
        elif name not in MOUSE:
            names.add(name)
    return names


KEYS: tuple[tuple[str, str], ...] = tuple(
    (keys_text(row.keys), row.meaning) for _, rows in KEY_GROUPS for row in rows
)
"""Every row as (keys as shown, meaning), in the order of the help overlay."""

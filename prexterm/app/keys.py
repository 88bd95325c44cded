"""The player's keys, in one table that the help overlay and the README both show.

Bindings live on the app; this table is what people read. Each row names its keys the
way Textual does ("right", "ctrl+r"), so a test can check both ways that every key listed
here is bound and every bound key is listed, and another that README's tables say the
same. How a key is shown (an arrow, or a word with `--ascii`) is worked out here too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from textual.binding import BindingType


class KeyRow(NamedTuple):
    """Some keys that do one thing, and what that thing is, in the presenter's words."""

    keys: tuple[str, ...]
    """Textual key names, plus "g g" (g twice), "digits" (0 to 9), "wheel" and "click"."""
    meaning: str
    actions: tuple[str, ...] = ()
    """The key map's actions the row is about: keys `[keys]` gives them join the row."""


KeySettings = Mapping[str, tuple[tuple[str, ...], ...]]
"""The `[keys]` table once checked: each action's keys, one tuple per part."""

KeyGroups = tuple[tuple[str, tuple[KeyRow, ...]], ...]
"""Groups of keys, each a title and its rows."""

KEY_GROUPS: KeyGroups = (
    (
        "Navigation",
        (
            KeyRow(
                ("right", "l", "j", "space", "pagedown", "enter", "n"),
                "next step or slide",
                ("next",),
            ),
            KeyRow(
                ("left", "h", "k", "backspace", "pageup", "p"),
                "previous step or slide",
                ("previous",),
            ),
            KeyRow(
                ("right_square_bracket", "left_square_bracket", "a"),
                "next / previous slide; a: all its steps",
                ("next_slide", "previous_slide", "reveal_all"),
            ),
            KeyRow(
                ("home", "g g", "end", "G", "grave_accent"),
                "first / last slide; `: back from a jump",
                ("first", "last", "back"),
            ),
            KeyRow(("digits", "enter"), "a slide number, then Enter: go there", ("go_to",)),
            KeyRow(("o", "tab"), "overview of every slide; type to filter", ("overview",)),
            KeyRow(("slash", "n", "N"), "search (marked); n / N: next / previous", ("search",)),
            KeyRow(("up", "down", "wheel"), "scroll a slide taller than the screen"),
            KeyRow(("click",), "right half: next slide; left half: previous"),
        ),
    ),
    (
        "Presenting",
        (
            KeyRow(
                ("b", "full_stop", "w"),
                "blank the screen, w to white; again: back",
                ("blank", "white"),
            ),
            KeyRow(
                ("s", "J", "K"),
                "presenter pane; J / K scroll its notes",
                ("presenter", "scroll_notes"),
            ),
            KeyRow(("v",), "peek at slides privately; Enter: go live", ("peek",)),
            KeyRow(("t", "T"), "start, pause, resume / reset the talk clock", ("timer",)),
            KeyRow(("r", "ctrl+r"), "reload the deck (saving it reloads too)", ("reload",)),
            KeyRow(
                ("question_mark", "q", "ctrl+c", "ctrl+z"),
                "this help / quit; Ctrl+Z suspends (fg)",
                ("help", "quit", "suspend"),
            ),
        ),
    ),
    (
        "Code",
        (
            KeyRow(("tab", "shift+tab", "click"), "select the next / previous / clicked block"),
            KeyRow(
                ("x", "ctrl+e", "R"),
                "run (--allow-exec); R: replay the recording",
                ("run", "replay"),
            ),
            KeyRow(("escape",), "stop the program; again: close its output"),
            KeyRow(("e", "ctrl+s"), "edit the selected block / save the edit", ("edit", "save")),
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
    "right_square_bracket": ("]", "]"),
    "left_square_bracket": ("[", "["),
    "grave_accent": ("`", "`"),
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


# -- the binding table, with the keys a settings file may change ------------------------------


class BindingRow(NamedTuple):
    """One key of the player and the action it runs (a Textual action string)."""

    key: str
    action: str
    name: str
    """The action's name in the shared key map (`next`, `blank`…), which `[keys]` uses."""
    priority: bool = False
    """Bound above every widget (Tab, Escape, Ctrl+C…): an input or list must not take it."""


class KeyPart(NamedTuple):
    """One direction of an action: its default keys, each with what it runs there, and
    what a key the settings add runs."""

    keys: tuple[tuple[str, str], ...]
    added: str | None
    """None while the player does not have the action yet: its keys are held for it."""


def _part(added: str | None, *keys: str | tuple[str, str]) -> KeyPart:
    pairs = tuple(key if isinstance(key, tuple) else (key, added or "") for key in keys)
    return KeyPart(pairs, added)


ACTIONS: dict[str, tuple[KeyPart, ...]] = {
    "next": (
        _part(
            "next",
            "right",
            "l",
            "j",
            ("space", "page_down"),
            ("pagedown", "page_down"),
            ("enter", "enter"),
            ("n", "next_or_match(1)"),
        ),
    ),
    "previous": (
        _part("previous", "left", "h", "k", "p", ("pageup", "page_up"), ("backspace", "backspace")),
    ),
    "next_slide": (_part("next_slide", "right_square_bracket"),),
    "previous_slide": (_part("previous_slide", "left_square_bracket"),),
    "reveal_all": (_part("reveal_all", "a"),),
    "first": (_part("first", "home", ("g", "g")),),
    "last": (_part("last", "end", "G"),),
    "back": (_part("go_back", "grave_accent"),),
    "overview": (_part("overview", "o", ("tab", "tab(1)")),),
    "search": (_part("screen.search", "slash"),),
    "scroll_notes": (_part("screen.scroll_notes(1)", "J"), _part("screen.scroll_notes(-1)", "K")),
    "blank": (_part("screen.blank", "b", "full_stop"),),
    "white": (_part("screen.white", "w"),),
    "presenter": (_part("screen.toggle_presenter", "s"),),
    "peek": (_part("screen.peek", "v"),),
    "timer": (_part("screen.pause_timer", "t"), _part("screen.reset_timer", "T")),
    "reload": (_part("screen.reload", "r", "ctrl+r"),),
    "run": (_part("screen.run_code", "x", "ctrl+e"),),
    "replay": (_part("screen.replay_code", "R"),),
    "edit": (_part("screen.edit_code", "e"),),
    "save": (_part("screen.save_code", "ctrl+s"),),
    "help": (_part("help", "question_mark"),),
    "suspend": (_part("suspend_process", "ctrl+z"),),
    "quit": (_part("quit", "q", "ctrl+c"),),
}
"""Every action of the shared key map that `[keys]` may rebind, with its default keys.

An action with two parts takes two entries, in the map's order (`timer = ["t", "T"]`:
pause or resume, then reset). A key that moves the talk runs an action of the player; one
that works a part of the screen without moving the talk runs a `screen.` action, which
Textual runs on the screen on top (`prexterm.app.talk_screen`)."""

FIXED: dict[str, tuple[tuple[str, str], ...]] = {
    "go_to": (*((str(d), f"digit({d})") for d in range(10)), ("enter", "enter")),
    "search": (("N", "screen.match(-1)"),),
    "select code": (("tab", "tab(1)"), ("shift+tab", "tab(-1)")),
    "stop": (("escape", "escape"),),
}
"""Keys that always do what they do: digits type a slide number, Escape cancels whatever
is open (it also stops a program), Tab selects code; and N, which a search gives back."""

NOT_REBOUND = {
    "go_to": "slide numbers are typed with the digits",
    "select code": "Tab and Shift+Tab select code",
    "stop": "Escape stops a program and closes whatever is open",
    "scroll": "the arrow keys scroll the slide",
    "mouse": "the mouse is not a key",
}
"""Actions of the map whose keys the settings cannot change, and why."""

PRIORITY = frozenset({"tab", "shift+tab", "escape", "ctrl+s", "ctrl+c", "ctrl+z"})
"""Keys bound above every widget: without it the search line or a list would take them."""

_NAMED = frozenset(
    {
        "up", "down", "left", "right", "home", "end", "pageup", "pagedown", "insert",
        "delete", "backspace", "tab", "enter", "escape", "space",
        *(f"f{n}" for n in range(1, 25)),
    }
)  # fmt: skip
_SPOKEN = {
    "pgdn": "pagedown", "pgup": "pageup", "page_down": "pagedown", "page_up": "pageup",
    "esc": "escape", "return": "enter", "del": "delete", "ins": "insert",
    "→": "right", "←": "left", "↑": "up", "↓": "down",
}  # fmt: skip


class KeySettingError(ValueError):
    """A `[keys]` entry that cannot be used; `action` names the entry it is about."""

    def __init__(self, action: str, message: str) -> None:
        super().__init__(message)
        self.action = action


def key_name(written: str) -> str | None:
    """The Textual name of a key as a settings file may write it, or None when it is not a
    key: `"PgDn"` and `"pagedown"`, `"."` and `"full_stop"`, `"Ctrl+R"` and `"ctrl+r"`."""
    text = written.strip()
    if len(text) == 1:
        if text.isalnum():
            return text
        if text == " ":
            return "space"
        if text.isprintable() and not text.isspace():
            return _SPOKEN.get(text) or unicodedata.name(text, "").lower().replace(" ", "_")
        return None
    # "ctrl+r": modifiers, then the key; a lone "+" is the key itself.
    *parts, base = text.split("+") if "+" in text[:-1] else [text]
    modifiers = [m.strip().lower() for m in parts]
    if any(m not in ("ctrl", "shift", "alt") for m in modifiers) or len(set(modifiers)) < len(
        modifiers
    ):
        return None
    lowered = base.strip().lower()
    if len(base.strip()) == 1:
        single = key_name(base.strip())
        if single is None:
            return None
        name = single.lower() if modifiers else single
    elif lowered in _NAMED:
        name = lowered
    elif lowered in _SPOKEN:
        name = _SPOKEN[lowered]
    elif lowered.replace("-", "_") in _PUNCTUATION_NAMES:
        name = lowered.replace("-", "_")
    else:
        return None
    return "+".join([*modifiers, name])


_PUNCTUATION_NAMES = frozenset(
    unicodedata.name(chr(c)).lower().replace(" ", "_").replace("-", "_")
    for c in range(33, 127)
    if not chr(c).isalnum()
)


def parse_key_settings(table: Mapping[str, object]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The `[keys]` table checked: each action's keys, one tuple per part, as Textual names.

    Raises `KeySettingError` for an action the map does not have (or one whose keys do not
    change), a value that is not a key or a list of keys, a key that is not one, and a key
    given to two actions.
    """
    found: dict[str, tuple[tuple[str, ...], ...]] = {}
    for action, value in table.items():
        if action in NOT_REBOUND:
            raise KeySettingError(action, f"{action!r} cannot be rebound: {NOT_REBOUND[action]}")
        parts = ACTIONS.get(action)
        if parts is None:
            known = ", ".join(sorted(ACTIONS))
            raise KeySettingError(action, f"unknown action {action!r} (actions: {known})")
        entries: list[object]
        if len(parts) == 1:
            entries = [value]
        elif isinstance(value, list) and len(value) == len(parts):
            entries = list(value)
        else:
            raise KeySettingError(
                action,
                f"{action!r} takes {len(parts)} entries, one for each way "
                f'(such as {action} = ["{parts[0].keys[0][0]}", "{parts[1].keys[0][0]}"])',
            )
        keys: list[tuple[str, ...]] = []
        for entry in entries:
            written = [entry] if isinstance(entry, str) else entry
            if not isinstance(written, list) or not all(isinstance(k, str) for k in written):
                raise KeySettingError(action, f"{action!r} must be a key or a list of keys")
            names: list[str] = []
            for text in written:
                assert isinstance(text, str)
                name = key_name(text)
                if name is None:
                    raise KeySettingError(action, f"{action!r}: {text!r} is not a key")
                if name in names:
                    raise KeySettingError(action, f"{action!r}: {text!r} is listed twice")
                names.append(name)
            keys.append(tuple(names))
        found[action] = tuple(keys)
    _no_key_twice(found)
    return found


def _holders(settings: Mapping[str, tuple[tuple[str, ...], ...]]) -> dict[str, list[str]]:
    """Each key and the actions that hold it, once the settings have replaced defaults."""
    holders: dict[str, list[str]] = {}
    for name, parts in ACTIONS.items():
        chosen = settings.get(name)
        for index, part in enumerate(parts):
            keys = chosen[index] if chosen is not None else tuple(k for k, _ in part.keys)
            for key in keys:
                holders.setdefault(key, []).append(name)
    for name, pairs in FIXED.items():
        for key, _ in pairs:
            if name not in holders.setdefault(key, []):
                holders[key].append(name)
    return holders


def _no_key_twice(settings: Mapping[str, tuple[tuple[str, ...], ...]]) -> None:
    """A key that the settings leave with two actions is an error; the defaults' own
    sharing (Enter: next, or go to the typed number) is by design and stays."""
    defaults = _holders({})
    for key, names in _holders(settings).items():
        mine = [name for name in names if name in settings]
        if len(names) < 2 or not mine or sorted(names) == sorted(defaults.get(key, [])):
            continue
        name = mine[0]
        rival = next(other for other in names if other != name)
        how = "also given to" if rival in settings else "already the key of"
        raise KeySettingError(
            name, f"{key_label(key)!r} is bound twice: to {name!r}, {how} {rival!r}"
        )


def player_bindings(settings: KeySettings | None = None) -> list[BindingType]:
    """The player's bindings from the table, with `[keys]` applied.

    Textual is imported here only: the settings are checked (`prexterm check`) without it.
    """
    from textual.binding import Binding

    return [
        Binding(row.key, row.action, row.name, show=False, priority=row.priority)
        for row in binding_table(settings)
    ]


def binding_table(
    settings: Mapping[str, tuple[tuple[str, ...], ...]] | None = None,
) -> tuple[BindingRow, ...]:
    """The player's bindings: the defaults, with each action `settings` names given its
    keys instead (from `parse_key_settings`). Actions the player does not have yet bind
    nothing. A key keeps what it did by default when its action keeps it (PgDn still
    pages first); a key added to an action runs the action itself."""
    settings = settings or {}
    rows: list[BindingRow] = []
    seen: set[tuple[str, str]] = set()

    def add(key: str, action: str, name: str) -> None:
        if (key, action) not in seen:
            seen.add((key, action))
            rows.append(BindingRow(key, action, name, key in PRIORITY))

    for name, parts in ACTIONS.items():
        chosen = settings.get(name)
        for index, part in enumerate(parts):
            if part.added is None:
                continue
            default = dict(part.keys)
            keys = chosen[index] if chosen is not None else tuple(default)
            for key in keys:
                add(key, default.get(key, part.added), name)
    for name, pairs in FIXED.items():
        for key, action in pairs:
            add(key, action, name)
    return tuple(rows)


def configured_groups(
    settings: Mapping[str, tuple[tuple[str, ...], ...]] | None = None,
) -> KeyGroups:
    """`KEY_GROUPS` with the keys `[keys]` changed: a key that no longer does what it did
    by default leaves its row, and a key given to a row's action joins it. The help and
    the presenter see the keys that work, not the defaults."""
    if not settings:
        return KEY_GROUPS
    before, after = _holders({}), _holders(settings)
    defaults = {
        name: {k for part in parts for k, _ in part.keys} for name, parts in ACTIONS.items()
    }

    def kept(key: str, row: KeyRow) -> bool:
        """Still what the row says: the row's action holds it, or nothing changed for it."""
        names = bound_names((key,))
        if any(action in after.get(name, []) for name in names for action in row.actions):
            return True
        return all(sorted(after.get(name, [])) == sorted(before.get(name, [])) for name in names)

    groups = []
    for group, rows in KEY_GROUPS:
        changed = []
        for row in rows:
            keys = [key for key in row.keys if kept(key, row)]
            for action in row.actions:
                for part in settings.get(action, ()):
                    keys += [k for k in part if k not in defaults.get(action, ()) and k not in keys]
            changed.append(row._replace(keys=tuple(keys)))
        groups.append((group, tuple(changed)))
    return tuple(groups)

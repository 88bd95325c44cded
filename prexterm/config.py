"""The user's settings file: `$XDG_CONFIG_HOME/prexterm/config.toml`.

A speaker who always wants the light theme, the presenter pane or a 20-minute timer should
not have to type it before every talk. The file is small and strict: a misspelt key or a
value of the wrong type is an error that names the key and the file, because a setting that
is silently ignored is found out only in front of an audience.

Command-line flags win over the file; `merge` does that for the CLI. This module has no
UI dependency so `prexterm check` and the CLI can read it before anything starts.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from prexterm.core.text import SETTINGS_LIMIT, read_file
from prexterm.timing.durations import parse_duration

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "Config",
    "ConfigError",
    "config_path",
    "load_config",
    "merge",
]


class ConfigError(Exception):
    """The settings file cannot be used; the message names the file, and the key or line."""


TRANSITIONS = ("none", "slide")
"""How the presenter's screen may move between slides."""


class Config(NamedTuple):
    """Settings from the file, with the defaults for what it leaves out."""

    theme: str | None = None
    """A theme name or path; None lets the app choose (dark, or mono under NO_COLOR)."""
    presenter: bool = False
    duration: float | None = None
    """Planned length of the talk in seconds, or None when no timer target is set."""
    ascii: bool = False
    incremental_lists: bool = False
    """Every top-level list item is a step of its own, unless a slide turns it off."""
    transition: str = "none"
    """How the presenter's screen moves between slides: `none` or `slide`."""
    path: Path | None = None
    """The file these settings came from, or None when there was none."""
    keys: Mapping[str, tuple[tuple[str, ...], ...]] = MappingProxyType({})
    """`[keys]`: each action rebound, its keys per part (see `prexterm.app.keys`); give it
    to `prexterm.app.keys.binding_table` for the player's bindings."""


_KEYS = {
    "theme": "a theme name or path in quotes",
    "presenter": "true or false",
    "duration": 'a duration such as "20m", "1h30m", "90s" or 45 (minutes)',
    "ascii": "true or false",
    "incremental_lists": "true or false",
    "transition": '"none" or "slide"',
    "keys": 'a table of actions and their keys, such as [keys] next = ["pagedown", "x"]',
}


def config_path() -> Path:
    """Where the settings file lives: `prexterm/config.toml` in the user's settings folder.

    platformdirs finds that folder: on Linux `$XDG_CONFIG_HOME` when it is an absolute
    path, as the XDG specification says, otherwise `~/.config`.
    """
    from platformdirs import user_config_path

    return user_config_path("prexterm", appauthor=False) / "config.toml"


def _shown(path: Path) -> str:
    """The path as the user thinks of it: `~/.config/...` when it is under their home."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except (ValueError, RuntimeError):
        return str(path)


def load_config(path: Path | None = None) -> Config:
    """Read the settings file (`path`, or the one `config_path()` names).

    A missing file gives the defaults; anything wrong in it raises `ConfigError`.
    """
    path = config_path() if path is None else path
    shown = _shown(path)
    try:
        data = read_file(
            path, limit=SETTINGS_LIMIT, too_large="too large: settings may hold at most 64 KiB"
        )
    except FileNotFoundError:
        return Config()
    except IsADirectoryError:
        raise ConfigError(f"{shown}: is a directory, not a settings file") from None
    except OSError as error:
        raise ConfigError(f"{shown}: cannot read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{shown}: not UTF-8 (byte {error.start})") from None
    toml = _toml()
    try:
        table = toml.loads(text)
    except toml.TOMLDecodeError as error:
        raise ConfigError(_syntax_message(shown, error)) from None
    return _config(table, shown, path, text)


def _toml() -> Any:
    """The TOML reader, imported only when there is a settings file to read: most users
    have none, and every launch would pay for it."""
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    import tomli  # pragma: no cover - Python 3.10 only

    return tomli  # pragma: no cover


def _syntax_message(shown: str, error: tomllib.TOMLDecodeError) -> str:
    """`FILE:LINE: TOML syntax error: WHAT`, on every Python since the line is only
    in the message text before 3.14."""
    message = str(error)
    line = getattr(error, "lineno", None)
    match = re.search(r"\s*\(at line (\d+), column \d+\)\s*$", message)
    if match:
        line = line or int(match.group(1))
        message = message[: match.start()]
    where = f"{shown}:{line}" if line else shown
    return f"{where}: TOML syntax error: {message}"


def _key_line(text: str, key: str) -> int | None:
    """The line that sets top-level `key`, so a message about it can say `file:line`.

    tomllib gives no positions for what it read. The key is set either before the first
    table header (`key = …`, `key.part = …`, quoted or not) or by a header of its own
    (`[key]`, `[key.part]`, `[[key]]`); lines inside multi-line strings are not told
    apart, which at worst names an earlier line that spells the same key.
    """
    name = re.escape(key)
    spelt = rf"(?:{name}|\"{name}\"|'{name}')"
    assignment = re.compile(rf"\s*{spelt}\s*[=.]")
    header = re.compile(rf"\s*\[\[?\s*{spelt}\s*[].]")
    in_tables = False
    for number, line in enumerate(text.split("\n"), start=1):
        if header.match(line):
            return number
        if line.lstrip().startswith("["):
            in_tables = True
        elif not in_tables and assignment.match(line):
            return number
    return None


def _config(table: Mapping[str, object], shown: str, path: Path, text: str = "") -> Config:
    def where(key: str) -> str:
        line = _key_line(text, key)
        return f"{shown}:{line}" if line else shown

    for key in table:
        if key not in _KEYS:
            known = ", ".join(_KEYS)
            raise ConfigError(f"{where(key)}: unknown key {key!r} (known keys: {known})")

    def wrong(key: str) -> ConfigError:
        return ConfigError(f"{where(key)}: key {key!r} must be {_KEYS[key]}")

    theme = table.get("theme")
    if theme is not None and (not isinstance(theme, str) or not theme.strip()):
        raise wrong("theme")
    flags: dict[str, bool] = {}
    for key in ("presenter", "ascii", "incremental_lists"):
        value = table.get(key, False)
        if not isinstance(value, bool):
            raise wrong(key)
        flags[key] = value
    transition = table.get("transition", "none")
    if transition not in TRANSITIONS:
        raise wrong("transition")
    duration: float | None = None
    raw = table.get("duration")
    if raw is not None:
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            raise wrong("duration")
        try:
            duration = parse_duration(str(raw))
        except ValueError as error:
            raise ConfigError(f"{where('duration')}: key 'duration': {error}") from None
    keys = table.get("keys", {})
    if not isinstance(keys, dict):
        raise wrong("keys")
    return Config(
        theme=theme.strip() if isinstance(theme, str) else None,
        presenter=flags["presenter"],
        duration=duration,
        ascii=flags["ascii"],
        incremental_lists=flags["incremental_lists"],
        transition=str(transition),
        path=path,
        keys=MappingProxyType(_key_settings(keys, shown, text)),
    )


def _key_settings(
    table: Mapping[str, object], shown: str, text: str
) -> dict[str, tuple[tuple[str, ...], ...]]:
    """`[keys]` checked against the key map, a problem told at the line of its action."""
    if not table:
        return {}
    from prexterm.app.keys import KeySettingError, parse_key_settings

    try:
        return parse_key_settings(table)
    except KeySettingError as error:
        line = _table_key_line(text, "keys", error.action)
        where = f"{shown}:{line}" if line else shown
        raise ConfigError(f"{where}: [keys] {error}") from None


def _table_key_line(text: str, table: str, key: str) -> int | None:
    """The line that sets `key` inside `[table]` (or as `table.key` before any table)."""
    name = re.escape(key)
    spelt = rf"(?:{name}|\"{name}\"|'{name}')"
    assignment = re.compile(rf"\s*{spelt}\s*=")
    dotted = re.compile(rf"\s*{re.escape(table)}\s*\.\s*{spelt}\s*=")
    header = re.compile(rf"\s*\[\s*{re.escape(table)}\s*\]")
    inside = False
    for number, line in enumerate(text.split("\n"), start=1):
        if line.lstrip().startswith("["):
            inside = bool(header.match(line))
        elif (inside and assignment.match(line)) or (not inside and dotted.match(line)):
            return number
    return None


def merge(config: Config, **flags: object) -> Config:
    """`config` with every command-line value that was given (not None) laid over it.

    Flags win because they are what the speaker typed just now. Unknown names are a
    programming error and raise TypeError; `duration` may be seconds or a text to parse.
    """
    changes: dict[str, Any] = {}
    for name, value in flags.items():
        if name not in _KEYS:
            raise TypeError(f"merge() got an unknown setting {name!r}")
        if value is None:
            continue
        if name == "duration" and isinstance(value, str):
            value = parse_duration(value)
        changes[name] = value
    return config._replace(**changes)

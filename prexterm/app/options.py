"""What a run of the player is asked to do: one value built by the CLI or by a test.

It is plain data so that the factory, the CLI and the tests share one vocabulary, and so
that a test can switch off everything that makes a run unrepeatable (the clock, the file
watcher).
"""

from __future__ import annotations

import locale
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple


def locale_is_utf8() -> bool:
    """Whether the terminal's locale can show box-drawing characters and marks.

    Python itself turns a plain C locale into `LC_CTYPE=C.UTF-8` at start-up (PEP 538),
    so an explicit `LANG=C` or `LANG=POSIX` next to exactly that value still means the
    terminal was set up without UTF-8.
    """
    lang = os.environ.get("LANG", "")
    if (
        not os.environ.get("LC_ALL")
        and os.environ.get("LC_CTYPE") in ("C.UTF-8", "C.utf8")
        and lang in ("C", "POSIX")
    ):
        return False
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = os.environ.get(name)
        if value:
            return "utf-8" in value.lower() or "utf8" in value.lower()
    return "utf" in locale.getpreferredencoding(False).lower()


class PlayerOptions(NamedTuple):
    """Everything that shapes one run of the player (a named tuple: cheap to define at start)."""

    deck: Path
    slide: int = 1
    """1-based slide to open on; clamped to the deck."""
    root: Path | None = None
    """The deck root (files outside it are refused); None means the deck's folder."""
    ascii: bool = False
    """Draw frames and marks with ASCII only (serial consoles, non-UTF-8 locales)."""
    no_color: bool = False
    """Use no colour at all (also implied by NO_COLOR in the environment)."""
    clock: Callable[[], float] = time.monotonic
    """Monotonic seconds for timers; tests inject a fake one."""
    wall_clock: Callable[[], float] = time.time
    """Seconds since the epoch for the clock display; tests inject a fake one."""
    watch: bool = True
    """Reload the deck when one of its files changes."""
    presenter: bool = False
    """Open with the presenter pane (notes, next slide, timers) visible."""
    duration: float | None = None
    """Planned length of the talk in seconds, for the pace display."""
    theme: str | None = None
    """A bundled theme's name or a theme file's path; None picks dark (mono under NO_COLOR)."""
    role: str = "leader"
    """`leader` plays the talk; `notes` (presenter view) and `follow` (audience view) follow it."""
    sync: bool = True
    """Let views of the same deck in other terminals follow this one (a private Unix socket)."""
    rehearse: bool = False
    """Record every slide visit and its time, for a report on quit."""
    adopt: bool = False
    """A presenter started again mid-talk (no `--slide`) takes the slide, clock and blank
    screen that the views in other terminals still hold, instead of starting over."""
    images: str = "auto"
    """How pictures are drawn: auto, halfblock, kitty or none (placeholders)."""
    allow_exec: bool = False
    """Whether `!code` blocks may run. Off by default: a deck from elsewhere runs nothing."""
    kill_after: float = 2.0
    """Seconds a stopped program gets between SIGTERM and SIGKILL."""
    transition: str = "none"
    """`slide`: the presenter's screen slides horizontally from one slide to the next."""
    incremental_lists: bool = False
    """Every top-level list item is a step of its own unless a slide says otherwise
    (`load_deck(..., incremental_lists=...)`)."""
    keys: Mapping[str, tuple[tuple[str, ...], ...]] = MappingProxyType({})
    """The settings file's `[keys]`, checked (`prexterm.app.keys.parse_key_settings`)."""
    pace_from: Path | None = None
    """A rehearsal report whose times make the pace plan (`--pace-from`); None: even pace."""

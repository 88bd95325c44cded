"""The player's keys, in one table that the help overlay and the README both show.

Bindings live on the app; this table is what people read. A test checks that every
key listed here is bound, so the two cannot drift apart.
"""

from __future__ import annotations

KEYS: tuple[tuple[str, str], ...] = (
    (
        "→  l  j  Space  PgDn  Enter  n",
        "next slide (Space, PgDn: first a screenful down a slide taller than the screen)",
    ),
    (
        "←  h  k  Backspace  PgUp  p",
        "previous slide (Backspace, PgUp: first a screenful back up)",
    ),
    ("Home  g g", "first slide"),
    ("End  G", "last slide"),
    ("a number, then Enter", "go to that slide (past an end: the nearest end)"),
    ("o  Tab", "overview: every slide, filtered as you type; Enter jumps"),
    ("/", "search slides and notes; Enter finds and marks the match"),
    ("n  N", "while a search is active: next / previous match (Escape ends the search)"),
    ("↑  ↓  mouse wheel", "scroll a slide taller than the screen (↑ ↓: or long selected code)"),
    ("b  .", "blank the screen; press again to return"),
    ("s", "presenter pane: notes, next slide, timers and pace"),
    ("t  T", "pause or resume / reset the talk timer"),
    ("r  Ctrl+R", "reload the deck now (it also reloads by itself on save)"),
    ("x  Ctrl+E", "run the selected code block (only with --allow-exec); Escape stops it"),
    ("e", "edit the selected code block; Escape keeps the edit, Ctrl+S saves it to its file"),
    ("Tab  Shift+Tab", "on a slide with several code blocks: select the next / previous one"),
    ("click", "right half: next slide; left half: previous"),
    ("?", "this help"),
    ("Ctrl+Z", "suspend; back with fg"),
    ("q  Ctrl+C", "quit"),
)

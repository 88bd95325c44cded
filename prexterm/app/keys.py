"""The player's keys, in one table that the help overlay and the README both show.

Bindings live on the app; this table is what people read. A test checks that every
key listed here is bound, so the two cannot drift apart.
"""

from __future__ import annotations

KEYS: tuple[tuple[str, str], ...] = (
    ("→  l  j  Space  PgDn  Enter  n", "next slide"),
    ("←  h  k  Backspace  PgUp  p", "previous slide"),
    ("Home  g g", "first slide"),
    ("End  G", "last slide"),
    ("a number, then Enter", "go to that slide"),
    ("o  Tab", "overview: every slide, filtered as you type; Enter jumps"),
    ("/", "search slides and notes; Enter finds"),
    ("n  N", "while a search is active: next / previous match (Escape ends the search)"),
    ("↑  ↓  mouse wheel", "scroll a slide taller than the screen (↑ ↓: or long selected code)"),
    ("b  .", "blank the screen; press again to return"),
    ("s", "presenter pane: notes, next slide, timers and pace"),
    ("J  K", "scroll the notes in the presenter pane when they do not fit"),
    ("t  T", "pause or resume / reset the talk timer"),
    ("r  Ctrl+R", "reload the deck now (it also reloads by itself on save)"),
    ("x  Ctrl+E", "run the selected code block (only with --allow-exec); Escape stops it"),
    ("e", "edit the selected code block; Escape keeps the edit, Ctrl+S saves it to its file"),
    ("Tab  Shift+Tab", "on a slide with several code blocks: select the next / previous one"),
    ("click", "right half: next slide; left half: previous"),
    ("?", "this help"),
    ("q  Ctrl+C", "quit"),
)

"""Noticing that a deck's files were saved, so the player can show the edit.

Editors save in many ways: in place, by writing a temporary file and renaming it over
the original, or several times in a burst. Watching the *folders* that hold the deck's
files (not the files themselves) sees all of these, including a file that a rename
replaced. `watchfiles` is imported only when watching starts, so runs without a
watcher never load it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

DEBOUNCE_MS = 400
"""The longest a burst of saves is grouped before the player reloads anyway."""
QUIET_MS = 25
"""A burst is over once no change arrived for this long: keeps reload latency low."""

_EDITOR_LITTER = ("~", ".swp", ".swx", ".tmp", ".part", ".crdownload")


def watched_folders(files: Iterable[Path]) -> frozenset[Path]:
    """The folders to watch so that every one of `files` is covered."""
    return frozenset(path.parent for path in files)


def is_relevant(path: Path, files: frozenset[Path]) -> bool:
    """Whether a change to `path` may change the deck.

    A deck file, or a new file that a directive may have been waiting for; editors'
    swap and backup files are passed over.
    """
    if path in files:
        return True
    name = path.name
    if name.startswith((".#", "#")) or name.endswith(_EDITOR_LITTER) or name == "4913":
        return False
    return not name.startswith(".")


def _load_awatch() -> Any:
    from watchfiles import awatch

    return awatch


async def file_changes(
    files: frozenset[Path], stop: asyncio.Event | None = None
) -> AsyncIterator[set[Path]]:
    """Yield the set of relevant changed paths after each burst of saves."""
    # Loaded in a thread: the import takes tens of milliseconds, which the event loop
    # (and a key pressed just after the first frame) should not wait for.
    awatch = await asyncio.to_thread(_load_awatch)

    folders = sorted(str(folder) for folder in watched_folders(files) if folder.is_dir())
    if not folders:
        return
    async for changes in awatch(
        *folders,
        debounce=DEBOUNCE_MS,
        step=QUIET_MS,
        stop_event=stop,
        recursive=False,
        watch_filter=None,
    ):
        changed = {Path(name) for _, name in changes}
        relevant = {path for path in changed if is_relevant(path, files)}
        if relevant:
            yield relevant

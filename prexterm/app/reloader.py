"""Live reload: the deck is read again after every burst of saves to its files (or at
`r`), and shown unless the new version is broken.

Reading happens off the UI thread. A version that cannot be read, or that brings a new
error, is not shown: the player says why and keeps the last good one on screen.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual import work
from textual.message import Message
from textual.widget import Widget

from prexterm.app.frame import LAST_GOOD_SHOWN
from prexterm.app.messages import DeckReloaded, FirstSlideShown, StatusChanged, tell
from prexterm.core.changes import first_changed, new_error
from prexterm.core.model import Deck, DeckUnreadable
from prexterm.core.parser import load_deck


class Reloader(Widget):
    """Watches the deck's files and reads new versions of the deck."""

    DEFAULT_CSS = "Reloader { display: none; }"

    class Loaded(Message):
        """A save was read, and can be shown."""

        def __init__(self, deck: Deck) -> None:
            super().__init__()
            self.deck = deck

    def __init__(
        self,
        deck: Deck,
        path: Path,
        root: Path | None,
        *,
        incremental_lists: bool = False,
        follow_saves: bool = True,
    ) -> None:
        super().__init__()
        self.follow_saves = follow_saves
        """Whether saves are followed as they happen (`--no-watch`: only at `r`)."""
        self.incremental_lists = incremental_lists
        """The deck-wide default for lists, as the deck was first read with."""
        self.deck = deck
        """The last good version, the one on screen."""
        self.path = path
        self.root = root
        self.problem: str | None = None
        """Why the last save could not be shown (the last good deck stays on screen)."""
        self._asked_unchanged = False
        """`r` read the deck as it was: said once the player knows its styles are too."""

    @work(exclusive=True, group="reload", exit_on_error=False)
    async def reload(self) -> None:
        """`r`: read the deck again and have it shown, unless the new version is broken.

        The presenter hears back when nothing changed: a key that seems to do nothing
        looks broken."""
        before = self.deck
        deck = await self.load()
        if deck is not None:
            self._asked_unchanged = first_changed(before, deck) is None
            self.app.post_message(self.Loaded(deck))

    def on_deck_reloaded(self, event: DeckReloaded) -> None:
        if self._asked_unchanged and not event.restyled:
            self.app.notify("deck unchanged", timeout=3)
        self._asked_unchanged = False

    async def load(self) -> Deck | None:
        """The deck as saved now; None when it cannot be shown (the player says why)."""
        try:
            deck = await asyncio.to_thread(
                load_deck, self.path, root=self.root, incremental_lists=self.incremental_lists
            )
        except DeckUnreadable as exc:
            self._failed(f"{exc.path}: {exc.reason}")
            return None
        broken = new_error(self.deck, deck)
        if broken is not None:
            # The parser says how it would show the broken text ("shown with replacement
            # characters"); after a failed reload it is not shown at all.
            what = broken.message.split("; shown with ", 1)[0]
            self._failed(f"{broken.source}: {what}")
            return None
        self.deck = deck
        if self.problem is not None:
            self.problem = None
            tell(self, StatusChanged(reload=None))
        return deck

    def _failed(self, problem: str) -> None:
        """Say what broke the save, and that the last good version stays on screen.

        The message names deck files and deck text, so it is never read as markup.
        """
        self.problem = problem
        self.app.notify(
            f"{problem}\n{LAST_GOOD_SHOWN}", title="Reload failed", severity="error", timeout=6
        )
        tell(self, StatusChanged(reload=problem))

    def on_first_slide_shown(self, _event: FirstSlideShown) -> None:
        """The file watcher takes longer to load than the first frame takes to draw: the
        audience sees the slide first."""
        if self.follow_saves:
            self.watch_files()

    @work(exclusive=True, group="watch", exit_on_error=False)
    async def watch_files(self) -> None:
        """Read the deck after every burst of saves, for as long as the player runs."""
        from prexterm.services.watcher import file_changes, watched_folders

        files = self.deck.files | {self.deck.path}
        async for _ in file_changes(files):
            deck = await self.load()
            if deck is not None:
                self.app.post_message(self.Loaded(deck))
            if watched_folders(self.deck.files | {self.deck.path}) != watched_folders(files):
                self.watch_files()  # an include moved the deck into new folders
                return

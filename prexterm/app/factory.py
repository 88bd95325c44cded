"""One place that builds the player, for the command line and for the tests alike.

Tests call `create_app` with switches that make a run repeatable (a fake clock, no
watcher, no animation); the CLI calls it with the user's options. Both get the same app.
"""

from __future__ import annotations

import os

from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp, player_class
from prexterm.core.model import Deck
from prexterm.core.parser import load_deck


def create_app(
    options: PlayerOptions, deck: Deck | None = None, *, base: type[PlayerApp] = PlayerApp
) -> PlayerApp:
    """Build the player for `options`; `deck` saves a second parse when the caller has one;
    `base` is the player class to build on (one whose hooks, such as
    `PlayerApp.first_slide_shown`, do more).

    Raises `DeckUnreadable` when the deck cannot be read at all.
    """
    if deck is None:
        deck = load_deck(
            options.deck, root=options.root, incremental_lists=options.incremental_lists
        )
    if os.environ.get("NO_COLOR") and not options.no_color:
        options = options._replace(no_color=True)
    return player_class(options.keys, base)(deck, options)

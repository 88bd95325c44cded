"""One place that builds the player, for the command line and for the tests alike.

Tests call `create_app` with switches that make a run repeatable (a fake clock, no
watcher, no animation); the CLI calls it with the user's options. Both get the same app.
"""

from __future__ import annotations

import os

from textual.binding import Binding

from prexterm.app.keys import KeySettings, binding_table, player_bindings
from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp
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


def player_class(
    settings: KeySettings | None, base: type[PlayerApp] = PlayerApp
) -> type[PlayerApp]:
    """The player with the keys `[keys]` gives (`base` itself when it changes none): a
    subclass whose bindings are the table's alone, so that a key taken from an action no
    longer runs it."""
    if not settings:
        return base
    bindings = player_bindings(settings)
    taken = {row.key for row in binding_table(settings)}
    if "ctrl+q" not in taken:  # Textual's own way out stays, unless the settings use it
        bindings.append(Binding("ctrl+q", "quit", "quit", show=False, priority=True))

    return type("ConfiguredPlayer", (base,), {"BINDINGS": bindings}, inherit_bindings=False)

"""`prexterm [DECK]`: read the deck, then hand it to the player on the full screen.

The deck is read before the screen switches, so a deck that cannot be read gets the
same one-line message as `check` in a normal terminal, with exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from prexterm.bundled import tour_deck
from prexterm.core.model import DeckUnreadable
from prexterm.core.parser import load_deck
from prexterm.core.text import clean
from prexterm.options import PlayerOptions, locale_is_utf8


def play(args: argparse.Namespace) -> int:
    deck_path = Path(args.deck) if args.deck else tour_deck()
    options = PlayerOptions(
        deck=deck_path,
        slide=args.slide,
        root=Path(args.root) if args.root else None,
        ascii=args.ascii or not locale_is_utf8(),
        presenter=args.presenter,
        watch=args.watch,
        allow_exec=args.allow_exec,
    )
    try:
        deck = load_deck(options.deck, root=options.root)
    except DeckUnreadable as exc:
        print(clean(str(exc)), file=sys.stderr)
        return 2
    from prexterm.app.factory import create_app

    app = create_app(options, deck)
    result = app.run()
    if isinstance(result, int):
        return result
    return app.return_code or 0

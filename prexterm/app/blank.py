"""The blank screen (`b` black, `w` white): up over the slide while the room should look at
the speaker, and shared with the audience's views in other terminals.

A blank screen shows nothing at all, not even a notice: notices wait until the slide is
back (see `SteadyApp.holding_notices`).
"""

from __future__ import annotations

from typing import cast

from textual.widget import Widget

from prexterm.app.keys import KeySettings, binding_table
from prexterm.app.messages import BlankChanged, tell
from prexterm.app.screens import BlankScreen, open_overlay
from prexterm.app.steady_app import SteadyApp
from prexterm.app.sync_bridge import SyncBridge
from prexterm.core.talk import Talk

BLANKING = frozenset({"blank", "white"})
"""The key map's actions whose keys, pressed on a blank screen, bring the slide back."""


class BlankCurtain(Widget):
    """Puts the blank screen up and takes it down, for this view's keys and for the
    presenter's blank screen in a view that follows."""

    DEFAULT_CSS = "BlankCurtain { display: none; }"

    def __init__(self, talk: Talk, settings: KeySettings | None = None) -> None:
        super().__init__()
        self.talk = talk
        self.return_keys = tuple(row.key for row in binding_table(settings) if row.name in BLANKING)
        """The keys that blank the screen, as configured: any of them brings the slide back."""

    @property
    def _up(self) -> BlankScreen | None:
        screen = self.app.screen
        return screen if isinstance(screen, BlankScreen) else None

    def blank(self, white: bool = False) -> None:
        """Put the blank screen up, black or white."""
        if cast(SteadyApp, self.app).quitting:
            return
        self.talk.set_blank(True, white=white)
        self.app.clear_notifications()
        open_overlay(self, BlankScreen(white=white, return_keys=self.return_keys), self._down)
        tell(self, BlankChanged(True, white=white))

    def _down(self, _result: object) -> None:
        self.talk.set_blank(False)
        tell(self, BlankChanged(False))
        cast(SteadyApp, self.app).release_notices()

    def on_sync_bridge_blank_shared(self, event: SyncBridge.BlankShared) -> None:
        """The presenter's blank screen, in a view of the audience."""
        up = self._up
        if event.blank and up is not None and up.white != event.white:
            up.dismiss()  # black to white or back: the new one goes up next
            self.call_after_refresh(self.blank, event.white)
        elif event.blank and up is None:
            self.blank(event.white)
        elif not event.blank and self.talk.blanked and up is not None:
            up.dismiss()

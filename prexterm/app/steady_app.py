"""An app that a talk can rely on: a failing key or background job becomes a notice, never
the end of the talk, and every notice is shown literally.

Every message the player shows can carry deck text (a file name from `!include` or
`!custom_css`, a `!code` runner, an error's own words), so no notice is read as markup,
and none may carry a control character to the terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from textual.app import App
from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

from prexterm.app.ascii import ascii_text
from prexterm.core.text import clean

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel


class SteadyApp(App[int]):
    """Notices that are plain text, held while `holding_notices` (the screen is blank)."""

    ascii_only = False
    """Spell notices in ASCII: the terminal may show nothing else."""

    def __init__(self, *, ansi_color: bool | None = None) -> None:
        super().__init__(ansi_color=ansi_color)
        self._held_notices: list[tuple[str, str, SeverityLevel, float | None]] = []
        """Notices that came while they were held, shown once they are not."""
        self.quitting = False
        """Set by the quit key: keys typed after it (`qo`) no longer open or change
        anything, and no overlay goes up (one mounted while the app closes would end the
        talk with an error)."""

    @property
    def holding_notices(self) -> bool:
        """Whether notices wait (for the blank screen to go)."""
        return False

    def release_notices(self) -> None:
        """Show the notices held so far."""
        held, self._held_notices = self._held_notices, []
        for message, title, severity, timeout in held:
            self.notify(message, title=title, severity=severity, timeout=timeout)

    async def run_action(
        self,
        action: str | tuple[str, str, tuple[object, ...]],
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Run a key's action; if it fails, say so and let the talk go on.

        A bug behind one key must not end a presentation: the error becomes a
        notification, and the next key works as before.
        """
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:  # the talk goes on
            self.notify(
                f"{type(error).__name__}: {error}", title="That did not work", severity="error"
            )
            return True

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification, shown literally, spelt in ASCII when the terminal may show nothing else.

        Every message the player shows can carry deck text: a file name from `!include` or
        `!custom_css`, a `!code` runner, an error's own words. Read as markup, a name like
        `[link=x]` would end the talk with a markup error and `[@click=app.quit]` would
        become a button, so the text is never markup (whatever `markup` says: it stays for
        Textual's signature) and its control characters are shown as harmless stand-ins.
        """
        message, title = clean(message), clean(title)
        if self.ascii_only:
            message, title = ascii_text(message), ascii_text(title)
        if self.holding_notices:  # the room is looking at the speaker: said when the slide is back
            self._held_notices.append((message, title, severity, timeout))
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A background job that failed (a picture, a reload) is reported, never fatal."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.notify(
                f"{type(error).__name__}: {error}", title="Background task failed", severity="error"
            )

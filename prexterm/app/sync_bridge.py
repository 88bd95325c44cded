"""The talk shared with views in other terminals (`prexterm notes`, `prexterm follow`).

The presenter's view leads: it publishes where the talk stands (slide and step, clock, blank
screen) to the views that follow it, answers their moves and timer keys, and, started
again, takes back the talk from the views that kept it. A following view moves when its
presenter does and asks the presenter when its own keys move the talk. The services do
the talking (`prexterm.services.sync`); this part turns their news into the talk's.

A leader answers a follower's move or timer key as it handles it: the state it publishes
then is the answer. A follower takes its presenter's move before its clock, which times
the slide. So the talk is changed (and published) here at once, and the player is then
asked to show it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widget import Widget

from prexterm.app.messages import (
    BlankChanged,
    FirstSlideShown,
    SlideChanged,
    StatusChanged,
    TalkClockChanged,
    TalkMessage,
    TerminalResized,
    ViewersChanged,
    tell,
)
from prexterm.core.talk import Move, Talk
from prexterm.timing.clock import ClockState

if TYPE_CHECKING:
    from prexterm.services.sync.follower import SyncFollower
    from prexterm.services.sync.leader import SyncLeader
    from prexterm.services.sync.protocol import Shared

DISCONNECTED = "presenter disconnected"


class SyncBridge(Widget):
    """Leads the talk, or follows the view that leads it."""

    DEFAULT_CSS = "SyncBridge { display: none; }"

    class Moved(Message):
        """Another view moved the talk (already changed, see the module's docstring):
        show where it is now."""

        def __init__(self, move: Move) -> None:
            super().__init__()
            self.move = move

    class BlankShared(TalkMessage):
        """The presenter's blank screen went up or came down, or turned white or black
        (in the audience's views)."""

        def __init__(self, blank: bool, white: bool = False) -> None:
            super().__init__()
            self.blank = blank
            self.white = white

    def __init__(
        self,
        talk: Talk,
        path: Path,
        *,
        role: str,
        adopt: bool,
        sync: bool = True,
    ) -> None:
        super().__init__()
        self.talk = talk
        self.path = path
        self.role = role
        self.adopt = adopt
        self.sync = sync
        """Whether to lead or follow at all (`--no-sync` plays alone)."""
        self.leader: SyncLeader | None = None
        self.follower: SyncFollower | None = None
        self.status: str | None = None
        """Said in the status line while a following view has lost its presenter."""
        self._shared_blank = False
        """The blank screen as the presenter last shared it (in a following view)."""
        self._shared_white = False
        self._acted = False
        """The presenter moved or used the clock: a restarted talk then adopts nothing."""

    # -- starting ------------------------------------------------------------------------

    def on_first_slide_shown(self, _event: FirstSlideShown) -> None:
        """The presenter socket takes longer to set up than the first frame takes to draw:
        the audience sees the slide first."""
        if self.sync:
            self.start()

    @work(group="sync", exit_on_error=False)
    async def start(self) -> None:
        """Lead the talk, or follow the process that leads it.

        A worker made from the method, not from a coroutine made by the caller: when the
        player is already closing, no coroutine is left behind unawaited."""
        from prexterm.services.sync.follower import SyncFollower
        from prexterm.services.sync.leader import LeaderAlreadyRunning, SyncLeader
        from prexterm.services.sync.runtime import SyncError

        if self.role == "leader":
            leader = SyncLeader(
                self.path,
                on_goto=self._goto,
                on_timer=self._timer,
                on_adopt=self._adopt,
                adopt=self.adopt and not self._acted,
                shared_now=self._shared,
                on_views=self._views_changed,
            )
            leader.publish(
                max(1, self.talk.slide), self.talk.count, self._shared(), step=self.talk.step
            )
            self.leader = leader  # before its first follower can say hello
            try:
                await leader.start()
            except LeaderAlreadyRunning:
                self.leader = None
                self.app.notify(
                    "another prexterm presents this deck; this one plays alone",
                    severity="warning",
                    timeout=6,
                )
                return
            except SyncError as exc:
                self.leader = None
                self.app.notify(f"views in other terminals are off: {exc}", severity="warning")
                return
            return
        self.follower = SyncFollower(
            self.path,
            role=self.role,
            on_state=self._presenter_moved,
            on_connect=lambda: self._set_status(None),
            on_disconnect=lambda: self._set_status(DISCONNECTED),
            on_shared=self._follow_shared,
            held=self._shared,
        )
        self._set_status("waiting for the presenter…")
        self.follower.size(self.app.size.width, self.app.size.height)
        await self.follower.start()

    async def close(self) -> None:
        """Stop leading or following (the `q` key)."""
        if self.leader is not None:
            await self.leader.close()
        if self.follower is not None:
            await self.follower.close()

    # -- this view's news, for the others ------------------------------------------------

    def _shared(self) -> Shared:
        """The talk's clock and blank screen, as this view shares them."""
        from prexterm.services.sync.protocol import Shared

        clock = self.talk.clock_state()
        leads = self.role == "leader"
        blank = self.talk.blanked if leads else self._shared_blank
        white = blank and (self.talk.white if leads else self._shared_white)
        return Shared(clock.mode, clock.elapsed, clock.on_slide, blank, self.talk.duration, white)

    def _publish(self) -> None:
        """Tell the views in other terminals where the talk stands (when leading)."""
        if self.leader is not None and self.talk.count:
            self.leader.publish(
                max(1, self.talk.slide), self.talk.count, self._shared(), step=self.talk.step
            )

    def _presenter_acted(self) -> None:
        if self.role == "leader":
            self._acted = True
            if self.leader is not None:
                self.leader.stop_adopting()

    def on_slide_changed(self, event: SlideChanged) -> None:
        if event.moved:
            self._presenter_acted()
            if self.follower is not None and not event.remote:
                self.follower.goto(event.number, event.step)
        self._publish()

    def on_blank_changed(self, event: BlankChanged) -> None:
        if event.blank:
            self._presenter_acted()
        self._publish()

    def on_talk_clock_changed(self, event: TalkClockChanged) -> None:
        if not event.remote:  # this view's own clock keys
            self._presenter_acted()
            self._publish()

    def use_timer(self, action: str) -> None:
        """`t` (`toggle`: start, pause or resume) or `T` (`reset`) in this view: a following
        view asks its presenter, which tells every view; alone, a view keeps its own clock,
        and a leading view's followers hear of it."""
        if self.follower is None or not self.follower.timer(action):
            self._use_clock(action, remote=False)

    # -- the others' news, for this view -------------------------------------------------

    def _goto(self, number: int, step: int) -> None:
        """A follower moved: the state published at once is the answer to its move."""
        move = self.talk.go_to(number, step)
        if move.changed:
            self._presenter_acted()
            self._publish()
            self.app.post_message(self.Moved(move))

    def _presenter_moved(self, slide: int, _count: int, step: int) -> None:
        """The presenter moved (this view follows): so does this view's talk, before the
        presenter's clock (which comes next) is taken, as the clock times the slide."""
        move = self.talk.go_to(slide, step)
        if move.changed:
            self.app.post_message(self.Moved(move))

    def _timer(self, action: str) -> None:
        """A follower's `t`/`T`: the leader applies it to the talk clock and publishes."""
        self._presenter_acted()
        self._use_clock(action, remote=True)
        self._publish()

    def _use_clock(self, action: str, *, remote: bool) -> None:
        was_started = self.talk.started
        if action == "toggle":
            self.talk.clock.toggle_pause()
        else:
            self.talk.clock.reset()
        state = self.talk.clock_state()
        tell(self, TalkClockChanged(state, remote=remote, used=action, was_started=was_started))

    def _follow_shared(self, shared: Shared) -> None:
        """The presenter's clock and blank screen: the clock for every view, the blank
        for the audience's views only (the notes view is the speaker's own)."""
        self.talk.clock.adopt(ClockState(shared.clock, shared.elapsed, shared.on_slide))
        if self.talk.duration is None and shared.duration is not None:
            # The presenter's planned length gives a view started without one a pace.
            self.talk.duration = shared.duration
        if (shared.blank, shared.white) != (self._shared_blank, self._shared_white):
            self._shared_blank, self._shared_white = shared.blank, shared.white
            if self.role == "follow":
                tell(self, self.BlankShared(shared.blank, shared.white))
        tell(self, TalkClockChanged(self.talk.clock_state(), remote=True))

    def _adopt(self, slide: int, shared: Shared, step: int) -> None:
        """A presenter started again takes the talk's state from the views that held it."""
        clock = ClockState(shared.clock, shared.elapsed, shared.on_slide)
        move = self.talk.adopt(slide, clock, blank=False, step=step)
        if move.changed:
            self.app.post_message(self.Moved(move))
        if shared.blank and not self.talk.blanked:
            self.talk.set_blank(True, white=shared.white)
            tell(self, self.BlankShared(True, shared.white))
        self._publish()
        tell(self, TalkClockChanged(self.talk.clock_state(), remote=True))

    def _views_changed(self) -> None:
        """A follower came, went or resized: the presenter pane says who watches."""
        if self.leader is not None:
            tell(self, ViewersChanged(tuple(self.leader.views())))

    def on_terminal_resized(self, event: TerminalResized) -> None:
        if self.follower is not None:
            self.follower.size(event.columns, event.rows)

    def _set_status(self, status: str | None) -> None:
        if status == DISCONNECTED:
            self.app.notify("presenter disconnected: this view goes on by itself", timeout=4)
        elif status is None and self.status == DISCONNECTED:
            self.app.notify("presenter connected again", timeout=3)
        self.status = status
        tell(self, StatusChanged(sync=status))

"""A view that follows the leader of its deck (`prexterm notes`, `prexterm follow`)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final

from prexterm.services.sync.protocol import (
    MAX_BUFFERED,
    MAX_LINE,
    MAX_SLIDE,
    ROLES,
    TIMER_ACTIONS,
    Goto,
    Hello,
    ProtocolError,
    Shared,
    Size,
    State,
    Timer,
    _call,
    _LineSplitter,
    decode_message,
    encode_message,
    logger,
)
from prexterm.services.sync.runtime import (
    SyncError,
    _check_path_length,
    _check_private_dir,
    _check_socket_file,
    _peer_allowed,
    socket_path_for,
)

_READ_CHUNK: Final = 65536


class SyncFollower:
    """A view that follows the leader of its deck and can move it.

    `start` never fails for a missing leader: the follower keeps trying to connect in the
    background (every `RETRY_MIN` s at first, backing off to `RETRY_MAX` s). It counts as
    connected once the leader has greeted it with its state (a leader sends it on every
    connect once it has published): then `on_connect` is called, followed by
    `on_state(slide, count, step)`. Later states call `on_state` when they differ from the
    view's own slide and step. When the leader goes away `on_disconnect` is called and the
    follower tries again. A link that dies before the greeting (a leader that refused us, or
    one dying while we connected) is no connection at all and reports nothing, so the app
    never sees connect/disconnect flicker. `last_error` says why the last attempt was refused, for a
    status line.

    `on_shared(shared)` gets the talk clock and blank screen of every state that carries
    them. Once it has followed a leader, the follower greets each new leader with the
    state it holds: its slide and what `held()` returns (the app's clock and blank, run on
    while the leader was away), for a restarted leader to adopt.
    """

    RETRY_MIN: float = 0.5
    RETRY_MAX: float = 2.0
    RETRY_FACTOR: float = 1.5

    def __init__(
        self,
        deck: Path,
        *,
        role: str,
        on_state: Callable[[int, int, int], None],
        on_connect: Callable[[], None] = lambda: None,
        on_disconnect: Callable[[], None] = lambda: None,
        on_shared: Callable[[Shared], None] = lambda shared: None,
        held: Callable[[], Shared | None] = lambda: None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {role!r}")
        self.deck = Path(deck)
        self.role = role
        self.path = socket_path_for(self.deck, env)
        self.sender = secrets.token_hex(8)
        self._on_state = on_state
        self._on_connect = on_connect
        self._on_disconnect = on_disconnect
        self._on_shared = on_shared
        self._held = held
        self._followed = False
        """True once a leader has greeted us: from then on we hold a talk's state."""
        self._task: asyncio.Task[None] | None = None
        self._writer: asyncio.StreamWriter | None = None
        """The link to the leader once it greeted us; None while not connected."""
        self._link: asyncio.StreamWriter | None = None
        """The link being set up, not yet greeted."""
        self._seq = 0
        self._position: int | None = None
        self._step = 1
        self._count: int | None = None
        self._last_error: str | None = None
        self._size: Size | None = None
        """This view's terminal size, sent after each hello and on every change."""

    @property
    def connected(self) -> bool:
        """True between `on_connect` and `on_disconnect`."""
        return self._writer is not None

    @property
    def last_error(self) -> str | None:
        """Why the last connection attempt was refused (None when it was not)."""
        return self._last_error

    @property
    def position(self) -> int | None:
        """The slide this view is on as far as sync knows (its gotos and applied states)."""
        return self._position

    async def start(self) -> None:
        """Start the connect/reconnect loop in the background; returns at once."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    def goto(self, slide: int, step: int = 1) -> None:
        """This view moved to `slide` at `step`: ask the leader to move everyone. Dropped
        silently while disconnected (the view then simply goes on alone)."""
        if isinstance(slide, bool) or not 1 <= slide <= MAX_SLIDE:
            raise ValueError(f"invalid slide {slide!r}")
        if isinstance(step, bool) or not 1 <= step <= MAX_SLIDE:
            raise ValueError(f"invalid step {step!r}")
        self._position = slide
        self._step = step
        writer = self._writer
        if writer is None or writer.is_closing():
            return
        if writer.transport.get_write_buffer_size() > MAX_BUFFERED:
            return  # The leader does not read; its answer would be stale anyway.
        self._seq += 1
        writer.write(encode_message(Goto(slide, self.sender, self._seq, step)))

    def size(self, columns: int, rows: int) -> None:
        """This view's terminal is `columns` x `rows`: the leader hears it now, if
        connected, and on every connect after."""
        self._size = Size(max(1, columns), max(1, rows))
        writer = self._writer or self._link
        if writer is not None and not writer.is_closing():
            writer.write(encode_message(self._size))

    def timer(self, action: str) -> bool:
        """This view's user paused (`toggle`) or reset (`reset`) the talk clock: ask the
        leader to do it for everyone. False when not connected (the view applies it alone)."""
        if action not in TIMER_ACTIONS:
            raise ValueError(f"invalid timer action {action!r}")
        writer = self._writer
        if writer is None or writer.is_closing():
            return False
        writer.write(encode_message(Timer(action)))
        return True

    async def close(self) -> None:
        """Stop following. `on_disconnect` is not called: the view is going away."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        writer = self._writer or self._link
        self._writer = self._link = None
        if writer is not None:
            writer.close()

    async def __aenter__(self) -> SyncFollower:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- internals ----------------------------------------------------------------------

    def _refused(self, reason: str) -> None:
        if reason != self._last_error:
            logger.warning("sync: %s", reason)
        self._last_error = reason

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        """One attempt; None when the leader is absent or refused (the reason is recorded)."""
        try:
            _check_private_dir(self.path.parent)
        except SyncError as error:
            if os.path.lexists(self.path.parent):
                self._refused(str(error))
            return None
        try:
            _check_path_length(self.path)
            _check_socket_file(self.path)
        except FileNotFoundError:
            return None
        except SyncError as error:
            self._refused(str(error))
            return None
        try:
            reader, writer = await asyncio.open_unix_connection(str(self.path))
        except OSError:
            return None
        if not _peer_allowed(writer.get_extra_info("socket")):
            writer.close()
            self._refused(f"refusing {self.path}: the leader runs as another user")
            return None
        self._last_error = None
        return reader, writer

    async def _run(self) -> None:
        delay = self.RETRY_MIN
        while True:
            link = await self._connect()
            if link is None:
                await asyncio.sleep(delay)
                delay = min(delay * self.RETRY_FACTOR, self.RETRY_MAX)
                continue
            reader, writer = link
            self._link = writer
            writer.write(encode_message(self._hello()))
            if self._size is not None:
                writer.write(encode_message(self._size))
            try:
                await self._read(reader)
            except OSError:
                pass
            finally:
                heard = self._writer is not None
                self._writer = self._link = None
                self._count = None  # The next leader's state is always delivered.
                writer.close()
            if heard:
                _call("on_disconnect", self._on_disconnect)
                delay = self.RETRY_MIN  # A leader that served us left: look again at once.
            else:
                # It hung up without a word (it refused us): back off, never spin.
                await asyncio.sleep(delay)
                delay = min(delay * self.RETRY_FACTOR, self.RETRY_MAX)

    def _hello(self) -> Hello:
        """Our hello, with the state we hold once we have followed a leader."""
        if not self._followed or self._position is None:
            return Hello(self.role)
        try:
            shared = self._held()
        except Exception:
            logger.exception("sync: held callback failed")
            shared = None
        if shared is None:
            return Hello(self.role)
        return Hello(self.role, self._position, shared, self._step)

    async def _read(self, reader: asyncio.StreamReader) -> None:
        lines = _LineSplitter()
        while True:
            data = await reader.read(_READ_CHUNK)
            if not data:
                return
            for line in lines.feed(data):
                self._handle(line)

    def _handle(self, line: bytes | None) -> None:
        if line is None:
            logger.warning("sync: dropped a line longer than %d bytes from the leader", MAX_LINE)
            return
        try:
            message = decode_message(line)
        except ProtocolError as error:
            logger.warning("sync: dropped a malformed message from the leader: %s", error)
            return
        if not isinstance(message, State):
            logger.warning("sync: dropped a %s message from the leader", type(message).__name__)
            return
        if self._writer is None:
            self._writer = self._link
            self._followed = True
            _call("on_connect", self._on_connect)
        superseded = (
            # It answers a goto of ours that a later one has already replaced.
            message.sender == self.sender and message.seq is not None and message.seq < self._seq
        )
        here = (self._position, self._count, self._step)
        if not superseded and (message.slide, message.count, message.step) != here:
            self._position, self._count = message.slide, message.count
            self._step = message.step
            _call("on_state", self._on_state, message.slide, message.count, message.step)
        if message.shared is not None:
            # After the slide, so the time on the slide is the leader's, not a fresh count.
            # The clock and blank are the leader's alone: they never wait on our gotos.
            _call("on_shared", self._on_shared, message.shared)

"""The leader of a talk: the playing process, which applies gotos and broadcasts the state."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import socket
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final

from prexterm.services.sync.protocol import (
    MAX_BUFFERED,
    MAX_LINE,
    MAX_SLIDE,
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
    _peer_allowed,
    _peer_uid,
    ensure_private_dir,
    socket_path_for,
)

MAX_FOLLOWERS: Final = 64
"""At most this many connections at once (a runaway script must not exhaust descriptors).
A connection beyond it takes the place of the idlest one (one that never said hello, else
the one heard from longest ago), so idle connections never lock a real view out."""
GOTO_HOLD: Final = 0.25
"""While a connection keeps sending, its latest goto waits at most this long (seconds)."""
TURN_BYTES: Final = 16384
"""What the leader reads from one connection before it lets the rest of the app run."""
FLOOD_PAUSE: Final = 0.01
"""A connection that fills a whole turn waits this long (seconds) before its next one, so
a flood gets a small share of the presenter's time; a real view never fills a turn."""
TURN_TIMERS: Final = 4
"""Timer actions applied from one connection per read; a flood of them drops the rest."""
DRAIN_TIMEOUT: Final = 2.0
"""A follower whose socket stays full this long after a broadcast is dropped."""
PROBE_TIMEOUT: Final = 1.0


class LeaderAlreadyRunning(SyncError):
    """Another process already plays this deck and leads its views."""


class _Peer:
    """One connected follower, as the leader sees it."""

    __slots__ = (
        "greeted",
        "heard",
        "name",
        "pending",
        "role",
        "size",
        "task",
        "timer",
        "timers",
        "writer",
    )

    def __init__(self, writer: asyncio.StreamWriter, name: str) -> None:
        self.writer = writer
        self.name = name
        self.role: str | None = None
        self.size: tuple[int, int] | None = None
        """Its terminal's columns and rows, once it said."""
        self.task: asyncio.Task[None] | None = None
        self.heard = asyncio.get_running_loop().time()
        """When this follower last sent a valid message (or connected): who is idlest."""
        self.pending: Goto | None = None
        """Its latest goto not applied yet: only the last of a burst moves the talk."""
        self.timer: asyncio.TimerHandle | None = None
        """Applies `pending` after `GOTO_HOLD` when the follower keeps sending."""
        self.timers = 0
        """Timer actions it sent in the current turn (see `TURN_TIMERS`)."""
        self.greeted = True
        """False while an adopting leader waits for this follower's hello (and the state
        it holds) before telling it anything."""

    def buffered(self) -> int:
        return self.writer.transport.get_write_buffer_size()


class SyncLeader:
    """Serves the talk of the playing process to its followers.

    `on_goto(slide, step)` is called on the event loop when a follower navigates; the app
    should move there and call `publish(slide, count, step=...)` with where it really is,
    synchronously (it is fine to do so from inside `on_goto`). That publish answers the
    follower. If the app publishes nothing (the slide did not change), the leader answers
    with the last published state, so a follower that asked for slide 99 of 10 is put back
    in line.

    `on_timer(action)` is called when a follower's user pauses (`toggle`) or resets the
    talk clock; the app applies it and publishes. With `adopt=True` (a presenter started
    again without `--slide`), the first follower that greets the leader with a state it
    holds hands it to `on_adopt(slide, shared, step)`, which should make it the app's own and
    publish; followers are greeted only after their hello, so none of them is shown the
    fresh leader's slide 1 on the way. `stop_adopting` ends that (the presenter moved).

    `shared_now()` returns the clock and blank as they are now: a published state ages
    (its elapsed seconds were true when it was published), so a follower greeted later,
    or answered with the state again, gets the clock read anew.
    """

    def __init__(
        self,
        deck: Path,
        *,
        on_goto: Callable[[int, int], None],
        on_timer: Callable[[str], None] = lambda action: None,
        on_adopt: Callable[[int, Shared, int], None] = lambda slide, shared, step: None,
        adopt: bool = False,
        shared_now: Callable[[], Shared | None] = lambda: None,
        on_views: Callable[[], None] = lambda: None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.deck = Path(deck)
        self.path = socket_path_for(self.deck, env)
        self._on_goto = on_goto
        self._on_views = on_views
        self._shared_now = shared_now
        self._on_timer = on_timer
        self._on_adopt = on_adopt
        self._adopting = adopt
        self._server: asyncio.AbstractServer | None = None
        self._peers: dict[int, _Peer] = {}
        self._state: State | None = None
        self._answering: Goto | None = None
        self._answered = False
        self._inode: tuple[int, int] | None = None
        self._lock_fd: int | None = None
        self._lock_path = self.path.with_suffix(".lock")
        self._flush_task: asyncio.Task[None] | None = None
        self._flush_again = False
        self._next_peer = 0

    # -- public API ---------------------------------------------------------------------

    @property
    def followers(self) -> int:
        """How many followers are connected now."""
        return len(self._peers)

    @property
    def roles(self) -> dict[str, int]:
        """Connected followers by role (`notes`, `follow`; `?` before their hello)."""
        counts: dict[str, int] = {}
        for peer in self._peers.values():
            key = peer.role or "?"
            counts[key] = counts.get(key, 0) + 1
        return counts

    def views(self) -> list[tuple[str, str, tuple[int, int] | None]]:
        """Each follower that said hello: its name (`follower 2`), role and terminal size
        (None until it said), in the order they came."""
        return [
            (peer.name, peer.role, peer.size)
            for peer in self._peers.values()
            if peer.role is not None
        ]

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def adopting(self) -> bool:
        """Whether the next follower's held state will become the talk's state."""
        return self._adopting

    def stop_adopting(self) -> None:
        """The presenter acted on its own: its state is the talk's, adopt nothing more."""
        self._adopting = False
        for peer in list(self._peers.values()):
            self._greet(peer)

    async def start(self) -> None:
        """Take the lead and listen. Raises LeaderAlreadyRunning, or SyncError with a reason
        (unsafe directory, path too long...); the app then plays without sync."""
        if self._server is not None:
            return
        ensure_private_dir(self.path.parent)
        _check_path_length(self.path)
        self._take_lock()
        try:
            await self._clear_stale_socket()
            sock = self._bind()
            try:
                self._server = await asyncio.start_unix_server(self._serve, sock=sock)
            except BaseException:
                sock.close()
                self._unlink_socket()
                raise
        except BaseException:
            self._release_lock()
            raise
        logger.info("sync: leading %s on %s", self.deck, self.path)

    def publish(
        self, slide: int, count: int, shared: Shared | None = None, *, step: int = 1
    ) -> None:
        """The leader now shows `slide` of `count` at `step` (with the talk clock and blank
        screen in `shared`): tell every follower.

        May be called before `start` (the state is then sent to each follower on connect).
        """
        if isinstance(slide, bool) or isinstance(count, bool):
            raise TypeError("slide and count must be integers")
        if not 0 <= count <= MAX_SLIDE or not 1 <= slide <= max(count, 1):
            raise ValueError(f"invalid slide {slide} of {count}")
        if isinstance(step, bool) or not 1 <= step <= MAX_SLIDE:
            raise ValueError(f"invalid step {step}")
        self._state = State(slide, count, shared=shared, step=step)
        answering = self._answering
        if answering is not None and not self._answered:
            # The first publish made while applying a goto answers it (see _apply_goto).
            self._answered = True
            self._broadcast(
                encode_message(State(slide, count, answering.sender, answering.seq, shared, step))
            )
        else:
            self._broadcast(encode_message(self._state))

    async def close(self) -> None:
        """Stop leading: close every connection, remove our socket file, release the lock."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        peers = list(self._peers.values())
        for peer in peers:
            self._drop(peer, None)
        # Closed transports end their reading tasks with an EOF; cancelling those tasks
        # instead trips an asyncio bug in Python 3.11's server callback.
        tasks = [
            p.task for p in peers if p.task is not None and p.task is not asyncio.current_task()
        ]
        if self._flush_task is not None:
            self._flush_task.cancel()
            tasks.append(self._flush_task)
            self._flush_task = None
        if tasks:
            await asyncio.wait(tasks, timeout=1.0)
        if server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 1.0)
            self._unlink_socket()
            self._release_lock()

    def release(self) -> None:
        """Remove our socket file and release the lock now, without waiting for anything.

        For a player that ends abruptly (a closed terminal, a signal) whose event loop may
        be gone before `close` could run: the next player of this deck must lead at once,
        not meet a stale socket. Safe to call after `close`, and more than once.
        """
        self._unlink_socket()
        self._release_lock()

    async def __aenter__(self) -> SyncLeader:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- taking the lead ----------------------------------------------------------------

    def _take_lock(self) -> None:
        """Hold an exclusive flock on `<hash>.lock` for as long as we lead.

        The lock, not the socket, decides who leads: two players started at once cannot
        both decide that the socket is stale. After locking, the file must still be the
        one at the path (a leader closing just then unlinks it), else we try again.
        """
        for _ in range(5):
            try:
                fd = os.open(
                    self._lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600
                )
            except OSError as error:
                raise SyncError(f"cannot open {self._lock_path}: {error.strerror}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise LeaderAlreadyRunning(
                    f"another prexterm already plays {self.deck}; playing without sync"
                ) from None
            except OSError as error:
                os.close(fd)
                raise SyncError(f"cannot lock {self._lock_path}: {error.strerror}") from None
            try:
                same = os.fstat(fd).st_ino == os.stat(self._lock_path).st_ino
            except OSError:
                same = False
            if same:
                self._lock_fd = fd
                return
            os.close(fd)
        raise SyncError(f"cannot lock {self._lock_path}: it keeps changing")

    def _release_lock(self) -> None:
        fd, self._lock_fd = self._lock_fd, None
        if fd is None:
            return
        # Unlink while still holding the lock; a process that opened the old file meanwhile
        # sees the inode changed after it locks and tries again (see _take_lock).
        with contextlib.suppress(OSError):
            if os.fstat(fd).st_ino == os.stat(self._lock_path).st_ino:
                os.unlink(self._lock_path)
        os.close(fd)

    async def _clear_stale_socket(self) -> None:
        """A socket file left behind is removed unless a live leader still answers on it."""
        try:
            info = os.lstat(self.path)
        except FileNotFoundError:
            return
        except OSError as error:
            raise SyncError(f"cannot use {self.path}: {error.strerror}") from None
        if stat.S_ISDIR(info.st_mode):
            raise SyncError(f"cannot use {self.path}: it is a directory")
        if stat.S_ISSOCK(info.st_mode):
            try:
                _reader, writer = await asyncio.wait_for(
                    asyncio.open_unix_connection(str(self.path)), PROBE_TIMEOUT
                )
            except (ConnectionRefusedError, FileNotFoundError):
                pass
            except (OSError, asyncio.TimeoutError) as error:
                raise SyncError(f"cannot probe {self.path}: {error}") from None
            else:
                writer.close()
                raise LeaderAlreadyRunning(
                    f"another prexterm already plays {self.deck}; playing without sync"
                )
        logger.info("sync: removing stale socket file %s", self.path)
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        except OSError as error:
            raise SyncError(f"cannot remove stale {self.path}: {error.strerror}") from None

    def _bind(self) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(str(self.path))
            # The 0700 directory already keeps others out while the mode is being set.
            os.chmod(self.path, 0o600)
            info = os.lstat(self.path)
            self._inode = (info.st_dev, info.st_ino)
            sock.listen(64)
            sock.setblocking(False)
        except OSError as error:
            sock.close()
            if self._inode is not None:
                self._unlink_socket()
            raise SyncError(f"cannot listen on {self.path}: {error.strerror}") from None
        return sock

    def _unlink_socket(self) -> None:
        """Remove the socket file only if it is still the one we bound."""
        inode, self._inode = self._inode, None
        if inode is None:
            return
        with contextlib.suppress(OSError):
            info = os.lstat(self.path)
            if (info.st_dev, info.st_ino) == inode:
                os.unlink(self.path)

    # -- connections --------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        if not _peer_allowed(sock):
            logger.warning("sync: refused a connection from uid %s", _peer_uid(sock))
            writer.close()
            return
        if len(self._peers) >= MAX_FOLLOWERS:
            self._make_room()
        self._next_peer += 1
        peer = _Peer(writer, f"follower {self._next_peer}")
        peer.task = asyncio.current_task()
        self._peers[id(peer)] = peer
        peer.greeted = False
        if not self._adopting:
            self._greet(peer)
        try:
            await self._read(reader, peer)
        except OSError:
            pass
        except Exception:
            logger.exception("sync: %s failed", peer.name)
        finally:
            self._drop(peer, None)

    def _make_room(self) -> None:
        """Drop the idlest follower for a new one: one that never said hello before any
        view, then the one heard from longest ago. A view that really follows the talk
        said hello, and a new view always gets in."""
        idlest = min(self._peers.values(), key=lambda peer: (peer.role is not None, peer.heard))
        self._drop(idlest, f"it was the idlest of {MAX_FOLLOWERS} connections")

    async def _read(self, reader: asyncio.StreamReader, peer: _Peer) -> None:
        """Handle what the follower sends, one bounded turn at a time.

        A turn reads at most `TURN_BYTES`; a full one is followed by `FLOOD_PAUSE`, so a
        flood never holds the presenter's keys (the kernel makes the flooder wait). Gotos
        of a turn only set the peer's pending goto: it moves the talk once the follower's
        buffered bytes are all read (a read came back short), or after `GOTO_HOLD` while
        it keeps sending, so 20,000 gotos are a few moves, the last one the last goto.
        """
        lines = _LineSplitter()
        while True:
            data = await reader.read(TURN_BYTES)
            if not data:
                self._apply_pending(peer)  # the last goto of a follower that left counts
                return
            peer.timers = 0
            for line in lines.feed(data):
                if id(peer) not in self._peers:
                    return
                self._handle(peer, line)
            if id(peer) not in self._peers:
                return
            if len(data) < TURN_BYTES:
                self._apply_pending(peer)  # all it sent is read: its last goto counts now
            else:
                if peer.pending is not None and peer.timer is None:
                    peer.timer = asyncio.get_running_loop().call_later(
                        GOTO_HOLD, self._apply_pending, peer
                    )
                await asyncio.sleep(FLOOD_PAUSE)

    def _apply_pending(self, peer: _Peer) -> None:
        """Move the talk to the follower's latest goto, if it has one waiting."""
        if peer.timer is not None:
            peer.timer.cancel()
            peer.timer = None
        goto, peer.pending = peer.pending, None
        if goto is not None and id(peer) in self._peers:
            self._apply_goto(goto)

    def _handle(self, peer: _Peer, line: bytes | None) -> None:
        if line is None:
            logger.warning("sync: dropped a line longer than %d bytes from %s", MAX_LINE, peer.name)
            return
        try:
            message = decode_message(line)
        except ProtocolError as error:
            logger.warning("sync: dropped a malformed message from %s: %s", peer.name, error)
            return
        peer.heard = asyncio.get_running_loop().time()
        if isinstance(message, Hello):
            peer.role = message.role
            if self._adopting and message.slide is not None and message.shared is not None:
                self._adopting = False
                _call("on_adopt", self._on_adopt, message.slide, message.shared, message.step)
                logger.info("sync: adopted slide %d from %s", message.slide, peer.name)
                for other in list(self._peers.values()):
                    self._greet(other)
            self._greet(peer)
            _call("on_views", self._on_views)
        elif isinstance(message, Size):
            if peer.size != (message.columns, message.rows):
                peer.size = (message.columns, message.rows)
                _call("on_views", self._on_views)
        elif isinstance(message, Goto):
            peer.pending = message  # applied at the end of the turn, see _read
        elif isinstance(message, Timer):
            peer.timers += 1
            if peer.timers <= TURN_TIMERS:
                _call("on_timer", self._on_timer, message.action)
            elif peer.timers == TURN_TIMERS + 1:
                logger.warning("sync: dropped a flood of timer messages from %s", peer.name)
        else:
            logger.warning(
                "sync: dropped a state message from %s (followers don't lead)", peer.name
            )

    def _apply_goto(self, goto: Goto) -> None:
        self._answering, self._answered = goto, False
        try:
            _call("on_goto", self._on_goto, goto.slide, goto.step)
        finally:
            answered = self._answered
            self._answering, self._answered = None, False
        if not answered and self._state is not None:
            state = self._current()
            self._broadcast(
                encode_message(
                    State(state.slide, state.count, goto.sender, goto.seq, state.shared, state.step)
                )
            )

    # -- broadcasting -------------------------------------------------------------------

    def _current(self) -> State:
        """The last published state with the clock read now (see `shared_now`)."""
        state = self._state
        assert state is not None
        if state.shared is None:
            return state
        try:
            shared = self._shared_now()
        except Exception:
            logger.exception("sync: shared_now callback failed")
            shared = None
        if shared is None:
            return state
        return State(state.slide, state.count, state.sender, state.seq, shared, state.step)

    def _greet(self, peer: _Peer) -> None:
        """Send a follower the current state, once, as its greeting."""
        if peer.greeted:
            return
        peer.greeted = True
        if self._state is not None and not peer.writer.is_closing():
            peer.writer.write(encode_message(self._current()))
            self._flush_soon()

    def _broadcast(self, data: bytes) -> None:
        """Write to every follower at once; slow ones are dropped, never waited on here."""
        for peer in list(self._peers.values()):
            if not peer.greeted:
                continue  # it gets the state it should see as its greeting
            if peer.writer.is_closing():
                self._drop(peer, None)
            elif peer.buffered() + len(data) > MAX_BUFFERED:
                self._drop(peer, "it stopped reading")
            else:
                peer.writer.write(data)
        if self._peers:
            self._flush_soon()

    def _flush_soon(self) -> None:
        if self._flush_task is not None and not self._flush_task.done():
            self._flush_again = True
            return
        self._flush_task = asyncio.get_running_loop().create_task(self._flush())

    async def _flush(self) -> None:
        """Wait for all followers' drains together; drop those still full after the timeout.

        Only this task drains, one round at a time, so no socket has two drains pending.
        """
        while True:
            self._flush_again = False
            waiting = {
                asyncio.ensure_future(peer.writer.drain()): peer
                for peer in self._peers.values()
                if peer.buffered()
            }
            if waiting:
                done, pending = await asyncio.wait(waiting, timeout=DRAIN_TIMEOUT)
                for task in pending:
                    task.cancel()
                    self._drop(waiting[task], f"it did not read for {DRAIN_TIMEOUT:g} s")
                for task in done:
                    if not task.cancelled() and task.exception() is not None:
                        self._drop(waiting[task], None)
            if not self._flush_again:
                return

    def _drop(self, peer: _Peer, reason: str | None) -> None:
        if peer.timer is not None:
            peer.timer.cancel()
            peer.timer = None
        if self._peers.pop(id(peer), None) is None:
            return
        if peer.role is not None and self._server is not None:
            _call("on_views", self._on_views)
        if reason:
            logger.warning("sync: dropped %s: %s", peer.name, reason)
        transport = peer.writer.transport
        if reason:
            transport.abort()
        else:
            peer.writer.close()

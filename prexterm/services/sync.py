"""Keep the views of one talk on the same slide: the playing process leads, others follow.

`prexterm DECK` starts a `SyncLeader`; `prexterm notes DECK` and `prexterm follow DECK`
start a `SyncFollower`. Navigation in any of them moves all of them: a follower sends
`goto`, the leader applies it and broadcasts the resulting `state` to every follower.
Besides the slide, the state carries what every view shares: the talk clock (as a state:
running, paused or not started, and the seconds so far, never as ticks; each view runs
it on with its own clock) and whether the presenter blanked the screen.

Why it is built this way:

* Only the same user may take part. The transport is a Unix domain socket (never TCP) in a
  private directory (mode 0700, owned by us, not a symlink), the socket file is 0600, the
  leader checks each peer's uid with SO_PEERCRED and followers check the socket file's
  owner and mode, and the leader's uid, before they talk.
* One socket per deck, named after a hash of the deck's real path, so two talks of two
  decks never mix, and `deck.md` and `./talks/../deck.md` meet on the same socket.
* Leadership is an exclusive `flock` on a lock file next to the socket. The kernel drops it
  when the leader dies, so a crash never leaves the deck "taken"; a socket file left by a
  crash is stale and replaced. A second player of the same deck gets
  `LeaderAlreadyRunning` and plays without sync.
* Messages are small newline-delimited JSON objects with a version. Anything malformed is
  dropped with a log line on the "prexterm.sync" logger: a bad peer never crashes a talk.
* The leader never waits on one follower to serve another: it writes to every transport,
  then waits for the drains together with a timeout, and drops a follower that cannot keep
  up (too much unread data, or a drain that does not finish in time).
* No follower can hold the presenter: at most `MAX_FOLLOWERS` connections, a new one
  taking the place of the idlest (silent ones first), so idle connections never lock a
  view out; each connection is read `TURN_BYTES` at a time between the app's own work,
  and a burst of gotos moves the talk to its last one, not through all of them.
* Followers survive the leader: they report the disconnection, keep working alone and
  reconnect in the background, getting the current slide as soon as the leader is back.
  They greet a new leader with the state they hold (slide, clock, blank), and a leader
  made to adopt (`adopt=True`: a presenter restarted without `--slide`) takes the first
  such state as its own before greeting anyone, so a restart throws nobody back to
  slide 1 or the clock back to zero.

Everything runs on one asyncio event loop (Textual's, in the app) and is not thread-safe:
call the methods from the loop's thread. Callbacks run on the loop, synchronously.

Protocol, version 2 (one JSON object per line, at most `MAX_LINE` bytes). SHARED below
stands for the five keys `"clock": "idle" | "running" | "paused", "elapsed": SECONDS,
"on_slide": SECONDS, "blank": BOOL, "duration": SECONDS | null` (the planned length),
always all five or none:

* `{"v": 2, "type": "hello", "role": "notes" | "follow"}`: follower → leader, on connect;
  with `"slide": N` and SHARED when the follower holds a talk's state from an earlier
  leader.
* `{"v": 2, "type": "goto", "slide": N, "sender": ID, "seq": K}`: follower → leader when
  its user navigates. `seq` (optional) grows with every goto of that sender.
* `{"v": 2, "type": "timer", "action": "toggle" | "reset"}`: follower → leader when its
  user pauses/resumes (`t`) or resets (`T`) the talk clock.
* `{"v": 2, "type": "state", "slide": N, "count": M}` and SHARED (optional): leader →
  followers, on connect and after each change. When the state answers a goto it also
  carries that goto's `sender` and `seq`, so the sender can skip answers to gotos it has
  already superseded (holding an arrow key in the notes view then never makes it jump
  back and forth).

No other key is accepted; slides are 1-based and at most `MAX_SLIDE`, seconds are finite
numbers from 0 to `MAX_SECONDS`.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import json
import logging
import math
import os
import re
import secrets
import socket
import stat
import struct
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

__all__ = [
    "MAX_LINE",
    "MAX_SLIDE",
    "PROTOCOL_VERSION",
    "ROLES",
    "Goto",
    "Hello",
    "LeaderAlreadyRunning",
    "Message",
    "ProtocolError",
    "Shared",
    "State",
    "SyncError",
    "SyncFollower",
    "SyncLeader",
    "Timer",
    "decode_message",
    "encode_message",
    "ensure_private_dir",
    "runtime_dir",
    "socket_path_for",
]

logger = logging.getLogger("prexterm.sync")
# A library must not print on its own: while Textual owns the terminal, Python's
# last-resort handler would write warnings over the slide. The app decides where logs go.
logger.addHandler(logging.NullHandler())

PROTOCOL_VERSION: Final = 2
MAX_LINE: Final = 4096
"""Longest accepted message line in bytes, newline excluded; longer lines are dropped."""
MAX_SLIDE: Final = 1_000_000
MAX_SEQ: Final = 2**53
ROLES: Final = ("notes", "follow")
CLOCK_MODES: Final = ("idle", "running", "paused")
TIMER_ACTIONS: Final = ("toggle", "reset")
MAX_SECONDS: Final = 10_000_000.0
"""Longest talk time accepted (about 115 days): anything larger is a bad peer."""
_SENDER = re.compile(r"[A-Za-z0-9_-]{1,64}")

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
MAX_BUFFERED: Final = 256 * 1024
"""A follower with more unread bytes than this is dropped (thousands of pending messages)."""
DRAIN_TIMEOUT: Final = 2.0
"""A follower whose socket stays full this long after a broadcast is dropped."""
PROBE_TIMEOUT: Final = 1.0
_READ_CHUNK: Final = 65536
_SUN_PATH_MAX: Final = 107
"""`sockaddr_un.sun_path` holds 108 bytes on Linux, the last one a NUL."""


class SyncError(Exception):
    """Sync cannot run: the message says why, in words fit for the status line."""


class LeaderAlreadyRunning(SyncError):
    """Another process already plays this deck and leads its views."""


class ProtocolError(ValueError):
    """A message line is not a valid version-1 message; the text says what is wrong."""


# -- paths and permissions ----------------------------------------------------------------


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def _usable_runtime_base(value: str) -> bool:
    """XDG_RUNTIME_DIR is used only when it is an absolute, existing directory of ours."""
    if not value or not os.path.isabs(value):
        return False
    try:
        info = os.stat(value)
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and os.access(value, os.W_OK | os.X_OK)
    )


def runtime_dir(env: Mapping[str, str] | None = None) -> Path:
    """The private directory that holds the sockets (not created here).

    `$XDG_RUNTIME_DIR/prexterm` when XDG_RUNTIME_DIR is set and usable (it is per user and
    emptied at logout), else `<tempdir>/prexterm-<uid>`; `ensure_private_dir` refuses the
    latter if someone else made it first.
    """
    base = _env(env).get("XDG_RUNTIME_DIR", "")
    if _usable_runtime_base(base):
        return Path(base) / "prexterm"
    return Path(tempfile.gettempdir()) / f"prexterm-{os.getuid()}"


def _check_private_dir(path: Path) -> None:
    """Raise SyncError unless `path` is a real directory of ours that nobody else can enter."""
    try:
        info = os.lstat(path)
    except OSError as error:
        raise SyncError(f"cannot use sync directory {path}: {error.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise SyncError(f"refusing sync directory {path}: it is a symbolic link")
    if not stat.S_ISDIR(info.st_mode):
        raise SyncError(f"refusing sync directory {path}: not a directory")
    if info.st_uid != os.getuid():
        raise SyncError(f"refusing sync directory {path}: owned by uid {info.st_uid}, not us")
    if info.st_mode & 0o077:
        mode = stat.S_IMODE(info.st_mode)
        raise SyncError(
            f"refusing sync directory {path}: mode {mode:04o} lets others in (want 0700)"
        )


def ensure_private_dir(path: Path) -> Path:
    """Create `path` with mode 0700 if it is missing, then check it; returns `path`.

    An existing directory is never "repaired": one with the wrong owner or mode may have
    been planted by someone else in a shared temporary folder, so it is refused instead.
    """
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError as error:
        raise SyncError(f"cannot create sync directory {path}: {error.strerror}") from None
    else:
        # mkdir applies the umask, which could leave the owner without access.
        os.chmod(path, 0o700)
    _check_private_dir(path)
    return path


def socket_path_for(deck: Path, env: Mapping[str, str] | None = None) -> Path:
    """The socket of `deck`: `<runtime dir>/<sha256(real path)[:16]>.sock`.

    The real path makes every spelling of the deck's path (relative, through symlinks)
    meet on one socket. Nothing is created.
    """
    real = os.path.realpath(deck)
    digest = hashlib.sha256(os.fsencode(real)).hexdigest()[:16]
    return runtime_dir(env) / f"{digest}.sock"


def _check_path_length(path: Path) -> None:
    if len(os.fsencode(path)) > _SUN_PATH_MAX:
        raise SyncError(f"socket path too long for a Unix socket: {path}")


def _check_socket_file(path: Path) -> None:
    """Raise SyncError unless `path` is a socket of ours with mode 0600 (FileNotFoundError
    when it is missing: the leader is simply not there yet)."""
    info = os.lstat(path)
    if (
        not stat.S_ISSOCK(info.st_mode)
        or info.st_uid != os.getuid()
        or stat.S_IMODE(info.st_mode) != 0o600
    ):
        raise SyncError(f"refusing {path}: socket has wrong owner/permissions")


def _uid_allowed(uid: int) -> bool:
    """Only processes of the same user may take part in a talk."""
    return uid == os.getuid()


def _peer_uid(sock: Any) -> int | None:
    """The uid of the process at the other end of a connected Unix socket, if the kernel
    says. `sock` is a socket or asyncio's TransportSocket wrapper."""
    size = struct.calcsize("3i")
    try:
        raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, size)
        _pid, uid, _gid = struct.unpack("3i", raw)
    except (OSError, AttributeError, struct.error, TypeError):
        return None
    return int(uid)


def _peer_allowed(sock: Any) -> bool:
    """SO_PEERCRED says the peer runs as us. Unknown credentials are refused."""
    uid = _peer_uid(sock)
    return uid is not None and _uid_allowed(uid)


# -- messages -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shared:
    """What every view of a talk shares besides the slide.

    The clock travels as a state (`clock` mode, the seconds so far when it was sent), so
    each view computes the elapsed time itself and all of them agree to within the time a
    message takes on the socket.
    """

    clock: str
    """`idle` (not started), `running` or `paused`."""
    elapsed: float
    """Seconds of talk so far."""
    on_slide: float
    """Seconds of talk spent on the current slide."""
    blank: bool
    """The presenter blanked the screen: audience views go blank too."""
    duration: float | None = None
    """The planned length of the talk (`--duration`), for the pace of views given none."""


@dataclass(frozen=True, slots=True)
class Hello:
    """A follower introduces itself: `notes` (presenter view) or `follow` (audience).

    A follower that was following a leader before holds the talk's state (`slide` and
    `shared`), which a freshly started leader may adopt."""

    role: str
    slide: int | None = None
    shared: Shared | None = None


@dataclass(frozen=True, slots=True)
class Goto:
    """A follower's user navigated to `slide`."""

    slide: int
    sender: str
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class Timer:
    """A follower's user paused/resumed (`toggle`) or reset (`reset`) the talk clock."""

    action: str


@dataclass(frozen=True, slots=True)
class State:
    """The leader shows `slide` of `count`; `sender`/`seq` name the goto it answers;
    `shared` is the talk clock and blank screen (absent from a leader that has none)."""

    slide: int
    count: int
    sender: str | None = None
    seq: int | None = None
    shared: Shared | None = None


Message = Hello | Goto | Timer | State

_SHARED_KEYS: Final = frozenset({"clock", "elapsed", "on_slide", "blank", "duration"})
_STATE = frozenset({"v", "type", "slide", "count"})
_HELLO = frozenset({"v", "type", "role"})
_KEYS: Final[dict[str, tuple[frozenset[str], ...]]] = {
    "hello": (_HELLO, _HELLO | {"slide"} | _SHARED_KEYS),
    "goto": (
        frozenset({"v", "type", "slide", "sender"}),
        frozenset({"v", "type", "slide", "sender", "seq"}),
    ),
    "timer": (frozenset({"v", "type", "action"}),),
    "state": (
        _STATE,
        _STATE | {"sender", "seq"},
        _STATE | _SHARED_KEYS,
        _STATE | {"sender", "seq"} | _SHARED_KEYS,
    ),
}


def _int_field(data: dict[str, Any], key: str, low: int, high: int) -> int:
    value = data[key]
    # bool is an int in Python, but `true` is not a slide number.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProtocolError(f"{key} is not an integer")
    if not low <= value <= high:
        raise ProtocolError(f"{key} {value} out of range {low}..{high}")
    return value


def _sender_field(data: dict[str, Any]) -> str:
    value = data["sender"]
    if not isinstance(value, str) or not _SENDER.fullmatch(value):
        raise ProtocolError("sender is not a short identifier")
    return value


def _seconds_field(data: dict[str, Any], key: str) -> float:
    value = data[key]
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ProtocolError(f"{key} is not a number")
    if not math.isfinite(value) or not 0 <= value <= MAX_SECONDS:
        raise ProtocolError(f"{key} {value!r} out of range 0..{MAX_SECONDS:g}")
    return float(value)


def _shared_fields(data: dict[str, Any]) -> Shared | None:
    if "clock" not in data:
        return None
    clock = data["clock"]
    if clock not in CLOCK_MODES:
        raise ProtocolError(f"unknown clock {clock!r}")
    blank = data["blank"]
    if not isinstance(blank, bool):
        raise ProtocolError("blank is not true or false")
    duration = None if data["duration"] is None else _seconds_field(data, "duration")
    return Shared(
        clock,
        _seconds_field(data, "elapsed"),
        _seconds_field(data, "on_slide"),
        blank,
        duration if duration else None,
    )


def _encode_shared(shared: Shared) -> dict[str, object]:
    return {
        "clock": shared.clock,
        "elapsed": round(shared.elapsed, 3),
        "on_slide": round(shared.on_slide, 3),
        "blank": shared.blank,
        "duration": shared.duration,
    }


def decode_message(line: bytes) -> Message:
    """Parse one line (without its newline) strictly; raise ProtocolError when invalid."""
    if len(line) > MAX_LINE:
        raise ProtocolError(f"line longer than {MAX_LINE} bytes")
    try:
        data = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ProtocolError("not JSON") from None
    if not isinstance(data, dict):
        raise ProtocolError("not a JSON object")
    version = data.get("v")
    if not isinstance(version, int) or isinstance(version, bool) or version != PROTOCOL_VERSION:
        raise ProtocolError(f"unsupported version {version!r}")
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in _KEYS:
        raise ProtocolError(f"unknown type {kind!r}")
    if frozenset(data) not in _KEYS[kind]:
        raise ProtocolError(f"unexpected fields for {kind}: {sorted(data)}")
    if kind == "hello":
        role = data["role"]
        if role not in ROLES:
            raise ProtocolError(f"unknown role {role!r}")
        if "slide" not in data:
            return Hello(role)
        return Hello(role, _int_field(data, "slide", 1, MAX_SLIDE), _shared_fields(data))
    if kind == "timer":
        action = data["action"]
        if action not in TIMER_ACTIONS:
            raise ProtocolError(f"unknown timer action {action!r}")
        return Timer(action)
    slide = _int_field(data, "slide", 1, MAX_SLIDE)
    seq = _int_field(data, "seq", 0, MAX_SEQ) if "seq" in data else None
    if kind == "goto":
        return Goto(slide, _sender_field(data), seq)
    count = _int_field(data, "count", 0, MAX_SLIDE)
    if slide > max(count, 1):
        raise ProtocolError(f"slide {slide} beyond count {count}")
    sender = _sender_field(data) if "sender" in data else None
    return State(slide, count, sender, seq, _shared_fields(data))


def encode_message(message: Message) -> bytes:
    """One message as a JSON line, newline included."""
    data: dict[str, object] = {"v": PROTOCOL_VERSION}
    if isinstance(message, Hello):
        data |= {"type": "hello", "role": message.role}
        if message.slide is not None and message.shared is not None:
            data |= {"slide": message.slide} | _encode_shared(message.shared)
    elif isinstance(message, Goto):
        data |= {"type": "goto", "slide": message.slide, "sender": message.sender}
        if message.seq is not None:
            data["seq"] = message.seq
    elif isinstance(message, Timer):
        data |= {"type": "timer", "action": message.action}
    else:
        data |= {"type": "state", "slide": message.slide, "count": message.count}
        if message.sender is not None and message.seq is not None:
            data |= {"sender": message.sender, "seq": message.seq}
        if message.shared is not None:
            data |= _encode_shared(message.shared)
    return json.dumps(data, separators=(",", ":")).encode() + b"\n"


class _LineSplitter:
    """Cuts a byte stream into lines of at most `limit` bytes, with bounded memory.

    A longer line is reported once (as None) when it crosses the limit, and the rest of it
    is skipped up to its newline, so the connection carries on with the next message.
    """

    def __init__(self, limit: int = MAX_LINE) -> None:
        self._limit = limit
        self._buffer = bytearray()
        self._skipping = False

    def feed(self, data: bytes) -> list[bytes | None]:
        out: list[bytes | None] = []
        start = 0
        while True:
            end = data.find(b"\n", start)
            piece = data[start:] if end < 0 else data[start:end]
            if not self._skipping:
                if len(self._buffer) + len(piece) > self._limit:
                    self._buffer.clear()
                    self._skipping = True
                    out.append(None)
                else:
                    self._buffer += piece
            if end < 0:
                return out
            if self._skipping:
                self._skipping = False
            else:
                line = bytes(self._buffer)
                self._buffer.clear()
                if line.strip():
                    out.append(line)
            start = end + 1


def _call(name: str, callback: Callable[..., object], *args: object) -> None:
    """Run an app callback; a bug in it is logged, never allowed to stop the connection."""
    try:
        callback(*args)
    except Exception:
        logger.exception("sync: %s callback failed", name)


# -- leader -------------------------------------------------------------------------------


class _Peer:
    """One connected follower, as the leader sees it."""

    __slots__ = (
        "greeted",
        "heard",
        "name",
        "pending",
        "role",
        "task",
        "timer",
        "timers",
        "writer",
    )

    def __init__(self, writer: asyncio.StreamWriter, name: str) -> None:
        self.writer = writer
        self.name = name
        self.role: str | None = None
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

    `on_goto(slide)` is called on the event loop when a follower navigates; the app should
    move there and call `publish(slide, count)` with where it really is, synchronously (it
    is fine to do so from inside `on_goto`). That publish answers the follower. If the app
    publishes nothing (the slide did not change), the leader answers with the last
    published state, so a follower that asked for slide 99 of 10 is put back in line.

    `on_timer(action)` is called when a follower's user pauses (`toggle`) or resets the
    talk clock; the app applies it and publishes. With `adopt=True` (a presenter started
    again without `--slide`), the first follower that greets the leader with a state it
    holds hands it to `on_adopt(slide, shared)`, which should make it the app's own and
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
        on_goto: Callable[[int], None],
        on_timer: Callable[[str], None] = lambda action: None,
        on_adopt: Callable[[int, Shared], None] = lambda slide, shared: None,
        adopt: bool = False,
        shared_now: Callable[[], Shared | None] = lambda: None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.deck = Path(deck)
        self.path = socket_path_for(self.deck, env)
        self._on_goto = on_goto
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

    def publish(self, slide: int, count: int, shared: Shared | None = None) -> None:
        """The leader now shows `slide` of `count` (with the talk clock and blank screen in
        `shared`): tell every follower.

        May be called before `start` (the state is then sent to each follower on connect).
        """
        if isinstance(slide, bool) or isinstance(count, bool):
            raise TypeError("slide and count must be integers")
        if not 0 <= count <= MAX_SLIDE or not 1 <= slide <= max(count, 1):
            raise ValueError(f"invalid slide {slide} of {count}")
        self._state = State(slide, count, shared=shared)
        answering = self._answering
        if answering is not None and not self._answered:
            # The first publish made while applying a goto answers it (see _apply_goto).
            self._answered = True
            self._broadcast(
                encode_message(State(slide, count, answering.sender, answering.seq, shared))
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
                _call("on_adopt", self._on_adopt, message.slide, message.shared)
                logger.info("sync: adopted slide %d from %s", message.slide, peer.name)
                for other in list(self._peers.values()):
                    self._greet(other)
            self._greet(peer)
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
            _call("on_goto", self._on_goto, goto.slide)
        finally:
            answered = self._answered
            self._answering, self._answered = None, False
        if not answered and self._state is not None:
            state = self._current()
            self._broadcast(
                encode_message(State(state.slide, state.count, goto.sender, goto.seq, state.shared))
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
        return State(state.slide, state.count, state.sender, state.seq, shared)

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
        if reason:
            logger.warning("sync: dropped %s: %s", peer.name, reason)
        transport = peer.writer.transport
        if reason:
            transport.abort()
        else:
            peer.writer.close()


# -- follower -----------------------------------------------------------------------------


class SyncFollower:
    """A view that follows the leader of its deck and can move it.

    `start` never fails for a missing leader: the follower keeps trying to connect in the
    background (every `RETRY_MIN` s at first, backing off to `RETRY_MAX` s). It counts as
    connected once the leader has greeted it with its state (a leader sends it on every
    connect once it has published): then `on_connect` is called, followed by
    `on_state(slide, count)`. Later states call `on_state` when they differ from the view's
    own slide. When the leader goes away `on_disconnect` is called and the follower tries
    again. A link that dies before the greeting (a leader that refused us, or one dying
    while we connected) is no connection at all and reports nothing, so the app never sees
    connect/disconnect flicker. `last_error` says why the last attempt was refused, for a
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
        on_state: Callable[[int, int], None],
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
        self._count: int | None = None
        self._last_error: str | None = None

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

    def goto(self, slide: int) -> None:
        """This view moved to `slide`: ask the leader to move everyone. Dropped silently
        while disconnected (the view then simply goes on alone)."""
        if isinstance(slide, bool) or not 1 <= slide <= MAX_SLIDE:
            raise ValueError(f"invalid slide {slide!r}")
        self._position = slide
        writer = self._writer
        if writer is None or writer.is_closing():
            return
        if writer.transport.get_write_buffer_size() > MAX_BUFFERED:
            return  # The leader does not read; its answer would be stale anyway.
        self._seq += 1
        writer.write(encode_message(Goto(slide, self.sender, self._seq)))

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
        return Hello(self.role, self._position, shared)

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
        if not superseded and (message.slide, message.count) != (self._position, self._count):
            self._position, self._count = message.slide, message.count
            _call("on_state", self._on_state, message.slide, message.count)
        if message.shared is not None:
            # After the slide, so the time on the slide is the leader's, not a fresh count.
            # The clock and blank are the leader's alone: they never wait on our gotos.
            _call("on_shared", self._on_shared, message.shared)

"""The messages views of one talk exchange, and how they travel.

Protocol, version 3 (one JSON object per line, at most `MAX_LINE` bytes). SHARED below
stands for the five keys `"clock": "idle" | "running" | "paused", "elapsed": SECONDS,
"on_slide": SECONDS, "blank": BOOL, "duration": SECONDS | null` (the planned length),
always all five or none:

* `{"v": 3, "type": "hello", "role": "notes" | "follow"}`: follower → leader, on connect;
  with `"slide": N`, `"step": S` and SHARED when the follower holds a talk's state from an
  earlier leader.
* `{"v": 3, "type": "goto", "slide": N, "step": S, "sender": ID, "seq": K}`: follower →
  leader when its user navigates. `seq` (optional) grows with every goto of that sender.
* `{"v": 3, "type": "timer", "action": "toggle" | "reset"}`: follower → leader when its
  user pauses/resumes (`t`) or resets (`T`) the talk clock.
* `{"v": 3, "type": "state", "slide": N, "step": S, "count": M}` and SHARED (optional): leader →
  followers, on connect and after each change. When the state answers a goto it also
  carries that goto's `sender` and `seq`, so the sender can skip answers to gotos it has
  already superseded (holding an arrow key in the notes view then never makes it jump
  back and forth).

`step` is the step of the slide (1-based, at most `MAX_SLIDE`) and is optional: without it
the slide's first step is meant. Version 3 added it; a peer of version 2 is refused (its
messages name the version), so an older prexterm never shows a step it cannot know of.

* `{"v": 3, "type": "size", "columns": W, "rows": H}`: follower → leader, after its hello
  and whenever its terminal is resized, so the presenter can tell who sees a slide cut.

SHARED may add `"white": true` when the blank screen is white (`w`), not black.

No other key is accepted; slides are 1-based and at most `MAX_SLIDE`, seconds are finite
numbers from 0 to `MAX_SECONDS`.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

logger = logging.getLogger("prexterm.sync")
# A library must not print on its own: while Textual owns the terminal, Python's
# last-resort handler would write warnings over the slide. The app decides where logs go.
logger.addHandler(logging.NullHandler())

PROTOCOL_VERSION: Final = 3
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

MAX_BUFFERED: Final = 256 * 1024
"""A follower with more unread bytes than this is dropped (thousands of pending messages)."""


class ProtocolError(ValueError):
    """A message line is not a valid message of this version; the text says what is wrong."""


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
    white: bool = False
    """The blank screen is white (`w`) rather than black."""


@dataclass(frozen=True, slots=True)
class Hello:
    """A follower introduces itself: `notes` (presenter view) or `follow` (audience).

    A follower that was following a leader before holds the talk's state (`slide` and
    `shared`), which a freshly started leader may adopt."""

    role: str
    slide: int | None = None
    shared: Shared | None = None
    step: int = 1


@dataclass(frozen=True, slots=True)
class Goto:
    """A follower's user navigated to `slide`."""

    slide: int
    sender: str
    seq: int | None = None
    step: int = 1


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
    step: int = 1


@dataclass(frozen=True, slots=True)
class Size:
    """A follower's terminal is `columns` wide and `rows` high."""

    columns: int
    rows: int


Message = Hello | Goto | Timer | State | Size

MAX_TERMINAL: Final = 10_000
"""Largest terminal side accepted, in cells."""

_SHARED_KEYS: Final = frozenset({"clock", "elapsed", "on_slide", "blank", "duration"})
_STATE = frozenset({"v", "type", "slide", "count"})
_HELLO = frozenset({"v", "type", "role"})
_GOTO = frozenset({"v", "type", "slide", "sender"})


def _with_step(*shapes: frozenset[str]) -> tuple[frozenset[str], ...]:
    """Each shape as it is and with a `step` (which is optional where a slide is)."""
    return (*shapes, *(shape | {"step"} for shape in shapes))


_KEYS: Final[dict[str, tuple[frozenset[str], ...]]] = {
    "hello": (_HELLO, *_with_step(_HELLO | {"slide"} | _SHARED_KEYS)),
    "goto": _with_step(_GOTO, _GOTO | {"seq"}),
    "timer": (frozenset({"v", "type", "action"}),),
    "size": (frozenset({"v", "type", "columns", "rows"}),),
    "state": _with_step(
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


def _step_field(data: dict[str, Any]) -> int:
    return _int_field(data, "step", 1, MAX_SLIDE) if "step" in data else 1


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
    white = data.get("white", False)
    if white is not True and white is not False:
        raise ProtocolError("white is not true or false")
    return Shared(
        clock,
        _seconds_field(data, "elapsed"),
        _seconds_field(data, "on_slide"),
        blank,
        duration if duration else None,
        white,
    )


def _encode_shared(shared: Shared) -> dict[str, object]:
    encoded: dict[str, object] = {
        "clock": shared.clock,
        "elapsed": round(shared.elapsed, 3),
        "on_slide": round(shared.on_slide, 3),
        "blank": shared.blank,
        "duration": shared.duration,
    }
    if shared.white:
        encoded["white"] = True
    return encoded


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
    keys = frozenset(data)
    if "white" in keys and "clock" in keys:
        keys -= {"white"}  # white goes with the shared clock and blank, never alone
    if keys not in _KEYS[kind]:
        raise ProtocolError(f"unexpected fields for {kind}: {sorted(data)}")
    if kind == "hello":
        role = data["role"]
        if role not in ROLES:
            raise ProtocolError(f"unknown role {role!r}")
        if "slide" not in data:
            return Hello(role)
        return Hello(
            role,
            _int_field(data, "slide", 1, MAX_SLIDE),
            _shared_fields(data),
            _step_field(data),
        )
    if kind == "size":
        return Size(
            _int_field(data, "columns", 1, MAX_TERMINAL), _int_field(data, "rows", 1, MAX_TERMINAL)
        )
    if kind == "timer":
        action = data["action"]
        if action not in TIMER_ACTIONS:
            raise ProtocolError(f"unknown timer action {action!r}")
        return Timer(action)
    slide = _int_field(data, "slide", 1, MAX_SLIDE)
    step = _step_field(data)
    seq = _int_field(data, "seq", 0, MAX_SEQ) if "seq" in data else None
    if kind == "goto":
        return Goto(slide, _sender_field(data), seq, step)
    count = _int_field(data, "count", 0, MAX_SLIDE)
    if slide > max(count, 1):
        raise ProtocolError(f"slide {slide} beyond count {count}")
    sender = _sender_field(data) if "sender" in data else None
    return State(slide, count, sender, seq, _shared_fields(data), step)


def encode_message(message: Message) -> bytes:
    """One message as a JSON line, newline included."""
    data: dict[str, object] = {"v": PROTOCOL_VERSION}
    if isinstance(message, Hello):
        data |= {"type": "hello", "role": message.role}
        if message.slide is not None and message.shared is not None:
            data |= {"slide": message.slide, "step": message.step}
            data |= _encode_shared(message.shared)
    elif isinstance(message, Goto):
        data |= {"type": "goto", "slide": message.slide, "step": message.step}
        data["sender"] = message.sender
        if message.seq is not None:
            data["seq"] = message.seq
    elif isinstance(message, Timer):
        data |= {"type": "timer", "action": message.action}
    elif isinstance(message, Size):
        data |= {"type": "size", "columns": message.columns, "rows": message.rows}
    else:
        data |= {"type": "state", "slide": message.slide, "step": message.step}
        data["count"] = message.count
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

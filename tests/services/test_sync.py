"""The sync transport: leader and followers in one loop, plus real processes on both ends.

Every test gets its own runtime directory through the `env` parameter (a short path under
/tmp: Unix socket paths are limited to 107 bytes, and pytest's tmp_path can be longer).
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import socket
import stat
import sys
import tempfile
import textwrap
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from prexterm.services.sync import follower, protocol, runtime
from prexterm.services.sync.follower import SyncFollower
from prexterm.services.sync.leader import GOTO_HOLD, MAX_FOLLOWERS, LeaderAlreadyRunning, SyncLeader
from prexterm.services.sync.protocol import (
    MAX_LINE,
    Goto,
    Hello,
    ProtocolError,
    Shared,
    State,
    Timer,
    decode_message,
    encode_message,
)
from prexterm.services.sync.runtime import (
    SyncError,
    ensure_private_dir,
    runtime_dir,
    socket_path_for,
)
from tests.conftest import REPO

Env = dict[str, str]


@pytest.fixture
def env() -> Iterator[Env]:
    base = tempfile.mkdtemp(prefix="pxs-", dir="/tmp")
    try:
        yield {"XDG_RUNTIME_DIR": base}
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    path = tmp_path / "talk.md"
    path.write_text("# one\n\n---\n\n# two\n", encoding="utf-8")
    return path


async def until(condition: Callable[[], bool], timeout: float = 3.0) -> None:
    """Wait for `condition`, failing the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


class View:
    """A follower plus everything its callbacks saw."""

    def __init__(self, deck: Path, env: Env, role: str = "follow") -> None:
        self.states: list[tuple[int, int]] = []
        self.shared: list[Shared] = []
        self.held: Shared | None = None
        """What this view's clock and blank would be now (the app's part of its state)."""
        self.connects = 0
        self.disconnects = 0
        self.follower = SyncFollower(
            deck,
            role=role,
            on_state=lambda slide, count, step: self.states.append((slide, count)),
            on_connect=self._connected,
            on_disconnect=self._disconnected,
            on_shared=self.shared.append,
            held=lambda: self.held,
            env=env,
        )

    def _connected(self) -> None:
        self.connects += 1

    def _disconnected(self) -> None:
        self.disconnects += 1

    @property
    def last(self) -> tuple[int, int] | None:
        return self.states[-1] if self.states else None


class Talk:
    """A leader whose app clamps gotos to `count` slides and publishes, like the player."""

    def __init__(
        self,
        deck: Path,
        env: Env,
        count: int = 10,
        slide: int = 1,
        *,
        shared: Shared | None = None,
        adopt: bool = False,
    ) -> None:
        self.count = count
        self.slide = slide
        self.shared = shared
        self.gotos: list[int] = []
        self.timers: list[str] = []
        self.adopted: list[tuple[int, Shared]] = []
        self.leader = SyncLeader(
            deck,
            on_goto=self.on_goto,
            on_timer=self.timers.append,
            on_adopt=self.on_adopt,
            adopt=adopt,
            shared_now=lambda: self.shared,
            env=env,
        )
        self.leader.publish(slide, count, shared)

    def on_goto(self, slide: int, step: int = 1) -> None:
        self.gotos.append(slide)
        self.slide = min(slide, self.count)
        self.leader.publish(self.slide, self.count, self.shared)

    def on_adopt(self, slide: int, shared: Shared, step: int = 1) -> None:
        self.adopted.append((slide, shared))
        self.slide, self.shared = min(slide, self.count), shared
        self.leader.publish(self.slide, self.count, self.shared)


async def started(*views: View) -> None:
    for view in views:
        await view.follower.start()
    await until(lambda: all(v.follower.connected and v.states for v in views))


async def closing(*parts: View | Talk) -> None:
    for part in parts:
        if isinstance(part, View):
            await part.follower.close()
        else:
            await part.leader.close()


# -- paths, permissions, protocol ---------------------------------------------------------


def test_socket_path_is_per_real_path(tmp_path: Path, env: Env) -> None:
    (tmp_path / "a").mkdir()
    deck = tmp_path / "a" / "deck.md"
    deck.write_text("x")
    link = tmp_path / "link.md"
    link.symlink_to(deck)
    path = socket_path_for(deck, env)
    assert path.parent == Path(env["XDG_RUNTIME_DIR"]) / "prexterm"
    assert path.name.endswith(".sock") and len(path.stem) == 16
    assert socket_path_for(link, env) == path
    assert socket_path_for(tmp_path / "a" / ".." / "a" / "deck.md", env) == path
    assert socket_path_for(tmp_path / "other.md", env) != path


def test_runtime_dir_falls_back_to_private_temp_dir(tmp_path: Path) -> None:
    fallback = Path(tempfile.gettempdir()) / f"prexterm-{os.getuid()}"
    assert runtime_dir({}) == fallback
    assert runtime_dir({"XDG_RUNTIME_DIR": "relative/dir"}) == fallback
    assert runtime_dir({"XDG_RUNTIME_DIR": str(tmp_path / "missing")}) == fallback
    assert runtime_dir({"XDG_RUNTIME_DIR": str(tmp_path)}) == tmp_path / "prexterm"


def test_private_dir_is_created_0700(tmp_path: Path) -> None:
    path = ensure_private_dir(tmp_path / "rt")
    assert stat.S_IMODE(path.stat().st_mode) == 0o700
    assert ensure_private_dir(path) == path


@pytest.mark.parametrize("mode", [0o755, 0o750, 0o701, 0o707])
def test_private_dir_with_open_mode_is_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "rt"
    path.mkdir()
    path.chmod(mode)
    with pytest.raises(SyncError, match="lets others in"):
        ensure_private_dir(path)
    assert stat.S_IMODE(path.stat().st_mode) == mode  # refused, never "repaired"


def test_private_dir_of_another_owner_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ensure_private_dir(tmp_path / "rt")
    real = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: real + 4242)
    with pytest.raises(SyncError, match="owned by"):
        ensure_private_dir(path)


def test_private_dir_symlink_or_file_is_refused(tmp_path: Path) -> None:
    target = ensure_private_dir(tmp_path / "real")
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(SyncError, match="symbolic link"):
        ensure_private_dir(tmp_path / "link")
    (tmp_path / "file").write_text("")
    with pytest.raises(SyncError, match="not a directory"):
        ensure_private_dir(tmp_path / "file")


def test_messages_round_trip() -> None:
    for message in (
        Hello("notes"),
        Hello("follow"),
        Goto(3, "abc123"),
        Goto(3, "abc123", 7),
        State(2, 9),
        State(1, 0),
        State(9, 9, "abc", 4),
        State(3, 9, shared=Shared("running", 12.5, 2.25, True)),
        State(3, 9, shared=Shared("running", 12.5, 2.25, False, 1200.0)),
        State(3, 9, "abc", 5, Shared("idle", 0.0, 0.0, False)),
        Hello("notes", 4, Shared("paused", 61.125, 3.0, False)),
        Timer("toggle"),
        Timer("reset"),
    ):
        line = encode_message(message)
        assert line.endswith(b"\n") and line.count(b"\n") == 1
        assert decode_message(line[:-1]) == message


BAD_LINES = {
    "not json": b"this is not json",
    "not an object": b"[1, 2, 3]",
    "wrong version": b'{"v": 1, "type": "goto", "slide": 3, "sender": "x"}',
    "version true": b'{"v": true, "type": "goto", "slide": 3, "sender": "x"}',
    "no version": b'{"type": "goto", "slide": 3, "sender": "x"}',
    "unknown type": b'{"v": 3, "type": "jump", "slide": 3, "sender": "x"}',
    "slide text": b'{"v": 3, "type": "goto", "slide": "abc", "sender": "x"}',
    "slide negative": b'{"v": 3, "type": "goto", "slide": -4, "sender": "x"}',
    "slide zero": b'{"v": 3, "type": "goto", "slide": 0, "sender": "x"}',
    "slide float": b'{"v": 3, "type": "goto", "slide": 3.0, "sender": "x"}',
    "slide bool": b'{"v": 3, "type": "goto", "slide": true, "sender": "x"}',
    "slide huge": b'{"v": 3, "type": "goto", "slide": 99999999999, "sender": "x"}',
    "no sender": b'{"v": 3, "type": "goto", "slide": 3}',
    "bad sender": b'{"v": 3, "type": "goto", "slide": 3, "sender": "a b\\u001b"}',
    "extra key": b'{"v": 3, "type": "goto", "slide": 3, "sender": "x", "evil": 1}',
    "bad role": b'{"v": 3, "type": "hello", "role": "admin"}',
    "state past count": b'{"v": 3, "type": "state", "slide": 5, "count": 4}',
    "not utf-8": b'{"v": 3, "type": "\xff"}',
    "timer action": b'{"v": 3, "type": "timer", "action": "explode"}',
    "clock mode": b'{"v": 3, "type": "state", "slide": 1, "count": 2, "clock": "fast", '
    b'"elapsed": 1, "on_slide": 0, "blank": false}',
    "elapsed negative": b'{"v": 3, "type": "state", "slide": 1, "count": 2, "clock": "idle", '
    b'"elapsed": -1, "on_slide": 0, "blank": false}',
    "elapsed text": b'{"v": 3, "type": "state", "slide": 1, "count": 2, "clock": "idle", '
    b'"elapsed": "1", "on_slide": 0, "blank": false}',
    "elapsed bool": b'{"v": 3, "type": "state", "slide": 1, "count": 2, "clock": "idle", '
    b'"elapsed": true, "on_slide": 0, "blank": false}',
    "blank not bool": b'{"v": 3, "type": "state", "slide": 1, "count": 2, "clock": "idle", '
    b'"elapsed": 1, "on_slide": 0, "blank": 1}',
    "duration text": b'{"v": 3, "type": "state", "slide": 1, "count": 2, "clock": "idle", '
    b'"elapsed": 1, "on_slide": 0, "blank": false, "duration": "20m"}',
    "no duration": b'{"v": 3, "type": "state", "slide": 1, "count": 2, "clock": "idle", '
    b'"elapsed": 1, "on_slide": 0, "blank": false}',
    "half the clock": b'{"v": 3, "type": "state", "slide": 1, "count": 2, "clock": "idle"}',
    "hello slide only": b'{"v": 3, "type": "hello", "role": "notes", "slide": 3}',
    "deep nesting": b"[" * 3000 + b"]" * 3000,
}


@pytest.mark.parametrize("line", list(BAD_LINES.values()), ids=list(BAD_LINES))
def test_bad_messages_are_rejected(line: bytes) -> None:
    with pytest.raises(ProtocolError):
        decode_message(line)


def test_line_splitter_handles_chunks_and_long_lines() -> None:
    splitter = protocol._LineSplitter(limit=10)
    assert splitter.feed(b"ab") == []
    assert splitter.feed(b"c\nde") == [b"abc"]
    assert splitter.feed(b"f\n\n") == [b"def"]  # blank lines are skipped
    assert splitter.feed(b"x" * 8) == []
    assert splitter.feed(b"x" * 8) == [None]  # reported once, when it crosses the limit
    assert splitter.feed(b"x" * 50) == []
    assert splitter.feed(b"xx\nok\n") == [b"ok"]


def test_uid_checks() -> None:
    assert runtime._uid_allowed(os.getuid())
    assert not runtime._uid_allowed(os.getuid() + 1)
    left, right = socket.socketpair(socket.AF_UNIX)
    with left, right:
        assert runtime._peer_uid(left) == os.getuid()
        assert runtime._peer_allowed(left)
    assert not runtime._peer_allowed(object())  # credentials unknown: refused


# -- one process --------------------------------------------------------------------------


async def test_late_follower_gets_current_slide(deck: Path, env: Env) -> None:
    talk = Talk(deck, env, count=9, slide=4)
    await talk.leader.start()
    view = View(deck, env, role="notes")
    await started(view)
    assert view.states == [(4, 9)] and view.connects == 1
    await until(lambda: talk.leader.roles == {"notes": 1})
    await closing(view, talk)


async def test_follower_counts_as_connected_once_greeted(deck: Path, env: Env) -> None:
    gotos: list[int] = []
    leader = SyncLeader(deck, on_goto=lambda n, _step: gotos.append(n), env=env)  # nothing yet
    await leader.start()
    view = View(deck, env)
    await view.follower.start()
    await until(lambda: leader.roles == {"follow": 1})  # the leader has read its hello
    assert not view.follower.connected and view.connects == 0
    # The link keeps order: a greeting sent before this state would show up before it.
    leader.publish(2, 3)
    await until(lambda: view.follower.connected and view.states == [(2, 3)])
    assert view.connects == 1
    await closing(view)
    await leader.close()


async def test_runtime_dir_and_socket_modes(deck: Path, env: Env) -> None:
    talk = Talk(deck, env)
    await talk.leader.start()
    path = socket_path_for(deck, env)
    info = os.lstat(path)
    assert stat.S_ISSOCK(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o600
    assert stat.S_IMODE(os.lstat(path.parent).st_mode) == 0o700
    await talk.leader.close()
    assert not path.exists()
    assert not path.with_suffix(".lock").exists()


async def test_publish_reaches_every_follower(deck: Path, env: Env) -> None:
    talk = Talk(deck, env)
    await talk.leader.start()
    one, two = View(deck, env), View(deck, env, role="notes")
    await started(one, two)
    assert talk.leader.followers == 2
    talk.leader.publish(5, 10)
    await until(lambda: one.last == two.last == (5, 10))
    await closing(one, two, talk)


async def test_follower_goto_moves_leader_and_others(deck: Path, env: Env) -> None:
    talk = Talk(deck, env)
    await talk.leader.start()
    mover, other = View(deck, env, role="notes"), View(deck, env)
    await started(mover, other)
    mover.follower.goto(7)
    await until(lambda: other.last == (7, 10))
    assert talk.gotos == [7]
    # The mover's own answer equals where it already is, so it is not replayed.
    await asyncio.sleep(0.05)
    assert mover.states == [(1, 10)]
    await closing(mover, other, talk)


async def test_goto_past_the_end_is_corrected_by_the_leader(deck: Path, env: Env) -> None:
    talk = Talk(deck, env, count=10)
    await talk.leader.start()
    view = View(deck, env)
    await started(view)
    view.follower.goto(99)
    await until(lambda: view.last == (10, 10))
    await closing(view, talk)


async def test_goto_the_leader_ignores_snaps_the_follower_back(deck: Path, env: Env) -> None:
    gotos: list[int] = []
    leader = SyncLeader(deck, on_goto=lambda n, _step: gotos.append(n), env=env)  # never publishes
    leader.publish(3, 8)
    await leader.start()
    view = View(deck, env)
    await started(view)
    view.follower.goto(6)
    await until(lambda: gotos == [6])
    await until(lambda: view.states == [(3, 8), (3, 8)])
    await closing(view)
    await leader.close()


async def test_rapid_gotos_never_bounce_the_sender_back(deck: Path, env: Env) -> None:
    talk = Talk(deck, env, count=50)
    await talk.leader.start()
    mover, other = View(deck, env), View(deck, env)
    await started(mover, other)
    for slide in range(2, 31):
        mover.follower.goto(slide)
    await until(lambda: other.last == (30, 50))
    await asyncio.sleep(0.05)
    assert mover.states == [(1, 50)]
    # The burst arrives at once: the leader moves to its last goto, not through all of them.
    assert talk.gotos[-1] == 30 and len(talk.gotos) <= 3
    await closing(mover, other, talk)


async def test_fifty_followers_get_a_publish_quickly(deck: Path, env: Env) -> None:
    talk = Talk(deck, env, count=100)
    await talk.leader.start()
    views = [View(deck, env) for _ in range(50)]
    await started(*views)
    assert talk.leader.followers == 50
    began = time.monotonic()
    talk.leader.publish(42, 100)
    await until(lambda: all(v.last == (42, 100) for v in views), timeout=2.0)
    assert time.monotonic() - began < 0.5
    await closing(*views, talk)


async def test_leader_drops_a_follower_that_stops_reading(
    deck: Path, env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    talk = Talk(deck, env, count=1000)
    await talk.leader.start()
    view = View(deck, env)
    await started(view)
    _reader, _writer = await asyncio.open_unix_connection(str(socket_path_for(deck, env)))
    await until(lambda: talk.leader.followers == 2)
    with caplog.at_level(logging.WARNING, logger="prexterm.sync"):
        for i in range(20000):
            talk.leader.publish(i % 1000 + 1, 1000)
            if i % 50 == 0:
                await asyncio.sleep(0)
        await until(lambda: talk.leader.followers == 1, timeout=5.0)
    assert "stopped reading" in caplog.text or "did not read" in caplog.text
    talk.leader.publish(777, 1000)
    await until(lambda: view.last == (777, 1000))
    _writer.close()
    await closing(view, talk)


async def test_idle_connections_never_lock_a_view_out(
    deck: Path, env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    """256 connections that never say a word: the leader keeps MAX_FOLLOWERS of them at
    most, and a real view that comes after them still follows the talk."""
    talk = Talk(deck, env, count=10, slide=3)
    await talk.leader.start()
    path = str(socket_path_for(deck, env))
    idle = [await asyncio.open_unix_connection(path) for _ in range(256)]
    await until(lambda: talk.leader.followers == MAX_FOLLOWERS)
    view = View(deck, env, role="notes")
    with caplog.at_level(logging.WARNING, logger="prexterm.sync"):
        await started(view)
    assert view.last == (3, 10)
    assert talk.leader.followers == MAX_FOLLOWERS
    assert "idlest" in caplog.text
    # More idle connections push out the silent ones, never the view that said hello.
    with caplog.at_level(logging.WARNING, logger="prexterm.sync"):
        idle += [await asyncio.open_unix_connection(path) for _ in range(2 * MAX_FOLLOWERS)]
        # Each connection past the limit pushed one out: all of them are handled.
        await until(lambda: caplog.text.count("idlest") == len(idle) + 1 - MAX_FOLLOWERS)
    assert view.follower.connected and view.disconnects == 0
    talk.leader.publish(7, 10)
    await until(lambda: view.last == (7, 10))
    view.follower.goto(9)
    await until(lambda: talk.slide == 9)
    for _reader, writer in idle:
        writer.close()
    await closing(view, talk)


async def test_a_flood_of_gotos_moves_the_talk_a_few_times_to_the_last(
    deck: Path, env: Env
) -> None:
    """20,000 gotos written at once: the leader applies a handful (at most one per
    GOTO_HOLD while they keep coming, plus the last), ends on the last one, and the event
    loop keeps answering meanwhile."""
    talk = Talk(deck, env, count=1000)
    await talk.leader.start()
    reader, writer = await asyncio.open_unix_connection(str(socket_path_for(deck, env)))
    writer.write(encode_message(Hello("notes")))
    gaps: list[float] = []

    async def tick() -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.005)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    ticker = asyncio.get_running_loop().create_task(tick())
    began = time.monotonic()
    writer.write(b"".join(encode_message(Goto(i % 999 + 1, "flood", i)) for i in range(20000)))
    last = 19999 % 999 + 1
    await until(
        lambda: talk.gotos[-1:] == [last] and not writer.transport.get_write_buffer_size(),
        timeout=20.0,
    )
    took = time.monotonic() - began
    await asyncio.sleep(GOTO_HOLD * 2)
    ticker.cancel()
    assert talk.slide == last and talk.gotos[-1] == last
    assert len(talk.gotos) <= 2 + took / GOTO_HOLD, (len(talk.gotos), took)
    assert len(talk.gotos) < 50
    assert max(gaps) < 0.1, max(gaps)
    # The connection is still served: a goto after the flood moves the talk at once.
    writer.write(encode_message(Goto(5, "flood", 20000)))
    await until(lambda: talk.slide == 5)
    writer.close()
    del reader
    await talk.leader.close()


async def test_a_flood_of_timer_keys_is_cut_short(
    deck: Path, env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    talk = Talk(deck, env)
    await talk.leader.start()
    _reader, writer = await asyncio.open_unix_connection(str(socket_path_for(deck, env)))
    with caplog.at_level(logging.WARNING, logger="prexterm.sync"):
        writer.write(encode_message(Timer("toggle")) * 20000)
        writer.write(encode_message(Goto(7, "flood")))  # moves the talk once all is read
        await until(lambda: talk.slide == 7, timeout=20.0)
    assert "flood of timer messages" in caplog.text
    assert 1 <= len(talk.timers) < 500, len(talk.timers)
    # Keys pressed by a person, one by one, all count.
    before = len(talk.timers)
    for action in ("reset", "toggle"):
        writer.write(encode_message(Timer(action)))
        await asyncio.sleep(0.05)
    await until(lambda: talk.timers[before:] == ["reset", "toggle"])
    writer.close()
    await talk.leader.close()


@pytest.mark.parametrize("line", list(BAD_LINES.values()), ids=list(BAD_LINES))
async def test_leader_drops_malformed_lines_and_keeps_the_connection(
    deck: Path, env: Env, caplog: pytest.LogCaptureFixture, line: bytes
) -> None:
    talk = Talk(deck, env)
    await talk.leader.start()
    reader, writer = await asyncio.open_unix_connection(str(socket_path_for(deck, env)))
    assert decode_message((await reader.readline())[:-1]) == State(1, 10)
    with caplog.at_level(logging.WARNING, logger="prexterm.sync"):
        writer.write(line + b"\n")
        writer.write(encode_message(Goto(4, "tester", 1)))
        await until(lambda: talk.gotos == [4])
    assert any(r.name == "prexterm.sync" and "dropped" in r.getMessage() for r in caplog.records)
    assert decode_message((await reader.readline())[:-1]) == State(4, 10, "tester", 1)
    writer.close()
    await talk.leader.close()


async def test_leader_drops_huge_lines_and_unexpected_types(
    deck: Path, env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    talk = Talk(deck, env)
    await talk.leader.start()
    _reader, writer = await asyncio.open_unix_connection(str(socket_path_for(deck, env)))
    with caplog.at_level(logging.WARNING, logger="prexterm.sync"):
        writer.write(b"{" + b"x" * (MAX_LINE * 20) + b"\n")
        writer.write(encode_message(State(2, 10)))  # followers do not lead
        writer.write(encode_message(Goto(3, "tester")))
        await until(lambda: talk.gotos == [3])
    messages = [r.getMessage() for r in caplog.records if r.name == "prexterm.sync"]
    assert any(f"longer than {MAX_LINE}" in m for m in messages)
    assert any("state message" in m for m in messages)
    assert talk.leader.followers == 1
    writer.close()
    await talk.leader.close()


async def test_follower_drops_malformed_lines_from_a_leader(
    deck: Path, env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    """A hand-made "leader" sends junk first: the follower logs it and applies what is valid."""
    path = socket_path_for(deck, env)
    ensure_private_dir(path.parent)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for line in BAD_LINES.values():
            writer.write(line + b"\n")
        writer.write(b"z" * (MAX_LINE + 10) + b"\n")
        writer.write(encode_message(Goto(3, "x")))
        writer.write(encode_message(State(6, 7)))
        await reader.read()

    server = await asyncio.start_unix_server(serve, str(path))
    path.chmod(0o600)
    view = View(deck, env)
    with caplog.at_level(logging.WARNING, logger="prexterm.sync"):
        await started(view)
        await asyncio.sleep(0.05)
    assert view.states == [(6, 7)]
    dropped = [r for r in caplog.records if "dropped" in r.getMessage()]
    assert len(dropped) == len(BAD_LINES) + 2
    await view.follower.close()
    server.close()


async def test_a_failing_callback_is_logged_not_fatal(
    deck: Path, env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(slide: int, step: int) -> None:
        raise RuntimeError("app bug")

    leader = SyncLeader(deck, on_goto=broken, env=env)
    leader.publish(1, 5)
    await leader.start()
    view = View(deck, env)
    await started(view)
    with caplog.at_level(logging.ERROR, logger="prexterm.sync"):
        view.follower.goto(2)
        await until(lambda: "on_goto callback failed" in caplog.text)
    leader.publish(4, 5)
    await until(lambda: view.last == (4, 5))
    await closing(view)
    await leader.close()


async def test_second_leader_is_refused(deck: Path, env: Env) -> None:
    first = Talk(deck, env)
    await first.leader.start()
    second = Talk(deck, env)
    with pytest.raises(LeaderAlreadyRunning):
        await second.leader.start()
    # The first one is untouched and still serves.
    view = View(deck, env)
    await started(view)
    await closing(view, first)
    # Once it is gone, the deck can be led again.
    await second.leader.start()
    await second.leader.close()


async def test_live_socket_without_lock_is_not_stolen(deck: Path, env: Env) -> None:
    """Even if the lock file vanished, a socket that still answers means a live leader."""
    path = socket_path_for(deck, env)
    ensure_private_dir(path.parent)
    server = await asyncio.start_unix_server(lambda r, w: None, str(path))
    with pytest.raises(LeaderAlreadyRunning):
        await Talk(deck, env).leader.start()
    assert path.exists()
    server.close()


@pytest.mark.parametrize("leftover", ["socket", "file"])
async def test_stale_socket_file_is_replaced(deck: Path, env: Env, leftover: str) -> None:
    path = socket_path_for(deck, env)
    ensure_private_dir(path.parent)
    if leftover == "socket":
        dead = socket.socket(socket.AF_UNIX)
        dead.bind(str(path))
        dead.close()  # like a crash: the file stays, nobody listens
    else:
        path.write_text("junk")
    talk = Talk(deck, env, slide=2)
    await talk.leader.start()
    assert stat.S_ISSOCK(os.lstat(path).st_mode)
    view = View(deck, env)
    await started(view)
    assert view.states == [(2, 10)]
    await closing(view, talk)


async def test_close_leaves_a_socket_that_is_not_ours(deck: Path, env: Env) -> None:
    talk = Talk(deck, env)
    await talk.leader.start()
    path = socket_path_for(deck, env)
    path.unlink()
    path.write_text("someone else's")
    await talk.leader.close()
    assert path.read_text() == "someone else's"


async def test_followers_survive_the_leader_and_reconnect(deck: Path, env: Env) -> None:
    talk = Talk(deck, env, slide=3)
    await talk.leader.start()
    views = [View(deck, env), View(deck, env, role="notes")]
    await started(*views)
    await talk.leader.close()
    await until(lambda: all(v.disconnects == 1 and not v.follower.connected for v in views))
    views[0].follower.goto(5)  # alone: silently not sent
    again = Talk(deck, env, count=12, slide=8)
    await again.leader.start()
    await until(lambda: all(v.connects == 2 and v.last == (8, 12) for v in views), timeout=5.0)
    assert again.gotos == []
    await closing(*views, again)


RUNNING = Shared("running", 95.5, 12.25, False)


async def test_clock_and_blank_reach_every_follower_late_ones_too(deck: Path, env: Env) -> None:
    talk = Talk(deck, env, slide=4, shared=Shared("idle", 0.0, 0.0, False))
    await talk.leader.start()
    early = View(deck, env, role="notes")
    await started(early)
    assert early.shared == [Shared("idle", 0.0, 0.0, False)]
    talk.shared = RUNNING
    talk.leader.publish(4, 10, RUNNING)  # the clock started: no slide change, still sent
    await until(lambda: early.shared[-1:] == [RUNNING])
    blank = talk.shared = Shared("running", 100.0, 16.75, True)
    talk.leader.publish(4, 10, blank)
    late = View(deck, env)
    await started(late)
    await until(lambda: early.shared[-1:] == [blank] and late.shared == [blank])
    assert early.states == late.states == [(4, 10)]
    await closing(early, late, talk)


async def test_a_late_follower_gets_the_clock_as_it_is_now(deck: Path, env: Env) -> None:
    """A published state ages: greetings and repeated answers read the clock again."""
    talk = Talk(deck, env, slide=4, shared=Shared("running", 0.0, 0.0, False))
    await talk.leader.start()
    talk.shared = Shared("running", 30.0, 30.0, False)  # 30 s later, nothing published
    late = View(deck, env, role="notes")
    await started(late)
    assert late.shared == [Shared("running", 30.0, 30.0, False)]
    talk.shared = Shared("running", 42.0, 42.0, False)
    late.follower.goto(4)  # a goto that changes nothing is answered with the state now
    await until(lambda: late.shared[-1:] == [talk.shared])
    await closing(late, talk)


async def test_a_followers_timer_keys_reach_the_leader(deck: Path, env: Env) -> None:
    talk = Talk(deck, env)
    await talk.leader.start()
    view = View(deck, env, role="notes")
    assert not view.follower.timer("toggle")  # not connected: the view applies it alone
    await started(view)
    assert view.follower.timer("toggle") and view.follower.timer("reset")
    await until(lambda: talk.timers == ["toggle", "reset"])
    with pytest.raises(ValueError):
        view.follower.timer("explode")
    await closing(view, talk)


async def test_a_restarted_leader_adopts_the_state_its_followers_hold(deck: Path, env: Env) -> None:
    talk = Talk(deck, env, slide=7, shared=RUNNING)
    await talk.leader.start()
    notes, audience = View(deck, env, role="notes"), View(deck, env)
    await started(notes, audience)
    await talk.leader.close()
    await until(lambda: notes.disconnects == audience.disconnects == 1)
    held = Shared("running", 140.0, 56.5, True)  # their clocks ran on meanwhile
    notes.held = audience.held = held
    again = Talk(deck, env, slide=1, shared=Shared("idle", 0.0, 0.0, False), adopt=True)
    assert again.leader.adopting
    await again.leader.start()
    await until(lambda: notes.connects == audience.connects == 2, timeout=5.0)
    assert again.adopted == [(7, held)]  # the first hello only
    assert not again.leader.adopting
    assert again.slide == 7 and again.shared == held
    # Nobody was thrown back to slide 1 on the way, and nobody's clock went back to 0:00.
    assert set(notes.states) == set(audience.states) == {(7, 10)}
    assert notes.shared[-1] == audience.shared[-1] == held
    assert all(s.elapsed > 0 for s in notes.shared + audience.shared)
    await closing(notes, audience, again)


async def test_a_restarted_leader_told_where_to_start_adopts_nothing(deck: Path, env: Env) -> None:
    talk = Talk(deck, env, slide=7, shared=RUNNING)
    await talk.leader.start()
    view = View(deck, env, role="notes")
    await started(view)
    await talk.leader.close()
    await until(lambda: view.disconnects == 1)
    view.held = RUNNING
    again = Talk(deck, env, slide=3, shared=Shared("idle", 0.0, 0.0, False))  # `--slide 3`
    await again.leader.start()
    await until(lambda: view.connects == 2 and view.last == (3, 10), timeout=5.0)
    assert again.adopted == [] and view.shared[-1] == Shared("idle", 0.0, 0.0, False)
    await closing(view, again)


async def test_an_adopting_leader_stops_when_its_presenter_moves(deck: Path, env: Env) -> None:
    again = Talk(deck, env, slide=1, adopt=True)
    await again.leader.start()
    fresh = View(deck, env)  # a view that never followed anyone holds nothing to adopt
    await started(fresh)
    assert fresh.states == [(1, 10)] and again.leader.adopting
    again.leader.stop_adopting()
    again.on_goto(2)
    await until(lambda: fresh.last == (2, 10))
    assert again.adopted == []
    await closing(fresh, again)


def count_attempts(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The runtime folder of each attempt to reach a leader (every attempt checks it first)."""
    tried: list[Path] = []
    check = runtime._check_private_dir

    def counted(path: Path) -> None:
        tried.append(path)
        check(path)

    monkeypatch.setattr(follower, "_check_private_dir", counted)
    return tried


async def test_follower_without_leader_keeps_waiting(
    deck: Path, env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    tried = count_attempts(monkeypatch)
    view = View(deck, env)
    await view.follower.start()
    await until(lambda: len(tried) >= 2)  # it tried, found no leader, and tries again
    assert not view.follower.connected and view.follower.last_error is None
    view.follower.goto(2)  # dropped, no error
    talk = Talk(deck, env, slide=2)
    await talk.leader.start()
    await until(lambda: view.follower.connected and view.states == [(2, 10)], timeout=5.0)
    await closing(view, talk)


async def test_follower_refuses_socket_with_wrong_mode(
    deck: Path, env: Env, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    tried = count_attempts(monkeypatch)
    talk = Talk(deck, env)
    await talk.leader.start()
    socket_path_for(deck, env).chmod(0o666)
    view = View(deck, env)
    with caplog.at_level(logging.WARNING, logger="prexterm.sync"):
        await view.follower.start()
        await until(lambda: view.follower.last_error is not None)
        refused_at = len(tried)
        await until(lambda: len(tried) > refused_at, timeout=5.0)  # refused again, not let in
    assert not view.follower.connected and talk.leader.followers == 0
    assert "socket has wrong owner/permissions" in (view.follower.last_error or "")
    assert "wrong owner/permissions" in caplog.text
    await closing(view, talk)


async def test_follower_refuses_an_open_runtime_dir(deck: Path, env: Env) -> None:
    talk = Talk(deck, env)
    await talk.leader.start()
    socket_path_for(deck, env).parent.chmod(0o755)
    view = View(deck, env)
    await view.follower.start()
    await until(lambda: view.follower.last_error is not None)
    assert "lets others in" in (view.follower.last_error or "")
    assert not view.follower.connected
    socket_path_for(deck, env).parent.chmod(0o700)
    await closing(view, talk)


async def test_leader_refuses_an_open_runtime_dir(deck: Path, env: Env) -> None:
    path = socket_path_for(deck, env)
    path.parent.mkdir(mode=0o777)
    path.parent.chmod(0o777)
    with pytest.raises(SyncError, match="lets others in"):
        await Talk(deck, env).leader.start()


async def test_leader_refuses_peers_of_another_uid(
    deck: Path, env: Env, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    talk = Talk(deck, env)
    await talk.leader.start()
    path = str(socket_path_for(deck, env))
    real = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: real + 1000)  # now every peer is "someone else"
    with caplog.at_level(logging.WARNING, logger="prexterm.sync"):
        reader, writer = await asyncio.open_unix_connection(path)
        assert await asyncio.wait_for(reader.read(), 2.0) == b""  # closed, nothing sent
    assert "refused a connection from uid" in caplog.text
    assert talk.leader.followers == 0
    writer.close()
    monkeypatch.undo()
    await talk.leader.close()


async def test_too_long_socket_path_is_a_clear_error(deck: Path, tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    with pytest.raises(SyncError, match="too long"):
        await Talk(deck, {"XDG_RUNTIME_DIR": str(deep)}).leader.start()


# -- several processes --------------------------------------------------------------------

LEADER_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from prexterm.services.sync.leader import SyncLeader

    async def main() -> None:
        leader = None

        def on_goto(slide: int, step: int) -> None:
            print("goto", slide, flush=True)
            leader.publish(min(slide, 8), 8)

        env = {"XDG_RUNTIME_DIR": sys.argv[2]}
        leader = SyncLeader(Path(sys.argv[1]), on_goto=on_goto, env=env)
        leader.publish(3, 8)
        await leader.start()
        print("ready", flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)
        await leader.close()
        print("closed", flush=True)

    asyncio.run(main())
    """
)


async def spawn_leader(deck: Path, env: Env) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        LEADER_SCRIPT,
        str(deck),
        env["XDG_RUNTIME_DIR"],
        cwd=REPO,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert await read_line(process) == "ready"
    return process


async def read_line(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    return (await asyncio.wait_for(process.stdout.readline(), 10.0)).decode().strip()


async def finish(process: asyncio.subprocess.Process, step: Callable[[], Awaitable[None]]) -> None:
    try:
        await step()
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()


async def test_leader_in_another_process(deck: Path, env: Env) -> None:
    process = await spawn_leader(deck, env)

    async def step() -> None:
        mover, other = View(deck, env, role="notes"), View(deck, env)
        await started(mover, other)
        assert mover.states == other.states == [(3, 8)]
        mover.follower.goto(6)
        assert await read_line(process) == "goto 6"
        await until(lambda: other.last == (6, 8))
        with pytest.raises(LeaderAlreadyRunning):
            await Talk(deck, env).leader.start()
        assert process.stdin is not None
        process.stdin.close()
        assert await read_line(process) == "closed"
        await until(lambda: mover.disconnects == other.disconnects == 1)
        assert not socket_path_for(deck, env).exists()
        await closing(mover, other)

    await finish(process, step)


async def test_crashed_leader_is_replaced(deck: Path, env: Env) -> None:
    process = await spawn_leader(deck, env)

    async def step() -> None:
        view = View(deck, env)
        await started(view)
        process.kill()  # no cleanup at all: the socket file stays behind
        await process.wait()
        await until(lambda: view.disconnects == 1)
        assert socket_path_for(deck, env).exists()
        talk = Talk(deck, env, count=8, slide=5)
        await talk.leader.start()
        await until(lambda: view.last == (5, 8), timeout=5.0)
        # A link made while the old leader was dying never counted as a connection.
        assert (view.connects, view.disconnects) == (2, 1)
        view.follower.goto(7)
        await until(lambda: talk.gotos == [7])
        await closing(view, talk)

    await finish(process, step)


def test_follower_in_another_process(deck: Path, env: Env) -> None:
    """`python -c` followers against a leader in this process (its own event loop)."""
    script = textwrap.dedent(
        """
        import asyncio, sys
        from pathlib import Path
        from prexterm.services.sync.follower import SyncFollower

        async def main() -> None:
            done = asyncio.Event()
            def on_state(slide: int, count: int, step: int) -> None:
                print("state", slide, count, flush=True)
                if slide == 9:
                    done.set()
            follower = SyncFollower(Path(sys.argv[1]), role="follow", on_state=on_state,
                                    env={"XDG_RUNTIME_DIR": sys.argv[2]})
            await follower.start()
            await asyncio.wait_for(done.wait(), 10)
            await follower.close()

        asyncio.run(main())
        """
    )

    async def main() -> list[str]:
        talk = Talk(deck, env, count=9, slide=2)
        await talk.leader.start()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            script,
            str(deck),
            env["XDG_RUNTIME_DIR"],
            cwd=REPO,
            stdout=asyncio.subprocess.PIPE,
        )
        lines = [await read_line(process)]
        talk.leader.publish(9, 9)
        lines.append(await read_line(process))
        await process.wait()
        await talk.leader.close()
        return lines

    assert asyncio.run(main()) == ["state 2 9", "state 9 9"]


@pytest.mark.parametrize(
    "message",
    [
        Goto(4, "abc", 2, step=3),
        State(4, 9, shared=Shared("running", 1.0, 0.5, False), step=2),
        Hello("follow", 4, Shared("paused", 3.0, 1.0, True), step=5),
    ],
)
def test_the_step_travels_with_the_slide(message: protocol.Message) -> None:
    assert decode_message(encode_message(message).rstrip(b"\n")) == message


def test_a_message_without_a_step_means_the_first_step() -> None:
    decoded = decode_message(b'{"v": 3, "type": "state", "slide": 2, "count": 5}')
    assert isinstance(decoded, State) and decoded.step == 1


@pytest.mark.parametrize(
    "line",
    [
        b'{"v": 2, "type": "state", "slide": 2, "count": 5}',
        b'{"v": 3, "type": "goto", "slide": 2, "step": 0, "sender": "x"}',
        b'{"v": 3, "type": "goto", "slide": 2, "step": true, "sender": "x"}',
        b'{"v": 3, "type": "hello", "role": "notes", "step": 2}',
        b'{"v": 3, "type": "timer", "action": "reset", "step": 2}',
    ],
)
def test_steps_of_another_version_or_out_of_place_are_refused(line: bytes) -> None:
    with pytest.raises(ProtocolError):
        decode_message(line)

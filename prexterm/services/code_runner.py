"""Run the code of a `!code` block and stream what it prints, live.

This module is the engine behind the live-code panels. It knows nothing of the UI
toolkit (pure asyncio and the standard library), so the player drives it from its own
workers and repaints at the pace it chooses, and tests drive it with plain asyncio.

Permission
    Running code from a deck is dangerous: a deck is a document, and documents get
    shared. Whether execution is allowed at all (`--allow-exec`) is decided by the
    app before it calls `CodeRunner.start`; nothing here asks.

API
    `CodeRunner(kill_after=2.0, on_change=None)` owns every run; the app keeps one.

    - `await runner.start(key, block, code_override=None)` returns a `CodeRun`, or a
      `RunRefused` whose `message` is ready for the user (no runner known, runner not
      found, code file missing, the program could not be started). It never raises
      for those. Starting again with a key that has a run stops that run first and
      waits for it (a rerun). `key` is whatever identifies an output panel, for
      example `(slide_number, block_index)`.
    - `runner.run_for(key)` is the run shown for that key, running or finished.
    - `runner.forget(key)` closes the panel: the run is stopped if it still runs.
    - `await runner.shutdown()` stops every program and waits until all are gone;
      `runner.kill_now()` is the synchronous last resort (SIGKILL to every session).

    A `CodeRun` is one execution of one block:

    - `lines`: a `deque` of `(kind, text)` in the order the output was read, kind
      `"out"` (stdout), `"err"` (stderr) or `"status"` (the final status line, added
      once when the run ends). It keeps the last `MAX_LINES`; `dropped` counts the
      lines that fell off the front, so `dropped + len(lines)` is the total.
      The last entry may be a line still being written (no newline yet): it is shown
      at once and grows in place when the rest of the line arrives.
      The text is cleaned (see `prexterm.render.terminal_output`): no control
      character or escape sequence of the program is kept but SGR colour and style
      sequences, which the panel shows as styles; `plain_text` removes them. A line
      rewritten with carriage returns keeps its last state.
    - `version` goes up on every change and `changed` (an `asyncio.Event`) is set; a
      panel clears the event, repaints, and waits again, so it repaints at most as
      often as it likes however fast the program prints. `on_change(run)`, when
      given to the runner, is called on the same occasions (once per chunk read,
      not per line).
    - `running`, `returncode`, `status_text` ("running", "exited normally",
      "exited with status N", "killed by signal NAME", "stopped"), `pid`,
      `argv`, `cwd`, `started_at`, `first_output_at`, `ended_at` (all
      `time.monotonic()`; `first_output_at` is None until something is printed).
    - `await run.wait()` waits for the end and returns the return code
      (negative: the signal that ended it). `run.stop()` sends SIGTERM to every
      process of the program's session now and SIGKILL `kill_after` seconds later
      if anything in the session is still alive.

How a program is run
    Without a shell: argv is the block's runner (already split like a shell would)
    followed by the path of a private copy of the code (see below), the working
    directory is the code file's directory, stdin is /dev/null (a program that reads
    input gets end of file at once instead of hanging the talk) and the program leads
    a new session, so stopping it stops everything it started, whatever process groups
    those programs made for themselves (`set -m`, `timeout`): every process whose
    session id is the run's. `PYTHONUNBUFFERED=1` is set so Python demos stream even
    with the default `python3` runner. The program is started in a worker thread, so
    the event loop (the player's keys) never waits for the new process to begin, which
    takes long on a busy machine.

    What runs is the code the parser read, checked and showed (`block.code`), or
    `code_override` when the presenter edited it on stage, never the deck's file
    itself: that file may have been swapped for a link to something outside the deck
    root since it was read, and the audience should see exactly what runs. The text is
    written to a private file (mode 0600 in a fresh 0700 `mkdtemp` directory) with the
    original file's name, so runners that look at the extension still work, and run
    from the original file's directory so relative paths in the demo still resolve
    (its own path, such as Python's `__file__`, is the copy's). The original file is
    never touched; the private directory is removed when the run ends. A runnable
    fenced block (`+exec`) has no file: its copy is named from its line and language
    and it runs in the deck's folder, where nothing is ever written (the watcher
    watches it).

    When the program ends, whatever it left running in its session (a background
    `sleep &`, say) is stopped too: a finished demo leaves nothing behind,
    and nothing outlives the player. A program that leaves its session on purpose
    (`setsid`, a daemon) is out of reach, as with any terminal.

Ordering of stdout and stderr
    Both pipes are read concurrently and every chunk is added the moment it is read,
    so lines appear in the order they arrived. Two pipes cannot give a perfect
    interleaving: a program that writes to both within a few milliseconds may see
    those lines swapped, and a program that buffers its output (C stdio to a pipe)
    shows it in the order it flushed, not the order it printed. A pty would merge the
    streams and lose which line was an error, which the panel needs to show.

Floods
    Reading is done in chunks of up to 64 KiB, turned into lines in bulk, and the
    reader yields to the event loop after every chunk, so `yes` cannot freeze the
    player; memory stays bounded by the deque (and by `MAX_LINE_CHARS` for a line
    that never ends).
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

from prexterm.core.languages import command_line, run_refusal
from prexterm.core.model import CodeBlock
from prexterm.render.terminal_output import REDRAW, TerminalOutputCleaner, plain_text

if TYPE_CHECKING:
    from prexterm.services.recordings import Recording, RecordingStore

__all__ = [
    "MAX_LINES",
    "MAX_LINE_CHARS",
    "CodeRun",
    "CodeRunner",
    "Line",
    "LineKind",
    "RunRefused",
    "command_line",
    "session_members",
    "signal_session",
]

LineKind = Literal["out", "err", "status"]
Line = tuple[LineKind, str]

MAX_LINES = 5000
"""How many output lines a run keeps; older ones are dropped and counted."""

MAX_LINE_CHARS = 10_000
"""A line longer than this is cut into pieces, so a program that never prints a newline
cannot grow one line without bound."""

_CHUNK = 65536
_DRAIN_GRACE = 0.2
"""How long the output may keep flowing once the program itself has exited, before
whatever still holds its pipes is taken for leftovers and stopped."""
_POLL = 0.02
_EOF_AFTER_KILL = 1.0
PTY_SIZE = (80, 24)
"""Columns and rows of a pseudo-terminal when the panel's size is not given."""
_PTY_TOKENS = re.compile(r"(\r|\n|\x1b\[[0-9]*[ABEFK])")

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RunRefused:
    """Why a block was not started, in words ready for the presenter."""

    message: str


def _find_executable(name: str, cwd: Path) -> bool:
    """Whether `name` can be executed the way the child will look it up.

    A bare name is searched on PATH; a name with a slash is taken relative to the
    directory the program runs in, as exec does after the child changed directory.
    """
    if os.sep in name or (os.altsep is not None and os.altsep in name):
        candidate = cwd / name
        return candidate.is_file() and os.access(candidate, os.X_OK)
    return shutil.which(name) is not None


def _describe(returncode: int) -> str:
    if returncode == 0:
        return "exited normally"
    if returncode > 0:
        return f"exited with status {returncode}"
    try:
        name = signal.Signals(-returncode).name
    except ValueError:
        name = str(-returncode)
    return f"killed by signal {name}"


_KILL_PASSES = 10
"""How many times SIGKILL sweeps a session: a process may fork between the reading of
the process table and its own death, and its child is caught by the next sweep."""


def _session_of(pid: str | int) -> int | None:
    """The session id of live process `pid`; None when it has ended (zombies have)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return None
    # After "(comm)": state, ppid, pgrp, session, ... (comm itself may hold spaces).
    fields = stat[stat.rfind(b")") + 2 :].split()
    if len(fields) < 4 or fields[0] in (b"Z", b"X"):
        return None
    return int(fields[3])


def session_members(sid: int) -> list[int] | None:
    """The processes of session `sid` that have not ended (zombies have), by pid.

    A run leads its own session, and everything it starts stays in that session unless
    it calls `setsid` itself, whatever process groups it makes on the way (`set -m`,
    `timeout`, a job-control shell). So the session, not the first process group, is
    what stopping a run must reach. None where there is no /proc to read.
    """
    try:
        entries = os.scandir("/proc")
    except OSError:
        return None
    with entries:
        names = [entry.name for entry in entries if entry.name.isdigit()]
    return [int(name) for name in names if _session_of(name) == sid]


def _signal_member(pid: int, sid: int, sig: signal.Signals) -> None:
    """Send `sig` to `pid` if it still belongs to session `sid`.

    Through a pidfd where the system has them: the process is pinned first and its
    session checked after, so a pid that ended and went to another program in between
    is never signalled. Elsewhere the pid is signalled right after it was read.
    """
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    except (AttributeError, OSError):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)
        return
    try:
        if _session_of(pid) == sid:
            signal.pidfd_send_signal(fd, sig)
    except OSError:
        pass
    finally:
        os.close(fd)


def signal_session(sid: int, sig: signal.Signals) -> bool:
    """Send `sig` to every process of session `sid`; whether any was found.

    Without /proc only the session's first process group (whose id is `sid`) is reached.
    SIGKILL sweeps again until nothing is left, so a child forked during a sweep dies too.
    The session id cannot be handed to a new process while any member is alive.
    """
    passes = _KILL_PASSES if sig == signal.SIGKILL else 1
    hit = False
    for _ in range(passes):
        members = session_members(sid)
        if members is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(sid, sig)
                return True
            return hit
        if not members:
            return hit
        hit = True
        for pid in members:
            _signal_member(pid, sid, sig)
    return hit


def _overwritten(line: str) -> str:
    """What a line shows after carriage returns: the last piece with visible text.

    A progress bar that rewrites its line shows its last state. A carriage return at
    the very end (nothing written over the line yet) leaves the line as it was.
    """
    if "\r" not in line:
        return line
    pieces = line.split("\r")
    for piece in reversed(pieces):
        if plain_text(piece):
            return piece
    return pieces[-1]


class CodeRun:
    """One execution of one block: its process, its output so far, and how it ended.

    Built by `CodeRunner.start`; the attributes are read by the UI, never written.
    """

    def __init__(
        self,
        key: Hashable,
        block: CodeBlock,
        process: _Program,
        argv: tuple[str, ...],
        cwd: Path,
        *,
        kill_after: float,
        private_dir: Path | None,
        on_change: Callable[[CodeRun], None] | None,
        on_end: Callable[[CodeRun], None],
        terminal: asyncio.StreamReader | None = None,
        terminal_fd: int | None = None,
    ) -> None:
        self.key = key
        self.block = block
        self.argv = argv
        self.cwd = cwd
        self.pid: int = process.pid
        self.lines: deque[Line] = deque(maxlen=MAX_LINES)
        self.dropped = 0
        self.version = 0
        self.changed = asyncio.Event()
        self.running = True
        self.returncode: int | None = None
        self.status_text = "running"
        self.started_at = time.monotonic()
        self.first_output_at: float | None = None
        self.ended_at: float | None = None
        self.stopping = False

        self._process = process
        self._kill_after = kill_after
        self._private_dir = private_dir
        self._on_change = on_change
        self._on_end = on_end
        self._open: LineKind | None = None
        """The stream whose unfinished line is the last entry of `lines`, if any."""
        self.terminal = terminal is not None
        """Whether the program writes to a pseudo-terminal (`+pty`), not to two pipes."""
        self._terminal = terminal
        self._terminal_fd = terminal_fd
        """A copy of the pseudo-terminal's own end, the run's to close: resized there."""
        self._size: tuple[int, int] | None = None
        self._back = 0
        """In a pseudo-terminal: the cursor's line, counted back from the last line."""
        self._fresh = False
        """In a pseudo-terminal: whether text written next replaces the cursor's line."""
        self._finished = asyncio.Event()
        self._killer: asyncio.Task[None] | None = None
        self.code_override: str | None = None
        """The edited code that ran in place of the block's, if any."""
        self.recorded = False
        """Whether this is recorded output replayed (see `CodeRunner.replay`), not a run."""
        self.saved_for_replay = False
        """Whether this run's output was recorded for a later replay (`prexterm rehearse`)."""
        self._task: asyncio.Task[None] | None = asyncio.create_task(
            self._drive(), name=f"prexterm code run {self.pid}"
        )

    @classmethod
    def replaying(cls, key: Hashable, block: CodeBlock, recording: Recording) -> CodeRun:
        """A finished run that shows `recording`: no program runs, nothing can be stopped.

        Its status says plainly that the output was recorded, and when.
        """
        run = cls.__new__(cls)
        run.key, run.block, run.argv, run.cwd = key, block, recording.argv, Path()
        run.pid = 0
        run.lines = deque(maxlen=MAX_LINES)
        run.lines.extend(
            (("out" if kind == "out" else "err"), text) for kind, text in recording.lines
        )
        run.dropped = 0
        run.version = 1
        run.changed = asyncio.Event()
        run.changed.set()
        run.running = False
        run.returncode = 0
        run.status_text = recording.badge
        run.started_at = run.ended_at = time.monotonic()
        run.first_output_at = run.started_at
        run.stopping = False
        run.terminal = block.attributes.pty
        run.code_override = None
        run.recorded = True
        run.saved_for_replay = False
        run._terminal_fd = None
        run.lines.append(("status", recording.badge))
        run._task = None
        run._killer = None
        run._finished = asyncio.Event()
        run._finished.set()
        return run

    def __repr__(self) -> str:
        return f"<CodeRun {self.key!r} pid={self.pid} {self.status_text}>"

    # -- control -------------------------------------------------------------

    async def wait(self) -> int | None:
        """Wait until the program and its output have ended; the return code.

        Cancelling the waiter does not cancel the run.
        """
        if self._task is not None:
            await asyncio.shield(self._task)
        return self.returncode

    def stop(self) -> None:
        """Ask the whole session to end (SIGTERM), and kill it if it does not.

        SIGKILL follows `kill_after` seconds later if anything in the session is still
        there. Calling it again, or on a finished run, does nothing.
        """
        if not self.running or self.stopping:
            return
        self.stopping = True
        self._signal_group(signal.SIGTERM)
        self._killer = asyncio.create_task(self._kill_later())

    def resize(self, size: tuple[int, int]) -> None:
        """Give a `+pty` program's terminal `size` (columns, rows), as a terminal whose
        window was resized does: the size changes and the program is sent SIGWINCH
        (its terminal is not its controlling one, so the system would not send it).
        Nothing for a pipe run, a run that ended, or a size it already has."""
        fd = self._terminal_fd
        if fd is None or not self.running or size == self._size:
            return
        self._size = size
        try:
            _set_terminal_size(fd, size)
        except OSError:
            return
        signal_session(self.pid, signal.SIGWINCH)

    def kill_now(self) -> None:
        """SIGKILL the whole session at once: the synchronous last resort at exit."""
        if self.running:
            self.stopping = True
            self._signal_group(signal.SIGKILL)

    async def _kill_later(self) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._finished.wait(), self._kill_after)
        if not self._finished.is_set():
            self._signal_group(signal.SIGKILL)

    def _signal_group(self, sig: signal.Signals) -> None:
        """Signal every process of the program's session (its id is the program's pid)."""
        signal_session(self.pid, sig)

    def _group_alive(self) -> bool:
        """Whether any process of the program's session is still running."""
        members = session_members(self.pid)
        if members is not None:
            return bool(members)
        try:
            os.killpg(self.pid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True

    # -- output ----------------------------------------------------------------

    def _notify(self) -> None:
        self.version += 1
        self.changed.set()
        if self._on_change is not None:
            try:
                self._on_change(self)
            except Exception:
                _log.exception("code run listener failed")

    def _append(self, items: list[Line]) -> None:
        overflow = len(self.lines) + len(items) - MAX_LINES
        if overflow > 0:
            self.dropped += overflow
            if len(items) > MAX_LINES:
                items = items[-MAX_LINES:]
        self.lines.extend(items)

    def _add(self, kind: LineKind, text: str) -> None:
        """Add decoded output of one stream: whole lines, then any unfinished tail.

        The first piece continues this stream's unfinished line when that line is
        still the last one shown; otherwise it starts a new line.
        """
        if self.first_output_at is None:
            self.first_output_at = time.monotonic()
        pieces = text.split("\n")
        tail = pieces.pop()
        if self._open == kind and self.lines:
            head = self.lines[-1][1] + (pieces[0] if pieces else tail)
            if pieces:
                pieces[0] = head
            else:
                tail = head
            self.lines.pop()
        self._open = None
        if "\r" in text:
            pieces = [_overwritten(p) for p in pieces]
            tail = _overwritten(tail)
        if pieces and max(map(len, pieces)) > MAX_LINE_CHARS:
            pieces = [
                p[i : i + MAX_LINE_CHARS]
                for p in pieces
                for i in range(0, len(p) or 1, MAX_LINE_CHARS)
            ]
        items: list[Line] = list(zip(repeat(kind), pieces))
        while len(tail) > MAX_LINE_CHARS:
            items.append((kind, tail[:MAX_LINE_CHARS]))
            tail = tail[MAX_LINE_CHARS:]
        if tail:
            items.append((kind, tail))
            self._open = kind
        self._append(items)
        self._notify()

    def _redraw(self, kind: LineKind, text: str) -> None:
        """Add output of a pseudo-terminal, where lines are redrawn in place.

        A carriage return, an erased line and a move up or down make the next text
        replace the line the cursor is on (a terminal would write over it; progress bars
        write their whole line again), so a bar shows its last state on its own line.
        The cursor never leaves this run's lines; a newline below the last adds one.
        """
        if self.first_output_at is None:
            self.first_output_at = time.monotonic()
        lines = self.lines
        if not lines:
            lines.append((kind, ""))
            self._back = 0
        for index, token in enumerate(_PTY_TOKENS.split(text)):
            if not token:
                continue
            if not index % 2:  # text between the controls (split keeps them at odd places)
                self._write(kind, token)
            elif token == "\n":
                if self._back > 0:
                    self._back -= 1
                    self._fresh = True
                else:
                    self._append([(kind, "")])
                    self._fresh = False
            elif token == "\r":
                self._fresh = True
            else:
                self._move(token, kind)
        self._notify()

    def _write(self, kind: LineKind, text: str) -> None:
        """Text at the cursor: it replaces the cursor's line or goes on from its end."""
        lines = self.lines
        index = len(lines) - 1 - self._back
        line = text if self._fresh else lines[index][1] + text
        self._fresh = False
        if len(line) > MAX_LINE_CHARS:
            line = line[-MAX_LINE_CHARS:]
        lines[index] = (kind, line)

    def _move(self, token: str, kind: LineKind) -> None:
        """Apply one redrawing sequence (see `REDRAW`) to the cursor and its line."""
        match = REDRAW.fullmatch(token)
        if match is None:
            return
        count, letter = match.group(1), match.group(2)
        lines = self.lines
        if letter == "K":
            if count == "2" or self._fresh or count == "1":
                lines[len(lines) - 1 - self._back] = (kind, "")
                self._fresh = True
            return
        steps = max(1, int(count or 1))
        at_start = self._fresh or not plain_text(lines[len(lines) - 1 - self._back][1])
        self._fresh = at_start or letter in "EF"
        if letter in "AF":
            self._back = min(self._back + steps, len(lines) - 1)
        else:
            self._back = max(self._back - steps, 0)

    async def _pump(self, stream: asyncio.StreamReader | None, kind: LineKind) -> None:
        """Read one pipe to its end, chunk by chunk, yielding to the loop between chunks."""
        if stream is None:
            return
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        cleaner = TerminalOutputCleaner(redraw=self.terminal)
        add = self._redraw if self.terminal else self._add
        while True:
            try:
                chunk = await stream.read(_CHUNK)
            except OSError:
                # A pseudo-terminal whose last writer closed it reads as an error (EIO).
                chunk = b""
            text = cleaner.feed(decoder.decode(chunk, final=not chunk))
            if not chunk:
                text += cleaner.finish()
            if text:
                add(kind, text)
            if not chunk:
                return
            # A full pipe makes read() return without suspending; give the loop a turn.
            await asyncio.sleep(0)

    # -- life cycle --------------------------------------------------------------

    async def _drive(self) -> None:
        """Read both pipes until the program and everything it left behind are gone."""
        process = self._process
        if self._terminal is not None:
            readers = [asyncio.create_task(self._pump(self._terminal, "out"))]
        else:
            readers = [
                asyncio.create_task(self._pump(process.stdout, "out")),
                asyncio.create_task(self._pump(process.stderr, "err")),
            ]
        try:
            returncode = await self._exited(readers)
            _, pending = await asyncio.wait(readers, timeout=_DRAIN_GRACE)
            if pending or self._group_alive():
                await self._end_leftovers(readers)
            self._finish(returncode)
        except asyncio.CancelledError:
            self._signal_group(signal.SIGKILL)
            self._finish(process.returncode)
            raise
        finally:
            if self._terminal_fd is not None:
                os.close(self._terminal_fd)
                self._terminal_fd = None
            for reader in readers:
                reader.cancel()
            if self._killer is not None and not self._killer.done():
                self._killer.cancel()
            if self._private_dir is not None:
                shutil.rmtree(self._private_dir, ignore_errors=True)
            self._on_end(self)

    async def _exited(self, readers: list[asyncio.Task[None]]) -> int:
        """Wait for the program itself to exit; its return code.

        Not `Process.wait()`: before Python 3.12 it also waits for the pipes to close,
        which a background child holding them may never do. The return code is set as
        soon as the child is reaped, so watch it, waking early when both pipes close.
        """
        process = self._process
        while process.returncode is None:
            if all(reader.done() for reader in readers):
                return await process.wait()
            await asyncio.wait(readers, timeout=_POLL)
        return process.returncode

    async def _end_leftovers(self, readers: list[asyncio.Task[None]]) -> None:
        """The program has exited but its session lives on: TERM it, then KILL it."""
        loop = asyncio.get_running_loop()
        if not self.stopping:
            self._signal_group(signal.SIGTERM)
        deadline = loop.time() + self._kill_after
        while loop.time() < deadline:
            if all(r.done() for r in readers) and not self._group_alive():
                return
            await asyncio.sleep(_POLL)
        self._signal_group(signal.SIGKILL)
        # After SIGKILL the pipes close, unless a process that left the session holds them.
        await asyncio.wait(readers, timeout=_EOF_AFTER_KILL)

    def _finish(self, returncode: int | None) -> None:
        if not self.running:
            return
        self.running = False
        self.returncode = returncode
        self.ended_at = time.monotonic()
        if self.stopping or returncode is None:
            self.status_text = "stopped"
        else:
            self.status_text = _describe(returncode)
        self._open = None
        if self.terminal and self.lines and not self.lines[-1][1]:
            self.lines.pop()  # the line after the last newline, where nothing was written
        self._append([("status", self.status_text)])
        self._finished.set()
        self._notify()


class CodeRunner:
    """Every run of the player, by panel key; one per app.

    `kill_after` is how long a stopped program gets between SIGTERM and SIGKILL.
    """

    def __init__(
        self,
        *,
        kill_after: float = 2.0,
        on_change: Callable[[CodeRun], None] | None = None,
        recordings: RecordingStore | None = None,
        record: bool = False,
    ) -> None:
        self.kill_after = kill_after
        self.on_change = on_change
        self.recordings = recordings
        """Where recorded output is kept (None: the user's state folder)."""
        self.record = record
        """Whether every run that ends well is recorded (`prexterm rehearse`)."""
        self._runs: dict[Hashable, CodeRun] = {}
        self._active: set[CodeRun] = set()
        self._closed = False

    def run_for(self, key: Hashable) -> CodeRun | None:
        """The run shown in the panel `key`, running or finished, if any."""
        return self._runs.get(key)

    @property
    def running(self) -> list[CodeRun]:
        """The runs whose programs have not ended yet."""
        return [run for run in self._active if run.running]

    def forget(self, key: Hashable) -> None:
        """Close the panel `key`: stop its program if it still runs, drop its output."""
        run = self._runs.pop(key, None)
        if run is not None:
            run.stop()

    async def start(
        self,
        key: Hashable,
        block: CodeBlock,
        *,
        code_override: str | None = None,
        size: tuple[int, int] | None = None,
    ) -> CodeRun | RunRefused:
        """Run `block` (or `code_override` in its place) in the panel `key`.

        A run already in that panel is stopped and waited for first. A block marked
        `+pty` runs in a pseudo-terminal of `size` (columns, rows: the output panel's;
        `PTY_SIZE` when not given).
        """
        previous = self._runs.pop(key, None)
        if previous is not None:
            previous.stop()
            await previous.wait()
        if self._closed:
            return RunRefused("the player is shutting down")
        problem = run_refusal(block)
        if problem is not None:
            return RunRefused(problem)
        assert block.runner is not None
        # A fenced block (`+exec`) has no file: it runs in the deck's folder.
        cwd = block.workdir if block.asset.path is None else block.asset.path.parent
        assert cwd is not None
        if not _find_executable(block.runner[0], cwd):
            return RunRefused(f"runner not found: {block.runner[0]}")

        # The program is the code that was read, checked and shown, in a private copy:
        # the deck's file may have been swapped for a link to somewhere else since.
        private_dir: Path | None = None
        try:
            private_dir = Path(tempfile.mkdtemp(prefix="prexterm-run-"))
            code_path = private_dir / block.file_name
            fd = os.open(code_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(block.code if code_override is None else code_override)
            argv = (*block.runner, str(code_path))
            env = {**os.environ, "PYTHONUNBUFFERED": "1"}
            terminal_fd: int | None = None
            if block.attributes.pty:
                process, terminal, terminal_fd = await _start_in_terminal(
                    argv, cwd, env, size or PTY_SIZE
                )
            else:
                terminal = None
                process = await _Program.start(
                    argv, cwd, env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
                )
        except OSError as exc:
            if private_dir is not None:
                shutil.rmtree(private_dir, ignore_errors=True)
            return RunRefused(f"could not start {block.runner[0]}: {exc.strerror or exc}")

        run = CodeRun(
            key,
            block,
            process,
            argv,
            cwd,
            kill_after=self.kill_after,
            private_dir=private_dir,
            on_change=self.on_change,
            on_end=self._ended,
            terminal=terminal,
            terminal_fd=terminal_fd,
        )
        run._size = size or PTY_SIZE
        run.code_override = code_override
        self._active.add(run)
        raced = self._runs.get(key)
        if raced is not None:
            raced.stop()  # another start() for this panel finished while we waited
        self._runs[key] = run
        if self._closed:
            run.stop()
        return run

    def _store(self) -> RecordingStore:
        if self.recordings is None:
            from prexterm.services.recordings import RecordingStore, default_folder

            self.recordings = RecordingStore(default_folder())
        return self.recordings

    def _ended(self, run: CodeRun) -> None:
        self._active.discard(run)
        if self.record:
            try:
                saved = self._store().save(run, run.code_override)
            except OSError as exc:
                _log.warning("could not record the output of %s: %s", run.argv, exc)
                return
            if saved is not None:
                run.saved_for_replay = True
                run._notify()  # the panel says so

    def replay(
        self, key: Hashable, block: CodeBlock, *, code_override: str | None = None
    ) -> CodeRun | RunRefused:
        """Show the recorded output of `block` (or of its edited code) in the panel `key`.

        A run still going in that panel is stopped. Refused when there is no recording
        of exactly this code.
        """
        store = self._store()
        recording = store.load(block, code_override)
        if recording is None:
            state = store.state(block) if code_override is None else "missing"
            if state == "stale":
                return RunRefused("the recorded output is of older code: nothing to replay")
            return RunRefused("no recorded output for this code: record it in prexterm rehearse")
        previous = self._runs.pop(key, None)
        if previous is not None:
            previous.stop()
        run = CodeRun.replaying(key, block, recording)
        self._runs[key] = run
        return run

    async def shutdown(self) -> None:
        """Stop every program and wait until all of them, children included, are gone."""
        self._closed = True
        runs = list(self._active)
        for run in runs:
            run.stop()
        if runs:
            await asyncio.gather(*(run.wait() for run in runs), return_exceptions=True)

    def kill_now(self) -> None:
        """SIGKILL every running program's session without waiting (for abrupt exits)."""
        self._closed = True
        for run in list(self._active):
            run.kill_now()


class _Program:
    """A started program as a run reads it: its pid, its output and its end.

    Started in a worker thread, not on the event loop: starting a program waits until
    the new process has begun the runner (its exec), which on a busy machine may take a
    tenth of a second or more, and the player's keys must not wait on it. The program
    leads a new session, gets /dev/null as input, and a thread of its own waits for
    its end (as asyncio's own watcher of child processes does).
    """

    def __init__(
        self,
        popen: subprocess.Popen[bytes],
        stdout: asyncio.StreamReader | None,
        stderr: asyncio.StreamReader | None,
    ) -> None:
        self.pid = popen.pid
        self.returncode: int | None = None
        self.stdout = stdout
        self.stderr = stderr
        self._ended = asyncio.Event()
        loop = asyncio.get_running_loop()
        threading.Thread(
            target=self._reap, args=(popen, loop), name=f"prexterm wait {self.pid}", daemon=True
        ).start()

    @classmethod
    async def start(
        cls, argv: tuple[str, ...], cwd: Path, env: dict[str, str], *, stdout: int, stderr: int
    ) -> _Program:
        """Start `argv`; `stdout` and `stderr` are `subprocess.PIPE` (read here) or a file
        descriptor of the caller's. Raises OSError when it cannot be started."""
        popen = await _off_the_loop(
            lambda: subprocess.Popen(
                argv,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                start_new_session=True,
                env=env,
            )
        )
        try:
            readers = [await _reader_of(pipe) for pipe in (popen.stdout, popen.stderr)]
        except BaseException:
            _abandon(popen)
            raise
        return cls(popen, *readers)

    def _reap(self, popen: subprocess.Popen[bytes], loop: asyncio.AbstractEventLoop) -> None:
        returncode = popen.wait()
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody is waiting
            loop.call_soon_threadsafe(self._exited, returncode)

    def _exited(self, returncode: int) -> None:
        self.returncode = returncode
        self._ended.set()

    async def wait(self) -> int:
        """Wait for the program itself to end; its return code (negative: its signal)."""
        await self._ended.wait()
        assert self.returncode is not None
        return self.returncode


async def _off_the_loop(start: Callable[[], subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    """`start()` in a worker thread. Cancelled while it runs, the program it starts all
    the same is killed at once: nothing started may be left without a run to stop it."""
    started = asyncio.get_running_loop().run_in_executor(None, start)
    try:
        return await asyncio.shield(started)
    except asyncio.CancelledError:
        started.add_done_callback(
            lambda done: None if done.cancelled() or done.exception() else _abandon(done.result())
        )
        raise


def _abandon(popen: subprocess.Popen[bytes]) -> None:
    """Kill a program nobody will read, and every process of its session; reap it."""
    signal_session(popen.pid, signal.SIGKILL)
    for pipe in (popen.stdout, popen.stderr):
        if pipe is not None:
            pipe.close()
    threading.Thread(target=popen.wait, name=f"prexterm reap {popen.pid}", daemon=True).start()


async def _reader_of(pipe: IO[bytes] | None, limit: int = _CHUNK) -> asyncio.StreamReader | None:
    """A stream reader of the pipe `pipe` (which it then owns), read by the event loop;
    past twice `limit` bytes not read yet, it stops reading until the run catches up."""
    if pipe is None:
        return None
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=limit)
    try:
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), pipe)
    except BaseException:
        pipe.close()
        raise
    return reader


def _set_terminal_size(fd: int, size: tuple[int, int]) -> None:
    """Set the columns and rows of the pseudo-terminal `fd` is an end of."""
    import fcntl
    import struct
    import termios

    columns, rows = max(1, size[0]), max(1, size[1])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


async def _start_in_terminal(
    argv: tuple[str, ...], cwd: Path, env: dict[str, str], size: tuple[int, int]
) -> tuple[_Program, asyncio.StreamReader, int]:
    """Start a program whose output goes to a new pseudo-terminal of `size`; its reader,
    and a copy of the terminal's own end to resize it by (the caller closes it).

    Standard input is /dev/null (end of file at once), never the terminal, and the
    terminal is not the program's controlling terminal (it leads a new session and never
    opens one), so a program that asks the terminal something (its cursor place, its
    kind) and waits for the answer on /dev/tty is refused at once rather than waiting.
    Nothing is ever written to the terminal: the program gets no input at all.
    """
    master, slave = os.openpty()
    try:
        columns, rows = max(1, size[0]), max(1, size[1])
        _set_terminal_size(slave, (columns, rows))
        env = {
            **env,
            "TERM": "xterm-256color",
            "PAGER": "cat",
            "COLUMNS": str(columns),
            "LINES": str(rows),
        }
        env.pop("NO_COLOR", None)  # the panel shows colours whatever the player's theme
        process = await _Program.start(argv, cwd, env, stdout=slave, stderr=slave)
    except BaseException:
        os.close(master)
        raise
    finally:
        os.close(slave)  # the program holds it now: its end shows as the end of output
    own_end = os.dup(master)
    try:
        reader = await _reader_of(os.fdopen(master, "rb", buffering=0), _CHUNK * 4)
    except BaseException:
        os.close(own_end)
        raise
    assert reader is not None
    return process, reader, own_end

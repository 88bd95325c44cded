"""End to end: however a talk ends, nothing it started is left, and nothing of it lingers.

A demo script makes children in process groups of their own (`set -m`, `timeout`, one
that ignores SIGTERM) and writes their pids to a file; after Escape, `q`, SIGTERM,
SIGINT or a closed terminal, the process table must hold none of them. The ending by
signal must also restore the terminal, write the rehearsal report and remove the sync
socket and its lock. A player that loses its terminal without being told (it runs in a
session of its own, so no SIGHUP comes) must notice and end within seconds, not spin.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal
from tests.e2e.tmux import Terminal

pytestmark = NEEDS_TERMINAL

BOUND = 10.0
"""Seconds by which the player and every child must be gone; it takes about one."""


LOST_BOUND = 6.0
"""Seconds by which a player whose terminal went without a hang-up must have ended."""
LOST_CPU = 3.0
"""CPU seconds it may use meanwhile (the toolkit reads the dead terminal in a loop
until the player has wound down; a player that never notices burns one core forever)."""


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name, or None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rfind(")") + 2 :].split()


def alive(pid: int) -> bool:
    """Whether `pid` is a process that has not ended (a zombie has ended)."""
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def cpu_seconds(pid: int) -> float:
    """User and system time the process has used so far."""
    fields = _stat(pid)
    assert fields is not None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_dead(pids: list[int], what: str, timeout: float = BOUND) -> None:
    deadline = time.monotonic() + timeout
    while (left := [pid for pid in pids if alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"{what} still running: {left}"


def child_of(pid: int) -> int:
    """The only child of `pid` (the player under the pane's status-recording shell)."""
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            if children:
                return int(children[0])
        time.sleep(0.05)
    raise AssertionError(f"process {pid} started nothing")


@dataclass
class Demo:
    deck: Path
    pids: Path
    report: Path
    marker: str

    def children(self) -> list[int]:
        """The pids the demo wrote, once all three are there."""
        deadline = time.monotonic() + BOUND
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                found = [int(word) for word in self.pids.read_text().split()]
                if len(found) == 3:
                    return found
            time.sleep(0.05)
        raise AssertionError(
            f"the demo did not start its three children: {self.pids.read_text()!r}"
        )


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    marker = f"1000.{uuid.uuid4().int % 10**9:09d}"
    pids = tmp_path / "pids"
    script = tmp_path / "groups.sh"
    script.write_text(
        "set -m\n"
        f"sleep {marker} & echo $! >> {shlex.quote(str(pids))}\n"
        f"timeout 1000 sleep {marker} & echo $! >> {shlex.quote(str(pids))}\n"
        f"(trap '' TERM; sleep {marker}) & echo $! >> {shlex.quote(str(pids))}\n"
        f'echo "$(wc -l < {shlex.quote(str(pids))}) children started"\n'
        "while true; do sleep 0.2; done\n"
    )
    deck = tmp_path / "groups.md"
    deck.write_text("# Groups\n\n!code groups.sh bash\n\n---\n\n# Second\n\nmore\n")
    made = Demo(deck, pids, tmp_path / "report.json", marker)
    yield made
    # Should a test fail half-way, leave nothing running either.
    with contextlib.suppress(OSError):
        for pid in [int(word) for word in pids.read_text().split()]:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def rehearse(terminal: Terminal, demo: Demo, env: dict[str, str], *, record_status: bool) -> None:
    assert PREXTERM is not None
    argv = [PREXTERM, "rehearse", "--allow-exec", "--report", str(demo.report), str(demo.deck)]
    terminal.start(argv, cwd=demo.deck.parent, env=env, record_status=record_status)
    terminal.wait_for("1/2")
    terminal.send("x")
    terminal.wait_for("3 children started")


def sync_files(env: dict[str, str]) -> list[str]:
    """The sync socket and lock files in the test's private runtime folder."""
    folder = Path(env["XDG_RUNTIME_DIR"])
    return sorted(p.name for p in folder.rglob("*") if p.suffix in (".sock", ".lock"))


@pytest.mark.parametrize("key", ["Escape", "q"])
def test_keys_stop_children_in_their_own_process_groups(
    open_terminal: OpenTerminal, runtime: dict[str, str], demo: Demo, key: str
) -> None:
    terminal = open_terminal(100, 30)
    rehearse(terminal, demo, runtime, record_status=True)
    children = demo.children()
    assert all(alive(pid) for pid in children)

    terminal.send(key)
    if key == "Escape":
        terminal.wait_for("stopped")
    else:
        assert terminal.exit_status() == 0
    wait_dead(children, "children of the demo")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_ends_the_talk_like_q(
    open_terminal: OpenTerminal, runtime: dict[str, str], demo: Demo, sig: signal.Signals
) -> None:
    terminal = open_terminal(100, 30)
    rehearse(terminal, demo, runtime, record_status=True)
    children = demo.children()
    player = child_of(int(terminal.display("#{pane_pid}")))
    terminal.wait_until(lambda _: bool(sync_files(runtime)), "the sync socket")
    assert not demo.report.exists()

    os.kill(player, sig)

    assert terminal.exit_status(timeout=BOUND) == 0
    wait_dead([player, *children], "the player or its demo")
    screen = terminal.wait_for("report written to")
    assert "Total" in screen and "Traceback" not in screen
    assert terminal.display("#{alternate_on}") == "0"
    assert demo.report.exists()
    assert sync_files(runtime) == []


def test_a_closed_terminal_stops_the_demo_and_removes_the_socket(
    open_terminal: OpenTerminal, runtime: dict[str, str], demo: Demo
) -> None:
    terminal = open_terminal(100, 30)
    # Without the status wrapper the player is the pane's own process, and closing the
    # pane hangs up its terminal: the kernel sends it SIGHUP.
    rehearse(terminal, demo, runtime, record_status=False)
    children = demo.children()
    player = int(terminal.display("#{pane_pid}"))
    terminal.wait_until(lambda _: bool(sync_files(runtime)), "the sync socket")

    terminal.tmux("kill-pane", "-t", terminal.target)

    wait_dead([player, *children], "the player or its demo")
    assert demo.report.exists()
    assert sync_files(runtime) == []


@pytest.mark.parametrize("keys", ["<&3", "</dev/null"])
def test_a_terminal_lost_without_a_hangup_ends_the_talk(
    runtime: dict[str, str], demo: Demo, tmp_path: Path, keys: str
) -> None:
    # The player runs in a session of its own (`setsid`), so when its terminal goes, no
    # SIGHUP reaches it: the tmux server is killed outright and the pty simply closes.
    # Its keys come from that terminal, or (a script's player) from nowhere at all.
    assert PREXTERM is not None
    terminal = Terminal(100, 30, workdir=tmp_path, name="lost")
    try:
        player_pid = tmp_path / "player.pid"
        argv = [PREXTERM, "rehearse", "--allow-exec", "--report", str(demo.report)]
        # A background command of `sh` reads /dev/null unless told otherwise: give it the
        # terminal, as a shell prompt would.
        script = (
            f"exec 3<&0; setsid {shlex.join([*argv, str(demo.deck)])} {keys} & "
            f"echo $! > {player_pid}; wait; exec sleep 86400"
        )
        command = [*Terminal.environment(runtime), "sh", "-c", script]
        terminal.tmux("respawn-pane", "-k", "-t", terminal.target, "-c", str(tmp_path), *command)
        terminal.wait_for("1/2")
        children = []
        if keys == "<&3":
            terminal.send("x")
            terminal.wait_for("3 children started")
            children = demo.children()
        player = int(player_pid.read_text())
        assert os.getsid(player) == player
        server = int(terminal.display("#{pid}"))
        before = cpu_seconds(player)

        os.kill(server, signal.SIGKILL)

        lost = time.monotonic()
        used = 0.0
        while alive(player):
            with contextlib.suppress(AssertionError):
                used = cpu_seconds(player) - before
            assert time.monotonic() - lost < LOST_BOUND, f"the player still runs, {used:.1f} s CPU"
            time.sleep(0.05)
    finally:
        terminal.close()
        with contextlib.suppress(OSError, ValueError):
            if alive(pid := int(player_pid.read_text())):
                os.kill(pid, signal.SIGKILL)
    print(f"ended {time.monotonic() - lost:.2f} s after the terminal went, {used:.2f} s CPU")
    assert used < LOST_CPU, f"the player used {used:.1f} s of CPU after its terminal went"
    wait_dead(children, "children of the demo")
    assert demo.report.exists()
    assert sync_files(runtime) == []


def test_a_signal_while_the_player_starts_waits_for_the_first_slide(
    open_terminal: OpenTerminal, runtime: dict[str, str], demo: Demo
) -> None:
    # The moment the screen switches, the player is still being built: ending it then
    # once gave a traceback (widgets mounted on a screen that was gone).
    terminal = open_terminal(80, 24)
    assert PREXTERM is not None
    argv = [PREXTERM, "rehearse", "--report", str(demo.report), str(demo.deck)]
    terminal.start(argv, cwd=demo.deck.parent, env=runtime)
    player = child_of(int(terminal.display("#{pane_pid}")))
    deadline = time.monotonic() + BOUND
    while terminal.display("#{alternate_on}") != "1":
        assert time.monotonic() < deadline, "the player never opened its screen"
        time.sleep(0.005)

    os.kill(player, signal.SIGTERM)

    assert terminal.exit_status(timeout=BOUND) == 0
    screen = terminal.wait_for("report written to")
    assert "Traceback" not in screen and "Error" not in screen, screen
    assert terminal.display("#{alternate_on}") == "0"
    assert sync_files(runtime) == []


def test_a_start_that_never_finishes_does_not_hold_signals_forever() -> None:
    # Signals that would end the talk wait for the first slide; should it never come,
    # they get through after a while anyway, so `kill` still ends the player.
    program = (
        "import os, signal, sys, time\n"
        "import prexterm.app.run as play\n"
        "play.START_PATIENCE = 1.0\n"
        "got = []\n"
        "signal.signal(signal.SIGTERM, lambda *_: got.append(1))\n"
        "signal.pthread_sigmask(signal.SIG_BLOCK, play.ENDING_SIGNALS)\n"
        "play._watch_terminal()\n"
        "os.kill(os.getpid(), signal.SIGTERM)\n"
        "time.sleep(0.5)\n"
        "early = len(got)\n"
        "deadline = time.monotonic() + 5\n"
        "while not got and time.monotonic() < deadline:\n"
        "    time.sleep(0.05)\n"
        "print(early, len(got))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "1"]

"""A program of the same user turns on the presenter's sync socket, in real terminals.

Idle connections by the hundred must not keep a view out, and a flood of gotos must not
freeze the presenter's keys; the talk ends on the flood's last goto.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time

from prexterm.services.sync.runtime import socket_path_for
from tests.e2e.conftest import NEEDS_TERMINAL, OpenTerminal
from tests.e2e.test_presenter_sync import SEED_DECK, start

pytestmark = NEEDS_TERMINAL


def connect(env: dict[str, str]) -> socket.socket:
    """A raw connection to the presenter's socket, once it listens."""
    path = socket_path_for(SEED_DECK, env)
    deadline = time.monotonic() + 10
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(str(path))
    return sock


def test_idle_connections_do_not_lock_a_view_out(
    open_terminal: OpenTerminal, runtime: dict[str, str]
) -> None:
    leader, audience = open_terminal(100, 30), open_terminal(80, 24)
    start(leader, runtime)
    leader.wait_for("| 1/40")
    leader.send("1", "2", "Enter")
    leader.wait_for("| 12/40")
    idle = [connect(runtime) for _ in range(256)]
    try:
        start(audience, runtime, "follow")
        screen = audience.wait_for("| 12/40", timeout=10)
        assert "waiting for the presenter" not in screen
        leader.send("Right")
        audience.wait_for("| 13/40")
    finally:
        for sock in idle:
            sock.close()


def test_a_flood_of_gotos_leaves_the_presenter_answering(
    open_terminal: OpenTerminal, runtime: dict[str, str]
) -> None:
    leader, audience = open_terminal(100, 30), open_terminal(80, 24)
    start(leader, runtime)
    leader.wait_for("| 1/40")
    start(audience, runtime, "follow")
    audience.wait_for("| 1/40")
    flood = connect(runtime)
    gotos = [
        json.dumps({"v": 3, "type": "goto", "slide": n % 40 + 1, "sender": "flood", "seq": n})
        for n in range(100_000)
    ]
    last = 99_999 % 40 + 1
    data = ("\n".join(['{"v": 3, "type": "hello", "role": "notes"}', *gotos]) + "\n").encode()

    def drain() -> None:
        """Read the presenter's answers, so the flooder is never dropped as a slow reader."""
        with contextlib.suppress(OSError):
            while flood.recv(65536):
                pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    writer = threading.Thread(target=flood.sendall, args=(data,), daemon=True)
    writer.start()
    try:
        leader.wait_gone("| 1/40", timeout=5)  # the flood moves the talk
        # Mid-flood, the presenter's own keys answer at once.
        leader.send("b")
        leader.wait_until(lambda s: not s.strip(), "the blank screen", timeout=2)
        assert writer.is_alive(), "the flood ended before the key was answered"
        leader.send("b")
        leader.wait_for("Made with Prexent", timeout=2)
        writer.join(60)
        assert not writer.is_alive()
        leader.wait_for(f"| {last}/40", timeout=10)
        audience.wait_for(f"| {last}/40", timeout=10)
    finally:
        with contextlib.suppress(OSError):
            flood.shutdown(socket.SHUT_RDWR)
        reader.join(5)
        flood.close()

"""A real terminal for end-to-end runs: one private tmux server per terminal.

Unit and snapshot tests drive the app through Textual's pilot, which never touches a
terminal: the escape sequences, the alternate screen, the cursor, resizes and the exit
status are only real when a program runs in a pseudo-terminal. tmux gives us one we can
type into and read back, without a display.

Every `Terminal` starts its own server on its own socket (`tmux -L NAME`) with no user
configuration (`-f /dev/null`), so tests cannot see each other's panes or the user's
sessions, and run in parallel. The benchmark in `bench/play.py` uses the same class.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

DEFAULT_TIMEOUT = 10.0
"""Seconds to wait for a screen to show something; a cold Python start fits many times."""

POLL_INTERVAL = 0.05
"""Seconds between two reads of the screen while waiting."""

SESSION = "main"

BASE_ENV: dict[str, str] = {"TERM": "xterm-256color", "LANG": "C.UTF-8"}
"""What every program here sees: a common colour terminal and a UTF-8 locale."""

CLEARED_ENV: tuple[str, ...] = (
    "LC_ALL",
    "LC_CTYPE",
    "NO_COLOR",
    "COLORTERM",
    "TMUX",
    "COLUMNS",
    "LINES",
)
"""Variables of the caller's environment that would change what the program draws.

LC_ALL and LC_CTYPE take precedence over LANG; NO_COLOR and COLORTERM change colours;
TMUX would make a program believe it runs in the caller's tmux; COLUMNS and LINES (set
by some test plugins) override the terminal's real size in Rich and Textual.
"""

_SGR = re.compile(r"\x1b\[([0-9;:]*)m")


class TerminalTimeout(AssertionError):
    """The screen never showed what a test waited for; the message holds the last screen."""


def tmux_path() -> str | None:
    """The tmux executable, or None when it is not installed."""
    return shutil.which("tmux")


def sgr_parameters(screen: str) -> list[str]:
    """The parameter strings of every SGR (`ESC [ ... m`) sequence in `screen`."""
    return _SGR.findall(screen)


class Terminal:
    """One pseudo-terminal of a given size, inside a private tmux server.

    The program runs in the only pane of session `main`. `start` replaces whatever runs
    there, so a benchmark can time a launch without timing the tmux server's own start.
    """

    def __init__(self, width: int, height: int, *, workdir: Path, name: str = "") -> None:
        tmux = tmux_path()
        if tmux is None:
            raise RuntimeError("tmux is not installed")
        self.tmux_bin = tmux
        self.socket = f"prexterm-{name or 'e2e'}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.workdir = workdir
        self.target = f"{SESSION}:0.0"
        self.status_file = workdir / f"{self.socket}.status"
        self._closed = False
        # The server starts with an idle pane; `start` respawns it with the real program.
        self.tmux(
            "new-session", "-d", "-s", SESSION, "-x", str(width), "-y", str(height),
            "sleep", "86400",
        )  # fmt: skip

    # -- plumbing ------------------------------------------------------------------------

    def tmux(self, *args: str) -> str:
        """Run one tmux command against this terminal's server; return its output."""
        done = subprocess.run(
            [self.tmux_bin, "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def close(self) -> None:
        """Stop the server and everything running in it (idempotent)."""
        if self._closed:
            return
        self._closed = True
        subprocess.run(
            [self.tmux_bin, "-L", self.socket, "kill-server"],
            capture_output=True,
            check=False,
        )

    # -- running a program ---------------------------------------------------------------

    @staticmethod
    def environment(env: Mapping[str, str] | None = None) -> list[str]:
        """The `env` prefix that gives a program exactly the intended environment."""
        prefix = ["env"]
        for name in CLEARED_ENV:
            prefix += ["-u", name]
        merged = {**BASE_ENV, **(env or {})}
        prefix += [f"{key}={value}" for key, value in merged.items()]
        return prefix

    def start(
        self,
        argv: Sequence[str],
        *,
        cwd: Path,
        env: Mapping[str, str] | None = None,
        record_status: bool = True,
    ) -> None:
        """Run `argv` in the pane, in `cwd`, with the base environment plus `env`.

        With `record_status` the program runs under `sh`, which writes its exit status to
        `status_file` and then keeps the pane open, so a test can still read the screen,
        the cursor and the alternate-screen flag after the program has gone. (tmux's own
        remain-on-exit can drop the last output of a program that exits at once, and it
        draws its own message over the pane.) Without it the program is exec'd directly,
        so the pane's pid is the program's pid, which the benchmark needs.
        """
        if record_status:
            self.status_file.unlink(missing_ok=True)
            script = (
                f'{shlex.join(argv)}; echo "EXIT=$?" > {shlex.quote(str(self.status_file))}; '
                "exec sleep 86400"
            )
            command = [*self.environment(env), "sh", "-c", script]
        else:
            command = [*self.environment(env), *argv]
        self.tmux("respawn-pane", "-k", "-t", self.target, "-c", str(cwd), *command)

    def send(self, *keys: str) -> None:
        """Press keys, by tmux name (`Enter`, `Right`, `Home`) or as literal characters."""
        self.tmux("send-keys", "-t", self.target, *keys)

    def resize(self, width: int, height: int) -> None:
        """Change the terminal's size, as a user dragging a window corner would."""
        self.tmux("resize-window", "-t", self.target, "-x", str(width), "-y", str(height))

    def display(self, fmt: str) -> str:
        """Expand a tmux format (`#{cursor_flag}`, `#{pane_pid}`) for the pane."""
        return self.tmux("display-message", "-p", "-t", self.target, fmt).strip()

    # -- reading the screen --------------------------------------------------------------

    def screen(self, *, escapes: bool = False) -> str:
        """The visible screen as text; with `escapes`, with its colours and attributes."""
        args = ["capture-pane", "-p", "-t", self.target]
        if escapes:
            args.insert(2, "-e")
        return self.tmux(*args)

    def lines(self) -> list[str]:
        """The visible screen, one string per row, trailing blanks removed."""
        return [line.rstrip() for line in self.screen().splitlines()]

    def wait_until(
        self,
        predicate: Callable[[str], bool],
        what: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        interval: float = POLL_INTERVAL,
    ) -> str:
        """Read the screen until `predicate` holds for it; return that screen.

        Polling instead of sleeping keeps tests fast on a quick machine and patient on a
        slow one. On timeout the failure shows the last screen, which is what a person
        debugging the test needs to see first.
        """
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if predicate(screen):
                return screen
            if time.monotonic() >= deadline:
                raise TerminalTimeout(
                    f"waited {timeout:.0f} s for {what}; the screen shows:\n{screen}"
                )
            time.sleep(interval)

    def wait_for(self, text: str, *, timeout: float = DEFAULT_TIMEOUT) -> str:
        """Wait until `text` is on screen; return the screen."""
        return self.wait_until(lambda s: text in s, repr(text), timeout=timeout)

    def wait_gone(self, text: str, *, timeout: float = DEFAULT_TIMEOUT) -> str:
        """Wait until `text` is no longer on screen; return the screen."""
        return self.wait_until(lambda s: text not in s, f"{text!r} to go", timeout=timeout)

    def exit_status(self, *, timeout: float = DEFAULT_TIMEOUT) -> int:
        """Wait for the program started with `record_status` to end; return its status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.status_file.exists():
                text = self.status_file.read_text().strip()
                if text.startswith("EXIT="):
                    return int(text.removeprefix("EXIT="))
            time.sleep(POLL_INTERVAL)
        raise TerminalTimeout(
            f"the program did not exit within {timeout:.0f} s; the screen shows:\n" + self.screen()
        )

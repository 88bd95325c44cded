"""Every command given bad input says so in one clear line on stderr, and no traceback.

Each case runs the installed `prexterm` (or `python -m prexterm` without it) as a user
would, from a folder with a good deck, a folder, a binary file and a device to hand.
None of these cases opens a screen: every one is refused before the player starts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

SHOWING = ("play", "rehearse", "notes", "follow")
"""The commands that open a screen on a deck (`play` is `prexterm DECK`)."""


def prexterm(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    script = shutil.which("prexterm")
    command = [script] if script else [sys.executable, "-m", "prexterm"]
    env = dict(os.environ, HOME=str(home), TERM="dumb")
    env.pop("XDG_CONFIG_HOME", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return subprocess.run(
        [*command, *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=30,
        check=False,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A working folder with a good deck, a folder, a binary file; and an empty home."""
    (tmp_path / "home").mkdir()
    (tmp_path / "talk.md").write_text("# One\n\ntext\n---\n# Two\n", encoding="utf-8")
    (tmp_path / "adir").mkdir()
    (tmp_path / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return tmp_path


def command(name: str, *args: str) -> list[str]:
    return list(args) if name == "play" else [name, *args]


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    """The single line a refused command printed on stderr (asserting there is one)."""
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.parametrize("name", [*SHOWING, "check"])
@pytest.mark.parametrize(
    ("deck", "why"),
    [
        ("nowhere.md", "nowhere.md: error: no such file"),
        ("adir", "adir: error: is a directory, not a deck file"),
        ("photo.md", "photo.md: error: binary file, not a deck"),
        ("/dev/zero", "/dev/zero: error: is a device, not a deck file"),
    ],
)
def test_a_deck_that_cannot_be_read(folder: Path, name: str, deck: str, why: str) -> None:
    done = prexterm(*command(name, deck), cwd=folder, home=folder / "home")
    assert done.returncode == 2
    assert one_line(done) == why
    assert done.stdout == ""


@pytest.mark.parametrize("name", SHOWING)
@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["--slide", "0"], "argument --slide: slide numbers start at 1"),
        (["--slide", "two"], "argument --slide: not a number: two"),
        (["--slide"], "argument --slide: expected one argument"),
        (["--duration", "soon"], "argument --duration: bad duration 'soon': use minutes (45)"),
        (["--duration", "0"], "argument --duration: bad duration '0': a talk must last more"),
        (["--duration", "2000"], "argument --duration: bad duration '2000': more than 24 hours"),
        (["--images", "sixel"], "argument --images: invalid choice: 'sixel'"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--root", "nowhere"], "argument --root: no such folder: nowhere"),
        (["--root", "photo.md"], "argument --root: not a folder: photo.md"),
    ],
)
def test_a_bad_option(folder: Path, name: str, args: list[str], why: str) -> None:
    done = prexterm(*command(name, "talk.md", *args), cwd=folder, home=folder / "home")
    assert done.returncode == 2
    prog = "prexterm" if name == "play" else f"prexterm {name}"
    line = one_line(done)
    assert line.startswith(f"{prog}: error: {why}"), line
    assert line.endswith(f"(see {prog} --help)")


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["--root", "nowhere", "talk.md"], "argument --root: no such folder: nowhere"),
        (["--root", "photo.md", "talk.md"], "argument --root: not a folder: photo.md"),
        (["--bogus", "talk.md"], "unrecognized arguments: --bogus"),
    ],
)
def test_a_bad_option_of_check(folder: Path, args: list[str], why: str) -> None:
    done = prexterm("check", *args, cwd=folder, home=folder / "home")
    assert done.returncode == 2
    assert one_line(done) == f"prexterm check: error: {why} (see prexterm check --help)"
    assert done.stdout == ""


@pytest.mark.parametrize(
    "args",
    [["check"], ["check", "--json"], ["notes"], ["rehearse"], ["themes", "dark"], ["a.md", "b.md"]],
)
def test_a_missing_or_extra_argument(folder: Path, args: list[str]) -> None:
    done = prexterm(*args, cwd=folder, home=folder / "home")
    assert done.returncode == 2
    assert "(see prexterm" in one_line(done)


@pytest.mark.parametrize("name", SHOWING)
def test_a_bad_settings_file(folder: Path, name: str) -> None:
    settings = folder / "home" / ".config" / "prexterm" / "config.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('theme = "light"\ncolor = "red"\n', encoding="utf-8")
    done = prexterm(*command(name, "talk.md"), cwd=folder, home=folder / "home")
    assert done.returncode == 2
    assert one_line(done) == (
        "prexterm: ~/.config/prexterm/config.toml:2: unknown key 'color' "
        "(known keys: theme, presenter, duration, ascii, incremental_lists, transition, keys)"
    )


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["--pace-from", "nope.json"], "prexterm: --pace-from: no such report: nope.json"),
        (["--pace-from", "talk.md"], "prexterm: talk.md is not a rehearsal report"),
        (["--pace-from", "latest"], "prexterm: --pace-from latest: no rehearsal report of"),
    ],
)
def test_a_bad_pace_report(folder: Path, args: list[str], why: str) -> None:
    done = prexterm("talk.md", *args, cwd=folder, home=folder / "home")
    assert done.returncode == 2
    assert one_line(done).startswith(why)

"""`check` tells a presenter exactly what `--allow-exec` would let a deck run."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO, WriteFiles


def check(*args: str, cwd: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "prexterm", "check", *args],
        capture_output=True,
        text=True,
        cwd=cwd,  # type: ignore[arg-type]
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )


def test_every_runnable_block_is_listed_with_its_command(write: WriteFiles) -> None:
    deck = write({"deck.md": "!code a.py\n---\n!code b.txt text\n!code c.sh shell sh -e\n",
                  "a.py": "print(1)\n", "b.txt": "x\n", "c.sh": "echo\n"})  # fmt: skip
    result = check("deck.md", cwd=deck.parent)
    folder = deck.parent.resolve()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"deck.md:1: note: runnable with --allow-exec: python3 {folder}/a.py (in {folder})"
    )
    unrecorded = "note: no recorded output: run it in `prexterm rehearse`"
    assert lines[1] == f"deck.md:1: {unrecorded}"
    assert lines[2].startswith("deck.md:3: note: cannot run: no runner is known for text")
    assert (
        lines[3]
        == f"deck.md:4: note: runnable with --allow-exec: sh -e {folder}/c.sh (in {folder})"
    )
    assert lines[4] == f"deck.md:4: {unrecorded}"
    assert lines[5] == "2 slides, 0 errors, 0 warnings"
    data = json.loads(check("--json", "deck.md", cwd=deck.parent).stdout)
    assert data["slides"][0]["code"][0]["command"] == f"python3 {folder}/a.py (in {folder})"


def test_code_that_leaves_its_session_is_pointed_out(write: WriteFiles) -> None:
    # A program started with setsid is out of the player's reach: it is not stopped with
    # the demo. `check` says so where the presenter reviews what a deck would run.
    deck = write({"deck.md": "!code a.sh shell sh\n!code b.py\n!code c.sh shell sh\n",
                  "a.sh": "setsid sleep 1000 &\n",
                  "b.py": "import subprocess\nsubprocess.Popen(['x'], start_new_session=True)\n",
                  "c.sh": "# sessions are fine here\nsleep 1 &\n"})  # fmt: skip
    result = check("deck.md", cwd=deck.parent)
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stdout.splitlines() if "setsid" in line]
    message = (
        "note: this code calls setsid: what it starts that way is not stopped with the demo, "
        "nor when the player ends"
    )
    assert notes == [f"deck.md:1: {message}", f"deck.md:2: {message}"]

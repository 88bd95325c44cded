"""Recorded output of code blocks: the demo's safety net.

In `prexterm rehearse` every run of a block that ends well (exit status 0, something
printed) is recorded in the user's state folder, keyed by the block's code. On stage,
when a run fails to start, exits non-zero or prints nothing for a while, the presenter
can replay the recording into the panel, under a clear "recorded" badge; `check` says
which runnable blocks have no recording, or only one of an older version of their code.

A recording is named by two hashes: of the block's place (its code file, or the deck
file and line of a fenced block) and of what runs (language, runner, terminal or not,
and the code). A recording for the same place under another code hash is a stale one.
Recordings are never written in a deck's folder, and are only for their owner's eyes
(0600).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from prexterm.core.model import CodeBlock

if TYPE_CHECKING:
    from prexterm.services.code_runner import CodeRun

__all__ = [
    "Recording",
    "RecordingStore",
    "code_hash",
    "default_folder",
    "place_of",
    "should_offer_replay",
]

RecordingState = Literal["recorded", "missing", "stale"]
_VERSION = 1


class Recording(NamedTuple):
    """The output of one good run of a block, as it was shown."""

    lines: tuple[tuple[str, str], ...]
    argv: tuple[str, ...]
    recorded_at: float
    """When the run ended (seconds since the epoch)."""
    status: str

    @property
    def badge(self) -> str:
        """The words the panel shows instead of a live run's status."""
        when = datetime.fromtimestamp(self.recorded_at).strftime("%Y-%m-%d %H:%M")
        return f"recorded in rehearsal, {when}"


def default_folder(deck_folder: Path | None = None) -> Path:
    """`<state folder>/prexterm/recordings`, never the deck's own folder."""
    from platformdirs import user_state_path

    folder = user_state_path("prexterm", appauthor=False) / "recordings"
    if deck_folder is not None and Path(os.path.realpath(folder)) == Path(
        os.path.realpath(deck_folder)
    ):
        folder = Path.home() / ".local" / "state" / "prexterm" / "recordings"
    return folder


def place_of(block: CodeBlock) -> str:
    """Where the block stands: its code file, or the deck file and line of a fence."""
    if block.asset.path is not None:
        return str(block.asset.path)
    folder = block.workdir or Path()
    return f"{folder / block.source.file}:{block.source.line}"


def code_hash(block: CodeBlock, code: str | None = None) -> str:
    """What runs, as a hash: a change to any of it makes older recordings stale."""
    text = "\0".join(
        (
            block.language,
            " ".join(block.runner or ()),
            "pty" if block.attributes.pty else "pipe",
            block.code if code is None else code,
        )
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _place_hash(block: CodeBlock) -> str:
    return hashlib.sha256(place_of(block).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def should_offer_replay(run: CodeRun | None, *, quiet_for: float, now: float | None = None) -> bool:
    """Whether the presenter may want the recording instead: the run failed to start
    (None), exited non-zero, or has printed nothing for `quiet_for` seconds."""
    if run is None:
        return True
    if not run.running:
        return run.returncode != 0
    if run.first_output_at is not None:
        return False
    return (time.monotonic() if now is None else now) - run.started_at >= quiet_for


class RecordingStore:
    """Recordings in one folder (see `default_folder`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, block: CodeBlock, code: str | None = None) -> Path:
        return self.folder / f"{_place_hash(block)}-{code_hash(block, code)}.json"

    def save(self, run: CodeRun, code: str | None = None) -> Path | None:
        """Record a run that ended well; None when it is not worth keeping.

        `code` is what ran when the presenter had edited the block. Only exit status 0
        with some output is kept: a failed run is no safety net.
        """
        if run.running or run.returncode != 0:
            return None
        lines = [[kind, text] for kind, text in run.lines if kind != "status"]
        if not any(text.strip() for _, text in lines):
            return None
        from prexterm.core.text import save_atomically

        data = {
            "version": _VERSION,
            "place": place_of(run.block),
            "argv": list(run.argv),
            "recorded_at": time.time(),
            "status": run.status_text,
            "lines": lines,
        }
        path = self.path_for(run.block, code)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        save_atomically(path, json.dumps(data, ensure_ascii=False) + "\n", new_mode=0o600)
        return path

    def load(self, block: CodeBlock, code: str | None = None) -> Recording | None:
        """The recording of exactly this code, or None (none, or unreadable)."""
        try:
            data = json.loads(self.path_for(block, code).read_text(encoding="utf-8"))
            lines = tuple(
                (str(kind), str(text)) for kind, text in data["lines"] if kind in ("out", "err")
            )
            return Recording(
                lines,
                tuple(str(arg) for arg in data["argv"]),
                float(data["recorded_at"]),
                str(data["status"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def state(self, block: CodeBlock) -> RecordingState:
        """Whether the block has a recording of its code, none, or only of older code."""
        if self.path_for(block).is_file():
            return "recorded"
        try:
            names = os.listdir(self.folder)
        except OSError:
            return "missing"
        prefix = _place_hash(block) + "-"
        return "stale" if any(name.startswith(prefix) for name in names) else "missing"

    def problems(self, blocks: Iterable[CodeBlock]) -> list[tuple[CodeBlock, str]]:
        """For `check`: each block without a recording of its code, and why."""
        found = []
        for block in blocks:
            state = self.state(block)
            if state == "missing":
                found.append((block, "no recorded output: run it in `prexterm rehearse`"))
            elif state == "stale":
                found.append(
                    (block, "the recorded output is of older code: run it again in rehearse")
                )
        return found

"""Reading a deck's files: every byte, however the file reports its size."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path
from typing import Any

import pytest

from prexterm.core.text import FileRefused, read_file

LIMIT = 1 << 20


def test_a_file_is_read_whole(tmp_path: Path) -> None:
    small = tmp_path / "small.md"
    small.write_bytes(b"# Title\r\n\xff\x00text")
    big = tmp_path / "big.md"
    big.write_bytes(bytes(range(256)) * 1000)
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    assert read_file(small, limit=LIMIT) == b"# Title\r\n\xff\x00text"
    assert read_file(str(big), limit=LIMIT) == bytes(range(256)) * 1000
    assert read_file(empty, limit=LIMIT) == b""


def test_a_file_that_says_it_is_empty_is_still_read_to_its_end() -> None:
    # /proc files report a size of 0 but have content.
    text = read_file("/proc/self/status", limit=LIMIT)
    assert b"Name:" in text
    assert text.endswith(b"\n")


def test_a_folder_or_a_missing_file_raises_what_the_parser_reports(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        read_file(tmp_path, limit=LIMIT)
    with pytest.raises(FileNotFoundError):
        read_file(tmp_path / "missing.md", limit=LIMIT)


# -- what a hostile deck (or a process beside it) can put where a file should be -----------


def read_soon(path: Path, **kwargs: Any) -> bytes | BaseException:
    """`read_file` in a thread, given five seconds: a reader that blocks fails the test."""
    outcome: list[bytes | BaseException] = []

    def work() -> None:
        try:
            outcome.append(read_file(path, **kwargs))
        except BaseException as exc:  # handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(5.0)
    assert outcome, f"reading {path} blocked"
    return outcome[0]


def refusal(outcome: bytes | BaseException) -> str:
    assert isinstance(outcome, FileRefused), outcome
    return str(outcome)


def test_a_named_pipe_is_refused_at_once_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "part.md"
    os.mkfifo(fifo)
    assert refusal(read_soon(fifo, limit=LIMIT)) == "not a regular file (a named pipe)"
    assert refusal(read_soon(fifo, limit=LIMIT, root=tmp_path)).startswith("not a regular")


def test_devices_and_sockets_are_refused_even_through_a_link(tmp_path: Path) -> None:
    zero = tmp_path / "config.toml"
    zero.symlink_to("/dev/zero")  # the user's own settings may be a link: it is followed
    assert refusal(read_soon(zero, limit=LIMIT)) == "not a regular file (a character device)"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "s.md"))
        assert refusal(read_soon(tmp_path / "s.md", limit=LIMIT)).endswith("(a socket)")


def test_a_file_over_its_limit_is_refused_from_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * 1001)
    assert read_file(big, limit=1001) == b"x" * 1001
    with pytest.raises(FileRefused, match=r"^too large: over 1,000 bytes$"):
        read_file(big, limit=1000)
    with pytest.raises(FileRefused, match=r"^no more than this$"):
        read_file(big, limit=1000, too_large="no more than this")


def test_a_file_larger_than_it_says_stops_at_the_limit() -> None:
    # /proc/self/maps says it is empty and holds kilobytes.
    with pytest.raises(FileRefused, match="too large"):
        read_file("/proc/self/maps", limit=100)


def test_a_file_swapped_for_a_link_to_an_outside_file_is_not_read(tmp_path: Path) -> None:
    root = tmp_path / "deck"
    root.mkdir()
    canary = tmp_path / "secret.txt"
    canary.write_text("CANARY\n")
    part = root / "part.md"
    part.write_text("# Part\n")
    assert read_file(part, limit=LIMIT, root=root) == b"# Part\n"
    part.unlink()
    part.symlink_to(canary)
    outcome = read_soon(part, limit=LIMIT, root=root)
    assert refusal(outcome) == "refused: it was replaced by a symbolic link"


def test_a_folder_swapped_for_a_link_to_outside_is_not_read_through(tmp_path: Path) -> None:
    root = tmp_path / "deck"
    (root / "parts").mkdir(parents=True)
    (root / "parts" / "part.md").write_text("# Part\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "part.md").write_text("CANARY\n")
    assert read_file(root / "parts" / "part.md", limit=LIMIT, root=root) == b"# Part\n"
    (root / "parts").rename(tmp_path / "old-parts")
    (root / "parts").symlink_to(outside)
    outcome = read_soon(root / "parts" / "part.md", limit=LIMIT, root=root)
    assert refusal(outcome) == f"refused: it lies outside the deck root {root}"


def test_a_link_inside_the_root_is_read_when_its_target_is_named(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_text("# Real\n")
    (tmp_path / "alias").symlink_to(tmp_path)
    assert read_file(tmp_path / "alias" / "real.md", limit=LIMIT, root=tmp_path) == b"# Real\n"

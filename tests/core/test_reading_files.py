"""Reading a deck's files: every byte, however the file reports its size."""

from __future__ import annotations

from pathlib import Path

import pytest

from prexterm.core.text import read_file


def test_a_file_is_read_whole(tmp_path: Path) -> None:
    small = tmp_path / "small.md"
    small.write_bytes(b"# Title\r\n\xff\x00text")
    big = tmp_path / "big.md"
    big.write_bytes(bytes(range(256)) * 1000)
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    assert read_file(small) == b"# Title\r\n\xff\x00text"
    assert read_file(str(big)) == bytes(range(256)) * 1000
    assert read_file(empty) == b""


def test_a_file_that_says_it_is_empty_is_still_read_to_its_end() -> None:
    # /proc files report a size of 0 but have content.
    text = read_file("/proc/self/status")
    assert b"Name:" in text
    assert text.endswith(b"\n")


def test_a_folder_or_a_missing_file_raises_what_the_parser_reports(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        read_file(tmp_path)
    with pytest.raises(FileNotFoundError):
        read_file(tmp_path / "missing.md")

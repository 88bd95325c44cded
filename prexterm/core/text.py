"""Turning a file's bytes into safe deck text.

Decks come from anywhere (a colleague's laptop, a web page pasted into a file), so
this is where every byte-level surprise is handled once: byte-order marks, the three
line-ending styles, invalid UTF-8, binary files, and control characters that could
drive the terminal if they reached it.
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

_BOM = "\ufeff"
_SNIFF_BYTES = 8192

# C0 controls except tab and newline, DEL, and the C1 block. ESC is the dangerous one:
# it starts every terminal escape sequence, so none of these may reach the screen.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _show_control(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture" for that code, e.g. ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def clean(text: str) -> str:
    """Replace control characters (but tab and newline) with visible, harmless stand-ins."""
    return _CONTROL.sub(_show_control, text)


class DecodedText(NamedTuple):
    """A file's text, ready to split into lines, and what was wrong with its bytes."""

    text: str
    invalid_offset: int | None = None
    """Byte offset of the first invalid UTF-8 sequence, when there was one."""
    invalid_line: int = 0


def read_file(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the file at `path`: one open, one size query, usually one read.

    `Path.read_bytes` also asks whether the file is a terminal and builds a buffered
    reader around it; for a deck that includes a hundred files, that was two thirds of
    the time spent reading them. Raises `OSError` like it (`IsADirectoryError` for a
    folder).
    """
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
        if len(data) <= size:
            return data  # a short read of a regular file is its end
        parts = [data]  # larger than it said (growing, or a /proc file that says 0)
        while chunk := os.read(fd, 1 << 16):
            parts.append(chunk)
        return b"".join(parts)
    finally:
        os.close(fd)


def looks_binary(data: bytes) -> bool:
    """A NUL byte in the first few kilobytes means this is not a text deck."""
    return b"\x00" in data[:_SNIFF_BYTES]


def decode(data: bytes) -> DecodedText:
    """Decode UTF-8 with replacement, normalise line endings, and clean control characters.

    Invalid bytes do not stop a talk: they become U+FFFD and the caller reports the
    first offset, so the author can fix the file while the deck still plays.
    """
    invalid_offset: int | None = None
    invalid_line = 0
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        invalid_offset = exc.start
        invalid_line = data.count(b"\n", 0, exc.start) + 1
        text = data.decode("utf-8", errors="replace")
    if text.startswith(_BOM):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        text = clean(text)
    return DecodedText(text, invalid_offset, invalid_line)

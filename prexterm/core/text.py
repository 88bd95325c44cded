"""Turning a file's bytes into safe deck text.

Decks come from anywhere (a colleague's laptop, a web page pasted into a file), so
this is where every byte-level surprise is handled once: byte-order marks, the three
line-ending styles, invalid UTF-8, binary files, and control characters that could
drive the terminal if they reached it.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import NamedTuple

from prexterm.core.paths import inside_root

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


def clean(text: str, *, drop: bool = False) -> str:
    """Replace control characters (but tab and newline) with visible, harmless stand-ins.

    With `drop` they are left out instead (a carriage return too): the renderer does so,
    as a second line of defence right before the terminal, for text the parser has
    already cleaned once (a stand-in would show where the deck has none).
    """
    return _CONTROL.sub("" if drop else _show_control, text)


class DecodedText(NamedTuple):
    """A file's text, ready to split into lines, and what was wrong with its bytes."""

    text: str
    invalid_offset: int | None = None
    """Byte offset of the first invalid UTF-8 sequence, when there was one."""
    invalid_line: int = 0


MiB = 1 << 20

DECK_LIMIT = 8 * MiB
"""The most text a deck may read in all: the deck, each include (every time it is
included) and each code file. A talk is a few hundred kilobytes; this bounds the work a
hostile deck can cause with includes that fan out."""
CODE_LIMIT = 1 * MiB
"""The most a single `!code` file may hold: it is shown on a slide and run."""
STYLESHEET_LIMIT = 1 * MiB
"""The most a stylesheet (a deck's `!custom_css` or a theme file) may hold."""
SETTINGS_LIMIT = 64 * 1024
"""The most the settings file may hold: it has four keys."""


class FileRefused(OSError):
    """A file that is there but must not be read; `strerror` says why, for the user.

    An `OSError`, so every reader reports it where it reports a missing or unreadable
    file, with the same words around it.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(errno.EPERM, reason)

    def __str__(self) -> str:
        return str(self.strerror)


_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a file"


def _amount(limit: int) -> str:
    """A limit as the documentation writes it: `8 MiB`, `64 KiB`, `1,000 bytes`."""
    if limit and limit % MiB == 0:
        return f"{limit // MiB} MiB"
    if limit and limit % 1024 == 0:
        return f"{limit // 1024} KiB"
    return f"{limit:,} bytes"


def _opened_inside(fd: int, path: str, root: str) -> bool:
    """Whether the file open as `fd` lies inside `root` (a real path), as opened.

    Linux names the opened file in /proc/self/fd, whatever was swapped since. Elsewhere,
    the file must be the very one (same device and inode) that the real path of `path`
    names now, and that real path must lie inside the root.
    """
    try:
        real = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        real = None
    if real is not None and real.startswith("/"):
        return inside_root(real, root)
    real = os.path.realpath(path)
    if not inside_root(real, root):
        return False
    try:
        named, opened = os.stat(real), os.fstat(fd)
    except OSError:
        return False
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


def read_file(
    path: str | os.PathLike[str],
    *,
    limit: int,
    root: str | os.PathLike[str] | None = None,
    too_large: str | None = None,
) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them; the one safe opener.

    Every file prexterm reads as text comes through here (deck, includes, code files,
    settings, stylesheets, themes), so what a deck can make it read is decided in one
    place:

    - The open never blocks (`O_NONBLOCK`), and only a regular file is read: a named
      pipe, a device or a socket raises `FileRefused` ("not a regular file"), so a FIFO
      cannot hang the player and `/dev/zero` cannot fill its memory.
    - A file larger than `limit` is refused from its size, before a byte is read; one
      that grows while it is read (or a /proc file that says 0) stops at `limit`.
    - With `root` (a real path), the file is a path the deck named, already resolved:
      a last part that has become a symbolic link is not followed (`O_NOFOLLOW`), and
      what was actually opened must lie inside the root, so a file or folder swapped for
      a link after the deck was checked cannot pull an outside file in.

    Raises `OSError` as `open` would (`FileNotFoundError`, `IsADirectoryError`, ...) or
    `FileRefused`; `too_large` is its reason for a file over the limit, when the
    caller can say it better than "too large: over N MiB".
    """
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK
    if root is not None:
        flags |= os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if root is not None and exc.errno == errno.ELOOP and os.path.islink(path):
            raise FileRefused("refused: it was replaced by a symbolic link") from None
        if exc.errno == errno.ENXIO:  # a socket, or a device with no driver: say which
            try:
                mode = os.stat(path).st_mode
            except OSError:
                raise exc from None
            raise FileRefused(f"not a regular file ({_kind(mode)})") from None
        raise
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", os.fspath(path))
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"not a regular file ({_kind(info.st_mode)})")
        if root is not None and not _opened_inside(fd, os.fspath(path), os.fspath(root)):
            raise FileRefused(f"refused: it lies outside the deck root {os.fspath(root)}")
        too_big = FileRefused(too_large or f"too large: over {_amount(limit)}")
        size = info.st_size
        if size > limit:
            raise too_big
        data = os.read(fd, size + 1)
        if len(data) <= size:
            return data  # a short read of a regular file is its end
        parts = [data]  # larger than it said (growing, or a /proc file that says 0)
        total = len(data)
        if total > limit:
            raise too_big
        while chunk := os.read(fd, 1 << 16):
            total += len(chunk)
            if total > limit:
                raise too_big
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


def save_atomically(path: Path, text: str | bytes, *, new_mode: int = 0o644) -> None:
    """Write `text` (UTF-8 when a string) over `path` so that a crash never leaves half a file.

    The new content goes to a temporary file in the same folder (so the rename cannot
    cross file systems), takes the old file's permissions, reaches the disk, and then
    replaces the old file in one rename. A new file gets `new_mode`.
    """
    import tempfile  # only a save needs it

    mode = path.stat().st_mode & 0o7777 if path.exists() else new_mode
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise

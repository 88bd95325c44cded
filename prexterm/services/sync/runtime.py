"""The sync runtime folder and socket: where they live, and the owner, mode and symlink
checks that keep every other user out."""

from __future__ import annotations

import hashlib
import os
import socket
import stat
import struct
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

_SUN_PATH_MAX: Final = 107
"""`sockaddr_un.sun_path` holds 108 bytes on Linux, the last one a NUL."""


class SyncError(Exception):
    """Sync cannot run: the message says why, in words fit for the status line."""


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def _usable_runtime_base(value: str) -> bool:
    """XDG_RUNTIME_DIR is used only when it is an absolute, existing directory of ours."""
    if not value or not os.path.isabs(value):
        return False
    try:
        info = os.stat(value)
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and os.access(value, os.W_OK | os.X_OK)
    )


def runtime_dir(env: Mapping[str, str] | None = None) -> Path:
    """The private directory that holds the sockets (not created here).

    `$XDG_RUNTIME_DIR/prexterm` when XDG_RUNTIME_DIR is set and usable (it is per user and
    emptied at logout), else `<tempdir>/prexterm-<uid>`; `ensure_private_dir` refuses the
    latter if someone else made it first.
    """
    base = _env(env).get("XDG_RUNTIME_DIR", "")
    if _usable_runtime_base(base):
        return Path(base) / "prexterm"
    return Path(tempfile.gettempdir()) / f"prexterm-{os.getuid()}"


def _check_private_dir(path: Path) -> None:
    """Raise SyncError unless `path` is a real directory of ours that nobody else can enter."""
    try:
        info = os.lstat(path)
    except OSError as error:
        raise SyncError(f"cannot use sync directory {path}: {error.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise SyncError(f"refusing sync directory {path}: it is a symbolic link")
    if not stat.S_ISDIR(info.st_mode):
        raise SyncError(f"refusing sync directory {path}: not a directory")
    if info.st_uid != os.getuid():
        raise SyncError(f"refusing sync directory {path}: owned by uid {info.st_uid}, not us")
    if info.st_mode & 0o077:
        mode = stat.S_IMODE(info.st_mode)
        raise SyncError(
            f"refusing sync directory {path}: mode {mode:04o} lets others in (want 0700)"
        )


def ensure_private_dir(path: Path) -> Path:
    """Create `path` with mode 0700 if it is missing, then check it; returns `path`.

    An existing directory is never "repaired": one with the wrong owner or mode may have
    been planted by someone else in a shared temporary folder, so it is refused instead.
    """
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError as error:
        raise SyncError(f"cannot create sync directory {path}: {error.strerror}") from None
    else:
        # mkdir applies the umask, which could leave the owner without access.
        os.chmod(path, 0o700)
    _check_private_dir(path)
    return path


def socket_path_for(deck: Path, env: Mapping[str, str] | None = None) -> Path:
    """The socket of `deck`: `<runtime dir>/<sha256(real path)[:16]>.sock`.

    The real path makes every spelling of the deck's path (relative, through symlinks)
    meet on one socket. Nothing is created.
    """
    real = os.path.realpath(deck)
    digest = hashlib.sha256(os.fsencode(real)).hexdigest()[:16]
    return runtime_dir(env) / f"{digest}.sock"


def _check_path_length(path: Path) -> None:
    if len(os.fsencode(path)) > _SUN_PATH_MAX:
        raise SyncError(f"socket path too long for a Unix socket: {path}")


def _check_socket_file(path: Path) -> None:
    """Raise SyncError unless `path` is a socket of ours with mode 0600 (FileNotFoundError
    when it is missing: the leader is simply not there yet)."""
    info = os.lstat(path)
    if (
        not stat.S_ISSOCK(info.st_mode)
        or info.st_uid != os.getuid()
        or stat.S_IMODE(info.st_mode) != 0o600
    ):
        raise SyncError(f"refusing {path}: socket has wrong owner/permissions")


def _uid_allowed(uid: int) -> bool:
    """Only processes of the same user may take part in a talk."""
    return uid == os.getuid()


def _peer_uid(sock: Any) -> int | None:
    """The uid of the process at the other end of a connected Unix socket, if the kernel
    says. `sock` is a socket or asyncio's TransportSocket wrapper."""
    size = struct.calcsize("3i")
    try:
        raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, size)
        _pid, uid, _gid = struct.unpack("3i", raw)
    except (OSError, AttributeError, struct.error, TypeError):
        return None
    return int(uid)


def _peer_allowed(sock: Any) -> bool:
    """SO_PEERCRED says the peer runs as us. Unknown credentials are refused."""
    uid = _peer_uid(sock)
    return uid is not None and _uid_allowed(uid)

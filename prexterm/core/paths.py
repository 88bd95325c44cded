"""Where a path named in a deck points, and whether the deck may read it.

A deck previewed from elsewhere (a download, a pull request) must not be able to pull
`~/.ssh/id_rsa` onto the screen through `!include ../../.ssh/id_rsa`. Every path a
deck names is therefore resolved here, symlinks followed, and refused when it lands
outside the deck root.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple


class Resolved(NamedTuple):
    """The outcome of resolving one written path."""

    path: Path | None
    problem: str | None = None
    refused: bool = False


def display(path: Path, cwd: Path) -> str:
    """A path as the user should read it: relative to the current directory when below it.

    The same answer as `path.relative_to(cwd)`, with strings: a deck that includes a
    hundred files asks a hundred times.
    """
    text, base = str(path), str(cwd)
    if text == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    return text[len(prefix) :] if text.startswith(prefix) else text


def inside_root(real: str, root: str) -> bool:
    """Whether `real` is `root` or lies below it; both are real paths (no symlinks)."""
    return real == root or real.startswith(root if root.endswith(os.sep) else root + os.sep)


def _strip_fragment(written: str) -> str:
    """An image URL's `#fragment` (`x.png#float-right`) says how to place it, not where it is."""
    head, sep, _ = written.partition("#")
    return head if sep and head else written


class PathResolver:
    """Resolves paths against the including file, then the current directory, inside a root."""

    def __init__(self, root: Path, cwd: Path) -> None:
        self.root = Path(os.path.realpath(root))
        self._root = str(self.root)
        self.cwd = cwd
        self._known: dict[tuple[str, Path, bool], Resolved] = {}
        self._real_dirs: dict[str, str] = {}

    def _real(self, path: str) -> str | None:
        """The real path of `path`, or None when nothing is there; one look at the disk.

        The real path of each folder is asked of the disk once: a deck of a thousand
        slides includes files from the same few folders, and only the last part of each
        path still needs a look, in case it is a symlink itself.
        """
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return None
        folder, name = os.path.split(path)
        if stat.S_ISLNK(mode) or name in ("", ".", ".."):
            # A link to nothing counts as missing, like a file that is not there.
            return os.path.realpath(path) if os.path.exists(path) else None
        real_folder = self._real_dirs.get(folder)
        if real_folder is None:
            real_folder = self._real_dirs[folder] = os.path.realpath(folder)
        return os.path.join(real_folder, name)

    def resolve(self, written: str, base_dir: Path, *, fragment: bool = False) -> Resolved:
        """Resolve `written` as named in a file that lives in `base_dir` (see `_resolve`).

        Big decks name the same pictures and code files many times: the disk is asked once.
        """
        key = (written, base_dir, fragment)
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = self._resolve(written, base_dir, fragment=fragment)
        return known

    def _resolve(self, written: str, base_dir: Path, *, fragment: bool = False) -> Resolved:
        """Resolve `written` as named in a file that lives in `base_dir`.

        Relative paths try `base_dir`, then the current directory; a leading `/` means the
        deck root, then the current directory. The first candidate that exists wins, and it
        must lie inside the root once symlinks are followed.
        """
        name = _strip_fragment(written) if fragment else written
        if not name:
            return Resolved(None, "empty path")
        # Plain strings until the answer: pathlib costs more than the disk lookups here.
        folders: tuple[str | Path, str | Path]
        if name.startswith("/"):
            rel = name.lstrip("/")
            folders = (self._root, self.cwd)
        else:
            rel = name
            folders = (base_dir, self.cwd)
        for folder in folders:
            real = self._real(os.path.join(folder, rel))
            if real is None:
                continue
            if not inside_root(real, self._root):
                return Resolved(
                    None,
                    f"refused: {written} resolves outside the deck root {self.root}"
                    " (start with --root to widen it)",
                    refused=True,
                )
            return Resolved(Path(real))
        return Resolved(None, "not found")

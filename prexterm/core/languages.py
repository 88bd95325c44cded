"""Which language a code file is written in, and which program runs it.

Prexent assumed Elixir for every `!code` block. prexterm guesses from the file's
extension instead, so a Python talk needs no `python` argument on each line.
"""

from __future__ import annotations

import shlex
from functools import lru_cache
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prexterm.core.model import CodeBlock

_BY_EXTENSION: dict[str, str] = {
    ".py": "python",
    ".pyw": "python",
    ".ex": "elixir",
    ".exs": "elixir",
    ".erl": "erlang",
    ".escript": "erlang",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".rb": "ruby",
    ".sh": "shell",
    ".bash": "shell",
    ".pl": "perl",
    ".lua": "lua",
    ".php": "php",
    ".r": "r",
    ".ts": "typescript",
    ".go": "go",
    ".rs": "rust",
    ".c": "c",
    ".h": "c",
    ".cpp": "cpp",
    ".java": "java",
    ".json": "json",
    ".toml": "toml",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".sql": "sql",
    ".md": "markdown",
    ".txt": "text",
}

_ALIASES: dict[str, str] = {
    "py": "python",
    "python3": "python",
    "ex": "elixir",
    "exs": "elixir",
    "erl": "erlang",
    "js": "javascript",
    "node": "javascript",
    "rb": "ruby",
    "sh": "shell",
    "bash": "shell",
    "zsh": "shell",
}

_RUNNERS: dict[str, tuple[str, ...]] = {
    "python": ("python3",),
    "elixir": ("elixir",),
    "erlang": ("escript",),
    "javascript": ("node",),
    "ruby": ("ruby",),
    "shell": ("bash",),
    "perl": ("perl",),
    "lua": ("lua",),
    "php": ("php",),
    "r": ("Rscript",),
}


@lru_cache(maxsize=256)
def language_for(path: str, given: str | None = None) -> str:
    """The language named on the `!code` line, else the one the file extension implies."""
    if given:
        lowered = given.lower()
        return _ALIASES.get(lowered, lowered)
    return _BY_EXTENSION.get(PurePath(path).suffix.lower(), "text")


def extension_for(language: str) -> str:
    """The usual file extension of `language` (".txt" when none is known)."""
    for extension, name in _BY_EXTENSION.items():
        if name == language:
            return extension
    return ".txt"


def default_runner(language: str) -> tuple[str, ...] | None:
    """The command that runs code in `language`, or None when there is no safe default."""
    return _RUNNERS.get(language)


def run_refusal(block: CodeBlock) -> str | None:
    """The reason `block` cannot run at all, before any file or program is looked at.

    It lives beside the runners, not in the code runner, so `prexterm check` can say
    it without loading asyncio.
    """
    if not block.runner:
        return block.runner_problem or (
            f"no runner is known for {block.language}; name one on the !code line"
        )
    if block.asset.path is None and block.workdir is None:
        return block.asset.problem or f"Code file not found: {block.asset.written}"
    return None


def command_line(block: CodeBlock) -> str | None:
    """The command a run of `block` executes, as `prexterm check` lists it.

    `shlex.join(runner + [path]) + " (in DIR)"` (for a fenced block, the private copy's
    path as a pattern: it is made anew for each run), or None when the block cannot run
    (no runner, or no usable code file).
    """
    if run_refusal(block) is not None or block.runner is None:
        return None
    if block.workdir is not None:
        # A fenced block has no file: it runs from a private copy made for each run.
        private = f"$TMPDIR/prexterm-run-XXXXXXXX/{block.file_name}"
        command = f"{shlex.join(block.runner)} {private}"
        return f"{command} (in {block.workdir}; the copy is private, 0600, removed after)"
    path = block.asset.path
    if path is None:
        return None
    return f"{shlex.join([*block.runner, str(path)])} (in {path.parent})"

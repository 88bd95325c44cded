"""Files a hostile deck puts where its text should be: pipes, devices, links swapped in
after the deck was checked, and more text than any talk holds. Each is refused with a
message that names it, quickly, and the rest of the deck still plays."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from prexterm.core.model import CodeBlock, Deck, DeckUnreadable, ErrorBlock
from prexterm.core.parser import load_deck
from prexterm.core.text import CODE_LIMIT, DECK_LIMIT


def errors(deck: Deck) -> list[str]:
    return [
        block.message
        for slide in deck.slides
        for block in slide.blocks
        if isinstance(block, ErrorBlock)
    ]


def quick_load(deck: Path) -> Deck:
    started = time.monotonic()
    loaded = load_deck(deck, cwd=deck.parent)
    assert time.monotonic() - started < 2
    return loaded


def test_named_pipes_as_include_and_code_are_error_blocks(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "part.md")
    os.mkfifo(tmp_path / "demo.py")
    deck = tmp_path / "talk.md"
    deck.write_text("# One\n\n!include part.md\n\n---\n\n# Two\n\n!code demo.py\n")
    loaded = quick_load(deck)
    assert errors(loaded) == [
        "cannot read included file part.md: not a regular file (a named pipe)",
        "cannot read code file demo.py: not a regular file (a named pipe)",
    ]
    assert [slide.title for slide in loaded.slides] == ["One", "Two"]


def test_a_deck_that_is_a_named_pipe_cannot_be_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "talk.md")
    with pytest.raises(DeckUnreadable, match=r"cannot read: not a regular file \(a named pipe\)"):
        quick_load(tmp_path / "talk.md")


def test_a_device_linked_in_as_an_include_is_refused(tmp_path: Path) -> None:
    # A link to outside the root is refused before it is opened; with --root / it is
    # inside, and still only regular files are read.
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    deck = tmp_path / "talk.md"
    deck.write_text("# One\n\n!include zero.md\n")
    started = time.monotonic()
    loaded = load_deck(deck, cwd=tmp_path, root="/")
    assert time.monotonic() - started < 2
    assert errors(loaded) == [
        "cannot read included file zero.md: not a regular file (a character device)"
    ]


def test_includes_may_hold_8_mib_in_all(tmp_path: Path) -> None:
    # One file of 3 MiB, included over and over: the text read is counted each time.
    (tmp_path / "part.md").write_text(("word " * 20 + "\n") * (3 * (1 << 20) // 101))
    deck = tmp_path / "talk.md"
    deck.write_text("# One\n\n" + "!include part.md\n\n" * 4)
    loaded = quick_load(deck)
    limit = "too large: a deck, its includes and code files may hold 8 MiB in all"
    assert errors(loaded) == [f"cannot read included file part.md: {limit}"] * 2
    assert DECK_LIMIT == 8 * (1 << 20)


def test_a_deck_over_8_mib_cannot_be_read(tmp_path: Path) -> None:
    deck = tmp_path / "talk.md"
    deck.write_bytes(b"x" * (DECK_LIMIT + 1))
    with pytest.raises(DeckUnreadable, match="may hold 8 MiB in all"):
        quick_load(deck)


def test_a_code_file_may_hold_1_mib(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text("#" * CODE_LIMIT + "\n")
    (tmp_path / "fits.py").write_text("#" * (CODE_LIMIT - 1) + "\n")
    deck = tmp_path / "talk.md"
    deck.write_text("# One\n\n!code big.py\n\n!code fits.py\n")
    loaded = quick_load(deck)
    assert errors(loaded) == [
        "cannot read code file big.py: too large: a code file may hold at most 1 MiB"
    ]
    (code,) = [b for b in loaded.slides[0].blocks if isinstance(b, CodeBlock)]
    assert code.asset.written == "fits.py"


def test_check_reports_pipes_and_ends(tmp_path: Path) -> None:
    for name in ("part.md", "demo.py", "web.css"):
        os.mkfifo(tmp_path / name)
    (tmp_path / "talk.md").write_text(
        "# One\n\n!include part.md\n\n!code demo.py\n\n!custom_css web.css\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "prexterm", "check", "talk.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "talk.md:3: error: cannot read included file part.md: not a regular file (a named pipe)",
        "talk.md:5: error: cannot read code file demo.py: not a regular file (a named pipe)",
        "talk.md:7: warning: cannot read web.css: not a regular file (a named pipe)",
        "1 slides, 2 errors, 1 warnings",
    ]

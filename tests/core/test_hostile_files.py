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

from prexterm.core.model import TITLE_LIMIT, CodeBlock, Deck, DeckUnreadable, ErrorBlock
from prexterm.core.parser import NOTES_LIMIT, SLIDE_TEXT_LIMIT, load_deck
from prexterm.core.text import CODE_LIMIT, DECK_LIMIT


def errors(deck: Deck) -> list[str]:
    return [
        block.message
        for slide in deck.slides
        for block in slide.blocks
        if isinstance(block, ErrorBlock)
    ]


def quick_load(deck: Path) -> Deck:
    """Load a deck that names pipes or devices: a read that waits on one never ends."""
    started = time.monotonic()
    loaded = load_deck(deck, cwd=deck.parent)
    assert time.monotonic() - started < 5
    return loaded


def load(deck: Path) -> Deck:
    return load_deck(deck, cwd=deck.parent)


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
    assert time.monotonic() - started < 5
    assert errors(loaded) == [
        "cannot read included file zero.md: not a regular file (a character device)"
    ]


def test_includes_may_hold_8_mib_in_all(tmp_path: Path) -> None:
    # One file of 3 MiB, included over and over: the text read is counted each time.
    slide = "word " * 2000 + "\n---\n"  # 10 kB a slide
    (tmp_path / "part.md").write_text(slide * (3 * (1 << 20) // len(slide)))
    deck = tmp_path / "talk.md"
    deck.write_text("# One\n\n" + "!include part.md\n\n" * 4)
    loaded = load(deck)
    limit = "too large: a deck, its includes and code files may hold 8 MiB in all"
    assert errors(loaded) == [f"cannot read included file part.md: {limit}"] * 2
    assert DECK_LIMIT == 8 * (1 << 20)


def test_a_deck_over_8_mib_cannot_be_read(tmp_path: Path) -> None:
    deck = tmp_path / "talk.md"
    deck.write_bytes(b"x" * (DECK_LIMIT + 1))
    with pytest.raises(DeckUnreadable, match="may hold 8 MiB in all"):
        load(deck)


def test_a_code_file_may_hold_1_mib(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text("#" * CODE_LIMIT + "\n")
    (tmp_path / "fits.py").write_text("#" * (CODE_LIMIT - 1) + "\n")
    deck = tmp_path / "talk.md"
    deck.write_text("# One\n\n!code big.py\n\n!code fits.py\n")
    loaded = load(deck)
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
        "1 slide, 2 errors, 1 warning",
    ]


# -- text no talk holds: one slide of megabytes, notes of megabytes ----------------------


def test_a_deck_of_one_3_mb_line_shows_its_first_100000_characters(tmp_path: Path) -> None:
    line = "alpha beta gamma " * 176_471  # 3,000,007 characters on one line
    deck = tmp_path / "talk.md"
    deck.write_text(line + "\n")
    loaded = load(deck)
    (slide,) = loaded.slides
    assert len(slide.markdown) == SLIDE_TEXT_LIMIT == 100_000
    assert line.startswith(slide.markdown)
    message = (
        "slide text cut: a slide shows at most 100,000 characters of text;"
        " the rest of this one is not shown"
    )
    assert errors(loaded) == [message]
    assert [d.format() for d in loaded.diagnostics] == [f"talk.md:1: error: {message}"]
    assert slide.title == line[:TITLE_LIMIT].strip() and TITLE_LIMIT == 1000


def test_a_long_slide_is_cut_on_a_line_end_and_keeps_its_code(tmp_path: Path) -> None:
    (tmp_path / "demo.py").write_text("print('hi')\n")
    text = "".join(f"line {n} of a very long slide\n" for n in range(5000))
    (tmp_path / "talk.md").write_text(f"# Long\n\n{text}\n!code demo.py\n\n{text}\n---\n\nNext\n")
    loaded = load(tmp_path / "talk.md")
    first, second = loaded.slides
    assert len(first.markdown) <= SLIDE_TEXT_LIMIT
    assert first.markdown.endswith(" of a very long slide")
    kinds = [type(block).__name__ for block in first.blocks]
    assert kinds == ["MarkdownBlock", "ErrorBlock", "CodeBlock"]
    assert second.markdown == "Next"


def test_notes_over_20000_characters_are_cut_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "talk.md").write_text(
        "# One\n!comment short note\n!comment " + "word " * 10_000 + "\n!comment late\n"
    )
    loaded = load(tmp_path / "talk.md")
    (slide,) = loaded.slides
    assert sum(map(len, slide.notes)) == NOTES_LIMIT == 20_000
    assert slide.notes[0] == "short note"
    assert [d.format() for d in loaded.diagnostics] == [
        "talk.md:1: warning: notes cut: a slide keeps at most 20,000 characters of notes"
    ]

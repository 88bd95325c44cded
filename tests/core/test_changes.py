"""Which slide a reload lands on, and which saves count as broken."""

from __future__ import annotations

from prexterm.core.changes import first_changed, index_after_reload, new_error
from prexterm.core.parser import load_deck
from tests.conftest import WriteFiles


def two_versions(write: WriteFiles, before: str, after: str):  # type: ignore[no-untyped-def]
    path = write({"deck.md": before})
    old = load_deck(path)
    path.write_text(after)
    return old, load_deck(path)


def test_added_line_above_does_not_count_as_a_change_below(write: WriteFiles) -> None:
    old, new = two_versions(write, "a\n---\nb\n---\nc\n", "a\n\n\n\n---\nb\n---\nc\n")
    assert first_changed(old, new) is None
    assert index_after_reload(old, new, 2) == 2


def test_moves_to_first_changed_or_stays(write: WriteFiles) -> None:
    old, new = two_versions(write, "a\n---\nb\n---\nc\n", "a\n---\nB\n---\nc\n")
    assert index_after_reload(old, new, 0) == 1
    assert index_after_reload(old, new, 1) == 1
    old, new = two_versions(write, "a\n---\nb\n---\nc\n", "a\n")
    assert index_after_reload(old, new, 2) == 0


def test_new_errors_break_old_errors_do_not(write: WriteFiles) -> None:
    old, new = two_versions(write, "!nope\na\n", "!nope\nb\n")
    assert new_error(old, new) is None
    old, new = two_versions(write, "a\n", "a\n!include missing.md\n")
    broken = new_error(old, new)
    assert broken is not None and broken.message == "Included file not found: missing.md"


def test_a_note_moved_past_a_pause_is_a_change_of_its_slide(write: WriteFiles) -> None:
    before = "a\n---\nb\n!comment later\n<!-- pause -->\nc\n"
    after = "a\n---\nb\n<!-- pause -->\n!comment later\nc\n"
    old, new = two_versions(write, before, after)
    assert first_changed(old, new) == 1

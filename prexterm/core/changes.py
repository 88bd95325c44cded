"""What a reload changed, and whether the new version of a deck is fit to show.

An author saves the deck in one window and watches the player in another: the player
should land on the slide that was edited, and a save that breaks the deck (a cycle, a
vanished include, bytes that are not UTF-8) must not replace a deck that played.
"""

from __future__ import annotations

from collections.abc import Hashable

from prexterm.core.model import CodeBlock, Deck, Diagnostic, ErrorBlock, Severity, Slide


def content_key(slide: Slide) -> Hashable:
    """What the audience and the speaker see of a slide, without where it came from.

    Source lines are left out on purpose: adding a line to slide 3 moves the lines of
    every later slide, but does not change them.
    """
    blocks: list[tuple[str, ...]] = []
    for block in slide.blocks:
        if isinstance(block, CodeBlock):
            blocks.append(("code", block.asset.written, block.language, block.code))
        elif isinstance(block, ErrorBlock):
            blocks.append(("error", block.message))
        else:
            blocks.append(("text", block.text))
    background = slide.background.written if slide.background else None
    return (
        tuple(blocks),
        slide.classes,
        slide.notes,
        slide.note_steps,  # a note moved past a pause is another step's note
        slide.header,
        slide.footer,
        background,
    )


def first_changed(old: Deck, new: Deck) -> int | None:
    """Index of the first slide that differs between two versions, or None if none does."""
    for index, (before, after) in enumerate(zip(old.slides, new.slides, strict=False)):
        if content_key(before) != content_key(after):
            return index
    if len(old.slides) != len(new.slides):
        return min(len(old.slides), len(new.slides))
    return None


def _error_key(diagnostic: Diagnostic) -> tuple[str, str]:
    return (diagnostic.source.file, diagnostic.message)


def new_error(old: Deck, new: Deck) -> Diagnostic | None:
    """The first error of `new` that `old` did not have: the save broke the deck."""
    known = {_error_key(d) for d in old.diagnostics if d.severity is Severity.ERROR}
    for diagnostic in new.diagnostics:
        if diagnostic.severity is Severity.ERROR and _error_key(diagnostic) not in known:
            return diagnostic
    return None


def index_after_reload(old: Deck, new: Deck, index: int) -> int:
    """Where the view goes after a reload from slide `index` (0-based).

    Nothing changed: the view stays. Otherwise it moves to the first changed slide, which
    is the current one when the author edited what is on screen. Always within the deck.
    """
    if not new.slides:
        return 0
    changed = first_changed(old, new)
    target = index if changed is None else changed
    return max(0, min(target, len(new.slides) - 1))

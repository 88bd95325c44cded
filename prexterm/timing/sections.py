"""Sections of a talk (`<!-- section: Demo -->`): where each starts, for the pace.

A section mark is an HTML comment alone on its line, outside fenced code, in the slide it
starts (see the format page). The speaker is told when the next section should begin, so a
talk that runs late is seen to before the demo or the questions are squeezed.
"""

from __future__ import annotations

from collections.abc import Sequence

from prexterm.core.model import Slide


def section_name(slide: Slide) -> str | None:
    """The name of the section `slide` starts, or None: the parser reads the mark, as it
    reads every command, so one inside fenced code or a quote is text."""
    return slide.section or None


def sections(slides: Sequence[Slide]) -> list[tuple[int, str]]:
    """Each section's first slide number and name, in the deck's order."""
    found = []
    for slide in slides:
        name = section_name(slide)
        if name is not None:
            found.append((slide.number, name))
    return found


def next_section(marks: Sequence[tuple[int, str]], slide: int) -> tuple[int, str] | None:
    """The first section that starts after slide `slide`, or None."""
    return next(((number, name) for number, name in marks if number > slide), None)

"""Sections of a talk (`<!-- section: Demo -->`): where each starts, for the pace.

A section mark is an HTML comment alone on its line, outside fenced code, in the slide it
starts (see the format page). The speaker is told when the next section should begin, so a
talk that runs late is seen to before the demo or the questions are squeezed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from prexterm.core.model import Slide

_MARK = re.compile(r"^\s*<!--\s*section\s*:\s*(.*?)\s*-->\s*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def section_name(slide: Slide) -> str | None:
    """The name of the section `slide` starts, or None."""
    fence: str | None = None
    for line in slide.markdown.splitlines():
        opened = _FENCE.match(line)
        if opened is not None:
            mark = opened.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence):
                fence = None
            continue
        if fence is None:
            found = _MARK.match(line)
            if found is not None and found.group(1):
                return found.group(1)
    return None


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

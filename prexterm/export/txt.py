"""The talk as plain text: every page's words, slide numbers as separators.

For search, screen readers and diffs between two versions of a talk: no colour, no
trailing spaces, blank rows at the top and bottom of a page left out.
"""

from __future__ import annotations

from prexterm.export.pages import Page


class TextWriter:
    """Collects pages as text; `result` is the whole file."""

    extension = ".txt"

    def __init__(self) -> None:
        self._parts: list[str] = []

    def add(self, page: Page) -> None:
        lines = page.lines()
        while lines and not lines[-1]:
            lines.pop()
        while lines and not lines[0]:
            lines.pop(0)
        rule = "─" * 8
        block = [f"{rule} {page.label} {rule}", "", *lines]
        if page.notes:
            block += ["", "notes:", *(f"  - {note}" for note in page.notes)]
        self._parts.append("\n".join(block))

    def result(self) -> str:
        return "\n\n".join(self._parts) + "\n"

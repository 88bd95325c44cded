"""The layout commands drawn: columns side by side, alignment, and empty lines.

A slide without layout commands never comes here. One with them is drawn region by
region (see `Place`): a full-width region block under block, a region in columns as a
grid whose columns take their relative widths of the slide. Columns that would not fit
stand one under the other, in column order, rather than being cut.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.align import Align
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from prexterm.core.model import Place

MIN_COLUMN_WIDTH = 20
"""The fewest cells a column may have beside another: below this, or below what its
widest word or code line needs, the columns of a layout stack one under the other."""
COLUMN_GAP = 2
"""Empty cells between two columns."""


def placed(rendered: Sequence[RenderableType], place: Place) -> list[RenderableType]:
    """A block's renderables with its alignment and the empty lines before it."""
    parts: list[RenderableType] = list(rendered)
    if place.align != "left":
        # The blank lines between a block's parts stay as they are: aligned, an empty
        # line would vanish.
        align = Align.center if place.align == "center" else Align.right
        parts = [
            part if isinstance(part, Text) and not part.plain else align(part) for part in parts
        ]
    if place.gap:
        parts = [Text("\n" * (place.gap - 1)), *parts]
    return parts


class Columns:
    """One region of a slide in columns: the blocks of each column, in the order written.

    Side by side when every column gets at least `MIN_COLUMN_WIDTH` cells and the width
    its content needs at the least; otherwise in order under each other, never clipped.
    """

    def __init__(self, widths: tuple[int, ...], columns: Sequence[Sequence[RenderableType]]):
        self.widths = widths
        self.columns = [Group(*self._spaced(parts)) for parts in columns]

    @staticmethod
    def _spaced(parts: Sequence[RenderableType]) -> list[RenderableType]:
        spaced: list[RenderableType] = []
        for part in parts:
            if spaced:
                spaced.append(Text(""))
            spaced.append(part)
        return spaced

    def shares(self, width: int) -> list[int]:
        """The cells each column gets out of `width`."""
        room = max(0, width - COLUMN_GAP * (len(self.widths) - 1))
        total = sum(self.widths)
        shares = [room * w // total for w in self.widths]
        shares[-1] += room - sum(shares)
        return shares

    def needs(self, console: Console, options: ConsoleOptions) -> list[int]:
        """The fewest cells each column needs beside the others: `MIN_COLUMN_WIDTH`, or
        more for a word (or a table's words) wider than that.

        Each column is measured in its own share, as it would be drawn: there a table
        takes the shape that fits, and code wraps its lines (which `check --size` names).
        """
        shares = self.shares(options.max_width)
        return [
            max(
                MIN_COLUMN_WIDTH,
                Measurement.get(console, options.update_width(share), column).minimum,
            )
            for share, column in zip(shares, self.columns, strict=True)
        ]

    def side_by_side(self, console: Console, options: ConsoleOptions) -> bool:
        """Whether every column fits beside the others at this width."""
        shares = self.shares(options.max_width)
        if min(shares) < MIN_COLUMN_WIDTH:
            return False
        needs = self.needs(console, options)
        return all(need <= share for need, share in zip(needs, shares, strict=True))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.side_by_side(console, options):
            yield Group(*self._spaced([c for c in self.columns if c.renderables]))
            return
        grid = Table.grid(padding=(0, COLUMN_GAP, 0, 0), expand=True)
        for share in self.shares(options.max_width):
            # Folded as at full width: a grid's columns would end a word too long for
            # them with an ellipsis, cutting what the column holds.
            grid.add_column(width=share, no_wrap=False, overflow="fold")
        grid.add_row(*self.columns)
        yield grid

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(options.max_width, options.max_width)

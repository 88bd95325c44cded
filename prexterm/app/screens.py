"""Screens laid over the slide: overview, help and blank.

Each is a modal screen so the slide underneath keeps its state; closing one returns
to exactly where the talk was.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from prexterm.app.ascii import ascii_borders, ascii_text
from prexterm.app.keys import KEY_GROUPS, KeyGroups, KeyRow, key_label, keys_text
from prexterm.app.messages import OverlayChanged, tell
from prexterm.app.steady_app import SteadyApp
from prexterm.core.model import Deck, Slide


def open_overlay(
    node: DOMNode, screen: Screen[Any], closed: Callable[[Any], None] | None = None
) -> None:
    """Show `screen` over the slide; the parts of `node`'s screen hear that it covers the
    slide, and that it has gone once `closed` has had what the overlay returns.

    Nothing opens once the player is quitting (a key typed right after `q`): an overlay
    mounted while the app closes would end the talk with an error."""
    if isinstance(node.app, SteadyApp) and node.app.quitting:
        return
    tell(node, OverlayChanged(True))

    def after(result: Any) -> None:
        if closed is not None:
            closed(result)
        tell(node, OverlayChanged(False))

    node.app.push_screen(screen, after)


SMALL = (60, 20)
"""Below this width or height an overlay takes the whole terminal, without frills."""


def _slide_label(slide: Slide, width: int, ascii_only: bool, one_line: bool = False) -> Table:
    """One slide's line: its number, then its title, wrapped under the title (not under
    the number), or cut to `one_line` where rows are few. A photo slide without text is
    "photo" (and its picture's file); one with text gets a photo mark after it."""
    mark = "[photo]" if ascii_only else "▣ photo"
    if slide.photo and not slide.has_text:
        picture = slide.background.written if slide.background else ""
        title = Text(mark, style="italic")
        if picture:
            title.append(f"  {picture}", style="dim")
    else:
        title = Text(slide.title or "(no text)", style="" if slide.title else "dim italic")
        if slide.photo:
            title.append(f"  {mark}", style="italic")
    row = Table.grid(padding=(0, 2, 0, 0), expand=True)
    row.add_column(width=width, justify="right", style="bold", no_wrap=True)
    if one_line:
        row.add_column(ratio=1, no_wrap=True, overflow="crop" if ascii_only else "ellipsis")
    else:
        row.add_column(ratio=1)
    if slide.skipped:
        # Out of the talk (`skip_slide`): listed, marked, and without a talk number.
        title.stylize("dim")
        title.append("  (skipped)" if ascii_only else "  ⊘ skipped", style="dim italic")
    row.add_row("-" if slide.skipped else str(slide.number), title)
    return row


class _Filter(Input):
    """The overview's filter: an `o` typed into it while empty is left to the screen,
    which closes the overview with it."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if key == "o" and not self.value:
            return False
        return super().check_consume_key(key, character)


class OverviewScreen(ModalScreen[int | None]):
    """Every slide by number and title; typing filters, Enter jumps; Escape, Tab or `o`
    (on an empty filter: the filter ignores case, so "O" still types an o) return."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,tab", "dismiss_none", "Close", show=False, priority=True),
        Binding("o", "letter_o", "Close, or filter by o", show=False, priority=True),
        Binding("down", "move(1)", "Next", show=False, priority=True),
        Binding("up", "move(-1)", "Previous", show=False, priority=True),
        Binding("pagedown", "move(10)", "Page down", show=False, priority=True),
        Binding("pageup", "move(-10)", "Page up", show=False, priority=True),
    ]
    """Arrows move through the list while the filter keeps the keyboard; what opened
    the overview closes it."""

    def __init__(self, deck: Deck, current: int, *, ascii_only: bool = False) -> None:
        super().__init__()
        self.deck = deck
        self.current = current
        self.ascii_only = ascii_only
        self._shown: list[int] = []
        self._rows: list[int | None] = []
        self._small = False

    def compose(self) -> ComposeResult:
        with Vertical(id="overview"):
            yield Static(id="overview-title")
            yield _Filter(placeholder="filter by number or text", id="overview-filter")
            yield OptionList(id="overview-list")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()
        if self.ascii_only:
            ascii_borders(self)

    def on_resize(self, event: events.Resize) -> None:
        small = event.size.width < SMALL[0] or event.size.height < SMALL[1]
        self.set_class(small, "-small")
        if small != self._small:
            self._small = small
            self._fill(self.query_one(Input).value)
        hint = (
            "type to filter, Enter jumps"
            if small
            else "Slides — type to filter, Enter to jump, Escape to return"
        )
        self.query_one("#overview-title", Static).update(
            Text(ascii_text(hint) if self.ascii_only else hint)
        )

    def _fill(self, query: str) -> None:
        query = query.strip().lower()
        width = len(str(len(self.deck.slides)))
        options: list[Option] = []
        self._shown = []
        self._rows = []
        for slide in self.deck.all_slides:
            title = slide.title
            if query and query not in title.lower() and not str(slide.number).startswith(query):
                continue
            label = _slide_label(slide, width, self.ascii_only, self._small)
            if slide.skipped:
                self._rows.append(None)
                options.append(Option(label, disabled=True))
                continue
            self._shown.append(slide.number)
            self._rows.append(slide.number)
            options.append(Option(label))
        if not options:
            options.append(Option(Text("no match", style="italic"), disabled=True))
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(options)
        if self._shown:
            listing.highlighted = self._rows.index(
                self.current if self.current in self._shown else self._shown[0]
            )

    @on(Input.Changed, "#overview-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#overview-filter")
    def _submit(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None and self._shown:
            number = self._rows[highlighted] if highlighted < len(self._rows) else None
            if number is not None:
                self.dismiss(number)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        number = self._rows[event.option_index] if event.option_index < len(self._rows) else None
        if number is not None:
            self.dismiss(number)

    def action_move(self, step: int) -> None:
        listing = self.query_one(OptionList)
        if not self._shown:
            return
        current = listing.highlighted or 0
        target = max(0, min(len(self._rows) - 1, current + step))
        # Skipped slides are listed but cannot be chosen: the move goes past them.
        while self._rows[target] is None and 0 < target < len(self._rows) - 1:
            target += 1 if step > 0 else -1
        if self._rows[target] is not None:
            listing.highlighted = target

    def action_letter_o(self) -> None:
        """`o` opened the overview and closes it, unless a filter is being typed."""
        search = self.query_one(Input)
        if not (search.value and search.has_focus):
            self.dismiss(None)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    @property
    def shown(self) -> list[int]:
        """Slide numbers the filter currently lets through, in order."""
        return list(self._shown)


class KeyTable:
    """One group of keys as two columns (keys, meaning) where the terminal is wide
    enough, else each row's keys on a line of their own with the meaning under them.

    The keys column is as wide in every group (`keys_width`), so the groups line up.
    """

    def __init__(self, rows: tuple[KeyRow, ...], keys_width: int, ascii_only: bool) -> None:
        self.rows = [(keys_text(row.keys, ascii_only=ascii_only), row.meaning) for row in rows]
        self.keys_width = keys_width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width >= self.keys_width + 2 + 30:
            table = Table.grid(padding=(0, 2, 0, 0), expand=True)
            table.add_column(style="bold", width=self.keys_width, no_wrap=True)
            table.add_column(ratio=1)
            for keys, meaning in self.rows:
                table.add_row(Text(keys), Text(meaning))
            yield table
            return
        stacked = Table.grid(expand=True)
        stacked.add_column()
        for keys, meaning in self.rows:
            stacked.add_row(Text(keys, style="bold"))
            stacked.add_row(Padding(Text(meaning), (0, 0, 0, 2)))
        yield stacked


def key_tables(
    ascii_only: bool = False, groups: KeyGroups = KEY_GROUPS
) -> list[tuple[str, KeyTable]]:
    """Each group of keys (`KEY_GROUPS`, or as the settings made them) with its table, as
    the help overlay shows them."""
    width = max(
        len(keys_text(row.keys, ascii_only=ascii_only)) for _, rows in groups for row in rows
    )
    return [(group, KeyTable(rows, width, ascii_only)) for group, rows in groups]


class HelpScreen(ModalScreen[None]):
    """The key table, grouped; any of Escape, ? or q closes it, arrows scroll it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close", show=False),
    ]

    def __init__(self, *, ascii_only: bool = False, groups: KeyGroups = KEY_GROUPS) -> None:
        super().__init__()
        self.ascii_only = ascii_only
        self.groups = groups
        """The keys as the settings bound them."""

    def compose(self) -> ComposeResult:
        scroll = VerticalScroll(id="help")
        scroll.border_title = "prexterm keys"
        up, down = (key_label(k, ascii_only=self.ascii_only) for k in ("up", "down"))
        scroll.border_subtitle = f"Escape or ? closes, {up} {down} scroll"
        with scroll:
            for group, table in key_tables(self.ascii_only, self.groups):
                yield Static(Text(group), classes="help-group")
                yield Static(table, classes="help-keys")

    def on_mount(self) -> None:
        self.query_one("#help").focus()
        if self.ascii_only:
            ascii_borders(self)


class BlankScreen(ModalScreen[None]):
    """An empty screen for when the audience should look at the speaker, not the slide:
    black, or white (`w`: a lit room sees the speaker, and a white screen lights them)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Return", show=False),
        Binding("q,ctrl+c", "app.quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self, *, white: bool = False, return_keys: Collection[str] = ("b", "full_stop", "w")
    ) -> None:
        super().__init__(classes="white" if white else None)
        self.white = white
        self.return_keys = frozenset(return_keys)
        """The keys that blank the screen (as configured): any of them brings the slide back."""

    def on_key(self, event: events.Key) -> None:
        if event.key in self.return_keys:
            event.stop()
            self.dismiss()

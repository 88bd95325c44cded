"""Screens laid over the slide: overview, help and blank.

Each is a modal screen so the slide underneath keeps its state; closing one returns
to exactly where the talk was.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from prexterm.app.keys import KEYS
from prexterm.core.model import Deck


def _slide_label(number: int, title: str, photo: bool, width: int, ascii_only: bool) -> Text:
    mark = ("[photo]" if ascii_only else "▣ photo") if photo else ""
    label = Text(f"{number:>{width}}  ", style="bold")
    label.append(title or "(no text)", style="" if title else "dim italic")
    if mark:
        label.append(f"  {mark}", style="italic")
    return label


class OverviewScreen(ModalScreen[int | None]):
    """Every slide by number and title; typing filters, Enter jumps, Escape returns."""

    CSS = """
    OverviewScreen {
        align: center middle;
    }

    #overview {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: round $accent;
        background: $surface;
    }

    #overview-title {
        height: 1;
        color: $text-muted;
        padding: 0 1;
    }

    #overview-list {
        height: 1fr;
        border: none;
    }
    """
    """Read when the screen first opens, as part of the app's own stylesheet: a player
    that never opens it never parses it."""
    SCOPED_CSS = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Close", show=False),
        Binding("down", "move(1)", "Next", show=False, priority=True),
        Binding("up", "move(-1)", "Previous", show=False, priority=True),
        Binding("pagedown", "move(10)", "Page down", show=False, priority=True),
        Binding("pageup", "move(-10)", "Page up", show=False, priority=True),
    ]
    """Arrows move through the list while the filter keeps the keyboard."""

    def __init__(self, deck: Deck, current: int, *, ascii_only: bool = False) -> None:
        super().__init__()
        self.deck = deck
        self.current = current
        self.ascii_only = ascii_only
        self._shown: list[int] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="overview"):
            yield Static(
                Text("Slides — type to filter, Enter to jump, Escape to return"),
                id="overview-title",
            )
            yield Input(placeholder="filter by number or text", id="overview-filter")
            yield OptionList(id="overview-list")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        query = query.strip().lower()
        width = len(str(len(self.deck.slides)))
        options: list[Option] = []
        self._shown = []
        for slide in self.deck.slides:
            title = slide.title
            if query and query not in title.lower() and not str(slide.number).startswith(query):
                continue
            self._shown.append(slide.number)
            options.append(
                Option(_slide_label(slide.number, title, slide.photo, width, self.ascii_only))
            )
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(options)
        if self._shown:
            listing.highlighted = (
                self._shown.index(self.current) if self.current in self._shown else 0
            )

    @on(Input.Changed, "#overview-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#overview-filter")
    def _submit(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None and self._shown:
            self.dismiss(self._shown[highlighted])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._shown[event.option_index])

    def action_move(self, step: int) -> None:
        listing = self.query_one(OptionList)
        if not self._shown:
            return
        current = listing.highlighted or 0
        listing.highlighted = max(0, min(len(self._shown) - 1, current + step))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    @property
    def shown(self) -> list[int]:
        """Slide numbers the filter currently lets through, in order."""
        return list(self._shown)


class HelpScreen(ModalScreen[None]):
    """The key table; any of Escape, ? or q closes it."""

    CSS = """
    HelpScreen {
        align: center middle;
    }

    #help {
        width: auto;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 1 2;
    }

    #help-close {
        margin-top: 1;
    }
    """
    """Read when the screen first opens, as part of the app's own stylesheet: a player
    that never opens it never parses it."""
    SCOPED_CSS = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        table = Table(title="prexterm keys", show_header=False, expand=False, box=None)
        table.add_column(style="bold")
        table.add_column()
        for keys, meaning in KEYS:
            table.add_row(Text(keys), Text(meaning))
        with Vertical(id="help"):
            yield Static(table)
            yield Static(Text("Escape or ? closes this help", style="dim"), id="help-close")


class BlankScreen(ModalScreen[None]):
    """An empty screen for when the audience should look at the speaker, not the slide."""

    CSS = """
    BlankScreen {
        background: black;
    }
    """
    """Read when the screen first opens, as part of the app's own stylesheet: a player
    that never opens it never parses it."""
    SCOPED_CSS = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b,full_stop,escape", "dismiss", "Return", show=False),
        Binding("q,ctrl+c", "app.quit", "Quit", show=False, priority=True),
    ]

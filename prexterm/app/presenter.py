"""The presenter pane: notes, the next slide, timers and pace, for the speaker's eyes only.

Its widgets are made once; each slide change or clock tick only updates their text. The
notes come first: the pane's height follows the terminal's, the notes keep their share of
it, and the slide previews give way before them (see `plan_pane`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.widgets import Static

from prexterm.app.ascii import ascii_rich, ascii_text, wants_ascii
from prexterm.app.layout import FRAME_ROWS
from prexterm.app.messages import (
    DeckReloaded,
    PeekChanged,
    SlideChanged,
    StatusShown,
    TalkClockChanged,
    TerminalResized,
    View,
    ViewersChanged,
    tell,
)
from prexterm.app.viewers import cut_warnings, describe_viewers
from prexterm.core.model import Deck, Slide
from prexterm.core.talk import Talk
from prexterm.render.plain import markdown_to_plain, step_texts
from prexterm.timing.durations import format_duration
from prexterm.timing.pace import ON_TIME_BAND, Pace, pace_at
from prexterm.timing.sections import next_section, sections

if TYPE_CHECKING:
    from prexterm.app.caches import SlideCaches
    from prexterm.style.webcss import SlideLook
    from prexterm.timing.plan import PlanPace

PREVIEW_LINES = 4
PREVIEW_CHARS = 2000
"""How much of a slide's Markdown a preview reads: it shows a few short lines, and
laying out a slide of a hundred thousand characters would stall the pane."""

SLIDE_MIN_ROWS = 3
"""Rows the slide keeps under any pane, however short the terminal (a line of text and
the "more below" mark): the audience and the speaker still see what is talked about."""
PANE_MIN_ROWS = 5
"""Rows the pane below the slide wants at least: its border, and notes to read."""
TIGHT_PANE_ROWS = 3
"""A pane of this many rows or fewer has no border: every row goes to the notes."""
MIN_NOTE_ROWS = 3
"""Lines of notes the pane shows before anything else. When its rows cannot hold the
timers, the notes' title and these lines, the pane shows the notes alone."""
PREVIEW_MIN_ROWS = 1
"""A slide preview cut to one row shows its title and first line on it, or nothing."""


def pane_rows_below(terminal_rows: int) -> int:
    """How tall the pane is under the slide, for a terminal `terminal_rows` high.

    Two fifths of the terminal (five rows at least), so that the pane grows with it and
    the next slide's preview has room once the notes are read. The slide keeps a quarter
    of the terminal and never fewer than three rows: the pane never hides it. At the
    smallest sizes the pane keeps one row for the notes (see `progress_gives_way`).
    """
    slide_rows = max(SLIDE_MIN_ROWS, terminal_rows // 4)
    room = terminal_rows - FRAME_ROWS - slide_rows
    return max(1, min(max(terminal_rows * 2 // 5, PANE_MIN_ROWS), room))


def progress_gives_way(terminal_rows: int) -> bool:
    """Whether the terminal is too short for the frame, the slide's least rows and a row
    of notes: the progress line then gives its row to the notes (the footer still says
    which slide this is)."""
    return terminal_rows - FRAME_ROWS - SLIDE_MIN_ROWS < 1


@dataclass(frozen=True)
class PanePlan:
    """Rows of each part of the pane; a part with 0 rows is hidden with its title."""

    notes_only: bool
    """Too short for anything but the notes: no timers, no titles, no previews."""
    notes: int
    """Rows of note text under the notes' title, which shows the "more notes" mark (with
    no title, the mark takes the last of these rows)."""
    current: int
    """Rows of the current slide's preview (the notes view), its title included."""
    next: int
    """Rows of the next slide's preview, its title included."""
    spaced: bool
    """Rows are left for a blank line above each title."""


def plan_pane(
    rows: int,
    *,
    fixed: int,
    note_lines: int,
    next_lines: int,
    current_lines: int | None = None,
) -> PanePlan:
    """Share `rows` between the notes and the previews; the notes come first.

    `fixed` rows go to the status line, timers and pace. The notes get all the rows they
    need up to at least half of what is left; each preview then keeps its title and
    first line when there is room for them (on one row when cut that short), the current
    slide's before the next slide's, and the next slide's preview is the first to
    shrink. Rows left over put a blank line above each title row.
    """
    room = rows - fixed
    if room < 1 + min(note_lines, MIN_NOTE_ROWS):
        return PanePlan(notes_only=True, notes=max(rows, 0), current=0, next=0, spaced=False)
    room -= 1  # the notes' title
    guaranteed = min(note_lines, max(MIN_NOTE_ROWS, room // 2))
    wanted = [1 + lines for lines in (current_lines, next_lines) if lines is not None]
    kept = []
    spare = room - guaranteed
    for _ in wanted:
        keep = PREVIEW_MIN_ROWS if spare >= PREVIEW_MIN_ROWS else 0
        kept.append(keep)
        spare -= keep
    notes = min(note_lines, room - sum(kept))
    left = room - notes
    given = []
    for index, want in enumerate(wanted):
        share = min(want, left - sum(kept[index + 1 :]))
        share = share if share >= PREVIEW_MIN_ROWS else 0
        given.append(share)
        left -= share
    current = given.pop(0) if current_lines is not None else 0
    titles = 1 + (current > 1) + (given[0] > 1)
    return PanePlan(
        notes_only=False, notes=notes, current=current, next=given[0], spaced=left >= titles
    )


def slide_preview(slide: Slide | None, *, lines: int = PREVIEW_LINES) -> Text:
    """A few plain lines that tell the speaker what a slide is about."""
    if slide is None:
        return Text("end of deck", style="italic")
    text = Text(f"{slide.number}. ", style="bold")
    text.append(slide.title or "(no text)", style="bold")
    if slide.photo:
        text.append("  · photo", style="italic")
    plain = markdown_to_plain(slide.markdown[:PREVIEW_CHARS])
    body = [line.strip() for line in plain.splitlines() if line.strip()]
    if body and body[0].lstrip("-*+•◦ ").strip().startswith(slide.title):  # a long one is cut
        body = body[1:]
    for line in body[:lines]:
        text.append("\n" + line)
    return text


def step_preview(slide: Slide, step: int) -> Text:
    """What step `step` of `slide` adds, as plain lines under the step it is."""
    text = Text(f"step {step}/{slide.steps}", style="bold")
    texts = step_texts(slide)
    added = texts[step - 1] if 1 <= step <= len(texts) else ""
    body = [line.strip() for line in added.splitlines() if line.strip()]
    for line in body[:PREVIEW_LINES] or ["(nothing new)"]:
        text.append("\n" + line)
    return text


NOTE_NOW = "bold"
"""The notes of the step on screen: what to say now."""
NOTE_OTHER = "dim"
"""The notes of the other steps of the slide, said before or to come."""


def notes_lines(
    notes: Sequence[str],
    width: int,
    console: Console,
    *,
    ascii_only: bool = False,
    styles: Sequence[str] = (),
) -> list[Text]:
    """The notes as a list, one screen line each: a mark per note, its text wrapped
    under its first word (a hanging indent), so that where one note ends shows.

    `styles` gives each note its look (the current step's stand out), in order."""
    if not notes:
        return [Text("no notes", style="dim italic")]
    mark = "- " if ascii_only else "• "
    indent = " " * len(mark)
    lines: list[Text] = []
    for index, note in enumerate(notes):
        style = styles[index] if index < len(styles) else ""
        wrapped = Text(note, style=style).wrap(console, max(1, width - len(mark)), overflow="fold")
        for row, line in enumerate(wrapped):
            line.rstrip()
            lines.append(Text.assemble((mark if row == 0 else indent, "bold"), line))
    return lines


def note_styles(slide: Slide | None, step: int) -> list[str]:
    """How each note of `slide` shows at `step`: a slide of several steps whose notes
    belong to different steps sets those of `step` apart; otherwise all alike."""
    if slide is None or slide.steps <= 1:
        return []
    steps = [slide.note_step(i) for i in range(len(slide.notes))]
    if len(set(steps)) <= 1:
        return []
    return [NOTE_NOW if s == step else NOTE_OTHER for s in steps]


def notes_window(
    lines: Sequence[Text],
    first: int,
    rows: int,
    width: int,
    *,
    mark_row: bool,
    ascii_only: bool = False,
) -> tuple[Text, Text | None, int]:
    """The notes lines that fit in `rows` from line `first` on, the "more notes" mark
    when some do not fit, and the first line shown (kept in range, so that scrolling
    stops at both ends).

    With `mark_row`, the mark takes the last of the rows (the end of the row when there
    is only one); without it, the caller shows it elsewhere (on the notes' title row).
    """
    if len(lines) <= rows:
        return Text("\n").join(lines), None, 0
    up, down = ("^", "v") if ascii_only else ("▲", "▼")
    if mark_row and rows < 2:
        first = max(0, min(first, len(lines) - 1))
        line = lines[first].copy()
        line.truncate(max(0, width - 2))
        line.pad_right(max(0, width - 2 - line.cell_len))
        line.append(" " + (down if first + 1 < len(lines) else up), style="italic")
        return line, None, first
    shown = max(1, rows - 1 if mark_row else rows)
    first = max(0, min(first, len(lines) - shown))
    above, below = first > 0, first + shown < len(lines)
    if above and below:
        mark = f"{up}{down} more notes (K / J)"
    elif below:
        mark = f"{down} more notes (J)"
    else:
        mark = f"{up} earlier notes (K)"
    window = Text("\n").join(lines[first : first + shown])
    return window, Text(mark, style="italic"), first


WIDE_ENOUGH_FOR_SIDE_PANE = 110
"""From this width the presenter pane sits beside the slide; below it, under the slide."""


class PresenterPane(Vertical):
    """Notes, next slide and timers; the app calls `show` on each slide change and `fit`
    on each resize."""

    def __init__(
        self,
        talk: Talk,
        *,
        wall_clock: Callable[[], float] = time.time,
        show_current: bool = False,
        ascii_only: bool = False,
        pace_from: Path | None = None,
        deck: Deck | None = None,
        caches: SlideCaches | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.talk = talk
        self.pace_from = pace_from
        """The rehearsal report the pace plan comes from (None: an even pace)."""
        self.plan_pace: PlanPace | None = None
        """The plan learnt from that rehearsal, and how the talk keeps to it."""
        self.caches = caches
        """The player's drawing of slides: it tells whether a follower's terminal cuts one."""
        self.look: SlideLook | None = None
        self.peek: tuple[Slide, Slide | None] | None = None
        """The slide peeked at (`v`) and the one after it; None shows the live slide."""
        self.views: tuple[View, ...] = ()
        """The views in other terminals, as the presenter's socket knows them."""
        self.show_current = show_current
        self.ascii_only = ascii_only
        self.wall_clock = wall_clock
        self.slide: Slide | None = None
        self.next_slide: Slide | None = None
        self.step = 1
        """The step of the slide on screen: the next step is previewed while there is
        one, and its notes stand out."""
        self.count = 0
        self.status = ""
        """The player's status line, shown at the top of the notes view, whose frame
        (and the status line in it) is hidden."""
        self.first_note_line = 0
        """The notes line at the top of the notes area: J and K scroll the notes."""
        self.plan: PanePlan | None = None
        """How the rows were shared at the last layout; None before the first."""
        self._note_lines: list[Text] = []
        self._next_label = "next"
        self._timer_rows = 0
        self.unplanned: str | None = None
        """Which slides the rehearsal did not time, or why there is no plan."""
        self.slides: tuple[Slide, ...] = tuple(deck.slides) if deck else ()
        """The deck's slides, which the presenter can peek at."""
        self.sections: list[tuple[int, str]] = sections(deck.slides) if deck else []
        """Each section's first slide and name (`<!-- section: Demo -->`)."""
        if pace_from is not None and deck is not None:
            self._load_plan(deck)
        self._ready = False
        """True once its widgets exist: the pane is mounted when first opened, and the app
        may tell it about the slide before that has finished."""

    def compose(self) -> ComposeResult:
        yield Static(id="peek-mark")
        yield Static(id="pane-status")
        yield Static(id="timers")
        yield Static(id="pace")
        yield Static(id="viewers")
        if self.show_current:
            yield Static(Text("now", style="bold"), classes="pane-title", id="current-title")
            yield Static(id="current")
        yield Static(classes="pane-title", id="notes-title")
        with Vertical(id="notes-scroll"):
            yield Static(id="notes")
            yield Static(id="notes-more")
        yield Static(Text("next", style="bold"), classes="pane-title", id="next-title")
        yield Static(id="next")

    def on_mount(self) -> None:
        self.place_notices()
        self.follow_terminal(self.app.size, resized=False)
        self._ready = True
        self.show(self.slide, self.next_slide, self.count)
        self.set_interval(0.5, self._tick_if_shown)

    def _tick_if_shown(self) -> None:
        """The timers move on, while someone can see them."""
        if self.parent is not None and self.parent.has_class("presenting"):
            self.tick()

    def on_resize(self, event: events.Resize) -> None:
        self._lay_out()

    def on_terminal_resized(self, event: TerminalResized) -> None:
        self.follow_terminal(Size(event.columns, event.rows))

    @property
    def shown(self) -> bool:
        """Whether the pane shows (its parent, `#body`, has the class `presenting`)."""
        return self.parent is not None and self.parent.has_class("presenting")

    def follow_terminal(self, terminal: Size, *, resized: bool = True) -> None:
        """Beside the slide on a wide terminal (always, in the notes view), under it
        otherwise; `resized`: the terminal's size changed, `#body` is told if it is wide."""
        wide = terminal.width >= WIDE_ENOUGH_FOR_SIDE_PANE
        if resized and self.parent is not None:
            self.parent.set_class(wide, "wide")
        self.fit(terminal, beside=wide or self.show_current)

    def toggle(self) -> None:
        """Open or close the pane (`s`), brought up to date with the talk as it opens."""
        if self.parent is not None:
            self.parent.toggle_class("presenting")
        self.place_notices()
        if self.shown and self.slide is not None:
            self.show(self.slide, self.next_slide, self.count)

    def place_notices(self) -> None:
        """Notices go where they hide least: over the top of the slide while the pane is
        open beside or below it (the speaker's notes stay readable), at the bottom right
        otherwise, as usual."""
        self.screen.set_class(self.shown and not self.show_current, "-pane-open")

    def fit(self, terminal: Size, *, beside: bool) -> None:
        """Follow the terminal's size: beside the slide the pane is as tall as the
        terminal (its stylesheet says so); below it, `pane_rows_below` rows. Its parent
        (`#body`) is told when the progress line must give way (class `short`)."""
        rows = pane_rows_below(terminal.height)
        if self.parent is not None:
            self.parent.set_class(not beside and progress_gives_way(terminal.height), "short")
        if beside:
            self.styles.clear_rule("height")
            self.remove_class("tight")
            return
        self.styles.height = rows
        self.set_class(rows <= TIGHT_PANE_ROWS, "tight")

    def show(
        self, slide: Slide | None, next_slide: Slide | None, count: int, step: int | None = None
    ) -> None:
        if slide is not self.slide:
            self.first_note_line = 0
        self.slide = slide
        self.next_slide = next_slide
        self.count = count
        if step is not None:
            self.step = step
        if not self._ready:
            return
        self.tick()
        if self.views:
            self._show_viewers()
        self._lay_out()

    def on_slide_changed(self, event: SlideChanged) -> None:
        """Notes and next slide, laid out only while the pane shows: a hidden pane is
        brought up to date when it opens."""
        if event.slide is None:
            return
        self.look = event.look
        if self.plan_pace is not None and (event.moved or self.slide is None):
            self._arrive(event.number)
        if self.shown:
            self.show(event.slide, event.next_slide, event.count, event.step)
            return
        if event.slide is not self.slide:
            self.first_note_line = 0
        self.slide, self.next_slide, self.count = event.slide, event.next_slide, event.count
        self.step = event.step

    # -- pace learnt from rehearsal ----------------------------------------------------------

    def _load_plan(self, deck: Deck) -> None:
        """The plan from the rehearsal report, for this version of the deck; a report that
        cannot be read leaves the even pace, and says why."""
        from prexterm.timing.plan import PlanPace, load_plan

        assert self.pace_from is not None
        try:
            plan = load_plan(self.pace_from, deck.slides, self.duration)
        except ValueError as error:
            self.plan_pace = None
            self.unplanned = f"pace plan off: {error}"
            return
        self.plan_pace = PlanPace(plan)
        self.unplanned = plan.describe_unplanned()

    def _arrive(self, number: int) -> None:
        if self.plan_pace is not None and 1 <= number <= len(self.plan_pace.plan.seconds):
            self.plan_pace.arrive(number, self.talk.elapsed)

    def on_deck_reloaded(self, event: DeckReloaded) -> None:
        """An edited deck keeps the plan of the slides it kept: the plan is made again."""
        self.slides = tuple(event.deck.slides)
        self.sections = sections(event.deck.slides)
        if self.pace_from is not None:
            self._load_plan(event.deck)
            self._arrive(self.talk.slide)

    def pace_line(self, elapsed: float) -> tuple[str, bool] | None:
        """The pace line and whether it says the talk is late: against the rehearsal's plan
        when there is one, else against an even pace; None without a duration or plan."""
        plan = self.plan_pace
        number = self.talk.slide
        if plan is not None and 1 <= number <= len(plan.plan.seconds):
            status = plan.status(number, elapsed, self.talk.on_slide)
            text = status.describe()
            if number in plan.plan.unplanned:
                text += " (not rehearsed)"
            if self.unplanned:
                text += f"\n{self.unplanned}"
            section, section_late = self._section_line(elapsed)
            return text + section, bool(status.over) or section_late
        if plan is None and self.pace_from is not None and self.unplanned:
            return self.unplanned, False
        pace = self.pace(elapsed)
        if pace is None:
            return None
        section, section_late = self._section_line(elapsed)
        return pace.describe() + section, pace.behind or section_late

    def _section_start(self, number: int) -> float | None:
        """Seconds of talk at which slide `number` should come: by the rehearsal's plan,
        else by an even share of the duration."""
        plan = self.plan_pace
        if plan is not None and 1 <= number <= len(plan.plan.seconds):
            return plan.plan.start(number)
        if self.duration is not None and self.talk.count:
            return (number - 1) * self.duration / self.talk.count
        return None

    def _section_line(self, elapsed: float) -> tuple[str, bool]:
        """`\nsection Demo at 4:10 (slide 9)`, late once that time has passed with the
        talk still before it; nothing when no section is ahead."""
        ahead = next_section(self.sections, self.talk.slide)
        start = None if ahead is None else self._section_start(ahead[0])
        if ahead is None or start is None:
            return "", False
        number, name = ahead
        late = elapsed > start + ON_TIME_BAND
        text = f"\nsection {name} at {format_duration(start)} (slide {number})"
        if late:
            text += f", late {format_duration(elapsed - start)}"
        return text, late

    # -- peek and viewers ----------------------------------------------------------------

    def peek_by(self, step: int, *, start: bool = False) -> bool:
        """Move the peek by `step` slides, or start peeking (`v`): later or earlier slides
        and their notes show here, privately, while the audience and every view that
        follows stay on the live slide. False when not peeking."""
        if self.talk.peeking is None and not start:
            return False
        if not self.shown:
            self.app.notify("peeking shows in the presenter pane: s opens it", timeout=3)
            return True
        number = self.talk.peek(step)
        if number is not None:
            slides = self.slides
            following = slides[number] if number < len(slides) else None
            tell(self, PeekChanged(slides[number - 1], following, len(slides)))
        return True

    def stop_peeking(self) -> bool:
        """Back to the live slide; False when not peeking."""
        if not self.talk.stop_peek():
            return False
        tell(self, PeekChanged(None, None, len(self.slides)))
        return True

    def on_peek_changed(self, event: PeekChanged) -> None:
        """Show the slide peeked at, its notes and the slide after it; or the live one."""
        self.peek = None if event.slide is None else (event.slide, event.next_slide)
        self.first_note_line = 0
        mark = self.query("#peek-mark")
        if mark:
            text = Text()
            if event.slide is not None:
                text.append(f"peeking at {event.slide.number}/{event.count}", style="bold reverse")
                text.append("  v/Escape back, Enter go live")
            mark.first(Static).update(text)
        title = self.query("#current-title")
        if title:
            word = "peeking" if event.slide is not None else "now"
            title.first(Static).update(Text(word, style="bold"))
        self._lay_out()

    def on_viewers_changed(self, event: ViewersChanged) -> None:
        self.views = event.views
        self._show_viewers()

    def _show_viewers(self) -> None:
        """`watching: 1 follow, 1 notes`, and a warning for each follower whose terminal is
        too small for the slide on screen."""
        found = self.query("#viewers")
        if not found or not self._ready:
            return
        text = Text(describe_viewers(self.views))
        if self.caches is not None:
            live = self.slide
            for warning in cut_warnings(self.views, live, self.look, self.caches):
                text.append("\n" + warning, style="bold")
        widget = found.first(Static)
        if text.plain != str(widget.render()):
            widget.update(text)
            self._lay_out()

    @property
    def duration(self) -> float | None:
        """The talk's planned length, which the pace is measured against."""
        return self.talk.duration

    def on_talk_clock_changed(self, event: TalkClockChanged) -> None:
        self.tick()
        if event.used is not None and not self.shown:
            # Nothing on screen shows the clock: say what the key did.
            if event.used == "reset":
                self.app.notify("timer reset", timeout=3)
            else:
                talk = self.talk
                state = "paused" if talk.paused else "resumed" if event.was_started else "started"
                self.app.notify(f"timer {state} {format_duration(talk.elapsed)}", timeout=3)

    def on_status_shown(self, event: StatusShown) -> None:
        """The notes view hides the frame, and the status line in it: the pane shows it."""
        if self.show_current and event.text != self.status:
            self.status = event.text
            self._lay_out()

    def scroll_notes(self, pages: int) -> None:
        """Scroll the notes by `pages` screenfuls, less a line so that the last line read
        stays in sight; the notes stop at both ends."""
        plan = self.plan
        if plan is None:
            return
        shown = plan.notes - 1 if plan.notes_only else plan.notes
        self.first_note_line += pages * max(1, shown - 1)
        self._lay_out()

    def _lay_out(self) -> None:
        """Share the pane's rows (see `plan_pane`) and fill each part with what fits."""
        if not self._ready or not self.query("#next"):
            return  # not made yet, or taken down as the player quits
        size = self.content_size
        if not size.width or not size.height:
            return
        console = self.app.console
        width = size.width
        shown, following = self.peek if self.peek is not None else (self.slide, self.next_slide)
        self._note_lines = notes_lines(
            shown.notes if shown else (),
            width,
            console,
            ascii_only=self.ascii_only,
            # A peeked slide is looked at whole: its notes all alike, its next the next slide.
            styles=() if self.peek is not None else note_styles(self.slide, self.step),
        )
        plain = ascii_rich if self.ascii_only else Text.copy
        slide = self.slide
        if self.peek is None and slide is not None and self.step < slide.steps:
            upcoming = step_preview(slide, self.step + 1)
            next_title = "next step"
        else:
            upcoming = slide_preview(following)
            next_title = "next"
        self.query_one("#next-title", Static).update(Text(next_title, style="bold"))
        self._next_label = next_title
        next_preview = list(plain(upcoming).wrap(console, width))
        current_preview = (
            list(plain(slide_preview(shown, lines=8)).wrap(console, width))
            if self.show_current
            else None
        )
        status = self.query_one("#pane-status", Static)
        pace = self.query_one("#pace", Static)
        self._timer_rows = self._rows_of_timers(width)
        fixed = bool(self.status) + self._timer_rows + self._rows_of("#peek-mark", width)
        plan = plan_pane(
            size.height,
            fixed=fixed,
            note_lines=len(self._note_lines),
            next_lines=len(next_preview),
            current_lines=None if current_preview is None else len(current_preview),
        )
        self.plan = plan
        self.set_class(plan.spaced, "spaced")
        status.display = bool(self.status) and not plan.notes_only
        status.update(Text(self.status, no_wrap=True, overflow="ellipsis"))
        self.query_one("#timers").display = not plan.notes_only
        pace.display = self.pace_line(self.talk.elapsed) is not None and not plan.notes_only
        viewers = self.query_one("#viewers", Static)
        viewers.display = bool(self.views) and not plan.notes_only
        peek_mark = self.query_one("#peek-mark", Static)
        peek_mark.display = self.peek is not None
        self.query_one("#notes-title").display = not plan.notes_only
        window, mark, self.first_note_line = notes_window(
            self._note_lines,
            self.first_note_line,
            plan.notes,
            width,
            mark_row=plan.notes_only,
            ascii_only=self.ascii_only,
        )
        self.query_one("#notes-scroll").styles.height = plan.notes
        self.query_one("#notes", Static).update(window)
        more = self.query_one("#notes-more", Static)
        more.display = plan.notes_only and mark is not None
        title = Text("notes", style="bold")
        if self.peek is not None and shown is not None:
            title.append(f" of slide {shown.number}", style="bold")
        if mark is not None:
            more.update(mark)
            title.append("  ").append(mark.plain, style="not bold italic")
        self.query_one("#notes-title", Static).update(title)
        self._preview("next", next_preview, plan.next)
        if current_preview is not None:
            self._preview("current", current_preview, plan.current)

    def _preview(self, name: str, lines: Sequence[Text], rows: int) -> None:
        """A slide preview cut to `rows` rows, its title row included (0 hides both; on
        a single row the title leads the preview's first line)."""
        self.query_one(f"#{name}-title").display = rows > 1
        preview = self.query_one(f"#{name}", Static)
        preview.display = rows > 0
        if rows == 1:
            label = "now" if name == "current" else self._next_label
            line = Text(f"{label}  ", style="bold") + (lines[0] if lines else Text())
            line.no_wrap, line.overflow = True, "ellipsis"
            preview.styles.height = 1
            preview.update(line)
        elif rows > 1:
            preview.styles.height = rows - 1
            preview.update(Text("\n").join(lines[: rows - 1]))

    def pace(self, elapsed: float | None = None) -> Pace | None:
        """The pace at `elapsed` seconds of talk (default: now)."""
        if self.duration is None or self.slide is None:
            return None
        elapsed = self.talk.elapsed if elapsed is None else elapsed
        # The talk's own position: the pane may not have heard of the latest move yet.
        return pace_at(elapsed, self.duration, max(1, self.talk.slide), self.talk.count)

    def timers_text(self, wall_time: float, elapsed: float | None = None) -> Text:
        """The timer lines; `elapsed` is read once per refresh, so the elapsed time and the
        time left on the pace line always come from the same instant and add up."""
        number = self.slide.number if self.slide else 0
        elapsed = self.talk.elapsed if elapsed is None else elapsed
        text = Text()
        text.append(format_duration(elapsed), style="bold")
        if not self.talk.started:
            text.append(" not started")
        else:
            text.append(" elapsed" + (" (paused)" if self.talk.paused else ""))
        text.append(f"   slide {number}/{self.count}", style="bold")
        if self.slide is not None and self.slide.steps > 1:
            dot = "-" if self.ascii_only else "·"
            text.append(f" {dot} {self.step}/{self.slide.steps}", style="bold")
        text.append(f"\n{format_duration(self.talk.on_slide)} on this slide")
        text.append(f"   clock {time.strftime('%H:%M', time.localtime(wall_time))}")
        return text

    def _rows_of_timers(self, width: int) -> int:
        """Rows the timers and the pace take at `width`: on a narrow pane their lines
        wrap, and the rows they take are not the notes'."""
        console = self.app.console
        texts = [self.timers_text(self.wall_clock())]
        line = self.pace_line(self.talk.elapsed)
        if line is not None:
            texts.append(Text(line[0]))
        if self.views:
            texts.append(Text(str(self.query_one("#viewers", Static).render())))
        return sum(len(text.wrap(console, width)) for text in texts)

    def _rows_of(self, selector: str, width: int) -> int:
        """Rows a line of the pane takes at `width`, 0 while hidden or empty."""
        if selector == "#peek-mark" and self.peek is None:
            return 0
        text = Text(str(self.query_one(selector, Static).render()))
        return len(text.wrap(self.app.console, width)) if text.plain else 0

    def tick(self) -> None:
        """Refresh the timers (called every half second and on every change)."""
        if not self._ready:
            return
        timers = self.query("#timers")
        if not timers:
            return  # the player is closing and its widgets are already gone
        elapsed = self.talk.elapsed
        timers.first(Static).update(self.timers_text(self.wall_clock(), elapsed))
        line = self.pace_line(elapsed)
        pace_widget = self.query_one("#pace", Static)
        if line is not None:
            described, late = line
            pace_widget.update(Text(ascii_text(described) if wants_ascii(self) else described))
            pace_widget.set_class(late, "behind")
        width = self.content_size.width
        if width and self._rows_of_timers(width) != self._timer_rows:
            self._lay_out()  # a longer line wrapped (or a shorter one no longer does)

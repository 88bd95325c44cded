"""Live code on stage: selecting, scrolling, running, editing and saving the code blocks
of the slide on screen, and placing the output panel of a run over the slide.

Programs are run by `prexterm.services.code_runner`; `prexterm.app.live_code` holds the
widgets and the state of the selection and the edits, which the slide area draws.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, cast

from textual.message import Message
from textual.widget import Widget

from prexterm.app.live_code import CodeState, OutputPanel
from prexterm.app.messages import SlideChanged
from prexterm.app.slide_view import SlideView
from prexterm.core.model import CodeBlock, Slide

if TYPE_CHECKING:
    from textual.widgets import TextArea

    from prexterm.services.code_runner import CodeRun, CodeRunner

EXEC_DISABLED = "code execution is disabled; start prexterm with --allow-exec to run code"
NO_FILE_TO_SAVE = "a fenced block has no file to save to: the edit lasts for the talk"
REAP_TIMEOUT = 1.0
"""Seconds the player waits at exit for killed programs to be reaped."""
QUIET_FOR_REPLAY = 5.0
"""Seconds a running program may print nothing before `R` may replay its recording
instead: long enough for a slow start (an interpreter, an import), short enough that
the audience is not left waiting."""
REPLAY_NOT_NEEDED = (
    "the live run is fine: R replays the recording once a run fails, "
    f"or prints nothing for {QUIET_FOR_REPLAY:g} s"
)


class CodeStage(Widget):
    """The run, edit and save keys of the slide's selected code block, and its output."""

    DEFAULT_CSS = "CodeStage { display: none; }"

    class Edited(Message):
        """The editor closed: the slide is shown again, with the edit if there is one."""

    def __init__(
        self, code: CodeState, *, allow_exec: bool, kill_after: float, record: bool = False
    ) -> None:
        super().__init__()
        self.code = code
        self.allow_exec = allow_exec
        self.kill_after = kill_after
        self.record = record
        """Whether runs that end well are recorded for `R` to replay (`prexterm rehearse`)."""
        self.slide: Slide | None = None
        self.step = 1
        """The step of the slide on screen: code a later step reveals is not acted on."""
        self.editing: tuple[int, int] | None = None
        """(slide number, code block index) open in the editor, if any."""
        self._runner: CodeRunner | None = None
        self._polling = False
        """A program has run: the output panel is in use and polled."""

    @property
    def runner(self) -> CodeRunner:
        """Runs `!code` blocks; made on first use."""
        if self._runner is None:
            from prexterm.services.code_runner import CodeRunner

            self._runner = CodeRunner(kill_after=self.kill_after, record=self.record)
        return self._runner

    def _view(self) -> SlideView:
        return self.screen.query_one(SlideView)

    def _editor(self) -> TextArea:
        from textual.widgets import TextArea

        return self.screen.query_one("#editor", TextArea)

    def _panel(self) -> OutputPanel | None:
        """The output panel, from the first run on (None before, and while closing)."""
        found = self.screen.query("#output")
        return cast(OutputPanel, found.first()) if found else None

    def _run(self) -> CodeRun | None:
        key = self.code.key(self.slide, self.step)
        return self._runner.run_for(key) if key is not None and self._runner else None

    # -- what the talk tells -------------------------------------------------------------

    def on_slide_changed(self, event: SlideChanged) -> None:
        self.slide = event.slide
        self.step = event.step
        self._show_output()

    def on_slide_view_area_changed(self, _event: SlideView.AreaChanged) -> None:
        self._place_output()

    def on_slide_view_code_scrolled(self, event: SlideView.CodeScrolled) -> None:
        self.code.lines_from[(event.number, event.block)] = event.first

    # -- output --------------------------------------------------------------------------

    def _show_output(self) -> None:
        run = self._run()
        if run is None and not self._polling:
            return
        panel = self._panel()
        if panel is None:
            return
        if not self._polling:
            self._polling = True
            # Output streams in: poll for it from the first run on, not before, so that
            # an idle player (or fifty following ones) does not wake up 25 times a second.
            self.set_interval(0.04, panel.refresh_if_changed)
        panel.show_run(run)
        if run is not None:
            self._place_output()

    def _place_output(self) -> None:
        """Put the output panel over the lower right of the slide, as Prexent did.

        Only while the slide shows: the editor takes the slide's place, and the panel
        steps aside rather than cover the code being edited. The slide area tells when
        its size changes (shown again, a resized terminal, the presenter pane), so the
        panel is never sized for an area that is hidden or not laid out yet.
        """
        panel = self._panel()
        if panel is None or panel.run is None:
            return
        area = self._view().region
        panel.display = self.editing is None and bool(area)
        if not panel.display:
            return
        width, height = _panel_size(area.width, area.height)
        panel.styles.width = width
        panel.styles.height = height
        panel.styles.offset = (max(0, area.width - width), max(0, area.y + area.height - height))
        if panel.run.terminal and panel.run.running:
            panel.run.resize(_terminal_size(width, height))

    def _terminal_size(self) -> tuple[int, int]:
        """Columns and rows a `+pty` program gets: the inside of the output panel."""
        area = self._view().region
        return _terminal_size(*_panel_size(area.width or 80, area.height or 24))

    # -- keys ----------------------------------------------------------------------------

    def select(self, index: int) -> None:
        """Make code block `index` of this slide the one the run and edit keys act on."""
        slide = self.slide
        if slide is None or not 0 <= index < len(self.code.blocks(slide)):
            return
        self.code.selected[slide.number] = index
        self._view().select_code(index)
        self._show_output()

    def tab(self, step: int) -> bool:
        """Select the next (`step` 1) or previous code block; False with fewer than two."""
        slide = self.slide
        shown = self.code.shown(slide, self.step)
        if slide is None or len(shown) < 2:
            return False
        current = self.code.selected_index(slide, self.step)
        place = shown.index(current) if current in shown else 0
        self.select(shown[(place + step) % len(shown)])
        return True

    def run(self) -> None:
        slide, key = self.slide, self.code.key(self.slide, self.step)
        if slide is None or key is None:
            self.app.notify("this slide has no code to run", severity="warning", timeout=3)
            return
        if not self.allow_exec:
            self.app.notify(EXEC_DISABLED, severity="warning", timeout=5)
            return
        block = self.code.blocks(slide)[key[1]]
        override = self.code.edit_of(block)
        size = self._terminal_size() if block.attributes.pty else None
        self.run_worker(self._start(key, block, override, size), group="code", exit_on_error=False)

    async def _start(
        self,
        key: tuple[int, int],
        block: CodeBlock,
        code: str | None,
        size: tuple[int, int] | None,
    ) -> None:
        from prexterm.services.code_runner import RunRefused

        outcome = await self.runner.start(key, block, code_override=code, size=size)
        if isinstance(outcome, RunRefused):
            self.app.notify(outcome.message, severity="error", timeout=6)
            return
        if self.code.key(self.slide, self.step) == key:
            self._show_output()

    def replay(self) -> None:
        """`R`: show the recorded output of the selected block in its panel, when its
        live run failed to start, exited non-zero, or has printed nothing for
        `QUIET_FOR_REPLAY` seconds; otherwise, or with no recording, say why not."""
        from prexterm.services.code_runner import RunRefused
        from prexterm.services.recordings import should_offer_replay

        slide, key = self.slide, self.code.key(self.slide, self.step)
        if slide is None or key is None:
            self.app.notify("this slide has no code to replay", severity="warning", timeout=3)
            return
        run = self._run()
        live = run is not None and not run.recorded
        if live and not should_offer_replay(run, quiet_for=QUIET_FOR_REPLAY):
            self.app.notify(REPLAY_NOT_NEEDED, severity="warning", timeout=5)
            return
        block = self.code.blocks(slide)[key[1]]
        outcome = self.runner.replay(key, block, code_override=self.code.edit_of(block))
        if isinstance(outcome, RunRefused):
            self.app.notify(outcome.message, severity="warning", timeout=6)
            return
        self._show_output()

    def stop_or_close(self) -> bool:
        """Escape: stop the running program, or close the panel of one that ended;
        False when there is neither."""
        key, run = self.code.key(self.slide, self.step), self._run()
        if run is None or key is None:
            return False
        if run.running:
            run.stop()
        else:
            self.runner.forget(key)
            self._show_output()
        return True

    def edit(self) -> None:
        slide, key = self.slide, self.code.key(self.slide, self.step)
        if slide is None or key is None:
            self.app.notify("this slide has no code to edit", severity="warning", timeout=3)
            return
        block = self.code.blocks(slide)[key[1]]
        editor = self._editor()
        edit = self.code.edit_of(block)
        editor.load_text(block.code if edit is None else edit)
        try:
            editor.language = block.language
        except Exception:  # no highlighting for this language: plain text is fine
            editor.language = None
        self.editing = key
        self._view().display = False
        self._place_output()
        editor.display = True
        editor.focus()

    def close_editor(self) -> None:
        """Leave the editor, keeping the edit for this code file."""
        key, slide = self.editing, self.slide
        if key is None or slide is None:
            return
        block = self.code.blocks(slide)[key[1]]
        text = self._editor().text
        self.code.edited(block, text if text != block.code else None)
        self.editing = None
        self.screen.query_one("#editor").display = False
        view = self._view()
        view.display = True
        view.focus()
        self.app.post_message(self.Edited())

    def save(self) -> None:
        if self.editing is None or self.slide is None:
            return
        block = self.code.blocks(self.slide)[self.editing[1]]
        if block.asset.path is None:
            # A fence is written in the deck, which prexterm never writes to.
            self.app.notify(NO_FILE_TO_SAVE, severity="warning", timeout=5)
            return
        text = self._editor().text
        try:
            from prexterm.core.text import save_atomically

            save_atomically(block.asset.path, text)
        except OSError as exc:
            self.app.notify(
                f"could not save {block.asset.written}: {exc.strerror}", severity="error"
            )
            return
        self.app.notify(f"saved {block.asset.written}", timeout=3)

    async def shutdown(self) -> None:
        """Stop every program started (the `q` key), waiting for them to end."""
        if self._runner is not None:
            await self._runner.shutdown()

    async def on_unmount(self) -> None:
        # However the app ends, no program it started may outlive it. The killed programs
        # are also reaped here, while the event loop still runs, so that nothing of them
        # is left for the interpreter to clean up after the loop has closed.
        if self._runner is not None:
            self._runner.kill_now()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._runner.shutdown(), REAP_TIMEOUT)


def _panel_size(width: int, height: int) -> tuple[int, int]:
    """The output panel's width and height over a slide area of `width` x `height`: the
    lower right three fifths across and two fifths down, as Prexent placed it."""
    return max(20, min(width, width * 3 // 5)), max(5, min(height, height * 2 // 5))


def _terminal_size(width: int, height: int) -> tuple[int, int]:
    """Inside a panel of `width` x `height`: less its frame and the space on each side."""
    return max(1, width - 4), max(1, height - 2)

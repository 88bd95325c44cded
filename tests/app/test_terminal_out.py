"""Escapes that Textual's cells cannot carry reach the running app's terminal."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.drivers.headless_driver import HeadlessDriver

from prexterm.app.terminal_out import write_to_terminal


async def test_an_escape_goes_to_the_running_apps_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    written: list[str] = []
    monkeypatch.setattr(HeadlessDriver, "write", lambda self, data: written.append(data))
    app: App[None] = App()
    assert not write_to_terminal(app, "\x1b_Ga=d\x1b\\"), "no terminal before it runs"
    async with app.run_test():
        assert write_to_terminal(app, "\x1b_Ga=d\x1b\\")
        assert not write_to_terminal(app, ""), "nothing to write"
    assert "\x1b_Ga=d\x1b\\" in written

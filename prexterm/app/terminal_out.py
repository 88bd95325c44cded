"""Bytes for the terminal that Textual's cells cannot carry, such as kitty pictures.

Textual draws everything as cells through its driver and has no public call that writes
an escape sequence straight to the terminal. The kitty graphics protocol needs exactly
that, so this is the one place that reaches the running app's driver. Should Textual
change how it keeps its driver, or give a public way, only this module and its test
have to follow.
"""

from __future__ import annotations

from typing import Any

from textual.app import App

__all__ = ["write_to_terminal"]


def write_to_terminal(app: App[Any], data: str) -> bool:
    """Write `data` to the app's terminal at once; False when there is none to write to
    (the app is not running yet, or `data` is empty)."""
    driver = getattr(app, "_driver", None)
    if driver is None or not data:
        return False
    driver.write(data)
    driver.flush()
    return True

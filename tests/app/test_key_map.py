"""The shared key map (`../shared/KEYS.md`) and the player's bindings agree.

README's tables and the help come from `prexterm/app/keys.py`, which another test ties to
the bindings. This one ties the bindings to the map every feature takes its keys from:
each action of the map that the player has is bound with the map's keys, and the keys of
actions still to come are free, so a feature bound to other keys fails here first.
"""

from __future__ import annotations

import re

import pytest

from prexterm.app.player import PlayerApp
from prexterm.app.slide_view import SlideView
from tests.conftest import REPO

KEYS_MD = REPO.parent / "shared" / "KEYS.md"

SERVES: dict[str, set[str]] = {
    "next": {"next", "page_down", "enter", "next_or_match(1)"},
    "previous": {"previous", "page_up", "backspace"},
    "next_slide / previous_slide": {"next_slide", "previous_slide"},
    "reveal_all": {"reveal_all"},
    "first / last": {"first", "g", "last"},
    "go_to": {*(f"digit({d})" for d in range(10)), "enter"},
    "overview": {"overview", "tab(1)"},
    "search": {"screen.search"},
    "scroll": {"scroll_up", "scroll_down"},
    "scroll_notes": {"screen.scroll_notes(1)", "screen.scroll_notes(-1)"},
    "blank / white": {"screen.blank", "screen.white"},
    "back": {"go_back"},
    "peek": {"screen.peek"},
    "presenter": {"screen.toggle_presenter"},
    "timer": {"screen.pause_timer", "screen.reset_timer"},
    "reload": {"screen.reload"},
    "run / stop": {"screen.run_code", "escape"},
    "replay": {"screen.replay_code"},
    "edit / save": {"screen.edit_code", "screen.save_code"},
    "select code": {"tab(1)", "tab(-1)"},
    "mouse": set(),
    "help": {"help"},
    "suspend": {"suspend_process"},
    "quit": {"quit"},
}
"""Each action of the map the player has, and the player's actions that do it."""

NOT_YET: dict[str, str] = {}
"""Keys the map gives to features the player does not have yet: nothing may take them."""

NAMED_IN_NOTES = {"N"}
"""Bound keys the map names in a row's notes rather than its keys (search: n / N)."""

_TOKENS = {
    "→": "right",
    "←": "left",
    "↑": "up",
    "↓": "down",
    "Space": "space",
    "PgDn": "pagedown",
    "PgUp": "pageup",
    "Enter": "enter",
    "Backspace": "backspace",
    "Escape": "escape",
    "Home": "home",
    "End": "end",
    "Tab": "tab",
    "Shift+Tab": "shift+tab",
    ".": "full_stop",
    "?": "question_mark",
    "[": "left_square_bracket",
    "]": "right_square_bracket",
    "`": "grave_accent",
}
_MOUSE = {"click", "wheel", "left"}


def _keys_of(cell: str) -> list[str]:
    """The Textual names of the keys a cell of the map's `keys` column lists."""
    if cell.strip() == "/":
        return ["slash"]
    text = cell.replace("(backtick)", "").replace("g g", "g").replace("mouse wheel", "wheel")
    text = text.replace("digits then", " ".join(str(d) for d in range(10)))
    names: list[str] = []
    for token in re.split(r"[\s,]+", text):
        if token in ("", "/") or token in _MOUSE:
            continue
        if token.startswith("Ctrl+"):
            names.append("ctrl+" + token.removeprefix("Ctrl+").lower())
        else:
            names.append(_TOKENS.get(token, token))
    return names


def _map_rows() -> dict[str, list[str]]:
    """The map's table: action to the Textual names of its keys."""
    rows: dict[str, list[str]] = {}
    for line in KEYS_MD.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 3 or cells[0] in ("action", "---"):
            continue
        rows[cells[0]] = _keys_of(cells[1])
    return rows


def _bindings() -> dict[str, str]:
    """Every key the player binds, and the action it is bound to."""
    bound: dict[str, str] = {}
    for binding in [*PlayerApp.BINDINGS, *SlideView.BINDINGS]:
        for key in binding.key.split(","):  # type: ignore[union-attr]
            bound[key.strip()] = binding.action  # type: ignore[union-attr]
    return bound


pytestmark = pytest.mark.skipif(not KEYS_MD.is_file(), reason="the shared key map is not here")


def test_the_map_is_read_whole() -> None:
    rows = _map_rows()
    assert rows["next"] == ["right", "l", "j", "space", "pagedown", "enter", "n"]
    assert rows["first / last"] == ["home", "g", "end", "G"]
    assert rows["run / stop"] == ["x", "ctrl+e", "escape"]
    assert rows["back"] == ["grave_accent"]


def test_every_action_of_the_map_is_known_here() -> None:
    """A new row in the map is either bound by the player or listed as still to come."""
    to_come = {action for action, keys in _map_rows().items() if set(keys) <= set(NOT_YET)}
    assert set(_map_rows()) - set(SERVES) - to_come == set()


@pytest.mark.parametrize("action", sorted(SERVES))
def test_each_action_the_player_has_is_bound_with_the_keys_of_the_map(action: str) -> None:
    bound = _bindings()
    for key in _map_rows()[action]:
        if key in NOT_YET:
            continue
        assert key in bound, f"{action}: {key} is in the key map but not bound"
        assert bound[key] in SERVES[action], f"{action}: {key} is bound to {bound[key]}"


def test_keys_of_features_still_to_come_are_free() -> None:
    """When one of them is bound, it is bound as the map says and moves to SERVES."""
    bound = _bindings()
    taken = {key: bound[key] for key in NOT_YET if key in bound}
    assert taken == {}, f"bound before the map's feature exists: {taken}"
    listed = {key for keys in _map_rows().values() for key in keys}
    assert set(NOT_YET) <= listed, "each key still to come is the map's"


def test_every_bound_key_is_in_the_map() -> None:
    listed = {key for keys in _map_rows().values() for key in keys} | NAMED_IN_NOTES
    assert set(_bindings()) - listed == set()

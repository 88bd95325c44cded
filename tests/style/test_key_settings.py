"""`[keys]` in the settings file: checked against the key map, turned into bindings.

The table `binding_table` builds from no settings must be the player's own bindings, key
for key, so rebinding starts from exactly what the player does today.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from prexterm.app.keys import ACTIONS, BindingRow, binding_table, key_name
from prexterm.app.player import PlayerApp
from prexterm.config import ConfigError, load_config
from tests.conftest import REPO

KEYS_MD = REPO.parent / "shared" / "KEYS.md"


def _bound(rows: tuple[BindingRow, ...]) -> dict[str, str]:
    return {row.key: row.action for row in rows}


def _settings(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_default_table_is_the_players_bindings() -> None:
    players = {
        (key, binding.action, bool(binding.priority))
        for binding in PlayerApp.BINDINGS
        if not isinstance(binding, tuple)
        for key in binding.key.split(",")
    }
    assert {(r.key, r.action, r.priority) for r in binding_table()} == players


def test_every_rebindable_action_is_named_in_the_key_map() -> None:
    if not KEYS_MD.exists():
        pytest.skip("the shared key map is not beside this checkout")
    names: set[str] = set()
    for line in KEYS_MD.read_text().splitlines():
        if line.startswith("| ") and not line.startswith(("| action", "| ---")):
            names.update(part.strip() for part in line.split("|")[1].split("/"))
    assert set(ACTIONS) <= names


def test_rebinding_an_action_replaces_its_keys(tmp_path: Path) -> None:
    config = load_config(_settings(tmp_path, '[keys]\nnext = ["PgDn", "z"]\nblank = "F5"\n'))
    bound = _bound(binding_table(config.keys))
    assert bound["pagedown"] == "page_down", "a kept default key keeps paging first"
    assert bound["z"] == "next"
    assert "right" not in bound and "space" not in bound
    assert bound["f5"] == "screen.blank"
    assert "b" not in bound and "full_stop" not in bound
    assert bound["enter"] == "enter", "Enter still types a slide number's end"


def test_two_way_actions_take_one_entry_each(tmp_path: Path) -> None:
    config = load_config(_settings(tmp_path, '[keys]\ntimer = ["ctrl+t", ["T", "ctrl+x"]]\n'))
    bound = _bound(binding_table(config.keys))
    assert (bound["ctrl+t"], bound["T"], bound["ctrl+x"]) == (
        "screen.pause_timer", "screen.reset_timer", "screen.reset_timer"
    )  # fmt: skip
    assert "t" not in bound


def test_keys_can_move_between_actions(tmp_path: Path) -> None:
    config = load_config(_settings(tmp_path, '[keys]\nblank = "x"\nrun = "b"\n'))
    bound = _bound(binding_table(config.keys))
    assert (bound["x"], bound["b"]) == ("screen.blank", "screen.run_code")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[keys]\nnext = "x"\njump = "y"\n', "config.toml:3: [keys] unknown action 'jump'"),
        ('theme = "light"\n\n[keys]\nnext = "hyper+q"\n',
         "config.toml:4: [keys] 'next': 'hyper+q' is not a key"),
        ('[keys]\nnext = "b"\n',
         "config.toml:2: [keys] 'b' is bound twice: to 'next', already the key of 'blank'"),
        ('[keys]\nnext = "y"\nquit = "y"\n',
         "config.toml:2: [keys] 'y' is bound twice: to 'next', also given to 'quit'"),
        ('[keys]\nblank = "w"\n', "'w' is bound twice: to 'blank', already the key of 'white'"),
        ('[keys]\nnext = "5"\n', "'5' is bound twice: to 'next', already the key of 'go_to'"),
        ('[keys]\ngo_to = "x"\n', "config.toml:2: [keys] 'go_to' cannot be rebound"),
        ('[keys]\ntimer = "t"\n', "'timer' takes 2 entries, one for each way"),
        ('[keys]\nnext = 3\n', "'next' must be a key or a list of keys"),
        ('[keys]\nnext = ["x", "x"]\n', "'x' is listed twice"),
        ('keys = 3\n', "config.toml:1: key 'keys' must be a table"),
    ],
)  # fmt: skip
def test_a_bad_key_setting_names_its_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_settings(tmp_path, text))
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("written", "name"),
    [("PgDn", "pagedown"), (".", "full_stop"), ("Ctrl+R", "ctrl+r"), ("G", "G"),
     ("`", "grave_accent"), ("F5", "f5"), ("?", "question_mark"), ("nope", None),
     ("ctrl+ctrl+a", None)],
)  # fmt: skip
def test_keys_are_written_as_people_say_them(written: str, name: str | None) -> None:
    assert key_name(written) == name

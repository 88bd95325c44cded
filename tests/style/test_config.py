"""The settings file: good values load, every mistake names the key (or line) and the file."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from prexterm.config import (
    Config,
    ConfigError,
    config_path,
    load_config,
    merge,
)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake home folder; the environment points only at it."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return folder


def _write(home: Path, text: str) -> Path:
    path = home / ".config" / "prexterm" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults(home: Path) -> None:
    assert load_config() == Config()


def test_good_file(home: Path) -> None:
    path = _write(home, 'theme = "light"\npresenter = true\nduration = "1h30m"\nascii = true\n')
    config = load_config()
    assert config == Config(theme="light", presenter=True, duration=5400.0, ascii=True, path=path)


def test_duration_as_a_number_is_minutes(home: Path) -> None:
    _write(home, "duration = 45\n")
    assert load_config().duration == 2700.0
    _write(home, "duration = 1.5\n")
    assert load_config().duration == 90.0


def test_xdg_config_home_is_respected(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    xdg = tmp_path / "xdg"
    (xdg / "prexterm").mkdir(parents=True)
    (xdg / "prexterm" / "config.toml").write_text('theme = "mono"\n', encoding="utf-8")
    _write(home, 'theme = "light"\n')
    assert config_path() == home / ".config" / "prexterm" / "config.toml"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    assert config_path() == xdg / "prexterm" / "config.toml"
    assert load_config().theme == "mono"


@pytest.mark.parametrize("value", ["relative/dir", "", "~/cfg"])
def test_relative_or_empty_xdg_config_home_is_not_used(
    home: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", value)
    assert config_path() == home / ".config" / "prexterm" / "config.toml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("presenter = 1\n", "key 'presenter' must be true or false"),
        ('presenter = "yes"\n', "key 'presenter' must be true or false"),
        ('ascii = "no"\n', "key 'ascii' must be true or false"),
        ("theme = 3\n", "key 'theme' must be a theme name or path in quotes"),
        ('theme = ""\n', "key 'theme' must be a theme name or path in quotes"),
        ("duration = true\n", "key 'duration' must be a duration such as"),
        ("duration = [20]\n", "key 'duration' must be a duration such as"),
        ('duration = "soon"\n', "key 'duration': bad duration 'soon'"),
        ("duration = 0\n", "key 'duration': bad duration '0': a talk must last more than zero"),
        ('colour = "red"\n', "unknown key 'colour' (known keys: theme, presenter, duration,"),
        ("[theme]\nname = 'x'\n", "key 'theme' must be a theme name or path in quotes"),
    ],
)
def test_bad_keys_and_types(home: Path, text: str, message: str) -> None:
    _write(home, text)
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert str(caught.value).startswith(f"~/.config/prexterm/config.toml:1: {message}")


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('theme = "light"\n\n# colours\ncolour = "red"\n', 4, "unknown key 'colour'"),
        ('theme = "light"\n  "colour" = "red"\n', 2, "unknown key 'colour'"),
        ("theme = 'x'\ndisplay.size = 3\n", 2, "unknown key 'display'"),
        ('theme = "x"\n\n[display]\nsize = 3\n', 3, "unknown key 'display'"),
        ('theme = "x"\n[[ display ]]\nsize = 3\n', 2, "unknown key 'display'"),
        ('# presenter = true\ntheme = "x"\npresenter = "yes"\n', 3, "key 'presenter' must be"),
        ('theme = "x"\nduration = "soon"\n', 2, "key 'duration': bad duration 'soon'"),
        ("ascii = false\r\n\r\nascii_art = 1\r\n", 3, "unknown key 'ascii_art'"),
        ('theme = "x"\n\n\n[theme2]\n', 4, "unknown key 'theme2'"),
    ],
)
def test_a_bad_key_is_named_with_its_line(home: Path, text: str, where: int, message: str) -> None:
    _write(home, text)
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert str(caught.value).startswith(f"~/.config/prexterm/config.toml:{where}: {message}")


def test_toml_syntax_error_names_the_file_and_line(home: Path) -> None:
    _write(home, 'theme = "light"\npresenter = true\nduration = = 3\n')
    with pytest.raises(ConfigError) as caught:
        load_config()
    message = str(caught.value)
    assert message.startswith("~/.config/prexterm/config.toml:3: TOML syntax error: ")
    assert "(at line" not in message


def test_file_outside_home_is_named_in_full(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    xdg = tmp_path / "elsewhere"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    (xdg / "prexterm").mkdir(parents=True)
    (xdg / "prexterm" / "config.toml").write_text("presenter = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"elsewhere/prexterm/config\.toml:1: key 'presenter'"):
        load_config()


def test_unreadable_files(home: Path) -> None:
    path = home / ".config" / "prexterm" / "config.toml"
    path.mkdir(parents=True)
    with pytest.raises(ConfigError, match="is a directory"):
        load_config()
    path.rmdir()
    path.write_bytes(b'theme = "\xff"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config()


def test_merge_lets_flags_win() -> None:
    config = Config(theme="light", presenter=True, duration=600.0, ascii=False)
    assert merge(config, theme=None, presenter=None, duration=None, ascii=None) == config
    merged = merge(config, theme="mono", presenter=False, duration="20m", ascii=True)
    assert merged == Config(theme="mono", presenter=False, duration=1200.0, ascii=True)
    assert merge(config, duration=90.0).duration == 90.0
    with pytest.raises(TypeError, match="unknown setting 'colour'"):
        merge(config, colour="red")


def test_a_settings_file_that_is_not_a_regular_file_is_refused_at_once(home: Path) -> None:
    path = home / ".config" / "prexterm" / "config.toml"
    path.parent.mkdir(parents=True)
    path.symlink_to("/dev/zero")
    started = time.monotonic()
    with pytest.raises(ConfigError) as zero:
        load_config()
    assert str(zero.value) == (
        "~/.config/prexterm/config.toml: cannot read: not a regular file (a character device)"
    )
    path.unlink()
    os.mkfifo(path)
    with pytest.raises(ConfigError, match=r"not a regular file \(a named pipe\)$"):
        load_config()
    assert time.monotonic() - started < 5


def test_a_settings_file_over_64_kib_is_refused(home: Path) -> None:
    _write(home, "# a comment\n" * 5462)  # 65,544 bytes
    with pytest.raises(ConfigError, match=r"too large: settings may hold at most 64 KiB$"):
        load_config()
    _write(home, 'theme = "light"\n' + "#" * (65536 - 17) + "\n")
    assert load_config().theme == "light"


def test_incremental_lists_is_a_true_or_false_setting(home: Path) -> None:
    _write(home, "incremental_lists = true\n")
    assert load_config().incremental_lists is True
    _write(home, 'incremental_lists = "yes"\n')
    with pytest.raises(ConfigError, match="key 'incremental_lists' must be true or false"):
        load_config()

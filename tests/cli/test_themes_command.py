"""`prexterm themes` as a user runs it: every description whole, at every width."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from prexterm.style.themes import list_themes
from tests.conftest import REPO


def themes_output(columns: int) -> list[str]:
    """The lines `prexterm themes` prints for a terminal `columns` wide (no colour)."""
    script = shutil.which("prexterm")
    command = [script, "themes"] if script else [sys.executable, "-m", "prexterm", "themes"]
    env = dict(os.environ, COLUMNS=str(columns), NO_COLOR="1", TERM="dumb")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout.splitlines()


@pytest.mark.parametrize("columns", [200, 100, 80, 60, 40, 24])
def test_every_description_is_shown_whole_within_the_width(columns: int) -> None:
    lines = themes_output(columns)
    assert all(len(line.rstrip()) <= columns for line in lines), lines
    text = " ".join(" ".join(lines).split())
    for theme in list_themes():
        assert " ".join(theme.description.split()) in text, (columns, lines)
        assert "…" not in text


@pytest.mark.parametrize("columns", [100, 80, 60])
def test_a_long_description_wraps_between_words_under_its_theme(columns: int) -> None:
    lines = themes_output(columns)
    themes = {theme.name: theme.description for theme in list_themes()}
    starts = [n for n, line in enumerate(lines) if line[1:].split(" ")[0] in themes]
    assert len(starts) == len(themes)
    for first, after in zip(starts, [*starts[1:], len(lines)], strict=True):
        name = lines[first].split()[0]
        assert lines[first].split()[1:4] == ["Heading", "text", "code"]
        below = [line.strip() for line in lines[first + 1 : after] if line.strip()]
        if name == list(themes)[-1]:
            below = below[: below.index(next(b for b in below if b.startswith("Use one")))]
        assert " ".join(below) == themes[name]
        words = set(themes[name].split())
        for part in below:
            assert set(part.split()) <= words, part


def test_a_wide_terminal_keeps_each_description_beside_its_samples() -> None:
    lines = themes_output(200)
    for theme in list_themes():
        (line,) = [line for line in lines if line.startswith(f" {theme.name} ")]
        assert line.rstrip().endswith(theme.description)

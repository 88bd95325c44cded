"""Stylesheets written to break the player: `check` names them, the command line refuses a
broken theme in one line, and neither ever shows a traceback or takes long to say so."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from prexterm.style.themes import (
    MAX_NESTING,
    MAX_RULES,
    TCSS_MAX_BYTES,
    WEB_CSS_MAX_BYTES,
    StylesheetError,
    nesting_problem,
    read_stylesheet,
)
from prexterm.style.webcss import (
    MAX_SELECTOR_LENGTH,
    MAX_SELECTORS,
    load_web_css,
    parse_web_css,
)
from tests.conftest import REPO, WriteFiles

DECK = "# One\n\nfirst words\n\n!custom_css {name}\n"


def prexterm(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, in the deck's folder, with no config of theirs."""
    return subprocess.run(
        [sys.executable, "-m", "prexterm", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PYTHONPATH": str(REPO), "PATH": os.environ["PATH"], "XDG_CONFIG_HOME": str(cwd)},
        timeout=60,
    )


def check(write: WriteFiles, name: str, css: str) -> subprocess.CompletedProcess[str]:
    deck = write({"deck.md": DECK.format(name=name), name: css})
    result = prexterm("check", "deck.md", cwd=deck.parent)
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.mark.parametrize(
    ("name", "css", "line"),
    [
        ("unclosed.tcss", "#slide {\n  background: red;\n",
         "unclosed.tcss:3: error: stylesheet not used: Unexpected end of file. "
         "Did you forget a '}'?"),
        ("typo.tcss", "\n#slide { colour: red; }\n",
         "typo.tcss:2: error: stylesheet not used: Invalid CSS property 'colour'. "
         "Did you mean 'color'?"),
        ("value.tcss", "#slide {\n  background: nonsense;\n}\n",
         "value.tcss:2: error: stylesheet not used: Invalid value ('nonsense') for the "
         "background property"),
        ("nested.tcss", "Screen {\n" + "Label {" * 20_000,
         f"nested.tcss:2: error: stylesheet not used: brackets nested more than {MAX_NESTING} "
         "deep"),
        ("nested.css", ".x {\n  color: " + "(" * 50_000 + " }\n",
         f"nested.css:2: error: stylesheet not used: brackets nested more than {MAX_NESTING} "
         "deep"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 20 else "",
)  # fmt: skip
def test_check_names_a_stylesheet_the_player_cannot_use(
    write: WriteFiles, name: str, css: str, line: str
) -> None:
    result = check(write, name, css)
    assert result.stdout.splitlines() == [line, "1 slide, 1 error, 0 warnings"]
    assert result.returncode == 1


@pytest.mark.parametrize(
    ("name", "size", "limit"),
    [("huge.tcss", 3_600_000, "256 KiB"), ("huge.css", 30_000_000, "1 MiB")],
)
def test_check_refuses_a_huge_stylesheet_at_once(
    write: WriteFiles, name: str, size: int, limit: str
) -> None:
    rule = "#slide { background: red; }\n" if name.endswith(".tcss") else ".x { color: red }\n"
    css = rule * (size // len(rule))
    started = time.monotonic()
    result = check(write, name, css)
    assert time.monotonic() - started < 10, "the size alone decides: nothing is parsed"
    shown = f"{math.ceil(len(css.encode()) * 10 / (1024 * 1024)) / 10:.1f} MiB"
    assert result.stdout.splitlines() == [
        f"deck.md:5: error: stylesheet {name} not used: {shown}, larger than the {limit} "
        "a stylesheet may be",
        "1 slide, 1 error, 0 warnings",
    ]
    assert result.returncode == 1


def test_check_keeps_a_good_stylesheet_quiet(write: WriteFiles) -> None:
    """A `.tcss` that parses, with a nesting, a variable and a comment, is no problem."""
    css = "/* the look */\n$hot: #aa0000;\n#slide {\n  &.hot { background: $hot; }\n}\n"
    result = check(write, "good.tcss", css)
    assert result.stdout.splitlines() == ["1 slide, 0 errors, 0 warnings"]
    assert result.returncode == 0


@pytest.mark.parametrize(
    ("css", "message"),
    [
        ("Screen {\n  background: red;\n", "prexterm: theme.tcss:6: Unexpected end of file"),
        ("#header { colour: red; }\n", "prexterm: theme.tcss:4: Invalid CSS property 'colour'"),
        ("Screen {" * 20_000, "prexterm: theme.tcss:4: brackets nested more than 32 deep"),
        ("Screen { background: red; }\n" * 10_000, "prexterm: ./theme.tcss: 274 KiB, larger "),
    ],
    ids=["unclosed", "typo", "nested", "huge"],
)
def test_a_broken_theme_file_is_one_line_and_exit_status_2(
    write: WriteFiles, css: str, message: str
) -> None:
    deck = write({"deck.md": "# One\n", "theme.tcss": f"/* prexterm-theme\nname: x\n*/\n{css}"})
    shown = "./theme.tcss" if "KiB" in message else "theme.tcss"
    result = prexterm("deck.md", "--theme", shown, cwd=deck.parent)
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("css", "found"),
    [
        (".a { color: red; }\n" * (MAX_RULES + 1), (MAX_RULES + 1, f"more than {MAX_RULES} rules")),
        (", ".join(["* *"] * (MAX_RULES + 1)) + " { color: red; }",
         (0, f"more than {MAX_RULES} selectors")),
        ("* " * (4 * MAX_RULES + 1) + "{ color: red; }",
         (0, f"more than {4 * MAX_RULES} parts of selectors")),
        (".a { color: red; }\n" * MAX_RULES, None),
        (", ".join(["* *"] * (MAX_RULES // 2)) + " { color: red; }", None),
    ],
    ids=["rules", "selectors", "parts", "rules-at-limit", "selectors-at-limit"],
)  # fmt: skip
def test_textual_css_is_refused_above_its_counts(css: str, found: tuple[int, str] | None) -> None:
    """Thousands of selectors made every screen take seconds to open: they are counted."""
    from prexterm.app.styling import tcss_error

    assert tcss_error(css) == found


def test_nesting_is_counted_outside_comments_and_strings() -> None:
    deep = "(" * (MAX_NESTING + 1)
    assert nesting_problem("(" * MAX_NESTING + ")" * MAX_NESTING) is None
    assert nesting_problem(f"a {{\n}}\n{deep}") == (
        3,
        f"brackets nested more than {MAX_NESTING} deep",
    )
    assert nesting_problem(f"/* {deep} */ '{deep}' \"{deep}\" \\( \\( a {{ }}") is None
    assert nesting_problem(f"/* never closed {deep}") is None
    assert nesting_problem("}" * 100 + deep) is not None, "closing first does not buy depth"


def test_reading_stops_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.tcss"
    path.write_bytes(b"x" * (TCSS_MAX_BYTES + 1))
    with pytest.raises(StylesheetError, match=r"^257 KiB, larger than the 256 KiB"):
        read_stylesheet(path, TCSS_MAX_BYTES)
    path.write_bytes(b"x" * TCSS_MAX_BYTES)
    assert len(read_stylesheet(path, TCSS_MAX_BYTES)) == TCSS_MAX_BYTES


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "look.css"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(OSError, match=r"not a regular file \(a named pipe\)"):
        load_web_css(fifo)
    assert time.monotonic() - started < 1


def test_a_web_stylesheet_too_large_or_deep_has_a_problem_not_rules(tmp_path: Path) -> None:
    path = tmp_path / "huge.css"
    path.write_text(".x { color: red }\n" * (WEB_CSS_MAX_BYTES // 18 + 1))
    sheet = load_web_css(path)
    assert sheet.problem is not None and "larger than the 1 MiB" in sheet.problem
    assert sheet.rules == () and sheet.problem_line == 0
    deep = parse_web_css(".x { color: red }\n\n.y { color: " + "[" * 500 + " }")
    assert (deep.problem_line, deep.rules) == (3, ())


def test_a_web_stylesheet_is_refused_above_its_count_of_selectors() -> None:
    """Half a minute went into reading 1 MiB of selectors: now their count decides."""
    rules = parse_web_css(".x { color: red }\n" * (MAX_SELECTORS + 1))
    assert (rules.problem, rules.problem_line) == (f"more than {MAX_SELECTORS} rules", 8193)
    started = time.monotonic()
    listed = parse_web_css("\n" + ", ".join([".a"] * (MAX_SELECTORS + 1)) + " { color: red }")
    assert (listed.problem, listed.problem_line) == (f"more than {MAX_SELECTORS} selectors", 2)
    assert listed.rules == () and time.monotonic() - started < 10
    fine = parse_web_css(".x { color: red }\n" * MAX_SELECTORS)
    assert fine.problem is None and len(fine.rules) == MAX_SELECTORS


def test_a_broken_theme_in_the_config_file_is_one_line_too(write: WriteFiles) -> None:
    deck = write({"deck.md": "# One\n", "theme.tcss": "/* prexterm-theme\n*/\nScreen {\n",
                  "prexterm/config.toml": ""})  # fmt: skip
    (deck.parent / "prexterm" / "config.toml").write_text(f'theme = "{deck.parent}/theme.tcss"\n')
    result = prexterm("deck.md", cwd=deck.parent)
    assert result.returncode == 2
    assert result.stderr == (
        f"prexterm: {deck.parent}/theme.tcss:4: Unexpected end of file. Did you forget a '}}'?\n"
    )


def test_a_selector_too_long_to_be_real_is_not_supported_and_not_compiled() -> None:
    """Matching compiles each selector; one of 600,000 characters took half a minute."""
    started = time.monotonic()
    sheet = parse_web_css(".a" * 300_000 + " { color: red }\n.b" + ".b" * 500 + " { color: red }")
    assert time.monotonic() - started < 10
    assert [note.what for note in sheet.ignored] == [f"selector {'.a' * 30}… not supported"]
    assert [rule.selector for rule in sheet.rules] == [".b" * 501]
    assert len(".b" * 501) <= MAX_SELECTOR_LENGTH

"""`prexterm check` as a user runs it: a real process, real files, real bytes on stdout.

Every run goes through `run()`, which also asserts what must hold for any input at all:
no traceback, and no raw ESC or BEL byte on either stream (a deck must never be able to
drive the terminal of the person checking it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, SAMPLES, SEED_DECK

LINE = re.compile(
    r"^(?P<file>.+?):(?P<line>[1-9]\d*): (?P<severity>error|warning): (?P<message>.+)$"
)
SUMMARY = re.compile(
    r"(?:^|: )(?P<slides>\d+) slides?, (?P<errors>\d+) errors?, (?P<warnings>\d+) warnings?$"
)
TOUR = SAMPLES / "tour.md"
ESC_NAME = "e\x1b[31mvil.md"

DECK_KEYS = {"deck", "slides", "diagnostics", "summary", "rules"}
SLIDE_KEYS = {
    "number",
    "talk_number",
    "skipped",
    "footer_shown",
    "section",
    "commands",
    "title",
    "steps",
    "text",
    "header",
    "footer",
    "classes",
    "notes",
    "note_steps",
    "photo",
    "background",
    "code",
    "source",
}
CODE_KEYS = {"path", "language", "runner", "command"}
SOURCE_KEYS = {"file", "line"}
DIAGNOSTIC_KEYS = {"severity", "file", "line", "message"}
SUMMARY_KEYS = {"slides", "errors", "warnings"}


@dataclass(frozen=True)
class Result:
    """What one run of `prexterm check` left behind."""

    status: int
    out: str
    err: str
    raw_out: bytes
    raw_err: bytes

    @property
    def lines(self) -> list[str]:
        """The non-empty lines of stdout."""
        return [line for line in self.out.splitlines() if line.strip()]

    @property
    def problems(self) -> list[re.Match[str]]:
        """The stdout lines that are diagnostics, parsed."""
        found = [LINE.match(line) for line in self.lines]
        return [m for m in found if m is not None]

    def summaries(self) -> list[tuple[int, int, int]]:
        """Each summary line of stdout as (slides, errors, warnings)."""
        found = [SUMMARY.search(line) for line in self.lines]
        return [
            (int(m["slides"]), int(m["errors"]), int(m["warnings"])) for m in found if m is not None
        ]

    def records(self) -> list[dict[str, Any]]:
        """Every line of stdout as JSON (JSON Lines): one object per deck, in order."""
        records = [json.loads(line) for line in self.out.splitlines()]
        assert all(isinstance(record, dict) for record in records)
        return records

    def decks(self) -> list[dict[str, Any]]:
        """The JSON objects on stdout of the decks that could be read, in order."""
        return [record for record in self.records() if "error" not in record]


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.pop("PYTHONIOENCODING", None)
    env.update(extra)
    return env


def _finish(completed: subprocess.CompletedProcess[bytes]) -> Result:
    out = completed.stdout.decode("utf-8", errors="surrogateescape")
    err = completed.stderr.decode("utf-8", errors="surrogateescape")
    for stream in (completed.stdout, completed.stderr):
        assert b"Traceback" not in stream, err
        assert b"\x1b" not in stream, stream
        assert b"\x07" not in stream, stream
    return Result(completed.returncode, out, err, completed.stdout, completed.stderr)


def run(*args: str, cwd: Path, **env: str) -> Result:
    """Run `python -m prexterm check ARGS` in `cwd` and check the universal promises."""
    completed = subprocess.run(
        [sys.executable, "-m", "prexterm", "check", *args],
        cwd=cwd,
        env=_env(**env),
        capture_output=True,
        timeout=60,
        check=False,
    )
    return _finish(completed)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    """Write one file below `folder` (text as UTF-8) and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


CLEAN_DECK = "# Hello\n\nNothing wrong here.\n---\n# Second\n\n- a\n- b\n"
WARNING_DECK = "# Pictures\n\n![gone](img/nowhere.png)\n"
ERROR_DECK = "# Title\n!badcomm This command is wrong!\nText.\n"


# --- Markdown written for Prexent's reader ---------------------------------------------


PREXENT_DECK = (
    "# Prexent shapes\n"
    "\n"
    "| Texas | TX |\n"
    "| Maine | ME |\n"
    "\n"
    "###\u00a0Sources\n"
    "Search with [Google] [1].\n"
    "<br />\n"
    "\n"
    "[1]: https://google.com\n"
)


def test_prexent_shapes_are_notes_that_say_what_to_write(tmp_path: Path) -> None:
    write(tmp_path, "deck.md", PREXENT_DECK)
    result = run("deck.md", cwd=tmp_path)
    assert result.status == 0
    assert result.lines == [
        "deck.md:3: note: a table without a delimiter row, which Prexent showed with no header"
        " row; write `|  |  |` and `| --- | --- |` above it to keep it so, or `| --- | --- |`"
        " under its first row to make that row a header",
        "deck.md:6: note: a no-break space after `###`; write a plain space: `### Sources`",
        "deck.md:7: note: a space between the brackets of the reference link `[Google] [1]`;"
        " write `[Google][1]`",
        "1 slide, 0 errors, 0 warnings",
    ]


def test_prexent_shapes_read_as_prexent_showed_them(tmp_path: Path) -> None:
    write(tmp_path, "deck.md", PREXENT_DECK)
    (deck,) = run("--json", "deck.md", cwd=tmp_path).decks()
    assert deck["slides"][0]["text"].splitlines() == [
        "Prexent shapes",
        "Texas | TX",
        "Maine | ME",
        "Sources",
        "Search with Google.",
    ]


# --- lines, summary and status ------------------------------------------------------


def test_unknown_directive_is_reported_with_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "deck.md", ERROR_DECK)
    result = run("deck.md", cwd=tmp_path)
    assert result.status == 1
    assert result.lines == [
        "deck.md:2: error: unknown directive !badcomm",
        "1 slide, 1 error, 0 warnings",
    ]
    assert result.err == ""


def test_every_problem_line_has_the_file_line_severity_form(tmp_path: Path) -> None:
    write(tmp_path, "parts/inner.md", "Inner text\n!nope\n")
    write(
        tmp_path,
        "deck.md",
        "# One\n!include parts/inner.md\n---\n# Two\n!include missing.md\n"
        "---\n!code gone.py\n---\n![x](lost.png)\n!slide_background nope.jpg\n",
    )
    result = run("deck.md", cwd=tmp_path)
    assert result.status == 1
    *problem_lines, summary = result.lines
    assert problem_lines, result.out
    for line in problem_lines:
        assert LINE.match(line), line
    where = {(m["file"], int(m["line"]), m["severity"]) for m in result.problems}
    assert (os.path.join("parts", "inner.md"), 2, "error") in where
    assert ("deck.md", 5, "error") in where
    assert ("deck.md", 7, "error") in where
    assert ("deck.md", 9, "warning") in where
    assert ("deck.md", 10, "warning") in where
    messages = [m["message"] for m in result.problems]
    assert "unknown directive !nope" in messages
    assert "Included file not found: missing.md" in messages
    assert "Code file not found: gone.py" in messages
    errors = sum(1 for m in result.problems if m["severity"] == "error")
    warnings = sum(1 for m in result.problems if m["severity"] == "warning")
    assert SUMMARY.search(summary)
    assert result.summaries() == [(4, errors, warnings)]


def test_lines_count_from_the_file_even_with_bom_and_crlf(tmp_path: Path) -> None:
    write(tmp_path, "deck.md", b"\xef\xbb\xbf# Title\r\ntext\r\n!wrong\r\n")
    result = run("deck.md", cwd=tmp_path)
    assert result.lines[0] == "deck.md:3: error: unknown directive !wrong"


def test_file_names_are_shown_relative_to_the_current_directory(tmp_path: Path) -> None:
    write(tmp_path, "talks/deck.md", ERROR_DECK)
    result = run(os.path.join("talks", "deck.md"), cwd=tmp_path)
    assert (
        result.lines[0]
        == f"{os.path.join('talks', 'deck.md')}:2: error: unknown directive !badcomm"
    )


def test_clean_deck_exits_zero(tmp_path: Path) -> None:
    write(tmp_path, "deck.md", CLEAN_DECK)
    result = run("deck.md", cwd=tmp_path)
    assert result.status == 0
    assert result.lines == ["2 slides, 0 errors, 0 warnings"]


@pytest.mark.parametrize(
    ("deck", "summary"),
    [
        (CLEAN_DECK, "2 slides, 0 errors, 0 warnings"),
        (WARNING_DECK, "1 slide, 0 errors, 1 warning"),
        (ERROR_DECK, "1 slide, 1 error, 0 warnings"),
        (ERROR_DECK + "---\n!wrong\n" + WARNING_DECK, "2 slides, 2 errors, 1 warning"),
        (WARNING_DECK + "![two](gone.png)\n---\n!x\n---\n!y\n", "3 slides, 2 errors, 2 warnings"),
    ],
)
def test_the_summary_says_one_error_and_two_errors(tmp_path: Path, deck: str, summary: str) -> None:
    write(tmp_path, "deck.md", deck)
    assert run("deck.md", cwd=tmp_path).lines[-1] == summary


def test_warnings_alone_exit_zero(tmp_path: Path) -> None:
    write(tmp_path, "deck.md", WARNING_DECK)
    result = run("deck.md", cwd=tmp_path)
    assert result.status == 0
    assert [m["severity"] for m in result.problems] == ["warning"]
    assert result.problems[0]["file"] == "deck.md"
    assert result.problems[0]["line"] == "3"
    assert result.summaries() == [(1, 0, 1)]


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("missing", lambda folder: folder / "nowhere.md"),
        ("directory", lambda folder: (folder / "adir").mkdir() or folder / "adir"),
        ("binary", lambda folder: write(folder, "blob.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")),
    ],
)
def test_unreadable_deck_exits_two(tmp_path: Path, name: str, make: Any) -> None:
    path: Path = make(tmp_path)
    result = run(path.name, cwd=tmp_path)
    assert result.status == 2, (name, result)
    assert path.name in result.err
    assert "error" in result.err
    assert result.out.strip() == ""
    as_json = run("--json", path.name, cwd=tmp_path)
    assert as_json.status == 2, (name, as_json)
    assert as_json.err == result.err
    ((record),) = as_json.records()
    assert set(record) == {"deck", "error"}
    assert record["deck"] == path.name
    assert record["error"] == result.err.strip().removeprefix(f"{path.name}: error: ")


@pytest.mark.parametrize(
    ("decks", "status"),
    [
        (["clean.md", "warn.md"], 0),
        (["clean.md", "bad.md"], 1),
        (["bad.md", "clean.md"], 1),
        (["bad.md", "missing.md"], 2),
        (["missing.md", "bad.md"], 2),
        (["missing.md", "clean.md"], 2),
        (["clean.md", "adir", "warn.md"], 2),
    ],
)
def test_the_worst_status_wins_over_several_decks(
    tmp_path: Path, decks: list[str], status: int
) -> None:
    write(tmp_path, "clean.md", CLEAN_DECK)
    write(tmp_path, "warn.md", WARNING_DECK)
    write(tmp_path, "bad.md", ERROR_DECK)
    (tmp_path / "adir").mkdir()
    result = run(*decks, cwd=tmp_path)
    assert result.status == status
    readable = [d for d in decks if d not in ("missing.md", "adir")]
    assert len(result.summaries()) == len(readable)
    for deck in readable:
        assert any(line.startswith(f"{deck}: ") and SUMMARY.search(line) for line in result.lines)
    json_result = run("--json", *decks, cwd=tmp_path)
    assert json_result.status == status
    assert [d["deck"] for d in json_result.records()] == decks
    assert [d["deck"] for d in json_result.decks()] == readable


# --- JSON ----------------------------------------------------------------------------


def _assert_schema(deck: dict[str, Any]) -> None:
    assert set(deck) == DECK_KEYS
    assert isinstance(deck["deck"], str)
    for number, slide in enumerate(deck["slides"], start=1):
        assert set(slide) == SLIDE_KEYS
        assert slide["number"] == number
        assert isinstance(slide["title"], str)
        assert isinstance(slide["text"], str)
        assert slide["header"] is None or isinstance(slide["header"], str)
        assert slide["footer"] is None or isinstance(slide["footer"], str)
        assert all(isinstance(c, str) for c in slide["classes"])
        assert all(isinstance(n, str) for n in slide["notes"])
        assert isinstance(slide["photo"], bool)
        assert slide["background"] is None or isinstance(slide["background"], str)
        for code in slide["code"]:
            assert set(code) == CODE_KEYS
            assert isinstance(code["path"], str)
            assert isinstance(code["language"], str)
            assert code["runner"] is None or all(isinstance(p, str) for p in code["runner"])
        assert set(slide["source"]) == SOURCE_KEYS
        assert isinstance(slide["source"]["file"], str)
        assert isinstance(slide["source"]["line"], int) and slide["source"]["line"] >= 1
    for diagnostic in deck["diagnostics"]:
        assert set(diagnostic) == DIAGNOSTIC_KEYS
        assert diagnostic["severity"] in ("error", "warning", "note")
        assert isinstance(diagnostic["file"], str)
        assert isinstance(diagnostic["line"], int) and diagnostic["line"] >= 1
        assert isinstance(diagnostic["message"], str)
    assert set(deck["summary"]) == SUMMARY_KEYS
    summary = deck["summary"]
    assert summary["slides"] == len(deck["slides"])
    severities = [d["severity"] for d in deck["diagnostics"]]
    assert summary["errors"] == severities.count("error")
    assert summary["warnings"] == severities.count("warning")


def test_json_has_exactly_the_documented_shape(tmp_path: Path) -> None:
    write(tmp_path, "hello.py", "print('hello')\n")
    write(tmp_path, "pic.png", b"\x89PNG\r\n\x1a\n")
    write(
        tmp_path,
        "deck.md",
        "!header The Header !footer The Footer\n"
        "# Welcome\n"
        "!comment secret speaker note\n"
        "Some **bold** and *italic* and `code` text.\n"
        "!slide_classes intro wide\n"
        "---\n"
        "## Code\n"
        "!code hello.py\n"
        "---\n"
        "!slide_background pic.png\n"
        "---\n"
        "!nonsense here\n"
        "Last words.\n",
    )
    result = run("--json", "deck.md", cwd=tmp_path)
    assert result.status == 1
    (deck,) = result.decks()
    _assert_schema(deck)
    assert deck["deck"] == "deck.md"
    first, code, photo, last = deck["slides"]

    assert first["title"] == "Welcome"
    assert first["header"] == "The Header"
    assert first["footer"] == "The Footer"
    assert first["classes"] == ["intro", "wide"]
    assert first["notes"] == ["secret speaker note"]
    assert first["source"] == {"file": "deck.md", "line": 1}
    assert "Some bold and italic and code text." in first["text"]
    assert "Welcome" in first["text"]
    for hidden in ("**", "!comment", "!header", "!slide_classes", "secret speaker note"):
        assert hidden not in first["text"]

    assert code["title"] == "Code"
    [entry] = code["code"]
    assert {k: entry[k] for k in ("path", "language", "runner")} == {
        "path": "hello.py",
        "language": "python",
        "runner": ["python3"],
    }
    assert entry["command"].startswith("python3 ") and entry["command"].endswith(")")
    assert code["source"] == {"file": "deck.md", "line": 7}
    assert "!code" not in code["text"]

    assert photo["photo"] is True
    assert photo["background"] == "pic.png"
    assert photo["text"].strip() == ""
    assert last["header"] == "The Header"

    assert [d for d in deck["diagnostics"] if d["severity"] == "error"] == [
        {
            "severity": "error",
            "file": "deck.md",
            "line": 12,
            "message": "unknown directive !nonsense",
        }
    ]
    # pic.png is only a PNG signature: check says the picture cannot be shown.
    warnings = [d["message"] for d in deck["diagnostics"] if d["severity"] == "warning"]
    assert warnings == ["picture pic.png: not a picture (corrupt or unknown format)"]
    assert "!nonsense" not in last["text"]
    assert deck["summary"] == {"slides": 4, "errors": 1, "warnings": 1}


def test_json_prints_one_line_per_deck_in_order(tmp_path: Path) -> None:
    write(tmp_path, "a.md", CLEAN_DECK)
    write(tmp_path, "b.md", ERROR_DECK)
    (tmp_path / "adir").mkdir()
    write(tmp_path, "c.md", WARNING_DECK)
    result = run("--json", "a.md", "missing.md", "b.md", "adir", "c.md", cwd=tmp_path)
    assert result.status == 2
    lines = result.out.splitlines()
    assert len(lines) == 5
    records = [json.loads(line) for line in lines]
    assert [r["deck"] for r in records] == ["a.md", "missing.md", "b.md", "adir", "c.md"]
    assert records[1] == {"deck": "missing.md", "error": "no such file"}
    assert records[3] == {"deck": "adir", "error": "is a directory, not a deck file"}
    for record in (records[0], records[2], records[4]):
        _assert_schema(record)
    assert [r["summary"]["errors"] for r in (records[0], records[2], records[4])] == [0, 1, 0]


def test_json_prints_one_object_per_deck(tmp_path: Path) -> None:
    write(tmp_path, "a.md", CLEAN_DECK)
    write(tmp_path, "b.md", ERROR_DECK)
    result = run("--json", "a.md", "b.md", cwd=tmp_path)
    assert result.status == 1
    decks = result.decks()
    assert [d["deck"] for d in decks] == ["a.md", "b.md"]
    for deck in decks:
        _assert_schema(deck)
    assert decks[0]["summary"] == {"slides": 2, "errors": 0, "warnings": 0}
    assert decks[1]["summary"] == {"slides": 1, "errors": 1, "warnings": 0}


# --- the real decks ------------------------------------------------------------------


def test_seed_deck_checks_with_one_warning() -> None:
    result = run(str(SEED_DECK.relative_to(REPO)), cwd=REPO)
    assert result.status == 0
    assert result.summaries() == [(40, 0, 1)]
    (problem,) = result.problems
    css_line = next(
        number
        for number, line in enumerate(SEED_DECK.read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith("!custom_css")
    )
    assert problem["file"] == os.path.join("samples", "kigali.md")
    assert int(problem["line"]) == css_line
    assert problem["severity"] == "warning"
    assert "/css/custom.css" in problem["message"]


def test_seed_deck_as_json() -> None:
    result = run("--json", str(SEED_DECK), cwd=REPO)
    assert result.status == 0
    (deck,) = result.decks()
    _assert_schema(deck)
    assert deck["summary"] == {"slides": 40, "errors": 0, "warnings": 1}
    slides = deck["slides"]
    assert slides[0]["header"] == "FACTTIC in Kigali 2019"
    assert slides[0]["footer"] == "Made with Prexent"
    assert slides[0]["classes"] == ["slide-0"]
    assert len(slides[0]["notes"]) == 1
    assert slides[0]["notes"][0] not in slides[0]["text"]
    assert slides[24]["classes"] == ["photo-title-slide"]
    assert all(s["photo"] for s in slides[24:37])
    assert slides[39]["classes"] == ["last-slide"]
    for slide in slides:
        assert not any(line.startswith("!") for line in slide["text"].splitlines())


def test_bundled_tour_has_no_errors() -> None:
    result = run(str(TOUR), cwd=REPO)
    assert result.status == 0
    assert [m for m in result.problems if m["severity"] == "error"] == []
    ((slides, errors, _),) = result.summaries()
    assert slides > 1
    assert errors == 0


def test_installed_script_reports_the_same(tmp_path: Path) -> None:
    script = shutil.which("prexterm")
    if script is None:
        pytest.skip("the prexterm script is not on PATH")
    write(tmp_path, "deck.md", ERROR_DECK)
    completed = subprocess.run(
        [script, "check", "deck.md"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    result = _finish(completed)
    assert result.status == 1
    assert result.lines == [
        "deck.md:2: error: unknown directive !badcomm",
        "1 slide, 1 error, 0 warnings",
    ]


# --- safety --------------------------------------------------------------------------

ESC_DECK = (
    "!header Head \x1b[31mred\x1b[0m !footer Foot \x1b]0;title\x07\n"
    "# Title \x1b[31mred\n"
    "Text with \x1b]0;x\x07 an OSC and \x1b[2J a clear and \x9b31m a C1 CSI.\n"
    "!comment note \x1b[31m red \x1b]0;x\x07\n"
    "<!-- html comment \x1b[31m -->\n"
    "!include \x1b[31mmissing.md\n"
    "!include missing\x1b]0;x\x07.md\n"
    "!code \x1b[31mgone.py\n"
    "!custom_css \x1b[31mstyle.css\n"
    "![pic](\x1b[31mpic.png)\n"
    "!slide_background \x1b]0;x\x07.jpg\n"
    "!bad\x1b[31m directive\n"
    "!slide_classes a\x1b[31mb\n"
)


def _no_controls(value: Any) -> None:
    """Assert that no string anywhere in a JSON value holds a C0/C1 control but tab/newline."""
    if isinstance(value, str):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", value), value
    elif isinstance(value, dict):
        for item in value.values():
            _no_controls(item)
    elif isinstance(value, list):
        for item in value:
            _no_controls(item)


def test_escape_sequences_in_a_deck_never_reach_the_terminal(tmp_path: Path) -> None:
    write(tmp_path, "deck.md", ESC_DECK)
    text = run("deck.md", cwd=tmp_path)
    assert text.status == 1
    assert any("Included file not found" in m["message"] for m in text.problems)
    assert any("Code file not found" in m["message"] for m in text.problems)
    assert "\u009b" not in text.out
    as_json = run("--json", "deck.md", cwd=tmp_path)
    assert as_json.status == 1
    (deck,) = as_json.decks()
    _assert_schema(deck)
    _no_controls(deck)


def test_escape_sequences_in_an_included_file_never_reach_the_terminal(tmp_path: Path) -> None:
    write(tmp_path, "part.md", "\x1b[31mIncluded\n!include \x1b]0;x\x07nowhere.md\n!x\x1b\n")
    write(tmp_path, "deck.md", "# Deck\n!include part.md\n")
    run("deck.md", cwd=tmp_path)
    (deck,) = run("--json", "deck.md", cwd=tmp_path).decks()
    _no_controls(deck)


def test_a_deck_named_with_an_escape_never_echoes_it(tmp_path: Path) -> None:
    write(tmp_path, ESC_NAME, ERROR_DECK)
    write(tmp_path, "other.md", CLEAN_DECK)
    single = run(ESC_NAME, cwd=tmp_path)
    assert single.status == 1
    assert len(single.problems) == 1
    several = run(ESC_NAME, "other.md", cwd=tmp_path)
    assert several.status == 1
    assert len(several.summaries()) == 2
    as_json = run("--json", ESC_NAME, "other.md", cwd=tmp_path)
    assert len(as_json.decks()) == 2
    missing = run("no\x1b[31mthing.md", "also\x07.md", cwd=tmp_path)
    assert missing.status == 2
    assert "error" in missing.err
    missing_json = run("--json", "no\x1b[31mthing.md", "also\x07.md", cwd=tmp_path)
    assert missing_json.status == 2
    assert len(missing_json.records()) == 2
    _no_controls(missing_json.records())


def test_escape_in_an_argument_never_echoes_it(tmp_path: Path) -> None:
    write(tmp_path, "deck.md", CLEAN_DECK)
    result = run("--bogus\x1b[31m", "deck.md", cwd=tmp_path)
    assert result.status == 2
    assert result.err.splitlines() == [
        "prexterm check: error: unrecognized arguments: --bogus\u241b[31m"
        " (see prexterm check --help)"
    ]
    root = run("--root", "r\x1b[31m", "deck.md", cwd=tmp_path)
    assert root.status == 2


@pytest.mark.parametrize("json_mode", [False, True])
def test_refused_include_never_shows_the_outside_file(tmp_path: Path, json_mode: bool) -> None:
    marker = "SECRET-MARKER-6c1f0e93"
    write(tmp_path, "secret.txt", f"{marker}\n")
    deck_dir = tmp_path / "deck"
    write(deck_dir, "sub/nested.md", "# Nested\n!include ../../secret.txt\n")
    (deck_dir / "link.txt").symlink_to(tmp_path / "secret.txt")
    write(
        deck_dir,
        "deck.md",
        "# Talk\n"
        "!include ../secret.txt\n"
        "---\n"
        "!include /../secret.txt\n"
        "---\n"
        "!include link.txt\n"
        "---\n"
        "!code ../secret.txt\n"
        "---\n"
        f"!include {tmp_path / 'secret.txt'}\n"
        "---\n"
        "!include sub/nested.md\n",
    )
    args = ["--json", "deck.md"] if json_mode else ["deck.md"]
    result = run(*args, cwd=deck_dir)
    assert marker not in result.out
    assert marker not in result.err
    assert result.status == 1
    if json_mode:
        (deck,) = result.decks()
        lines = [d["line"] for d in deck["diagnostics"] if d["severity"] == "error"]
        assert {2, 4, 6, 8, 10} <= set(lines)
    else:
        refused = [m for m in result.problems if "refused" in m["message"]]
        assert {int(m["line"]) for m in refused if m["file"] == "deck.md"} >= {2, 4, 6, 8, 10}
        assert all(m["severity"] == "error" for m in refused)


def test_refused_include_is_read_once_the_root_is_widened(tmp_path: Path) -> None:
    """The refusal above is about the root, not a broken include: `--root` lets it in."""
    marker = "WIDENED-MARKER-51d2"
    write(tmp_path, "shared.md", f"{marker}\n")
    write(tmp_path, "deck/deck.md", "# Talk\n!include ../shared.md\n")
    refused = run("--json", "deck.md", cwd=tmp_path / "deck")
    assert marker not in refused.out
    widened = run("--json", "--root", str(tmp_path), "deck.md", cwd=tmp_path / "deck")
    assert widened.status == 0
    assert marker in widened.decks()[0]["slides"][0]["text"]


def test_invalid_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    write(tmp_path, "deck.md", b"# Title\nok \xff\xfe bad\n")
    result = run("deck.md", cwd=tmp_path)
    (problem,) = result.problems
    assert problem["file"] == "deck.md"
    assert problem["line"] == "2"
    assert problem["severity"] == "error"
    assert re.search(r"\boffset\b.*\b11\b", problem["message"]), problem["message"]
    assert result.status == 1
    (deck,) = run("--json", "deck.md", cwd=tmp_path).decks()
    assert "11" in deck["diagnostics"][0]["message"]


def test_include_cycle_names_the_chain(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "# A\n!include b.md\n")
    write(tmp_path, "b.md", "B\n!include a.md\n")
    result = run("a.md", cwd=tmp_path)
    assert result.status == 1
    cycle = [m for m in result.problems if "cycle" in m["message"]]
    assert len(cycle) == 1
    assert cycle[0]["severity"] == "error"
    assert (cycle[0]["file"], cycle[0]["line"]) == ("b.md", "2")
    message = cycle[0]["message"]
    assert re.search(r"a\.md.*b\.md.*a\.md", message), message


def test_self_include_and_deep_nesting_are_errors_not_crashes(tmp_path: Path) -> None:
    write(tmp_path, "self.md", "# Me\n!include self.md\n")
    result = run("self.md", cwd=tmp_path)
    assert result.status == 1
    assert any("self.md" in m["message"] for m in result.problems)
    for level in range(40):
        write(tmp_path, f"n{level}.md", f"level {level}\n!include n{level + 1}.md\n")
    write(tmp_path, "n40.md", "bottom\n")
    deep = run("n0.md", cwd=tmp_path)
    assert deep.status == 1
    assert any(m["severity"] == "error" for m in deep.problems)


def test_an_output_encoding_that_cannot_show_the_text_does_not_crash(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "# Ça\n!include b.md\n")
    write(tmp_path, "b.md", "é → ü\n!include a.md\n")
    result = run("a.md", cwd=tmp_path, PYTHONIOENCODING="ascii")
    assert result.status == 1
    assert result.summaries() == [(1, 1, 0)]


def test_a_reader_that_goes_away_causes_no_traceback(tmp_path: Path) -> None:
    write(tmp_path, "big.md", "# Slide\n\nSome text on it.\n---\n" * 3000)
    process = subprocess.Popen(
        [sys.executable, "-m", "prexterm", "check", "--json", "big.md"],
        cwd=tmp_path,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(10)
    process.stdout.close()
    err = process.stderr.read()
    process.wait(timeout=60)
    assert b"Traceback" not in err, err.decode(errors="replace")

"""`prexterm check` and steps: each slide's step count, and pauses that do not work."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_check import run, write
from tests.conftest import check_in_fresh_python

STEPPED = """\
# Plan
!comment first
<!-- pause -->
!comment second
Second step
---
<!-- incremental_lists: true -->
- a
- b
- c
---
No steps here
"""


def test_json_gives_each_slide_s_step_count(tmp_path: Path) -> None:
    write(tmp_path, "deck.md", STEPPED)
    result = run("--json", "deck.md", cwd=tmp_path)
    assert result.status == 0
    [deck] = result.decks()
    assert [slide["steps"] for slide in deck["slides"]] == [2, 3, 1]
    assert deck["summary"] == {"slides": 3, "errors": 0, "warnings": 0}
    assert "Second step" in deck["slides"][0]["text"]  # every step's text
    assert deck["slides"][0]["notes"] == ["first", "second"]
    assert deck["slides"][0]["note_steps"] == [1, 2]
    assert deck["slides"][1]["note_steps"] == []


def test_incremental_lists_for_the_whole_deck_change_the_counts(tmp_path: Path) -> None:
    write(tmp_path, "deck.md", "- a\n- b\n---\nText\n")
    plain = run("--json", "deck.md", cwd=tmp_path).decks()[0]
    stepped = run("--json", "--incremental-lists", "deck.md", cwd=tmp_path).decks()[0]
    assert [s["steps"] for s in plain["slides"]] == [1, 1]
    assert [s["steps"] for s in stepped["slides"]] == [2, 1]


def test_a_pause_that_reveals_nothing_and_one_where_it_may_not_stand_are_warnings(
    tmp_path: Path,
) -> None:
    text = "Intro\n\n> quoted\n> <!-- pause -->\n\nMore\n\n<!-- pause -->\n"
    write(tmp_path, "deck.md", text)
    result = run("deck.md", cwd=tmp_path)
    assert result.status == 0  # warnings only
    found = [(m["line"], m["severity"], m["message"]) for m in result.problems]
    assert [(line, severity) for line, severity, _ in found] == [
        ("4", "warning"),
        ("8", "warning"),
    ]
    assert "top level of a slide or inside a list item" in found[0][2]
    assert "reveals nothing" in found[1][2]
    assert result.summaries() == [(1, 0, 2)]


def test_checking_a_deck_with_steps_loads_neither_asyncio_nor_textual(tmp_path: Path) -> None:
    deck = write(tmp_path, "talk.md", STEPPED + "\n<!-- pause -->\n")
    status, report, loaded = check_in_fresh_python(["--json", str(deck)])
    assert status == 0
    assert [s["steps"] for s in json.loads(report)["slides"]] == [2, 3, 2]
    assert loaded == []

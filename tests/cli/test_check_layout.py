"""`prexterm check` and layout commands: the commands of each slide, file and talk
numbers, and which rules a deck was read with."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_check import run, write

DECKS = Path(__file__).parent.parent / "decks"

LAID_OUT = """\
!footer F
<!-- column_layout: [3, 2] -->
<!-- column: 1 -->
right
---
<!-- skip_slide -->
backup
---
<!-- section: Demo -->
<!-- alignment: sideways -->
last
"""


def test_json_lists_the_commands_and_both_numbers(tmp_path: Path) -> None:
    write(tmp_path, "deck.md", LAID_OUT)
    result = run("--json", "deck.md", cwd=tmp_path)
    [deck] = result.decks()
    assert deck["rules"] == "prexent"
    slides = deck["slides"]
    assert [s["number"] for s in slides] == [1, 2, 3]
    assert [s["talk_number"] for s in slides] == [1, None, 2]
    assert [s["skipped"] for s in slides] == [False, True, False]
    assert slides[0]["commands"] == [
        {"name": "column_layout", "value": "[3, 2]", "line": 2},
        {"name": "column", "value": "1", "line": 3},
    ]
    assert slides[2]["section"] == "Demo"
    assert deck["summary"] == {"slides": 3, "errors": 0, "warnings": 1}
    assert deck["diagnostics"][0]["line"] == 10


def test_text_output_names_bad_values_by_line(tmp_path: Path) -> None:
    write(tmp_path, "deck.md", LAID_OUT)
    result = run("deck.md", cwd=tmp_path)
    assert "deck.md:10: warning: alignment takes left, center or right" in result.lines


def test_presenterm_decks_check_clean_and_say_their_rules() -> None:
    for name in ("presenterm_intro.md", "presenterm_options.md"):
        result = run("--json", name, cwd=DECKS)
        [deck] = result.decks()
        assert deck["rules"] == "presenterm"
        assert deck["summary"]["warnings"] == deck["summary"]["errors"] == 0
        plain = run(name, cwd=DECKS)
        assert any("read with presenterm's rules" in line for line in plain.lines)


def test_json_lists_end_slide_and_include_on_the_slides_they_stand_on() -> None:
    result = run("--json", "presenterm_intro.md", cwd=DECKS)
    [deck] = result.decks()
    second = deck["slides"][1]
    assert second["title"] == "Why slides in a terminal"
    assert second["commands"][-1] == {"name": "end_slide", "value": None, "line": 16}
    result = run("--json", "presenterm_options.md", cwd=DECKS)
    [deck] = result.decks()
    third = deck["slides"][2]
    assert {"name": "include", "value": "presenterm_part.md", "line": 26} in third["commands"]
    assert "Included text from another file." in third["text"]

"""End to end: a rehearsal whose report cannot be written still shows its table, then
says why in one line and exits with status 1, so a script that rehearses notices."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import NEEDS_TERMINAL, PREXTERM, OpenTerminal

pytestmark = NEEDS_TERMINAL


@pytest.mark.parametrize(
    ("report", "why"),
    [
        ("a-folder", "Is a directory"),
        ("talk.md/report.json", "talk.md is a file, not a folder"),
    ],
)
def test_a_report_that_cannot_be_written_ends_with_status_one(
    open_terminal: OpenTerminal, runtime: dict[str, str], tmp_path: Path, report: str, why: str
) -> None:
    assert PREXTERM is not None
    deck = tmp_path / "talk.md"
    deck.write_text("# Alpha\n\none\n---\n# Bravo\n\ntwo\n")
    (tmp_path / "a-folder").mkdir()
    terminal = open_terminal(100, 30)
    terminal.start([PREXTERM, "rehearse", deck.name, "--report", report], cwd=tmp_path, env=runtime)
    terminal.wait_for("1/2")
    terminal.send("Right")
    terminal.wait_for("2/2")
    terminal.send("q")
    assert terminal.exit_status() == 1
    lines = [line for line in terminal.wait_for("Total").splitlines() if line.strip()]
    assert [line.split()[:2] for line in lines if line.split()[1:2] in (["Alpha"], ["Bravo"])] == [
        ["1", "Alpha"],
        ["2", "Bravo"],
    ]
    assert lines[-1] == f"prexterm: could not write the report to {report}: {why}"
    assert "Traceback" not in terminal.screen()
    assert [p.name for p in (tmp_path / "a-folder").iterdir()] == []


def test_a_written_report_ends_with_status_zero(
    open_terminal: OpenTerminal, runtime: dict[str, str], tmp_path: Path
) -> None:
    assert PREXTERM is not None
    deck = tmp_path / "talk.md"
    deck.write_text("# Alpha\n\none\n")
    terminal = open_terminal(80, 24)
    terminal.start(
        [PREXTERM, "rehearse", deck.name, "--report", "r.json"], cwd=tmp_path, env=runtime
    )
    terminal.wait_for("1/1")
    terminal.send("q")
    assert terminal.exit_status() == 0
    lines = [line for line in terminal.wait_for("Total").splitlines() if line.strip()]
    assert lines[-1] == "report written to r.json"
    assert (tmp_path / "r.json").is_file()

"""Each bad input to `prexterm export` is one clear line and an exit status, never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from prexterm.cli import main
from prexterm.export import fonts
from tests.conftest import REPO, WriteFiles
from tests.export.helpers import export


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_an_unreadable_deck_exits_2_with_the_words_of_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for deck in (tmp_path / "missing.md", tmp_path):
        assert main(["check", str(deck)]) == 2
        checked = capsys.readouterr().err
        status, _, err = export(capsys, deck, "-o", tmp_path / "out.txt")
        assert status == 2
        assert err == checked
        one_line(err)
    assert not (tmp_path / "out.txt").exists()


def test_a_deck_without_slides_is_refused(
    write: WriteFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write({"talk.md": ""})
    status, _, err = export(capsys, deck, "-o", deck.with_suffix(".pdf"))
    assert status == 2 and "no slides to export" in one_line(err)
    assert not deck.with_suffix(".pdf").exists()


def test_it_never_writes_over_the_deck_or_a_file_the_deck_reads(
    write: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write(
        {
            "talk.md": "# One\n\n!include part.md\n\n![p](pic.txt)\n",
            "part.md": "included words\n",
            "pic.txt": "not a picture",
        }
    )
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    for target in ("talk.md", "part.md", "pic.txt"):
        status, _, err = export(capsys, deck, "-o", tmp_path / target, "--to", "txt")
        assert status == 2
        assert "will not write over" in one_line(err) and target in err
    theme = tmp_path / "look.tcss"
    theme.write_bytes((REPO / "themes" / "dark.tcss").read_bytes())
    status, _, err = export(capsys, deck, "-o", theme, "--to", "txt", "--theme", theme)
    assert status == 2 and "will not write over" in one_line(err)
    before[theme.name] = theme.read_bytes()
    # An SVG folder whose file names would land on the deck's files.
    (tmp_path / "slide-001.svg").write_text("<svg/>", encoding="utf-8")
    deck2 = write({"two.md": "# T\n\n![p](slide-001.svg)\n"})
    status, _, err = export(capsys, deck2, "-o", tmp_path, "--to", "svg")
    assert status == 2 and "will not write over" in one_line(err)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name in before}
    assert after == before


def test_an_unwritable_out_is_one_line(
    write: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write({"talk.md": "# One\n"})
    status, _, err = export(capsys, deck, "-o", tmp_path / "no" / "such" / "out.txt")
    assert status == 1
    assert "cannot write to" in one_line(err)
    (tmp_path / "afolder.txt").mkdir()
    status, _, err = export(capsys, deck, "-o", tmp_path / "afolder.txt")
    assert status == 1 and "it is a folder" in one_line(err)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    status, _, err = export(capsys, deck, "-o", tmp_path / "file", "--to", "svg")
    assert status == 1 and "not a folder" in one_line(err)


def test_a_failed_write_keeps_the_old_file_and_says_why(
    write: WriteFiles,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    deck = write({"talk.md": "# One\n"})
    out = tmp_path / "out.txt"
    out.write_text("the old export", encoding="utf-8")

    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    status, _, err = export(capsys, deck, "-o", out)
    assert status == 1
    assert one_line(err).endswith("No space left on device")
    assert out.read_text(encoding="utf-8") == "the old export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt", "talk.md"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["-o", "out.doc"], "cannot tell the format from out.doc"),
        (["--to", "docx"], "invalid choice"),
        (["--size", "10x4"], "below the player's least, 20x6"),
        (["--size", "big"], "write columns x rows"),
        (["--theme", "no-such-theme"], "no-such-theme"),
    ],
)
def test_bad_options_exit_2(
    write: WriteFiles,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    words: str,
) -> None:
    deck = write({"talk.md": "# One\n"})
    monkeypatch.chdir(deck.parent)
    try:
        status, _, err = export(capsys, deck, *args)
    except SystemExit as exit:
        status, err = int(exit.code or 0), capsys.readouterr().err
    assert status == 2
    assert words in one_line(err)
    assert sorted(p.name for p in deck.parent.iterdir()) == ["talk.md"]


def test_pdf_without_its_library_names_the_extra(
    write: WriteFiles, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write({"talk.md": "# One\n"})
    monkeypatch.setitem(sys.modules, "fpdf", None)
    status, _, err = export(capsys, deck, "-o", deck.with_suffix(".pdf"))
    assert status == 2
    assert "prexterm[pdf]" in one_line(err)


def test_pdf_without_a_font_names_the_package_to_install(
    write: WriteFiles, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write({"talk.md": "# One\n"})
    monkeypatch.setattr(fonts, "KNOWN", ())
    monkeypatch.setattr(fonts, "_fc_match", lambda pattern: None)
    status, _, err = export(capsys, deck, "-o", deck.with_suffix(".pdf"))
    assert status == 2
    assert "fonts-dejavu-core" in one_line(err)
    # HTML can do without: the reader's own monospaced font is used, and it says so.
    status, _, err = export(capsys, deck, "-o", deck.with_suffix(".html"))
    assert status == 0
    assert "fonts-dejavu-core" in one_line(err)

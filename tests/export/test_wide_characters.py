"""Wide characters (CJK letters, emoji) take their two cells in every format, so the
columns of a table around them line up as on the player's screen; in a PDF they are
drawn in a fallback font the system has, and without one the export still works."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from prexterm.export.fonts import Fallbacks
from prexterm.export.svg import CELL_WIDTH
from tests.conftest import WriteFiles
from tests.export.helpers import export, pdf_text

SMALL = ("--size", "60x16")
DECK = """\
# 中文 wide

| 名字 | 数量 |
|------|------|
| 苹果 | 3 |
| 香蕉 | 12 |
"""
LINES = ("│ 名字 │ 数量 │", "│ 苹果 │ 3    │", "│ 香蕉 │ 12   │")
"""The table's rows as the player draws them: each wide letter takes two cells."""
CELLS = {"名": 2, "字": 4, "数": 9, "量": 11, "苹": 2, "果": 4, "香": 2, "蕉": 4}
"""The cell of the table in which each letter starts."""


def bars(line: str) -> list[int]:
    """The cells of a line's `│`, counting a wide letter as two."""
    found, cell = [], 0
    for char in line:
        if char == "│":
            found.append(cell)
        cell += 2 if "\u4e00" <= char <= "\u9fff" else 1
    return found


def test_the_text_export_is_the_players_own_rows(
    write: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write({"talk.md": DECK})
    out = tmp_path / "talk.txt"
    assert export(capsys, deck, "-o", out, *SMALL)[0] == 0
    text = out.read_text(encoding="utf-8")
    for line in LINES:
        assert line in text
    assert bars(LINES[0]) == bars(LINES[1]) == [0, 7, 14]


def test_svg_stretches_a_wide_letter_to_two_cells(
    write: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write({"talk.md": DECK})
    out = tmp_path / "svg"
    assert export(capsys, deck, "-o", out, "--to", "svg", *SMALL)[0] == 0
    svg = (out / "slide-001.svg").read_text(encoding="utf-8")
    texts = re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)"[^>]*textLength="([\d.]+)"[^>]*>([^<]*)<', svg
    )
    lengths = {text: float(length) for _, _, length, text in texts}
    for letter in "名字苹果香蕉":
        assert lengths[letter] == pytest.approx(2 * CELL_WIDTH)
    assert lengths["3"] == pytest.approx(CELL_WIDTH)
    # Each letter starts two cells after the one before it, and the bars line up.
    x = {text: float(left) for left, _, _, text in texts}
    assert x["字"] - x["名"] == pytest.approx(2 * CELL_WIDTH)
    rows: dict[str, list[float]] = {}
    for left, top, _, text in texts:
        if text == "│":
            rows.setdefault(top, []).append(float(left))
    columns = {tuple(v) for v in rows.values() if len(v) == 3}
    assert len(columns) == 1, columns
    (left, middle, right) = columns.pop()
    assert (middle - left, right - left) == pytest.approx((7 * CELL_WIDTH, 14 * CELL_WIDTH))


def _boxes(path: Path) -> list[tuple[str, float, float, float]]:
    """Each word of the PDF's first page with its left, right and top, in points."""
    import subprocess

    done = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [
        (word, float(x0), float(x1), float(y0))
        for x0, y0, x1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
            done.stdout,
        )
    ]


def test_pdf_draws_cjk_in_a_fallback_font_in_the_middle_of_its_cells(
    write: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if Fallbacks().face_for("名") is None:
        pytest.skip("no font with CJK letters here (apt-get install fonts-wqy-zenhei)")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    deck = write({"talk.md": DECK})
    out = tmp_path / "talk.pdf"
    status, _, err = export(capsys, deck, "-o", out, *SMALL)
    assert (status, err) == (0, "")
    letters = "".join(pdf_text(out, 1).split())  # a reader may space letters apart
    assert "名字" in letters and "香蕉" in letters
    from pypdf import PdfReader

    fonts = {
        str(f["/BaseFont"]) for f in PdfReader(str(out)).pages[0]["/Resources"]["/Font"].values()
    }
    assert len(fonts) >= 2, "the monospaced font and a fallback"
    words = _boxes(out)
    bar = next(w for w in words if w[0] == "│")
    cell = bar[2] - bar[1]  # a box-drawing bar fills its cell
    table_left = bar[1]
    seen = ""
    for word, left, right, _ in words:
        if not word or not all("\u4e00" <= c <= "\u9fff" for c in word) or left < table_left:
            continue
        if word in "中文":
            continue  # the heading's
        seen += word
        # Each letter in the middle of its own two cells: a word of n letters around
        # the middle of its 2n cells.
        middle = table_left + (CELLS[word[0]] + len(word)) * cell
        assert (left + right) / 2 == pytest.approx(middle, abs=0.5), word
    assert sorted(seen) == sorted(CELLS)
    lefts = {round(w[1], 1) for w in words if w[0] == "│"}
    assert lefts == {round(table_left + n * cell, 1) for n in (0, 7, 14)}


def test_without_a_fallback_font_the_pdf_is_made_and_names_the_package_once(
    write: WriteFiles,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A machine without fontconfig finds the monospaced font where it is known to be,
    # and no fallback at all.
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    deck = write({"talk.md": "# Tokyo 東京\n\nwords\n---\n# Again 東京\n"})
    status, said, err = export(capsys, deck, "-o", tmp_path / "talk.pdf", *SMALL)
    assert status == 0 and "2 pages" in said
    assert err == (
        "prexterm export: warning: no font here has 京 東: blank in the PDF "
        "(on Debian or Ubuntu: apt-get install fonts-wqy-zenhei)\n"
    )
    monkeypatch.undo()
    assert "Tokyo" in pdf_text(tmp_path / "talk.pdf", 1)


def test_colour_emoji_do_not_stop_the_pdf(
    write: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    face = Fallbacks().face_for("🎉")
    if face is None:
        pytest.skip("no font with emoji here (apt-get install fonts-noto-color-emoji)")
    deck = write({"talk.md": "# Party 🎉\n\n- cake 🎂 and tea\n"})
    out = tmp_path / "talk.pdf"
    status, said, err = export(capsys, deck, "-o", out, *SMALL)
    assert (status, err) == (0, "")
    assert "1 page" in said
    text = pdf_text(out, 1)
    assert "Party" in text and "cake" in text and "and tea" in text

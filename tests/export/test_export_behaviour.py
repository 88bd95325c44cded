"""What export promises beyond the formats: steps, tall slides, notes, safety, progress."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from prexterm.bundled import tour_deck
from prexterm.export.command import ProgressBar
from tests.conftest import REPO, WriteFiles
from tests.export.helpers import export, pdf_text

SMALL = ("--size", "60x16")


def separators(text: str) -> list[str]:
    return re.findall(r"^──────── (slide .*?) ────────$", text, flags=re.M)


def test_steps_give_one_page_per_step_of_each_slide(
    write: WriteFiles,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deck = write({"talk.md": "# One\n---\n# Two\n---\n# Three\n"})
    out = tmp_path / "steps.txt"
    assert export(capsys, deck, "-o", out, "--steps", *SMALL)[0] == 0
    assert separators(out.read_text(encoding="utf-8")) == [
        "slide 1/3, step 1",
        "slide 2/3, step 1",
        "slide 3/3, step 1",
    ]
    # Each slide gives as many pages as it has steps, each showing what that step shows.
    deck = write(
        {"talk.md": "# One\n---\n# Two\n\nearly\n\n<!-- pause -->\n\nlater\n---\n# Three\n"}
    )
    assert export(capsys, deck, "-o", out, "--steps", *SMALL)[0] == 0
    text = out.read_text(encoding="utf-8")
    assert separators(text) == [
        "slide 1/3, step 1",
        "slide 2/3, step 1",
        "slide 2/3, step 2",
        "slide 3/3, step 1",
    ]
    pages = page_texts(text)
    assert "early" in pages[1] and "later" not in pages[1]
    assert "early" in pages[2] and "later" in pages[2]
    # Without --steps a slide is one page, every step revealed.
    assert export(capsys, deck, "-o", out, *SMALL)[0] == 0
    text = out.read_text(encoding="utf-8")
    assert separators(text) == ["slide 1/3", "slide 2/3", "slide 3/3"]
    assert "later" in page_texts(text)[1]


def page_texts(text: str) -> list[str]:
    """The text of each page of a text export, split at its separator lines."""
    pages: list[str] = []
    for line in text.split("\n"):
        if line.startswith("\u2500") and "slide " in line:
            pages.append("")
        elif pages:
            pages[-1] += line + "\n"
    return pages


def test_a_slide_taller_than_the_page_continues_on_the_next_marked_continued(
    write: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = "\n".join(f"- line {n:02d}" for n in range(1, 41))
    deck = write({"talk.md": f"# Short\n---\n# Long\n\n{lines}\n---\n# After\n"})
    out = tmp_path / "talk.txt"
    assert export(capsys, deck, "-o", out, *SMALL)[0] == 0
    text = out.read_text(encoding="utf-8")
    labels = separators(text)
    assert labels[0] == "slide 1/3" and labels[-1] == "slide 3/3"
    long_pages = labels[1:-1]
    assert long_pages[0] == "slide 2/3"
    assert len(long_pages) >= 3
    assert all(label == "slide 2/3 (continued)" for label in long_pages[1:])
    pages = re.split(r"^──────── slide .*? ────────$", text, flags=re.M)[1:]
    assert "more below" in pages[1] and "more above" not in pages[1]
    assert "more above" in pages[-2] and "more below" not in pages[-2]
    shown = set(re.findall(r"line (\d\d)", "".join(pages[1:-1])))
    assert shown == {f"{n:02d}" for n in range(1, 41)}, "every line is on some page"


NOTED = "!comment Only the speaker reads this\n# Slide\n\nwords\n"


def test_notes_appear_in_no_format_without_the_option(
    write: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write({"talk.md": NOTED})
    for ending in ("txt", "html", "pdf"):
        out = tmp_path / f"talk.{ending}"
        assert export(capsys, deck, "-o", out, *SMALL)[0] == 0
        if ending == "pdf":
            assert "Only the speaker" not in pdf_text(out, 1)
        else:
            assert "Only the speaker" not in out.read_text(encoding="utf-8")
    svg = tmp_path / "svg"
    assert export(capsys, deck, "-o", svg, "--to", "svg", "--notes", *SMALL)[0] == 0
    assert "Only the speaker" not in (svg / "slide-001.svg").read_text(encoding="utf-8")


def test_notes_come_with_the_option_under_the_slide(
    write: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write({"talk.md": NOTED})
    text = tmp_path / "talk.txt"
    assert export(capsys, deck, "-o", text, "--notes", *SMALL)[0] == 0
    assert "notes:\n  - Only the speaker reads this" in text.read_text(encoding="utf-8")
    html = tmp_path / "talk.html"
    assert export(capsys, deck, "-o", html, "--notes", *SMALL)[0] == 0
    assert '<aside class="notes"' in html.read_text(encoding="utf-8")
    assert "Only the speaker reads this" in html.read_text(encoding="utf-8")
    pdf = tmp_path / "talk.pdf"
    assert export(capsys, deck, "-o", pdf, "--notes", *SMALL)[0] == 0
    page = pdf_text(pdf, 1)
    slide_at, note_at = page.find("words"), page.find("Only the speaker reads this")
    assert 0 <= slide_at < note_at, "the slide at the top of the handout, its notes below"


def test_code_is_shown_and_never_run(
    write: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "ran"
    deck = write(
        {
            "talk.md": "# Demo\n\n!code demo.sh bash bash\n",
            "demo.sh": "touch ran\necho ran\n",
        }
    )
    out = tmp_path / "talk.txt"
    assert export(capsys, deck, "-o", out, *SMALL)[0] == 0
    text = out.read_text(encoding="utf-8")
    assert "touch ran" in text, "the code shows"
    assert not marker.exists()


def test_files_outside_the_deck_root_are_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "secret.md").write_text("TOP SECRET WORDS\n", encoding="utf-8")
    folder = tmp_path / "deck"
    folder.mkdir()
    deck = folder / "talk.md"
    deck.write_text("# Slide\n\n!include ../secret.md\n", encoding="utf-8")
    out = tmp_path / "talk.txt"
    assert export(capsys, deck, "-o", out, *SMALL)[0] == 0
    text = out.read_text(encoding="utf-8")
    assert "TOP SECRET" not in text
    assert "outside the deck root" in text


def test_the_tour_exports_without_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        status, said, err = export(capsys, tour_deck(), "-o", tmp_path / "tour.html")
    assert (status, err) == (0, "")
    assert re.fullmatch(r".*tour\.html: \d+ pages \(html\)\n", said)


def test_the_progress_bar_shows_on_a_terminal_only() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    bar = ProgressBar(screen)
    bar(1, 4)
    bar(4, 4)
    bar.close()
    drawn = screen.getvalue()
    assert "1/4" in drawn and "4/4" in drawn
    assert drawn.endswith("\r")
    pipe = io.StringIO()
    quiet = ProgressBar(pipe)
    quiet(1, 4)
    quiet.close()
    assert pipe.getvalue() == ""


def test_nothing_but_one_line_on_a_pipe(tmp_path: Path) -> None:
    deck = tmp_path / "talk.md"
    deck.write_text("# One\n---\n# Two\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "prexterm", "export", str(deck), "-o", str(tmp_path / "t.txt")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"{tmp_path / 't.txt'}: 2 pages (txt)\n"


def test_no_color_exports_the_mono_look_dark_on_white(
    write: WriteFiles,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deck = write({"talk.md": "# Plain\n\nwords\n"})
    monkeypatch.setenv("NO_COLOR", "1")
    out = tmp_path / "svg"
    assert export(capsys, deck, "-o", out, "--to", "svg", *SMALL)[0] == 0
    svg = (out / "slide-001.svg").read_text(encoding="utf-8")
    assert '<rect width="100%" height="100%" fill="#ffffff"/>' in svg
    colours = set(re.findall(r'<text [^>]*fill="(#[0-9a-f]{6})"', svg))
    assert colours == {"#000000", "#ffffff"}, "black text, and white on the reversed header"
    monkeypatch.delenv("NO_COLOR")
    assert export(capsys, deck, "-o", out, "--to", "svg", "--theme", "light", *SMALL)[0] == 0
    light = (out / "slide-001.svg").read_text(encoding="utf-8")
    assert light != svg and "#ffffff" not in re.findall(r'<rect width="100%"[^>]*>', light)[0]


STEPPED_CODE = """\
# Walk

```python {1|3}
alpha = x
beta = y
gamma = z
```
"""


def text_fills(svg: str) -> dict[str, str]:
    """The colour of each piece of text of an SVG page, by its text."""
    return {
        text: fill
        for fill, text in re.findall(r'<text [^>]*fill="(#[0-9a-f]{6})"[^>]*>([^<]*)</text>', svg)
    }


def test_a_page_draws_a_moving_highlight_plain_and_steps_move_it(
    write: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write({"talk.md": STEPPED_CODE})
    whole, stepped = tmp_path / "whole", tmp_path / "stepped"
    assert export(capsys, deck, "-o", whole, "--to", "svg", *SMALL)[0] == 0
    assert export(capsys, deck, "-o", stepped, "--to", "svg", "--steps", *SMALL)[0] == 0
    assert sorted(p.name for p in stepped.iterdir()) == [
        "slide-001-step-1.svg",
        "slide-001-step-2.svg",
    ]
    page = text_fills((whole / "slide-001.svg").read_text(encoding="utf-8"))
    first = text_fills((stepped / "slide-001-step-1.svg").read_text(encoding="utf-8"))
    second = text_fills((stepped / "slide-001-step-2.svg").read_text(encoding="utf-8"))
    # Each step lights its own group and dims the rest...
    assert first["alpha"] != second["alpha"] and first["gamma"] != second["gamma"]
    assert first["beta"] == second["beta"] != first["alpha"]
    assert "▌" in first and "▌" in second
    # ...while the page shows every line as it is when lit, and no mark.
    assert page["alpha"] == first["alpha"]
    assert page["gamma"] == second["gamma"]
    assert page["beta"] != first["beta"]
    assert "▌" not in page
    text = tmp_path / "talk.txt"
    assert export(capsys, deck, "-o", text, *SMALL)[0] == 0
    assert "▌" not in text.read_text(encoding="utf-8")


def test_a_static_highlight_stays_on_the_page(
    write: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write({"talk.md": STEPPED_CODE.replace("{1|3}", "{1,3}")})
    out = tmp_path / "whole"
    assert export(capsys, deck, "-o", out, "--to", "svg", *SMALL)[0] == 0
    page = text_fills((out / "slide-001.svg").read_text(encoding="utf-8"))
    assert page["alpha"] != page["beta"] and "▌" in page


def test_skipped_slides_are_not_exported(
    write: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write(
        {"talk.md": "# Kept one\n---\n<!-- skip_slide -->\n# Hidden away\n---\n# Kept two\n"}
    )
    for ending in ("txt", "html", "pdf"):
        out = tmp_path / f"talk.{ending}"
        status, said, _ = export(capsys, deck, "-o", out, *SMALL)
        assert status == 0 and "2 pages" in said
        shown = (
            pdf_text(out, 1) + pdf_text(out, 2)
            if ending == "pdf"
            else out.read_text(encoding="utf-8")
        )
        assert "Kept one" in shown and "Kept two" in shown
        assert "Hidden away" not in shown
    text = (tmp_path / "talk.txt").read_text(encoding="utf-8")
    assert separators(text) == ["slide 1/2", "slide 2/2"]

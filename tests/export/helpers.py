"""Running `prexterm export` in this process, and reading back what it wrote."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from prexterm.cli import main


def export(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """The exit status, stdout and stderr of `prexterm export ARGS`."""
    status = main(["export", *map(str, args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def pdf_text(path: Path, page: int) -> str:
    """The text of one page (from 1) as a PDF reader extracts it."""
    if shutil.which("pdftotext"):
        done = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout
    from pypdf import PdfReader

    return PdfReader(str(path)).pages[page - 1].extract_text()

"""Lint, format, type and import-layer checks run in the test suite, from the repository root."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

CHECKS = {
    "ruff-check": [sys.executable, "-m", "ruff", "check", "."],
    "ruff-format": [sys.executable, "-m", "ruff", "format", "--check", "."],
    "mypy": [sys.executable, "-m", "mypy"],
    # The layer contracts of pyproject.toml: core, render and services stay below the app.
    "lint-imports": [
        sys.executable,
        "-c",
        "import sys; from importlinter.cli import lint_imports_command; "
        "sys.exit(lint_imports_command())",
        "--no-cache",
    ],
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_tool_is_clean(name: str) -> None:
    """`ruff check .`, `ruff format --check .` and `mypy` (strict, per pyproject) exit 0."""
    result = subprocess.run(
        CHECKS[name],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    print(output)
    assert result.returncode == 0, f"{name} failed:\n{output}"

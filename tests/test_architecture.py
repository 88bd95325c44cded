"""The core stays pure: parsing and the deck model never pull in the UI toolkit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, check_in_fresh_python, fresh_python


def _real_modules(package: str) -> list[str]:
    """Every module file of `package` by its dotted name, the empty `__init__` left out.

    Importing the package alone proves nothing about the modules in it: each module
    is imported on its own.
    """
    folder = REPO / Path(*package.split("."))
    return sorted(
        f"{package}.{path.stem}" for path in folder.glob("*.py") if path.name != "__init__.py"
    )


_LOADED_TOOLKIT = (
    "import sys\n"
    "import {module}\n"
    "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n"
)


@pytest.mark.parametrize(
    "module", _real_modules("prexterm.core") + _real_modules("prexterm.render")
)
def test_each_core_and_render_module_loads_without_textual(module: str) -> None:
    """Drawing and parsing a slide never needs the UI toolkit, module by module."""
    assert fresh_python(_LOADED_TOOLKIT.format(module=module)).strip() == ""


def test_the_module_lists_are_real() -> None:
    """The parametrized test above covers the modules that exist, not an empty list."""
    assert {"prexterm.core.parser", "prexterm.core.model"} <= set(_real_modules("prexterm.core"))
    assert {"prexterm.render.slide", "prexterm.render.markdown"} <= set(
        _real_modules("prexterm.render")
    )


def test_check_of_a_deck_with_runnable_code_loads_neither_asyncio_nor_textual(
    tmp_path: Path,
) -> None:
    """`prexterm check` lists the exact command of each `!code` block without the runner's
    event loop or the UI toolkit: a check stays a quick, plain process.

    (A deck with a Textual stylesheet is the exception: only Textual's own CSS reader can
    say whether the player will take it, so checking one loads that reader.)"""
    deck = tmp_path / "talk.md"
    deck.write_text("# Demo\n\n!code code/hello.py python python3 -u\n")
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "hello.py").write_text("print('hello')\n")
    status, report, loaded = check_in_fresh_python(["--json", str(deck)])
    assert status == 0
    assert "python3 -u" in report, "the code block is listed with its command"
    assert loaded == []


def test_core_and_check_never_import_textual() -> None:
    code = (
        "import sys\n"
        "import prexterm.core.parser, prexterm.core.model, prexterm.check, prexterm.render.plain\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    output = fresh_python(code)
    assert output.strip() == ""


def test_core_never_imports_rich() -> None:
    code = (
        "import sys\nimport prexterm.core.parser\n"
        "print(','.join(m for m in sys.modules if m.split('.')[0] in ('rich', 'textual')))\n"
    )
    output = fresh_python(code)
    assert output.strip() == ""


def test_the_player_loads_picture_drawing_only_when_a_picture_is_drawn() -> None:
    """Half blocks and contrast maths are for slides with pictures, not for every start."""
    loaded = "print(','.join(sorted(m for m in sys.modules if m.endswith(DRAWING))))\n"
    code = (
        "import sys\nimport prexterm.app.factory, prexterm.pictures\n"
        "DRAWING = ('.halfblock', '.contrast')\n" + loaded
    )
    assert fresh_python(code).strip() == ""


def test_check_at_a_venue_size_loads_no_textual(tmp_path: Path) -> None:
    """`check --size` draws slides with Rich and the renderer, never with the UI toolkit."""
    deck = tmp_path / "talk.md"
    deck.write_text("# Demo\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n```python\nx = 1\n```\n")
    status, report, loaded = check_in_fresh_python(
        ["--size", "60x20", str(deck)], ("rich", "textual")
    )
    assert status == 0
    assert "at 60x20, dark theme" in report
    assert loaded == ["rich"]

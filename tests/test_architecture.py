"""The core stays pure: parsing and the deck model never pull in the UI toolkit."""

from __future__ import annotations

from tests.conftest import fresh_python


def test_core_and_check_never_import_textual() -> None:
    code = (
        "import sys\n"
        "import prexterm.core.parser, prexterm.core.model, prexterm.check, prexterm.render\n"
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
        "import sys\nimport prexterm.app.factory, prexterm.pictures as pictures\n"
        "DRAWING = ('.halfblock', '.contrast')\n"
        + loaded
        + "assert all(getattr(pictures, name) is not None for name in pictures.__all__)\n"
        + loaded
    )
    output = fresh_python(code)
    before, after = output.splitlines()
    assert before == ""
    assert after == "prexterm.pictures.contrast,prexterm.pictures.halfblock", "every name resolves"

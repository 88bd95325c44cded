"""Choosing ASCII drawing from the locale, including Python's own C-locale coercion."""

from __future__ import annotations

import pytest

from prexterm.app.options import locale_is_utf8


@pytest.mark.parametrize(
    ("env", "utf8"),
    [
        ({"LANG": "en_GB.UTF-8"}, True),
        ({"LANG": "C"}, False),
        ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, False),  # what Python makes of LANG=C
        ({"LC_CTYPE": "C.UTF-8"}, True),  # a container that set only LC_CTYPE
        ({"LC_ALL": "de_DE.UTF-8", "LANG": "C"}, True),
        ({"LC_ALL": "POSIX"}, False),
        ({"LANG": "fr_FR.ISO-8859-1"}, False),
    ],
)
def test_locale_is_utf8(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], utf8: bool) -> None:
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert locale_is_utf8() is utf8

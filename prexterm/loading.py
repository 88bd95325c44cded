"""Packages whose names load their own module on first use (PEP 562).

Importing `prexterm.render` or `prexterm.pictures` for one name must not load every
module of the package: the checker needs no Rich, and a first slide without a picture
needs no half-block drawing. Each package lists where its names live and takes its
`__getattr__` and `__dir__` from here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def names_on_first_use(
    package: str, homes: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for `package`, whose name N lives in `package.homes[N]`.

    A name once loaded is kept in the package, so later lookups do not come here.
    """
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{home}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *homes})

    return __getattr__, __dir__

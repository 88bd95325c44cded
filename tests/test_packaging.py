"""The wheel is what users get: it must carry the samples and run from anywhere.

The wheel is built from this checkout, installed into a fresh virtual environment (which
borrows the running interpreter's packages, so nothing is downloaded), and the installed
`prexterm` command checks the tour it finds inside its own installation, from `/`.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

SUMMARY = re.compile(r"^(\d+) slides, 0 errors, (\d+) warnings?$")
BUNDLED = "prexterm/_bundled"


def _env(*, offline: bool = True) -> dict[str, str]:
    """A clean environment for pip and the installed command: no path from this checkout."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV")
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INPUT"] = "1"
    if offline:
        env["PIP_NO_INDEX"] = "1"
    return env


def _run(
    command: list[str], *, cwd: Path | str, offline: bool = True
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env=_env(offline=offline),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _build_wheel(out: Path) -> Path:
    """Build the wheel of this checkout into `out`, without downloading when possible."""
    if importlib.util.find_spec("hatchling") is not None:
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
        result = _run([*command, "-w", str(out), str(REPO)], cwd=out)
    elif importlib.util.find_spec("build") is not None:
        result = _run(
            [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)],
            cwd=out,
            offline=False,
        )
    else:
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(REPO)]
        result = _run(command, cwd=out, offline=False)
        unreachable = ("No matching distribution", "Could not find a version", "NewConnection")
        if result.returncode != 0 and any(
            text in result.stdout + result.stderr for text in unreachable
        ):
            pytest.skip("hatchling is not installed and cannot be downloaded")
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("prexterm-*.whl")
    return wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The wheel of this checkout, built once for the module."""
    yield _build_wheel(tmp_path_factory.mktemp("wheel"))


def _repo_files(folder: str) -> set[str]:
    """Every file below a top-level folder of the checkout, as wheel paths under _bundled/."""
    base = REPO / folder
    if not base.is_dir():
        return set()
    return {
        f"{BUNDLED}/{folder}/{path.relative_to(base).as_posix()}"
        for path in base.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_wheel_ships_the_samples_and_themes(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for name in ("prexterm/__init__.py", "prexterm/cli.py", "prexterm/core/parser.py"):
        assert name in names
    for name in ("tour.md", "kigali.md"):
        assert f"{BUNDLED}/samples/{name}" in names
    assert any(n.startswith(f"{BUNDLED}/samples/code/") for n in names)
    assert any(n.startswith(f"{BUNDLED}/samples/img/") for n in names)
    assert _repo_files("samples") <= names
    themes = _repo_files("themes")
    if themes:
        assert themes <= names
    assert not any(n.startswith(("tests/", "samples/", "themes/")) for n in names)
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


def _outer_site_packages() -> list[str]:
    """Where the running interpreter finds textual and friends (a venv's or the system's)."""
    paths = sysconfig.get_paths()
    return sorted({paths["purelib"], paths["platlib"]})


def test_installed_wheel_checks_its_own_tour_from_anywhere(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    made = _run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        cwd="/",
    )
    assert site.returncode == 0, site.stderr
    site_packages = Path(site.stdout.strip())
    # When the tests themselves run in a virtual environment, "system" site-packages is
    # not where the dependencies live: point the new environment at them explicitly.
    # Lines of a .pth file come after the environment's own site-packages on sys.path.
    (site_packages / "_outer_env.pth").write_text(
        "\n".join(_outer_site_packages()) + "\n", encoding="utf-8"
    )

    installed = _run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--ignore-installed",
            "--no-compile",
            str(wheel),
        ],
        cwd=tmp_path,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    script = venv / "bin" / "prexterm"
    assert script.is_file()

    where = _run(
        [
            str(python),
            "-c",
            "import prexterm; from prexterm.bundled import tour_deck;"
            " print(prexterm.__file__); print(tour_deck())",
        ],
        cwd="/",
    )
    assert where.returncode == 0, where.stderr
    package_file, tour_text = where.stdout.split()
    tour = Path(tour_text)
    site_real = site_packages.resolve()
    assert site_real in Path(package_file).resolve().parents, package_file
    assert site_real in tour.resolve().parents, tour
    assert REPO.resolve() not in tour.resolve().parents
    assert tour.is_file()

    checked = _run([str(script), "check", str(tour)], cwd="/")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Traceback" not in checked.stdout + checked.stderr
    lines = checked.stdout.splitlines()
    summary = SUMMARY.match(lines[-1]) if lines else None
    assert summary is not None, checked.stdout
    assert int(summary.group(1)) > 1

    seed = tour.parent / "kigali.md"
    seed_checked = _run([str(script), "check", str(seed)], cwd="/")
    assert seed_checked.returncode == 0, seed_checked.stdout + seed_checked.stderr
    assert seed_checked.stdout.splitlines()[-1] == "40 slides, 0 errors, 1 warning"

    version = _run([str(script), "--version"], cwd="/")
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("prexterm ")


def test_the_pinned_toolkit_of_the_tests_is_inside_the_range_users_get() -> None:
    """The tests run one exact Textual, Rich and Pygments; each must be one the package
    allows, or the suite would test a combination no user can install."""
    from packaging.requirements import Requirement

    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    allowed = {r.name: r.specifier for r in map(Requirement, project["dependencies"])}
    pins = [Requirement(text) for text in project["optional-dependencies"]["test"]]
    pinned = {r.name: next(iter(r.specifier)).version for r in pins if "==" in str(r.specifier)}
    assert {"textual", "rich", "pygments"} <= set(pinned)
    for name, version in pinned.items():
        assert allowed[name].contains(version), f"{name}=={version} is outside {allowed[name]}"
    assert not allowed["textual"].contains("9.0"), "the next major Textual is not assumed to work"

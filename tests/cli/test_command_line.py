"""`prexterm [DECK]` is read without argparse; it must mean what the parser would say."""

from __future__ import annotations

import pytest

from prexterm.cli import _plain_play, _play_parser
from tests.conftest import fresh_python


@pytest.mark.parametrize("argv", [[], ["deck.md"], ["my talk.md"], [""], ["check.md"]])
def test_a_plain_start_reads_as_the_parser_would(argv: list[str]) -> None:
    plain = _plain_play(argv)
    assert plain is not None
    assert vars(plain) == vars(_play_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv", [["--slide", "3", "d.md"], ["d.md", "--no-watch"], ["-x"], ["-"], ["a.md", "b.md"]]
)
def test_anything_more_goes_through_the_parser(argv: list[str]) -> None:
    assert _plain_play(argv) is None


def test_a_plain_start_loads_no_argparse() -> None:
    code = (
        "import sys\nimport prexterm.cli as cli\n"
        "cli._plain_play(['deck.md'])\nprint('argparse' in sys.modules)\n"
    )
    output = fresh_python(code)
    assert output.strip() == "False"

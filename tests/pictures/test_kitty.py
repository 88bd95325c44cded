"""The kitty graphics protocol as exact strings, and the choice of protocol."""

from __future__ import annotations

import base64

import pytest

from prexterm.pictures.kitty import (
    CHUNK,
    choose_protocol,
    kitty_delete,
    kitty_sequence,
    tmux_wrap,
)

ESC = "\x1b"


def test_single_chunk() -> None:
    assert kitty_sequence(b"abc", 10, 5, 7) == f"{ESC}_Ga=T,f=100,q=2,i=7,c=10,r=5,m=0;YWJj{ESC}\\"


def test_many_chunks() -> None:
    data = bytes(range(256)) * 25  # 6400 bytes: 8536 base64 characters
    encoded = base64.standard_b64encode(data).decode()
    assert len(encoded) == 8536
    sequence = kitty_sequence(data, 80, 24, 1)
    expected = (
        f"{ESC}_Ga=T,f=100,q=2,i=1,c=80,r=24,m=1;{encoded[:4096]}{ESC}\\"
        f"{ESC}_Gm=1;{encoded[4096:8192]}{ESC}\\"
        f"{ESC}_Gm=0;{encoded[8192:]}{ESC}\\"
    )
    assert sequence == expected


def test_exactly_one_full_chunk() -> None:
    data = b"x" * 3072  # exactly 4096 base64 characters: one chunk, m=0
    sequence = kitty_sequence(data, 1, 1, 2)
    assert sequence.count(f"{ESC}_G") == 1 and ",m=0;" in sequence
    assert len(base64.standard_b64encode(data)) == CHUNK


def test_chunks_are_at_most_4096() -> None:
    sequence = kitty_sequence(bytes(50_000), 4, 4, 3)
    for part in sequence.split(f"{ESC}\\")[:-1]:
        assert len(part.split(";", 1)[1]) <= CHUNK


def test_delete() -> None:
    assert kitty_delete(9) == f"{ESC}_Ga=d,d=i,i=9{ESC}\\"


def test_tmux_wrapping() -> None:
    assert tmux_wrap(f"{ESC}_Ga=d,d=i,i=3{ESC}\\") == (
        f"{ESC}Ptmux;{ESC}{ESC}_Ga=d,d=i,i=3{ESC}{ESC}\\{ESC}\\"
    )
    assert kitty_delete(3, tmux=True) == tmux_wrap(kitty_delete(3))
    inner = kitty_sequence(b"abc", 2, 1, 4)
    assert kitty_sequence(b"abc", 2, 1, 4, tmux=True) == tmux_wrap(inner)


def test_tmux_wraps_each_chunk() -> None:
    data = bytes(7000)
    wrapped = kitty_sequence(data, 2, 2, 5, tmux=True)
    plain = kitty_sequence(data, 2, 2, 5)
    chunks = [part + f"{ESC}\\" for part in plain.split(f"{ESC}\\") if part]
    assert wrapped == "".join(tmux_wrap(chunk) for chunk in chunks)
    assert wrapped.count(f"{ESC}Ptmux;") == 3


@pytest.mark.parametrize(
    ("mode", "env", "expected"),
    [
        ("auto", {"TERM": "xterm-kitty"}, "kitty"),
        ("auto", {"TERM": "xterm-256color", "KITTY_WINDOW_ID": "1"}, "kitty"),
        ("auto", {"TERM": "xterm-kitty", "TMUX": "/tmp/tmux-0/default,1,0"}, "halfblock"),
        ("auto", {"TERM": "tmux-256color", "KITTY_WINDOW_ID": "1", "TMUX": "x"}, "halfblock"),
        ("auto", {"TERM": "xterm-256color"}, "halfblock"),
        ("auto", {"TERM": "xterm-kitty", "KITTY_WINDOW_ID": ""}, "kitty"),
        ("auto", {"KITTY_WINDOW_ID": ""}, "halfblock"),
        ("auto", {}, "halfblock"),
        ("halfblock", {"TERM": "xterm-kitty"}, "halfblock"),
        ("kitty", {"TERM": "dumb"}, "kitty"),
        ("kitty", {"TMUX": "x"}, "kitty"),
        ("none", {"TERM": "xterm-kitty"}, "none"),
    ],
)
def test_choose_protocol(mode: str, env: dict[str, str], expected: str) -> None:
    assert choose_protocol(mode, env) == expected


def test_unknown_mode() -> None:
    with pytest.raises(ValueError, match="sixel"):
        choose_protocol("sixel", {})

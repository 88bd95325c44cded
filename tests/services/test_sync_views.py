"""Followers tell their presenter their terminal's size, and a white blank screen travels
with the shared clock."""

from __future__ import annotations

import pytest

from prexterm.services.sync.protocol import (
    ProtocolError,
    Shared,
    Size,
    State,
    decode_message,
    encode_message,
)


def test_a_size_message_round_trips() -> None:
    line = encode_message(Size(80, 24))
    assert line == b'{"v":3,"type":"size","columns":80,"rows":24}\n'
    assert decode_message(line.strip()) == Size(80, 24)


@pytest.mark.parametrize(
    "line",
    [
        b'{"v":3,"type":"size","columns":0,"rows":24}',
        b'{"v":3,"type":"size","columns":80,"rows":true}',
        b'{"v":3,"type":"size","columns":80,"rows":99999}',
        b'{"v":3,"type":"size","columns":80}',
        b'{"v":3,"type":"size","columns":80,"rows":24,"x":1}',
    ],
)
def test_a_bad_size_is_refused(line: bytes) -> None:
    with pytest.raises(ProtocolError):
        decode_message(line)


def test_a_white_blank_screen_travels_with_the_shared_state() -> None:
    state = State(3, 10, shared=Shared("running", 5.0, 1.0, True, None, white=True))
    line = encode_message(state)
    assert b'"white":true' in line
    assert decode_message(line.strip()) == state
    black = State(3, 10, shared=Shared("running", 5.0, 1.0, True))
    assert b"white" not in encode_message(black), "a black screen says nothing new"


@pytest.mark.parametrize(
    "line",
    [
        b'{"v":3,"type":"state","slide":1,"count":2,"white":true}',
        b'{"v":3,"type":"state","slide":1,"count":2,"clock":"idle","elapsed":0,'
        b'"on_slide":0,"blank":true,"duration":null,"white":"yes"}',
    ],
)
def test_white_without_the_shared_state_or_not_a_boolean_is_refused(line: bytes) -> None:
    with pytest.raises(ProtocolError):
        decode_message(line)

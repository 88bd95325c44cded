"""The kitty graphics protocol: escape sequences that show a PNG in terminal cells.

Terminals that speak it (kitty, and others that copied it) show real pixels, which is
much nicer for photos than half blocks. These functions only build strings, so they
are exact and testable; writing them to the terminal at the right cursor position is
the player's job.

Choosing the protocol never asks the terminal anything: a query that a terminal does
not answer would hang the start of a talk, or leave its reply as stray keystrokes.
Only the environment decides, and only a terminal that is certainly kitty gets it.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping

__all__ = [
    "CHUNK",
    "MODES",
    "choose_protocol",
    "kitty_delete",
    "kitty_sequence",
    "tmux_wrap",
]

CHUNK = 4096
"""Most base64 payload bytes in one escape sequence (the protocol's limit)."""

MODES = ("auto", "halfblock", "kitty", "none")
"""The values of `--images`."""

_START = "\x1b_G"
_END = "\x1b\\"


def kitty_sequence(png: bytes, cols: int, rows: int, image_id: int, *, tmux: bool = False) -> str:
    """The escapes that transmit `png` and show it scaled to `cols` x `rows` cells.

    The picture is sent as base64 in chunks of at most 4096 bytes: the first carries
    the keys (`a=T` transmit and show, `f=100` PNG, `q=2` no replies, the id and the
    cell size), the others only `m=`; `m=1` says more follows and `m=0` ends it. The
    picture is shown at the cursor. Inside tmux every escape is wrapped for passthrough.
    """
    payload = base64.standard_b64encode(png).decode("ascii")
    chunks = [payload[start : start + CHUNK] for start in range(0, len(payload), CHUNK)] or [""]
    parts: list[str] = []
    for index, chunk in enumerate(chunks):
        more = 1 if index < len(chunks) - 1 else 0
        if index == 0:
            keys = f"a=T,f=100,q=2,i={image_id},c={cols},r={rows},m={more}"
        else:
            keys = f"m={more}"
        parts.append(_command(keys, chunk, tmux=tmux))
    return "".join(parts)


def kitty_delete(image_id: int, *, tmux: bool = False) -> str:
    """The escape that removes the picture with `image_id` (and frees its memory)."""
    return _command(f"a=d,d=i,i={image_id}", None, tmux=tmux)


def _command(keys: str, payload: str | None, *, tmux: bool) -> str:
    sequence = f"{_START}{keys}{'' if payload is None else ';' + payload}{_END}"
    return tmux_wrap(sequence) if tmux else sequence


def tmux_wrap(sequence: str) -> str:
    """`sequence` wrapped so that tmux passes it to the terminal outside.

    tmux needs `allow-passthrough on` for this; inside the wrapper every ESC is doubled.
    """
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"


def choose_protocol(mode: str, env: Mapping[str, str]) -> str:
    """How pictures are drawn for `--images MODE`: "kitty", "halfblock" or "none".

    "auto" picks kitty only when the terminal is certainly kitty (`TERM=xterm-kitty`
    or `KITTY_WINDOW_ID` set) and not behind tmux, whose passthrough may be off and
    whose panes move pictures around; everything else gets half blocks, which work
    wherever colour does. An explicit "kitty" is trusted (the caller wraps for tmux
    when `TMUX` is set). "none" means placeholders only.
    """
    if mode not in MODES:
        raise ValueError(f"unknown picture mode {mode!r}: use one of {', '.join(MODES)}")
    if mode != "auto":
        return mode
    kitty = env.get("TERM") == "xterm-kitty" or bool(env.get("KITTY_WINDOW_ID"))
    return "kitty" if kitty and not env.get("TMUX") else "halfblock"

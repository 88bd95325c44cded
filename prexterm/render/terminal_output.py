"""Clean what a demo program prints before any of it reaches the screen.

A program run from a deck writes to a pipe, and what it writes is shown in the output
panel. Its bytes must never reach the terminal as they are: an escape sequence could set
the window title, write the clipboard (OSC 52), plant a hyperlink, clear the screen or
move the cursor over the talk. The promise is the same as for deck text: the program's
text is shown, its commands are not obeyed.

What is kept
    Printable text, tab and newline, and SGR sequences (`ESC [ ... m`: colour, bold,
    underline...), rewritten in their plain form so the panel can turn them into styles.
    Only digits and `;` are accepted as SGR parameters, at most `MAX_SGR_CHARS` of them.

What is dropped, whole
    OSC, DCS, APC, PM and SOS strings (their payload included), every other CSI
    sequence (clear screen, cursor moves, modes), every other escape sequence (`ESC c`,
    `ESC 7`, character sets...), a lone ESC, the 8-bit C1 forms of all of these, and every
    other C0/C1 control character (bell, backspace, DEL...).

Carriage return
    A carriage return before a newline is dropped (CRLF line ends). A lone carriage
    return starts the line over, as a terminal's cursor would: the text before it on
    that line is not shown (a progress bar shows its last state). The cleaner keeps it
    as `\\r` and the code runner keeps what follows the last one.

Chunks
    Output arrives in pieces that may cut a sequence anywhere. `TerminalOutputCleaner`
    is fed piece after piece and remembers where it is inside a sequence, so a sequence
    split across pieces is still removed whole. Memory stays bounded: only an SGR
    sequence is buffered (up to `MAX_SGR_CHARS`); the payload of a dropped sequence is
    never stored. A string sequence (OSC and friends) that is not ended after
    `MAX_STRING_CHARS` characters is abandoned, so a program cannot hide the rest of its
    output by opening one and never closing it; what follows is shown as text.

Redrawing (a program in a pseudo-terminal)
    With `redraw=True` the cleaner also keeps the few sequences progress bars redraw
    their lines with: erase in line (`ESC [ n K`) and cursor up or down a number of lines
    (`ESC [ n A`, `B`, `E`, `F`), digits only, in their plain form (matched by `REDRAW`).
    They never reach the terminal either: the code runner applies them to its lines.
    Everything else above is dropped as without it (clear screen, title, OSC 52, cursor
    moves to a place, queries, modes).

Colour across lines
    Each line is handed on as its own piece of text, so the SGR state in force at a
    newline is written again at the start of the next line: a colour set on one line and
    reset three lines later colours all of them, whichever lines are still on screen.
"""

from __future__ import annotations

__all__ = [
    "MAX_SGR_CHARS",
    "MAX_STRING_CHARS",
    "REDRAW",
    "TerminalOutputCleaner",
    "plain_text",
]

import re

MAX_SGR_CHARS = 64
"""The longest SGR parameter list kept; a longer SGR sequence is dropped whole."""

MAX_STRING_CHARS = 65536
"""How long an OSC/DCS/APC/PM/SOS string may run before it is given up on."""

_MAX_ACTIVE = 16
"""How many SGR sequences since the last reset are carried over to the next line."""

_ESC = "\x1b"
_CSI_C1 = "\x9b"
_STRING_C1 = frozenset("\x90\x98\x9d\x9e\x9f")  # DCS, SOS, OSC, PM, APC
_STRING_INTRODUCERS = frozenset("]P_^X")  # after ESC: OSC, DCS, APC, PM, SOS
_ST_C1 = "\x9c"

_GROUND, _ESCAPE, _ESCAPE_INTER, _CSI, _STRING, _STRING_ESC = range(6)

_SGR = re.compile(r"\x1b\[([0-9;]*)m")
REDRAW = re.compile(r"\x1b\[([0-9]*)([ABEFK])")
"""The redrawing sequences a cleaner with `redraw=True` keeps: the count (or erase mode),
and the letter."""
_REDRAW_FINALS = frozenset("ABEFK")
_SPECIAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Characters plain text stops at: controls other than tab and newline."""
_STRING_END = re.compile(r"[\x07\x18\x1a\x1b\x9c]")


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F


class TerminalOutputCleaner:
    """Turns one stream of a program's output into text that is safe to show.

    `feed(text)` takes the next decoded piece and returns the clean text ready so far;
    `finish()` returns what was held back at the end of the stream (a lone carriage
    return, say) and drops a sequence left unfinished.
    """

    def __init__(self, *, redraw: bool = False) -> None:
        self.redraw = redraw
        """Whether line-redrawing sequences are kept (see the module's docstring)."""
        self._state = _GROUND
        self._params: list[str] = []
        self._params_len = 0
        self._csi_ok = True
        """Whether the CSI being read can still be an SGR worth keeping."""
        self._string_len = 0
        self._pending_cr = False
        self._active: list[str] = []
        """The SGR sequences written since the last reset, to repeat on the next line."""

    def feed(self, text: str) -> str:
        """Clean the next piece of output; a sequence cut at its end is finished later.

        Plain text and string payloads are handled a run at a time (a flood of output
        must not cost a Python step per character); only controls and sequences are
        stepped through one character at a time.
        """
        out: list[str] = []
        position, end = 0, len(text)
        while position < end:
            state = self._state
            if state == _GROUND and not self._pending_cr:
                found = _SPECIAL.search(text, position)
                stop = found.start() if found else end
                if stop > position:
                    run = text[position:stop]
                    if self._active and "\n" in run:
                        run = run.replace("\n", "\n" + "".join(self._active))
                    out.append(run)
                    position = stop
                    continue
            elif state == _STRING:
                found = _STRING_END.search(text, position)
                stop = found.start() if found else end
                room = MAX_STRING_CHARS - self._string_len
                if stop - position > room:
                    stop = position + room
                if stop > position:
                    self._string_len += stop - position
                    position = stop
                    continue
            self._step(text[position], out)
            position += 1
        return "".join(out)

    def finish(self) -> str:
        """The end of the stream: flush a held carriage return, drop an open sequence."""
        out: list[str] = []
        if self._pending_cr:
            self._pending_cr = False
            out.append("\r")
        self._state = _GROUND
        return "".join(out)

    # -- the state machine ------------------------------------------------------

    def _step(self, char: str, out: list[str]) -> None:
        state = self._state
        if state == _GROUND:
            self._ground(char, out)
        elif state == _ESCAPE:
            self._escape(char, out)
        elif state == _ESCAPE_INTER:
            # ESC, intermediates (0x20-0x2F), then one final character ends it.
            if "\x20" <= char <= "\x2f":
                return
            self._state = _GROUND
            if not ("\x30" <= char <= "\x7e"):
                self._ground(char, out)
        elif state == _CSI:
            self._csi(char, out)
        elif state == _STRING:
            self._string(char, out)
        else:  # _STRING_ESC: ESC inside a string; ESC \ is the terminator.
            self._state = _GROUND
            if char != "\\":
                self._escape(char, out)

    def _ground(self, char: str, out: list[str]) -> None:
        if self._pending_cr:
            self._pending_cr = False
            if char != "\n":
                out.append("\r")
                out.extend(self._active)
        if char == "\n":
            out.append("\n")
            out.extend(self._active)
        elif char == "\t":
            out.append(char)
        elif char == "\r":
            self._pending_cr = True
        elif char == _ESC:
            self._state = _ESCAPE
        elif char == _CSI_C1:
            self._begin_csi()
        elif char in _STRING_C1:
            self._begin_string()
        elif not _is_control(char):
            out.append(char)

    def _escape(self, char: str, out: list[str]) -> None:
        if char == "[":
            self._begin_csi()
        elif char in _STRING_INTRODUCERS:
            self._begin_string()
        elif char == _ESC:
            self._state = _ESCAPE
        elif "\x20" <= char <= "\x2f":
            self._state = _ESCAPE_INTER
        elif "\x30" <= char <= "\x7e":
            self._state = _GROUND  # a two-character sequence (ESC c, ESC 7...): dropped
        else:
            self._state = _GROUND  # a lone ESC: dropped, the character counts on its own
            self._ground(char, out)

    def _begin_csi(self) -> None:
        self._state = _CSI
        self._params = []
        self._params_len = 0
        self._csi_ok = True

    def _csi(self, char: str, out: list[str]) -> None:
        if "\x30" <= char <= "\x3f":  # parameter bytes
            if char not in "0123456789;" or self._params_len >= MAX_SGR_CHARS:
                self._csi_ok = False
            elif self._csi_ok:
                self._params.append(char)
                self._params_len += 1
        elif "\x20" <= char <= "\x2f":  # intermediate bytes: never an SGR we keep
            self._csi_ok = False
        elif "\x40" <= char <= "\x7e":  # the final byte
            self._state = _GROUND
            if char == "m" and self._csi_ok:
                self._keep_sgr("".join(self._params), out)
            elif self.redraw and char in _REDRAW_FINALS and self._csi_ok:
                params = "".join(self._params)
                if ";" not in params and len(params) <= 4:
                    out.append(f"\x1b[{params}{char}")
        else:  # anything else cuts the sequence short; the character stands alone
            self._state = _GROUND
            self._ground(char, out)

    def _keep_sgr(self, params: str, out: list[str]) -> None:
        sequence = f"\x1b[{params}m"
        out.append(sequence)
        if params in ("", "0") or params.startswith("0;"):
            self._active = []
            rest = params[2:]
            if rest:
                self._active.append(f"\x1b[{rest}m")
        elif len(self._active) < _MAX_ACTIVE:
            self._active.append(sequence)

    def _begin_string(self) -> None:
        self._state = _STRING
        self._string_len = 0

    def _string(self, char: str, out: list[str]) -> None:
        if char == "\x07" or char == _ST_C1:
            self._state = _GROUND
        elif char == _ESC:
            self._state = _STRING_ESC
        elif char in "\x18\x1a":  # CAN and SUB abort a sequence
            self._state = _GROUND
        else:
            self._string_len += 1
            if self._string_len > MAX_STRING_CHARS:
                self._state = _GROUND
                self._ground(char, out)


def plain_text(clean: str) -> str:
    """The visible text of cleaned output: its SGR sequences removed."""
    return _SGR.sub("", clean) if _ESC in clean else clean

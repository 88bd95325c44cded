"""A program's output is cleaned: its colours are kept as SGR, nothing else gets out."""

from __future__ import annotations

import pytest

from prexterm.render.terminal_output import (
    MAX_SGR_CHARS,
    MAX_STRING_CHARS,
    TerminalOutputCleaner,
    plain_text,
)

ESC = "\x1b"


def clean(*pieces: str) -> str:
    """Feed `pieces` one after the other, as chunks read from a pipe, then end the stream."""
    cleaner = TerminalOutputCleaner()
    return "".join(cleaner.feed(piece) for piece in pieces) + cleaner.finish()


def one_by_one(text: str) -> str:
    """The hardest split: every character its own chunk."""
    return clean(*text)


HOSTILE = {
    "osc title (BEL)": f"{ESC}]0;pwned title\x07",
    "osc title (ST)": f"{ESC}]2;pwned title{ESC}\\",
    "osc 52 clipboard": f"{ESC}]52;c;cm0gLXJmIH4K\x07",
    "osc 8 hyperlink": f"{ESC}]8;;file:///etc/passwd{ESC}\\",
    "osc in 8 bits": "\x9d0;pwned title\x9c",
    "clear screen": f"{ESC}[2J{ESC}[3J",
    "cursor home": f"{ESC}[H{ESC}[10;20H",
    "private mode": f"{ESC}[?1049h{ESC}[?25l",
    "csi in 8 bits": "\x9b2J",
    "dcs": f"{ESC}Pq#0;2;0;0;0#0~~@@{ESC}\\",
    "dcs in 8 bits": "\x90tmux;payload\x9c",
    "apc (kitty graphics)": f"{ESC}_Gf=100,a=T;AAAA{ESC}\\",
    "pm": f"{ESC}^private{ESC}\\",
    "sos": f"{ESC}Xstring{ESC}\\",
    "full reset": f"{ESC}c",
    "save cursor": f"{ESC}7{ESC}8",
    "character set": f"{ESC}(0{ESC})B",
    "keypad mode": f"{ESC}={ESC}>",
    "bell backspace del": "\x07\x08\x7f",
    "other c0": "\x00\x01\x0b\x0c\x0e\x1f",
    "other c1": "\x80\x85\x8d\x9a",
    "sgr with intermediate": f"{ESC}[1 m",
    "sgr with private marker": f"{ESC}[>4;2m",
    "sgr with colons": f"{ESC}[38:2::255:0:0m",
}


@pytest.mark.parametrize("sequence", HOSTILE.values(), ids=HOSTILE.keys())
def test_every_sequence_but_sgr_is_removed_whole(sequence: str) -> None:
    text = f"before{sequence}after\n"
    assert clean(text) == "before" + "after\n"
    assert one_by_one(text) == "beforeafter\n", "split across chunks"


def test_sgr_colours_are_kept_in_their_plain_form() -> None:
    rgb = f"{ESC}[48;2;1;2;3mrgb{ESC}[0m\n"
    text = f"{ESC}[31mred{ESC}[0m {ESC}[1;38;5;208mbold orange{ESC}[m {rgb}"
    assert clean(text) == text
    assert one_by_one(text) == text
    assert plain_text(clean(text)) == "red bold orange rgb\n"


def test_a_sequence_split_at_every_point_is_removed_whole() -> None:
    text = f"a{ESC}]52;c;aGVsbG8=\x07b{ESC}[2Jc{ESC}[32md{ESC}[0m\n"
    for cut in range(len(text) + 1):
        assert clean(text[:cut], text[cut:]) == f"abc{ESC}[32md{ESC}[0m\n", cut


def test_tab_and_newline_stay_and_crlf_is_a_newline() -> None:
    assert clean("a\tb\r\nc\n") == "a\tb\nc\n"
    assert clean("a\tb\r", "\nc\n") == "a\tb\nc\n", "CR and LF in two chunks"


def test_a_lone_carriage_return_is_kept_for_the_line_to_start_over() -> None:
    assert clean("10%\r20%\r30%\n") == "10%\r20%\r30%\n"
    assert clean("done\r") == "done\r", "a carriage return at the very end is kept"


def test_a_lone_escape_is_dropped() -> None:
    assert clean("a", ESC) == "a", "at the end of the stream"
    assert clean(f"a{ESC}\nb") == "a\nb", "before a control"
    assert clean(f"a{ESC}{ESC}[31mb") == f"a{ESC}[31mb", "doubled before a sequence"


def test_can_and_sub_abort_a_string() -> None:
    assert clean(f"a{ESC}]0;title\x18b") == "ab"
    assert clean(f"a{ESC}]0;title\x1ab") == "ab"


def test_colour_set_on_one_line_is_repeated_on_the_next() -> None:
    """Each line is shown on its own, so each must carry the colour that is in force."""
    out = clean(f"{ESC}[31mone\ntwo\n{ESC}[0mthree\n")
    assert out.split("\n") == [f"{ESC}[31mone", f"{ESC}[31mtwo", f"{ESC}[31m{ESC}[0mthree", ""]


def test_a_huge_sgr_is_dropped_and_memory_stays_bounded() -> None:
    params = "1;" * (MAX_SGR_CHARS + 10) + "31"
    assert clean(f"a{ESC}[{params}mb") == "ab"
    assert clean(f"a{ESC}[{'9' * 1_000_000}mb") == "ab"


def test_an_unterminated_string_is_given_up_on_and_output_shows_again() -> None:
    payload = "x" * (MAX_STRING_CHARS + 5)
    out = clean(f"a{ESC}]52;c;", payload, "\nvisible\n")
    assert out.endswith("\nvisible\n")
    assert ESC not in out
    assert len(out) < 100, "the payload within the limit is never shown"


def test_a_long_string_terminated_in_time_is_dropped_across_many_chunks() -> None:
    chunks = [f"a{ESC}]52;c;", *["Q" * 4096] * 10, "\x07b\n"]
    assert clean(*chunks) == "ab\n"


def test_plain_text_and_invalid_utf8_replacement_pass_through() -> None:
    text = "héllo wörld ✓ \ufffd日本\n"
    assert clean(text) == text


def test_redraw_keeps_only_line_redrawing_sequences() -> None:
    text = (
        "a\x1b[2Kb\x1b[3Ac\x1b[Fd\x1b[2Je\x1b[1;1Hf\x1b[?25lg\x1b[6nh\x1b]52;c;eA==\x07i\x1b[31mj"
    )
    assert TerminalOutputCleaner(redraw=True).feed(text) == (
        "a\x1b[2Kb\x1b[3Ac\x1b[Fdefghi\x1b[31mj"
    )
    assert TerminalOutputCleaner().feed(text) == "abcdefghi\x1b[31mj"

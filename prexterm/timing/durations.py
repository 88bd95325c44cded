"""Talk lengths as a speaker types them and as the screen shows them.

One reader (`parse_duration`: `--duration`, the settings file) and one writer
(`format_duration`: the presenter pane, the timer notices, the rehearsal table), so that a
length reads the same wherever it is shown.
"""

from __future__ import annotations

import math
import re

__all__ = ["LONGEST_TALK", "format_duration", "parse_duration"]


def format_duration(seconds: float, *, signed: bool = False) -> str:
    """`m:ss`, or `h:mm:ss` from an hour on; `+` or `-` in front when `signed`.

    Seconds are rounded down, as a clock shows them: the talk clock has been at 0:59 for the
    whole second before 1:00, and the pace and rehearsal figures count in the same whole
    seconds, so every figure on screen agrees with the clock. A negative value keeps its
    sign (none when it rounds to zero).
    """
    whole = math.floor(abs(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    negative = seconds < 0 and whole > 0
    if signed:
        return ("-" if negative else "+") + text
    return ("-" if negative else "") + text


LONGEST_TALK = 24 * 3600.0
"""Seconds: a longer duration is a typo (often seconds typed as a bare number of minutes)."""

_UNITS = re.compile(
    r"(\d+(?:\.\d+)?|\.\d+)\s*(h(?:ours?|rs?)?|m(?:in(?:ute)?s?)?|s(?:ec(?:ond)?s?)?)(?![a-z])"
)
_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0}


def parse_duration(text: str) -> float:
    """Seconds in a talk length: `45` (minutes), `20m`, `1h30m`, `90s`, `1h 5min`, `25:00`.

    A bare number means minutes because that is how talks are planned; `MM:SS` and
    `H:MM:SS` read as on a clock. Raises ValueError with a message fit to show the user.
    """
    cleaned = text.strip().lower()
    hint = f'bad duration {text!r}: use minutes (45) or h/m/s such as "20m", "1h30m", "90s"'
    if not cleaned:
        raise ValueError(hint)
    seconds: float
    if re.fullmatch(r"\d+(?:\.\d+)?|\.\d+", cleaned):
        seconds = float(cleaned) * 60.0
    elif re.fullmatch(r"\d+(?::[0-5]\d){1,2}", cleaned):
        parts = [int(p) for p in cleaned.split(":")]
        seconds = float(sum(value * 60**power for power, value in enumerate(reversed(parts))))
    else:
        position = 0
        seconds = 0.0
        seen: set[str] = set()
        for match in _UNITS.finditer(cleaned):
            between = cleaned[position : match.start()]
            unit = match.group(2)[0]
            if between.strip() or unit in seen:
                raise ValueError(hint)
            if seen and "hms".index(unit) < max("hms".index(u) for u in seen):
                raise ValueError(hint)
            seen.add(unit)
            seconds += float(match.group(1)) * _SECONDS[unit]
            position = match.end()
        if not seen or cleaned[position:].strip():
            raise ValueError(hint)
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"bad duration {text!r}: a talk must last more than zero seconds")
    if seconds > LONGEST_TALK:
        raise ValueError(f"bad duration {text!r}: more than 24 hours (a bare number means minutes)")
    return seconds

"""The talk clock, the pace (with a clock the test moves by hand) and durations."""

from __future__ import annotations

import pytest

from prexterm.timing.clock import ClockState, TalkClock
from prexterm.timing.durations import format_duration, parse_duration
from prexterm.timing.pace import ON_TIME_BAND, pace_at
from tests.conftest import FakeClock


def test_a_talk_clock_waits_for_its_start() -> None:
    clock = FakeClock()
    talk = TalkClock(clock, started=False)
    clock.advance(600)
    assert (talk.mode, talk.elapsed, talk.started) == ("idle", 0.0, False)
    assert talk.start() and not talk.start()
    clock.advance(30)
    assert talk.elapsed == 30.0


def test_t_on_an_idle_clock_starts_it_then_pauses_and_resumes() -> None:
    clock = FakeClock()
    talk = TalkClock(clock, started=False)
    talk.toggle_pause()
    clock.advance(10)
    talk.toggle_pause()
    assert talk.paused
    clock.advance(50)
    assert talk.elapsed == 10.0
    talk.toggle_pause()
    clock.advance(5)
    assert (talk.mode, talk.elapsed) == ("running", 15.0)


def test_state_and_adopt_carry_the_clock_to_another_view() -> None:
    """A view adopts a state, not ticks: elapsed runs on with the view's own clock."""
    here, there = FakeClock(1000.0), FakeClock(5.0)  # two processes, two origins
    talk = TalkClock(here, started=False)
    talk.start()
    here.advance(90)
    talk.slide_changed()
    here.advance(12)
    state = talk.state()
    assert state == ClockState("running", 102.0, 12.0)
    view = TalkClock(there, started=False)
    view.adopt(state)
    here.advance(7)
    there.advance(7)
    assert view.elapsed == talk.elapsed == 109.0
    assert view.on_slide == talk.on_slide == 19.0
    talk.toggle_pause()
    view.adopt(talk.state())
    there.advance(60)
    assert (view.mode, view.elapsed) == ("paused", 109.0)
    view.adopt(ClockState("idle", 0.0, 0.0))
    assert (view.started, view.elapsed) == (False, 0.0)
    with pytest.raises(ValueError):
        view.adopt(ClockState("fast", 1.0, 0.0))


def test_reset_keeps_the_mode() -> None:
    clock = FakeClock()
    talk = TalkClock(clock)
    clock.advance(50)
    talk.reset()
    clock.advance(3)
    assert (talk.mode, talk.elapsed, talk.on_slide) == ("running", 3.0, 3.0)


@pytest.mark.parametrize(
    ("elapsed", "slide", "delta"),
    [
        (0, 1, 0),  # the first second of the talk
        (120, 3, 0),  # the first second of slide 3's window
        (120.9, 3, 0),
        (179, 3, 0),  # its last second
        (60, 3, 60),  # a minute early: ahead
        (110, 3, 0),  # within the band before the window
        (109, 3, 11),
        (190, 3, 0),  # within the band after it
        (191, 3, -11),
        (191.99, 3, -11),
        (600, 10, 0),
        (700, 10, -100),
    ],
)
def test_pace_against_the_slides_window(elapsed: float, slide: int, delta: float) -> None:
    """10 slides in 600 s: slide n owns [(n-1)·60, n·60]."""
    assert ON_TIME_BAND == 10.0
    pace = pace_at(elapsed, 600.0, slide, 10)
    assert pace.delta == delta
    assert pace.behind == (delta < 0)
    assert pace.elapsed + pace.left == 600.0


def test_pace_describes_itself() -> None:
    assert pace_at(0, 600.0, 1, 10).describe() == "10:00 left · on time"
    assert pace_at(10.7, 600.0, 1, 10).describe() == "9:50 left · on time"
    assert pace_at(60, 600.0, 3, 10).describe() == "9:00 left · ahead 1:00"
    assert pace_at(191.5, 600.0, 3, 10).describe() == "6:49 left · behind 0:11"
    assert pace_at(1080, 600.0, 10, 10).describe() == "8:00 over · behind 8:00"


# -- durations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45", 2700.0),
        ("20m", 1200.0),
        ("1h30m", 5400.0),
        ("1h", 3600.0),
        ("90s", 90.0),
        ("1h 5m 30s", 3930.0),
        ("20 min", 1200.0),
        ("1 hour 30 minutes", 5400.0),
        ("1.5h", 5400.0),
        ("25:00", 1500.0),
        ("1:00:00", 3600.0),
        (" 20M ", 1200.0),
    ],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "20x", "m", "30m1h", "1m1m", "-5", "1:75", "1h-"])
def test_parse_duration_errors(text: str) -> None:
    with pytest.raises(ValueError, match=r"bad duration .*: use minutes \(45\) or h/m/s"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["0", "0m", "0:00"])
def test_zero_duration_is_an_error(text: str) -> None:
    with pytest.raises(ValueError, match="more than zero"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["1441", "2000", "25h", "24h 1s", "99999999999999999999h"])
def test_a_duration_over_a_day_is_an_error(text: str) -> None:
    with pytest.raises(ValueError, match=r"more than 24 hours \(a bare number means minutes\)"):
        parse_duration(text)


def test_a_day_is_the_longest_duration() -> None:
    assert parse_duration("24h") == parse_duration("1440") == 86400.0


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0:00"),
        (59.99, "0:59"),
        (75, "1:15"),
        (3599.9, "59:59"),
        (3600, "1:00:00"),
        (3725, "1:02:05"),
        (86400, "24:00:00"),
        (-25, "-0:25"),
        (-0.4, "0:00"),
    ],
)
def test_durations_are_shown_in_whole_seconds_rounded_down(seconds: float, shown: str) -> None:
    """As the talk clock shows them: 0:59 for the whole second before 1:00."""
    assert format_duration(seconds) == shown


def test_signed_durations() -> None:
    assert format_duration(-25, signed=True) == "-0:25"
    assert format_duration(25, signed=True) == "+0:25"
    assert format_duration(-0.2, signed=True) == "+0:00"
    assert format_duration(-3725, signed=True) == "-1:02:05"

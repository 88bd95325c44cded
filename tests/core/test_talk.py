"""The talk model, driven as a presenter drives it, without a screen."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from prexterm.core.talk import MAX_TYPED_DIGITS, Move, Talk
from prexterm.timing.clock import ClockState, TalkClock
from tests.conftest import FakeClock


def a_talk(count: int = 10, *, slide: int = 1, leads: bool = True) -> tuple[Talk, FakeClock]:
    clock = FakeClock()
    return Talk(count, TalkClock(clock, started=False), slide=slide, leads=leads), clock


def test_moves_stop_at_both_ends_of_the_deck() -> None:
    talk, _ = a_talk(3)
    assert talk.previous() == Move(1, moved=False, clamped=True)
    assert talk.next() == Move(2, moved=True)
    assert talk.last() == Move(3, moved=True)
    assert talk.next() == Move(3, moved=False, clamped=True)
    assert talk.first() == Move(1, moved=True)
    assert talk.step == 1


def test_go_to_says_where_it_went_and_whether_it_was_clamped() -> None:
    talk, _ = a_talk(40)
    assert talk.go_to(12) == Move(12, moved=True, clamped=False)
    assert talk.go_to(99) == Move(40, moved=True, clamped=True)
    assert talk.go_to(0) == Move(1, moved=True, clamped=True)


def test_the_first_move_of_a_presenter_starts_the_clock_and_times_the_slide() -> None:
    talk, clock = a_talk()
    clock.advance(600)  # the deck was opened well before the talk
    assert not talk.started
    talk.next()
    clock.advance(20)
    talk.next()
    clock.advance(5)
    assert (talk.started, talk.elapsed, talk.on_slide) == (True, 25.0, 5.0)


def test_a_following_view_moves_without_starting_its_clock() -> None:
    talk, _ = a_talk(leads=False)
    talk.go_to(4)
    assert (talk.slide, talk.started) == (4, False)


def test_typed_digits_go_to_their_slide_on_enter_and_enter_alone_goes_on() -> None:
    talk, _ = a_talk(40)
    assert talk.type_digit(1) and talk.type_digit(2)
    assert talk.typed == "12"
    assert talk.erase_digit() and talk.typed == "1"
    talk.type_digit(5)
    assert talk.enter() == Move(15, moved=True)
    assert talk.typed == ""
    assert talk.enter() == Move(16, moved=True)
    assert not talk.erase_digit()


def test_a_typed_number_is_at_most_six_digits() -> None:
    talk, _ = a_talk(40)
    for _ in range(MAX_TYPED_DIGITS):
        assert talk.type_digit(9)
    assert not talk.type_digit(9)
    assert talk.enter() == Move(40, moved=True, clamped=True)


def test_g_g_goes_to_the_first_slide_and_another_key_between_cancels_it() -> None:
    talk, _ = a_talk(slide=5)
    assert talk.press_g() is None
    talk.other_key()
    assert talk.press_g() is None and talk.slide == 5
    assert talk.press_g() == Move(1, moved=True)
    assert not talk.g_pending


def test_search_goes_to_the_next_match_from_here_and_wraps_round() -> None:
    talk, _ = a_talk(20, slide=12)
    assert talk.find("tea", [14, 11], in_notes_only=[11, 3]) == Move(14, moved=True)
    assert talk.search is not None
    assert talk.search.matches == (11, 14)
    assert talk.search.current(talk.slide) == 2
    assert not talk.only_in_notes
    assert talk.match(1) == Move(11, moved=True)
    assert talk.only_in_notes, "slide 11 matched in its notes only"
    assert talk.match(-1) == Move(14, moved=True)
    assert talk.search.in_notes_only == frozenset({11}), "3 was no match at all"


def test_a_search_without_match_stays_and_escape_forgets_it() -> None:
    talk, _ = a_talk(slide=3)
    assert talk.find("nothing", []) is None
    assert talk.match(1) is None and talk.slide == 3
    talk.type_digit(7)
    assert talk.cancel()
    assert (talk.search, talk.typed) == (None, "")
    assert not talk.cancel()


def test_a_new_deck_keeps_the_search_and_the_slide_within_it() -> None:
    talk, _ = a_talk(10, slide=9)
    talk.find("x", [9])
    talk.refind([2, 5])
    assert talk.search is not None and talk.search.matches == (2, 5)
    assert talk.deck_changed(4, 9) == Move(4, moved=True)
    assert talk.deck_changed(0, 1) == Move(0, moved=True)
    assert talk.next() == Move(0, moved=False, clamped=True), "an empty deck has no slide 1"


def test_blank_toggles_and_set_blank_tells_whether_it_changed() -> None:
    talk, _ = a_talk()
    assert talk.toggle_blank() and talk.blanked
    assert not talk.set_blank(True)
    assert talk.set_blank(False) and not talk.blanked


def test_adopting_another_views_state_takes_slide_clock_and_blank() -> None:
    talk, clock = a_talk(10)
    move = talk.adopt(7, ClockState("paused", 95.0, 12.0), blank=True)
    clock.advance(30)
    assert move == Move(7, moved=True)
    assert (talk.paused, talk.elapsed, talk.on_slide, talk.blanked) == (True, 95.0, 12.0, True)


ACTIONS = st.one_of(
    st.sampled_from(["next", "previous", "first", "last", "g", "enter", "erase", "cancel"]),
    st.tuples(st.just("go"), st.integers(-5, 10**7)),
    st.tuples(st.just("digit"), st.integers(0, 9)),
    st.tuples(st.just("find"), st.lists(st.integers(-3, 60))),
    st.tuples(st.just("match"), st.sampled_from([1, -1])),
    st.tuples(st.just("reload"), st.integers(0, 60), st.integers(-3, 70)),
)


@given(st.integers(0, 50), st.integers(-3, 60), st.lists(ACTIONS, max_size=40))
def test_no_sequence_of_actions_leaves_the_deck(
    count: int, start: int, actions: list[object]
) -> None:
    talk, _ = a_talk(count, slide=start)
    for action in actions:
        match action:
            case "next" | "previous" | "first" | "last" | "enter":
                getattr(talk, action)()
            case "g":
                talk.press_g()
            case "erase":
                talk.erase_digit()
            case "cancel":
                talk.cancel()
            case ("go", number):
                talk.go_to(number)
            case ("digit", digit):
                talk.type_digit(digit)
            case ("find", found):
                talk.find("q", [n for n in found if 1 <= n <= talk.count])
            case ("match", step):
                talk.match(step)
            case ("reload", new_count, slide):
                talk.deck_changed(new_count, slide)
        if talk.count:
            assert 1 <= talk.slide <= talk.count
        else:
            assert talk.slide == 0
        assert talk.step == 1
        assert len(talk.typed) <= MAX_TYPED_DIGITS


# -- steps inside a slide ----------------------------------------------------------------------


def a_stepped_talk(steps: tuple[int, ...], *, slide: int = 1) -> tuple[Talk, FakeClock]:
    clock = FakeClock()
    talk = Talk(len(steps), TalkClock(clock, started=False), slide=slide, steps=steps)
    return talk, clock


def test_next_walks_the_steps_of_a_slide_then_opens_the_next_slide_at_its_first() -> None:
    talk, _ = a_stepped_talk((3, 2))
    assert talk.next() == Move(1, moved=False, step=2, stepped=True)
    assert talk.next() == Move(1, moved=False, step=3, stepped=True)
    assert talk.next() == Move(2, moved=True, step=1, stepped=True)
    assert talk.next() == Move(2, moved=False, step=2, stepped=True)
    assert talk.next() == Move(2, moved=False, clamped=True, step=2)
    assert (talk.slide, talk.step) == (2, 2)


def test_previous_from_a_first_step_opens_the_previous_slide_at_its_last_step() -> None:
    talk, _ = a_stepped_talk((3, 2), slide=2)
    assert talk.previous() == Move(1, moved=True, step=3, stepped=True)
    assert talk.previous() == Move(1, moved=False, step=2, stepped=True)
    assert talk.previous() == Move(1, moved=False, step=1, stepped=True)
    assert talk.previous() == Move(1, moved=False, clamped=True, step=1)


def test_next_and_previous_slide_skip_the_steps() -> None:
    talk, _ = a_stepped_talk((3, 4, 2))
    assert talk.next_slide() == Move(2, moved=True)
    talk.next()
    assert talk.step == 2
    assert talk.next_slide() == Move(3, moved=True, step=1, stepped=True)
    talk.next()
    assert talk.previous_slide() == Move(2, moved=True, step=1, stepped=True)
    assert talk.previous_slide() == Move(1, moved=True)
    assert talk.previous_slide() == Move(1, moved=False, clamped=True)
    talk.last()
    talk.next()
    assert talk.next_slide() == Move(3, moved=False, clamped=True, step=2)


def test_reveal_all_shows_the_last_step_and_says_whether_anything_changed() -> None:
    talk, _ = a_stepped_talk((4, 1))
    move = talk.reveal_all()
    assert move == Move(1, moved=False, step=4, stepped=True) and move.changed
    assert not talk.reveal_all().changed
    talk.next()
    assert (talk.slide, talk.step) == (2, 1)
    assert not talk.reveal_all().changed


def test_go_to_first_last_and_typed_numbers_open_a_slide_at_its_first_step() -> None:
    talk, _ = a_stepped_talk((3, 3, 3))
    talk.reveal_all()
    assert talk.go_to(1) == Move(1, moved=False, step=1, stepped=True)
    talk.reveal_all()
    assert talk.last() == Move(3, moved=True, step=1, stepped=True)
    talk.reveal_all()
    assert talk.first() == Move(1, moved=True, step=1, stepped=True)
    talk.type_digit(2)
    assert talk.enter() == Move(2, moved=True)


def test_a_search_match_opens_the_first_step_that_shows_it() -> None:
    talk, _ = a_stepped_talk((1, 3, 4, 2))
    move = talk.find("word", [2, 3], steps={2: 3, 3: 2})
    assert move == Move(2, moved=True, step=3, stepped=True)
    assert talk.match(1) == Move(3, moved=True, step=2, stepped=True)
    assert talk.match(1) == Move(2, moved=True, step=3, stepped=True)
    talk.refind([4])
    assert talk.match(1) == Move(4, moved=True, step=1, stepped=True)


def test_steps_add_to_their_slide_s_time_and_a_first_step_starts_the_clock() -> None:
    talk, clock = a_stepped_talk((3, 1))
    clock.advance(100)
    talk.next()  # a step is a move: the talk has begun
    clock.advance(10)
    talk.next()
    clock.advance(5)
    assert (talk.started, talk.elapsed, talk.on_slide) == (True, 15.0, 15.0)
    talk.next()
    clock.advance(2)
    assert talk.on_slide == 2.0


def test_a_new_deck_keeps_the_step_within_the_slide_s_new_steps() -> None:
    talk, _ = a_stepped_talk((5, 1))
    talk.reveal_all()
    assert talk.deck_changed(2, 1, steps=(3, 1), step=talk.step) == Move(
        1, moved=False, step=3, stepped=True
    )
    assert talk.deck_changed(2, 2, steps=(3, 1), step=3) == Move(
        2, moved=True, step=1, stepped=True
    )


def test_a_view_that_adopts_the_talk_takes_its_step() -> None:
    talk, _ = a_stepped_talk((2, 4), slide=1)
    move = talk.adopt(2, talk.clock_state(), blank=False, step=3)
    assert move == Move(2, moved=True, step=3, stepped=True)


@given(st.lists(st.integers(1, 4), min_size=1, max_size=6), st.lists(st.sampled_from("npNPa")))
def test_the_position_always_lies_inside_the_deck_and_the_slide(
    steps: list[int], keys: list[str]
) -> None:
    talk, _ = a_stepped_talk(tuple(steps))
    actions = {
        "n": talk.next,
        "p": talk.previous,
        "N": talk.next_slide,
        "P": talk.previous_slide,
        "a": talk.reveal_all,
    }
    for key in keys:
        before = (talk.slide, talk.step)
        move = actions[key]()
        assert 1 <= talk.slide <= len(steps) and 1 <= talk.step <= steps[talk.slide - 1]
        assert (move.slide, move.step) == (talk.slide, talk.step)
        assert move.moved == (talk.slide != before[0]) and move.stepped == (talk.step != before[1])


@given(st.lists(st.integers(1, 4), min_size=1, max_size=6))
def test_next_all_the_way_then_previous_all_the_way_visits_every_step_both_ways(
    steps: list[int],
) -> None:
    talk, _ = a_stepped_talk(tuple(steps))
    forward = [(talk.slide, talk.step)]
    while talk.next().changed:
        forward.append((talk.slide, talk.step))
    backward = [(talk.slide, talk.step)]
    while talk.previous().changed:
        backward.append((talk.slide, talk.step))
    assert len(forward) == sum(steps)
    assert backward == forward[::-1]


def test_jumps_can_be_gone_back_from_and_back_again_returns() -> None:
    talk = Talk(9, TalkClock(FakeClock()), steps=[1, 3])
    assert talk.back() is None, "no jump yet"
    talk.next()
    talk.next()  # slide 2, step 2: an ordinary move is no jump
    assert talk.position == (2, 2) and talk.came_from is None
    assert talk.last() == Move(9, moved=True, step=1, stepped=True)
    assert talk.back() == Move(2, moved=True, step=2, stepped=True)
    assert talk.back() == Move(9, moved=True, step=1, stepped=True)
    talk.type_digit(4)
    assert talk.enter() == Move(4, moved=True)
    assert talk.back() == Move(9, moved=True)
    talk.find("x", [6])
    assert talk.position == (6, 1) and talk.came_from == (9, 1)


def test_enter_while_peeking_makes_the_peeked_slide_live_as_a_jump() -> None:
    talk = Talk(9, TalkClock(FakeClock()), slide=3)
    assert talk.peek(1) == 4 and talk.peek(2) == 6
    assert talk.slide == 3, "a peek is private: the talk stays"
    assert talk.enter() == Move(6, moved=True)
    assert talk.peeking is None and talk.came_from == (3, 1)

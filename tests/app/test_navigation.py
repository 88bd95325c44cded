"""Driving the player with keyboard and mouse, as a presenter does, and checking where it lands."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from prexterm.app.factory import create_app
from prexterm.app.frame import TextLine
from prexterm.app.keys import KEY_GROUPS, bound_names
from prexterm.app.options import PlayerOptions
from prexterm.app.player import PlayerApp
from prexterm.app.screens import BlankScreen, HelpScreen, OverviewScreen
from prexterm.app.slide_view import SlideView
from tests.conftest import SAMPLES, SEED_DECK, FakeClock, WriteFiles, screen_text

SIZE = (100, 30)


def seed_app(slide: int = 1) -> PlayerApp:
    return create_app(PlayerOptions(deck=SEED_DECK, slide=slide, watch=False))


def footer(app: PlayerApp) -> str:
    return str(app.query_one("#footer", TextLine).render())


@pytest.mark.parametrize("key", ["right", "l", "j", "space", "pagedown", "enter", "n"])
async def test_every_next_key_moves_forward(key: str) -> None:
    app = seed_app(5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        assert app.number == 6
        assert footer(app) == "Made with Prexent | 6/40"


@pytest.mark.parametrize("key", ["left", "h", "k", "backspace", "pageup", "p"])
async def test_every_previous_key_moves_back(key: str) -> None:
    app = seed_app(5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        assert app.number == 4


async def test_first_and_last_keys() -> None:
    app = seed_app(7)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end")
        assert app.number == 40
        await pilot.press("home")
        assert app.number == 1
        await pilot.press("G")
        assert app.number == 40
        await pilot.press("g")
        assert app.number == 40, "a single g does nothing"
        await pilot.press("g")
        assert app.number == 1


async def test_g_then_other_key_does_not_jump() -> None:
    app = seed_app(10)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "l", "g")
        assert app.number == 11


async def test_navigation_stops_at_both_ends() -> None:
    app = seed_app(1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("left", "h", "p")
        assert app.number == 1
        await pilot.press("end", "right", "space", "l")
        assert app.number == 40
        assert footer(app).endswith("40/40")


async def test_go_to_a_typed_number() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "2")
        assert "go to slide 12" in str(app.query_one("#status", TextLine).render())
        assert app.number == 1
        await pilot.press("enter")
        assert app.number == 12
        await pilot.press("9", "9", "enter")
        assert app.number == 40, "numbers past the end are clamped"
        await pilot.press("3", "4", "backspace", "enter")
        assert app.number == 3
        await pilot.press("5", "escape", "enter")
        assert app.number == 4, "escape forgets the typed number; enter then goes on"


async def test_header_footer_and_progress_follow_the_slide() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        assert str(app.query_one("#header", TextLine).render()) == "FACTTIC in Kigali 2019"
        assert footer(app) == "Made with Prexent | 1/40"
        await pilot.press("end")
        progress = app.query_one("#progress")
        assert progress.fraction == 1.0  # type: ignore[attr-defined]


async def test_overview_filters_and_jumps() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, OverviewScreen)
        assert len(app.screen.shown) == 40
        await pilot.press(*"enthusiasm")
        assert app.screen.shown == [23]
        await pilot.press("enter")
        assert not isinstance(app.screen, OverviewScreen)
        assert app.number == 23


async def test_overview_by_tab_with_arrows_and_escape() -> None:
    app = seed_app(3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        assert isinstance(app.screen, OverviewScreen)
        assert app.screen.query_one(OptionList).highlighted == 2
        await pilot.press("down", "down", "escape")
        assert app.number == 3, "escape returns without moving"
        await pilot.press("tab", "down", "down", "enter")
        assert app.number == 5


async def test_search_finds_text_and_notes_and_cycles() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert app.query_one("#search", Input).has_focus
        await pilot.press(*"co-operators", "enter")
        assert app.matches == [11, 14]
        assert app.number == 11
        await pilot.press("n")
        assert app.number == 14
        await pilot.press("n")
        assert app.number == 11, "matches wrap around"
        await pilot.press("N")
        assert app.number == 14
        await pilot.press("escape")
        await pilot.press("n")
        assert app.number == 15, "without a search, n is next slide again"
        await pilot.press("slash", *"trust", "enter")
        assert app.matches == [1], "notes are searched too"


async def test_search_with_no_match_stays() -> None:
    app = seed_app(4)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"zebra", "enter")
        assert app.matches == []
        assert app.number == 4
        assert "no match" in str(app.query_one("#status", TextLine).render())


async def test_blank_toggles() -> None:
    app = seed_app(2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        assert isinstance(app.screen, BlankScreen)
        await pilot.press("right")
        assert app.number == 2, "keys do not move the hidden slide"
        await pilot.press("b")
        assert not isinstance(app.screen, BlankScreen)
        await pilot.press("full_stop")
        assert isinstance(app.screen, BlankScreen)
        await pilot.press("full_stop")
        assert app.screen is app.screen_stack[0]


async def test_help_lists_every_key_and_closes() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0]


def test_key_table_matches_bindings() -> None:
    bindings = [*PlayerApp.BINDINGS, *SlideView.BINDINGS]
    bound = {key.strip() for b in bindings for key in b.key.split(",")}  # type: ignore[union-attr]
    listed = {name for _, rows in KEY_GROUPS for row in rows for name in bound_names(row.keys)}
    assert listed - bound == set(), "every key the help lists works"
    assert bound - listed == set(), "every key that works is in the help"


async def test_quit_keys() -> None:
    for key in ("q", "ctrl+c"):
        app = seed_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(key)
            await pilot.pause()
        assert app.return_value == 0


async def test_clicks_right_half_forward_left_half_back() -> None:
    app = seed_app(10)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click(offset=(80, 10))
        assert app.number == 11
        await pilot.click(offset=(10, 10))
        await pilot.click(offset=(10, 10))
        assert app.number == 9


@pytest.mark.parametrize("button", [2, 3])
async def test_right_and_middle_clicks_leave_the_slide_alone(button: int) -> None:
    app = seed_app(10)
    async with app.run_test(size=SIZE) as pilot:
        before = screen_text(app)
        assert "10/40" in before.splitlines()[-1]
        for x in (80, 10):  # the right half, then the left half
            await pilot.click(offset=(x, 10), button=button)
            await pilot.pause()
            assert screen_text(app) == before


async def test_long_slide_scrolls_to_every_line() -> None:
    deck = (
        Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "003_60e08724765c41f5.txt"
    )
    if not deck.exists():
        pytest.skip("the shared seeds are not beside this checkout")
    app = create_app(PlayerOptions(deck=deck, watch=False))
    async with app.run_test(size=(60, 15)) as pilot:
        view = app.query_one(SlideView)
        assert view.max_scroll_y > 0
        assert view.more_below and not view.more_above
        assert "more below" in str(app.query_one("#more", TextLine).render())
        # One key a line, and a few more: the last ones must not scroll past the end.
        await pilot.press(*["down"] * (int(view.max_scroll_y) + 5))
        assert view.scroll_y == view.max_scroll_y
        assert view.more_above and not view.more_below
        assert "more above" in str(app.query_one("#more", TextLine).render())
        lines = [view.render_line(y).text for y in range(view.size.height)]
        assert any("Restons en contact" in line for line in lines)


async def test_terminal_too_small_and_back() -> None:
    app = seed_app()
    async with app.run_test(size=(19, 6)) as pilot:
        assert app.screen.has_class("too-small")
        assert "terminal too small (19×6)" in str(app.query_one("#too-small").render())
        await pilot.resize_terminal(20, 6)
        await pilot.pause()
        assert not app.screen.has_class("too-small")
        await pilot.press("right")
        assert app.number == 2


async def test_tiny_and_odd_sizes_render_every_kind_of_slide() -> None:
    app = create_app(PlayerOptions(deck=SAMPLES / "tour.md", watch=False))
    async with app.run_test(size=(20, 6)) as pilot:
        for width, height in ((20, 6), (33, 9), (160, 50), (21, 7)):
            await pilot.resize_terminal(width, height)
            for _ in range(len(app.deck.slides)):
                await pilot.press("right")
            await pilot.press("home")
        assert app.number == 1


async def test_slide_change_does_not_rebuild_widgets() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        before = list(app.query("*"))
        for key in ["right"] * 30 + ["home"]:
            await pilot.press(key)
        assert list(app.query("*")) == before


async def test_a_failing_key_never_ends_the_talk(monkeypatch: pytest.MonkeyPatch) -> None:
    app = seed_app(3)

    def broken() -> None:
        raise RuntimeError("something broke")

    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(app, "action_help", broken)
        await pilot.press("question_mark")
        await pilot.pause()
        assert any("something broke" in str(n.message) for n in app._notifications)
        await pilot.press("right")
        assert app.number == 4, "the next key works as before"


async def test_moves_from_elsewhere_while_an_overlay_is_open() -> None:
    app = seed_app(2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        app.go(7, remote=True)  # as a follower's or a reload's move would
        await pilot.pause()
        assert app.number == 7
        await pilot.press("escape")
        assert footer(app) == "Made with Prexent | 7/40"


LONG_DECK = (
    "# Long\n\n"
    + "\n\n".join(f"Paragraph {n} of the long slide." for n in range(1, 31))
    + "\n---\n# After\n\nThe second slide.\n"
)


def long_app(write: WriteFiles, slide: int = 1) -> PlayerApp:
    deck = write({"long.md": LONG_DECK})
    return create_app(PlayerOptions(deck=deck, slide=slide, watch=False))


@pytest.mark.parametrize("key", ["space", "pagedown"])
async def test_clicker_keys_page_through_a_long_slide_then_advance(
    write: WriteFiles, key: str
) -> None:
    app = long_app(write)
    async with app.run_test(size=(60, 20)) as pilot:
        assert "Paragraph 30 " not in screen_text(app)
        seen = screen_text(app)
        pages = 0
        while "Paragraph 30 " not in screen_text(app):
            await pilot.press(key)
            pages += 1
            assert app.number == 1, "a clicker reads the whole slide before moving on"
            seen += screen_text(app)
        assert pages > 2
        for n in range(1, 31):
            assert f"Paragraph {n} " in seen, f"paragraph {n} was never on screen"
        await pilot.press(key)
        assert app.number == 2
        assert "The second slide." in screen_text(app)


@pytest.mark.parametrize("key", ["pageup", "backspace"])
async def test_page_up_scrolls_back_then_goes_to_the_previous_slide(
    write: WriteFiles, key: str
) -> None:
    app = long_app(write)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press(*["down"] * 60)  # gliding still: a page counts from where it ends
        await pilot.press(key)
        assert app.number == 1
        assert "Paragraph 30 " not in screen_text(app), "a screenful back"
        while "Paragraph 1 " not in screen_text(app):
            await pilot.press(key)
            assert app.number == 1
        await pilot.press(key)
        assert app.number == 1, "the first slide is the first"
        await pilot.press("right", key)
        assert app.number == 1, "a short slide goes straight back"


@pytest.mark.parametrize("key", ["right", "l", "j", "enter", "n"])
async def test_other_next_keys_leave_a_long_slide_at_once(write: WriteFiles, key: str) -> None:
    app = long_app(write)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press(key)
        assert app.number == 2


async def test_go_to_out_of_range_says_where_it_went() -> None:
    app = seed_app(5)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("9", "9", "enter")
        await pilot.pause()
        assert app.number == 40
        assert "no slide 99: went to 40/40" in screen_text(app)
        await pilot.press("0", "enter")
        await pilot.pause()
        assert app.number == 1
        assert "no slide 0: went to 1/40" in screen_text(app)


async def test_go_to_in_range_says_nothing() -> None:
    app = seed_app(5)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("1", "2", "enter")
        await pilot.pause()
        assert app.number == 12
        assert "no slide" not in screen_text(app)


async def test_timer_keys_say_what_they_did_without_the_pane() -> None:
    clock = FakeClock()
    app = create_app(PlayerOptions(deck=SEED_DECK, watch=False, clock=clock))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert "timer started 0:00" in screen_text(app)
        clock.advance(192)
        await pilot.press("t")
        await pilot.pause()
        assert "timer paused 3:12" in screen_text(app)
        await pilot.press("t")
        await pilot.pause()
        assert "timer resumed 3:12" in screen_text(app)
        await pilot.press("T")
        await pilot.pause()
        assert "timer reset" in screen_text(app)
        assert app.talk.elapsed == 0


def marked_on_screen(app: PlayerApp) -> list[str]:
    """The pieces of text the slide shows in reverse: the search's marks."""
    view = app.query_one(SlideView)
    return [
        segment.text
        for y in range(view.size.height)
        for segment in view.render_line(y)
        if segment.style is not None and segment.style.reverse
    ]


async def test_search_marks_the_match_on_the_slide() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        assert marked_on_screen(app) == []
        await pilot.press("slash", *"CO-OPERATORS", "enter")
        assert app.number == 11
        assert marked_on_screen(app) == ["co-operators"], "marked as the slide writes it"
        await pilot.press("n")
        assert app.number == 14
        assert "co-operators" in [m.lower() for m in marked_on_screen(app)]
        await pilot.press("escape")
        assert marked_on_screen(app) == [], "the marks go with the search"


async def test_search_says_when_the_match_is_only_in_the_notes() -> None:
    app = seed_app(5)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("slash", *"trust", "enter")
        await pilot.pause()
        assert app.number == 1
        shown = screen_text(app)
        assert "found in the notes of slide 1" in shown
        assert "in the notes" in str(app.query_one("#status", TextLine).render())
        assert marked_on_screen(app) == []
        app.clear_notifications()
        await pilot.press("escape", "slash", *"co-operators", "enter")
        await pilot.pause()
        assert "in the notes" not in screen_text(app), "a match on the slide is just marked"


@pytest.mark.parametrize("size", [(100, 30), (60, 20)])
async def test_a_wide_table_shows_every_word_of_every_cell(
    write: WriteFiles, size: tuple[int, int]
) -> None:
    from tests.render.test_markdown import WIDE_TABLE, WIDE_TABLE_WORDS

    deck = write({"table.md": f"# A wide table\n\n{WIDE_TABLE}---\n# After\n"})
    app = create_app(PlayerOptions(deck=deck, watch=False))
    async with app.run_test(size=size) as pilot:
        seen: list[str] = []
        while app.number == 1:  # a clicker's way through the slide
            seen += screen_text(app).replace("│", " ").split()
            await pilot.press("space")
        for word in WIDE_TABLE_WORDS:
            assert word in seen, f"{word!r} never showed whole at {size}"


async def test_a_blank_screen_shows_no_notice_and_gives_it_after() -> None:
    """The room sees nothing while the screen is blank; what came meanwhile shows after."""
    app = seed_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.notify("before the blank")
        await pilot.pause()
        assert "before the blank" in screen_text(app)
        await pilot.press("b")
        await pilot.pause()
        app.notify("while blank")
        await pilot.pause()
        shown = screen_text(app)
        assert "while blank" not in shown and "before the blank" not in shown, "no notice"
        assert "For about a year now" not in shown
        await pilot.press("b")
        await pilot.pause()
        assert "while blank" in screen_text(app)
        assert "For about a year now" in screen_text(app)

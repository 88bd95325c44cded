"""Decks written for presenterm play unchanged: front matter, setext titles, options,
`include`, `new_line`, author comments, and warnings for what prexterm does not do."""

from __future__ import annotations

from pathlib import Path

from prexterm.core.model import Deck, MarkdownBlock, Severity
from prexterm.core.parser import load_deck
from prexterm.render.plain import markdown_to_plain
from tests.conftest import WriteFiles

DECKS = Path(__file__).parent.parent / "decks"


def load(write: WriteFiles, text: str, **files: str) -> Deck:
    deck = write({"deck.md": text, **files})
    return load_deck(deck, cwd=deck.parent)


def warnings(deck: Deck) -> list[tuple[int, str]]:
    return [(d.source.line, d.message) for d in deck.diagnostics if d.severity is Severity.WARNING]


def test_intro_deck_plays_with_presenterm_s_slides_and_titles() -> None:
    deck = load_deck(DECKS / "presenterm_intro.md")
    assert deck.rules == "presenterm"
    assert [s.title for s in deck.slides] == [
        "Terminal slides",
        "Why slides in a terminal",
        "Customizability",
        "Thank you",
    ]
    assert deck.errors == deck.warnings == 0
    title = deck.slides[0]
    assert "Presenting from the shell" in title.markdown
    assert "Ada Example" in title.markdown
    assert all(b.place.align == "center" and b.place.middle for b in title.blocks)
    assert deck.slides[1].notes == ("Ask who presents from a terminal today.",)
    customizability = deck.slides[2]
    assert [b.place.widths for b in customizability.blocks][:3] == [(), (2, 1), (2, 1)]
    assert "---" in customizability.markdown, "a thematic break, not a slide end"
    shown = markdown_to_plain(deck.slides[3].markdown)
    assert "a note to myself" not in shown
    assert "hidden author comment" not in shown


def test_options_deck_uses_its_front_matter_options() -> None:
    deck = load_deck(DECKS / "presenterm_options.md")
    assert deck.rules == "presenterm"
    assert deck.errors == deck.warnings == 0
    assert [s.title for s in deck.slides] == [
        "Shorthand and options",
        "Opening",
        "Second title",
        "Last words, after a shorthand break.",
    ]
    assert "First Speaker" in deck.slides[0].markdown
    assert deck.slides[1].steps == 3, "incremental_lists: true in the options"
    second = deck.slides[2]
    assert second.notes == ("Notes over\nseveral lines.",)
    assert "Included text from another file." in second.markdown
    assert second.steps == 2
    assert [b.place.gap for b in second.blocks if isinstance(b, MarkdownBlock)][-1] == 1
    assert deck.slides[3].no_footer


def test_a_deck_with_a_prexent_directive_keeps_prexent_rules(write: WriteFiles) -> None:
    deck = load(write, "---\ntitle: x\n---\n!header H\none\n<!-- end_slide -->\ntwo\n")
    assert deck.rules == "prexent"
    assert [s.markdown for s in deck.slides] == ["title: x", "one", "two"]


def test_without_front_matter_end_slide_makes_a_presenterm_deck(write: WriteFiles) -> None:
    deck = load(write, "Title\n---\n\ntext\n<!-- end_slide -->\nnext\n")
    assert deck.rules == "presenterm"
    assert [s.title for s in deck.slides] == ["Title", "next"]


def test_what_prexterm_does_not_do_is_a_warning(write: WriteFiles) -> None:
    deck = load(
        write,
        "---\ntitle: T\ntheme:\n  name: dark\noptions:\n  command_prefix: 'cmd:'\n---\n"
        "<!-- font_size: 2 -->\nbig\n<!-- end_slide -->\n",
    )
    assert warnings(deck) == [
        (3, "front matter key theme is not used by prexterm"),
        (6, "option command_prefix is not used by prexterm"),
        (8, "presenterm's font_size is not supported; it is ignored"),
    ]
    assert [s.title for s in deck.slides] == ["T", "big"]


def test_include_and_new_line_are_prexent_comments_in_a_prexent_deck(write: WriteFiles) -> None:
    deck = load(
        write,
        "one\n<!-- include: part.md -->\n<!-- new_line -->\n---\ntwo\n",
        **{"part.md": "included\n"},
    )
    assert deck.rules == "prexent"
    assert "included" not in deck.slides[0].markdown


def test_a_speaker_note_never_closed_is_a_warning(write: WriteFiles) -> None:
    deck = load(write, "one\n<!-- end_slide -->\n<!-- speaker_note: |\n  dangling\n")
    assert warnings(deck) == [(4, "speaker_note is never closed")]
    assert deck.slides[-1].notes == ("dangling",)


def test_an_option_it_applies_with_a_value_it_cannot_read_is_named(write: WriteFiles) -> None:
    deck = load(
        write,
        "---\ntitle: T\noptions:\n  incremental_lists: yes\n  end_slide_shorthand: True\n---\n"
        "- one\n- two\n\n---\n\nnext\n",
    )
    assert warnings(deck) == [(4, "option incremental_lists takes true or false; it is not used")]
    assert [s.title for s in deck.slides] == ["T", "one", "next"], "the shorthand applies"
    assert deck.slides[1].steps == 1, "lists are not incremental"


def test_include_is_listed_on_the_slide_its_text_begins(write: WriteFiles) -> None:
    deck = load(
        write,
        "---\ntitle: T\n---\n\n<!-- include: part.md -->\n<!-- end_slide -->\n"
        "<!-- include: empty.md -->\n<!-- end_slide -->\n\nlast\n",
        **{"part.md": "Included words.\n", "empty.md": ""},
    )
    assert [s.title for s in deck.slides] == ["T", "Included words.", "last"]
    included, last = deck.slides[1], deck.slides[2]
    assert [c[:2] for c in included.commands] == [("include", "part.md"), ("end_slide", None)]
    assert last.commands == (), "an include that brought no slide is listed on none"


def test_options_written_on_one_line_apply_and_others_are_named(write: WriteFiles) -> None:
    deck = load(
        write,
        "---\ntitle: T\noptions: {incremental_lists: true, auto_render_languages: [x]}\n---\n"
        "- one\n- two\n<!-- end_slide -->\n",
    )
    assert deck.slides[1].steps == 2, "incremental_lists applies"
    assert warnings(deck) == [(3, "option auto_render_languages is not used by prexterm")]
    deck = load(write, "---\ntitle: T\noptions: true\n---\nbody\n<!-- end_slide -->\n")
    assert warnings(deck) == [(3, "options takes one option a line, or {name: true, …}")]

"""Every rule of the deck format, one small deck each."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from prexterm.core.model import CodeBlock, Deck, DeckUnreadable, ErrorBlock, MarkdownBlock, Severity
from prexterm.core.parser import load_deck
from tests.conftest import WriteFiles


def texts(deck: Deck) -> list[str]:
    return [slide.markdown for slide in deck.slides]


def messages(deck: Deck, severity: Severity | None = None) -> list[str]:
    return [d.message for d in deck.diagnostics if severity is None or d.severity is severity]


def load(write: WriteFiles, text: str | bytes, **extra: str | bytes) -> Deck:
    deck = write(
        {
            "deck.md": text,
            **{k.replace("__", "/").replace("_DOT_", "."): v for k, v in extra.items()},
        }
    )
    return load_deck(deck, cwd=deck.parent)


# -- separators ---------------------------------------------------------------------------


def test_triple_dash_separates_and_wins_over_setext(write: WriteFiles) -> None:
    deck = load(write, "# One\ntext\n---\n# Two\n---   \nThree\n")
    assert texts(deck) == ["# One\ntext", "# Two", "Three"]


def test_compact_single_dash_separates(write: WriteFiles) -> None:
    deck = load(write, "one\n-\ntwo\n- a bullet stays\n")
    assert texts(deck) == ["one", "two\n- a bullet stays"]


def test_separators_inside_fences_are_text(write: WriteFiles) -> None:
    deck = load(write, "```yaml\n---\n!header no\n```\n---\n~~~~\n-\n~~~\nafter\n~~~~\n")
    assert len(deck.slides) == 2
    assert "!header no" in deck.slides[0].markdown
    assert deck.slides[0].header is None
    assert deck.slides[1].markdown == "~~~~\n-\n~~~\nafter\n~~~~"


def test_blank_slides_are_dropped_directive_only_slides_kept(write: WriteFiles) -> None:
    deck = load(write, "a\n---\n\n   \n---\n!slide_classes x\n---\nb\n")
    assert [s.classes for s in deck.slides] == [(), ("x",), ()]
    assert [s.number for s in deck.slides] == [1, 2, 3]


def test_unclosed_fence_warns_and_is_closed(write: WriteFiles) -> None:
    deck = load(write, "```python\nx = 1\n")
    assert "code fence is never closed" in messages(deck, Severity.WARNING)
    assert deck.slides[0].markdown.endswith("```")


# -- directives ---------------------------------------------------------------------------


def test_header_and_footer_from_their_slide_on(write: WriteFiles) -> None:
    deck = load(write, "one\n---\n!header H1\n!footer F1\ntwo\n---\nthree\n!header H2\n")
    assert [(s.header, s.footer) for s in deck.slides] == [
        (None, None),
        ("H1", "F1"),
        ("H2", "F1"),
    ]


def test_several_directives_on_one_line(write: WriteFiles) -> None:
    deck = load(write, "!header FACTTIC in Kigali 2019 !footer Made with Prexent\ntext\n")
    slide = deck.slides[0]
    assert slide.header == "FACTTIC in Kigali 2019"
    assert slide.footer == "Made with Prexent"


def test_unknown_word_after_bang_does_not_split(write: WriteFiles) -> None:
    deck = load(write, "!comment wow !great stuff\ntext\n")
    assert deck.slides[0].notes == ("wow !great stuff",)


def test_comments_accumulate_and_never_show(write: WriteFiles) -> None:
    deck = load(write, "!comment first\ntext\n!comment second\n")
    slide = deck.slides[0]
    assert slide.notes == ("first", "second")
    assert "first" not in slide.markdown


def test_directive_lines_never_show(write: WriteFiles) -> None:
    deck = load(write, "!slide_classes a b\n!header h\nbody\n")
    assert deck.slides[0].markdown == "body"
    assert deck.slides[0].classes == ("a", "b")


def test_second_slide_classes_starts_a_new_slide(write: WriteFiles) -> None:
    deck = load(write, "text\n!slide_classes t\n!slide_classes c\n!slide_classes c\n-\nend\n")
    assert [s.classes for s in deck.slides] == [("t",), ("c",), ("c",), ()]
    assert deck.slides[0].markdown == "text"


def test_unknown_directive_is_an_error_block_with_line(write: WriteFiles) -> None:
    deck = load(write, "a\n!badcomm This command is wrong!\nb\n")
    blocks = deck.slides[0].blocks
    assert [type(b) for b in blocks] == [MarkdownBlock, ErrorBlock, MarkdownBlock]
    assert isinstance(blocks[1], ErrorBlock)
    assert blocks[1].message == "unknown directive !badcomm"
    [diag] = deck.diagnostics
    assert diag.format() == "deck.md:2: error: unknown directive !badcomm"


def test_image_and_escape_are_not_directives(write: WriteFiles) -> None:
    deck = load(write, "![alt](x.png)\n\\!header literal\n!Capital is text\n")
    slide = deck.slides[0]
    assert slide.header is None
    assert "!header literal" in slide.markdown
    assert "\\!" not in slide.markdown
    assert "!Capital is text" in slide.markdown
    assert "image not found: x.png" in messages(deck, Severity.WARNING)


def test_directive_without_argument_is_reported(write: WriteFiles) -> None:
    deck = load(write, "!include\ntext\n")
    assert messages(deck, Severity.ERROR) == ["!include needs a path"]


# -- includes -----------------------------------------------------------------------------


def test_include_stands_in_place_with_separators_and_directives(write: WriteFiles) -> None:
    deck = load(
        write,
        "before\n!include parts/mid.md\nafter\n",
        parts__mid_DOT_md="middle\n---\n!header from include\nnext\n",
    )
    assert texts(deck) == ["before\nmiddle", "next\nafter"]
    assert deck.slides[1].header == "from include"
    assert deck.slides[1].source.file == os.path.join("parts", "mid.md")


def test_nested_includes_resolve_against_the_including_file(write: WriteFiles) -> None:
    deck = load(
        write,
        "!include a/one.md\n",
        a__one_DOT_md="one\n!include b/two.md\n",
        a__b__two_DOT_md="two\n",
    )
    assert texts(deck) == ["one\ntwo"]


def test_include_falls_back_to_current_directory(write: WriteFiles, tmp_path: Path) -> None:
    sub = write({"talk/deck.md": "!include shared.md\n", "shared.md": "shared text\n"})
    deck = load_deck(sub, root=tmp_path, cwd=tmp_path)
    assert texts(deck) == ["shared text"]


def test_leading_slash_means_deck_root(write: WriteFiles) -> None:
    deck = load(
        write, "!include parts/a.md\n", parts__a_DOT_md="!include /b.md\n", b_DOT_md="bee\n"
    )
    assert texts(deck) == ["bee"]


def test_missing_include_and_code_are_error_blocks(write: WriteFiles) -> None:
    deck = load(write, "!include nope.md\n!code gone.py\n")
    blocks = deck.slides[0].blocks
    assert [b.message for b in blocks if isinstance(b, ErrorBlock)] == [
        "Included file not found: nope.md",
        "Code file not found: gone.py",
    ]
    assert len(messages(deck, Severity.ERROR)) == 2


def test_include_cycle_names_the_chain(write: WriteFiles) -> None:
    deck = load(write, "!include a.md\n", a_DOT_md="a\n!include b.md\n", b_DOT_md="!include a.md\n")
    [error] = messages(deck, Severity.ERROR)
    assert error.startswith("include cycle: ")
    assert "deck.md → a.md → b.md → a.md" in error


def test_self_include_is_a_cycle(write: WriteFiles) -> None:
    deck = load(write, "x\n!include deck.md\n")
    assert messages(deck, Severity.ERROR) == ["include cycle: deck.md → deck.md"]


def test_deep_nesting_is_refused(write: WriteFiles) -> None:
    files = {f"n{i}_DOT_md": f"!include n{i + 1}.md\n" for i in range(20)}
    deck = load(write, "!include n0.md\n", **files)
    [error] = messages(deck, Severity.ERROR)
    assert error.startswith("includes nested deeper than 16")
    assert "n0.md" in error


def test_paths_outside_root_are_refused_without_reading(write: WriteFiles, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET\n")
    deck_path = write({"talk/deck.md": "!include ../secret.txt\n!code ../secret.txt\n"})
    deck = load_deck(deck_path, cwd=deck_path.parent)
    assert "TOP SECRET" not in repr(deck)
    errors = messages(deck, Severity.ERROR)
    assert len(errors) == 2
    assert all("outside the deck root" in e for e in errors)


def test_symlink_escaping_root_is_refused(write: WriteFiles, tmp_path: Path) -> None:
    (tmp_path / "secret.md").write_text("TOP SECRET\n")
    deck_path = write({"talk/deck.md": "!include link.md\n"})
    (deck_path.parent / "link.md").symlink_to(tmp_path / "secret.md")
    deck = load_deck(deck_path, cwd=deck_path.parent)
    assert "TOP SECRET" not in repr(deck)
    assert "outside the deck root" in messages(deck, Severity.ERROR)[0]


def test_symlinked_folder_escaping_root_is_refused(write: WriteFiles, tmp_path: Path) -> None:
    """A folder link is followed too, however many files are named through it."""
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "a.md").write_text("SECRET A\n")
    (tmp_path / "private" / "b.md").write_text("SECRET B\n")
    deck_path = write({"talk/deck.md": "!include parts/a.md\n---\n!include parts/b.md\n",
                       "talk/inside/ok.md": "fine\n"})  # fmt: skip
    (deck_path.parent / "parts").symlink_to(tmp_path / "private")
    deck = load_deck(deck_path, cwd=deck_path.parent)
    assert "SECRET" not in repr(deck)
    assert len(messages(deck, Severity.ERROR)) == 2


def test_a_sibling_folder_named_like_the_root_is_outside(write: WriteFiles, tmp_path: Path) -> None:
    """`/x/talk-old` starts with `/x/talk` but is not inside it."""
    (tmp_path / "talk-old").mkdir()
    (tmp_path / "talk-old" / "notes.md").write_text("OLD\n")
    deck_path = write({"talk/deck.md": "!include ../talk-old/notes.md\n"})
    deck = load_deck(deck_path, cwd=deck_path.parent)
    assert "OLD" not in repr(deck)
    assert "outside the deck root" in messages(deck, Severity.ERROR)[0]


def test_root_option_widens_the_root(write: WriteFiles, tmp_path: Path) -> None:
    (tmp_path / "common.md").write_text("common\n")
    deck_path = write({"talk/deck.md": "!include ../common.md\n"})
    deck = load_deck(deck_path, root=tmp_path, cwd=deck_path.parent)
    assert texts(deck) == ["common"]
    assert deck.errors == 0


def test_root_must_contain_the_deck(write: WriteFiles, tmp_path: Path) -> None:
    deck_path = write({"deck.md": "x\n"})
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(DeckUnreadable, match="not inside --root"):
        load_deck(deck_path, root=other)


def test_absolute_filesystem_path_reads_from_root_not_from_system(write: WriteFiles) -> None:
    deck = load(write, "!include /etc/passwd\n")
    assert messages(deck, Severity.ERROR) == ["Included file not found: /etc/passwd"]


def test_binary_include_is_an_error_block(write: WriteFiles) -> None:
    deck = load(write, "!include blob.md\n", blob_DOT_md=b"\x00\x01\x02")
    assert messages(deck, Severity.ERROR) == ["Included file is binary, not text: blob.md"]


# -- code ---------------------------------------------------------------------------------


def test_code_language_and_runner_defaults(write: WriteFiles) -> None:
    deck = load(
        write,
        "!code a.py\n!code b.ex\n!code c.txt py python3 -u\n!code d.js javascript\n!code e.xyz\n",
        a_DOT_py="print(1)\n",
        b_DOT_ex="IO.puts 1\n",
        c_DOT_txt="print(2)\n",
        d_DOT_js="console.log(1)\n",
        e_DOT_xyz="?\n",
    )
    code = [b for b in deck.slides[0].blocks if isinstance(b, CodeBlock)]
    assert [(c.language, c.runner) for c in code] == [
        ("python", ("python3",)),
        ("elixir", ("elixir",)),
        ("python", ("python3", "-u")),
        ("javascript", ("node",)),
        ("text", None),
    ]
    assert code[0].code == "print(1)\n"
    assert code[4].runner_problem is not None


def test_code_runner_is_rest_of_line(write: WriteFiles) -> None:
    deck = load(write, "!code a.py python python3 -u -X dev\n", a_DOT_py="x\n")
    [block] = deck.slides[0].blocks
    assert isinstance(block, CodeBlock)
    assert block.runner == ("python3", "-u", "-X", "dev")


def test_code_block_keeps_its_place_between_text(write: WriteFiles) -> None:
    deck = load(write, "intro\n!code a.py\noutro\n", a_DOT_py="x\n")
    assert [type(b).__name__ for b in deck.slides[0].blocks] == [
        "MarkdownBlock",
        "CodeBlock",
        "MarkdownBlock",
    ]


# -- pictures, stylesheets, photo slides -----------------------------------------------------


def test_backgrounds_and_photo_flag(write: WriteFiles) -> None:
    deck = load(
        write,
        "!global_background g.png\ntext\n---\n!slide_background p.png\n---\n"
        "!slide_background p.png\ncaption\n---\n!slide_classes photo-x\n",
        g_DOT_png=b"png",
        p_DOT_png=b"png",
    )
    bgs = [s.background.written if s.background else None for s in deck.slides]
    assert bgs == ["g.png", "p.png", "p.png", "g.png"]
    assert [s.photo for s in deck.slides] == [False, True, False, True]
    assert [s.own_background for s in deck.slides] == [False, True, True, False]


def test_image_fragment_is_ignored(write: WriteFiles) -> None:
    deck = load(write, "![logo](img/l.png#float-right)\n", img__l_DOT_png=b"png")
    [block] = deck.slides[0].blocks
    assert isinstance(block, MarkdownBlock)
    [image] = block.images
    assert image.written == "img/l.png#float-right"
    assert image.path is not None and image.path.name == "l.png"
    assert deck.warnings == 0


def test_remote_images_are_not_checked(write: WriteFiles) -> None:
    deck = load(write, "![x](https://example.org/x.png)\n")
    assert deck.diagnostics == ()


def test_missing_stylesheet_is_a_warning(write: WriteFiles) -> None:
    deck = load(write, "!custom_css /css/custom.css\ntext\n")
    assert [d.format() for d in deck.diagnostics] == [
        "deck.md:1: warning: stylesheet not found: /css/custom.css"
    ]
    assert deck.stylesheets[0].path is None


# -- text ---------------------------------------------------------------------------------


def test_bom_crlf_cr_and_tabs(write: WriteFiles) -> None:
    deck = load(write, "\ufeff!header h\r\n-\tone\r\n---\rtwo\r".encode())
    assert deck.slides[0].header == "h"
    assert texts(deck) == ["-   one", "two"]


def test_control_characters_never_reach_the_slide(write: WriteFiles) -> None:
    deck = load(write, "red \x1b[31m text\x07\n!comment note \x1b]0;title\x07\n")
    slide = deck.slides[0]
    assert "\x1b" not in slide.markdown and "\x07" not in slide.markdown
    assert "\x1b" not in slide.notes[0]
    assert "␛[31m" in slide.markdown


def test_invalid_utf8_is_reported_with_offset_and_still_plays(write: WriteFiles) -> None:
    deck = load(write, b"caf\xc3\xa9\nbad \xff byte\n")
    assert messages(deck, Severity.ERROR) == [
        "invalid UTF-8 at byte offset 10; shown with replacement characters"
    ]
    assert deck.diagnostics[0].source.line == 2
    assert deck.slides[0].markdown == "café\nbad \ufffd byte"


@pytest.mark.parametrize(
    ("content", "reason"),
    [(None, "no such file"), (b"\x7fELF\x00\x00", "binary file, not a deck")],
)
def test_unreadable_decks_raise(write: WriteFiles, content: bytes | None, reason: str) -> None:
    path = write({"x.txt": b""}).parent / "deck.md"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DeckUnreadable, match=reason):
        load_deck(path)


def test_directory_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(DeckUnreadable, match="is a directory"):
        load_deck(tmp_path)


def test_titles(write: WriteFiles) -> None:
    deck = load(
        write,
        "intro **bold** line\n## The *real* title ##\n---\n- first item\n---\n!code a.py\n",
        a_DOT_py="1\n",
    )
    assert [s.title for s in deck.slides] == ["The real title", "first item", "a.py"]


def test_diagnostics_name_the_included_file(write: WriteFiles) -> None:
    deck = load(write, "x\n!include p.md\n", p_DOT_md="one\ntwo\n!nope\n")
    [diag] = deck.diagnostics
    assert (diag.source.file, diag.source.line) == ("p.md", 3)


@pytest.mark.parametrize("directive", ["!include nope.md", "!code gone.py"])
def test_a_missing_file_block_stands_where_its_directive_stood(
    write: WriteFiles, directive: str
) -> None:
    deck = load(write, f"# Before\n{directive}\nAfter\n")
    blocks = deck.slides[0].blocks
    assert [type(b).__name__ for b in blocks] == ["MarkdownBlock", "ErrorBlock", "MarkdownBlock"]
    first, error, last = blocks
    assert isinstance(first, MarkdownBlock) and first.text == "# Before"
    assert isinstance(error, ErrorBlock) and "not found" in error.message
    assert isinstance(last, MarkdownBlock) and last.text == "After"


# -- Markdown written for Prexent's reader --------------------------------------------------


def notes(deck: Deck) -> list[tuple[int, str]]:
    return [(d.source.line, d.message) for d in deck.diagnostics if d.severity is Severity.NOTE]


def test_a_table_without_a_delimiter_row_gets_an_empty_header(write: WriteFiles) -> None:
    deck = load(write, "## States\n\n| Texas | TX | Austin |\n| Maine | ME |\n\nAfter\n")
    assert texts(deck) == [
        "## States\n\n|  |  |  |\n| --- | --- | --- |\n"
        "| Texas | TX | Austin |\n| Maine | ME |\n\nAfter"
    ]
    [(line, message)] = notes(deck)
    assert line == 3
    assert "a table without a delimiter row" in message
    assert "`| --- | --- | --- |` under its first row" in message
    assert deck.warnings == 0 and deck.errors == 0


def test_a_table_that_opens_a_slide_or_follows_a_heading_is_rewritten(write: WriteFiles) -> None:
    deck = load(
        write,
        "| a | b |\n---\n# T\n| c | d |\n---\n!comment x\n| e |  f |\n"
        "---\n# U\n<br />\n| g | h |\n",
    )
    assert [line for line, _ in notes(deck)] == [1, 4, 7, 11]
    assert all("| --- | --- |" in text for text in texts(deck))


@pytest.mark.parametrize(
    "text",
    [
        "| a | b |\n| --- | --- |\n| c | d |\n",  # a table as CommonMark writes it
        "| a | b |\n|:-|-:|\n",
        "Some text\n| a | b |\n",  # goes on the paragraph, for Earmark too
        "```\n| a | b |\n| c | d |\n```\n",  # code
        "| just one bar\n",
        "    | indented | code |\n",
    ],
)
def test_other_pipes_are_left_alone(write: WriteFiles, text: str) -> None:
    deck = load(write, text)
    assert notes(deck) == []
    assert texts(deck) == [text.rstrip("\n")]


def test_a_table_without_a_delimiter_row_gives_the_slide_its_first_row_as_title(
    write: WriteFiles,
) -> None:
    deck = load(write, "| Texas | TX |\n| Maine | ME |\n")
    assert deck.slides[0].title == "| Texas | TX |"


def test_a_no_break_space_after_heading_marks_becomes_a_space(write: WriteFiles) -> None:
    deck = load(write, "Intro\n\n###\u00a0Heading\n#\u00a0\u00a0Big\n\nA\u00a0word\n")
    assert texts(deck) == ["Intro\n\n### Heading\n# Big\n\nA\u00a0word"]
    assert deck.slides[0].title == "Heading"
    assert notes(deck) == [
        (3, "a no-break space after `###`; write a plain space: `### Heading`"),
        (4, "a no-break space after `#`; write a plain space: `# Big`"),
    ]


def test_a_spaced_reference_link_is_joined_when_its_label_is_defined(write: WriteFiles) -> None:
    deck = load(
        write,
        "Use [Google] [1], [the docs] [Docs] and ![logo] [1].\n"
        "Not [this] [nothing], nor `[code] [1]`.\n\n"
        "[1]: https://google.com\n[docs]: https://docs.example\n",
    )
    assert texts(deck)[0].splitlines()[:2] == [
        "Use [Google][1], [the docs][Docs] and ![logo][1].",
        "Not [this] [nothing], nor `[code] [1]`.",
    ]
    assert notes(deck) == [
        (
            1,
            "a space between the brackets of the reference links `[Google] [1]`,"
            " `[the docs] [Docs]`, `![logo] [1]`; write `[Google][1]`, `[the docs][Docs]`,"
            " `![logo][1]`",
        )
    ]


def test_prexent_shapes_in_an_included_file_are_named_there(write: WriteFiles) -> None:
    deck = load(write, "# T\n!include part.md\n", part_DOT_md="\n| a | b |\n| c | d |\n")
    [diagnostic] = [d for d in deck.diagnostics if d.severity is Severity.NOTE]
    assert diagnostic.source.file.endswith("part.md") and diagnostic.source.line == 2

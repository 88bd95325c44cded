"""The Markdown renderer: what a slide's text looks like in the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.console import Group, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from prexterm.core.dialect import lone_void_tag
from prexterm.core.markdown_tree import MarkdownNode, parse
from prexterm.core.model import Asset, Source
from prexterm.render.markdown import render_markdown
from prexterm.render.palette import DARK, MONO, Palette
from prexterm.render.plain import markdown_to_plain
from tests.conftest import fresh_python
from tests.render.drawing import console, draw, styles_of


def show(
    markdown: str, width: int = 60, palette: Palette = DARK, **options: object
) -> tuple[str, list[Segment]]:
    """Render `markdown`; return the visible text and the styled segments."""
    parts: list[RenderableType] = render_markdown(markdown, palette=palette, **options)  # type: ignore[arg-type]
    return draw(Group(*parts), width)


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def has_style(segments: list[Segment], word: str, **attributes: object) -> bool:
    return any(
        all(getattr(style, name) == value for name, value in attributes.items())
        for style in styles_of(segments, word)
    )


# Headings


def test_h1_gets_a_rule_as_long_as_its_text() -> None:
    text, segments = show("# Alpha beta")
    assert lines(text)[:2] == ["Alpha beta", "━" * len("Alpha beta")]
    assert has_style(segments, "Alpha", bold=True, color=DARK.heading1.color)


def test_heading_levels_have_distinct_styles() -> None:
    _, segments = show("# One\n\n## Two\n\n### Three\n\n###### Six")
    one, two, three, six = (styles_of(segments, w)[0] for w in ("One", "Two", "Three", "Six"))
    assert one.color != two.color != three.color
    assert three.italic and six.italic and six.color == three.color
    assert all(s.bold for s in (one, two, three))


# Inline styles


def test_emphasis_strong_strike_and_code() -> None:
    _, segments = show("*em* **strong** ~~gone~~ `code`")
    assert has_style(segments, "em", italic=True)
    assert has_style(segments, "strong", bold=True)
    assert has_style(segments, "gone", strike=True)
    assert has_style(segments, "code", bgcolor=DARK.inline_code.bgcolor)
    assert not has_style(segments, "strong", italic=True)


def test_soft_break_is_a_space_and_hard_break_a_new_line() -> None:
    text, _ = show("one\ntwo  \nthree\\\nfour")
    assert lines(text) == ["one two", "three", "four"]


# Lists


def test_nested_bullets_change_per_level_and_indent() -> None:
    text, segments = show("- a\n  - b\n    - c\n      - d")
    assert lines(text) == ["• a", "  ◦ b", "    ▪ c", "      ‣ d"]
    assert has_style(segments, "•", color=DARK.list_bullet.color)


def test_numbered_list_honours_its_start_and_aligns_numbers() -> None:
    text, _ = show("8. eight\n9. nine\n10. ten")
    assert lines(text) == [" 8. eight", " 9. nine", "10. ten"]


def test_wrapped_list_item_continues_under_its_text() -> None:
    text, _ = show("- " + "word " * 12, width=20)
    rows = lines(text)
    assert rows[0].startswith("• word")
    assert len(rows) > 1
    assert all(row.startswith("  word") for row in rows[1:])


def test_loose_list_has_blank_lines_between_items() -> None:
    text, _ = show("- a\n\n- b")
    assert lines(text) == ["• a", "", "• b"]


# Quotes and rules


def test_nested_quotes_have_bars_and_are_italic() -> None:
    text, segments = show("> outer\n>\n> > inner")
    rows = lines(text)
    assert rows[0] == "│ outer"
    assert rows[-1] == "│ │ inner"
    assert has_style(segments, "outer", italic=True)
    assert has_style(segments, "│", color=DARK.quote_bar.color)


def test_thematic_break_spans_the_width() -> None:
    text, _ = show("a\n\n***\n\nb", width=30)
    assert "─" * 30 in lines(text)


# Tables


TABLE = "| left | middle | right |\n|:---|:---:|---:|\n| a | b | c |\n| longer | mm | 12345 |"


def test_table_columns_follow_their_alignment() -> None:
    text, segments = show(TABLE)
    rows = [row for row in lines(text) if "│" in row]
    header, first, second = rows[0], rows[1], rows[2]
    assert header.index("left") == first.index("a") == second.index("longer")
    assert header.index("right") + len("right") == first.index("c") + 1
    assert second.index("12345") + 5 == first.index("c") + 1
    middle = header.index("middle") + len("middle") // 2
    assert abs(first.index("b") - middle) <= 1
    assert has_style(segments, "middle", bold=True)
    assert has_style(segments, "╭", color=DARK.table_border.color)


def test_table_cells_are_never_markup() -> None:
    text, segments = show("| [bold]x[/bold] |\n|---|\n| [red]y |")
    assert "[bold]x[/bold]" in text
    assert "[red]y" in text
    assert not has_style(segments, "x", color=Style.parse("red").color)


WIDE_TABLE = (
    "| Region | Population trend over the last decade | Main economic activity and exports"
    " | Infrastructure projects planned | Education and health indicators"
    " | Notes from the field visit |\n"
    "| --- | --- | --- | --- | --- | --- |\n"
    "| Kigali city | Steady growth driven by migration from rural districts"
    " | Services, tourism, conferences and information technology"
    " | New ring road and a second bus rapid transit line"
    " | Literacy above ninety percent, clinics in every sector"
    " | Very clean streets, motorcycle taxis everywhere |\n"
    "| Northern province | Slow growth with young families leaving for the capital"
    " | Tea, potatoes, pyrethrum and gorilla trekking permits"
    " | Feeder roads to the tea factories and a small airport"
    " | Rising secondary enrolment, two new district hospitals"
    " | Volcanoes visible from most villages |\n"
)
WIDE_TABLE_WORDS = [
    word
    for line in WIDE_TABLE.splitlines()
    if not line.startswith("| ---")
    for cell in line.strip("|").split("|")
    for word in cell.split()
]


def words_on(text: str) -> list[str]:
    return [word for row in lines(text) for word in row.replace("│", " ").split()]


def test_a_wide_table_keeps_every_word_whole_at_every_width() -> None:
    for width in (96, 76, 56, 40, 30, 20):
        text, _ = show(WIDE_TABLE, width=width)
        shown = words_on(text)
        for word in WIDE_TABLE_WORDS:
            assert word in shown, f"{word!r} is not whole at width {width}"
        assert all(len(row) <= width for row in lines(text))


def test_a_wide_table_stays_a_grid_while_its_longest_words_fit() -> None:
    text, _ = show(WIDE_TABLE, width=96)
    rows = [row for row in lines(text) if "│" in row]
    assert all(row.count("│") == 7 for row in rows), "six columns side by side"
    assert any("│ Infrastructure " in row for row in rows), "the longest word whole"


def test_a_table_too_wide_for_its_words_shows_one_record_per_row() -> None:
    text, segments = show(WIDE_TABLE, width=56)
    rows = lines(text)
    assert [row.count("│") for row in rows if "│" in row] == [3] * sum("│" in r for r in rows)
    kigali = next(row for row in rows if "Kigali city" in row)
    assert kigali.index("Region") < kigali.index("Kigali city"), "heading beside its value"
    assert sum(row.startswith("├") for row in rows) == 1, "a rule between the two rows"
    assert has_style(segments, "Region", bold=True)


def test_many_columns_never_collapse_into_empty_borders() -> None:
    columns = 40
    table = (
        "| " + " | ".join(f"H{i}" for i in range(columns)) + " |\n"
        + "|---" * columns + "|\n"
        + "| " + " | ".join(f"value{i}" for i in range(columns)) + " |\n"
    )  # fmt: skip
    text, _ = show(table, width=96)
    shown = words_on(text)
    for i in range(columns):
        assert f"H{i}" in shown and f"value{i}" in shown, i


# Code


def test_fenced_code_is_highlighted() -> None:
    text, segments = show("```python\ndef f(x):\n    return 1\n```")
    assert "def f(x):" in text
    assert "python" in text
    keyword = next(seg.style for seg in segments if seg.text == "return")
    number = next(seg.style for seg in segments if seg.text == "1")
    assert keyword is not None and number is not None
    assert keyword.color is not None and keyword.color != number.color


def test_unknown_language_shows_plain_code() -> None:
    text, _ = show("```no-such-language {.x}\nsome <code>\n```")
    assert "some <code>" in text


def test_indented_code_keeps_its_text() -> None:
    text, _ = show("para\n\n    x = [bold]\n    y = 2")
    assert "x = [bold]" in text and "y = 2" in text


# Links


def test_link_has_osc8_target_and_shows_the_url() -> None:
    text, segments = show("see [the docs](https://example.com/d)")
    assert "the docs (https://example.com/d)" in text
    linked = [seg for seg in segments if seg.style and seg.style.link]
    assert linked and all(seg.style.link == "https://example.com/d" for seg in linked if seg.style)
    assert any("docs" in seg.text for seg in linked)
    assert has_style(segments, "(https://example.com/d)", color=DARK.dim.color)


def test_autolink_shows_its_url_once() -> None:
    text, segments = show("<https://a.example/x> and [https://b.example](https://b.example)")
    assert text.count("a.example/x") == 1
    assert text.count("b.example") == 1
    assert {s.style.link for s in segments if s.style and s.style.link} == {
        "https://a.example/x",
        "https://b.example",
    }


def test_email_autolink_shows_address_once() -> None:
    text, _ = show("<me@example.org>")
    assert text.count("me@example.org") == 1


# The HTML subset


def test_br_variants_break_the_line() -> None:
    text, _ = show("a<br>b<br/>c<br />d<BR>e")
    assert lines(text) == ["a", "b", "c", "d", "e"]


def test_known_tags_style_their_text() -> None:
    source = "<small>sm</small> <b>bo</b> <strong>st</strong> <i>it</i> <em>emph</em> <u>un</u>"
    _, segments = show(source + " <code>co</code> <sub>su</sub> <sup>sp</sup>")
    assert has_style(segments, "sm", color=DARK.dim.color)
    assert has_style(segments, "bo", bold=True)
    assert has_style(segments, "st", bold=True)
    assert has_style(segments, "it", italic=True)
    assert has_style(segments, "emph", italic=True)
    assert has_style(segments, "un", underline=True)
    assert has_style(segments, "co", bgcolor=DARK.inline_code.bgcolor)
    assert has_style(segments, "su", color=DARK.dim.color)
    assert has_style(segments, "sp", color=DARK.dim.color)
    assert not has_style(segments, "un", bold=True)


def test_other_tags_are_dropped_and_comments_hidden() -> None:
    text, _ = show('<span class="x">kept</span> <!-- secret --> <font color=red>too</font>')
    assert "kept" in text and "too" in text
    for hidden in ("span", "secret", "font", "<", ">"):
        assert hidden not in text


def test_html_block_keeps_its_text_and_comment_blocks_vanish() -> None:
    text, segments = show(
        "one\n\n<!--\nhidden note\n-->\n\n<div>\n  <b>bold</b> &amp; text\n</div>\n\ntwo"
    )
    assert "hidden" not in text and "div" not in text
    assert lines(text) == ["one", "", "bold & text", "", "two"]
    assert has_style(segments, "bold", bold=True)


# Images


ASSET = Asset("img/cat.png", None, Source("t.md", 3), "missing")


def test_image_placeholder_names_alt_and_path_without_fragment() -> None:
    text, _ = show("![A cat](img/cat.png#float-right)")
    assert "image: A cat — img/cat.png" in text
    assert "float-right" not in text
    assert "╭" in text


def test_image_without_alt_shows_path() -> None:
    text, _ = show("![](pics/x.jpg)")
    assert "image: pics/x.jpg" in text


def test_image_problem_is_shown() -> None:
    text, _ = show("![A cat](img/cat.png)", images={"img/cat.png": ASSET})
    assert "image: A cat — img/cat.png (missing)" in text


def test_picture_hook_replaces_the_placeholder() -> None:
    good = Asset("img/cat.png", Path("/deck/img/cat.png"), Source("t.md", 1))
    calls: list[tuple[Asset, str]] = []

    def picture(asset: Asset, alt: str) -> RenderableType:
        calls.append((asset, alt))
        return Text("<<PICTURE>>")

    text, _ = show("![A cat](img/cat.png)", images={"img/cat.png": good}, picture=picture)
    assert calls == [(good, "A cat")]
    assert "<<PICTURE>>" in text and "image:" not in text


def test_picture_hook_returning_none_keeps_the_placeholder() -> None:
    good = Asset("img/cat.png", Path("/deck/img/cat.png"), Source("t.md", 1))
    text, _ = show(
        "![A cat](img/cat.png)", images={"img/cat.png": good}, picture=lambda a, alt: None
    )
    assert "image: A cat — img/cat.png" in text


def test_picture_hook_is_not_asked_for_a_missing_file() -> None:
    def picture(asset: Asset, alt: str) -> RenderableType:
        raise AssertionError("called for a missing file")

    text, _ = show("![A cat](img/cat.png)", images={"img/cat.png": ASSET}, picture=picture)
    assert "(missing)" in text


def test_text_around_an_image_stays() -> None:
    text, _ = show("before ![x](y.png) after")
    rows = lines(text)
    assert rows[0] == "before" and rows[-1] == "after"


def test_image_in_a_table_cell_is_a_label() -> None:
    text, _ = show("| pic |\n|---|\n| ![dog](d.png) |")
    assert "[image: dog — d.png]" in text


# Safety


def test_rich_markup_in_a_deck_is_shown_literally() -> None:
    text, segments = show("[bold]not bold[/bold] and [red]x[/] :smile:")
    assert "[bold]not bold[/bold] and [red]x[/] :smile:" in text
    assert not has_style(segments, "not bold", bold=True)


def test_control_characters_never_reach_the_terminal() -> None:
    nasty = "a\x1b[31mb\x07c\x9bd\x7fe\x00f `g\x1bh` [i\x1b](http://x/\x1b]y)"
    _, segments = show(nasty)
    for seg in segments:
        if seg.control is None:
            assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in seg.text), seg
            assert not any(0x7F <= ord(ch) <= 0x9F for ch in seg.text), seg
        if seg.style and seg.style.link:
            assert "\x1b" not in seg.style.link
    out = console(60)
    out.print(Group(*render_markdown(nasty, palette=DARK)))
    raw = out.file.getvalue()  # type: ignore[attr-defined]
    assert "\x07" not in raw and "\x9b" not in raw and "\x00" not in raw
    assert "\x1b[31m" not in raw


ALL = """# Head
## Sub
Text *em* **b** `c` [l](http://x.y) <b>h</b><br>next

- a
  - b
1. c

> q
> > qq

---

| a | b |
|:-|-:|
| 1 | 2 |

```python
x = 1
```

![alt](p.png)
"""


def test_ascii_only_uses_only_ascii() -> None:
    text, _ = show(ALL, ascii_only=True)
    assert text.isascii(), [ch for ch in text if not ch.isascii()]
    assert "* a" in text and "- b" in text and "| q" in text and "| | qq" in text
    assert "image: alt" in text


def test_without_ascii_only_boxes_are_drawn_with_lines() -> None:
    text, _ = show(ALL)
    assert not text.isascii()


def test_ascii_only_at_a_narrow_width_has_no_ellipsis() -> None:
    text, _ = show(
        ALL + "\n| aaaaaaaaaaaaaaaaa | bbbbbbbbbbbbbbbbbbbbbbb |\n|--|--|\n",
        width=12,
        ascii_only=True,
    )
    assert text.isascii()


def test_mono_palette_has_no_colours() -> None:
    _, segments = show(ALL, palette=MONO)
    for seg in segments:
        if seg.style is None:
            continue
        for colour in (seg.style.color, seg.style.bgcolor):
            assert colour is None or colour.is_default, (seg, colour)
    assert any(seg.style and seg.style.bold for seg in segments)


@settings(max_examples=150, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=120), st.booleans())
def test_any_text_renders(text: str, width: int, ascii_only: bool) -> None:
    parts = render_markdown(text, palette=DARK, ascii_only=ascii_only)
    out = console(width)
    out.print(Group(*parts))
    markdown_to_plain(text)


MARKDOWNISH = st.lists(
    st.sampled_from(
        [
            "# ",
            "- ",
            "1. ",
            "> ",
            "|",
            "---",
            "```",
            "`",
            "*",
            "_",
            "~~",
            "<b>",
            "</b>",
            "<br>",
            "<!--",
            "-->",
            "![a](b.png)",
            "[l](u)",
            "\n",
            "\n\n",
            "  ",
            "word",
            "\x1b",
            "[bold]",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(MARKDOWNISH, st.integers(min_value=1, max_value=80))
def test_markdown_like_text_renders(text: str, width: int) -> None:
    out = console(width)
    out.print(Group(*render_markdown(text, palette=DARK)))
    assert "\x1b" not in out.export_text()


# Plain text


def test_plain_text_has_one_line_per_paragraph_item_and_row() -> None:
    source = (
        "# Title *x*\n\nsoft\nwrapped <small>s</small> <!-- c -->\n\n- a\n- b\n  1. c\n\n"
        "| h1 | h2 |\n|--|--|\n| v1 | v2 |\n\n![alt text](p.png)\n\n> quoted"
    )
    assert markdown_to_plain(source).splitlines() == [
        "Title x",
        "soft wrapped s",
        "- a",
        "- b",
        "  1. c",
        "h1 | h2",
        "v1 | v2",
        "alt text",
        "quoted",
    ]


def test_plain_text_breaks_on_br_and_drops_control_characters() -> None:
    assert markdown_to_plain("a<br/>b\x1b[2J") == "a\nb[2J"


def test_plain_module_does_not_import_rich() -> None:
    code = (
        "import sys\nimport prexterm.render.plain\n"
        "print(','.join(m for m in sys.modules if m.split('.')[0] == 'rich'))\n"
    )
    output = fresh_python(code)
    assert output.strip() == ""


# HTML as decks written for Prexent's browser view use it


@pytest.mark.parametrize("tag", ["<br />", "<br>", "<br/>", "<BR>", "  <br />  "])
def test_a_lone_br_line_is_a_line_and_the_markdown_after_it_reads(tag: str) -> None:
    text, segments = show(
        f"# Erlang\n{tag}\n![Image](img/erlang_logo.png)\n[https://erlang.org](https://erlang.org)"
    )
    rows = lines(text)
    assert "![Image]" not in text and "](https" not in text and "<br" not in text.lower()
    assert rows[:5] == ["Erlang", "━" * 6, "", "", rows[4]]
    assert rows[4].startswith("╭") and "image: Image — img/erlang_logo.png" in rows[5]
    assert "https://erlang.org" in rows and has_style(
        segments, "https://erlang.org", underline=True
    )


def test_a_lone_br_line_before_a_quote_and_bold_text() -> None:
    text, segments = show('## Q\n<br/>\n> "things will go wrong"\n\n**strategies**')
    rows = lines(text)
    assert rows == ["Q", "", "", '│ "things will go wrong"', "", "strategies"]
    assert has_style(segments, "strategies", bold=True)


def test_each_lone_br_line_is_one_more_line() -> None:
    one = lines(show("# T\n<br>\nafter")[0])
    two = lines(show("# T\n<br>\n<br>\nafter")[0])
    spaced = lines(show("# T\n\n<br>\n\nafter")[0])
    assert one.index("after") - one.index("━") == 3
    assert two.index("after") - two.index("━") == 4
    assert spaced == one
    assert lines(show("<br>\nafter")[0]) == ["", "after"]
    assert lines(show("# T\n<br>\n\n<br />")[0]) == ["T", "━"]


def test_a_lone_br_line_in_a_quote_or_list_lets_the_rest_read() -> None:
    text, segments = show("> # T\n> <br />\n> **bold**\n\n- <br>\n  *it*")
    assert "**" not in text and "*it*" not in text
    assert has_style(segments, "bold", bold=True) and has_style(segments, "it", italic=True)


def test_a_lone_br_line_keeps_a_tight_list_tight() -> None:
    assert lines(show("- a\n- <br>\n  *b*\n- c")[0]) == ["• a", "•", "  b", "• c"]
    assert lines(show("- a\n\n- <br>\n  *b*")[0]) == ["• a", "", "•", "  b"]


def test_a_lone_hr_line_is_a_rule_and_other_void_tags_show_nothing() -> None:
    text, segments = show('# T\n<hr>\n**bold**\n\n<img src="x.png" alt="x">\n*it*')
    rows = lines(text)
    assert "─" * 60 in rows and "**" not in text and "*it*" not in text and "<" not in text
    assert has_style(segments, "bold", bold=True) and has_style(segments, "it", italic=True)


def test_a_lone_br_line_keeps_the_slides_link_references() -> None:
    text, _ = show("[ref]: https://example.org\n\n# T\n<br>\n[the site][ref]")
    assert "the site (https://example.org)" in text and "[" not in text


def test_a_line_after_a_br_starts_without_a_space() -> None:
    for source in ("Line one<br>\nLine two", "Line one\n<br />\nLine two", "Line one <br>Line two"):
        assert lines(show(source)[0]) == ["Line one", "Line two"], source


def test_two_brs_leave_an_empty_line_between() -> None:
    for source in (
        "a<br><br>b",
        "a<br>\n<br>\nb",
        "<p>a<br><br>b</p>",
        "<div>\na<br>\n<br>\nb\n</div>",
    ):
        assert lines(show(source)[0]) == ["a", "", "b"], source
    assert lines(show("<div>\na\n\n<br>\n</div>\n\nb")[0])[-1] == "b"


def test_script_and_style_contents_never_show() -> None:
    block = '<div>\n<script>alert("x")</script>\n<style>p { color: red }</style>\nkept\n</div>'
    inline = "text <script>alert(1)</script>more <style>p{}</style>end"
    assert lines(show(block)[0]) == ["kept"]
    assert lines(show(inline)[0]) == ["text more end"]
    assert markdown_to_plain(block) == "kept"
    assert markdown_to_plain(inline) == "text more end"
    assert lines(show("<script>\nvar a = 1;\n</script>\n\nafter")[0]) == ["after"]


def test_a_table_whose_header_row_is_empty_has_no_header() -> None:
    text, segments = show("|  |  |\n| --- | --- |\n| Texas | TX |\n| Maine | ME |")
    rows = lines(text)
    assert rows == ["╭───────┬────╮", "│ Texas │ TX │", "│ Maine │ ME │", "╰───────┴────╯"]
    assert not has_style(segments, "Texas", bold=True)
    assert markdown_to_plain("|  |  |\n| --- | --- |\n| Texas | TX |") == "Texas | TX"


LONE_TAG_PIECES = st.sampled_from(
    [
        *("<br />", "<br>", "<hr>", "<div>", "\n", "\n\n", "# ", "> ", "- ", "  ", "**"),
        *("word", "![i](p.png)", "[a][r]", "\n[r]: https://r.org\n", "| a |", "```\n"),
        "<!-- c -->",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LONE_TAG_PIECES, max_size=20).map("".join))
@example("# T\n<br />\n![i](p.png)\n> **q**")
@example("- <hr>\n  <br>\n  word")
def test_no_lone_void_tag_line_keeps_the_lines_after_it(text: str) -> None:
    """Wherever markdown-it opens an HTML block at a lone void tag line, it ends there."""

    def html_blocks(node: MarkdownNode) -> list[str]:
        found = [node.content] if node.type == "html_block" else []
        return found + [block for child in node.children for block in html_blocks(child)]

    for content in html_blocks(parse(text)):
        first, _, rest = content.partition("\n")
        if lone_void_tag(first) is not None:
            assert not rest.strip(), content
    console(40).print(Group(*render_markdown(text, palette=DARK)))

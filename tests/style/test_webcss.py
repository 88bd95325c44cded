"""Web stylesheets for Prexent: the terminal subset is kept, the rest is reported by line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.style import Style

from prexterm.render.palette import DARK
from prexterm.style.webcss import (
    Ignored,
    SlideLook,
    WebStylesheet,
    is_web_css,
    load_web_css,
    look_for,
    palette_for,
    parse_web_css,
)


def _look(css: str, *classes: str) -> SlideLook:
    return look_for(parse_web_css(css).rules, classes)


def _notes(css: str) -> list[tuple[int, str]]:
    return [(note.line, note.what) for note in parse_web_css(css).ignored]


# -- the examples from FORMAT.md and the issue -------------------------------------------------


def test_footer_display_none_hides_the_footer_on_every_slide() -> None:
    sheet = parse_web_css(".footer { display: none }")
    assert [(rule.selector, rule.style, rule.hidden, rule.source_line) for rule in sheet.rules] == [
        (".footer", Style(), True, 1)
    ]
    for classes in ((), ("custom",), ("photo-title-slide", "last-slide")):
        look = look_for(sheet.rules, classes)
        assert look.footer_hidden
        assert not look.header_hidden


def test_header_hidden_only_on_slides_with_the_class() -> None:
    sheet = parse_web_css(".slide.custom .header { display: none }")
    assert look_for(sheet.rules, ["custom"]).header_hidden
    assert look_for(sheet.rules, ["custom", "other"]).header_hidden
    assert not look_for(sheet.rules, []).header_hidden
    assert not look_for(sheet.rules, ["other"]).header_hidden
    assert not look_for(sheet.rules, ["custom"]).footer_hidden


def test_dark_slide_colour() -> None:
    css = ".dark-slide { color: white }"
    assert _look(css, "dark-slide").slide_style == Style(color="#ffffff")
    assert _look(css).slide_style == Style()


def test_div_slide_background_on_every_slide() -> None:
    css = "div.slide { background-color: #363636 }"
    assert _look(css).slide_style == Style(bgcolor="#363636")
    assert _look(css, "anything").slide_style == Style(bgcolor="#363636")


# -- one test per property ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("white", "#ffffff"),
        ("black", "#000000"),
        ("red", "#ff0000"),
        ("rebeccapurple", "#663399"),
        ("#abc", "#aabbcc"),
        ("#A0b1C2", "#a0b1c2"),
        ("rgb(10, 20, 30)", "#0a141e"),
        ("rgba(10, 20, 30, 0.5)", "#0a141e"),
        ("rgb(100%, 0%, 50%)", "#ff0080"),
    ],
)
def test_color_values(value: str, expected: str) -> None:
    assert _look(f".a {{ color: {value} }}", "a").slide_style == Style(color=expected)


def test_background_color() -> None:
    assert _look(".a { background-color: navy }", "a").slide_style == Style(bgcolor="#000080")


def test_background_as_a_plain_colour() -> None:
    assert _look(".a { background: #123456 }", "a").slide_style == Style(bgcolor="#123456")


def test_background_image_is_ignored() -> None:
    css = '.a {\n  background: url("bg.png") no-repeat;\n  background-image: url(x.png);\n}'
    assert _look(css, "a").slide_style == Style()
    assert _notes(css) == [
        (2, "background: images and gradients ignored"),
        (3, "background-image ignored"),
    ]


@pytest.mark.parametrize(
    ("value", "bold"),
    [
        ("bold", True),
        ("bolder", True),
        ("700", True),
        ("900", True),
        ("normal", False),
        ("400", False),
        ("lighter", False),
    ],
)
def test_font_weight(value: str, bold: bool) -> None:
    assert _look(f".a {{ font-weight: {value} }}", "a").slide_style == Style(bold=bold)


def test_font_style() -> None:
    assert _look(".a { font-style: italic }", "a").slide_style == Style(italic=True)
    assert _look(".a { font-style: oblique }", "a").slide_style == Style(italic=True)
    assert _look(".a { font-style: normal }", "a").slide_style == Style(italic=False)


def test_text_decoration() -> None:
    assert _look(".a { text-decoration: underline }", "a").slide_style == Style(underline=True)
    assert _look(".a { text-decoration: line-through }", "a").slide_style == Style(strike=True)
    both = _look(".a { text-decoration: underline line-through red }", "a").slide_style
    assert both == Style(underline=True, strike=True)
    assert _look(".a { text-decoration: none }", "a").slide_style == Style(
        underline=False, strike=False
    )
    assert _notes(".a { text-decoration: overline }") == [(1, "text-decoration: overline ignored")]


@pytest.mark.parametrize(
    ("value", "align"),
    [("left", "left"), ("center", "center"), ("right", "right"), ("start", "left")],
)
def test_text_align(value: str, align: str) -> None:
    assert _look(f".a {{ text-align: {value} }}", "a").align == align


def test_text_align_on_header_and_footer() -> None:
    look = _look(".header { text-align: right } .footer { text-align: center }")
    assert (look.header_align, look.footer_align, look.align) == ("right", "center", None)


def test_header_and_footer_styles() -> None:
    look = _look(".header { color: grey; background: #efefef } .footer { font-weight: bold }")
    assert look.header_style == Style(color="#808080", bgcolor="#efefef")
    assert look.footer_style == Style(bold=True)
    assert look.slide_style == Style()


def test_display_on_a_slide_is_ignored() -> None:
    css = ".a { display: none }"
    assert _look(css, "a") == SlideLook()
    assert _notes(css) == [(1, "display: none on a slide ignored (only the header or footer hide)")]


def test_important_is_honoured() -> None:
    assert _look(".a { color: red !important }", "a").slide_style == Style(color="#ff0000")


# -- selector forms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("selector", "classes", "target"),
    [
        (".dark-slide", {"dark-slide"}, "slide"),
        ("div.slide", set(), "slide"),
        (".slide", set(), "slide"),
        (".slide.custom", {"custom"}, "slide"),
        ("div.slide.custom", {"custom"}, "slide"),
        ("body", set(), "slide"),
        ("html body .slide.x", {"x"}, "slide"),
        (".header", set(), "header"),
        (".footer", set(), "footer"),
        ("div.footer", set(), "footer"),
        (".slide.custom .header", {"custom"}, "header"),
        (".custom > .footer", {"custom"}, "footer"),
        ("body .slide .header", set(), "header"),
    ],
)
def test_supported_selectors(selector: str, classes: set[str], target: str) -> None:
    sheet = parse_web_css(f"{selector} {{ color: red }}")
    assert [rule.selector for rule in sheet.rules] == [selector]

    def styles(look: SlideLook) -> dict[str, Style]:
        return {"slide": look.slide_style, "header": look.header_style, "footer": look.footer_style}

    red = Style(color="#ff0000")
    expected = {name: red if name == target else Style() for name in ("slide", "header", "footer")}
    assert styles(look_for(sheet.rules, [*classes, "other"])) == expected
    for missing in classes:
        assert styles(look_for(sheet.rules, classes - {missing})) == dict.fromkeys(
            expected, Style()
        )


@pytest.mark.parametrize(
    "selector",
    [
        "h1",
        "h1:hover",
        "#header",
        ".slide p",
        "a[href]",
        ".a + .b",
        ".header .footer",
        ".header.extra",
        "body.x",
        "p .slide",
        ".x::before",
        "section.slide",
        ".slide:hover",
        ".content",
    ],
)
def test_unsupported_selectors_are_reported(selector: str) -> None:
    sheet = parse_web_css(f"\n{selector} {{ color: red }}")
    assert sheet.rules == ()
    assert [(n.line, n.what) for n in sheet.ignored] == [(2, f"selector {selector} not supported")]


def test_selector_list_keeps_the_supported_ones() -> None:
    sheet = parse_web_css(".a, h1, .b .footer { color: red }")
    assert [rule.selector for rule in sheet.rules] == [".a", ".b .footer"]
    assert _notes(".a, h1 { color: red }") == [(1, "selector h1 not supported")]
    assert _look(".a, .b .footer { color: red }", "b").footer_style == Style(color="#ff0000")


def test_every_named_class_is_needed() -> None:
    css = ".slide.a.b { color: red }"
    assert _look(css, "a").slide_style == Style()
    assert _look(css, "a", "b").slide_style == Style(color="#ff0000")


def test_later_rules_win() -> None:
    css = """
        .slide { color: red; font-weight: bold }
        .dark-slide { color: white }
        .footer { display: none }
        .dark-slide .footer { display: block }
        .footer { color: grey }
    """
    dark = _look(css, "dark-slide")
    assert dark.slide_style == Style(color="#ffffff", bold=True)
    assert not dark.footer_hidden  # a later colour rule does not undo the display rule
    plain = _look(css)
    assert plain.slide_style == Style(color="#ff0000", bold=True)
    assert plain.footer_hidden


# -- the cascade: specificity before file order ---------------------------------------------


@pytest.mark.parametrize(
    "css",
    [
        ".a.b { color: red } .a { color: blue }",
        ".a { color: blue } .a.b { color: red }",
    ],
)
def test_more_classes_win_whatever_the_order(css: str) -> None:
    assert _look(css, "a", "b").slide_style == Style(color="#ff0000")
    assert _look(css, "a").slide_style == Style(color="#0000ff")


@pytest.mark.parametrize(
    "css",
    [
        "#slide_container .slide { color: red } .slide.a.b.c { color: blue }",
        ".slide.a.b.c { color: blue } #slide_container .slide { color: red }",
    ],
)
def test_an_id_beats_classes(css: str) -> None:
    """Prexent's slides stand in `div#slide_container`: a rule naming it outranks classes."""
    assert _look(css, "a", "b", "c").slide_style == Style(color="#ff0000")


def test_the_header_of_some_slides_beats_every_header() -> None:
    css = (
        ".slide.custom .header { color: red; display: none }\n"
        ".header { color: blue; display: block }"
    )
    assert _look(css, "custom").header_style == Style(color="#ff0000")
    assert _look(css, "custom").header_hidden
    assert _look(css).header_style == Style(color="#0000ff")
    assert not _look(css).header_hidden


def test_the_page_around_the_slide_is_inherited_under_the_slides_own_rules() -> None:
    css = ".slide { color: blue }\nbody { color: red; background: white; text-align: center }"
    look = _look(css)
    assert look.slide_style == Style(color="#0000ff", bgcolor="#ffffff")
    assert look.align == "center"


def test_important_wins_over_specificity_and_order() -> None:
    css = (
        ".a { color: red !important; font-weight: bold }\n"
        ".slide.a.b { color: blue; font-weight: normal }"
    )
    assert _look(css, "a", "b").slide_style == Style(color="#ff0000", bold=False)


def test_negations_and_alternatives_match_as_in_a_browser() -> None:
    css = ".slide:not(.b) { color: red }\n:is(.x, .y) .footer { display: none }"
    assert _look(css, "a").slide_style == Style(color="#ff0000")
    assert _look(css, "a", "b").slide_style == Style()
    assert _look(css, "y").footer_hidden
    assert not _look(css, "z").footer_hidden


# -- what is ignored ---------------------------------------------------------------------------


def test_ignored_rules_are_reported_with_lines() -> None:
    css = """\
.slide {
  font-family: "Helvetica Neue", sans-serif;
  float: right;
  animation: fade 1s;
  color: #333;
}
@keyframes fade { from { opacity: 0 } to { opacity: 1 } }
@media (max-width: 600px) {
  .slide { color: red }
}
@import url(other.css);
h1:hover { color: red }
"""
    sheet = parse_web_css(css)
    assert look_for(sheet.rules, []).slide_style == Style(color="#333333")
    assert [(n.line, n.what) for n in sheet.ignored] == [
        (2, "font-family ignored"),
        (3, "float ignored"),
        (4, "animation ignored"),
        (7, "@keyframes ignored"),
        (8, "@media ignored"),
        (11, "@import ignored"),
        (12, "selector h1:hover not supported"),
    ]
    assert str(sheet.ignored[0]) == "line 2: font-family ignored"


def test_bad_values_are_reported() -> None:
    assert _notes(".a { color: notacolour; background: transparent; font-weight: 650px }") == [
        (1, "color: bad colour 'notacolour'"),
        (1, "background: transparent ignored"),
        (1, "font-weight: 650px ignored"),
    ]


@pytest.mark.parametrize(
    "css",
    [
        "",
        "}}}{{{",
        ".a { color: red",
        ".a { color: ; ; : ; }",
        "@media {",
        '.a { content: "unterminated }',
        "/* never closed",
        ".a { .b { color: red } }",
        "\x00\x01 .a { color: red }",
        ".slide { color: rgb(999, -5, 300) }",
    ],
)
def test_malformed_css_never_raises(css: str) -> None:
    sheet = parse_web_css(css)
    assert isinstance(sheet, WebStylesheet)
    look_for(sheet.rules, ["a", "b"])


def test_syntax_errors_become_notes_with_lines() -> None:
    notes = _notes(".a { color: red }\n.b { color: red; ; ! }\n}")
    assert notes and all(line in (2, 3) for line, _ in notes)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(".#{}:;()@/*\"' abcdefhr-0123456789\n")), max_size=80))
def test_any_text_is_read_without_raising(css: str) -> None:
    sheet = parse_web_css(css)
    assert all(isinstance(note, Ignored) for note in sheet.ignored)


# -- files and helpers -------------------------------------------------------------------------


def test_is_web_css() -> None:
    assert is_web_css("css/custom.css")
    assert is_web_css(Path("X.CSS"))
    assert not is_web_css("look.tcss")
    assert not is_web_css("notes.txt")


def test_load_web_css(tmp_path: Path) -> None:
    path = tmp_path / "custom.css"
    path.write_bytes(b"\xef\xbb\xbf.footer { display: none }\n.a { color: \xff }")
    sheet = load_web_css(path)
    assert look_for(sheet.rules, []).footer_hidden
    with pytest.raises(OSError):
        load_web_css(tmp_path / "missing.css")


def test_look_for_with_a_plain_rule_list() -> None:
    rules = list(parse_web_css(".x { color: red }").rules)
    assert look_for(rules, ["x"]).slide_style == Style(color="#ff0000")
    assert look_for([], ["x"]).plain


def test_palette_for_lays_the_slide_colour_over_text() -> None:
    look = _look(
        ".dark-slide { color: white; background: #363636; font-style: italic }", "dark-slide"
    )
    palette = palette_for(DARK, look)
    assert palette.text.color is not None and palette.text.color.name == "#ffffff"
    assert palette.heading1.color == palette.text.color
    assert palette.heading1.bold and palette.text.italic
    assert palette.inline_code == DARK.inline_code
    assert palette.text.bgcolor is None  # the app paints the slide area instead
    assert palette_for(DARK, SlideLook()) is DARK

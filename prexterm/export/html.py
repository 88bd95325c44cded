"""The talk as one HTML file that works offline and alone.

The slides are real text in `<pre>` blocks (selectable, searchable, read by screen
readers), coloured by a class per look, each wide character (CJK, emoji) in a box of
exactly two cells so that columns line up whichever font draws it; the fonts, the styles
and the script are inside the file, which asks nothing of any other file or host. The
player's keys move through it, the slide number is in the address (`#12`), and printing
gives one slide per page.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from prexterm.export.fonts import Fallbacks, FontFiles
from prexterm.export.pages import Look, Page

ADVANCE = 0.6021
"""Width of a cell in ems (DejaVu Sans Mono's; near every monospaced font's)."""
LINE = 1.15
"""Height of a row in ems: a hair under DejaVu Sans Mono's ascent plus descent (1.164),
so that the backgrounds of neighbouring rows overlap rather than leave seams where the
browser rounds to whole pixels, and block characters touch from one row to the next."""

_SCRIPT = """
(function () {
  "use strict";
  var pages = Array.prototype.slice.call(document.querySelectorAll("section.page"));
  var help = document.getElementById("help");
  var shown = -1;
  var typed = "";
  function address(page) {
    var sub = page.getAttribute("data-sub");
    return "#" + page.getAttribute("data-slide") + (sub === "1" ? "" : "." + sub);
  }
  function show(index) {
    index = Math.max(0, Math.min(pages.length - 1, index));
    if (index === shown) { return; }
    if (shown >= 0) { pages[shown].hidden = true; }
    shown = index;
    var page = pages[shown];
    page.hidden = false;
    document.title = page.getAttribute("aria-label") + " \\u2014 " + TITLE;
    var wanted = address(page);
    if (location.hash !== wanted) {
      try { history.replaceState(null, "", wanted); } catch (e) { location.hash = wanted; }
    }
  }
  function fromAddress() {
    var match = /^#(\\d+)(?:\\.(\\d+))?$/.exec(location.hash);
    if (!match) { return 0; }
    var slide = parseInt(match[1], 10), sub = match[2] || "1", first = -1;
    for (var i = 0; i < pages.length; i++) {
      var number = parseInt(pages[i].getAttribute("data-slide"), 10);
      if (number === slide && pages[i].getAttribute("data-sub") === sub) { return i; }
      if (number >= slide && first < 0) { first = i; }
    }
    return first < 0 ? pages.length - 1 : first;
  }
  function slideStart(index, direction) {
    var number = pages[index].getAttribute("data-slide");
    while (index + direction >= 0 && index + direction < pages.length &&
           pages[index + direction].getAttribute("data-slide") === number) {
      index += direction;
    }
    return index;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey) { return; }
    var key = event.key;
    if (help.hidden === false && (key === "Escape" || key === "?")) {
      help.hidden = true; event.preventDefault(); return;
    }
    if (/^[0-9]$/.test(key)) { typed += key; event.preventDefault(); return; }
    if (key === "Enter" && typed) {
      location.hash = "#" + typed; typed = ""; event.preventDefault(); return;
    }
    typed = "";
    var moves = {
      ArrowRight: 1, l: 1, j: 1, " ": 1, PageDown: 1, Enter: 1, n: 1,
      ArrowLeft: -1, h: -1, k: -1, Backspace: -1, PageUp: -1, p: -1
    };
    if (key in moves) { show(shown + moves[key]); }
    else if (key === "]") { show(slideStart(shown, 1) + 1); }
    else if (key === "[") { show(slideStart(Math.max(0, slideStart(shown, -1) - 1), -1)); }
    else if (key === "Home") { show(0); }
    else if (key === "End" || key === "G") { show(pages.length - 1); }
    else if (key === "s" && NOTES) { document.body.classList.toggle("notes-shown"); }
    else if (key === "?") { help.hidden = !help.hidden; }
    else { return; }
    event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    if (event.button !== 0 || window.getSelection().toString()) { return; }
    show(shown + (event.clientX >= window.innerWidth / 2 ? 1 : -1));
  });
  window.addEventListener("hashchange", function () { show(fromAddress()); });
  show(fromAddress());
})();
"""

_HELP_ROWS = (
    ("→ l j Space PgDn Enter n", "next page"),
    ("← h k Backspace PgUp p", "previous page"),
    ("] / [", "next / previous slide"),
    ("Home / End G", "first / last slide"),
    ("digits, Enter", "go to that slide"),
    ("left click", "right half: next; left half: previous"),
    ("s", "show the notes"),
    ("?", "these keys; Escape closes"),
)


def _font_face(fonts: FontFiles | None, used: str) -> str:
    """The font inside the file, cut down to the characters used where that can be done."""
    if fonts is None:
        return ""
    faces = []
    for path, weight, style in (
        (fonts.regular, "normal", "normal"),
        (fonts.bold, "bold", "normal"),
    ):
        if path is None:
            continue
        data = _subset(path, used)
        encoded = base64.b64encode(data).decode("ascii")
        faces.append(
            "@font-face { font-family: 'prexterm mono'; "
            f"font-weight: {weight}; font-style: {style}; "
            f"src: url(data:font/ttf;base64,{encoded}) format('truetype'); }}"
        )
    return "\n".join(faces)


def _fallback_faces(fonts: FontFiles | None, used: str) -> tuple[str, list[str]]:
    """The characters the monospaced font lacks (CJK letters, emoji), in fonts found on
    this machine, cut down to those characters and put inside the file: its `@font-face`
    rules and their family names, nearest first.

    Without fontTools a fallback font cannot be cut down, and a whole CJK font is tens of
    megabytes: then the reader's own fonts draw these characters.
    """
    if fonts is None:
        return "", []
    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        return "", []

    with TTFont(str(fonts.regular), lazy=True) as font:
        has = set(font.getBestCmap() or {})
    fallbacks = Fallbacks()
    wanted: dict[tuple[Path, int], str] = {}
    for char in used:
        if char > " " and ord(char) not in has:
            face = fallbacks.face_for(char)
            if face is not None:
                key = (face.path, face.number)
                wanted[key] = wanted.get(key, "") + char
    rules: list[str] = []
    names: list[str] = []
    for (path, number), chars in wanted.items():
        try:
            data = _subset(path, chars, number)
        except Exception:  # a font fontTools cannot cut is left to the reader's own
            continue
        name = f"prexterm fallback {len(names) + 1}"
        encoded = base64.b64encode(data).decode("ascii")
        rules.append(
            f"@font-face {{ font-family: '{name}'; "
            f"src: url(data:font/ttf;base64,{encoded}) format('truetype'); }}"
        )
        names.append(name)
    return "\n".join(rules), names


def _subset(path: Path, used: str, number: int = 0) -> bytes:
    """The font file (font `number` of a collection) with only the glyphs of `used`, when
    fontTools is there; else whole."""
    try:
        from fontTools import subset
        from fontTools.ttLib import TTFont
    except ImportError:
        return path.read_bytes()
    import io

    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    # recalcTimestamp off: the same deck gives the same file.
    font = TTFont(str(path), recalcTimestamp=False, fontNumber=number)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in used})
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


class HtmlWriter:
    """Collects pages into one HTML document; `result` is its text."""

    extension = ".html"

    def __init__(self, title: str, fonts: FontFiles | None, *, notes: bool = False) -> None:
        self.title = title
        self.fonts = fonts
        self.notes = notes
        self._looks: dict[Look, int] = {}
        self._sections: list[str] = []
        # "0" sizes the `ch` that a wide character's two cells are measured in.
        self._used: set[str] = set(" ▲▼0")
        self._subs: dict[int, int] = {}
        self._size = (80, 24)

    def _class(self, look: Look) -> str:
        index = self._looks.get(look)
        if index is None:
            index = self._looks[look] = len(self._looks)
        return f"k{index}"

    def add(self, page: Page) -> None:
        self._size = (page.width, len(page.rows))
        sub = self._subs[page.number] = self._subs.get(page.number, 0) + 1
        ground = page.background
        lines = []
        for row in page.rows:
            parts = []
            for run in row:
                self._used.update(run.text)
                text = escape(run.text, quote=False)
                if run.wide:
                    # Two cells exactly, whatever the width of the font that has it.
                    own = "" if run.look == ground else " " + self._class(run.look)
                    parts.append(f'<span class="w{own}">{text}</span>')
                elif run.look == ground:
                    parts.append(text)
                else:
                    parts.append(f'<span class="{self._class(run.look)}">{text}</span>')
            lines.append("".join(parts))
        label = page.label
        body = "\n".join(lines)
        section = (
            f'<section class="page" role="region" aria-label="{escape(label)}" '
            f'data-slide="{page.number}" data-sub="{sub}" hidden>\n'
            f'<pre class="screen {self._class(ground)}">{body}</pre>'
        )
        if self.notes and page.notes:
            items = "".join(f"<li>{escape(note)}</li>" for note in page.notes)
            section += f'\n<aside class="notes" aria-label="notes"><ul>{items}</ul></aside>'
        elif self.notes:
            section += '\n<aside class="notes" aria-label="notes"><p>(no notes)</p></aside>'
        section += "\n</section>"
        self._sections.append(section)

    def _css(self) -> str:
        columns, rows = self._size
        rules = []
        for look, index in self._looks.items():
            rule = f"color:{look.fg};background:{look.bg};"
            if look.bold:
                rule += "font-weight:bold;"
            if look.italic:
                rule += "font-style:italic;"
            decorations = [
                name
                for name, on in (("underline", look.underline), ("line-through", look.strike))
                if on
            ]
            if decorations:
                rule += f"text-decoration:{' '.join(decorations)};"
            rules.append(f".k{index}{{{rule}}}")
        used = "".join(sorted(self._used))
        fallback_rules, names = _fallback_faces(self.fonts, used)
        fallback_names = "".join(f"'{name}', " for name in names)
        fit_width = columns * ADVANCE
        fit_height = rows * LINE
        return f"""
{_font_face(self.fonts, used)}
{fallback_rules}
html, body {{ margin: 0; background: #000; height: 100%; }}
body {{ display: flex; flex-direction: column; align-items: center; justify-content: center; }}
section.page {{ position: relative; }}
pre.screen {{
  margin: 0; white-space: pre; overflow: hidden;
  font-family: 'prexterm mono', {fallback_names}'DejaVu Sans Mono', 'Liberation Mono', Menlo,
    Consolas, monospace;
  font-size: min(calc(100vw / {fit_width:.2f}), calc(100vh / {fit_height:.2f}));
  line-height: {LINE}; font-variant-ligatures: none;
}}
{chr(10).join(rules)}
.w {{
  display: inline-block; width: 2ch; height: {LINE}em; overflow: hidden;
  vertical-align: top; text-align: center;
}}
.notes {{ display: none; }}
body.notes-shown .notes {{
  display: block; position: fixed; left: 0; right: 0; bottom: 0; max-height: 40vh;
  overflow: auto; background: #fffbe6; color: #000; font: 18px/1.4 sans-serif;
  padding: 0.5em 1em; border-top: 3px solid #c90;
}}
#help {{
  position: fixed; top: 10vh; left: 50%; transform: translateX(-50%);
  background: #fff; color: #000; font: 16px/1.5 sans-serif; padding: 1em 1.5em;
  border: 2px solid #555;
}}
#help th {{ text-align: left; padding-right: 1.5em; font-family: monospace; }}
@media print {{
  @page {{ size: landscape; margin: 0; }}
  html, body {{ height: auto; background: none; display: block; }}
  section.page, section.page[hidden] {{
    display: block; break-after: page; page-break-after: always;
  }}
  pre.screen {{ font-size: calc(100vw / {fit_width:.2f}); }}
  .notes, body.notes-shown .notes, #help {{ display: none; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""

    def result(self) -> str:
        keys = [row for row in _HELP_ROWS if self.notes or row[0] != "s"]
        help_rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in keys)
        script = _SCRIPT.replace("NOTES", "true" if self.notes else "false").replace(
            "TITLE", _js_string(self.title)
        )
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="generator" content="prexterm">\n'
            f"<title>{escape(self.title)}</title>\n"
            f"<style>{self._css()}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(self._sections)
            + '\n</main>\n<div id="help" role="dialog" aria-label="keys" hidden>'
            f"<table>{help_rows}</table></div>\n"
            f"<script>{script}</script>\n</body>\n</html>\n"
        )


def _js_string(text: str) -> str:
    """`text` as a JavaScript string literal that cannot end the script element."""
    import json

    return json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e")

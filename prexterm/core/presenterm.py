"""Decks written for presenterm, read with its rules (see `FORMAT.md`, "presenterm decks").

A deck is read this way only when it has no Prexent directive and either opens with a
YAML front matter block or ends its slides with `<!-- end_slide -->`: then `---` is
Markdown again (a setext title under a line of text), and the front matter gives a title
slide and a few options. The front matter is read here with a small reader of the YAML
that presenterm decks use (`key: value`, an `options:` map, an `authors:` list), so
prexterm needs no YAML library.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_PREXENT_DIRECTIVE = re.compile(r"^![a-z_]+(?:[ \t]|$)", re.MULTILINE)
_END_SLIDE = re.compile(r"^[ \t]*<!--[ \t]*end_slide[ \t]*-->[ \t]*$", re.MULTILINE)
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ \t]*:(?:[ \t]+(.*))?$")

TITLE_KEYS = ("title", "sub_title", "author", "authors", "event", "location", "date")
OPTIONS = ("end_slide_shorthand", "implicit_slide_ends", "incremental_lists")
"""The front matter options prexterm acts on; others are named in a `check` warning."""


class FrontMatter(NamedTuple):
    """What a presenterm deck's front matter says, and what in it prexterm does not use."""

    fields: dict[str, str]
    authors: tuple[str, ...]
    options: dict[str, bool]
    unused: tuple[tuple[int, str], ...]
    """(line, message) for each key or option prexterm does not act on."""
    end: int
    """How many lines of the file the front matter takes, fences included."""


def is_presenterm(text: str) -> bool:
    """Whether a deck's text is read with presenterm's rules."""
    if _PREXENT_DIRECTIVE.search(text):
        return False
    first = text.split("\n", 1)[0].rstrip()
    return first == "---" or _END_SLIDE.search(text) is not None


def _value(raw: str | None) -> str:
    value = (raw or "").strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return value


def front_matter(lines: list[str]) -> FrontMatter | None:
    """The front matter at the top of `lines`, or None when there is none (or it is never
    closed, in which case the lines are plain slide text)."""
    if not lines or lines[0].rstrip() != "---":
        return None
    fields: dict[str, str] = {}
    authors: list[str] = []
    options: dict[str, bool] = {}
    unused: list[tuple[int, str]] = []
    section: str | None = None
    for index in range(1, len(lines)):
        line = lines[index]
        if line.rstrip() == "---":
            return FrontMatter(fields, tuple(authors), options, tuple(unused), index + 1)
        number = index + 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indented = line[:1] in (" ", "\t")
        stripped = line.strip()
        if indented and section == "authors" and stripped.startswith("- "):
            authors.append(_value(stripped[2:]))
            continue
        match = _KEY.match(stripped)
        if indented:
            if section == "options" and match:
                _option(match.group(1), match.group(2), number, options, unused)
            elif section == "options":
                unused.append((number, f"options line {stripped[:40]!r} is not used by prexterm"))
            continue
        section = None
        if match is None:
            unused.append((number, f"front matter line {stripped[:40]!r} is not used by prexterm"))
            continue
        name, value = match.group(1), match.group(2)
        if name == "options" and value and value.strip():
            if not value.strip().startswith("{"):
                unused.append((number, "options takes one option a line, or {name: true, …}"))
                continue
            # The same options written on one line: `options: {incremental_lists: true}`.
            for pair in value.strip().strip("{}").split(","):
                option = _KEY.match(pair.strip())
                if option:
                    _option(option.group(1), option.group(2), number, options, unused)
                elif pair.strip():
                    unused.append((number, f"option {pair.strip()[:40]!r} is not used by prexterm"))
        elif name == "options" or (name == "authors" and not value):
            section = name
        elif name in TITLE_KEYS:
            if name == "authors":
                authors.extend(_value(v) for v in value.strip("[] ").split(",") if v.strip())
            else:
                fields[name] = _value(value)
        else:
            section = name
            unused.append((number, f"front matter key {name} is not used by prexterm"))
    return None


def _option(
    name: str,
    raw: str | None,
    line: int,
    options: dict[str, bool],
    unused: list[tuple[int, str]],
) -> None:
    """Read one front matter option into `options`, or say in `unused` why it is not."""
    value = _value(raw).lower()
    if name not in OPTIONS:
        unused.append((line, f"option {name} is not used by prexterm"))
    elif value in ("true", "false"):
        options[name] = value == "true"
    else:
        unused.append((line, f"option {name} takes true or false; it is not used"))


def title_slide_text(matter: FrontMatter) -> str:
    """The Markdown of the title slide that the front matter makes (empty without a title
    or an author)."""
    fields = matter.fields
    authors = list(matter.authors)
    if "author" in fields:
        authors.insert(0, fields["author"])
    parts: list[str] = []
    if fields.get("title"):
        parts.append(f"# {fields['title']}")
    if fields.get("sub_title"):
        parts.append(fields["sub_title"])
    if fields.get("event") or fields.get("location"):
        parts.append(" · ".join(v for v in (fields.get("event"), fields.get("location")) if v))
    if fields.get("date"):
        parts.append(fields["date"])
    if authors:
        parts.append("  \n".join(authors))
    return "\n\n".join(parts)

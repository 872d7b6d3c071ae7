"""What HTML a story may contain, and the cleaner that enforces it on every generated page.

Stories come from many contributors, so a page the storybook generates may hold harmless
markup only: text formatting, lists, tables, images, links, ``<details>``. Anything that could
run code or pull another page in (``<script>``, ``<style>``, ``<iframe>``, ``<object>``,
``on...=`` attributes, ``javascript:`` links) is removed by :func:`clean`, an allowlist
sanitizer (``nh3``, the Python binding of the Rust ``ammonia`` library), so nothing a story
says can run in a reader's browser. :func:`find_unsafe` reports the same things at their line
in a trainer's text, so ``storybook check`` says what would be removed instead of removing it
silently.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape as html_escape
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import markdown
import nh3

from storybook.core.errors import Problem

# The Markdown extensions the plugin always enables; a story's text is checked with them and
# with those MkDocs always adds.
MARKDOWN_EXTENSIONS = ("attr_list", "admonition", "md_in_html")
_CHECKED_WITH = (*MARKDOWN_EXTENSIONS, "tables", "fenced_code")

TAGS = frozenset(
    {
        # Text
        "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "del", "dfn", "em", "i", "img",
        "ins", "kbd", "mark", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong",
        "sub", "sup", "time", "u", "var", "wbr",
        # Blocks
        "article", "aside", "blockquote", "caption", "col", "colgroup", "dd", "details", "div",
        "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hgroup", "hr", "li", "ol", "p", "pre", "section", "summary", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
        # Controls without a form (nothing can be submitted): task lists, tabs, answer boxes.
        "button", "input", "label", "textarea",
    }
)  # fmt: skip
GENERIC_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "role", "tabindex"})
GENERIC_PREFIXES = frozenset({"aria-", "data-"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang", "name", "rel", "target"}),
    "blockquote": frozenset({"cite"}),
    "button": frozenset({"disabled", "type"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "del": frozenset({"cite", "datetime"}),
    "details": frozenset({"open"}),
    "img": frozenset({"alt", "height", "loading", "src", "width"}),
    "input": frozenset({"checked", "disabled", "name"}),
    "ins": frozenset({"cite", "datetime"}),
    "label": frozenset({"for"}),
    "li": frozenset({"value"}),
    "ol": frozenset({"reversed", "start", "type"}),
    "q": frozenset({"cite"}),
    "td": frozenset({"align", "colspan", "headers", "rowspan", "style"}),
    "textarea": frozenset(
        {"cols", "disabled", "maxlength", "name", "placeholder", "readonly", "rows"}
    ),
    "th": frozenset({"abbr", "align", "colspan", "headers", "rowspan", "scope", "style"}),
    "time": frozenset({"datetime"}),
}
# Attributes allowed only with these values: an <input> is a checkbox or a radio button.
ATTRIBUTE_VALUES: dict[str, dict[str, frozenset[str]]] = {
    "input": {"type": frozenset({"checkbox", "radio"})},
}
# Markdown writes a table column's alignment as style="text-align: ..."; no other style stays.
STYLE_PROPERTIES = frozenset({"text-align"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Removed together with everything inside them, not just the tags.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math"}
)
# Material's own scripts look for these; a story must not be able to pose as part of the theme.
_THEME_HOOK = "data-md-"
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")


def clean(html: str) -> str:
    """The same HTML without anything outside the allowlist above."""
    # Calling back into Python for every attribute of every page was a fifth of the
    # cleaning. Cleaned without the call first, a page shows every attribute the call would
    # be given (named in lower case, written name="value"): only when one could be refused
    # by it is the page cleaned again with it. tests/test_fast_paths.py holds the two equal.
    cleaned = _cleaner(filtered=False).clean(html)
    if _filter_may_refuse(cleaned):
        return _cleaner(filtered=True).clean(html)
    return cleaned


def _clean_slowly(html: str) -> str:
    """What :func:`clean` gives, with the attribute filter asked about every attribute."""
    return _cleaner(filtered=True).clean(html)


@functools.cache
def _cleaner(*, filtered: bool) -> nh3.Cleaner:
    # Made once: every generated page is cleaned, and setting up the rules each time cost a
    # quarter of the cleaning.
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={
            "*": set(GENERIC_ATTRIBUTES),
            **{tag: set(names) for tag, names in ATTRIBUTES.items()},
        },
        tag_attribute_values={
            tag: {name: set(values) for name, values in allowed.items()}
            for tag, allowed in ATTRIBUTE_VALUES.items()
        },
        generic_attribute_prefixes=set(GENERIC_PREFIXES),
        attribute_filter=_keep_attribute if filtered else None,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if _theme_hook(name) or (name == "style" and not _only_allowed_properties(value)):
        return None
    if name in _NAMING_ATTRIBUTES and theme_name(value):
        return None
    return value


def _theme_hook(name: str) -> bool:
    """Whether an attribute is one of Material's hooks (data-md-..., in any case)."""
    # Only ASCII letters lower to the letters of data-md-, so the first 8 characters will do.
    return name[:8].lower() == _THEME_HOOK


# Material names its own elements __config, __search, __drawer, __palette_0, __code_1 ...
# and reads its settings from the element with id __config: no element of a page may take
# such a name (a heading "## __config" would, from its slug), nor point a label at one.
_NAMING_ATTRIBUTES = frozenset({"id", "name", "for"})
# Where a cleaned page's attribute value starts with an underscore, a space of any kind or an
# entity (&nbsp; is a space), or a style attribute's value starts: the values the filter may
# refuse, as a cleaned page writes them (name="value", with &, " and no-break spaces as
# entities). One search for =", which only attributes have: a search for each name cost more.
_VALUE_TO_CHECK = re.compile(r'="(?:[_&\s]|(?<= style="))')
_NAMED = tuple(f" {name}" for name in sorted(_NAMING_ATTRIBUTES))


def _filter_may_refuse(cleaned: str) -> bool:
    """Whether :func:`_keep_attribute` could refuse an attribute of a page cleaned without
    it (attribute names are in lower case there)."""
    if _THEME_HOOK in cleaned:
        return True
    for found in _VALUE_TO_CHECK.finditer(cleaned):
        if cleaned.endswith((" style", *_NAMED), 0, found.start()):
            return True
    return False


def theme_name(value: str) -> bool:
    """Whether an id (or name) is one the theme uses or may use for its own elements."""
    return value.strip().startswith("__")


@dataclass(frozen=True)
class Finding:
    """Something :func:`clean` would remove, at a 0-based line of the text that was checked."""

    line: int
    message: str
    hint: str


def find_unsafe(text: str) -> list[Finding]:
    """Everything in a piece of a trainer's Markdown that the cleaner would remove."""
    return find_unsafe_by_converting(text) if may_make_markup(text) else []


def find_unsafe_by_converting(text: str, trainer: bool = True) -> list[Finding]:
    """:func:`find_unsafe` without the shortcut for texts that cannot make markup. With
    ``trainer`` False (a whole generated page, where our own templates name and style
    elements), only what the cleaner removes is found."""
    html = _to_html(text)
    collector = _Collector(trainer=trainer)
    collector.feed(html)
    collector.close()
    # Entities are decoded so that java&#x09;script: is found where it is written.
    lines = [unescape(line) for line in text.split("\n")]
    outside_code = _without_code(lines)
    seen: dict[str, int] = {}
    findings: dict[tuple[int, str], Finding] = {}
    listed: set[int] = set()
    # As written: an entity such as &#123; is never read as a brace.
    written = _without_code(text.split("\n"))
    for finding in _theme_headings(written, text):
        findings.setdefault((finding.line, finding.message), finding)
    if trainer:
        for finding in _trainer_only(written, html):
            findings.setdefault((finding.line, finding.message), finding)
            listed.add(finding.line)
    for pattern, message, hint in collector.found:
        # The second <script> is on the second line that has one, and so on.
        matching = [i for i, line in enumerate(outside_code) if pattern.search(line)] or [
            i for i, line in enumerate(lines) if pattern.search(line)
        ]
        if pattern in collector.written_only:
            # An attribute not written as such comes from an attribute list (reported at
            # its line above) or from Markdown itself.
            matching = [i for i in matching if outside_code[i] and i not in listed]
            if not matching:
                continue
        matching = matching or [0]
        occurrence = seen.get(pattern.pattern, 0)
        seen[pattern.pattern] = occurrence + 1
        line = matching[min(occurrence, len(matching) - 1)]
        if line not in listed:  # one problem is enough: the attribute list that made it
            findings.setdefault((line, message), Finding(line, message, hint))
    # A link definition makes no markup where it is written, but any text on the same page
    # can use it ([click][label]): a story's body can arm a summary shown beside it.
    for line, text in enumerate(lines):
        # As written (a code span can be part of a label), but never inside a code block.
        match = _DEFINITION.match(text) if outside_code[line] else None
        if match and not _url_allowed(match.group(1)):
            message, hint = _link_problem(match.group(1))
            findings.setdefault((line, message), Finding(line, message, hint))
    return sorted(findings.values(), key=lambda finding: finding.line)


_BRACE_GROUP = re.compile(r"(?<!\{)\{[^{}\n]*[^{}\s][^{}\n]*\}(?!\})")
_JINJA_SYNTAX = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_LIST_START = re.compile(r"\{:|\{[ ]*[#.][\w-]")


def _reads_as_attribute_list(text: str, match: re.Match[str], first: bool) -> bool:
    """Whether braces would be read as an attribute list where some template puts the text
    (at the end of a heading or a table cell, right after a link or emphasis), even if not
    in the text alone: written as one ({: ...}, {#id}, {.class}), at the end of its line, or
    touching the word before it. A {placeholder} inside a sentence is text."""
    if _LIST_START.match(match[0]):
        return True
    if not text[match.end() :].strip(" \t\"'"):
        # A line of its own that is all braces is a paragraph of text ({"a": 1}), unless
        # it comes last (checked by converting) or first, where a template may put words
        # before it.
        return first or bool(text[: match.start()].strip())
    return match.start() > 0 and not text[match.start() - 1].isspace()


_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$")
_ATTRIBUTE_LIST_HINT = (
    "a story's text cannot give itself an id, class or setting: delete the braces "
    "(to show braces as written, put them in `code`)"
)


def _trainer_only(outside_code: list[str], html: str) -> Iterator[Finding]:
    """What only a trainer's text may not do: attribute lists (braces Markdown reads as one,
    and so are missing from the HTML) and admonition types the theme does not know."""
    left: dict[str, int] = {}
    for line, text in enumerate(outside_code):
        # A question is a Jinja template: its {{ }}, {% %} and {# #} are not braces of text
        # (what a question makes is checked again once it is filled in).
        text = _JINJA_SYNTAX.sub(lambda match: " " * len(match[0]), text)
        for match in _BRACE_GROUP.finditer(text):
            group = match[0]
            if group not in left:
                left[group] = html.count(html_escape(group, quote=False))
            consumed = left[group] <= 0
            left[group] -= 1
            if not (consumed or _reads_as_attribute_list(text, match, line == 0)):
                continue
            shown = group if len(group) <= 40 else group[:37] + "...}"
            yield Finding(line, f"the attribute list {shown} is not allowed", _ATTRIBUTE_LIST_HINT)
            break
        admonition = _ADMONITION_LINE.match(text)
        if admonition and admonition[1].lstrip().startswith("!!!"):
            words = admonition[2].split()
            if len(words) > 1 or words[0].lower() not in ADMONITION_TYPES:
                yield Finding(
                    line,
                    f"the admonition type '{admonition[2]}' is not one of the theme's",
                    "use one of " + ", ".join(ADMONITION_TYPES),
                )


def _theme_headings(outside_code: list[str], text: str) -> Iterator[Finding]:
    """Headings whose address (toc's slug, the id MkDocs gives them) would start with __, as
    the theme's own names do: on a page no cleaner runs over (an export), it would be one."""
    for line, written in enumerate(outside_code):
        heading = _HEADING.match(written)
        if heading and _slug(heading[1]).startswith("__"):
            yield _theme_heading(line)
    if not _may_name_a_heading_like_the_theme(text):
        return
    # What toc itself makes of the headings: an entity (&#95;, &lowbar;), a code span, an
    # underlined heading or a tag also give an address that starts with __.
    addresses = _HEADING_ADDRESS.findall(_to_html(text, addresses=True))
    lines = _heading_lines(outside_code)
    for index, address in enumerate(addresses):
        if address.startswith("__"):
            yield _theme_heading(lines[index] if len(lines) == len(addresses) else 0)


def _may_name_a_heading_like_the_theme(text: str) -> bool:
    """Whether a line that may be a heading (# or underlined, at any indent: admonitions
    indent theirs) holds an underscore, as written or as an entity: no other heading's
    address can start with __. Most texts and generated pages have none, and are not
    converted again."""
    if "_" not in text and "&" not in text:
        return False
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if "_" not in (unescape(line) if "&" in line else line):
            continue
        if line.lstrip().startswith("#"):
            return True
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if following and set(following) <= {"=", "-", " "}:
            return True
    return False


def _theme_heading(line: int) -> Finding:
    return Finding(
        line,
        "this heading's address would start with __, as the theme's own names do",
        "start the heading with a letter or a digit",
    )


_HEADING_ADDRESS = re.compile(r'<h[1-6] id="([^"]*)"')
_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")


def _heading_lines(outside_code: list[str]) -> list[int]:
    """The lines of the text's headings: # headings, and lines underlined with = or -."""
    lines = []
    for line, written in enumerate(outside_code):
        if _HEADING.match(written) or (
            line + 1 < len(outside_code)
            and written.strip()
            and _UNDERLINE.match(outside_code[line + 1])
            and not _UNDERLINE.match(written)
        ):
            lines.append(line)
    return lines


def _slug(text: str) -> str:
    """Python-Markdown's toc slug of a heading (toc.slugify), enough to see how it starts."""
    text = unicodedata.normalize("NFKD", text)
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)")


def _link_problem(url: str) -> tuple[str, str]:
    shown = _squash(url)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return (
        f"the link '{shown}' is not allowed in a story",
        "links start with https://, http://, mailto: or tel:, "
        "or point to another page of this site",
    )


# With the checked extensions, Markdown makes an element or attribute the cleaner removes only
# from raw HTML or an autolink (<), a link or image target or definition (](, ][, ]:), or an
# attribute list ({: ...}). A {{ value }} that follows a space or starts the text is never
# taken as an attribute list: one is only read at the very start of the text after an inline
# element, or at the end of a line, where the second } would be left over and Markdown refuses
# a list with leftovers. tests/test_properties.py searches for a text where this is wrong.
_LINK_TARGET = re.compile(r"\]\s*[(\[:]")
_SPACED_JINJA_VALUE = re.compile(r"(?<!\S)\{\{[^{}\n]*\}\}")
# Bare inline tags the cleaner keeps wherever they stand. Every bank question names its story
# with <cite> (reading.marked_title): converting each to find nothing took most of the time
# the storybook spends rendering (1.2 of 1.4 s at 1,000 stories).
_KEPT_TAGS = re.compile(r"</?(?:cite|em|strong|mark|kbd)>")


def may_make_markup(text: str) -> bool:
    """Whether converting the text could give markup at all; most stories' texts cannot, and
    converting every one to find out took a third of the storybook's own build time."""
    # The plain `in` tests first: they cost a tenth of a regular expression on a long story.
    if "<" in text and "<" in _KEPT_TAGS.sub("", text):
        return True
    if "]" in text and _LINK_TARGET.search(text):
        return True
    # An admonition names a class; a heading starting with __ takes a theme's name.
    if "!!!" in text or ("__" in text and "#" in text):
        return True
    return "{" in text and "{" in _SPACED_JINJA_VALUE.sub("", text)


_converters = threading.local()


def _to_html(text: str, *, addresses: bool = False) -> str:
    """``markdown.markdown(text)`` with the checked extensions (and toc, which gives headings
    their addresses, with ``addresses``), on a converter kept per thread and reset for each
    text: setting one up costs more than converting a story, and a library of 1,000 stories
    has thousands of texts to check."""
    kind = "with_addresses" if addresses else "markdown"
    converter: markdown.Markdown | None = getattr(_converters, kind, None)
    if converter is None:
        extensions = [*_CHECKED_WITH, "toc"] if addresses else list(_CHECKED_WITH)
        converter = markdown.Markdown(extensions=extensions)
        setattr(_converters, kind, converter)
    return converter.reset().convert(text)


_EMBED_HINT = (
    "embedded content is not shown; link to it instead, e.g. [Watch the video](https://...)"
)
_HINTS = {
    "script": "scripts never run on the storybook's pages; delete it",
    "style": "the site's look comes from its theme; delete it",
    "iframe": _EMBED_HINT,
    "frame": _EMBED_HINT,
    "object": _EMBED_HINT,
    "embed": _EMBED_HINT,
    "video": _EMBED_HINT,
    "audio": _EMBED_HINT,
    "form": "forms would send readers' answers elsewhere; delete it",
}
_TAG_HINT = "write it in Markdown, or use simple tags such as <kbd>, <mark> or <details>"


class _Collector(HTMLParser):
    """Collects (pattern to find its line, message, hint) for each thing to be removed, and,
    in a trainer's text, each attribute that is not content."""

    def __init__(self, trainer: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.trainer = trainer
        self.found: list[tuple[re.Pattern[str], str, str]] = []
        # Patterns of attributes reported only where the text writes them.
        self.written_only: set[re.Pattern[str]] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.found.append(
                (
                    re.compile(rf"<\s*{re.escape(tag)}\b", re.IGNORECASE),
                    f"<{tag}> is not allowed in a story",
                    _HINTS.get(tag, _TAG_HINT),
                )
            )
            return
        for name, value in attrs:
            problem = _attribute_problem(tag, name, value or "")
            if self.trainer and problem and not _runs_or_styles(name):
                problem = None  # reported below, as any attribute that is not content
            if not self.trainer and name in _NAMING_ATTRIBUTES and theme_name(value or ""):
                problem = (
                    f"the {name} '{value}' is one of the theme's own names",
                    "names starting with __ belong to the theme",
                )
            if problem:
                pattern = re.compile(rf"\b{re.escape(name)}\s*=", re.IGNORECASE)
                self.found.append((pattern, *problem))
            elif name in URL_ATTRIBUTES and not _url_allowed(value or ""):
                self.found.append((_url_pattern(value or ""), *_link_problem(value or "")))
            elif self.trainer and not content_attribute(tag, name, value or ""):
                if _made_by_markdown(tag, name, value or ""):
                    continue
                pattern = re.compile(rf"<[^>]*\s{re.escape(name)}\b", re.IGNORECASE)
                self.written_only.add(pattern)
                self.found.append(
                    (
                        pattern,
                        f"the {name}= attribute is not allowed in a story",
                        "a story's HTML may only say what it shows (href, src, alt, title...): "
                        "delete it",
                    )
                )

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _runs_or_styles(name: str) -> bool:
    return name.startswith("on") or name == "style"


def _made_by_markdown(tag: str, name: str, value: str) -> bool:
    """The attributes Markdown itself writes: a fenced block's language, an admonition's
    classes (a wrong type is reported at its line), a table column's alignment."""
    if name == "class":
        return (
            (tag == "code" and value.startswith("language-"))
            or (tag == "div" and value.startswith("admonition"))
            or (tag == "p" and value == "admonition-title")
        )
    return name == "style" and tag in ("td", "th")


def _attribute_problem(tag: str, name: str, value: str) -> tuple[str, str] | None:
    if name.startswith("on"):
        return (
            f"the {name}= attribute is not allowed in a story",
            "attributes that run code are removed; delete it",
        )
    if name == "style" and (
        "style" not in ATTRIBUTES.get(tag, ()) or not _only_allowed_properties(value)
    ):
        return ("the style= attribute is not allowed in a story", _HINTS["style"])
    allowed = (
        name in GENERIC_ATTRIBUTES
        or (name.startswith(tuple(GENERIC_PREFIXES)) and not _theme_hook(name))
        or name in ATTRIBUTES.get(tag, ())
        or value.lower() in ATTRIBUTE_VALUES.get(tag, {}).get(name, ())
    )
    if allowed:
        return None
    return (f"the {name}= attribute is not allowed on <{tag}>", "delete it")


def _only_allowed_properties(style: str) -> bool:
    names = [part.split(":", 1)[0].strip().lower() for part in style.split(";") if part.strip()]
    return all(name in STYLE_PROPERTIES for name in names)


def _squash(url: str) -> str:
    """Browsers ignore spaces and control characters inside a scheme (java\\tscript:)."""
    return _IGNORED_IN_URLS.sub("", url)


def _url_pattern(url: str) -> re.Pattern[str]:
    """Finds the line of a refused link: its scheme as written, e.g. 'javascript:'."""
    match = _SCHEME.match(_squash(url))
    scheme = match[1] if match else url.strip()
    return re.compile(r"[\s\x00-\x1f]*".join(re.escape(char) for char in scheme), re.IGNORECASE)


def _url_allowed(url: str) -> bool:
    match = _SCHEME.match(_squash(url))
    return match is None or match[1].lower() in URL_SCHEMES


_CODE_SPAN = re.compile(r"(`+).+?\1")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _without_code(lines: list[str]) -> list[str]:
    """The lines with code (shown as text, never run) blanked out, to find where markup is."""
    result: list[str] = []
    fence = ""
    indented = False
    previous_blank = True
    for line in lines:
        blank = not line.strip()
        opening = _FENCE.match(line)
        if fence:
            fence = "" if line.strip().startswith(fence) else fence
            result.append("")
        elif opening:
            fence = opening[1]
            result.append("")
        elif line.startswith(("    ", "\t")) and (previous_blank or indented):
            indented = True
            result.append("")
        else:
            indented = indented and blank
            result.append(_CODE_SPAN.sub("", line))
        previous_blank = blank
    return result


_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.DOTALL)


def without_comments(markdown: str) -> str:
    """The page without HTML comments outside code, as the plugin's cleaner removes them: a
    comment in a story is a note its trainer did not mean readers to see."""
    if "<!--" not in markdown:
        return markdown
    parts = re.split(
        r"(^ {0,3}(?:```|~~~).*?^ {0,3}(?:```|~~~)[^\n]*$)", markdown, flags=re.M | re.S
    )
    return "".join(
        part if index % 2 else _COMMENT.sub("", part) for index, part in enumerate(parts)
    )


def page_problems(pages: dict[str, str], sources: dict[str, Path]) -> list[Problem]:
    """What the cleaner would remove from whole generated pages, where texts from several
    files meet. `storybook export` hands pages to engines that clean nothing, so a page with
    any such finding is refused, at the file that made the page."""
    problems = []
    for uri, text in pages.items():
        for finding in find_unsafe_by_converting(text, trainer=False):
            problems.append(
                Problem(
                    sources.get(uri, Path(uri)),
                    1,
                    f"the page {uri} would hold something not allowed on a page: {finding.message}",
                    "it comes from texts put together on that page; " + finding.hint,
                )
            )
    return problems


# What a trainer's text may carry on its own HTML, at render and in `storybook check`: content
# only. Anything that names, styles or hooks an element (id, class, data-*, style, role,
# name, for, target, tabindex, aria-*, markdown) could pose as part of the theme or arm the
# site's scripts, so it never survives from a trainer's text. A checkbox or a radio button
# (type, checked, disabled) stays: stories use them as answer boxes.
CONTENT_ATTRIBUTES = frozenset(
    {"href", "src", "alt", "title", "cite", "datetime", "open", "colspan", "rowspan", "start",
     "reversed", "scope", "abbr", "lang", "dir"}
)  # fmt: skip
CONTENT_ATTRIBUTES_OF: dict[str, frozenset[str]] = {
    "input": frozenset({"type", "checked", "disabled"}),
}
# Material's admonition types; any other type would become a class of the trainer's choice.
ADMONITION_TYPES = (
    "note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger",
    "bug", "example", "quote",
)  # fmt: skip


def content_attribute(tag: str, name: str, value: str) -> bool:
    """Whether a trainer's HTML may keep this attribute: it says what the content is."""
    if name in CONTENT_ATTRIBUTES or name in CONTENT_ATTRIBUTES_OF.get(tag, ()):
        allowed = ATTRIBUTE_VALUES.get(tag, {}).get(name)
        return allowed is None or value.lower() in allowed
    return False


# Python-Markdown's own rules for a fenced block (fenced_code), an admonition's first line
# and a code span, so that what is taken as code here is code there too.
_FENCED_BLOCK = re.compile(
    r"(?P<fence>^(?:~{3,}|`{3,}))(?P<info>[^\n]*)\n(?P<code>.*?)(?<=\n)(?P=fence)[ ]*$",
    re.MULTILINE | re.DOTALL,
)
_FENCE_INFO = re.compile(r"[ ]*\.?[\w+-]*[ ]*")
_FENCE_LINE = re.compile(r"^(?=`{3,}|~{3,})(.)", re.MULTILINE)
_ADMONITION_LINE = re.compile(r"^([ \t]*(?:!!!|\?\?\?\+?) ?)([\w\-]+(?: +[\w\-]+)*)", re.MULTILINE)
_AUTOLINK = re.compile(
    r"<(?:(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp])://[^<>\s]*|[^<>\s!@]+@[^@<>\s]+)>"
)
_START_TAG = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9\-]*)"
    r"((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*(/?)>"
)
_ATTRIBUTE = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")
_END_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9\-]*)\s*>")
_BACKTICKS = re.compile(r"`+")
_SPECIAL = re.compile(r"[\\`<{}]")
_NEUTRAL = str.maketrans({"{": "&#123;", "}": "&#125;"})
# What :func:`neutralise` may change: without any of it a text is returned as it is
# (:func:`may_mark_up` tells it; this pattern is its reference in the tests).
_MAY_MARK_UP = re.compile(r"[{}<`]|~~~|!!!|\?\?\?")


def neutralise(text: str) -> str:
    """A trainer's Markdown as it is rendered: it can set no attribute. Outside code, braces
    become entities (no attribute list is ever read from it), each raw HTML tag keeps only its
    content attributes (anything else that starts like a tag is shown as text), admonitions
    keep Material's types, and a fence that is not closed in the same text is shown as text
    (it cannot pair with a fence elsewhere on the page). Code shows what was written."""
    if not may_mark_up(text):
        return text
    return _neutralised(text)


def may_mark_up(text: str) -> bool:
    """Whether ``text`` holds anything :func:`neutralise` acts on (``_MAY_MARK_UP``), found
    by ``in``, a fast pass over the text each, rather than by the pattern, which tries a
    match at every character: the bodies and long values of a 300-story build made that 14%
    of the storybook's own work. tests/test_lean_render.py holds the two equal."""
    return (
        "{" in text
        or "}" in text
        or "<" in text
        or "`" in text
        # A sign first, then the three (one quick pass for the sign, which prose seldom has).
        or ("~" in text and "~~~" in text)
        or ("!" in text and "!!!" in text)
        or ("?" in text and "???" in text)
    )


def _neutralised(text: str) -> str:
    """What :func:`neutralise` makes of any text, without its shortcut for plain text."""
    out: list[str] = []
    position = 0
    for block in _FENCED_BLOCK.finditer(text):
        # On the text's first line a fence may stand after a template's words, where
        # Markdown reads no fence: only later ones are taken as code.
        if block.start() == 0:
            continue
        out.append(_neutral_prose(text[position : block.start()]))
        info = block["info"]
        kept = info if _FENCE_INFO.fullmatch(info) else ""
        out.append(block["fence"] + kept + "\n" + block["code"] + block["fence"])
        position = block.end()
    out.append(_neutral_prose(text[position:]))
    return "".join(out)


def _neutral_prose(text: str) -> str:
    text = _neutral_lines(text)
    out: list[str] = []
    index, length = 0, len(text)
    while index < length:
        # Straight to the next character that matters: most of a story is plain words.
        special = _SPECIAL.search(text, index)
        if special is None:
            out.append(text[index:])
            break
        out.append(text[index : special.start()])
        index = special.start()
        char = text[index]
        if char == "\\" and index + 1 < length:
            following = text[index + 1]
            if following in "{}<":
                out.append(_neutral_char(following))
            else:
                out.append(text[index : index + 2])
            index += 2
        elif char == "`":
            run = _BACKTICKS.match(text, index)
            assert run is not None
            end = _code_span_end(text, run.end(), len(run[0]))
            if end is None:
                out.append(run[0])
                index = run.end()
            else:
                # Code shows braces as written; a tag in it is still rewritten, since inside
                # an HTML block Markdown reads no code span.
                out.append(_rewrite_tags(text[index:end]))
                index = end
        elif char == "<":
            piece, index = _neutral_angle(text, index)
            out.append(piece)
        else:
            out.append(_neutral_char(char))
            index += 1
    return "".join(out)


def _neutral_lines(text: str) -> str:
    """What :func:`_neutral_lines_slowly` makes of a text, its patterns tried only on a text
    that holds what they start with: each tries a match at every character, and the texts
    that are neutralised (most with a {{ value }} or a tag) seldom hold a fence or an
    admonition."""
    if "```" in text or "~~~" in text:
        text = _FENCE_LINE.sub(_neutral_fence, text)
    if "!!!" in text or "???" in text:
        text = _ADMONITION_LINE.sub(_known_admonition, text)
    return text


def _neutral_lines_slowly(text: str) -> str:
    """A line that starts a fence shown as text, an admonition's type made a known one."""
    text = _FENCE_LINE.sub(_neutral_fence, text)
    return _ADMONITION_LINE.sub(_known_admonition, text)


def _neutral_fence(match: re.Match[str]) -> str:
    return "&#96;" if match[1] == "`" else "&#126;"


def _neutral_char(char: str) -> str:
    if char == "<":
        return "&lt;"
    return char.translate(_NEUTRAL)


def _code_span_end(text: str, start: int, width: int) -> int | None:
    """Where a code span opened by ``width`` backticks before ``start`` ends: on the same
    line only, so that a span is never taken across a block that Markdown starts anew."""
    line_end = text.find("\n", start)
    stop = len(text) if line_end < 0 else line_end
    for run in _BACKTICKS.finditer(text, start, stop):
        if len(run[0]) == width:
            return run.end()
    return None


def _known_admonition(match: re.Match[str]) -> str:
    first = match[2].split()[0].lower()
    return match[1] + (first if first in ADMONITION_TYPES else "note")


def _neutral_angle(text: str, index: int) -> tuple[str, int]:
    """What stands at a ``<`` in a trainer's text: a tag rewritten, an autolink, or text."""
    if text.startswith("<!--", index):
        return "<!--", index + 4
    for pattern in (_AUTOLINK, _END_TAG):
        match = pattern.match(text, index)
        if match:
            return match[0].lower() if pattern is _END_TAG else match[0].translate(_NEUTRAL), (
                match.end()
            )
    match = _START_TAG.match(text, index)
    if match:
        return _rewritten_tag(match), match.end()
    return "&lt;", index + 1


def _rewrite_tags(text: str) -> str:
    return _START_TAG.sub(_rewritten_tag, text)


def _rewritten_tag(match: re.Match[str]) -> str:
    tag = match[1].lower()
    kept = []
    for attribute in _ATTRIBUTE.finditer(match[2]):
        name = attribute[1].lower()
        value = next((group for group in attribute.groups()[1:] if group is not None), None)
        if not content_attribute(tag, name, unescape(value or "")):
            continue
        if value is None:
            kept.append(f" {name}")
        else:
            escaped = html_escape(unescape(value), quote=True).translate(_NEUTRAL)
            kept.append(f' {name}="{escaped}"')
    return f"<{tag}{''.join(kept)}{' /' if match[3] else ''}>"

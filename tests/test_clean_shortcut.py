"""The cleaner's shortcut against the slow way: a page is cleaned without calling back into
Python for each attribute, and again with the call only when the cleaned page holds an
attribute the call could refuse. Whatever the page, the result is what the slow way gives."""

from __future__ import annotations

from hypothesis import event, given
from hypothesis import strategies as st

from storybook.core.safety import _clean_slowly, _cleaner, _filter_may_refuse, _theme_hook, clean

from .conftest import property_settings

PROPERTY = property_settings(times=3)

# Every attribute the filter looks at, in any case, and some it does not.
NAMES = [
    "id", "ID", "Id", "name", "NAME", "for", "For", "style", "STYLE", "Style", "data-md-x",
    "DATA-MD-Y", "data-Md-component", "data-mdx", "data-x", "data-md", "class", "href", "title",
    "lang", "xml:lang", "onclick", "aria-label", "tabindex", "type", "open", "idx", "xid",
    "styles", "data-\u212a", "\u0130d",
]  # fmt: skip
# A value: spaces of any kind, then what may start it with __ once decoded, then the rest.
SPACES = [
    " ", "\t", "\n", "\r", "\x0b", "\x0c", "\xa0", "\u2003", "\u3000", "\x1c", "\x85",
    "&nbsp;", "&#32;", "&#xA0;", "&#9",
]  # fmt: skip
STARTS = [
    "__", "_", "&#95;_", "_&#x5F;", "&lowbar;&UnderBar;", "&#0095;&#95", "x", "", "&amp;__",
    "text-align: left", "TEXT-ALIGN:right", "color: red", "text-align: left; color: red",
    "javascript:x", "#top", "../x/",
]  # fmt: skip
RESTS = ["", "config", "a b", '"', "'", ";", "=", "&quot;", ">", "é"]
TAGS = ["p", "a", "div", "span", "h2", "label", "input", "img", "script", "svg", "td", "th"]
TEXT = ["x", " ", "\n", "__", 'id="__', " style=", "data-md-", "&", "<", ">", "é", "😊"]


@st.composite
def _attribute(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(NAMES))
    value = "".join(
        [
            *draw(st.lists(st.sampled_from(SPACES), max_size=2)),
            draw(st.sampled_from(STARTS)),
            draw(st.sampled_from(RESTS)),
        ]
    )
    quote = draw(st.sampled_from(['"', '"', "'", ""]))
    if quote == "":
        return f" {name}={value.replace(' ', '').replace('>', '') or 'x'}"
    return f" {name}={quote}{value.replace(quote, '')}{quote}"


@st.composite
def _element(draw: st.DrawFn) -> str:
    tag = draw(st.sampled_from(TAGS))
    attributes = "".join(draw(st.lists(_attribute(), max_size=3)))
    inner = "".join(draw(st.lists(st.sampled_from(TEXT) | st.text(max_size=3), max_size=3)))
    element = f"<{tag}{attributes}>{inner}</{tag}>"
    # A table cell outside a table is dropped, and only cells may keep a style.
    return f"<table><tr>{element}</tr></table>" if tag in ("td", "th") else element


PAGES = st.lists(_element() | st.sampled_from(TEXT), max_size=8).map("".join)


@PROPERTY
@given(PAGES)
def test_clean_gives_what_the_slow_way_gives(page: str) -> None:
    unfiltered = _cleaner(filtered=False).clean(page)
    if _filter_may_refuse(unfiltered):
        event("cleaned again, with the filter")
    if unfiltered != _clean_slowly(page):
        event("the filter refused an attribute")
    assert clean(page) == _clean_slowly(page)


@PROPERTY
@given(st.text(max_size=12))
def test_a_theme_hook_is_told_by_its_first_letters_in_any_case(name: str) -> None:
    import re

    expected = re.match("data-md-", name, re.IGNORECASE) is not None
    assert _theme_hook(name) == expected
    assert _theme_hook("DATA-MD-" + name) and _theme_hook("data-Md-" + name)


def test_the_shortcut_is_taken_for_the_pages_a_build_makes() -> None:
    # Our own class names (storybook-card__meta), ids and table alignment are no reason to
    # clean again; what the filter refuses is.
    page = (
        '<h2 id="the-meeting">The meeting<a class="headerlink" href="#the-meeting">¶</a></h2>'
        '<p class="storybook-card__meta">4 min read · <a href="../tags/x/">Feedback</a></p>'
        '<label for="answer-1">Why?</label><input name="a_b" type="checkbox">'
    )
    assert not _filter_may_refuse(_cleaner(filtered=False).clean(page))
    for refused in (
        '<p id="__config">',
        '<p ID=" &#95;_x">',
        '<p id="&nbsp;__x">',
        '<a name="\t__x">',
        '<label for="__search">',
        '<p DATA-MD-state="x">',
        '<table><tr><td style="color: red">x</td></tr></table>',
    ):
        assert _filter_may_refuse(_cleaner(filtered=False).clean(refused)), refused
        assert clean(refused) != _cleaner(filtered=False).clean(refused), refused

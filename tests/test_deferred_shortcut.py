"""deferred_scripts puts the marks and the preloads in one go, found on the page as it is;
the slow way marks the page first and finds where the preloads go on the marked page.
Whatever the page, both give the same."""

from __future__ import annotations

from hypothesis import event, given
from hypothesis import strategies as st

from storybook.core.pageload import (
    _deferred_scripts_slowly,
    _waits,
    _waits_slowly,
    deferred_scripts,
)

from .conftest import property_settings

PROPERTY = property_settings(times=3)

PIECES = [
    "<html>", "<head>", "</head>", "</HEAD >", "</head\n>", "<body>", "</body>", "x", " ",
    "\n", "<script", "<SCRIPT", "<script>", "</script>", "</script >", "</SCRIPT>", ">",
    " src=\"a.js\"", " src='b.js'", ' src="assets/theme-scripts.js"', " src=a.js",
    " defer", " async", ' type="module"', " nomodule", "</head", "<script src=x</head>",
    "<script src=\"a.js\"></script>", "<script src=\"c.js\"></script>",
    '<script src="assets/theme-scripts.js"></script>', "<script>var x</script>",
    '<link rel="preload" as="script" href="a.js">', "é", "<",
]  # fmt: skip


SCRIPTS = [
    '<script src="a.js"></script>', "<script src='b.js'> </script >", "<SCRIPT SRC=\"c.js\"></SCRIPT>",
    '<script src="assets/theme-scripts.js"></script>', '<script defer src="d.js"></script>',
    '<script src="a.js" type="module"></script>', "<script>var x</script>",
    "<script src=x</head></script>", "<script src=\"x\"</head></script>", '<script src="e.js">\n</script>',
]  # fmt: skip
HEAD_ENDS = ["</head>", "</HEAD >", "</head\n>", "</head", ""]
PART = st.sampled_from(SCRIPTS) | st.sampled_from(PIECES) | st.text(max_size=2)


def _page(parts: tuple[list[str], str, list[str]]) -> str:
    head, head_end, body = parts
    return "<html><head>" + "".join(head) + head_end + "<body>" + "".join(body)


PAGES = st.tuples(
    st.lists(PART, max_size=10), st.sampled_from(HEAD_ENDS), st.lists(PART, max_size=10)
).map(_page)


@PROPERTY
@given(PAGES | st.lists(PART, max_size=24).map("".join))
def test_deferred_scripts_gives_what_its_slow_way_gives(page: str) -> None:
    expected = _deferred_scripts_slowly(page)
    if expected != page:
        event("scripts deferred")
    assert deferred_scripts(page) == expected


def test_a_script_tag_that_closes_the_head_is_left_to_the_slow_way() -> None:
    page = '<head><script src="a.js"></script><script src="x"</head></script><p>x</p></head>'
    assert deferred_scripts(page) == _deferred_scripts_slowly(page)


# The words that make a script wait, in any case, inside and beside other words and signs.
ATTRIBUTE_PIECES = [
    "defer", "DEFER", "Async", "a\u017fync", "type", "TYPE", "nomodule", "noModule", "=", '"', " ",
    "-", "_", "x", "s", "data-type", "typed", "é", "\u212a", "src=a.js",
]  # fmt: skip


@PROPERTY
@given(st.lists(st.sampled_from(ATTRIBUTE_PIECES) | st.text(max_size=2), max_size=12).map("".join))
def test_whether_a_script_waits_is_what_the_pattern_finds(attributes: str) -> None:
    expected = _waits_slowly(attributes)
    if expected:
        event("waits")
    assert _waits(attributes) == expected


def test_a_script_across_the_heads_end_is_not_one_of_the_heads() -> None:
    page = (
        '<head><script src="a.js"></script>'
        '<script type="module" src="assets/theme-scripts.js"</head></script><p>x</p></head>'
        '<body><script src="b.js"></script>'
    )
    assert deferred_scripts(page) == _deferred_scripts_slowly(page)


def test_a_page_whose_head_ends_inside_a_script_tag_is_left_as_it_was() -> None:
    page = '<head><script src="a.js"></script><script src="x"</head></script><body>'
    assert deferred_scripts(page) == page

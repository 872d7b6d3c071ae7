"""The load and render shortcuts against the slow way each stands in for: a body's word count,
a story's parts, a template's text under its size limit. Whatever the text, each gives exactly
what the slow way gives."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

import storybook.core.render as render
from storybook.core.model import Question
from storybook.core.pages import _tag_view_slowly, tag_view
from storybook.core.parts import _part_starts, _part_starts_slowly
from storybook.core.reading import _word_count_slowly, word_count
from storybook.core.safety import _MAY_MARK_UP, _neutralised, may_mark_up, neutralise
from storybook.core.vocabulary import Tag
from tests.test_fast_paths import MARKUP

from .conftest import property_settings

PROPERTY = property_settings()

# What a word count and a part split look at: words, apostrophes, markup the count leaves
# out, whitespace of every kind, letters and digits outside ASCII, headings and fences.
PIECES = [
    *MARKUP,
    "word", "don't", "it\u2019s", "'", "\u2019", "''", "_", "a_b", "3", "\u00b2", "\u0663",
    "\u00a0", "\u2003", "\u3000", "\x1c", "\t", "\u2028", "[a](x y)", "](", "{#id}", "{.c}",
    "{:", "<span class='x'>", "\u2014", "-", ".", ",", "\u4e00", "(", ")", "\"", "\u201c", ";",
    "## ", "##\t", "# ", " ```", "[", "]", "\\", "   ~~~", "    ```", "````", "## Title ##", "## T {#x}",
]  # fmt: skip
TEXTS = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=40).map("".join)


@PROPERTY
@given(TEXTS)
@example("don't stop, it\u2019s 3\u00b2 \u2014 <b>x</b> [a](y) {#z}")
@example("a''b '' _ \u00a0x\u3000y")
def test_word_count_counts_what_the_regular_expressions_count(text: str) -> None:
    event("only plain pieces" if all(p.isalnum() for p in text.split()) else "punctuation")
    assert word_count(text) == _word_count_slowly(text)


@PROPERTY
@given(TEXTS)
@example("intro\n## One\n```\n## not\n ```\n## Two ##\n~~~~\n```\n~~~~\n## Three {#t}\n")
def test_parts_start_where_trying_every_line_finds_them(text: str) -> None:
    lines = text.splitlines(keepends=True)
    assert _part_starts(lines) == _part_starts_slowly(lines)


CHUNKS = st.lists(st.text(max_size=8), max_size=20)


@PROPERTY
@given(CHUNKS, st.integers(min_value=0, max_value=100))
def test_a_template_limited_gives_its_text_or_stops_as_the_slow_way_does(
    chunks: list[str], limit: int
) -> None:
    template = jinja2.Environment().from_string("{% for chunk in chunks %}{{ chunk }}{% endfor %}")
    try:
        expected: str | int = render._limited_slowly(template, limit, {"chunks": chunks})
    except render._TooLarge as exc:
        expected = exc.limit
    if isinstance(expected, int):
        event("too large")
        with pytest.raises(render._TooLarge) as raised:
            render._limited(template, limit, {"chunks": chunks})
        assert raised.value.limit == expected
    else:
        assert render._limited(template, limit, {"chunks": chunks}) == expected


def test_a_template_limited_stops_at_the_chunk_past_the_limit() -> None:
    """A template that would make text without end is stopped, not run to its end."""
    made: list[int] = []

    def endless() -> object:
        while True:
            made.append(1)
            yield "x" * 10

    template = jinja2.Environment().from_string("{% for x in endless %}{{ x }}{% endfor %}")
    with pytest.raises(render._TooLarge):
        render._limited(template, 95, {"endless": endless()})
    assert len(made) == 10


@PROPERTY
@given(TEXTS)
@example("[x] a\\b ]")
def test_link_text_escapes_what_its_pattern_escapes(text: str) -> None:
    assert render.link_text(text) == render._link_text_slowly(text)


@PROPERTY
@given(TEXTS)
@example("x ~~ !! ?? y")
@example("??? note")
@example("!!! danger")
@example("~~~\ncode")
def test_a_text_is_made_neutral_as_neutralise_makes_it(text: str) -> None:
    """Text with a sign neutralise acts on is neutralised; any other is the text itself."""
    made = neutralise(text)
    assert may_mark_up(text) == (_MAY_MARK_UP.search(text) is not None)
    if not may_mark_up(text):
        event("returned as it is")
        assert made is text
    assert made == _neutralised(text)


SHORT = st.sampled_from(["", "a", "b", "Wellbeing", "{x}", "<b>"]) | st.text(max_size=4)
TAGS = st.builds(
    Tag,
    name=SHORT,
    kind=st.sampled_from(["themes", "moments", ""]) | SHORT,
    label=SHORT,
    description=SHORT,
    questions=st.lists(
        st.builds(Question, SHORT, st.just(Path("tags.yml")), st.integers(1, 9)), max_size=2
    ).map(tuple),
)


@PROPERTY
@given(st.lists(TAGS, max_size=6))
def test_a_tag_is_viewed_as_it_is_made_afresh_each_time(tags: list[Tag]) -> None:
    """Whatever tags came before (the same name with another label, say), each view is
    the tag's own, and a fresh dict: changing one changes no other page's."""
    for tag in tags:
        view = tag_view(tag)
        assert view == _tag_view_slowly(tag)
        view["label"] = "changed"
        assert tag_view(tag) == _tag_view_slowly(tag)

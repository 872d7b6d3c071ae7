"""The build's shortcuts against the slow way they stand in for: whatever the text, each gives
exactly what the slow way gives (the shortcuts are why a build of a few hundred stories costs
little more than plain MkDocs'; these tests are why they change nothing else)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st
from jinja2.runtime import LoopContext
from jinja2.sandbox import SandboxedEnvironment

from storybook.core.placeholders import (
    LEARNING_PATH,
    STORY,
    WORKSHOP,
    Placeholders,
    _placeholders_at,
    placeholder_problems,
)
from storybook.core.render import Renderer
from storybook.core.safety import _neutralised, neutralise
from storybook.core.yamlfile import Located

from .conftest import property_settings

PROPERTY = property_settings(times=3)

# Everything neutralise looks at, and plain words around it.
MARKUP = [
    "{", "}", "<", ">", "`", "``", "~", "~~", "~~~", "!", "!!", "!!!", "?", "??", "???",
    "\\", "\n", " ", "x", "note", "<em>", "</em>", "<b onclick=x>", "<!--", "{: .x }",
    "http://x", "<http://x>", "```", "\n```\n", "~~~\n", "!!! danger ", "??? note ",
    "&#123;", "é", "😊", "\r\n",
]  # fmt: skip


@PROPERTY
@given(st.lists(st.sampled_from(MARKUP) | st.text(max_size=3), max_size=30).map("".join))
def test_neutralise_gives_what_its_slow_way_gives(text: str) -> None:
    if neutralise(text) is text:
        event("plain text, returned as it is")
    assert neutralise(text) == _neutralised(text)


def _fragments(placeholders: Placeholders) -> list[str]:
    """Every example text of a scaffold, cut into words, and what surrounds them in a file."""
    words = [
        word
        for text in placeholders._known
        for word in [
            *text.split(),
            text,
            text.upper(),
            text.replace(" ", "\n"),
            text.replace(" ", "  \t"),
        ]
    ]
    return [*words, " ", "\n", "\n\n", ". ", "! ", "? ", "x", "Σ", "ß", "İ", "\u00a0", "\u2028"]


def _text(placeholders: Placeholders) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(_fragments(placeholders)), max_size=14).map("".join)


def _located(placeholders: Placeholders) -> st.SearchStrategy[Located]:
    fields = st.dictionaries(
        st.sampled_from(["summary", "title", "why", "reflection"]),
        _text(placeholders) | st.lists(_text(placeholders), max_size=3),
        max_size=3,
    )
    return fields.map(lambda data: Located(data, {(key,): 2 for key in data}))


@PROPERTY
@given(st.data(), st.sampled_from([STORY, WORKSHOP, LEARNING_PATH]))
def test_placeholder_problems_are_those_of_the_slow_way(
    data: st.DataObject, placeholders: Placeholders
) -> None:
    located = data.draw(_located(placeholders))
    body = data.draw(_text(placeholders))
    path = Path("story.md")
    fast = placeholder_problems(path, located, placeholders, body=body, body_line=5)
    slow = _placeholders_at(path, located, placeholders, body, 5, "")
    event("example text found" if slow else "none")
    assert fast == slow


LOOP_VALUES = ["index", "index0", "revindex", "revindex0", "first", "last", "length", "depth"]


@PROPERTY
@given(
    st.lists(st.integers(), max_size=5),
    st.integers(min_value=0, max_value=5),
    st.sampled_from([*LOOP_VALUES, "depth0", "previtem", "nextitem", "_after", "__class__"]),
)
def test_a_loop_value_is_what_the_sandbox_looks_up(
    items: list[int], steps: int, attribute: str
) -> None:
    """The renderer's sandbox reads loop.first, loop.index... directly; anything else of a
    loop still goes through Jinja's checks."""
    ours, jinjas = Renderer(Path(".")).env, SandboxedEnvironment()
    loops = [LoopContext(iter(items), ours.undefined) for _ in range(2)]
    for loop in loops:
        for _ in zip(range(steps), loop, strict=False):
            pass
    assert repr(ours.getattr(loops[0], attribute)) == repr(jinjas.getattr(loops[1], attribute))

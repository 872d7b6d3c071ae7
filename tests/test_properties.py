"""Property tests: whatever a file holds, loading it gives a story or the storybook's error type.

Anything else escaping the pipeline (a KeyError, a RecursionError, ...) would be a traceback for
a trainer, and under `mkdocs serve` a rebuild that raises stalls every request in the room.
"""

from __future__ import annotations

import datetime
import html
import tempfile
from pathlib import Path
from typing import Any

import jinja2
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st
from jinja2.sandbox import SandboxedEnvironment

from storybook.core.errors import Problem, StorybookError
from storybook.core.load import load_story
from storybook.core.model import FIELD_NAMES, Question, Story
from storybook.core.pages import front_matter, render_story_page
from storybook.core.render import Renderer
from storybook.core.safety import (
    find_unsafe,
    find_unsafe_by_converting,
    may_make_markup,
    neutralise,
)
from storybook.core.validate import validate_story
from storybook.core.vocabulary import load_vocabulary
from storybook.core.yamlfile import SafeLoader, parse_yaml

from .conftest import ROOT, property_settings

VOCABULARY = load_vocabulary(ROOT / "templates")
RENDERER = Renderer(ROOT / "templates")
FOLDER = Path(tempfile.mkdtemp(prefix="storybook-properties-"))
PROPERTY = property_settings()

# Pieces that YAML, Markdown, HTML and Jinja give meaning to, to build nasty front matter from.
TOKENS = [
    *(f"{name}:" for name in FIELD_NAMES),
    *"\n\n\n   \t:-[]{}\"'&*!|>#%@`,?\\<>=/",
    "---", "- ", "&a ", "*a", "!!python/name:os.system", "!!binary ", "{{", "}}", "{%", "%}",
    "<script>", "</div>", "<img onerror=x>", "javascript:", "wellbeing", "coaching", "\r\n",
    "\ufeff", "\x00", "é", "😊", "0x1F", "2024-01-01", "null", "~", "yes", ".inf", "<<: ",
]  # fmt: skip


def outcome(content: bytes) -> Story | None:
    """Load and validate one file; fail the test on anything but a Story or StorybookError."""
    path = FOLDER / "story.md"
    path.write_bytes(content)
    try:
        story = validate_story(load_story(path), VOCABULARY)
    except StorybookError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert isinstance(problem, Problem) and problem.path == path and problem.line >= 1
            assert problem.message and problem.hint, problem
        return None
    assert isinstance(story, Story)
    event("a story")
    return story


def front_matter_file(front: str, body: str = "Body.\n") -> bytes:
    return f"---\n{front}\n---\n{body}".encode()


yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text()
    | st.dates()
    | st.sampled_from(["wellbeing", "coaching", "{{ story.title }}", "{{ story.nope }}"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8) | st.integers(), inner, max_size=4)
    ),
    max_leaves=12,
)


@PROPERTY
@given(st.text())
def test_any_text_gives_a_story_or_problems(text: str) -> None:
    outcome(text.encode("utf-8"))


@PROPERTY
@given(st.binary())
def test_any_bytes_give_a_story_or_problems(content: bytes) -> None:
    outcome(content)


@PROPERTY
@given(st.lists(st.sampled_from(TOKENS) | st.text(max_size=3), max_size=40).map("".join))
def test_any_front_matter_text_gives_a_story_or_problems(front: str) -> None:
    outcome(front_matter_file(front))


@PROPERTY
@given(
    changes=st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=10), yaml_values),
    dropped=st.sets(st.sampled_from(FIELD_NAMES)),
)
def test_any_front_matter_data_gives_a_story_or_problems(
    changes: dict[Any, Any], dropped: set[str]
) -> None:
    # Start from a valid story so that some changes still give one.
    data: dict[Any, Any] = {
        "title": "T",
        "summary": "S",
        "tags": ["wellbeing"],
        "reflection": ["What happened to {{ story.title }}?"],
    }
    data.update(changes)
    for name in dropped:
        data.pop(name, None)
    outcome(front_matter_file(yaml.safe_dump(data, allow_unicode=True)))


@PROPERTY
@given(
    body=st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=30).map("".join),
    question=st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=10).map("".join),
)
def test_any_body_and_question_give_a_page_or_problems(body: str, question: str) -> None:
    front = yaml.safe_dump(
        {
            "title": "T",
            "summary": "S",
            "tags": ["wellbeing"],
            "reflection": [question],
            "protagonist": "Sam",
        },
        allow_unicode=True,
    )
    story = outcome(front_matter_file(front, body))
    if story is None:
        return
    try:
        page = render_story_page(story, VOCABULARY, RENDERER)
    except StorybookError as exc:
        assert all(problem.hint for problem in exc.problems)
        return
    event("a page")
    assert page.content.startswith("---\n")


# Pieces Markdown makes elements and attributes from (inline elements, links, attribute lists,
# block starts), so that a risky pair is only two or three draws away.
MARKUP = [
    "*x*", "**x**", "_x_", "`x`", "[x]", "![x]", "(javascript:alert(1))", "(y)", "[y]", "[]",
    ": javascript:alert(1)", "{: onclick }", "{ onclick }", "{#x .y}", "{: style=a }",
    "{{ onclick }}", "{{ story.title }}", "{% onclick %}", "{# x #}", "{", "}", "{{", "}}", ":",
    " ", "  \n", "\n", "\n\n", "    ", "# ", "- ", "1. ", "| ", " |", "|---|---|\n", "> ",
    "!!! note ", "```", "~~~", "x", "=", '"', "\\", "&#123;", "data-md-x",
    # Tags kept whatever surrounds them, and pieces to build others around them from.
    "<cite>", "</cite>", "<em>", "</kbd>", "<", ">", "/", "script", " onclick=x", "<!--", "-->",
    "http://x", "cite", "&lt;",
]  # fmt: skip


@settings(PROPERTY, max_examples=PROPERTY.max_examples * 10)
@given(st.lists(st.sampled_from(MARKUP), max_size=24).map("".join))
def test_a_text_without_signs_of_markup_makes_none(text: str) -> None:
    """find_unsafe skips converting texts that cannot make markup; it must never skip one
    that can, or check would let through what the page cleaner later removes unsaid."""
    if may_make_markup(text):
        event("converted")
        return
    assert find_unsafe_by_converting(text) == [], text


@PROPERTY
@given(
    st.lists(st.sampled_from(TOKENS) | st.text(max_size=3), max_size=40).map("".join)
    | yaml_values.map(lambda value: yaml.safe_dump(value, allow_unicode=True))
)
def test_front_matter_is_read_as_pyyaml_reads_it(text: str) -> None:
    """parse_yaml builds text, lists and mappings itself; the data must be PyYAML's."""
    try:
        ours = parse_yaml(text, FOLDER / "story.md").data
    except StorybookError:
        event("refused")
        return
    assert repr(ours) == repr(yaml.load(text, Loader=SafeLoader))


TRICKY_TEXT = st.text(
    st.sampled_from("\\\"'\t\n\r:#&<>{}[]-é😊\x85\u2028\ufeff\x7f ab")
    | st.characters(codec="utf-8")
)


@PROPERTY
@given(TRICKY_TEXT, TRICKY_TEXT)
def test_page_front_matter_gives_back_the_escaped_texts(title: str, description: str) -> None:
    written = front_matter(title, description)
    assert written.startswith("---\n") and written.endswith("\n---\n\n")
    # MkDocs reads it with PyYAML's pure-Python loader.
    read = yaml.load(written[4:-5], Loader=yaml.SafeLoader)
    assert read == {"title": html.escape(title), "description": html.escape(description)}


QUESTION_PIECES = [
    "{{ story.title }}", "{{story.protagonist}}", "{{  story.slug  }}", "{{ story.tags }}",
    "{{ story.nope }}", "{{- story.title }}", "{{ story.title|upper }}", "{% if true %}",
    "{% endif %}", "{# note #}", "{", "}", "{{", "}}", "%}", "#}", " ", "\n", "\r\n", "\r",
    "  ", "What", "?", "story.title",
]  # fmt: skip
JINJA = SandboxedEnvironment(
    undefined=jinja2.StrictUndefined,
    autoescape=False,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


@PROPERTY
@given(
    template=st.lists(st.sampled_from(QUESTION_PIECES), max_size=12).map("".join),
    title=st.sampled_from(["T", " {{ x }} ", "A\r\nB", ""]) | st.text(max_size=8),
    protagonist=st.none() | st.sampled_from(["Lena", "{% x %}", " "]),
)
def test_questions_are_filled_in_as_jinja_would(
    template: str, title: str, protagonist: str | None
) -> None:
    """Most questions are filled in without Jinja; the result must be exactly Jinja's, or
    refused where Jinja's would hold markup the cleaner removes (a title such as '<img')."""
    story = Story(
        path=FOLDER / "story.md", slug_line=1, title=title, summary="S", tags=("wellbeing",),
        reflection=(), slug="s", body="", body_line=1, protagonist=protagonist,
    )  # fmt: skip
    try:
        expected: str | None = JINJA.from_string(template).render(story=story.fields()).strip()
    except jinja2.TemplateError:
        expected = None
    if expected is not None and find_unsafe(expected):
        expected = None
    # Either way the filled-in question is neutralised whole (see safety.neutralise).
    expected = None if expected is None else neutralise(expected)
    try:
        got: str | None = RENDERER.render_question(Question(template, story.path, 1), story)
    except StorybookError:
        got = None
    assert got == expected


def test_dates_and_numbers_in_text_fields_are_reported_not_crashed() -> None:
    # A regression seed: YAML turns these into dates and numbers, not text.
    data = {"title": datetime.date(2024, 1, 1), "summary": 3.5, "tags": [1], "reflection": [None]}
    assert outcome(front_matter_file(yaml.safe_dump(data))) is None

"""What a build remembers of the texts it meets against working each out again: a question
filled in, a value a template prints, a question's content words. Whatever the text, and
however often it comes back, the remembered answer is the one worked out afresh."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import event, example, given
from hypothesis import strategies as st
from markupsafe import Markup

import storybook.core.reading as reading
import storybook.core.render as render
from storybook.core.errors import StorybookError
from storybook.core.model import Question, Story
from storybook.core.render import Renderer
from storybook.core.safety import neutralise
from tests.test_fast_paths import MARKUP
from tests.test_render import STORY as RENDER_STORY

from .conftest import property_settings

STORY = dataclasses.replace(RENDER_STORY, body="Body")
OTHER = dataclasses.replace(
    STORY, path=Path("stories/t.md"), slug="t", title="Words <b>", protagonist="Sam {x}"
)

PROPERTY = property_settings()

TEXTS = st.lists(
    st.sampled_from(
        [*MARKUP, "{{ story.title }}", "{{ story.protagonist }}", "<script>", "'s", "words"]
    )
    | st.text(max_size=3),
    max_size=12,
).map("".join)


def _afresh(renderer: Renderer, question: Question, story: Story) -> str | list[object]:
    """The question filled in with nothing remembered, or the problems it raises."""
    renderer._harmless.clear()
    render._simple_parts.cache_clear()
    return _asked(renderer, question, story)


def _asked(renderer: Renderer, question: Question, story: Story) -> str | list[object]:
    try:
        return renderer.render_question(question, story)
    except StorybookError as exc:
        return list(exc.problems)


@PROPERTY
@given(TEXTS, st.sampled_from([STORY, OTHER]))
@example("What did {{ story.protagonist }} need?", STORY)
def test_a_question_asked_again_reads_as_when_first_asked(text: str, story: Story) -> None:
    renderer = Renderer(Path("."))
    question = Question(text, Path("templates/tags.yml"), 4)
    expected = _afresh(renderer, question, story)
    # Asked of another story first: remembered from there, or refused there too.
    other = OTHER if story is STORY else STORY
    assert _asked(renderer, question, other) == _afresh(renderer, question, other)
    event("refused" if isinstance(expected, list) else "filled in")
    assert _asked(renderer, question, story) == expected
    assert _asked(renderer, question, story) == expected


@PROPERTY
@given(TEXTS)
def test_a_value_printed_again_is_neutralised_as_the_first_time(text: str) -> None:
    remembered = render._Remembered(32_768)
    first = render._neutral_value(remembered, text)
    assert first == neutralise(text)
    assert render._neutral_value(remembered, text) == first
    assert render._neutral_value(remembered, Markup(text)) == Markup(text)


class _Shouting(str):
    def __str__(self) -> str:
        return self.upper()


def test_a_text_of_another_kind_is_not_taken_for_an_equal_plain_one() -> None:
    remembered = render._Remembered(32_768)
    render._neutral_value(remembered, "quiet words")
    printed = render._neutral_value(remembered, _Shouting("quiet words"))
    assert str(printed) == "QUIET WORDS"


@PROPERTY
@given(
    st.lists(TEXTS, max_size=4).map(" ".join),
    st.lists(st.sampled_from(["title", "dana", "the", "words", "word"]), max_size=3),
)
@example("Words, words", ["word"])
def test_content_words_are_found_as_word_by_word(text: str, ignore: list[str]) -> None:
    ignored = frozenset(ignore)
    assert reading.content_words(text, ignored) == reading._content_words_slowly(text, ignored)
    assert reading.content_words(text) == reading._content_words_slowly(text)


def test_remembered_texts_are_forgotten_past_their_bound() -> None:
    remembered = render._Remembered(2)
    for text in ("a", "b", "c"):
        remembered.remember(text, text.upper())
    assert remembered == {"c": "C"}


def test_a_long_text_printed_is_neutralised_but_not_kept() -> None:
    # A story's body is printed once on its page: keeping it would hold every story in memory.
    body = "She missed the quarter again. " * 100
    short = "A tag's label"
    remembered = render._Remembered(32_768)
    printed = render._neutral_value(remembered, body)
    render._neutral_value(remembered, short)
    assert printed == neutralise(body)
    assert short in remembered
    assert body not in remembered


def test_what_a_renderer_remembers_is_its_own() -> None:
    # A text another renderer (another build, or settings since changed) found harmless is
    # checked again: nothing remembered outlives the renderer that worked it out.
    question = Question("What did {{ story.protagonist }} need?", Path("templates/tags.yml"), 4)
    first, second = Renderer(Path(".")), Renderer(Path("."))
    first.render_question(question, STORY)
    assert first._harmless and not second._harmless
    first.env.finalize("A tag's label")  # type: ignore[misc]
    assert "A tag's label" in first._printed and not second._printed

"""A filled-in question is printed on its story's page: the renderer remembers, for the
pages' finalize, only texts that neutralise leaves as they are, so whatever the question and
story, everything remembered prints as neutralising it afresh prints it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import event, example, given
from hypothesis import strategies as st

import storybook.core.render as render
from storybook.core.errors import StorybookError
from storybook.core.model import Question
from storybook.core.render import Renderer
from storybook.core.safety import neutralise
from tests.test_remembered_texts import STORY, TEXTS

from .conftest import property_settings

PROPERTY = property_settings()


@PROPERTY
@given(st.lists(TEXTS, min_size=1, max_size=4), TEXTS)
@example(["What would {{ story.title }} change?"], "<cite>A &amp; B</cite>")
@example(["Ask {x} of {{ story.title }}", "{% if true %}~~~\n{% endif %}"], "!!! note")
def test_what_a_question_leaves_remembered_prints_as_neutralise_prints_it(
    questions: list[str], title: str
) -> None:
    renderer = Renderer(Path("absent"))
    story = dataclasses.replace(STORY, title=title)
    for line, template in enumerate(questions, 1):
        try:
            renderer.render_question(Question(template, story.path, line), story)
        except StorybookError:
            event("a question with problems")
    for text, printed in renderer._printed.items():
        assert printed == neutralise(text)
    printing = renderer.env.from_string("{% for q in texts %}{{ q }}|{% endfor %}")
    texts = list(renderer._printed)
    assert printing.render(texts=texts) == "".join(neutralise(text) + "|" for text in texts)


def test_a_plain_question_is_printed_without_being_neutralised_again() -> None:
    renderer = Renderer(Path("absent"))
    asked = renderer.render_question(Question("Why {{ story.title }}?", STORY.path, 1), STORY)
    assert renderer._printed[asked] is asked
    assert render._neutral_value(renderer._printed, asked) is asked

"""A story's card in the lists of stories is made once for each root and printed again:
whatever the stories, and whatever a template changes in them between two lists, every card
is what making it afresh gives, and a list is what the cards written inline in it made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from storybook.core.defaults import DEFAULT_TEMPLATES
from storybook.core.errors import StorybookError
from storybook.core.render import Renderer

from .conftest import property_settings

PROPERTY = property_settings(default=200)
# story-list.md.j2 as it was when it wrote each card itself.
INLINE = (Path(__file__).parent / "data" / "story-list-inline.md.j2").read_text(encoding="utf-8")

TEXT = st.sampled_from(["", "A title", "x [y]", "<b>", '"q"', "{: .x }", "Wellbeing"]) | st.text(
    max_size=5
)
TAG = st.fixed_dictionaries(
    {"name": TEXT, "kind": st.sampled_from(["themes", "moments"]), "label": TEXT}
)
VIEW = st.fixed_dictionaries(
    {
        "title": TEXT,
        "summary": TEXT,
        "uri": st.sampled_from(["stories/a.md", "stories/b.md"]),
        "draft": st.booleans(),
        "reading_minutes": st.integers(1, 30),
        "tags": st.lists(TAG, max_size=3),
        "content_notes": st.lists(st.fixed_dictionaries({"label": TEXT}), max_size=2),
    }
)
ROOT = st.sampled_from(["", "../", "../../"])
# What a template may do to a story's view between two lists: every way it can change it.
CHANGES = [
    "{{ story.update(title=text) or '' }}",
    "{{ dict.update(story, summary=text) or '' }}",
    "{{ story.tags.append({'name': text, 'kind': 'themes', 'label': text}) or '' }}",
    "{{ story.content_notes.clear() or '' }}",
    "{% set was = story.pop('draft') %}{{ story.setdefault('draft', not was) and '' }}",
]
STEPS = st.lists(
    st.tuples(st.integers(0, 2), ROOT, st.none() | st.sampled_from(CHANGES), TEXT), max_size=12
)


@PROPERTY
@given(st.lists(VIEW, min_size=3, max_size=3), STEPS)
def test_each_card_is_what_making_it_afresh_gives(
    views: list[dict[str, Any]], steps: list[tuple[int, str, str | None, str]]
) -> None:
    renderer = Renderer(DEFAULT_TEMPLATES)
    for index, root, change, text in steps:
        story = views[index]
        if change is not None:
            event("a template changed a view")
            renderer.env.from_string(change).render(story=story, text=text)
        assert renderer.story_card(story, root) == renderer._story_card_slowly(story, root)


@PROPERTY
@given(st.lists(VIEW, max_size=4), ROOT)
def test_a_list_is_what_writing_each_card_inline_made(
    views: list[dict[str, Any]], root: str
) -> None:
    renderer = Renderer(DEFAULT_TEMPLATES)
    context = {"stories": views, "root": root, "pager": None}
    for _ in range(2):  # made, then printed again
        listed = renderer.render_template("story-list.md.j2", **context)
        assert listed == renderer.env.from_string(INLINE).render(**context)


def test_a_card_a_template_changed_is_made_again() -> None:
    renderer = Renderer(DEFAULT_TEMPLATES)
    story = {"title": "Before", "summary": "", "uri": "s.md", "draft": False}
    story |= {"reading_minutes": 1, "tags": [], "content_notes": []}
    assert "Before" in renderer.story_card(story, "")
    renderer.env.from_string("{{ story.update(title='After') or '' }}").render(story=story)
    assert "After" in renderer.story_card(story, "")


def test_a_projects_own_card_is_printed_and_its_mistakes_said_at_its_line(
    tmp_path: Path,
) -> None:
    (tmp_path / "story-card.md.j2").write_text("CARD {{ story.title }}\n", encoding="utf-8")
    renderer = Renderer(tmp_path)
    context = {"stories": [{"title": "One"}, {"title": "Two"}], "root": "", "pager": None}
    listed = renderer.render_template("story-list.md.j2", **context)
    assert "CARD One\nCARD Two\n" in listed
    (tmp_path / "story-card.md.j2").write_text("\n{{ story.nope }}\n", encoding="utf-8")
    with pytest.raises(StorybookError) as raised:
        Renderer(tmp_path).render_template("story-list.md.j2", **context)
    (problem,) = raised.value.problems
    assert (problem.path, problem.line) == (tmp_path / "story-card.md.j2", 2)
    assert "'nope' is not defined here" in problem.message

"""A slip in a project's story-card.md.j2 is told with what a card can use: the story's view
(story.uri, story.draft, story.reading_minutes...) and root, never the few fields a
reflection question may use (the hint for questions, which a card's ``story`` set off)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storybook.core.errors import StorybookError
from storybook.core.render import Renderer

VIEW = {"title": "A story", "summary": "What happens.", "uri": "stories/a.md", "draft": False}
VIEW |= {"reading_minutes": 3, "tags": [], "content_notes": []}


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("{{ story.url }}", "did you mean 'story.uri'?"),
        ("{{ story.drafted }}", "did you mean 'story.draft'?"),
        ("{{ story.reading_minute }}", "did you mean 'story.reading_minutes'?"),
        ("{{ stroy.title }}", "did you mean 'story'?"),
        ("{{ story.colour }}", "this template can use root, story"),
    ],
)
def test_a_slip_in_a_card_is_told_with_what_a_card_can_use(
    tmp_path: Path, written: str, hint: str
) -> None:
    (tmp_path / "story-card.md.j2").write_text(f"<div>\n{written}\n</div>\n", encoding="utf-8")
    with pytest.raises(StorybookError) as raised:
        Renderer(tmp_path).render_template("story-list.md.j2", stories=[VIEW], root="", pager=None)
    (problem,) = raised.value.problems
    assert (problem.path, problem.line) == (tmp_path / "story-card.md.j2", 2)
    assert problem.hint == hint


def test_a_long_slip_is_not_weighed_against_long_keys(tmp_path: Path) -> None:
    # A template's own dict may have any keys: weighing texts of thousands of characters
    # against each other took seconds, after the template's time limit, to print one back.
    long_key = "".join(chr(ord("a") + (number * 7) % 26) for number in range(5_000))
    slip = long_key[:-1] + "z"
    card = f"<div>\n{{{{ story['{slip}'] }}}}\n</div>\n"
    (tmp_path / "story-card.md.j2").write_text(card, encoding="utf-8")
    story = {**VIEW, long_key: "x"}
    with pytest.raises(StorybookError) as raised:
        Renderer(tmp_path).render_template("story-list.md.j2", stories=[story], root="", pager=None)
    (problem,) = raised.value.problems
    assert problem.hint == "this template can use root, story"

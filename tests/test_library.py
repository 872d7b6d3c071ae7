from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from storybook.core.library import load_library

from .conftest import ROOT, story_text


def test_sample_library_is_clean_and_every_story_asks_at_least_three_questions() -> None:
    library = load_library(ROOT / "stories", ROOT / "templates")
    assert library.problems == []
    assert len(library.published) >= 6
    assert "the-quiet-slump" in {story.slug for story in library.published}
    for story in library.stories:
        assert len(story.reflection) >= 3, story.path


def test_problems_of_every_file_are_collected_and_good_stories_kept(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project(
        {"good.md": story_text(), "bad.md": story_text(tags="[nope]"), "worse.md": ""}
    )
    library = load_library(project / "stories", project / "templates")
    assert [story.slug for story in library.stories] == ["good"]
    assert sorted(p.path.name for p in library.problems) == ["bad.md", "worse.md"]

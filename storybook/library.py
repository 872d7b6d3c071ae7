"""Load and validate every story of a library, collecting all problems at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from storybook.errors import Problem, StorybookError
from storybook.load import find_story_files, load_story
from storybook.model import Story
from storybook.validate import check_unique_slugs, validate_story
from storybook.vocabulary import Vocabulary, load_vocabulary


@dataclass
class Library:
    """Every valid story (drafts included) and every problem found on the way."""

    stories_dir: Path
    templates_dir: Path
    vocabulary: Vocabulary | None
    stories: list[Story] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def published(self) -> list[Story]:
        return [story for story in self.stories if not story.draft]


def load_library(stories_dir: Path, templates_dir: Path) -> Library:
    try:
        vocabulary = load_vocabulary(templates_dir)
    except StorybookError as exc:
        return Library(stories_dir, templates_dir, None, problems=exc.problems)
    library = Library(stories_dir, templates_dir, vocabulary)
    for path in find_story_files(stories_dir):
        try:
            library.stories.append(validate_story(load_story(path), vocabulary))
        except StorybookError as exc:
            library.problems.extend(exc.problems)
    library.problems.extend(check_unique_slugs(library.stories))
    return library

"""Load and validate every story of a library, collecting all problems at once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from storybook.core.errors import Problem, StorybookError
from storybook.core.load import load_story, scan_stories_folder
from storybook.core.model import FACILITATOR_FIELDS, Story
from storybook.core.private import declares_draft, mark_private
from storybook.core.validate import check_unique_slugs, validate_story
from storybook.core.vocabulary import Vocabulary, load_vocabulary


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


def read_story(path: Path, vocabulary: Vocabulary) -> Story:
    """One story file, loaded and validated; raises StorybookError with every problem."""
    return validate_story(load_story(path), vocabulary)


def load_library(
    stories_dir: Path,
    templates_dir: Path,
    fallback: Mapping[Path, Story] | None = None,
    *,
    read: Callable[[Path, Vocabulary], Story] = read_story,
    scan: Callable[[Path], tuple[list[Path], list[Problem]]] = scan_stories_folder,
) -> Library:
    """Every story in ``stories_dir``. A story that is broken now is replaced by its version in
    ``fallback`` (the last good one, under ``mkdocs serve``), its problems still reported.
    ``read`` loads and validates one file, ``scan`` finds the story files (a cache may stand
    in for :func:`read_story` and :func:`scan_stories_folder`)."""
    try:
        vocabulary = load_vocabulary(templates_dir)
    except StorybookError as exc:
        return Library(stories_dir, templates_dir, None, problems=exc.problems)
    library = Library(stories_dir, templates_dir, vocabulary)
    if not stories_dir.is_dir():
        library.problems.append(
            Problem(
                stories_dir,
                1,
                "the stories folder is missing",
                "restore it, or set stories_dir in mkdocs.yml to the folder that holds the stories",
            )
        )
        return library
    story_files, skipped = scan(stories_dir)
    for path in story_files:
        try:
            library.stories.append(read(path, vocabulary))
        except StorybookError as exc:
            library.problems.extend(
                mark_private(exc.problems, path, FACILITATOR_FIELDS, drafts=True)
            )
            last_good = (fallback or {}).get(path)
            # A story made a draft is withdrawn at once, even if it is broken too.
            if (
                last_good is not None
                and all(tag in vocabulary.tags for tag in last_good.tags)
                and not declares_draft(path)
            ):
                library.stories.append(last_good)
    library.problems.extend(check_unique_slugs(library.stories))
    library.problems.extend(skipped)
    return library

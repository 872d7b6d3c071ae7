"""Coverage: which published stories carry each theme and moment, and the warnings that keep
the library balanced.

Warnings never fail a check or a build: a library is unbalanced while trainers are still
writing it. They say where the gap is, as ``file:line: what - how to fix it``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storybook.core.defaults import DEFAULT_TEMPLATES
from storybook.core.errors import Problem
from storybook.core.load import read_text
from storybook.core.model import Story
from storybook.core.vocabulary import KINDS, Tag, Vocabulary
from storybook.core.yamlfile import parse_yaml

MAX_OWN_QUESTIONS = 7
# In a library this small every tag is on half of it; crowding starts to mean something after.
CROWDING_FROM = 4
MOMENTS = "moments"


@dataclass(frozen=True)
class TagCoverage:
    """One tag and the published stories that carry it, by title."""

    tag: Tag
    stories: tuple[Story, ...]


@dataclass(frozen=True)
class Coverage:
    """The published library against the vocabulary, one list of tags per kind."""

    stories: tuple[Story, ...]
    kinds: dict[str, tuple[TagCoverage, ...]]

    def uncovered(self, kind: str) -> list[Tag]:
        return [row.tag for row in self.kinds.get(kind, ()) if not row.stories]

    def crowded(self) -> list[TagCoverage]:
        """Tags on more than half of the library: they no longer tell stories apart."""
        if len(self.stories) < CROWDING_FROM:
            return []
        half = len(self.stories) / 2
        return [row for rows in self.kinds.values() for row in rows if len(row.stories) > half]


def coverage(vocabulary: Vocabulary, stories: Sequence[Story]) -> Coverage:
    published = tuple(sorted((s for s in stories if not s.draft), key=lambda s: s.title.casefold()))
    kinds = {
        kind: tuple(
            TagCoverage(tag, tuple(s for s in published if tag.name in s.tags))
            for tag in vocabulary.by_kind(kind)
        )
        for kind in KINDS
    }
    return Coverage(published, kinds)


def coverage_warnings(vocabulary: Vocabulary, stories: Sequence[Story]) -> list[Problem]:
    """A moment no story covers, a tag on more than half of the library, a story asking more
    than seven questions of its own. Empty when the library is balanced."""
    found = coverage(vocabulary, stories)
    lines = _tag_lines(vocabulary)
    warnings = _moment_gaps(vocabulary, found.uncovered(MOMENTS), lines)
    total = len(found.stories)
    warnings += [
        Problem(
            vocabulary.path,
            lines.get(row.tag.name, 1),
            f"'{row.tag.name}' is on {len(row.stories)} of {total} stories, more than half",
            "keep it on the stories where it is central, so that it still tells stories apart",
        )
        for row in found.crowded()
    ]
    warnings += [
        Problem(
            story.path,
            story.all_questions[MAX_OWN_QUESTIONS].line,
            f"the story asks {len(story.all_questions)} questions of its own, more than "
            f"{MAX_OWN_QUESTIONS}",
            "keep the five or so that matter most; its tags add their own questions",
        )
        for story in found.stories
        if len(story.all_questions) > MAX_OWN_QUESTIONS
    ]
    return sorted(warnings, key=lambda warning: (str(warning.path), warning.line))


def _moment_gaps(
    vocabulary: Vocabulary, uncovered: list[Tag], lines: dict[str, int]
) -> list[Problem]:
    """A warning at each moment of the project's own vocabulary that no story covers. The
    storybook's own vocabulary is not the trainer's to edit: its gaps are one warning, which
    says how to make it theirs (a new storybook has one story and dozens of gaps)."""
    if not uncovered:
        return []
    if vocabulary.path.resolve().is_relative_to(DEFAULT_TEMPLATES):
        names = ", ".join(tag.name for tag in uncovered)
        return [
            Problem(
                vocabulary.path,
                lines.get(uncovered[0].name, 1),
                f"{len(uncovered)} of the storybook's moments have no published story yet: {names}",
                "write stories for them; to drop the moments this storybook does not need, "
                "copy the vocabulary with `storybook templates --copy tags.yml` and remove "
                "them there",
            )
        ]
    return [
        Problem(
            vocabulary.path,
            lines.get(tag.name, 1),
            f"no published story has the moment '{tag.name}'",
            "write one, tag an existing story that fits, or remove the moment",
        )
        for tag in uncovered
    ]


def _tag_lines(vocabulary: Vocabulary) -> dict[str, int]:
    """Where each tag is declared in tags.yml, for warnings a trainer can jump to."""
    located = parse_yaml(read_text(vocabulary.path, what="vocabulary"), vocabulary.path)
    return {
        tag.name: located.key_line(kind, tag.name)
        for kind in KINDS
        for tag in vocabulary.by_kind(kind)
    }

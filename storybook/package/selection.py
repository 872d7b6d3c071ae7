"""What a package counts: the stories a reader must open to complete it, and where it opens.

The whole learner edition is always in the package (the links of a path's stories lead to
themes and related stories); `--path NAME` or `--workshop NAME` only chooses the page it opens
on and the stories that complete it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storybook.core.errors import Problem, StorybookError
from storybook.core.model import Story
from storybook.core.pages import story_uri
from storybook.core.pipeline import BuildResult
from storybook.paths.plan import path_uri
from storybook.workshops.pages import workshop_uri

HOME = "index.md"
# The launch page writes the stories seen as `<key>:<base64 bitset>` into cmi.suspend_data,
# which SCORM 1.2 caps at 4,096 characters (see storybook-scorm.js).
MAX_SUSPEND_DATA = 4096
KEY_PREFIX = "sb1-"


@dataclass(frozen=True)
class Selection:
    """The package's title, the page it opens on and its stories, as pages of the site."""

    title: str
    start: str  # a page of the site, by its Markdown path (index.md)
    stories: tuple[str, ...]  # the story pages, by Markdown path, in reading order
    kind: str = "library"  # library, path or workshop
    name: str = ""

    @property
    def key(self) -> str:
        """Names this list of stories in the suspend data: another list reads none of it."""
        digest = hashlib.sha256("\n".join(self.stories).encode("utf-8")).hexdigest()
        return KEY_PREFIX + digest[:8]


def suspend_data_length(key: str, stories: int) -> int:
    """How long the suspend data of a package with ``stories`` stories is, every one seen."""
    return len(key) + 1 + 4 * math.ceil(math.ceil(stories / 8) / 3)


def choose(
    result: BuildResult,
    site_name: str,
    *,
    path: str | None,
    workshop: str | None,
    config_file: Path,
    paths_dir: Path | None,
    workshops_dir: Path | None,
) -> Selection:
    """The selection ``--path``/``--workshop`` ask for, or the whole learner edition."""
    if path is not None and workshop is not None:
        raise StorybookError(
            [
                Problem(
                    Path("storybook package"),
                    0,
                    "--path and --workshop were both given",
                    "package one learning path or one workshop, or neither for the whole library",
                )
            ]
        )
    stories = {story.slug: story for story in result.library.published}
    stories.update({story.path.stem: story for story in result.library.published})
    if path is not None:
        chosen = _named(
            result.paths, path, lambda p: p.name, paths_dir, config_file, "learning path", "path"
        )
        slugs = [step.story for step in chosen.steps]
        selection = Selection(
            chosen.title, path_uri(chosen.name), _pages(slugs, stories), "path", chosen.name
        )
    elif workshop is not None:
        found = _named(
            result.workshops,
            workshop,
            lambda w: w.slug,
            workshops_dir,
            config_file,
            "workshop",
            "workshop",
        )
        slugs = [s.story for s in found.sessions if s.story is not None]
        selection = Selection(
            found.title, workshop_uri(found.slug), _pages(slugs, stories), "workshop", found.slug
        )
    else:
        ordered = sorted(result.library.published, key=lambda story: story.slug)
        selection = Selection(site_name, HOME, tuple(story_uri(s.slug) for s in ordered))
    check_size(selection, config_file)
    return selection


def _pages(slugs: Sequence[str], stories: dict[str, Story]) -> tuple[str, ...]:
    """The story pages, each once, in order (a workshop may come back to a story)."""
    return tuple(dict.fromkeys(story_uri(stories[slug].slug) for slug in slugs if slug in stories))


def _named(
    found: Sequence[Any],
    name: str,
    name_of: Any,
    folder: Path | None,
    config_file: Path,
    what: str,
    option: str,
) -> Any:
    for item in found:
        if name_of(item) == name:
            return item
    known = sorted(name_of(item) for item in found)
    where = folder / f"{name}.yml" if folder is not None else config_file
    hint = (
        f"choose one of: {', '.join(known)}"
        if known
        else f"this storybook has no {what}: package the whole library, without --{option}"
    )
    raise StorybookError([Problem(where, 0, f"no {what} called '{name}'", hint)])


def check_size(selection: Selection, config_file: Path) -> None:
    """One bit a story must fit SCORM 1.2's suspend data; no encoding can do with fewer for
    every set of stories a reader may have opened, so a larger package is refused."""
    if not selection.stories:
        raise StorybookError(
            [
                Problem(
                    config_file,
                    0,
                    f"the {selection.kind} '{selection.title}' has no published story to read",
                    "add a story to it, or package the whole library",
                )
            ]
        )
    count = len(selection.stories)
    if suspend_data_length(selection.key, count) > MAX_SUSPEND_DATA:
        raise StorybookError(
            [
                Problem(
                    config_file,
                    0,
                    f"the package would have {count} stories, more than an LMS can remember "
                    f"the reading of (SCORM keeps {MAX_SUSPEND_DATA} characters)",
                    "package a learning path (--path NAME) or a workshop (--workshop NAME)",
                )
            ]
        )

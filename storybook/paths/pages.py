"""The pages of the learning paths: an index, a page per path, and on each story of a path an
"On the path" block with the previous and the next story."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from storybook.core.errors import Problem, StorybookError
from storybook.core.library import Library
from storybook.core.model import Story
from storybook.core.pages import Page, front_matter
from storybook.core.render import Renderer
from storybook.core.sections import PAGES, STORIES, Inputs, Section
from storybook.paths.plan import (
    PATHS_INDEX,
    LearningPath,
    load_paths,
    path_uri,
    path_view,
    stops_on_paths,
)

PATHS = "paths"

RELATED_BLOCK = '<div class="storybook-related"'


def with_block(content: str, block: str) -> str:
    """A story page with the "On the path" block after its questions: before its related
    stories (story.md.j2 puts them last), or at the end of a page without them."""
    before, found, after = content.partition(RELATED_BLOCK)
    if not found:
        return content.rstrip("\n") + "\n\n" + block
    return before + block + "\n" + found + after


def stories_of(paths: Iterable[LearningPath]) -> frozenset[str]:
    """The stories the given paths lead through."""
    return frozenset(step.story for learning_path in paths for step in learning_path.steps)


def build_path_pages(
    paths: Sequence[LearningPath],
    stories: Sequence[Story],
    story_pages: Sequence[Page],
    renderer: Renderer,
) -> tuple[list[Page], list[Problem]]:
    """The paths' index page, a page per path, and the story pages again, each with an
    "On the path" block for every path it is on (previous and next story)."""
    by_slug = {story.slug: story for story in stories}
    usable = [p for p in paths if all(step.story in by_slug for step in p.steps)]
    pages: list[Page] = []
    problems: list[Problem] = []
    try:
        views = [path_view(p, by_slug) for p in usable]
        content = renderer.render_template("paths.md.j2", paths=views, root="../")
        pages.append(Page(PATHS_INDEX, content, stories_of(usable)))
        for learning_path, view in zip(usable, views, strict=True):
            content = renderer.render_template("path.md.j2", path=view, root="../")
            description = view["summary"] or f"A learning path: {view['title']}."
            front = front_matter(view["title"], description)
            pages.append(Page(view["uri"], front + content, stories_of([learning_path])))
        stops = stops_on_paths(usable, by_slug)
        for page in story_pages:
            slug = page.src_uri.removeprefix("stories/").removesuffix(".md")
            if slug in stops:
                block = renderer.render_template("on-path.md.j2", stops=stops[slug], root="../")
                on_paths = stories_of(p for p in usable if any(s.story == slug for s in p.steps))
                made_from = page.stories | on_paths
                content = with_block(page.content, block)
                pages.append(replace(page, content=content, stories=made_from))
    except StorybookError as exc:
        problems.extend(exc.problems)
    return pages, problems


@dataclass(frozen=True)
class PathsPlugin:
    """Loads the learning paths of ``folder`` for the pipeline (see core/sections.py)."""

    folder: Path
    name: str = PATHS

    def load(
        self, library: Library, broken: Sequence[Path]
    ) -> tuple[list[LearningPath], list[Problem]]:
        return load_paths(self.folder, library.stories, broken)

    def links(
        self, loaded: Sequence[Any], published: Mapping[str, Story]
    ) -> list[Mapping[str, Any]]:
        """The paths the home page offers to start with: those whose stories are all shown."""
        return [
            path_view(p, published)
            for p in loaded
            if all(step.story in published for step in p.steps)
        ]

    def sources(self, loaded: Sequence[Any]) -> dict[str, Path]:
        return {path_uri(p.name): p.path for p in loaded}


def _path_pages(inputs: Inputs) -> tuple[list[Page], list[Problem]]:
    story_pages = [page for page in inputs.pages if page.src_uri.startswith("stories/")]
    return build_path_pages(inputs.loaded[PATHS], inputs.published, story_pages, inputs.renderer)


# The paths index, a page per path, and the story pages again with their "On the path" block.
PATH_PAGES = Section(
    "paths",
    _path_pages,
    reads=(STORIES, PAGES, PATHS),
    templates=("paths.md.j2", "path.md.j2", "on-path.md.j2"),
)

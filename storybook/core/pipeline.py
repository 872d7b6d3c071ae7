"""The whole pipeline in one call: stories and templates in, Markdown pages and problems out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from storybook.core.editions import LEARNER
from storybook.core.editions import edition as edition_policy
from storybook.core.errors import Problem
from storybook.core.library import Library, load_library, read_story
from storybook.core.model import Story
from storybook.core.pages import build_pages, render_story_page, story_uri
from storybook.core.render import Renderer, time_limits
from storybook.core.room_pages import RoomSettings, build_room_pages
from storybook.paths.pages import build_path_pages
from storybook.paths.plan import LearningPath, load_paths, path_uri, path_view
from storybook.workshops.handouts import build_handouts, handout_uris
from storybook.workshops.pages import build_workshop_pages, workshop_links, workshop_uri
from storybook.workshops.plan import Workshop, load_workshops

if TYPE_CHECKING:
    from storybook.core.cache import StoryCache


@dataclass
class BuildResult:
    """The pages that rendered (docs-relative path to Markdown) and every problem found.

    ``made_from``: the slugs of the stories each page is made from, by its path (see
    :class:`storybook.core.pages.Page`)."""

    pages: dict[str, str]
    problems: list[Problem]
    library: Library
    workshops: list[Workshop] = field(default_factory=list)
    paths: list[LearningPath] = field(default_factory=list)
    made_from: dict[str, frozenset[str]] = field(default_factory=dict)

    def sources(self) -> dict[str, Path]:
        """The file each story's, workshop's and path's page is made from, by its path."""
        found = {story_uri(story.slug): story.path for story in self.library.stories}
        found.update({workshop_uri(w.slug): w.path for w in self.workshops})
        found.update({path_uri(p.name): p.path for p in self.paths})
        found.update({uri: w.path for w in self.workshops for uri in handout_uris(w.slug)})
        return found


def build_site(
    stories_dir: Path,
    templates_dir: Path,
    *,
    include_drafts: bool | None = None,
    edition: str = LEARNER,
    workshops_dir: Path | None = None,
    paths_dir: Path | None = None,
    fallback: Mapping[Path, Story] | None = None,
    cache: StoryCache | None = None,
    room: RoomSettings | None = None,
) -> BuildResult:
    """Build one edition. Without ``workshops_dir`` there are no workshop pages at all, and
    without ``paths_dir`` no learning paths.

    Drafts are built when the edition's policy shows them, unless ``include_drafts`` says
    otherwise (`storybook check` renders them in every edition, to check every template).

    ``fallback``: under `mkdocs serve`, the last good version of each story file, standing in
    for a story that is broken now (its problems are still reported). With a prepared
    ``cache``, unchanged stories are not read or rendered again. With ``room``, the projector
    views (learner edition) or presenter consoles (facilitator edition) of the stories too."""
    library = load_library(
        stories_dir,
        templates_dir,
        fallback,
        read=cache.read_story if cache else read_story,
    )
    renderer = cache.renderer if cache else Renderer(templates_dir)
    # Without a vocabulary no story loads, and every workshop would seem to name unknown ones.
    broken = [problem.path for problem in library.problems if problem.path.suffix == ".md"]
    workshops, workshop_problems = load_workshops(
        workshops_dir if library.vocabulary is not None else None, library.stories, broken
    )
    paths, path_problems = load_paths(
        paths_dir if library.vocabulary is not None else None, library.stories, broken
    )
    published = {story.slug: story for story in library.published}
    with time_limits():
        pages, problems = build_pages(
            library,
            renderer,
            include_drafts=(
                edition_policy(edition).shows_drafts if include_drafts is None else include_drafts
            ),
            edition=edition,
            workshops=workshop_links(workshops),
            render_story=cache.render_story if cache else render_story_page,
            paths=[path_view(p, published) for p in paths if _on_hand(p, published)],
        )
        if paths_dir is not None and library.vocabulary is not None:
            story_pages = [page for page in pages if page.src_uri.startswith("stories/")]
            more, more_problems = build_path_pages(paths, library.published, story_pages, renderer)
            pages += more
            problems += more_problems
        if workshops_dir is not None and library.vocabulary is not None:
            more, more_problems = build_workshop_pages(
                workshops,
                library.published,
                renderer,
                edition=edition,
                vocabulary=library.vocabulary,
            )
            pages += more
            problems += more_problems
        if room is not None and library.vocabulary is not None:
            more, more_problems = build_room_pages(
                library.published,
                library.vocabulary,
                renderer,
                edition=edition,
                settings=room,
                render=cache.render_room_page if cache else None,
            )
            pages += more
            problems += more_problems
        # Last of all: a workshop console links to the story consoles the build has made.
        if workshops_dir is not None and library.vocabulary is not None:
            handouts, handout_problems = build_handouts(
                workshops,
                library.published,
                library.vocabulary,
                renderer,
                edition=edition,
                page_uris={page.src_uri for page in pages},
            )
            pages += handouts
            problems += handout_problems
    if cache:
        cache.prune()
    return BuildResult(
        pages={page.src_uri: page.content for page in pages},
        # A question that cannot be rendered is met on its story's page and in agendas.
        problems=list(
            dict.fromkeys(library.problems + workshop_problems + path_problems + problems)
        ),
        library=library,
        workshops=workshops,
        paths=paths,
        made_from={page.src_uri: page.stories for page in pages},
    )


def _on_hand(learning_path: LearningPath, stories: Mapping[str, Story]) -> bool:
    """Whether every story of the path can be shown (one with problems may be missing)."""
    return all(step.story in stories for step in learning_path.steps)

"""The whole pipeline in one call: stories, templates and sections in, Markdown pages and
problems out.

The pipeline knows no kind of page: it loads the library, lets the plug-ins it is handed load
theirs, runs the sections in order and applies the edition's policy to every section alike
(see sections.py). The adapters (the MkDocs plugin, the export, check, the room) say which
sections and plug-ins a build has (storybook/sections.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storybook.core.editions import LEARNER_EDITION, Edition
from storybook.core.errors import Problem
from storybook.core.library import Library, load_library, read_story
from storybook.core.load import scan_stories_folder
from storybook.core.model import Story
from storybook.core.pages import Page, out_of_search, story_uri
from storybook.core.render import Renderer, time_limits
from storybook.core.room_pages import RoomSettings
from storybook.core.sections import Inputs, Plugin, Section, check_reads

if TYPE_CHECKING:
    from storybook.core.cache import StoryCache


@dataclass
class BuildResult:
    """The pages that rendered (docs-relative path to Markdown) and every problem found.

    ``made_from``: the slugs of the stories each page is made from, by its path (see
    :class:`storybook.core.pages.Page`). ``loaded``: what each plug-in loaded, by its name."""

    pages: dict[str, str]
    problems: list[Problem]
    library: Library
    made_from: dict[str, frozenset[str]] = field(default_factory=dict)
    loaded: dict[str, Sequence[Any]] = field(default_factory=dict)
    plugin_sources: dict[str, Path] = field(default_factory=dict)

    @property
    def workshops(self) -> Sequence[Any]:
        return self.loaded.get("workshops", [])

    @property
    def paths(self) -> Sequence[Any]:
        return self.loaded.get("paths", [])

    def sources(self) -> dict[str, Path]:
        """The file each page is made from, where one file makes it: a story's page, a page
        made from one story alone (whatever section made it), a plug-in's page (a workshop's
        agenda, a path's page)."""
        by_slug = {story.slug: story.path for story in self.library.stories}
        found = {
            uri: by_slug[slug]
            for uri, stories in self.made_from.items()
            if len(stories) == 1 and (slug := next(iter(stories))) in by_slug
        }
        found.update({story_uri(slug): path for slug, path in by_slug.items()})
        found.update(self.plugin_sources)
        return found


def build_site(
    stories_dir: Path,
    templates_dir: Path,
    *,
    sections: Sequence[Section],
    plugins: Sequence[Plugin] = (),
    edition: Edition = LEARNER_EDITION,
    include_drafts: bool | None = None,
    fallback: Mapping[Path, Story] | None = None,
    cache: StoryCache | None = None,
    room: RoomSettings | None = None,
    compiled_dir: Path | None = None,
) -> BuildResult:
    """Build one edition from ``sections``, in order, with what ``plugins`` load.

    Drafts are built when the edition's policy shows them, unless ``include_drafts`` says
    otherwise (`storybook check` renders them in every edition, to check every template);
    where they are not, no page made from a draft is kept, whatever section made it.

    ``fallback``: under `mkdocs serve`, the last good version of each story file, standing in
    for a story that is broken now (its problems are still reported). With a prepared
    ``cache``, unchanged stories are not read or rendered again. With ``room``, the room's
    sections make their pages (projector views, presenter consoles). ``compiled_dir``: where
    a build without a cache keeps the templates' compiled code for the next (compiled.py)."""
    check_reads(sections, [plugin.name for plugin in plugins])
    library = load_library(
        stories_dir,
        templates_dir,
        fallback,
        read=cache.read_story if cache else read_story,
        scan=cache.scan_stories if cache else scan_stories_folder,
    )
    # A renderer for this build alone need not look for changed templates as it renders.
    renderer = (
        cache.renderer
        if cache
        else Renderer(templates_dir, reload=False, compiled_dir=compiled_dir)
    )
    result = BuildResult(pages={}, problems=[], library=library)
    # Without a vocabulary no story loads, and every workshop would seem to name unknown ones.
    if library.vocabulary is None:
        if cache:
            cache.prune()
        result.problems = list(dict.fromkeys(library.problems))
        return result
    loader_problems = _load_plugins(plugins, library, result)
    shows_drafts = edition.shows_drafts if include_drafts is None else include_drafts
    chosen = library.stories if shows_drafts else library.published
    published = {story.slug: story for story in library.published}
    inputs = Inputs(
        library=library,
        vocabulary=library.vocabulary,
        renderer=renderer,
        edition=edition,
        stories=sorted(chosen, key=lambda story: story.title.lower()),
        loaded=result.loaded,
        links={p.name: p.links(result.loaded[p.name], published) for p in plugins},
        cache=cache,
        room=room,
    )
    drafts = frozenset(story.slug for story in library.stories if story.draft)
    pages: dict[str, Page] = {}
    problems: list[Problem] = []
    with time_limits():
        for section in sections:
            made, found = section.pages(_with_pages(inputs, list(pages.values())))
            problems += found
            for page in made:
                if shows_drafts or not page.stories & drafts:
                    pages[page.src_uri] = page
                else:
                    pages.pop(page.src_uri, None)
    problems += renderer.syntax_problems()
    if cache:
        cache.prune()
    # Search lands on stories: every other page is kept out of every search index.
    result.pages = {
        uri: page.content if page.searched else out_of_search(page.content)
        for uri, page in pages.items()
    }
    result.made_from = {uri: page.stories for uri, page in pages.items()}
    # A question that cannot be rendered is met on its story's page and in agendas.
    result.problems = list(dict.fromkeys(library.problems + loader_problems + problems))
    return result


def _load_plugins(
    plugins: Sequence[Plugin], library: Library, result: BuildResult
) -> list[Problem]:
    broken = [problem.path for problem in library.problems if problem.path.suffix == ".md"]
    problems: list[Problem] = []
    for plugin in plugins:
        loaded, found = plugin.load(library, broken)
        result.loaded[plugin.name] = loaded
        result.plugin_sources.update(plugin.sources(loaded))
        problems += found
    return problems


def _with_pages(inputs: Inputs, pages: list[Page]) -> Inputs:
    """The same inputs, with the pages made so far (the memo stays shared)."""

    return replace(inputs, pages=pages)

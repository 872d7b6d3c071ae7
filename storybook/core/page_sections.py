"""The sections of the core: story pages, home and its lists, tag pages, the authoring guide
and the coverage page. Their rendering lives in pages.py; here is only what each reads, for
which editions, and from which stories."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from storybook.core.errors import Problem, StorybookError
from storybook.core.model import Story
from storybook.core.pages import (
    Page,
    related_stories,
    render_authoring_page,
    render_coverage_page,
    render_home_pages,
    render_story_page,
    render_tag_pages,
    story_uri,
    story_view,
)
from storybook.core.sections import (
    PAGES,
    STORIES,
    Inputs,
    Section,
    each_story,
    facilitator_editions,
)


def _story_page(story: Story, inputs: Inputs) -> Page:
    related = inputs.memo.get("related")
    if related is None:
        related = inputs.memo["related"] = related_stories(inputs.stories)
    render = inputs.cache.render_story if inputs.cache else render_story_page
    return render(
        story,
        inputs.vocabulary,
        inputs.renderer,
        related=related[story.slug],
        edition=inputs.edition,
        view=view_of(story, inputs),
    )


def view_of(story: Story, inputs: Inputs) -> Mapping[str, Any]:
    """The story's view (see story_view), made once a build for its page and every list:
    making it twice was a tenth of rendering a library."""
    views: dict[int, tuple[Story, Mapping[str, Any]]] = inputs.memo.setdefault("views", {})
    # By identity: the build holds every story it shows until it ends (the story is kept
    # beside its view all the same, so that its id is never another story's meanwhile).
    found = views.get(id(story))
    if found is None:
        # Under serve the cache keeps a story's view between builds while the story is unchanged.
        view = (
            inputs.cache.story_view(story, inputs.vocabulary)
            if inputs.cache
            else story_view(story, inputs.vocabulary)
        )
        found = views[id(story)] = (story, view)
    return found[1]


def listed(inputs: Inputs) -> tuple[list[Story], Sequence[Mapping[str, Any]]]:
    """The stories whose own page was made (a story with problems has none), by title, and
    their views, made once for every list."""
    if "listed" not in inputs.memo:
        made = {page.src_uri for page in inputs.pages}
        stories = [story for story in inputs.stories if story_uri(story.slug) in made]
        inputs.memo["listed"] = (stories, [view_of(story, inputs) for story in stories])
    found: tuple[list[Story], Sequence[Mapping[str, Any]]] = inputs.memo["listed"]
    return found


def _pages_or_problems(make: Any) -> tuple[list[Page], list[Problem]]:
    try:
        made: list[Page] = make()
        return made, []
    except StorybookError as exc:
        return [], list(exc.problems)


def _home(inputs: Inputs) -> tuple[list[Page], list[Problem]]:
    stories, views = listed(inputs)
    return _pages_or_problems(
        lambda: render_home_pages(
            stories,
            inputs.vocabulary,
            inputs.renderer,
            inputs.links.get("workshops", ()),
            inputs.links.get("paths", ()),
            views=views,
        )
    )


def _tags(inputs: Inputs) -> tuple[list[Page], list[Problem]]:
    stories, views = listed(inputs)
    return _pages_or_problems(
        lambda: render_tag_pages(
            stories,
            inputs.vocabulary,
            inputs.renderer,
            with_coverage=COVERAGE_PAGES.editions(inputs.edition),
            views=views,
        )
    )


def _authoring(inputs: Inputs) -> tuple[list[Page], list[Problem]]:
    stories, _ = listed(inputs)
    return _pages_or_problems(
        lambda: [render_authoring_page(stories, inputs.vocabulary, inputs.renderer)]
    )


def _coverage(inputs: Inputs) -> tuple[list[Page], list[Problem]]:
    return _pages_or_problems(
        lambda: render_coverage_page(inputs.library, inputs.vocabulary, inputs.renderer)
    )


STORY_PAGES = Section(
    "stories", each_story(_story_page), reads=(STORIES,), templates=("story.md.j2",)
)
HOME_PAGES = Section(
    "home",
    _home,
    reads=(STORIES, PAGES),
    templates=("home.md.j2", "all-stories.md.j2"),
)
TAG_PAGES = Section("tags", _tags, reads=(STORIES, PAGES), templates=("tags.md.j2", "tag.md.j2"))
# The guide to writing stories is for trainers: the learner edition leaves it out.
AUTHORING_PAGE = Section(
    "authoring",
    _authoring,
    editions=facilitator_editions,
    reads=(STORIES, PAGES),
    templates=("authoring.md.j2",),
)
COVERAGE_PAGES = Section(
    "coverage",
    _coverage,
    editions=facilitator_editions,
    reads=(STORIES,),
    templates=("coverage.md.j2",),
)
CORE_SECTIONS: tuple[Section, ...] = (
    STORY_PAGES,
    HOME_PAGES,
    TAG_PAGES,
    AUTHORING_PAGE,
    COVERAGE_PAGES,
)

"""Sections: the one shape of every kind of page the site has.

A section says what it reads (the library, and what plug-ins such as workshops or paths
have loaded), the templates it renders, for which editions it makes pages at all, and how it
makes them. Every page records the stories it is made from (:attr:`Page.stories`). The
pipeline (pipeline.py) runs the sections in order and applies the edition's policy to all of
them alike: a section not for this edition makes nothing, and in an edition without drafts
no page made from a draft is kept. A new kind of page is one more :class:`Section`.

Plug-ins (:class:`Plugin`) load what the library alone does not hold (workshops, learning
paths); they live outside the core and are handed in by the adapters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from storybook.core.editions import Edition
from storybook.core.errors import Problem, StorybookError
from storybook.core.library import Library
from storybook.core.model import Story
from storybook.core.pages import Page
from storybook.core.render import Renderer
from storybook.core.vocabulary import Vocabulary

if TYPE_CHECKING:
    from storybook.core.cache import StoryCache
    from storybook.core.room_pages import RoomSettings

# What every section may read besides what plug-ins load.
STORIES = "stories"
PAGES = "pages"  # the pages the sections before it made
ROOM = "room"  # the room's addresses (RoomSettings), when the build runs a room
BUILT_IN_READS = frozenset({STORIES, PAGES, ROOM})


def every_edition(edition: Edition) -> bool:
    return True


def facilitator_editions(edition: Edition) -> bool:
    """The editions that show facilitator material."""
    return edition.shows_facilitator


def learner_editions(edition: Edition) -> bool:
    """The editions that show none (what a learner, or a projector, sees)."""
    return not edition.shows_facilitator


@dataclass(frozen=True)
class Inputs:
    """What a section is given: the library (``stories`` are those this edition shows, by
    title), the edition, the pages the sections before it made, and what plug-ins loaded."""

    library: Library
    vocabulary: Vocabulary
    renderer: Renderer
    edition: Edition
    stories: Sequence[Story]
    pages: Sequence[Page] = ()
    # What each plug-in loaded, and what the home page lists of it, by the plug-in's name.
    loaded: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    links: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    cache: StoryCache | None = None
    room: RoomSettings | None = None  # when the build runs a room
    # Shared by the sections of one build: what one made that others need again.
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def published(self) -> Sequence[Story]:
        return self.library.published


MakePages = Callable[[Inputs], tuple[list[Page], list[Problem]]]


@dataclass(frozen=True)
class Section:
    """One kind of page.

    ``make`` makes the section's pages and the problems found on the way; a page with the
    ``src_uri`` of one an earlier section made stands in for it (the "On the path" block is
    added to story pages that way). ``editions`` says for which editions it makes pages at
    all; ``reads`` what it reads (``stories``, ``pages``, ``room`` or a plug-in's name);
    ``templates`` the templates it renders."""

    name: str
    make: MakePages
    editions: Callable[[Edition], bool] = every_edition
    reads: tuple[str, ...] = (STORIES,)
    templates: tuple[str, ...] = ()

    def pages(self, inputs: Inputs) -> tuple[list[Page], list[Problem]]:
        """The section's pages for ``inputs.edition``: none if it is not for this edition."""
        if not self.editions(inputs.edition):
            return [], []
        return self.make(inputs)


class Plugin(Protocol):
    """What loads a kind of input the library does not hold (workshops, learning paths)."""

    @property
    def name(self) -> str: ...

    def load(self, library: Library, broken: Sequence[Path]) -> tuple[Sequence[Any], list[Problem]]:
        """What it loads, and its problems. ``broken``: story files with problems (a
        workshop naming one of them is not wrong)."""
        ...

    def links(
        self, loaded: Sequence[Any], published: Mapping[str, Story]
    ) -> list[Mapping[str, Any]]:
        """What the home page lists of it."""
        ...

    def sources(self, loaded: Sequence[Any]) -> dict[str, Path]:
        """The file each of its pages is made from, by the page's path."""
        ...


def each_story(
    make: Callable[[Story, Inputs], Page],
) -> MakePages:
    """A section's ``make`` for a page per story: a story whose page cannot be made is
    reported and left out, the others are made all the same."""

    def make_all(inputs: Inputs) -> tuple[list[Page], list[Problem]]:
        pages: list[Page] = []
        problems: list[Problem] = []
        for story in inputs.stories:
            try:
                pages.append(make(story, inputs))
            except StorybookError as exc:
                problems.extend(exc.problems)
        return pages, problems

    return make_all


def check_reads(sections: Sequence[Section], available: Sequence[str]) -> None:
    """A section that reads what no plug-in of this build loads is a programming error."""
    known = BUILT_IN_READS | set(available)
    for section in sections:
        missing = [name for name in section.reads if name not in known]
        if missing:
            raise ValueError(f"section {section.name} reads {missing}, which nothing loads")

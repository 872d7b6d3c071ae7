"""Workshops as a plug-in of the pipeline: the loader of the workshops folder and the sections
of the pages made from it (index, agenda or run-of-show, workbook, pack, workshop console)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storybook.core.errors import Problem
from storybook.core.library import Library
from storybook.core.model import Story
from storybook.core.pages import Page
from storybook.core.sections import (
    PAGES,
    STORIES,
    Inputs,
    MakePages,
    Section,
    facilitator_editions,
)
from storybook.workshops.handouts import (
    MakeHandout,
    build_handouts,
    handout_uris,
    render_console,
    render_pack,
    render_workbook,
)
from storybook.workshops.pages import build_workshop_pages, workshop_links, workshop_uri
from storybook.workshops.plan import Workshop, load_workshops

WORKSHOPS = "workshops"


@dataclass(frozen=True)
class WorkshopsPlugin:
    """Loads the workshops of ``folder`` for the pipeline (see core/sections.py)."""

    folder: Path
    name: str = WORKSHOPS

    def load(
        self, library: Library, broken: Sequence[Path]
    ) -> tuple[list[Workshop], list[Problem]]:
        return load_workshops(self.folder, library.stories, broken)

    def links(
        self, loaded: Sequence[Any], published: Mapping[str, Story]
    ) -> list[Mapping[str, Any]]:
        return list(workshop_links(loaded))

    def sources(self, loaded: Sequence[Any]) -> dict[str, Path]:
        found = {workshop_uri(w.slug): w.path for w in loaded}
        found.update({uri: w.path for w in loaded for uri in handout_uris(w.slug)})
        return found


def _workshop_pages(inputs: Inputs) -> tuple[list[Page], list[Problem]]:
    return build_workshop_pages(
        inputs.loaded[WORKSHOPS],
        inputs.published,
        inputs.renderer,
        edition=inputs.edition,
        vocabulary=inputs.vocabulary,
    )


def _handouts(make: MakeHandout) -> MakePages:
    def make_all(inputs: Inputs) -> tuple[list[Page], list[Problem]]:
        return build_handouts(
            make,
            inputs.loaded[WORKSHOPS],
            inputs.published,
            inputs.vocabulary,
            inputs.renderer,
            edition=inputs.edition,
            page_uris={page.src_uri for page in inputs.pages},
        )

    return make_all


# The index, and each workshop's agenda (learners) or run-of-show (facilitators).
WORKSHOP_PAGES = Section(
    "workshops",
    _workshop_pages,
    reads=(STORIES, WORKSHOPS),
    templates=("workshops.md.j2", "agenda.md.j2", "run-of-show.md.j2"),
)
# Made from learner material only, in every edition.
WORKBOOKS = Section(
    "workbooks",
    _handouts(render_workbook),
    reads=(STORIES, WORKSHOPS),
    templates=("workbook.md.j2", "workbook-tag-questions.md.j2"),
)
PACKS = Section(
    "packs",
    _handouts(render_pack),
    editions=facilitator_editions,
    reads=(STORIES, WORKSHOPS),
    templates=("pack.md.j2",),
)
# Last of the workshop's sections: it links to the story consoles the build has made.
WORKSHOP_CONSOLES = Section(
    "workshop-consoles",
    _handouts(render_console),
    editions=facilitator_editions,
    reads=(STORIES, PAGES, WORKSHOPS),
    templates=("workshop-console.md.j2",),
)

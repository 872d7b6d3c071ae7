"""Which page a PDF prints, built through the pipeline in the edition the handout belongs to.

A workbook and a story's worksheet are learner material, so they are built as the learner
edition builds them: no facilitator field, no draft, whatever edition mkdocs.yml names. The
pack is the facilitator edition's. The page is the one the site shows (and a browser prints),
not a second rendering of it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from storybook.core.editions import FACILITATOR_EDITION, LEARNER_EDITION, Edition
from storybook.core.errors import Problem, StorybookError
from storybook.core.fields import slugify
from storybook.core.model import Story
from storybook.core.pages import story_uri
from storybook.core.pipeline import BuildResult
from storybook.core.project import Project, line_of
from storybook.sections import build_site
from storybook.workshops.handouts import pack_uri, workbook_uri
from storybook.workshops.plan import WORKSHOPS_FOLDER, Workshop

WORKSHOP = "workshop"
STORY = "story"


@dataclass(frozen=True)
class Handout:
    """One kind of PDF: the edition that builds it and the page of a workshop or story."""

    name: str
    what: str  # what it is called in a sentence: "workbook", "facilitator pack"
    edition: Edition
    named_by: str  # WORKSHOP or STORY
    uri: Callable[[str], str]


WORKBOOK = Handout("workbook", "workbook", LEARNER_EDITION, WORKSHOP, workbook_uri)
PACK = Handout("pack", "facilitator pack", FACILITATOR_EDITION, WORKSHOP, pack_uri)
WORKSHEET = Handout("story", "worksheet", LEARNER_EDITION, STORY, story_uri)
HANDOUTS = {handout.name: handout for handout in (WORKBOOK, PACK, WORKSHEET)}


@dataclass(frozen=True)
class PrintPage:
    """A page to print: its Markdown as the edition builds it (banner in, front matter and
    all), the title to repeat on every printed page, and its address in the site."""

    uri: str
    markdown: str
    running_title: str
    source: Path


def print_page(project: Project, handout: Handout, name: str) -> PrintPage:
    """The page ``handout`` prints for the workshop or story ``name`` (a file name, with or
    without its folder and suffix, or a slug). Every problem of the build stops it, as it
    stops `mkdocs build`: a handout is never printed from a storybook with mistakes in it."""
    slug = slug_of(name)
    workshops_dir = project.workshops_dir
    if handout.named_by == WORKSHOP and workshops_dir is None:
        raise StorybookError([_no_workshops_folder(project)])
    result = build_site(
        project.stories_dir,
        project.templates_dir,
        edition=handout.edition,
        workshops_dir=workshops_dir,
        paths_dir=project.paths_dir,
    )
    if result.problems:
        raise StorybookError(result.problems)
    if handout.named_by == WORKSHOP:
        assert workshops_dir is not None
        workshop = _workshop(result, slug, workshops_dir)
        uri, title, source = handout.uri(workshop.slug), workshop.title, workshop.path
    else:
        story = _story(result, slug, project.stories_dir)
        uri, title, source = handout.uri(story.slug), story.title, story.path
    markdown = result.pages.get(uri)
    if markdown is None:
        raise StorybookError(
            [Problem(source, 0, f"the {handout.edition.name} edition has no {handout.what} of it")]
        )
    return PrintPage(uri, handout.edition.marked(markdown), title, source)


def slug_of(name: str) -> str:
    """``workshops/day-one.yml``, ``day-one.yml`` and ``day-one`` all name ``day-one``."""
    stem = PurePath(name.strip()).name
    for suffix in (".yml", ".yaml", ".md"):
        stem = stem.removesuffix(suffix)
    return slugify(stem)


def _workshop(result: BuildResult, slug: str, folder: Path) -> Workshop:
    workshops: Sequence[Workshop] = result.workshops
    for workshop in workshops:
        if workshop.slug == slug:
            return workshop
    known = sorted(workshop.slug for workshop in workshops)
    raise StorybookError(
        [
            Problem(
                folder,
                0,
                f"no workshop called '{slug}'",
                _choose(known, slug, "name a workshop by its file name without .yml"),
            )
        ]
    )


def _story(result: BuildResult, slug: str, folder: Path) -> Story:
    stories = result.library.stories
    found = next(
        (s for s in stories if s.slug == slug or slugify(s.path.stem) == slug),
        None,
    )
    if found is not None and not found.draft:
        return found
    if found is not None:
        raise StorybookError(
            [
                Problem(
                    found.path,
                    line_of(found.path, "draft"),
                    "this story is a draft, and a worksheet is learner material: drafts are "
                    "never printed for learners",
                    "set draft: false (or remove the line) when the story is ready",
                )
            ]
        )
    known = sorted(story.slug for story in result.library.published)
    raise StorybookError(
        [
            Problem(
                folder,
                0,
                f"no story called '{slug}'",
                _choose(known, slug, "name a story by its file name without .md"),
            )
        ]
    )


def _choose(known: list[str], slug: str, how: str) -> str:
    guess = difflib.get_close_matches(slug, known, n=1, cutoff=0.6)
    if guess:
        return f"did you mean '{guess[0]}'?"
    if not known:
        return how
    shown = ", ".join(known[:10]) + (", ..." if len(known) > 10 else "")
    return f"{how}: {shown}"


def _no_workshops_folder(project: Project) -> Problem:
    return Problem(
        project.root / WORKSHOPS_FOLDER,
        0,
        "this storybook has no workshops folder",
        "create workshops/ beside mkdocs.yml with a workshop file in it, or name the folder "
        "with workshops_dir under the storybook plugin in mkdocs.yml",
    )

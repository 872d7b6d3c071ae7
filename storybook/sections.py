"""The sections and plug-ins of a whole storybook site, in the order they are built: what the
MkDocs plugin, the export, `storybook check` and the room hand to the pipeline.

The core knows no workshop and no path; they plug in here. A new kind of page is one more
section in :func:`site_sections` (see core/sections.py)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from storybook.core.editions import LEARNER_EDITION, Edition
from storybook.core.model import Story
from storybook.core.page_sections import CORE_SECTIONS
from storybook.core.pipeline import BuildResult
from storybook.core.pipeline import build_site as build_sections
from storybook.core.room_pages import CONSOLE_PAGES, PROJECTOR_PAGES, RoomSettings
from storybook.core.sections import Plugin, Section
from storybook.paths.pages import PATH_PAGES, PathsPlugin
from storybook.workshops.sections import (
    PACKS,
    WORKBOOKS,
    WORKSHOP_CONSOLES,
    WORKSHOP_PAGES,
    WorkshopsPlugin,
)

if TYPE_CHECKING:
    from storybook.core.cache import StoryCache


def site_sections(
    *, workshops: bool = False, paths: bool = False, extra: tuple[Section, ...] = ()
) -> tuple[Section, ...]:
    """Every section of a site, in order: a later one may read the pages of earlier ones
    (the paths add their block to story pages; a workshop console links to story consoles).
    ``extra`` sections come after all of them."""
    found = list(CORE_SECTIONS)
    if paths:
        found.append(PATH_PAGES)
    if workshops:
        found += [WORKSHOP_PAGES, WORKBOOKS, PACKS]
    found += [PROJECTOR_PAGES, CONSOLE_PAGES]
    if workshops:
        found.append(WORKSHOP_CONSOLES)
    return (*found, *extra)


def site_plugins(workshops_dir: Path | None, paths_dir: Path | None) -> list[Plugin]:
    plugins: list[Plugin] = []
    if workshops_dir is not None:
        plugins.append(WorkshopsPlugin(workshops_dir))
    if paths_dir is not None:
        plugins.append(PathsPlugin(paths_dir))
    return plugins


def build_site(
    stories_dir: Path,
    templates_dir: Path,
    *,
    edition: Edition = LEARNER_EDITION,
    include_drafts: bool | None = None,
    workshops_dir: Path | None = None,
    paths_dir: Path | None = None,
    fallback: Mapping[Path, Story] | None = None,
    cache: StoryCache | None = None,
    room: RoomSettings | None = None,
    extra: tuple[Section, ...] = (),
) -> BuildResult:
    """Build one edition of the whole site. Without ``workshops_dir`` there are no workshop
    pages at all, without ``paths_dir`` no learning paths, without ``room`` no room pages."""
    return build_sections(
        stories_dir,
        templates_dir,
        sections=site_sections(
            workshops=workshops_dir is not None, paths=paths_dir is not None, extra=extra
        ),
        plugins=site_plugins(workshops_dir, paths_dir),
        edition=edition,
        include_drafts=include_drafts,
        fallback=fallback,
        cache=cache,
        room=room,
    )

"""The sections and plug-ins of a whole storybook site, in the order they are built: what the
MkDocs plugin, the export, `storybook check` and the room hand to the pipeline.

The core knows no workshop and no path; they plug in here. A new kind of page is one more
section in :data:`SECTIONS` (see core/sections.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from storybook.core.editions import LEARNER_EDITION, Edition
from storybook.core.model import Story
from storybook.core.page_sections import CORE_SECTIONS
from storybook.core.pipeline import BuildResult
from storybook.core.pipeline import build_site as build_sections
from storybook.core.room_pages import CONSOLE_PAGES, PROJECTOR_PAGES, RoomSettings
from storybook.core.sections import BUILT_IN_READS, Plugin, Section
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


# Every section of a site, in the order they are built: a later one may read the pages of
# earlier ones (the paths add their block to story pages; a workshop console links to story
# consoles). A new kind of page is one more entry here. A section that reads what no plug-in
# of a build loads (no workshops folder, say) is left out of that build.
SECTIONS: list[Section] = [
    *CORE_SECTIONS,
    PATH_PAGES,
    WORKSHOP_PAGES,
    WORKBOOKS,
    PACKS,
    PROJECTOR_PAGES,
    CONSOLE_PAGES,
    WORKSHOP_CONSOLES,
]


def site_sections(plugins: Sequence[Plugin]) -> tuple[Section, ...]:
    """The sections of :data:`SECTIONS` that read only what the build has."""
    available = BUILT_IN_READS | {plugin.name for plugin in plugins}
    return tuple(s for s in SECTIONS if all(name in available for name in s.reads))


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
    compiled_dir: Path | None = None,
) -> BuildResult:
    """Build one edition of the whole site. Without ``workshops_dir`` there are no workshop
    pages at all, without ``paths_dir`` no learning paths, without ``room`` no room pages."""
    plugins = site_plugins(workshops_dir, paths_dir)
    return build_sections(
        stories_dir,
        templates_dir,
        sections=site_sections(plugins),
        plugins=plugins,
        edition=edition,
        include_drafts=include_drafts,
        fallback=fallback,
        cache=cache,
        room=room,
        compiled_dir=compiled_dir,
    )

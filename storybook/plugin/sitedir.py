"""The site folder: one edition's, and, after a failed ``mkdocs build``, nothing that could
pass for a good site."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.utils import clean_directory

from storybook.core.editions import Edition
from storybook.core.errors import Problem

log = logging.getLogger("mkdocs.plugins.storybook")


def discard_failed_site(site_dir: Path) -> None:
    """Empty the site folder after a failed build.

    MkDocs empties it at the start of a build, then writes page after page; a build that fails
    midway, or in strict mode after every page was written, would otherwise leave a partial or
    complete-looking site that someone could publish. Like MkDocs, entries starting with a dot
    (such as a ``.git`` folder) are kept.
    """
    if not site_dir.is_dir() or all(entry.name.startswith(".") for entry in site_dir.iterdir()):
        return
    try:
        clean_directory(str(site_dir))
    except OSError as exc:
        log.error(f"The build failed and the site folder {site_dir} could not be emptied: {exc}")
        return
    log.error(
        f"The build failed, so the site folder {site_dir} was emptied: "
        "it holds no half-built site that could be mistaken for a good one."
    )


# In every site folder a build of the storybook wrote: the name of its edition. MkDocs keeps
# entries starting with a dot when it empties the folder, so the mark outlives a rebuild.
EDITION_MARK = ".storybook-edition"
# MkDocs' own default site folder, beside mkdocs.yml.
DEFAULT_SITE_DIR = "site"


def edition_site_dir(site_dir: str, config_file: str, edition: Edition) -> str:
    """Where the edition is built: where site_dir (or ``mkdocs build -d``) says, except MkDocs'
    default folder, site/, which is the learner edition's; another edition's default is beside
    it (site-facilitator/)."""
    default = os.path.join(os.path.dirname(os.path.abspath(config_file)), DEFAULT_SITE_DIR)
    if os.path.normpath(os.path.abspath(site_dir)) != os.path.normpath(default):
        return site_dir
    return default + edition.site_dir_suffix


def edition_in(site_dir: Path) -> str | None:
    """The edition a storybook build wrote into the folder, if one did."""
    try:
        return (site_dir / EDITION_MARK).read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def other_edition_problem(site_dir: Path, edition: Edition) -> Problem | None:
    """A problem when the folder holds another edition's site: editions never share a folder,
    so that the learner site nobody may mix facilitator pages into is never overwritten."""
    found = edition_in(site_dir)
    if found is None or found == edition.name:
        return None
    return Problem(
        site_dir,
        0,
        f"this folder holds the {found} edition's site, not the {edition.name} edition's",
        f"build the {edition.name} edition into a folder of its own, e.g. "
        f"mkdocs build -d {site_dir.name}-{edition.name}, or delete this folder first",
    )


# A folder holding one of these, and no mark, is a site an older build wrote: it may be rebuilt.
SITE_FILES = frozenset({"index.html", "404.html", "sitemap.xml"})


def not_a_site_problem(site_dir: Path) -> Problem | None:
    """A problem when the folder holds files but no site: MkDocs empties the folder it builds
    into, and nothing a trainer wrote is ever deleted (`mkdocs build -d handouts`)."""
    if not site_dir.is_dir() or edition_in(site_dir) is not None:
        return None
    held = sorted(entry.name for entry in site_dir.iterdir() if not entry.name.startswith("."))
    if not held or SITE_FILES & set(held):
        return None
    shown = ", ".join(held[:3]) + (f" and {len(held) - 3} more" if len(held) > 3 else "")
    return Problem(
        site_dir,
        0,
        f"this folder holds files that are not a built site ({shown}), and a build empties "
        "the folder it writes into",
        "build into a new or empty folder, e.g. mkdocs build -d site",
    )


def mark_edition(site_dir: Path, edition: Edition) -> None:
    """Write which edition the folder holds (see :data:`EDITION_MARK`)."""
    try:
        (site_dir / EDITION_MARK).write_text(edition.name + "\n", encoding="utf-8")
    except OSError as exc:
        log.warning(
            f"{site_dir / EDITION_MARK}: not written ({exc.strerror or exc}) - a build of "
            "another edition into this folder will not be refused; check that you may write there"
        )

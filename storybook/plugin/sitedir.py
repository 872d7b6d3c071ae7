"""What a failed ``mkdocs build`` leaves behind: nothing that could pass for a good site."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.utils import clean_directory

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

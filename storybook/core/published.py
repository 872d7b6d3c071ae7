"""Folders whose every file MkDocs publishes: a handout or package is never written there.

MkDocs copies each file of ``docs_dir`` (and of the theme's ``custom_dir``) into the site as
it is, in both editions. A facilitator pack saved as ``docs/pack.pdf`` would be served to
learners and carried into every SCORM package; a package saved in ``docs/`` would be packed
inside the next one.
"""

from __future__ import annotations

from pathlib import Path

from storybook.core.errors import Problem
from storybook.core.project import Project
from storybook.core.siteconfig import resolve_env


def published_folders(project: Project) -> list[Path]:
    """``docs_dir`` and, when mkdocs.yml names one, the theme's ``custom_dir``."""
    folders = [project.docs_dir.resolve()]
    theme = project.config.get("theme")
    custom = resolve_env(theme.get("custom_dir")) if isinstance(theme, dict) else None
    if isinstance(custom, str) and custom.strip():
        folders.append((project.root / custom).resolve())
    return folders


def inside_published_folder(out: Path, project: Project, what: str) -> Problem | None:
    """A problem when ``out`` would land in a folder MkDocs publishes, else None."""
    where = out.parent.resolve()
    for folder in published_folders(project):
        if where == folder or where.is_relative_to(folder):
            shown = _shown(folder, project.root)
            return Problem(
                out,
                0,
                f"is inside {shown}, and MkDocs publishes every file of {shown} on the "
                f"site, learners' edition included",
                f"write the {what} outside {shown}, e.g. beside mkdocs.yml",
            )
    return None


def _shown(folder: Path, root: Path) -> str:
    """``docs/`` for a folder of the project, else the folder as it is."""
    return f"{folder.relative_to(root).as_posix()}/" if folder.is_relative_to(root) else str(folder)

"""A storybook project as its ``mkdocs.yml`` describes it: folders, plugin options, edition.

`storybook check` and `storybook export` read the project from here, so that they check and
export exactly what `mkdocs build` would build: the same stories folder, templates folder,
workshops folder and edition the plugin's options name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storybook.core.editions import BY_NAME, EDITIONS, LEARNER, Edition
from storybook.core.errors import Problem, StorybookError
from storybook.core.load import peek_text
from storybook.core.siteconfig import read_config, resolve_env

PLUGIN = "storybook"
WORKSHOPS_FOLDER = "workshops"
PATHS_FOLDER = "paths"
DEFAULT_FOLDERS = {"stories_dir": "stories", "templates_dir": "templates", "docs_dir": "docs"}


@dataclass(frozen=True)
class Project:
    """Where a storybook's files are, as its mkdocs.yml says."""

    config_file: Path
    config: dict[str, Any]
    options: dict[str, Any]
    stories_dir: Path
    templates_dir: Path
    docs_dir: Path
    # The configured folder (which must exist), else workshops/ if there is one, else None.
    workshops_dir: Path | None
    # Likewise for learning paths: paths_dir, else paths/ if there is one, else None.
    paths_dir: Path | None = None

    @property
    def root(self) -> Path:
        return self.config_file.resolve().parent


def read_project(config_file: Path) -> Project:
    """The project configured in ``config_file``; every problem as file:line."""
    config = read_config(config_file)
    options = plugin_options(config)
    problems: list[Problem] = []

    def folder(value: Any, key: str, default: str | None) -> Path | None:
        resolved = resolve_env(value)
        if resolved is None or resolved == "":
            return None if default is None else config_file.resolve().parent / default
        if not isinstance(resolved, str):
            problems.append(
                Problem(
                    config_file,
                    line_of(config_file, key),
                    f"{key} must be a folder's path",
                    f"write it as a plain path, e.g. {key}: {default or key.removesuffix('_dir')}",
                )
            )
            return None
        return (config_file.resolve().parent / resolved).resolve()

    stories = folder(options.get("stories_dir"), "stories_dir", "stories")
    templates = folder(options.get("templates_dir"), "templates_dir", "templates")
    problems += missing_templates_folder(config_file, templates, options)
    docs = folder(config.get("docs_dir"), "docs_dir", "docs")
    workshops = folder(options.get("workshops_dir"), "workshops_dir", None)
    if workshops is None and "workshops_dir" not in options:
        default = config_file.resolve().parent / WORKSHOPS_FOLDER
        workshops = default if default.is_dir() else None
    paths = folder(options.get("paths_dir"), "paths_dir", None)
    if paths is None and "paths_dir" not in options:
        default = config_file.resolve().parent / PATHS_FOLDER
        paths = default if default.is_dir() else None
    if problems:
        raise StorybookError(problems)
    assert stories is not None and templates is not None and docs is not None
    return Project(config_file, config, options, stories, templates, docs, workshops, paths)


def missing_templates_folder(
    config_file: Path, templates_dir: Path | None, options: dict[str, Any]
) -> list[Problem]:
    """A templates folder mkdocs.yml names that does not exist, as a problem at its line.

    Unnamed, the folder may be missing: the storybook's own templates are used. Named, a
    missing folder is most likely a typing slip that would silently drop the project's own
    templates."""
    named = resolve_env(options.get("templates_dir"))
    if templates_dir is None or named in (None, "") or templates_dir.is_dir():
        return []
    return [
        Problem(
            config_file,
            line_of(config_file, "templates_dir"),
            f"templates_dir names the folder '{named}', which does not exist",
            "correct the name, create the folder (it may stay empty: the storybook's own "
            "templates are used), or remove templates_dir",
        )
    ]


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    """The storybook plugin's options in mkdocs.yml ({} when it is listed without options)."""
    for name, options in plugin_entries(config):
        if name == PLUGIN:
            return dict(options) if isinstance(options, dict) else {}
    return {}


def plugin_entries(config: dict[str, Any]) -> list[tuple[Any, Any]]:
    """Each entry under ``plugins:`` in mkdocs.yml, as (name, options); options None for a
    plugin listed by its name alone. Written as a list or as a mapping, as MkDocs reads it."""
    plugins = config.get("plugins")
    entries: list[tuple[Any, Any]] = list(plugins.items()) if isinstance(plugins, dict) else []
    if isinstance(plugins, list):
        for entry in plugins:
            if isinstance(entry, dict):
                entries.extend(entry.items())
            else:
                entries.append((entry, None))
    return entries


def choose_edition(project: Project, asked: Edition | None) -> Edition:
    """``asked`` if given, else the plugin's ``edition`` option (``!ENV`` resolved), else learner."""
    if asked is not None:
        return asked
    configured = resolve_env(project.options.get("edition"))
    name = str(configured) if configured else LEARNER
    if name not in EDITIONS:
        raise StorybookError(
            [
                Problem(
                    project.config_file,
                    line_of(project.config_file, "edition"),
                    f"the storybook plugin's edition option asks for the '{name}' edition, "
                    "which does not exist",
                    f"choose the {' or the '.join(EDITIONS)} edition",
                )
            ]
        )
    return BY_NAME[name]


def line_of(config_file: Path, key: str) -> int:
    """The line where ``key:`` is first written in the file, else 1."""
    text = peek_text(config_file)
    if text is None:
        return 1
    match = re.search(rf"^\s*-?\s*{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1

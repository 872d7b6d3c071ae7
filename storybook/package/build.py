"""The site inside a package: the learner edition's offline copy, built by MkDocs as
`STORYBOOK_OFFLINE=true mkdocs build` builds it, whatever mkdocs.yml and the environment ask.

- The learner edition always: the plugin's edition is set after mkdocs.yml is read, and the
  environment a room sets for its servers is overruled too.
- Material's offline plugin always, also for a mkdocs.yml that does not list it: file links
  (use_directory_urls off), search from packed scripts, no request to a CDN.
- No instant navigation: the launch page learns which page the reader opened from its frame's
  load event, which instant navigation would replace by a fetch and a history entry. Opened
  from disk, Material turns it off anyway, so the package reads as the offline copy does.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import PluginCollection

from storybook.core.editions import EDITION_VARIABLE, LEARNER, ROOM_EDITION_VARIABLE
from storybook.core.errors import Problem, StorybookError

PLUGIN = "storybook"
OFFLINE = "offline"
OFFLINE_VARIABLE = "STORYBOOK_OFFLINE"
INSTANT = "navigation.instant"
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def build_offline_learner(config_file: Path, site_dir: Path) -> None:
    """Build the learner edition's offline copy of ``config_file``'s storybook into
    ``site_dir``; a failed build is a StorybookError at mkdocs.yml."""
    settings = {EDITION_VARIABLE: LEARNER, ROOM_EDITION_VARIABLE: LEARNER, OFFLINE_VARIABLE: "true"}
    with _environment({**QUIET, **settings}), _quiet_info():
        config = load_config(str(config_file), site_dir=str(site_dir))
        _learner_offline(config, config_file)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        except MkDocsException as exc:
            raise StorybookError(
                [
                    Problem(
                        config_file,
                        0,
                        f"MkDocs could not build the learner edition ({exc})",
                        "run mkdocs build to see every problem, fix them, then package again",
                    )
                ]
            ) from None
        finally:
            config.plugins.on_shutdown()


def _learner_offline(config: MkDocsConfig, config_file: Path) -> None:
    storybook = _plugin(config.plugins, PLUGIN)
    if storybook is None:
        raise StorybookError(
            [
                Problem(
                    config_file,
                    0,
                    "the storybook plugin is not in this file's plugins",
                    "add - storybook under plugins:, as `storybook export` would",
                )
            ]
        )
    storybook.config.edition = LEARNER
    offline = _plugin(config.plugins, OFFLINE)
    if offline is None:
        config.plugins = _with_offline_before(config.plugins, PLUGIN)
    else:
        offline.config.enabled = True
    features = config.theme.get("features") or []
    config.theme["features"] = [f for f in features if not str(f).startswith(INSTANT)]


def _plugin(plugins: PluginCollection, name: str) -> Any:
    for key, plugin in plugins.items():
        if key.rsplit("/", 1)[-1] == name:
            return plugin
    return None


def _with_offline_before(plugins: PluginCollection, name: str) -> PluginCollection:
    """``plugins`` with Material's offline plugin, on, before the storybook's: the storybook
    then replaces the CDN script the offline plugin asks for (see plugin/theme.py)."""
    from material.plugins.offline.plugin import OfflinePlugin  # type: ignore[import-untyped]

    offline = OfflinePlugin()
    errors, _warnings = offline.load_config({"enabled": True})
    if errors:  # pragma: no cover - our own settings
        raise RuntimeError(f"the offline plugin refused its settings: {errors}")
    ordered = PluginCollection()
    for key, plugin in plugins.items():
        if key.rsplit("/", 1)[-1] == name:
            ordered["material/offline"] = offline
        ordered[key] = plugin
    return ordered


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _quiet_info() -> Iterator[None]:
    """MkDocs' progress lines are for `mkdocs build`; the package command says what it made.
    Warnings still reach the terminal."""
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)

"""The MkDocs plugin: hook wiring over the storybook pipeline, nothing more."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from storybook.editions import (
    EDITIONS,
    FACILITATOR_SITE_NAME,
    LEARNER,
    edition_banner,
    is_facilitator,
)
from storybook.errors import Problem, StorybookError
from storybook.pipeline import build_site
from storybook.serve import (
    SHOWN_ON_PAGES,
    error_banner,
    keep_strict_mode_from_stopping_the_server,
)
from storybook.theme import asset_files, extend_theme
from storybook.workshops import find_workshops_dir

log = logging.getLogger("mkdocs.plugins.storybook")

REQUIRED_EXTENSIONS = ("attr_list", "admonition", "md_in_html")
# Set in config.extra wherever the storybook's pages are in the build (this plugin, or
# `storybook export`); overrides/main.html warns on every page when it is missing.
PAGES_FLAG = "storybook_pages"


# MkDocs' Config.__init_subclass__ has no type hints.
class StorybookConfig(Config):  # type: ignore[no-untyped-call]
    stories_dir = c.Dir(exists=True, default="stories")
    templates_dir = c.Dir(exists=True, default="templates")
    # Unset: the workshops/ folder beside mkdocs.yml, if there is one.
    workshops_dir = c.Optional(c.Dir(exists=True))
    # mkdocs.yml sets it with `edition: !ENV [STORYBOOK_EDITION, learner]`.
    edition = c.Choice(EDITIONS, default=LEARNER)


class StorybookPlugin(BasePlugin[StorybookConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.serving = False
        self.command = ""
        self.problems: list[Problem] = []
        self.root = Path.cwd()
        self.last_good: dict[str, str] = {}

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.serving = command == "serve"
        self.command = command

    @property
    def facilitator(self) -> bool:
        return is_facilitator(self.config.edition)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.facilitator:
            _facilitator_config(config, self.command)
        for extension in REQUIRED_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        extend_theme(config)
        config.extra[PAGES_FLAG] = True
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        root = self.root = Path(config.config_file_path).parent
        result = build_site(
            Path(self.config.stories_dir),
            Path(self.config.templates_dir),
            include_drafts=self.facilitator,
            edition=self.config.edition,
            workshops_dir=self.workshops_dir(),
        )
        problems = result.problems + _collisions(result.pages, files, root)
        pages = result.pages
        if problems:
            report = StorybookError(problems).format(root)
            if not self.serving:
                raise PluginError(f"The storybook has {len(problems)} problem(s):\n{report}")
            keep_strict_mode_from_stopping_the_server()
            for line in report.splitlines():
                log.warning(line, extra={SHOWN_ON_PAGES: True})
            # Keep serving the last good version of anything that is broken now.
            pages = {**self.last_good, **pages}
        else:
            self.last_good = dict(pages)
        self.problems = problems
        for src_uri, content in pages.items():
            if files.get_file_from_path(src_uri) is None:
                # Stories and tag pages are reached through index pages, not the sidebar.
                files.append(
                    File.generated(
                        config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV
                    )
                )
        for asset in asset_files(config):
            files.append(asset)
        return files

    def on_page_markdown(
        self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str:
        if self.serving and self.problems:
            markdown = error_banner(self.problems, self.root) + markdown
        if self.facilitator:
            markdown = edition_banner() + markdown
        return markdown

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        server.watch(self.config.stories_dir)
        server.watch(self.config.templates_dir)
        workshops = self.workshops_dir()
        if workshops is not None:
            server.watch(str(workshops))
        return server

    def workshops_dir(self) -> Path | None:
        return find_workshops_dir(self.config.workshops_dir, self.root)


def _facilitator_config(config: MkDocsConfig, command: str) -> None:
    """Mark the facilitator edition everywhere, and keep it out of the learners' site folder."""
    if command == "gh-deploy":
        raise PluginError(
            "The facilitator edition is never deployed: it holds facilitator notes. "
            "Deploy the learner edition (unset STORYBOOK_EDITION)."
        )
    config.site_name = FACILITATOR_SITE_NAME.format(site_name=config.site_name)
    default_site = os.path.join(os.path.dirname(config.config_file_path), "site")
    if os.path.abspath(config.site_dir) == os.path.abspath(default_site):
        config.site_dir = default_site + "-facilitator"


def _collisions(pages: dict[str, str], files: Files, root: Path) -> list[Problem]:
    """A hand-written page in docs/ must not silently replace or hide a generated one."""
    problems = []
    for src_uri in pages:
        existing = files.get_file_from_path(src_uri)
        if existing is not None and existing.abs_src_path:
            problems.append(
                Problem(
                    Path(existing.abs_src_path),
                    1,
                    f"this file has the same address as a page the storybook makes ({src_uri})",
                    "rename or move it",
                )
            )
    return problems

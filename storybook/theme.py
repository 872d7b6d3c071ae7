"""What the storybook adds to the Material theme for readers.

Stylesheets (with the contrast fixes the theme needs), the reflection journal's script, and a
local stand-in for the Web Worker shim that Material's offline build would otherwise fetch
from a CDN. The plugin calls these; nothing here runs a build. The one fix CSS cannot make,
a name for the search dialog, is in the project's theme override, overrides/main.html.
"""

from __future__ import annotations

from collections.abc import Collection
from importlib import resources
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from storybook.pages import TRAINER_PAGES

STYLESHEETS = ("assets/storybook.css", "assets/reader.css")
SCRIPTS = ("assets/journal.js", "assets/reader.js")
# Material's offline plugin adds its CDN shim unless a polyfill named like this is present.
WORKER_SHIM = "assets/iframe-worker-shim.js"
ASSETS = (*STYLESHEETS, *SCRIPTS, WORKER_SHIM)
# The footer's line when mkdocs.yml sets no `copyright:`: what the site is.
DEFAULT_FOOTER = (
    "{site_name}: stories of the moments that make or break a new front-line manager, "
    "with questions to think them through. Your answers stay in your browser."
)


def extend_theme(config: MkDocsConfig) -> None:
    """Add the reader's assets to the site's configuration (idempotent)."""
    for path in STYLESHEETS:
        if path not in config.extra_css:
            config.extra_css.append(path)
    for path in SCRIPTS:
        if path not in config.extra_javascript:
            config.extra_javascript.append(path)
    if offline_build(config):
        use_local_worker_shim(config)
    if not config.copyright:
        config.copyright = DEFAULT_FOOTER.format(site_name=config.site_name)


def without_trainer_pages(nav: Any) -> Any:
    """The navigation of mkdocs.yml without the trainers' pages (for the learner edition)."""
    return without_pages(nav, TRAINER_PAGES)


def without_pages(nav: Any, pages: Collection[str]) -> Any:
    """The navigation of mkdocs.yml without the entries for ``pages`` (docs-relative)."""
    if isinstance(nav, list):
        kept = [without_pages(item, pages) for item in nav if not _names(item, pages)]
        return [item for item in kept if item not in ({}, [])]
    if isinstance(nav, dict):
        return {title: without_pages(value, pages) for title, value in nav.items()}
    return nav


def _names(item: object, pages: Collection[str]) -> bool:
    if isinstance(item, str):
        return item in pages
    if isinstance(item, dict) and len(item) == 1:
        (value,) = item.values()
        return isinstance(value, str) and value in pages
    return False


def offline_build(config: MkDocsConfig) -> bool:
    """Whether Material's offline plugin is on (``STORYBOOK_OFFLINE=true`` in our mkdocs.yml)."""
    for name, plugin in config.plugins.items():
        if name.rsplit("/", 1)[-1] == "offline":
            return bool(getattr(plugin.config, "enabled", False))
    return False


def use_local_worker_shim(config: MkDocsConfig) -> None:
    """Search from file:// needs a Worker stand-in; ours ships with the site, no CDN."""
    polyfills = [
        script
        for script in config.extra.get("polyfills", [])
        if "iframe-worker" not in str(script) or script == WORKER_SHIM
    ]
    if WORKER_SHIM not in polyfills:
        polyfills.append(WORKER_SHIM)
    config.extra["polyfills"] = polyfills


def asset_files(config: MkDocsConfig) -> list[File]:
    return [File.generated(config, path, content=asset_text(path)) for path in ASSETS]


def asset_text(path: str) -> str:
    return resources.files("storybook").joinpath(path).read_text(encoding="utf-8")

"""The site recipe: what every engine building the storybook must be given, in one place.

The MkDocs plugin hands these to MkDocs as it builds; `storybook export` writes them into a
plain ``mkdocs.yml`` and ``docs/``. Neither adapter decides any of it on its own: the pages,
the Markdown extensions they need, the stylesheets and scripts, the offline Worker shim, the
flag that tells the theme override the storybook's pages are there, the edition's site name
and banner, and the rule that a hand-written page never silently replaces a generated one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from storybook.core.errors import Problem
from storybook.core.pages import TRAINER_PAGES
from storybook.core.safety import MARKDOWN_EXTENSIONS

__all__ = [
    "ASSETS",
    "DEFAULT_FOOTER",
    "MARKDOWN_EXTENSIONS",
    "PAGES_FLAG",
    "SCRIPTS",
    "SITE_ADDRESS",
    "STYLESHEETS",
    "THEME_SCRIPTS",
    "WORKER_SHIM",
    "asset_bytes",
    "assets",
    "collisions",
    "files_below",
    "without_pages",
    "without_trainer_pages",
]

# Set in config.extra wherever the storybook's pages are in the build (the plugin, or
# `storybook export`); overrides/main.html warns on every page when it is missing.
PAGES_FLAG = "storybook_pages"
STYLESHEETS = (
    "assets/storybook.css",
    "assets/reader.css",
    "assets/workshops.css",
    "assets/print.css",
    "assets/room.css",
)
# Finds the site's root for the scripts after it: it comes first (see site-address.js).
SITE_ADDRESS = "assets/site-address.js"
SCRIPTS = (
    SITE_ADDRESS,
    "assets/journal.js",
    "assets/reader.js",
    "assets/workshop-console.js",
    "assets/console.js",
)
# The projector view's own page template loads these; no other page does.
PROJECTOR_ASSETS = ("assets/present.css", "assets/present.js")
# Material's offline plugin adds its CDN shim unless a polyfill named like this is present.
WORKER_SHIM = "assets/iframe-worker-shim.js"
# The theme's inline scripts, which the theme's overrides load as a file (see core/csp.py).
THEME_SCRIPTS = "assets/theme-scripts.js"
ASSETS = (*STYLESHEETS, *SCRIPTS, *PROJECTOR_ASSETS, WORKER_SHIM, THEME_SCRIPTS)
# The footer's line when mkdocs.yml sets no `copyright:`: what the site is.
DEFAULT_FOOTER = (
    "{site_name}: stories of the moments that make or break a new front-line manager, "
    "with questions to think them through. Your answers stay in your browser."
)


def asset_bytes(path: str) -> bytes:
    """One of the files the storybook adds to every site, by its path in the site."""
    return resources.files("storybook").joinpath(path).read_bytes()


def assets() -> Iterator[tuple[str, bytes]]:
    """Every file below ``storybook/assets/``, as (path in the site, bytes)."""
    folder = resources.files("storybook").joinpath("assets")
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.is_file() and not entry.name.startswith("."):
            yield f"assets/{entry.name}", entry.read_bytes()


def files_below(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every file below ``folder`` as (posix path, path), skipping hidden files as MkDocs does."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        hidden = any(part.startswith(".") or part == "__pycache__" for part in rel.parts)
        if path.is_file() and not hidden:
            yield rel.as_posix(), path


def address(src_uri: str) -> str:
    """The page address a docs-relative Markdown file gets: ``tags.md`` and ``tags/index.md``
    are both ``tags/``, as MkDocs makes them with directory URLs."""
    path = src_uri.removesuffix(".md")
    if path == "index" or path.endswith(("/index", "/README")) or path == "README":
        path = path.rsplit("/", 1)[0] if "/" in path else ""
    return path + "/" if path else ""


def collisions(generated: Iterable[str], hand_written: Mapping[str, Path]) -> list[Problem]:
    """A hand-written file at a generated page's address is a problem at that file: it must
    not silently replace or hide the generated one (``docs/tags.md`` would take the Themes
    page's address, ``tags/index.md``)."""
    by_address = {address(src_uri): src_uri for src_uri in generated}
    return [
        Problem(
            path,
            1,
            "this file has the same address as a page the storybook makes "
            f"({by_address[address(rel)]})",
            "rename or move it",
        )
        for rel, path in sorted(hand_written.items())
        if rel.endswith(".md") and address(rel) in by_address
    ]


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

"""The site recipe: what every engine building the storybook must be given, in one place.

The MkDocs plugin hands these to MkDocs as it builds; `storybook export` writes them into a
plain ``mkdocs.yml`` and ``docs/``. Neither adapter decides any of it on its own: the pages,
the Markdown extensions they need, the stylesheets and scripts, the offline Worker shim, the
flag that tells the theme override the storybook's pages are there, the edition's site name
and banner, and the rule that a hand-written page never silently replaces a generated one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path

from storybook.core.errors import Problem
from storybook.core.safety import MARKDOWN_EXTENSIONS

__all__ = [
    "ASSETS",
    "MARKDOWN_EXTENSIONS",
    "PAGES_FLAG",
    "SCRIPTS",
    "STYLESHEETS",
    "WORKER_SHIM",
    "asset_bytes",
    "assets",
    "collisions",
]

# Set in config.extra wherever the storybook's pages are in the build (the plugin, or
# `storybook export`); overrides/main.html warns on every page when it is missing.
PAGES_FLAG = "storybook_pages"
STYLESHEETS = ("assets/storybook.css", "assets/reader.css")
SCRIPTS = ("assets/journal.js",)
# Material's offline plugin adds its CDN shim unless a polyfill named like this is present.
WORKER_SHIM = "assets/iframe-worker-shim.js"
ASSETS = (*STYLESHEETS, *SCRIPTS, WORKER_SHIM)


def asset_bytes(path: str) -> bytes:
    """One of the files the storybook adds to every site, by its path in the site."""
    return resources.files("storybook").joinpath(path).read_bytes()


def assets() -> Iterator[tuple[str, bytes]]:
    """Every file below ``storybook/assets/``, as (path in the site, bytes)."""
    folder = resources.files("storybook").joinpath("assets")
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.is_file() and not entry.name.startswith("."):
            yield f"assets/{entry.name}", entry.read_bytes()


def collisions(generated: Iterable[str], hand_written: Mapping[str, Path]) -> list[Problem]:
    """A hand-written page at a generated page's address (docs-relative) is a problem at that
    file: it must not silently replace or hide the generated one."""
    return [
        Problem(
            hand_written[src_uri],
            1,
            f"this file has the same address as a page the storybook makes ({src_uri})",
            "rename or move it",
        )
        for src_uri in sorted(generated)
        if src_uri in hand_written
    ]

"""The Content-Security-Policy every page carries: scripts and workers from the site only.

The policy is written once, in the theme partial ``partials/storybook-csp.html`` that the
storybook's theme overrides put into every page's head, whichever engine renders them: the
plugin adds the overrides to the theme, and ``storybook export`` copies them into the
exported site's theme folder. The theme's own inline scripts are run from a file of the site
instead (``assets/theme-scripts.js``), so the policy needs no hash and is the same on every
page, served, opened from disk or rendered by another engine.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

# The storybook's overrides of the theme's partials, by their path inside the theme folder.
THEME_FOLDER = ("plugin", "theme")
OVERRIDES = "partials"
# Its override of the theme's main.html: the search dialog's name, and the banner a site built
# by an engine that skipped the plugin shows (an export carries it into its theme folder).
MAIN_TEMPLATE = "main.html"
POLICY_PARTIAL = "partials/storybook-csp.html"
_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="(?P<policy>[^"]*)">')
_SCRIPT = re.compile(r"<script\b(?P<attributes>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
# Script types a browser does not run: data, such as Material's configuration.
_DATA_TYPE = re.compile(r"""\btype\s*=\s*["']?application/(?:ld\+)?json""", re.I)
_SOURCE = re.compile(r"\bsrc\s*=", re.I)


def theme_overrides() -> Iterator[tuple[str, bytes]]:
    """The storybook's theme overrides (main.html and the partials), as (path inside a theme
    folder, bytes)."""
    theme = resources.files("storybook").joinpath(*THEME_FOLDER)
    yield MAIN_TEMPLATE, theme.joinpath(MAIN_TEMPLATE).read_bytes()
    yield from _files(theme.joinpath(OVERRIDES), OVERRIDES)


def _files(folder: Traversable, prefix: str) -> Iterator[tuple[str, bytes]]:
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        name = f"{prefix}/{entry.name}"
        if entry.is_dir():
            yield from _files(entry, name)
        elif entry.is_file() and entry.name.endswith(".html"):
            yield name, entry.read_bytes()


@functools.cache
def policy() -> str:
    """The policy, as the pages carry it."""
    partial = dict(theme_overrides())[POLICY_PARTIAL].decode("utf-8")
    found = _POLICY.search(partial)
    if found is None:
        raise RuntimeError(f"{POLICY_PARTIAL} holds no Content-Security-Policy")
    return html.unescape(found["policy"])


def page_policies(page: str) -> list[str]:
    """The Content-Security-Policies a built page declares."""
    return [html.unescape(found["policy"]) for found in _POLICY.finditer(page)]


def inline_scripts(page: str) -> list[str]:
    """The bodies of the inline scripts a browser would run in a built page (none may run)."""
    return [
        found["body"]
        for found in _SCRIPT.finditer(page)
        if not _SOURCE.search(found["attributes"]) and not _DATA_TYPE.search(found["attributes"])
    ]


_HEAD = re.compile(r"<head\b[^>]*>", re.I)


def with_policy(page: str) -> str:
    """``page`` with the policy first in its head, unless its template put it there: a
    project's own theme override of the partial that holds it must not lift it."""
    if _POLICY.search(page):
        return page
    head = _HEAD.search(page)
    if head is None:
        return page
    meta = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy())}">'
    return page[: head.end()] + meta + page[head.end() :]

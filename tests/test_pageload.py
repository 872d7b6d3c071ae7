"""A built page asks for all its scripts at once: deferred, and preloaded in the head.

The Content-Security-Policy in each page's head stops Chromium looking ahead for what to fetch,
so every script that held up the page was asked for only once the one before it had run
(storybook/core/pageload.py). These tests check what the built pages declare; the browser
tests check that the pages and search still work with them (tests/browser/test_page_load.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

import pytest

from storybook.core.pageload import RUN_IN_PLACE, deferred_scripts, preloaded_scripts
from storybook.core.site import SITE_ADDRESS
from storybook.plugin.theme import PAGEFIND_SEARCH

BUNDLE = "assets/javascripts/bundle."
_TAG = re.compile(r"<script\b([^>]*)>", re.I)
_SRC = re.compile(r'\bsrc="([^"]*)"')

PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="assets/main.css">
<script src="assets/site-address.js"></script>
<meta http-equiv="Content-Security-Policy" content="script-src 'self'">
<script src="assets/theme-scripts.js" data-part="base"></script>
</head><body>
<script src="assets/theme-scripts.js" data-part="palette"></script>
<script id="__config" type="application/json">{"base": "."}</script>
<script src="assets/bundle.js"></script>
<script src="assets/journal.js"></script>
<script src="assets/module.js" type="module"></script>
<script src="assets/late.js" async></script>
</body></html>"""


def scripts(page: str) -> list[tuple[str, str]]:
    """(src, the rest of the tag) of each external script, in order."""
    found = []
    for match in _TAG.finditer(page):
        source = _SRC.search(match[1])
        if source:
            found.append((source[1], match[1].replace(source[0], "").strip()))
    return found


def test_plain_scripts_are_deferred_in_order_and_the_themes_run_in_place() -> None:
    page = deferred_scripts(PAGE)
    assert scripts(page) == [
        ("assets/site-address.js", "defer"),
        ("assets/theme-scripts.js", 'data-part="base"'),
        ("assets/theme-scripts.js", 'data-part="palette"'),
        ("assets/bundle.js", "defer"),
        ("assets/journal.js", "defer"),
        ("assets/module.js", 'type="module"'),
        ("assets/late.js", "async"),
    ]
    # The configuration stays data, untouched.
    assert '<script id="__config" type="application/json">{"base": "."}</script>' in page


def test_the_bodys_deferred_scripts_are_asked_for_in_the_head_before_the_themes() -> None:
    page = deferred_scripts(PAGE)
    assert preloaded_scripts(page) == ["assets/bundle.js", "assets/journal.js"]
    head = page[: page.index("</head>")]
    assert head.index('href="assets/journal.js"') < head.index("theme-scripts.js")
    # Once is enough: a page marked already is left as it is.
    assert deferred_scripts(page) == page


def test_a_page_without_a_head_or_plain_scripts_is_left_alone() -> None:
    assert deferred_scripts("<p>no head</p><script src='a.js'></script>") == (
        "<p>no head</p><script src='a.js'></script>"
    )
    quiet = "<html><head></head><body><script src='a.js' defer></script></body></html>"
    assert deferred_scripts(quiet) == quiet


@pytest.mark.parametrize("offline", [False, True])
def test_every_built_page_defers_its_scripts_and_preloads_files_of_the_site(
    built_sample: Callable[..., Path], offline: bool
) -> None:
    site = built_sample(offline=offline)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 30
    for path in pages:
        page = path.read_text(encoding="utf-8")
        if "</head>" not in page:
            continue  # a redirect or a handout without scripts
        address = path.relative_to(site).as_posix()
        for source, rest in scripts(page):
            if source.endswith(RUN_IN_PLACE):
                assert "defer" not in rest, (address, source)
            else:
                assert re.search(r"\b(defer|async)\b|type=", rest), (address, source, rest)
        for preload in preloaded_scripts(page):
            target = urljoin(address, preload).lstrip("/")  # the 404 page: from the root
            assert (site / target).is_file(), (address, preload)


def test_search_and_the_site_address_still_run_before_materials_bundle(
    built_sample: Callable[..., Path],
) -> None:
    page = (built_sample() / "index.html").read_text(encoding="utf-8")
    order = [source for source, _ in scripts(page)]
    bundle = next(index for index, source in enumerate(order) if BUNDLE in source)
    assert order.index(SITE_ADDRESS) < order.index(PAGEFIND_SEARCH) < bundle
    preloads = preloaded_scripts(page)
    assert any(BUNDLE in source for source in preloads), preloads
    head = page[: page.index("</head>")]
    assert head.index(BUNDLE) < head.index("theme-scripts.js")

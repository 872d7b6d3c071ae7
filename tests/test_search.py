"""Which search a site gets: Pagefind for a built site, Material's own (lunr) elsewhere.

Real builds of the sample storybook; what the reader sees of search is in
tests/browser/test_finding_stories.py and tests/browser/test_offline.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from storybook.plugin.search import mark_excluded, uses_pagefind
from storybook.plugin.theme import PAGEFIND_SEARCH

from .conftest import copy_sample, search_index

BUNDLE = "assets/javascripts/bundle."


def build(project: Path, command: str = "build", **overrides: Any) -> Path:
    """Build as `mkdocs <command>` would (serve: the same build, told it is serving)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    site = project.parent / f"{project.name}-site"
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), **overrides)
    config.plugins.on_startup(command=command, dirty=False)  # type: ignore[arg-type]
    try:
        mkdocs_build(config, serve_url="http://127.0.0.1:8000/" if command == "serve" else None)
    finally:
        config.plugins.on_shutdown()
    return site


def set_engine(project: Path, engine: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("search: pagefind", f"search: {engine}")
    config.write_text(text, encoding="utf-8")


def scripts_in_order(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('<script src="')[1:]]


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return copy_sample(tmp_path / "project")


def test_a_built_site_searches_pagefind_through_materials_search_box(sample: Path) -> None:
    site = build(sample)
    assert (site / "pagefind" / "pagefind.js").is_file()
    # The pages Material's search indexes too (not 404.html, the projector's views or the
    # workbooks, which say search: exclude), and an entry file that says so (it was once
    # left empty).
    pages = {doc["location"].split("#")[0] for doc in search_index(site)}
    assert len(pages) > 30
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == len(pages)
    assert not (site / ".pagefind-pages").exists()
    assert len(list((site / "pagefind" / "fragment").glob("*.pf_fragment"))) == len(pages)
    # Only what the script behind Material's box loads: not Pagefind's own interfaces, nor its
    # worker (Pagefind runs in the page).
    assert not list((site / "pagefind").glob("pagefind-*ui*"))
    assert not (site / "pagefind" / "pagefind-worker.js").exists()
    scripts = scripts_in_order((site / "stories" / "the-quiet-slump" / "index.html").read_text())
    ours = next(index for index, src in enumerate(scripts) if src.endswith(PAGEFIND_SEARCH))
    bundle = next(index for index, src in enumerate(scripts) if BUNDLE in src)
    assert ours < bundle, "it must be in place before Material's search starts"
    # Material's index is still written (the export and other engines build it themselves).
    assert search_index(site)


def test_search_lunr_keeps_materials_search_everywhere(sample: Path) -> None:
    set_engine(sample, "lunr")
    site = build(sample)
    assert not (site / "pagefind").exists()
    assert PAGEFIND_SEARCH not in (site / "index.html").read_text(encoding="utf-8")


def test_the_offline_build_keeps_materials_search_which_works_from_disk(sample: Path) -> None:
    with mock.patch.dict(os.environ, {"STORYBOOK_OFFLINE": "true"}):
        site = build(sample)
    assert not (site / "pagefind").exists()
    assert (site / "search" / "search_index.js").is_file()
    assert PAGEFIND_SEARCH not in (site / "index.html").read_text(encoding="utf-8")


def test_mkdocs_serve_keeps_materials_search_which_it_updates_after_each_save(
    sample: Path,
) -> None:
    site = build(sample, command="serve")
    assert not (site / "pagefind").exists()
    assert PAGEFIND_SEARCH not in (site / "index.html").read_text(encoding="utf-8")


def test_lists_of_stories_are_marked_for_both_indexes(sample: Path) -> None:
    """Material removes its own mark after indexing a page; Pagefind's stays for Pagefind."""
    site = build(sample)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<div class="storybook-cards" data-pagefind-ignore role="list">' in home
    assert home.count('<div class="storybook-card" data-pagefind-ignore') >= 20
    story = (site / "stories" / "the-quiet-slump" / "index.html").read_text(encoding="utf-8")
    assert 'class="storybook-related"' in story  # excluded by its class (search.py)
    assert not [doc for doc in search_index(site) if "hailstorm" in doc["text"].lower()
                and not doc["location"].startswith("stories/the-hail-articles/")]  # fmt: skip


def test_mark_excluded_adds_pagefinds_mark_to_each_of_materials() -> None:
    html = (
        '<div class="a" data-search-exclude="data-search-exclude">x</div>'
        "<h2 data-search-exclude>y</h2><p data-search-excluded>z</p>"
    )
    assert mark_excluded(html) == (
        '<div class="a" data-search-exclude="data-search-exclude" data-pagefind-ignore>x</div>'
        "<h2 data-search-exclude data-pagefind-ignore>y</h2><p data-search-excluded>z</p>"
    )


@pytest.mark.parametrize(
    ("engine", "serving", "offline", "expected"),
    [
        ("pagefind", False, False, True),
        ("pagefind", True, False, False),
        ("pagefind", False, True, False),
        ("lunr", False, False, False),
    ],
)
def test_which_search_a_site_gets(
    engine: str, serving: bool, offline: bool, expected: bool
) -> None:
    assert uses_pagefind(engine, serving=serving, offline=offline) is expected

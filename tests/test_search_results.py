"""Search lands on stories: no page that lists or repeats stories (home, its further pages,
Themes, each theme's pages, learning paths, workshops, coverage, the trainers' guide) is ever
a search result, in Pagefind's index or in Material's (lunr), in either edition.

Real builds of the sample storybook, its lists paged (three stories a page) so that the
further pages are there too; the indexes are read as a browser reads them: Pagefind's
manifest and fragments (plugin/search.py's CBOR reader), Material's search_index.json.
What the reader sees is in tests/browser/test_search_results.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import storybook.core.pages
from storybook.core.pages import out_of_search
from storybook.export.exporter import export_site
from storybook.plugin.search import indexed_urls

from .conftest import build_edition, copy_sample

# Pages of the sample storybook's site that only list or repeat stories, in each edition.
LISTINGS = [
    "",
    "all-stories/2/",
    "tags/",
    "tags/wellbeing/",
    "tags/feedback/2/",
    "paths/",
    "paths/first-90-days/",
    "workshops/",
    "workshops/hard-conversations/",
]
FACILITATOR_LISTINGS = ["authoring/", "coverage/", "coverage/2/"]
# Pages the trainers wrote themselves (docs/): theirs to keep out of search or not.
HAND_WRITTEN = ["about/"]


@pytest.fixture
def paged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storybook.core.pages, "STORIES_PER_PAGE", 3)


def story_pages(site: Path) -> set[str]:
    return {f"stories/{page.parent.name}/" for page in (site / "stories").glob("*/index.html")}


def built(site: Path, address: str) -> bool:
    return (site / address / "index.html").is_file()


def lunr_results(site: Path) -> set[str]:
    """Every page Material's search can list (each section's address, its heading left off)."""
    data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {doc["location"].split("#", 1)[0] for doc in data["docs"]}


def use_engine(project: Path, engine: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("search: pagefind", f"search: {engine}")
    config.write_text(text, encoding="utf-8")


@pytest.mark.usefixtures("paged")
@pytest.mark.parametrize("edition", ["learner", "facilitator"])
def test_pagefind_indexes_the_stories_and_no_list_of_them(tmp_path: Path, edition: str) -> None:
    site = build_edition(copy_sample(tmp_path / "project"), edition)
    listings = LISTINGS + (FACILITATOR_LISTINGS if edition == "facilitator" else [])
    assert all(built(site, address) for address in listings), listings
    stories = story_pages(site)
    assert len(stories) >= 30
    indexed = {url.removeprefix("/") for url in indexed_urls(site / "pagefind")}
    assert indexed == stories | set(HAND_WRITTEN)


@pytest.mark.usefixtures("paged")
@pytest.mark.parametrize("edition", ["learner", "facilitator"])
def test_materials_search_lists_the_stories_and_no_list_of_them(
    tmp_path: Path, edition: str
) -> None:
    project = copy_sample(tmp_path / "project")
    use_engine(project, "lunr")
    site = build_edition(project, edition)
    listings = LISTINGS + (FACILITATOR_LISTINGS if edition == "facilitator" else [])
    assert all(built(site, address) for address in listings), listings
    assert lunr_results(site) == story_pages(site) | set(HAND_WRITTEN)


def test_an_export_keeps_its_lists_out_of_search_for_any_engine(tmp_path: Path) -> None:
    """The export holds no plugin: its pages say it in their front matter, which Material's
    search (under MkDocs or ProperDocs) reads."""
    project = copy_sample(tmp_path / "project")
    out = tmp_path / "export"
    export_site(project / "mkdocs.yml", out)
    docs = out / "docs"
    for page in ("index.md", "tags/index.md", "tags/wellbeing.md", "paths/index.md",
                 "workshops/hard-conversations.md"):  # fmt: skip
        assert front_matter(docs / page).get("search") == {"exclude": True}, page
    assert "search" not in front_matter(docs / "stories" / "the-quiet-slump.md")
    assert "search" not in front_matter(docs / "about.md")


def front_matter(page: Path) -> dict[str, object]:
    text = page.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    meta = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert isinstance(meta, dict)
    return meta


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # Front matter is kept, the setting joins it.
        ('---\ntitle: "Themes"\n---\n\n# Themes\n',
         '---\ntitle: "Themes"\nsearch:\n  exclude: true\n---\n\n# Themes\n'),
        # A template without front matter gets one.
        ("# All stories\n", "---\nsearch:\n  exclude: true\n---\n\n# All stories\n"),
        # Its own search settings stay.
        ("---\ntitle: T\nsearch:\n  boost: 2\n---\nBody\n",
         "---\ntitle: T\nsearch:\n  boost: 2\n  exclude: true\n---\nBody\n"),
        # Already out: nothing changes but the layout of the front matter.
        ("---\nsearch: {exclude: true}\n---\nBody\n", "---\nsearch:\n  exclude: true\n---\nBody\n"),
    ],
)  # fmt: skip
def test_a_page_out_of_search_says_so_in_its_front_matter(page: str, expected: str) -> None:
    assert out_of_search(page) == expected

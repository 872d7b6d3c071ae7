"""What a search lists: stories only, and every story that matches, however many.

Pagefind answers on a built site (served, and offline from disk), Material's own search (lunr)
with `search: lunr`; both through Material's search box and result list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from storybook.core.library import load_library

from ..conftest import ROOT
from .conftest import PHONE, Reader, search

ITEMS = ".md-search-result__item"
LINKS = f"{ITEMS} > .md-search-result__link"
# A word nearly every sample story holds, far more than the ten results Material shows at once.
COMMON_WORD = "team"
# A theme's name: the Themes page and the theme's own page are all about it.
THEME_WORD = "delegation"


def stories_holding(word: str) -> set[str]:
    """The published sample stories whose own text holds ``word`` as a word."""
    pattern = re.compile(rf"\b{word}\b", re.IGNORECASE)
    return {
        story.slug
        for story in load_library(ROOT / "stories", ROOT / "templates").published
        if pattern.search(" ".join([story.title, story.summary, story.body]))
    }


def matching(page: Page) -> int:
    """How many results Material's list says there are ("N matching documents")."""
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_have_text(re.compile(r"\d+ matching"))
    return int(re.sub(r"\D", "", meta.inner_text().split("matching")[0]))


# Scrolls a box to its top (true) or its end (false), once the box has said it scrolled.
SCROLL = """(box, top) => new Promise(resolve => {
  const target = top ? 0 : box.scrollHeight - box.clientHeight;
  if (Math.abs(box.scrollTop - target) < 1) return resolve();
  box.addEventListener("scroll", () => resolve(), { once: true });
  box.scrollTo(0, target);
})"""


def scroll_to_every_result(page: Page, total: int) -> list[str]:
    """Scrolls the result list to its end until it lists ``total`` results, as a reader
    does, and waits for each to show its page's title; returns their addresses."""
    items = page.locator(ITEMS)
    box = page.locator(".md-search__scrollwrap")
    while items.count() < total:
        list_more(items, box)
    expect(items).to_have_count(total)
    expect(page.locator(f"{LINKS} h1", has_text=re.compile(r"^…$"))).to_have_count(0)
    # Each result's page: its first link (Material's search lists sections under it).
    hrefs: list[str] = items.evaluate_all(
        "items => items.map(item => item.querySelector('a').getAttribute('href'))"
    )
    return hrefs


def list_more(items: Locator, box: Locator, scrolls: int = 5) -> None:
    """Scrolls to the end of the list until Material lists more results than it did.

    Material lists four more each time the list comes to its end, as the reader scrolls
    down to it: away from the end first, then to it. On a busy machine the list may not yet
    be long enough to scroll when it is first scrolled (both scrolls then do nothing, and
    nothing is listed): the reader scrolls again, as a reader would."""
    listed = items.count()
    for _ in range(scrolls - 1):
        box.evaluate(SCROLL, True)
        box.evaluate(SCROLL, False)
        try:
            expect(items).not_to_have_count(listed)
            return
        except AssertionError:
            continue
    box.evaluate(SCROLL, True)
    box.evaluate(SCROLL, False)
    expect(items).not_to_have_count(listed)


def slug_of(href: str) -> str:
    """The story a result opens, or the hand-written page (docs/about.md: its own words are
    searched, as the trainers wrote it)."""
    found = re.search(r"stories/([^/?#.]+)", href) or re.search(r"/(about)(/|\.html)", href)
    assert found, f"neither a story nor a hand-written page: {href}"
    return found[1]


@pytest.fixture(params=["pagefind", "lunr", "offline"])
def engine_reader(request: pytest.FixtureRequest, open_reader: Callable[..., Reader]) -> Reader:
    """A reader of the sample site searched by Pagefind (served, or the offline copy from
    disk) or by Material's own search."""
    if request.param == "offline":
        site: Path = request.getfixturevalue("offline_site")
        return open_reader(base=site.as_uri() + "/", viewport=PHONE)
    base = request.getfixturevalue("site_url" if request.param == "pagefind" else "lunr_site_url")
    return open_reader(base=base, viewport=PHONE)


def open_home(reader: Reader) -> Page:
    return reader.open("index.html" if reader.base.startswith("file:") else "")


def test_a_common_word_lets_the_reader_reach_every_story_holding_it(
    engine_reader: Reader,
) -> None:
    """Material shows ten results, then more as the reader scrolls: all of them, each with
    its story's title and address, none twice."""
    expected = stories_holding(COMMON_WORD)
    assert len(expected) > 20, "pick a word most sample stories hold"
    page = open_home(engine_reader)
    page.locator("label[for=__search]").first.click()
    search(page, COMMON_WORD)
    total = matching(page)
    assert total >= len(expected)
    hrefs = scroll_to_every_result(page, total)
    slugs = [slug_of(href) for href in hrefs]
    assert len(set(slugs)) == len(slugs) == total
    assert expected <= set(slugs)
    assert engine_reader.errors == []


def test_a_result_shown_late_opens_its_story(engine_reader: Reader) -> None:
    """The last result, listed only once the reader has scrolled to it, is a story like the
    first: its link opens that story's page."""
    page = open_home(engine_reader)
    page.locator("label[for=__search]").first.click()
    search(page, COMMON_WORD)
    hrefs = scroll_to_every_result(page, matching(page))
    last = page.locator(LINKS).last
    last.scroll_into_view_if_needed()
    last.click()
    page.wait_for_url(re.compile(re.escape(slug_of(hrefs[-1]))))
    title = page.locator(".md-content article h1").first
    expect(title).to_be_visible()


def test_a_theme_word_finds_stories_not_the_lists_of_them(engine_reader: Reader) -> None:
    """The Themes page and the theme's own page are about the word; the stories are what a
    reader is after."""
    page = open_home(engine_reader)
    page.locator("label[for=__search]").first.click()
    search(page, THEME_WORD)
    total = matching(page)
    assert total >= 1
    hrefs = scroll_to_every_result(page, total)
    assert {slug_of(href) for href in hrefs} >= stories_holding(THEME_WORD)

"""Pagefind's result list shows as soon as its first results' texts are in.

Each result's title and passage is a request of its own (a Pagefind fragment), paced one after
another on a phone's network: the list waits for the first three only, and the other results
on screen are filled in after it shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Route, expect

from .conftest import PHONE, Reader

LINKS = ".md-search-result__item > .md-search-result__link"
# A word most sample stories hold: more results than the ten Material shows at once.
COMMON_WORD = "team"
# The results whose texts the list waits for (pagefind-search.js: FIRST).
FIRST = 3


def test_the_list_shows_once_the_first_results_are_in_and_fills_in_the_rest(
    open_reader: Callable[..., Reader],
) -> None:
    reader = open_reader(viewport=PHONE)
    page = reader.open()
    held: list[Route] = []
    let_through: list[str] = []
    releasing = False

    def fragments(route: Route) -> None:
        if releasing or len(let_through) < FIRST:
            let_through.append(route.request.url)
            route.continue_()
        else:
            held.append(route)

    page.context.route("**/pagefind/fragment/**", fragments)
    page.locator("label[for=__search]").first.click()
    box = page.locator(".md-search__input")
    box.click()
    # One search, for the whole word: Material searches on each key's release.
    box.fill(COMMON_WORD[:-1])
    box.press(COMMON_WORD[-1])

    titles = page.locator(f"{LINKS} h1")
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"\d+ matching"))
    expect(titles).to_have_count(10)
    # Shown while every other result's text is still on its way: the first three with their
    # stories' titles and addresses, the others as placeholders.
    for index in range(FIRST):
        expect(titles.nth(index)).not_to_have_text("…")
        expect(page.locator(LINKS).nth(index)).to_have_attribute("href", re.compile("stories/"))
    expect(titles.filter(has_text=re.compile(r"^…$"))).to_have_count(10 - FIRST)
    assert len(let_through) == FIRST

    # Then the placeholders on screen have asked for their texts, and are filled in as they
    # come.
    releasing = True
    for route in held:
        route.continue_()
    expect(titles.filter(has_text=re.compile(r"^…$"))).to_have_count(0)
    hrefs = page.locator(LINKS).evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    assert all("stories/" in href for href in hrefs), hrefs
    assert reader.errors == []

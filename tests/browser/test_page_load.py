"""A page asks for all its scripts at once, and they still run in order (core/pageload.py).

The page's Content-Security-Policy stops Chromium looking ahead for what to fetch: each script
that held up the page was asked for only once the one before it had run, a round trip each on
a phone's network. Deferred and preloaded, they are all asked for while Material's bundle is
still on its way, and run once it is in, in the page's order: search and the reader's
scripts work as before, after Material's instant navigation too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Route, expect

from storybook.core.site import SCRIPTS
from storybook.plugin.theme import PAGEFIND_SEARCH

from .conftest import ARTICLE, PHONE, SLUMP, Reader, address, search

BUNDLE = re.compile(r"/assets/javascripts/bundle\.[^/]*\.js$")
RESULT_LINKS = ".md-search-result__item > .md-search-result__link"


def asked_for(reader: Reader, ending: str) -> None:
    """Returns once the tab has asked for an address ending with ``ending``."""
    if not any(url.endswith(ending) for url in reader.requests):
        reader.page.wait_for_event("request", lambda request: request.url.endswith(ending))


def test_every_script_is_asked_for_while_materials_bundle_is_on_its_way(
    open_reader: Callable[..., Reader],
) -> None:
    reader = open_reader(viewport=PHONE)
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    reader.page.context.route(BUNDLE, hold)
    reader.page.goto(reader.base, wait_until="commit")
    for script in (*SCRIPTS, PAGEFIND_SEARCH):
        asked_for(reader, script)
    # Material has not started: its bundle is still held back.
    assert len(held) == 1
    assert reader.page.evaluate("() => window.document$ === undefined")
    held[0].continue_()
    reader.settle()
    assert reader.page.evaluate("() => window.storybookSite.path") == "/"
    reader.page.locator("label[for=__search]").first.click()
    search(reader.page, "christening")
    expect(reader.page.locator(RESULT_LINKS).first).to_have_attribute(
        "href", re.compile(r"stories/the-friday-rota/")
    )


def test_search_and_the_journal_work_after_instant_navigation(
    open_reader: Callable[..., Reader],
) -> None:
    reader = open_reader(viewport=PHONE)
    page = reader.open()
    page.get_by_role("link", name="by theme").click()
    page.wait_for_url(address("/tags/"))
    page.locator(ARTICLE).get_by_role("link", name="Personal crisis").click()
    page.wait_for_url(address("/tags/personal-crisis/"))
    page.locator(ARTICLE).get_by_role("link", name="The Quiet Slump").click()
    page.wait_for_url(address(re.escape(SLUMP)))
    expect(page.locator(".storybook-answer__box").first).to_be_visible()
    # The page was swapped in place: the scripts were read once, with the first page.
    assert sum(url.endswith(PAGEFIND_SEARCH) for url in reader.requests) == 1
    page.locator("label[for=__search]").first.click()
    search(page, "christening")
    expect(page.locator(RESULT_LINKS).first).to_have_attribute(
        "href", re.compile(r"stories/the-friday-rota/")
    )

"""axe-core scans of the pages a reader meets, in the light and the dark colour scheme.

No violation of impact serious or critical is allowed, and none is allow-listed: what the
Material theme itself gets wrong is fixed by the storybook's theme overrides.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PHONE, SLUMP, Reader, search, serious_violations, wait_until_still

PAGES = {
    "home": "",
    "story": SLUMP,
    "tag page": "tags/personal-crisis/",
    "themes": "tags/",
    "learning path": "paths/first-90-days/",
}
SCHEMES = ["light", "dark"]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violations(
    open_reader: Callable[..., Reader], name: str, scheme: str
) -> None:
    page = open_reader(color_scheme=scheme).open(PAGES[name])
    settle(page, name)
    assert serious_violations(page) == []


def settle(page: Page, name: str) -> None:
    """Scan what the reader's scripts add too: the journal, the filter, a path's progress."""
    if name == "story":
        expect(page.locator(".storybook-answer__box").first).to_be_visible()
        # The folded questions open, with their boxes.
        page.locator(".storybook-further > summary").click()
        expect(page.locator(".storybook-further .storybook-answer__box").first).to_be_visible()
    elif name == "home":
        expect(page.locator(".storybook-filter select")).to_be_visible()
    elif name == "learning path":
        expect(page.locator(".storybook-path__progress")).to_be_visible()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", ["home", "story", "learning path"])
def test_on_a_phone_no_serious_accessibility_violations(
    open_reader: Callable[..., Reader], name: str, scheme: str
) -> None:
    page = open_reader(viewport=PHONE, color_scheme=scheme).open(PAGES[name])
    settle(page, name)
    assert serious_violations(page) == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_results_have_no_serious_accessibility_violations(
    open_reader: Callable[..., Reader], scheme: str, viewport: dict[str, int]
) -> None:
    """With results shown, from Pagefind (the built site's search), on a laptop and a phone."""
    reader = open_reader(color_scheme=scheme, viewport=viewport)
    page = reader.open()
    if viewport == PHONE:  # the header's search button opens the box on a phone
        page.locator("label[for=__search]").first.click()
    search(page, "slump")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    assert any("/pagefind/" in url for url in reader.requests)
    assert serious_violations(page) == []


def test_the_theme_problems_are_fixed_not_hidden(reader: Reader) -> None:
    """The two violations measured on a plain Material page now pass axe's own checks."""
    page = reader.open()
    assert page.locator('.md-search[role="dialog"]').get_attribute("aria-label") == "Search"
    wait_until_still(page)  # colours measured mid-fade are not the ones a reader sees
    rules = ["aria-dialog-name", "color-contrast"]
    results = Axe().run(page, options={"runOnly": rules}).response
    passed = {rule["id"]: str(rule["nodes"]) for rule in results["passes"]}
    assert ".md-search" in passed["aria-dialog-name"]
    assert ".md-copyright" in passed["color-contrast"]
    assert results["violations"] == []

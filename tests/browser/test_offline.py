"""The offline build opened straight from disk: pages, search and journal, no outside request."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from .conftest import HEADING, Reader, search


def test_offline_site_searches_from_disk_without_any_outside_request(
    open_reader: Callable[..., Reader], offline_site: Path
) -> None:
    reader = open_reader(base=offline_site.as_uri() + "/")
    page = reader.open("index.html")
    search(page, "caregiving")  # a word of one story, in a reflection question
    expect(page.locator(".md-search-result__item")).to_have_count(1)
    hit = page.locator('.md-search-result__link[href*="stories/the-quiet-slump.html"]').first
    expect(hit).to_be_visible()
    hit.click()
    page.wait_for_url(re.compile(r"stories/the-quiet-slump\.html"))
    expect(page.locator(HEADING)).to_have_text(re.compile("The Quiet Slump"))

    # The journal works from disk too.
    box = page.locator(".storybook-answer__box").first
    box.fill("Written offline.")
    page = reader.reload()
    expect(page.locator(".storybook-answer__box").first).to_have_value("Written offline.")

    # Pagefind answered, its files read as the plain scripts packed with them; Material's
    # index, which it loads with every page, is an empty one.
    read = [url.removeprefix(offline_site.as_uri()) for url in reader.requests]
    assert "/pagefind/pagefind.js.js" in read
    assert any(re.fullmatch(r"/pagefind/index/en_\w+\.pf_index\.js", url) for url in read), read
    assert any(re.fullmatch(r"/pagefind/fragment/en_\w+\.pf_fragment\.js", url) for url in read)
    assert "/search/search_index.js" in read
    assert (offline_site / "search" / "search_index.js").stat().st_size < 200
    assert any(url.endswith("/assets/iframe-worker-shim.js") for url in reader.requests)
    outside = [url for url in reader.requests if not url.startswith(offline_site.as_uri())]
    assert outside == []


def test_the_offline_copy_searches_when_served_too(
    open_reader: Callable[..., Reader],
    offline_site: Path,
    serve_folder: Callable[[Path], str],
) -> None:
    """The README says the offline copy works from any web server as well: its packed
    Pagefind files are read the same way there."""
    reader = open_reader(base=serve_folder(offline_site) + "/")
    page = reader.open("index.html")
    search(page, "christening")
    hit = page.locator('.md-search-result__link[href*="stories/the-friday-rota.html"]').first
    expect(hit).to_be_visible()
    assert any(url.endswith("/pagefind/pagefind.js.js") for url in reader.requests)
    assert not any(url.endswith("/pagefind/pagefind.js") for url in reader.requests)

"""A reader finds stories: by search, through the themes, and from story to related story."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

import storybook.core.pages
from storybook.core.library import load_library

from ..conftest import ROOT, build, copy_sample
from .conftest import (
    ARTICLE,
    HEADING,
    PHONE,
    SLUMP,
    Reader,
    address,
    search,
    serious_violations,
)

RESULT_LINKS = ".md-search-result__item > .md-search-result__link"


def test_typing_slump_finds_the_slump_story(reader: Reader) -> None:
    page = reader.open()
    # At 1280 px the header's search button is hidden and the box is already there.
    expect(page.locator(".md-search__input")).to_be_visible()
    search(page, "slump")
    hit = page.locator(f'{RESULT_LINKS}[href*="{SLUMP}"]').first
    expect(hit).to_be_visible()
    expect(hit).to_contain_text("The Quiet Slump")
    hit.click()
    page.wait_for_url(re.compile(re.escape(SLUMP)))
    expect(page.locator(HEADING)).to_have_text(re.compile("The Quiet Slump"))


def test_a_word_only_in_a_reflection_question_finds_its_story(reader: Reader) -> None:
    """Only the story: the agenda of the workshop that runs it lists its questions, but
    what an agenda repeats of a story is not searched."""
    page = reader.open()
    search(page, "caregiving")
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile("1 matching"))
    expect(page.locator(".md-search-result__item")).to_have_count(1)
    hrefs = page.locator(RESULT_LINKS).evaluate_all("links => links.map(link => link.href)")
    assert hrefs and all(SLUMP in href for href in hrefs), hrefs


# A word each of these stories holds and no other: two from their summaries (which every
# list of stories repeats), one from deep in a story's body.
ONE_STORY_WORDS = [
    ("hailstorm", "the-hail-articles", "The Hail Articles"),
    ("sandwiches", "the-back-step", "The Back Step"),
    ("christening", "the-friday-rota", "The Friday Rota"),
]


@pytest.mark.parametrize("engine", ["pagefind", "lunr"])
@pytest.mark.parametrize(("word", "slug", "title"), ONE_STORY_WORDS)
def test_a_word_from_one_story_finds_that_story_and_no_list_of_stories(
    open_reader: Callable[..., Reader],
    request: pytest.FixtureRequest,
    engine: str,
    word: str,
    slug: str,
    title: str,
) -> None:
    """Lists of stories (home, themes, tag pages, workshops) repeat summaries; searching a
    story's word must not bury the story under them. The result shows its title and the
    passage with the word. Pagefind answers on a built site; Material's own search (lunr)
    under `mkdocs serve`, offline and for other engines."""
    base = request.getfixturevalue("site_url" if engine == "pagefind" else "lunr_site_url")
    reader = open_reader(base=base)
    page = reader.open()
    search(page, word)
    items = page.locator(".md-search-result__item")
    expect(items).to_have_count(1)
    first = page.locator(RESULT_LINKS).first
    expect(first).to_have_attribute("href", re.compile(f"stories/{slug}/"))
    expect(first.locator("h1")).to_have_text(title)
    mark = items.first.locator("mark").first
    expect(mark).to_be_visible()
    expect(mark).to_have_text(re.compile(word, re.IGNORECASE))
    hrefs = page.locator(".md-search-result__link").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    assert all(f"stories/{slug}/" in href for href in hrefs), hrefs
    assert any("/pagefind/" in url for url in reader.requests) == (engine == "pagefind")


def test_search_starts_as_the_reader_reaches_for_it_and_fetches_each_file_once(
    open_reader: Callable[..., Reader],
) -> None:
    """Nothing of Pagefind loads with the page but its entry file (160 bytes, which names the
    rest). The tap on the search button asks for Pagefind's start (its metadata, WebAssembly
    and program) at once, before a word is typed, and
    Pagefind's own requests for those are answered from them: each file goes over the network
    once, though routing turns Chromium's cache off here. Pagefind runs in the page, without
    its worker."""
    reader = open_reader(viewport=PHONE)
    reader.page.context.route("**/pagefind/**", lambda route: route.continue_())
    page = reader.open()
    reader.settle()
    early = [url.split("/pagefind/", 1)[1] for url in reader.requests if "/pagefind/" in url]
    assert [name.split("?")[0] for name in early] == ["pagefind-entry.json"], early
    with page.expect_request(re.compile(r"/pagefind/pagefind\.en_\w+\.pf_meta$")):
        page.locator("label[for=__search]").first.click()
    search(page, "christening")
    first = page.locator(RESULT_LINKS).first
    expect(first).to_have_attribute("href", re.compile(r"stories/the-friday-rota/\?h=christening$"))
    reader.settle()
    files = Counter(
        url.split("/pagefind/", 1)[1].split("?")[0]
        for url in reader.requests
        if "/pagefind/" in url
    )
    assert {"pagefind.js", "pagefind-entry.json", "wasm.en.pagefind"} <= set(files), files
    assert any(name.startswith("index/") for name in files), files
    assert any(name.startswith("fragment/") for name in files), files
    assert "pagefind-worker.js" not in files
    assert [name for name, count in files.items() if count > 1] == [], files


def test_home_to_theme_to_story_to_a_related_story(reader: Reader) -> None:
    page = reader.open()
    page.get_by_role("link", name="by theme").click()
    page.wait_for_url(address("/tags/"))
    expect(page.locator(HEADING)).to_have_text(re.compile("Themes and moments"))

    page.locator(ARTICLE).get_by_role("link", name="Personal crisis").click()
    page.wait_for_url(address("/tags/personal-crisis/"))
    page.locator(ARTICLE).get_by_role("link", name="The Quiet Slump").click()
    page.wait_for_url(address(re.escape(SLUMP)))
    # Material swaps pages in place (instant navigation): the journal must still appear.
    expect(page.locator(".storybook-answer__box").first).to_be_visible()

    related = page.locator(".storybook-related")
    expect(related.get_by_role("heading", name="Related stories")).to_be_visible()
    first = related.locator("strong > a").first
    title = first.inner_text()
    first.click()
    # Material's navigation tracking may leave the anchor of a heading passed on the way.
    page.wait_for_url(address("/stories/(?!the-quiet-slump/)[a-z0-9-]+/"))
    expect(page.locator(HEADING)).to_have_text(re.compile(re.escape(title)))
    expect(page.locator(".storybook-journal__privacy")).to_have_count(1)
    loads = [url for url in reader.requests if url.endswith("/assets/journal.js")]
    assert len(loads) == 1, "every step after home should be an instant (in-place) navigation"


def test_a_tag_page_lists_exactly_the_stories_with_that_tag(reader: Reader) -> None:
    library = load_library(ROOT / "stories", ROOT / "templates")
    tag = "top-performer-at-risk"
    expected = {story.title for story in library.published if tag in story.tags}
    assert len(expected) >= 2, "pick a tag that more than one sample story carries"

    page = reader.open(f"tags/{tag}/")
    links = page.locator(f'{ARTICLE} a[href*="stories/"]')
    assert set(links.all_inner_texts()) == expected
    for href in links.evaluate_all("links => links.map(link => link.href)"):
        heading = reader.open(href.removeprefix(reader.base)).locator(HEADING).inner_text()
        assert heading.rstrip("¶").strip() in expected


def test_a_reader_pages_through_a_long_list_of_stories_on_a_phone(
    open_reader: Callable[..., Reader],
    serve_folder: Callable[[Path], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past STORIES_PER_PAGE stories the home page pages its list; a reader follows "Next
    page" to the end and meets every story once, in title order, on pages axe finds fine."""
    monkeypatch.setattr(storybook.core.pages, "STORIES_PER_PAGE", 3)
    site = build(copy_sample(tmp_path / "project"), strict=True)
    base = serve_folder(site) + "/"
    published = sorted(load_library(ROOT / "stories", ROOT / "templates").published,
                       key=lambda story: story.title.lower())  # fmt: skip
    for scheme in ("light", "dark"):
        page = open_reader(viewport=PHONE, color_scheme=scheme, base=base).open()
        seen: list[str] = []
        while True:
            seen += page.locator(f"{ARTICLE} .storybook-card p strong a").all_inner_texts()
            assert serious_violations(page) == [], page.url
            following = page.get_by_role("navigation", name="Pages of this list").get_by_role(
                "link", name="Next page"
            )
            if not following.count():
                break
            # The old page stays "loaded" until the new one commits: wait for its address.
            target = following.evaluate("link => link.href")
            following.click()
            page.wait_for_url(address(re.escape(target)))
        assert seen == [story.title for story in published]
        pages = -(-len(published) // 3)
        assert pages >= 3 and address(f"/all-stories/{pages}/").search(page.url), page.url


def test_a_reader_finds_and_opens_a_story_with_the_keyboard_alone(reader: Reader) -> None:
    """Pagefind answers behind Material's own dialog, so its keys still work: type, arrow
    down to the first result, Enter opens it."""
    page = reader.open()
    page.keyboard.press("s")  # Material's shortcut to the search box
    expect(page.locator(".md-search__input")).to_be_focused()
    page.keyboard.type("christening", delay=40)
    first = page.locator(RESULT_LINKS).first
    # The results for the whole word (its link highlights it), not for a prefix typed before:
    # those are replaced when the last ones come, and the focus with them.
    expect(first).to_have_attribute("href", re.compile(r"stories/the-friday-rota/\?h=christening$"))
    page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"stories/the-friday-rota/"))
    expect(page.locator(HEADING)).to_have_text(re.compile("The Friday Rota"))
    assert any("/pagefind/" in url for url in reader.requests)

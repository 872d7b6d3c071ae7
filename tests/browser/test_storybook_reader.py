"""A new manager reads the storybook: the home page's filter, a learning path and its progress,
a handful of questions per story with more folded away, reading time and content notes, and
no trainers' pages in the learner edition."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from storybook.core.library import load_library
from storybook.paths.plan import load_paths

from ..conftest import ROOT, build_edition, copy_sample
from .conftest import ARTICLE, HEADING, PHONE, SLUMP, Reader

PATH = "paths/first-90-days/"
FILTER = "Show stories about"
STEP_STATES = ".storybook-path .storybook-step-state"


def published() -> list[str]:
    return [story.slug for story in load_library(ROOT / "stories", ROOT / "templates").published]


def visible_cards(page: Page) -> list[str]:
    return page.locator(".storybook-card:visible p strong a").all_inner_texts()


def test_the_home_page_filters_its_stories_by_theme_or_moment(reader: Reader) -> None:
    library = load_library(ROOT / "stories", ROOT / "templates")
    stories = library.published
    crisis = sorted(s.title for s in stories if "personal-crisis" in s.tags)
    assert 0 < len(crisis) < len(stories)
    page = reader.open()
    expect(page).to_have_title("Leadership Storybook")
    start = page.get_by_role("heading", name="Start here")
    expect(start).to_be_visible()
    start_box = start.bounding_box()
    stories_box = page.get_by_role("heading", name="Stories").bounding_box()
    assert start_box is not None and stories_box is not None
    assert start_box["y"] < stories_box["y"]
    assert len(visible_cards(page)) == len(stories)

    choice = page.get_by_label(FILTER)
    choice.select_option(label="Personal crisis")
    status = page.locator(".storybook-filter [role=status]")
    expect(status).to_have_text(
        f"Showing {len(crisis)} of {len(stories)} stories: Personal crisis."
    )
    assert sorted(visible_cards(page)) == crisis
    choice.select_option(label="Wellbeing")  # a theme, from the other group
    wellbeing = [s for s in stories if "wellbeing" in s.tags]
    expect(page.locator(".storybook-card:visible")).to_have_count(len(wellbeing))
    choice.select_option(index=0)
    expect(status).to_have_text(f"Showing all {len(stories)} stories.")
    assert len(visible_cards(page)) == len(stories)
    assert "?" not in page.url and "#" not in page.url, "the filter never leaves the page"


def test_without_javascript_the_home_page_lists_every_story(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url)
        expect(page.locator(".storybook-card")).to_have_count(len(published()))
        expect(page.locator(".storybook-card:visible")).to_have_count(len(published()))
        expect(page.get_by_label(FILTER)).to_have_count(0)
        expect(page.locator(".storybook-filter")).to_be_hidden()
    finally:
        context.close()


def step_states(page: Page) -> list[str]:
    return [text.strip() for text in page.locator(STEP_STATES).all_inner_texts()]


def sample_path() -> list[tuple[str, str]]:
    """(slug, title) of each step of the sample path, in order."""
    library = load_library(ROOT / "stories", ROOT / "templates")
    paths, problems = load_paths(ROOT / "paths", library.stories)
    assert problems == [] and len(paths) == 1
    titles = {story.slug: story.title for story in library.stories}
    return [(step.story, titles[step.story]) for step in paths[0].steps]


def test_a_path_leads_from_story_to_story_and_remembers_the_reader(reader: Reader) -> None:
    steps = sample_path()
    count = len(steps)
    assert count >= 3
    (first, first_title), (second, second_title), (_, third_title) = steps[:3]
    page = reader.open(PATH)
    expect(page.locator(HEADING)).to_have_text(re.compile("Your first 90 days"))
    expect(page.locator(".storybook-path__progress")).to_have_text(
        f"Your progress: 0 of {count} stories opened, 0 answered."
    )
    assert step_states(page) == ["Not opened yet"] * count
    page.locator(ARTICLE).get_by_role("link", name=first_title, exact=True).click()
    page.wait_for_url(re.compile(f"/stories/{first}/$"))
    on_path = page.get_by_role("navigation", name="On the path Your first 90 days")
    expect(on_path).to_contain_text(f"story 1 of {count}")
    expect(on_path.get_by_role("link", name=re.compile("^Previous"))).to_have_count(0)
    on_path.get_by_role("link", name=f"Next: {second_title}").click()
    page.wait_for_url(re.compile(f"/stories/{second}/$"))
    on_path = page.get_by_role("navigation", name="On the path Your first 90 days")
    expect(on_path).to_contain_text(f"story 2 of {count}")
    expect(on_path.get_by_role("link", name=f"Previous: {first_title}")).to_be_visible()
    page.locator(".storybook-answer__box").first.fill("I would ask before deciding.")
    expect(page.locator(".storybook-journal__status")).to_have_text("Saved in this browser.")

    for _ in range(2):  # and again after a reload
        page = reader.open(PATH)
        expect(page.locator(".storybook-path__progress")).to_have_text(
            f"Your progress: 2 of {count} stories opened, 1 answered."
        )
        assert step_states(page) == ["Opened", "Answered"] + ["Not opened yet"] * (count - 2)
    page = reader.open()
    resume = page.get_by_role("region", name="Continue where you left off")
    expect(resume).to_contain_text(f"Continue where you left off: {third_title}")
    expect(resume).to_contain_text(f"story 3 of {count} on Your first 90 days")
    resume.get_by_role("link", name=third_title).click()
    page.wait_for_url(re.compile(f"/stories/{steps[2][0]}/$"))

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear all my answers").click()
    expect(page.locator(".storybook-journal__status")).to_have_text(re.compile("cleared"))
    page = reader.open(PATH)
    expect(page.locator(".storybook-path__progress")).to_have_text(
        f"Your progress: 0 of {count} stories opened, 0 answered."
    )
    assert step_states(page) == ["Not opened yet"] * count
    expect(reader.open().get_by_role("region", name="Continue where you left off")).to_be_hidden()
    stored = page.evaluate("Object.keys(localStorage)")
    assert not [
        key for key in stored if key.startswith(("storybook-journal:", "storybook-progress:"))
    ]


def test_every_story_asks_at_most_seven_questions_before_going_further(reader: Reader) -> None:
    for slug in published():
        page = reader.open(f"stories/{slug}/")
        section = page.locator(".storybook-reflection")
        expect(section.locator(".storybook-answer__box").first).to_be_visible()
        before = section.locator(":scope > ol .storybook-answer__box")
        assert 1 <= before.count() <= 7, slug
        further = section.locator("details.storybook-further")
        if not further.count():
            continue
        folded = further.locator(".storybook-answer__box")
        assert 1 <= folded.count() <= 3, slug
        expect(folded.first).to_be_hidden()
        further.get_by_text("Going further").click()
        expect(folded.first).to_be_visible()
        # The title named in a bank question is marked as a title.
        expect(further.locator(".storybook-question cite").first).to_be_visible()


def test_an_answer_to_a_folded_question_is_kept_and_exported(reader: Reader) -> None:
    page = reader.open(SLUMP)
    further = page.locator("details.storybook-further")
    further.get_by_text("Going further").click()
    question = further.locator(".storybook-question").first.inner_text()
    further.locator(".storybook-answer__box").first.fill("Ask what she needs first.")
    expect(page.locator(".storybook-journal__status")).to_have_text("Saved in this browser.")
    page.reload()
    page.locator("details.storybook-further").get_by_text("Going further").click()
    expect(page.locator("details.storybook-further .storybook-answer__box").first).to_have_value(
        "Ask what she needs first."
    )
    with page.expect_download() as download:
        page.get_by_role("button", name="Export my reflections").click()
    markdown = download.value.path().read_text(encoding="utf-8")
    assert f"### {question}\n\nAsk what she needs first.\n" in markdown


def test_every_story_says_its_reading_time_and_its_content_note_where_it_applies(
    reader: Reader,
) -> None:
    for slug in published():
        page = reader.open(f"stories/{slug}/")
        expect(page.locator(f"{ARTICLE} .storybook-reading-time")).to_have_text(
            re.compile(r"^\d+ min read$")
        )
    # A note that applies from the start is named before the story, on the folded control
    # that says what the story touches on.
    page = reader.open("stories/the-charging-bay/")
    note = page.locator(f"{ARTICLE} details.storybook-touches > summary")
    expect(note).to_be_visible()
    expect(note).to_contain_text("Content note: harassment")
    body = page.locator(f"{ARTICLE} h2").first
    assert note.evaluate(
        "(note, body) => Boolean(note.compareDocumentPosition(body) & Node.DOCUMENT_POSITION_FOLLOWING)",
        body.element_handle(),
    ), "the content note comes before the story"
    # The Quiet Slump's notes belong to its held-back part: none shows before the fold, and
    # the reader who opens the fold meets them first.
    page = reader.open(SLUMP)
    expect(page.get_by_role("note").filter(has_text="Content note")).to_have_count(0)
    fold = page.locator(f"{ARTICLE} details.storybook-held").first
    fold.locator("summary").click()
    held_note = fold.get_by_role("note").filter(has_text="Content note")
    expect(held_note).to_be_visible()
    expect(held_note).to_contain_text("bereavement")


def test_clearing_looks_quieter_than_exporting(reader: Reader) -> None:
    page = reader.open(SLUMP)
    style = "button => { const s = getComputedStyle(button); return [s.backgroundColor, s.borderTopWidth]; }"
    export = page.get_by_role("button", name="Export my reflections").evaluate(style)
    clear = page.get_by_role("button", name="Clear all my answers").evaluate(style)
    assert export[0] != "rgba(0, 0, 0, 0)", "export is a filled button"
    assert clear == ["rgba(0, 0, 0, 0)", "0px"], "clearing is a plain text button"


def test_the_footer_says_what_the_site_is(reader: Reader) -> None:
    footer = reader.open().locator(".md-copyright")
    expect(footer).to_contain_text("Leadership Storybook: stories of the moments")


def test_the_learner_edition_has_no_trainers_pages(reader: Reader, site_url: str) -> None:
    page = reader.open()
    nav = page.locator(".md-nav--primary")
    expect(nav.get_by_role("link", name="Learning paths")).to_have_count(1)
    expect(nav.get_by_role("link", name="Writing a story")).to_have_count(0)
    response = page.goto(site_url + "authoring/")
    assert response is not None and response.status == 404
    # Pagefind searches the site (its index is scanned in test_editions.py): no index of
    # Material's is written for anyone to read.
    index = page.goto(site_url + "search/search_index.json")
    assert index is not None and index.status == 404


def test_on_a_phone_the_trainers_guide_breaks_no_field_name(
    open_reader: Callable[..., Reader], serve_folder: Callable[[Path], str], tmp_path: Path
) -> None:
    site = build_edition(copy_sample(tmp_path / "project"), "facilitator", strict=True)
    # (The guide is a page of the facilitator edition, not a search result: search lands on stories.)
    assert (site / "authoring" / "index.html").is_file()
    page = open_reader(viewport=PHONE, base=serve_folder(site) + "/").open("authoring/")
    expect(page.locator(HEADING)).to_have_text(re.compile("Writing a story"))
    width = PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "scrolls sideways"
    names = page.locator(f"{ARTICLE} td > code")
    assert names.count() >= 10
    broken = names.evaluate_all(
        "codes => codes.filter(code => code.getClientRects().length > 1).map(c => c.textContent)"
    )
    assert broken == [], "field names broken over two lines"
    for block in page.locator(f"{ARTICLE} pre").all():
        box = block.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width

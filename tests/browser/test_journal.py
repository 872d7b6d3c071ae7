"""The private reflection journal: answers stay in the reader's browser and nowhere else."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from .conftest import ICON, SLUMP, Reader

OTHER = "stories/camera-off/"


def answer_boxes(page: Page) -> list[str]:
    return [box.input_value() for box in page.locator(".storybook-answer__box").all()]


def open_every_fold(page: Page) -> None:
    """Open what a reader opens: the folded questions, the held-back parts and the questions
    for after them (a box inside a closed fold is not shown, so it has no name yet)."""
    page.evaluate(
        "() => document.querySelectorAll('article details').forEach(d => (d.open = true))"
    )


def export(page: Page) -> str:
    with page.expect_download() as download:
        page.get_by_role("button", name="Export my reflections").click()
    assert download.value.suggested_filename == "my-reflections.md"
    path = download.value.path()
    return path.read_text(encoding="utf-8")


def test_every_question_has_a_labelled_box_and_the_reader_is_told_nothing_leaves(
    reader: Reader,
) -> None:
    page = reader.open(SLUMP)
    open_every_fold(page)
    questions = page.locator(".storybook-reflection li")
    boxes = page.locator(".storybook-reflection li textarea")
    assert questions.count() >= 5
    expect(boxes).to_have_count(questions.count())
    for box in boxes.all():
        expect(box).to_have_accessible_name("Your answer")
        # Described by its own question, the text of the list item it sits in.
        question = box.evaluate(
            """box => {
                const question = document.getElementById(box.getAttribute("aria-describedby"));
                return box.closest("li").contains(question) ? question.innerText : "";
            }"""
        )
        assert len(question) > 20
        expect(box).to_have_accessible_description(question.strip())
    privacy = page.locator(".storybook-journal__privacy")
    expect(privacy).to_have_count(1)
    expect(privacy).to_contain_text("only in this browser")
    expect(privacy).to_contain_text("Nothing you write here is sent anywhere")


def test_answers_survive_a_reload_export_as_markdown_and_clear(reader: Reader) -> None:
    page = reader.open(SLUMP)
    first = page.locator(".storybook-answer__box").first
    first.press_sequentially("I would ask how she is.", delay=10)
    open_every_fold(page)
    page.locator(".storybook-answer__box").nth(4).fill("Tell HR before, not after.")
    expect(page.get_by_role("status")).to_have_text("Saved in this browser.")

    page = reader.reload()
    boxes = answer_boxes(page)
    assert boxes[0] == "I would ask how she is."
    assert boxes[4] == "Tell HR before, not after."
    assert sum(bool(value) for value in boxes) == 2

    page = reader.open(OTHER)
    page.locator(".storybook-answer__box").first.fill("Ask before drafting anything.")
    questions = page.locator(".storybook-question").all_inner_texts()
    markdown = export(page)
    slump = markdown.index("## The Quiet Slump")
    camera = markdown.index("## Camera Off")
    assert markdown.startswith("# My reflections\n")
    assert re.search(r"^Exported from Leadership Storybook on \d{4}-\d\d-\d\d\.$", markdown, re.M)
    assert camera < slump, "stories come in title order"
    assert f"### {questions[0]}\n\nAsk before drafting anything.\n" in markdown[camera:slump]
    assert "\n\nI would ask how she is.\n" in markdown[slump:]
    assert "\n\nTell HR before, not after.\n" in markdown[slump:]
    assert markdown.count("\n### ") == 3, "only answered questions are exported"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear all my answers").click()
    expect(page.get_by_role("status")).to_contain_text("cleared")
    assert answer_boxes(page) == [""] * len(questions)
    stored = page.evaluate("Object.keys(localStorage)")
    assert not [key for key in stored if key.startswith("storybook-journal:")]
    assert not any(answer_boxes(reader.open(SLUMP)))


def test_an_answer_to_a_question_reworded_since_is_kept(reader: Reader) -> None:
    page = reader.open(SLUMP)
    page.locator(".storybook-answer__box").first.fill("First answer.")
    page.evaluate(
        """() => {
            const key = Object.keys(localStorage).find(k => k.startsWith("storybook-journal:"));
            const entry = JSON.parse(localStorage.getItem(key));
            entry.answers.push({question: "An older wording of a question?", answer: "Kept."});
            localStorage.setItem(key, JSON.stringify(entry));
        }"""
    )
    page = reader.reload()
    page.locator(".storybook-answer__box").first.fill("First answer, revised.")
    markdown = export(page)
    assert "### An older wording of a question?\n\nKept.\n" in markdown
    assert "\n\nFirst answer, revised.\n" in markdown and "First answer.\n" not in markdown


def test_clearing_asks_first_and_can_be_cancelled(reader: Reader) -> None:
    page = reader.open(SLUMP)
    page.locator(".storybook-answer__box").first.fill("Keep this.")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Clear all my answers").click()
    assert answer_boxes(reader.open(SLUMP))[0] == "Keep this."


def requests_while(reader: Reader, action: Callable[[], None]) -> list[str]:
    """What the page asks the network for while `action` runs on a settled page.

    Chromium's own fetch of the page's unchanged icon is left out: it fetches it again whenever
    the address changes, and Material writes the heading in view into the address as the page
    scrolls (to the box being typed in, say). The window closes with a request of the test's
    own: the network reports a page's requests in the order the page makes them, so whatever
    `action` made it send is reported before it.
    """
    reader.settle()
    icon = reader.page.evaluate(ICON)
    before = len(reader.made)
    action()
    marker = reader.base + "?window-closed"
    reader.page.evaluate("marker => { fetch(marker); }", marker)
    reader.settle()
    made = reader.made[before:]
    urls = [request.url for request in made]
    assert marker in urls, "the test's own request was not recorded"
    closed = urls.index(marker)
    return [
        request.url
        for request in made[:closed]
        if not (
            request.url == icon
            and request.resource_type == "other"
            and request.method == "GET"
            and request.post_data is None
        )
    ]


def test_nothing_leaves_the_site_while_writing_saving_and_exporting(
    open_reader: Callable[..., Reader],
) -> None:
    reader = open_reader()
    page = reader.open(SLUMP)
    boxes = page.locator(".storybook-answer__box")
    # Writing sends nothing at all, not even to the site itself.
    typed = requests_while(
        reader, lambda: boxes.first.press_sequentially("A private answer.", delay=20)
    )
    assert typed == []
    page = reader.reload()
    export(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear all my answers").click()
    expect(page.get_by_role("status")).to_contain_text("cleared")
    # Nor after a reload, an export and clearing everything.
    page = reader.reload()
    typed = requests_while(
        reader, lambda: boxes.nth(1).press_sequentially("Still private.", delay=20)
    )
    assert typed == []
    assert re.search("Still private", page.evaluate("JSON.stringify(localStorage)"))
    origin = reader.base.rstrip("/")
    assert reader.requests, "requests were not recorded"
    outside = [
        url
        for url in reader.requests
        if not (url.startswith(origin + "/") or url.startswith(f"blob:{origin}/"))
    ]
    assert outside == []

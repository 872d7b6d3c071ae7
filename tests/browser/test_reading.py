"""Reading a story: on a phone, on paper, and the README's screenshots of it."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PageObject, PdfReader

from .conftest import ARTICLE, PHONE, SLUMP, Reader, wait_until_still

# Set to a folder (make screenshots sets it to screenshots/) to save the README's pictures there.
SCREENSHOTS = os.environ.get("STORYBOOK_SCREENSHOTS")
# One inch of paper under each question to write an answer by hand.
WRITING_ROOM_PT = 72


def test_a_story_fits_a_phone_and_its_questions_are_readable(
    open_reader: Callable[..., Reader],
) -> None:
    page = open_reader(viewport=PHONE).open(SLUMP)
    width = page.evaluate("document.documentElement.clientWidth")
    assert width == PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "scrolls sideways"
    sticking_out = page.evaluate(
        """() => Array.from(document.querySelectorAll(".md-content article *"))
            .filter(node => node.getBoundingClientRect().right > innerWidth + 0.5)
            .map(node => node.outerHTML.slice(0, 80))"""
    )
    assert sticking_out == []

    questions = page.locator(".storybook-reflection .storybook-question")
    assert questions.count() >= 5
    for question in questions.all():
        box = question.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        size = question.evaluate("node => parseFloat(getComputedStyle(node).fontSize)")
        assert size >= 16, "questions on a phone should be at least 16 px"
    for answer in page.locator(".storybook-answer__box").all():
        box = answer.bounding_box()
        assert box is not None and box["width"] >= 250 and box["x"] + box["width"] <= width


def test_a_printed_story_holds_the_story_and_questions_with_room_to_write(reader: Reader) -> None:
    page = reader.open(SLUMP)
    # A held-back part is folded on screen and printed open, as every <details> is.
    page.locator(f"{ARTICLE} details.storybook-held").evaluate_all(
        "folds => folds.forEach(fold => { fold.open = true; })"
    )
    # What the page shows a reader in its article: everything a print should keep.
    story = page.locator(ARTICLE).evaluate(
        """article => Array.from(article.querySelectorAll(
                "h1, :scope > p, h2, h3, .storybook-tags, .storybook-content-note, "
                + ".storybook-touches > summary, .storybook-further > summary, "
                + ".storybook-after > summary, .storybook-question, "
                + ".storybook-held > summary, .storybook-held > p, table"))
            .map(node => (node.innerText || node.textContent).replace("¶", ""))"""
    )
    # Folded questions ("Going further") have no innerText until opened: print opens them.
    questions = page.locator(".storybook-question").evaluate_all(
        "nodes => nodes.map(node => node.textContent)"
    )
    lines = pdf_lines(page.pdf(format="A4"))
    printed = squeeze(" ".join(text for _, _, text in lines))

    for text in story:
        if text.strip() != "Related stories":
            assert squeeze(text) in printed, f"missing from the print: {text[:60]}"
    for chrome in ("Table of contents", "Made with", "Back to top", "Related stories"):
        assert squeeze(chrome) not in printed, f"{chrome!r} should not be printed"
    # Nothing else either: no navigation, search, header, footer or journal buttons.
    rest = printed
    for text in sorted(story, key=len, reverse=True):
        rest = rest.replace(squeeze(text), "")
    assert re.fullmatch(r"(\d+\.)*", rest), f"printed beyond the story: {rest[:200]}"

    gaps = writing_room(lines, questions)
    assert len(gaps) >= len(questions) // 2, "too few questions measured"
    assert min(gaps) >= WRITING_ROOM_PT, gaps


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_lines(pdf: bytes) -> list[tuple[int, float, str]]:
    """(page, height on the page in points, text) of every printed line, top to bottom."""
    return [
        (number, y, text)
        for number, sheet in enumerate(PdfReader(io.BytesIO(pdf)).pages)
        for y, text in sheet_lines(sheet)
    ]


def sheet_lines(sheet: PageObject) -> list[tuple[float, str]]:
    found: dict[float, list[str]] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            y = round(tm[4] * cm[1] + tm[5] * cm[3] + cm[5], 1)
            found.setdefault(y, []).append(text.strip())

    sheet.extract_text(visitor_text=visit)
    return [(y, " ".join(parts)) for y, parts in sorted(found.items(), reverse=True)]


def writing_room(lines: list[tuple[int, float, str]], questions: list[str]) -> list[float]:
    """Space in points between the end of each question and the next printed line below it."""
    joined = ""
    ends: list[int] = []
    for _, _, text in lines:
        joined += squeeze(text)
        ends.append(len(joined))
    gaps = []
    for question in questions:
        start = joined.find(squeeze(question))
        assert start >= 0, f"question not printed: {question[:60]}"
        last = next(i for i, end in enumerate(ends) if end >= start + len(squeeze(question)))
        if last + 1 < len(lines) and lines[last + 1][0] == lines[last][0]:
            gaps.append(lines[last][1] - lines[last + 1][1])
    return gaps


def test_readme_screenshots_of_a_story_and_its_journal(reader: Reader, tmp_path: Path) -> None:
    page = reader.open(SLUMP)
    top = tmp_path / "story-page.png"
    page.screenshot(path=top)
    assert page.locator(".storybook-tags").is_visible()

    page.locator(".storybook-answer__box").first.fill(
        "He saw the number and assumed she had stopped trying. He never asked."
    )
    # The header shows the story's title, the contents highlight the questions, and the
    # address names them: the page has caught up with the scroll. On a busy machine the
    # theme may still be starting when the first scroll happens and miss it, so each check
    # that fails scrolls again, a pixel apart, until the theme has seen a scroll.
    page.wait_for_function(
        """() => {
            const done = location.hash === "#reflection"
                && document.querySelector(".md-header__title--active") !== null
                && document.querySelector('.md-nav__link--active[href$="#reflection"]') !== null;
            if (!done) {
                const top = document.querySelector("#reflection").getBoundingClientRect().top;
                window.__nudge = !window.__nudge;
                scrollTo(0, top + scrollY - 64 + (window.__nudge ? 1 : 0));
            }
            return done;
        }""",
        polling=250,
    )
    wait_until_still(page)
    journal = tmp_path / "reflection-journal.png"
    page.screenshot(path=journal)
    for picture in (top, journal):
        assert picture.read_bytes().startswith(b"\x89PNG")
    if SCREENSHOTS:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        for picture in (top, journal):
            (folder / picture.name).write_bytes(picture.read_bytes())


def test_readme_screenshots_of_the_home_page_and_a_path(reader: Reader, tmp_path: Path) -> None:
    page = reader.open("stories/the-friday-rota/")
    page.locator(".storybook-answer__box").first.fill("Ask Joanne first, then the ward.")
    page = reader.open()
    expect(page.locator(".storybook-filter select")).to_be_visible()
    expect(page.locator(".storybook-continue")).to_contain_text("Continue where you left off")
    home = tmp_path / "home-page.png"
    page.screenshot(path=home)
    page = reader.open("paths/first-90-days/")
    expect(page.locator(".storybook-path__progress")).to_contain_text("1 answered")
    path = tmp_path / "learning-path.png"
    page.screenshot(path=path)
    for picture in (home, path):
        assert picture.read_bytes().startswith(b"\x89PNG")
    if SCREENSHOTS:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        for picture in (home, path):
            (folder / picture.name).write_bytes(picture.read_bytes())

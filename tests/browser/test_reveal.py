"""A story that holds a part back, read in Chromium: before the fold the page names nothing
of part B; one click on "What this story touches on" names it all; on paper, the workbook
holds part B back behind a page that says stop (issue 25)."""

from __future__ import annotations

import functools
import io
import re
import threading
from collections.abc import Callable, Iterator

import pytest
from pypdf import PdfReader

from ..conftest import build, copy_sample
from ..test_reveal import AFTER_QUESTION, SPOILERS, STORY, WORKSHOP
from .conftest import ARTICLE, PHONE, QuietHandler, Reader, serious_violations

PAGE = "stories/the-late-rota/"
# Everything of the article a reader sees before the first held-back part, as they see it:
# innerText leaves out what a closed <details> hides.
TEXT_BEFORE_FOLD = """article => {
    const fold = article.querySelector("details.storybook-held");
    return Array.from(article.children)
        .filter(node => node.compareDocumentPosition(fold) & Node.DOCUMENT_POSITION_FOLLOWING)
        .map(node => node.innerText)
        .join("\\n");
}"""


@pytest.fixture(scope="module")
def reveal_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A storybook with a story that holds part B back, served on 127.0.0.1."""
    from http.server import ThreadingHTTPServer

    # The sample storybook, with its theme settings, and the story added.
    project = copy_sample(tmp_path_factory.mktemp("reveal") / "project")
    (project / "stories" / "the-late-rota.md").write_text(STORY, encoding="utf-8")
    (project / "workshops" / "late-rotas.yml").write_text(WORKSHOP, encoding="utf-8")
    site = build(project, strict=True)
    handler = functools.partial(QuietHandler, directory=str(site))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}/"
        server.shutdown()
        thread.join()


def test_before_the_fold_nothing_names_part_b_and_one_click_tells_it_all(
    open_reader: Callable[..., Reader], reveal_site: str
) -> None:
    page = open_reader(base=reveal_site).open(PAGE)
    article = page.locator(ARTICLE)
    held_heading = page.locator("#the-call")
    assert held_heading.count() == 1 and not held_heading.is_visible()

    before = article.evaluate(TEXT_BEFORE_FOLD)
    for label in SPOILERS:
        assert label.lower() not in before.lower(), f"'{label}' is visible before the fold"
    assert "The Late Rota" in before and "What this story touches on" in before

    page.locator("details.storybook-touches > summary").click()
    told = page.locator("details.storybook-touches").inner_text()
    for label in (*SPOILERS, "Wellbeing", "Divorce or separation", "in part B, “The call”"):
        assert label in told
    assert not held_heading.is_visible(), "finding out does not open part B"
    assert serious_violations(page) == []


def test_a_held_back_story_fits_a_phone(
    open_reader: Callable[..., Reader], reveal_site: str
) -> None:
    page = open_reader(viewport=PHONE, base=reveal_site).open(PAGE)
    page.locator("details.storybook-touches > summary").click()
    page.locator("details.storybook-held > summary").click()
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "scrolls sideways"
    # Part B opens with its content note, before its heading.
    note = page.locator("details.storybook-held .storybook-content-note")
    assert "bereavement" in note.inner_text()
    note_box, heading_box = note.bounding_box(), page.locator("#the-call").bounding_box()
    assert note_box is not None and heading_box is not None
    assert note_box["y"] < heading_box["y"]
    assert serious_violations(page) == []


def test_the_printed_workbook_holds_part_b_back_behind_a_stop_page(
    open_reader: Callable[..., Reader], reveal_site: str
) -> None:
    page = open_reader(base=reveal_site).open("workshops/late-rotas/workbook/")
    sheets = [
        re.sub(r"\s+", " ", sheet.extract_text())
        for sheet in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages
    ]
    stop = next(i for i, text in enumerate(sheets) if "Stop here." in text)
    # The stop page holds nothing else of the story; part B starts on the page after it.
    assert "Joe writes a warning" not in sheets[stop] and "WORDS-IN-PART-B" not in sheets[stop]
    assert any("Joe writes a warning" in text for text in sheets[:stop])
    assert not any("WORDS-IN-PART-B" in text for text in sheets[:stop])
    assert "WORDS-IN-PART-B" in sheets[stop + 1]
    assert "bereavement" in sheets[stop + 1]
    after = " ".join(sheets[stop + 1 :])
    assert AFTER_QUESTION.replace(" ", "") in after.replace(" ", "")
    for label in SPOILERS:
        assert label.lower() not in " ".join(sheets[: stop + 1]).lower()


def test_the_workbook_keeps_answers_before_and_after_the_reveal(
    open_reader: Callable[..., Reader], reveal_site: str
) -> None:
    """The story's two blocks of questions share one journal entry: neither overwrites the
    other's answers, and the story page shows both."""
    reader = open_reader(base=reveal_site)
    page = reader.open("workshops/late-rotas/workbook/")
    blocks = page.locator('.storybook-reflection[data-story="the-late-rota"]')
    assert blocks.count() == 2
    blocks.nth(0).locator(".storybook-answer__box").first.fill("BEFORE-ANSWER")
    blocks.nth(1).locator(".storybook-answer__box").first.fill("AFTER-ANSWER")
    blocks.nth(0).locator(".storybook-answer__box").first.fill("BEFORE-ANSWER, edited")
    page = reader.open(PAGE)
    boxes = page.locator(".storybook-reflection .storybook-answer__box")
    values = boxes.evaluate_all("boxes => boxes.map(box => box.value)")
    assert "BEFORE-ANSWER, edited" in values and "AFTER-ANSWER" in values

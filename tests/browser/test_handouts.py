"""A workshop's handouts and console in Chromium: printed, on a phone, and on the clock."""

from __future__ import annotations

import datetime
import functools
import io
import re
import threading
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader

from ..conftest import build_edition, copy_sample, story_text
from ..test_editions import STORY_MARKERS, TEXT_MARKERS, WORKSHOP
from .conftest import DESKTOP, PHONE, QuietHandler, Reader, serious_violations

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SAMPLE = "workshops/new-manager-day-one/"
WORKBOOK = SAMPLE + "workbook/"
PACK = SAMPLE + "pack/"
CONSOLE = SAMPLE + "console/"
# The sample workshop's day, in the time zone the test browser runs in.
ZONE = "Europe/Berlin"
DASH = "\u2013"  # between the clock times of a session
DAY = datetime.datetime(2026, 3, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))


@pytest.fixture(scope="session")
def facilitator_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample storybook's facilitator edition, built once and served on 127.0.0.1."""
    project = copy_sample(tmp_path_factory.mktemp("facilitator") / "project")
    site = project.parent / f"{project.name}-facilitator"
    handler = functools.partial(QuietHandler, directory=str(site))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        assert build_edition(project, "facilitator", strict=True, site_url=url) == site
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield url
        server.shutdown()
        thread.join()


def pdf_pages(page: Page) -> list[str]:
    """The text of each printed page, whitespace removed (PDF text breaks lines anywhere)."""
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return [squeeze(sheet.extract_text()) for sheet in reader.pages]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def story_questions(page: Page) -> dict[str, list[str]]:
    """Each story of the workbook (by its heading) and the questions under it."""
    found: dict[str, list[str]] = page.evaluate(
        """() => Object.fromEntries(
            Array.from(document.querySelectorAll("h2.storybook-workbook__story")).map(heading => {
                const slug = heading.id;
                // A story that holds a part back has a second block, after that part.
                const blocks = document.querySelectorAll(
                    `.storybook-reflection[data-story="${slug}"]`);
                const questions = Array.from(blocks)
                    .flatMap(block => Array.from(block.querySelectorAll(".storybook-question")))
                    .map(node => node.innerText);
                return [heading.innerText.replace("¶", "").trim(), questions];
            }))"""
    )
    return found


def test_the_printed_workbook_holds_every_question_and_starts_each_story_on_a_page(
    reader: Reader,
) -> None:
    page = reader.open(WORKBOOK)
    stories = story_questions(page)
    assert len(stories) == 3 and all(len(questions) >= 5 for questions in stories.values())
    printed = pdf_pages(page)
    everything = "".join(printed)
    first_pages = []
    for title, questions in stories.items():
        for question in questions:
            assert squeeze(question) in everything, f"not printed: {question[:60]}"
        # The story's title opens a printed page (the agenda names it before, too).
        opening = [i for i, text in enumerate(printed) if text.startswith(squeeze(title))]
        assert len(opening) == 1, f"{title} does not start a page"
        first_pages.append(opening[0])
    assert first_pages == sorted(set(first_pages)), first_pages
    for chrome in (
        "Tableofcontents",
        "MadewithMaterial",
        "Exportmyreflections",
        "LeadershipStorybook",
    ):
        assert chrome not in everything, chrome
    assert "Agenda" in printed[0]


def test_the_learner_workbook_and_its_print_hold_no_facilitator_marker(
    mini_project: Callable[..., Path],
    serve_folder: Callable[[Path], str],
    open_reader: Callable[..., Reader],
) -> None:
    project = mini_project(
        {"marked.md": story_text(title="Marked story", extra="".join(STORY_MARKERS.values()))}
    )
    (project / "workshops").mkdir()
    (project / "workshops" / "marked.yml").write_text(WORKSHOP, encoding="utf-8")
    base = serve_folder(build_edition(project, "learner", strict=True))
    learner = open_reader(base=base + "/")
    page = learner.open("workshops/marked/workbook/")
    printed = "".join(pdf_pages(page))
    shown = page.content()
    assert "WhatdidSamnotice?" in printed and "What did Sam notice?" in shown
    for marker in TEXT_MARKERS:
        assert marker not in printed and marker not in shown, marker


def test_the_pack_prints_one_role_card_per_page(
    open_reader: Callable[..., Reader], facilitator_url: str
) -> None:
    page = open_reader(base=facilitator_url).open(PACK)
    cards = page.locator(".storybook-role-card").evaluate_all(
        "cards => cards.map(card => card.innerText.replace(/¶/g, ''))"
    )
    assert len(cards) == 6  # three stories of the sample workshop, two roles each
    printed = pdf_pages(page)
    for card in cards:
        on = [i for i, text in enumerate(printed) if squeeze(card) in text]
        assert len(on) == 1, f"a card is split or missing: {card[:60]}"
        assert printed[on[0]].count("Rolecard:") == 1, "two cards on one page"
        assert printed[on[0]].startswith(squeeze(card)[:30]), "the card shares its page"
    assert sum(text.count("Rolecard:") for text in printed) == len(cards)


def test_handouts_and_console_have_no_serious_accessibility_violations(
    open_reader: Callable[..., Reader], facilitator_url: str
) -> None:
    for scheme in ("light", "dark"):
        workbook = open_reader(color_scheme=scheme).open(WORKBOOK)
        assert serious_violations(workbook) == [], scheme
        console = open_reader(color_scheme=scheme, base=facilitator_url).open(CONSOLE)
        console.locator(".storybook-console__done").first.click()
        assert serious_violations(console) == [], scheme


@pytest.mark.parametrize(
    ("edition", "path"),
    [
        ("learner", SAMPLE),
        ("learner", WORKBOOK),
        ("facilitator", SAMPLE),
        ("facilitator", CONSOLE),
        ("facilitator", PACK),
        ("facilitator", WORKBOOK),
    ],
)
def test_workshop_pages_fit_a_phone(
    open_reader: Callable[..., Reader], facilitator_url: str, edition: str, path: str
) -> None:
    base = facilitator_url if edition == "facilitator" else None
    reader = open_reader(viewport=PHONE, **({"base": base} if base else {}))
    page = reader.open(path)
    width = page.evaluate("document.documentElement.clientWidth")
    assert width == PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "scrolls sideways"
    sticking_out = page.evaluate(
        """() => Array.from(document.querySelectorAll(".md-content article *"))
            .filter(node => node.getBoundingClientRect().right > innerWidth + 0.5)
            .map(node => node.outerHTML.slice(0, 80))"""
    )
    assert sticking_out == []
    # No word is broken between letters: each text's words fit on their line whole.
    broken = page.evaluate(
        """() => {
            const broken = [];
            const walker = document.createTreeWalker(
                document.querySelector(".md-content article"), NodeFilter.SHOW_TEXT);
            const range = document.createRange();
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (const match of node.textContent.matchAll(/[\\p{L}\\p{N}]{2,}/gu)) {
                    range.setStart(node, match.index);
                    range.setEnd(node, match.index + match[0].length);
                    if (range.getClientRects().length > 1) broken.push(match[0]);
                }
            }
            return broken;
        }"""
    )
    assert broken == [], broken


def open_console_at(browser: Browser, facilitator_url: str, when: datetime.datetime) -> Page:
    context = browser.new_context(viewport=DESKTOP, timezone_id=ZONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.clock.install(time=when)
    page.goto(facilitator_url + CONSOLE)
    page.wait_for_load_state("load")
    assert errors == []
    return page


def now_marked(page: Page) -> str:
    page.wait_for_function(
        "() => document.querySelectorAll('.storybook-console__session--now').length === 1"
    )
    title: str = page.locator(".storybook-console__session--now h2").inner_text()
    return title.replace("¶", "").strip()


def test_the_now_marker_follows_the_clock_and_the_pace_follows_sessions_done(
    browser: Browser, facilitator_url: str
) -> None:
    from playwright.sync_api import expect

    page = open_console_at(browser, facilitator_url, DAY.replace(hour=9, minute=35))
    try:
        assert now_marked(page).startswith(f"09:30{DASH}09:45 Welcome")
        pace = page.locator(".storybook-console__pace")
        expect(pace).to_have_text(re.compile(r"^On time"))

        page.clock.fast_forward("20:00")  # 09:55, in the second session
        page.wait_for_function(
            "() => document.querySelector('.storybook-console__session--now h2')"
            ".innerText.startsWith('09:45')"
        )
        assert "The Friday Rota" in now_marked(page)
        expect(page.locator(".storybook-console__now")).to_contain_text("Now 09:55")
        # The welcome is not marked done: the room is 10 minutes behind.
        expect(pace).to_have_text(re.compile(r"^10 minutes behind"))

        first = page.locator(".storybook-console__done").first
        first.click()
        expect(first).to_have_attribute("aria-pressed", "true")
        expect(pace).to_have_text("On time.")
        page.reload()
        page.wait_for_load_state("load")
        expect(page.locator(".storybook-console__done").first).to_have_attribute(
            "aria-pressed", "true"
        )
        # Done with the rota and the coffee by 09:55: ahead of the plan.
        page.locator(".storybook-console__done").nth(1).click()
        page.locator(".storybook-console__done").nth(2).click()
        expect(pace).to_have_text(re.compile(r"^55 minutes ahead"))
    finally:
        page.context.close()


def test_without_a_script_the_console_is_the_plan(browser: Browser, facilitator_url: str) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(facilitator_url + CONSOLE)
        sessions = page.locator(".storybook-console__session h2").all_inner_texts()
        assert len(sessions) == 9 and sessions[0].startswith(f"09:30{DASH}09:45")
        assert page.locator(".storybook-console__done").count() == 0
    finally:
        context.close()


def test_the_facilitator_edition_prints_the_workbook_for_participants(
    open_reader: Callable[..., Reader], facilitator_url: str
) -> None:
    """Printed from the facilitator edition, the workbook leaves that edition's box out (it
    goes to participants); the pack keeps it."""
    reader = open_reader(base=facilitator_url)
    page = reader.open(WORKBOOK)
    assert page.locator(".storybook-facilitator-edition").is_visible()
    workbook = pdf_pages(page)
    assert workbook[0].startswith(squeeze("New manager, day one: workbook")), workbook[0][:80]
    assert not any("Facilitatoredition" in text for text in workbook)
    pack = pdf_pages(reader.open(PACK))
    assert "Facilitatoredition:notforlearners" in pack[0]


def follow(page: Page, link: str, arrives: str) -> None:
    """Click a link, as a facilitator does, and wait for Material's instant navigation to show
    the page whose address ends in ``arrives`` with its scripts' work done."""
    page.get_by_role("link", name=link, exact=True).first.click()
    page.wait_for_function(
        """arrives => location.pathname.endsWith(arrives) && (
            !document.querySelector('.storybook-console') ||
            document.querySelector('.storybook-console[data-console-ready]'))""",
        arg=arrives,
    )


def test_the_consoles_ticks_and_clock_survive_materials_instant_navigation(
    browser: Browser, facilitator_url: str
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=DESKTOP, timezone_id=ZONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.clock.install(time=DAY.replace(hour=9, minute=35))
    try:
        # The run-of-show first: the console is reached as a facilitator reaches it, by a link.
        page.goto(facilitator_url + SAMPLE)
        page.wait_for_load_state("load")
        page.evaluate("() => { window.loadedOnce = true; }")
        follow(page, "open the workshop console", CONSOLE)
        done = page.locator(".storybook-console__done")
        done.nth(0).click()
        done.nth(1).click()
        expect(done.nth(1)).to_have_attribute("aria-pressed", "true")

        follow(page, "Run-of-show", SAMPLE)
        follow(page, "open the workshop console", CONSOLE)
        assert page.evaluate("() => window.loadedOnce === true"), "no instant navigation"
        pressed = [done.nth(i).get_attribute("aria-pressed") for i in range(done.count())]
        assert pressed[:3] == ["true", "true", "false"]
        expect(page.locator(".storybook-console__now")).to_contain_text("Now 09:35")
        page.clock.fast_forward("20:00")
        expect(page.locator(".storybook-console__now")).to_contain_text("Now 09:55")
        assert now_marked(page).startswith(f"09:45{DASH}")

        # Ticked after a link, kept where the console's own page looks when it is opened.
        page.reload()
        page.wait_for_load_state("load")
        expect(done.nth(1)).to_have_attribute("aria-pressed", "true")
        expect(done.nth(0)).to_have_attribute("aria-pressed", "true")
        assert errors == []
    finally:
        context.close()

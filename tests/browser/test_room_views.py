"""Running a room in Chromium: the presenter console drives the projector view in a second
window, across two origins, and nothing facilitator-only ever reaches the projector."""

from __future__ import annotations

import datetime
import functools
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from unittest import mock

import pytest

from ..conftest import copy_sample, story_text
from ..test_editions import STORY_MARKERS, TEXT_MARKERS
from .conftest import PHONE, QuietHandler, Reader, serious_violations

if TYPE_CHECKING:
    from playwright.sync_api import Page

SCREENSHOTS = os.environ.get("STORYBOOK_SCREENSHOTS")
PROJECTOR_SIZE = {"width": 1920, "height": 1080}
MARKED = "marked"
HELD_WORDS = "HELD-PART-WORDS"
MARKED_BODY = """\
The opening of the story, before any heading.

## Part A

What happened first, in plain view.

## Part B

The twist: HELD-PART-WORDS.
"""
TIMED = "timed"
TIMED_PLAN = """\
suggested_minutes: 45
discussion_plan:
  segments:
    - title: "Read alone"
      minutes: 5
    - title: "Pairs"
      minutes: 10
"""
# Every message any window receives, recorded before the page's own scripts run.
RECORD_MESSAGES = """
window.__received = [];
window.addEventListener("message", function (event) {
  window.__received.push(JSON.stringify({ origin: event.origin, data: event.data }));
}, true);
"""


@dataclass(frozen=True)
class RoomSites:
    learner: str
    facilitator: str


def _build(project: Path, site: Path, url: str, env: dict[str, str]) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    with mock.patch.dict(os.environ, env):
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), site_url=url)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    # Either edition is built where it is told (see test_site_folder.py).
    assert Path(config.site_dir) == site


@pytest.fixture(scope="module")
def room_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RoomSites]:
    """Both editions of the sample storybook (plus a story with a marker in every
    facilitator-only field and a held-back part), each served on its own port, as a room is."""
    project = copy_sample(tmp_path_factory.mktemp("room") / "project")
    (project / "stories" / f"{MARKED}.md").write_text(
        story_text(
            title="Marked story",
            body=MARKED_BODY,
            reflection='\n  - "What did {{ story.protagonist }} notice?"\n  - "What next?"',
            extra="".join(STORY_MARKERS.values()) + 'reveal: ["Part B"]\n',
        ),
        encoding="utf-8",
    )
    # A story with known timings: the sample stories' may change.
    (project / "stories" / f"{TIMED}.md").write_text(
        story_text(title="Timed story", extra=TIMED_PLAN), encoding="utf-8"
    )
    servers: list[ThreadingHTTPServer] = []
    urls: dict[str, str] = {}
    sites = {edition: project.parent / f"{edition}-site" for edition in ("learner", "facilitator")}
    for edition, site in sites.items():
        site.mkdir()
        handler = functools.partial(QuietHandler, directory=str(site))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        urls[edition] = f"http://127.0.0.1:{server.server_address[1]}/"
    for edition, site in sites.items():
        env = {
            "STORYBOOK_EDITION": edition,
            "STORYBOOK_PROJECTOR_URL": urls["learner"],
            "STORYBOOK_CONSOLE_URL": urls["facilitator"],
        }
        _build(project, site, urls[edition], env)
    yield RoomSites(urls["learner"], urls["facilitator"])
    for server in servers:
        server.shutdown()
        server.server_close()


def _console(open_reader: Callable[..., Reader], room_sites: RoomSites, slug: str) -> Reader:
    reader = open_reader(base=room_sites.facilitator)
    reader.page.context.add_init_script(RECORD_MESSAGES)
    reader.open(f"console/{slug}/")
    return reader


def _open_projector(console: Page, errors: list[str]) -> Page:
    with console.context.expect_page() as opened:
        console.get_by_role("button", name="Open projector view").click()
    projector = opened.value
    projector.on("pageerror", lambda error: errors.append(str(error)))
    projector.wait_for_load_state("load")
    return projector


def test_the_console_opens_the_projector_and_drives_it(
    open_reader: Callable[..., Reader], room_sites: RoomSites
) -> None:
    from playwright.sync_api import expect

    reader = _console(open_reader, room_sites, MARKED)
    console = reader.page
    projector = _open_projector(console, reader.errors)
    assert projector.url == f"{room_sites.learner}present/{MARKED}/"
    now, following = console.locator(".storybook-now"), console.locator(".storybook-next")
    held = projector.get_by_text(HELD_WORDS)
    expect(now).to_have_text("Marked story")
    expect(following).to_have_text("The story begins")

    # Space, as well as Right, even with the focus still on the button just pressed.
    for key, title in (("Space", "The story begins"), ("ArrowRight", "Part A")):
        console.keyboard.press(key)
        expect(now).to_have_text(title)
        expect(held).to_be_hidden()
    # The held-back part is passed over: the next slide is the first question.
    console.keyboard.press("ArrowRight")
    expect(projector.locator('[data-question="1"]')).to_be_visible()
    expect(now).to_have_text("Question 1")
    expect(held).to_be_hidden()
    console.keyboard.press("ArrowLeft")
    expect(projector.get_by_text("What happened first")).to_be_visible()

    console.get_by_role("button", name="Reveal the next part").click()
    expect(held).to_be_visible()
    expect(now).to_have_text("Part B")
    expect(following).to_have_text("Question 1")

    console.keyboard.press("b")
    expect(projector.locator(".storybook-blank-screen")).to_be_visible()
    expect(now).to_contain_text("Blank screen")
    console.get_by_role("button", name="Show question 2").click()
    expect(projector.locator(".storybook-blank-screen")).to_be_hidden()
    expect(projector.get_by_text("What next?")).to_be_visible()
    expect(now).to_have_text("Question 2")

    # A command from any other origin is ignored: here, one from the projector's own origin.
    # Messages are handled in the order sent, so the console's Left after it goes back one.
    projector.evaluate(
        "() => window.postMessage({type: 'storybook-console', command: 'previous'}, '*')"
    )
    console.keyboard.press("ArrowLeft")
    expect(now).to_have_text("Question 1")
    expect(projector.get_by_text("What did Sam notice?")).to_be_visible()

    received = projector.evaluate("window.__received")
    assert len(received) >= 6, received
    assert all('"type":"storybook-console"' in message for message in received)
    for message in received:
        assert "MARKER" not in message and "437" not in message, message
    projector_html = projector.content()
    for marker in TEXT_MARKERS:
        assert marker not in projector_html
    learner_requests = [url for url in reader.requests if url.startswith(room_sites.learner)]
    assert learner_requests
    for url in reader.requests:
        assert "MARKER" not in url, url
    assert reader.errors == []


def test_the_projector_is_large_plain_and_accessible_in_both_schemes(
    open_reader: Callable[..., Reader], room_sites: RoomSites
) -> None:
    from playwright.sync_api import expect

    for scheme in ("light", "dark"):
        reader = open_reader(viewport=PROJECTOR_SIZE, color_scheme=scheme, base=room_sites.learner)
        page = reader.open(f"present/{MARKED}/")
        title = page.locator("h1")
        expect(title).to_be_visible()
        assert serious_violations(page) == [], scheme
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        heading = page.get_by_role("heading", name="Part A")
        expect(heading).to_be_visible()
        text = page.get_by_text("What happened first")
        sizes = [
            float(locator.evaluate("node => getComputedStyle(node).fontSize").removesuffix("px"))
            for locator in (text, heading, title)
        ]
        assert sizes[0] >= 28, sizes
        assert sizes[1] > sizes[0] and sizes[2] > sizes[0], sizes
        chrome = page.locator("nav, header, footer, [role=search], .md-search, .md-sidebar")
        assert chrome.count() == 0
        assert serious_violations(page) == [], scheme


def test_the_console_counts_down_and_says_when_a_segment_runs_over(
    open_reader: Callable[..., Reader], room_sites: RoomSites
) -> None:
    from playwright.sync_api import expect

    reader = open_reader(base=room_sites.facilitator)
    page = reader.page
    start = datetime.datetime(2026, 3, 10, 9, 30)
    page.clock.install(time=start)
    reader.open(f"console/{TIMED}/")
    # Time stands still in the page but for run_for below.
    page.clock.pause_at(start + datetime.timedelta(minutes=1))
    story = page.locator('[data-segment="story"]')
    first, second = page.locator('[data-segment="0"]'), page.locator('[data-segment="1"]')
    expect(story).to_have_text("not started")
    page.get_by_role("button", name="Start the clock").click()
    expect(story).to_have_text("45:00 left")
    expect(first).to_have_text("now: 5:00 left")
    expect(second).to_have_text("to come")

    page.clock.run_for("05:30")
    expect(first).to_have_text("now: over time by 0:30")
    expect(first).to_have_class("storybook-countdown storybook-over-time")
    expect(story).to_have_text("39:30 left")
    page.get_by_role("button", name="Next segment").click()
    expect(first).to_have_text("done")
    expect(second).to_have_text("now: 10:00 left")

    page.clock.run_for("40:00")
    expect(story).to_have_text("over time by 0:30")
    # The clock survives the reload that every save in the room causes.
    page.reload()
    expect(story).to_contain_text("over time by 0:3")
    expect(second).to_contain_text("now: over time by 30:")


def test_the_console_is_accessible_and_fits_a_phone(
    open_reader: Callable[..., Reader], room_sites: RoomSites
) -> None:
    from playwright.sync_api import expect

    reader = _console(open_reader, room_sites, "the-quiet-slump")
    page = reader.page
    projector = _open_projector(page, reader.errors)
    expect(page.locator(".storybook-now")).to_have_text("The Quiet Slump")
    expect(projector.locator("h1")).to_be_visible()
    page.get_by_role("button", name="Show question 1").click()
    expect(projector.locator('[data-question="1"]')).to_be_visible()
    page.get_by_role("button", name="Start the clock").click()
    assert serious_violations(page) == []
    assert serious_violations(projector) == []
    if SCREENSHOTS:
        _keep(page, "presenter-console.png")
        _keep(projector, "projector-view.png")
    phone = open_reader(viewport=PHONE, base=room_sites.facilitator).open(
        "console/the-quiet-slump/"
    )
    expect(phone.get_by_role("button", name="Open projector view")).to_be_visible()
    width = phone.evaluate("document.documentElement.clientWidth")
    assert phone.evaluate("document.documentElement.scrollWidth") <= width, "scrolls sideways"


def _keep(page: Page, name: str) -> None:
    assert SCREENSHOTS is not None
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / name)

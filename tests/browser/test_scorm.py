"""SCORM packages in Chromium, inside a page that plays the LMS with scorm-again's real SCORM
1.2 and 2004 run-times (tests/scorm/lms.js): launch, read two stories, close, launch again and
resume, read the rest, completed. Every call the package makes is recorded and checked: only
progress, never an answer from the journal, and every value one the run-time accepts.

The LMS page and the package are served from the same origin over http, as an LMS serves
them; without an LMS the package opened from disk is the offline copy.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import shutil
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import FrameLocator, expect

from storybook.cli import main
from storybook.package.selection import MAX_SUSPEND_DATA, suspend_data_length

from ..conftest import ROOT, copy_sample
from .conftest import DESKTOP, HEADING, QuietHandler, Reader, search, unavailable

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

RUNTIME = ROOT / "tests" / "scorm"
SCORM_AGAIN = RUNTIME / "node_modules" / "scorm-again" / "dist"
# What each package is: a workshop of three stories in SCORM 1.2, a path of sixteen in 2004.
PACKAGES = {
    "scorm12": ["--workshop", "new-manager-day-one"],
    "scorm2004": ["--path", "first-90-days"],
}
JOURNAL = "My answer, JOURNAL-SECRET-7f3a, stays in this browser."
# The elements each version may read and write, and what a value written may look like.
ELEMENTS: dict[str, dict[str, re.Pattern[str]]] = {
    "scorm12": {
        "cmi.core.lesson_status": re.compile(r"incomplete|completed"),
        "cmi.core.lesson_location": re.compile(r"[a-z0-9/-]+\.html"),
        "cmi.suspend_data": re.compile(r"sb1-[0-9a-f]{8}:[A-Za-z0-9+/=]*"),
        "cmi.core.session_time": re.compile(r"\d{2,4}:\d{2}:\d{2}\.\d{2}"),
        "cmi.core.exit": re.compile(r"suspend"),
    },
    "scorm2004": {
        "cmi.completion_status": re.compile(r"incomplete|completed"),
        "cmi.location": re.compile(r"[a-z0-9/-]+\.html"),
        "cmi.suspend_data": re.compile(r"sb1-[0-9a-f]{8}:[A-Za-z0-9+/=]*"),
        "cmi.progress_measure": re.compile(r"0\.\d{4}|1\.0000"),
        "cmi.session_time": re.compile(r"PT\d+H\d+M\d+\.\d{2}S"),
        "cmi.exit": re.compile(r"suspend"),
    },
}
STATUS = {"scorm12": "cmi.core.lesson_status", "scorm2004": "cmi.completion_status"}
LOCATION = {"scorm12": "cmi.core.lesson_location", "scorm2004": "cmi.location"}
FINISH = {"scorm12": "LMSFinish", "scorm2004": "Terminate"}
EXIT = {"scorm12": "cmi.core.exit", "scorm2004": "cmi.exit"}
# Read, never written: whether the visit starts afresh or resumes.
ENTRY = {"scorm12": "cmi.core.entry", "scorm2004": "cmi.entry"}
SESSION_TIME = {"scorm12": "cmi.core.session_time", "scorm2004": "cmi.session_time"}


@dataclass
class Lms:
    url: str
    folder: Path

    def settings(self, version: str) -> dict[str, Any]:
        script = (self.folder / version / "assets" / "storybook-scorm-package.js").read_text()
        found = re.search(r"= (\{.*\});", script, re.S)
        assert found
        settings: dict[str, Any] = json.loads(found[1])
        return settings


@pytest.fixture(scope="module")
def lms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lms]:
    """Both packages of the sample storybook, unzipped beside the LMS page and scorm-again,
    served over http on 127.0.0.1."""
    if not (SCORM_AGAIN / "scorm12.js").is_file():
        unavailable("scorm-again is not installed (make scorm-runtime installs it from npm)")
    folder = tmp_path_factory.mktemp("lms")
    project = copy_sample(folder / "project")
    served = folder / "served"
    for version, args in PACKAGES.items():
        out = folder / f"{version}.zip"
        result = CliRunner().invoke(
            main,
            ["package", str(out), "-f", str(project / "mkdocs.yml"), "--format", version, *args],
        )
        assert result.exit_code == 0, result.output
        with zipfile.ZipFile(out) as archive:
            archive.extractall(served / version)
    (served / "lms").mkdir()
    for name in ("lms.html", "lms.js"):
        shutil.copy(RUNTIME / name, served / "lms" / name)
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(SCORM_AGAIN / name, served / "lms" / name)
    handler = functools.partial(QuietHandler, directory=str(served))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield Lms(f"http://127.0.0.1:{server.server_address[1]}/", served)
        server.shutdown()
        thread.join()


@pytest.fixture
def open_tab(browser: Browser) -> Iterator[Callable[[str], Reader]]:
    """open_tab(base): a tab that records its requests and fails the test on a script error
    or anything the Content-Security-Policy refused, in any of its frames."""
    readers: list[Reader] = []

    def make(base: str) -> Reader:
        context = browser.new_context(viewport=DESKTOP)
        context.set_default_timeout(15_000)
        reader = Reader(context.new_page(), base)
        reader.watch()
        readers.append(reader)
        return reader

    yield make
    for reader in readers:
        reader.page.context.close()
    for reader in readers:
        assert reader.errors == [], f"script errors on the page: {reader.errors}"


def launch(page: Page, version: str, kept: dict[str, str] | None) -> FrameLocator:
    """The LMS launches the package with what the last visit left; the site's frame."""
    page.evaluate(
        "([version, address, kept]) => window.lms.launch(version, address, kept)",
        [version, f"../{version}/storybook-scorm.html", kept],
    )
    return page.frame_locator("#sco").frame_locator("#storybook-scorm-frame")


def wait_for_kept(page: Page, element: str, value: str) -> None:
    page.wait_for_function(
        "([element, value]) => window.lms.kept[element] === value", arg=[element, value]
    )


def close(page: Page) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The learner closes the course; what the LMS keeps, and every call of the visit."""
    kept: dict[str, str] = page.evaluate("() => window.lms.close()")
    assert page.evaluate("() => window.lms.finished")
    calls: list[dict[str, Any]] = page.evaluate("() => window.lms.calls")
    return kept, calls


def seen(settings: dict[str, Any], suspend_data: str) -> list[str]:
    """The stories the suspend data says were opened."""
    key, _, bits = suspend_data.partition(":")
    assert key == settings["key"]
    data = base64.b64decode(bits)
    stories: list[str] = settings["stories"]
    return [page for i, page in enumerate(stories) if data[i >> 3] & (1 << (i & 7))]


def check_calls(version: str, calls: list[dict[str, Any]]) -> None:
    """Every call succeeded in scorm-again, reads and writes progress elements only, with
    values of their shape, and carries no journal answer or facilitator text."""
    assert calls, "the package never called the LMS"
    assert [c for c in calls if c["answer"] == "false" or c["error"] not in ("0", "")] == []
    methods = [c["method"] for c in calls]
    assert methods[0] in ("LMSInitialize", "Initialize") and methods.count(methods[0]) == 1
    assert methods[-1] == FINISH[version] and methods.count(FINISH[version]) == 1
    allowed = ELEMENTS[version]
    for call in calls:
        if call["method"] in ("LMSGetValue", "GetValue"):
            assert call["args"][0] in allowed or call["args"][0] == ENTRY[version], call
        if call["method"] in ("LMSSetValue", "SetValue"):
            element, value = call["args"]
            assert element in allowed and allowed[element].fullmatch(value), call
            assert len(value) <= MAX_SUSPEND_DATA
    recorded = json.dumps(calls)
    assert "JOURNAL-SECRET" not in recorded and "stays in this browser" not in recorded
    assert "acilitator" not in recorded


@pytest.mark.parametrize("version", sorted(PACKAGES))
def test_a_reader_reads_closes_resumes_and_completes_in_a_real_scorm_runtime(
    version: str, lms: Lms, open_tab: Callable[[str], Reader]
) -> None:
    settings = lms.settings(version)
    stories: list[str] = settings["stories"]
    reader = open_tab(lms.url)
    page = reader.open("lms/lms.html")

    # First visit: opened is incomplete; read two stories, write an answer in the journal.
    course = launch(page, version, None)
    wait_for_kept(page, STATUS[version], "incomplete")
    heading = course.locator(HEADING)
    expect(heading).to_be_visible()
    start_title = heading.inner_text()
    course.locator(f'a[href$="{stories[0]}"]').first.click()
    wait_for_kept(page, LOCATION[version], stories[0])
    box = course.locator(".storybook-answer__box").first
    box.fill(JOURNAL)
    expect(box).to_have_value(JOURNAL)
    if version == "scorm2004":  # on a path: its Next link
        course.locator("a.storybook-on-path__next").first.click()
    else:  # a workshop: back to its agenda, then the next story on it
        course.locator("body").evaluate("() => history.back()")
        expect(heading).to_have_text(start_title)
        course.locator(f'a[href$="{stories[1]}"]').first.click()
    wait_for_kept(page, LOCATION[version], stories[1])
    second_title = heading.inner_text()
    kept, calls = close(page)
    check_calls(version, calls)
    assert kept[STATUS[version]] == "incomplete"
    assert seen(settings, kept["cmi.suspend_data"]) == stories[:2]
    assert kept[EXIT[version]] == "suspend"
    assert kept[SESSION_TIME[version]]  # its shape is checked with every call

    # Second visit: the course opens where the reader left it; read the rest.
    page = reader.open("lms/lms.html")
    course = launch(page, version, kept)
    heading = course.locator(HEADING)
    expect(heading).to_have_text(second_title)
    # Search works inside the LMS too, from the package's own files.
    box = course.locator(".md-search__input")
    box.click()
    box.press_sequentially("christening", delay=40)
    hit = course.locator('.md-search-result__link[href*="stories/the-friday-rota.html"]').first
    expect(hit).to_be_visible()
    box.press("Escape")
    expect(hit).to_be_hidden()
    for number, story in enumerate(stories[2:], start=2):
        if version == "scorm2004":
            course.locator("a.storybook-on-path__next").first.click()
        else:  # from the story, home by the header's logo, then the story's card
            course.locator("a.md-logo").first.click()
            course.locator(f'a[href$="{story}"]').first.click()
        wait_for_kept(page, LOCATION[version], story)
        if number < len(stories) - 1:
            assert page.evaluate(f"() => window.lms.kept['{STATUS[version]}']") == "incomplete"
    wait_for_kept(page, STATUS[version], "completed")
    kept, calls = close(page)
    check_calls(version, calls)
    assert kept[STATUS[version]] == "completed"
    assert seen(settings, kept["cmi.suspend_data"]) == stories
    if version == "scorm2004":
        assert kept["cmi.progress_measure"] == "1.0000"

    # The answer never left the browser, but it is still there, on the story's page.
    page = reader.open(f"{version}/{stories[0]}")
    expect(page.locator(".storybook-answer__box").first).to_have_value(JOURNAL)
    assert not [url for url in reader.requests if not url.startswith(lms.url)]


def test_without_an_lms_the_package_is_the_offline_copy(
    lms: Lms, open_tab: Callable[[str], Reader]
) -> None:
    """Opened from disk, the launch page finds no LMS and hands over to the package's first
    page, which searches as the offline copy does, with no outside request."""
    folder = lms.folder / "scorm2004"
    reader = open_tab(folder.as_uri() + "/")
    page = reader.open("storybook-scorm.html")
    page.wait_for_url(re.compile(r"/paths/first-90-days\.html$"))
    reader.settle()
    expect(page.locator(HEADING)).to_have_text(re.compile("Your first 90 days"))
    search(page, "christening")
    hit = page.locator('.md-search-result__link[href*="stories/the-friday-rota.html"]').first
    expect(hit).to_be_visible()
    assert [url for url in reader.requests if not url.startswith(folder.as_uri())] == []


def test_the_stories_seen_fit_scorm_12_for_the_largest_package_allowed(
    lms: Lms, open_tab: Callable[[str], Reader]
) -> None:
    """The launch script's own encoding, measured: as long as the package command reckons,
    within 4,096 characters at 24,000 stories, and read back exactly."""
    reader = open_tab(lms.url)
    page = reader.open("lms/lms.html")
    page.add_script_tag(url=lms.url + "scorm12/assets/storybook-scorm.js")
    key = lms.settings("scorm12")["key"]
    measured = page.evaluate(
        """([key, count]) => {
            const all = new Array(count).fill(true);
            const some = all.map((_, index) => index % 3 === 0 || index === count - 1);
            const codec = window.StorybookScorm;
            const back = codec.decodeSeen(key, codec.encodeSeen(key, some), count);
            return {
                length: codec.encodeSeen(key, all).length,
                same: back.every((bit, index) => bit === some[index]),
                other: codec.decodeSeen("sb1-00000000", codec.encodeSeen(key, all), count)
                    .some(Boolean),
            };
        }""",
        [key, 24_000],
    )
    assert measured["length"] == suspend_data_length(key, 24_000) <= MAX_SUSPEND_DATA
    assert measured["same"] and not measured["other"]

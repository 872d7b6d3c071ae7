"""The pages' Content-Security-Policy in Chromium: a script the cleaner missed never runs, and
every kind of page works under the policy with nothing refused.

Every tab opened with `open_reader` fails its test on any refusal the policy writes to the
console (see conftest.py), so every browser test also checks that its pages keep within it.
The tests here check that the policy is in force on each kind of page, which those cannot.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from unittest import mock

import pytest
from playwright.sync_api import expect

from storybook.core.csp import page_policies, policy

from ..conftest import build, story_text
from ..test_export import build_with, export
from ..test_serve import Server
from .conftest import SETTLE_SECONDS, SLUMP, QuietHandler, Reader, search
from .test_room_views import MARKED, RoomSites, _console, _open_projector
from .test_room_views import room_sites as room_sites  # the fixture, for this module too

# Every refusal, as the page's scripts could see it; recorded before any of them runs. The
# browser's own Worker is kept too: the site's search script refuses a worker from outside the
# site before the browser sees it, and the policy must hold even where that script is missed.
RECORD_REFUSALS = """
window.__refused = [];
window.__nativeWorker = window.Worker;
document.addEventListener("securitypolicyviolation", function (event) {
  window.__refused.push(event.effectiveDirective + " " + event.blockedURI);
}, true);
"""
STORY = "hostile"
# What a cleaner that missed everything would leave in a story's page; each sets a flag if
# it ever runs. OUTSIDE is the address of a script on another server.
INJECTED = """
<script>window.ranInline = 1</script>
<img src="missing.png" alt="" onerror="window.ranHandler = 1">
<script src="OUTSIDE"></script>
"""
FLAGS = "() => ['ranInline', 'ranHandler', 'ranOutside'].filter(name => name in window)"
WORKERS = """() => Promise.all([
    "data:text/javascript,postMessage('ran')",
    URL.createObjectURL(new Blob(["postMessage('ran')"], {type: "text/javascript"})),
].map(url => new Promise(resolve => {
    try {
        const worker = new (window.__nativeWorker || Worker)(url);
        worker.onmessage = () => resolve("ran");
        worker.onerror = () => resolve("refused");
    } catch (error) {
        resolve("refused");
    }
})))"""


class Sentinel:
    """A server on another port, as an outside site would be: it records every request."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        sentinel = self

        class Recording(QuietHandler):
            def do_GET(self) -> None:
                sentinel.asked.append(self.path)
                body = b"window.ranOutside = 1;"
                self.send_response(200)
                self.send_header("Content-Type", "text/javascript")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Recording)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/x.js"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sentinel() -> Iterator[Sentinel]:
    server = Sentinel()
    yield server
    server.close()


def console_refusals(reader: Reader, count: int) -> list[str]:
    """Wait for ``count`` refusals on the console and take them off the tab's list of errors
    (they were meant)."""
    waited = 0
    while len(reader.errors) < count and waited < SETTLE_SECONDS * 50:
        reader.page.wait_for_timeout(20)  # a turn for Playwright to deliver console messages
        waited += 1
    refused = reader.errors[:]
    assert len(refused) == count, refused
    assert all("Content Security Policy" in error for error in refused), refused
    del reader.errors[:]
    return refused


def refusals(reader: Reader, count: int) -> list[str]:
    """Wait for ``count`` refusals of the page's own, as its scripts could see them, take
    them off the tab's list of errors and return them."""
    page = reader.page
    page.wait_for_function("count => window.__refused.length >= count", arg=count)
    console_refusals(reader, count)
    seen: list[str] = page.evaluate("window.__refused.splice(0)")
    return seen


def in_force(reader: Reader) -> None:
    """The page declares the policy, and an inline script added to it does not run."""
    page = reader.page
    assert page_policies(page.content()) == [policy()]
    ran = page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.probeRan = 1";
            document.head.append(script);
            return "probeRan" in window;
        }"""
    )
    assert ran is False
    assert refusals(reader, 1) == ["script-src-elem inline"]


def watched(open_reader: Callable[..., Reader], base: str) -> Reader:
    reader = open_reader(base=base)
    reader.page.context.add_init_script(RECORD_REFUSALS)
    return reader


def injected(site: Path, page: str, outside: str) -> str:
    """Put the payloads into the built ``page`` after the build, as if the cleaner had
    missed them, and beside it the same page without its policy; returns that copy's name."""
    path = site / page
    html = path.read_text(encoding="utf-8")
    assert html.count("</article>") == 1
    html = html.replace("</article>", INJECTED.replace("OUTSIDE", outside) + "</article>")
    path.write_text(html, encoding="utf-8")
    unguarded = path.with_name(f"unguarded-{path.name}")
    meta = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')
    unguarded.write_text(meta.sub("", html), encoding="utf-8")
    return unguarded.relative_to(site).as_posix()


@pytest.mark.parametrize("offline", [False, True], ids=["served", "offline"])
def test_what_the_cleaner_missed_never_runs_and_the_page_still_works(
    open_reader: Callable[..., Reader],
    mini_project: Callable[..., Path],
    serve_folder: Callable[[Path], str],
    sentinel: Sentinel,
    offline: bool,
) -> None:
    project = mini_project({f"{STORY}.md": story_text(title="Hostile story")})
    if offline:
        config = project / "mkdocs.yml"
        config.write_text(
            config.read_text(encoding="utf-8").replace("  - search\n", "  - search\n  - offline\n"),
            encoding="utf-8",
        )
    site = build(project, strict=True)
    page_name = f"stories/{STORY}.html" if offline else f"stories/{STORY}/index.html"
    unguarded = injected(site, page_name, sentinel.url)
    base = site.as_uri() + "/" if offline else serve_folder(site) + "/"

    reader = watched(open_reader, base)
    page = reader.open(page_name)
    expect(page.locator("h1")).to_have_text("Hostile story")
    seen = refusals(reader, 3)
    assert sorted(seen) == sorted(
        ["script-src-elem inline", "script-src-attr inline", f"script-src-elem {sentinel.url}"]
    )
    assert page.evaluate(FLAGS) == []
    assert sentinel.asked == []
    # Nor does a worker made from anything but the site's own files.
    assert page.evaluate(WORKERS) == ["refused", "refused"]
    if offline:  # the storybook's Worker stand-in loads them into a frame, as scripts
        refused = console_refusals(reader, 2)
        assert sorted(error.split("'")[1].split(":")[0] for error in refused) == ["blob", "data"]
    else:
        assert sorted(refusals(reader, 2)) == ["worker-src blob", "worker-src data"]

    # The page works as ever: the theme's scripts, search (Pagefind, from disk too) and the
    # journal, with nothing else refused (the tab fails the test on any other refusal).
    assert page.evaluate("typeof window.__md_scope") == "object"
    box = page.locator(".storybook-answer__box").first
    box.fill("Written under the policy.")
    expect(page.get_by_role("status")).to_have_text("Saved in this browser.")
    search(page, "hostile")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    assert any("/pagefind/" in url for url in reader.requests)
    page = reader.reload()
    expect(page.locator(".storybook-answer__box").first).to_have_value("Written under the policy.")
    assert sorted(refusals(reader, 3)) == sorted(seen)  # the reload met the payloads again

    # The payloads are live: the same page without its policy runs every one of them.
    control = watched(open_reader, base)
    page = control.open(unguarded)
    page.wait_for_function("names => names.every(name => name in window)", arg=["ranInline"])
    page.wait_for_function("() => 'ranOutside' in window && 'ranHandler' in window")
    assert sentinel.asked == ["/x.js"]


def test_a_built_site_searches_with_pagefind_and_keeps_the_journal_under_the_policy(
    open_reader: Callable[..., Reader], site_url: str
) -> None:
    reader = watched(open_reader, site_url)
    page = reader.open()
    in_force(reader)
    search(page, "christening")
    expect(page.locator(".md-search-result__item")).to_have_count(1)
    page = reader.open(SLUMP)
    in_force(reader)
    page.locator(".storybook-answer__box").first.fill("Kept under the policy.")
    expect(page.get_by_role("status")).to_have_text("Saved in this browser.")
    page = reader.reload()
    expect(page.locator(".storybook-answer__box").first).to_have_value("Kept under the policy.")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export my reflections").click()
    assert "Kept under the policy." in download.value.path().read_text(encoding="utf-8")


def test_the_offline_copy_searches_from_disk_under_the_policy(
    open_reader: Callable[..., Reader], offline_site: Path
) -> None:
    reader = watched(open_reader, offline_site.as_uri() + "/")
    page = reader.open("index.html")
    in_force(reader)
    search(page, "caregiving")
    expect(page.locator(".md-search-result__item")).to_have_count(1)
    page.locator(".md-search-result__link").first.click()
    page.wait_for_url(re.compile(r"stories/the-quiet-slump\.html"))
    reader.settle()
    in_force(reader)
    page.locator(".storybook-answer__box").first.fill("Kept offline.")
    page = reader.reload()
    expect(page.locator(".storybook-answer__box").first).to_have_value("Kept offline.")


def test_material_search_from_disk_runs_its_worker_in_a_frame_under_the_policy(
    open_reader: Callable[..., Reader], mini_project: Callable[..., Path]
) -> None:
    """With `search: lunr`, the offline copy runs Material's search worker through the
    storybook's Worker stand-in (a hidden frame of the page), also under the policy."""
    project = mini_project({"one.md": story_text(title="Lunr story", body="A caregiving week.")})
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  - search\n", "  - search\n  - offline\n")
    config.write_text(text.replace("  - storybook\n", "  - storybook:\n      search: lunr\n"))
    site = build(project, strict=True)
    reader = watched(open_reader, site.as_uri() + "/")
    page = reader.open("index.html")
    in_force(reader)
    search(page, "caregiving")
    expect(page.locator(".md-search-result__item").first).to_contain_text("Lunr story")
    assert any(url.endswith("/assets/iframe-worker-shim.js") for url in reader.requests)


def test_mkdocs_serve_searches_and_reloads_under_the_policy(
    open_reader: Callable[..., Reader], mini_project: Callable[..., Path]
) -> None:
    """Under `mkdocs serve`, Material's own search runs in its worker, and live reload loads
    from a file of the site (MkDocs writes it inline, which the policy refuses)."""
    project = mini_project({"one.md": story_text(title="First title", body="A caregiving week.")})
    server = Server(project)
    try:
        server.wait_for("/stories/one/", lambda html: "First title" in html)
        reader = watched(open_reader, server.base + "/")
        page = reader.page
        # Not reader.open(): the live-reload poll is a request that stays open.
        with page.expect_console_message(lambda message: "live reload" in message.text):
            page.goto(server.base + "/stories/one/")
        in_force(reader)
        search(page, "caregiving")
        expect(page.locator(".md-search-result__item").first).to_contain_text("First title")
        assert any("/workers/search." in url for url in reader.requests)
        assert any(url.endswith("/assets/storybook-livereload.js") for url in reader.requests)

        story = project / "stories" / "one.md"
        story.write_text(story_text(title="Second title"), encoding="utf-8")
        with page.expect_console_message(lambda message: "live reload" in message.text):
            expect(page.locator("h1[id]")).to_have_text("Second title", timeout=60_000)
        in_force(reader)
    finally:
        server.stop()


def test_the_room_console_drives_the_projector_under_the_policy(
    open_reader: Callable[..., Reader], room_sites: RoomSites
) -> None:
    reader = _console(open_reader, room_sites, MARKED)
    reader.page.context.add_init_script(RECORD_REFUSALS)
    console = reader.reload()
    in_force(reader)
    projector = _open_projector(console, reader.errors)
    expect(projector.locator("main")).to_be_visible()
    assert page_policies(projector.content()) == [policy()]
    console.keyboard.press("ArrowRight")
    expect(console.locator(".storybook-now")).to_have_text("The story begins")
    console.keyboard.press("ArrowRight")
    expect(console.locator(".storybook-now")).to_have_text("Part A")
    expect(projector.get_by_text("What happened first")).to_be_visible()
    assert projector.evaluate("window.__refused") == []


def test_the_projector_shows_its_join_code_under_the_policy(
    open_reader: Callable[..., Reader],
    mini_project: Callable[..., Path],
    serve_folder: Callable[[Path], str],
) -> None:
    """The projector view, a page template of the storybook's own, with the QR code that
    tells participants where to follow (an SVG image of the site)."""
    project = mini_project({"one.md": story_text(title="Projected story")})
    room = {
        "STORYBOOK_PROJECTOR_URL": "http://127.0.0.1:8000/",
        "STORYBOOK_CONSOLE_URL": "http://127.0.0.1:8001/",
        "STORYBOOK_JOIN_URL": "http://192.0.2.1:8000/",
    }
    with mock.patch.dict(os.environ, room):
        site = build(project, strict=True)
    reader = watched(open_reader, serve_folder(site) + "/")
    page = reader.open("present/one/")
    in_force(reader)
    expect(page.get_by_text("Projected story").first).to_be_visible()
    qr = page.locator(".storybook-join-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("window.__refused") == []


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_export_built_by_another_engine_searches_under_the_policy(
    open_reader: Callable[..., Reader],
    mini_project: Callable[..., Path],
    serve_folder: Callable[[Path], str],
    tmp_path: Path,
    engine: str,
) -> None:
    """The export, built without the storybook: the theme overrides it ships keep the policy,
    the theme's scripts run under it, and Material's search runs its worker under it.
    (Zensical's search has a dialog of its own, which these tests do not drive.)"""
    project = mini_project(
        {"one.md": story_text(title="Exported story", body="A caregiving week.")}
    )
    code, output, errors = export(project, tmp_path / "out")
    assert code == 0, output + errors
    site = build_with(engine, tmp_path / "out")
    reader = watched(open_reader, serve_folder(site) + "/")
    page = reader.open("stories/one/")
    in_force(reader)
    assert page.evaluate("typeof window.__md_scope") == "object"
    assert page.locator("html").get_attribute("data-platform") is not None
    if engine == "mkdocs":
        search(page, "caregiving")
        expect(page.locator(".md-search-result__item").first).to_contain_text("Exported story")
        assert any("/workers/search." in url for url in reader.requests)

"""Hostile content in a real Chromium: a story full of payloads, none of which may run."""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Error as PlaywrightError

import storybook.core.fields
import storybook.core.pages
import storybook.core.render
import storybook.core.validate
import storybook.plugin.hooks
from storybook.core.room_pages import CONSOLE_URL_VARIABLE, DEFAULT_CONSOLE_URL
from storybook.core.safety import find_unsafe

from ..conftest import build, build_edition, story_text
from .conftest import Reader, search

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog

# Every payload sets window.pwned<N> if it ever runs.
HOSTILE_BODY = """\
The meeting ran long. Press <kbd>Ctrl</kbd> to <mark>highlight</mark>.

<script>window.pwned1 = 1</script>

<img src="missing.png" alt="" onerror="window.pwned2 = 1">

<svg onload="window.pwned3 = 1"><circle r="4"></circle></svg>

<a id="raw-link" href="javascript:window.pwned4 = 1">a raw link</a>

[a Markdown link](javascript:window.pwned5=1){ #md-link }

Hover over this line.
{: #hover onmouseover="window.pwned6 = 1" }

<iframe srcdoc="<script>parent.pwned7 = 1</script>"></iframe>

<details open ontoggle="window.pwned8 = 1"><summary>More</summary>Hidden text.</details>

<form action="javascript:window.pwned9 = 1"><button id="send">Send</button></form>
"""


def hostile_story() -> str:
    story = story_text(
        title="Hostile <img src='x' onerror='window.pwned10 = 1'> story",
        reflection='\n  - "What now? <img src=x onerror=window.pwned11=1>"',
        body=HOSTILE_BODY,
    )
    return story.replace('"A short summary."', '"\\"><script>window.pwned12 = 1</script>"')


# What is left in the story and in search results that could still run later: script-like
# elements, event handler attributes and javascript: addresses.
STILL_LIVE = """() => Array.from(
        document.querySelectorAll(".md-content article *, .md-search-result *")
    ).flatMap(node => [
        ...(node.matches("script, iframe, object, embed") ? [node.localName] : []),
        ...Array.from(node.attributes)
            .filter(attr => attr.name.startsWith("on") || /^\\s*javascript:/i.test(attr.value))
            .map(attr => `${node.localName} ${attr.name}`),
    ])"""
# The pages' Content-Security-Policy (see storybook/core/csp.py).
POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')
# Every payload the page without the cleaner and the policy must run, and the test waits for.
RUN_UNCLEAN = {"pwned1", "pwned2", "pwned4", "pwned5", "pwned6", "pwned9", "pwned10"}


def what_ran(browser: Browser, base: str, expected: frozenset[str] = frozenset()) -> list[str]:
    """Open the hostile story as a reader would, poke at it, and list the payloads that ran
    (having waited for the `expected` ones) and whatever is left that could run later."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    ran_so_far = "Object.keys(window).filter(name => name.startsWith('pwned'))"
    try:
        page.goto(f"{base}/stories/hostile/", wait_until="load")
        assert page.evaluate("typeof window.__md_scope") == "object", "the theme's scripts run"
        assert page.locator("kbd", has_text="Ctrl").is_visible()
        assert page.locator("mark", has_text="highlight").is_visible()
        # The ids come from the payloads themselves: present only where they were not
        # neutralised.
        if page.locator("#hover").count():
            page.locator("#hover").hover()
        for link in ("#raw-link", "#md-link", "#send"):
            if page.locator(link).count():
                page.locator(link).click(no_wait_after=True)
        if expected:
            # javascript: links and forms run in a later task: wait for them (the assertion
            # then lists whatever ran, or did not).
            with contextlib.suppress(PlaywrightError):
                page.wait_for_function(
                    "names => names.every(name => name in window)", arg=sorted(expected)
                )
        ran: list[str] = page.evaluate(ran_so_far)
        live: list[str] = []
        if page.url.startswith(f"{base}/stories/hostile/"):
            live += page.evaluate(STILL_LIVE)
            # Search renders its results from the index: nothing may run from there either.
            search(page, "hostile")
            page.locator(".md-search-result__item").first.wait_for()
            ran += page.evaluate(ran_so_far)
            live += page.evaluate(STILL_LIVE)
        return (
            sorted(set(ran))
            + [f"dialog: {message}" for message in dialogs]
            + [f"could still run: {what}" for what in sorted(set(live))]
        )
    finally:
        page.close()


def test_an_injected_script_never_runs_in_a_real_browser(
    browser: Browser,
    serve_folder: Callable[[Path], str],
    mini_project: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = mini_project({"hostile.md": hostile_story()})
    # `storybook check` refuses every payload above at its line; suppose it missed them all.
    monkeypatch.setattr(storybook.core.validate, "find_unsafe", lambda text: [])
    monkeypatch.setattr(storybook.core.fields, "find_unsafe", lambda text: [])
    monkeypatch.setattr(storybook.core.render, "find_unsafe", lambda text: [])
    site = build(project)
    assert what_ran(browser, serve_folder(site)) == []

    # The same page without the cleaner, nor the render's neutralising: the payloads are
    # left in it, but the page's Content-Security-Policy runs none of them.
    monkeypatch.setattr(storybook.plugin.hooks, "clean", lambda html: html)
    monkeypatch.setattr(storybook.core.render, "neutralise", lambda text: text)
    monkeypatch.setattr(storybook.core.pages, "neutralise", lambda text: text)
    unclean = project.parent / "unclean"
    shutil.move(build(project), unclean)
    left = what_ran(browser, serve_folder(unclean))
    assert [what for what in left if not what.startswith("could still run")] == []
    assert "could still run: img onerror" in left

    # Without the policy too, the payloads do run, and the test sees them and what else is
    # left to run.
    for page in unclean.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        page.write_text(POLICY.sub("", html), encoding="utf-8")
    ran = set(what_ran(browser, serve_folder(unclean), frozenset(RUN_UNCLEAN)))
    assert ran >= RUN_UNCLEAN
    assert "could still run: a href" in ran and "could still run: img onerror" in ran


def test_the_check_refuses_every_payload_of_the_browser_test() -> None:
    lines = sorted({finding.line for finding in find_unsafe(HOSTILE_BODY)})
    expected = [i for i, line in enumerate(HOSTILE_BODY.splitlines()) if "pwned" in line]
    assert lines == expected


# The hostile storybook (tests/data/hostile_attributes): every text of every file kind
# armed with attribute payloads, among them the JSON paragraph that, made Material's
# __config, would start a data: search worker that calls 127.0.0.1:9, and handlers that set
# window.pwned. Every page is opened with ?q=, which opens Material's search by itself.
PAGES = {
    "learner": [
        "", "stories/hostile/", "tags/", "tags/wellbeing/", "paths/", "paths/hostile/",
        "workshops/", "workshops/hostile/", "workshops/hostile/workbook/", "present/hostile/",
    ],
    "facilitator": [
        "", "stories/hostile/", "tags/wellbeing/", "paths/hostile/", "workshops/hostile/",
        "workshops/hostile/pack/", "workshops/hostile/console/", "coverage/", "console/hostile/",
    ],
}  # fmt: skip
# What a payload would change: a global, the page's title.
PWNED = "() => [typeof window.pwned === 'undefined' ? '' : String(window.pwned), document.title]"
# Every element of the page sees a pointer pass over it and takes the focus.
POKE = """() => document.querySelectorAll('body *').forEach(node => {
    node.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    if (node.focus) node.focus();
})"""


def what_hostile_pages_did(browser: Browser, base: str, pages: list[str]) -> list[str]:
    """Open each page as a reader arriving from a search link (?q=); list whatever a payload
    did: a global or title set, a dialog, a request that left the site."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    reader = Reader(context.new_page(), base)
    reader.watch()
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    reader.page.on("dialog", dismiss)
    did = []
    try:
        for path in pages:
            reader.page.goto(f"{base}/{path}?q=pwn")
            reader.settle()
            reader.page.evaluate(POKE)
            reader.settle()
            pwned, title = reader.page.evaluate(PWNED)
            if pwned or "pwned" in title:
                did.append(f"{path}: ran ({pwned!r}, title {title!r})")
        did += [f"dialog: {message}" for message in dialogs]
        # Only the site's own files; the search script's empty stand-in for Material's
        # index is data: JSON of its own making.
        did += sorted(
            {
                f"request: {url}"
                for url in reader.requests
                if not url.startswith((base + "/", "data:application/json,"))
            }
        )
    finally:
        context.close()
    return did


def hostile_site(folder: Path, edition: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    from ..test_hostile_attributes import hostile_project

    for module in (storybook.core.validate, storybook.core.fields, storybook.core.render):
        monkeypatch.setattr(module, "find_unsafe", lambda text: [])
    # Built for a room, so that the learner edition has its projector views to attack too.
    monkeypatch.setenv(CONSOLE_URL_VARIABLE, DEFAULT_CONSOLE_URL)
    site = build_edition(hostile_project(folder), edition)
    for page in PAGES[edition][1:]:  # every page attacked is really there
        assert (site / page / "index.html").is_file() or (site / f"{page[:-1]}.html").is_file()
    return site


@pytest.mark.parametrize("edition", ["learner", "facilitator"])
def test_no_payload_of_any_text_runs_or_calls_out_in_either_edition(
    browser: Browser,
    serve_folder: Callable[[Path], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    edition: str,
) -> None:
    site = hostile_site(tmp_path, edition, monkeypatch)
    base = serve_folder(site)
    assert what_hostile_pages_did(browser, base, PAGES[edition]) == []
    assert workers_started(browser, f"{base}/stories/hostile/") == []


# Were __config ever someone else's, the site's scripts still start no worker from
# outside the site.
FOREIGN_WORKERS = """() => [
    "data:text/javascript,self.postMessage(1)",
    URL.createObjectURL(new Blob(["self.postMessage(1)"], {type: "text/javascript"})),
    "http://127.0.0.1:9/assets/javascripts/workers/search.js",
].filter(url => { try { new Worker(url); return true } catch (error) { return false } })"""


def workers_started(browser: Browser, address: str) -> list[str]:
    page = browser.new_page()
    try:
        page.goto(address, wait_until="load")
        started: list[str] = page.evaluate(FOREIGN_WORKERS)
        return started
    finally:
        page.close()


def test_no_payload_runs_in_the_offline_copy_opened_from_disk(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORYBOOK_OFFLINE", "true")
    site = hostile_site(tmp_path, "learner", monkeypatch)
    # Opened from disk, pages are files: stories/x.html, tags/index.html.
    pages = [
        path + "index.html" if (site / path / "index.html").is_file() else path[:-1] + ".html"
        for path in PAGES["learner"]
    ]
    assert what_hostile_pages_did(browser, site.as_uri(), pages) == []
    assert workers_started(browser, f"{site.as_uri()}/{pages[1]}") == []


def test_no_payload_runs_in_an_export_built_by_plain_mkdocs(
    browser: Browser,
    serve_folder: Callable[[Path], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ..test_export import build_with, export
    from ..test_hostile_attributes import hostile_project

    for module in (storybook.core.validate, storybook.core.fields, storybook.core.render):
        monkeypatch.setattr(module, "find_unsafe", lambda text: [])
    project = hostile_project(tmp_path)
    story = project / "stories" / "hostile.md"  # an export refuses this heading's page
    story.write_text(story.read_text(encoding="utf-8").replace("## __config\n", ""), "utf-8")
    code, output, errors = export(project, tmp_path / "out")
    assert code == 0, output + errors
    site = build_with("mkdocs", tmp_path / "out")
    pages = [path for path in PAGES["learner"] if path != "present/hostile/"]
    assert what_hostile_pages_did(browser, serve_folder(site), pages) == []

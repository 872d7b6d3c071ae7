"""The HTML policy: what the cleaner keeps and removes, and a real Chromium proving it."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import storybook.plugin
import storybook.validate
from storybook.safehtml import clean, find_unsafe

from .conftest import build, free_port, story_text

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium's own connections fail on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_clean_keeps_harmless_markup() -> None:
    html = (
        '<p>Press <kbd>Ctrl</kbd>, <mark>see</mark> <a href="https://example.com/" '
        'title="t">this</a> and <a href="../tags/">that</a>.</p>'
        '<details open=""><summary>More</summary><p>Hidden</p></details>'
        '<img src="photo.jpg" alt="A photo" width="200">'
        '<table><tbody><tr><td colspan="2">Cell</td></tr></tbody></table>'
        '<h2 id="reflection">Q<a class="headerlink" href="#reflection">¶</a></h2>'
    )
    assert clean(html) == html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVa&#x09;ScRiPt:alert(1)">x</a>',
        '<iframe src="https://example.com"></iframe>',
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
        '<object data="x.swf"></object>',
        '<embed src="x.swf">',
        '<svg onload="alert(1)"><circle r="1"/></svg>',
        '<details ontoggle="alert(1)" open>x</details>',
        "<style>body { display: none }</style>",
        '<p style="position:fixed">x</p>',
        '<form action="https://example.com"><button formaction="javascript:alert(1)">x</button></form>',
        '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>',
        '<div data-md-component="search">x</div>',
        '<meta http-equiv="refresh" content="0;url=https://example.com">',
        '<base href="https://example.com/">',
        '<input type="text" onfocus="alert(1)" autofocus>',
    ],
)
def test_clean_removes_everything_that_could_run_or_embed(hostile: str) -> None:
    cleaned = clean(f"<p>before</p>{hostile}<p>after</p>").lower()
    for word in ("script", "alert", "javascript", "iframe", "object", "embed", "svg", "style"):
        assert word not in cleaned, cleaned
    for word in ("onerror", "ontoggle", "onload", "onfocus", "data-md", "<form", "<meta", "<base"):
        assert word not in cleaned, cleaned
    assert "<p>before</p>" in cleaned and "<p>after</p>" in cleaned


def test_find_unsafe_reports_the_line_of_each_thing_the_cleaner_would_remove() -> None:
    text = "\n\n".join(
        [
            "Fine <kbd>text</kbd> and `<script>` in code.",  # 0
            "<script>alert(1)</script>",  # 2
            "[a link](javascript:alert(1))",  # 4
            '<img src="x" onerror="alert(1)">',  # 6
            'Hover\n{: onmouseover="alert(1)" }',  # 8-9
            "    <script>indented code is shown, not run</script>",  # 11
            "```html\n<iframe>fenced code too</iframe>\n```",  # 13-15
            "<iframe src=x></iframe>",  # 17
        ]
    )
    found = [(finding.line, finding.message) for finding in find_unsafe(text)]
    assert found == [
        (2, "<script> is not allowed in a story"),
        (4, "the link 'javascript:alert(1)' is not allowed in a story"),
        (6, "the onerror= attribute is not allowed in a story"),
        (9, "the onmouseover= attribute is not allowed in a story"),
        (17, "<iframe> is not allowed in a story"),
    ]


def test_the_cleaner_keeps_every_element_the_sample_site_uses(
    sample_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cleaned = build(sample_project, strict=True)
    shutil.move(cleaned, sample_project.parent / "cleaned")
    monkeypatch.setattr(storybook.plugin, "clean", lambda html: html)
    raw = build(sample_project, strict=True)
    pages = sorted(raw.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        twin = sample_project.parent / "cleaned" / page.relative_to(raw)
        assert structure(twin) == structure(page), page.relative_to(raw)


def structure(page: Path) -> list[Any]:
    """Every element with its attributes, and every piece of text, in order."""

    class Collector(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.items: list[Any] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.items.append((tag, sorted((name, value or "") for name, value in attrs)))

        def handle_data(self, data: str) -> None:
            if data.strip():
                self.items.append(data.strip())

    collector = Collector()
    collector.feed(page.read_text(encoding="utf-8"))
    return collector.items


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


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium)")
        pytest.skip("Chromium is not installed; `make test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def serve_folder(site: Path) -> tuple[str, Callable[[], None]]:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_port}", stop


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def what_ran(browser: Any, site: Path) -> list[str]:
    """Open the hostile story as a reader would, poke at it, and list the payloads that ran."""
    base, stop = serve_folder(site)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{base}/stories/hostile/", wait_until="load")
        assert page.evaluate("typeof window.__md_scope") == "object", "the theme's scripts run"
        assert page.locator("kbd", has_text="Ctrl").is_visible()
        assert page.locator("mark", has_text="highlight").is_visible()
        page.locator("#hover").hover()
        for link in ("#raw-link", "#md-link", "#send"):
            if page.locator(link).count():
                page.locator(link).click(no_wait_after=True)
        page.wait_for_timeout(300)
        ran: list[str] = page.evaluate(
            "Object.keys(window).filter(name => name.startsWith('pwned')).sort()"
        )
        if page.url.startswith(f"{base}/stories/hostile/"):
            # Search renders its results from the index: nothing may run from there either.
            page.locator("input[data-md-component=search-query]").press_sequentially("hostile")
            page.locator(".md-search-result__item").first.wait_for()
            ran += page.evaluate("Object.keys(window).filter(name => name.startsWith('pwned'))")
        return sorted(set(ran)) + [f"dialog: {message}" for message in dialogs]
    finally:
        page.close()
        stop()


def test_an_injected_script_never_runs_in_a_real_browser(
    chromium: Any, mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = mini_project({"hostile.md": hostile_story()})
    # `storybook check` refuses every payload above at its line; suppose it missed them all.
    monkeypatch.setattr(storybook.validate, "find_unsafe", lambda text: [])
    site = build(project)
    assert what_ran(chromium, site) == []

    # The same page without the cleaner: the payloads do run, and the test sees them.
    monkeypatch.setattr(storybook.plugin, "clean", lambda html: html)
    shutil.rmtree(site)
    ran = set(what_ran(chromium, build(project)))
    assert {"pwned1", "pwned2", "pwned4", "pwned5", "pwned6", "pwned9", "pwned10"} <= ran


def test_the_check_refuses_every_payload_of_the_browser_test() -> None:
    lines = sorted({finding.line for finding in find_unsafe(HOSTILE_BODY)})
    expected = [i for i, line in enumerate(HOSTILE_BODY.splitlines()) if "pwned" in line]
    assert lines == expected

"""Browser fixtures: the sample storybook built once, served on 127.0.0.1, read in Chromium.

The browser is Debian's Chromium (`make test` installs it), driven by Playwright with
`executable_path`: no test tool downloads a browser of its own. Where it is missing the
browser tests are skipped on a developer's machine and fail in CI (CI=true).
"""

from __future__ import annotations

import functools
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn

import pytest

from ..conftest import build, copy_sample

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Request, ViewportSize

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Without the networking flags Chromium phones home, and a closed network refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 375, "height": 812}
ColourScheme = Literal["light", "dark"]
SLUMP = "stories/the-quiet-slump/"
# The page's own article: search results are articles too, and stay in the page.
ARTICLE = ".md-content article"
HEADING = f"{ARTICLE} h1"
# The address of the page's icon, which Chromium itself fetches once the page has loaded.
ICON = "() => document.querySelector('link[rel~=icon]')?.href ?? null"
# What Chromium writes to the console when a page's Content-Security-Policy refuses something.
CSP_REFUSAL = re.compile(r"Content Security Policy", re.IGNORECASE)
# How long settle() waits for the network to go quiet, as long as any other wait here.
SETTLE_SECONDS = 15


def address(ending: str) -> re.Pattern[str]:
    """A page address that ends with `ending` (a regular expression), with or without the
    heading Material's navigation.tracking writes into it as the page scrolls."""
    return re.compile(f"{ending}(#[^/]*)?$")


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the browser tests", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (run make install-test)")
    if not CHROMIUM.is_file():
        unavailable(f"no Chromium at {CHROMIUM} (make test installs Debian's chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample storybook, built once and served over http on 127.0.0.1.

    The server starts first so the site can be built with its address as site_url, as a
    deployed site would be: Material's instant navigation needs it.
    """
    project = copy_sample(tmp_path_factory.mktemp("site") / "project")
    site = project.parent / f"{project.name}-site"
    handler = functools.partial(QuietHandler, directory=str(site))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        assert build(project, strict=True, site_url=url) == site
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield url
        server.shutdown()
        thread.join()


@pytest.fixture(scope="session")
def lunr_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample storybook with Material's own search (``search: lunr``), as the export and
    other engines build it, served over http on 127.0.0.1."""
    project = copy_sample(tmp_path_factory.mktemp("lunr") / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("search: pagefind", "search: lunr")
    config.write_text(text, encoding="utf-8")
    site = project.parent / f"{project.name}-site"
    handler = functools.partial(QuietHandler, directory=str(site))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        assert build(project, strict=True, site_url=url) == site
        assert not (site / "pagefind").exists()
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield url
        server.shutdown()
        thread.join()


@pytest.fixture
def serve_folder() -> Iterator[Callable[[Path], str]]:
    """serve_folder(site) serves a built site on 127.0.0.1 and returns its address."""
    servers: list[ThreadingHTTPServer] = []

    def serve(site: Path) -> str:
        handler = functools.partial(QuietHandler, directory=str(site))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def offline_site(built_sample: Callable[..., Path]) -> Path:
    """The sample storybook built with the README's offline option."""
    return built_sample(offline=True)


@dataclass
class Reader:
    """A browser tab with what it asked the network for and the script errors it met."""

    page: Page
    base: str
    made: list[Request] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # For settle(): the requests not yet answered, and the addresses answered since the
    # page's last load event.
    pending: set[Request] = field(default_factory=set)
    answered_since_load: list[str] = field(default_factory=list)

    def watch(self) -> None:
        context = self.page.context
        context.on("request", self._asked)
        context.on("requestfinished", self._answered)
        context.on("requestfailed", self._answered)
        self.page.on("load", lambda _: self.answered_since_load.clear())
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        # Whatever the pages' Content-Security-Policy refused, in any window of the tab's
        # context (the projector the console opens too): every page must work under it.
        context.on("console", self._console)

    @property
    def requests(self) -> list[str]:
        """The address of every request made so far, in order."""
        return [request.url for request in self.made]

    def _console(self, message: ConsoleMessage) -> None:
        if CSP_REFUSAL.search(message.text):
            self.errors.append(message.text)

    def _asked(self, request: Request) -> None:
        self.made.append(request)
        self.pending.add(request)

    def _answered(self, request: Request) -> None:
        self.pending.discard(request)
        self.answered_since_load.append(request.url)

    def open(self, path: str = "") -> Page:
        self.page.goto(self.base + path)
        self.settle()
        return self.page

    def reload(self) -> Page:
        self.page.reload()
        self.settle()
        return self.page

    def settle(self) -> None:
        """Wait until the page has loaded, every request is answered, and Chromium has fetched
        the page's icon: it asks for it only after the load event, late enough to land in
        whatever a test does next (a window that counts requests, say)."""
        self.page.wait_for_load_state("load")
        icon: str | None = self.page.evaluate(ICON)
        deadline = time.monotonic() + SETTLE_SECONDS
        while self.pending or (icon and icon not in self.answered_since_load):
            if time.monotonic() > deadline:
                waiting = sorted(request.url for request in self.pending)
                raise AssertionError(f"the page never settled: icon {icon}, waiting for {waiting}")
            # Not a pause for the page: a turn for Playwright to deliver the network events.
            self.page.wait_for_timeout(20)


@pytest.fixture
def open_reader(browser: Browser, site_url: str) -> Iterator[Callable[..., Reader]]:
    """Open a tab: open_reader(viewport=DESKTOP, color_scheme="light", base=site_url)."""
    contexts = []
    readers: list[Reader] = []

    def make(
        viewport: ViewportSize = DESKTOP,
        color_scheme: ColourScheme = "light",
        base: str = site_url,
    ) -> Reader:
        context = browser.new_context(
            viewport=viewport,
            color_scheme=color_scheme,
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        reader = Reader(context.new_page(), base)
        reader.watch()
        readers.append(reader)
        return reader

    yield make
    for context in contexts:
        context.close()
    for reader in readers:
        assert reader.errors == [], f"script errors on the page: {reader.errors}"


@pytest.fixture
def reader(open_reader: Callable[..., Reader]) -> Reader:
    """A reader on a laptop, 1280 px wide."""
    return open_reader()


def search(page: Page, words: str) -> None:
    """Type into Material's search box key by key, as a reader does (it reacts to key presses)."""
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(words, delay=40)


BLOCKING = {"serious", "critical"}


def wait_until_still(page: Page) -> None:
    """Wait for every CSS transition and animation to finish."""
    # A function, not an expression: Playwright evaluates an expression with eval, which the
    # pages' Content-Security-Policy refuses.
    page.wait_for_function(
        "() => document.getAnimations().every(animation => animation.playState !== 'running')"
    )


def serious_violations(page: Page) -> list[str]:
    # Colours measured mid-fade (the search overlay fades in) are not the colours a reader
    # sees; wait for every CSS transition and animation to finish first.
    wait_until_still(page)
    from axe_playwright_python.sync_playwright import Axe  # like playwright, only when used

    results: dict[str, Any] = Axe().run(page).response
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node['failureSummary']}"
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]

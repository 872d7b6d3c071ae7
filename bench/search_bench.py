#!/usr/bin/env python3
"""How long a reader waits for the first search result, and how much it downloads.

For each library size N it writes N synthetic stories (``synthetic.py``), builds the site
with the storybook once per search engine, serves it from a small threaded server on
127.0.0.1 as a static host does (gzip, cacheable for ten minutes), and opens it in headless
Chromium (Debian's, through Playwright), a new browser context (an empty cache) each run:

- **engines**: ``lunr`` (Material's own search, the lists kept out of its index),
  ``pagefind`` (the storybook's default for a built site: a Pagefind index behind Material's
  search box), ``offline`` (the ``STORYBOOK_OFFLINE=true`` build, Pagefind's index packed
  into scripts, opened from disk: the phone profile slows only its CPU, and its bytes are the
  sizes of the files read) and ``offline-lunr`` (the same with ``search: lunr``: Material's
  search with its whole index loaded as a script, as the offline build searched before).
- **profiles**: ``phone`` (the CPU slowed 4x through the DevTools protocol, and every
  response, those to the page's workers included, held back 150 ms and paced to 1.6 Mbit/s
  on one shared link, in the server: see ``Link``) and ``desktop`` (no throttling).

Each run opens the home page, waits for it to load, taps the search button, types a word
that only one story holds, key by key as a reader does (60 ms apart), and waits until the
story holding it is the first result shown (not any result: the list for a word typed so
far may still be on screen). It records the time from navigation start to the page's load, to
the last key press and to the first visible result, whether that result is the story holding
the word, and the bytes transferred (gzipped, as sent): for the page and its theme, and for
search alone (index, worker, search program). Then it types a common word instead (one
sentence pattern of the synthetic stories holds it, so most stories do) and waits until the
list says it has every story holding it ("N matching documents"): the seconds after the last
key and what that second search transferred. Every figure is printed with the command that
made it and the machine's load (the 1-minute load average at each run, and at the start and
the end). No test checks these timings.

Libraries and sites are kept in /tmp/storybook-search-bench and reused by the next run while
the storybook's Python package, theme and templates are unchanged (its scripts are put in
afresh): a 10,000-story site took 20 minutes and 2.8 GiB to build on a busy 2-core machine.

    python bench/search_bench.py                       # N = 300, 1000, 3000, both profiles
    python bench/search_bench.py --sizes 1000 --repeat 3 --profiles phone
    python bench/search_bench.py --sizes 3000,10000 --engines pagefind --before /work/main
                                                       # main's browser scripts against ours, in turns
    python bench/search_bench.py --sizes 3000 --profiles phone --timeline   # where the time goes
    python bench/search_bench.py --quick               # a tiny library, to see that it runs
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import TreeMemory
from synthetic import write_library

from storybook.core.vocabulary import load_vocabulary

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# offline, offline-lunr: the STORYBOOK_OFFLINE=true build with each search, opened from disk;
# the phone profile slows its CPU only, since nothing goes over a network.
ENGINES = ("lunr", "pagefind", "offline", "offline-lunr")
# The phone profile: what the issue measured Material's search on.
CPU_SLOWDOWN = 4
LATENCY_S = 0.150
BYTES_PER_S = 1.6e6 / 8
# The word searched for: added to the body of one story in the middle of the library.
WORD = "quillwort"
# A word most synthetic stories hold (one of synthetic.py's sentences has it), searched second.
COMMON_WORD = "notebook"
# What only search loads: Material's index and worker, Pagefind's program and index.
SEARCH_FILES = ("/search/search_index.json", "/workers/search.", "/pagefind/")
# Libraries and their sites, kept between runs (see make_project and build).
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "storybook-search-bench"
GZIP_TYPES = (".html", ".js", ".json", ".css", ".xml", ".svg", ".txt", ".map")


# --- the site -------------------------------------------------------------------------------


def make_project(work: Path, size: int, seed: int, *, reuse: bool) -> Path:
    """The synthetic library of ``size`` stories in ``work``, written once and kept for the
    next run when ``reuse`` (a 10,000-story library takes minutes to write and build)."""
    project = work / f"n{size}-seed{seed}"
    stamp = project / "library.json"
    wanted = {"size": size, "seed": seed, "word": WORD, "synthetic": digest(BENCH / "synthetic.py")}
    if reuse and stamp.is_file() and json.loads(stamp.read_text(encoding="utf-8")) == wanted:
        return project
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for name in ("templates", "docs", "overrides"):
        shutil.copytree(ROOT / name, project / name)
    (project / "workshops").mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    vocabulary = load_vocabulary(project / "templates")
    themes = [tag.name for tag in vocabulary.by_kind("themes")]
    moments = [tag.name for tag in vocabulary.by_kind("moments")]
    write_library(project / "stories", size, themes, moments, seed=seed)
    with (project / "stories" / f"{target(size)[1].split('/')[1]}.md").open("a") as story:
        story.write(f"\nOn the windowsill stood a pot of {WORD} nobody had watered.\n")
    stamp.write_text(json.dumps(wanted), encoding="utf-8")
    return project


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@dataclass
class Build:
    """One built site: where it is, and what its build took (kept beside it for the next run)."""

    site: Path
    seconds: float
    peak_mib: float  # MkDocs' and Pagefind's resident memory at once, at its highest
    reused: bool = False


def build(project: Path, engine: str, *, reuse: bool) -> Build:
    """The site built with one search engine, by this checkout's storybook; when ``reuse``, a
    site built before by the same storybook (its Python package, theme and templates
    unchanged), with this checkout's scripts and stylesheets put in (they are copied into a
    site as they are)."""
    site = project / f"site-{engine}"
    stamp = project / f"site-{engine}.json"
    storybook = storybook_digest()
    if reuse and site.is_dir() and stamp.is_file():
        known = json.loads(stamp.read_text(encoding="utf-8"))
        if known["storybook"] == storybook:
            put_scripts_of(ROOT, site, engine)
            return Build(site, known["seconds"], known["peak_mib"], reused=True)
    config = project / f"mkdocs-{engine}.yml"
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    chosen = "lunr" if engine.endswith("lunr") else "pagefind"
    text = text.replace("search: pagefind", f"search: {chosen}")
    config.write_text(text, encoding="utf-8")
    offline = engine.startswith("offline")
    env = {**ENV, "STORYBOOK_OFFLINE": "true" if offline else "false"}
    stamp.unlink(missing_ok=True)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    memory = TreeMemory(process.pid)
    memory.start()
    _, errors = process.communicate()
    memory.stop.set()
    memory.join()
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"mkdocs build ({engine}) failed:\n{errors[-3000:]}")
    built = Build(site, seconds, memory.peak_kib / 1024)
    known = {"storybook": storybook, "seconds": built.seconds, "peak_mib": built.peak_mib}
    stamp.write_text(json.dumps(known), encoding="utf-8")
    return built


def storybook_digest() -> str:
    """What a built site depends on in this checkout: the storybook's package (its theme
    included, its assets aside: see put_scripts_of) and the templates the library is built
    with."""
    sha = hashlib.sha256()
    assets = ROOT / "storybook" / "assets"
    for folder in (ROOT / "storybook", ROOT / "templates", ROOT / "overrides", ROOT / "docs"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and assets not in path.parents:
                sha.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    sha.update((ROOT / "mkdocs.yml").read_bytes())
    return sha.hexdigest()[:16]


def stories_holding(project: Path, word: str) -> int:
    """How many of the project's stories hold ``word``: what a search for it must list."""
    return sum(
        word in path.read_text(encoding="utf-8").split("\n---\n", 1)[-1].lower()
        for path in (project / "stories").glob("*.md")
    )


def target(size: int) -> tuple[str, str]:
    """The word to search for, and the address of the one story that holds it."""
    return WORD, f"stories/story-{size // 2:05d}/"


# --- a server shaped like a phone's network ---------------------------------------------------


@dataclass
class Link:
    """One network link shared by every request of a run: what it carried, and, on the phone
    profile, each response held back as a phone's network would hold it.

    Each response starts at least 150 ms after its request and after the responses before it
    have gone through at 1.6 Mbit/s. It is shaped in the server, so that it reaches every
    request, those of the page's workers included (the DevTools protocol's network throttling
    does not reach dedicated workers), and leaves the browser's cache alone (Playwright's
    request interception turns Chromium's HTTP cache off, so a stylesheet the page asks for
    twice went over the slowed link twice, where a phone takes the second from its cache)."""

    throttled: bool = False
    page_bytes: int = 0  # the page and its theme
    search_bytes: int = 0  # what only search loads: its index, worker and program
    requests: list[str] = field(default_factory=list)
    free_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self, throttled: bool) -> None:
        with self.lock:
            self.throttled, self.page_bytes, self.search_bytes = throttled, 0, 0
            self.requests, self.free_at = [], 0.0

    def carry(self, path: str, size: int) -> float:
        """Counts a response of ``size`` bytes; returns how long to hold it back."""
        size += 300  # and its headers
        with self.lock:
            if any(part in path for part in SEARCH_FILES):
                self.search_bytes += size
            else:
                self.page_bytes += size
            self.requests.append(path)
            if not self.throttled:
                return 0.0
            now = time.monotonic()
            start = max(now + LATENCY_S, self.free_at)
            self.free_at = start + size / BYTES_PER_S
            return self.free_at - now


class ShapedHandler(SimpleHTTPRequestHandler):
    """Serves a folder as a static host does: text compressed for clients that accept gzip,
    cacheable for ten minutes (as GitHub Pages sends it), every response through the link."""

    link: Link
    cache: dict[Path, bytes]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not accepts or path.suffix not in GZIP_TYPES or not path.is_file():
            size = path.stat().st_size if path.is_file() else 0
            self.hold(size)
            return super().send_head()  # as is, or the redirect to a folder's address
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(path.read_bytes(), compresslevel=6)
        self.hold(len(body))
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def hold(self, size: int) -> None:
        wait = self.link.carry(self.path, size)
        if wait > 0:
            time.sleep(wait)


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A response cut short as a run's browser closes (a broken pipe) is no error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Server:
    def __init__(self, site: Path) -> None:
        self.link = Link()
        handler: type[ShapedHandler] = type(
            "Handler", (ShapedHandler,), {"cache": {}, "link": self.link}
        )

        def make(*args: Any, **kwargs: Any) -> ShapedHandler:
            return handler(*args, directory=str(site), **kwargs)

        self.httpd = QuietServer(("127.0.0.1", 0), make)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


# --- the browser ----------------------------------------------------------------------------


@dataclass
class Run:
    engine: str
    profile: str
    size: int
    load: float  # navigation start to the load event
    typed: float  # navigation start to the last key press
    first_result: float  # navigation start to the first visible result
    right_story: bool
    bytes_page: int  # transferred for the page and its theme, the storybook's scripts included
    bytes_search: int  # transferred for search alone: index, worker, search program
    machine_load: float  # the 1-minute load average as the run ended
    common_results: int = 0  # the stories the common word's search listed
    common_after: float = 0.0  # seconds from its last key to the list of them all
    common_bytes: int = 0  # transferred for that second search


def count_file(link: Link, url: str) -> None:
    """Counts a file the offline copy reads from disk (by its size: nothing is compressed)."""
    path = Path(urllib.request.url2pathname(urllib.parse.urlsplit(url).path))
    size = path.stat().st_size if path.is_file() else 0
    if any(part in url for part in (*SEARCH_FILES, "/search/search_index.js")):
        link.search_bytes += size
    else:
        link.page_bytes += size
    link.requests.append(url)


# The first result listed, once it is the story: a list answering a word typed so far ("q",
# "qu") can still be on screen after the last key, longer on a busy machine, and its first
# result, visible at once, was taken for the answer (2 runs of 9 reported the wrong story).
FIRST_RESULT_IS = """story => {
  const first = document.querySelector('.md-search-result__item > .md-search-result__link');
  return first !== null && first.offsetParent !== null
    && (first.getAttribute('href') || '').includes(story);
}"""


def first_result_is(page: Any, story: str) -> bool:
    """Waits until the first result listed is ``story``; False if it never is (within the
    benchmark's ten minutes)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(FIRST_RESULT_IS, arg=story.rstrip("/"), timeout=600_000)
    except PlaywrightTimeout:
        return False
    return True


# The result list says it has every story holding the common word: "N matching documents",
# N past 999 written as Material rounds it ("2.9k").
LISTS_ALL = """expected => {
  const meta = document.querySelector('.md-search-result__meta');
  const first = document.querySelector('.md-search-result__item');
  if (meta === null || first === null) return false;
  const said = meta.textContent.split('matching')[0].trim();
  const digits = +((expected - 950) % 1000 > 99);
  const rounded = expected > 999
    ? ((expected + 0.000001) / 1000).toFixed(digits) + 'k' : String(expected);
  return said === rounded || Number(said.replace(/\\D/g, '')) === expected;
}"""


def search_common_word(page: Any, link: Link, expected: int) -> tuple[float, int]:
    """Types the common word in place of the first, and waits for the list of every story
    holding it; returns the seconds after the last key, and the bytes that search took."""
    before = link.search_bytes
    box = page.locator(".md-search__input")
    box.fill("")
    box.press_sequentially(COMMON_WORD, delay=60)
    typed = page.evaluate("() => performance.now()")
    page.wait_for_function(LISTS_ALL, arg=expected, timeout=600_000)
    shown = page.evaluate("() => performance.now()")
    return (shown - typed) / 1000, link.search_bytes - before


# Times taken in the page itself, on its own clock (performance.now(), from navigation start),
# rather than by asking the page afterwards, which adds a round trip to the browser (longer
# on a slowed CPU): the tap on the search button, the last key press in the box, and the
# frame after the story holding the word became the first result listed. Long tasks (50 ms
# and more of the page's main thread) are kept for --timeline.
WATCH = """(() => {
  const [story, word] = %s;
  const bench = window.__bench = { tap: null, lastKey: null, firstResult: null, long: [] };
  document.addEventListener('pointerdown', () => { bench.tap = bench.tap ?? performance.now(); }, true);
  document.addEventListener('keydown', (event) => {
    if (event.target && event.target.matches && event.target.matches('.md-search__input')) {
      bench.lastKey = performance.now();
    }
  }, true);
  const isFirst = () => {
    const first = document.querySelector('.md-search-result__item > .md-search-result__link');
    return first !== null && first.offsetParent !== null
      && (first.getAttribute('href') || '').includes(story);
  };
  new MutationObserver(() => {
    const box = document.querySelector('.md-search__input');
    if (bench.firstResult === null && box !== null && box.value === word && isFirst()) {
      bench.firstResult = -1;
      requestAnimationFrame(() => { bench.firstResult = performance.now(); });
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
  try {
    new PerformanceObserver((list) => {
      list.getEntries().forEach((task) => bench.long.push([task.startTime, task.duration]));
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) {}
})();"""


# The page's load (navigation start to the load event, ms) and the middle of the search button.
LOADED = """() => {
  const box = document.querySelector('label[for=__search]').getBoundingClientRect();
  const timing = performance.timing;
  return [timing.loadEventEnd - timing.navigationStart, box.x + box.width / 2, box.y + box.height / 2];
}"""


def timeline_of(page: Any, marks: dict[str, Any]) -> str:
    """Where the time went, from navigation start: the page's load, each request (start, end,
    bytes as the Resource Timing API reports them), the tap, the last key, the first result
    and every long task of the main thread."""
    timing = page.evaluate(
        """() => {
          const nav = performance.getEntriesByType('navigation')[0];
          return {
            nav: [nav.responseEnd, nav.domContentLoadedEventEnd, nav.loadEventEnd],
            resources: performance.getEntriesByType('resource').map((entry) =>
              [entry.name, entry.startTime, entry.responseEnd, entry.encodedBodySize]),
          };
        }"""
    )
    events: list[tuple[float, str]] = [
        (timing["nav"][0], "page's HTML received"),
        (timing["nav"][1], "DOMContentLoaded"),
        (timing["nav"][2], "load"),
        (marks["tap"] or 0.0, "tap on the search button"),
        (marks["lastKey"] or 0.0, "last key"),
        (marks["firstResult"] or 0.0, "first result painted"),
    ]
    for name, start, end, size in timing["resources"]:
        short = urllib.parse.urlsplit(name).path.rsplit("/", 2)
        events.append((start, f"  request {'/'.join(short[-2:])} until {end:.0f} ms ({size:,} B)"))
    for start, duration in marks["long"]:
        events.append((start, f"  long task of {duration:.0f} ms"))
    return "\n".join(f"{at:8.0f} ms  {what}" for at, what in sorted(events))


def measure(
    browser: Any,
    base: str,
    link: Link,
    word: str,
    story: str,
    profile: str,
    common: int,
    timeline: bool = False,
) -> Run:
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=False)
    link.reset(throttled=profile == "phone" and not base.startswith("file:"))
    if base.startswith("file:"):  # read from disk: counted by file size, not delayed
        context.on("request", lambda request: count_file(link, request.url))
    page = context.new_page()
    # A page building a large index on a slowed CPU does not take a key press for a long time.
    context.set_default_timeout(600_000)
    if os.environ.get("SEARCH_BENCH_DEBUG"):
        page.on("console", lambda message: print("console:", message.text))
        page.on("pageerror", lambda error: print("page error:", error))
    try:
        if profile == "phone":
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.add_init_script(WATCH % json.dumps([story.rstrip("/"), word]))
        page.goto(base, wait_until="load", timeout=600_000)
        load, x, y = page.evaluate(LOADED)
        # A tap where the button is, as a reader's: Playwright's own click first waits, in
        # several round trips to the browser, until the button holds still (seconds on a slowed
        # CPU of a busy machine, counted in the time from navigation though no reader waits).
        page.mouse.click(x, y)
        page.wait_for_function("() => document.activeElement.matches('.md-search__input')")
        page.keyboard.type(word, delay=60)
        right_story = first_result_is(page, story)
        if right_story:
            page.wait_for_function("() => window.__bench.firstResult > 0")
        else:
            page.evaluate("() => { window.__bench.firstResult = performance.now(); }")
        marks = page.evaluate("() => window.__bench")
        typed, shown = marks["lastKey"], marks["firstResult"]
        if timeline:
            print(timeline_of(page, marks), flush=True)
        common_after, common_bytes = search_common_word(page, link, common) if common else (0.0, 0)
        if os.environ.get("SEARCH_BENCH_DEBUG"):
            print("\n".join(link.requests))
        return Run(
            engine="",
            profile=profile,
            size=0,
            load=load / 1000,
            typed=typed / 1000,
            first_result=shown / 1000,
            right_story=right_story,
            bytes_page=link.page_bytes,
            bytes_search=link.search_bytes - common_bytes,
            machine_load=os.getloadavg()[0],
            common_results=common,
            common_after=common_after,
            common_bytes=common_bytes,
        )
    finally:
        context.close()


def measure_site(
    browser: Any,
    site: Path,
    engine: str,
    word: str,
    story: str,
    profile: str,
    common: int,
    timeline: bool = False,
) -> Run:
    """One run on a site: served as a static host serves it, or opened from disk (offline)."""
    with Server(site) as server:
        base = site.as_uri() + "/index.html" if engine.startswith("offline") else server.url
        return measure(browser, base, server.link, word, story, profile, common, timeline)


def with_scripts_of(checkout: Path, site: Path, engine: str) -> Path:
    """A copy of ``site`` with another checkout's scripts and stylesheets, the rest (pages,
    index) unchanged: what a reader got before a change to the browser side, on the very
    same library. Files are linked, not copied."""
    copy = site.with_name(site.name + "-before")
    if copy.exists():
        shutil.rmtree(copy)
    subprocess.run(["cp", "-al", str(site), str(copy)], check=True)
    put_scripts_of(checkout, copy, engine)
    return copy


def put_scripts_of(checkout: Path, site: Path, engine: str) -> None:
    """Puts a checkout's ``storybook/assets`` into a built site, as a build copies them."""
    for source in sorted((checkout / "storybook" / "assets").iterdir()):
        placed = site / "assets" / source.name
        if not source.is_file() or source.name.startswith("."):
            continue
        content = source.read_bytes()
        if source.name == "pagefind-search.js" and engine.startswith("offline"):
            content = content.replace(b"var PACKED = false;", b"var PACKED = true;")
        if placed.is_file() and placed.read_bytes() == content:
            continue
        placed.unlink(missing_ok=True)  # it may be a link to another site's file
        placed.write_bytes(content)


def progress(run: Run) -> str:
    return (
        f"N={run.size} {run.engine} {run.profile}: page loaded {run.load:.2f} s, "
        f"first result {run.first_result:.2f} s "
        f"({run.first_result - run.typed:.2f} s after typing), "
        f"page {kb(run.bytes_page)}, search {kb(run.bytes_search)}; "
        f"{COMMON_WORD!r}: all {run.common_results:,} listed "
        f"{run.common_after:.2f} s after typing, "
        f"{kb(run.common_bytes)}; load {run.machine_load:.2f}"
    )


# --- report ---------------------------------------------------------------------------------


def table(runs: list[Run], builds: dict[tuple[str, int], Build]) -> str:
    lines = [
        "| N | search | profile | page loaded | first result from navigation "
        "| after the last key | right story first | page | search "
        "| common word: every match listed after the last key | its search | build | build's memory "
        "| load |",
        "|---:|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    groups: dict[tuple[int, str, str], list[Run]] = {}
    for run in runs:
        groups.setdefault((run.size, run.engine, run.profile), []).append(run)
    for (size, engine, profile), group in groups.items():
        first = statistics.median(run.first_result for run in group)
        after = statistics.median(run.first_result - run.typed for run in group)
        built = builds[(engine.split(" ")[0], size)]
        lines.append(
            f"| {size:,} | {engine} | {profile} "
            f"| {statistics.median(run.load for run in group):.2f} s "
            f"| {first:.2f} s | {after:.2f} s "
            f"| {'yes' if all(run.right_story for run in group) else 'NO'} "
            f"| {kb(statistics.median(run.bytes_page for run in group))} "
            f"| {kb(statistics.median(run.bytes_search for run in group))} "
            f"| {statistics.median(run.common_after for run in group):.2f} s "
            f"({group[0].common_results:,} stories) "
            f"| {kb(statistics.median(run.common_bytes for run in group))} "
            f"| {built.seconds:.1f} s | {built.peak_mib:,.0f} MiB "
            f"| {max(run.machine_load for run in group):.2f} |"
        )
    return "\n".join(lines)


def loads(values: tuple[float, float, float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


def kb(size: float) -> str:
    return f"{size / 1000:,.0f} kB"


def sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time from opening a page to the first search result, lunr vs Pagefind.",
        epilog="Example: python bench/search_bench.py --sizes 1000 --repeat 3",
    )
    parser.add_argument("--sizes", type=sizes, default=[300, 1000, 3000],
                        help="library sizes (default 300,1000,3000)")  # fmt: skip
    parser.add_argument("--engines", type=names, default=list(ENGINES),
                        help="search engines (default lunr,pagefind,offline,offline-lunr)")  # fmt: skip
    parser.add_argument("--profiles", type=names, default=["phone", "desktop"],
                        help="phone (throttled) and/or desktop (default both)")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, median kept")
    parser.add_argument("--seed", type=int, default=6, help="seed of the synthetic library")
    parser.add_argument("--quick", action="store_true",
                        help="a tiny library (N=12), once, to check that the benchmark runs")  # fmt: skip
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR,
                        help=f"where libraries and sites are built and kept for the next run "
                        f"(default {DEFAULT_WORKDIR})")  # fmt: skip
    parser.add_argument("--rebuild", action="store_true",
                        help="write and build every library again, even if kept from a run before")  # fmt: skip
    parser.add_argument("--before", type=Path, metavar="CHECKOUT",
                        help="also measure each site with the browser scripts of another "
                        "checkout (e.g. /work/main), taking turns with this one's")  # fmt: skip
    parser.add_argument("--first-only", action="store_true",
                        help="only the first search, not the common word's (at 10,000 stories a "
                        "common word takes seconds of a slowed phone's time for each search)")  # fmt: skip
    parser.add_argument("--timeline", action="store_true",
                        help="print where each run's time went: requests, long tasks, marks")  # fmt: skip
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat = [12], 1
    unknown = set(args.engines) - set(ENGINES) | set(args.profiles) - {"phone", "desktop"}
    if unknown:
        parser.error(f"unknown engine(s) or profile(s): {', '.join(sorted(unknown))}")

    from playwright.sync_api import sync_playwright

    command = "python bench/search_bench.py " + " ".join(sys.argv[1:] if argv is None else argv)
    start_load = os.getloadavg()
    print(f"Command: {command}\nLoad average at the start: {loads(start_load)}", flush=True)
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    runs: list[Run] = []
    builds: dict[tuple[str, int], Build] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        for size in args.sizes:
            project = make_project(work, size, args.seed, reuse=not args.rebuild)
            word, story = target(size)
            common = 0 if args.first_only else stories_holding(project, COMMON_WORD)
            for engine in args.engines:
                built = build(project, engine, reuse=not args.rebuild)
                builds[(engine, size)] = built
                print(
                    f"N={size} {engine}: site {'kept from a run before' if built.reused else 'built'}"
                    f" ({built.seconds:.1f} s, {built.peak_mib:,.0f} MiB at most)",
                    flush=True,
                )
                sites = {"": built.site}
                if args.before:
                    sites["before"] = with_scripts_of(args.before, built.site, engine)
                for profile in args.profiles:
                    for turn in range(args.repeat):
                        # Taking turns, and the other first every other round: a run can
                        # gain from the one before it (the machine's caches, Chromium's).
                        order = list(sites.items())
                        for variant, site in order[::-1] if turn % 2 else order:
                            run = measure_site(
                                browser, site, engine, word, story, profile, common, args.timeline
                            )
                            run.engine = f"{engine} ({variant})" if variant else engine
                            run.size = size
                            runs.append(run)
                            print(progress(run), flush=True)
        browser.close()
    report = (
        f"Command: `{command}`\n\n"
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average (1, 5, 15 min) at the start "
        f"{loads(start_load)}, at the end {loads(os.getloadavg())}; the last column is the "
        "highest 1-minute load at the end of a run of the row\n\n" + table(runs, builds) + "\n"
    )
    print("\n" + report)
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

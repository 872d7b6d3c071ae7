"""Load in the room: 30 participants on one `mkdocs serve` while the facilitator saves edits.

    .venv/bin/python bench/load.py            # after `make install`; about a minute

Serves a copy of this repository's storybook (the repository itself is never touched) on
127.0.0.1 only. Each participant keeps a live-reload poll open, as a browser tab does, and
makes a fixed number of requests (home page, story pages, theme pages and the search index
that the search box downloads), pausing briefly between clicks. Meanwhile the facilitator
saves an edit every few seconds: a new sentence, a typo that breaks the story, the fix. The
run stops by itself after the fixed number of requests or the time limit, whichever is first.

A request fails if it errors, times out, is not 200, or returns a page cut short (no
</html>) or a search index that is not complete JSON. Prints throughput, latency
percentiles and failures; exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    epochs: set[int] = field(default_factory=set)
    saves: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, failure: str | None) -> None:
        with self.lock:
            self.kinds[kind] += 1
            self.latencies.append(seconds)
            if failure:
                self.failures[f"{kind}: {failure}"] += 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def copy_storybook(target: Path) -> Path:
    for name in ("stories", "templates", "workshops", "paths", "docs", "overrides"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def start_server(project: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"]
    with log.open("wb") as stream:
        return subprocess.Popen(
            command, cwd=project, stdout=stream, stderr=subprocess.STDOUT, env=env
        )


def get(url: str, timeout: float) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status: int = response.status
            return status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def wait_until_up(base: str, server: subprocess.Popen[bytes], log: Path, limit: float = 60) -> str:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"mkdocs serve stopped before it answered:\n{log.read_text()}")
        try:
            status, body = get(base + "/", timeout=5)
            if status == 200:
                return body.decode("utf-8")
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("mkdocs serve did not answer within a minute")


def site_paths(home: str) -> list[str]:
    """Pages a participant clicks through: home, theme pages and every story linked from home."""
    stories = sorted(set(re.findall(r'href="(stories/[\w-]+/)"', home)))
    return ["/", "/tags/", "/tags/wellbeing/", "/tags/feedback/", *(f"/{s}" for s in stories)]


def check_body(path: str, body: bytes) -> str | None:
    if path.endswith(".json"):
        try:
            if "docs" not in json.loads(body):
                return "search index without docs"
        except ValueError:
            return "search index is not complete JSON"
        return None
    if b"</html>" not in body:
        return "page cut short"
    return None


def participant(
    number: int,
    base: str,
    paths: list[str],
    requests: int,
    think: float,
    deadline: float,
    results: Results,
) -> None:
    rng = random.Random(number)
    for index in range(requests):
        if time.monotonic() > deadline:
            return
        # Every fourth request is a search: the search box downloads the index.
        path = "/search/search_index.json" if index % 4 == 3 else rng.choice(paths)
        kind = "search" if path.endswith(".json") else "page"
        start = time.monotonic()
        try:
            status, body = get(base + path, timeout=30)
            failure = f"HTTP {status}" if status != 200 else check_body(path, body)
        except OSError as error:
            failure = type(error).__name__
        results.record(kind, time.monotonic() - start, failure)
        time.sleep(rng.uniform(0, 2 * think))


def live_reload_poll(number: int, base: str, stop: threading.Event, results: Results) -> None:
    """What an open browser tab does: wait for the next rebuild, then reload (not timed)."""
    epoch = 0
    while not stop.is_set():
        try:
            status, body = get(f"{base}/livereload/{epoch}/{number}", timeout=70)
            if status != 200:
                results.failures[f"live reload: HTTP {status}"] += 1
                return
            epoch = int(body)
            with results.lock:
                results.epochs.add(epoch)
        except OSError as error:
            if not stop.is_set():
                results.failures[f"live reload: {type(error).__name__}"] += 1
            return


def facilitator(project: Path, every: float, stop: threading.Event, results: Results) -> None:
    """Saves an edit every few seconds: a new sentence, a typo that breaks the story, the fix."""
    story = project / "stories" / "the-quiet-slump.md"
    original = story.read_text(encoding="utf-8")
    step = 0
    while not stop.wait(every):
        step += 1
        if step % 3 == 1:
            text = original + f"\nThe facilitator added sentence {step}.\n"
        elif step % 3 == 2:
            text = original.replace('title: "', "title: Oops: ", 1)  # an unquoted colon
        else:
            text = original
        story.write_text(text, encoding="utf-8")
        results.saves += 1


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--requests", type=int, default=40, help="per participant")
    parser.add_argument("--think", type=float, default=0.5, help="mean pause between clicks (s)")
    parser.add_argument("--edit-every", type=float, default=3.0, help="seconds between saves")
    parser.add_argument("--time-limit", type=float, default=180.0, help="seconds, then stop")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="storybook-load-"))
    project = copy_storybook(folder / "project")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(project, port, folder / "serve.log")
    results = Results()
    stop = threading.Event()
    try:
        paths = site_paths(wait_until_up(base, server, folder / "serve.log"))
        started = time.monotonic()
        deadline = started + args.time_limit
        pollers = [
            threading.Thread(target=live_reload_poll, args=(n, base, stop, results), daemon=True)
            for n in range(args.participants)
        ]
        editor = threading.Thread(
            target=facilitator, args=(project, args.edit_every, stop, results)
        )
        clickers = [
            threading.Thread(
                target=participant,
                args=(n, base, paths, args.requests, args.think, deadline, results),
            )
            for n in range(args.participants)
        ]
        for thread in (*pollers, editor, *clickers):
            thread.start()
        for thread in clickers:
            thread.join()
        elapsed = time.monotonic() - started
        stop.set()
        editor.join()
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
        log = (folder / "serve.log").read_text(encoding="utf-8", errors="replace")
        shutil.rmtree(folder)

    done = len(results.latencies)
    failed = sum(results.failures.values())
    stuck = "will appear stuck" in log
    print(f"participants          {args.participants} (each with a live-reload poll open)")
    print(
        f"requests              {done} of {args.participants * args.requests} "
        f"({results.kinds['page']} pages, {results.kinds['search']} search index)"
    )
    print(f"time                  {elapsed:.1f} s")
    print(f"throughput            {done / elapsed:.1f} requests/s")
    print(f"latency p50           {percentile(results.latencies, 0.50) * 1000:.0f} ms")
    print(f"latency p99           {percentile(results.latencies, 0.99) * 1000:.0f} ms")
    print(f"latency max           {max(results.latencies) * 1000:.0f} ms")
    print(f"facilitator saves     {results.saves} (a rebuild each; every third breaks the story)")
    print(f"rebuilds seen by tabs {len(results.epochs)}")
    print(f"failed requests       {failed}")
    for failure, count in results.failures.most_common():
        print(f"  {count} x {failure}")
    if stuck:
        print("mkdocs serve reported a stuck rebuild")
    return 1 if failed or stuck or done < args.participants * args.requests else 0


if __name__ == "__main__":
    raise SystemExit(main())

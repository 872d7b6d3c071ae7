#!/usr/bin/env python3
"""How soon a served storybook answers: `storybook serve` and `storybook serve --room`, cold
and warm, beside plain `mkdocs serve` of the same pages.

For a library of ``--size`` synthetic stories (see ``synthetic.py``; the projects are those
of ``build_bench.py``) it starts each server in its own process and times how long until it
answers its first page (a story page, whole, as a browser would get it):

- **plain**: `mkdocs serve` of what `storybook export` writes (no plugin), every start cold;
- **serve cold**: `storybook serve` with no site kept from an earlier run (.cache/storybook
  removed), as on a first run;
- **serve warm**: `storybook serve` again on the same address, nothing changed meanwhile:
  the kept site and story cache are reused (see storybook/plugin/servedir.py);
- **serve warm, one story edited**: the same after one story was saved while it was stopped;
- **room cold / warm**: `storybook serve --room`, the first page of each edition.

With ``--refresh-sizes`` it also times edit to refresh under `storybook serve` (that is
`mkdocs serve --dirty`) at those sizes, from a warm start, and checks that the served search
index still has every story and the edited text.

Each figure is printed with the command that made it and the machine's load average when it
was taken: on a busy machine every figure grows. Run it with ``make bench`` (after
build_bench.py) or alone: ``python bench/serve_bench.py --size 1000``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import (
    EDITED_STORY,
    ENV,
    Projects,
    fetch,
    free_port,
    machine,
    make_projects,
    sizes,
    story_locations,
)

# `storybook` as the installed command runs it, with this Python.
STORYBOOK = "from storybook.cli import main; main()"
START_SECONDS = 1800  # a cold start at 3,000 stories on a busy machine is slow, not broken


@dataclass
class Start:
    name: str
    command: str
    seconds: dict[str, float]  # edition (or "site") -> first page after the start
    load: float  # the one-minute load average as the server was started


def load_average() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=START_SECONDS) as response:
            body: bytes = response.read()
            return b"</html>" in body
    except (OSError, urllib.error.URLError):
        return False


def first_pages(
    name: str, command: list[str], project: Path, urls: dict[str, str], log: Path
) -> Start:
    """Start ``command`` in ``project``, time the first whole answer of each of ``urls``
    (edition -> page), then stop it as Ctrl-C does, so that it keeps its site."""
    load = load_average()
    with log.open("ab") as stream:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=project, env=ENV, stdout=stream, stderr=subprocess.STDOUT
        )
        seconds: dict[str, float] = {}
        try:
            deadline = time.monotonic() + START_SECONDS
            while len(seconds) < len(urls):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{name}: the server stopped or never answered; see {log}")
                for edition, url in urls.items():
                    if edition not in seconds and answers(url):
                        seconds[edition] = time.perf_counter() - start
                time.sleep(0.02)
        finally:
            stop(process)
    shown = " ".join(command[3:] if command[1:3] == ["-c", STORYBOOK] else command[1:])
    if command[1:3] == ["-c", STORYBOOK]:
        shown = "storybook " + shown
    return Start(name, shown, seconds, load)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def story_page(port: int, size: int) -> str:
    return f"http://127.0.0.1:{port}/stories/{edited_slug(size)}/"


def edited_slug(size: int) -> str:
    return f"story-{min(EDITED_STORY, size - 1):05d}"


def edit_story(project: Path, size: int, marker: str) -> None:
    with (project / "stories" / f"{edited_slug(size)}.md").open("a", encoding="utf-8") as story:
        story.write(f"\nEdited while the server was stopped: {marker}.\n")


def measure_starts(projects: Projects, work: Path) -> list[Start]:
    size = projects.size
    log = work / f"serve-bench-{size}.log"
    storybook = [sys.executable, "-c", STORYBOOK]
    starts = []

    port = free_port()
    plain = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"]
    starts.append(
        first_pages(
            "plain mkdocs serve", plain, projects.plain, {"site": story_page(port, size)}, log
        )
    )

    project = projects.storybook
    shutil.rmtree(project / ".cache", ignore_errors=True)
    port = free_port()
    serve = [*storybook, "serve", "--port", str(port)]
    page = {"learner": story_page(port, size)}
    starts.append(first_pages("storybook serve, cold", serve, project, page, log))
    starts.append(first_pages("storybook serve, warm", serve, project, page, log))
    edit_story(project, size, "bench")
    starts.append(first_pages("storybook serve, warm, 1 story edited", serve, project, page, log))

    shutil.rmtree(project / ".cache", ignore_errors=True)
    learner, facilitator = free_port(), free_port()
    room = [*storybook, "serve", "--room", "--port", str(learner)]
    room += ["--facilitator-port", str(facilitator)]
    pages = {"learner": story_page(learner, size), "facilitator": story_page(facilitator, size)}
    starts.append(first_pages("storybook serve --room, cold", room, project, pages, log))
    starts.append(first_pages("storybook serve --room, warm", room, project, pages, log))
    return starts


@dataclass
class Refresh:
    size: int
    first_page: float  # from the start of the server (cold or warm, as the folder was)
    refresh: list[float]
    index_complete: bool
    load: float


def measure_refresh(projects: Projects, edits: int, work: Path) -> Refresh:
    """Edit to refresh under `storybook serve` (mkdocs serve --dirty): a save is picked up by
    the running server whether it started cold or warm, so one start is enough."""
    size = projects.size
    project = projects.storybook
    port = free_port()
    command = [sys.executable, "-c", STORYBOOK, "serve", "--port", str(port)]
    page = story_page(port, size)
    load = load_average()
    with (work / f"refresh-{size}.log").open("ab") as stream:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=project, env=ENV, stdout=stream, stderr=subprocess.STDOUT
        )
        try:
            while not answers(page):
                if process.poll() is not None:
                    raise SystemExit(f"refresh at N={size}: the server stopped")
                time.sleep(0.02)
            first_page = time.perf_counter() - start
            refresh, complete = [], True
            for edit in range(edits):
                time.sleep(1.0)  # let the watcher settle between edits
                marker = f"benchrefresh{edit}x{port}"
                edit_story(project, size, marker)
                saved = time.perf_counter()
                while marker not in fetch(page, timeout=START_SECONDS):
                    time.sleep(0.02)
                refresh.append(time.perf_counter() - saved)
                index = json.loads(fetch(f"http://127.0.0.1:{port}/search/search_index.json"))
                text = " ".join(
                    doc["text"]
                    for doc in index["docs"]
                    if doc["location"].startswith(f"stories/{edited_slug(size)}/")
                )
                complete = complete and len(story_locations(index)) == size and marker in text
        finally:
            stop(process)
    return Refresh(size, first_page, refresh, complete, load)


def starts_table(size: int, starts: list[Start]) -> str:
    lines = [
        f"First page at {size:,} stories (seconds from the start of the command):",
        "",
        "| server | learner (or the site) | facilitator | load | command |",
        "|---|---:|---:|---:|---|",
    ]
    for start in starts:
        first = start.seconds.get("learner", start.seconds.get("site"))
        other = start.seconds.get("facilitator")
        lines.append(
            f"| {start.name} | {first:.1f} s | {'' if other is None else f'{other:.1f} s'} "
            f"| {start.load:.1f} | `{start.command}` |"
        )
    return "\n".join(lines)


def refresh_table(results: list[Refresh]) -> str:
    lines = [
        "Edit to refresh under `storybook serve` (mkdocs serve --dirty):",
        "",
        "| N | first page | edit to refresh (median) | slowest | search index complete | load |",
        "|---:|---:|---:|---:|---|---:|",
    ]
    for result in results:
        lines.append(
            f"| {result.size:,} | {result.first_page:.1f} s "
            f"| {statistics.median(result.refresh):.2f} s | {max(result.refresh):.2f} s "
            f"| {'yes' if result.index_complete else 'NO'} | {result.load:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time the first page of storybook serve (and --room), cold and warm.",
        epilog="Example: python bench/serve_bench.py --size 1000 --refresh-sizes 3000",
    )
    parser.add_argument("--size", type=int, default=1000, help="stories (default 1000)")
    parser.add_argument(
        "--refresh-sizes",
        type=sizes,
        default=[],
        help="also time edit to refresh at these sizes (e.g. 3000; default none)",
    )
    parser.add_argument("--edits", type=int, default=5, help="edits per refresh run (default 5)")
    parser.add_argument("--seed", type=int, default=6, help="synthetic library seed (default 6)")
    parser.add_argument("--workdir", type=Path, help="where to generate (default: a temp folder)")
    parser.add_argument("--output", type=Path, help="also write the tables to this file")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="storybook-serve-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"Machine: {machine()}", flush=True)
    report = f"Machine: {machine()}\n\n"
    try:
        if args.size:
            starts = measure_starts(make_projects(work, args.size, args.seed), work)
            report += starts_table(args.size, starts) + "\n\n"
        refreshes = []
        for size in args.refresh_sizes:
            refreshes.append(
                measure_refresh(make_projects(work, size, args.seed), args.edits, work)
            )
        if refreshes:
            report += refresh_table(refreshes) + "\n"
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print("\n" + report)
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

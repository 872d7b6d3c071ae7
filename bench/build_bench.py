#!/usr/bin/env python3
"""Benchmark the storybook against plain MkDocs building the same pages.

For each library size N it generates N synthetic stories from a fixed seed (see
``synthetic.py``) and builds them twice, each build in its own process:

- **storybook**: the stories, the repository's templates, docs and mkdocs.yml, built by
  ``mkdocs build`` with the storybook plugin;
- **plain**: the same pages as ordinary Markdown files, with the same theme configuration
  and no storybook plugin (what ``storybook export`` writes), built by ``mkdocs build``.

It reports wall time and CPU time (user + system) of each build and their ratio, the CPU
time the storybook spends in the build by phase (its own work: importing the plugin, loading
and validating, rendering, cleaning the generated HTML; see ``timed_mkdocs.py``), time per
story, peak memory (maximum resident set size of the build process), bytes per story page,
the size of the home page and of the search index. With ``--repeat``, the two builds take
turns several times and the lowest figures are kept.

For each size in ``--serve-sizes`` it starts ``mkdocs serve`` on 127.0.0.1, saves an edit to
one story (for plain MkDocs: to its pre-rendered page), and times how long it takes until the
served page shows the edit; then it checks that the served search index still has every story
and the edited text. Modes: ``plain`` (plain ``mkdocs serve``, which rebuilds everything),
``storybook`` (the same command with the plugin) and ``storybook-dirty`` (``mkdocs serve
--dirty`` with the plugin, as ``make serve`` runs it).

Run it with ``make bench`` (installs into .venv first); results and the commands behind
them are in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from storybook.core.vocabulary import load_vocabulary
from storybook.export.exporter import export_site

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_library

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
EDITED_STORY = 7  # the story every serve measurement edits (story-00007.md, or the last one)


@dataclass
class Projects:
    size: int
    storybook: Path  # stories + templates + docs + mkdocs.yml, built with the plugin
    plain: Path  # the same pages pre-rendered into docs/, built without it


@dataclass
class BuildResult:
    seconds: float
    cpu_seconds: float
    plugin_cpu_seconds: float  # CPU time inside the storybook plugin's hooks
    phases: dict[str, float]  # CPU time by phase, from the run with the least in the hooks
    max_rss_kib: int
    story_page_bytes: float
    home_bytes: int
    search_bytes: int
    search_stories: int


@dataclass
class ServeResult:
    mode: str
    size: int
    first_build: float
    refresh: list[float]
    index_complete: bool


def make_projects(root: Path, size: int, seed: int) -> Projects:
    """Generate N stories and the two projects that build them."""
    storybook = root / f"n{size}" / "storybook"
    plain = root / f"n{size}" / "plain"
    for folder in (storybook, plain):
        if folder.exists():
            shutil.rmtree(folder)
    storybook.mkdir(parents=True)
    for name in ("templates", "docs", "overrides"):
        shutil.copytree(ROOT / name, storybook / name)
    # The sample workshop names the sample stories; the synthetic library has none of them.
    (storybook / "workshops").mkdir()
    # Material's search in both builds, so that they do the same work: the Pagefind index a
    # built site gets by default is timed by search_bench.py (its "build" column).
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (storybook / "mkdocs.yml").write_text(
        config.replace("search: pagefind", "search: lunr"), encoding="utf-8"
    )
    vocabulary = load_vocabulary(storybook / "templates")
    themes = [tag.name for tag in vocabulary.by_kind("themes")]
    moments = [tag.name for tag in vocabulary.by_kind("moments")]
    write_library(storybook / "stories", size, themes, moments, seed=seed)

    # The plain project is what `storybook export` writes: the same pages as Markdown files
    # and the same mkdocs.yml without the plugin.
    export_site(storybook / "mkdocs.yml", plain)
    return Projects(size, storybook, plain)


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    spent: dict[str, float]  # what timed_mkdocs.py reports
    max_rss_kib: int


def timed_build(project: Path, site: Path, kind: str) -> Run:
    """Run `mkdocs build` in its own process; ``kind`` is storybook or plain."""
    if site.exists():
        shutil.rmtree(site)
    report = site.parent / f"{site.name}-hooks.json"
    runner = Path(__file__).resolve().parent / "timed_mkdocs.py"
    command = [sys.executable, str(runner), str(report), kind, "build", "-q", "-d", str(site)]
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=project, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    # wait4 gives the resource usage of exactly this child.
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    output = b"".join(stream.read() for stream in (process.stdout, process.stderr) if stream)
    for stream in (process.stdout, process.stderr):
        if stream:
            stream.close()
    if process.returncode != 0:
        raise SystemExit(f"mkdocs build failed in {project}:\n{output.decode()[-3000:]}")
    spent = json.loads(report.read_text(encoding="utf-8"))
    return Run(seconds, usage.ru_utime + usage.ru_stime, spent, usage.ru_maxrss)


def measure_builds(projects: Projects, work: Path, repeat: int) -> tuple[BuildResult, BuildResult]:
    """The storybook and the plain build, taking turns so that a slow spell of a shared
    machine falls on both alike."""
    sites = {"storybook": work / "site-ours", "plain": work / "site-plain"}
    runs: dict[str, list[Run]] = {"storybook": [], "plain": []}
    for _ in range(repeat):
        for kind, project in (("plain", projects.plain), ("storybook", projects.storybook)):
            runs[kind].append(timed_build(project, sites[kind], kind))
    ours, plain = (summarise(runs[kind], sites[kind]) for kind in ("storybook", "plain"))
    return ours, plain


def summarise(runs: list[Run], site: Path) -> BuildResult:
    pages = sorted((site / "stories").glob("*/index.html"))
    index = site / "search" / "search_index.json"
    least = min(runs, key=lambda run: (run.spent.get("seconds", 0.0), run.cpu_seconds))
    return BuildResult(
        seconds=min(run.seconds for run in runs),
        cpu_seconds=min(run.cpu_seconds for run in runs),
        plugin_cpu_seconds=least.spent.get("seconds", 0.0),
        phases=least.spent,
        max_rss_kib=min(run.max_rss_kib for run in runs),
        story_page_bytes=statistics.mean(page.stat().st_size for page in pages),
        home_bytes=(site / "index.html").stat().st_size,
        search_bytes=index.stat().st_size,
        search_stories=len(story_locations(json.loads(index.read_text(encoding="utf-8")))),
    )


def story_locations(index: dict[str, Any]) -> set[str]:
    return {
        doc["location"].split("#")[0]
        for doc in index["docs"]
        if doc["location"].startswith("stories/")
    }


# --- mkdocs serve ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fetch(url: str, timeout: float = 120) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        body: bytes = response.read()
        return body.decode("utf-8")


def wait_for(url: str, text: str, process: subprocess.Popen[bytes], timeout: float) -> float:
    """Poll until the page at ``url`` contains ``text``; returns the time it showed up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("mkdocs serve stopped")
        try:
            if text in fetch(url):
                return time.perf_counter()
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.02)
    raise TimeoutError(f"{url} never showed {text!r}")


def measure_serve(projects: Projects, mode: str, edits: int, work: Path) -> ServeResult:
    """Start `mkdocs serve`, edit one story ``edits`` times, time each edit until it is served."""
    project = work / f"serve-{mode}-{projects.size}"
    if project.exists():
        shutil.rmtree(project)
    source = projects.plain if mode == "plain" else projects.storybook
    shutil.copytree(source, project, ignore=shutil.ignore_patterns("site"))
    slug = f"story-{min(EDITED_STORY, projects.size - 1):05d}"
    edited = project / ("docs/stories" if mode == "plain" else "stories") / f"{slug}.md"
    port = free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"]
    if mode == "storybook-dirty":
        command.append("--dirty")
    log_path = work / f"serve-{mode}-{projects.size}.log"
    with log_path.open("wb") as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=project, env=ENV, stdout=log, stderr=log)
        try:
            base = f"http://127.0.0.1:{port}"
            page = f"{base}/stories/{slug}/"
            first_build = wait_for(page, "</html>", process, timeout=600) - start
            refresh = []
            complete = True
            for edit in range(edits):
                time.sleep(1.0)  # let the watcher settle between edits
                marker = f"benchedit{edit}x{port}"
                with edited.open("a", encoding="utf-8") as stream:
                    stream.write(f"\nEdited once more: {marker}.\n")
                saved = time.perf_counter()
                refresh.append(wait_for(page, marker, process, timeout=600) - saved)
                index = json.loads(fetch(f"{base}/search/search_index.json"))
                found = story_locations(index)
                text = " ".join(
                    doc["text"]
                    for doc in index["docs"]
                    if doc["location"].startswith(f"stories/{slug}/")
                )
                complete = complete and len(found) == projects.size and marker in text
        except (RuntimeError, TimeoutError) as exc:
            raise SystemExit(f"{mode} serve at N={projects.size}: {exc}; see {log_path}") from None
        finally:
            process.send_signal(signal.SIGINT)  # as Ctrl-C: MkDocs and plugins clean up
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return ServeResult(mode, projects.size, first_build, refresh, complete)


# --- report ---------------------------------------------------------------------------------


def machine() -> str:
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        match = re.search(r"MemTotal:\s+(\d+) kB", meminfo.read_text())
        if match:
            memory = f", {int(match.group(1)) / 2**20:.0f} GiB"
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("mkdocs", "mkdocs-material", "markdown")
    )
    return (
        f"{platform.machine()}, {os.cpu_count()} cores{memory}, Python "
        f"{platform.python_version()}, {versions}"
    )


def build_table(rows: list[tuple[Projects, BuildResult, BuildResult]]) -> str:
    """Two tables: time, then memory and size."""
    times = [
        "| N | storybook wall | plain wall | ratio | storybook CPU | plain CPU | ratio "
        "| per story (storybook / plain) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    sizes = [
        "| N | peak memory storybook | plain | ratio | bytes per story page (storybook / plain) "
        "| home page | search index |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for projects, ours, plain in rows:
        n = projects.size
        times.append(
            f"| {n:,} | {ours.seconds:.2f} s | {plain.seconds:.2f} s "
            f"| {ours.seconds / plain.seconds:.3f} "
            f"| {ours.cpu_seconds:.2f} s | {plain.cpu_seconds:.2f} s "
            f"| {ours.cpu_seconds / plain.cpu_seconds:.3f} "
            f"| {1000 * ours.seconds / n:.2f} / {1000 * plain.seconds / n:.2f} ms |"
        )
        sizes.append(
            f"| {n:,} | {ours.max_rss_kib / 1024:.0f} MiB | {plain.max_rss_kib / 1024:.0f} MiB "
            f"| {ours.max_rss_kib / plain.max_rss_kib:.2f} "
            f"| {ours.story_page_bytes / 1000:.1f} / {plain.story_page_bytes / 1000:.1f} kB "
            f"| {ours.home_bytes / 1000:.0f} kB "
            f"| {ours.search_bytes / 1e6:.2f} MB ({ours.search_stories:,} stories) |"
        )
    return "\n".join(times) + "\n\n" + "\n".join(sizes)


def work_table(rows: list[tuple[Projects, BuildResult, BuildResult]]) -> str:
    """CPU seconds of each phase (see timed_mkdocs.py), and their share of the plain build."""
    lines = [
        "| N | import | load + validate | render | clean HTML | rest of the hooks "
        "| load + validate + render | all of it |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for projects, ours, plain in rows:
        phase = ours.phases
        rest = ours.plugin_cpu_seconds - sum(phase.get(name, 0.0) for name in PHASES)
        core = phase.get("load", 0.0) + phase.get("render", 0.0)
        whole = ours.plugin_cpu_seconds + phase.get("import", 0.0)
        cells = [f"{phase.get(name, 0.0):.3f} s" for name in ("import", *PHASES)]
        lines.append(
            f"| {projects.size:,} | {' | '.join(cells)} | {rest:.3f} s "
            f"| {share(core, plain)} | {share(whole, plain)} |"
        )
    return "\n".join(lines)


PHASES = ("load", "render", "clean")


def pages_table(rows: list[tuple[Projects, BuildResult, BuildResult]]) -> str:
    """What MkDocs spends on each kind of page (see timed_mkdocs.py), in both builds."""
    lines = [
        "| N | pages | storybook: pages, CPU | plain MkDocs: pages, CPU |",
        "|---:|---|---:|---:|",
    ]
    for projects, ours, plain in rows:
        folders = sorted(
            {key[5:] for result in (ours, plain) for key in result.phases if key[:5] == "page:"}
        )
        for folder in folders:
            cells = [
                f"{result.phases.get('count:' + folder, 0):,.0f}, "
                f"{result.phases.get('page:' + folder, 0.0):.2f} s"
                for result in (ours, plain)
            ]
            lines.append(f"| {projects.size:,} | {folder}/ | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def share(seconds: float, plain: BuildResult) -> str:
    return f"{seconds:.2f} s = {100 * seconds / plain.cpu_seconds:.1f}% of plain"


def serve_table(results: list[ServeResult]) -> str:
    lines = [
        "| N | mode | first build | edit to refresh (median) | slowest | search index complete |",
        "|---:|---|---:|---:|---:|---|",
    ]
    for result in results:
        lines.append(
            f"| {result.size:,} | {result.mode} | {result.first_build:.1f} s "
            f"| {statistics.median(result.refresh):.2f} s | {max(result.refresh):.2f} s "
            f"| {'yes' if result.index_complete else 'NO'} |"
        )
    return "\n".join(lines)


def sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark storybook builds and live edits against plain MkDocs.",
        epilog="Example: python bench/build_bench.py --sizes 100,1000 --serve-sizes 300",
    )
    parser.add_argument(
        "--sizes",
        type=sizes,
        default=[100, 1000, 3000],
        help="library sizes to build (default 100,1000,3000)",
    )
    parser.add_argument(
        "--serve-sizes",
        type=sizes,
        default=[300, 1000],
        help="library sizes for the mkdocs serve edit test (default 300,1000; empty to skip)",
    )
    parser.add_argument(
        "--serve-modes",
        default="plain,storybook,storybook-dirty",
        help="which servers to time (default plain,storybook,storybook-dirty)",
    )
    parser.add_argument("--edits", type=int, default=5, help="edits per served library (default 5)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="builds per size, fastest kept (default 3)"
    )
    parser.add_argument(
        "--seed", type=int, default=6, help="random seed of the synthetic library (default 6)"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where to generate the libraries (default: a temporary folder, removed afterwards)",
    )
    parser.add_argument(
        "--output", type=Path, help="also write the result tables to this Markdown file"
    )
    args = parser.parse_args(argv)
    modes = [mode.strip() for mode in args.serve_modes.split(",") if mode.strip()]
    unknown = set(modes) - {"plain", "storybook", "storybook-dirty"}
    if unknown:
        parser.error(f"unknown serve mode(s): {', '.join(sorted(unknown))}")

    # Installed packages come with their bytecode, and Python writes it for the storybook's
    # own modules on first use; but where PYTHONDONTWRITEBYTECODE is set (as on our CI
    # machines) every build would compile the storybook from source, 20 ms that no
    # trainer's second build pays. Write it once, as a first run would.
    compileall.compile_dir(ROOT / "storybook", quiet=1)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="storybook-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"Machine: {machine()}", flush=True)
    try:
        rows = []
        for size in args.sizes:
            projects = make_projects(work, size, args.seed)
            ours, plain = measure_builds(projects, work / f"n{size}", args.repeat)
            rows.append((projects, ours, plain))
            print(
                f"built N={size}: storybook {ours.seconds:.2f} s, plain {plain.seconds:.2f} s",
                flush=True,
            )
        serves = []
        for size in args.serve_sizes:
            projects = make_projects(work, size, args.seed)
            for mode in modes:
                result = measure_serve(projects, mode, args.edits, work)
                serves.append(result)
                print(
                    f"served N={size} {mode}: {statistics.median(result.refresh):.2f} s", flush=True
                )
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)

    report = f"Machine: {machine()}\n\n"
    if rows:
        report += "### Builds\n\n" + build_table(rows) + "\n\n"
        report += "### The storybook's own work, by phase\n\n" + work_table(rows) + "\n\n"
        report += "### MkDocs' work by kind of page\n\n" + pages_table(rows) + "\n\n"
    if serves:
        report += "### Edit to refresh under `mkdocs serve`\n\n" + serve_table(serves) + "\n"
    print("\n" + report)
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Benchmark the storybook against plain MkDocs building the same pages.

For each library size N it generates N synthetic stories from a fixed seed (see
``synthetic.py``) and builds them three ways, each build in its own process, taking turns:

- **plain**: the same pages as ordinary Markdown files, with the same theme configuration
  and no storybook plugin (what ``storybook export`` writes), built by ``mkdocs build``;
- **lunr**: the stories, the repository's templates, docs and mkdocs.yml with ``search:
  lunr``, built by ``mkdocs build`` with the storybook plugin (Material's search, as plain);
- **default**: the same with ``search: pagefind``, as mkdocs.yml says: the Pagefind index
  is written after the pages, and Material's index is not.

It reports CPU time (user + system of the build process and its children, from the kernel's
accounting: Pagefind runs as a child) and its ratio to plain, the share of the default build
that indexing takes, peak memory (of the MkDocs process, and of Pagefind, which runs while
MkDocs' process stays resident), wall time, the CPU time the storybook spends by phase and by
section (see ``timed_mkdocs.py``), what MkDocs spends on each kind of page, and what each
folder of the built sites weighs (``site_weight.py``). With ``--repeat``, the builds take
turns several times and the lowest figures are kept. The machine's load average is printed
beside the figures, and the command at the top: a busy machine slows every build, so compare
ratios of one run, not runs.

For each size in ``--serve-sizes`` it starts ``mkdocs serve`` on 127.0.0.1, saves an edit to
one story (for plain MkDocs: to its pre-rendered page), and times how long it takes until the
served page shows the edit; then it checks that the served search index still has every story
and the edited text. Modes: ``plain`` (plain ``mkdocs serve``, which rebuilds everything),
``storybook`` (the same command with the plugin) and ``storybook-dirty`` (``mkdocs serve
--dirty`` with the plugin, as ``make serve`` runs it).

For each size in ``--instructions`` it counts the instructions the plain and the lunr builds
run, side by side, under valgrind's callgrind (``counted_mkdocs.py``): the same count however
busy the machine, where timed builds here differ by more than a tenth from run to run. It is
slow (about 25 minutes at 300 stories), so it runs only when asked.

Run it with ``make bench`` (installs into .venv first); results and the commands behind
them are in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import compileall
import gzip
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from storybook.core.vocabulary import load_vocabulary
from storybook.export.exporter import export_site
from storybook.plugin.deferred import PREPARING_WORDS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_weight import folder_weights
from synthetic import write_library

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
EDITED_STORY = 7  # the story every serve measurement edits (story-00007.md, or the last one)
# The three builds of each size, in the order they take turns.
KINDS = ("plain", "lunr", "default")


@dataclass
class Projects:
    size: int
    storybook: Path  # stories + templates + docs + mkdocs.yml (search: lunr), with the plugin
    default: Path  # the same with search: pagefind, as mkdocs.yml says
    plain: Path  # the same pages pre-rendered into docs/, built without it

    def of(self, kind: str) -> Path:
        return {"plain": self.plain, "lunr": self.storybook, "default": self.default}[kind]


@dataclass
class BuildResult:
    seconds: float
    cpu_seconds: float
    plugin_cpu_seconds: float  # CPU time inside the storybook plugin's hooks
    phases: dict[str, float]  # CPU time by phase, from the run with the least in the hooks
    index_cpu_seconds: float  # writing the Pagefind index, the program's own CPU included
    mkdocs_rss_kib: int  # peak memory of the MkDocs process
    child_rss_kib: int  # peak memory of the largest program it ran (Pagefind)
    loads: list[float]  # the 1-minute load average as each of its runs started
    story_page_bytes: float
    home_bytes: int
    search_bytes: int  # Material's index, or Pagefind's folder
    search_stories: int
    weights: dict[str, int]  # bytes in each folder of the site (see site_weight.py)

    tree_rss_kib: int  # the most its processes held at once, sampled (see TreeMemory)

    @property
    def max_rss_kib(self) -> int:
        """Peak memory of the build: of its processes at once (Pagefind runs while MkDocs'
        process stays resident), and never less than either process's own peak, which the
        kernel keeps (sampling may miss a short one)."""
        return max(self.tree_rss_kib, self.mkdocs_rss_kib, self.child_rss_kib)


@dataclass
class ServeResult:
    mode: str
    size: int
    first_build: float
    refresh: list[float]
    index_complete: bool


def make_projects(root: Path, size: int, seed: int) -> Projects:
    """Generate N stories and the three projects that build them."""
    storybook = root / f"n{size}" / "storybook"
    default = root / f"n{size}" / "default"
    plain = root / f"n{size}" / "plain"
    for folder in (storybook, default, plain):
        if folder.exists():
            shutil.rmtree(folder)
    storybook.mkdir(parents=True)
    for name in ("templates", "docs", "overrides"):
        shutil.copytree(ROOT / name, storybook / name)
    # The sample workshop names the sample stories; the synthetic library has none of them.
    (storybook / "workshops").mkdir()
    # Material's search, as plain MkDocs has it; the default project searches with Pagefind.
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (storybook / "mkdocs.yml").write_text(
        config.replace("search: pagefind", "search: lunr"), encoding="utf-8"
    )
    vocabulary = load_vocabulary(storybook / "templates")
    themes = [tag.name for tag in vocabulary.by_kind("themes")]
    moments = [tag.name for tag in vocabulary.by_kind("moments")]
    write_library(storybook / "stories", size, themes, moments, seed=seed)
    shutil.copytree(storybook, default)
    (default / "mkdocs.yml").write_text(config, encoding="utf-8")

    # The plain project is what `storybook export` writes: the same pages as Markdown files
    # and the same mkdocs.yml without the plugin.
    export_site(storybook / "mkdocs.yml", plain)
    return Projects(size, storybook, default, plain)


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    spent: dict[str, float]  # what timed_mkdocs.py reports
    load: float  # the 1-minute load average as it started
    tree_rss_kib: int  # the most memory its processes held at once (sampled)


def timed_build(project: Path, site: Path, kind: str) -> Run:
    """Run `mkdocs build` in its own process; ``kind`` is one of KINDS."""
    if site.exists():
        shutil.rmtree(site)
    report = site.parent / f"{site.name}-hooks.json"
    runner = Path(__file__).resolve().parent / "timed_mkdocs.py"
    wrapped = "plain" if kind == "plain" else "storybook"
    command = [sys.executable, str(runner), str(report), wrapped, "build", "-q", "-d", str(site)]
    load = os.getloadavg()[0]
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=project, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    memory = TreeMemory(process.pid)
    memory.start()
    # wait4 gives the resource usage of exactly this child and of the children it waited for.
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    memory.stop.set()
    memory.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    output = b"".join(stream.read() for stream in (process.stdout, process.stderr) if stream)
    for stream in (process.stdout, process.stderr):
        if stream:
            stream.close()
    if process.returncode != 0:
        raise SystemExit(f"mkdocs build failed in {project}:\n{output.decode()[-3000:]}")
    spent = json.loads(report.read_text(encoding="utf-8"))
    # A child's own peak as the kernel keeps it counts the MkDocs process it was forked from:
    # Pagefind's is the sampled one.
    spent["rss-children"] = memory.children_peak_kib
    return Run(seconds, usage.ru_utime + usage.ru_stime, spent, load, memory.peak_kib)


class TreeMemory(threading.Thread):
    """The resident memory of a process and all its children together, sampled every 50 ms
    from /proc (Linux): the MkDocs process stays resident while Pagefind runs, so a build's
    peak is their sum at one moment, which neither process's own peak says."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0  # of them all at once
        self.children_peak_kib = 0  # of the children (Pagefind) at once
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            root, *children = map(resident_kib, process_tree(self.pid))
            self.peak_kib = max(self.peak_kib, root + sum(children))
            self.children_peak_kib = max(self.children_peak_kib, sum(children))
            self.stop.wait(0.05)


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants, as /proc lists them now (``pid`` first)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def resident_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else 0


COUNTED = ("plain", "lunr")  # what --instructions counts: the target is lunr against plain


def counted_builds(projects: Projects, work: Path) -> dict[str, int]:
    """The instructions each of plain and lunr builds runs, counted side by side by
    callgrind: the same count however busy the machine, where timed runs of one build here
    differ by more than a tenth. A lunr build runs first, uncounted, as the timed runs do,
    so that the storybook's compiled templates are on disk as on any build but the first."""
    timed_build(projects.storybook, work / "site-lunr", "lunr")
    counting = {
        kind: _start_counted(projects.of(kind), work / f"site-{kind}", kind) for kind in COUNTED
    }
    return {kind: _instructions(process, kind) for kind, process in counting.items()}


def _start_counted(project: Path, site: Path, kind: str) -> subprocess.Popen[str]:
    if site.exists():
        shutil.rmtree(site)
    runner = Path(__file__).resolve().parent / "counted_mkdocs.py"
    wrapped = "plain" if kind == "plain" else "storybook"
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={site.parent / f'{site.name}.callgrind'}",
        sys.executable,
        str(runner),
        wrapped,
        "build",
        "-q",
        "-d",
        str(site),
    ]
    return subprocess.Popen(
        command, cwd=project, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _instructions(process: subprocess.Popen[str], kind: str) -> int:
    output, errors = process.communicate()
    found = re.search(r"Collected : (\d+)", errors)
    if process.returncode != 0 or found is None:
        raise SystemExit(f"the counted {kind} build failed:\n{(output + errors)[-3000:]}")
    return int(found[1])


def instructions_table(counts: list[tuple[int, dict[str, int]]]) -> str:
    lines = [
        "| N | plain MkDocs | `search: lunr` | ratio |",
        "|---:|---:|---:|---:|",
    ]
    for size, count in counts:
        lines.append(
            f"| {size:,} | {count['plain']:,} | {count['lunr']:,} "
            f"| {count['lunr'] / count['plain']:.3f} |"
        )
    return "\n".join(lines)


def measure_builds(projects: Projects, work: Path, repeat: int) -> dict[str, BuildResult]:
    """The three builds, taking turns so that a slow spell of a shared machine falls on all
    alike; by kind."""
    sites = {kind: work / f"site-{kind}" for kind in KINDS}
    runs: dict[str, list[Run]] = {kind: [] for kind in KINDS}
    for _ in range(repeat):
        for kind in KINDS:
            runs[kind].append(timed_build(projects.of(kind), sites[kind], kind))
    return {kind: summarise(runs[kind], sites[kind]) for kind in KINDS}


def summarise(runs: list[Run], site: Path) -> BuildResult:
    pages = sorted((site / "stories").glob("*/index.html"))
    index = site / "search" / "search_index.json"
    if index.is_file():
        search_bytes = index.stat().st_size
        found = story_locations(json.loads(index.read_text(encoding="utf-8")))
    else:
        search_bytes = sum(path.stat().st_size for path in (site / "pagefind").rglob("*"))
        found = pagefind_story_locations(site / "pagefind")
    least = min(runs, key=lambda run: (run.spent.get("seconds", 0.0), run.cpu_seconds))
    return BuildResult(
        seconds=min(run.seconds for run in runs),
        cpu_seconds=min(run.cpu_seconds for run in runs),
        plugin_cpu_seconds=least.spent.get("seconds", 0.0),
        phases=least.spent,
        index_cpu_seconds=min(run.spent.get("index", 0.0) for run in runs),
        mkdocs_rss_kib=int(min(run.spent["rss-self"] for run in runs)),
        child_rss_kib=int(min(run.spent["rss-children"] for run in runs)),
        tree_rss_kib=min(run.tree_rss_kib for run in runs),
        loads=[run.load for run in runs],
        story_page_bytes=statistics.mean(page.stat().st_size for page in pages),
        home_bytes=(site / "index.html").stat().st_size,
        search_bytes=search_bytes,
        search_stories=len(found),
        weights=folder_weights(site),
    )


def story_locations(index: dict[str, Any]) -> set[str]:
    return {
        doc["location"].split("#")[0]
        for doc in index["docs"]
        if doc["location"].startswith("stories/")
    }


def pagefind_story_locations(index: Path) -> set[str]:
    """The story pages in a Pagefind index (each fragment: gzip, a signature, then JSON)."""
    found = set()
    for fragment in (index / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        url = json.loads(data[data.index(b"{") :])["url"].lstrip("/")
        if url.startswith("stories/"):
            found.add(url)
    return found


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


def wait_for_projector_views(url: str, process: subprocess.Popen[bytes]) -> None:
    """Poll until the projector view at ``url`` is made (or the site has none)."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("mkdocs serve stopped")
        try:
            if PREPARING_WORDS not in fetch(url):
                return
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return  # plain MkDocs, or a build that makes no projector views
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} was never made")


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
                if edit == 1:
                    # The first save came while a cold serve still made its projector views;
                    # the others are timed once they are made, as in the rest of a session.
                    wait_for_projector_views(f"{base}/present/{slug}/", process)
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


Rows = list[tuple[Projects, dict[str, BuildResult]]]


def loads(builds: dict[str, BuildResult]) -> str:
    seen = [load for result in builds.values() for load in result.loads]
    return f"{min(seen):.1f} to {max(seen):.1f}"


def ratio(ours: float, plain: float) -> str:
    return f"{ours / plain:.3f}"


def cpu_table(rows: Rows) -> str:
    """CPU of the three builds, their ratios to plain, and the default build's indexing."""
    lines = [
        "| N | plain MkDocs | storybook, `search: lunr` | ratio | storybook, default "
        "(Pagefind) | ratio | of which Pagefind's index | share of the default build "
        "| load average (1 min) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for projects, builds in rows:
        plain, lunr, default = (builds[kind] for kind in KINDS)
        lines.append(
            f"| {projects.size:,} | {plain.cpu_seconds:.2f} s | {lunr.cpu_seconds:.2f} s "
            f"| {ratio(lunr.cpu_seconds, plain.cpu_seconds)} | {default.cpu_seconds:.2f} s "
            f"| {ratio(default.cpu_seconds, plain.cpu_seconds)} "
            f"| {default.index_cpu_seconds:.2f} s "
            f"| {100 * default.index_cpu_seconds / default.cpu_seconds:.1f}% | {loads(builds)} |"
        )
    return "\n".join(lines)


def memory_table(rows: Rows) -> str:
    lines = [
        "| N | plain MkDocs | storybook, `search: lunr` | ratio | default: MkDocs' process "
        "| Pagefind | both at once | ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for projects, builds in rows:
        plain, lunr, default = (builds[kind] for kind in KINDS)
        lines.append(
            f"| {projects.size:,} | {mib(plain.max_rss_kib)} | {mib(lunr.max_rss_kib)} "
            f"| {ratio(lunr.max_rss_kib, plain.max_rss_kib)} | {mib(default.mkdocs_rss_kib)} "
            f"| {mib(default.child_rss_kib)} | {mib(default.max_rss_kib)} "
            f"| {ratio(default.max_rss_kib, plain.max_rss_kib)} |"
        )
    return "\n".join(lines)


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


def wall_table(rows: Rows) -> str:
    lines = [
        "| N | plain MkDocs | `search: lunr` | default | per story (lunr / plain) "
        "| bytes per story page (storybook / plain) | home page "
        "| search: Material's index (lunr) | Pagefind's folder (default) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for projects, builds in rows:
        plain, lunr, default = (builds[kind] for kind in KINDS)
        n = projects.size
        lines.append(
            f"| {n:,} | {plain.seconds:.2f} s | {lunr.seconds:.2f} s | {default.seconds:.2f} s "
            f"| {1000 * lunr.seconds / n:.2f} / {1000 * plain.seconds / n:.2f} ms "
            f"| {lunr.story_page_bytes / 1000:.1f} / {plain.story_page_bytes / 1000:.1f} kB "
            f"| {lunr.home_bytes / 1000:.0f} kB "
            f"| {lunr.search_bytes / 1e6:.2f} MB ({lunr.search_stories:,} stories) "
            f"| {default.search_bytes / 1e6:.2f} MB ({default.search_stories:,} stories) |"
        )
    return "\n".join(lines)


def work_table(rows: Rows) -> str:
    """CPU seconds of each phase of the lunr build (see timed_mkdocs.py), and their share of
    the plain build."""
    lines = [
        "| N | import | load + validate | render | clean HTML | rest of the hooks "
        "| load + validate + render | all of it |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for projects, builds in rows:
        ours, plain = builds["lunr"], builds["plain"]
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


def sections_table(rows: Rows) -> str:
    """What each section of the lunr build spends making its pages (timed_mkdocs.py)."""
    lines = [
        "| N | section | pages | making them (CPU) | share of plain MkDocs' build |",
        "|---:|---|---:|---:|---:|",
    ]
    for projects, builds in rows:
        ours, plain = builds["lunr"], builds["plain"]
        names = [key[7:] for key in ours.phases if key.startswith("render:")]
        for name in [name for name in names if ours.phases.get(f"made:{name}")]:
            seconds = ours.phases[f"render:{name}"]
            lines.append(
                f"| {projects.size:,} | {name} | {ours.phases.get('made:' + name, 0):,.0f} "
                f"| {seconds:.3f} s | {100 * seconds / plain.cpu_seconds:.1f}% |"
            )
    return "\n".join(lines)


def pages_table(rows: Rows) -> str:
    """What MkDocs spends on each kind of page (see timed_mkdocs.py), in the lunr and the
    plain build, and what Material's search spends on its index in each."""
    lines = [
        "| N | pages | storybook (`search: lunr`): pages, CPU | plain MkDocs: pages, CPU |",
        "|---:|---|---:|---:|",
    ]
    for projects, builds in rows:
        ours, plain = builds["lunr"], builds["plain"]
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
        cells = [f"{result.phases.get('material-search', 0.0):.2f} s" for result in (ours, plain)]
        lines.append(f"| {projects.size:,} | Material's search index | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def weights_table(rows: Rows) -> str:
    """What each folder of the built sites weighs (see site_weight.py)."""
    lines = [
        "| N | folder | default (Pagefind) | `search: lunr` | plain MkDocs |",
        "|---:|---|---:|---:|---:|",
    ]
    for projects, builds in rows:
        folders = sorted({name for result in builds.values() for name in result.weights})
        for folder in [*folders, "all"]:
            cells = []
            for kind in ("default", "lunr", "plain"):
                weights = builds[kind].weights
                size = sum(weights.values()) if folder == "all" else weights.get(folder)
                cells.append("none" if size is None else f"{size / 1e6:.2f} MB")
            name = "the whole site" if folder == "all" else folder
            lines.append(f"| {projects.size:,} | {name} | {' | '.join(cells)} |")
    return "\n".join(lines)


def share(seconds: float, plain: BuildResult) -> str:
    return f"{seconds:.2f} s = {100 * seconds / plain.cpu_seconds:.1f}% of plain"


def serve_table(results: list[ServeResult]) -> str:
    lines = [
        "| N | mode | first build | first save, right after the first answer "
        "| edit to refresh (median of the others) | slowest of the others "
        "| search index complete |",
        "|---:|---|---:|---:|---:|---:|---|",
    ]
    for result in results:
        others = result.refresh[1:] or result.refresh
        lines.append(
            f"| {result.size:,} | {result.mode} | {result.first_build:.1f} s "
            f"| {result.refresh[0]:.2f} s "
            f"| {statistics.median(others):.2f} s | {max(others):.2f} s "
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
    parser.add_argument(
        "--instructions",
        type=sizes,
        default=[],
        help="library sizes at which to count the instructions of the plain and lunr builds "
        "with valgrind's callgrind, side by side (about 25 minutes at 300; default none)",
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
    command = shlex.join(["python", "bench/build_bench.py", *sys.argv[1:]])
    started = f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {load_average()}"
    print(f"Machine: {machine()}\nCommand: {command}\nStarted: {started}", flush=True)
    try:
        rows: Rows = []
        for size in args.sizes:
            projects = make_projects(work, size, args.seed)
            builds = measure_builds(projects, work / f"n{size}", args.repeat)
            rows.append((projects, builds))
            print(
                f"built N={size}: CPU plain {builds['plain'].cpu_seconds:.2f} s, "
                f"lunr {builds['lunr'].cpu_seconds:.2f} s, "
                f"default {builds['default'].cpu_seconds:.2f} s ({load_average()})",
                flush=True,
            )
        counts = []
        for size in args.instructions:
            projects = make_projects(work, size, args.seed)
            counts.append((size, counted_builds(projects, work / f"n{size}")))
            print(f"counted N={size}: {counts[-1][1]} ({load_average()})", flush=True)
        serves = []
        for size in args.serve_sizes:
            projects = make_projects(work, size, args.seed)
            for mode in modes:
                result = measure_serve(projects, mode, args.edits, work)
                serves.append(result)
                print(
                    f"served N={size} {mode}: {statistics.median(result.refresh[1:] or result.refresh):.2f} s",
                    flush=True,
                )
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)

    report = (
        f"Machine: {machine()}\n\nCommand: `{command}`\n\n"
        f"Started {started}; finished {time.strftime('%H:%M UTC', time.gmtime())}, "
        f"{load_average()}.\n\n"
    )
    if rows:
        report += (
            "### Builds: CPU (user + system, Pagefind's included)\n\n" + cpu_table(rows) + "\n\n"
        )
        report += "### Builds: peak memory\n\n" + memory_table(rows) + "\n\n"
        report += "### Builds: wall time and sizes\n\n" + wall_table(rows) + "\n\n"
        report += "### The storybook's own work, by phase\n\n" + work_table(rows) + "\n\n"
        report += "### The storybook's own work, by section\n\n" + sections_table(rows) + "\n\n"
        report += "### MkDocs' work by kind of page\n\n" + pages_table(rows) + "\n\n"
        report += "### What each folder of the site weighs\n\n" + weights_table(rows) + "\n\n"
    if counts:
        report += "### Builds: instructions (callgrind)\n\n" + instructions_table(counts) + "\n\n"
    if serves:
        report += "### Edit to refresh under `mkdocs serve`\n\n" + serve_table(serves) + "\n"
    print("\n" + report)
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    return 0


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f}, {five:.1f}, {fifteen:.1f} on {os.cpu_count()} cores"


if __name__ == "__main__":
    sys.exit(main())

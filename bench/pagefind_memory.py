#!/usr/bin/env python3
"""Where Pagefind's memory and CPU go while it indexes a built site's stories:
``python bench/pagefind_memory.py SITE [--parts K]``.

It gathers the story pages of SITE (``stories/*/index.html``, hard links) as the build does,
runs Pagefind on them with the build's own arguments (``storybook.plugin.search``), and
prints each of Pagefind's stages with the time it began and Pagefind's memory then, Pagefind's
peak memory and its CPU (user + system). With ``--parts K`` it indexes the
stories in parts of K, one after the other, each into an index of its own, as a site searching
several indexes merged in the browser would (Pagefind's ``mergeIndex``): the peak is the
largest part's, the CPU all of theirs.

Pagefind holds every page it has read until it has written the index, then a copy of each
(its languages) and the index built from them: its peak grows with the number of pages,
whatever its settings. See bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storybook.plugin.search import pagefind_command  # noqa: E402

STORIES = "stories/*/index.html"
SAMPLE_S = 0.02
# Lines of Pagefind's output that begin a stage it does not name.
STAGES = {"Total:": "Writing files (the index is built)"}


@dataclass
class Indexing:
    pages: int
    cpu_seconds: float
    peak_mib: float  # the most Pagefind held at once (its last VmHWM)
    stages: list[tuple[float, str, float]] = field(default_factory=list)  # seconds, name, MiB


def story_pages(site: Path) -> list[Path]:
    return sorted(site.glob(STORIES))


def gather(site: Path, pages: list[Path], folder: Path) -> None:
    """Links ``pages`` into ``folder`` at their addresses in ``site``, as the build does."""
    for page in pages:
        target = folder / page.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(page, target)


def memory_mib(pid: int) -> tuple[float, float]:
    """What the process holds now and the most it has held (0, 0 once it has ended). Not
    the kernel's rusage: its peak counts the Python process Pagefind was started from."""
    found = {"VmRSS:": 0.0, "VmHWM:": 0.0}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                name, *value = line.split()
                if name in found:
                    found[name] = int(value[0]) / 1024
    except OSError:
        pass
    return found["VmRSS:"], found["VmHWM:"]


def index(program: Path, pages_folder: Path, output: Path, pages: int) -> Indexing:
    """Runs Pagefind on ``pages_folder`` as the build does, its stages printed."""
    command = pagefind_command(program, pages_folder, output, "en", silent=False)
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    last = [0.0, 0.0]  # now, most
    ended = threading.Event()

    def sample() -> None:  # the latest figures, for the stage that begins and the peak
        while not ended.is_set():
            now, most = memory_mib(process.pid)
            if most:
                last[:] = [now, most]
            time.sleep(SAMPLE_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stages = []
    assert process.stdout is not None
    for line in process.stdout:
        stage = STAGES.get(line.strip()) or (line.strip("[]\n") if line.startswith("[") else "")
        if stage:  # Pagefind's "[Parsing files]"; after "Total:" it writes the index
            stages.append((time.monotonic() - start, stage, last[0]))
    # Its peak is the last VmHWM read (it holds it while it writes the index); its CPU, the
    # kernel's once it has ended.
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    ended.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"Pagefind failed (exit {process.returncode}) on {pages_folder}")
    stages.append((time.monotonic() - start, "ended", last[1]))
    cpu = usage.ru_utime + usage.ru_stime
    return Indexing(pages, cpu, last[1], stages)


def in_parts(program: Path, site: Path, size: int, work: Path) -> list[Indexing]:
    """Indexes the stories of ``site`` in parts of ``size``, one after the other."""
    pages = story_pages(site)
    runs = []
    for number, first in enumerate(range(0, len(pages), size)):
        part = pages[first : first + size]
        folder = work / f"part-{number}"
        gather(site, part, folder)
        runs.append(index(program, folder, work / f"index-{number}", len(part)))
    return runs


def report(site: Path, runs: list[Indexing]) -> str:
    pages = sum(run.pages for run in runs)
    lines = [f"{site}: {pages} story pages, load average {os.getloadavg()[0]:.2f}"]
    if len(runs) == 1:
        for seconds, name, mib in runs[0].stages:
            lines.append(f"  {seconds:7.2f} s  {mib:6.0f} MiB  {name}")
    cpu = sum(run.cpu_seconds for run in runs)
    largest = max(runs, key=lambda run: run.peak_mib)
    lines.append(
        f"  {len(runs)} index{'es' if len(runs) > 1 else ''}: CPU {cpu:.2f} s "
        f"({cpu / pages * 1000:.2f} ms a page), peak {largest.peak_mib:.0f} MiB "
        f"({largest.peak_mib / largest.pages * 1024:.0f} KiB a page indexed at once)"
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    from pagefind.service import get_executable

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site folder (mkdocs build)")
    parser.add_argument("--parts", type=int, default=0, help="stories in each index (0: one)")
    args = parser.parse_args(argv)
    program = get_executable()
    if program is None:
        raise SystemExit("the Pagefind program (package pagefind_bin) is not installed")
    if not story_pages(args.site):
        raise SystemExit(f"{args.site}: no {STORIES} (build the site first)")
    with tempfile.TemporaryDirectory(prefix="pagefind-memory-") as work:
        size = args.parts or len(story_pages(args.site))
        runs = in_parts(program, args.site, size, Path(work))
        print(report(args.site, runs))
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The benchmark still runs end to end (at a tiny size; its timings are not checked here)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

BENCH = ROOT / "bench" / "build_bench.py"


def run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCH), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
    )


def test_bench_help() -> None:
    result = run_bench("--help")
    assert result.returncode == 0, result.stderr
    assert "--serve-sizes" in result.stdout


def tables(report: str, size: int) -> dict[str, list[str]]:
    """The rows for ``size`` of each table of the report, by the table's heading."""
    found = {}
    for block in report.split("### ")[1:]:
        heading, _, body = block.partition("\n")
        found[heading] = [line for line in body.splitlines() if line.startswith(f"| {size} |")]
    return found


def test_bench_builds_and_serves_a_tiny_library(tmp_path: Path) -> None:
    output = tmp_path / "results.md"
    args = ["--sizes", "4", "--serve-sizes", "4", "--edits", "1", "--repeat", "1"]
    args += ["--workdir", str(tmp_path)]
    result = run_bench(*args, "--output", str(output))
    assert result.returncode == 0, result.stdout + result.stderr
    report = output.read_text(encoding="utf-8")
    assert "Command: `python bench/build_bench.py --sizes 4 " in report
    assert report.count("load average") >= 2, "the machine's load beside the figures"
    rows = tables(report, 4)
    # Plain MkDocs, the storybook with Material's search and the default build with
    # Pagefind's, side by side: CPU, memory, and what indexing takes of the default build.
    (cpu,) = rows["Builds: CPU (user + system, Pagefind's included)"]
    assert cpu.count(" s |") == 4 and cpu.split(" | ")[7].endswith("%"), cpu
    (memory,) = rows["Builds: peak memory"]
    assert memory.count("MiB") == 5, memory
    (work,) = rows["The storybook's own work, by phase"]
    assert work.count("% of plain") == 2, work
    assert any(line.startswith("| 4 | stories | 4 | ") for line in rows[SECTIONS]), rows[SECTIONS]
    # MkDocs' work by kind of page: both builds make the stories' pages; a learner build made
    # for no room makes no projector pages.
    pages = rows["MkDocs' work by kind of page"]
    assert any(line.startswith("| 4 | stories/ | 4, ") and "| 4, " in line for line in pages)
    assert not any(line.startswith("| 4 | present/") for line in pages), pages
    assert any(line.startswith("| 4 | Material's search index | ") for line in pages)
    # Nothing dead: the default build has Pagefind's index and not Material's.
    weights = rows["What each folder of the site weighs"]
    assert any(line.startswith("| 4 | search/ | none | ") for line in weights), weights
    assert any(
        line.startswith("| 4 | pagefind/ | ") and "| none | none |" in line for line in weights
    )
    assert report.count("(4 stories)") == 2, "every story is in both search indexes"
    for mode in ("plain", "storybook", "storybook-dirty"):
        row = next(line for line in rows[SERVE] if line.startswith(f"| 4 | {mode} |"))
        assert row.endswith("| yes |"), row
    assert len(list((tmp_path / "n4" / "storybook" / "stories").glob("*.md"))) == 4


SECTIONS = "The storybook's own work, by section"
SERVE = "Edit to refresh under `mkdocs serve`"


def test_search_bench_times_every_engine_on_a_tiny_library(tmp_path: Path) -> None:
    """bench/search_bench.py runs end to end at a tiny size, phone profile; no timing checked."""
    from .browser.conftest import CHROMIUM, unavailable

    if not CHROMIUM.is_file():
        unavailable(f"no Chromium at {CHROMIUM} (make test installs Debian's chromium)")
    output = tmp_path / "search.md"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "search_bench.py"), "--quick", "--profiles",
         "phone", "--workdir", str(tmp_path / "work"), "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
             "CHROMIUM": str(CHROMIUM)},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line for line in output.read_text(encoding="utf-8").splitlines() if "| 12 |" in line]
    engines = [row.split(" | ")[1:3] for row in rows]
    assert engines == [
        [engine, "phone"] for engine in ("lunr", "pagefind", "offline", "offline-lunr")
    ]
    for row in rows:
        assert "| yes |" in row, "the one story holding the word comes first"
        # The common word's search listed every story holding it (it waits until it does).
        assert re.search(r"\| \d+\.\d\d s \(\d+ stories\) \|", row), row
    # Every figure with the command that made it and the machine's load.
    report = output.read_text(encoding="utf-8")
    assert report.startswith("Command: `python bench/search_bench.py --quick --profiles phone")
    assert "load average (1, 5, 15 min) at the start" in report


def test_bench_counts_the_instructions_of_both_builds(tmp_path: Path) -> None:
    output = tmp_path / "results.md"
    args = ["--sizes", "", "--serve-sizes", "", "--instructions", "4", "--workdir", str(tmp_path)]
    result = run_bench(*args, "--output", str(output))
    assert result.returncode == 0, result.stdout + result.stderr
    (row,) = tables(output.read_text(encoding="utf-8"), 4)["Builds: instructions (callgrind)"]
    _, _, plain, lunr, ratio, _ = row.split("|")
    counts = [int(count.strip().replace(",", "")) for count in (plain, lunr)]
    # Each a whole build of MkDocs: Python's start alone runs some tens of millions.
    assert all(count > 100_000_000 for count in counts), row
    assert ratio.strip() == f"{counts[1] / counts[0]:.3f}", row
    # Counted from the built sites, both complete.
    for kind in ("plain", "lunr"):
        assert len(list((tmp_path / "n4" / f"site-{kind}" / "stories").glob("*/index.html"))) == 4

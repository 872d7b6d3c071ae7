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


def test_bench_builds_and_serves_a_tiny_library(tmp_path: Path) -> None:
    output = tmp_path / "results.md"
    args = ["--sizes", "4", "--serve-sizes", "4", "--edits", "1", "--repeat", "1"]
    args += ["--workdir", str(tmp_path)]
    result = run_bench(*args, "--output", str(output))
    assert result.returncode == 0, result.stdout + result.stderr
    report = output.read_text(encoding="utf-8")
    rows = [line for line in report.splitlines() if line.startswith("| 4 |")]
    page_rows = [line for line in rows if line.split("|")[2].strip().endswith("/")]
    build_rows = [line for line in rows if line not in page_rows]
    assert len(build_rows) == 6  # three build rows (time, size, own work), three serve rows
    # MkDocs' work by kind of page: both builds make the stories' pages, the storybook alone
    # the projector's.
    assert any(line.startswith("| 4 | stories/ | 4, ") and "| 4, " in line for line in page_rows)
    assert any(line.startswith("| 4 | present/ | 4, ") for line in page_rows), page_rows
    work = next(line for line in build_rows if line.endswith("of plain |"))
    assert work.count("% of plain") == 2, work
    assert "(4 stories)" in report, "every story is in the search index"
    for mode in ("plain", "storybook", "storybook-dirty"):
        row = next(line for line in build_rows if line.startswith(f"| 4 | {mode} |"))
        assert row.endswith("| yes |"), row
    assert len(list((tmp_path / "n4" / "storybook" / "stories").glob("*.md"))) == 4


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

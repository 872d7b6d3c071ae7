"""The serve benchmark still runs end to end (at a tiny size; its timings are not checked)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def test_serve_bench_times_every_start_on_a_tiny_library(tmp_path: Path) -> None:
    output = tmp_path / "results.md"
    result = subprocess.run(
        [
            *(sys.executable, str(ROOT / "bench" / "serve_bench.py"), "--size", "4"),
            *("--refresh-sizes", "4", "--edits", "1", "--workdir", str(tmp_path)),
            *("--output", str(output)),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = output.read_text(encoding="utf-8")
    for server in (
        "plain mkdocs serve",
        "storybook serve, cold",
        "storybook serve, warm",
        "storybook serve --room, warm",
    ):
        assert f"| {server} |" in report, report
    room = next(line for line in report.splitlines() if "--room, warm |" in line)
    assert room.split("|")[3].strip().endswith(" s"), "both editions of the room answered"
    assert "| 4 |" in report and "| yes |" in report, report
    # The warm starts reused the kept site.
    log = (tmp_path / "serve-bench-4.log").read_text(encoding="utf-8")
    assert "Reusing the site kept in" in log

"""bench/pagefind_memory.py runs Pagefind as the build does and says where its memory goes
(on four pages; no figure is checked, only that each is reported)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from storybook.plugin.search import available

from .conftest import ROOT

SCRIPT = ROOT / "bench" / "pagefind_memory.py"
PAGE = """<!doctype html><html lang="en"><body>
<article class="md-content__inner md-typeset"><h1>Story {n}</h1>
<p>A new manager meets the team on the first morning, story {n}.</p></article></body></html>
"""

pytestmark = pytest.mark.skipif(not available(), reason="the Pagefind program is not installed")


def built_site(root: Path, stories: int) -> Path:
    site = root / "site"
    for n in range(stories):
        page = site / "stories" / f"story-{n}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(PAGE.format(n=n), encoding="utf-8")
    (site / "index.html").write_text(PAGE.format(n="home"), encoding="utf-8")
    return site


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300
    )


def test_one_index_reports_each_stage_with_its_memory(tmp_path: Path) -> None:
    result = run(str(built_site(tmp_path, 4)))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'site'}: 4 story pages, load average ")
    stages = [line.split(" MiB  ")[1] for line in lines if " MiB  " in line]
    assert stages == [
        "Walking source directory",
        "Parsing files",
        "Reading languages",
        "Building search indexes",
        "Writing files (the index is built)",
        "ended",
    ]
    assert lines[-1].startswith("  1 index: CPU "), lines[-1]
    assert "KiB a page indexed at once" in lines[-1]


def test_parts_are_indexed_one_after_the_other(tmp_path: Path) -> None:
    result = run(str(built_site(tmp_path, 5)), "--parts", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 story pages" in result.stdout, "only the stories, not the home page"
    assert "  3 indexes: CPU " in result.stdout, result.stdout


def test_a_folder_without_stories_is_refused(tmp_path: Path) -> None:
    result = run(str(tmp_path))
    assert result.returncode != 0
    assert "no stories/*/index.html (build the site first)" in result.stderr

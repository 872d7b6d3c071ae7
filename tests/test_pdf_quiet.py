"""`storybook pdf` over a trainer's own file says only that it is kept: pypdf, asked whether
the file is a PDF this command wrote, must not add its own complaints about the file
("invalid pdf header", "EOF marker not found") to what the trainer reads (found by hostile2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .test_pdf import make_project

CLI = "from storybook.cli import main; main()"


@pytest.mark.parametrize("text", ["the trainer's notes", "%PDF-1.4 the trainer's own worksheet"])
def test_a_kept_file_is_named_once_and_nothing_else_is_said(tmp_path: Path, text: str) -> None:
    project = make_project(tmp_path / "mini")
    (project / "mine.pdf").write_text(text, encoding="utf-8")
    ran = subprocess.run(
        [sys.executable, "-c", CLI, "pdf", "story", "the-turn", "mine.pdf"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert ran.returncode == 1
    assert ran.stdout.splitlines() == [
        "mine.pdf: already exists and was not written by storybook pdf, so it is kept - "
        "choose another file name, or move that file away first"
    ]
    assert ran.stderr.strip() == "No PDF was written: 1 problem(s) in 1 file(s)."
    assert (project / "mine.pdf").read_text(encoding="utf-8") == text

"""One handout made: the page built through the pipeline, then written as a PDF."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storybook.core.project import read_project
from storybook.pdf.pages import HANDOUTS, Handout, print_page
from storybook.pdf.render import Written, write_pdf

__all__ = ["HANDOUTS", "Made", "make_handout"]


@dataclass(frozen=True)
class Made:
    """A PDF written: what it holds and where."""

    handout: Handout
    title: str
    written: Written


def make_handout(config_file: Path, kind: str, name: str, out: Path, *, paper: str = "A4") -> Made:
    """Write the ``kind`` of handout (workbook, pack, story) of ``name`` into ``out``."""
    project = read_project(config_file)
    handout = HANDOUTS[kind]
    page = print_page(project, handout, name)
    return Made(handout, page.running_title, write_pdf(project, page, out, paper=paper))

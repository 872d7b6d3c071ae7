"""`storybook pdf`: a workshop's workbook and facilitator pack, and a story's worksheet, as
PDF files to print: the pages the site shows, built through the pipeline in the edition each
belongs to, laid out with the site's print stylesheet by WeasyPrint."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storybook.core.project import read_project
from storybook.pdf.pages import HANDOUTS, Handout, PrintPage, print_page
from storybook.pdf.render import PAPER_SIZES, Written, write_pdf

__all__ = ["HANDOUTS", "PAPER_SIZES", "Handout", "Made", "PrintPage", "make_handout"]


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

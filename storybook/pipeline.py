"""The whole pipeline in one call: stories and templates in, Markdown pages and problems out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storybook.errors import Problem
from storybook.library import Library, load_library
from storybook.pages import build_pages
from storybook.render import Renderer


@dataclass
class BuildResult:
    """The pages that rendered (docs-relative path to Markdown) and every problem found."""

    pages: dict[str, str]
    problems: list[Problem]
    library: Library


def build_site(
    stories_dir: Path, templates_dir: Path, *, include_drafts: bool = False
) -> BuildResult:
    library = load_library(stories_dir, templates_dir)
    pages, problems = build_pages(library, Renderer(templates_dir), include_drafts=include_drafts)
    return BuildResult(
        pages={page.src_uri: page.content for page in pages},
        problems=library.problems + problems,
        library=library,
    )

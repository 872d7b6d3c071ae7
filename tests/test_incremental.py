"""`mkdocs serve --dirty`: only changed pages are rebuilt, and the site is still right.

Each test runs the builds `mkdocs serve --dirty` runs after a save (a fresh config, the same
persistent plugins, a dirty build into the same site folder) in this process, without the web
server, then compares the result with a clean `mkdocs build` of the same files.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from .conftest import build, own_template, run_mkdocs, search_index, story_text

SERVE_URL = "http://127.0.0.1:8999/"


class DirtyServe:
    def __init__(self, project: Path, *, make_views: bool = True) -> None:
        self.project = project
        self.site = project.parent / "served"
        config = self.config()
        config.plugins.on_startup(command="serve", dirty=True)
        self.plugins = config.plugins
        self.rebuild(config)
        # As `mkdocs serve` does once it answers: the build that makes the projector views
        # its first build left out (see storybook/plugin/deferred.py).
        if make_views:
            self.rebuild()

    def config(self) -> MkDocsConfig:
        config = load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = SERVE_URL
        return config

    def rebuild(self, config: MkDocsConfig | None = None) -> None:
        mkdocs_build(config or self.config(), serve_url=SERVE_URL, dirty=True)

    def close(self) -> None:
        self.plugins.on_shutdown()

    def html(self, url: str) -> str:
        return (self.site / url / "index.html").read_text(encoding="utf-8")

    def built_at(self) -> dict[str, int]:
        return {str(p.relative_to(self.site)): p.stat().st_mtime_ns for p in self.pages()}

    def pages(self) -> list[Path]:
        return sorted(self.site.rglob("*.html"))

    def index(self) -> list[dict[str, Any]]:
        return search_index(self.site)


@pytest.fixture
def library(mini_project: Callable[..., Path]) -> Path:
    stories = {f"s{i}.md": story_text(title=f"Story {i}") for i in range(6)}
    stories["s5.md"] = story_text(title="Story 5", tags="[wellbeing, feedback]")
    stories["s0.md"] = story_text(title="Story 0", tags="[coaching]")  # related to none
    project = mini_project(stories)
    # Served, the site is searched with Material's index; so is the clean build it is
    # compared with (a site that Pagefind searches writes none).
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("  - storybook\n", "  - storybook:\n      search: lunr\n"), "utf-8"
    )
    return project


@pytest.fixture
def serve(library: Path) -> Iterator[DirtyServe]:
    server = DirtyServe(library)
    try:
        yield server
    finally:
        server.close()


def clean_index(project: Path) -> list[dict[str, Any]]:
    """The search index a clean `mkdocs build` of the same files writes (in its own process,
    as a user would run it: in this one, the search plugin remembers the served index)."""
    site = project.parent / "clean-site"
    result = run_mkdocs(project, "-q", "-d", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    return search_index(site)


def finish(server: DirtyServe) -> list[dict[str, Any]]:
    """Stop serving; returns the served search index."""
    index = server.index()
    server.close()
    return index


def test_editing_a_story_rebuilds_its_page_only_and_search_stays_complete(
    serve: DirtyServe,
) -> None:
    before = serve.built_at()
    story = serve.project / "stories" / "s1.md"
    story.write_text(story_text(title="Story 1", body="The EDITMARKER body."), "utf-8")
    serve.rebuild()

    assert "EDITMARKER" in serve.html("stories/s1")
    after = serve.built_at()
    rebuilt = {page for page in after if after[page] != before.get(page)}
    # The story's projector view shows the same body.
    assert rebuilt == {"stories/s1/index.html", "present/s1/index.html", "404.html"}
    served = finish(serve)
    assert {doc["location"].split("#")[0] for doc in served} >= {f"stories/s{i}/" for i in range(6)}
    assert any("EDITMARKER" in doc["text"] for doc in served)
    assert served == clean_index(serve.project)


def test_a_new_title_reaches_home_and_tag_pages_and_a_deleted_story_disappears(
    serve: DirtyServe,
) -> None:
    stories = serve.project / "stories"
    (stories / "s5.md").write_text(
        story_text(title="Renamed NEWTITLE", tags="[wellbeing, feedback]"), "utf-8"
    )
    (stories / "s2.md").unlink()
    (stories / "fresh.md").write_text(story_text(title="A FRESHSTORY"), "utf-8")
    before = serve.built_at()
    serve.rebuild()

    for url in ("", "tags/wellbeing", "tags/feedback", "stories/s5"):
        assert "NEWTITLE" in serve.html(url), url
    assert "FRESHSTORY" in serve.html("") and "FRESHSTORY" in serve.html("stories/fresh")
    assert "Story 2" not in serve.html("")
    assert not (serve.site / "stories" / "s2").exists()
    assert serve.built_at()["stories/s0/index.html"] == before["stories/s0/index.html"]
    assert "NEWTITLE" in serve.html("stories/s1"), "s1 lists s5 among its related stories"
    served = finish(serve)
    assert not any(doc["location"].startswith("stories/s2/") for doc in served)
    assert served == clean_index(serve.project)


def test_a_template_edit_rebuilds_every_story(serve: DirtyServe) -> None:
    template = own_template(serve.project, "story.md.j2")
    template.write_text(template.read_text("utf-8") + "\nTEMPLATEMARK\n", "utf-8")
    serve.rebuild()
    for i in range(6):
        assert "TEMPLATEMARK" in serve.html(f"stories/s{i}")
    assert finish(serve) == clean_index(serve.project)


def test_changing_anything_but_stories_rebuilds_every_page(serve: DirtyServe) -> None:
    config = serve.project / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("Test storybook", "Renamed SITEMARK"), "utf-8"
    )
    serve.rebuild()
    for page in serve.pages():
        assert "SITEMARK" in page.read_text("utf-8"), page

    (serve.project / "docs" / "extra.md").write_text("# Extra EXTRAMARK page\n", "utf-8")
    before = serve.built_at()
    serve.rebuild()
    after = serve.built_at()
    assert "EXTRAMARK" in serve.html("extra")
    assert all(after[page] != before[page] for page in before), "every page is rebuilt"
    assert finish(serve) == clean_index(serve.project)


def test_a_broken_story_shows_on_every_page_and_the_fix_clears_it(serve: DirtyServe) -> None:
    story = serve.project / "stories" / "s3.md"
    story.write_text(story_text(title="Story 3").replace('"Story 3"', "Oops: colon"), "utf-8")
    serve.rebuild()
    for page in serve.pages():
        if page.name != "404.html":  # a theme page, not one of the site's pages
            assert "storybook-problems" in page.read_text("utf-8"), page
    assert "Story 3" in serve.html("stories/s3"), "the last good version is still served"

    story.write_text(story_text(title="Story 3 fixed"), "utf-8")
    serve.rebuild()
    for page in serve.pages():
        assert "storybook-problems" not in page.read_text("utf-8"), page
    assert "Story 3 fixed" in serve.html("stories/s3")
    assert finish(serve) == clean_index(serve.project)


def test_after_a_failed_build_every_page_is_rebuilt(serve: DirtyServe) -> None:
    before = serve.built_at()
    serve.plugins.on_build_error(error=RuntimeError("stopped half-way"))
    serve.rebuild()
    after = serve.built_at()
    assert all(after[page] != before[page] for page in before)
    assert finish(serve) == clean_index(serve.project)


def test_nav_titles_of_pages_that_are_not_rebuilt_are_kept(library: Path) -> None:
    (library / "docs" / "about.md").write_text("# About NAVTITLE\n\nText.\n", "utf-8")
    config = library / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "  - about.md\n", "utf-8")
    server = DirtyServe(library)
    try:
        (library / "stories" / "s0.md").write_text(story_text(title="Story 0 edited"), "utf-8")
        server.rebuild()
        assert "Story 0 edited" in server.html("stories/s0")
        nav = server.html("stories/s0").split('class="md-nav md-nav--primary"', 1)[1]
        assert "About NAVTITLE" in nav
    finally:
        server.close()


def test_strict_sites_serve_dirty_and_nothing_is_written_into_the_project(
    sample_project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    before = {path for path in sample_project.rglob("*")}
    with caplog.at_level(logging.INFO):
        server = DirtyServe(sample_project)  # mkdocs.yml says strict: true
    try:
        story = sample_project / "stories" / "camera-off.md"
        story.write_text(story.read_text("utf-8") + "\nSTRICTMARK\n", "utf-8")
        server.rebuild()
        assert "STRICTMARK" in server.html("stories/camera-off")
        mirror = server.plugins["storybook"].dirty.mirror.root  # type: ignore[attr-defined]
        assert mirror is not None and mirror.is_dir()
        assert sample_project not in mirror.parents
    finally:
        server.close()
    assert not mirror.exists(), "the mirror of rendered pages is removed when serving stops"
    assert {path for path in sample_project.rglob("*")} == before
    dirty = [r for r in caplog.records if "only the pages that changed" in r.getMessage()]
    assert dirty and all(record.levelno == logging.INFO for record in dirty)
    assert not any("'dirty' build" in r.getMessage() for r in caplog.records)


def test_a_build_after_serving_in_the_same_process_inherits_nothing(serve: DirtyServe) -> None:
    """MkDocs keeps plugins for the life of a process, as in this test session."""
    (serve.project / "stories" / "s1.md").write_text(story_text(title="Story 1 edited"), "utf-8")
    serve.rebuild()
    served = finish(serve)
    other = serve.project.parent / "other"
    shutil.copytree(serve.project, other)
    (other / "stories" / "s3.md").unlink()
    index = search_index(build(other))
    assert index == clean_index(other)
    assert index != served

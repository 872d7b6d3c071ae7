"""A save re-reads only the story files it changed (stat signatures), and MkDocs lists the
theme's files once per server, never serving a stale story or a stale theme file."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Literal

import jinja2
import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, get_files

import storybook.core.cache
import storybook.plugin.serve
from storybook.core.cache import StoryCache
from storybook.core.load import read_bounded, scan_stories_folder
from storybook.plugin.serve import remember_theme_files
from storybook.sections import build_site

from .conftest import THREE_TAGS, cached_build, story_text, uncached_build

HOUR_NS = 3600 * 10**9


def later() -> int:
    """A clock an hour ahead: every file written by the test is well before its reads."""
    return time.time_ns() + HOUR_NS


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The story files whose bytes the cache reads (not the templates)."""
    seen: list[str] = []

    def counting(path: Path, *args: Any) -> bytes:
        if path.parent.name == "stories":
            seen.append(path.name)
        return read_bounded(path, *args)

    monkeypatch.setattr(storybook.core.cache, "read_bounded", counting)
    return seen


def test_a_save_reads_only_the_story_file_it_changed(three: Path, reads: list[str]) -> None:
    cache = StoryCache(clock=later)
    cached_build(three, cache)
    assert sorted(reads) == ["a.md", "b.md", "c.md"]
    reads.clear()
    cached_build(three, cache)
    assert reads == []

    (three / "stories" / "b.md").write_text(
        story_text(title="b", tags=THREE_TAGS["b"], body="NEWBODY"), "utf-8"
    )
    pages = cached_build(three, cache)
    assert reads == ["b.md"]
    assert "NEWBODY" in pages["stories/b.md"]
    assert pages == uncached_build(three)


def test_an_edit_that_keeps_the_size_and_puts_the_mtime_back_is_still_seen(
    three: Path, reads: list[str]
) -> None:
    cache = StoryCache(clock=later)
    cached_build(three, cache)
    story = three / "stories" / "a.md"
    before = story.stat()
    text = story.read_text("utf-8")
    story.write_text(text.replace('title: "a"', 'title: "z"'), "utf-8")
    os.utime(story, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert story.stat().st_size == before.st_size
    reads.clear()
    pages = cached_build(three, cache)
    assert reads == ["a.md"]
    assert pages == uncached_build(three)
    assert "# z" in pages["stories/a.md"]


def test_a_file_changed_just_before_it_was_read_is_read_again_every_time(
    three: Path, reads: list[str]
) -> None:
    # Written just now: a later write could keep the same times, so the bytes stay the judge.
    cache = StoryCache()
    cached_build(three, cache)
    reads.clear()
    cached_build(three, cache)
    assert sorted(reads) == ["a.md", "b.md", "c.md"]


def test_new_and_deleted_stories_come_and_go(three: Path, reads: list[str]) -> None:
    cache = StoryCache(clock=later)
    cached_build(three, cache)
    reads.clear()
    (three / "stories" / "a.md").unlink()
    (three / "stories" / "d.md").write_text(story_text(title="d", tags="[wellbeing]"), "utf-8")
    pages = cached_build(three, cache)
    assert reads == ["d.md"]
    assert "stories/a.md" not in pages
    assert "stories/d.md" in pages
    assert pages == uncached_build(three)


def test_a_story_made_a_draft_is_withdrawn(three: Path) -> None:
    cache = StoryCache(clock=later)
    assert "stories/c.md" in cached_build(three, cache)
    (three / "stories" / "c.md").write_text(
        story_text(title="c", tags=THREE_TAGS["c"], extra="draft: true\n"), "utf-8"
    )
    pages = cached_build(three, cache)
    assert "stories/c.md" not in pages
    assert pages == uncached_build(three)


# -- the theme's files, listed once per server ----------------------------------------------


@pytest.fixture
def theme_project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", "utf-8")
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "extra.css").write_text("body {}\n", "utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\ntheme:\n  name: material\n  custom_dir: overrides\n", "utf-8"
    )
    an_hour_ago = time.time_ns() - HOUR_NS
    os.utime(tmp_path / "overrides", ns=(an_hour_ago, an_hour_ago))
    return tmp_path


@pytest.fixture
def listings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the theme's listings, starting from MkDocs' own method (an earlier test in this
    process may have started a server), which is put back as it was after the test."""
    listing = Files.add_files_from_theme
    monkeypatch.setattr(Files, "add_files_from_theme", getattr(listing, "mkdocs_own", listing))
    monkeypatch.setattr(storybook.plugin.serve, "_theme_listings", {})
    # A folder's ctime is now and cannot be set back: the server's clock is set ahead.
    monkeypatch.setattr(storybook.plugin.serve, "_clock", later)
    seen: list[int] = []
    list_templates = jinja2.Environment.list_templates

    def counting(self: jinja2.Environment, *args: Any, **kwargs: Any) -> list[str]:
        seen.append(1)
        return list_templates(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "list_templates", counting)
    return seen


def theme_files(config: MkDocsConfig, env: jinja2.Environment) -> list[tuple[str, str]]:
    files = get_files(config)
    files.add_files_from_theme(env, config)
    return [(file.src_uri, file.abs_src_path or "") for file in files]


def test_the_theme_is_listed_once_until_a_theme_folder_changes(
    theme_project: Path, listings: list[int]
) -> None:
    config = load_config(str(theme_project / "mkdocs.yml"))
    env = config.theme.get_env()
    as_mkdocs_lists = theme_files(config, env)
    assert listings == [1]
    remember_theme_files()

    assert theme_files(config, env) == as_mkdocs_lists
    assert theme_files(config, env) == as_mkdocs_lists
    assert len(listings) == 2, "listed once for the server, then kept"

    (theme_project / "docs" / "extra.css").write_text("/* the docs' own */\n", "utf-8")
    with_docs_file = theme_files(config, env)
    assert ("extra.css", str(theme_project / "docs" / "extra.css")) in with_docs_file
    assert ("extra.css", str(theme_project / "overrides" / "extra.css")) not in with_docs_file
    assert len(listings) == 2, "a docs file wins over the kept listing without listing again"

    (theme_project / "overrides" / "new.js").write_text("//\n", "utf-8")
    added = theme_files(config, env)
    assert ("new.js", str(theme_project / "overrides" / "new.js")) in added
    assert len(listings) == 3


@pytest.mark.parametrize(("command", "kept"), [("serve", True), ("build", False)])
def test_only_a_server_keeps_the_theme_listing(
    three: Path, listings: list[int], command: Literal["serve", "build"], kept: bool
) -> None:
    config = load_config(str(three / "mkdocs.yml"))
    config.plugins.on_startup(command=command, dirty=False)
    assert getattr(Files.add_files_from_theme, "storybook_remembers", False) is kept


# -- the stories folder, scanned again only when a folder in it changed ----------------------


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The stories folders the cache scans for real."""
    seen: list[Path] = []

    def counting(stories_dir: Path) -> tuple[list[Path], list[Any]]:
        seen.append(stories_dir)
        return scan_stories_folder(stories_dir)

    monkeypatch.setattr(storybook.core.cache, "scan_stories_folder", counting)
    return seen


def test_an_unchanged_stories_folder_is_not_scanned_again(three: Path, scans: list[Path]) -> None:
    cache = StoryCache(clock=later)
    cached_build(three, cache)
    assert len(scans) == 1
    cached_build(three, cache)
    assert len(scans) == 1

    (three / "stories" / "more").mkdir()
    (three / "stories" / "more" / "d.md").write_text(story_text(title="d"), "utf-8")
    assert "stories/d.md" in cached_build(three, cache)
    assert len(scans) == 2
    cached_build(three, cache)
    assert len(scans) == 2
    (three / "stories" / "more" / "e.md").write_text(story_text(title="e"), "utf-8")
    pages = cached_build(three, cache)
    assert "stories/e.md" in pages, "a file added in a folder below is seen"
    assert pages == uncached_build(three)


def test_a_folder_with_a_link_is_scanned_every_time(three: Path, scans: list[Path]) -> None:
    # A link's target may go without the link's folder changing: the scan must say so.
    target = three / "elsewhere.md"
    target.write_text(story_text(title="linked"), "utf-8")
    (three / "stories" / "linked.md").symlink_to(target)
    cache = StoryCache(clock=later)
    assert "stories/linked.md" in cached_build(three, cache)
    target.unlink()
    result = build_site(
        three / "stories", three / "templates", cache=cache.prepare(three / "templates", {})
    )
    assert [(p.path.name, p.message) for p in result.problems] == [
        ("linked.md", "this link leads to no file")
    ]
    assert len(scans) == 2


def test_a_folder_changed_just_before_its_scan_is_scanned_again(
    three: Path, scans: list[Path]
) -> None:
    cache = StoryCache()  # the folder was made just now
    cached_build(three, cache)
    cached_build(three, cache)
    assert len(scans) == 2

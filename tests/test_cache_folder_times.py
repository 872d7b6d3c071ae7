"""The stories folder's scan is kept while its folders are unchanged: a folder whose mtime
was put back after a story was added (as `cp -a`, `rsync -a`, `tar x` and `unzip` do when
they copy a folder over an existing one) has still changed, and its new story is built."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config import load_config

from storybook.core.cache import StoryCache
from storybook.plugin.serve import remember_theme_files

from .conftest import cached_build, story_text, uncached_build
from .test_cache_signatures import (  # noqa: F401 (fixtures)
    later,
    listings,
    theme_files,
    theme_project,
)


def test_a_story_added_in_a_folder_whose_mtime_was_put_back_is_built(three: Path) -> None:
    project = three
    stories = project / "stories"
    cache = StoryCache(clock=later)
    cached_build(project, cache)
    before = os.stat(stories)
    (stories / "d.md").write_text(story_text(title="d"), "utf-8")
    os.utime(stories, ns=(before.st_atime_ns, before.st_mtime_ns))
    pages = cached_build(project, cache)
    assert "stories/d.md" in pages
    assert pages == uncached_build(project)


def test_a_theme_file_added_in_a_folder_whose_mtime_was_put_back_is_listed(
    theme_project: Path,  # noqa: F811
    listings: list[int],  # noqa: F811
) -> None:
    config = load_config(str(theme_project / "mkdocs.yml"))
    env = config.theme.get_env()
    remember_theme_files()
    theme_files(config, env)
    overrides = theme_project / "overrides"
    before = os.stat(overrides)
    (overrides / "new.js").write_text("//\n", "utf-8")
    os.utime(overrides, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert ("new.js", str(overrides / "new.js")) in theme_files(config, env)

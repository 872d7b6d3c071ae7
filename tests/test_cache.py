"""The caches behind fast rebuilds: never stale, and only redoing what changed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import jinja2
import pytest

import storybook.core.cache
from storybook.core import library, pages
from storybook.core.cache import StoryCache
from storybook.plugin.mirror import PageMirror, ThemeBytecode
from storybook.sections import build_site

from .conftest import THREE_TAGS, cached_build, own_template, story_text, uncached_build


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Records which story files the cache reads and renders for real."""
    seen: dict[str, list[str]] = {"read": [], "render": []}
    read, render = library.read_story, pages.render_story_page

    def counting_read(path: Path, *args: Any) -> Any:
        seen["read"].append(path.name)
        return read(path, *args)

    def counting_render(story: Any, *args: Any, **kwargs: Any) -> Any:
        seen["render"].append(story.path.name)
        return render(story, *args, **kwargs)

    monkeypatch.setattr(storybook.core.cache, "read_story", counting_read)
    monkeypatch.setattr(storybook.core.cache, "render_story_page", counting_render)
    return seen


def test_only_the_edited_story_is_read_and_rendered_again(
    three: Path, calls: dict[str, list[str]]
) -> None:
    cache = StoryCache()
    first = cached_build(three, cache)
    assert first == uncached_build(three)
    assert sorted(calls["read"]) == sorted(calls["render"]) == ["a.md", "b.md", "c.md"]

    calls["read"].clear()
    calls["render"].clear()
    assert cached_build(three, cache) == first
    assert calls == {"read": [], "render": []}

    (three / "stories" / "b.md").write_text(
        story_text(title="b", tags=THREE_TAGS["b"], body="NEWBODY"), "utf-8"
    )
    second = cached_build(three, cache)
    assert calls == {"read": ["b.md"], "render": ["b.md"]}
    assert "NEWBODY" in second["stories/b.md"]
    assert second == uncached_build(three)


def test_a_story_is_rendered_again_when_a_related_story_changes(
    three: Path, calls: dict[str, list[str]]
) -> None:
    cache = StoryCache()
    (three / "stories" / "c.md").write_text(story_text(title="c", tags="[feedback]"), "utf-8")
    cached_build(three, cache)
    calls["render"].clear()
    (three / "stories" / "c.md").write_text(
        story_text(title="c RENAMED", tags="[feedback]"), "utf-8"
    )
    pages = cached_build(three, cache)
    assert sorted(calls["render"]) == ["b.md", "c.md"], "b lists c as a related story"
    assert "c RENAMED" in pages["stories/b.md"]
    assert pages == uncached_build(three)


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(("story.md.j2", "\nTEMPLATE-MARK\n"), id="page template"),
        pytest.param(("tags.yml", "\n# a comment changes nothing but the bytes\n"), id="tags.yml"),
    ],
)
def test_any_change_in_the_templates_folder_renders_everything_again(
    three: Path, calls: dict[str, list[str]], edit: tuple[str, str]
) -> None:
    cache = StoryCache()
    cached_build(three, cache)
    calls["read"].clear()
    calls["render"].clear()
    name, addition = edit
    template = own_template(three, name)
    template.write_text(template.read_text("utf-8") + addition, "utf-8")
    pages = cached_build(three, cache)
    assert sorted(calls["render"]) == ["a.md", "b.md", "c.md"]
    assert pages == uncached_build(three)


def test_a_changed_setting_renders_everything_again(
    three: Path, calls: dict[str, list[str]]
) -> None:
    cache = StoryCache()
    cached_build(three, cache, edition="learner")
    calls["render"].clear()
    cached_build(three, cache, edition="facilitator")
    assert sorted(calls["render"]) == ["a.md", "b.md", "c.md"]


def test_a_broken_story_stays_broken_until_fixed_and_deleted_stories_are_forgotten(
    three: Path,
) -> None:
    cache = StoryCache()
    cached_build(three, cache)
    broken = three / "stories" / "a.md"
    broken.write_text(story_text(tags="[welbeing]"), "utf-8")
    for _ in range(2):  # the second time the problem comes from the cache
        result = build_site(
            three / "stories", three / "templates", cache=cache.prepare(three / "templates", {})
        )
        assert [(p.path.name, p.line) for p in result.problems] == [("a.md", 5)]
        assert "stories/a.md" not in result.pages
    broken.write_text(story_text(title="fixed", tags=THREE_TAGS["a"]), "utf-8")
    (three / "stories" / "c.md").unlink()
    pages = cached_build(three, cache)
    assert "fixed" in pages["stories/a.md"]
    assert "stories/c.md" not in pages
    assert pages == uncached_build(three)


def test_page_mirror_rewrites_only_changed_pages_and_removes_gone_ones(tmp_path: Path) -> None:
    mirror = PageMirror()
    root = tmp_path / "mirror"
    paths, changed = mirror.write(
        {"index.md": "home", "stories/a.md": "a", "stories/b.md": "b"}, root
    )
    assert changed == {"index.md", "stories/a.md", "stories/b.md"}
    assert paths["stories/a.md"] == root / "stories" / "a.md"
    assert paths["stories/a.md"].read_text("utf-8") == "a"
    os.utime(paths["stories/a.md"], ns=(1_000_000_000, 1_000_000_000))

    paths, changed = mirror.write({"index.md": "home 2", "stories/a.md": "a"}, root)
    assert changed == {"index.md"}
    assert paths["index.md"].read_text("utf-8") == "home 2"
    assert paths["stories/a.md"].stat().st_mtime_ns == 1_000_000_000, "left untouched"
    assert not (root / "stories" / "b.md").exists()

    other = tmp_path / "another-serve"
    paths, changed = mirror.write({"index.md": "home 2"}, other)
    assert changed == {"index.md"} and paths["index.md"].parent == other
    assert not root.exists(), "a new folder starts afresh and the old one is removed"
    mirror.close()
    assert not other.exists()


class CountingEnvironment(jinja2.Environment):
    compiled = 0

    def compile(self, *args: Any, **kwargs: Any) -> Any:
        CountingEnvironment.compiled += 1
        return super().compile(*args, **kwargs)


def test_theme_bytecode_is_reused_and_never_stale(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("one {{ x }}", "utf-8")
    cache = ThemeBytecode().for_config(b"site_name: A")

    def render() -> str:
        # MkDocs makes a new environment for every build; the cache outlives it.
        loader = jinja2.FileSystemLoader(tmp_path)
        env = CountingEnvironment(loader=loader, bytecode_cache=cache)
        return env.get_template("page.html").render(x=1)

    CountingEnvironment.compiled = 0
    assert render() == "one 1"
    assert render() == "one 1"
    assert CountingEnvironment.compiled == 1
    (tmp_path / "page.html").write_text("two {{ x }}", "utf-8")
    assert render() == "two 1"
    assert CountingEnvironment.compiled == 2
    cache.for_config(b"site_name: B")  # mkdocs.yml changed: compile again
    assert render() == "two 1"
    assert CountingEnvironment.compiled == 3

"""A save under `mkdocs serve --dirty` renders again only what it changed (issue 23).

The lists of stories (home, the themes index, each tag's pages) are rendered again only when
something they show changed; the projector views' front matter, already out of search, is
not read and written again on every save. The site stays right: see test_incremental.py,
which compares every served site with a clean build.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from storybook.core.pages import out_of_search
from storybook.core.render import Renderer
from storybook.plugin.deferred import PREPARING_WORDS as PREPARING

from .conftest import story_text
from .test_incremental import DirtyServe
from .test_serve import Server


@pytest.fixture
def served(mini_project: Callable[..., Path]) -> Iterator[DirtyServe]:
    stories = {f"s{i}.md": story_text(title=f"Story {i}") for i in range(4)}
    stories["s0.md"] = story_text(title="Story 0", tags="[coaching]")
    stories["s3.md"] = story_text(title="Story 3", tags="[wellbeing, feedback]")
    server = DirtyServe(mini_project(stories))
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The list pages whose templates run from now on, as 'template' or 'tag.md.j2 <tag>'."""
    seen: list[str] = []
    render = Renderer.render_template

    def counting(self: Renderer, name: str, **context: Any) -> str:
        if name in ("home.md.j2", "all-stories.md.j2", "tags.md.j2", "tag.md.j2"):
            tag = context.get("tag")
            seen.append(f"{name} {tag['name']}" if tag else name)
        return render(self, name, **context)

    monkeypatch.setattr(Renderer, "render_template", counting)
    return seen


def test_a_save_renders_again_only_the_lists_that_show_the_story(
    served: DirtyServe, rendered: list[str]
) -> None:
    story = served.project / "stories" / "s3.md"
    story.write_text(
        story_text(title="Story 3", tags="[wellbeing, feedback]", body="A BODYEDIT."), "utf-8"
    )
    served.rebuild()

    assert "BODYEDIT" in served.html("stories/s3")
    # Its view changed (its body), so the lists showing it run again; the themes index
    # (the same counts) and the coaching page (not showing it) do not.
    assert sorted(rendered) == ["home.md.j2", "tag.md.j2 feedback", "tag.md.j2 wellbeing"]
    rendered.clear()
    served.rebuild()
    assert rendered == [], "nothing changed: no list runs again"


def test_lists_follow_a_title_change_and_a_draft_leaves_them(served: DirtyServe) -> None:
    stories = served.project / "stories"
    (stories / "s3.md").write_text(
        story_text(title="NEWTITLE", tags="[wellbeing, feedback]"), "utf-8"
    )
    served.rebuild()
    for url in ("", "tags/wellbeing", "tags/feedback"):
        assert "NEWTITLE" in served.html(url), url
    assert "NEWTITLE" not in served.html("tags/coaching")

    (stories / "s3.md").write_text(
        story_text(title="NEWTITLE", tags="[wellbeing, feedback]", extra="draft: true\n"),
        "utf-8",
    )
    served.rebuild()
    for url in ("", "tags/wellbeing", "tags/feedback"):
        assert "NEWTITLE" not in served.html(url), url
    assert not (served.site / "stories" / "s3").exists()


def test_what_the_session_keeps_is_frozen_after_the_first_build_and_given_back_at_the_end(
    mini_project: Callable[..., Path],
) -> None:
    stories = {f"s{i}.md": story_text(title=f"Story {i}") for i in range(4)}
    served = DirtyServe(mini_project(stories), make_views=False)
    try:
        _frozen_after_the_first_build_only(served)
    finally:
        served.close()
    assert gc.get_freeze_count() == 0


def _frozen_after_the_first_build_only(served: DirtyServe) -> None:
    assert gc.get_freeze_count() == 0, "the first build froze nothing"
    served.rebuild()  # the build that makes the projector views, as serve's second
    kept = gc.get_freeze_count()
    assert kept > 0, "the second build began by freezing what the first one left"
    served.rebuild()
    # (fewer: frozen objects still go when nothing refers to them any more)
    assert gc.get_freeze_count() <= kept, "a save that rebuilds some pages freezes no more"


def test_a_remembering_renderer_runs_a_template_again_only_for_a_new_context(
    tmp_path: Path, rendered: list[str]
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    template = templates / "tags.md.j2"
    template.write_text("Kinds: {{ kinds | join(', ') }}\n", "utf-8")
    renderer = Renderer(templates, remember=True)

    assert renderer.render_page("tags/index.md", "tags.md.j2", kinds=["a"]) == "Kinds: a\n"
    assert renderer.render_page("tags/index.md", "tags.md.j2", kinds=["a"]) == "Kinds: a\n"
    assert len(rendered) == 1
    assert renderer.render_page("tags/index.md", "tags.md.j2", kinds=["b"]) == "Kinds: b\n"
    template.write_text("Now: {{ kinds | join(', ') }}\n", "utf-8")
    assert renderer.render_page("tags/index.md", "tags.md.j2", kinds=["b"]) == "Now: b\n"
    assert len(rendered) == 3

    once = Renderer(templates, reload=False)  # a single build's renderer remembers nothing
    once.render_page("tags/index.md", "tags.md.j2", kinds=["b"])
    once.render_page("tags/index.md", "tags.md.j2", kinds=["b"])
    assert len(rendered) == 5


def test_a_page_already_out_of_search_is_not_parsed_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = "---\ntitle: A story\ntemplate: x.html\nsearch:\n  exclude: true\n---\n\nText\n"

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("parsed again")

    monkeypatch.setattr(yaml, "safe_load", refuse)
    assert out_of_search(page) == page
    monkeypatch.undo()
    boosted = "---\ntitle: A\nsearch:\n  boost: 2\n---\n\nText\n"
    assert yaml.safe_load(out_of_search(boosted).split("---\n")[1]) == {
        "title": "A",
        "search": {"boost": 2, "exclude": True},
    }


def test_a_save_under_mkdocs_serve_dirty_keeps_the_index_whole_and_the_rest_untouched(
    mini_project: Callable[..., Path],
) -> None:
    stories = {f"s{i}.md": story_text(title=f"Story {i}") for i in range(4)}
    stories["s3.md"] = story_text(title="Story 3", tags="[coaching]")  # related to none
    project = mini_project(stories)
    server = Server(project, "--dirty")
    try:
        server.wait_for("/stories/s1/", lambda html: "Story 1" in html)
        # The projector views are made once the server answers (see deferred.py).
        server.wait_for("/present/s3/", lambda html: PREPARING not in html)
        (site,) = project.glob(".cache/storybook/serve/*/site")
        before = {path: path.stat().st_mtime_ns for path in site.rglob("*.html")}
        (project / "stories" / "s1.md").write_text(
            story_text(title="NEWTITLE", body="A SAVEDSENTENCE."), "utf-8"
        )
        server.wait_for("/stories/s1/", lambda html: "SAVEDSENTENCE" in html)
        server.wait_for("/", lambda html: "NEWTITLE" in html)
        server.wait_for("/tags/wellbeing/", lambda html: "NEWTITLE" in html)
        index = json.loads(server.get("/search/search_index.json"))["docs"]
        locations = {doc["location"].split("#")[0] for doc in index}
        assert locations >= {f"stories/s{i}/" for i in range(4)}
        assert any("SAVEDSENTENCE" in doc["text"] for doc in index)
        for untouched in ("stories/s3/index.html", "present/s3/index.html"):
            assert (site / untouched).stat().st_mtime_ns == before[site / untouched], untouched
    finally:
        server.stop()

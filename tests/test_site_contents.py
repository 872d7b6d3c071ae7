"""Nothing dead in a built site: no file that no page reads, no page that nobody can open.

A site that Pagefind searches has no Material index (search/search_index.json), while one
built with ``search: lunr`` keeps it; a learner site built for no room has no projector views,
while one served, or built for a room's projector, has them, and the facilitator edition
always has its presenter consoles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from storybook.core.editions import (
    FACILITATOR_EDITION,
    LEARNER_EDITION,
    ROOM_EDITION_VARIABLE,
)
from storybook.core.room_pages import (
    CONSOLE_URL_VARIABLE,
    JOIN_URL_VARIABLE,
    PROJECTOR_URL_VARIABLE,
    RoomSettings,
    room_of_build,
)

from .conftest import build, build_edition, story_text

ROOM_VARIABLES = (
    CONSOLE_URL_VARIABLE,
    JOIN_URL_VARIABLE,
    PROJECTOR_URL_VARIABLE,
    ROOM_EDITION_VARIABLE,
)


@pytest.fixture(autouse=True)
def no_room(monkeypatch: pytest.MonkeyPatch) -> None:
    """No room variable from the shell that runs the tests."""
    for variable in ROOM_VARIABLES:
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def project(mini_project: Callable[..., Path]) -> Path:
    return mini_project({"one.md": story_text(title="First title", body="A caregiving week.")})


def with_search(project: Path, engine: str) -> Path:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("  - storybook\n", f"  - storybook:\n      search: {engine}\n"),
        encoding="utf-8",
    )
    return project


def test_a_site_that_pagefind_searches_has_no_index_of_materials(project: Path) -> None:
    site = build(project)
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    assert not (site / "search").exists(), "no page reads Material's index"
    page = (site / "stories" / "one" / "index.html").read_text(encoding="utf-8")
    # Material's search box stays, answered by Pagefind.
    assert 'data-md-component="search"' in page and "assets/pagefind-search.js" in page


def test_a_site_built_with_lunr_keeps_materials_index(project: Path) -> None:
    site = build(with_search(project, "lunr"))
    assert not (site / "pagefind").exists()
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "A caregiving week." in index
    page = (site / "stories" / "one" / "index.html").read_text(encoding="utf-8")
    assert "assets/pagefind-search.js" not in page


def test_a_learner_site_built_for_no_room_has_no_projector_views(project: Path) -> None:
    learner = build_edition(project, "learner")
    assert (learner / "stories" / "one" / "index.html").is_file()
    assert not (learner / "present").exists()
    facilitator = build_edition(project, "facilitator")
    assert (facilitator / "console" / "one" / "index.html").is_file()


@pytest.mark.parametrize("variable", [CONSOLE_URL_VARIABLE, JOIN_URL_VARIABLE])
def test_a_learner_site_built_for_a_rooms_projector_has_its_views(
    project: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "http://192.168.1.20:8001/")
    site = build_edition(project, "learner")
    assert "First title" in (site / "present" / "one" / "index.html").read_text(encoding="utf-8")


def test_a_console_address_in_mkdocs_yml_makes_the_projector_views_too(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("  - storybook\n", "  - storybook:\n      console_url: http://x.test:8001/\n"),
        encoding="utf-8",
    )
    page = build(project) / "present" / "one" / "index.html"
    assert 'data-console="http://x.test:8001"' in page.read_text(encoding="utf-8")


def test_the_room_pages_are_made_where_a_room_can_open_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    learner, facilitator = LEARNER_EDITION, FACILITATOR_EDITION
    assert room_of_build({}, edition=learner, serving=False) is None
    assert room_of_build({}, edition=learner, serving=True) == RoomSettings()
    assert room_of_build({}, edition=facilitator, serving=False) == RoomSettings()
    told = room_of_build({"join_url": "http://10.0.0.2:8000/"}, edition=learner, serving=False)
    assert told == RoomSettings(join_url="http://10.0.0.2:8000/")
    assert room_of_build({"console_url": " "}, edition=learner, serving=False) is None
    monkeypatch.setenv(ROOM_EDITION_VARIABLE, "learner")  # what storybook serve --room sets
    assert room_of_build({}, edition=learner, serving=False) == RoomSettings()

"""A save never waits for the projector views a cold `mkdocs serve --dirty` makes after its
first answer: the build making them stops for it, the site shows the save, and the views are
made after it; a story saved with a problem never shows on the projector, and the view of a
story made a draft meanwhile is withdrawn, even one written before the save."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from storybook.plugin.deferred import GAVE_WAY, PREPARING_WORDS

from .conftest import free_port, story_text
from .test_serve import REBUILD_SECONDS
from .test_serve_reuse import KeptServer, served_once

# Holds the build that makes the projector views at its first projector view (of those named
# below), in the event named below, until a file is saved (the server wants a rebuild) or the test opens the gate.
# The hooks module is loaded again for every build: the server is kept where each finds it.
GATE = """\
import sys
import time
import types
from pathlib import Path

from mkdocs.plugins import event_priority

STATE = sys.modules.setdefault("storybook_test_gate", types.ModuleType("storybook_test_gate"))


def on_serve(server, **kwargs):
    STATE.server = server
    return server


def wait(page, config):
    server = getattr(STATE, "server", None)
    if server is None or not page.file.src_uri.startswith({held}):
        return
    root = Path(config.config_file_path).parent
    (root / "gate-waiting").touch()
    while not (root / "gate-open").exists() and not server._want_rebuild:
        time.sleep(0.05)


@event_priority(-100)  # after the storybook's own
def on_{event}(value, page, config, **kwargs):
    wait(page, config)
    return value
"""


def gated_project(
    make: Callable[..., Path], event: str, held: tuple[str, ...], stories: dict[str, str]
) -> Path:
    project = make(stories)
    (project / "gate.py").write_text(GATE.format(event=event, held=held), encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("hooks:\n  - gate.py\n")
    return project


def wait_for_file(path: Path, server: KeptServer) -> None:
    while not path.exists():
        assert server.process.poll() is None, server.log.read_text()
        time.sleep(0.05)


def wait_until_missing(server: KeptServer, path: str) -> None:
    deadline = time.monotonic() + REBUILD_SECONDS
    while not server.missing(path):
        assert time.monotonic() < deadline, f"{path} is still served\n{server.log.read_text()}"
        time.sleep(0.2)


@pytest.fixture
def converting(mini_project: Callable[..., Path]) -> Path:
    """Held as it converts its first projector view."""
    return gated_project(
        mini_project,
        "page_markdown",
        ("present/",),
        {
            "one.md": story_text(title="First story", body="The first telling."),
            "two.md": story_text(title="Second story", body="The second telling."),
        },
    )


@pytest.fixture
def writing(mini_project: Callable[..., Path]) -> Path:
    """Held as it writes its first projector view (the views are all converted by then)."""
    return gated_project(
        mini_project,
        "page_context",
        # Not three's: the rebuild after the save serves its last good projector view.
        ("present/one", "present/two"),
        {
            "one.md": story_text(title="First story"),
            "two.md": story_text(title="Second story"),
            "three.md": story_text(title="Third story", body="Told well."),
        },
    )


def test_a_save_is_shown_before_the_projector_views_are_made(converting: Path) -> None:
    def check(server: KeptServer) -> None:
        server.wait_for("/stories/one/", lambda html: "The first telling." in html)
        wait_for_file(converting / "gate-waiting", server)  # the views are being made
        (converting / "stories" / "one.md").write_text(
            story_text(title="First story", body="Retold while the views were made."),
            encoding="utf-8",
        )
        # Shown while the gate still holds the projector views: the save did not wait.
        server.wait_for("/stories/one/", lambda html: "Retold while the views" in html)
        assert not (converting / "gate-open").exists()
        assert PREPARING_WORDS in server.get("/present/two/")
        server.wait_for_log(GAVE_WAY)
        index = server.get("/search/search_index.json")
        assert "Retold while the views" in index and "Second story" in index

        (converting / "gate-open").touch()
        present = server.wait_for("/present/one/", lambda html: PREPARING_WORDS not in html)
        assert "storybook-present" in present and "Retold while the views" in present
        present = server.wait_for("/present/two/", lambda html: PREPARING_WORDS not in html)
        assert "The second telling." in present

    log = served_once(converting, free_port(), 1, check)
    assert "Rebuilding every page" not in log, log
    assert "Error reading page" not in log and "Traceback" not in log, log


def test_a_save_during_the_projector_views_withdraws_the_views_of_new_drafts(
    writing: Path,
) -> None:
    stories = writing / "stories"

    def check(server: KeptServer) -> None:
        server.wait_for("/stories/three/", lambda html: "Told well." in html)
        wait_for_file(writing / "gate-waiting", server)  # the first view is being written
        for name, title in (("one.md", "First story"), ("two.md", "Second story")):
            (stories / name).write_text(
                story_text(title=title, extra="draft: true\n"), encoding="utf-8"
            )
        wait_until_missing(server, "/stories/one/")
        wait_until_missing(server, "/stories/two/")
        server.wait_for_log(GAVE_WAY)

        (writing / "gate-open").touch()
        present = server.wait_for("/present/three/", lambda html: PREPARING_WORDS not in html)
        assert "Told well." in present
        # One of them was written before the save, the other one was not yet.
        for slug in ("one", "two"):
            wait_until_missing(server, f"/present/{slug}/")

    log = served_once(writing, free_port(), 1, check)
    assert "Rebuilding every page" not in log, log
    assert "Error reading page" not in log and "Traceback" not in log, log


def test_a_story_saved_with_a_problem_during_the_projector_views_never_shows_on_them(
    writing: Path,
) -> None:
    def check(server: KeptServer) -> None:
        server.wait_for("/stories/three/", lambda html: "Told well." in html)
        wait_for_file(writing / "gate-waiting", server)
        (writing / "stories" / "three.md").write_text(
            story_text(title="Third story", tags="[no-such-tag]", body="Tpyo text."),
            encoding="utf-8",
        )
        server.wait_for("/stories/three/", lambda html: "no-such-tag" in html)
        server.wait_for_log(GAVE_WAY)

        (writing / "gate-open").touch()
        for slug in ("one", "two", "three"):
            server.wait_for(f"/present/{slug}/", lambda html: PREPARING_WORDS not in html)
        present = server.get("/present/three/")
        assert "Told well." in present and "Tpyo" not in present

    log = served_once(writing, free_port(), 1, check)
    assert "Error reading page" not in log and "Traceback" not in log, log

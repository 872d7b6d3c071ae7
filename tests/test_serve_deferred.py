"""A cold `mkdocs serve --dirty` of the learner edition answers before its projector views are
made, serves every other page and the whole search index while they are made, then serves
them; a warm start, whose site has them, makes none later."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from storybook.core.editions import LEARNER_EDITION
from storybook.plugin.servedir import SITE, serve_folder

from .conftest import free_port, story_text
from .test_serve import epoch_of
from .test_serve_reuse import KeptServer, served_once

# Holds the build that makes the projector views (the first after the site was served, when
# each projector view's address has a page saying it is being prepared) until the test opens
# the gate: the test looks at the server while that build is under way.
GATE = """\
import time
from pathlib import Path

from mkdocs.plugins import event_priority


@event_priority(-100)  # after the storybook's own
def on_pre_build(config, **kwargs):
    gate = Path(config.config_file_path).parent / "gate-open"
    preparing = Path(config.site_dir) / "present" / "one" / "index.html"
    if preparing.is_file() and "being prepared" in preparing.read_text(encoding="utf-8"):
        (gate.parent / "gate-waiting").touch()
        while not gate.exists():
            time.sleep(0.05)
"""
PREPARING = "The projector view is being prepared"


@pytest.fixture
def gated(mini_project: Callable[..., Path]) -> Path:
    project = mini_project(
        {
            "one.md": story_text(title="First story", body="The first telling."),
            "two.md": story_text(title="Second story"),
            "wip.md": story_text(title="Work in progress", extra="draft: true\n"),
        }
    )
    (project / "gate.py").write_text(GATE, encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("hooks:\n  - gate.py\n")
    return project


def test_a_cold_serve_answers_before_the_projector_views_are_made_then_serves_them(
    gated: Path,
) -> None:
    def check(server: KeptServer) -> None:
        server.wait_for("/stories/one/", lambda html: "The first telling." in html)
        server.wait_for_log("Making the projector views; the site is served meanwhile")
        # The projector views are being made (the gate holds their build): every other page
        # and the whole search index are served meanwhile, not held until that build ends.
        assert "First story" in server.get("/", timeout=10)
        index = server.get("/search/search_index.json", timeout=10)
        assert "First story" in index and "Second story" in index
        preparing = server.get("/present/one/", timeout=10)
        assert PREPARING in preparing and 'http-equiv="refresh"' in preparing
        assert "First story" not in preparing
        # A draft has no projector view, not even a page saying it is being prepared.
        assert server.missing("/present/wip/")

        (gated / "gate-open").touch()
        present = server.wait_for("/present/one/", lambda html: PREPARING not in html)
        assert "storybook-present" in present and "The first telling." in present
        assert "Second story" in server.get("/present/two/")
        assert server.missing("/present/wip/")
        index = server.get("/search/search_index.json")
        assert "First story" in index and "Second story" in index

    log = served_once(gated, free_port(), 1, check)
    assert "The projector views are made once the site is served" in log
    assert "Detected file changes" not in log, log
    assert "Traceback" not in log


def test_a_story_saved_before_the_projector_views_are_made_is_shown_on_every_page(
    gated: Path,
) -> None:
    def check(server: KeptServer) -> None:
        page = server.wait_for("/stories/one/", lambda html: "The first telling." in html)
        epoch = epoch_of(page)
        server.wait_for_log("Making the projector views")
        (gated / "stories" / "one.md").write_text(
            story_text(title="First story", body="Retold before the views were made."),
            encoding="utf-8",
        )
        (gated / "stories" / "two.md").write_text(
            story_text(title="Second story", extra="draft: true\n"), encoding="utf-8"
        )
        (gated / "gate-open").touch()
        # That build holds the requests and reloads the browsers, as a rebuild does.
        assert server.next_epoch(epoch) > epoch
        for path in ("/stories/one/", "/present/one/"):
            page = server.wait_for(path, lambda html: "Retold before the views were made." in html)
            assert PREPARING not in page and "The first telling." not in page, path
        # A story made a draft meanwhile has neither a projector view nor a page saying
        # that one is on its way.
        assert server.missing("/stories/two/") and server.missing("/present/two/")

    served_once(gated, free_port(), 1, check)


def test_a_warm_start_serves_the_projector_views_it_kept(gated: Path) -> None:
    (gated / "gate-open").touch()
    port = free_port()

    def made(server: KeptServer) -> None:
        server.wait_for("/present/one/", lambda html: "storybook-present" in html)

    served_once(gated, port, 1, made)

    def kept(server: KeptServer) -> None:
        page = server.wait_for("/stories/one/", lambda html: "The first telling." in html)
        assert "First story" in page
        present = server.get("/present/one/")
        assert "storybook-present" in present and PREPARING not in present

    log = served_once(gated, port, 2, kept)
    assert "Reusing the site kept in" in log
    assert "The projector views are made once the site is served" not in log, log


def test_a_server_stopped_while_making_the_projector_views_keeps_its_site(gated: Path) -> None:
    port = free_port()

    def stopped_while_making_them(server: KeptServer) -> None:
        server.wait_for("/stories/one/", lambda html: "The first telling." in html)
        while not (gated / "gate-waiting").exists():  # that build is under way
            assert server.process.poll() is None
            time.sleep(0.05)

    served_once(gated, port, 1, stopped_while_making_them)
    story_page = serve_folder(gated, LEARNER_EDITION) / SITE / "stories" / "one" / "index.html"
    built = story_page.stat().st_mtime_ns
    (gated / "gate-open").touch()

    def warm(server: KeptServer) -> None:
        present = server.wait_for("/present/one/", lambda html: "storybook-present" in html)
        assert "The first telling." in present and PREPARING not in present
        index = server.get("/search/search_index.json")
        assert "First story" in index and "Second story" in index

    log = served_once(gated, port, 2, warm)
    assert "Reusing the site kept in" in log, log
    # Its site has no projector views yet: this start, too, answers before making them.
    assert "The projector views are made once the site is served" in log, log
    assert story_page.stat().st_mtime_ns == built, "the next start rebuilt every page"

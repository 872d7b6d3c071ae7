"""Under `mkdocs serve --dirty`, a save hands MkDocs only the projector views whose page
changed: the others are left as they are, still served, and a story made a draft or deleted
still loses its view."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from storybook.plugin.deferred import PREPARING_WORDS

from .conftest import free_port, own_template, story_text
from .test_serve_give_way import wait_until_missing
from .test_serve_reuse import KeptServer, served_once

# Writes down, for each build, the projector views MkDocs was handed (one line per build).
HANDED = """\
from pathlib import Path

from mkdocs.plugins import event_priority


@event_priority(-100)  # after the storybook's own
def on_files(files, config, **kwargs):
    views = sorted(f.src_uri for f in files if f.src_uri.startswith("present/"))
    with (Path(config.config_file_path).parent / "handed.txt").open("a") as handed:
        handed.write(" ".join(views) + "\\n")
    return files
"""


def test_a_save_leaves_unchanged_projector_views_as_they_are(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project(
        {
            "one.md": story_text(title="First story", body="The first telling."),
            "two.md": story_text(title="Second story", body="The second telling."),
            "three.md": story_text(title="Third story", body="The third telling."),
        }
    )
    stories = project / "stories"
    (project / "handed.py").write_text(HANDED, encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("hooks:\n  - handed.py\n")

    def check(server: KeptServer) -> None:
        for slug in ("one", "two", "three"):
            server.wait_for(f"/present/{slug}/", lambda html: PREPARING_WORDS not in html)
        server.wait_for_log("Reloading browsers")
        (stories / "one.md").write_text(
            story_text(title="First story", body="Retold after the views were made."),
            encoding="utf-8",
        )
        (stories / "two.md").write_text(
            story_text(title="Second story", extra="draft: true\n"), encoding="utf-8"
        )
        server.wait_for("/present/one/", lambda html: "Retold after the views" in html)
        wait_until_missing(server, "/present/two/")
        present = server.get("/present/three/")
        assert "storybook-present" in present and "The third telling." in present

    log = served_once(project, free_port(), 1, check)
    assert "Traceback" not in log, log
    # The first build left them out, the next made them all, the save's only one's.
    handed = (project / "handed.txt").read_text(encoding="utf-8").splitlines()
    assert handed[:2] == ["", "present/one.md present/three.md present/two.md"], handed
    assert handed[2:] == ["present/one.md"], handed


def test_every_projector_view_is_made_again_when_their_template_or_mkdocs_yml_changes(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project(
        {
            "one.md": story_text(title="First story"),
            "two.md": story_text(title="Second story"),
        }
    )
    (project / "handed.py").write_text(HANDED, encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("hooks:\n  - handed.py\n")
    handed = project / "handed.txt"

    def check(server: KeptServer) -> None:
        for slug in ("one", "two"):
            server.wait_for(f"/present/{slug}/", lambda html: PREPARING_WORDS not in html)
        server.wait_for_log("Reloading browsers")
        template = own_template(project, "present.md.j2")
        template.write_text(
            template.read_text(encoding="utf-8") + "\nShown by the room.\n", encoding="utf-8"
        )
        for slug in ("one", "two"):
            server.wait_for(f"/present/{slug}/", lambda html: "Shown by the room." in html)
        assert handed.read_text(encoding="utf-8").splitlines()[-1] == (
            "present/one.md present/two.md"
        )
        builds = len(handed.read_text(encoding="utf-8").splitlines())
        with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
            config.write("# saved again\n")
        server.wait_for_log("Rebuilding every page")
        while len(handed.read_text(encoding="utf-8").splitlines()) == builds:
            assert server.process.poll() is None, server.log.read_text()
            time.sleep(0.05)
        assert handed.read_text(encoding="utf-8").splitlines()[-1] == (
            "present/one.md present/two.md"
        )
        server.wait_for("/present/one/", lambda html: "Shown by the room." in html)

    log = served_once(project, free_port(), 1, check)
    assert "Traceback" not in log, log

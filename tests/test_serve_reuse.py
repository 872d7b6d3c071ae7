"""A served site kept between runs: the next start rebuilds only what changed while it was
stopped, withdraws what was drafted or deleted meanwhile, and each edition keeps its own."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.error
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from storybook.core.editions import FACILITATOR_EDITION, LEARNER_EDITION
from storybook.plugin.deferred import PREPARING_WORDS
from storybook.plugin.servedir import LOCK, MARKER, SITE, keep_site, serve_folder

from .conftest import ROOT, free_port, story_text
from .test_room import PLAN_WORDS, SLUMP, Edition, Room, refused
from .test_serve import Server


class KeptServer(Server):
    """`mkdocs serve --dirty`, as `make serve` runs it, on a port chosen by the test: the
    site is kept for the address it was served on."""

    def __init__(self, project: Path, port: int, run: int) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log = project.parent / f"serve-{run}.log"
        self.log_stream = self.log.open("w")
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "mkdocs", "serve", "--dirty", "--livereload"),
                *("-a", f"127.0.0.1:{port}"),
            ],
            cwd=project,
            stdout=self.log_stream,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
        )

    def missing(self, path: str) -> bool:
        try:
            self.get(path)
        except urllib.error.HTTPError as error:
            error.close()
            return error.code == 404
        return False


def served_once(project: Path, port: int, run: int, check: Callable[[KeptServer], None]) -> str:
    """Serve ``project`` until ``check`` has looked at it, then stop as Ctrl-C does; the log."""
    server = KeptServer(project, port, run)
    try:
        check(server)
    finally:
        server.stop()
    return server.log.read_text(encoding="utf-8")


def test_a_restart_rebuilds_only_what_changed_while_the_server_was_stopped(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project(
        {
            # Stories one and the others share no tag: one's page never names them.
            "one.md": story_text(title="Unchanged one", tags="[coaching]"),
            "two.md": story_text(title="Second", body="The first telling."),
            "three.md": story_text(title="Third, soon a draft"),
            "gone.md": story_text(title="Soon deleted"),
        }
    )
    port = free_port()

    def first(server: KeptServer) -> None:
        server.wait_for("/stories/two/", lambda html: "The first telling." in html)

    served_once(project, port, 1, first)
    site = serve_folder(project, LEARNER_EDITION) / SITE
    unchanged = site / "stories" / "one" / "index.html"
    built = unchanged.stat().st_mtime_ns

    stories = project / "stories"
    (stories / "two.md").write_text(
        story_text(title="Second", body="Retold while the server was off."), encoding="utf-8"
    )
    (stories / "three.md").write_text(
        story_text(title="Third, soon a draft", extra="draft: true\n"), encoding="utf-8"
    )
    (stories / "gone.md").unlink()

    def second(server: KeptServer) -> None:
        page = server.wait_for("/stories/two/", lambda html: "Second" in html)
        # The first page served is already the new one: nothing stale was ever served.
        assert "Retold while the server was off." in page and "first telling" not in page
        assert server.missing("/stories/three/") and server.missing("/stories/gone/")
        home = server.get("/")
        assert "Unchanged one" in home and "Second" in home
        assert "Third, soon a draft" not in home and "Soon deleted" not in home
        index = server.get("/search/search_index.json")
        assert "Retold while the server was off." in index and "Unchanged one" in index
        assert "Third, soon a draft" not in index and "Soon deleted" not in index

    log = served_once(project, port, 2, second)
    assert "Reusing the site kept in" in log and "Rebuilding every page" not in log, log
    assert unchanged.stat().st_mtime_ns == built, "an unchanged story's page was rebuilt"
    assert not (site / "stories" / "three").exists() and not (site / "stories" / "gone").exists()


def test_a_restart_on_another_address_or_after_mkdocs_yml_changed_rebuilds_every_page(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project({"one.md": story_text(title="Only one")})
    port = free_port()

    def shown(server: KeptServer) -> None:
        server.wait_for("/stories/one/", lambda html: "Only one" in html)

    served_once(project, port, 1, shown)
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("copyright: Changed while the server was off\n")

    def copyright_shown(server: KeptServer) -> None:
        page = server.wait_for("/stories/one/", lambda html: "Only one" in html)
        assert "Changed while the server was off" in page

    log = served_once(project, port, 2, copyright_shown)
    assert "Reusing the site kept in" in log and "Rebuilding every page" in log, log
    log = served_once(project, free_port(), 3, shown)  # its address is in every page
    assert "Rebuilding every page" in log, log


GATE = """\
import os
import time
from pathlib import Path


def on_post_build(config, **kwargs):
    # The facilitator edition's build waits until the test opens the gate.
    if os.environ.get("STORYBOOK_EDITION") == "facilitator":
        gate = Path(config.config_file_path).parent / "gate-open"
        while not gate.exists():
            time.sleep(0.05)
"""


@pytest.fixture
def gated_room(sample_project: Path) -> Iterator[Room]:
    (sample_project / "gate.py").write_text(GATE, encoding="utf-8")
    with (sample_project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("hooks:\n  - gate.py\n")
    running = Room(sample_project)
    try:
        yield running
    finally:
        (sample_project / "gate-open").touch()
        running.stop()


def test_each_edition_of_the_room_answers_as_soon_as_it_is_built_in_a_folder_of_its_own(
    gated_room: Room,
) -> None:
    room = gated_room
    room.learner.wait_for(SLUMP, lambda html: "The Quiet Slump" in html)
    # The facilitator edition is still building: the projector's does not wait for it.
    assert refused(room.facilitator.port)
    log = room.log.read_text(encoding="utf-8")
    assert f"The learner edition is ready on http://127.0.0.1:{room.learner.port}/" in log
    assert "The facilitator edition is ready" not in log

    (room.project / "gate-open").touch()
    room.facilitator.wait_for(SLUMP, lambda html: "The Quiet Slump" in html)
    room.learner.wait_for_log("The facilitator edition is ready")
    assert room.stop() == 0

    # Each edition's site is kept apart, marked with its edition, and the learner's holds
    # nothing for the facilitator: not a page, not a file the server could be asked for.
    for edition in (LEARNER_EDITION, FACILITATOR_EDITION):
        folder = serve_folder(room.project, edition)
        assert json.loads((folder / MARKER).read_text(encoding="utf-8"))["edition"] == (
            edition.name
        )
    learner_site = serve_folder(room.project, LEARNER_EDITION) / SITE
    facilitator_site = serve_folder(room.project, FACILITATOR_EDITION) / SITE
    assert (learner_site / "stories" / "the-quiet-slump" / "index.html").is_file()
    assert not (learner_site / "stories" / "wip").exists()
    for path in learner_site.rglob("*"):
        if path.is_file():
            assert PLAN_WORDS.encode() not in path.read_bytes(), path
    facilitator_page = facilitator_site / "stories" / "the-quiet-slump" / "index.html"
    assert "What to listen for." in facilitator_page.read_text(encoding="utf-8")


@pytest.fixture
def mkdocs_temporary() -> Iterator[Path]:
    """An empty folder as `mkdocs serve` makes one for its site."""
    folder = Path(tempfile.mkdtemp(prefix="mkdocs_"))
    yield folder
    if folder.is_symlink():
        folder.unlink()
    elif folder.is_dir():
        folder.rmdir()


def test_a_folder_marked_for_another_edition_is_neither_served_nor_emptied(
    tmp_path: Path, mkdocs_temporary: Path
) -> None:
    folder = serve_folder(tmp_path, LEARNER_EDITION)
    (folder / SITE).mkdir(parents=True)
    (folder / SITE / "index.html").write_text("facilitator notes", encoding="utf-8")
    (folder / MARKER).write_text('{"edition": "facilitator", "format": 1}', encoding="utf-8")
    assert keep_site(mkdocs_temporary, tmp_path, LEARNER_EDITION) is None
    assert (folder / SITE / "index.html").read_text(encoding="utf-8") == "facilitator notes"
    assert mkdocs_temporary.is_dir() and not mkdocs_temporary.is_symlink()


def test_one_server_at_a_time_keeps_an_editions_site(
    tmp_path: Path, mkdocs_temporary: Path
) -> None:
    kept = keep_site(mkdocs_temporary, tmp_path, LEARNER_EDITION)
    assert kept is not None and not kept.reused
    assert mkdocs_temporary.resolve() == (serve_folder(tmp_path, LEARNER_EDITION) / SITE)
    second = Path(tempfile.mkdtemp(prefix="mkdocs_"))
    try:
        # Another server of the same edition builds in its own temporary folder, as before.
        assert keep_site(second, tmp_path, LEARNER_EDITION) is None
        assert second.is_dir() and not second.is_symlink()
    finally:
        second.rmdir()
    (kept.site / "index.html").write_text("kept", encoding="utf-8")
    kept.release()
    assert not mkdocs_temporary.exists(), "MkDocs finds no temporary folder to remove"
    assert (serve_folder(tmp_path, LEARNER_EDITION) / LOCK).exists()
    again = Path(tempfile.mkdtemp(prefix="mkdocs_"))
    reused = keep_site(again, tmp_path, LEARNER_EDITION)
    try:
        assert reused is not None and reused.reused
        assert (again / "index.html").read_text(encoding="utf-8") == "kept"
    finally:
        assert reused is not None
        reused.release()
    assert (tmp_path / ".cache" / "storybook" / ".gitignore").read_text(encoding="utf-8")


def test_a_save_under_storybook_serve_rebuilds_only_what_it_changed(
    mini_project: Callable[..., Path],
) -> None:
    """`storybook serve` runs `mkdocs serve -f mkdocs.yml`, which gives some paths relative
    on its first build and absolute on the next: that once rebuilt every page at each first save."""
    project = mini_project({"one.md": story_text(title="First title")})
    config = project / "mkdocs.yml"
    # As the repository's own mkdocs.yml: the edition from the room, theme overrides.
    text = config.read_text(encoding="utf-8")
    text = text.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n")
    text = text.replace(
        "  - storybook\n", "  - storybook:\n      edition: !ENV [STORYBOOK_EDITION, learner]\n"
    )
    config.write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    port = free_port()
    log = project.parent / "storybook-serve.log"
    command = [
        *(sys.executable, "-c", "from storybook.cli import main; main()"),
        *("serve", "--port", str(port)),
    ]
    with log.open("wb") as stream:
        process = subprocess.Popen(command, cwd=project, stdout=stream, stderr=subprocess.STDOUT)
    server = Edition(port, process, log)
    try:
        server.wait_for("/stories/one/", lambda html: "First title" in html)
        # The build that makes the projector views once the server answers (deferred.py).
        server.wait_for("/present/one/", lambda html: PREPARING_WORDS not in html)
        (project / "stories" / "one.md").write_text(
            story_text(title="Second title"), encoding="utf-8"
        )
        server.wait_for("/stories/one/", lambda html: "Second title" in html)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    text = log.read_text(encoding="utf-8")
    assert text.count("Documentation built in") == 3, text
    assert "Rebuilding every page" not in text, text

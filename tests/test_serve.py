"""A real `mkdocs serve` on 127.0.0.1: edits are picked up, broken stories never stop the room."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from watchdog.events import FileClosedEvent, FileDeletedEvent, FileModifiedEvent, FileOpenedEvent
from watchdog.observers import Observer

import storybook.plugin.hooks
from storybook.plugin.watching import _Changes, keep_watching

from .conftest import free_port, own_template, story_text

# How long a (re)build may take on a busy machine before a test gives up on it.
REBUILD_SECONDS = 180


class Server:
    def __init__(self, project: Path, *options: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = project.parent / "serve.log"
        self.log_stream = self.log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "--livereload",
                "-a",
                f"127.0.0.1:{self.port}",
                *options,
            ],
            cwd=project,
            stdout=self.log_stream,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                "NO_MKDOCS_2_WARNING": "1",
                "DISABLE_MKDOCS_2_WARNING": "true",
                **(env or {}),
            },
        )

    def get(self, path: str, timeout: float = 30) -> str:
        with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
            body: bytes = response.read()
            return body.decode("utf-8")

    def wait_for(
        self, path: str, predicate: Callable[[str], bool], timeout: float = REBUILD_SECONDS
    ) -> str:
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                last = self.get(path)
                if predicate(last):
                    return last
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(
            f"{path} never matched; last page:\n{last[-2000:]}\n{self.log.read_text()}"
        )

    def next_epoch(self, epoch: int, timeout: float = REBUILD_SECONDS) -> int:
        """Wait as a browser's live-reload poll does for the next rebuild; returns its epoch.

        MkDocs answers each poll after a minute at most, with the same epoch if no rebuild
        finished meanwhile: the browser (and this) asks again.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            newer = int(self.get(f"/livereload/{epoch}/1", timeout=90))
            if newer > epoch:
                return newer
        raise AssertionError(f"no rebuild within {timeout} s\n{self.log.read_text()}")

    def wait_for_log(self, text: str, timeout: float = REBUILD_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log.read_text(encoding="utf-8", errors="replace"):
            assert time.monotonic() < deadline, self.log.read_text()
            assert self.process.poll() is None, self.log.read_text()
            time.sleep(0.2)

    def stop(self) -> None:
        # Ctrl-C, not SIGTERM: MkDocs only removes its temporary site folder on KeyboardInterrupt.
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)
        self.log_stream.close()


@pytest.fixture
def serve(mini_project: Callable[..., Path]) -> Iterator[tuple[Server, Path]]:
    project = mini_project({"one.md": story_text(title="First title")})
    server = Server(project)
    try:
        yield server, project
    finally:
        server.stop()


def epoch_of(page: str) -> int:
    # The tag that loads the live-reload script from the site (see storybook/plugin/csp.py).
    match = re.search(r'data-epoch="(\d+)"', page)
    assert match, "the served page must carry the live-reload script"
    return int(match.group(1))


def test_editing_a_story_refreshes_the_open_page(serve: tuple[Server, Path]) -> None:
    server, project = serve
    page = server.wait_for("/stories/one/", lambda html: "First title" in html)
    epoch = epoch_of(page)
    story = project / "stories" / "one.md"
    story.write_text(story_text(title="Second title"), encoding="utf-8")
    # The browser's live-reload poll answers with a newer epoch: that is what reloads the page.
    assert server.next_epoch(epoch) > epoch
    server.wait_for("/stories/one/", lambda html: "Second title" in html)


def test_editing_a_template_refreshes_the_pages(serve: tuple[Server, Path]) -> None:
    server, project = serve
    server.wait_for("/stories/one/", lambda html: "First title" in html)
    template = own_template(project, "story.md.j2")
    template.write_text(
        template.read_text(encoding="utf-8") + "\nTEMPLATE-EDITED\n", encoding="utf-8"
    )
    server.wait_for("/stories/one/", lambda html: "TEMPLATE-EDITED" in html)


def test_a_broken_story_keeps_the_last_good_page_and_says_what_is_wrong(
    serve: tuple[Server, Path],
) -> None:
    server, project = serve
    server.wait_for("/stories/one/", lambda html: "First title" in html)
    story = project / "stories" / "one.md"
    story.write_text(
        story_text(title="First title").replace('"First title"', "Oops: a colon"), encoding="utf-8"
    )
    page = server.wait_for("/stories/one/", lambda html: "storybook-problems" in html)
    assert "First title" in page, "the last good version is still served"
    assert "stories/one.md:2" in page and "double quotes" in page
    story.write_text(story_text(title="Fixed title"), encoding="utf-8")
    page = server.wait_for("/stories/one/", lambda html: "Fixed title" in html)
    assert "storybook-problems" not in page


def test_serve_starts_even_when_a_story_is_already_broken(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project({"good.md": story_text(title="Good one"), "bad.md": "no front matter"})
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("strict: true\n")  # as in the repository's own mkdocs.yml
    server = Server(project)
    try:
        page = server.wait_for("/stories/good/", lambda html: "Good one" in html)
        assert "stories/bad.md:1" in page
    finally:
        server.stop()


class Rebuilds:
    """What MkDocs' serve command does after every save, without the web server around it."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.site = project.parent / "served"
        with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
            config.write("strict: true\n")  # as in the repository's own mkdocs.yml
        self.load_config().plugins.on_startup(command="serve", dirty=False)

    def load_config(self) -> MkDocsConfig:
        return load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site))

    def rebuild(self) -> None:
        mkdocs_build(self.load_config(), serve_url="http://127.0.0.1:8000/")

    def page(self, path: str) -> str:
        return (self.site / path / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def rebuilds(mini_project: Callable[..., Path]) -> Rebuilds:
    return Rebuilds(
        mini_project(
            {"one.md": story_text(title="First title"), "two.md": story_text(title="Second")}
        )
    )


def test_a_bug_in_the_storybook_never_stalls_a_rebuild(
    rebuilds: Rebuilds, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebuilds.rebuild()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(storybook.plugin.hooks, "build_site", broken)
    rebuilds.rebuild()
    page = rebuilds.page("stories/one")
    assert "First title" in page
    assert "mkdocs.yml:1</code> the storybook itself failed (RuntimeError: a bug)" in page


def test_warnings_never_abort_a_rebuild_even_in_strict_mode(rebuilds: Rebuilds) -> None:
    rebuilds.rebuild()
    story = rebuilds.project / "stories" / "one.md"
    story.write_text(story_text(title="Linked", body="[Gone](nowhere.md)"), encoding="utf-8")
    rebuilds.rebuild()
    assert "Linked" in rebuilds.page("stories/one")


def test_a_broken_story_keeps_its_last_good_version_everywhere(rebuilds: Rebuilds) -> None:
    rebuilds.rebuild()
    (rebuilds.project / "stories" / "one.md").write_text("oops", encoding="utf-8")
    rebuilds.rebuild()
    home = rebuilds.page("")
    assert "First title" in home, "the home page still lists the broken story"
    assert "stories/one.md:1</code> a story must start with front matter" in home
    tag_page = rebuilds.page("tags/wellbeing")
    assert "First title" in tag_page and "Second" in tag_page


def test_a_deleted_story_stays_deleted_while_another_is_broken(rebuilds: Rebuilds) -> None:
    rebuilds.rebuild()
    (rebuilds.project / "stories" / "two.md").unlink()
    (rebuilds.project / "stories" / "one.md").write_text("oops", encoding="utf-8")
    rebuilds.rebuild()
    assert not (rebuilds.site / "stories" / "two").exists()
    assert "First title" in rebuilds.page("stories/one")


def test_missing_folders_keep_the_last_good_pages(rebuilds: Rebuilds) -> None:
    rebuilds.rebuild()
    shutil.rmtree(rebuilds.project / "stories")
    rebuilds.rebuild()
    page = rebuilds.page("stories/one")
    assert "First title" in page and "stories:1</code> the stories folder is missing" in page
    # A missing templates folder is no problem: the storybook's own templates stand in.
    shutil.move(rebuilds.project / "templates", rebuilds.project / "templates-away")
    rebuilds.rebuild()
    page = rebuilds.page("stories/two")
    assert "Second" in page and "stories folder is missing" in page and "templates" not in page


def test_a_story_made_a_draft_is_withdrawn_at_once_while_another_is_broken(
    rebuilds: Rebuilds,
) -> None:
    rebuilds.rebuild()
    two = rebuilds.project / "stories" / "two.md"
    two.write_text(story_text(title="Second", extra="draft: true\n"), encoding="utf-8")
    (rebuilds.project / "stories" / "one.md").write_text("oops", encoding="utf-8")
    rebuilds.rebuild()
    assert not (rebuilds.site / "stories" / "two").exists()
    assert "Second" not in rebuilds.page("") and "Second" not in rebuilds.page("tags/wellbeing")
    assert "First title" in rebuilds.page("stories/one")
    # Published again, then made a draft and broken in one save: withdrawn too, not replaced
    # by its last good version.
    two.write_text(story_text(title="Second"), encoding="utf-8")
    rebuilds.rebuild()
    assert "Second" in rebuilds.page("stories/two")
    two.write_text("---\ndraft: true\ntitle: [\n---\nBody\n", encoding="utf-8")
    rebuilds.rebuild()
    assert not (rebuilds.site / "stories" / "two").exists()


def test_learners_see_only_the_line_of_a_problem_in_facilitator_material(
    rebuilds: Rebuilds,
) -> None:
    rebuilds.rebuild()
    one = rebuilds.project / "stories" / "one.md"
    one.write_text(
        story_text(
            title="First title",
            extra=(
                "facilitator_notes: |\n"
                "  See [the brief](javascript:SECRET-NOTES-LINK).\n"
                "SECRET-UNINDENTED notes line\n"
            ),
        ),
        encoding="utf-8",
    )
    draft = rebuilds.project / "stories" / "three.md"
    draft.write_text(
        story_text(
            title="SECRET-DRAFT", body="<script>SECRET-DRAFT-BODY</script>", extra="draft: true\n"
        ),
        encoding="utf-8",
    )
    rebuilds.rebuild()
    home = rebuilds.page("")
    assert "stories/one.md:" in home and "stories/three.md:" in home
    assert "facilitator-only material or a draft" in home
    assert "SECRET" not in home


def test_serve_keeps_answering_when_mkdocs_yml_or_a_page_is_saved_broken(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project({"one.md": story_text(title="First title")})
    (project / "docs" / "about.md").write_text("# About\n\nAbout us.\n", encoding="utf-8")
    server = Server(project)
    try:
        first = server.wait_for("/stories/one/", lambda html: "First title" in html)
        config = project / "mkdocs.yml"
        good = config.read_text(encoding="utf-8")
        config.write_text(good + "theme: [unclosed\n", encoding="utf-8")
        # MkDocs notices, fails to rebuild, and must still answer with the last good pages.
        server.wait_for("/stories/one/", lambda html: epoch_of(html) >= epoch_of(first))
        server.wait_for_log("mkdocs.yml:")
        assert "First title" in server.get("/stories/one/")
        config.write_text(good, encoding="utf-8")
        (project / "docs" / "about.md").write_bytes("# About\n\nCaf\xe9\n".encode("cp1252"))
        page = server.wait_for("/about/", lambda html: "not saved as UTF-8" in html)
        assert "About us." in page, "the page's last good text stands in"
        (project / "docs" / "about.md").write_text("# About\n\nFixed.\n", encoding="utf-8")
        server.wait_for("/about/", lambda html: "Fixed." in html and "UTF-8" not in html)
    finally:
        server.stop()


class CountingCondition(threading.Condition):
    """A condition that counts its notifications: one per rebuild request."""

    notified = 0

    def notify_all(self) -> None:
        self.notified += 1
        super().notify_all()


class FakeServer:
    """What keep_watching uses of MkDocs' live-reload server: its polling observer, its list
    of watched paths and its rebuild request. Its poll is an hour apart: only native events
    can be seen in a test."""

    def __init__(self) -> None:
        from watchdog.observers.polling import PollingObserver

        self.observer = PollingObserver(timeout=3600)
        self._watched_paths: dict[str, int] = {}
        self._watch_refs: dict[str, object] = {}
        self._rebuild_cond = CountingCondition()
        self._want_rebuild = False

    def rebuild_requested(self, timeout: float = 15) -> bool:
        """Wait for a rebuild request (the build loop's own wait); take it, as MkDocs does."""
        with self._rebuild_cond:
            wanted = self._rebuild_cond.wait_for(lambda: self._want_rebuild, timeout=timeout)
            self._want_rebuild = False
            return wanted


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[FakeServer, Path]]:
    stories = tmp_path / "stories"
    stories.mkdir()
    (stories / "kept.md").write_text("Kept.\n", encoding="utf-8")
    server = FakeServer()
    native = keep_watching(server, [stories])  # type: ignore[arg-type]
    yield server, stories
    native.stop()
    native.join()


def test_a_save_is_seen_at_once_without_waiting_for_mkdocs_poll(
    watched: tuple[FakeServer, Path],
) -> None:
    """MkDocs polls every half second; the story folders are watched with native events too
    (here the poll never comes), and reading a file is no change."""
    server, stories = watched
    assert server._watched_paths == {str(stories.resolve()): 1}  # MkDocs lists and polls it
    for _ in range(20):
        (stories / "kept.md").read_text(encoding="utf-8")
    # Saved as many editors save: written beside, then moved in (one event, the whole file).
    incoming = stories.parent / "incoming.md"
    incoming.write_text("Kept, and edited.\n", encoding="utf-8")
    os.replace(incoming, stories / "kept.md")
    assert server.rebuild_requested()
    # Events come in order: had a read asked for a rebuild, it would have come first.
    assert server._rebuild_cond.notified == 1
    (stories / "new.md").write_text("New.\n", encoding="utf-8")
    assert server.rebuild_requested()
    (stories / "new.md").unlink()
    assert server.rebuild_requested()


def test_a_change_both_watchers_report_rebuilds_once(tmp_path: Path) -> None:
    """What the native events saw first, the poll reports again; only a new change counts."""
    server = FakeServer()
    changes = _Changes(server, Observer())  # type: ignore[arg-type]
    story = tmp_path / "a.md"
    story.write_text("One.\n", encoding="utf-8")
    changes.on_any_event(FileModifiedEvent(str(story)))  # native
    assert server.rebuild_requested(timeout=0)
    changes.on_any_event(FileModifiedEvent(str(story)))  # the poll, half a second later
    changes.on_any_event(FileClosedEvent(str(story)))
    assert not server.rebuild_requested(timeout=0)
    story.write_text("Two, longer.\n", encoding="utf-8")
    changes.on_any_event(FileModifiedEvent(str(story)))
    assert server.rebuild_requested(timeout=0)
    story.unlink()
    changes.on_any_event(FileDeletedEvent(str(story)))
    assert server.rebuild_requested(timeout=0)
    changes.on_any_event(FileDeletedEvent(str(story)))
    assert not server.rebuild_requested(timeout=0)
    changes.on_any_event(FileOpenedEvent(str(tmp_path / "b.md")))  # opened, not changed
    assert not server.rebuild_requested(timeout=0)

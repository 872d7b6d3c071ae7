"""A real `mkdocs serve` on 127.0.0.1: edits are picked up, broken stories never stop the room."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import free_port, story_text


class Server:
    def __init__(self, project: Path) -> None:
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
            ],
            cwd=project,
            stdout=self.log_stream,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
        )

    def get(self, path: str, timeout: float = 10) -> str:
        with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
            body: bytes = response.read()
            return body.decode("utf-8")

    def wait_for(self, path: str, predicate: Callable[[str], bool], timeout: float = 30) -> str:
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
    match = re.search(r"livereload\((\d+),", page)
    assert match, "the served page must carry the live-reload script"
    return int(match.group(1))


def test_editing_a_story_refreshes_the_open_page(serve: tuple[Server, Path]) -> None:
    server, project = serve
    page = server.wait_for("/stories/one/", lambda html: "First title" in html)
    epoch = epoch_of(page)
    story = project / "stories" / "one.md"
    story.write_text(story_text(title="Second title"), encoding="utf-8")
    # The browser's live-reload poll answers with a newer epoch: that is what reloads the page.
    answer = server.get(f"/livereload/{epoch}/1", timeout=60)
    assert int(answer) > epoch
    server.wait_for("/stories/one/", lambda html: "Second title" in html)


def test_editing_a_template_refreshes_the_pages(serve: tuple[Server, Path]) -> None:
    server, project = serve
    server.wait_for("/stories/one/", lambda html: "First title" in html)
    template = project / "templates" / "story.md.j2"
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
    server = Server(project)
    try:
        page = server.wait_for("/stories/good/", lambda html: "Good one" in html)
        assert "stories/bad.md:1" in page
    finally:
        server.stop()

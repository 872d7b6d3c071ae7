"""A workshop's worth of mistakes, saved into a real `mkdocs serve` on 127.0.0.1.

The project is the repository's own (its mkdocs.yml is strict). Each cycle saves one kind of
mistake, waits for the rebuild the way a browser does (MkDocs' live-reload long poll), and
checks that the server answers with the last good page and a banner naming file and line;
then it saves a fix and checks that the page recovers, banner gone.
"""

from __future__ import annotations

import re
import shutil
import urllib.error
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

from .conftest import own_template, story_text
from .test_serve import REBUILD_SECONDS, Server, epoch_of

CYCLES = 65  # five rounds of every mistake below
STORY = "/stories/one/"
BANNER = "storybook-problems"


@dataclass
class Mistake:
    """One mistake: how to make it, and what the page must show while it is there."""

    name: str
    make: Callable[[Path], None]
    shows: list[str]  # on the story page while broken, besides the last good version
    page_gone: bool = False  # the story's own page is gone (deleted), not broken
    warning_only: bool = False  # MkDocs warns (fatal in strict mode); the new page is served


def write(project: Path, relative: str, text: str | bytes) -> None:
    path = project / relative
    data = text.encode("utf-8") if isinstance(text, str) else text
    path.write_bytes(data)


def append(project: Path, relative: str, text: str) -> None:
    path = project / relative
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def good_story(version: int) -> str:
    return story_text(title=f"Version {version}", body=f"Told for the {version}th time.")


MISTAKES = [
    Mistake(
        "unquoted colon",
        lambda p: write(p, "stories/one.md", good_story(0).replace('"Version 0"', "Monday: oops")),
        ["stories/one.md:2</code>", "double quotes"],
    ),
    Mistake(
        "misspelt tag",
        lambda p: write(p, "stories/one.md", story_text(tags="[welbeing]")),
        ["stories/one.md:5</code>", "did you mean 'wellbeing'"],
    ),
    Mistake(
        "undefined name in a question",
        lambda p: write(p, "stories/one.md", story_text(reflection='\n  - "{{ story.nme }}"')),
        ["stories/one.md:7</code>", "'nme' is not defined"],
    ),
    Mistake(
        "script in the story",
        lambda p: write(p, "stories/one.md", story_text(body="Hi.\n\n<script>alert(1)</script>")),
        ["stories/one.md:11</code>", "<script> is not allowed"],
    ),
    Mistake(
        "legacy encoding",
        lambda p: write(p, "stories/one.md", story_text(title="Café").encode("cp1252")),
        ["stories/one.md:2</code>", "not saved as UTF-8"],
    ),
    Mistake(
        "template syntax error",
        lambda p: append(p, "templates/story.md.j2", "\n{{ story.title\n"),
        ["templates/story.md.j2:", "template syntax error"],
    ),
    Mistake(
        "undefined name in a template",
        lambda p: append(p, "templates/story.md.j2", "\n{{ storey.title }}\n"),
        ["templates/story.md.j2:", "'storey' is not defined"],
    ),
    Mistake(
        "broken vocabulary",
        lambda p: append(p, "templates/tags.yml", "\nthemes: [duplicate]\n"),
        ["templates/tags.yml:", "given twice"],
    ),
    Mistake(
        "duplicate slug",
        lambda p: write(p, "stories/copy.md", story_text(extra="slug: one\n")),
        ["stories/copy.md:", "stories/one.md:", "also used by"],
    ),
    Mistake(
        "stories folder removed",
        lambda p: shutil.rmtree(p / "stories"),
        ["stories:1</code>", "the stories folder is missing"],
    ),
    Mistake(
        "workshops folder removed",
        lambda p: shutil.rmtree(p / "workshops"),
        ["workshops:1</code>", "the workshops folder is missing"],
    ),
    Mistake("story deleted", lambda p: (p / "stories" / "one.md").unlink(), [], page_gone=True),
    Mistake(
        "link to a page that does not exist",
        lambda p: write(p, "stories/one.md", story_text(title="Linked", body="[Gone](gone.md)")),
        ["Linked"],
        warning_only=True,
    ),
]


@pytest.fixture
def room(sample_project: Path) -> Iterator[tuple[Server, Path]]:
    # The real project and configuration, with two stories so that rebuilds stay quick (and
    # no workshop or learning path: the sample ones name the other stories).
    for story in (sample_project / "stories").iterdir():
        story.unlink()
    for workshop in (sample_project / "workshops").iterdir():
        workshop.unlink()
    for learning_path in (sample_project / "paths").iterdir():
        learning_path.unlink()
    write(sample_project, "stories/one.md", good_story(0))
    write(sample_project, "stories/two.md", story_text(title="The other story"))
    # The trainer's own copies of what the mistakes below edit (the defaults stay untouched).
    own_template(sample_project, "story.md.j2")
    own_template(sample_project, "tags.yml")
    server = Server(sample_project)
    try:
        yield server, sample_project
    finally:
        server.stop()


def after_rebuild(server: Server, epoch: int, check: Callable[[int, str], bool]) -> int:
    """Wait as a browser does for each rebuild, until the story page passes ``check``."""
    status, page = 0, ""
    for _ in range(5):  # one save can be seen as more than one change
        assert server.process.poll() is None, server.log.read_text()
        epoch = server.next_epoch(epoch)
        status, page = fetch(server, STORY)
        if check(status, unescape(page)):
            return epoch
    raise AssertionError(f"the page never reached the right state ({status}):\n{page[-3000:]}")


def fetch(server: Server, path: str) -> tuple[int, str]:
    try:
        # MkDocs holds a page back while a rebuild is under way.
        return 200, server.get(path, timeout=REBUILD_SECONDS)
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_the_room_survives_many_broken_saves(room: tuple[Server, Path]) -> None:
    server, project = room
    saved = {
        name: (project / name).read_bytes()
        for name in ("templates/story.md.j2", "templates/tags.yml")
    }
    page = server.wait_for(STORY, lambda html: "Version 0" in html)
    epoch = epoch_of(page)
    for cycle in range(1, CYCLES + 1):
        mistake = MISTAKES[cycle % len(MISTAKES)]
        last_good = f"Version {cycle - 1}"
        mistake.make(project)

        def broken(status: int, html: str, mistake: Mistake = mistake) -> bool:
            if mistake.page_gone:
                return status == 404
            if mistake.warning_only:
                return BANNER not in html and all(text in html for text in mistake.shows)
            return BANNER in html and all(text in html for text in mistake.shows)

        epoch = after_rebuild(server, epoch, broken)
        if not (mistake.page_gone or mistake.warning_only):
            html = unescape(fetch(server, STORY)[1])
            assert last_good in html, f"cycle {cycle} ({mistake.name}): last good page gone"
            assert re.search(r"<code>[\w./-]+:\d+</code>", html), "file:line on the banner"

        # The fix: every file back as it was, and the story saved once more.
        (project / "stories").mkdir(exist_ok=True)
        (project / "workshops").mkdir(exist_ok=True)
        (project / "stories" / "copy.md").unlink(missing_ok=True)
        write(project, "stories/two.md", story_text(title="The other story"))
        for name, data in saved.items():
            write(project, name, data)
        write(project, "stories/one.md", good_story(cycle))

        def fixed(status: int, html: str, cycle: int = cycle) -> bool:
            return f"Version {cycle}" in html and BANNER not in html

        epoch = after_rebuild(server, epoch, fixed)
        status, home = fetch(server, "/")
        assert status == 200 and f"Version {cycle}" in home and BANNER not in home
    log = server.log.read_text()
    assert "Traceback" not in log and "will appear stuck" not in log, log

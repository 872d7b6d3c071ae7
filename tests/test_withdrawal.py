"""A story that leaves, leaves everywhere: under a real `mkdocs serve` (plain, `--dirty`, and
the room's two servers), a story made a draft or deleted while another story is broken takes
every page made from it along at once, though the broken story's last good pages stay."""

from __future__ import annotations

import html
import re
import time
import urllib.error
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from storybook.core.editions import BY_NAME
from storybook.core.room_pages import RoomSettings
from storybook.sections import build_site

from .conftest import ROOT, make_mini, story_text
from .test_room import Room
from .test_serve import REBUILD_SECONDS, Server


@dataclass(frozen=True)
class Withdrawal:
    """One way a story leaves; ``slug`` is the story it is done to."""

    name: str
    slug: str
    make: Callable[[Path], None]
    # The facilitator edition still shows it (its policy shows drafts, marked as drafts).
    facilitators_see_it: bool

    @property
    def marker(self) -> str:
        """In the story's title and body, so in every page made from it."""
        return f"FAREWELL-{self.slug.upper()}"


def make_draft(story: Path) -> None:
    story.write_text(story.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1))


WITHDRAWALS = [
    Withdrawal("made a draft", "drafted", make_draft, facilitators_see_it=True),
    Withdrawal("deleted", "deleted", Path.unlink, facilitators_see_it=False),
]

# Where a story shows in the learner edition (the projector's): every one must go with it.
LEARNER_PAGES = {
    "its own page": "/stories/{slug}/",
    "its projector view": "/present/{slug}/",
    "its workshop's agenda": "/workshops/with-{slug}/",
    "its workshop's workbook": "/workshops/with-{slug}/workbook/",
    "its learning path": "/paths/via-{slug}/",
    "its card on the home page": "/",
    "its card on its theme's page": "/tags/wellbeing/",
    "the page of the story after it on the path": "/stories/stays/",
}
# In the facilitator edition (where only a deleted story must go), with no projector view.
FACILITATOR_PAGES = {
    **{what: path for what, path in LEARNER_PAGES.items() if not path.startswith("/present/")},
    "its presenter console": "/console/{slug}/",
    "its workshop's pack": "/workshops/with-{slug}/pack/",
    "its workshop's console": "/workshops/with-{slug}/console/",
    "the coverage page": "/coverage/",
}
# What the broken story is saved as: its last good version must stand in meanwhile.
BROKEN = "no front matter at all\n"
BROKEN_PROBLEM = "stories/other.md:1"

MKDOCS_YML = """\
site_name: Withdrawals
docs_dir: docs
theme:
  name: material
plugins:
  - search
  - storybook:
      edition: !ENV [STORYBOOK_EDITION, learner]
"""


def workshop(slug: str) -> str:
    return (
        f'title: "With {slug}"\ndate: 2026-03-10\nstart: "09:00"\nplanned_minutes: 60\n'
        f"sessions:\n  - story: {slug}\n    minutes: 30\n    activity: Pairs\n"
        "  - story: stays\n    minutes: 30\n    activity: Pairs\n"
    )


def learning_path(slug: str) -> str:
    return (
        f'title: "Via {slug}"\nsteps:\n  - story: {slug}\n    why: "First."\n'
        '  - story: stays\n    why: "Then."\n'
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Stories that leave, each in a workshop and on a path with the story that stays; and
    another story, to break before they leave."""
    stories = {
        f"{w.slug}.md": story_text(title=f"{w.marker} tale", body=f"Body of {w.marker}.")
        for w in WITHDRAWALS
    }
    stories["other.md"] = story_text(title="The other story")
    stories["stays.md"] = story_text(title="The story that stays")
    project = make_mini(tmp_path / "project", stories)
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    for folder, text in (("workshops", workshop), ("paths", learning_path)):
        (project / folder).mkdir()
        for w in WITHDRAWALS:
            name = f"with-{w.slug}" if folder == "workshops" else f"via-{w.slug}"
            (project / folder / f"{name}.yml").write_text(text(w.slug), encoding="utf-8")
    return project


def text_of(server: Server, path: str) -> str:
    """The page as served now; "" if there is none."""
    try:
        return server.get(path, timeout=REBUILD_SECONDS)
    except urllib.error.HTTPError as error:
        error.close()
        if error.code == 404:
            return ""
        raise


def served_paths(server: Server) -> list[str]:
    """Every page the server's sitemap lists, and the search index."""
    sitemap = server.get("/sitemap.xml")
    pages = [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    return [*pages, "/search/search_index.json"]


def wait_until_gone(server: Server, path: str) -> None:
    """Poll until the server answers 404 for ``path``: the rebuild is done (MkDocs holds
    every request while it rebuilds)."""
    deadline = time.monotonic() + REBUILD_SECONDS
    while text_of(server, path):
        assert time.monotonic() < deadline, f"{path} still served\n{server.log.read_text()}"
        assert server.process.poll() is None, server.log.read_text()
        time.sleep(0.2)


def shown_everywhere(server: Server, pages: dict[str, str]) -> list[str]:
    """Every page of ``pages`` for every story that leaves, as served now (a sanity check:
    the test would prove nothing if a page never showed the story)."""
    missing = []
    for w in WITHDRAWALS:
        for what, path in pages.items():
            if w.marker not in text_of(server, path.format(slug=w.slug)):
                missing.append(f"{w.slug}: {what}")
    return missing


def still_showing(server: Server, withdrawal: Withdrawal, pages: dict[str, str]) -> list[str]:
    """The pages (named in ``pages``, or in the sitemap, or the search index) that still show
    ``withdrawal``'s story."""
    paths = {what: path.format(slug=withdrawal.slug) for what, path in pages.items()}
    paths.update({path: path for path in served_paths(server)})
    return [
        f"{what} ({path})"
        for what, path in paths.items()
        if withdrawal.marker in text_of(server, path)
    ]


def shows(text: str) -> Callable[[str], bool]:
    return lambda html: text in html


def leave_one_by_one(project: Path, learner: Server, after: Callable[[Withdrawal], None]) -> None:
    """Break the other story, then withdraw each story in turn; after each, the learner
    edition shows it nowhere (and ``after`` checks the rest)."""
    learner.wait_for("/", lambda html: all(w.marker in html for w in WITHDRAWALS))
    for w in WITHDRAWALS:  # a cold serve makes the projector views once it answers
        learner.wait_for(f"/present/{w.slug}/", shows(w.marker))
    assert shown_everywhere(learner, LEARNER_PAGES) == []
    # Saved before each withdrawal, so every build that sees a withdrawal has a problem.
    (project / "stories" / "other.md").write_text(BROKEN, encoding="utf-8")
    for withdrawal in WITHDRAWALS:
        withdrawal.make(project / "stories" / f"{withdrawal.slug}.md")
        wait_until_gone(learner, f"/stories/{withdrawal.slug}/")
        assert still_showing(learner, withdrawal, LEARNER_PAGES) == [], withdrawal.name
        after(withdrawal)
    # The broken story's last good version still stands in, on the pages made from it.
    assert "The other story" in text_of(learner, "/stories/other/")
    assert "The other story" in text_of(learner, "/")


MODES = {"mkdocs serve": (), "mkdocs serve --dirty": ("--dirty",)}


@pytest.fixture(params=list(MODES))
def serve(request: pytest.FixtureRequest, project: Path) -> Iterator[Server]:
    server = Server(project, *MODES[request.param])
    try:
        yield server
    finally:
        server.stop()


def test_a_story_that_leaves_leaves_every_page_at_once(project: Path, serve: Server) -> None:
    def says_what_is_broken(withdrawal: Withdrawal) -> None:
        assert BROKEN_PROBLEM in text_of(serve, "/stories/stays/"), "the other is still broken"

    leave_one_by_one(project, serve, says_what_is_broken)


@pytest.fixture
def room(project: Path) -> Iterator[Room]:
    running = Room(project)
    try:
        yield running
    finally:
        running.stop()


def test_in_the_room_a_story_leaves_the_projector_at_once(project: Path, room: Room) -> None:
    room.facilitator.wait_for("/", lambda html: all(w.marker in html for w in WITHDRAWALS))
    assert shown_everywhere(room.facilitator, FACILITATOR_PAGES) == []

    def facilitator_edition(withdrawal: Withdrawal) -> None:
        path = f"/stories/{withdrawal.slug}/"
        if withdrawal.facilitators_see_it:
            room.facilitator.wait_for(path, lambda html: "This story is a draft" in html)
            return
        wait_until_gone(room.facilitator, path)
        assert still_showing(room.facilitator, withdrawal, FACILITATOR_PAGES) == []

    leave_one_by_one(project, room.learner, facilitator_edition)
    assert BROKEN_PROBLEM in text_of(room.facilitator, "/stories/stays/")


@pytest.mark.parametrize("edition", ["learner", "facilitator"])
def test_every_generated_page_records_the_stories_it_shows(edition: str) -> None:
    """What withdraws a page with its stories: whatever kind of page shows a story's title
    (agendas, workbooks, paths, cards, consoles, ...) says it is made from that story."""
    result = build_site(
        ROOT / "stories",
        ROOT / "templates",
        edition=BY_NAME[edition],
        workshops_dir=ROOT / "workshops",
        paths_dir=ROOT / "paths",
        room=RoomSettings(),
    )
    assert result.problems == []
    unrecorded = [
        f"{src_uri} shows {story.slug}"
        for src_uri, content in result.pages.items()
        for story in result.library.stories
        if (story.title in content or html.escape(story.title) in content)
        and story.slug not in result.made_from[src_uri]
    ]
    assert unrecorded == []
    shown = {slug for made_from in result.made_from.values() for slug in made_from}
    assert shown == {story.slug for story in result.library.published}

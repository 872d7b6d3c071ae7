"""Every text a trainer writes, in every kind of file, full of attribute payloads
(tests/data/hostile_attributes), built as if `storybook check` had missed them all: no
page of any build (both editions, the room's pages, the offline copy, an export built by
plain MkDocs) carries an attribute a payload set, nor an element named like the theme's."""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import pytest

import storybook.core.fields
import storybook.core.render
import storybook.core.validate
from storybook.core.room_pages import CONSOLE_URL_VARIABLE, DEFAULT_CONSOLE_URL

from .conftest import DATA, ROOT, build_edition
from .test_export import build_with, export

HOSTILE = DATA / "hostile_attributes"
# Every attribute value a payload sets is pwn or starts pwn-; scripts set window.pwned.

# Material's own elements with its reserved names: its settings, drawer, search and toc.
THEMES_OWN = {
    ("script", "id", "__config"),
    *((tag, name, value) for value in ("__drawer", "__search", "__toc")
      for tag, name in (("input", "id"), ("label", "for"))),
}  # fmt: skip


class _Attributes(HTMLParser):
    """Every element's attributes, as a browser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, name, value or "") for name, value in attrs]


def attributes(html: str) -> list[tuple[str, str, str]]:
    parser = _Attributes()
    parser.feed(html)
    parser.close()
    return parser.found


def hostile_project(folder: Path) -> Path:
    """The hostile storybook, with the storybook's own templates and its own tags.yml."""
    project = folder / "project"
    shutil.copytree(ROOT / "templates", project / "templates")
    shutil.copytree(HOSTILE, project, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(HOSTILE / "stories", project / "stories", dirs_exist_ok=True)
    # git keeps no empty folder: a fresh clone has no docs/ to copy.
    (project / "docs").mkdir(exist_ok=True)
    return project


@pytest.fixture
def blind_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """`storybook check` sees nothing wrong in any text: only the render protects the site."""
    for module in (storybook.core.validate, storybook.core.fields, storybook.core.render):
        monkeypatch.setattr(module, "find_unsafe", lambda text: [])


def left_on(site: Path) -> list[str]:
    """What any payload left on any page of a site: attributes it set, event handlers, and
    elements that take one of the theme's names other than the theme's own."""
    found = []
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        where = page.relative_to(site)
        for tag, name, value in attributes(page.read_text(encoding="utf-8")):
            if re.fullmatch(r"h\d", tag) and name == "id" and not value.startswith("pwn"):
                continue  # a heading's address, made from its words by toc
            # A payload's value is a name of its own (pwn, pwn-x); a text of ours that
            # quotes a trainer's words (data-title, aria-label) holds more than that.
            payload = any(re.fullmatch(r"(md-)?pwn[\w-]*", word) for word in value.split())
            if payload or name == "data-pwn" or name.startswith("on"):
                found.append(f"{where}: <{tag} {name}={value!r}>")
            elif name in ("id", "for", "name") and value.startswith("__"):
                if (tag, name, value) not in THEMES_OWN:
                    found.append(f"{where}: <{tag} {name}={value!r}>")
            elif name == "class" and "md-pwn" in value:
                found.append(f"{where}: <{tag} {name}={value!r}>")
    return found


@pytest.mark.parametrize("edition", ["learner", "facilitator"])
def test_no_payload_sets_an_attribute_in_either_edition(
    tmp_path: Path, blind_check: None, edition: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Built for a room, so that the learner edition has its projector views too.
    monkeypatch.setenv(CONSOLE_URL_VARIABLE, DEFAULT_CONSOLE_URL)
    site = build_edition(hostile_project(tmp_path), edition)
    pages = {page.relative_to(site).as_posix() for page in site.rglob("index.html")}
    # Every kind of page is there: story, theme, home, paths, workshops and the room's.
    room = "present/hostile/index.html" if edition == "learner" else "console/hostile/index.html"
    for page in ("stories/hostile/index.html", "tags/wellbeing/index.html", "index.html"):
        assert page in pages
    assert {"paths/hostile/index.html", "workshops/hostile/index.html", room} <= pages
    if edition == "facilitator":
        assert "coverage/index.html" in pages
    assert left_on(site) == []
    story = (site / "stories" / "hostile" / "index.html").read_text(encoding="utf-8")
    # The payloads' words are all there, shown as text; code keeps its braces.
    assert "{: #__config }" in story and "<code>code {: #kept }</code>" in story
    assert '<div class="admonition note">' in story


def test_no_payload_sets_an_attribute_in_the_offline_copy(
    tmp_path: Path, blind_check: None
) -> None:
    with mock.patch.dict(os.environ, {"STORYBOOK_OFFLINE": "true"}):
        site = build_edition(hostile_project(tmp_path), "learner")
    assert left_on(site) == []


def test_an_export_built_by_plain_mkdocs_carries_no_payload(
    tmp_path: Path, blind_check: None
) -> None:
    project = hostile_project(tmp_path)
    # A heading named __config would be an id in a build without the storybook's cleaner:
    # the export refuses the page it is on.
    code, output, errors = export(project, tmp_path / "refused")
    assert code == 1 and "this heading's address would start with __" in output + errors

    story = project / "stories" / "hostile.md"
    story.write_text(story.read_text(encoding="utf-8").replace("## __config\n", ""), "utf-8")
    code, output, errors = export(project, tmp_path / "out")
    assert code == 0, output + errors
    assert left_on(build_with("mkdocs", tmp_path / "out")) == []

"""Learner and facilitator editions: real builds of the same sources, read back byte by byte."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from storybook.core import fields as f
from storybook.core.editions import BANNER_CLASS
from storybook.core.model import FIELDS
from storybook.core.room_pages import CONSOLE_URL_VARIABLE, DEFAULT_CONSOLE_URL
from storybook.workshops.plan import SESSION_FIELDS, WORKSHOP_FIELDS

from .conftest import (
    build_edition,
    changed_files,
    make_mini,
    own_template,
    run_mkdocs,
    search_index,
    site_bytes,
    snapshot,
    story_text,
)

# One unique marker per facilitator-only field: a new such field without a marker fails below.
STORY_MARKERS = {
    "facilitator_notes": "facilitator_notes: |\n  Notes MARKER-STORY-NOTES here.\n",
    "suggested_minutes": "suggested_minutes: 437\n",
    "discussion_plan": (
        "discussion_plan:\n"
        '  open: "Open MARKER-PLAN-OPEN"\n'
        '  listen_for: "Listen MARKER-PLAN-LISTEN"\n'
        '  close: "Close MARKER-PLAN-CLOSE"\n'
        "  segments:\n"
        '    - title: "Segment MARKER-SEGMENT-TITLE"\n'
        "      minutes: 5\n"
        '      notes: "Watch MARKER-SEGMENT-NOTES"\n'
    ),
    "role_cards": ('role_cards:\n  - role: "Role MARKER-ROLE"\n    brief: "Brief MARKER-BRIEF"\n'),
    "provenance": 'provenance:\n  kind: retold\n  source: "Source MARKER-PROVENANCE"\n',
}
WORKSHOP_MARKERS = {"facilitator_notes": "MARKER-WORKSHOP-NOTES"}
SESSION_MARKERS = {"notes": "MARKER-SESSION-NOTES"}
EDITIONS = ("facilitator", "learner")
# suggested_minutes is a number: what the facilitator edition prints for it.
MINUTES_SHOWN = "about 437 minutes"

WORKSHOP = """\
title: "Marked workshop"
date: 2026-03-10
start: "09:30"
planned_minutes: 60
facilitator_notes: "Whole day: MARKER-WORKSHOP-NOTES"
sessions:
  - story: marked
    minutes: 45
    activity: Pairs
    notes: "For the story: MARKER-SESSION-NOTES"
  - exercise: "Write it down"
    minutes: 15
    activity: Alone
    notes: "For the exercise: MARKER-SESSION-NOTES"
"""

DRAFT_TITLE = "Unfinished MARKER-DRAFT"
MARKER = re.compile(r"MARKER-[A-Z]+(?:-[A-Z]+)*")


def markers_in(*texts: str) -> list[str]:
    """Every marker written in the given sources, once each, in order."""
    return list(dict.fromkeys(MARKER.findall("".join(texts))))


# What the scans look for: every marker the marked sources carry, so a marker written into a
# field's entry above is searched for without being listed a second time.
TEXT_MARKERS = markers_in(*STORY_MARKERS.values(), WORKSHOP, DRAFT_TITLE)


def test_every_facilitator_only_field_has_a_marker() -> None:
    """The fields come from the specs: a new facilitator-only field without a marker fails."""
    assert set(STORY_MARKERS) == set(f.names(FIELDS, facilitator_only=True))
    assert set(WORKSHOP_MARKERS) == set(f.names(WORKSHOP_FIELDS, facilitator_only=True))
    assert set(SESSION_MARKERS) == set(f.names(SESSION_FIELDS, facilitator_only=True))
    for name, entry in STORY_MARKERS.items():
        assert markers_in(entry) or MINUTES_SHOWN.split()[1] in entry, name
    for marker in (*WORKSHOP_MARKERS.values(), *SESSION_MARKERS.values()):
        assert marker in TEXT_MARKERS


def make_marked(project: Path) -> Path:
    make_mini(
        project,
        {
            "marked.md": story_text(title="Marked story", extra="".join(STORY_MARKERS.values())),
            "wip.md": story_text(title=DRAFT_TITLE, extra="draft: true\n"),
        },
    )
    (project / "workshops").mkdir()
    (project / "workshops" / "marked.yml").write_text(WORKSHOP, encoding="utf-8")
    return project


@pytest.fixture
def marked_project(tmp_path: Path) -> Path:
    """The marked storybook, to change."""
    return make_marked(tmp_path / "mini")


@pytest.fixture(scope="module")
def marked_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Both editions of the marked storybook, built strict once for the tests that read them."""
    project = make_marked(tmp_path_factory.mktemp("marked") / "mini")
    with pytest.MonkeyPatch.context() as room:
        # Built for a room's projector, the learner edition has its projector views too.
        room.setenv(CONSOLE_URL_VARIABLE, DEFAULT_CONSOLE_URL)
        sites = {edition: build_edition(project, edition, strict=True) for edition in EDITIONS}
    built = {edition: snapshot(site) for edition, site in sites.items()}
    yield sites
    for edition, site in sites.items():
        assert changed_files(built[edition], snapshot(site)) == [], f"a test changed {site}"


def test_the_learner_edition_holds_no_facilitator_byte_anywhere(
    marked_sites: dict[str, Path],
) -> None:
    facilitator = site_bytes(marked_sites["facilitator"])
    learner = site_bytes(marked_sites["learner"])

    # The markers are really published in the facilitator edition, in pages and search...
    everything = b"".join(facilitator.values())
    for marker in [*TEXT_MARKERS, MINUTES_SHOWN]:
        assert marker.encode() in everything, marker
    # (A story's facilitator material is searched on its page; a workshop's run-of-show,
    # which holds the session notes, is no search result: search lands on stories.)
    fragments = b"".join(
        data for name, data in facilitator.items() if name.endswith(".pf_fragment (decompressed)")
    )
    assert b"MARKER-PLAN-LISTEN" in fragments and b"MARKER-STORY-NOTES" in fragments
    # ...so their absence from the learner edition means something.
    for name in ("sitemap.xml", "sitemap.xml.gz (decompressed)"):
        assert name in learner
    pagefind = [name for name in learner if name.startswith("pagefind/")]
    for kind in (
        ".pf_fragment (decompressed)",
        ".pf_index (decompressed)",
        ".pf_meta (decompressed)",
    ):
        assert any(name.endswith(kind) for name in pagefind), kind
    assert "workshops/marked/index.html" in learner
    # The projector view is learner material; the presenter console is the facilitator's.
    assert "present/marked/index.html" in learner and "console/marked/index.html" in facilitator
    assert not any(name.startswith("console/") for name in learner)
    for name, data in learner.items():
        for marker in [*TEXT_MARKERS, MINUTES_SHOWN]:
            assert marker.encode() not in data, (marker, name)
        if not name.startswith("assets/"):
            assert b"437" not in data, name
        assert b"stories/wip" not in data, name


def test_the_offline_learner_edition_holds_no_facilitator_byte_in_its_packed_index(
    marked_project: Path,
) -> None:
    """Offline, Pagefind's files are packed into scripts, their bytes in base64, which a scan
    of the bytes alone would not see into: unpacked and decompressed, the facilitator
    edition's carry the markers and the learner edition's none."""
    config = marked_project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  - search\n", "  - search\n  - offline\n")
    config.write_text(text, encoding="utf-8")
    sites = {edition: site_bytes(build_edition(marked_project, edition)) for edition in EDITIONS}
    fragment = ".pf_fragment.js (unpacked) (decompressed)"
    facilitator = b"".join(
        data for name, data in sites["facilitator"].items() if name.endswith(fragment)
    )
    assert b"MARKER-PLAN-LISTEN" in facilitator and b"MARKER-STORY-NOTES" in facilitator
    learner = sites["learner"]
    assert any(name.endswith(fragment) for name in learner)
    assert not any(name.endswith((".pf_fragment", ".pf_index", ".pf_meta")) for name in learner)
    for name, data in learner.items():
        for marker in [*TEXT_MARKERS, MINUTES_SHOWN]:
            assert marker.encode() not in data, (marker, name)
        assert b"stories/wip" not in data, name


def test_templates_that_print_everything_they_get_still_show_learners_nothing(
    marked_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The learner edition never hands facilitator material to a template at all."""
    monkeypatch.setenv(CONSOLE_URL_VARIABLE, DEFAULT_CONSOLE_URL)  # its projector views too
    printed = {
        "story.md.j2": "{{ story }} {{ questions }} {{ further_questions }} {{ bank_questions }} "
        "{{ facilitator }}",
        "agenda.md.j2": "{{ workshop }} {{ slots }}",
        "workbook.md.j2": "{{ workshop }} {{ slots }} {{ stories }}",
        "workshops.md.j2": "{{ workshops }} {{ guide }}",
        "home.md.j2": "{{ stories }} {{ kinds }} {{ workshops }} {{ paths }}",
        "tag.md.j2": "{{ tag }} {{ stories }}",
        "tags.md.j2": "{{ kinds }}",
        "present.md.j2": "{{ story }} {{ parts }} {{ questions }} {{ join }}",
    }
    for name, everything in printed.items():
        template = own_template(marked_project, name)
        template.write_text(
            template.read_text(encoding="utf-8") + f"\n\n{everything}\n", encoding="utf-8"
        )
    learner = site_bytes(build_edition(marked_project, "learner"))
    story = learner["stories/marked/index.html"].decode()
    assert "Marked story" in story and "None" in story  # facilitator=None was printed
    assert "A short summary." in learner["present/marked/index.html"].decode()
    for name, data in learner.items():
        for marker in [*TEXT_MARKERS, MINUTES_SHOWN]:
            assert marker.encode() not in data, (marker, name)


def test_every_facilitator_page_says_so_and_no_learner_page_does(
    marked_sites: dict[str, Path],
) -> None:
    facilitator, learner = marked_sites["facilitator"], marked_sites["learner"]
    pages = [p for p in facilitator.rglob("*.html") if p.name != "404.html"]
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert BANNER_CLASS in html and "Facilitator edition: not for learners" in html, page
        assert "Test storybook · Facilitator edition" in html, page
    # The 404 page is not made from Markdown; the site name in its header says it.
    assert "Test storybook · Facilitator edition" in (facilitator / "404.html").read_text(
        encoding="utf-8"
    )
    for page in learner.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert BANNER_CLASS not in html and "· Facilitator edition" not in html, page


def test_the_facilitator_edition_shows_drafts_marked_as_drafts(
    marked_sites: dict[str, Path],
) -> None:
    facilitator = marked_sites["facilitator"]
    draft = (facilitator / "stories" / "wip" / "index.html").read_text(encoding="utf-8")
    assert "Unfinished MARKER-DRAFT" in draft and "This story is a draft" in draft
    home = (facilitator / "index.html").read_text(encoding="utf-8")
    assert "Unfinished MARKER-DRAFT</a></strong> <em>(draft)</em>" in home
    story = (facilitator / "stories" / "marked" / "index.html").read_text(encoding="utf-8")
    assert "This story is a draft" not in story
    assert "How to open." in story and "Open MARKER-PLAN-OPEN" in story
    docs = search_index(facilitator)
    assert any("MARKER-DRAFT" in doc["title"] for doc in docs)
    # The banner is on every page, so searching would find it on every page: it is not indexed.
    assert not any("not for learners" in doc["text"] for doc in docs)


def test_sample_storybook_builds_both_editions_from_the_environment_variable(
    sample_project: Path,
) -> None:
    """`mkdocs build` as a trainer runs it: the edition comes from STORYBOOK_EDITION."""

    def mkdocs_build(edition: str | None) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "STORYBOOK_EDITION"}
        if edition is not None:
            env["STORYBOOK_EDITION"] = edition
        return run_mkdocs(sample_project, "--strict", env=env)

    assert mkdocs_build(None).returncode == 0
    facilitator = mkdocs_build("facilitator")
    assert facilitator.returncode == 0, facilitator.stderr
    # The facilitator edition never lands in site/, the folder that gets published.
    learner_site, facilitator_site = sample_project / "site", sample_project / "site-facilitator"
    slump = "stories/the-quiet-slump/index.html"
    assert "For the facilitator" not in (learner_site / slump).read_text(encoding="utf-8")
    page = (facilitator_site / slump).read_text(encoding="utf-8")
    assert "For the facilitator: about 60 minutes" in page and "What to listen for." in page
    assert "Synopsis." in page

    wrong = mkdocs_build("trainer")
    assert wrong.returncode != 0
    assert "'learner', 'facilitator'" in wrong.stderr and "Traceback" not in wrong.stderr


def test_the_facilitator_edition_is_never_deployed(mini_project: Callable[..., Path]) -> None:
    project = mini_project()
    (project / "mkdocs.yml").write_text(
        (project / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .replace("  - storybook\n", "  - storybook:\n      edition: facilitator\n"),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "gh-deploy"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "mkdocs gh-deploy: the facilitator edition is never deployed" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_facilitator_field_is_reported_without_quoting_it(
    mini_project: Callable[..., Path],
) -> None:
    """Problems are shown on every served page, the learner edition's too."""
    project = mini_project(
        {
            "one.md": story_text(
                extra=textwrap.dedent(
                    """\
                    suggested_minutes: "MARKER-BAD-MINUTES"
                    discussion_plan:
                      opne: "MARKER-BAD-PART"
                      close: ["MARKER-BAD-CLOSE"]
                    """
                )
            )
        }
    )
    from storybook.sections import build_site

    result = build_site(project / "stories", project / "templates")
    messages = [problem.format() for problem in result.problems]
    assert any(":8: suggested_minutes must be a whole number" in m for m in messages), messages
    assert any(":10: discussion_plan: unknown part 'opne'" in m for m in messages), messages
    assert any(":11: discussion_plan: close must be text" in m for m in messages), messages
    assert not any("MARKER" in message for message in messages)

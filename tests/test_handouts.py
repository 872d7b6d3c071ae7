"""A workshop's handouts and console: which edition has which page, and what each holds.

Real builds of the sample storybook and of a story carrying a marker in every
facilitator-only field, read back from the site folder.
"""

from __future__ import annotations

import html as html_module
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from storybook.core.editions import FACILITATOR_EDITION
from storybook.core.library import load_library
from storybook.workshops.handouts import demote_headings, handout_front_matter, render_console
from storybook.workshops.plan import load_workshops

from .conftest import ROOT, build_edition, search_index, story_text
from .test_editions import STORY_MARKERS, TEXT_MARKERS, WORKSHOP

SAMPLE = "workshops/new-manager-day-one"
SIDEBAR = r'<div class="md-sidebar [^"]*" data-md-component="sidebar"[^>]*>'
PAGES = {
    "workbook": f"{SAMPLE}/workbook/index.html",
    "pack": f"{SAMPLE}/pack/index.html",
    "console": f"{SAMPLE}/console/index.html",
}


@pytest.fixture(scope="module")
def sample_sites(built_sample: Callable[..., Path]) -> dict[str, Path]:
    """The sample storybook built in both editions, shared with the other tests that read it."""
    return {edition: built_sample(edition) for edition in ("learner", "facilitator")}


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def text_of(html: str) -> str:
    """The words of a page's article, without tags, for plain checks."""
    article = html[html.index("<article") : html.index("</article>")]
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", article)))


def test_each_edition_has_exactly_its_handouts(sample_sites: dict[str, Path]) -> None:
    learner, facilitator = sample_sites["learner"], sample_sites["facilitator"]
    assert (learner / PAGES["workbook"]).is_file()
    assert not (learner / PAGES["pack"]).exists()
    assert not (learner / PAGES["console"]).exists()
    for page in PAGES.values():
        assert (facilitator / page).is_file(), page


def test_the_workshop_pages_link_to_their_handouts(sample_sites: dict[str, Path]) -> None:
    agenda = read(sample_sites["learner"], f"{SAMPLE}/index.html")
    assert 'href="workbook/"' in agenda or 'href="new-manager-day-one/workbook/"' in agenda
    assert "pack/" not in agenda and "console/" not in agenda
    run_of_show = read(sample_sites["facilitator"], f"{SAMPLE}/index.html")
    for name in ("workbook", "pack", "console"):
        assert f'href="{name}/"' in run_of_show, name


def test_handouts_hide_the_sidebars(sample_sites: dict[str, Path]) -> None:
    for edition, page in (
        ("learner", "workbook"),
        ("facilitator", "pack"),
        ("facilitator", "console"),
    ):
        html = read(sample_sites[edition], PAGES[page])
        sidebars = re.findall(SIDEBAR, html)
        assert len(sidebars) == 2 and all(" hidden" in tag for tag in sidebars), (edition, page)
    story = read(sample_sites["learner"], "stories/the-quiet-slump/index.html")
    assert not any(" hidden" in tag for tag in re.findall(SIDEBAR, story))


def questions_in(html: str, slug: str) -> list[str]:
    """The questions of one story's reflection blocks, in the order the page shows them (a
    story with a held-back part asks some before it and the rest after it)."""
    blocks = re.findall(rf'data-story="{slug}".*?</div>', html, re.S)
    assert blocks, f"no reflection block for {slug}"
    items = [item for block in blocks for item in re.findall(r"<li>(.*?)</li>", block, re.S)]
    return [re.sub(r"\s+", " ", item).strip() for item in items]


def test_the_workbook_holds_the_agenda_and_every_story_with_its_questions(
    sample_sites: dict[str, Path],
) -> None:
    library = load_library(ROOT / "stories", ROOT / "templates")
    workshops, _ = load_workshops(ROOT / "workshops", library.stories)
    workshop = next(w for w in workshops if w.slug == "new-manager-day-one")
    by_slug = {story.slug: story for story in library.stories}
    workbook = read(sample_sites["learner"], PAGES["workbook"])
    words = text_of(workbook)
    for session in workshop.sessions:
        title = by_slug[session.story].title if session.story else session.label
        assert title is not None and title in words, title
    slugs = [session.story for session in workshop.sessions if session.story]
    for slug in slugs:
        story_page = read(sample_sites["learner"], f"stories/{slug}/index.html")
        asked = questions_in(story_page, slug)
        assert len(asked) > len(by_slug[slug].reflection), "own and theme questions"
        assert questions_in(workbook, slug) == asked
    # Each story has the heading print.css starts a new page at.
    assert len(re.findall(r'<h2 class="storybook-workbook__story"', workbook)) == len(slugs)


def test_the_learner_workbook_holds_no_facilitator_material(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project(
        {"marked.md": story_text(title="Marked story", extra="".join(STORY_MARKERS.values()))}
    )
    (project / "workshops").mkdir()
    (project / "workshops" / "marked.yml").write_text(WORKSHOP, encoding="utf-8")
    learner = build_edition(project, "learner", strict=True)
    workbook = (learner / "workshops/marked/workbook/index.html").read_text(encoding="utf-8")
    assert "Marked story" in workbook and "What did Sam notice?" in workbook
    for marker in TEXT_MARKERS:
        assert marker not in workbook, marker
    assert not (learner / "workshops/marked/pack").exists()

    facilitator = build_edition(project, "facilitator", strict=True)
    pack = (facilitator / "workshops/marked/pack/index.html").read_text(encoding="utf-8")
    for marker in ("MARKER-SEGMENT-TITLE", "MARKER-SEGMENT-NOTES", "MARKER-ROLE"):
        assert marker in pack, marker
    for marker in ("MARKER-BRIEF", "MARKER-STORY-NOTES", "MARKER-PLAN-OPEN"):
        assert marker in pack, marker
    assert "MARKER-WORKSHOP-NOTES" in pack and "MARKER-SESSION-NOTES" in pack
    # The facilitator edition's workbook is the learners' one: it goes to participants.
    same = (facilitator / "workshops/marked/workbook/index.html").read_text(encoding="utf-8")
    for marker in TEXT_MARKERS:
        assert marker not in same, marker


def test_the_pack_has_one_role_card_block_per_role(sample_sites: dict[str, Path]) -> None:
    pack = read(sample_sites["facilitator"], PAGES["pack"])
    # Three stories of the sample workshop end in a conversation to practise: two roles each.
    assert pack.count('class="storybook-role-card"') == 6
    assert "Role card: Jussara, shift supervisor" in pack
    assert "Role card: Arlindo, plant manager" in pack
    assert "Three meetings" in pack  # a segment


def test_the_console_carries_the_plan_on_the_clock(sample_sites: dict[str, Path]) -> None:
    console = read(sample_sites["facilitator"], PAGES["console"])
    assert 'data-date="2026-03-10"' in console and 'data-begins="570"' in console
    sessions = re.findall(
        r'storybook-console__session" data-begins="(\d+)" data-ends="(\d+)"', console
    )
    assert sessions[0] == ("570", "585") and sessions[-1] == ("825", "835")
    assert "Go first yourself" in console  # a session's notes
    assert "workshop-console.js" in console
    # Without a presenter console in the build, a story links to its page.
    assert 'href="../../../stories/the-friday-rota/"' in console


def test_the_console_links_to_each_story_console_the_build_has() -> None:
    from storybook.core.render import Renderer

    library = load_library(ROOT / "stories", ROOT / "templates")
    workshops, _ = load_workshops(ROOT / "workshops", library.stories)
    workshop = next(w for w in workshops if w.slug == "new-manager-day-one")
    assert library.vocabulary is not None
    stories = {story.slug: story for story in library.stories}
    page = render_console(
        workshop,
        stories,
        library.vocabulary,
        Renderer(ROOT / "templates"),
        FACILITATOR_EDITION,
        {"console/the-friday-rota.md"},
    )
    assert "(../../console/the-friday-rota.md)" in page.content
    assert "(../../console/camera-off.md)" not in page.content


def test_handout_front_matter_hides_navigation_and_contents() -> None:
    head = handout_front_matter('A "quoted" title', "About it.")
    assert head.startswith("---\ntitle: ") and head.endswith("---\n\n")
    assert "hide:\n  - navigation\n  - toc\nsearch:\n  exclude: true\n---" in head


def test_search_finds_stories_not_workshops_nor_their_handouts(
    sample_sites: dict[str, Path],
) -> None:
    """A workshop's agenda and handouts repeat its stories: search lands on the stories."""
    for site in sample_sites.values():
        pages = {doc["location"].split("#")[0] for doc in search_index(site)}
        assert "stories/camera-off/" in pages
        assert [page for page in pages if page.startswith("workshops/")] == []


@pytest.mark.parametrize(
    ("goal", "expected"),
    [
        (["serve", "PORT=8123"], ["mkdocs serve", "-a 127.0.0.1:8123"]),
        (["serve"], ["mkdocs serve", "-a 127.0.0.1:8000"]),
        (
            ["room", "PORT=8100", "FACILITATOR_PORT=8101", "HOST=0.0.0.0"],
            ["storybook serve --room", "--port 8100", "--facilitator-port 8101", "--host 0.0.0.0"],
        ),
        (["room"], ["--port 8000", "--facilitator-port 8001", "--host 127.0.0.1"]),
    ],
)
def test_make_passes_ports_and_host_on(goal: list[str], expected: list[str]) -> None:
    """What `make serve` and `make room` run, as the README says (-n: print, run nothing)."""
    # --no-print-directory: inside `make test` a nested make would add "Leaving directory".
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", *goal],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    command = next(line for line in reversed(result.stdout.splitlines()) if " serve" in line)
    for words in expected:
        assert words in command, command


def test_a_storys_own_headings_go_below_its_title_in_a_handout() -> None:
    body = (
        "Intro.\n\n## Part one\n\n```\n## not a heading\n```\n\n### Deeper\n\n#hashtag\n###### Six"
    )
    assert demote_headings(body) == (
        "Intro.\n\n### Part one\n\n```\n## not a heading\n```\n\n#### Deeper\n\n#hashtag\n###### Six"
    )


def test_the_workbook_warns_of_a_storys_content_before_it(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project(
        {"heavy.md": story_text(title="Heavy story", extra="content_notes: [bereavement]\n")}
    )
    (project / "workshops").mkdir()
    (project / "workshops" / "w.yml").write_text(
        WORKSHOP.replace("story: marked", "story: heavy"), encoding="utf-8"
    )
    site = build_edition(project, "learner", strict=True)
    words = text_of(read(site, "workshops/w/workbook/index.html"))
    assert "Content note: this story touches on bereavement." in words
    assert words.index("Content note") < words.index("The story body.")

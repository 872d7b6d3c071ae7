"""Coverage of the vocabulary by the library, and the warnings that keep it balanced."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from storybook.cli import main
from storybook.core.coverage import MAX_OWN_QUESTIONS, coverage, coverage_warnings
from storybook.core.editions import FACILITATOR_EDITION
from storybook.core.library import Library, load_library
from storybook.core.render import MAX_PAGE_CHARS
from storybook.core.vocabulary import load_vocabulary
from storybook.sections import build_site
from tests.conftest import ROOT, build_edition, own_template, search_index, story_text

# The moments every new manager meets first; each needs more than one story to compare.
FIRST_TEN = (
    "first-90-days",
    "leading-former-peers",
    "first-hard-feedback",
    "underperformance",
    "personal-crisis",
    "top-performer-at-risk",
    "conflict-in-team",
    "cascading-unpopular-change",
    "owning-a-mistake",
    "overloaded-manager",
)


def library_of(make: Callable[..., Path], stories: dict[str, str]) -> Library:
    project = make(stories)
    library = load_library(project / "stories", project / "templates")
    assert library.problems == [] and library.vocabulary is not None
    return library


def lines_of(path: Path, text: str) -> list[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, 1) if line.strip() == text]


def test_the_sample_library_covers_every_moment_and_no_tag_crowds_it() -> None:
    library = load_library(ROOT / "stories", ROOT / "templates")
    assert library.problems == [] and library.vocabulary is not None
    found = coverage(library.vocabulary, library.stories)
    assert found.uncovered("moments") == [], "every moment needs at least one published story"
    assert set(FIRST_TEN) <= {row.tag.name for row in found.kinds["moments"]}
    for row in found.kinds["moments"]:
        if row.tag.name in FIRST_TEN:
            assert len(row.stories) >= 2, row.tag.name
    assert found.crowded() == [], "no tag may be on more than half of the library"
    assert coverage_warnings(library.vocabulary, library.stories) == []


def with_own_vocabulary(make: Callable[..., Path]) -> Callable[..., Path]:
    """A storybook with its own copy of tags.yml: the vocabulary a trainer may edit, whose
    gaps are each a warning at their line (the package's are one warning, see test_init)."""

    def made(stories: dict[str, str]) -> Path:
        project = make(stories)
        own_template(project, "tags.yml")
        return project

    return made


def test_removing_the_only_story_of_a_moment_warns_at_the_moment(
    mini_project: Callable[..., Path],
) -> None:
    library = library_of(
        with_own_vocabulary(mini_project),
        {
            "a.md": story_text("A", tags="[redundancies, wellbeing]"),
            "b.md": story_text("B", tags="[first-hire]"),
            "c.md": story_text("C", tags="[first-hire]", extra="draft: true\n"),
        },
    )
    assert library.vocabulary is not None
    warnings = coverage_warnings(library.vocabulary, library.stories)
    tags_yml = library.vocabulary.path
    uncovered = {w.message for w in warnings if w.message.startswith("no published story")}
    moments = {tag.name for tag in library.vocabulary.by_kind("moments")}
    assert uncovered == {
        f"no published story has the moment '{name}'"
        for name in moments - {"redundancies", "first-hire"}
    }
    # Each warning points at the moment's own line in tags.yml.
    burnout = next(w for w in warnings if "'team-burnout'" in w.message)
    assert burnout.path == tags_yml
    assert [burnout.line] == lines_of(tags_yml, "team-burnout:")
    # Themes are skills, not situations: a theme without a story is not a gap.
    assert not any("'coaching'" in w.message for w in warnings)


def test_a_tag_on_more_than_half_of_the_library_warns_and_half_does_not(
    mini_project: Callable[..., Path],
) -> None:
    library = library_of(
        mini_project,
        {
            "a.md": story_text("A", tags="[communication, wellbeing]"),
            "b.md": story_text("B", tags="[communication, wellbeing]"),
            "c.md": story_text("C", tags="[communication]"),
            "d.md": story_text("D", tags="[feedback]"),
        },
    )
    assert library.vocabulary is not None
    crowded = [
        w for w in coverage_warnings(library.vocabulary, library.stories) if "half" in w.message
    ]
    assert [w.message for w in crowded] == ["'communication' is on 3 of 4 stories, more than half"]
    assert [crowded[0].line] == lines_of(library.vocabulary.path, "communication:")
    # Three stories are too few for any tag to crowd the library.
    assert coverage(library.vocabulary, library.stories[:3]).crowded() == []


def test_a_story_with_more_than_seven_questions_of_its_own_warns_at_the_eighth(
    mini_project: Callable[..., Path],
) -> None:
    questions = "".join(f'\n  - "Question {n}?"' for n in range(1, MAX_OWN_QUESTIONS + 2))
    library = library_of(
        mini_project,
        {
            "long.md": story_text("Long", reflection=questions),
            "fine.md": story_text("Fine", reflection=questions.rsplit("\n", 1)[0]),
        },
    )
    assert library.vocabulary is not None
    warnings = [
        w for w in coverage_warnings(library.vocabulary, library.stories) if "asks" in w.message
    ]
    assert [(w.path.name, w.message) for w in warnings] == [
        ("long.md", "the story asks 8 questions of its own, more than 7")
    ]
    assert [warnings[0].line] == lines_of(warnings[0].path, '- "Question 8?"')


def test_coverage_lists_published_stories_by_title_under_each_tag(
    mini_project: Callable[..., Path],
) -> None:
    library = library_of(
        mini_project,
        {
            "z.md": story_text("Zebra crossing", tags="[first-hire, recognition]"),
            "a.md": story_text("Apple", tags="[first-hire]"),
            "d.md": story_text("Draft", tags="[first-hire]", extra="draft: true\n"),
        },
    )
    assert library.vocabulary is not None
    found = coverage(library.vocabulary, library.stories)
    assert [s.title for s in found.stories] == ["Apple", "Zebra crossing"]
    first_hire = next(row for row in found.kinds["moments"] if row.tag.name == "first-hire")
    assert [s.title for s in first_hire.stories] == ["Apple", "Zebra crossing"]
    recognition = next(row for row in found.kinds["themes"] if row.tag.name == "recognition")
    assert [s.title for s in recognition.stories] == ["Zebra crossing"]


def test_check_warns_about_gaps_and_still_succeeds(
    mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = mini_project({"a.md": story_text("A", tags="[first-hire, wellbeing]")})
    vocabulary = own_template(project, "tags.yml")  # a warning says the project's own file
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["check"], catch_exceptions=False)
    assert result.exit_code == 0
    burnout = lines_of(vocabulary, "team-burnout:")[0]
    assert (
        f"warning: templates/tags.yml:{burnout}: no published story has the moment "
        "'team-burnout' - write one, tag an existing story that fits, or remove the moment"
    ) in result.output
    assert "'first-hire'" not in result.output
    assert "coverage warning(s) above." in result.output


def test_the_coverage_page_is_in_the_facilitator_edition_only(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project(
        {
            "a.md": story_text("Apple", tags="[first-hire, wellbeing]"),
            "b.md": story_text("Banana", tags="[redundancies]"),
        }
    )
    site = build_edition(project, "facilitator", strict=True)
    page = (site / "coverage" / "index.html").read_text(encoding="utf-8")
    assert "Coverage of the library" in page and "2 published stories" in page
    assert "Gaps to fill" in page and "moments have no published story yet: first-90-days" in page
    assert '<a href="../stories/a/">Apple</a>' in page
    assert '<a href="../tags/first-hire/">First hire</a>' in page
    themes = (site / "tags" / "index.html").read_text(encoding="utf-8")
    assert 'href="../coverage/"' in themes

    learner = build_edition(project, "learner", strict=True)
    assert not (learner / "coverage").exists()
    assert "coverage" not in (learner / "tags" / "index.html").read_text(encoding="utf-8")
    assert not any("Coverage of the library" in doc["text"] for doc in search_index(learner))


def test_every_facilitator_page_stays_bounded_in_a_library_of_5000_stories(
    mini_project: Callable[..., Path],
) -> None:
    """Past about 4,500 stories the one coverage page outgrew the page limit and the
    facilitator build stopped; it is now paged like the lists of stories. The core pipeline
    only (no MkDocs at this size)."""
    project = mini_project({})
    vocabulary = load_vocabulary(project / "templates")
    themes = [tag.name for tag in vocabulary.by_kind("themes")]
    moments = [tag.name for tag in vocabulary.by_kind("moments")]
    for number in range(5000):
        tags = f"[{themes[number % len(themes)]}, {moments[number % len(moments)]}]"
        title = f"The week a new manager learnt something, story number {number:05d}"
        (project / "stories" / f"story-{number:05d}.md").write_text(
            story_text(title=title, tags=tags), encoding="utf-8"
        )
    result = build_site(project / "stories", project / "templates", edition=FACILITATOR_EDITION)
    assert result.problems == []
    assert max(len(content) for content in result.pages.values()) < MAX_PAGE_CHARS / 10
    first = result.pages["coverage.md"]
    assert (
        "5,000 published stories" in first and "Stories 1\u2013100 of 5,000, page 1 of 50" in first
    )
    assert "more](../tags/" not in first and "more](tags/" in first, "the rest on the tag's page"
    assert first.startswith("---\ntitle: Coverage of the library\ndescription: ")
    last = result.pages["coverage/50.md"]
    assert last.startswith("---\ntitle: Coverage of the library, page 50 of 50\ndescription: ")
    assert "Stories 4,901\u20135,000 of 5,000, page 50 of 50." in last
    assert "](../stories/story-04999.md)" in last and "[Previous page](49.md)" in last

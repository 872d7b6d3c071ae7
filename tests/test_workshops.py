"""Workshops: loading and checking the plan, the run-of-show's clock, and both editions' pages."""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from storybook.cli import main
from storybook.core.errors import StorybookError
from storybook.core.library import load_library
from storybook.core.yamlfile import parse_yaml
from storybook.workshops.plan import (
    Session,
    Workshop,
    clock,
    load_workshops,
    schedule,
    validate_workshop,
)

from .conftest import DATA, ROOT, build_edition, build_error, snapshot, story_text

BAD = DATA / "bad_workshops"
EXPECTED: dict[str, dict[str, object]] = yaml.safe_load(
    (BAD / "expected.yml").read_text(encoding="utf-8")
)
SAMPLE = "workshops/new-manager-day-one/index.html"
DASH = "\u2013"  # between the clock times of a session
CLOCK = '<td><span class="storybook-clock">'


def workshop_from(tmp_path: Path, text: str) -> Workshop:
    path = tmp_path / "w.yml"
    path.write_text(text, encoding="utf-8")
    return validate_workshop(path, parse_yaml(text, path))


def test_the_sample_workshop_fits_its_planned_length() -> None:
    library = load_library(ROOT / "stories", ROOT / "templates")
    workshops, problems = load_workshops(ROOT / "workshops", library.stories)
    assert problems == []
    workshop = next(w for w in workshops if w.slug == "new-manager-day-one")
    assert workshop.date == datetime.date(2026, 3, 10)
    stories = [s.story for s in workshop.sessions if s.story]
    assert len(stories) >= 3 and {s.kind for s in workshop.sessions} == {
        "story",
        "break",
        "exercise",
    }
    for each in workshops:
        assert each.total_minutes == each.planned_minutes and each.over_minutes == 0, each.slug


def test_schedule_counts_clock_times_and_minutes_from_the_start(tmp_path: Path) -> None:
    workshop = workshop_from(
        tmp_path,
        "title: Late\ndate: 2026-03-10\nstart: 23:15\nplanned_minutes: 60\nsessions:\n"
        "  - story: one\n    minutes: 40\n    activity: Pairs\n"
        "  - break:\n    minutes: 30\n",
    )
    assert workshop.start == 23 * 60 + 15  # unquoted 23:15 is read by YAML as 1395
    first, second = schedule(workshop)
    assert (clock(first.start), clock(first.end), first.cumulative) == ("23:15", "23:55", 40)
    assert (clock(second.start), clock(second.end), second.cumulative) == ("23:55", "00:25", 70)
    assert second.session == Session(kind="break", minutes=30, line=9, label="Break")
    assert not first.past_planned_end and second.past_planned_end
    assert workshop.over_minutes == 10


@pytest.mark.parametrize("written", ['"09:30"', '"9:30"', "09:30", "9:30", '"9.30"', '"9h30"'])
def test_start_times_are_read_as_trainers_write_them(tmp_path: Path, written: str) -> None:
    text = f"title: T\ndate: 2026-03-10\nstart: {written}\nplanned_minutes: 5\nsessions:\n"
    workshop = workshop_from(tmp_path, text + "  - break: Tea\n    minutes: 5\n")
    assert clock(workshop.start) == "09:30"


@pytest.fixture
def workshop_project(mini_project: Callable[..., Path]) -> Path:
    project = mini_project(
        {
            "one.md": story_text(title="Story one"),
            "wip.md": story_text(title="Unfinished", extra="draft: true\n"),
        }
    )
    (project / "workshops").mkdir()
    return project


def check(project: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["check"], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_every_bad_workshop_is_reported_at_its_line_by_check_and_build(
    case: str, workshop_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(BAD / case, workshop_project / "workshops" / case)
    before = snapshot(workshop_project)
    expected = EXPECTED[case]
    code, output = check(workshop_project, monkeypatch)
    assert code == 1, output
    where = f"workshops/{case}:{expected['line']}: "
    line = next((line for line in output.splitlines() if line.startswith(where)), None)
    assert line is not None, output
    for words in expected["says"]:  # type: ignore[attr-defined]
        assert words in line, line
    assert "Traceback" not in output
    assert line in build_error(workshop_project), "mkdocs build must report the same message"
    out = workshop_project.parent / "export"
    monkeypatch.chdir(workshop_project)
    exported = CliRunner().invoke(main, ["export", str(out)], catch_exceptions=False)
    assert exported.exit_code == 1 and line in exported.output, exported.output
    assert not out.exists() or not any(out.iterdir()), "an export with problems writes nothing"
    assert snapshot(workshop_project) == before


def test_a_draft_in_a_workshop_fails_the_facilitator_build_too(workshop_project: Path) -> None:
    """The facilitator edition shows drafts, but a workshop must not plan one."""
    shutil.copy(BAD / "draft-story.yml", workshop_project / "workshops" / "draft-story.yml")
    config = workshop_project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - storybook\n", "  - storybook:\n      edition: facilitator\n"
        ),
        encoding="utf-8",
    )
    assert "workshops/draft-story.yml:6: the story 'wip' is a draft" in build_error(
        workshop_project
    )


def test_a_workshop_naming_a_broken_story_leaves_the_story_to_say_what_is_wrong(
    workshop_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workshop_project / "stories" / "one.md").write_text(
        story_text(tags="[welbeing]"), encoding="utf-8"
    )
    shutil.copy(BAD / "unknown-story.yml", workshop_project / "workshops" / "plan.yml")
    (workshop_project / "workshops" / "plan.yml").write_text(
        (BAD / "unknown-story.yml").read_text(encoding="utf-8").replace("onee", "one"),
        encoding="utf-8",
    )
    code, output = check(workshop_project, monkeypatch)
    assert code == 1
    assert "stories/one.md:5: unknown tag 'welbeing'" in output
    assert "workshops/plan.yml" not in output


def test_check_counts_the_sample_workshop(
    sample_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = check(sample_project, monkeypatch)
    stories = len(list((sample_project / "stories").glob("*.md")))
    workshops = len(list((sample_project / "workshops").glob("*.yml")))
    assert code == 0 and f"{stories} stories, {workshops} workshop(s)" in output


def test_run_of_show_has_clock_times_and_warns_when_a_session_runs_past_the_plan(
    built_sample: Callable[..., Path], sample_project: Path
) -> None:
    page = (built_sample("facilitator") / SAMPLE).read_text(encoding="utf-8")
    assert "run-of-show" in page
    assert f"{CLOCK}09:45{DASH}10:35</span></td>" in page
    assert f"{CLOCK}12:40{DASH}13:25</span></td>" in page  # lunch
    assert f"{CLOCK}13:45{DASH}13:55</span></td>" in page
    assert '<td style="text-align: right;">265</td>' in page  # cumulative minutes at the end
    assert "The plan runs" not in page and "over time" not in page
    # The story's facilitator notes, in place, under its session.
    article = page[page.index("<article") :]
    rota, coffee = article.index("09:45 The Friday Rota"), article.index("10:35 Coffee")
    assert rota < article.index("What to listen for.", rota) < coffee
    assert article.index("Synopsis.", rota) < coffee

    plan = sample_project / "workshops" / "new-manager-day-one.yml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "  - story: camera-off\n    minutes: 50\n", "  - story: camera-off\n    minutes: 65\n"
        ),
        encoding="utf-8",
    )
    page = (build_edition(sample_project, "facilitator", strict=True) / SAMPLE).read_text(
        encoding="utf-8"
    )
    assert "The plan runs 15 minutes over" in page
    assert "ends at 14:10 instead of 13:55" in page
    assert f"{CLOCK}11:50{DASH}12:55</span></td>" in page
    assert f"{CLOCK}14:00{DASH}14:10</span> <strong>over time</strong></td>" in page


def test_the_learner_agenda_links_stories_and_their_questions_and_nothing_more(
    built_sample: Callable[..., Path],
) -> None:
    site = built_sample("learner")
    page = (site / SAMPLE).read_text(encoding="utf-8")
    assert '<a href="../../stories/the-friday-rota/">The Friday Rota</a>' in page
    assert 'href="../../stories/the-friday-rota/#reflection"' in page
    assert "What did Amara notice in the staff room" in page
    assert f"{CLOCK}09:45{DASH}10:35</span></td>" in page
    for facilitator_only in ("run-of-show", "For the facilitator", "Ground rules", "over time"):
        assert facilitator_only not in page, facilitator_only
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="workshops/new-manager-day-one/"' in home
    index = (site / "workshops" / "index.html").read_text(encoding="utf-8")
    assert 'href="new-manager-day-one/"' in index and "Planning a workshop" not in index
    assert "Workshops" in home[home.index('<nav class="md-nav md-nav--primary"') :]


def test_the_facilitator_workshops_page_documents_the_file_from_the_model(
    built_sample: Callable[..., Path],
) -> None:
    from storybook.workshops.plan import SESSION_FIELDS, WORKSHOP_FIELDS

    site = built_sample("facilitator")
    index = (site / "workshops" / "index.html").read_text(encoding="utf-8")
    assert "Planning a workshop" in index
    for spec in (*WORKSHOP_FIELDS, *SESSION_FIELDS):
        assert f"<code>{spec.name}</code>" in index, spec.name


def test_a_bad_workshop_file_raises_every_problem_at_once(tmp_path: Path) -> None:
    text = "titel: x\ndate: someday\nstart: noon\nplanned_minutes: 0\nsessions:\n  - break: Tea\n"
    with pytest.raises(StorybookError) as caught:
        workshop_from(tmp_path, text)
    lines = sorted(problem.line for problem in caught.value.problems)
    assert lines == [1, 1, 2, 3, 4, 6]


def test_two_workshop_files_may_not_share_a_page_address(
    workshop_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (BAD / "unknown-story.yml").read_text(encoding="utf-8").replace("onee", "one")
    (workshop_project / "workshops" / "Day One.yml").write_text(text, encoding="utf-8")
    (workshop_project / "workshops" / "day-one.yml").write_text(text, encoding="utf-8")
    code, output = check(workshop_project, monkeypatch)
    assert code == 1
    assert "workshops/day-one.yml:1: this workshop gets the same page address as Day One.yml" in (
        output
    )


@pytest.mark.parametrize("edition", ["learner", "facilitator"])
def test_titles_with_brackets_keep_their_links_in_agendas_and_lists(
    sample_project: Path, edition: str
) -> None:
    story = sample_project / "stories" / "the-friday-rota.md"
    story.write_text(
        story.read_text(encoding="utf-8").replace(
            'title: "The Friday Rota"', 'title: "The Friday Rota ] Part [1"'
        ),
        encoding="utf-8",
    )
    workshop = sample_project / "workshops" / "new-manager-day-one.yml"
    text = workshop.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    workshop.write_text(text.replace(title, 'title: "Day one ] \\\\ [two"'), encoding="utf-8")
    site = build_edition(sample_project, edition, strict=True)
    page = (site / SAMPLE).read_text(encoding="utf-8")
    link = '<a href="../../stories/the-friday-rota/">The Friday Rota ] Part [1</a>'
    assert page.count(link) >= 1, page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="workshops/new-manager-day-one/">Day one ] \\ [two</a>' in home
    index = (site / "workshops" / "index.html").read_text(encoding="utf-8")
    assert '<a href="new-manager-day-one/">Day one ] \\ [two</a>' in index

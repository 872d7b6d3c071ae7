"""Learning paths: checking paths/*.yml at file:line, their pages, and "On the path" blocks."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from storybook.cli import main
from storybook.core.library import load_library
from storybook.paths.plan import load_paths
from storybook.sections import build_site

from .conftest import DATA, ROOT, build, build_error, snapshot, story_text

BAD = DATA / "bad_paths"
EXPECTED: dict[str, dict[str, object]] = yaml.safe_load(
    (BAD / "expected.yml").read_text(encoding="utf-8")
)
GOOD = """\
title: "Start here"
summary: "Two stories."
steps:
  - story: one
    why: "Read it first."
    week: 1
  - story: two
    why: "Then this one."
"""


@pytest.fixture
def path_project(mini_project: Callable[..., Path]) -> Path:
    project = mini_project(
        {
            "one.md": story_text(title="Story one"),
            "two.md": story_text(title="Story two"),
            "wip.md": story_text(title="Unfinished", extra="draft: true\n"),
        }
    )
    (project / "paths").mkdir()
    return project


def copy_case(case: str, paths: Path) -> None:
    """Puts a catalogue case into ``paths``: a file, a link, a folder named like a path
    file, or (``folder/file.yml``) every file of a folder, for cases made of several files."""
    source = BAD / case.split("/")[0]
    if "/" in case:
        shutil.copytree(source, paths, dirs_exist_ok=True)
    elif source.is_dir():
        shutil.copytree(source, paths / source.name)
    else:
        shutil.copy(source, paths / source.name, follow_symlinks=False)


def check(project: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["check"], catch_exceptions=False)
    return result.exit_code, result.output


def test_the_sample_path_names_published_stories_in_order() -> None:
    library = load_library(ROOT / "stories", ROOT / "templates")
    paths, problems = load_paths(ROOT / "paths", library.stories)
    assert problems == []
    (first,) = paths
    assert first.name == "first-90-days" and first.title == "Your first 90 days"
    assert len(first.steps) >= 3
    assert all(step.why for step in first.steps)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_every_bad_path_is_reported_at_its_line_by_check_and_build(
    case: str, path_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_case(case, path_project / "paths")
    before = snapshot(path_project)
    expected = EXPECTED[case]
    code, output = check(path_project, monkeypatch)
    assert code == 1, output
    name = case.split("/")[-1]
    where = f"paths/{name}:{expected['line']}: " if expected["line"] else f"paths/{name}: "
    line = next((line for line in output.splitlines() if line.startswith(where)), None)
    assert line is not None, output
    for words in expected["says"]:  # type: ignore[attr-defined]
        assert words in line, line
    assert "Traceback" not in output
    assert line in build_error(path_project), "mkdocs build must report the same message"
    out = path_project.parent / "export"
    exported = CliRunner().invoke(main, ["export", str(out)], catch_exceptions=False)
    assert exported.exit_code == 1 and line in exported.output, exported.output
    assert snapshot(path_project) == before


def test_a_bad_path_reports_every_mistake_at_once(path_project: Path) -> None:
    (path_project / "paths" / "many.yml").write_text(
        'summery: "x"\nsteps:\n  - story: onee\n  - story: wip\n  - story: two\n    week: 0\n',
        encoding="utf-8",
    )
    result = build_site(
        path_project / "stories", path_project / "templates", paths_dir=path_project / "paths"
    )
    lines = {(problem.line, problem.message) for problem in result.problems}
    assert (1, "unknown field 'summery'") in lines
    assert (1, "the required field 'title' is missing") in lines
    assert (6, "week must be a whole number from 1 to 104") in lines


def test_a_path_has_its_page_an_index_and_a_block_on_each_story(path_project: Path) -> None:
    (path_project / "paths" / "start-here.yml").write_text(GOOD, encoding="utf-8")
    site = build(path_project, strict=True)
    page = (site / "paths" / "start-here" / "index.html").read_text(encoding="utf-8")
    assert "Start here" in page and "Read it first." in page and "week 1" in page
    assert page.index('href="../../stories/one/"') < page.index('href="../../stories/two/"')
    index = (site / "paths" / "index.html").read_text(encoding="utf-8")
    assert 'href="start-here/"' in index
    one = (site / "stories" / "one" / "index.html").read_text(encoding="utf-8")
    block = one[one.index('class="storybook-on-path"') :]
    assert "story 1 of 2" in block and "Previous" not in block
    assert 'href="../two/">Next: Story two</a>' in block
    two = (site / "stories" / "two" / "index.html").read_text(encoding="utf-8")
    block = two[two.index('class="storybook-on-path"') :]
    assert 'href="../one/">Previous: Story one</a>' in block and "The last story" in block
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.index("Start here") < home.index('id="stories"')
    assert "storybook-on-path" not in (site / "stories" / "wip").as_posix()


def test_without_a_paths_folder_there_are_no_path_pages(path_project: Path) -> None:
    shutil.rmtree(path_project / "paths")
    config = path_project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "  - Home: index.md\n", "  - Home: index.md\n  - Learning paths: paths/index.md\n"
        ),
        encoding="utf-8",
    )
    site = build(path_project, strict=True)  # the navigation's entry is dropped, not a warning
    assert not (site / "paths").exists()
    assert "storybook-on-path" not in (site / "stories" / "one" / "index.html").read_text(
        encoding="utf-8"
    )


def test_check_counts_the_sample_path(monkeypatch: pytest.MonkeyPatch) -> None:
    code, output = check(ROOT, monkeypatch)
    assert code == 0, output
    assert "1 learning path(s)" in output

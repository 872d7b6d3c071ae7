"""`storybook init` and `storybook templates`: a new storybook that checks and builds strict in
both editions as written, and a trainer's own copies of templates that nothing replaces."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from storybook.cli import main
from storybook.core.defaults import DEFAULT_TEMPLATES
from storybook.core.siteconfig import read_config
from storybook.scaffold import project as scaffold

from .conftest import DATA, ROOT, build_edition, snapshot
from .test_cli import run_bad_command

BAD_COMMANDS: dict[str, dict[str, Any]] = yaml.safe_load(
    (DATA / "bad_commands" / "scaffold.yml").read_text(encoding="utf-8")
)
EXAMPLE_STORY = "the-opening-checks"
# What `storybook init` writes, and nothing else: no templates, no tag vocabulary.
STARTER_FILES = [
    ".gitignore",
    "README.md",
    "docs/about.md",
    "mkdocs.yml",
    "paths/_example.yml",
    f"stories/{EXAMPLE_STORY}.md",
    "workshops/_example.yml",
]
SAMPLE_FOLDERS = ("stories", "workshops", "paths")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder to run the commands in, as a trainer would."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def new_storybook(here: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A storybook just made with `storybook init`, entered."""
    code, output = run("init", "team-stories")
    assert code == 0, output
    monkeypatch.chdir(here / "team-stories")
    yield here / "team-stories"


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_init_writes_the_starter_and_no_template(here: Path) -> None:
    code, output = run("init", "team-stories")
    assert code == 0, output
    assert f"Created a storybook in team-stories: {len(STARTER_FILES)} files." in output
    assert "cd team-stories && storybook check && mkdocs serve" in output
    # No templates, no tags.yml: a newer package brings its own to every page not overridden.
    assert files_in(here / "team-stories") == STARTER_FILES


def test_what_init_writes_checks_all_good_as_it_is(new_storybook: Path) -> None:
    code, output = run("check")
    assert code == 0, output
    assert re.search(r"^All good: 1 story, \d+ pages", output, re.M), output


def test_the_readme_s_first_command_adds_a_draft_to_a_new_storybook(new_storybook: Path) -> None:
    code, output = run("new", "The first one-to-one")
    assert code == 0, output
    assert (new_storybook / "stories" / "the-first-one-to-one.md").is_file()
    assert "All good: 1 story and 1 draft(s)" in run("check")[1]
    assert "the-first-one-to-one" in (new_storybook / "README.md").read_text(encoding="utf-8")


def test_a_new_storybook_hears_once_of_the_moments_it_has_no_story_for(
    new_storybook: Path,
) -> None:
    """The vocabulary is the package's, not the trainer's to edit: its gaps are one warning
    that says how to make it theirs, not one warning for each of its moments."""
    code, output = run("check")
    assert code == 0, output
    (warning,) = [line for line in output.splitlines() if line.startswith("warning:")]
    assert "of the storybook's moments have no published story yet: first-90-days, " in warning
    assert "copy the vocabulary with `storybook templates --copy tags.yml`" in warning
    # The example story's own moments are covered.
    assert "doer-to-manager" not in warning and "managing-experienced-people" not in warning
    assert output.rstrip().endswith("; 1 coverage warning(s) above.")


@pytest.mark.parametrize("edition", ["learner", "facilitator"])
def test_what_init_writes_builds_strict(new_storybook: Path, edition: str) -> None:
    site = build_edition(new_storybook, edition, strict=True)
    page = site / "stories" / EXAMPLE_STORY / "index.html"
    story = " ".join(page.read_text(encoding="utf-8").split())
    assert "<title>The Opening Checks - Team stories" in story and "Same as always." in story
    assert "<title>About - Team stories" in (site / "about" / "index.html").read_text(
        encoding="utf-8"
    )
    facilitator_only = "Tell apart handing over a task"
    assert (facilitator_only in story) == (edition == "facilitator")
    # The theme's override ships in the package: no overrides/ folder is needed.
    assert not (new_storybook / "overrides").exists()
    assert 'role="dialog" aria-label="Search"' in story


def test_the_examples_of_a_path_and_a_workshop_are_not_published_until_copied(
    new_storybook: Path,
) -> None:
    shutil.copy(new_storybook / "paths" / "_example.yml", new_storybook / "paths" / "first.yml")
    shutil.copy(new_storybook / "workshops" / "_example.yml", new_storybook / "workshops" / "a.yml")
    code, output = run("check")
    assert code == 0, output
    assert "All good: 1 story, 1 workshop(s), 1 learning path(s)" in output


def test_the_example_story_invents_names_no_sample_story_uses(new_storybook: Path) -> None:
    story = (new_storybook / "stories" / f"{EXAMPLE_STORY}.md").read_text(encoding="utf-8")
    names = {"Ilse", "Bram"}
    assert all(name in story for name in names)
    for sample in (ROOT / "stories").glob("*.md"):
        words = set(re.findall(r"[A-Z][a-z]+", sample.read_text(encoding="utf-8")))
        assert not names & words, f"{sample.name} uses a name of the example story"


def test_the_site_is_named_after_the_folder_or_as_asked(here: Path) -> None:
    assert run("init", "team_stories.2027")[0] == 0
    assert (
        read_config(here / "team_stories.2027" / "mkdocs.yml")["site_name"] == "Team stories 2027"
    )
    name = 'North: "the" #1 storybook'
    assert run("init", "named", "--name", name)[0] == 0
    assert read_config(here / "named" / "mkdocs.yml")["site_name"] == name
    assert (here / "named" / "README.md").read_text(encoding="utf-8").startswith(f"# {name}\n")


def test_init_sample_copies_the_sample_library_which_checks_all_good(here: Path) -> None:
    code, output = run("init", "--sample", "sample")
    assert code == 0, output
    project = here / "sample"
    for folder in SAMPLE_FOLDERS:
        assert snapshot(project / folder) == snapshot(ROOT / folder), folder
    assert not (project / "paths" / "_example.yml").exists()
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "sample library" in readme and "_example.yml" not in readme
    stories = len(list((ROOT / "stories").glob("*.md")))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        code, output = run("check")
    assert code == 0, output
    assert f"All good: {stories} stories" in output


def test_init_may_start_in_a_folder_holding_only_a_git_repository(here: Path) -> None:
    (here / "new" / ".git").mkdir(parents=True)
    (here / "new" / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    assert run("init", "new")[0] == 0
    assert (here / "new" / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    assert files_in(here / "new") == sorted([".git/HEAD", *STARTER_FILES])


def test_init_never_replaces_a_file_saved_while_it_writes(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = here / "new" / "README.md"
    plan = scaffold.plan_files

    def someone_saves_first(folder: Path, **options: Any) -> Iterator[scaffold.Planned]:
        saved.parent.mkdir()
        saved.write_text("my own notes", encoding="utf-8")
        yield from plan(folder, **options)

    monkeypatch.setattr(scaffold, "plan_files", someone_saves_first)
    code, output = run("init", "new")
    assert code == 1
    assert "new/README.md: appeared while init was writing - it was left as it is" in output
    assert "The storybook in new is incomplete: 1 problem(s)" in output
    assert saved.read_text(encoding="utf-8") == "my own notes"
    assert (here / "new" / "mkdocs.yml").is_file(), "the rest is written"


@pytest.mark.parametrize("case", sorted(BAD_COMMANDS))
def test_init_and_templates_refuse_in_the_one_format_and_write_nothing(
    case: str, mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    given = BAD_COMMANDS[case]
    project = mini_project()
    monkeypatch.chdir(project)
    result, files = run_bad_command(given, project)
    assert result.stderr.strip().endswith(
        f"{len(given['expected'])} problem(s) in {files} file(s)."
    )


def test_templates_lists_every_default_and_which_the_storybook_overrides(
    new_storybook: Path,
) -> None:
    (new_storybook / "templates").mkdir()
    (new_storybook / "templates" / "story.md.j2").write_text("mine", encoding="utf-8")
    (new_storybook / "templates" / "stroy.md.j2").write_text("a slip", encoding="utf-8")
    code, output = run("templates")
    assert code == 0, output
    defaults = sorted(path.name for path in DEFAULT_TEMPLATES.iterdir())
    listed = re.findall(r"^  (\S+)  ", output, re.M)
    assert listed == defaults
    assert re.search(
        r"^  story\.md\.j2 +The page of one story  \[yours: templates/story\.md\.j2\]$",
        output,
        re.M,
    )
    assert re.search(r"^  tags\.yml +The one list of tags that stories may use$", output, re.M)
    assert "templates/stroy.md.j2: not one of the storybook's templates" in output
    assert f"1 of {len(defaults)} overridden." in output


def test_a_copied_template_is_the_default_and_then_the_one_the_site_uses(
    new_storybook: Path,
) -> None:
    code, output = run("templates", "--copy", "story.md.j2")
    assert code == 0, output
    own = new_storybook / "templates" / "story.md.j2"
    assert own.read_bytes() == (DEFAULT_TEMPLATES / "story.md.j2").read_bytes()
    own.write_text(own.read_text(encoding="utf-8") + "\nOur own closing line.\n", encoding="utf-8")
    assert run("check")[0] == 0
    site = build_edition(new_storybook, "learner")
    story = site / "stories" / EXAMPLE_STORY / "index.html"
    assert "Our own closing line." in story.read_text(encoding="utf-8")

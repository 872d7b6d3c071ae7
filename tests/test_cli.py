from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from storybook.cli import main
from storybook.core.render import Renderer

from .conftest import DATA, snapshot, story_text

# Commands a trainer may get wrong, and the problem lines each prints (see the file).
BAD_COMMANDS: dict[str, dict[str, Any]] = yaml.safe_load(
    (DATA / "bad_commands" / "storybook.yml").read_text(encoding="utf-8")
)
# file:line: what is wrong - how to fix it; a file or folder as a whole has no line.
PROBLEM_LINE = re.compile(r"^[^\s:][^:]*(:\d+)?: \S.* - \S.*$")


def run_bad_command(given: dict[str, Any], project: Path) -> tuple[Result, int]:
    """Prepare ``project`` as a bad-command case says (folders removed, files written), run
    the command in it, and check what every refusal shares: exit code 1, the expected problem
    lines in the one format, no traceback, nothing written. Gives the result and how many
    files the problems name, for the summary line each command words its own way."""
    for name in given.get("remove", []):
        shutil.rmtree(project / name)
    for name, text in given.get("write", {}).items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    before = snapshot(project)
    result = CliRunner().invoke(main, given["args"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == given["expected"]
    assert all(PROBLEM_LINE.match(line) for line in given["expected"])
    assert "Traceback" not in result.output
    assert snapshot(project) == before, "nothing is written"
    return result, len({line.split(":")[0] for line in given["expected"]})


def run(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def in_project(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], Path]:
    def enter(project: Path) -> Path:
        monkeypatch.chdir(project)
        return project

    return enter


def test_check_passes_on_the_sample_library(
    sample_project: Path, in_project: Callable[[Path], Path]
) -> None:
    code, output = run(in_project(sample_project), "check")
    assert code == 0
    published = len(list((sample_project / "stories").glob("*.md")))
    assert f"All good: {published} stories" in output


def test_check_lists_every_problem_in_every_file_at_once(
    mini_project: Callable[..., Path], in_project: Callable[[Path], Path]
) -> None:
    project = in_project(
        mini_project(
            {
                "a.md": story_text(tags="[welbeing]"),
                "b.md": story_text(reflection='\n  - "{{ story.nope }}"'),
                "c.md": "no front matter",
            }
        )
    )
    code, output = run(project, "check")
    assert code == 1
    reported = [line.split(":")[0] for line in output.splitlines() if line.startswith("stories/")]
    assert reported == ["stories/a.md", "stories/b.md", "stories/c.md"]
    assert "3 problem(s) in 3 file(s)" in output


def test_check_also_checks_the_questions_of_drafts(
    mini_project: Callable[..., Path], in_project: Callable[[Path], Path]
) -> None:
    draft = story_text(reflection='\n  - "{{ story.nope }}"', extra="draft: true\n")
    project = in_project(mini_project({"d.md": draft}))
    code, output = run(project, "check")
    assert code == 1 and "stories/d.md:7:" in output


def test_check_names_template_errors(
    mini_project: Callable[..., Path], in_project: Callable[[Path], Path]
) -> None:
    project = in_project(mini_project())
    (project / "templates" / "tag.md.j2").write_text("# {{ tag.label\n", encoding="utf-8")
    code, output = run(project, "check")
    assert code == 1 and "templates/tag.md.j2:1: template syntax error" in output


def test_check_outside_a_storybook_says_where_to_run_it(
    tmp_path: Path, in_project: Callable[[Path], Path]
) -> None:
    code, output = run(in_project(tmp_path), "check")
    assert code == 1 and "no stories folder here" in output


def test_new_scaffolds_a_draft_that_passes_check(
    mini_project: Callable[..., Path], in_project: Callable[[Path], Path]
) -> None:
    project = in_project(mini_project())
    code, output = run(project, "new", "Leading: my old team")
    assert code == 0, output
    created = project / "stories" / "leading-my-old-team.md"
    text = created.read_text(encoding="utf-8")
    assert 'title: "Leading: my old team"' in text and "draft: true" in text
    assert "{{ story.protagonist }}" in text
    assert run(project, "check")[0] == 0
    assert not [p for p in (project / "stories").iterdir() if p.name.startswith(".")]


def test_new_never_overwrites(
    mini_project: Callable[..., Path], in_project: Callable[[Path], Path]
) -> None:
    project = in_project(mini_project({"my-story.md": "precious words"}))
    code, output = run(project, "new", "My story")
    assert code == 1 and "already exists" in output
    assert (project / "stories" / "my-story.md").read_text(encoding="utf-8") == "precious words"


def test_new_never_overwrites_a_file_saved_meanwhile(
    mini_project: Callable[..., Path],
    in_project: Callable[[Path], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = in_project(mini_project())
    target = project / "stories" / "my-story.md"
    render = Renderer.render_template

    def someone_saves_first(self: Renderer, name: str, **context: object) -> str:
        target.write_text("saved by an editor a moment ago", encoding="utf-8")
        return render(self, name, **context)

    monkeypatch.setattr(Renderer, "render_template", someone_saves_first)
    code, output = run(project, "new", "My story")
    assert code == 1 and "stories/my-story.md: already exists - choose another title" in output
    assert "Nothing was changed" in output
    assert target.read_text(encoding="utf-8") == "saved by an editor a moment ago"
    assert sorted(p.name for p in (project / "stories").iterdir()) == ["my-story.md", "one.md"]


def test_check_reads_the_folders_mkdocs_yml_names(
    mini_project: Callable[..., Path], in_project: Callable[[Path], Path]
) -> None:
    """`check` checks what `mkdocs build` builds: the folders of the plugin's options."""
    project = in_project(mini_project({"one.md": story_text(tags="[welbeing]")}))
    (project / "content").mkdir()
    (project / "stories").rename(project / "content" / "stories")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - storybook\n", "  - storybook:\n      stories_dir: content/stories\n"
        ),
        encoding="utf-8",
    )
    code, output = run(project, "check")
    assert code == 1 and "content/stories/one.md:5: unknown tag 'welbeing'" in output, output


def test_check_refuses_a_missing_workshops_folder_as_build_does(
    mini_project: Callable[..., Path], in_project: Callable[[Path], Path]
) -> None:
    project = in_project(mini_project())
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - storybook\n", "  - storybook:\n      workshops_dir: sessions\n"
        ),
        encoding="utf-8",
    )
    code, output = run(project, "check")
    assert code == 1 and "sessions:1: the workshops folder is missing" in output, output


@pytest.mark.parametrize(
    "title",
    [
        'He said "no" \\ then: left',
        "Emoji 😀 and a tab\there",
        ("A very long title " * 30)[:120].strip(),
        "<b>Bold</b> [links] {{ braces }} #hash",
    ],
)
def test_what_new_writes_always_passes_its_own_check(
    title: str, mini_project: Callable[..., Path], in_project: Callable[[Path], Path]
) -> None:
    project = in_project(mini_project({}))
    code, output = run(project, "new", title)
    assert code == 0, output
    (written,) = (project / "stories").iterdir()
    assert len(written.name) <= 64
    code, output = run(project, "check")
    assert code == 0, output


def test_new_refuses_a_title_past_the_limit_and_writes_nothing(
    mini_project: Callable[..., Path], in_project: Callable[[Path], Path]
) -> None:
    project = in_project(mini_project({}))
    code, output = run(project, "new", "A very long title " * 30)
    assert code == 1
    assert "the title is 539 characters long, more than the 120" in output, output
    assert not any((project / "stories").iterdir())


def test_a_new_story_is_readable_like_the_trainers_other_files(
    mini_project: Callable[..., Path], in_project: Callable[[Path], Path]
) -> None:
    import os
    import stat

    project = in_project(mini_project({}))
    result = CliRunner().invoke(main, ["new", "A title"])
    assert result.exit_code == 0, result.output
    [story] = (project / "stories").iterdir()
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(story.stat().st_mode) == 0o666 & ~umask


def test_new_says_when_it_cannot_write(
    mini_project: Callable[..., Path],
    in_project: Callable[[Path], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import errno
    import tempfile

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", disk_full)
    project = in_project(mini_project({}))
    result = CliRunner().invoke(main, ["new", "A title"])
    assert (result.exit_code == 1 and result.exception is None) or isinstance(
        result.exception, SystemExit
    )
    assert "could not be written (No space left on device)" in result.output
    assert "Traceback" not in result.output
    assert list((project / "stories").iterdir()) == []


def test_check_names_every_file_it_does_not_read_as_a_story(
    mini_project: Callable[..., Path], in_project: Callable[[Path], Path]
) -> None:
    import os

    project = in_project(mini_project())
    stories = project / "stories"
    for name in ("Story.MD", "x.markdown", "y.md.txt"):
        (stories / name).write_text(story_text(), encoding="utf-8")
    os.mkfifo(stories / "pipe.md")
    (stories / "gone.md").symlink_to(project / "nowhere.md")
    (stories / "photo.png").write_bytes(b"\x89PNG")
    code, output = run(project, "check")
    assert code == 1, output
    lines = sorted(line for line in output.splitlines() if line.startswith("stories/"))
    assert lines == [
        "stories/Story.MD: this file is not read as a story: story files end in .md"
        " - rename it to Story.md, or move it out of the stories folder",
        "stories/gone.md: this link leads to no file - delete it, or link to a story file",
        "stories/pipe.md: this is not a plain file - save the story as a normal file",
        "stories/x.markdown: this file is not read as a story: story files end in .md"
        " - rename it to x.md, or move it out of the stories folder",
        "stories/y.md.txt: this file is not read as a story: story files end in .md"
        " - rename it to y.md, or move it out of the stories folder",
    ]


def test_new_writes_into_the_stories_folder_mkdocs_yml_names(
    mini_project: Callable[..., Path], in_project: Callable[[Path], Path]
) -> None:
    project = in_project(mini_project({}))
    (project / "content").mkdir()
    (project / "stories").rename(project / "content" / "stories")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - storybook\n", "  - storybook:\n      stories_dir: content/stories\n"
        ),
        encoding="utf-8",
    )
    code, output = run(project, "new", "A story in its place")
    assert code == 0, output
    assert (project / "content" / "stories" / "a-story-in-its-place.md").is_file()
    assert run(project, "check")[0] == 0


@pytest.mark.parametrize("case", sorted(BAD_COMMANDS))
def test_a_command_given_bad_input_says_what_and_how_to_fix_it_in_the_one_format(
    case: str, mini_project: Callable[..., Path], in_project: Callable[[Path], Path]
) -> None:
    given = BAD_COMMANDS[case]
    result, files = run_bad_command(given, in_project(mini_project()))
    assert result.stderr.strip().endswith(
        f"{len(given['expected'])} problem(s) in {files} file(s)."
    )
    assert "Error:" not in result.output


@pytest.mark.parametrize("templates", ["empty", "absent"])
def test_check_passes_without_templates_of_its_own(
    templates: str, mini_project: Callable[..., Path], in_project: Callable[[Path], Path]
) -> None:
    """The storybook's own templates and tags.yml stand in for a project's (none here)."""
    project = in_project(mini_project())
    shutil.rmtree(project / "templates")
    if templates == "empty":
        (project / "templates").mkdir()
    code, output = run(project, "check")
    assert code == 0, output
    assert run(project, "new", "A story of mine")[0] == 0


def test_check_refuses_a_templates_folder_mkdocs_yml_names_that_is_missing(
    mini_project: Callable[..., Path], in_project: Callable[[Path], Path]
) -> None:
    project = in_project(mini_project())
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - storybook\n", "  - storybook:\n      templates_dir: my-templates\n"
        ),
        encoding="utf-8",
    )
    code, output = run(project, "check")
    assert code == 1, output
    assert "mkdocs.yml:8: templates_dir names the folder 'my-templates', which does not exist" in (
        output
    )

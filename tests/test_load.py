from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from storybook.cli import main
from storybook.core import load as load_module
from storybook.core.errors import StorybookError
from storybook.core.load import find_story_files, load_story

from .conftest import build_error, run_mkdocs


def test_body_is_kept_exactly_and_its_first_line_known(tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_text('---\ntitle: "T"\n---\nFirst {{ line }}\n\nSecond\n', encoding="utf-8")
    story = load_story(path)
    assert story.front.data == {"title": "T"}
    assert story.body == "First {{ line }}\n\nSecond\n"
    assert story.body_line == 4


def test_windows_line_endings_and_byte_order_mark_simply_work(tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_bytes('\ufeff---\r\ntitle: "Café"\r\n---\r\nBody\r\n'.encode())
    story = load_story(path)
    assert story.front.data == {"title": "Café"}
    assert story.body == "Body\n"


def test_legacy_encoding_names_the_line_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_bytes(b'---\ntitle: "ok"\nsummary: "caf\xe9"\n---\n')
    with pytest.raises(StorybookError) as caught:
        load_story(path)
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "UTF-8" in problem.message and "UTF-8" in problem.hint


def test_yaml_errors_are_reported_at_the_file_line(tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_text('---\nsummary: "fine"\ntitle: Monday: the call\n---\n', encoding="utf-8")
    with pytest.raises(StorybookError) as caught:
        load_story(path)
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "double quotes" in problem.hint


def test_hidden_and_underscore_files_are_not_stories(tmp_path: Path) -> None:
    for name in ("b.md", "a.md", "_draft-notes.md", ".hidden.md", "notes.txt", "sub/c.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in find_story_files(tmp_path)]
    assert found == ["a.md", "b.md", "sub/c.md"]


# --- every read is bounded, every file problem is a file:line problem ------------------------

NOISE = ("Traceback", "MemoryError", "PermissionError", "Error:")


def run_storybook(project: Path, *args: str, limit_memory: bool = False) -> tuple[int, str]:
    """`storybook <args>` in its own process, under a 2 GB address-space limit if asked."""
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30)); "
    code = f"{limit if limit_memory else ''}from storybook.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
    )
    return result.returncode, result.stdout + result.stderr


def test_a_3_gb_story_under_a_2_gb_memory_limit_is_one_line_to_fix(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project()
    with (project / "stories" / "huge.md").open("wb") as story:
        story.truncate(3_000_000_000)  # sparse: takes no room on the disk
    code, output = run_storybook(project, "check", limit_memory=True)
    assert code == 1, output
    assert (
        "stories/huge.md:1: this file is 3,000,000 kB, more than the 2 MB a story may have"
        in output
    )
    assert not any(word in output for word in NOISE), output


def test_a_fifo_where_a_template_or_a_page_should_be_is_reported_not_waited_on(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project()
    # A FIFO of a default's name overrides it: it is said, never skipped for the default.
    os.mkfifo(project / "templates" / "tag.md.j2")
    os.mkfifo(project / "docs" / "notes.md")
    code, output = run_storybook(project, "check")
    assert code == 1, output
    assert (
        "templates/tag.md.j2:1: this is not a plain file, where a template file should be" in output
    )
    assert not any(word in output for word in NOISE), output
    built = run_mkdocs(project, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 1
    assert "templates/tag.md.j2:1: this is not a plain file" in built.stderr, built.stderr
    assert "docs/notes.md:1: this is not a plain file, where a page file should be" in built.stderr
    assert "Traceback" not in built.stderr


def test_an_unreadable_template_is_a_problem_at_its_file_for_check_build_and_export(
    mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Root reads every file, so the permission error is raised by a test double."""
    real_open = load_module._open_for_reading

    def refuse_the_story_template(path: Path) -> int:
        if Path(path).name == "story.md.j2":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path)

    project = mini_project()
    monkeypatch.setattr(load_module, "_open_for_reading", refuse_the_story_template)
    monkeypatch.chdir(project)
    expected = "templates/story.md.j2:1: cannot read this file (Permission denied) - check that"
    checked = CliRunner().invoke(main, ["check"], catch_exceptions=False)
    assert checked.exit_code == 1 and expected in checked.output, checked.output
    assert expected in build_error(project)
    exported = CliRunner().invoke(main, ["export", str(tmp_path / "out")], catch_exceptions=False)
    assert exported.exit_code == 1 and expected in exported.output, exported.output
    for output in (checked.output, exported.output):
        assert not any(word in output for word in NOISE), output

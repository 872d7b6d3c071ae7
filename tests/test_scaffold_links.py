"""`storybook init` and `storybook templates --copy` where a folder is a broken link or a file:
each says what it is, instead of "appeared while init was writing" for every file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from storybook.cli import main

from .conftest import snapshot
from .test_init import (
    here,  # noqa: F401  (a fixture)
    new_storybook,  # noqa: F401  (a fixture)
)


def test_init_into_a_broken_link_says_where_it_points(here: Path) -> None:  # noqa: F811
    (here / "stories-here").symlink_to(here / "nowhere")
    result = CliRunner().invoke(main, ["init", "stories-here"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"stories-here: is a link to {here / 'nowhere'}, which is not there - create the folder "
        "it points to, or name a new or empty folder"
    ]
    assert not (here / "nowhere").exists()


@pytest.mark.parametrize("kind", ["file", "broken link"])
def test_templates_copy_into_a_templates_that_is_not_a_folder_keeps_it(
    new_storybook: Path,  # noqa: F811
    kind: str,
) -> None:
    templates = new_storybook / "templates"
    if kind == "file":
        templates.write_text("the trainer's notes", encoding="utf-8")
    else:
        templates.symlink_to(new_storybook / "elsewhere")
    before = snapshot(new_storybook)
    result = CliRunner().invoke(
        main, ["templates", "--copy", "story.md.j2"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "templates: is a file or a broken link, not a folder, so no template can be copied "
        "into it - move it away, then copy again"
    ]
    assert snapshot(new_storybook) == before
    assert not (new_storybook / "elsewhere").exists()


def test_init_prints_a_next_command_that_can_be_pasted(here: Path) -> None:  # noqa: F811
    result = CliRunner().invoke(main, ["init", "Anna's stories"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Next: cd 'Anna'\"'\"'s stories' && storybook check && mkdocs serve" in result.output

"""A templates folder that cannot be one: templates_dir naming the project's own folder (with
its .venv or node_modules), a home folder or /. The storybook would read every file below it
on every build and every save under serve; it says so at the folder instead, at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from storybook.cli import main
from storybook.core.render import MAX_TEMPLATE_ENTRIES

from .conftest import MINI_MKDOCS_YML, build_error, snapshot

SAYS = (
    f"this templates folder holds more than {MAX_TEMPLATE_ENTRIES:,} files and folders, so it "
    "cannot be the storybook's templates folder - point templates_dir in mkdocs.yml at the "
    "folder of your own templates (it may be empty), or remove templates_dir"
)


def project_as_its_own_templates_folder(make: Callable[..., Path]) -> Path:
    project = make()
    config = project / "mkdocs.yml"
    config.write_text(
        MINI_MKDOCS_YML.replace("  - storybook\n", "  - storybook:\n      templates_dir: .\n"),
        encoding="utf-8",
    )
    installed = project / "node_modules"
    installed.mkdir()
    for number in range(MAX_TEMPLATE_ENTRIES + 1):
        (installed / f"module-{number}.js").write_bytes(b"")
    return project


def test_a_templates_folder_with_thousands_of_files_is_refused_at_the_folder(
    mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = project_as_its_own_templates_folder(mini_project)
    before = snapshot(project)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["check"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert f".: {SAYS}" in result.output.splitlines(), result.output
    assert not re.search(r"Traceback|Error\b", result.output), result.output
    assert SAYS in build_error(project)
    assert snapshot(project) == before, "nothing a trainer wrote may change"


def test_a_templates_folder_of_nine_hundred_files_builds(
    mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = project_as_its_own_templates_folder(mini_project)
    # The project folder's own files and folders count too: nine hundred in all still build.
    for extra in sorted((project / "node_modules").iterdir())[-100:]:
        extra.unlink()
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["check"], catch_exceptions=False)
    assert result.exit_code == 0, result.output

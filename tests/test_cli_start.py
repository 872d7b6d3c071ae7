"""The `storybook` command starts on what the command run needs: `storybook serve` starts its
servers without first importing export, SCORM, PDF and the build pipeline, nor loading
mkdocs.yml with every plugin once per edition (the servers do all that themselves)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from storybook.core.errors import RoomError
from storybook.room import check_config_follows_edition

from .conftest import ROOT

# What only some commands need: none is imported before a command runs.
FOR_SOME_COMMANDS = (
    "mkdocs",
    "markdown",
    "jinja2",
    "storybook.sections",
    "storybook.core.render",
    "storybook.core.room_pages",
    "storybook.export",
    "storybook.package.scorm",
    "storybook.pdf.render",
    "storybook.scaffold",
)

WHAT_THE_COMMAND_IMPORTS = """
import sys
import storybook.cli
print(" ".join(sorted(sys.modules)))
"""

WHAT_THE_ROOM_CHECK_IMPORTS = """
import sys
from pathlib import Path
from storybook.room import check_config_follows_edition
check_config_follows_edition(Path(sys.argv[1]))
print(" ".join(sorted(sys.modules)))
"""


def _modules_after(script: str, *args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return set(done.stdout.split())


def _loaded(modules: set[str], wanted: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == w or m.startswith(w + ".") for w in wanted))


def test_the_command_imports_no_commands_work_before_it_runs() -> None:
    modules = _modules_after(WHAT_THE_COMMAND_IMPORTS)
    assert "storybook.cli" in modules and "click" in modules
    assert _loaded(modules, FOR_SOME_COMMANDS) == []


def test_the_room_reads_the_edition_from_mkdocs_yml_without_loading_mkdocs() -> None:
    modules = _modules_after(WHAT_THE_ROOM_CHECK_IMPORTS, str(ROOT / "mkdocs.yml"))
    assert _loaded(modules, ("mkdocs", "storybook.plugin")) == []


def _project(tmp_path: Path, config: str, parent: str | None = None) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    if parent is not None:
        (tmp_path / "base.yml").write_text(parent, encoding="utf-8")
    return tmp_path / "mkdocs.yml"


STORYBOOK_FROM_THE_VARIABLE = """\
site_name: Inherited
plugins:
  - storybook:
      edition: !ENV [STORYBOOK_EDITION, learner]
"""


def test_an_inherited_configuration_is_checked_as_mkdocs_reads_it(tmp_path: Path) -> None:
    """The plugin in the configuration mkdocs.yml inherits: MkDocs finds it, and so does the
    check; YAML alone would have refused this storybook."""
    config = _project(tmp_path, "INHERIT: base.yml\n", STORYBOOK_FROM_THE_VARIABLE)
    check_config_follows_edition(config)


@pytest.mark.parametrize(
    ("plugins", "said"),
    [
        ("  - storybook:\n      edition: facilitator\n", "does not take the edition from"),
        ("  - storybook\n", "does not take the edition from"),
        ("  - search\n", "does not use the storybook plugin"),
    ],
)
def test_a_configuration_that_does_not_follow_the_edition_is_refused(
    tmp_path: Path, plugins: str, said: str
) -> None:
    config = _project(tmp_path, f"site_name: Fixed\nplugins:\n{plugins}")
    with pytest.raises(RoomError) as refused:
        check_config_follows_edition(config)
    assert said in refused.value.format(tmp_path)


def test_a_configuration_mkdocs_refuses_is_said_so_before_any_server_starts(
    tmp_path: Path,
) -> None:
    config = _project(tmp_path, "site_name: Lost\ndocs_dir: nowhere\n")
    with pytest.raises(RoomError) as refused:
        check_config_follows_edition(config)
    assert "this configuration cannot be read" in refused.value.format(tmp_path)

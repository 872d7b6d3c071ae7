"""MkDocs' conventions hold for the site folder: an edition is built where it is told, and
editions never share a folder, because one that holds the other edition is refused.

Every build here is a real `mkdocs build` in its own process, as a trainer runs it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from storybook.plugin.sitedir import EDITION_MARK

from .conftest import run_mkdocs, site_bytes, story_text
from .test_editions import STORY_MARKERS

FACILITATOR_ONLY = b"MARKER-STORY-NOTES"


@pytest.fixture
def project(mini_project: Callable[..., Path]) -> Path:
    """A storybook whose edition comes from STORYBOOK_EDITION, with a facilitator note."""
    made = mini_project({"marked.md": story_text(extra="".join(STORY_MARKERS.values()))})
    config = made / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - storybook\n",
            "  - storybook:\n      edition: !ENV [STORYBOOK_EDITION, learner]\n      search: lunr\n",
        ),
        encoding="utf-8",
    )
    return made


def mkdocs_build(project: Path, edition: str, *args: str) -> tuple[int, str]:
    env = {**os.environ, "STORYBOOK_EDITION": edition}
    result = run_mkdocs(project, *args, env=env)
    return result.returncode, result.stderr


def holds_facilitator_material(site: Path) -> bool:
    return any(FACILITATOR_ONLY in data for data in site_bytes(site).values())


@pytest.mark.parametrize("edition", ["learner", "facilitator"])
def test_mkdocs_build_d_writes_where_it_is_told_in_either_edition(
    project: Path, tmp_path: Path, edition: str
) -> None:
    target = tmp_path / "elsewhere" / "my-site"
    code, stderr = mkdocs_build(project, edition, "-d", str(target))
    assert code == 0, stderr
    assert (target / "stories" / "marked" / "index.html").is_file()
    assert holds_facilitator_material(target) == (edition == "facilitator")
    assert (target / EDITION_MARK).read_text(encoding="utf-8") == f"{edition}\n"
    # Nothing was written beside it under another name.
    assert sorted(path.name for path in target.parent.iterdir()) == ["my-site"]


def test_the_default_folder_is_the_learner_editions_and_the_facilitators_is_beside_it(
    project: Path,
) -> None:
    for edition in ("learner", "facilitator"):
        code, stderr = mkdocs_build(project, edition)
        assert code == 0, stderr
    assert not holds_facilitator_material(project / "site")
    assert holds_facilitator_material(project / "site-facilitator")
    assert (project / "site-facilitator" / EDITION_MARK).read_text(encoding="utf-8") == (
        "facilitator\n"
    )


@pytest.mark.parametrize(
    ("first", "second"), [("learner", "facilitator"), ("facilitator", "learner")]
)
def test_a_folder_that_holds_the_other_edition_is_refused_and_left_as_it_was(
    project: Path, first: str, second: str
) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "site_dir: public\n", encoding="utf-8")
    code, stderr = mkdocs_build(project, first)
    assert code == 0, stderr
    before = site_bytes(project / "public")

    code, stderr = mkdocs_build(project, second)
    assert code != 0
    assert (
        f"public: this folder holds the {first} edition's site, not the {second} edition's - "
        f"build the {second} edition into a folder of its own, e.g. "
        f"mkdocs build -d public-{second}, or delete this folder first"
    ) in stderr
    assert "Traceback" not in stderr
    assert site_bytes(project / "public") == before, "the other edition's site was not touched"

    # As the hint says: a folder of its own.
    code, stderr = mkdocs_build(project, second, "-d", f"public-{second}")
    assert code == 0, stderr
    assert holds_facilitator_material(project / f"public-{second}") == (second == "facilitator")

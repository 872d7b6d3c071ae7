"""The user guide (guide/) builds with --strict, its field reference follows the field specs,
and the README stays a short page whose links lead somewhere."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from storybook.cli import main
from storybook.core import fields as f
from storybook.core import model
from storybook.core.fields import FieldSpec
from storybook.plugin.hooks import StorybookConfig

from .conftest import make_mini

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "guide"
README = ROOT / "README.md"
# The README is what a newcomer reads on one screen or two; the rest belongs in the guide.
README_MAX_LINES = 150


def build_guide(guide: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of a guide folder, in its own process, as `make test` runs it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    config = str(guide / "mkdocs.yml")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(site)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def page_text(site: Path, page: str) -> str:
    """The words of a built page's article, without its markup."""
    built = (site / page / "index.html").read_text(encoding="utf-8")
    article = built[built.index("<article") : built.index("</article>")]
    return html.unescape(re.sub(r"<[^>]+>", " ", article))


@pytest.fixture
def guide_copy(tmp_path: Path) -> Path:
    """A copy of the guide beside the repository's screenshots, to break on purpose."""
    copy = tmp_path / "repo"
    shutil.copytree(GUIDE, copy / "guide")
    (copy / "screenshots").symlink_to(ROOT / "screenshots")
    return copy / "guide"


def test_the_guide_builds_strict_with_every_field_and_picture(tmp_path: Path) -> None:
    built = build_guide(GUIDE, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    reference = page_text(tmp_path / "site", "fields")
    for spec in model.FIELDS:
        assert f" {spec.name} " in reference, spec.name
    assert "<!-- fields:" not in (tmp_path / "site" / "fields" / "index.html").read_text("utf-8")
    assert (tmp_path / "site" / "screenshots" / "home-page.png").read_bytes() == (
        ROOT / "screenshots" / "home-page.png"
    ).read_bytes()


@pytest.mark.parametrize(
    "broken",
    [
        "See [the missing page](no-such-page.md).",
        "See [a heading that is not there](writing.md#no-such-heading).",
        "![A picture that is not there](screenshots/no-such-picture.png)",
    ],
)
def test_a_broken_link_fails_the_guide_build(guide_copy: Path, tmp_path: Path, broken: str) -> None:
    page = guide_copy / "docs" / "editions.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{broken}\n", encoding="utf-8")
    built = build_guide(guide_copy, tmp_path / "site")
    assert built.returncode != 0
    assert "editions.md" in built.stderr and "no-such" in built.stderr


def test_a_marker_naming_no_field_specs_fails_the_guide_build(
    guide_copy: Path, tmp_path: Path
) -> None:
    page = guide_copy / "docs" / "fields.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("model:FIELDS", "model:NO_SUCH_FIELDS"), encoding="utf-8")
    built = build_guide(guide_copy, tmp_path / "site")
    assert built.returncode != 0
    assert "fields.md: <!-- fields: storybook.core.model:NO_SUCH_FIELDS --> names nothing" in (
        built.stderr
    )


def test_a_new_story_field_shows_up_in_the_guide_without_editing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guide is built in this process with one more field in the story's specs, as a
    developer adding a field would have them."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    extra = FieldSpec(
        "mentor_hint",
        f.text,
        kind="text",
        description="A hint for the reader's mentor.",
        example='mentor_hint: "Ask what they noticed."',
        facilitator_only=True,
    )
    monkeypatch.setattr(model, "FIELDS", (*model.FIELDS, extra))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("DISABLE_MKDOCS_2_WARNING", "true")
    site = tmp_path / "site"
    build(load_config(str(GUIDE / "mkdocs.yml"), site_dir=str(site), strict=True))
    reference = re.sub(r"\s+", " ", page_text(site, "fields"))
    assert "mentor_hint no facilitators only Text. A hint for the reader's mentor." in reference
    assert 'mentor_hint: "Ask what they noticed."' in reference


def test_every_plugin_option_is_in_the_guides_settings() -> None:
    settings = (GUIDE / "docs" / "settings.md").read_text(encoding="utf-8")
    for option, _ in StorybookConfig._schema:
        assert f"| `{option}` |" in settings, option


def test_the_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) < README_MAX_LINES, f"README.md has {len(lines)} lines"


def test_every_file_the_readme_links_to_is_there() -> None:
    readme = README.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", readme)
    local = [target.split("#")[0] for target in targets if "://" not in target]
    assert "guide/docs/index.md" in local and "screenshots/home-page.png" in local
    missing = [target for target in local if not (ROOT / target).is_file()]
    assert not missing


@pytest.mark.parametrize("page", [README, GUIDE / "docs" / "writing.md"], ids=["README", "writing"])
def test_the_example_story_a_reader_copies_passes_check(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = page.read_text(encoding="utf-8")
    example = text.split("```markdown\n", 1)[1].split("```", 1)[0]
    project = make_mini(tmp_path / "mini", {"the-quiet-slump.md": example})
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["check"], catch_exceptions=False)
    assert result.exit_code == 0, result.output

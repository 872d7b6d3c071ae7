"""`storybook export`: one plain site source that MkDocs, ProperDocs and Zensical build alike."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from storybook.cli import main
from storybook.core.csp import inline_scripts, page_policies, policy
from storybook.core.editions import LEARNER_EDITION
from storybook.core.project import plugin_options
from storybook.core.siteconfig import Tagged, read_config
from storybook.export.exporter import site_config
from storybook.export.owned import MANIFEST

from .conftest import ROOT, build, copy_sample, snapshot, story_text

SLUMP = "stories/the-quiet-slump/"
BANNER = "storybook-no-pages"
FACILITATOR_MARKER = "FACILITATORMARKER"
DRAFT_MARKER = "DRAFTMARKER"

# engine: (module with the click command, build arguments, search index, its list of entries)
ENGINES: dict[str, tuple[str, list[str], str, str]] = {
    "mkdocs": ("mkdocs.__main__", ["build", "--strict"], "search/search_index.json", "docs"),
    "properdocs": (
        "properdocs.__main__",
        ["build", "--strict", "-f", "mkdocs.yml"],
        "search/search_index.json",
        "docs",
    ),
    "zensical": ("zensical.main", ["build", "--strict"], "search.json", "items"),
}


def export(project: Path, out: Path, *args: str) -> tuple[int, str, str]:
    """Run `storybook export` in ``project``; returns exit code, stdout and stderr."""
    cwd = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["export", str(out), *args], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    return result.exit_code, result.stdout, result.stderr


def require(engine: str) -> None:
    if importlib.util.find_spec(engine) is not None:
        return
    message = f"{engine} is not installed; `make test` installs it with the [test] extra"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def build_with(engine: str, folder: Path, *, without_storybook: bool = True) -> Path:
    """Build ``folder`` with ``engine``, by default in a Python that cannot import our package."""
    require(engine)
    module, arguments, _, _ = ENGINES[engine]
    block = "sys.modules['storybook'] = None; " if without_storybook else ""
    code = f"import sys; {block}from {module} import cli; cli()"
    result = subprocess.run(
        [sys.executable, "-c", code, *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "site"


def search_entries(engine: str, site: Path) -> list[dict[str, Any]]:
    _, _, index, key = ENGINES[engine]
    entries: list[dict[str, Any]] = json.loads((site / index).read_text(encoding="utf-8"))[key]
    return entries


def html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample storybook with a facilitator marker and a draft, built by the plugin and exported."""
    base = tmp_path_factory.mktemp("export")
    project = copy_sample(base / "project")
    slump = project / "stories" / "the-quiet-slump.md"
    text = slump.read_text(encoding="utf-8")
    assert "facilitator_notes: |\n" in text
    slump.write_text(
        text.replace("facilitator_notes: |\n", f"facilitator_notes: |\n  {FACILITATOR_MARKER}\n"),
        encoding="utf-8",
    )
    (project / "stories" / "unfinished.md").write_text(
        story_text(title=f"Unfinished {DRAFT_MARKER}", extra="draft: true\n"), encoding="utf-8"
    )
    # The plugin's own build with Material's search, whose index the export's is compared
    # with (a site that Pagefind searches has none).
    lunr = base / "lunr"
    shutil.copytree(project, lunr)
    config = lunr / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("search: pagefind", "search: lunr")
    config.write_text(text, encoding="utf-8")
    plugin_site = build(lunr, strict=True)
    code, output, errors = export(project, base / "out")
    assert code == 0, output + errors
    published = len(list((ROOT / "stories").glob("*.md")))
    assert f"Exported the learner edition ({published} stories" in output
    return {"project": project, "plugin_site": plugin_site, "out": base / "out"}


@pytest.mark.parametrize("engine", list(ENGINES))
def test_every_engine_builds_the_export_with_stories_questions_and_search(
    engine: str, exported: dict[str, Path], tmp_path: Path
) -> None:
    source = tmp_path / "source"
    shutil.copytree(exported["out"], source)
    site = build_with(engine, source)

    story = html(site, SLUMP)
    assert "The Quiet Slump" in story and "Reflection questions" in story
    assert "caregiving" in story
    assert 'href="../../tags/personal-crisis/"' in story
    assert 'href="stories/the-quiet-slump/"' in html(site, "")
    assert 'href="../../stories/the-quiet-slump/"' in html(site, "tags/personal-crisis")
    assert "the-friday-rota" not in html(site, "tags/personal-crisis")
    # The reader's side comes along: journal, contrast fixes, a named search dialog.
    assert "assets/journal.js" in story and "assets/reader.css" in story
    assert 'class="storybook-reflection" data-story="the-quiet-slump"' in story
    assert 'role="dialog" aria-label="Search"' in story

    entries = search_entries(engine, site)
    caregiving = {e["location"] for e in entries if "caregiving" in e["text"].lower()}
    assert any(location.startswith(SLUMP) for location in caregiving)
    assert all(location.startswith((SLUMP, "workshops/")) for location in caregiving)
    questions = [e for e in entries if e["location"] == SLUMP + "#reflection"]
    assert questions and "What did Greg notice" in questions[0]["text"]
    # The same pages and sections are searchable as in the plugin's own build.
    plugin = search_entries("mkdocs", exported["plugin_site"])
    assert {(e["location"], e["title"]) for e in entries} == {
        (e["location"], e["title"]) for e in plugin
    }

    for path in [*source.rglob("*"), *site.rglob("*")]:
        if path.is_file():
            data = path.read_bytes()
            assert FACILITATOR_MARKER.encode() not in data, path
            assert DRAFT_MARKER.encode() not in data, path
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert BANNER not in text, f"{page} says stories are missing"
        # The theme overrides the export ships hold in every engine (see core/csp.py).
        assert page_policies(text) == [policy()], page
        assert inline_scripts(text) == [], page


def test_export_is_plain_mkdocs_config_without_the_plugin(exported: dict[str, Path]) -> None:
    out = exported["out"]
    config = read_config(out / "mkdocs.yml")
    offline = {"offline": {"enabled": Tagged("!ENV", ["STORYBOOK_OFFLINE", False])}}
    assert config["plugins"] == ["search", offline]
    assert config["docs_dir"] == "docs"
    assert config["theme"]["custom_dir"] == "overrides"
    assert "assets/storybook.css" in config["extra_css"]
    assert "assets/reader.css" in config["extra_css"]
    assert "assets/journal.js" in config["extra_javascript"]
    assert (out / "docs" / "assets" / "journal.js").is_file()
    assert config["extra"]["storybook_pages"] is True
    assert "/stories/" in config["not_in_nav"].splitlines()
    assert (out / "docs" / "about.md").read_bytes() == (ROOT / "docs" / "about.md").read_bytes()
    assert (out / "overrides" / "main.html").is_file()
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    written = {
        path.relative_to(out).as_posix()
        for path in out.rglob("*")
        if path.is_file() and path.name != MANIFEST
    }
    assert set(manifest) == written


def test_the_export_has_each_workshop_as_the_learner_agenda(exported: dict[str, Path]) -> None:
    agenda = (exported["out"] / "docs" / "workshops" / "new-manager-day-one.md").read_text(
        encoding="utf-8"
    )
    assert "[The Friday Rota](../stories/the-friday-rota.md)" in agenda
    assert "run-of-show" not in agenda and "Print each story" not in agenda
    assert (exported["out"] / "docs" / "workshops" / "index.md").is_file()


def test_zensical_on_the_storybook_itself_says_how_to_export(sample_project: Path) -> None:
    # Zensical ignores the storybook plugin: no stories, but every page says what to do.
    site = build_with("zensical", sample_project)
    assert not (site / "stories").exists()
    for page in (site / "about" / "index.html", site / "404.html"):
        text = page.read_text(encoding="utf-8")
        assert BANNER in text and "storybook export export/" in text, page


def test_properdocs_runs_the_storybook_plugin_itself(sample_project: Path) -> None:
    site = build_with("properdocs", sample_project, without_storybook=False)
    assert "caregiving" in html(site, SLUMP)
    assert BANNER not in html(site, "about")


def test_mkdocs_with_the_plugin_shows_no_missing_stories_banner(
    built_sample: Callable[..., Path],
) -> None:
    site = built_sample()
    for page in (site / "index.html", site / "about" / "index.html", site / "404.html"):
        text = page.read_text(encoding="utf-8")
        assert BANNER not in text and "md-banner" not in text, page


def make_draft(project: Path, name: str) -> None:
    path = project / "stories" / name
    path.write_text(
        path.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1),
        encoding="utf-8",
    )


def test_reexport_replaces_only_what_it_wrote(sample_project: Path, tmp_path: Path) -> None:
    # The two stories made drafts below are on the sample learning path, which may not name
    # a draft either: this storybook has no paths.
    shutil.rmtree(sample_project / "paths")
    out = tmp_path / "out"
    assert export(sample_project, out)[0] == 0
    (out / "docs" / "about.md").write_text("# Our own about page\n", encoding="utf-8")
    (out / "docs" / "mine.md").write_text("# Added by the trainer\n", encoding="utf-8")
    (out / "docs" / "stories" / "the-number-she-kept.md").write_text("edited\n", encoding="utf-8")
    (out / "site").mkdir()
    (out / "site" / "index.html").write_text("built\n", encoding="utf-8")
    # Stories the sample workshop does not use: a workshop may not name a draft.
    make_draft(sample_project, "not-my-decision.md")
    make_draft(sample_project, "the-number-she-kept.md")

    code, output, errors = export(sample_project, out)

    assert code == 0, output + errors
    published = len(list((sample_project / "stories").glob("*.md"))) - 2
    assert f"({published} stories" in output and "1 removed" in output
    assert "2 warning(s)" in output
    assert not (out / "docs" / "stories" / "not-my-decision.md").exists()
    assert (out / "docs" / "about.md").read_text(encoding="utf-8") == "# Our own about page\n"
    assert (out / "docs" / "mine.md").read_text(encoding="utf-8") == "# Added by the trainer\n"
    assert (out / "docs" / "stories" / "the-number-she-kept.md").read_text(encoding="utf-8") == (
        "edited\n"
    )
    assert (out / "site" / "index.html").read_text(encoding="utf-8") == "built\n"
    assert "docs/about.md: kept - it was changed after the last export" in errors
    assert (
        "docs/stories/the-number-she-kept.md: kept - the export no longer has this file" in errors
    )
    home = (out / "docs" / "index.md").read_text(encoding="utf-8")
    assert "not-my-decision" not in home and "the-number-she-kept" not in home
    assert not list(out.rglob(".storybook-*.tmp")), "temporary files left behind"

    # Once the trainer deletes an edited file, the next export writes the storybook's version.
    (out / "docs" / "about.md").unlink()
    code, output, errors = export(sample_project, out)
    assert code == 0 and "1 file(s) written" in output, output + errors
    assert (out / "docs" / "about.md").read_bytes() == (ROOT / "docs" / "about.md").read_bytes()


def test_export_never_replaces_a_file_it_did_not_write(
    mini_project: Callable[..., Path], tmp_path: Path
) -> None:
    project = mini_project()
    out = tmp_path / "out"
    assert export(project, out)[0] == 0
    (out / "docs" / "stories" / "two.md").write_text("the trainer's own page\n", encoding="utf-8")
    (project / "stories" / "two.md").write_text(story_text(title="Two"), encoding="utf-8")

    code, output, errors = export(project, out)

    assert code == 0, output + errors
    assert "docs/stories/two.md: kept - this file was not written by storybook export" in errors
    assert (out / "docs" / "stories" / "two.md").read_text(encoding="utf-8") == (
        "the trainer's own page\n"
    )
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert "docs/stories/two.md" not in manifest
    (project / "stories" / "two.md").unlink()
    assert export(project, out)[0] == 0
    assert (out / "docs" / "stories" / "two.md").is_file(), "never deleted: not the export's file"


def test_export_refuses_folders_it_could_damage(sample_project: Path, tmp_path: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine\n", encoding="utf-8")
    cases = {
        ".": "this folder holds the storybook itself",
        "docs/out": "overlaps",
        "stories": "overlaps",
        str(full): "this folder is not empty and no storybook export was written into it",
    }
    before = snapshot(tmp_path)
    for refused, says in cases.items():
        code, output, errors = export(sample_project, Path(refused))
        # Reported like every other problem: path, what is wrong - how to fix it.
        assert code == 1 and says in output and "Nothing was exported" in errors, (refused, output)
    assert snapshot(tmp_path) == before

    out = tmp_path / "out"
    assert export(sample_project, out)[0] == 0
    (out / MANIFEST).write_text("{not json", encoding="utf-8")
    before = snapshot(out)
    code, output, errors = export(sample_project, out)
    assert code == 1 and f"{MANIFEST}:1: cannot be read" in output
    assert snapshot(out) == before


def test_a_broken_story_exports_nothing_and_lists_every_problem(
    mini_project: Callable[..., Path], tmp_path: Path
) -> None:
    project = mini_project(
        {"one.md": story_text(tags="[welbeing]"), "two.md": story_text(tags="[feedbak]")}
    )
    code, output, errors = export(project, tmp_path / "out")
    assert code == 1
    assert "stories/one.md:5: unknown tag 'welbeing' - did you mean 'wellbeing'?" in output
    assert "stories/two.md:5: unknown tag 'feedbak'" in output
    assert "Traceback" not in output + errors
    assert not (tmp_path / "out").exists()


def test_a_page_in_docs_may_not_hide_a_generated_one(
    mini_project: Callable[..., Path], tmp_path: Path
) -> None:
    project = mini_project()
    (project / "docs" / "index.md").write_text("# Mine\n", encoding="utf-8")
    code, output, _ = export(project, tmp_path / "out")
    assert code == 1
    assert "docs/index.md:1: this file has the same address as a page the storybook makes" in (
        output
    )


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_facilitator_edition_exports_with_its_notes_drafts_and_banner(
    sample_project: Path, tmp_path: Path, engine: str
) -> None:
    slump = sample_project / "stories" / "the-quiet-slump.md"
    slump.write_text(
        slump.read_text(encoding="utf-8").replace(
            "facilitator_notes: |\n", f"facilitator_notes: |\n  {FACILITATOR_MARKER}\n"
        ),
        encoding="utf-8",
    )
    (sample_project / "stories" / "unfinished.md").write_text(
        story_text(title=f"Unfinished {DRAFT_MARKER}", extra="draft: true\n"), encoding="utf-8"
    )
    out = tmp_path / "facilitator"
    code, output, errors = export(sample_project, out, "--edition", "facilitator")
    assert code == 0, output + errors
    assert "Exported the facilitator edition" in output
    site = build_with(engine, out)
    assert FACILITATOR_MARKER in html(site, SLUMP)
    assert DRAFT_MARKER in html(site, "stories/unfinished")
    for page in ("", SLUMP, "tags/wellbeing/", "about/"):
        assert "Facilitator edition: not for learners" in html(site, page), page
    assert "Facilitator edition" in (out / "mkdocs.yml").read_text(encoding="utf-8")


def test_the_edition_comes_from_the_plugin_option_unless_asked(
    mini_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = mini_project()
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - storybook\n",
            "  - storybook:\n      edition: !ENV [STORYBOOK_EDITION, learner]\n",
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("STORYBOOK_EDITION", "facilitator")
    code, output, _ = export(project, tmp_path / "b")
    assert code == 0 and "Exported the facilitator edition" in output
    code, output, _ = export(project, tmp_path / "c", "--edition", "learner")
    assert code == 0 and "Exported the learner edition" in output
    monkeypatch.setenv("STORYBOOK_EDITION", "projector")
    code, output, _ = export(project, tmp_path / "d")
    assert (
        code == 1
        and "mkdocs.yml:8: the storybook plugin's edition option asks for the 'projector' edition"
        in output
    ), output
    monkeypatch.delenv("STORYBOOK_EDITION")
    code, output, _ = export(project, tmp_path / "e")
    assert code == 0 and "Exported the learner edition" in output
    assert "STORYBOOK_EDITION" not in (tmp_path / "e" / "mkdocs.yml").read_text(encoding="utf-8")


def test_exported_config_keeps_env_and_python_tags(
    mini_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = mini_project()
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "site_name: Test storybook", "site_name: !ENV [STORYBOOK_SITE_NAME, Our stories]"
    )
    text += (
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
    )
    config.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert export(project, out)[0] == 0
    exported = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "!ENV" in exported and "STORYBOOK_SITE_NAME" in exported
    assert "!!python/name:material.extensions.emoji.twemoji" in exported

    monkeypatch.setenv("STORYBOOK_SITE_NAME", "Named at build time")
    site = build_with("mkdocs", out)
    assert "Named at build time" in (site / "index.html").read_text(encoding="utf-8")


def test_site_config_adapts_every_form_mkdocs_accepts() -> None:
    config: dict[str, Any] = {
        "site_name": "x",
        "site_dir": "/var/www/storybook",
        "plugins": {"search": {}, "storybook": {"stories_dir": "tales"}},
        "markdown_extensions": {"toc": {"permalink": True}, "admonition": {}},
        "not_in_nav": "/drafts/",
        "extra": {"analytics": {"provider": "none"}},
    }
    assert plugin_options(config) == {"stories_dir": "tales"}
    written = yaml.safe_load(site_config(config, ["index.md", "stories/a.md"], LEARNER_EDITION))
    assert written["plugins"] == {"search": {}}
    assert written["site_dir"] == "site", "Zensical builds only inside the project"
    assert set(written["markdown_extensions"]) == {"toc", "admonition", "attr_list", "md_in_html"}
    assert written["not_in_nav"] == "/drafts/\n/index.md\n/stories/\n"
    assert written["extra"] == {
        "analytics": {"provider": "none"},
        "storybook_pages": True,
        # Inert unless Material's offline plugin is on and the site is opened from disk.
        "polyfills": ["assets/iframe-worker-shim.js"],
    }
    assert written["extra_css"] == [
        "assets/storybook.css",
        "assets/reader.css",
        "assets/workshops.css",
        "assets/print.css",
        "assets/room.css",
    ]
    assert written["extra_javascript"] == [
        "assets/site-address.js",
        "assets/journal.js",
        "assets/reader.js",
        "assets/workshop-console.js",
        "assets/console.js",
    ]
    listed = {"plugins": ["search", {"storybook": None}, "tags"], "site_dir": "public"}
    written = yaml.safe_load(site_config(listed, [], LEARNER_EDITION))
    assert written["plugins"] == ["search", "tags"] and written["site_dir"] == "public"


def test_the_export_removes_html_comments_as_the_plugin_does(
    mini_project: Callable[..., Path], tmp_path: Path
) -> None:
    body = "Seen.\n\n<!-- SECRET-COMMENT for trainers -->\n\n```\n<!-- shown as code -->\n```\n"
    project = mini_project({"one.md": story_text(body=body)})
    code, output, errors = export(project, tmp_path / "out")
    assert code == 0, output + errors
    page = (tmp_path / "out" / "docs" / "stories" / "one.md").read_text(encoding="utf-8")
    assert "Seen." in page and "SECRET-COMMENT" not in page
    assert "<!-- shown as code -->" in page
    plugin_site = build(project)
    assert "SECRET-COMMENT" not in (plugin_site / "stories/one/index.html").read_text("utf-8")


def test_whole_pages_are_checked_where_texts_meet() -> None:
    from storybook.core.safety import page_problems

    pages = {"stories/a.md": "Fine.\n\n[click](javascript:alert(1))\n", "index.md": "Fine."}
    problems = page_problems(pages, {"stories/a.md": Path("stories/a.md")})
    assert [problem.format() for problem in problems] == [
        "stories/a.md:1: the page stories/a.md would hold something not allowed on a page: "
        "the link 'javascript:alert(1)' is not allowed in a story - it comes from texts put "
        "together on that page; links start with https://, http://, mailto: or tel:, or "
        "point to another page of this site"
    ]


def test_an_export_that_cannot_write_a_file_fails_and_names_it(
    mini_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import tempfile

    real_mkstemp = tempfile.mkstemp

    def disk_full_for_stories(*args: Any, **kwargs: Any) -> tuple[int, str]:
        if str(kwargs.get("dir", "")).endswith("stories"):
            raise OSError(errno.ENOSPC, "No space left on device")
        handle, name = real_mkstemp(*args, **kwargs)
        return handle, name

    monkeypatch.setattr(tempfile, "mkstemp", disk_full_for_stories)
    project = mini_project()
    code, output, errors = export(project, tmp_path / "out")
    assert code == 1, output + errors
    missing = tmp_path / "out" / "docs" / "stories" / "one.md"
    assert f"{missing}: not written (No space left on device)" in output
    assert "is incomplete: 1 problem(s) in 1 file(s)" in errors
    assert not missing.exists()


def test_a_hand_written_page_not_in_utf8_is_a_problem_at_its_line(
    mini_project: Callable[..., Path], tmp_path: Path
) -> None:
    project = mini_project()
    (project / "docs" / "about.md").write_bytes("# About\n\nCaf\xe9 notes\n".encode("cp1252"))
    code, output, errors = export(project, tmp_path / "out", "--edition", "facilitator")
    assert code == 1 and "Traceback" not in output + errors
    assert "docs/about.md:3: this file is not saved as UTF-8" in output, output


def test_an_export_folder_remembers_its_edition(
    mini_project: Callable[..., Path], tmp_path: Path
) -> None:
    project = mini_project()
    out = tmp_path / "out"
    assert export(project, out)[0] == 0
    before = snapshot(out)
    code, output, errors = export(project, out, "--edition", "facilitator")
    assert code == 1, output + errors
    assert "this folder holds an export of the learner edition, not the facilitator" in output
    assert "export-facilitator/" in output
    assert snapshot(out) == before
    assert export(project, out, "--edition", "learner")[0] == 0


def test_a_hand_written_page_with_windows_line_endings_keeps_its_front_matter(
    mini_project: Callable[..., Path], tmp_path: Path
) -> None:
    """The facilitator banner goes after the front matter, which MkDocs reads with \\r\\n too:
    put before it, the page showed its front matter as text."""
    project = mini_project()
    page = "---\r\ntitle: Ground rules\r\n---\r\n\r\n# Ground rules\r\n\r\nBe kind.\r\n"
    (project / "docs" / "rules.md").write_bytes(page.encode("utf-8"))
    out = tmp_path / "out"
    code, output, errors = export(project, out, "--edition", "facilitator")
    assert code == 0, output + errors
    exported = (out / "docs" / "rules.md").read_text(encoding="utf-8")
    assert exported.startswith('---\ntitle: Ground rules\n---\n<div class="admonition')
    built = html(build_with("mkdocs", out), "rules/")
    assert "<title>Ground rules" in built and "Facilitator edition: not for learners" in built
    assert "title: Ground rules" not in built


def test_a_storybook_without_a_templates_folder_exports_with_the_defaults(
    sample_project: Path, tmp_path: Path
) -> None:
    shutil.rmtree(sample_project / "templates")
    config = sample_project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "      templates_dir: templates\n" in text  # named, so it must exist: unnamed here
    config.write_text(text.replace("      templates_dir: templates\n", ""), encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, stderr = export(sample_project, out)
    assert code == 0, stdout + stderr
    slump = (out / "docs" / "stories" / "the-quiet-slump.md").read_text(encoding="utf-8")
    assert "The Quiet Slump" in slump
    assert (out / "overrides" / "main.html").read_bytes() == (
        ROOT / "storybook" / "plugin" / "theme" / "main.html"
    ).read_bytes()

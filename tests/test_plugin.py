"""Real MkDocs builds of real storybooks, read back as HTML and search index."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import storybook.core.pages
from storybook.core.room_pages import CONSOLE_URL_VARIABLE, DEFAULT_CONSOLE_URL
from storybook.plugin.sitedir import EDITION_MARK

from .conftest import (
    DATA,
    build,
    build_edition,
    build_error,
    copy_sample,
    run_mkdocs,
    sample_source,
    search_index,
    snapshot,
    story_text,
)

SLUMP = "stories/the-quiet-slump/"
# What stops MkDocs in a storybook, and the lines it prints then (see the file).
BAD_COMMANDS: dict[str, dict[str, Any]] = yaml.safe_load(
    (DATA / "bad_commands" / "mkdocs.yml").read_text(encoding="utf-8")
)


def test_sample_site_builds_strict_and_search_finds_the_slump_story(
    built_sample: Callable[..., Path], tmp_path: Path
) -> None:
    site = built_sample()
    untouched = snapshot(copy_sample(tmp_path / "fresh"))
    assert snapshot(sample_source(site)) == untouched, "the build must not write into the sources"

    docs = search_index(site)
    hits = {doc["location"] for doc in docs if "slump" in (doc["title"] + doc["text"]).lower()}
    assert any(location.startswith(SLUMP) for location in hits)
    # A word that only appears in one of its reflection questions finds the story too (and
    # the agenda of a workshop that runs the story, which lists its questions).
    caregiving = {doc["location"] for doc in docs if "caregiving" in doc["text"].lower()}
    assert any(location.startswith(SLUMP) for location in caregiving)
    assert all(location.startswith((SLUMP, "workshops/")) for location in caregiving)
    # Its reflection questions are indexed, under their own heading.
    (story,) = [doc for doc in docs if doc["location"] == SLUMP]
    assert "reflection" in story["anchors"] and "What did Greg notice" in story["text"]


def test_home_themes_tags_and_stories_link_up(built_sample: Callable[..., Path]) -> None:
    site = built_sample()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="stories/the-quiet-slump/"' in home
    assert 'href="tags/"' in home
    themes = (site / "tags" / "index.html").read_text(encoding="utf-8")
    assert 'href="wellbeing/"' in themes and 'href="personal-crisis/"' in themes
    tag_page = (site / "tags" / "personal-crisis" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../stories/the-quiet-slump/"' in tag_page
    assert "the-friday-rota" not in tag_page
    story = (site / SLUMP / "index.html").read_text(encoding="utf-8")
    assert 'href="../../tags/wellbeing/"' in story
    assert not (site / "authoring").exists(), "the guide to writing stories is for trainers"


def test_sidebar_does_not_list_every_story(mini_project: Callable[..., Path]) -> None:
    stories = {f"s{i:02}.md": story_text(title=f"Story number {i:02}") for i in range(40)}
    site = build(mini_project(stories), strict=True)
    page = (site / "stories" / "s00" / "index.html").read_text(encoding="utf-8")
    nav = page[page.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index("</nav>")]
    assert "Story number 01" not in nav
    sizes = {len((site / "stories" / f"s{i:02}" / "index.html").read_bytes()) for i in (0, 39)}
    assert max(sizes) - min(sizes) < 200


def test_drafts_are_neither_pages_nor_searchable(mini_project: Callable[..., Path]) -> None:
    project = mini_project(
        {
            "one.md": story_text(),
            "wip.md": story_text(title="Unfinished DRAFTMARKER", extra="draft: true\n"),
        }
    )
    site = build(project, strict=True)
    assert not (site / "stories" / "wip").exists()
    for path in site.rglob("*"):
        if path.is_file():
            assert b"DRAFTMARKER" not in path.read_bytes(), path


def test_story_body_is_never_run_through_jinja(mini_project: Callable[..., Path]) -> None:
    project = mini_project(
        {"one.md": story_text(body="She wrote {{ story.title }} and {% raw %}.")}
    )
    site = build(project, strict=True)
    html = (site / "stories" / "one" / "index.html").read_text(encoding="utf-8")
    assert "She wrote {{ story.title }} and {% raw %}." in html


def test_facilitator_notes_never_reach_the_default_build(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project({"one.md": story_text(extra="facilitator_notes: |\n  NOTEMARKER\n")})
    site = build(project, strict=True)
    for path in site.rglob("*"):
        if path.is_file():
            assert b"NOTEMARKER" not in path.read_bytes(), path


def test_broken_story_fails_the_build_with_every_problem(mini_project: Callable[..., Path]) -> None:
    project = mini_project(
        {
            "one.md": story_text(tags="[welbeing]"),
            "two.md": story_text(title="Monday: the call").replace(
                '"Monday: the call"', "Monday: the call"
            ),
        }
    )
    message = build_error(project)
    assert "stories/one.md:5: unknown tag 'welbeing' - did you mean 'wellbeing'?" in message
    assert "stories/two.md:2: YAML cannot be read here" in message


def test_mkdocs_build_prints_file_and_line_and_no_traceback(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project({"one.md": story_text().replace('"A test story"', "Monday: the call")})
    result = run_mkdocs(project, "-d", str(project.parent / "out"))
    assert result.returncode == 1
    assert "stories/one.md:2: YAML cannot be read here" in result.stderr
    assert "double quotes" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_hand_written_page_may_not_hide_a_generated_one(mini_project: Callable[..., Path]) -> None:
    project = mini_project()
    (project / "docs" / "index.md").write_text("# Mine\n", encoding="utf-8")
    assert "docs/index.md:1: this file has the same address as a page the storybook makes" in (
        build_error(project)
    )


def test_a_failed_build_leaves_no_site_that_could_pass_for_a_good_one(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project()
    site = build(project, strict=True)
    assert (site / "index.html").is_file()
    (site / ".git").mkdir()  # e.g. a gh-pages checkout: MkDocs itself keeps dot entries too
    (project / "stories" / "one.md").write_text(story_text(tags="[welbeing]"), encoding="utf-8")
    assert "unknown tag 'welbeing'" in build_error(project)
    # Only dot entries are kept, as MkDocs keeps them: the .git folder and the edition's mark,
    # which says whose folder it is (no page, nothing that could pass for a site).
    assert sorted(entry.name for entry in site.iterdir()) == [".git", EDITION_MARK]


def test_a_strict_mode_failure_after_every_page_was_written_leaves_no_site(
    mini_project: Callable[..., Path],
) -> None:
    # A broken link is only a warning; in strict mode MkDocs aborts after writing the whole site.
    project = mini_project({"one.md": story_text(body="See [the other story](nowhere.md).")})
    site = project.parent / "out"
    result = run_mkdocs(project, "--strict", "-d", str(site))
    assert result.returncode == 1
    # Once, for the story's page: its projector view reuses the page's converted parts, so
    # MkDocs does not read (nor warn about) the same body twice.
    assert "Aborted with 1 warnings in strict mode" in result.stdout
    assert f"the site folder {site} was emptied" in result.stderr
    assert [entry.name for entry in site.iterdir()] == [EDITION_MARK]


def test_a_missing_stories_folder_is_a_problem_not_a_configuration_error(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project()
    shutil.rmtree(project / "stories")
    assert "stories:1: the stories folder is missing - restore it" in build_error(project)


def test_titles_and_summaries_cannot_break_out_of_the_page_head(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project(
        {
            "one.md": story_text(title="Fish &amp; chips").replace(
                '"A short summary."', '"She said \\"no\\" & <b>left</b>"'
            )
        }
    )
    site = build(project, strict=True)
    page = (site / "stories" / "one" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="She said &quot;no&quot; &amp; &lt;b&gt;left' in page
    assert "<title>Fish &amp;amp; chips - " in page


def test_titles_with_brackets_still_make_links(mini_project: Callable[..., Path]) -> None:
    """A title is link text on the home, theme and related lists; [ ] \\ must not end it."""
    odd = r"Plans [and] promises ] \ kept"
    project = mini_project(
        {
            "odd.md": story_text(title=odd.replace("\\", "\\\\")),
            "plain.md": story_text(title="A plain story"),
        }
    )
    site = build(project, strict=True)
    link = f'<a href="../odd/">{odd}</a>'
    for page, href in (
        ("index.html", "stories/odd/"),
        ("tags/wellbeing/index.html", "../../stories/odd/"),
    ):
        html = (site / page).read_text(encoding="utf-8")
        assert f'<a href="{href}">{odd}</a>' in html, page
    related = (site / "stories" / "plain" / "index.html").read_text(encoding="utf-8")
    assert link in related


def test_long_lists_of_stories_are_paged_and_every_story_is_listed_once(
    mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past STORIES_PER_PAGE stories, the home page and theme pages link to further pages
    instead of growing with the library."""
    monkeypatch.setattr(storybook.core.pages, "STORIES_PER_PAGE", 2)
    titles = ["Alder", "Birch", "Cedar", "Damson", "Elm"]
    project = mini_project({f"{title.lower()}.md": story_text(title=title) for title in titles})
    site = build(project, strict=True)  # strict: every link between the pages resolves

    def listed(page: str) -> list[str]:
        html = (site / page / "index.html").read_text(encoding="utf-8")
        article = html[html.index("<article") : html.index("</article>")]
        return re.findall(r'<a href="[./]*stories/[a-z]+/">([A-Za-z]+)</a>', article)

    home = ["", "all-stories/2/", "all-stories/3/"]
    assert [listed(page) for page in home] == [["Alder", "Birch"], ["Cedar", "Damson"], ["Elm"]]
    assert not (site / "all-stories" / "4").exists()
    first = (site / "index.html").read_text(encoding="utf-8")
    assert "Stories 1\N{EN DASH}2 of 5, page 1 of 3." in first
    assert '<a href="all-stories/2/">Next page</a>' in first
    middle = (site / "all-stories" / "2" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../">Previous page</a> · <a href="../3/">Next page</a>' in middle

    page_titles = [
        re.findall(r"<title>(.*?)</title>", (site / page / "index.html").read_text("utf-8"))
        for page in ("tags/wellbeing", "tags/wellbeing/2", "all-stories/3")
    ]
    assert [title[0].split(" - ")[0] for title in page_titles] == [
        "Wellbeing", "Wellbeing, page 2", "All stories, page 3 of 3",
    ]  # fmt: skip
    theme = ["tags/wellbeing/", "tags/wellbeing/2/", "tags/wellbeing/3/"]
    assert [listed(page) for page in theme] == [["Alder", "Birch"], ["Cedar", "Damson"], ["Elm"]]
    # The further pages are lists of stories too: search lands on the stories instead.
    locations = {doc["location"].split("#")[0] for doc in search_index(site)}
    assert not {"", "all-stories/2/", "tags/wellbeing/", "tags/wellbeing/3/"} & locations
    assert "stories/alder/" in locations


def test_a_build_stopped_by_ctrl_c_leaves_no_partial_site(
    sample_project: Path,
) -> None:
    """Ctrl-C in the middle of `mkdocs build`: a hook stands in for the key, at the fifth page."""
    (sample_project / "interrupt.py").write_text(
        "pages = []\n\n"
        "def on_post_page(output, page, config):\n"
        "    pages.append(page)\n"
        "    if len(pages) == 5:\n"
        "        raise KeyboardInterrupt\n"
        "    return output\n",
        encoding="utf-8",
    )
    config = sample_project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "hooks:\n  - interrupt.py\n", encoding="utf-8"
    )
    result = run_mkdocs(sample_project)
    assert result.returncode != 0
    site = sample_project / "site"
    left = [path for path in site.rglob("*") if path.is_file()] if site.exists() else []
    assert left == [], f"a partial site was left: {len(left)} files"


def with_options(config: Path, options: dict[str, str]) -> None:
    """The storybook plugin's options in mkdocs.yml set to ``options``."""
    lines = "".join(f"      {name}: {value}\n" for name, value in options.items())
    text = config.read_text(encoding="utf-8").replace("  - storybook\n", f"  - storybook:\n{lines}")
    config.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", sorted(BAD_COMMANDS))
def test_what_stops_mkdocs_is_said_as_every_problem_is(
    case: str, mini_project: Callable[..., Path]
) -> None:
    given = BAD_COMMANDS[case]
    project = mini_project()
    for name, text in given.get("write", {}).items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    if "options" in given:
        with_options(project / "mkdocs.yml", given["options"])
    before = snapshot(project)
    ran = subprocess.run(
        [sys.executable, "-m", "mkdocs", *given["args"]],
        cwd=project,
        env={**os.environ, **given.get("env", {})},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert ran.returncode == 1, ran.stderr
    said, expected = ran.stderr.splitlines(), given["expected"]
    assert expected[0] in said, ran.stderr
    start = said.index(expected[0])
    assert said[start : start + len(expected)] == expected, ran.stderr
    assert "Traceback" not in ran.stderr
    # Stopped before it knew its site folder, the build must not empty another folder.
    assert snapshot(project) == before, "nothing a trainer wrote is touched"


# The storybook's own templates and tags.yml stand in for those a project does not have.

ROOM_STORY = story_text(title="One", body="## Part A\n\nWORDS-OF-PART-A\n\n## Part B\n\nMore.")


@pytest.mark.parametrize("templates", ["empty", "absent"])
def test_a_project_without_templates_builds_strict_in_both_editions_with_the_room(
    templates: str, mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Built for a room: the learner edition has the projector's views.
    monkeypatch.setenv(CONSOLE_URL_VARIABLE, DEFAULT_CONSOLE_URL)
    project = mini_project({"one.md": ROOM_STORY})
    shutil.rmtree(project / "templates")
    if templates == "empty":
        (project / "templates").mkdir()
    learner = build_edition(project, "learner", strict=True)
    assert "WORDS-OF-PART-A" in (learner / "stories" / "one" / "index.html").read_text("utf-8")
    projector = (learner / "present" / "one" / "index.html").read_text(encoding="utf-8")
    assert "WORDS-OF-PART-A" in projector and "storybook-slide" in projector
    assert (learner / "tags" / "wellbeing" / "index.html").is_file()
    home = (learner / "index.html").read_text(encoding="utf-8")
    # The package's main.html: the search dialog named, no missing-stories banner.
    assert 'role="dialog" aria-label="' in home and "storybook-no-pages" not in home
    facilitator = build_edition(project, "facilitator", strict=True)
    console = (facilitator / "console" / "one" / "index.html").read_text(encoding="utf-8")
    assert "One" in console and "assets/console.js" in console
    assert "tags.yml" in (facilitator / "authoring" / "index.html").read_text("utf-8")


def test_a_projects_template_replaces_the_default_for_its_pages_only(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project({"one.md": ROOM_STORY})
    (project / "templates" / "story.md.j2").write_text(
        "# {{ story.title }}\n\nOUR-OWN-STORY-PAGE\n\n{{ story.body }}\n", encoding="utf-8"
    )
    site = build(project, strict=True)
    story = (site / "stories" / "one" / "index.html").read_text(encoding="utf-8")
    assert "OUR-OWN-STORY-PAGE" in story and "WORDS-OF-PART-A" in story
    tag = (site / "tags" / "wellbeing" / "index.html").read_text(encoding="utf-8")
    assert "OUR-OWN-STORY-PAGE" not in tag and "One" in tag
    assert "OUR-OWN-STORY-PAGE" not in (site / "index.html").read_text(encoding="utf-8")


def test_a_projects_tags_yml_replaces_the_default_vocabulary(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project({"one.md": story_text(tags="[our-theme, our-moment]")})
    (project / "templates" / "tags.yml").write_text(
        "themes:\n  our-theme:\n    label: Our theme\n    description: Ours.\n"
        '    questions: ["What is ours?"]\n'
        "moments:\n  our-moment:\n    label: Our moment\n    description: Ours too.\n",
        encoding="utf-8",
    )
    site = build(project, strict=True)
    assert "Our theme" in (site / "tags" / "our-theme" / "index.html").read_text("utf-8")
    assert not (site / "tags" / "wellbeing").exists()


def test_a_templates_folder_mkdocs_yml_names_must_exist(mini_project: Callable[..., Path]) -> None:
    project = mini_project()
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - storybook\n", "  - storybook:\n      templates_dir: my-templates\n"
        ),
        encoding="utf-8",
    )
    error = build_error(project)
    assert "mkdocs.yml:8: templates_dir names the folder 'my-templates', which does not exist" in (
        error
    )

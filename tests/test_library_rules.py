"""The library's countable rules (issue 25), asserted on the real library: stories/,
templates/tags.yml, workshops/, paths/ and the catalogue of form, tests/data/library/.

A rule the current library does not meet yet is marked xfail(strict=True): the library is
being rewritten, and once the rewritten stories are merged a rule that holds fails as
XPASS, which tells the integrator to remove its mark. tests/test_coverage.py tests the
coverage page and warnings on small libraries; this file is about the library itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from storybook.cli import main
from storybook.core.library import Library, load_library
from storybook.core.model import Story
from storybook.core.parts import split_parts
from storybook.core.vocabulary import Vocabulary

from .conftest import DATA, ROOT

CATALOGUE = DATA / "library"
MIN_STORIES = 32
MIN_STORIES_PER_MOMENT = 2
MIN_EXHIBITS = 3
MIN_OTHER_FORMS = 2
MAX_PER_TWIST = 3
FORMS = ("third-person", "first-person", "several-views")
TWISTS = (
    "none",
    "hidden-cost",
    "new-information",
    "backfire",
    "it-worked",
    "someone-else-decides",
    "delayed-consequence",
    "mixed-outcome",
)
# A question about the reader's own team, as the stories phrase it.
OWN_TEAM = re.compile(r"\byour team\b|\byour own\b|\bon your team\b|\byou manage\b", re.I)
# A Markdown table: a row, then its separator row (| --- | :---: | :-: |); one dash is
# enough, as in the centred columns of several stories.
TABLE = re.compile(r"^\s*\|.*\|\s*\n\s*\|(\s*:?-+:?\s*\|)+\s*$", re.M)
# A quoted document: at least two lines in a row that start with >.
QUOTED = re.compile(r"^ {0,3}>.*\n {0,3}>", re.M)
# A capitalised word: how a name starts a role card ("Greg, the manager").
NAME = re.compile(r"[A-Z][\w'\u2019-]+")


@pytest.fixture(scope="module")
def library() -> Library:
    found = load_library(ROOT / "stories", ROOT / "templates")
    assert found.problems == [], "the library must load without problems"
    return found


@pytest.fixture(scope="module")
def published(library: Library) -> list[Story]:
    return list(library.published)


@pytest.fixture(scope="module")
def vocabulary(library: Library) -> Vocabulary:
    assert library.vocabulary is not None
    return library.vocabulary


def catalogue_files() -> dict[str, Path]:
    return {path.stem: path for path in sorted(CATALOGUE.glob("*.yml"))}


def catalogue() -> dict[str, dict[str, Any]]:
    return {
        slug: yaml.safe_load(path.read_text(encoding="utf-8"))
        for slug, path in catalogue_files().items()
    }


def has_exhibit(body: str) -> bool:
    """Whether a body carries an exhibit: a Markdown table or a quoted document of two or
    more lines. Fenced code does not count."""
    text = "".join(part.text for part in split_parts(body))
    text = re.sub(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1", "", text, flags=re.M | re.S)
    return bool(TABLE.search(text) or QUOTED.search(text))


def names_of(story: Story) -> set[str]:
    """The personal names a story uses that can be told reliably: its protagonist, the name
    that starts each role card's role, and the surname written after any of those names in
    the body or the role cards ("Lena Marsh")."""
    first: set[str] = set()
    if story.protagonist:
        first.update(NAME.findall(story.protagonist))
    for card in story.role_cards:
        role = str(card["role"]).split(",")[0].split("(")[0]
        words = NAME.findall(role)
        if words and words[0] != "The":
            first.update(words)
    text = story.body + "\n".join(str(card.get("brief", "")) for card in story.role_cards)
    surnames = {
        match[1]
        for name in first
        for match in re.finditer(rf"\b{re.escape(name)} ([A-Z][\w'\u2019-]+)\b", text)
    }
    return first | surnames


def questions_of(story: Story) -> Iterator[str]:
    for question in story.all_questions:
        yield question.template


def test_the_library_has_at_least_32_published_stories(published: list[Story]) -> None:
    assert len(published) >= MIN_STORIES


def test_each_moment_is_on_at_least_two_published_stories(
    published: list[Story], vocabulary: Vocabulary
) -> None:
    thin = {
        tag.name: count
        for tag in vocabulary.by_kind("moments")
        if (count := sum(tag.name in story.tags for story in published)) < MIN_STORIES_PER_MOMENT
    }
    assert thin == {}, f"moments on fewer than {MIN_STORIES_PER_MOMENT} stories"


def test_no_tag_is_on_more_than_half_of_the_stories(published: list[Story]) -> None:
    counts = Counter(tag for story in published for tag in story.tags)
    crowded = {tag: count for tag, count in counts.items() if count * 2 > len(published)}
    assert crowded == {}


def test_no_personal_name_is_used_in_two_stories(published: list[Story]) -> None:
    used: dict[str, list[str]] = {}
    for story in published:
        for name in names_of(story):
            used.setdefault(name, []).append(story.slug)
    reused = {name: slugs for name, slugs in used.items() if len(slugs) > 1}
    assert reused == {}


def test_names_are_found_where_the_stories_write_them(library: Library) -> None:
    """The name finder itself, on stories whose cast is known."""
    by_slug = {story.slug: story for story in library.stories}
    if "the-quiet-slump" in by_slug:
        assert {"Lena", "Greg"} <= names_of(by_slug["the-quiet-slump"])
    for story in library.stories:
        if story.protagonist:
            assert story.protagonist.split()[0] in names_of(story)


def test_at_least_three_stories_carry_an_exhibit(published: list[Story]) -> None:
    with_exhibit = [story.slug for story in published if has_exhibit(story.body)]
    assert len(with_exhibit) >= MIN_EXHIBITS, with_exhibit


def test_an_exhibit_is_a_table_or_a_quoted_document_of_two_lines() -> None:
    assert has_exhibit("Text.\n\n| Day | Shift |\n| --- | --- |\n| Mon | Early |\n")
    assert has_exhibit("| Month | Score |\n|---|:-:|\n| May | 4.1 |\n")
    assert has_exhibit("She read:\n\n> Dear all,\n> the rota changes on Monday.\n")
    assert not has_exhibit("> One quoted line only.\n\nThen prose.\n")
    assert not has_exhibit("```\n| a | b |\n| --- | --- |\n```\n")
    assert not has_exhibit("A | B in a sentence, and a --- dash.\n")


def test_at_least_two_stories_are_told_in_the_first_person_or_from_several_views() -> None:
    other = [slug for slug, entry in catalogue().items() if entry.get("form") != "third-person"]
    assert len(other) >= MIN_OTHER_FORMS, other


def test_no_twist_but_none_is_used_by_more_than_three_stories() -> None:
    counts = Counter(entry.get("twist") for entry in catalogue().values())
    over = {twist: n for twist, n in counts.items() if twist != "none" and n > MAX_PER_TWIST}
    assert over == {}


def test_at_most_a_third_of_the_stories_end_on_write_what_you_would_say(
    published: list[Story],
) -> None:
    ending = [slug for slug, entry in catalogue().items() if entry.get("ends_on_words") is True]
    assert len(ending) * 3 <= len(published), ending


def test_every_story_asks_about_the_reader_s_own_team(published: list[Story]) -> None:
    missing = [
        story.slug
        for story in published
        if not any(OWN_TEAM.search(question) for question in questions_of(story))
    ]
    assert missing == []


def test_every_story_has_a_catalogue_entry_and_every_entry_a_story(library: Library) -> None:
    slugs = {story.slug for story in library.stories}
    entries = set(catalogue_files())
    assert sorted(slugs - entries) == [], "stories without tests/data/library/<slug>.yml"
    assert sorted(entries - slugs) == [], "catalogue entries without a story"


def test_every_catalogue_entry_follows_the_schema() -> None:
    wrong = []
    for slug, entry in catalogue().items():
        if not isinstance(entry, dict):
            wrong.append(f"{slug}: not a mapping")
            continue
        checks = {
            "form": entry.get("form") in FORMS,
            "exhibit": isinstance(entry.get("exhibit"), bool),
            "twist": entry.get("twist") in TWISTS,
            "ends_on_words": isinstance(entry.get("ends_on_words"), bool),
            "sector": isinstance(entry.get("sector"), str) and bool(entry["sector"].strip()),
            "protagonist_new": entry.get("protagonist_new") is True
            or (isinstance(entry.get("protagonist_new"), str) and bool(entry["protagonist_new"])),
        }
        wrong += [f"{slug}: {key}" for key, ok in checks.items() if not ok]
        extra = set(entry) - set(checks)
        wrong += [f"{slug}: unknown key {key}" for key in sorted(extra)]
    assert wrong == []


def test_the_catalogue_says_exhibit_where_the_body_has_one(library: Library) -> None:
    bodies = {story.slug: story.body for story in library.stories}
    disagree = [
        slug
        for slug, entry in catalogue().items()
        if slug in bodies and entry.get("exhibit") is not has_exhibit(bodies[slug])
    ]
    assert disagree == []


def test_a_story_without_a_part_b_has_no_twist(library: Library) -> None:
    stories = {story.slug: story for story in library.stories}
    wrong = [
        slug
        for slug, entry in catalogue().items()
        if slug in stories and not stories[slug].reveal and entry.get("twist") != "none"
    ]
    assert wrong == []


def test_storybook_check_reports_no_warning_on_the_real_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["check"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output.lower(), result.output
    assert result.output.startswith("All good"), result.output

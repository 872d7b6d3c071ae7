from __future__ import annotations

from pathlib import Path

import pytest

from storybook.core.errors import StorybookError
from storybook.core.load import load_story
from storybook.core.model import Story
from storybook.core.validate import check_unique_slugs, slugify, validate_story
from storybook.core.vocabulary import Vocabulary, load_vocabulary

from .conftest import ROOT, story_text


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary(ROOT / "templates")


def validate(tmp_path: Path, vocabulary: Vocabulary, text: str, name: str = "s.md") -> Story:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return validate_story(load_story(path), vocabulary)


def test_a_valid_story_becomes_a_typed_model(tmp_path: Path, vocabulary: Vocabulary) -> None:
    story = validate(tmp_path, vocabulary, story_text(), name="My Story.md")
    assert story.title == "A test story"
    assert story.tags == ("wellbeing",)
    assert story.slug == "my-story"
    assert story.reflection[0].line == 7
    assert story.draft is False and story.facilitator_notes is None


def test_every_problem_of_a_story_is_reported_at_once(
    tmp_path: Path, vocabulary: Vocabulary
) -> None:
    text = '---\ntitel: "x"\nsummary: 3\ntags: [wellbeing, feedbak]\nreflection: []\ndraft: maybe\n---\n'
    with pytest.raises(StorybookError) as caught:
        validate(tmp_path, vocabulary, text)
    messages = [(p.line, p.message, p.hint) for p in caught.value.problems]
    assert (2, "unknown field 'titel'", "did you mean 'title'?") in messages
    assert any(m[1] == "the required field 'title' is missing" for m in messages)
    assert any(m[0] == 4 and "feedbak" in m[1] and "'feedback'" in m[2] for m in messages)
    assert any(m[0] == 5 and "reflection must be a non-empty list" in m[1] for m in messages)
    assert any(m[0] == 6 and "true or false" in m[1] for m in messages)


def test_numbers_are_accepted_as_text(tmp_path: Path, vocabulary: Vocabulary) -> None:
    story = validate(tmp_path, vocabulary, story_text(title="1984"))
    assert story.title == "1984"


@pytest.mark.parametrize("slug", ["../escape", "Upper", "a--b", "with space", "-x", "a/b"])
def test_slugs_cannot_leave_the_site_or_break_addresses(
    tmp_path: Path, vocabulary: Vocabulary, slug: str
) -> None:
    with pytest.raises(StorybookError) as caught:
        validate(tmp_path, vocabulary, story_text(extra=f'slug: "{slug}"\n'))
    assert "not a valid page address" in caught.value.problems[0].message


def test_duplicate_slugs_name_both_files(tmp_path: Path, vocabulary: Vocabulary) -> None:
    first = validate(tmp_path, vocabulary, story_text(), name="same.md")
    second = validate(tmp_path, vocabulary, story_text(extra="slug: same\n"), name="other.md")
    problems = check_unique_slugs([first, second])
    assert {p.path.name for p in problems} == {"same.md", "other.md"}
    assert any("other.md" in p.message for p in problems)
    assert any("same.md" in p.message for p in problems)


def test_slugify_makes_url_safe_names() -> None:
    assert slugify("Ça va? The Quiet Slump!") == "ca-va-the-quiet-slump"
    assert slugify("***") == ""


def test_the_facilitator_fields_become_part_of_the_typed_model(
    tmp_path: Path, vocabulary: Vocabulary
) -> None:
    extra = 'suggested_minutes: 30\ndiscussion_plan:\n  open: "Ask."\n  close: |\n    Write.\n'
    story = validate(tmp_path, vocabulary, story_text(extra=extra))
    assert story.suggested_minutes == 30
    assert story.discussion_plan == {
        "open": "Ask.",
        "listen_for": None,
        "close": "Write.",
        "segments": None,
    }


@pytest.mark.parametrize("minutes", ["0", "721", "true", "12.5", "[45]"])
def test_suggested_minutes_must_be_a_sensible_whole_number(
    tmp_path: Path, vocabulary: Vocabulary, minutes: str
) -> None:
    with pytest.raises(StorybookError) as caught:
        validate(tmp_path, vocabulary, story_text(extra=f"suggested_minutes: {minutes}\n"))
    (problem,) = caught.value.problems
    assert problem.line == 8 and "whole number of minutes from 1 to 720" in problem.message


def test_a_held_back_part_has_its_own_content_notes_and_questions(
    tmp_path: Path, vocabulary: Vocabulary
) -> None:
    extra = (
        'content_notes: [divorce]\nreveal: ["Friday"]\nreveal_notes: [bereavement]\n'
        'reflection_after:\n  - "Now what would {{ story.protagonist }} say?"\n'
    )
    story = validate(tmp_path, vocabulary, story_text(extra=extra, body="A.\n\n## Friday\n\nB."))
    assert story.content_notes == ("divorce",)
    assert story.reveal_notes == ("bereavement",)
    assert [q.template for q in story.reflection_after] == [
        "Now what would {{ story.protagonist }} say?"
    ]
    assert story.reflection_after[0].line == 12
    # A discussion plan's "Question N" counts reflection first, then reflection_after.
    assert story.all_questions == story.reflection + story.reflection_after


def test_without_reveal_there_is_nothing_to_note_or_ask_after(
    tmp_path: Path, vocabulary: Vocabulary
) -> None:
    extra = 'reveal_notes: [bereavement]\nreflection_after: ["Then?"]\n'
    with pytest.raises(StorybookError) as caught:
        validate(tmp_path, vocabulary, story_text(extra=extra))
    found = {(p.line, p.message.split(":")[0]) for p in caught.value.problems}
    assert found == {(8, "reveal_notes"), (9, "reflection_after")}

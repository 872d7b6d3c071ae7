from __future__ import annotations

from pathlib import Path

import pytest

from storybook.core.defaults import DEFAULT_TEMPLATES
from storybook.core.errors import StorybookError
from storybook.core.vocabulary import VOCABULARY_FILE, load_vocabulary

ROOT = Path(__file__).resolve().parent.parent


def test_sample_vocabulary_has_themes_and_moments_with_question_banks() -> None:
    vocabulary = load_vocabulary(ROOT / "templates")
    assert vocabulary.by_kind("themes") and vocabulary.by_kind("moments")
    wellbeing = vocabulary.tags["wellbeing"]
    assert wellbeing.label and wellbeing.description
    assert wellbeing.questions, "every tag brings at least one question"
    assert all(tag.questions for tag in vocabulary.tags.values())
    assert vocabulary.closest("welbeing") == "wellbeing"
    assert vocabulary.closest("zzzz") is None


def test_vocabulary_mistakes_name_the_line(tmp_path: Path) -> None:
    (tmp_path / "tags.yml").write_text(
        "themes:\n  a:\n    label: A\n    colour: red\nplaces:\n  b: {}\n", encoding="utf-8"
    )
    with pytest.raises(StorybookError) as caught:
        load_vocabulary(tmp_path)
    found = {(p.line, p.message) for p in caught.value.problems}
    assert (4, "unknown field 'colour' in tag 'a'") in found
    assert (5, "unknown section 'places'") in found


def test_without_its_own_tags_yml_a_project_gets_the_default(tmp_path: Path) -> None:
    default = load_vocabulary(DEFAULT_TEMPLATES)
    for folder in (tmp_path, tmp_path / "absent"):
        vocabulary = load_vocabulary(folder)
        assert vocabulary.path == DEFAULT_TEMPLATES / VOCABULARY_FILE
        assert vocabulary.tags == default.tags and vocabulary.content_notes


def test_the_default_vocabulary_has_no_problems() -> None:
    """A project cannot repair the shipped file: it must load, every tag with questions."""
    vocabulary = load_vocabulary(DEFAULT_TEMPLATES)
    assert vocabulary.by_kind("themes") and vocabulary.by_kind("moments")
    assert all(tag.questions and tag.description for tag in vocabulary.tags.values())


def test_a_projects_tags_yml_replaces_the_default_whole(tmp_path: Path) -> None:
    (tmp_path / VOCABULARY_FILE).write_text(
        "themes:\n  our-theme:\n    label: Ours\n    description: D\n    questions: []\n"
        "moments: {}\n",
        encoding="utf-8",
    )
    vocabulary = load_vocabulary(tmp_path)
    assert vocabulary.path == tmp_path / VOCABULARY_FILE
    assert list(vocabulary.tags) == ["our-theme"] and vocabulary.content_notes == {}


def test_a_tags_yml_linked_to_the_default_is_refused(tmp_path: Path) -> None:
    (tmp_path / VOCABULARY_FILE).symlink_to(DEFAULT_TEMPLATES / VOCABULARY_FILE)
    with pytest.raises(StorybookError) as caught:
        load_vocabulary(tmp_path)
    assert "outside the templates folder" in caught.value.problems[0].message


def test_a_tags_yml_that_is_not_a_file_is_said_not_skipped(tmp_path: Path) -> None:
    (tmp_path / VOCABULARY_FILE).mkdir()
    with pytest.raises(StorybookError) as caught:
        load_vocabulary(tmp_path)
    assert caught.value.problems[0].path == tmp_path / VOCABULARY_FILE

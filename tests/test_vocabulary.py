from __future__ import annotations

from pathlib import Path

import pytest

from storybook.core.errors import StorybookError
from storybook.core.vocabulary import load_vocabulary

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


def test_missing_vocabulary_says_what_to_create(tmp_path: Path) -> None:
    with pytest.raises(StorybookError) as caught:
        load_vocabulary(tmp_path)
    assert "tags.yml" in caught.value.problems[0].hint

from __future__ import annotations

from pathlib import Path

import pytest

from storybook.core.errors import StorybookError
from storybook.core.yamlfile import parse_yaml

HERE = Path("story.md")


def test_every_value_knows_its_file_line() -> None:
    text = 'title: "A"\ntags:\n  - one\n  - two\nnotes: |\n  long\n'
    located = parse_yaml(text, HERE, first_line=2)
    assert located.data["tags"] == ["one", "two"]
    assert located.line("title") == 2
    assert located.line("tags", 0) == 4
    assert located.line("tags", 1) == 5
    assert located.key_lines[("notes",)] == 6
    assert located.line("missing") == located.line()


def test_duplicate_keys_are_an_error_not_a_silent_overwrite() -> None:
    with pytest.raises(StorybookError) as caught:
        parse_yaml("title: a\nsummary: b\ntitle: c\n", HERE)
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "first on line 1" in problem.message


def test_python_tags_never_construct_objects(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(StorybookError) as caught:
        parse_yaml(f'title: !!python/object/apply:os.system ["touch {marker}"]\n', HERE)
    assert "not allowed" in caught.value.problems[0].message
    assert not marker.exists()


def test_alias_bombs_are_refused_before_they_expand() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    with pytest.raises(StorybookError) as caught:
        parse_yaml(bomb, HERE)
    assert all("aliases" in p.message for p in caught.value.problems)


def test_empty_document_is_none() -> None:
    assert parse_yaml("", HERE).data is None


def test_a_date_that_does_not_exist_is_a_problem_at_its_line_not_a_crash() -> None:
    with pytest.raises(StorybookError) as caught:
        parse_yaml("title: a\nsessions:\n  - x: 1\n  - when: 2026-13-01\n", HERE, first_line=2)
    (problem,) = caught.value.problems
    assert problem.line == 5
    assert "date does not exist" in problem.message and "year-month-day" in problem.hint

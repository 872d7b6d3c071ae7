from __future__ import annotations

from pathlib import Path

import pytest

from storybook.core.errors import StorybookError
from storybook.core.load import find_story_files, load_story


def test_body_is_kept_exactly_and_its_first_line_known(tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_text('---\ntitle: "T"\n---\nFirst {{ line }}\n\nSecond\n', encoding="utf-8")
    story = load_story(path)
    assert story.front.data == {"title": "T"}
    assert story.body == "First {{ line }}\n\nSecond\n"
    assert story.body_line == 4


def test_windows_line_endings_and_byte_order_mark_simply_work(tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_bytes('\ufeff---\r\ntitle: "Café"\r\n---\r\nBody\r\n'.encode())
    story = load_story(path)
    assert story.front.data == {"title": "Café"}
    assert story.body == "Body\n"


def test_legacy_encoding_names_the_line_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_bytes(b'---\ntitle: "ok"\nsummary: "caf\xe9"\n---\n')
    with pytest.raises(StorybookError) as caught:
        load_story(path)
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "UTF-8" in problem.message and "UTF-8" in problem.hint


def test_yaml_errors_are_reported_at_the_file_line(tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_text('---\nsummary: "fine"\ntitle: Monday: the call\n---\n', encoding="utf-8")
    with pytest.raises(StorybookError) as caught:
        load_story(path)
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "double quotes" in problem.hint


def test_hidden_and_underscore_files_are_not_stories(tmp_path: Path) -> None:
    for name in ("b.md", "a.md", "_draft-notes.md", ".hidden.md", "notes.txt", "sub/c.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in find_story_files(tmp_path)]
    assert found == ["a.md", "b.md", "sub/c.md"]

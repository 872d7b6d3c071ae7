"""A heading whose address (toc's id) would start with __ is refused by `storybook export`
at its line, however its text writes the underscores (tests/data/theme_headings): plain
MkDocs would give it the id of one of Material's own elements."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from storybook.core.safety import find_unsafe_by_converting

from .conftest import DATA
from .test_export import export

STORY = DATA / "theme_headings" / "headings.md"
MESSAGE = "this heading's address would start with __"


def heading_lines(text: str) -> list[int]:
    """The 1-based lines of the body's headings: # headings and underlined ones."""
    lines = text.split("\n")
    body = lines.index("---", 1) + 1
    return [
        number
        for number, line in enumerate(lines, start=1)
        if number > body
        if line.startswith("#") or (number < len(lines) and lines[number].startswith("---"))
    ]


def test_export_refuses_every_heading_named_like_the_theme(
    mini_project: Callable[..., Path], tmp_path: Path
) -> None:
    text = STORY.read_text(encoding="utf-8")
    project = mini_project({"headings.md": text})
    code, output, errors = export(project, tmp_path / "out")
    assert code == 1
    reported = [line for line in (output + errors).splitlines() if MESSAGE in line]
    expected = heading_lines(text)
    assert len(expected) == 7
    assert [line.split(":")[1] for line in reported] == [str(number) for number in expected]


def test_a_heading_alone_is_found_at_its_line() -> None:
    for heading in ("## &#95;&#95;config", "## `__search`", "__drawer\n---"):
        found = find_unsafe_by_converting(f"Intro.\n\n{heading}\n", trainer=False)
        assert [(finding.line, MESSAGE in finding.message) for finding in found] == [(2, True)]


def test_underscores_inside_a_heading_are_no_problem() -> None:
    assert find_unsafe_by_converting("## a__b &#95;\n\nx_y & z\n", trainer=False) == []

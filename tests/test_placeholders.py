"""The scaffold cannot be published by accident: every example text `storybook new` writes
(storybook/core/placeholders.py, the one list) is a problem at its line in a story without
draft: true, and a text the trainer changed is theirs."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from storybook.cli import main
from storybook.core.placeholders import STORY, comparable

from .conftest import build_error


def example_texts(field: str) -> list[str]:
    """The example texts `storybook new` writes for one field, in order."""
    value = STORY.fields[field]
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, tuple) else list(value.values())


EXAMPLES = [
    text
    for field in ("summary", "protagonist", "reflection", "facilitator_notes", "discussion_plan")
    for text in example_texts(field)
]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def scaffold(mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A story as `storybook new` writes it, with the line draft: true removed and nothing
    else changed: what a trainer in a hurry publishes."""
    project = mini_project({})
    monkeypatch.chdir(project)
    code, output = run("new", "The first one-to-one")
    assert code == 0, output
    story = project / "stories" / "the-first-one-to-one.md"
    text = story.read_text(encoding="utf-8")
    assert "\ndraft: true\n" in text
    story.write_text(text.replace("\ndraft: true\n", "\n"), encoding="utf-8")
    return story


def line_of(text: str, words: str) -> int:
    return text[: text.index(words)].count("\n") + 1


def printed_problems(output: str) -> dict[int, str]:
    return {
        int(found.group(1)): found.group(0)
        for found in re.finditer(r"^stories/the-first-one-to-one\.md:(\d+): .*$", output, re.M)
    }


def test_every_example_text_left_in_a_published_scaffold_is_a_problem_at_its_line(
    scaffold: Path,
) -> None:
    text = scaffold.read_text(encoding="utf-8")
    code, output = run("check")
    assert code == 1, output
    problems = printed_problems(output)
    expected = {line_of(text, example.strip()) for example in EXAMPLES}
    expected |= {line_of(text, "Tell the story here"), line_of(text, "Remove the line")}
    assert set(problems) == expected, output
    summary = problems[line_of(text, str(STORY.fields["summary"]))]
    assert summary.endswith(
        "summary is still the example text of `storybook new` - replace it with this "
        "story's own words, or put back draft: true until it is ready"
    )
    assert "reflection 5 is still the example text" in output
    assert "discussion_plan: listen_for is still the example text" in output
    assert "the story still has the example text of `storybook new`" in output
    assert "Traceback" not in output
    # The build says the same, and makes nothing.
    error = build_error(scaffold.parent.parent)
    for line in problems.values():
        assert line in error


def test_a_scaffold_whose_every_example_is_replaced_is_published(scaffold: Path) -> None:
    text = scaffold.read_text(encoding="utf-8")
    for number, example in enumerate(EXAMPLES):
        text = text.replace(example.strip(), f"Own words {number} of {{{{ story.protagonist }}}}")
    text = text.replace("Tell the story here, as it happened.", "Sam came in late.")
    text = text.replace("Change names and details so nobody can be identified.", "Nobody said.")
    text = text.replace("Remove the line `draft: true` when the story is ready to publish.", "")
    scaffold.write_text(text, encoding="utf-8")
    code, output = run("check")
    assert code == 0, output


def test_an_example_changed_in_one_word_is_the_trainers_and_rewrapping_hides_none(
    scaffold: Path,
) -> None:
    text = scaffold.read_text(encoding="utf-8")
    first, second = example_texts("reflection")[:2]
    changed = first.replace("the manager", "Dana")
    rewrapped = second.replace(" and how", "  AND\n    how")
    scaffold.write_text(text.replace(first, changed).replace(second, rewrapped), encoding="utf-8")
    code, output = run("check")
    assert code == 1
    problems = printed_problems(output)
    assert line_of(text, first) not in problems, "a changed question is the trainer's"
    assert line_of(text, second) in problems, "a question only re-wrapped is still the example"


def test_a_draft_keeps_its_example_texts_without_a_problem(scaffold: Path) -> None:
    text = scaffold.read_text(encoding="utf-8")
    scaffold.write_text(
        text.replace("\nsuggested_minutes:", "\ndraft: true\nsuggested_minutes:"), encoding="utf-8"
    )
    code, output = run("check")
    assert code == 0, output


def test_the_scaffold_questions_vary_the_task() -> None:
    """What? / another's view / So what? / Now what?, and no task repeated (see
    ../shared/pedagogy.md, "Vary the task"): no two questions open with the same word."""
    questions = STORY.fields["reflection"]
    assert len(questions) >= 4
    openings = [comparable(question).split()[0] for question in questions]
    assert len(set(openings)) == len(openings), openings
    assert not any("first three sentences" in comparable(q) for q in questions)

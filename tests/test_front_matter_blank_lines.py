"""A story is cut at its front matter in as many steps however many blank lines come before
it: a file of two million blank lines (and a story) was looked at a blank line at a time,
twice the time splitting every line took before, for the same cut."""

from __future__ import annotations

from pathlib import Path

import pytest

from storybook.core.load import _split_front_matter_slowly, split_front_matter

from .conftest import calls_made

STORY = "---\ntitle: x\n---\nThe story.\n"


def _calls_made(text: str) -> int:
    """How many functions cutting ``text`` at its front matter calls."""
    return calls_made(split_front_matter, text, Path("story.md"))


@pytest.mark.parametrize("blank", ["\n", " \n", "\t\u00a0\u3000\n", "\x0c\n"])
def test_blank_lines_before_the_front_matter_cost_no_step_each(blank: str) -> None:
    few, many = blank * 10 + STORY, blank * 10_000 + STORY
    assert _calls_made(many) == _calls_made(few)
    assert split_front_matter(many, Path("story.md")) == _split_front_matter_slowly(
        many, Path("story.md")
    )


@pytest.mark.parametrize("line", ["---x\n", "---- \n", "--- x ---\n", "---\u00a0.\n"])
def test_lines_that_start_with_dashes_but_do_not_close_cost_no_step_each(line: str) -> None:
    # A story whose body rules its scenes off with ---- (or a file of such lines).
    few, many = "---\ntitle: x\n" + line * 10 + "---\n", "---\ntitle: x\n" + line * 10_000 + "---\n"
    assert _calls_made(many) == _calls_made(few)
    assert split_front_matter(many, Path("story.md")) == _split_front_matter_slowly(
        many, Path("story.md")
    )

"""An ASCII body's words are counted in as many steps whatever its number of apostrophes: a
body of two million characters made of x'x'x' (a hostile or pasted one) was counted one
apostrophe at a time, ten times the work of the whole text's regular expression before, and
gives the same count as the regular expression."""

from __future__ import annotations

import pytest

from storybook.core.reading import _word_count_slowly, word_count

from .conftest import calls_made


@pytest.mark.parametrize("piece", ["x'", "'x", "''x", " 'x", "x''", "_'x"])
def test_apostrophes_cost_no_step_each(piece: str) -> None:
    few, many = piece * 10, piece * 10_000
    assert calls_made(word_count, many) == calls_made(word_count, few)
    assert word_count(many) == _word_count_slowly(many)

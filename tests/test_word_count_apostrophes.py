"""An ASCII body's words are counted in as many steps whatever its number of apostrophes: a
body of two million characters made of x'x'x' (a hostile or pasted one) was counted one
apostrophe at a time, ten times the work of the whole text's regular expression before, and
gives the same count as the regular expression."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest

from storybook.core.reading import _word_count_slowly, word_count


def _calls_made(count: Callable[[str], int], text: str) -> int:
    """How many functions (Python's and C's) counting the words of ``text`` calls."""
    calls = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(profile)
    try:
        count(text)
    finally:
        sys.setprofile(None)
    return calls


@pytest.mark.parametrize("piece", ["x'", "'x", "''x", " 'x", "x''", "_'x"])
def test_apostrophes_cost_no_step_each(piece: str) -> None:
    few, many = piece * 10, piece * 10_000
    assert _calls_made(word_count, many) == _calls_made(word_count, few)
    assert word_count(many) == _word_count_slowly(many)

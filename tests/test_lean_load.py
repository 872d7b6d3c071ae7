"""The load and validate shortcuts against the slow way each stands in for: an ASCII body's
word count by bytes methods. Whatever the text, each gives exactly what the slow way gives."""

from __future__ import annotations

import itertools
import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from storybook.core.reading import _word_count_slowly, word_count

PROPERTY = settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

ASCII = [chr(code) for code in range(128)]


def test_every_ascii_sign_parts_or_joins_words_as_the_pattern_says() -> None:
    for sign in ASCII:
        for text in (sign, f"a{sign}b", f"{sign}'{sign}", f"it{sign}s don{sign}t", f"x'{sign}'y"):
            assert word_count(text) == _word_count_slowly(text), repr(text)


def test_chains_of_apostrophes_count_as_the_pattern_counts_them() -> None:
    # Every text of up to 8 signs made of a letter, an apostrophe, an underscore and a space:
    # a'b'c'd (one word), a''b (two), 'a' (one), a_'b (two) and every mix of them.
    for length in range(9):
        for signs in itertools.product("a'_ ", repeat=length):
            text = "".join(signs)
            assert word_count(text) == _word_count_slowly(text), repr(text)


ASCII_PIECES = ["word", "don't", "a'b'c", "'", "''", "_", "a_b", "3", "\t", "\x1c", "\n", "-", ".",
                "(x)", "[a](x y)", "](", "{#id}", "{:", "<span class='x'>", "## ", "I'm", "'tis"]  # fmt: skip
ASCII_TEXTS = st.lists(
    st.sampled_from(ASCII_PIECES) | st.text(st.characters(max_codepoint=127), max_size=3),
    max_size=40,
).map("".join)


@PROPERTY
@given(ASCII_TEXTS)
@example("don't stop, it's 3 - <b>x</b> [a](y) {#z} a'b'c'd e''f 'g' h_'i")
def test_an_ascii_text_counts_the_words_the_regular_expressions_count(text: str) -> None:
    assert word_count(text) == _word_count_slowly(text)

"""The load and validate shortcuts against the slow way each stands in for: an ASCII body's
word count by bytes methods, a story cut at its front matter line by line, an example text
looked for without making the whole text comparable, a body that holds nothing back shown
without cutting it into parts, fence and admonition lines neutralised only where they can be. Whatever the text, each gives exactly what the slow way gives."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import event, example, given
from hypothesis import strategies as st

from storybook.core.errors import StorybookError
from storybook.core.load import _split_front_matter_slowly, split_front_matter
from storybook.core.parts import _held_stretches_slowly, held_stretches
from storybook.core.placeholders import LEARNING_PATH, STORY, WORKSHOP, Placeholders
from storybook.core.reading import _word_count_slowly, word_count
from storybook.core.safety import _neutral_lines, _neutral_lines_slowly
from tests.test_fast_paths import MARKUP
from tests.test_lean_render import TEXTS

from .conftest import property_settings

PROPERTY = property_settings()

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


# What a story file's first lines may be: fences, blank lines of every kind, fields, text.
FILE_PIECES = ["---", "--- ", "---\t", "----", " ---", "\n", "\n\n", " ", "\t", "\u2028", "\x0c",
               "title: x", "x", "## A", "\r", ""]  # fmt: skip
FILES = st.lists(st.sampled_from(FILE_PIECES) | st.text(max_size=3), max_size=20).map("".join)


def _split_or_problems(split: object, text: str) -> object:
    try:
        return split(text, Path("story.md"))  # type: ignore[operator]
    except StorybookError as exc:
        return exc.problems


@PROPERTY
@given(FILES)
@example("\n \n---\ntitle: x\n--- \nbody\n---\n")
@example("---\n---")
@example("---\n---\n")
@example("---")
@example(" \n\t")
def test_a_story_is_cut_at_its_front_matter_as_splitting_every_line_cuts_it(text: str) -> None:
    fast = _split_or_problems(split_front_matter, text)
    event("problems" if isinstance(fast, list) else "front matter")
    assert fast == _split_or_problems(_split_front_matter_slowly, text)


def _around_examples(placeholders: Placeholders) -> st.SearchStrategy[str]:
    """Texts made of an example text's words, whole or not, in any case, parted by any
    whitespace, and signs whose case-folding is more than one letter."""
    pieces = [
        piece
        for text in placeholders._known
        for piece in [*text.split(), text, text.upper(), text.replace(" ", "\n\u00a0")]
    ]
    signs = [" ", "\n", "\t", "\u2028", "\u3000", ". ", "x", "ß", "İ", "ﬃ", "Σ"]
    return st.lists(st.sampled_from(pieces + signs), max_size=14).map("".join)


@PROPERTY
@given(st.data(), st.sampled_from([STORY, WORKSHOP, LEARNING_PATH]))
def test_an_example_text_is_found_as_the_text_made_comparable_finds_it(
    data: st.DataObject, placeholders: Placeholders
) -> None:
    text = data.draw(_around_examples(placeholders))
    found = placeholders.may_hold(text)
    event("found" if found else "not found")
    assert found == placeholders._may_hold_slowly(text)


def test_an_example_text_rewrapped_and_in_capitals_is_found() -> None:
    assert STORY.may_hold("Protagonist: A FIRST\n  name")
    assert not STORY.may_hold("a first, name")


@PROPERTY
@given(TEXTS, st.sampled_from([(), ("One",), ("Two", "x")]))
@example("\n \n## One\nx", ())
@example(" \u3000\n\t", ())
@example("\n```\n## not\n```\nx", ())
@example("\n##\tA ##\n", ())
@example("x\u2028## A\u2028y", ())
def test_a_body_is_cut_at_its_folds_as_cutting_it_into_parts_cuts_it(
    body: str, reveal: tuple[str, ...]
) -> None:
    assert held_stretches(body, reveal) == _held_stretches_slowly(body, reveal)


@PROPERTY
@given(st.lists(st.sampled_from(MARKUP) | st.text(max_size=3), max_size=30).map("".join))
@example("x\n```\n!!! danger x\n??? note\n~~~\n")
def test_fence_and_admonition_lines_are_neutralised_as_the_patterns_alone_do(text: str) -> None:
    assert _neutral_lines(text) == _neutral_lines_slowly(text)

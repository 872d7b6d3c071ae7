"""What a reader meets on a story page: its reading time, its content notes, and a question
budget (the story's own questions first, a few bank questions folded under "Going further").

Plain functions over stories and the vocabulary: no MkDocs, no templates.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from storybook.core.vocabulary import Vocabulary

WORDS_PER_MINUTE = 200
# A reader sees at most this many answer boxes before "Going further"...
QUESTION_BUDGET = 7
# ...under which come at most this many questions from the banks of the story's tags.
BANK_LIMIT = 3
# A bank question repeats a question already asked when they share at least this many
# content words, and these are at least this share of the shorter one's (see repeats()).
REPEAT_WORDS = 3
REPEAT_SIMILARITY = 0.4

_WORD = re.compile("[^\\W_]+(?:['\u2019][^\\W_]+)*")
# Markdown and HTML that are not words a reader reads: tags, link targets, attribute lists.
_MARKUP = re.compile(r"<[^>]*>|\]\([^)]*\)|\{[:#.][^}]*\}")
# Words too common to tell two questions apart: English ones, and those nearly every
# reflection question of a storybook for managers uses.
_STOPWORDS = frozenset(
    re.split(
        r"\s+",
        """a about after again all an and any are as at be been before being but by can could
    did do does doing for from had has have he her him his how i if in into is it its
    me might more most my no not now of on one or our out she should so some than that the
    their them then there these they this those to up was we were what when where which who
    whom why will with would you your yours
    manager managers team teams own people person someone story think write first three
    sentences say next week work""",
    )
)


# Every list of stories and every projector page shows each story's reading time, and under
# `mkdocs serve` every save rebuilds them: counting 1,000 bodies again took a third of a save.
# Kept by a digest of the text, not the text: holding every story's body to the end of a
# build was 5 kB a story of its peak memory.
_MINUTES: dict[bytes, int] = {}
_MINUTES_KEPT = 8192


def reading_minutes(markdown: str) -> int:
    """Minutes to read a text at WORDS_PER_MINUTE, rounded up; at least 1."""
    key = hashlib.blake2b(markdown.encode("utf-8"), digest_size=16).digest()
    minutes = _MINUTES.get(key)
    if minutes is None:
        if len(_MINUTES) >= _MINUTES_KEPT:
            _MINUTES.clear()
        words = word_count(markdown)
        minutes = _MINUTES[key] = max(1, math.ceil(words / WORDS_PER_MINUTE))
    return minutes


def word_count(markdown: str) -> int:
    """How many words a reader reads in a text: what :func:`_word_count_slowly` counts.

    No word holds a space, so the text is cut at its spaces first: a piece made only of
    letters and digits is one word (most of a story), and only the other pieces (with
    punctuation or markup) are searched for words. The regular expressions over a whole body
    were most of the reading time's cost."""
    if "<" in markdown or "](" in markdown or "{" in markdown:
        markdown = _MARKUP.sub(" ", markdown)
    if markdown.isascii():
        return _ascii_word_count(markdown)
    pieces = markdown.split()
    plain = sum(map(str.isalnum, pieces))
    if plain == len(pieces):
        return plain
    # The rest again, its common punctuation made spaces (they part words as spaces do):
    # "word," and "(word)" are plain words then, and the pattern only meets what is left.
    rest = " ".join(itertools.filterfalse(str.isalnum, pieces))
    for sign in _PUNCTUATION:
        if sign in rest:
            rest = rest.replace(sign, " ")
    pieces = rest.split()
    plain += sum(map(str.isalnum, pieces))
    return plain + len(_WORD.findall(" ".join(itertools.filterfalse(str.isalnum, pieces))))


# An ASCII text's bytes as the word pattern sees them: a letter or a digit is "a", an
# apostrophe stays, anything else parts words as a space does.
_ASCII_SIGNS = bytes(
    ord("a") if byte < 128 and chr(byte).isalnum() else byte if byte == ord("'") else ord(" ")
    for byte in range(256)
)


def _ascii_word_count(text: str) -> int:
    """:func:`word_count` of an ASCII text (most stories), counted by bytes methods: splitting
    a body into thousands of pieces, each tested letter by letter, was most of the reading
    time's cost still."""
    signs = text.encode("ascii").translate(_ASCII_SIGNS)
    # A word starts the text or follows a space...
    words = signs.count(b" a") + signs.startswith(b"a")
    # ...or follows an apostrophe that does not join it to a word before (as in don't): one
    # that starts the text or follows a space or another apostrophe. None of these patterns
    # can overlap itself, so count() finds each. Looking at each apostrophe in turn cost a
    # step each: a body of x'x'x'... took ten times the regular expression's time.
    return words + signs.count(b" 'a") + signs.count(b"''a") + signs.startswith(b"'a")


# Signs that are neither part of a word nor an apostrophe (which joins two words into one).
_PUNCTUATION = '.,;:!?"()-\u2014\u2013\u201c\u201d'


def _word_count_slowly(markdown: str) -> int:
    """What :func:`word_count` gives, by the regular expressions alone (tests compare them)."""
    return len(_WORD.findall(_MARKUP.sub(" ", markdown)))


def content_words(text: str, ignore: frozenset[str] = frozenset()) -> frozenset[str]:
    """The words of a question that carry its meaning: lower case, without common words,
    without the words in ``ignore`` (the story's title), and without a plural -s."""
    return frozenset(stem for word, stem in _candidate_words(text) if word not in ignore)


def _content_words_slowly(text: str, ignore: frozenset[str] = frozenset()) -> frozenset[str]:
    """What :func:`content_words` gives, word by word (tests compare the two)."""
    words = set()
    for word in _WORD.findall(_MARKUP.sub(" ", text).lower()):
        word = word.replace("\u2019", "'").removesuffix("'s")
        if word in _STOPWORDS or word in ignore or len(word) < 3:
            continue
        words.add(word[:-1] if word.endswith("s") and len(word) > 3 else word)
    return frozenset(words)


# Small: the texts that come back are a tag's bank questions, a few dozen; a larger store
# only held every story's own questions too (6 MiB more at 1,000 stories).
@functools.lru_cache(maxsize=512)
def _candidate_words(text: str) -> tuple[tuple[str, str], ...]:
    """Each word of ``text`` that may carry its meaning, and its stem: a bank question is
    weighed against the questions of every story of its tag, each time with that story's
    title to ignore, so the words of a text are found once."""
    found = []
    for word in _WORD.findall(_MARKUP.sub(" ", text).lower()):
        word = word.replace("\u2019", "'").removesuffix("'s")
        if word in _STOPWORDS or len(word) < 3:
            continue
        found.append((word, word[:-1] if word.endswith("s") and len(word) > 3 else word))
    return tuple(found)


def similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """The share of the shorter question's content words that the other one also uses
    (the overlap coefficient): 1.0 when one asks nothing the other does not."""
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def repeats(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether two questions ask the same thing, judged by their content words. Measured
    on the sample library: two questions sharing two words ("change", "feel") were far apart,
    while those sharing three or more that make 40% of one of them asked the same thing."""
    return len(first & second) >= REPEAT_WORDS and similarity(first, second) >= REPEAT_SIMILARITY


@dataclass(frozen=True)
class BankQuestion:
    """A question from a tag's bank, filled in for the story, and the tag it comes from."""

    tag: str
    text: str


@dataclass(frozen=True)
class QuestionPlan:
    """The questions of a story page: those asked first, then those under "Going further".

    ``after`` and ``after_further`` are the story's reflection_after questions, asked only
    once its held-back parts are read; they share the budget with the ones before."""

    asked: list[str]
    own_further: list[str]
    bank: list[BankQuestion]
    after: list[str] = field(default_factory=list)
    after_further: list[str] = field(default_factory=list)


def plan_questions(
    own: Sequence[str],
    banks: Sequence[Sequence[BankQuestion]],
    title: str,
    *,
    after: Sequence[str] = (),
    budget: int = QUESTION_BUDGET,
    bank_limit: int = BANK_LIMIT,
) -> QuestionPlan:
    """The story's own questions first, at most ``budget`` of them before "Going further"
    (its questions for before the reveal first, then those for ``after`` it);
    then at most ``bank_limit`` bank questions, taken in turn from each bank (so that three
    tags lend one each rather than one tag three), leaving out any that repeats a question
    already on the page. ``banks`` are in the order of the story's tags."""
    ignore = content_words(title)
    seen = [content_words(question, ignore) for question in (*own, *after)]
    chosen: list[BankQuestion] = []
    queues = [list(bank) for bank in banks]
    while len(chosen) < bank_limit and any(queues):
        for queue in queues:
            if not queue or len(chosen) == bank_limit:
                continue
            candidate = queue.pop(0)
            words = content_words(candidate.text, ignore)
            if not any(repeats(words, other) for other in seen):
                chosen.append(candidate)
                seen.append(words)
    after_budget = max(0, budget - len(own))
    return QuestionPlan(
        asked=list(own[:budget]),
        own_further=list(own[budget:]),
        bank=chosen,
        after=list(after[:after_budget]),
        after_further=list(after[after_budget:]),
    )


# A Markdown code span: a run of backticks, closed by a run of the same length.
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)


def marked_title(title: str) -> str:
    """A story's title as a bank question shows it: marked up as the title of a work.

    Markdown converts what is inside the ``<cite>``: the text is escaped, so that it shows as
    written, but a code span is left to Markdown, which escapes its text itself (escaped here
    too, it would show ``&lt;img&gt;`` on the page)."""
    parts, start = [], 0
    for span in _CODE_SPAN.finditer(title):
        parts += [html.escape(title[start : span.start()]), span.group()]
        start = span.end()
    parts.append(html.escape(title[start:]))
    return f"<cite>{''.join(parts)}</cite>"


def content_note_views(keys: Sequence[str], vocabulary: Vocabulary) -> list[dict[str, str]]:
    """What templates see of a story's content notes: name, label, description each."""
    return [
        {"name": key, "label": note.label, "description": note.description}
        for key in keys
        if (note := vocabulary.content_notes.get(key)) is not None
    ]

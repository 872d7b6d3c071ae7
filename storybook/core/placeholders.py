"""The example texts the scaffolds write for a trainer to replace, in one place.

`storybook new` writes a story with the texts of :data:`STORY` (new-story.md.j2 is given
them), and `storybook init` its example workshop and path with those of :data:`WORKSHOP`
and :data:`LEARNING_PATH`. Any of them left in a published story, a workshop or a path is a
problem at its line, so a scaffold is never published by accident. A scaffold that writes a
new example text adds it here, and the check knows it.

Texts are compared whole, ignoring case and how the spaces and line breaks fall, so that
re-wrapping an example does not hide it; a text a trainer changed in any word is theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from storybook.core.errors import Problem
from storybook.core.yamlfile import Key, Located


@dataclass(frozen=True)
class Placeholders:
    """What one scaffold writes for a trainer to replace, by field (a list of texts for a
    list, a mapping of texts for a field with parts), and in the body, sentence by sentence."""

    written_by: str
    # What the trainer does instead, after "replace it with ...".
    replace_with: str
    fields: Mapping[str, str | tuple[str, ...] | Mapping[str, str]]
    body: tuple[str, ...] = ()
    # Every text above, compared as :func:`comparable` makes them.
    _known: frozenset[str] = field(init=False, repr=False, compare=False)
    # Each of them as its two rarest words in prose (see :func:`_rarest_first`) and as a
    # pattern of its words parted by any whitespace (see :meth:`may_hold`).
    _checks: tuple[tuple[str, str, re.Pattern[str]], ...] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        texts = [*self.body]
        for value in self.fields.values():
            if isinstance(value, str):
                texts.append(value)
            elif isinstance(value, tuple):
                texts.extend(value)
            else:
                texts.extend(value.values())
        known = frozenset(comparable(text) for text in texts)
        object.__setattr__(self, "_known", known)
        checks = []
        for text in sorted(known):
            words = sorted(set(text.split()), key=_rarest_first)
            pattern = re.compile(r"\s+".join(map(re.escape, text.split())))
            checks.append((words[0], words[-1] if len(words) < 2 else words[1], pattern))
        object.__setattr__(self, "_checks", tuple(checks))

    def holds(self, text: str) -> bool:
        return comparable(text) in self._known

    def may_hold(self, text: str) -> bool:
        """False when no example text stands anywhere in ``text``, whole or in part of it:
        every sentence, line or pair of lines of a text is, made comparable, a stretch of
        the whole text made comparable, so an example text found in one is found in it."""
        # Found in the text only case-folded, which folds letter by letter as making it
        # comparable does, and leaves whitespace as it is: an example text is there as its
        # words parted by whitespace. Splitting a whole story into words and joining them
        # again (or making a set of them) cost more than the rest of the check; most stories
        # lack one of the two rarest words of each text, so the pattern is seldom tried.
        folded = text.casefold()
        for first, second, pattern in self._checks:
            if first in folded and second in folded and pattern.search(folded) is not None:
                return True
        return False

    def _may_hold_slowly(self, text: str) -> bool:
        """What :meth:`may_hold` gives, by the text made comparable (tests compare them)."""
        whole = comparable(text)
        return any(known in whole for known in self._known)

    def for_template(self) -> dict[str, object]:
        """What a scaffold's template is given: the texts by field, and ``body``."""
        return {**self.fields, "body": list(self.body)}


def _rarest_first(word: str) -> tuple[bool, int, str]:
    """Words with a sign in them ("assume?", "close:") first, then the longest: "manager"
    and "first" stand in most stories, "notice," or "last," in few."""
    return word.isalnum(), -len(word), word


def comparable(text: str) -> str:
    return " ".join(text.split()).casefold()


STORY = Placeholders(
    written_by="storybook new",
    replace_with="this story's own words",
    fields={
        "summary": "One or two sentences: what happens, without judging it.",
        "protagonist": "A first name",
        # What? / someone else's view / So what? / Now what?, and the manager's own feelings:
        # the backbone of a set, with a Now-what task that is not the same in every story.
        "reflection": (
            "What did the manager notice, and what did they assume?",
            "How might {{ story.protagonist }} have experienced this, and how would you have "
            "felt in their place?",
            "Rank the options the manager had, from the one you would try first to the one you "
            "would try last, and say what each might lead to.",
            "Draft the message you would send {{ story.protagonist }} before your next "
            "conversation.",
            "When did you, as a manager, feel what this manager felt, and what did you do with it?",
        ),
        "facilitator_notes": "Synopsis, learning objectives, an opening question and a "
        "discussion plan.",
        "discussion_plan": {
            "open": "The question you will open with.",
            "listen_for": "What to listen for in the room, and where it will disagree.",
            "close": "How you will close: one thing each person will do.",
        },
    },
    body=(
        "Tell the story here, as it happened.",
        "Change names and details so nobody can be identified.",
        "Remove the line `draft: true` when the story is ready to publish.",
    ),
)

WORKSHOP = Placeholders(
    written_by="storybook init",
    replace_with="your workshop's own words",
    fields={
        "title": "The title of your workshop",
        "summary": "One or two sentences for participants: what the workshop is for.",
        "facilitator_notes": "Notes on running the whole workshop: what to print, how to "
        "set up the room.",
        "exercise": "What participants do in this exercise",
        "notes": "What you will do or watch in this session.",
    },
)

LEARNING_PATH = Placeholders(
    written_by="storybook init",
    replace_with="your path's own words",
    fields={
        "title": "The title of your learning path",
        "summary": "One or two sentences: who the path is for and where it leads.",
        "why": "Why this story comes here, for the reader.",
    },
)


def placeholder_problems(
    path: Path,
    located: Located,
    placeholders: Placeholders,
    *,
    body: str = "",
    body_line: int = 1,
    unpublish: str = "",
) -> list[Problem]:
    """Every example text of ``placeholders`` left in a YAML file or a story, at its line.
    ``unpublish``: how to keep the file out of the site meanwhile, added to the hint."""
    # All the file's texts at once: an example text found across two of them only means
    # looking closer. Most files hold none, and looking closer costs ten times more.
    everything = "\n".join([body, *(text for text, _ in texts_in(located.data, ()))])
    if not placeholders.may_hold(everything):
        return []
    return _placeholders_at(path, located, placeholders, body, body_line, unpublish)


def _placeholders_at(
    path: Path,
    located: Located,
    placeholders: Placeholders,
    body: str,
    body_line: int,
    unpublish: str,
) -> list[Problem]:
    """:func:`placeholder_problems` line by line and sentence by sentence, without its
    shortcut for a file that holds no example text."""
    hint = f"replace it with {placeholders.replace_with}"
    if unpublish:
        hint += f", or {unpublish}"
    found = [
        Problem(
            path,
            located.line(*keys),
            f"{label(keys)} is still the example text of `{placeholders.written_by}`",
            hint,
        )
        for text, keys in texts_in(located.data, ())
        if holds_a_placeholder(text, placeholders)
    ]
    lines = body.split("\n")
    for number, line in enumerate(lines):
        if holds_a_placeholder(line, placeholders) or _continued_onto(
            lines[number + 1 : number + 2], line, placeholders
        ):
            found.append(
                Problem(
                    path,
                    body_line + number,
                    f"the story still has the example text of `{placeholders.written_by}`",
                    f"tell the story here in your own words, or {unpublish}"
                    if unpublish
                    else "tell the story here in your own words",
                )
            )
    return found


def holds_a_placeholder(text: str, placeholders: Placeholders) -> bool:
    """Whether ``text`` is an example text, or has one among its sentences: a trainer who
    writes a sentence after the example summary has still left the example in it."""
    return placeholders.holds(text) or any(
        placeholders.holds(sentence) for sentence in _sentences(text)
    )


def _continued_onto(following: list[str], line: str, placeholders: Placeholders) -> bool:
    """Whether an example sentence starts on ``line`` and ends on the next one: rewrapped
    text still shows it whole to the reader."""
    if not following or not following[0].strip() or not line.strip():
        return False
    # A sentence wholly on one of the two lines is named at its own line.
    whole = {comparable(sentence) for sentence in _sentences(line) + _sentences(following[0])}
    return any(
        placeholders.holds(sentence)
        for sentence in _sentences(f"{line} {following[0]}")
        if comparable(sentence) not in whole
    )


def texts_in(value: object, keys: Key) -> Iterator[tuple[str, Key]]:
    """Every text inside a YAML value, with the keys that lead to it."""
    if isinstance(value, str):
        yield value, keys
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_in(item, (*keys, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts_in(item, (*keys, index))


def label(keys: Key) -> str:
    """A value's name as a trainer reads it: "summary", "reflection 2", "sessions 3: notes"."""
    words: list[str] = []
    for key in keys:
        if isinstance(key, int):
            words[-1] = f"{words[-1]} {key + 1}" if words else f"item {key + 1}"
        else:
            words.append(key)
    return ": ".join(words)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _sentences(line: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(line.strip()) if part]

"""Which problems quote material learners must not see, so the learner edition never shows it.

Under `mkdocs serve` every problem is shown on every page of the edition being served. A
problem inside a facilitator-only field, or anywhere in a draft, may quote its words (a link
in the notes, a line YAML could not read), so the learner edition shows only its file and
line; the terminal and the facilitator edition show it whole. Found from the file's text,
not its parsed data, so that a file YAML cannot read is judged too.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path

from storybook.core.errors import Problem
from storybook.core.load import peek_text

_KEY = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_][\w-]*)\s*:")
_TOP_LEVEL_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")
_DRAFT = re.compile(r"^draft\s*:\s*(true|yes|on)\s*(#.*)?$", re.IGNORECASE | re.MULTILINE)


def private_lines(text: str, names: Iterable[str], *, drafts: bool = False) -> set[int]:
    """The 1-based lines of ``text`` that belong to a field named in ``names`` (every line,
    for a draft when ``drafts``). A top-level field runs to the next top-level key, however
    its lines are indented; a nested one while lines are indented deeper than its key."""
    lines = text.split("\n")
    if drafts and _DRAFT.search(_front_matter(text)):
        return set(range(1, len(lines) + 2))
    wanted = set(names)
    found: set[int] = set()
    index = 0
    while index < len(lines):
        match = _KEY.match(lines[index])
        if not match or match.group(2) not in wanted:
            index += 1
            continue
        column = match.start(2)
        top_level = _TOP_LEVEL_KEY.match(lines[index]) is not None
        found.add(index + 1)
        index += 1
        while index < len(lines):
            line = lines[index]
            if line.strip() == "---":
                break
            if top_level:
                if _TOP_LEVEL_KEY.match(line):
                    break
            elif line.strip() and len(line) - len(line.lstrip()) <= column:
                break
            found.add(index + 1)
            index += 1
    return found


def _front_matter(text: str) -> str:
    parts = text.split("\n---", 1)
    return parts[0]


def mark_private(
    problems: list[Problem], path: Path, names: Iterable[str], *, drafts: bool = False
) -> list[Problem]:
    """``problems`` with those at a private line of ``path`` marked private."""
    mine = [problem for problem in problems if problem.path == path]
    if not mine:
        return problems
    text = peek_text(path)
    if text is None:
        return problems
    private = private_lines(text, names, drafts=drafts)
    return [
        dataclasses.replace(problem, private=True)
        if problem.path == path and problem.line in private
        else problem
        for problem in problems
    ]


def declares_draft(path: Path) -> bool:
    """Whether the file's front matter says draft: true, read as text (it may not parse)."""
    text = peek_text(path)
    if text is None:
        return False
    return _DRAFT.search(_front_matter(text)) is not None

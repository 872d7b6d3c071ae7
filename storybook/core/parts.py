"""A story's body cut into parts at its ``## `` headings, and the parts held back by ``reveal:``.

The projector shows a story one part at a time; a part named in ``reveal:`` (with the parts
after it, up to the next one named) is held back until the facilitator reveals it, and a
reader alone meets it folded. Headings inside fenced code are not headings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

# What a reader alone sees of a held-back part until they open it.
HELD_SUMMARY = "Stop here and answer the questions so far before you read on. Open this to read on."
_HEADING = re.compile(r"^##[ \t]+(?P<text>.*?)\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# `## Title { #id .class }` (attr_list) and `## Title ##` (closing hashes) name "Title".
_ATTRIBUTES = re.compile(r"\s*\{[^{}]*\}\s*$")
_CLOSING = re.compile(r"\s+#+\s*$")
# How a line that is a ``## `` heading or a fence (opening or closing) starts.
_MAY_BE_MARKED = ("#", " ", "`", "~")


@dataclass(frozen=True)
class Part:
    """One part of a body: its ``## `` heading (None for text before the first), its Markdown
    (heading included), the 0-based line of the body it starts on, and whether it is held."""

    heading: str | None
    text: str
    line: int
    held: bool = False


def heading_text(line: str) -> str | None:
    """The text of a ``## `` heading line, or None when the line is no such heading."""
    found = _HEADING.match(line)
    if found is None:
        return None
    return _CLOSING.sub("", _ATTRIBUTES.sub("", found["text"])).strip()


def headings(body: str) -> list[str]:
    return [part.heading for part in split_parts(body) if part.heading is not None]


def split_parts(body: str, reveal: Sequence[str] = ()) -> list[Part]:
    """The body's parts in order; text before the first heading is a part only if not blank.

    A part whose heading is in ``reveal`` starts a held-back stretch that runs to the next
    heading in ``reveal``: every part in it is held."""
    lines = body.splitlines(keepends=True)
    starts = _part_starts(lines)
    parts: list[Part] = []
    held = False
    for index, (start, heading) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        text = "".join(lines[start:end])
        if heading is None and not text.strip():
            continue
        held = held or (heading is not None and heading in reveal)
        parts.append(Part(heading, text, start, held))
    return parts


def _part_starts(lines: Sequence[str]) -> list[tuple[int, str | None]]:
    """Where each part starts (0-based line) and its heading: (0, None) first, then each
    ``## `` heading outside fenced code. Only lines that can start a heading or a fence are
    looked at (most lines of a story are neither)."""
    return _starts_among(
        (number, line) for number, line in enumerate(lines) if line.startswith(_MAY_BE_MARKED)
    )


def _part_starts_slowly(lines: Sequence[str]) -> list[tuple[int, str | None]]:
    """What :func:`_part_starts` gives, every line tried (tests compare the two)."""
    return _starts_among(enumerate(lines))


def _starts_among(numbered: Iterable[tuple[int, str]]) -> list[tuple[int, str | None]]:
    starts: list[tuple[int, str | None]] = [(0, None)]
    fence: str | None = None
    for number, line in numbered:
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        text = heading_text(line)
        if text is not None:
            starts.append((number, text))
    return starts


@dataclass(frozen=True)
class Held:
    """A body cut at its folds: the text a reader meets first, and each held-back stretch
    (a part named in ``reveal:`` with the parts after it, up to the next one named)."""

    before: str
    stretches: list[str]


def held_stretches(body: str, reveal: Sequence[str]) -> Held:
    """The body before its first held-back part, and each held-back stretch, in order."""
    if not reveal and not any(sign in body for sign in _OTHER_LINE_ENDS):
        return Held(_shown_whole(body), [])
    return _held_stretches_slowly(body, reveal)


# Where str.splitlines ends a line besides "\n": a body without them (nearly every one)
# ends each line but its last with "\n", so each part but its last does too.
_OTHER_LINE_ENDS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _shown_whole(body: str) -> str:
    """What a body that holds nothing back shows before any fold, without cutting it into
    parts (most stories hold nothing back; every story page asked for this): the body, less
    the blank lines before a first heading (a blank opening part is no part), ending in a
    line break."""
    text = body.lstrip()
    if text:
        # The first line with anything on it: no fence can be open before it.
        line_start = body.rfind("\n", 0, len(body) - len(text)) + 1
        line_end = body.find("\n", line_start)
        line = body[line_start:] if line_end < 0 else body[line_start : line_end + 1]
        text = body[line_start:] if heading_text(line) is not None else body
    return text if not text or text.endswith("\n") else text + "\n"


def _held_stretches_slowly(body: str, reveal: Sequence[str]) -> Held:
    """What :func:`held_stretches` gives, the body cut into its parts (tests compare them)."""
    before: list[str] = []
    stretches: list[list[str]] = []
    for part in split_parts(body, reveal):
        text = part.text if part.text.endswith("\n") else part.text + "\n"
        if part.heading is not None and part.heading in reveal:
            stretches.append([])
        (stretches[-1] if stretches else before).append(text)
    return Held("".join(before), ["".join(stretch) for stretch in stretches])


def fold_held_parts(
    body: str,
    reveal: Sequence[str],
    summary: str = HELD_SUMMARY,
    text: Callable[[str], str] = str,
) -> str:
    """The body with each held-back stretch folded in a ``<details>`` a reader can open;
    ``text`` makes each stretch's text as it is shown (safety.neutralise for a page)."""
    if not reveal:
        return text(body)
    held = held_stretches(body, reveal)
    folds = []
    for index, stretch in enumerate(held.stretches):
        shown = text(stretch)
        folds.append(
            f'<details class="storybook-held" markdown>\n<summary>{summary}</summary>\n\n'
            f"{shown}\n</details>\n" + ("\n" if index + 1 < len(held.stretches) else "")
        )
    return text(held.before) + "".join(folds)

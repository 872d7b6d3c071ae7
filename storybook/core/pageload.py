"""How a built page loads its scripts: all at once, without holding up the page.

Every page carries its Content-Security-Policy in a ``<meta>`` tag (see csp.py), and a browser
that meets one stops looking ahead in the page for what to fetch (Chromium's preload scanner
stops there). A plain ``<script src>`` holds up the reading of the page until it is fetched and
run, so each one was asked for only once the one before it had run: on a phone's network, where
every response comes a round trip after its request, the home page took over 3 s to load.

:func:`deferred_scripts` marks each such script ``defer``: fetched as soon as the page names it,
run in the same order once the page is read, before Material's ``DOMContentLoaded`` (so the
scripts that must come before Material's, such as pagefind-search.js, still do). And it asks
for them all in the head, before the first script that must still run where it stands: the
theme's scripts (theme-scripts.js), which set the reader's colours before the page is first
drawn. Pages work without JavaScript as before; nothing is added but attributes and
``<link rel="preload">`` tags naming the same files.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Scripts that must run where they stand, before the page is drawn: the theme's own, which
# the storybook runs from a file in place of its inline scripts (see csp.py).
RUN_IN_PLACE = ("assets/theme-scripts.js",)

_SCRIPT = re.compile(r"<script\b(?P<attributes>[^>]*)>(?P<body>\s*)</script\s*>", re.I)
_SOURCE = re.compile(r"""\bsrc\s*=\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)')""", re.I)
# What already makes a script wait, run apart or not be a classic script at all.
_NOT_PLAIN = re.compile(r"\b(?:defer|async|type|nomodule)\b", re.I)
_HEAD_END = re.compile(r"</head\s*>", re.I)


def deferred_scripts(page: str) -> str:
    """``page`` with each of its plain external scripts (but the theme's) marked ``defer``,
    and each of them preloaded in the head before its first script that runs in place."""
    head_end = _HEAD_END.search(page)
    if head_end is None:
        return page
    scripts = list(_SCRIPT.finditer(page))
    deferred, cuts = _plain_scripts(scripts, _waits)
    if not deferred:
        return page
    if head_end.end() - 1 in cuts:
        # A script tag whose > is also </head>'s: marking it moves the head's end.
        return _deferred_scripts_slowly(page)
    # Found on the page as it is and put in with the marks in one go: each copy of a page
    # (every page of a site passes here) cost as much as finding its scripts. The pattern
    # finds in a part of the page the scripts it finds in the whole that lie wholly inside
    # the part, so the head's scripts are taken from the one walk of the page.
    where = _where_preloads_go(_before(scripts, head_end.start()), head_end.start())
    insertions = sorted(
        [(cut, " defer") for cut in cuts] + [(where, _preloads(_before(scripts, where), deferred))],
        key=lambda insertion: insertion[0],
    )
    pieces: list[str] = []
    position = 0
    for at, text in insertions:
        pieces += [page[position:at], text]
        position = at
    pieces.append(page[position:])
    return "".join(pieces)


def _before(scripts: list[re.Match[str]], end: int) -> list[re.Match[str]]:
    return [found for found in scripts if found.end() <= end]


def _plain_scripts(
    scripts: list[re.Match[str]], waits: Callable[[str], bool]
) -> tuple[list[str], list[int]]:
    """The sources of the scripts to defer, in order, and where each one's start tag ends
    (the position of its >), where ``defer`` goes. ``waits``: whether a script's attributes
    already make it wait, run apart or not be a classic script."""
    deferred: list[str] = []
    cuts: list[int] = []
    for found in scripts:
        source = _source(found["attributes"])
        if source is None or waits(found["attributes"]):
            continue
        if source.endswith(RUN_IN_PLACE):
            continue
        if source not in deferred:
            deferred.append(source)
        cuts.append(found.start() + len("<script") + len(found["attributes"]))
    return deferred, cuts


_WAITING_WORDS = ("defer", "async", "type", "nomodule")


def _waits(attributes: str) -> bool:
    """Whether ``_NOT_PLAIN`` is found in a script's attributes, looked for with the pattern
    only when one of its words is there: a pattern that ignores case and starts at a word's
    edge is tried at every character (a quarter of this module's work on a site)."""
    if attributes.isascii():
        lowered = attributes.lower()  # in ASCII, what ignoring case means to the pattern
        if not any(word in lowered for word in _WAITING_WORDS):
            return False
    return _NOT_PLAIN.search(attributes) is not None


def _waits_slowly(attributes: str) -> bool:
    return _NOT_PLAIN.search(attributes) is not None


def _preloads(named_before: list[re.Match[str]], deferred: list[str]) -> str:
    # A script the head names before that point is asked for there already.
    asked_for = {_source(found["attributes"]) for found in named_before}
    return "".join(
        f'<link rel="preload" as="script" href="{source}">'
        for source in deferred
        if source not in asked_for
    )


def _deferred_scripts_slowly(page: str) -> str:
    """What :func:`deferred_scripts` gives, marking the page first and finding where the
    preloads go on the marked page, with the patterns alone, over the page each time."""
    if _HEAD_END.search(page) is None:
        return page
    deferred, cuts = _plain_scripts(list(_SCRIPT.finditer(page)), _waits_slowly)
    if not deferred:
        return page
    pieces: list[str] = []
    position = 0
    for cut in cuts:
        pieces += [page[position:cut], " defer"]
        position = cut
    pieces.append(page[position:])
    marked = "".join(pieces)
    head_end = _HEAD_END.search(marked)
    if head_end is None:
        # A script tag's > was also </head>'s: marked, the head has no end. A theme that
        # writes such a page gets it back as it was (it stopped the whole build before).
        return page
    where = _where_preloads_go(
        list(_SCRIPT.finditer(marked, 0, head_end.start())), head_end.start()
    )
    preloads = _preloads(list(_SCRIPT.finditer(marked, 0, where)), deferred)
    return marked[:where] + preloads + marked[where:]


def _source(attributes: str) -> str | None:
    found = _SOURCE.search(attributes)
    if found is None:
        return None
    return found["double"] if found["double"] is not None else found["single"]


def _where_preloads_go(in_head: list[re.Match[str]], head_end: int) -> int:
    """Before the first of the head's scripts (``in_head``) that runs in place, or at the
    head's end."""
    for found in in_head:
        source = _source(found["attributes"])
        if source is not None and source.endswith(RUN_IN_PLACE):
            return found.start()
    return head_end


def preloaded_scripts(page: str) -> list[str]:
    """The scripts a built page preloads, in order."""
    return re.findall(r'<link rel="preload" as="script" href="([^"]*)">', page)

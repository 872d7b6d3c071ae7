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
    deferred, cuts = _plain_scripts(page)
    if not deferred:
        return page
    if head_end.end() - 1 in cuts:
        # A script tag whose > is also </head>'s: marking it moves the head's end.
        return _deferred_scripts_slowly(page)
    # Found on the page as it is and put in with the marks in one go: each copy of a page
    # (every page of a site passes here) cost as much as finding its scripts.
    where = _where_preloads_go(page)
    insertions = sorted(
        [(cut, " defer") for cut in cuts] + [(where, _preloads(page, where, deferred))],
        key=lambda insertion: insertion[0],
    )
    pieces: list[str] = []
    position = 0
    for at, text in insertions:
        pieces += [page[position:at], text]
        position = at
    pieces.append(page[position:])
    return "".join(pieces)


def _plain_scripts(page: str) -> tuple[list[str], list[int]]:
    """The sources of the page's scripts to defer, in order, and where each one's start tag
    ends (the position of its >), where ``defer`` goes."""
    deferred: list[str] = []
    cuts: list[int] = []
    for found in _SCRIPT.finditer(page):
        source = _source(found["attributes"])
        if source is None or _NOT_PLAIN.search(found["attributes"]):
            continue
        if source.endswith(RUN_IN_PLACE):
            continue
        if source not in deferred:
            deferred.append(source)
        cuts.append(found.start() + len("<script") + len(found["attributes"]))
    return deferred, cuts


def _preloads(page: str, where: int, deferred: list[str]) -> str:
    # A script the head names before that point is asked for there already.
    named_before = {_source(found["attributes"]) for found in _SCRIPT.finditer(page, 0, where)}
    return "".join(
        f'<link rel="preload" as="script" href="{source}">'
        for source in deferred
        if source not in named_before
    )


def _deferred_scripts_slowly(page: str) -> str:
    """What :func:`deferred_scripts` gives, marking the page first and finding where the
    preloads go on the marked page."""
    if _HEAD_END.search(page) is None:
        return page
    deferred, cuts = _plain_scripts(page)
    if not deferred:
        return page
    pieces: list[str] = []
    position = 0
    for cut in cuts:
        pieces += [page[position:cut], " defer"]
        position = cut
    pieces.append(page[position:])
    marked = "".join(pieces)
    where = _where_preloads_go(marked)
    return marked[:where] + _preloads(marked, where, deferred) + marked[where:]


def _source(attributes: str) -> str | None:
    found = _SOURCE.search(attributes)
    if found is None:
        return None
    return found["double"] if found["double"] is not None else found["single"]


def _where_preloads_go(page: str) -> int:
    """Before the head's first script that runs in place, or at the head's end."""
    head_end = _HEAD_END.search(page)
    assert head_end is not None  # deferred_scripts checked
    for found in _SCRIPT.finditer(page, 0, head_end.start()):
        source = _source(found["attributes"])
        if source is not None and source.endswith(RUN_IN_PLACE):
            return found.start()
    return head_end.start()


def preloaded_scripts(page: str) -> list[str]:
    """The scripts a built page preloads, in order."""
    return re.findall(r'<link rel="preload" as="script" href="([^"]*)">', page)

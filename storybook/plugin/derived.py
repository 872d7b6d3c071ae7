"""A projector page is made from its story's converted HTML, not by converting the story again.

MkDocs converts each story's page; the projector view (``present/<slug>/``, see
core/room_pages.py) shows the same parts of the same body. So each part's Markdown is marked
on the story page (an HTML comment before and after it), the HTML MkDocs makes of it is kept,
and on the projector page that HTML stands in for the part's Markdown: MkDocs converts only
the projector's own frame (title, sections, questions). The HTML is kept by the part's exact
Markdown and its story's whole body, so a projector page only ever gets the HTML of the very
text it would have converted, in the same context; a part whose HTML is not at hand (its
story page was not converted in this build or an earlier one under serve, or the part is not
found as it is cut) is converted on the projector page as before. Both pages are cleaned afterwards like every generated page
(hooks.on_env), so the shared HTML passes the cleaner on the projector page too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from storybook.core.model import Story
from storybook.core.pages import story_uri
from storybook.core.parts import split_parts
from storybook.core.room_pages import present_uri

_OPEN = "<!--storybook-part {}-->"
_CLOSE = "<!--/storybook-part {}-->"
# Python-Markdown writes a comment block with a blank line after it at the top level, none
# inside md_in_html: without its markers, a part's HTML is as it would have been.
_MARKED = re.compile(r"<!--storybook-part (\d+)-->\n*(.*?)<!--/storybook-part \1-->\n*", re.DOTALL)
_PLACE = "<!--storybook-html {}-->"
_PLACED = re.compile(r"<!--storybook-html (\d+)-->")


class SharedParts:
    """The HTML of each story part, converted once on the story page, for its projector page."""

    def __init__(self) -> None:
        # (the story's whole body, a part's Markdown) -> the HTML MkDocs made of the part: a
        # part converts in its body's context (a link defined in another part).
        self.html: dict[tuple[str, str], str] = {}
        self.settings = ""  # the Markdown settings the HTML was made with
        self.parts: dict[str, list[str]] = {}  # story or projector page -> its parts' Markdown
        self.bodies: dict[str, str] = {}  # story or projector page -> its story's body
        self.placed: dict[str, list[str]] = {}  # projector page -> HTML for its placeholders
        self.conversions = 0  # parts converted on a story page in this session (for tests)
        # story slug -> (its body and reveal, its parts' Markdown)
        self._cut: dict[str, tuple[tuple[str, tuple[str, ...]], list[str]]] = {}

    def prepare(self, stories: Iterable[Story], pages: Mapping[str, str], settings: str) -> None:
        """Before a build: which pages share parts; HTML made with other Markdown settings,
        or of parts no story has any more, is dropped."""
        if settings != self.settings:
            self.html.clear()
            self.settings = settings
        self.parts = {}
        self.bodies = {}
        self.placed = {}
        slugs = set()
        for story in stories:
            slugs.add(story.slug)
            projector = present_uri(story.slug)
            if projector not in pages or story_uri(story.slug) not in pages:
                continue
            texts = self._texts(story)
            self.parts[story_uri(story.slug)] = self.parts[projector] = texts
            self.bodies[story_uri(story.slug)] = self.bodies[projector] = story.body
        kept = {(self.bodies[uri], text) for uri, texts in self.parts.items() for text in texts}
        self.html = {key: html for key, html in self.html.items() if key in kept}
        self._cut = {slug: cut for slug, cut in self._cut.items() if slug in slugs}

    def _texts(self, story: Story) -> list[str]:
        """The Markdown of the story's parts; cut again only when its body or reveal changed
        (cutting every story on every save took a tenth of a save at 3,000 stories)."""
        key = (story.body, tuple(story.reveal))
        cut = self._cut.get(story.slug)
        if cut is None or cut[0] != key:
            texts = [part.text for part in split_parts(story.body, story.reveal)]
            cut = self._cut[story.slug] = (key, texts)
        return cut[1]

    def before_conversion(self, src_uri: str, markdown: str) -> str:
        """A story page gets its parts marked; a projector page gets the HTML it can reuse
        in place of their Markdown."""
        texts = self.parts.get(src_uri)
        if not texts:
            return markdown
        if src_uri.startswith("present/"):
            return self._place(src_uri, markdown, texts)
        return _mark(markdown, texts)

    def after_conversion(self, src_uri: str, html: str) -> str:
        texts = self.parts.get(src_uri)
        if not texts:
            return html
        if src_uri.startswith("present/"):
            placed = self.placed.pop(src_uri, [])
            return _PLACED.sub(lambda found: _nth(placed, int(found[1])), html)
        return self._keep(html, self.bodies[src_uri], texts)

    def _keep(self, html: str, body: str, texts: list[str]) -> str:
        def keep(found: re.Match[str]) -> str:
            index = int(found[1])
            if index < len(texts):
                self.html[body, texts[index]] = found[2].rstrip("\n")
                self.conversions += 1
            return found[2]

        return _MARKED.sub(keep, html)

    def _place(self, src_uri: str, markdown: str, texts: list[str]) -> str:
        placed: list[str] = []
        pieces: list[str] = []
        cursor = 0
        body = self.bodies[src_uri]
        for text in texts:
            html = self.html.get((body, text))
            at = _line_start_find(markdown, text, cursor) if html is not None else -1
            if html is None or at < 0:
                continue
            pieces += [markdown[cursor:at], _PLACE.format(len(placed))]
            placed.append(html)
            cursor = at + len(text)
        self.placed[src_uri] = placed
        return "".join(pieces) + markdown[cursor:]


def _nth(placed: list[str], index: int) -> str:
    return placed[index] if index < len(placed) else ""


def _mark(markdown: str, texts: list[str]) -> str:
    """The story page's Markdown with each part between its two markers, each marker a block
    of its own, so that the part converts as it would without them."""
    pieces: list[str] = []
    cursor = 0
    for index, text in enumerate(texts):
        at = _line_start_find(markdown, text, cursor)
        if at < 0:
            continue
        pieces += [
            markdown[cursor:at],
            f"\n{_OPEN.format(index)}\n\n",
            text,
            f"\n\n{_CLOSE.format(index)}\n\n",
        ]
        cursor = at + len(text)
    return "".join(pieces) + markdown[cursor:]


def _line_start_find(markdown: str, text: str, start: int) -> int:
    """Where ``text`` next starts a line of ``markdown`` from ``start``, or -1."""
    at = markdown.find(text, start)
    while at > 0 and markdown[at - 1] != "\n":
        at = markdown.find(text, at + 1)
    return at

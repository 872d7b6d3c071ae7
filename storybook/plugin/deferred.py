"""A cold `storybook serve` answers before the projector views are made, then makes them.

The learner edition under serve makes a projector view (``present/<slug>/``) of every story,
for a room's console to open: a thousand more pages for MkDocs to convert and put in the theme,
a third of a cold start's work, for pages nobody reads before a facilitator opens a console.
So the first build of a `mkdocs serve --dirty` that has no site kept from an earlier run
(servedir.py) leaves them out, and each projector view's address holds a short page saying it
is being prepared (it reloads itself). As soon as the server answers, a second build makes
them: under ``--dirty`` it converts the projector views alone, every other page is already
there and unchanged.

That second build does not hold the server's requests as a rebuild after a save does (MkDocs
answers no request while it rebuilds, so every page would wait for a thousand projector
views): only the new pages are written, and the search index, which every build writes again,
is written while requests wait for a moment (:meth:`DeferredPages.hold_for_the_index`). If the
second build finds more to do than the projector views (a story saved meanwhile, say), it
holds the requests and reloads the browsers as any rebuild does (:meth:`DeferredPages.check`).
Every page it makes goes through the same steps as in any build, so a story with a problem
never shows on the projector and drafts stay out.

A save never waits for it. At 3,000 stories the projector views take half a minute, and
MkDocs starts no rebuild before the build under way ends: the first save after a cold start
waited that long. So as it converts or writes each projector view, the deferred build looks
whether a file was saved meanwhile, and if so it stops there (:class:`GiveWay`, see
:meth:`DeferredPages.give_way_to_a_save`). The save's rebuild leaves the projector views out
again, keeping those already written, and the deferred build starts again after it, making
only the views still missing or changed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from storybook.core.room_pages import present_uri

if TYPE_CHECKING:  # only `mkdocs serve` imports the live-reload server
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.storybook")

PROJECTOR_FOLDER = "present/"
# What MkDocs logs when its build loop starts a rebuild; said otherwise for the deferred one.
REBUILD_NOTICE = "Detected file changes"
MAKING = "Making the projector views; the site is served meanwhile"
PREPARING_WORDS = "The projector view is being prepared."
PREPARING = """\
<!doctype html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="2">
<title>Preparing the projector view</title>
</head>
<body>
<p>{words} This page opens it by itself in a moment.</p>
</body>
</html>
"""


GAVE_WAY = "A file was saved: the site shows it first, then the projector views are made"


def is_projector_page(src_uri: str) -> bool:
    return src_uri.startswith(PROJECTOR_FOLDER)


class GiveWay(BaseException):
    """Stops the deferred build where it is, for a save's rebuild to go first.

    Not an Exception: MkDocs reports every Exception raised while it reads a page as an error
    ("Error reading page ...") and calls the build-error hooks, which would take the site as
    broken and rebuild every page next time. This one passes through MkDocs untouched, to
    :meth:`DeferredPages._build_next`, which started that build."""


class _QuietNotice(logging.Filter):
    """Says what the deferred build is, instead of MkDocs' "Detected file changes"."""

    def __init__(self, deferred: DeferredPages) -> None:
        super().__init__()
        self.deferred = deferred

    def filter(self, record: logging.LogRecord) -> bool:
        if self.deferred.announced and record.getMessage().endswith(REBUILD_NOTICE):
            self.deferred.announced = False
            # MkDocs puts the time before it: "[10:42:07] Detected file changes".
            record.msg = record.getMessage().replace(REBUILD_NOTICE, MAKING)
            record.args = ()
        return True


class DeferredPages:
    """The projector views one `mkdocs serve --dirty` owes after its first build."""

    def __init__(self) -> None:
        self.notice = _QuietNotice(self)
        self.reset()

    def reset(self) -> None:
        self.first_build_done = False
        self.owed = False  # the last build left the projector views out: the next makes them
        self.quiet = False  # this build is the deferred one and holds no request
        self.announced = False  # the build loop is asked for it and has not said so yet
        self.server: LiveReloadServer | None = None
        self.build: Callable[[], None] | None = None  # MkDocs' own builder
        self.asked = False  # the next build is the deferred one
        self.gave_way = False  # a deferred build stopped for a save: the views are still owed
        self.previous: Mapping[str, str] = {}  # the pages of the build that left them out
        self.placeholders: list[Path] = []  # the pages saying a projector view is on its way

    def leave_out_projector_views(self, *, possible: bool) -> bool:
        """Called as each build makes its pages: True for the first build of a session that
        can do without them (see hooks.py), and only for it."""
        first, self.first_build_done = not self.first_build_done, True
        self.owed = (first or self.gave_way) and possible and not self.quiet
        return self.owed

    def give_way_to_a_save(self) -> None:
        """Called before the deferred build converts or writes each page: raises
        :class:`GiveWay` if a file was saved since it began."""
        if self.quiet and self.server is not None and self.server._want_rebuild:
            raise GiveWay

    def built(self, pages: Mapping[str, str]) -> None:
        """The pages of the build now under way; those of a build that left the projector
        views out are what the deferred build is checked against."""
        if self.owed:
            self.previous = pages

    def check(self, pages: Mapping[str, str], *, everything: bool) -> bool:
        """Before the deferred build writes anything: if it has more to do than the projector
        views (``pages`` other than them changed, or ``everything`` is rebuilt), it holds the
        requests as any rebuild does, and the browsers reload when it is done. True then."""
        if not self.quiet:
            return False
        old, new = self.previous, {u: c for u, c in pages.items() if not is_projector_page(u)}
        if not everything and old.keys() == new.keys() and all(old[u] == new[u] for u in new):
            return False
        self.quiet = False
        if self.server is not None:
            hold_requests(self.server)
        return True

    def write_placeholders(self, config: MkDocsConfig, stories: Iterable[str]) -> None:
        """A page at each projector view's address while it is owed (``stories``: the slugs
        of the stories whose page this build made)."""
        if not self.owed:
            self._clear_placeholders()
            return
        language = str(config.theme.get("language") or "en")
        for slug in stories:
            view = File(present_uri(slug), None, config.site_dir, config.use_directory_urls)
            path = Path(view.abs_dest_path)
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(
                    PREPARING.format(language=language, words=PREPARING_WORDS), encoding="utf-8"
                )
                # Older than any page's Markdown: under --dirty MkDocs always makes the view
                # over it, even if its Markdown was mirrored before this placeholder was
                # written (by a deferred build that gave way to a save).
                os.utime(path, ns=(0, 0))
                self.placeholders.append(path)

    def _clear_placeholders(self) -> None:
        """Once the projector views are made: a placeholder still there is for a story that
        has none any more (made a draft, deleted, broken meanwhile)."""
        placeholders, self.placeholders = self.placeholders, []
        for path in placeholders:
            try:
                if PREPARING_WORDS in path.read_text(encoding="utf-8"):
                    path.unlink()
                    path.parent.rmdir()
            except OSError:
                pass  # rebuilt as a projector view, or its folder holds more

    def make_them_after_answering(self, server: LiveReloadServer) -> None:
        """Under serve, once the first build is done: if it left the projector views out,
        the build loop makes them as soon as the server answers, holding no request."""
        self.server = server
        if not self.owed:
            return
        self.build = server.builder
        server.builder = self._build_next
        logging.getLogger("mkdocs.livereload").addFilter(self.notice)
        self._ask_for_the_views()

    def _ask_for_the_views(self) -> None:
        assert self.server is not None
        self.asked = self.announced = True
        want_rebuild(self.server)

    def _build_next(self) -> None:
        """The build loop's builder while the projector views are owed: a save's rebuild
        as MkDocs makes it (leaving them out, see :meth:`leave_out_projector_views`), then
        the deferred build again; or the deferred build, holding no request."""
        server, build = self.server, self.build
        assert server is not None and build is not None
        if not self.asked:
            build()
            if self.owed:
                self._ask_for_the_views()
            return
        self.asked = False
        self.quiet, self.owed = self.owed, False
        if self.quiet:
            release_requests(server)
        try:
            build()
            self.gave_way = False
            server.builder = build  # every view is made: MkDocs' builder from now on
        except GiveWay:
            self.gave_way = True
            log.info(GAVE_WAY)
        finally:
            if self.quiet:
                release_requests(server)  # nothing changed: no browser reloads
            self.quiet = False

    def hold_for_the_index(self) -> None:
        """The search index is written whole again by every build: no request reads it
        half-written. Released when the build is done."""
        if self.quiet and self.server is not None:
            hold_requests(self.server)

    def stop(self) -> None:
        logging.getLogger("mkdocs.livereload").removeFilter(self.notice)
        self.reset()


# MkDocs' live-reload server answers a request only once the site it asks for is whole: it
# waits until the build it last started (its "wanted" epoch) is the one visible. MkDocs 1.6
# is the last release with plugins (2.0 drops them), so these attributes will not move.


def hold_requests(server: LiveReloadServer) -> None:
    from mkdocs.livereload import _timestamp

    with server._epoch_cond:
        server._wanted_epoch = max(_timestamp(), server._visible_epoch + 1)


def release_requests(server: LiveReloadServer) -> None:
    with server._epoch_cond:
        server._wanted_epoch = server._visible_epoch
        server._epoch_cond.notify_all()


def want_rebuild(server: LiveReloadServer) -> None:
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()

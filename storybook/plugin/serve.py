"""What `mkdocs serve` shows while a story or template is broken, and what keeps it serving."""

from __future__ import annotations

import html
import logging
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import CountHandler
from watchdog.events import (
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)

from storybook.core.errors import Problem

if TYPE_CHECKING:  # only `mkdocs serve` imports the live-reload server
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.storybook")


def error_banner(problems: list[Problem], root: Path) -> str:
    """A warning box for the top of every served page, naming file, line and fix."""
    items = "\n".join(
        f"<li><code>{html.escape(problem.display_path(root))}:{problem.line}</code> "
        f"{html.escape(problem.message)}"
        + (f" <em>{html.escape(problem.hint)}</em>" if problem.hint else "")
        + "</li>"
        for problem in problems
    )
    count = f"{len(problems)} problem" + ("s" if len(problems) != 1 else "")
    return (
        f'<div class="admonition danger storybook-problems" role="alert">\n'
        f'<p class="admonition-title">The storybook has {count}. '
        f"Showing the last good pages until it is fixed.</p>\n"
        f"<ul>\n{items}\n</ul>\n</div>\n\n"
    )


def never_abort_on_warnings(config: MkDocsConfig) -> None:
    """Under serve, strict mode must not abort a rebuild: MkDocs then stalls every request.

    MkDocs counts warnings with a handler it attaches before any plugin runs, and aborts at
    the end if it counted any, so turning ``strict`` off is not enough: the counter goes too.
    Warnings are still printed; `mkdocs build` stays as strict as mkdocs.yml says.
    """
    if not config.strict:
        return
    config.strict = False
    mkdocs_log = logging.getLogger("mkdocs")
    for handler in list(mkdocs_log.handlers):
        if isinstance(handler, CountHandler):
            mkdocs_log.removeHandler(handler)
    log.debug("Strict mode is off under mkdocs serve, so that no warning can stall the room.")


def keep_watching(server: LiveReloadServer, folders: list[Path]) -> None:
    """Watch ``folders``, and keep watching them when they are deleted and restored.

    MkDocs' file watcher stops for good once a watched folder disappears, so each folder's
    parent is watched too (not recursively): when the folder comes back, it is watched again
    and the site is rebuilt; when it goes, the site is rebuilt to say so.
    """
    by_parent: dict[Path, list[Path]] = defaultdict(list)
    for folder in folders:
        folder = folder.resolve()
        if folder.is_dir():
            server.watch(str(folder))
        by_parent[folder.parent].append(folder)
    for parent, children in by_parent.items():
        if parent.is_dir():
            server.observer.schedule(_FolderWatcher(server, children), str(parent), recursive=False)


class _FolderWatcher(FileSystemEventHandler):
    def __init__(self, server: LiveReloadServer, folders: list[Path]) -> None:
        self.server = server
        self.folders = folders

    def on_any_event(self, event: FileSystemEvent) -> None:
        # A folder's contents changing modifies the folder too; MkDocs' own watcher sees that.
        if event.event_type not in (EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MOVED):
            return
        paths = {_text(event.src_path), _text(event.dest_path)}
        for folder in self.folders:
            if str(folder) not in paths:
                continue
            if str(folder) in self.server._watched_paths:
                self.server.unwatch(str(folder))
            if folder.is_dir():
                self.server.watch(str(folder))
            log.info(f"The folder {folder.name} was {'restored' if folder.is_dir() else 'removed'}")
            request_rebuild(self.server)


def _text(path: bytes | str) -> str:
    return path.decode() if isinstance(path, bytes) else path


def request_rebuild(server: LiveReloadServer) -> None:
    """What MkDocs' own watcher does on a change. MkDocs 1.6 is the last release with plugins
    (2.0 drops them), so these attributes of its server will not move."""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()

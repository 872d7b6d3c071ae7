"""Under `mkdocs serve`: the storybook's folders watched with the system's own file events
as well as MkDocs' polling, so that a save rebuilds the site at once. Imported by
serve.keep_watching only: `mkdocs build` never loads the file watcher."""

from __future__ import annotations

import logging
import os
import threading
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from watchdog.events import (
    EVENT_TYPE_CLOSED_NO_WRITE,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MOVED,
    EVENT_TYPE_OPENED,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from storybook.plugin.serve import request_rebuild

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.storybook")


def keep_watching(server: LiveReloadServer, folders: list[Path]) -> BaseObserver:
    """Watch ``folders``, see a save at once, and keep watching them when they are deleted and
    restored. Returns the observer of native events, to stop when serving ends.

    MkDocs polls for changes every half second, so a save waited a quarter of a second on
    average before the rebuild began. The storybook's folders are watched with the system's
    own events as well (inotify, FSEvents, ...), and a change either watcher sees rebuilds the
    site once (:class:`_Changes`): a folder whose events never come (some network or shared
    folders) is still polled.

    MkDocs' file watcher stops for good once a watched folder disappears, so each folder's
    parent is watched too (not recursively): when the folder comes back, it is watched again
    and the site is rebuilt; when it goes, the site is rebuilt to say so.
    """
    native = Observer()
    native.daemon = True
    changes = _Changes(server, native)
    by_parent: dict[Path, list[Path]] = defaultdict(list)
    for folder in folders:
        folder = folder.resolve()
        if folder.is_dir():
            changes.watch(folder)
        by_parent[folder.parent].append(folder)
    for parent, children in by_parent.items():
        if parent.is_dir():
            watcher = _FolderWatcher(server, children, changes)
            server.observer.schedule(watcher, str(parent), recursive=False)
    native.start()
    return native


# What changes a file. Not its being opened and read: every build reads every story, and those
# events alone made each save under serve a sixth slower.
WRITES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileClosedEvent,
]


class _Changes(FileSystemEventHandler):
    """Rebuilds the site for each change to a file in the watched folders once, whichever
    watcher (MkDocs' polling one, or the native one) reports it first: a change is known by
    the file's modification time, change time and size after it."""

    def __init__(self, server: LiveReloadServer, native: BaseObserver) -> None:
        self.server = server
        self.native = native
        self.lock = threading.Lock()
        self.seen: dict[str, tuple[int, int, int] | None] = {}
        self.native_watches: dict[str, ObservedWatch] = {}

    def watch(self, folder: Path) -> None:
        """As ``server.watch`` (MkDocs lists and polls the folder), with this handler, and
        with native events too."""
        path = str(folder)
        if path in self.server._watched_paths:
            self.server._watched_paths[path] += 1
            return
        self.server._watched_paths[path] = 1
        self.server._watch_refs[path] = self.server.observer.schedule(self, path, recursive=True)
        old = self.native_watches.pop(path, None)
        if old is not None:
            self.native.unschedule(old)
        try:
            self.native_watches[path] = self.native.schedule(
                self, path, recursive=True, event_filter=WRITES
            )
        except OSError as exc:  # out of inotify watches, say: polling still sees every save
            log.debug(f"No native file events for {path} ({exc}); polling only")

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in (
            EVENT_TYPE_OPENED,
            EVENT_TYPE_CLOSED_NO_WRITE,
        ):
            return
        paths = {_text(event.src_path), _text(event.dest_path)} - {""}
        states = {path: _state(path) for path in paths}
        with self.lock:
            fresh = [path for path, state in states.items() if self.seen.get(path, ()) != state]
            self.seen.update((path, states[path]) for path in fresh)
        if fresh:
            log.debug(str(event))
            request_rebuild(self.server)


def _state(path: str) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size


class _FolderWatcher(FileSystemEventHandler):
    def __init__(self, server: LiveReloadServer, folders: list[Path], changes: _Changes) -> None:
        self.server = server
        self.folders = folders
        self.changes = changes

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
                self.changes.watch(folder)
            log.info(f"The folder {folder.name} was {'restored' if folder.is_dir() else 'removed'}")
            request_rebuild(self.server)


def _text(path: bytes | str) -> str:
    return path.decode() if isinstance(path, bytes) else path

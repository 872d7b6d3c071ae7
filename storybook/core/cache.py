"""What a rebuild under `mkdocs serve` need not do again: stories and pages that did not change.

Every save under `mkdocs serve` rebuilds the site. This cache keeps that cheap, keyed so
that a stale entry cannot be used:

- :class:`StoryCache` keeps, per story file, the validated story, its rendered page and its
  room page (the projector view, or the facilitator's console). A
  story is reused only while the file's bytes are the same, and everything is dropped as soon
  as anything else that shapes a page changes: any file in the templates folder (the page
  templates and ``tags.yml``) or a plugin setting.

The MkDocs side of it (the page mirror, the theme's compiled templates) is in
``storybook.plugin.mirror``. Where a served site is kept between runs, the cache is saved
beside it when serving stops (:meth:`StoryCache.save`) and read at the next start
(:meth:`StoryCache.load`), under a key that changes with the installed code: its entries are
checked against the files exactly as in one run, so a story changed meanwhile is read again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from storybook.core.defaults import DEFAULT_TEMPLATES
from storybook.core.editions import LEARNER_EDITION, Edition
from storybook.core.errors import Problem, StorybookError
from storybook.core.library import read_story
from storybook.core.load import MAX_STORY_BYTES, read_bounded, scan_stories_folder
from storybook.core.model import Story
from storybook.core.pages import Page, Related, render_story_page, story_view
from storybook.core.render import Renderer, template_names
from storybook.core.room_pages import RoomSettings, render_room_page
from storybook.core.vocabulary import Vocabulary

SAVED_FORMAT = 1
# A file changed this soon after it was last read may change again with the same stat
# signature (timestamps are coarse on some file systems): its bytes stay the judge ("racy git").
RACY_NS = 2_000_000_000

Signature = tuple[int, int, int, int, int]


def stat_signature(info: os.stat_result) -> Signature:
    """What changes whenever a file's bytes do: its times, size, inode and device."""
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, info.st_dev)


def _trusted(signature: Signature, read_at_ns: int) -> bool:
    """True if a later write must change ``signature``: the file's times are well before the
    moment it was read, so a write after that read cannot keep them."""
    return max(signature[0], signature[1]) < read_at_ns - RACY_NS


def folder_fingerprint(folder: Path) -> bytes:
    """A digest of every file below templates folder ``folder``: its path and its bytes. A
    folder too large to be one (the renderer says so) is not read at all."""
    digest = hashlib.blake2b()
    try:
        names = template_names(folder) if folder.is_dir() else []
    except StorybookError:
        return b"too many files"
    for name in names:
        path = folder / name
        if path.is_file():
            digest.update(name.encode() + b"\0")
            digest.update(hashlib.blake2b(_bytes_or_marker(path)).digest())
    return digest.digest()


def _bytes_or_marker(path: Path) -> bytes:
    """A file's bytes, read within the limit; for a file that cannot be read so (too large,
    a FIFO, unreadable), a marker that changes with it: the renderer says what is wrong."""
    try:
        return read_bounded(path, MAX_STORY_BYTES)
    except StorybookError:
        info = path.stat()
        return f"unreadable\0{info.st_mtime_ns}\0{info.st_size}\0{info.st_mode}".encode()


class StoryCache:
    """Validated stories and rendered story pages, reused while their inputs are unchanged.

    Call :meth:`prepare` before each build, pass :meth:`read_story` and :meth:`render_story`
    to the pipeline in place of the uncached steps, and :meth:`prune` after it.
    """

    def __init__(self, *, clock: Callable[[], int] = time.time_ns) -> None:
        self._clock = clock  # nanoseconds since the epoch, as file times are
        self._context = b""
        self._renderer: Renderer | None = None
        self._stories: dict[Path, tuple[bytes, Story | list[Problem]]] = {}
        # Per story file, its stat signature when last read, kept only while trusted.
        self._signatures: dict[Path, Signature] = {}
        self._pages: dict[Path, tuple[tuple[Story, tuple[Related, ...], Edition], Page]] = {}
        self._room_pages: dict[Path, tuple[tuple[Story, RoomSettings, Edition], Page]] = {}
        self._views: dict[Path, tuple[Story, Mapping[str, Any]]] = {}
        self._seen: set[Path] = set()
        # The stories folder's last scan, and the mtime of each folder in it then.
        self._scan: tuple[Path, dict[str, int], list[Path]] | None = None

    def prepare(self, templates_dir: Path, settings: Mapping[str, object]) -> StoryCache:
        """Start a build; forget everything if the templates or the settings changed."""
        # The defaults too: the project's folder may override none, and in a checkout of the
        # storybook itself they are edited like any template.
        context = hashlib.blake2b(
            folder_fingerprint(templates_dir)
            + folder_fingerprint(DEFAULT_TEMPLATES)
            + repr(sorted(settings.items())).encode()
        ).digest()
        if context != self._context:
            self._context = context
            self._renderer = None
            self._stories.clear()
            self._signatures.clear()
            self._pages.clear()
            self._room_pages.clear()
            self._views.clear()
            self._scan = None
        if self._renderer is None:
            self._renderer = Renderer(templates_dir, remember=True)
        self._seen.clear()
        return self

    def save(self, path: Path, key: bytes) -> None:
        """Keep the stories and pages in ``path`` for a later run with the same ``key``."""
        saved = (SAVED_FORMAT, key, self._context, self._stories, self._pages, self._room_pages)
        temporary = path.with_name(path.name + ".tmp")
        with temporary.open("wb") as stream:
            pickle.dump(saved, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)

    def load(self, path: Path, key: bytes) -> bool:
        """Start from what :meth:`save` kept in ``path``, if it was kept under ``key`` (the
        same storybook and settings); True if it was. The file is the storybook's own,
        in a folder it made beside mkdocs.yml."""
        try:
            with path.open("rb") as stream:
                saved = pickle.load(stream)  # written by save() above
        except Exception:  # missing, cut short, or from code that no longer loads it
            return False
        if not (isinstance(saved, tuple) and len(saved) == 6 and saved[:2] == (SAVED_FORMAT, key)):
            return False
        _, _, self._context, self._stories, self._pages, self._room_pages = saved
        self._signatures.clear()  # a story changed meanwhile is read again, by its bytes
        self._scan = None
        self._views.clear()
        self._renderer = None
        return True

    @property
    def renderer(self) -> Renderer:
        """The renderer of the templates, kept with its compiled templates between builds."""
        if self._renderer is None:
            raise RuntimeError("call prepare() before a build")
        return self._renderer

    def scan_stories(self, stories_dir: Path) -> tuple[list[Path], list[Problem]]:
        """The story files below ``stories_dir``, as :func:`scan_stories_folder` finds them,
        scanned again only if a folder in it gained, lost or renamed a file since the last
        scan. A scan is kept only when it found no problem and no link (a link's target may
        go without its folder showing it), and its folders last changed well before it."""
        kept = self._scan
        if kept is not None and kept[0] == stories_dir and folder_times(kept[1]) == kept[1]:
            return list(kept[2]), []
        self._scan = None
        scanned_at = self._clock()
        times, links = _story_folders(stories_dir)
        stories, problems = scan_stories_folder(stories_dir)
        if not problems and not links and max(times.values(), default=0) < scanned_at - RACY_NS:
            self._scan = (stories_dir, times, list(stories))
        return stories, problems

    def read_story(self, path: Path, vocabulary: Vocabulary) -> Story:
        """The story in ``path``, loaded and validated again only if its bytes changed. A file
        whose stat signature is as it was when last read is not read again (see _trusted)."""
        self._seen.add(path)
        cached = self._stories.get(path)
        signature = self._unchanged_signature(path)
        if cached is None or signature is None:
            cached = self._read_and_check(path, vocabulary, cached)
        if isinstance(cached[1], list):
            raise StorybookError(cached[1])
        return cached[1]

    def _unchanged_signature(self, path: Path) -> Signature | None:
        """The file's stat signature if it is the trusted one kept at its last read."""
        known = self._signatures.get(path)
        if known is None:
            return None
        try:
            signature = stat_signature(os.stat(path))
        except OSError:
            return None
        return signature if signature == known else None

    def _read_and_check(
        self,
        path: Path,
        vocabulary: Vocabulary,
        cached: tuple[bytes, Story | list[Problem]] | None,
    ) -> tuple[bytes, Story | list[Problem]]:
        """Read ``path``, and load and validate it again if its bytes are not the cached ones.
        Its signature is taken before the read: a write during the read changes it."""
        self._signatures.pop(path, None)
        read_at = self._clock()
        try:
            signature = stat_signature(os.stat(path))
            digest = hashlib.blake2b(read_bounded(path, MAX_STORY_BYTES)).digest()
        except (OSError, StorybookError):
            self._stories.pop(path, None)
            return (b"", read_story(path, vocabulary))  # raises why the file cannot be read
        if cached is None or cached[0] != digest:
            try:
                result: Story | list[Problem] = read_story(path, vocabulary)
            except StorybookError as exc:
                result = exc.problems
            cached = self._stories[path] = (digest, result)
        if _trusted(signature, read_at):
            self._signatures[path] = signature
        return cached

    def render_story(
        self,
        story: Story,
        vocabulary: Vocabulary,
        renderer: Renderer,
        *,
        related: Sequence[Related] = (),
        edition: Edition = LEARNER_EDITION,
        view: Mapping[str, Any] | None = None,
    ) -> Page:
        """The page of ``story``, rendered again only if it or its related stories changed.
        ``view`` is made from the story and the vocabulary alone, so it is no part of the key
        (a changed vocabulary empties the cache)."""
        key = (story, tuple(related), edition)
        cached = self._pages.get(story.path)
        # Unchanged files give back the very same Story objects, so this compares quickly.
        if cached is None or cached[0] != key:
            page = render_story_page(
                story, vocabulary, renderer, related=related, edition=edition, view=view
            )
            cached = self._pages[story.path] = (key, page)
        return cached[1]

    def render_room_page(
        self,
        story: Story,
        vocabulary: Vocabulary,
        renderer: Renderer,
        settings: RoomSettings,
        *,
        edition: Edition,
    ) -> Page:
        """The room page of ``story``, rendered again only if it or the room changed."""
        key = (story, settings, edition)
        cached = self._room_pages.get(story.path)
        if cached is None or cached[0] != key:
            page = render_room_page(story, vocabulary, renderer, settings, edition=edition)
            cached = self._room_pages[story.path] = (key, page)
        return cached[1]

    def story_view(self, story: Story, vocabulary: Vocabulary) -> Mapping[str, Any]:
        """What templates see of ``story`` (:func:`story_view`), made again only if it changed.

        The very same view while the story is the same: the lists showing it compare their
        stories' views to see whether they must be rendered again (Renderer.render_page).
        Nothing may change a view once made."""
        self._seen.add(story.path)
        cached = self._views.get(story.path)
        if cached is None or (cached[0] is not story and cached[0] != story):
            cached = self._views[story.path] = (story, story_view(story, vocabulary))
        return cached[1]

    def prune(self) -> None:
        """Forget stories whose files are gone."""
        for cache in (self._stories, self._signatures, self._pages, self._room_pages, self._views):
            for path in cache.keys() - self._seen:
                del cache[path]


def _story_folders(stories_dir: Path) -> tuple[dict[str, int], bool]:
    """When every folder the scan walks below ``stories_dir`` last changed (those starting
    with . or _ are not walked), and whether any entry there is a link."""
    walked: list[str] = []
    unreadable: list[str] = []
    links = False
    folders = [str(stories_dir)]
    while folders:
        folder = folders.pop()
        walked.append(folder)
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    links = links or entry.is_symlink()
                    if entry.is_dir(follow_symlinks=False) and not entry.name.startswith(
                        (".", "_")
                    ):
                        folders.append(entry.path)
        except OSError:
            unreadable.append(folder)
    # A folder that could not be listed counts as gone: a scan of it is never kept.
    return {**folder_times(walked), **dict.fromkeys(unreadable, -1)}, links


def folder_times(folders: Iterable[str]) -> dict[str, int]:
    """When each of ``folders`` last changed (see _changed_ns; -1 for one that is gone)."""
    times = {}
    for folder in folders:
        try:
            times[folder] = _changed_ns(os.stat(folder))
        except OSError:
            times[folder] = -1
    return times


def _changed_ns(info: os.stat_result) -> int:
    """When a folder last changed: its mtime, or its ctime if later. `cp -a`, `rsync -a`,
    `tar x` and `unzip` put a folder's mtime back after adding files to it; its ctime (not
    settable, and on Windows its creation time, never the later) still moves."""
    return max(info.st_mtime_ns, info.st_ctime_ns)

"""`mkdocs serve --dirty` for a storybook: rebuild only the pages that changed, and still be right.

In dirty mode MkDocs skips every page whose source file is older than its HTML. With the
rendered stories mirrored to files that are rewritten only when their text changes
(:class:`storybook.plugin.mirror.PageMirror`), saving one story rebuilds that story's page, and
the pages showing its title if that changed (home, tag pages, stories listing it as
related), and nothing else. On its own, dirty mode would get four things
wrong; :class:`DirtyServe` puts each right:

- **Search.** The search plugin writes an index of the pages it just rebuilt only (Material's
  plugin merges with the previous index, but only correctly when exactly one page was
  rebuilt). The index is merged here: fresh entries for rebuilt pages, the previous entries
  for the others, none for pages that are gone, in the order a full build writes them.
- **Everything else a page depends on.** The navigation, mkdocs.yml, the hand-written pages
  in docs/, theme files and the storybook's problem banner show up on every page. When any
  of them changes, the site folder is emptied, so that this build rebuilds every page.
- **Deleted stories.** Their HTML would still be served; it is removed.
- **Navigation titles** of pages that are not re-read would be missing; they are read.

MkDocs warns before every dirty build that navigation may be inaccurate; since the
storybook keeps the site accurate, the warning is logged as information instead (and so it
cannot count against ``strict: true`` either).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.utils import clean_directory

from storybook.core.errors import StorybookError
from storybook.core.load import read_bounded
from storybook.plugin.mirror import PageMirror

log = logging.getLogger("mkdocs.plugins.storybook")

SEARCH_INDEX = Path("search") / "search_index.json"
# Where the rendered pages are mirrored: inside the temporary site folder of `mkdocs serve`,
# so they go when it goes. Hidden, so MkDocs never empties it (nor does a full rebuild here).
MIRROR = ".storybook-pages"
DIRTY_WARNING = "A 'dirty' build is being performed"
Entries = list[dict[str, Any]]


class _DirtyBuildNotice(logging.Filter):
    """Turns MkDocs' warning before each dirty build into an information line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and record.getMessage().startswith(DIRTY_WARNING):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.msg = "Rebuilding only the pages that changed (the storybook keeps the rest of the site accurate)"
            record.args = ()
        return True


class DirtyServe:
    """State kept between the rebuilds of one `mkdocs serve --dirty`."""

    def __init__(self) -> None:
        self.active = False
        self.mirror = PageMirror()
        self._notice = _DirtyBuildNotice()
        self._reset()

    def _reset(self) -> None:
        self._inputs = b""  # fingerprint of what the last build was made from; b"" before any
        self._entries: dict[str, Entries] = {}  # the merged search index, per page URL
        self._dest: dict[str, str] = {}  # page URL -> its HTML file, as of the last build
        self._rebuilt: set[str] = set()
        self._files: Files | None = None
        self._search_plugins: list[Any] = []

    def start(self) -> None:
        """Called once when `mkdocs serve --dirty` starts."""
        self._reset()
        self.active = True
        logging.getLogger("mkdocs.commands.build").addFilter(self._notice)

    def stop(self) -> None:
        self.active = False
        logging.getLogger("mkdocs.commands.build").removeFilter(self._notice)
        self.mirror.close()
        # MkDocs keeps plugins for the life of the process: a later build in it must not
        # inherit the served index (Material's search would merge it into its own).
        for plugin in self._search_plugins:
            plugin.search_index_prev = None
        self._search_plugins = []

    def before_build(self, config: MkDocsConfig) -> None:
        """Let the search plugin index only what this build renders; the merge is done here."""
        self._rebuilt.clear()
        self._search_plugins = [
            plugin for plugin in config.plugins.values() if hasattr(plugin, "search_index_prev")
        ]
        for plugin in self._search_plugins:
            plugin.search_index_prev = None

    def page_sources(
        self, config: MkDocsConfig, files: Files, pages: Mapping[str, str], state: str
    ) -> dict[str, Path]:
        """Mirror the storybook's pages to files; returns the file of each page.

        ``files`` are the files MkDocs found (the storybook's pages are not added yet);
        ``state`` is whatever else the storybook shows on every page (its settings, its
        problems). If any of that changed, the site folder is emptied so that every page is
        rebuilt. Otherwise the HTML of each page whose Markdown changed is removed, so that it
        is rebuilt even on a file system with coarse modification times.
        """
        inputs = _fingerprint(config, files, state)
        if inputs != self._inputs:
            if self._inputs:
                log.info("Rebuilding every page: something other than a story changed")
            clean_directory(config.site_dir)
            self._entries.clear()
            self._inputs = inputs
        paths, changed = self.mirror.write(pages, Path(config.site_dir) / MIRROR)
        for src_uri in changed:
            page = File(src_uri, None, config.site_dir, config.use_directory_urls)
            Path(page.abs_dest_path).unlink(missing_ok=True)
        return paths

    def read_nav_titles(self, nav: Navigation, config: MkDocsConfig) -> None:
        """Pages that are not rebuilt are not read either; their titles are needed in the nav."""
        for page in nav.pages:
            if page.markdown is None and not page.file.is_modified():
                page.read_source(config)

    def page_built(self, url: str) -> None:
        self._rebuilt.add(url)

    def pages_ready(self, files: Files) -> None:
        self._files = files

    def after_build(self, config: MkDocsConfig) -> None:
        if self._files is None:
            return
        # Page URLs as the search index writes them (the home page is "", not "./").
        pages = {file.page.url: file.abs_dest_path for file in self._files if file.page}
        for url in self._dest.keys() - pages.keys():
            _remove_page(Path(self._dest[url]), Path(config.site_dir))
        self._dest = pages
        self._merge_search_index(Path(config.site_dir) / SEARCH_INDEX, list(pages))

    def build_failed(self) -> None:
        """A build that stopped half-way leaves the site unknown: rebuild everything next time."""
        self._inputs = b"unknown"

    def _merge_search_index(self, path: Path, urls: list[str]) -> None:
        if not path.is_file():
            return
        data = json.loads(path.read_text(encoding="utf-8"))
        fresh: dict[str, Entries] = {}
        for entry in data["docs"]:
            fresh.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
        self._entries = {
            url: fresh.get(url, []) if url in self._rebuilt else self._entries.get(url, [])
            for url in urls
        }
        data["docs"] = [entry for url in urls for entry in self._entries[url]]
        path.write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")


def _fingerprint(config: MkDocsConfig, files: Files, state: str) -> bytes:
    digest = hashlib.blake2b(state.encode())
    if config.config_file_path and os.path.isfile(config.config_file_path):
        try:
            digest.update(read_bounded(Path(config.config_file_path), what="settings"))
        except StorybookError:  # MkDocs has read it: it changed since, rebuild everything
            digest.update(os.urandom(16))
    sources = [file.abs_src_path for file in files if file.abs_src_path and not file.generated_by]
    if config.theme.custom_dir:  # theme overrides (watched with --watch-theme)
        sources += sorted(str(path) for path in Path(config.theme.custom_dir).rglob("*"))
    for source in sources:
        try:
            stat = os.stat(source)
            digest.update(f"{source}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
        except OSError:  # deleted since MkDocs listed it
            digest.update(f"{source}\0gone\n".encode())
    return digest.digest()


def _remove_page(html: Path, site_dir: Path) -> None:
    html.unlink(missing_ok=True)
    folder = html.parent
    while site_dir in folder.parents and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent

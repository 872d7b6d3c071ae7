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

The state this needs is kept in the site folder too (:data:`STATE`, written after each build
that finished, removed as the next begins), so a server started again on the site an
earlier run kept (servedir.py) rebuilds only what changed while it was stopped: a story
edited, made a draft or deleted then is rebuilt or withdrawn before the first page is
served. Whatever else could change a page between runs (the storybook, MkDocs or Material
installed anew, mkdocs.yml, an environment variable it reads, the address served) changes
the fingerprint, and every page is rebuilt.

MkDocs warns before every dirty build that navigation may be inaccurate; since the
storybook keeps the site accurate, the warning is logged as information instead (and so it
cannot count against ``strict: true`` either).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import logging
import os
import platform
import re
from collections.abc import Mapping
from importlib import metadata
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
# What the last build that finished was made from, and its pages: hidden like the mirror.
STATE = ".storybook-state.json"
STATE_FORMAT = 1
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
        self._parts = ""  # its parts, with --verbose
        self._entries: dict[str, Entries] = {}  # the merged search index, per page URL
        self._entries_json: dict[str, str] = {}  # the same written as JSON, once each
        # The record last written: what it was made from, the pages, its text.
        self._state: tuple[bytes, dict[str, str], str | None] = (b"", {}, None)
        # page URL -> its HTML file, relative to the site folder, as of the last build
        self._dest: dict[str, str] = {}
        self._rebuilt: dict[str, str] = {}  # the pages this build wrote: URL -> HTML file
        self._files: Files | None = None
        self._search_plugins: list[Any] = []
        self._whole_build = False  # this build makes the site anew
        self._changed: set[str] = set()  # the pages whose Markdown this build changed
        # src_uri -> page URL, of the pages the last build that finished handed to MkDocs
        self._urls: dict[str, str] = {}
        self._left_out: dict[str, str] = {}  # pages this build leaves as they are: URL -> HTML
        self._settle = False  # the next build begins by settling memory (_settle_memory)

    def start(self) -> None:
        """Called once when `mkdocs serve --dirty` starts."""
        self._reset()
        self.active = True
        self._whole_build = True  # the first build makes what the whole session keeps
        logging.getLogger("mkdocs.commands.build").addFilter(self._notice)

    def reuse(self, site_dir: Path) -> None:
        """Carry on from the site an earlier run left in ``site_dir``: what it was made from,
        its pages and its search index. Without a whole record of it, the first build
        rebuilds every page."""
        state = _read_state(site_dir / STATE)
        if state is None:
            return
        self._inputs = bytes.fromhex(state["inputs"])
        self._dest = dict(state["dest"])
        index = site_dir / SEARCH_INDEX
        if index.is_file():
            try:
                self._entries = _entries_by_url(json.loads(index.read_text(encoding="utf-8")))
                self._entries_json.clear()
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self._inputs = b"unknown"

    def stop(self, *, keep_files: bool = False) -> None:
        self.active = False
        self._whole_build = self._settle = False
        gc.unfreeze()
        logging.getLogger("mkdocs.commands.build").removeFilter(self._notice)
        if keep_files:
            self.mirror.forget()
        else:
            self.mirror.close()
        # MkDocs keeps plugins for the life of the process: a later build in it must not
        # inherit the served index (Material's search would merge it into its own).
        for plugin in self._search_plugins:
            plugin.search_index_prev = None
        self._search_plugins = []

    def forget_record(self, config: MkDocsConfig) -> None:
        """The site is about to change: until this build finishes, no record says what it holds."""
        (Path(config.site_dir) / STATE).unlink(missing_ok=True)

    def before_build(self, config: MkDocsConfig, *, keep_record: bool = False) -> None:
        """Let the search plugin index only what this build renders; the merge is done here.
        ``keep_record``: this build only adds pages (see deferred.py) until it says otherwise
        (:meth:`forget_record`), so a site it leaves half-way is still as recorded."""
        self._rebuilt.clear()
        if self._settle:
            _settle_memory()
            self._settle = False
        if not keep_record:
            self.forget_record(config)
        self._search_plugins = [
            plugin for plugin in config.plugins.values() if hasattr(plugin, "search_index_prev")
        ]
        for plugin in self._search_plugins:
            plugin.search_index_prev = None

    def page_sources(
        self,
        config: MkDocsConfig,
        files: Files,
        pages: Mapping[str, str],
        state: str,
        *,
        keep: str = "",
    ) -> dict[str, Path]:
        """Mirror the storybook's pages to files; returns the file of each page.

        ``files`` are the files MkDocs found (the storybook's pages are not added yet);
        ``state`` is whatever else the storybook shows on every page (its settings, its
        problems). If any of that changed, the site folder is emptied so that every page is
        rebuilt. Otherwise the HTML of each page whose Markdown changed is removed, so that it
        is rebuilt even on a file system with coarse modification times. Pages in the folder
        ``keep`` that this build leaves out are kept as they are (see :meth:`keep_written`).
        """
        inputs = _fingerprint(config, files, state)
        parts = _parts(config, files, state) if log.isEnabledFor(logging.DEBUG) else ""
        if inputs != self._inputs:
            if self._inputs:
                log.info("Rebuilding every page: something other than a story changed")
                log.debug(f"What the pages were made from: {self._parts} -> {parts}")
            clean_directory(config.site_dir)
            self._whole_build = True
            self._entries.clear()
            self._entries_json.clear()
            self._inputs = inputs
        self._parts = parts
        paths, changed = self.mirror.write(pages, Path(config.site_dir) / MIRROR, keep=keep)
        self._changed = changed
        self._left_out = {}
        for src_uri in changed:
            page = File(src_uri, None, config.site_dir, config.use_directory_urls)
            Path(page.abs_dest_path).unlink(missing_ok=True)
        return paths

    def leave_unchanged_out(
        self, config: MkDocsConfig, pages: Mapping[str, str], folder: str
    ) -> set[str]:
        """The pages in ``folder`` that this build need not hand to MkDocs at all (called
        after :meth:`page_sources`): their Markdown is as when their HTML was written, and
        that HTML is still there. Only for pages nothing links to and no search finds (the
        projector views): MkDocs would make a page object of each on every save only to skip
        it, which was a third of its work on a save at 3,000 stories. None in a build that
        makes the site anew."""
        if self._whole_build:
            return set()
        site_dir = Path(config.site_dir)
        left_out = set()
        for src_uri in pages:
            if not src_uri.startswith(folder) or src_uri in self._changed:
                continue
            url = self._urls.get(src_uri)
            dest = self._dest.get(url) if url is not None else None
            if url is not None and dest is not None and (site_dir / dest).is_file():
                self._left_out[url] = dest
                left_out.add(src_uri)
        return left_out

    def recorded(self, folder: str) -> bool:
        """The site as recorded holds pages in ``folder`` ("present/", say)."""
        return any(url.startswith(folder) for url in self._dest)

    def rebuilds_everything(self, config: MkDocsConfig, files: Files, state: str) -> bool:
        """What :meth:`page_sources` will find: something besides the pages changed."""
        return _fingerprint(config, files, state) != self._inputs

    def read_nav_titles(self, nav: Navigation, config: MkDocsConfig) -> None:
        """Pages that are not rebuilt are not read either; their titles are needed in the nav."""
        for page in nav.pages:
            if page.markdown is None and not page.file.is_modified():
                page.read_source(config)

    def page_built(self, url: str, dest_uri: str) -> None:
        self._rebuilt[url] = dest_uri

    def keep_written(self, folder: str) -> None:
        """A build stopped half-way to let a save go first (deferred.py): the pages in
        ``folder`` it wrote are whole and part of the site, to be removed like any other
        once their story is gone or a draft."""
        self._dest.update(
            {url: dest for url, dest in self._rebuilt.items() if url.startswith(folder)}
        )

    def pages_ready(self, files: Files) -> None:
        self._files = files

    def after_build(self, config: MkDocsConfig, *, keep: str = "") -> None:
        """``keep``: the folder of pages this build left out for a later one to make
        (see :meth:`page_sources`); those already written stay."""
        self._settle, self._whole_build = self._whole_build, False
        if self._files is None:
            return
        site_dir = Path(config.site_dir)
        # Page URLs as the search index writes them (the home page is "", not "./").
        pages = {file.page.url: file.dest_uri for file in self._files if file.page}
        self._urls = {
            **{src: url for src, url in self._urls.items() if url in self._left_out},
            **{file.src_uri: file.page.url for file in self._files if file.page},
        }
        pages.update(self._left_out)
        for url in self._dest.keys() - pages.keys():
            if keep and url.startswith(keep):
                pages[url] = self._dest[url]
            else:
                _remove_page(site_dir / self._dest[url], site_dir)
        self._dest = pages
        self._merge_search_index(site_dir / SEARCH_INDEX, list(pages))
        self._write_state(site_dir / STATE, pages)

    def build_failed(self) -> None:
        """A build that stopped half-way leaves the site unknown: rebuild everything next time."""
        self._inputs = b"unknown"

    def _merge_search_index(self, path: Path, urls: list[str]) -> None:
        if not path.is_file():
            return
        data = json.loads(path.read_text(encoding="utf-8"))
        fresh = _entries_by_url(data)
        for url in self._rebuilt:
            self._entries[url] = fresh.get(url, [])
            self._entries_json.pop(url, None)
        self._entries = {url: self._entries.get(url, []) for url in urls}
        self._entries_json = {
            url: text for url, text in self._entries_json.items() if url in self._entries
        }
        # Each page's entries are written as JSON once, not on every save: at 3,000 stories
        # writing the whole index anew took a fifth of a save's rebuild.
        docs = ",".join(text for url in urls if (text := self._entries_text(url)))
        data.pop("docs", None)
        head = _compact_json(data)[:-1]
        path.write_text(f'{head}{"," if data else ""}"docs":[{docs}]}}', encoding="utf-8")

    def _entries_text(self, url: str) -> str:
        text = self._entries_json.get(url)
        if text is None:
            text = self._entries_json[url] = ",".join(
                _compact_json(entry) for entry in self._entries[url]
            )
        return text

    def _write_state(self, path: Path, dest: dict[str, str]) -> None:
        """The record of this build (see :data:`STATE`); made again only when it changed."""
        if (self._inputs, dest) != self._state[:2]:
            self._state = (self._inputs, dest, _state_text(self._inputs, dest))
        _write_state(path, self._state[2])


def _settle_memory() -> None:
    """Once a build made the site anew, what it left is what the session keeps (stories,
    pages, the search index, compiled templates): frozen, Python's cycle collector no longer
    walks it. Otherwise every save paid a full collection over all of it, a quarter of its
    rebuild at 3,000 stories. Done as the next build begins, once the last build's own
    objects are collected, so that none of them is kept for ever."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _entries_by_url(index: dict[str, Any]) -> dict[str, Entries]:
    entries: dict[str, Entries] = {}
    for entry in index["docs"]:
        entries.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
    return entries


def _read_state(path: Path) -> dict[str, Any] | None:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(state, dict)
        or state.get("format") != STATE_FORMAT
        or not isinstance(state.get("inputs"), str)
        or not isinstance(state.get("dest"), dict)
    ):
        return None
    return state


def _compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)


def _state_text(inputs: bytes, dest: dict[str, str]) -> str | None:
    """The record of a build made from ``inputs``; None if there is nothing to record."""
    if not inputs or inputs == b"unknown":
        return None
    return _compact_json({"format": STATE_FORMAT, "inputs": inputs.hex(), "dest": dest})


def _write_state(path: Path, text: str | None) -> None:
    if text is None:
        return
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# The packages whose code or templates shape every page.
PACKAGES = ("leadership-storybook", "mkdocs", "mkdocs-material", "markdown", "pymdown-extensions")
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
_ENV = re.compile(r"!ENV\s+(\[[^\]]*\]|\S+)")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INHERIT = re.compile(r"^INHERIT\s*:\s*(.+?)\s*$", re.MULTILINE)


@functools.cache
def installed_fingerprint() -> bytes:
    """What is installed, once per process: the versions of the packages that make the pages,
    Python's, and the storybook's own files (in a checkout they change without a new version)."""
    digest = hashlib.blake2b(platform.python_version().encode())
    for name in PACKAGES:
        try:
            digest.update(f"{name}\0{metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}\0none\n".encode())
    for path in sorted(PACKAGE_ROOT.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    return digest.digest()


def _settings(config: MkDocsConfig) -> bytes:
    """What shapes every page besides mkdocs.yml's own bytes: the environment variables it
    names with !ENV (and the storybook's own), the file it inherits, and the address served.

    Not MkDocs' record of what it was given: it writes some paths of it relative on the first
    load of a run and absolute on the next, which rebuilt every page at the first save."""
    config_file = Path(config.config_file_path or "mkdocs.yml")
    try:
        text = config_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    names = {name for found in _ENV.findall(text) for name in _NAME.findall(found)}
    names |= {name for name in os.environ if name.startswith("STORYBOOK_")}
    inherited = b""
    for found in _INHERIT.findall(text):
        try:
            inherited += (config_file.parent / found.strip("'\" ")).read_bytes()
        except OSError:
            inherited += b"missing"
    given = [
        sorted((name, os.environ.get(name)) for name in names),
        hashlib.blake2b(inherited).hexdigest(),
        config.site_url,
        config.use_directory_urls,
        str(config.theme.name),
    ]
    return json.dumps(given).encode()


def _parts(config: MkDocsConfig, files: Files, state: str) -> str:
    """The parts of the fingerprint, to tell which changed (with --verbose)."""
    parts = {
        "state": state.encode(),
        "installed": installed_fingerprint(),
        "settings": _settings(config),
        "files": _fingerprint(config, files, ""),
    }
    return ", ".join(
        f"{name} {hashlib.blake2b(part).hexdigest()[:8]}" for name, part in parts.items()
    )


def _fingerprint(config: MkDocsConfig, files: Files, state: str) -> bytes:
    digest = hashlib.blake2b(state.encode())
    digest.update(installed_fingerprint())
    digest.update(_settings(config))
    if config.config_file_path and os.path.isfile(config.config_file_path):
        try:
            digest.update(read_bounded(Path(config.config_file_path), what="settings"))
        except StorybookError:  # MkDocs has read it: it changed since, rebuild everything
            digest.update(os.urandom(16))
    sources = [file.abs_src_path for file in files if file.abs_src_path and not file.generated_by]
    # hooks: in mkdocs.yml, Python files that may change any page
    hooks: Any = config.hooks  # typed as a list, but MkDocs 1.6 gives {name: module}
    modules = hooks.values() if isinstance(hooks, dict) else hooks
    sources += [str(getattr(module, "__file__", "")) for module in modules]
    if config.theme.custom_dir:  # theme overrides (watched with --watch-theme)
        sources += sorted(str(path) for path in Path(config.theme.custom_dir).rglob("*"))
    # Absolute: MkDocs gives some of these paths relative to the working folder on the first
    # load of a run (mkdocs serve -f mkdocs.yml, as the room runs it) and absolute on the
    # next, which rebuilt every page at the first save.
    for source in sorted(os.path.abspath(source) for source in sources if source):
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

"""The MkDocs side of a cheap rebuild under `mkdocs serve`: pages as files, the theme compiled once.

- :class:`PageMirror` writes the rendered pages into a folder of their own, rewriting a
  file only when its text changed. MkDocs then sees which pages changed by their modification
  time, which is what lets `mkdocs serve --dirty` skip the others.
- :class:`ThemeBytecode` keeps the theme's compiled Jinja templates: MkDocs makes a new
  template environment for every rebuild and would compile the theme again each time (and,
  where the site is kept between runs, at every start).

The mirror lives in the served site's folder: in MkDocs' temporary one, or in the one the
storybook keeps between runs (servedir.py), where the next run adopts the files it finds.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
from collections.abc import Mapping
from pathlib import Path

import jinja2

from storybook.core.filemode import write_bytes_atomically


class PageMirror:
    """Rendered pages as files in a folder of their own, rewritten only when they change."""

    def __init__(self) -> None:
        self.root: Path | None = None
        self._written: dict[str, str] = {}
        self._paths: dict[str, Path] = {}

    def write(
        self, pages: Mapping[str, str], root: Path, *, keep: str = ""
    ) -> tuple[dict[str, Path], set[str]]:
        """Mirror ``pages`` (docs-relative path to Markdown) into the folder ``root``.

        Returns the file of each page and which pages changed; files of pages that are no
        longer given are removed, but for those in the folder ``keep`` ("present/": pages
        this build leaves out and a later one makes, see deferred.py).
        """
        if root != self.root:
            self.close()
            self.root = root
            self._adopt(root)
        changed = set()
        for src_uri, content in pages.items():
            if self._written.get(src_uri) != content:
                path = self._paths.get(src_uri) or root / src_uri
                write_bytes_atomically(path, content.encode("utf-8"))
                self._written[src_uri] = content
                self._paths[src_uri] = path
                changed.add(src_uri)
        for src_uri in self._written.keys() - pages.keys():
            if keep and src_uri.startswith(keep):
                continue
            self._paths.pop(src_uri).unlink(missing_ok=True)
            del self._written[src_uri]
        return {src_uri: self._paths[src_uri] for src_uri in pages}, changed

    def _adopt(self, root: Path) -> None:
        """Take the files an earlier run left in ``root`` as written: one whose text is the
        same is not written again, so its page keeps its HTML; the others are replaced or go."""
        if not root.is_dir():
            return
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            if path.name.startswith("."):  # a temporary file of a write that never finished
                path.unlink(missing_ok=True)
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                path.unlink(missing_ok=True)
                continue
            src_uri = path.relative_to(root).as_posix()
            self._written[src_uri] = text
            self._paths[src_uri] = path

    def close(self) -> None:
        """Remove the mirrored files and forget them."""
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
        self.forget()

    def forget(self) -> None:
        """Forget the files but leave them, for the next run to adopt."""
        self.root = None
        self._written.clear()
        self._paths.clear()


class ThemeBytecode(jinja2.BytecodeCache):
    """Compiled templates in memory. Jinja checks each against its template's source, and
    everything is dropped when mkdocs.yml changes (it configures the template environment)."""

    def __init__(self) -> None:
        self._config = b""
        self._code: dict[str, bytes] = {}
        self._folder: Path | None = None  # where they are kept between runs, if anywhere

    def keep_in(self, folder: Path | None) -> None:
        """Also keep them in ``folder`` for the next run (the first pages it renders)."""
        self._folder = folder

    def for_config(self, config_file: bytes) -> ThemeBytecode:
        if config_file != self._config:
            self._config = config_file
            self._code.clear()
        return self

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is None and self._folder is not None:
            try:
                code = self._code[bucket.key] = self._file(bucket.key).read_bytes()
            except OSError:
                return
        if code is not None:
            # Jinja checks the code against its template's source and ignores it if stale.
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code[bucket.key] = bucket.bytecode_to_string()
        if self._folder is not None:
            with contextlib.suppress(OSError):
                write_bytes_atomically(self._file(bucket.key), code)

    def _file(self, key: str) -> Path:
        assert self._folder is not None
        config = hashlib.blake2b(self._config, digest_size=8).hexdigest()
        return self._folder / config / key

"""The MkDocs side of a cheap rebuild under `mkdocs serve`: pages as files, the theme compiled once.

- :class:`PageMirror` writes the rendered pages into a folder of their own, rewriting a
  file only when its text changed. MkDocs then sees which pages changed by their modification
  time, which is what lets `mkdocs serve --dirty` skip the others.
- :class:`ThemeBytecode` keeps the theme's compiled Jinja templates: MkDocs makes a new
  template environment for every rebuild and would compile the theme again each time.

Both live only as long as the `mkdocs serve` process: nothing is written into the project.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import jinja2


class PageMirror:
    """Rendered pages as files in a folder of their own, rewritten only when they change."""

    def __init__(self) -> None:
        self.root: Path | None = None
        self._written: dict[str, str] = {}
        self._paths: dict[str, Path] = {}

    def write(self, pages: Mapping[str, str], root: Path) -> tuple[dict[str, Path], set[str]]:
        """Mirror ``pages`` (docs-relative path to Markdown) into the folder ``root``.

        Returns the file of each page and which pages changed; files of pages that are no
        longer given are removed.
        """
        if root != self.root:
            self.close()
            self.root = root
        changed = set()
        for src_uri, content in pages.items():
            if self._written.get(src_uri) != content:
                path = self._paths.get(src_uri) or root / src_uri
                _write_atomically(path, content)
                self._written[src_uri] = content
                self._paths[src_uri] = path
                changed.add(src_uri)
        for src_uri in self._written.keys() - pages.keys():
            self._paths.pop(src_uri).unlink(missing_ok=True)
            del self._written[src_uri]
        return {src_uri: self._paths[src_uri] for src_uri in pages}, changed

    def close(self) -> None:
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
        self.root = None
        self._written.clear()
        self._paths.clear()


class ThemeBytecode(jinja2.BytecodeCache):
    """Compiled templates in memory. Jinja checks each against its template's source, and
    everything is dropped when mkdocs.yml changes (it configures the template environment)."""

    def __init__(self) -> None:
        self._config = b""
        self._code: dict[str, bytes] = {}

    def for_config(self, config_file: bytes) -> ThemeBytecode:
        if config_file != self._config:
            self._config = config_file
            self._code.clear()
        return self

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def _write_atomically(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""The page templates compiled once, kept on disk between builds.

Compiling the templates was a tenth of the storybook's own work in a build of a hundred
stories, and they rarely change between two builds. Jinja keeps each template's code with a
digest of its source and compiles the template again when the source differs; the folder it
is kept in is named after everything else that shapes the code (the storybook's renderer,
Jinja's and Python's versions and which of the renderer's environments compiled it), so code
compiled for another configuration is never read. The template's source is still read and
checked (values printed inside tags) before its code is looked up: every check still runs.

The folder is the storybook's own (``.cache/storybook/templates/`` beside mkdocs.yml); what
cannot be read or written there is compiled as if there were none.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import sys
from pathlib import Path
from types import CodeType

import jinja2
import jinja2.bccache

from storybook.core.filemode import write_bytes_atomically

IGNORE_EVERYTHING = "# Made by the storybook: compiled templates, kept between builds.\n*\n"
# The most a template's compiled code may weigh (a template is at most as large as a story).
MAX_CODE_BYTES = 8_000_000


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates in ``folder``, under a subfolder named after ``configuration``
    (what, besides a template's source, shapes the code compiled from it)."""

    def __init__(self, folder: Path, configuration: bytes) -> None:
        shape = hashlib.blake2b(digest_size=12)
        for part in (configuration, jinja2.__version__.encode(), sys.version.encode()):
            shape.update(hashlib.blake2b(part).digest())
        self.root = folder
        self.folder = folder / shape.hexdigest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            with (self.folder / bucket.key).open("rb") as stream:
                kept = stream.read(MAX_CODE_BYTES + 1)
        except OSError:
            return
        checksum, _, code = kept.partition(b"\n")
        # Code compiled from another source of the template (it was edited since) is ignored.
        if len(kept) > MAX_CODE_BYTES or checksum != bucket.checksum.encode():
            return
        try:
            loaded = marshal.loads(code)
        except (EOFError, ValueError, TypeError):
            return  # cut short: compiled again
        if isinstance(loaded, CodeType):
            bucket.code = loaded

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is None:
            return
        content = bucket.checksum.encode() + b"\n" + marshal.dumps(bucket.code)
        with contextlib.suppress(OSError):  # a folder that cannot be written: no cache
            # Two builds at once (a room's two editions) never read half a file.
            write_bytes_atomically(self.folder / bucket.key, content)
            ignore = self.root / ".gitignore"
            if not ignore.exists():  # kept out of version control, as pytest keeps its own
                ignore.write_text(IGNORE_EVERYTHING, encoding="utf-8")

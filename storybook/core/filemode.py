"""Files written under a temporary name, then renamed into place, and the mode they get."""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def as_any_new_file(path: Path) -> None:
    """Give ``path`` the mode the trainer's other new files get (their umask): a temporary
    file is made readable by its owner only, and a handout or package on a shared drive or a
    web server must be readable like the rest."""
    os.chmod(path, _new_file_mode())


@functools.cache
def _new_file_mode() -> int:
    # The umask can only be read by setting it: once per process, not for every file the
    # serve mirror writes while the server's other threads may be creating files.
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def written_in_place(
    target: Path, *, replace: bool = True, suffix: str = ".tmp"
) -> Iterator[BinaryIO]:
    """A stream to a temporary file beside ``target`` that takes ``target``'s name, whole, once
    the block ends without an error; on any error ``target`` is left as it was and the
    temporary file is removed. ``replace=False`` never replaces a file: if one appeared
    meanwhile, FileExistsError. The file gets the mode of the trainer's other new files."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".storybook-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        as_any_new_file(Path(temporary))
        if replace:
            os.replace(temporary, target)
        else:
            # link() fails if the target exists, so a file created meanwhile is never replaced.
            os.link(temporary, target)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)


def write_bytes_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` whole or not at all: a reader at the same moment (a
    room's other edition, a server) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with written_in_place(path) as stream:
        stream.write(content)

"""Files written under a temporary name, then renamed into place, and the mode they get."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def as_any_new_file(path: Path) -> None:
    """Give ``path`` the mode the trainer's other new files get (their umask): a temporary
    file is made readable by its owner only, and a handout or package on a shared drive or a
    web server must be readable like the rest."""
    umask = os.umask(0o022)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def write_bytes_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` whole or not at all: a reader at the same moment (a
    room's other edition, a server) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""The mode of a file written under a temporary name, then renamed into place."""

from __future__ import annotations

import os
from pathlib import Path


def as_any_new_file(path: Path) -> None:
    """Give ``path`` the mode the trainer's other new files get (their umask): a temporary
    file is made readable by its owner only, and a handout or package on a shared drive or a
    web server must be readable like the rest."""
    umask = os.umask(0o022)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)

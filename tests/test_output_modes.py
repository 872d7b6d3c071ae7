"""A handout or a package is written under a temporary name (mode 0600), then renamed: it must
end with the mode any new file of the trainer's gets, or nobody else on a shared drive or a web
server can read it (found by hostile2)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .test_package import sample_packages  # noqa: F401  (a fixture)
from .test_pdf import pdfs  # noqa: F401  (a fixture)


def new_file_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def test_pdfs_get_the_mode_of_any_new_file(pdfs: dict[str, Path]) -> None:  # noqa: F811
    for path in pdfs.values():
        assert stat.S_IMODE(path.stat().st_mode) == new_file_mode(), path


def test_packages_get_the_mode_of_any_new_file(
    sample_packages: dict[str, Path],  # noqa: F811
) -> None:
    for path in sample_packages.values():
        assert stat.S_IMODE(path.stat().st_mode) == new_file_mode(), path

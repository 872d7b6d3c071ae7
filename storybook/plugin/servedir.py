"""Where `mkdocs serve --dirty` builds: a folder kept between runs, one per edition.

MkDocs builds a served site into a fresh temporary folder and removes it when serving stops,
so every start built all of it again (half a minute at 1,000 stories). Under ``--dirty`` the
storybook keeps the site in ``.cache/storybook/serve/<edition>/site/`` beside mkdocs.yml
instead; the next start finds it, and the incremental build (incremental.py) rebuilds only
what changed since, before anything is served. What else is kept for the next run (the
validated stories, which hold every field) lies beside ``site/``, never in it: the server
answers for any file in the site folder.

Each edition has its own folder, marked with the edition it holds
(:data:`MARKER`): a folder whose mark names another edition, or that carries no mark, is
never served nor emptied. One server at a time holds a folder (a lock on the file
:data:`LOCK`); a second server of the same edition builds in MkDocs' own temporary folder, as
before. MkDocs keeps serving its temporary folder's path: while serving, that path is a
link to the kept folder, and the link goes when serving stops.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from storybook.core.editions import Edition

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, so no folder kept between runs
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("mkdocs.plugins.storybook")

# Beside mkdocs.yml, where Material's own plugins keep their caches (.cache/plugin/...).
CACHE_FOLDER = Path(".cache") / "storybook"
SERVE_FOLDER = CACHE_FOLDER / "serve"
MARKER = ".storybook-serve.json"
SITE = "site"
LOCK = ".storybook-serve.lock"
FORMAT = 1
# Turns the kept folder off: every start builds afresh in a temporary folder, as MkDocs does.
KEEP_VARIABLE = "STORYBOOK_SERVE_CACHE"


@dataclass
class KeptSite:
    """The kept folder one `mkdocs serve` builds into, held until :meth:`release`."""

    folder: Path
    edition: str  # the name of the only edition it holds
    link: Path  # MkDocs' temporary folder, now a link to ``site``
    lock: IO[bytes]
    reused: bool  # it held a site from an earlier run

    @property
    def site(self) -> Path:
        """The site itself, served: nothing else goes in it."""
        return self.folder / SITE

    def empty(self) -> None:
        """Remove everything the folder holds but its mark and lock: the next run builds afresh."""
        for entry in self.folder.iterdir():
            if entry.name in (MARKER, LOCK):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()

    def release(self) -> None:
        """Undo the link (MkDocs then finds no temporary folder to remove) and let go of the
        folder for the next server."""
        try:
            if self.link.is_symlink():
                self.link.unlink()
        finally:
            self.lock.close()


def serve_folder(project: Path, edition: Edition) -> Path:
    return project / SERVE_FOLDER / edition.name


def keep_site(site_dir: Path, project: Path, edition: Edition) -> KeptSite | None:
    """Serve from the kept folder of ``edition``: link MkDocs' empty temporary folder
    ``site_dir`` to it. None (MkDocs' temporary folder is used, as before) when it cannot be
    kept: turned off, another server holds it, a folder there is not the storybook's, or
    the system cannot link or lock."""
    if os.environ.get(KEEP_VARIABLE, "").lower() in ("off", "false", "0", "no"):
        return None
    if fcntl is None or not _is_mkdocs_temporary(site_dir):
        return None
    folder = serve_folder(project.resolve(), edition)
    try:
        return _claim(folder, site_dir, edition)
    except OSError as exc:
        log.info(f"The site is built afresh, as {folder} cannot be used ({exc})")
        return None


def _claim(folder: Path, site_dir: Path, edition: Edition) -> KeptSite | None:
    occupied = folder.is_dir() and any(folder.iterdir())
    if occupied and _mark_of(folder) != {"edition": edition.name, "format": FORMAT}:
        log.warning(
            f"{folder} is not a site the storybook kept for the {edition.name} edition, so it "
            "is left alone and this server builds afresh - delete that folder to keep the "
            "site between runs again"
        )
        return None
    reused = (folder / SITE).is_dir() and any((folder / SITE).iterdir())
    _make_cache_folder(folder.parent.parent)
    (folder / SITE).mkdir(parents=True, exist_ok=True)
    lock = (folder / LOCK).open("ab")
    try:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        log.info(
            f"Another server of the {edition.name} edition is using {folder}, "
            "so this one builds the whole site afresh"
        )
        return None
    try:
        (folder / MARKER).write_text(
            json.dumps({"edition": edition.name, "format": FORMAT}), encoding="utf-8"
        )
        site_dir.rmdir()  # MkDocs' empty temporary folder; its path becomes the link
        site_dir.symlink_to(folder / SITE, target_is_directory=True)
    except OSError:
        if not site_dir.exists():
            site_dir.mkdir()
        lock.close()
        raise
    if reused:
        log.info(f"Reusing the site kept in {folder}: only what changed since is rebuilt")
    return KeptSite(folder, edition.name, site_dir, lock, reused)


def _is_mkdocs_temporary(site_dir: Path) -> bool:
    """The empty folder `mkdocs serve` made for this run (tempfile.mkdtemp(prefix="mkdocs_"))."""
    return (
        site_dir.name.startswith("mkdocs_")
        and site_dir.parent == Path(tempfile.gettempdir())
        and site_dir.is_dir()
        and not site_dir.is_symlink()
        and not any(site_dir.iterdir())
    )


def _mark_of(folder: Path) -> object:
    try:
        return json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _make_cache_folder(cache: Path) -> None:
    """The storybook's cache folder, kept out of version control as pytest keeps its own."""
    cache.mkdir(parents=True, exist_ok=True)
    ignore = cache / ".gitignore"
    if not ignore.exists():
        ignore.write_text(
            "# Made by the storybook: sites kept between runs of mkdocs serve.\n*\n",
            encoding="utf-8",
        )

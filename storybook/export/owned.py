"""Write a set of files into a folder, owning only what was written there before.

A manifest in the folder records every file written, with its SHA-256. The next write
replaces or removes a file only while it still has that hash: a file someone changed or
added in the folder is kept, never overwritten or deleted, and named in a warning.
Every file is written completely or not at all (a temporary file, then a rename).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from storybook.core.editions import Edition
from storybook.core.errors import OwnedFolderError, Problem
from storybook.core.filemode import written_in_place

MANIFEST = ".storybook-export.json"
_NOT_WRITTEN_HINT = "free some space, or check that you may write in that folder, then export again"


@dataclass
class WriteReport:
    """What a write did, file by file (paths relative to the folder), and what it kept."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Files that should have been written and could not be (a full disk, a linked folder):
    # the export is incomplete, and says which, as problems at those files.
    failed: list[Problem] = field(default_factory=list)


def write_owned_files(
    out: Path, files: dict[str, bytes], *, written_by: str, edition: Edition | None = None
) -> WriteReport:
    """Make ``out`` hold ``files`` ({posix path: content}) without touching what is not ours.

    A folder remembers the ``edition`` written into it: another edition is refused, so that
    a learner export never gets a facilitator export's pages mixed in, nor the other way."""
    old = read_manifest(out)
    before = _manifest_edition(out)
    name = edition.name if edition is not None else None
    if name is not None and before is not None and before != name:
        raise OwnedFolderError(
            out,
            f"this folder holds an export of the {before} edition, not the {name} edition",
            f"export the {name} edition into a folder of its own, e.g. export-{name}/",
            line=0,
        )
    report = WriteReport()
    manifest: dict[str, str] = {}
    for rel, data in sorted(files.items()):
        _put(out, rel, data, old.get(rel), report, manifest)
    for rel, digest in sorted(old.items()):
        if rel not in files:
            _take_away(out, rel, digest, report, manifest)
    if not _write(
        out / MANIFEST, _manifest_text(manifest, written_by, name), replace=True, report=report
    ):
        report.failed.append(
            Problem(
                out / MANIFEST,
                0,
                "not written, so the next export cannot tell which files it wrote",
                _NOT_WRITTEN_HINT,
            )
        )
    return report


def _put(
    out: Path,
    rel: str,
    data: bytes,
    owned: str | None,
    report: WriteReport,
    manifest: dict[str, str],
) -> None:
    """Write one file if it is ours to write (``owned``: its hash when the last export wrote it)."""
    target = out / rel
    digest = _sha256(data)
    linked = _linked_folder(out, target)
    if linked is not None:
        report.failed.append(
            Problem(
                target,
                0,
                f"not written: {linked} is a link to another folder, and the export never "
                "writes through one",
                "replace the link with a plain folder, then export again",
            )
        )
        return
    state = _state(target)
    if state == "missing":
        if _write(target, data, replace=False, report=report):
            report.written.append(rel)
            manifest[rel] = digest
        return
    if state != "file":
        report.warnings.append(f"{target}: kept - it is not a plain file, so it was not written")
        return
    current = _sha256(target.read_bytes())
    if current == digest:
        # Already exactly what we would write: ours from now on, nothing is lost either way.
        report.unchanged.append(rel)
        manifest[rel] = digest
    elif owned == current:
        if _write(target, data, replace=True, report=report):
            report.written.append(rel)
            manifest[rel] = digest
        else:
            manifest[rel] = current
    elif owned is not None:
        manifest[rel] = owned
        report.warnings.append(
            f"{target}: kept - it was changed after the last export, so the new version was "
            "not written; delete it and export again to get the new version"
        )
    else:
        report.warnings.append(
            f"{target}: kept - this file was not written by storybook export, so it was not "
            "replaced; move it away and export again to get the storybook's version"
        )


def _take_away(
    out: Path, rel: str, digest: str, report: WriteReport, manifest: dict[str, str]
) -> None:
    """Remove a file the last export wrote and this one does not, unless it was changed."""
    target = out / rel
    state = _state(target)
    if state == "missing":
        return
    if state == "file" and _sha256(target.read_bytes()) == digest:
        target.unlink()
        _remove_empty_parents(target.parent, out)
        report.removed.append(rel)
        return
    manifest[rel] = digest
    report.warnings.append(
        f"{target}: kept - the export no longer has this file (for a page: its story was "
        "removed or made a draft), but it was changed after the last export; it stays part of "
        "the site until you delete it"
    )


def read_manifest(out: Path) -> dict[str, str]:
    """{path: sha256} of the last write into ``out``; {} for a new or empty folder."""
    path = out / MANIFEST
    if not path.exists():
        if out.exists() and not out.is_dir():
            raise OwnedFolderError(
                out, "this is a file, not a folder", "choose a folder to export to", line=0
            )
        if out.is_dir() and any(out.iterdir()):
            raise OwnedFolderError(
                out,
                "this folder is not empty and no storybook export was written into it "
                f"(there is no {MANIFEST})",
                "choose a new or empty folder",
                line=0,
            )
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        if not isinstance(files, dict):
            raise TypeError("'files' is not a mapping")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise OwnedFolderError(
            path,
            f"cannot be read ({exc}); it lists what the last export wrote",
            "restore it, or export into a new folder",
        ) from None
    return {
        str(rel): str(digest)
        for rel, digest in files.items()
        if _safe_relative(str(rel)) and str(rel) != MANIFEST
    }


def _manifest_edition(out: Path) -> str | None:
    try:
        edition = json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("edition")
    except (OSError, ValueError, AttributeError):
        return None
    return edition if isinstance(edition, str) else None


def _manifest_text(files: dict[str, str], written_by: str, edition: str | None = None) -> bytes:
    data: dict[str, object] = {
        "written_by": written_by,
        **({"edition": edition} if edition else {}),
        "about": "Files written here, with their SHA-256. The next export replaces or removes "
        "a file only while its content still has this hash; it keeps every other file.",
        "files": dict(sorted(files.items())),
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _safe_relative(rel: str) -> bool:
    """A manifest entry must stay inside the folder, whatever the file says."""
    path = PurePosixPath(rel)
    return bool(rel) and not path.is_absolute() and ".." not in path.parts and "\\" not in rel


def _state(path: Path) -> str:
    if path.is_symlink():
        return "other"
    if not path.exists():
        return "missing"
    return "file" if path.is_file() else "other"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write(target: Path, data: bytes, *, replace: bool, report: WriteReport) -> bool:
    """Write ``target`` completely or not at all; never replace a file unless ``replace``."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with written_in_place(target, replace=replace) as stream:
            stream.write(data)
    except FileExistsError:
        report.warnings.append(
            f"{target}: kept - it appeared while exporting, so it was not written"
        )
        return False
    except OSError as exc:
        report.failed.append(
            Problem(target, 0, f"not written ({exc.strerror or exc})", _NOT_WRITTEN_HINT)
        )
        return False
    return True


def _linked_folder(out: Path, target: Path) -> Path | None:
    """The first folder between ``out`` and ``target`` that is a symbolic link, if any."""
    for folder in reversed(target.relative_to(out).parents):
        if folder != Path(".") and (out / folder).is_symlink():
            return out / folder
    return None


def _remove_empty_parents(folder: Path, out: Path) -> None:
    while folder != out and out in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent

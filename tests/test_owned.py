from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from storybook.core.errors import OwnedFolderError
from storybook.export.owned import MANIFEST, write_owned_files


def write(out: Path, files: dict[str, bytes]) -> list[str]:
    return write_owned_files(out, files, written_by="test").warnings


def test_files_are_written_whole_readable_and_listed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = write_owned_files(out, {"a.md": b"A", "sub/b.md": b"B"}, written_by="test")
    assert report.written == ["a.md", "sub/b.md"] and not report.warnings
    assert (out / "sub" / "b.md").read_bytes() == b"B"
    mask = os.umask(0)
    os.umask(mask)
    assert (out / "a.md").stat().st_mode & 0o777 == 0o666 & ~mask
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {"a.md", "sub/b.md"}
    assert not list(out.rglob("*.tmp")), "no temporary file is left behind"


def test_only_unchanged_own_files_are_replaced_or_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, {"same.md": b"1", "update.md": b"1", "gone.md": b"1", "dir/gone.md": b"1"})
    (out / "mine.md").write_bytes(b"mine")
    report = write_owned_files(out, {"same.md": b"1", "update.md": b"2"}, written_by="test")
    assert report.unchanged == ["same.md"] and report.written == ["update.md"]
    assert sorted(report.removed) == ["dir/gone.md", "gone.md"]
    assert not (out / "dir").exists(), "an emptied folder is removed"
    assert (out / "mine.md").read_bytes() == b"mine"


def test_symlinks_and_foreign_manifest_entries_are_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    outside = tmp_path / "outside.md"
    outside.write_bytes(b"precious")
    write(out, {"a.md": b"A"})
    (out / "a.md").unlink()
    (out / "a.md").symlink_to(outside)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    # Even with the right hash, a path leaving the folder is never touched.
    manifest["files"]["../outside.md"] = hashlib.sha256(b"precious").hexdigest()
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    warnings = write(out, {"a.md": b"new"})
    assert any("not a plain file" in warning for warning in warnings)
    assert outside.read_bytes() == b"precious"
    assert (out / "a.md").is_symlink()


def test_a_folder_with_other_files_but_no_manifest_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    with pytest.raises(OwnedFolderError, match="not empty"):
        write(tmp_path, {"a.md": b"A"})
    assert not (tmp_path / "a.md").exists()


def test_the_export_never_writes_through_a_linked_folder(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    write_owned_files(out, {"docs/index.md": b"Home"}, written_by="test")
    (out / "docs" / "stories").symlink_to(elsewhere, target_is_directory=True)
    report = write_owned_files(
        out, {"docs/index.md": b"Home", "docs/stories/one.md": b"One"}, written_by="test"
    )
    assert list(elsewhere.iterdir()) == []
    assert len(report.failed) == 1 and "is a link to another folder" in report.failed[0].message

"""Files written whole under a temporary name, then renamed into place (core/filemode.py)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from storybook.core.filemode import write_bytes_atomically, written_in_place


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_a_written_file_takes_its_name_whole_with_the_mode_of_any_new_file(tmp_path: Path) -> None:
    target = tmp_path / "handout.pdf"
    with written_in_place(target, suffix=".pdf") as stream:
        stream.write(b"first half ")
        assert not target.exists()
        stream.write(b"second half")
    assert target.read_bytes() == b"first half second half"
    assert _mode(target) == 0o666 & ~_umask()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handout.pdf"]


def test_an_error_while_writing_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "story.md"
    target.write_text("what the trainer wrote", encoding="utf-8")
    with pytest.raises(RuntimeError), written_in_place(target) as stream:
        stream.write(b"half of the new")
        raise RuntimeError("the disk filled up")
    assert target.read_text(encoding="utf-8") == "what the trainer wrote"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.md"]


def test_a_file_that_must_be_new_never_replaces_one_that_appeared(tmp_path: Path) -> None:
    target = tmp_path / "new-story.md"
    with pytest.raises(FileExistsError), written_in_place(target, replace=False) as stream:
        stream.write(b"the command's draft")
        target.write_text("the trainer's story, saved meanwhile", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "the trainer's story, saved meanwhile"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new-story.md"]


def test_bytes_written_atomically_replace_the_file_and_make_its_folder(tmp_path: Path) -> None:
    target = tmp_path / "cache" / "page.html"
    write_bytes_atomically(target, b"old")
    write_bytes_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["page.html"]

"""The one error type for trainers' mistakes: a file, a line, what is wrong, how to fix it."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One mistake in a file a trainer wrote, reported as ``path:line: message (hint)``."""

    path: Path
    line: int
    message: str
    hint: str = ""
    # It may quote facilitator-only material or a draft: learners see its file and line only.
    private: bool = False

    def display_path(self, root: Path | None = None) -> str:
        if root is not None:
            # As written first (a link is named as the link, not what it leads to).
            for path, base in (
                (Path(os.path.abspath(self.path)), Path(os.path.abspath(root))),
                (self.path.resolve(), root.resolve()),
            ):
                try:
                    return path.relative_to(base).as_posix()
                except ValueError:
                    pass
        return self.path.as_posix()

    def format(self, root: Path | None = None) -> str:
        # Line 0: a problem with a command or a folder as a whole, not a line of a file.
        where = f"{self.display_path(root)}:{self.line}" if self.line else self.display_path(root)
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" - {self.hint}"
        return text


class StorybookError(Exception):
    """Raised with every problem found, so a trainer can fix them all in one go."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(problems, key=lambda p: (str(p.path), p.line))
        super().__init__(self.format())

    def format(self, root: Path | None = None) -> str:
        return "\n".join(problem.format(root) for problem in self.problems)

    def summary(self) -> str:
        """How many problems in how many files, said after (or before) the list of them."""
        files = {problem.path for problem in self.problems}
        return f"{len(self.problems)} problem(s) in {len(files)} file(s)."


def problem(path: Path, message: str, hint: str = "", *, line: int = 1) -> StorybookError:
    """One problem as an error to raise: ``raise problem(path, "what", "how to fix")``."""
    return StorybookError([Problem(path, line, message, hint)])


class ExportError(StorybookError):
    """`storybook export` cannot run as asked: a problem at the file or folder it names."""

    def __init__(self, path: Path, message: str, hint: str = "", *, line: int = 1) -> None:
        super().__init__([Problem(path, line, message, hint)])


class OwnedFolderError(ExportError):
    """The export's folder cannot be written safely: a problem at that folder."""


class RoomError(StorybookError):
    """The room cannot start: a problem at mkdocs.yml or the option that stops it."""

    def __init__(self, path: Path, message: str, hint: str = "", *, line: int = 1) -> None:
        super().__init__([Problem(path, line, message, hint)])

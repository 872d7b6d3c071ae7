"""The one error type for trainers' mistakes: a file, a line, what is wrong, how to fix it."""

from __future__ import annotations

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

    def display_path(self, root: Path | None = None) -> str:
        if root is not None:
            try:
                return self.path.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                pass
        return self.path.as_posix()

    def format(self, root: Path | None = None) -> str:
        text = f"{self.display_path(root)}:{self.line}: {self.message}"
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

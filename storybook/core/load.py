"""Step 1: read story files and split them into front matter and body."""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from storybook.core.errors import Problem, StorybookError
from storybook.core.yamlfile import Located, parse_yaml

FENCE = "---"
# A line that closes the front matter: --- and nothing after it but spaces (as str.rstrip
# takes them off: re's \s is str.isspace).
_CLOSING_FENCE = re.compile(r"^---[^\S\n]*$", re.MULTILINE)
MAX_STORY_BYTES = 2_000_000
# A hand-written page in docs/, read by the storybook as MkDocs reads it.
MAX_PAGE_BYTES = MAX_STORY_BYTES


@dataclass(frozen=True)
class SourceStory:
    """A story file as written: parsed front matter (with lines) and the untouched body."""

    path: Path
    front: Located
    body: str
    body_line: int


def read_text(path: Path, *, what: str = "story") -> str:
    """Read a trainer's file as UTF-8, accepting a byte-order mark and Windows line endings.

    UTF-16 with a byte-order mark (Notepad's "Unicode") is unambiguous, so it is read too;
    any other encoding is refused with a message naming it, never guessed into garbage.
    ``what`` names the file in messages: a story, a path, a workshop.
    """
    raw = read_bounded(path, MAX_STORY_BYTES, what=what)
    try:
        text = _decode(raw)
    except UnicodeDecodeError as exc:
        raise StorybookError([encoding_problem(path, raw, exc, what=what)]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _open_for_reading(path: Path) -> int:
    # Not blocking: a FIFO (a named pipe) opens at once, to be refused as not a plain file,
    # where an ordinary open would wait for a writer forever.
    return os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))


def read_bounded(path: Path, limit: int = MAX_STORY_BYTES, *, what: str = "story") -> bytes:
    """The bytes of a plain file of at most ``limit`` bytes; never more than ``limit`` + 1 of
    them are read, whatever the file claims. Anything else (too large, a folder, a FIFO, a
    file that cannot be opened) is a StorybookError at the file, never a traceback."""
    try:
        handle = _open_for_reading(path)
        try:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode):
                raise _not_a_file(path, what)
            # Refused by its size before it is read: a 3 GB file must not be read whole.
            if info.st_size > limit:
                raise _too_large(path, info.st_size, limit, what)
            raw = _read_at_most(handle, limit + 1)
        finally:
            os.close(handle)
    except OSError as exc:
        raise StorybookError(
            [
                Problem(
                    path,
                    1,
                    f"cannot read this file ({exc.strerror or exc})",
                    "check that it is a file you may open, then save it again",
                )
            ]
        ) from None
    if len(raw) > limit:  # it grew while being read
        raise _too_large(path, len(raw), limit, what)
    return raw


def _read_at_most(handle: int, size: int) -> bytes:
    chunks: list[bytes] = []
    while size > 0:
        chunk = os.read(handle, min(size, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def peek_text(path: Path, limit: int = MAX_STORY_BYTES) -> str | None:
    """A file's text for a second look (its line numbers, a draft: line), or None when it
    cannot be read within ``limit``: its reader has already said why."""
    try:
        return read_bounded(path, limit).decode("utf-8", errors="replace")
    except StorybookError:
        return None


def _not_a_file(path: Path, what: str) -> StorybookError:
    kind = "a folder" if path.is_dir() else "not a plain file"
    return StorybookError(
        [
            Problem(
                path,
                1,
                f"this is {kind}, where a {what} file should be",
                f"replace it with the {what} saved as a normal file",
            )
        ]
    )


def _too_large(path: Path, size: int, limit: int, what: str) -> StorybookError:
    kind = "story" if what == "story" else f"{what} file"
    return StorybookError(
        [
            Problem(
                path,
                1,
                f"this file is {size // 1000:,} kB, more than the {_size(limit)} a {kind} may have",
                "split it into several stories" if what == "story" else "make it smaller",
            )
        ]
    )


def _size(limit: int) -> str:
    return f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit // 1000} kB"


def _decode(raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")


def encoding_problem(
    path: Path, raw: bytes, exc: UnicodeDecodeError, *, what: str = "story"
) -> Problem:
    line = raw.count(b"\n", 0, exc.start) + 1
    hint = "save it again choosing the UTF-8 encoding in your editor"
    if b"\x00" in raw[:4096]:
        return Problem(
            path,
            1,
            "this is not a plain text file (it may be a word-processor document)",
            f"save the {what} as plain text with the UTF-8 encoding, ending in "
            f"{path.suffix or '.md'}",
        )
    byte = raw[exc.start : exc.start + 1]
    try:
        legacy = byte.decode("cp1252")
    except UnicodeDecodeError:
        return Problem(
            path,
            line,
            f"this file is not saved as UTF-8 (byte 0x{byte[0]:02x} cannot be read)",
            hint,
        )
    return Problem(
        path,
        line,
        f"this file is not saved as UTF-8 but in an older encoding such as Windows-1252 "
        f"(byte 0x{byte[0]:02x} would be '{legacy}' there)",
        hint,
    )


def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """Return (front matter, body, line where the body starts)."""
    if not text.strip():
        raise _empty(path)
    # Blank lines before the opening --- are harmless; skip them rather than refuse the story:
    # the first line with anything on it holds the text's first sign that is not a space (a
    # blank line at a time cost a step each: two million of them took twice the split's time).
    first = len(text) - len(text.lstrip())
    position = text.rfind("\n", 0, first) + 1
    end = text.find("\n", position)
    start = text.count("\n", 0, position)
    if (text[position:] if end < 0 else text[position:end]).rstrip() != FENCE:
        raise _no_front_matter(path, start)
    # Straight to the closing line, the body then taken whole: splitting every line of a story
    # and joining the body's again was most of the cost of this (and looking at each line
    # that starts with --- in turn, a step each for a story that rules its scenes off).
    closing = _CLOSING_FENCE.search(text, end + 1) if end >= 0 else None
    if closing is None:
        raise _never_closed(path, start)
    # Padded with the skipped blank lines, so YAML's line numbers stay file lines.
    front = "\n" * start + text[end + 1 : closing.start() - 1]
    return front, text[closing.end() + 1 :], text.count("\n", 0, closing.start()) + 2


def _split_front_matter_slowly(text: str, path: Path) -> tuple[str, str, int]:
    """What :func:`split_front_matter` gives, every line of the file split apart (tests
    compare the two)."""
    lines = text.split("\n")
    if not text.strip():
        raise _empty(path)
    start = next(index for index, line in enumerate(lines) if line.strip())
    if lines[start].rstrip() != FENCE:
        raise _no_front_matter(path, start)
    for index in range(start + 1, len(lines)):
        if lines[index].rstrip() == FENCE:
            front = "\n" * start + "\n".join(lines[start + 1 : index])
            body = "\n".join(lines[index + 1 :])
            return front, body, index + 2
    raise _never_closed(path, start)


def _empty(path: Path) -> StorybookError:
    return StorybookError(
        [
            Problem(
                path,
                1,
                "this file is empty",
                "write the front matter and the story (storybook new makes a start), "
                "or delete the file",
            )
        ]
    )


def _no_front_matter(path: Path, start: int) -> StorybookError:
    return StorybookError(
        [
            Problem(
                path,
                start + 1,
                "a story must start with front matter: a line with just ---",
                "put ---, then the fields (title:, summary:, tags:, reflection:), then --- again",
            )
        ]
    )


def _never_closed(path: Path, start: int) -> StorybookError:
    return StorybookError(
        [
            Problem(
                path,
                start + 1,
                "the front matter opened with --- on this line is never closed",
                "add a line with just --- after the last field, before the story text",
            )
        ]
    )


def load_story(path: Path) -> SourceStory:
    text = read_text(path)
    front_text, body, body_line = split_front_matter(text, path)
    front = parse_yaml(front_text, path, first_line=2)
    return SourceStory(path=path, front=front, body=body, body_line=body_line)


def find_story_files(stories_dir: Path) -> list[Path]:
    """Every ``*.md`` below ``stories_dir``, in a stable order; files starting with _ are skipped."""
    return scan_stories_folder(stories_dir)[0]


_LOOKS_LIKE_MARKDOWN = (".markdown", ".mdown", ".mkd", ".mkdn", ".txt")


def scan_stories_folder(stories_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The story files below ``stories_dir`` (``*.md``, in a stable order, none starting with
    . or _), and a problem for each file that looks meant as a story but is not read as one:
    a wrong ending (Story.MD, x.markdown, x.md.txt), a link leading nowhere, something that
    is not a plain file. Pictures and the like are left alone. One walk of the folder."""
    stories: list[Path] = []
    problems: list[Problem] = []
    for folder, subfolders, names in os.walk(stories_dir):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith((".", "_")))
        for name in names:
            if name.startswith((".", "_")):
                continue
            path = Path(folder, name)
            kind = _kind(path)
            if kind == "dangling":
                problems.append(
                    Problem(
                        path, 0, "this link leads to no file", "delete it, or link to a story file"
                    )
                )
            elif name.endswith(".md"):
                if kind == "file":
                    stories.append(path)
                else:
                    problems.append(
                        Problem(
                            path, 0, "this is not a plain file", "save the story as a normal file"
                        )
                    )
            elif kind == "file" and _meant_as_story(name):
                stem = name[: name.lower().find(".md")] if ".md" in name.lower() else path.stem
                problems.append(
                    Problem(
                        path,
                        0,
                        "this file is not read as a story: story files end in .md",
                        f"rename it to {stem}.md, or move it out of the stories folder",
                    )
                )
    return sorted(stories), problems


def _kind(path: Path) -> str:
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "dangling" if os.path.islink(path) else "gone"
    except OSError:
        return "other"
    return "file" if stat.S_ISREG(mode) else "other"


def _meant_as_story(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(".md") or ".md." in lower or lower.endswith(_LOOKS_LIKE_MARKDOWN)

"""`storybook init DIR`: a new storybook that checks, serves and builds as it is.

It writes a ``mkdocs.yml``, one example story, ``paths/`` and ``workshops/`` with an example
each (named ``_example.yml``, which is never read, so never published), an about page, a
short README for the trainer and a ``.gitignore``; with ``sample`` the repository's sample
library instead of the example. It never writes the templates or the tag vocabulary: those
come from the package, so a newer package brings its improvements to every template the
storybook has not copied to change.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2

from storybook.core.errors import Problem, StorybookError

HERE = Path(__file__).resolve().parent
# What every new storybook is made of; *.j2 files are rendered, the rest copied as they are.
STARTER = HERE / "starter"
# The sample library: stories, workshops and paths. In the repository these are links to its
# own folders, which an editable install reads; building a wheel follows the links, so the
# wheel holds copies and an installed package reads nothing of the repository.
SAMPLE = HERE / "sample"
SAMPLE_FOLDERS = ("stories", "workshops", "paths")
# The starter's folders the sample library replaces.
EXAMPLE_FOLDERS = SAMPLE_FOLDERS
# setuptools' package-data patterns pass over names that start with a dot: it ships renamed.
RENAMED = {"gitignore": ".gitignore"}
TEMPLATE_SUFFIX = ".j2"
# A folder holding only these may still become a storybook: `git init` first is common.
ALLOWED_ALREADY = frozenset({".git"})
DEFAULT_SITE_NAME = "Leadership storybook"


class IncompleteStorybook(StorybookError):
    """Some files were written, and these could not be: the storybook is not complete."""


@dataclass(frozen=True)
class Planned:
    """One file of the new storybook: where it goes and what it holds."""

    target: Path
    content: bytes


def init_storybook(
    folder: Path, *, sample: bool = False, site_name: str | None = None
) -> list[Path]:
    """Write a new storybook into ``folder`` (made if missing) and return the files written.

    Refuses a folder that already holds anything, and never replaces a file: a file that
    appears while it writes is left as it is and named as a problem."""
    refuse_unless_empty(folder)
    name = site_name.strip() if site_name and site_name.strip() else site_name_for(folder)
    planned = list(plan_files(folder, sample=sample, site_name=name))
    return write_all(planned)


def refuse_unless_empty(folder: Path) -> None:
    if folder.is_symlink() and not folder.exists():
        raise StorybookError(
            [
                Problem(
                    folder,
                    0,
                    f"is a link to {os.readlink(folder)}, which is not there",
                    "create the folder it points to, or name a new or empty folder",
                )
            ]
        )
    if folder.exists() and not folder.is_dir():
        raise StorybookError(
            [Problem(folder, 0, "this is a file, not a folder", "name a new or empty folder")]
        )
    if not folder.is_dir():
        return
    held = sorted(entry.name for entry in folder.iterdir() if entry.name not in ALLOWED_ALREADY)
    if held:
        shown = _listed(held[:5] + ([f"{len(held) - 5} more"] if len(held) > 5 else []))
        raise StorybookError(
            [
                Problem(
                    folder,
                    0,
                    f"the folder is not empty (it holds {shown}), and init never writes over "
                    "anything",
                    "name a new or empty folder, e.g. storybook init my-storybook",
                )
            ]
        )


def _listed(names: list[str]) -> str:
    """``a, b and c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def site_name_for(folder: Path) -> str:
    """The site's name made from the folder's: ``team-stories`` becomes "Team stories"."""
    words = re.sub(r"[-_.\s]+", " ", folder.resolve().name).strip()
    return words[:1].upper() + words[1:] if words else DEFAULT_SITE_NAME


def plan_files(folder: Path, *, sample: bool, site_name: str) -> Iterator[Planned]:
    """Every file of the new storybook, starter first, then the sample library if asked."""
    render = _renderer()
    for source in _files_below(STARTER):
        relative = source.relative_to(STARTER)
        if sample and relative.parts[0] in EXAMPLE_FOLDERS:
            continue
        parts = [*relative.parts[:-1], RENAMED.get(relative.name, relative.name)]
        if source.suffix == TEMPLATE_SUFFIX:
            parts[-1] = parts[-1].removesuffix(TEMPLATE_SUFFIX)
            text = render.get_template(relative.as_posix()).render(
                site_name=site_name, sample=sample
            )
            yield Planned(folder.joinpath(*parts), text.encode("utf-8"))
        else:
            yield Planned(folder.joinpath(*parts), source.read_bytes())
    if sample:
        for name in SAMPLE_FOLDERS:
            for source in _files_below(SAMPLE / name):
                relative = source.relative_to(SAMPLE)
                yield Planned(folder / relative, source.read_bytes())


def _files_below(root: Path) -> list[Path]:
    """The files below ``root``, which may itself be a link to a folder (the sample's are, in
    the repository)."""
    if not root.is_dir():
        raise RuntimeError(f"the package is incomplete: {root} is missing; reinstall it")
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


def _renderer() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(STARTER),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    # A JSON string is a YAML double-quoted string: any site name is written safely.
    environment.filters["yaml_text"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    return environment


def write_all(planned: list[Planned]) -> list[Path]:
    """Write every file that is not there yet; name every one that could not be written."""
    written: list[Path] = []
    problems: list[Problem] = []
    for item in planned:
        try:
            item.target.parent.mkdir(parents=True, exist_ok=True)
            # "x": a file that appeared meanwhile is never replaced.
            with item.target.open("xb") as stream:
                stream.write(item.content)
        except FileExistsError:
            problems.append(
                Problem(item.target, 0, "appeared while init was writing", "it was left as it is")
            )
        except OSError as exc:
            problems.append(
                Problem(
                    item.target,
                    0,
                    f"could not be written ({exc.strerror or exc})",
                    "check that you may write in this folder and that there is space",
                )
            )
        else:
            written.append(item.target)
    if problems:
        raise IncompleteStorybook(problems)
    return written

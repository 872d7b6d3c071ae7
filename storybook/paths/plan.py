"""Learning paths: ``paths/*.yml`` files, each an ordered list of stories with why to read each.

A path has a title, an optional summary and steps; each step names a published story (by
slug), says in a sentence why it comes here, and may give the week to read it in. Every
mistake is a :class:`Problem` at the file and line, like a story's or a workshop's.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storybook.core import fields as f
from storybook.core.editions import LEARNER_EDITION
from storybook.core.errors import Problem, StorybookError
from storybook.core.fields import SLUG, Cursor, FieldSpec, slugify
from storybook.core.load import read_text
from storybook.core.model import Story
from storybook.core.placeholders import LEARNING_PATH, placeholder_problems
from storybook.core.yamlfile import Located, parse_yaml

PATHS_FOLDER = "paths"
SUFFIX = ".yml"
PATHS_INDEX = "paths/index.md"
MAX_WEEK = 104


def _story(value: object, cursor: Cursor) -> str | None:
    if not isinstance(value, str) or not SLUG.match(value):
        cursor.report(
            f"'{value}' is not a story slug",
            "name a story by its file name without .md, e.g. - story: the-friday-rota",
        )
        return None
    return value


def _week(value: object, cursor: Cursor) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_WEEK:
        cursor.report(
            f"week must be a whole number from 1 to {MAX_WEEK}", f"write e.g. {cursor.name}: 2"
        )
        return None
    return value


STEP_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "story",
        _story,
        kind="story slug",
        description="A published story, by its file name without .md (or its slug: field).",
        example="- story: the-friday-rota",
        required=True,
        # Shown as the story it names: its title, summary, slug and page (see path_view).
        view=None,
    ),
    FieldSpec(
        "why",
        f.text,
        kind="text",
        description="One sentence on why this story comes at this point of the path.",
        example='why: "Your first weeks with former peers."',
    ),
    FieldSpec(
        "week",
        _week,
        kind="whole number",
        description=f"The week (1 to {MAX_WEEK}) in which to read it.",
        example="week: 2",
    ),
)


def _step(value: object, cursor: Cursor) -> Step | None:
    index = cursor.keys[-1]
    number = f"step {index + 1}" if isinstance(index, int) else cursor.label
    cursor = Cursor(cursor.path, cursor.located, cursor.problems, cursor.keys, number)
    before = len(cursor.problems)
    values = f.read_fields(
        value,
        STEP_FIELDS,
        cursor,
        what=number,
        start_hint='write it as - story: slug, then why: "..." below it',
    )
    if values is None or len(cursor.problems) > before:
        return None
    return Step(
        values["story"],
        cursor.located.line(*cursor.keys, "story"),
        values["why"] or "",
        values["week"],
        more=f.kept_apart(values, Step),
    )


PATH_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "title",
        f.text,
        kind="text",
        description="The path's title.",
        example='title: "Your first 90 days"',
        required=True,
    ),
    FieldSpec(
        "summary",
        f.text,
        kind="text",
        description="One or two sentences: who the path is for and where it leads.",
        example='summary: "Six stories for the first three months in charge."',
    ),
    FieldSpec(
        "steps",
        f.list_of(
            _step, noun="steps", hint="write one '- story: slug' line per story, in reading order"
        ),
        kind="list of steps",
        description="The stories in the order to read them.",
        example='steps:\n  - story: the-friday-rota\n    why: "Your first weeks with former peers."',
        required=True,
        # Each step is shown through its own fields (see path_view).
        view=None,
    ),
)


@dataclass(frozen=True)
class Step:
    story: str
    line: int
    why: str = ""
    week: int | None = None
    # Every other field that is set, by name, as its spec read it.
    more: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class LearningPath:
    path: Path
    name: str
    title: str
    steps: tuple[Step, ...]
    summary: str = ""
    # Every other field that is set, by name, as its spec read it.
    more: Mapping[str, Any] = field(default_factory=dict, hash=False)


def path_uri(name: str) -> str:
    return f"paths/{name}.md"


def find_paths_dir(configured: str | Path | None, root: Path) -> Path | None:
    """The configured folder, or ``paths/`` beside mkdocs.yml when it exists."""
    if configured is not None:
        return Path(configured)
    default = root / PATHS_FOLDER
    return default if default.is_dir() else None


def load_paths(
    paths_dir: Path | None, stories: Iterable[Story], broken_stories: Iterable[Path] = ()
) -> tuple[list[LearningPath], list[Problem]]:
    """Every valid path, by file name, and every problem, including steps naming unusable
    stories. A step naming a story with problems of its own (``broken_stories``) is not
    reported again: the story's own problem says what to fix."""
    if paths_dir is None:
        return [], []
    if not paths_dir.is_dir():
        missing = Problem(
            paths_dir, 1, "the paths folder is missing", "restore it, or remove paths_dir"
        )
        return [], [missing]
    by_slug = {story.slug: story for story in stories}
    broken = {slugify(path.stem) for path in broken_stories}
    found: list[LearningPath] = []
    files, problems = scan_paths_folder(paths_dir)
    for file in files:
        try:
            learning_path = validate_path(file, parse_yaml(read_text(file, what="path"), file))
        except StorybookError as exc:
            problems.extend(exc.problems)
            continue
        mistakes = _story_problems(learning_path, by_slug, broken)
        problems.extend(mistakes)
        if not mistakes and all(step.story in by_slug for step in learning_path.steps):
            found.append(learning_path)
    return found, problems


def scan_paths_folder(paths_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The path files of ``paths_dir`` (``*.yml``, none starting with . or _), each with a page
    address of its own, and a problem for each file meant as a path that is not read as one:
    ending in .yaml, a folder or a link leading nowhere named like a path file, a second file
    whose name makes the same address as an earlier one ("Fast Track.yml", "fast-track.yml")."""
    files: list[Path] = []
    problems: list[Problem] = []
    claimed: dict[str, Path] = {}
    for file in sorted(paths_dir.iterdir()):
        if file.name.startswith((".", "_")) or file.suffix not in (SUFFIX, ".yaml"):
            continue
        if not file.exists():
            problems.append(
                Problem(file, 0, "this link leads to no file", "delete it, or link to a path file")
            )
        elif not file.is_file():
            problems.append(
                Problem(
                    file, 0, "this is not a plain file, so it is not read as a path",
                    f"save the path as a file ending in {SUFFIX}, or rename the folder",
                )
            )  # fmt: skip
        elif file.suffix != SUFFIX:
            problems.append(
                Problem(file, 1, "path files end in .yml", f"rename it to {file.stem}{SUFFIX}")
            )
        elif (first := claimed.setdefault(slugify(file.stem), file)) is not file:
            problems.append(
                Problem(
                    file,
                    1,
                    f"this path gets the same page address as {first.name}, so one would "
                    "replace the other",
                    "rename one of the two files",
                )
            )
        else:
            files.append(file)
    return files, problems


def validate_path(file: Path, located: Located) -> LearningPath:
    problems: list[Problem] = []
    cursor = Cursor(file, located, problems)
    values = f.read_fields(
        located.data, PATH_FIELDS, cursor, what="a path", start_hint="start with title: and steps:"
    )
    if values is None:
        raise StorybookError(problems)
    f.unsafe_markup(located.data, PATH_FIELDS, cursor)
    problems.extend(
        placeholder_problems(
            file,
            located,
            LEARNING_PATH,
            unpublish=f"rename the file to _{file.name} to leave it out",
        )
    )
    steps = _without_repeats(values["steps"] or (), cursor)
    name = slugify(file.stem)
    if name == "index":
        cursor.report(
            "the file name 'index' is kept for the page that lists the learning paths",
            "rename the file, e.g. first-90-days.yml",
            line=1,
        )
    elif not SLUG.match(name):
        cursor.report(
            f"no page address can be made from the file name '{file.name}'",
            "rename it with letters, digits and hyphens, e.g. first-90-days.yml",
            line=1,
        )
    if problems:
        raise StorybookError(problems)
    return LearningPath(
        file,
        name,
        values["title"],
        steps,
        values["summary"] or "",
        more=f.kept_apart(values, LearningPath),
    )


def _without_repeats(steps: Iterable[Step], cursor: Cursor) -> tuple[Step, ...]:
    """The steps, each story once; a story listed again is a problem at its line."""
    kept: list[Step] = []
    for step in steps:
        first = next((index for index, s in enumerate(kept) if s.story == step.story), None)
        if first is None:
            kept.append(step)
            continue
        cursor.report(
            f"the story '{step.story}' is already step {first + 1} of this path",
            f"remove one of the two (the other is at line {kept[first].line})",
            line=step.line,
        )
    return tuple(kept)


def _story_problems(
    learning_path: LearningPath, by_slug: Mapping[str, Story], broken: set[str]
) -> list[Problem]:
    problems: list[Problem] = []
    for step in learning_path.steps:
        if step.story in broken:
            continue
        story = by_slug.get(step.story)
        if story is None:
            guess = difflib.get_close_matches(step.story, list(by_slug), n=1, cutoff=0.6)
            hint = (
                f"did you mean '{guess[0]}'?"
                if guess
                else "name a story by its file name without .md (or by its slug: field)"
            )
            problems.append(
                Problem(learning_path.path, step.line, f"no story '{step.story}'", hint)
            )
        elif story.draft:
            problems.append(
                Problem(
                    learning_path.path,
                    step.line,
                    f"the story '{step.story}' is a draft",
                    f"publish it (remove draft: true from {story.path.name}) or choose another story",
                )
            )
    return problems


# What templates see. Links are relative to the page they are on (``root``: '../' ...).


def path_view(learning_path: LearningPath, stories: Mapping[str, Story]) -> dict[str, Any]:
    """A path as the home page, the paths index and its own page show it: its fields as
    their specs show them, each step's too, with the story each step names."""
    return {
        **f.views(_values(learning_path, PATH_FIELDS), PATH_FIELDS, LEARNER_EDITION),
        "name": learning_path.name,
        "uri": path_uri(learning_path.name),
        "steps": [
            {
                **f.views(_values(step, STEP_FIELDS), STEP_FIELDS, LEARNER_EDITION),
                "number": number,
                "title": stories[step.story].title,
                "summary": stories[step.story].summary,
                "slug": step.story,
                "uri": f"stories/{step.story}.md",
            }
            for number, step in enumerate(learning_path.steps, start=1)
        ],
    }


def _values(item: LearningPath | Step, specs: Sequence[FieldSpec]) -> dict[str, Any]:
    """A path's or a step's fields by name, as read (every field is an attribute)."""
    return {spec.name: f.value_of(item, spec.name) for spec in specs}


def stops_on_paths(
    paths: Sequence[LearningPath], stories: Mapping[str, Story]
) -> dict[str, list[dict[str, Any]]]:
    """For each story on some path (by slug): where it is on each path, with the steps
    before and after it, as the "On the path" block of its page shows them."""
    stops: dict[str, list[dict[str, Any]]] = {}
    for learning_path in paths:
        view = path_view(learning_path, stories)
        steps = view["steps"]
        for index, step in enumerate(steps):
            stops.setdefault(step["slug"], []).append(
                {
                    "path": {key: view[key] for key in ("name", "title", "uri")},
                    "number": step["number"],
                    "count": len(steps),
                    "why": step["why"],
                    "week": step["week"],
                    "previous": steps[index - 1] if index else None,
                    "next": steps[index + 1] if index + 1 < len(steps) else None,
                }
            )
    return stops

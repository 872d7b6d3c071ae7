"""Learning paths: ``paths/*.yml`` files, each an ordered list of stories with why to read each.

A path has a title, an optional summary and steps; each step names a published story (by
slug), says in a sentence why it comes here, and may give the week to read it in. Every
mistake is a :class:`Problem` at the file and line, like a story's or a workshop's.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storybook.errors import Problem, StorybookError
from storybook.load import read_text
from storybook.model import FieldSpec, Story
from storybook.pages import Page, front_matter
from storybook.render import Renderer
from storybook.validate import SLUG, slugify
from storybook.yamlfile import Located, parse_yaml

PATHS_FOLDER = "paths"
SUFFIX = ".yml"
PATHS_INDEX = "paths/index.md"
MAX_WEEK = 104

PATH_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "text", True, "The path's title.", 'title: "Your first 90 days"'),
    FieldSpec(
        "summary",
        "text",
        False,
        "One or two sentences: who the path is for and where it leads.",
        'summary: "Six stories for the first three months in charge."',
    ),
    FieldSpec(
        "steps",
        "list of steps",
        True,
        "The stories in the order to read them.",
        'steps:\n  - story: the-friday-rota\n    why: "Your first weeks with former peers."',
    ),
)
STEP_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "story",
        "story slug",
        True,
        "A published story, by its file name without .md (or its slug: field).",
        "- story: the-friday-rota",
    ),
    FieldSpec(
        "why",
        "text",
        False,
        "One sentence on why this story comes at this point of the path.",
        'why: "Your first weeks with former peers."',
    ),
    FieldSpec(
        "week",
        "whole number",
        False,
        f"The week (1 to {MAX_WEEK}) in which to read it.",
        "week: 2",
    ),
)
PATH_KEYS = tuple(spec.name for spec in PATH_FIELDS)
STEP_KEYS = tuple(spec.name for spec in STEP_FIELDS)


@dataclass(frozen=True)
class Step:
    story: str
    line: int
    why: str = ""
    week: int | None = None


@dataclass(frozen=True)
class LearningPath:
    path: Path
    name: str
    title: str
    steps: tuple[Step, ...]
    summary: str = ""


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
    problems: list[Problem] = []
    for file in sorted(paths_dir.iterdir()):
        if not file.is_file() or file.name.startswith((".", "_")):
            continue
        if file.suffix == ".yaml":
            problems.append(
                Problem(file, 1, "path files end in .yml", f"rename it to {file.stem}{SUFFIX}")
            )
            continue
        if file.suffix != SUFFIX:
            continue
        try:
            learning_path = validate_path(file, parse_yaml(read_text(file), file))
        except StorybookError as exc:
            problems.extend(exc.problems)
            continue
        mistakes = _story_problems(learning_path, by_slug, broken)
        problems.extend(mistakes)
        if not mistakes and all(step.story in by_slug for step in learning_path.steps):
            found.append(learning_path)
    return found, problems


def validate_path(file: Path, located: Located) -> LearningPath:
    data = located.data
    if not isinstance(data, dict):
        raise StorybookError(
            [
                Problem(
                    file,
                    located.line(),
                    "a path must be a list of 'field: value' lines",
                    "start with title: and steps:",
                )
            ]
        )
    problems: list[Problem] = []
    fields = {str(key): value for key, value in data.items()}
    _unknown(fields, PATH_KEYS, file, located, (), problems)
    title = _text(fields, "title", file, located, (), problems)
    if "title" not in fields:
        problems.append(
            Problem(
                file,
                1,
                "the required field 'title' is missing",
                'add e.g. title: "Your first 90 days"',
            )
        )
    summary = _text(fields, "summary", file, located, (), problems) or ""
    steps = _steps(fields.get("steps"), "steps" in fields, file, located, problems)
    name = slugify(file.stem)
    if not SLUG.match(name):
        problems.append(
            Problem(
                file,
                1,
                f"no page address can be made from the file name '{file.name}'",
                "rename it with letters, digits and hyphens, e.g. first-90-days.yml",
            )
        )
    if problems:
        raise StorybookError(problems)
    assert title is not None
    return LearningPath(file, name, title, tuple(steps), summary)


def _unknown(
    fields: Mapping[str, object],
    known: tuple[str, ...],
    file: Path,
    located: Located,
    parent: tuple[str | int, ...],
    problems: list[Problem],
) -> None:
    for key in fields:
        if key not in known:
            guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else "the fields are " + ", ".join(known)
            problems.append(
                Problem(file, located.key_line(*parent, key), f"unknown field '{key}'", hint)
            )


def _text(
    fields: Mapping[str, object],
    key: str,
    file: Path,
    located: Located,
    parent: tuple[str | int, ...],
    problems: list[Problem],
) -> str | None:
    value = fields.get(key)
    if key not in fields:
        return None
    if isinstance(value, str) and value.strip():
        return value.strip()
    problems.append(
        Problem(
            file,
            located.line(*parent, key),
            f"{key} must be text" if value is not None else f"{key} is empty",
            f'write it on one line in double quotes: {key}: "..."',
        )
    )
    return None


def _steps(
    value: object, present: bool, file: Path, located: Located, problems: list[Problem]
) -> list[Step]:
    if not isinstance(value, list) or not value:
        message = (
            "steps must be a non-empty list" if present else "the required field 'steps' is missing"
        )
        problems.append(
            Problem(
                file,
                located.key_line("steps") if present else 1,
                message,
                "add steps:, then one '- story: slug' line per story, in reading order",
            )
        )
        return []
    steps: list[Step] = []
    first_line: dict[str, int] = {}
    for index, item in enumerate(value):
        step = _step(item, index, file, located, problems)
        if step is None:
            continue
        if step.story in first_line:
            problems.append(
                Problem(
                    file,
                    step.line,
                    f"the story '{step.story}' is already step "
                    f"{[s.story for s in steps].index(step.story) + 1} of this path",
                    f"remove one of the two (the other is at line {first_line[step.story]})",
                )
            )
            continue
        first_line[step.story] = step.line
        steps.append(step)
    return steps


def _step(
    item: object, index: int, file: Path, located: Located, problems: list[Problem]
) -> Step | None:
    line = located.line("steps", index)
    if not isinstance(item, dict):
        problems.append(
            Problem(
                file,
                line,
                f"step {index + 1} must be a list of 'field: value' lines",
                'write it as - story: slug, then why: "..." below it',
            )
        )
        return None
    fields = {str(key): value for key, value in item.items()}
    before = len(problems)
    _unknown(fields, STEP_KEYS, file, located, ("steps", index), problems)
    slug = fields.get("story")
    if not isinstance(slug, str) or not SLUG.match(slug):
        problems.append(
            Problem(
                file,
                located.line("steps", index, "story") if "story" in fields else line,
                f"step {index + 1} names no story"
                if slug is None
                else f"'{slug}' is not a story slug",
                "name a story by its file name without .md, e.g. - story: the-friday-rota",
            )
        )
    why = _text(fields, "why", file, located, ("steps", index), problems) or ""
    week = fields.get("week")
    if week is not None and (
        isinstance(week, bool) or not isinstance(week, int) or not 1 <= week <= MAX_WEEK
    ):
        problems.append(
            Problem(
                file,
                located.line("steps", index, "week"),
                f"week must be a whole number from 1 to {MAX_WEEK}",
                "write e.g. week: 2",
            )
        )
    if len(problems) > before or not isinstance(slug, str):
        return None
    return Step(
        slug, located.line("steps", index, "story"), why, week if isinstance(week, int) else None
    )


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
    """A path as the home page, the paths index and its own page show it."""
    return {
        "name": learning_path.name,
        "title": learning_path.title,
        "summary": learning_path.summary,
        "uri": path_uri(learning_path.name),
        "steps": [
            {
                "number": number,
                "title": stories[step.story].title,
                "summary": stories[step.story].summary,
                "slug": step.story,
                "uri": f"stories/{step.story}.md",
                "why": step.why,
                "week": step.week,
            }
            for number, step in enumerate(learning_path.steps, start=1)
        ],
    }


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


RELATED_BLOCK = '<div class="storybook-related"'


def with_block(content: str, block: str) -> str:
    """A story page with the "On the path" block after its questions: before its related
    stories (story.md.j2 puts them last), or at the end of a page without them."""
    before, found, after = content.partition(RELATED_BLOCK)
    if not found:
        return content.rstrip("\n") + "\n\n" + block
    return before + block + "\n" + found + after


def build_path_pages(
    paths: Sequence[LearningPath],
    stories: Sequence[Story],
    story_pages: Sequence[Page],
    renderer: Renderer,
) -> tuple[list[Page], list[Problem]]:
    """The paths' index page, a page per path, and the story pages again, each with an
    "On the path" block for every path it is on (previous and next story)."""
    by_slug = {story.slug: story for story in stories}
    usable = [p for p in paths if all(step.story in by_slug for step in p.steps)]
    pages: list[Page] = []
    problems: list[Problem] = []
    try:
        views = [path_view(p, by_slug) for p in usable]
        content = renderer.render_template("paths.md.j2", paths=views, root="../")
        pages.append(Page(PATHS_INDEX, content))
        for view in views:
            content = renderer.render_template("path.md.j2", path=view, root="../")
            description = view["summary"] or f"A learning path: {view['title']}."
            pages.append(Page(view["uri"], front_matter(view["title"], description) + content))
        stops = stops_on_paths(usable, by_slug)
        for page in story_pages:
            slug = page.src_uri.removeprefix("stories/").removesuffix(".md")
            if slug in stops:
                block = renderer.render_template("on-path.md.j2", stops=stops[slug], root="../")
                pages.append(Page(page.src_uri, with_block(page.content, block)))
    except StorybookError as exc:
        problems.extend(exc.problems)
    return pages, problems

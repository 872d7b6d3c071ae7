"""Workshops: ``workshops/*.yml`` files, validated into a typed plan with a timed schedule.

A workshop has a title, a date, a start time, a planned length and an ordered list of
sessions; each session is a story (by slug), a break or an exercise, with minutes and an
activity. Every mistake is a :class:`Problem` at the file and line, like a story's.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from storybook.errors import Problem, StorybookError
from storybook.load import read_text
from storybook.model import FieldSpec, Story
from storybook.validate import SLUG, _minutes, _Report, _text, slugify
from storybook.yamlfile import Located, parse_yaml

WORKSHOPS_FOLDER = "workshops"
SUFFIX = ".yml"
KINDS = ("story", "break", "exercise")
MINUTES_IN_A_DAY = 24 * 60
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")

WORKSHOP_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "text", True, "The workshop's title.", 'title: "New manager, day one"'),
    FieldSpec("date", "date", True, "The day it runs, as year-month-day.", "date: 2026-03-10"),
    FieldSpec(
        "start",
        "time",
        True,
        "The start time, 24-hour clock, in quotes. Clock times are counted from it.",
        'start: "09:30"',
    ),
    FieldSpec(
        "planned_minutes",
        "whole number of minutes",
        True,
        "How long the workshop may take. The run-of-show warns when the sessions add up to more.",
        "planned_minutes: 180",
    ),
    FieldSpec(
        "summary",
        "text",
        False,
        "One or two sentences for participants: what the workshop is for.",
        'summary: "Three stories about the first weeks in charge."',
    ),
    FieldSpec(
        "facilitator_notes",
        "Markdown text",
        False,
        "Notes on running the whole workshop. Facilitator edition only.",
        "facilitator_notes: |\n  Print the reflection questions for the pairs.",
        facilitator_only=True,
    ),
    FieldSpec(
        "sessions",
        "list of sessions",
        True,
        "The sessions in order. Each one starts with story:, break: or exercise:.",
        "sessions:\n  - story: the-friday-rota\n    minutes: 45\n    activity: Read alone, then pairs",
    ),
)

SESSION_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "story",
        "story slug",
        False,
        "A published story, by the last part of its page address (its file name without .md).",
        "- story: the-friday-rota",
    ),
    FieldSpec("break", "text", False, "A break, with what it is.", '- break: "Coffee"'),
    FieldSpec(
        "exercise",
        "text",
        False,
        "An exercise that is not a story, with what participants do.",
        '- exercise: "Write the first three sentences of a hard conversation"',
    ),
    FieldSpec("minutes", "whole number of minutes", True, "How long it takes.", "minutes: 45"),
    FieldSpec(
        "activity",
        "text",
        False,
        "How the room works: read alone, pairs, small groups, whole room. Needed for a story "
        "or an exercise.",
        "activity: Read alone, then pairs",
    ),
    FieldSpec(
        "notes",
        "Markdown text",
        False,
        "What the facilitator should do or watch in this session. Facilitator edition only.",
        "notes: Ask two pairs to read out their first sentence.",
        facilitator_only=True,
    ),
)

WORKSHOP_KEYS = tuple(spec.name for spec in WORKSHOP_FIELDS)
SESSION_KEYS = tuple(spec.name for spec in SESSION_FIELDS)
WORKSHOP_FACILITATOR_FIELDS = tuple(s.name for s in WORKSHOP_FIELDS if s.facilitator_only)
SESSION_FACILITATOR_FIELDS = tuple(s.name for s in SESSION_FIELDS if s.facilitator_only)


@dataclass(frozen=True)
class Session:
    """One item of the plan. ``label`` is the break's or exercise's text; a story has ``story``."""

    kind: str
    minutes: int
    line: int
    story: str | None = None
    label: str | None = None
    activity: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Workshop:
    path: Path
    slug: str
    title: str
    date: datetime.date
    start: int  # minutes after midnight
    planned_minutes: int
    sessions: tuple[Session, ...]
    summary: str | None = None
    facilitator_notes: str | None = None

    @property
    def total_minutes(self) -> int:
        return sum(session.minutes for session in self.sessions)

    @property
    def over_minutes(self) -> int:
        """How far the sessions run past the planned length (0 when they fit)."""
        return max(0, self.total_minutes - self.planned_minutes)


@dataclass(frozen=True)
class Slot:
    """A session placed on the clock: starts and ends are minutes after midnight."""

    session: Session
    start: int
    end: int
    cumulative: int
    past_planned_end: bool


def schedule(workshop: Workshop) -> list[Slot]:
    """Each session with its clock times, counted from the start, and the minutes so far."""
    slots: list[Slot] = []
    elapsed = 0
    for session in workshop.sessions:
        start = workshop.start + elapsed
        elapsed += session.minutes
        slots.append(
            Slot(
                session=session,
                start=start,
                end=workshop.start + elapsed,
                cumulative=elapsed,
                past_planned_end=elapsed > workshop.planned_minutes,
            )
        )
    return slots


def clock(minutes: int) -> str:
    """Minutes after midnight as a 24-hour clock time; a plan may run past midnight."""
    hours, rest = divmod(minutes % MINUTES_IN_A_DAY, 60)
    return f"{hours:02d}:{rest:02d}"


def find_workshops_dir(configured: str | Path | None, root: Path) -> Path | None:
    """The configured folder, or ``workshops/`` beside mkdocs.yml when it exists."""
    if configured is not None:
        return Path(configured)
    default = root / WORKSHOPS_FOLDER
    return default if default.is_dir() else None


def find_workshop_files(workshops_dir: Path) -> list[Path]:
    return sorted(
        path
        for path in workshops_dir.iterdir()
        if path.is_file()
        and path.suffix in (SUFFIX, ".yaml")
        and not path.name.startswith((".", "_"))
    )


def load_workshops(
    workshops_dir: Path | None, stories: Iterable[Story], broken_stories: Iterable[Path] = ()
) -> tuple[list[Workshop], list[Problem]]:
    """Every valid workshop, and every problem, including sessions naming unusable stories.

    ``broken_stories`` are story files that have problems of their own: a workshop naming one
    is not reported again, the story's own problem says what to fix.
    """
    if workshops_dir is None:
        return [], []
    if not workshops_dir.is_dir():
        missing = Problem(
            workshops_dir,
            1,
            "the workshops folder is missing",
            "restore it, or remove workshops_dir from mkdocs.yml",
        )
        return [], [missing]
    by_slug = {story.slug: story for story in stories}
    broken = {slugify(path.stem) for path in broken_stories}
    workshops: list[Workshop] = []
    problems: list[Problem] = []
    for path in find_workshop_files(workshops_dir):
        if path.suffix != SUFFIX:
            problems.append(
                Problem(path, 1, "workshop files end in .yml", f"rename it to {path.stem}{SUFFIX}")
            )
            continue
        try:
            workshop = validate_workshop(path, parse_yaml(read_text(path), path))
        except StorybookError as exc:
            problems.extend(exc.problems)
            continue
        found = _story_problems(workshop, by_slug, broken)
        twin = next((other for other in workshops if other.slug == workshop.slug), None)
        if twin is not None:
            found.append(
                Problem(
                    path,
                    1,
                    f"this workshop gets the same page address as {twin.path.name}",
                    "rename one of the files",
                )
            )
        problems.extend(found)
        if not found:
            workshops.append(workshop)
    return workshops, problems


def usable(workshop: Workshop, stories: Mapping[str, Story]) -> bool:
    """Whether every story the workshop names is among ``stories`` (and so can be shown)."""
    return all(s.story in stories for s in workshop.sessions if s.story is not None)


def _story_problems(
    workshop: Workshop, by_slug: Mapping[str, Story], broken: set[str]
) -> list[Problem]:
    problems: list[Problem] = []
    for session in workshop.sessions:
        slug = session.story
        if slug is None or slug in broken:
            continue
        story = by_slug.get(slug)
        if story is None:
            guess = difflib.get_close_matches(slug, list(by_slug), n=1, cutoff=0.6)
            hint = (
                f"did you mean '{guess[0]}'?"
                if guess
                else "name a story by its file name without .md (or by its slug: field)"
            )
            problems.append(Problem(workshop.path, session.line, f"no story '{slug}'", hint))
        elif story.draft:
            problems.append(
                Problem(
                    workshop.path,
                    session.line,
                    f"the story '{slug}' is a draft",
                    f"publish it (remove draft: true from {story.path.name}) or choose another story",
                )
            )
    return problems


def validate_workshop(path: Path, located: Located) -> Workshop:
    data = located.data
    if not isinstance(data, dict):
        raise StorybookError(
            [
                Problem(
                    path,
                    located.line(),
                    "a workshop must be a list of 'field: value' lines",
                    "start with title:, date:, start:, planned_minutes: and sessions:",
                )
            ]
        )
    problems: list[Problem] = []
    fields: dict[str, object] = {str(key): value for key, value in data.items()}
    _unknown_keys(fields, WORKSHOP_KEYS, path, located, (), problems)
    for spec in WORKSHOP_FIELDS:
        if spec.required and fields.get(spec.name) is None:
            problems.append(
                Problem(
                    path,
                    located.key_lines.get((spec.name,), 1),
                    f"the required field '{spec.name}' is missing",
                    f"add it, e.g. {spec.example.splitlines()[0]}",
                )
            )

    report = _reporter(path, located, (), problems)
    title = _text(fields, "title", report)
    summary = _text(fields, "summary", report)
    notes = _text(fields, "facilitator_notes", report)
    date = _date(fields.get("date"), path, located.line("date"), problems)
    start = _start(fields.get("start"), path, located.line("start"), problems)
    planned = _minutes(fields, "planned_minutes", report)
    sessions = _sessions(fields.get("sessions"), path, located, problems)
    slug = slugify(path.stem)
    if not SLUG.match(slug):
        problems.append(
            Problem(
                path,
                1,
                f"no page address can be made from the file name '{path.name}'",
                "rename it with letters, digits and hyphens, e.g. new-manager-day-one.yml",
            )
        )
    if problems:
        raise StorybookError(problems)
    assert title is not None and date is not None and start is not None and planned is not None
    return Workshop(
        path=path,
        slug=slug,
        title=title,
        date=date,
        start=start,
        planned_minutes=planned,
        sessions=tuple(sessions),
        summary=summary,
        facilitator_notes=notes,
    )


def _reporter(
    path: Path, located: Located, parent: tuple[str | int, ...], problems: list[Problem]
) -> _Report:
    """Reports problems at the line of a field below ``parent``, as story validation does."""

    def report(key: str | None, message: str, hint: str, *index: str | int) -> None:
        if key is None:
            line = located.line(*parent)
        else:
            line = located.line(*parent, key, *index) if index else located.key_line(*parent, key)
        problems.append(Problem(path, line, message, hint))

    return report


def _unknown_keys(
    fields: Mapping[str, object],
    known: tuple[str, ...],
    path: Path,
    located: Located,
    parent: tuple[str | int, ...],
    problems: list[Problem],
) -> None:
    for key in fields:
        if key not in known:
            guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else "the fields are " + ", ".join(known)
            problems.append(
                Problem(path, located.key_line(*parent, key), f"unknown field '{key}'", hint)
            )


def _date(value: object, path: Path, line: int, problems: list[Problem]) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(
        Problem(
            path,
            line,
            f"date '{value}' is not a date",
            "write it as year-month-day, e.g. date: 2026-03-10",
        )
    )
    return None


def _start(value: object, path: Path, line: int, problems: list[Problem]) -> int | None:
    if value is None:
        return None
    # YAML reads an unquoted 9:30 as the number 570 (base 60): that is 9 h 30 min already.
    if isinstance(value, int) and not isinstance(value, bool) and 60 <= value < MINUTES_IN_A_DAY:
        return value
    match = _CLOCK.match(value.strip()) if isinstance(value, str) else None
    if match:
        return int(match.group(1)) * 60 + int(match.group(2))
    problems.append(
        Problem(
            path,
            line,
            f"start '{value}' is not a time of day",
            'write it on the 24-hour clock in quotes, e.g. start: "09:30"',
        )
    )
    return None


def _sessions(
    value: object, path: Path, located: Located, problems: list[Problem]
) -> list[Session]:
    if value is None:
        return []
    if not isinstance(value, list) or not value:
        problems.append(
            Problem(
                path,
                located.key_line("sessions"),
                "sessions must be a non-empty list",
                "start each session with '- story:', '- break:' or '- exercise:'",
            )
        )
        return []
    sessions: list[Session] = []
    for index, item in enumerate(value):
        session = _session(item, path, located, index, problems)
        if session is not None:
            sessions.append(session)
    return sessions


def _session(
    item: object, path: Path, located: Located, index: int, problems: list[Problem]
) -> Session | None:
    number = index + 1
    line = located.line("sessions", index)
    if not isinstance(item, dict):
        problems.append(
            Problem(
                path,
                line,
                f"session {number} must be a list of 'field: value' lines",
                "start it with '- story: slug', '- break: \"Coffee\"' or '- exercise: \"...\"'",
            )
        )
        return None
    fields: dict[str, object] = {str(key): value for key, value in item.items()}
    before = len(problems)
    _unknown_keys(fields, SESSION_KEYS, path, located, ("sessions", index), problems)
    kinds = [kind for kind in KINDS if kind in fields]
    if len(kinds) != 1:
        what = "names none of" if not kinds else "names more than one of"
        problems.append(
            Problem(
                path,
                line,
                f"session {number} {what} story, break and exercise",
                "give each session exactly one of story:, break: or exercise:",
            )
        )
        return None
    kind = kinds[0]

    report = _reporter(path, located, ("sessions", index), problems)

    def at(key: str) -> int:
        return located.line("sessions", index, key)

    story = label = None
    if kind == "story":
        slug = fields["story"]
        if not isinstance(slug, str) or not SLUG.match(slug):
            problems.append(
                Problem(
                    path,
                    at("story"),
                    f"'{slug}' is not a story slug",
                    "use the file name of a story in stories/, without .md",
                )
            )
        else:
            story = slug
    elif kind == "break" and fields["break"] is None:
        label = "Break"
    else:
        label = _text(fields, kind, report)
    activity = _text(fields, "activity", report)
    if activity is None and kind != "break" and "activity" not in fields:
        problems.append(
            Problem(
                path,
                line,
                f"session {number} needs an activity",
                "add e.g. activity: Read alone, then pairs",
            )
        )
    notes = _text(fields, "notes", report)
    if fields.get("minutes") is None:
        problems.append(
            Problem(path, line, f"session {number} needs minutes", "add e.g. minutes: 45")
        )
    minutes = _minutes(fields, "minutes", report)
    if len(problems) > before or minutes is None:
        return None
    return Session(
        kind=kind,
        minutes=minutes,
        line=at(kind),
        story=story,
        label=label,
        activity=activity,
        notes=notes,
    )

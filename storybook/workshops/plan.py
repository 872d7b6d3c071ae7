"""Workshops: ``workshops/*.yml`` files, validated into a typed plan with a timed schedule.

A workshop has a title, a date, a start time, a planned length and an ordered list of
sessions; each session is a story (by slug), a break or an exercise, with minutes and an
activity. Every mistake is a :class:`Problem` at the file and line, like a story's.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storybook.core import fields as f
from storybook.core.editions import Edition
from storybook.core.errors import Problem, StorybookError
from storybook.core.fields import SLUG, Cursor, FieldSpec, read_fields, slugify, unsafe_markup
from storybook.core.load import read_text
from storybook.core.model import Story
from storybook.core.placeholders import WORKSHOP, placeholder_problems
from storybook.core.private import mark_private
from storybook.core.yamlfile import Located, parse_yaml

WORKSHOPS_FOLDER = "workshops"
SUFFIX = ".yml"
KINDS = ("story", "break", "exercise")
MINUTES_IN_A_DAY = 24 * 60
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")


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
    # Every other field that is set, by name, as its spec read it.
    more: Mapping[str, Any] = dataclasses.field(default_factory=dict, hash=False)


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
    # Every other field that is set, by name, as its spec read it.
    more: Mapping[str, Any] = dataclasses.field(default_factory=dict, hash=False)

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
            workshop = validate_workshop(path, parse_yaml(read_text(path, what="workshop"), path))
        except StorybookError as exc:
            private = (*WORKSHOP_FACILITATOR_FIELDS, *SESSION_FACILITATOR_FIELDS)
            problems.extend(mark_private(exc.problems, path, private))
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


def _date(value: object, cursor: Cursor) -> datetime.date | None:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    cursor.report(
        f"date '{value}' is not a date", "write it as year-month-day, e.g. date: 2026-03-10"
    )
    return None


def _clock_time(value: object, cursor: Cursor) -> int | None:
    """A time of day as minutes after midnight."""
    # YAML reads an unquoted 9:30 as the number 570 (base 60): that is 9 h 30 min already.
    if isinstance(value, int) and not isinstance(value, bool) and 60 <= value < MINUTES_IN_A_DAY:
        return value
    match = _CLOCK.match(value.strip()) if isinstance(value, str) else None
    if match:
        return int(match.group(1)) * 60 + int(match.group(2))
    cursor.report(
        f"start '{value}' is not a time of day",
        'write it on the 24-hour clock in quotes, e.g. start: "09:30"',
    )
    return None


def _story_slug(value: object, cursor: Cursor) -> str | None:
    if not isinstance(value, str) or not SLUG.match(value):
        cursor.report(
            f"'{value}' is not a story slug",
            "use the file name of a story in stories/, without .md",
        )
        return None
    return value


def long_date(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _text_or_nothing(value: str | None) -> str:
    return value or ""


SESSION_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "story",
        _story_slug,
        kind="story slug",
        description="A published story, by the last part of its page address (its file name without .md).",
        example="- story: the-friday-rota",
        on_page=False,
        # Shown as the story it names: its title, summary and page.
        view=None,
    ),
    FieldSpec(
        "break",
        f.text,
        kind="text",
        description="A break, with what it is.",
        example='- break: "Coffee"',
        # The break's or exercise's text is the session's title.
        view=None,
    ),
    FieldSpec(
        "exercise",
        f.text,
        kind="text",
        description="An exercise that is not a story, with what participants do.",
        example='- exercise: "Write the first three sentences of a hard conversation"',
        # The break's or exercise's text is the session's title.
        view=None,
    ),
    FieldSpec(
        "minutes",
        f.minutes,
        kind="whole number of minutes",
        description="How long it takes.",
        example="minutes: 45",
        required=True,
        on_page=False,
    ),
    FieldSpec(
        "activity",
        f.text,
        kind="text",
        description="How the room works: read alone, pairs, small groups, whole room. Needed for a story "
        "or an exercise.",
        example="activity: Read alone, then pairs",
        # A template may show it whether or not it is written.
        view=_text_or_nothing,
    ),
    FieldSpec(
        "notes",
        f.text,
        kind="Markdown text",
        description="What the facilitator should do or watch in this session. Facilitator edition only.",
        example="notes: Ask two pairs to read out their first sentence.",
        facilitator_only=True,
        # A template may show it whether or not it is written.
        view=_text_or_nothing,
    ),
)


def _sessions(value: object, cursor: Cursor) -> tuple[Session, ...] | None:
    if not isinstance(value, list) or not value:
        cursor.report(
            "sessions must be a non-empty list",
            "start each session with '- story:', '- break:' or '- exercise:'",
        )
        return None
    sessions = [
        _session(item, cursor.at(index, f"session {index + 1}")) for index, item in enumerate(value)
    ]
    return tuple(session for session in sessions if session is not None)


WORKSHOP_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "title",
        f.text,
        kind="text",
        description="The workshop's title.",
        example='title: "New manager, day one"',
        required=True,
    ),
    FieldSpec(
        "date",
        _date,
        kind="date",
        description="The day it runs, as year-month-day.",
        example="date: 2026-03-10",
        required=True,
        on_page=False,
        # As a reader says it: Tuesday 10 March 2026.
        view=long_date,
    ),
    FieldSpec(
        "start",
        _clock_time,
        kind="time",
        description="The start time, 24-hour clock, in quotes. Clock times are counted from it.",
        example='start: "09:30"',
        required=True,
        on_page=False,
        # On the 24-hour clock, as the schedule shows times.
        view=clock,
    ),
    FieldSpec(
        "planned_minutes",
        f.minutes,
        kind="whole number of minutes",
        description="How long the workshop may take. The run-of-show warns when the sessions add up to more.",
        example="planned_minutes: 180",
        required=True,
        on_page=False,
    ),
    FieldSpec(
        "summary",
        f.text,
        kind="text",
        description="One or two sentences for participants: what the workshop is for.",
        example='summary: "Three stories about the first weeks in charge."',
        # A template may show it whether or not it is written.
        view=_text_or_nothing,
    ),
    FieldSpec(
        "facilitator_notes",
        f.text,
        kind="Markdown text",
        description="Notes on running the whole workshop. Facilitator edition only.",
        example="facilitator_notes: |\n  Print the reflection questions for the pairs.",
        facilitator_only=True,
        # A template may show it whether or not it is written.
        view=_text_or_nothing,
    ),
    FieldSpec(
        "sessions",
        _sessions,
        kind="list of sessions",
        description="The sessions in order. Each one starts with story:, break: or exercise:.",
        example="sessions:\n  - story: the-friday-rota\n    minutes: 45\n    activity: Read alone, then pairs",
        required=True,
        # Shown one by one, on the clock (see session_fields_view).
        view=None,
    ),
)


def field_lists(
    workshop_specs: tuple[FieldSpec, ...], session_specs: tuple[FieldSpec, ...]
) -> dict[str, Any]:
    """Every list of workshop and session field names this module derives from its specs, by
    constant name: what a test that declares other specs puts in their place."""
    return {
        "WORKSHOP_FIELDS": workshop_specs,
        "SESSION_FIELDS": session_specs,
        "WORKSHOP_KEYS": f.names(workshop_specs),
        "SESSION_KEYS": f.names(session_specs),
        "WORKSHOP_FACILITATOR_FIELDS": f.names(workshop_specs, facilitator_only=True),
        "SESSION_FACILITATOR_FIELDS": f.names(session_specs, facilitator_only=True),
    }


WORKSHOP_KEYS = f.names(WORKSHOP_FIELDS)
SESSION_KEYS = f.names(SESSION_FIELDS)
WORKSHOP_FACILITATOR_FIELDS = f.names(WORKSHOP_FIELDS, facilitator_only=True)
SESSION_FACILITATOR_FIELDS = f.names(SESSION_FIELDS, facilitator_only=True)


def workshop_fields_view(workshop: Workshop, edition: Edition) -> dict[str, Any]:
    """What templates see of a workshop's fields in an edition, as their specs show them
    (facilitator-only ones only in an edition that shows them)."""
    return f.views(workshop_values(workshop), WORKSHOP_FIELDS, edition)


def session_fields_view(session: Session, edition: Edition) -> dict[str, Any]:
    """What templates see of a session's fields in an edition, as their specs show them."""
    return f.views(session_values(session), SESSION_FIELDS, edition)


def workshop_values(workshop: Workshop) -> dict[str, Any]:
    """A workshop's fields by name, as read (every field is an attribute)."""
    return {spec.name: f.value_of(workshop, spec.name) for spec in WORKSHOP_FIELDS}


def session_values(session: Session) -> dict[str, Any]:
    """A session's fields by name, as read: its text is the break's or the exercise's."""
    return {
        **{spec.name: f.value_of(session, spec.name) for spec in SESSION_FIELDS},
        "break": session.label if session.kind == "break" else None,
        "exercise": session.label if session.kind == "exercise" else None,
    }


def validate_workshop(path: Path, located: Located) -> Workshop:
    problems: list[Problem] = []
    cursor = Cursor(path, located, problems)
    values = read_fields(
        located.data,
        WORKSHOP_FIELDS,
        cursor,
        what="a workshop",
        start_hint="start with title:, date:, start:, planned_minutes: and sessions:",
    )
    if values is None:
        raise StorybookError(problems)
    unsafe_markup(located.data, WORKSHOP_FIELDS, cursor)
    for index, item in enumerate((values["sessions"] and located.data["sessions"]) or ()):
        unsafe_markup(item, SESSION_FIELDS, cursor.at("sessions").at(index))
    problems.extend(
        placeholder_problems(
            path, located, WORKSHOP, unpublish=f"rename the file to _{path.name} to leave it out"
        )
    )
    slug = slugify(path.stem)
    if slug == "index":
        cursor.report(
            "the file name 'index' is kept for the page that lists the workshops",
            "rename the file, e.g. new-manager-day-one.yml",
            line=1,
        )
    elif not SLUG.match(slug):
        cursor.report(
            f"no page address can be made from the file name '{path.name}'",
            "rename it with letters, digits and hyphens, e.g. new-manager-day-one.yml",
            line=1,
        )
    if problems:
        raise StorybookError(problems)
    return Workshop(
        path=path,
        slug=slug,
        title=values["title"],
        date=values["date"],
        start=values["start"],
        planned_minutes=values["planned_minutes"],
        sessions=values["sessions"],
        summary=values["summary"],
        facilitator_notes=values["facilitator_notes"],
        more=f.kept_apart(values, Workshop),
    )


def _session(item: object, cursor: Cursor) -> Session | None:
    number = cursor.label
    line = cursor.located.line(*cursor.keys)
    if not isinstance(item, dict):
        cursor.report(
            f"{number} must be a list of 'field: value' lines",
            "start it with '- story: slug', '- break: \"Coffee\"' or '- exercise: \"...\"'",
            line=line,
        )
        return None
    kinds = [kind for kind in KINDS if kind in item]
    if len(kinds) != 1:
        what = "names none of" if not kinds else "names more than one of"
        unknown = [key for key in item if key not in SESSION_KEYS]
        if unknown:
            read_fields(item, (), cursor, what=number, start_hint="")  # reports them
        cursor.report(
            f"{number} {what} story, break and exercise",
            "give each session exactly one of story:, break: or exercise:",
            line=line,
        )
        return None
    kind = kinds[0]
    before = len(cursor.problems)
    if item.get("minutes") is None:
        cursor.report(f"{number} needs minutes", "add e.g. minutes: 45", line=line)
    # Missing minutes are reported above, in the session's own words.
    specs = [dataclasses.replace(spec, required=False) for spec in SESSION_FIELDS]
    if kind == "break" and item.get("break") is None:
        item = {**item, "break": "Break"}
    values = read_fields(item, specs, cursor, what=number, start_hint="")
    if values is not None and kind != "break" and "activity" not in item:
        cursor.report(
            f"{number} needs an activity", "add e.g. activity: Read alone, then pairs", line=line
        )
    if values is None or len(cursor.problems) > before:
        return None
    return Session(
        kind=kind,
        minutes=values["minutes"],
        line=cursor.located.line(*cursor.keys, kind),
        story=values["story"],
        label=values["break"] if kind == "break" else values["exercise"],
        activity=values["activity"],
        notes=values["notes"],
        more={name: v for name, v in f.kept_apart(values, Session).items() if name not in KINDS},
    )

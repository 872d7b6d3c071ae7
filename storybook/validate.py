"""Step 2: turn parsed front matter into a typed :class:`Story`, reporting every mistake."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from storybook.errors import Problem, StorybookError
from storybook.load import SourceStory
from storybook.model import FIELD_NAMES, FIELDS, PLAN_PARTS, DiscussionPlan, Question, Story
from storybook.reading import bank_tags, content_note_keys
from storybook.safehtml import find_unsafe
from storybook.vocabulary import VOCABULARY_FILE, Vocabulary

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED = tuple(spec.name for spec in FIELDS if spec.required)
MAX_MINUTES = 720


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def validate_story(source: SourceStory, vocabulary: Vocabulary) -> Story:
    path, front = source.path, source.front
    if not isinstance(front.data, dict):
        raise StorybookError(
            [
                Problem(
                    path,
                    front.line(),
                    "the front matter must be a list of 'field: value' lines",
                    "start with title:, summary:, tags: and reflection:",
                )
            ]
        )
    data: dict[str, object] = {str(key): value for key, value in front.data.items()}
    problems: list[Problem] = []

    def report(key: str | None, message: str, hint: str, *index: str | int) -> None:
        if key is None:
            line = 1
        else:
            line = front.line(key, *index) if index else front.key_line(key)
        problems.append(Problem(path, line, message, hint))

    for key in data:
        if key not in FIELD_NAMES:
            guess = difflib.get_close_matches(key, FIELD_NAMES, n=1, cutoff=0.6)
            hint = (
                f"did you mean '{guess[0]}'?"
                if guess
                else "the fields are " + ", ".join(FIELD_NAMES)
            )
            problems.append(Problem(path, front.key_line(key), f"unknown field '{key}'", hint))
    for key in REQUIRED:
        if key not in data or data[key] is None:
            problems.append(
                Problem(
                    path,
                    front.key_lines.get((key,), 1),
                    f"the required field '{key}' is missing",
                    _example_hint(key),
                )
            )

    title = _text(data, "title", report)
    summary = _text(data, "summary", report)
    protagonist = _text(data, "protagonist", report)
    notes = _text(data, "facilitator_notes", report)
    suggested_minutes = _minutes(data, "suggested_minutes", report)
    plan = _discussion_plan(data, report)
    tags = _tags(data, vocabulary, report)
    reflection = _questions(data, source, report)
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        report("draft", "draft must be true or false", "write draft: true or draft: false")
        draft = False
    slug = _slug(data, path, report)
    content_notes = content_note_keys(data, vocabulary, report)
    banks = bank_tags(data, tags, report)
    problems.extend(_unsafe_html(source, data))

    if problems:
        raise StorybookError(problems)
    assert title is not None and summary is not None
    return Story(
        path=path,
        slug_line=front.key_lines.get(("slug",), 1),
        title=title,
        summary=summary,
        tags=tags,
        reflection=reflection,
        slug=slug,
        body=source.body,
        body_line=source.body_line,
        protagonist=protagonist,
        draft=draft,
        facilitator_notes=notes,
        suggested_minutes=suggested_minutes,
        discussion_plan=plan,
        content_notes=content_notes,
        banks=banks,
    )


def _unsafe_html(source: SourceStory, data: dict[str, object]) -> list[Problem]:
    """What the HTML cleaner would remove from the story's text, reported where it is written."""
    found = [(source.body_line + item.line, item) for item in find_unsafe(source.body)]
    for key in ("title", "summary", "protagonist", "facilitator_notes"):
        value = data.get(key)
        if isinstance(value, str):
            found.extend((source.front.line(key), item) for item in find_unsafe(value))
    questions = data.get("reflection")
    for index, question in enumerate(questions if isinstance(questions, list) else []):
        if isinstance(question, str):
            line = source.front.line("reflection", index)
            found.extend((line, item) for item in find_unsafe(question))
    return [Problem(source.path, line, item.message, item.hint) for line, item in found]


def _example_hint(key: str) -> str:
    spec = next(spec for spec in FIELDS if spec.name == key)
    return f"add it to the front matter, e.g. {spec.example.splitlines()[0]}"


class _Report(Protocol):
    def __call__(self, key: str | None, message: str, hint: str, *index: str | int) -> None: ...


def _text(data: dict[str, object], key: str, report: _Report) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        report(key, f"{key} must be text", f'write it on one line in double quotes: {key}: "..."')
        return None
    if not value.strip():
        report(key, f"{key} is empty", f"write the {key} after '{key}:'")
        return None
    return value.strip()


def whole_minutes(value: object) -> int | None:
    """A number of minutes a trainer wrote, or None when it is not a whole number in range."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= MAX_MINUTES else None


# Messages about facilitator-only fields never quote the value: `mkdocs serve` shows problems
# on every page of the learner edition too.
def _minutes(data: dict[str, object], key: str, report: _Report) -> int | None:
    if data.get(key) is None:
        return None
    minutes = whole_minutes(data[key])
    if minutes is None:
        report(
            key,
            f"{key} must be a whole number of minutes from 1 to {MAX_MINUTES}",
            f"write e.g. {key}: 45",
        )
    return minutes


def _discussion_plan(data: dict[str, object], report: _Report) -> DiscussionPlan | None:
    field = "discussion_plan"
    value = data.get(field)
    if value is None:
        return None
    if not isinstance(value, dict) or not value:
        report(
            field,
            "discussion_plan must list open, listen_for and close",
            "indent 'open:', 'listen_for:' and 'close:' below discussion_plan:, each with its text",
        )
        return None
    parts = {str(part): text for part, text in value.items()}

    def report_part(key: str | None, message: str, hint: str, *index: str | int) -> None:
        report(field, f"discussion_plan: {message}", hint, str(key))

    for part in parts:
        if part not in PLAN_PARTS:
            guess = difflib.get_close_matches(part, list(PLAN_PARTS), n=1, cutoff=0.6)
            hint = (
                f"did you mean '{guess[0]}'?" if guess else "the parts are open, listen_for, close"
            )
            report_part(part, f"unknown part '{part}'", hint)
    texts = {part: _text(parts, part, report_part) for part in PLAN_PARTS}
    return DiscussionPlan(**texts) if any(texts.values()) else None


def _non_empty_list(
    data: dict[str, object], key: str, report: _Report, message: str, hint: str
) -> list[object]:
    """The list under ``key``; a single text counts as a list of one. Missing: empty list."""
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not value:
        report(key, message, hint)
        return []
    return value


def _tags(data: dict[str, object], vocabulary: Vocabulary, report: _Report) -> tuple[str, ...]:
    value = _non_empty_list(
        data,
        "tags",
        report,
        "tags must be a non-empty list",
        "write e.g. tags: [wellbeing, underperformance]",
    )
    tags: list[str] = []
    for index, tag in enumerate(value):
        if not isinstance(tag, str) or tag not in vocabulary.tags:
            guess = vocabulary.closest(str(tag))
            hint = f"did you mean '{guess}'? " if guess else ""
            report(
                "tags",
                f"unknown tag '{tag}'",
                f"{hint}(tags are listed in templates/{VOCABULARY_FILE})",
                index,
            )
        elif tag in tags:
            report("tags", f"tag '{tag}' is listed twice", "remove one of them", index)
        else:
            tags.append(tag)
    return tuple(tags)


def _questions(
    data: dict[str, object], source: SourceStory, report: _Report
) -> tuple[Question, ...]:
    value = _non_empty_list(
        data,
        "reflection",
        report,
        "reflection must be a non-empty list of questions",
        'write each question on its own line: - "What did ... notice?"',
    )
    questions: list[Question] = []
    for index, text in enumerate(value):
        if not isinstance(text, str) or not text.strip():
            report(
                "reflection",
                f"reflection question {index + 1} is not a question",
                'write it as text in double quotes: - "..."',
                index,
            )
            continue
        questions.append(
            Question(text.strip(), source.path, source.front.line("reflection", index))
        )
    return tuple(questions)


def _slug(data: dict[str, object], path: Path, report: _Report) -> str:
    value = data.get("slug")
    if value is None:
        slug = slugify(path.stem)
        if not slug:
            report(
                None,
                f"no page address can be made from the file name '{path.name}'",
                "add slug: my-story",
            )
        return slug
    if not isinstance(value, str) or not SLUG.match(value):
        report(
            "slug",
            f"slug '{value}' is not a valid page address",
            "use lowercase letters, digits and single hyphens only, e.g. slug: first-hard-talk",
        )
        return slugify(str(value))
    return value


def check_unique_slugs(stories: Iterable[Story]) -> list[Problem]:
    first: dict[str, Story] = {}
    problems: list[Problem] = []
    for story in stories:
        other = first.setdefault(story.slug, story)
        if other is story:
            continue
        for here, there in ((story, other), (other, story)):
            problems.append(
                Problem(
                    here.path,
                    here.slug_line,
                    f"slug '{story.slug}' is also used by {there.path.name}",
                    "rename one of the files, or give it its own slug: field",
                )
            )
    return problems

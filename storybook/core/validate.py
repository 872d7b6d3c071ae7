"""Step 2: turn parsed front matter into a typed :class:`Story`, reporting every mistake.

Every field is read by its spec in :data:`storybook.core.model.FIELDS`; what is left here are
the checks that look at several fields at once (a heading named in reveal: must be in the
body, the segments must fit the suggested minutes) and the unsafe-markup check of the body.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from storybook.core.errors import Problem, StorybookError
from storybook.core.fields import SLUG, Cursor, read_fields, slugify, unsafe_markup
from storybook.core.load import SourceStory
from storybook.core.model import FIELDS, TYPED_FIELDS, Story
from storybook.core.parts import headings
from storybook.core.placeholders import STORY, placeholder_problems
from storybook.core.safety import find_unsafe
from storybook.core.vocabulary import Vocabulary

__all__ = ["SLUG", "check_unique_slugs", "slugify", "validate_story"]


def validate_story(source: SourceStory, vocabulary: Vocabulary) -> Story:
    """Read the front matter by the field specs; raises StorybookError with every problem."""
    path, front = source.path, source.front
    problems: list[Problem] = []
    cursor = Cursor(path, front, problems, context={"vocabulary": vocabulary})
    values = read_fields(
        front.data,
        FIELDS,
        cursor,
        what="the front matter",
        start_hint="start with title:, summary:, tags: and reflection:",
    )
    if values is None:
        raise StorybookError(problems)
    data = {str(key): value for key, value in front.data.items()}
    _no_duplicates(data, "tags", values["tags"] or (), cursor, "tag")
    _no_duplicates(data, "content_notes", values["content_notes"] or (), cursor, "content note")
    _no_duplicates(data, "reveal_notes", values["reveal_notes"] or (), cursor, "content note")
    slug = _slug(data, path, cursor)
    _check_reveal(values, source, cursor)
    _check_after_reveal(data, values, cursor)
    _check_banks(values, cursor)
    _check_segments(values, cursor)
    if not values["draft"]:
        problems.extend(
            placeholder_problems(
                path,
                front,
                STORY,
                body=source.body,
                body_line=source.body_line,
                unpublish="put back draft: true until it is ready",
            )
        )
    unsafe_markup(data, FIELDS, cursor)
    problems.extend(
        Problem(path, source.body_line + item.line, item.message, item.hint)
        for item in find_unsafe(source.body)
    )
    if problems:
        raise StorybookError(problems)
    typed = {name: values[name] for name in TYPED_FIELDS if name != "slug"}
    return Story(
        **{**typed, "tags": tuple(values["tags"]), "draft": bool(values["draft"])},
        path=path,
        slug_line=front.key_lines.get(("slug",), 1),
        slug=slug,
        body=source.body,
        body_line=source.body_line,
        more={
            name: value
            for name, value in values.items()
            if name not in TYPED_FIELDS and value is not None
        },
    )


def _no_duplicates(
    data: dict[str, object], key: str, read: Iterable[str], cursor: Cursor, noun: str
) -> None:
    raw = data.get(key)
    seen: set[str] = set()
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(item, str):
            continue
        if item in seen and item in read:
            cursor.at(key).at(index).report(
                f"{noun} '{item}' is listed twice",
                "remove one of them",
                line=cursor.located.line(key, index),
            )
        seen.add(item)


def _check_reveal(values: dict[str, Any], source: SourceStory, cursor: Cursor) -> None:
    reveal = values.get("reveal") or ()
    if not reveal:
        return  # most stories hold nothing back: no need to read their headings
    known = headings(source.body)
    for index, heading in enumerate(reveal):
        if heading not in known:
            guess = difflib.get_close_matches(heading, known, n=1, cutoff=0.6)
            hint = (
                f"did you mean '{guess[0]}'?"
                if guess
                else "copy the text of a '## ' heading of the story exactly"
            )
            cursor.report(
                f"reveal: the story has no heading '{heading}'",
                hint,
                line=cursor.located.line("reveal", index),
            )


def _check_after_reveal(data: dict[str, object], values: dict[str, Any], cursor: Cursor) -> None:
    """reveal_notes: and reflection_after: belong to the held-back parts: a story without
    reveal: has none, and a note is either in content_notes: (from the start) or here."""
    if data.get("reveal") is None:
        for name, what in (
            ("reveal_notes", "content notes of the held-back parts"),
            ("reflection_after", "questions for after the held-back parts"),
        ):
            if name in data:
                cursor.report(
                    f"{name}: lists {what}, but the story holds nothing back (no reveal:)",
                    f"add reveal: with the heading of the part to hold back, or move these "
                    f"to {'content_notes' if name == 'reveal_notes' else 'reflection'}:",
                    line=cursor.located.key_line(name),
                )
        return
    from_start = set(values.get("content_notes") or ())
    for index, note in enumerate(values.get("reveal_notes") or ()):
        if note in from_start:
            cursor.report(
                f"reveal_notes: '{note}' is also in content_notes:",
                "keep it in content_notes: if part A touches it already, else only here",
                line=cursor.located.line("reveal_notes", index),
            )


def _check_banks(values: dict[str, Any], cursor: Cursor) -> None:
    tags = values.get("tags") or ()
    for index, tag in enumerate(values.get("banks") or ()):
        if tag not in tags:
            cursor.report(
                f"banks: '{tag}' is not one of this story's tags",
                "name only tags listed under tags:, or write banks: [] for none",
                line=cursor.located.line("banks", index),
            )


def _check_segments(values: dict[str, Any], cursor: Cursor) -> None:
    plan = values.get("discussion_plan") or {}
    segments = plan.get("segments") or ()
    total = sum(segment["minutes"] for segment in segments)
    limit = values.get("suggested_minutes")
    if segments and limit is not None and total > limit:
        cursor.report(
            f"discussion_plan: the segments take {total} minutes, more than the "
            f"{limit} of suggested_minutes",
            "shorten the segments, or raise suggested_minutes",
            line=cursor.located.key_line("discussion_plan", "segments"),
        )


def _slug(data: dict[str, object], path: Path, cursor: Cursor) -> str:
    value = data.get("slug")
    if value is not None:
        # Read (and reported if invalid) by its spec; a stand-in keeps the other checks going.
        return value if isinstance(value, str) and SLUG.match(value) else slugify(str(value))
    slug = slugify(path.stem)
    if not slug:
        cursor.report(
            f"no page address can be made from the file name '{path.name}'",
            "add slug: my-story",
            line=1,
        )
    return slug


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

"""The one tag vocabulary of the library, with a question bank per tag: the project's
``templates/tags.yml`` if it has one, else the storybook's default (see core/defaults.py)."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storybook.core import fields as f
from storybook.core.defaults import DEFAULT_TEMPLATES
from storybook.core.editions import LEARNER_EDITION
from storybook.core.errors import Problem, StorybookError
from storybook.core.fields import SLUG, Cursor, FieldSpec, unsafe_markup
from storybook.core.load import read_text
from storybook.core.model import Question
from storybook.core.yamlfile import Located, parse_yaml

VOCABULARY_FILE = "tags.yml"
# The fields of a tag and of a content note in tags.yml: all text that reaches pages (so
# checked for unsafe markup), and shown to templates through their views.
NOTE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "label",
        f.text,
        kind="text",
        description="The subject in plain words, as readers see it before a story.",
        example='label: "Bereavement"',
        required=True,
    ),
    FieldSpec(
        "description",
        f.text,
        kind="text",
        description="A sentence on what a story with this note touches.",
        example='description: "The death of someone close."',
        view=lambda value: value or "",
    ),
)
TAG_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "label",
        f.text,
        kind="text",
        description="The tag's name as pages show it. Defaults to the tag itself.",
        example='label: "Wellbeing"',
    ),
    FieldSpec(
        "description",
        f.text,
        kind="text",
        description="What the stories of this tag are about, shown on its page.",
        example='description: "Stress, health and life outside work."',
        view=lambda value: value or "",
    ),
    FieldSpec(
        "questions",
        f.text,
        kind="list of questions",
        description="The tag's question bank: questions any story with the tag may take.",
        example='questions:\n  - "What did {{ story.protagonist }} notice first?"',
        # Filled in for each story first, then handed to templates as questions.
        view=None,
    ),
)
VOCABULARY_TEXTS = TAG_FIELDS
# tags/index.md is the Themes page; a tag of that name would replace it.
RESERVED_TAGS = frozenset({"index"})
KINDS: dict[str, str] = {"themes": "Themes", "moments": "Manager moments"}
TAG_KEYS = f.names(TAG_FIELDS)
# The optional section of sensitive subjects a story may name in content_notes:.
CONTENT_NOTES = "content_notes"
NOTE_KEYS = f.names(NOTE_FIELDS)


@dataclass(frozen=True)
class ContentNote:
    """A sensitive subject, named in plain words before a story that touches it."""

    name: str
    label: str
    description: str


@dataclass(frozen=True)
class Tag:
    name: str
    kind: str
    label: str
    description: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Vocabulary:
    path: Path
    tags: dict[str, Tag]
    content_notes: dict[str, ContentNote] = field(default_factory=dict)

    def by_kind(self, kind: str) -> list[Tag]:
        return [tag for tag in self.tags.values() if tag.kind == kind]

    def closest(self, name: str) -> str | None:
        matches = difflib.get_close_matches(name, list(self.tags), n=1, cutoff=0.6)
        return matches[0] if matches else None


def vocabulary_file(templates_dir: Path) -> Path:
    """The project's tags.yml if its templates folder has one (whatever it is: a file that
    cannot be read is said, not passed over), else the storybook's default."""
    own = templates_dir / VOCABULARY_FILE
    return own if os.path.lexists(own) else DEFAULT_TEMPLATES / VOCABULARY_FILE


def load_vocabulary(templates_dir: Path) -> Vocabulary:
    path = vocabulary_file(templates_dir)
    # Only a tags.yml that is not there at all is missing: a folder or a FIFO of that name is
    # said as what it is by read_text below.
    if not os.path.lexists(path):
        raise StorybookError(
            [
                Problem(
                    path,
                    1,
                    "the tag vocabulary is missing",
                    f"create {VOCABULARY_FILE} with 'themes:' and 'moments:' listing the tags",
                )
            ]
        )
    if not path.resolve().is_relative_to(path.parent.resolve()):
        raise StorybookError(
            [
                Problem(
                    path,
                    1,
                    "the tag vocabulary is a link to a file outside the templates folder",
                    f"copy the file into the templates folder as {VOCABULARY_FILE}",
                )
            ]
        )
    located = parse_yaml(read_text(path, what="vocabulary"), path)
    data = located.data
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise StorybookError(
            [
                Problem(
                    path,
                    1,
                    "the vocabulary must be a mapping",
                    "start with 'themes:' and 'moments:'",
                )
            ]
        )
    tags: dict[str, Tag] = {}
    notes: dict[str, ContentNote] = {}
    for kind, entries in data.items():
        if kind == CONTENT_NOTES:
            notes = _content_notes(path, located, entries, problems)
            continue
        if kind not in KINDS:
            problems.append(
                Problem(
                    path,
                    located.key_line(kind),
                    f"unknown section '{kind}'",
                    f"tags go under 'themes:' or 'moments:', content notes under '{CONTENT_NOTES}:'",
                )
            )
            continue
        if not isinstance(entries, dict):
            problems.append(
                Problem(
                    path,
                    located.key_line(kind),
                    f"'{kind}' must list tags",
                    "write 'tag-name:' lines",
                )
            )
            continue
        for name, entry in entries.items():
            tag = _parse_tag(path, located, kind, str(name), entry, problems)
            if tag is None:
                continue
            if tag.name in tags:
                problems.append(
                    Problem(
                        path,
                        located.key_line(kind, name),
                        f"tag '{name}' is declared twice",
                        "keep it under one section only",
                    )
                )
            tags[tag.name] = tag
    if problems:
        raise StorybookError(problems)
    return Vocabulary(path=path, tags=tags, content_notes=notes)


def _content_notes(
    path: Path, located: Located, entries: object, problems: list[Problem]
) -> dict[str, ContentNote]:
    if not isinstance(entries, dict):
        problems.append(
            Problem(
                path,
                located.key_line(CONTENT_NOTES),
                f"'{CONTENT_NOTES}' must list content notes",
                "write 'note-name:' lines, each with label: and description:",
            )
        )
        return {}
    notes: dict[str, ContentNote] = {}
    for name, entry in entries.items():
        line = located.key_line(CONTENT_NOTES, name)
        if not isinstance(entry, dict):
            problems.append(
                Problem(
                    path,
                    line,
                    f"content note '{name}' needs a label and a description",
                    "indent them below it",
                )
            )
            continue
        for key in entry:
            if key not in NOTE_KEYS:
                problems.append(
                    Problem(
                        path,
                        located.key_line(CONTENT_NOTES, name, key),
                        f"unknown field '{key}' in content note '{name}'",
                        "a content note has only " + ", ".join(NOTE_KEYS),
                    )
                )
        label, description = entry.get("label"), entry.get("description", "")
        if not isinstance(label, str) or not label.strip() or not isinstance(description, str):
            problems.append(
                Problem(path, line, f"label and description of '{name}' must be text", "quote them")
            )
            continue
        _unsafe_texts(path, located, (CONTENT_NOTES, name), entry, problems)
        notes[str(name)] = ContentNote(str(name), label.strip(), description.strip())
    return notes


def _parse_tag(
    path: Path, located: Located, kind: str, name: str, entry: object, problems: list[Problem]
) -> Tag | None:
    line = located.key_line(kind, name)
    if not SLUG.match(name) or name in RESERVED_TAGS:
        why = "is kept for the Themes page" if name in RESERVED_TAGS else "cannot be a page address"
        problems.append(
            Problem(
                path,
                line,
                f"the tag name '{name}' {why}",
                "name tags with lowercase letters, digits and single hyphens, e.g. hard-feedback",
            )
        )
        return None
    if not isinstance(entry, dict):
        problems.append(
            Problem(
                path,
                line,
                f"tag '{name}' needs label, description and questions",
                "indent them below it",
            )
        )
        return None
    for key in entry:
        if key not in TAG_KEYS:
            problems.append(
                Problem(
                    path,
                    located.key_line(kind, name, key),
                    f"unknown field '{key}' in tag '{name}'",
                    "a tag has only " + ", ".join(TAG_KEYS),
                )
            )
    label = entry.get("label", name)
    description = entry.get("description", "")
    questions = entry.get("questions", [])
    if not isinstance(label, str) or not isinstance(description, str):
        problems.append(
            Problem(path, line, f"label and description of '{name}' must be text", "quote them")
        )
        return None
    if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
        problems.append(
            Problem(
                path,
                located.key_line(kind, name, "questions"),
                f"questions of '{name}' must be a list of text",
                'write each as - "question?"',
            )
        )
        return None
    _unsafe_texts(path, located, (kind, name), entry, problems)
    return Tag(
        name=name,
        kind=kind,
        label=label,
        description=description,
        questions=tuple(
            Question(text, path, located.line(kind, name, "questions", i))
            for i, text in enumerate(questions)
        ),
    )


def _unsafe_texts(
    path: Path,
    located: Located,
    keys: tuple[str, ...],
    entry: dict[str, object],
    problems: list[Problem],
) -> None:
    """Labels, descriptions and questions reach pages: what the cleaner would remove from
    them is a problem at its line, as in a story."""
    cursor = Cursor(path, located, problems, keys)
    unsafe_markup(entry, VOCABULARY_TEXTS, cursor)


def tag_fields_view(tag: Tag) -> dict[str, Any]:
    """What templates see of a tag's fields, as their specs show them."""
    return f.views(_values(tag, TAG_FIELDS), TAG_FIELDS, LEARNER_EDITION)


def note_fields_view(note: ContentNote) -> dict[str, Any]:
    """What templates see of a content note's fields, as their specs show them."""
    return f.views(_values(note, NOTE_FIELDS), NOTE_FIELDS, LEARNER_EDITION)


def _values(entry: Tag | ContentNote, specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    return {spec.name: getattr(entry, spec.name) for spec in specs}

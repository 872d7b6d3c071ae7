"""Content notes: the short list of sensitive subjects a story may name before it begins.

Declared once, in a ``content_notes:`` section of ``templates/tags.yml``: a key per subject,
each with a label (the plain words readers see) and a description (what it covers, for
trainers). A story names the keys in its ``content_notes`` field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storybook.errors import Problem
from storybook.yamlfile import Located

SECTION = "content_notes"
NOTE_KEYS = ("label", "description")


@dataclass(frozen=True)
class ContentNote:
    name: str
    label: str
    description: str


def parse_content_notes(
    path: Path, located: Located, entries: object, problems: list[Problem]
) -> dict[str, ContentNote]:
    """The ``content_notes:`` section of the vocabulary; every mistake goes to ``problems``."""
    if not isinstance(entries, dict):
        problems.append(
            Problem(
                path,
                located.key_line(SECTION),
                f"'{SECTION}' must list content notes",
                "write 'bereavement:' lines, each with a label and a description below it",
            )
        )
        return {}
    notes: dict[str, ContentNote] = {}
    for name, entry in entries.items():
        line = located.key_line(SECTION, name)
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
                        located.key_line(SECTION, name, key),
                        f"unknown field '{key}' in content note '{name}'",
                        "a content note has only a label and a description",
                    )
                )
        label = entry.get("label")
        description = entry.get("description", "")
        if not isinstance(label, str) or not label.strip() or not isinstance(description, str):
            problems.append(
                Problem(
                    path,
                    line,
                    f"content note '{name}' needs a label and a description, both text",
                    'write e.g. label: "Bereavement"',
                )
            )
            continue
        notes[str(name)] = ContentNote(str(name), label.strip(), description.strip())
    return notes

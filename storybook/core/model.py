"""The typed model of a story, and its field specs: the one place a story field is declared.

Each entry of :data:`FIELDS` says how the field is read, whether it is required, whether it
reaches a page (and is checked for unsafe markup), whether only facilitators see it, and how
the authoring guide explains it. A field the code needs by name has a typed attribute or
property on :class:`Story`; any other field is kept in :attr:`Story.more` and reaches the
templates through the views built from the specs (``story.<name>`` for everyone,
``facilitator.<name>`` for facilitator-only fields).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storybook.core import fields as f
from storybook.core.fields import Cursor, FieldSpec

# The parts of a discussion plan that are text, in the order a session runs.
PLAN_PARTS: dict[str, str] = {
    "open": "How to open",
    "listen_for": "What to listen for",
    "close": "How to close",
}
PROVENANCE_KINDS = ("retold", "composite", "invented")
# What one story may carry (see FieldSpec.limit): a title or a name on one line of a card,
# a summary of a few sentences, and lists a session can use (tags, questions, headings...).
MAX_TITLE = 120
MAX_SUMMARY = 600
MAX_ENTRIES = 12


@dataclass(frozen=True)
class Question:
    """A reflection question as written (a Jinja string) and where it was written."""

    template: str
    path: Path
    line: int


def _question(value: object, cursor: Cursor) -> Question | None:
    if not isinstance(value, str) or not value.strip():
        number = int(cursor.keys[-1]) + 1
        cursor.report(
            f"{cursor.name} question {number} is not a question",
            'write it as text in double quotes: - "..."',
            line=cursor.located.line(*cursor.keys),
        )
        return None
    return Question(value.strip(), cursor.path, cursor.located.line(*cursor.keys))


def _tag(value: object, cursor: Cursor) -> str | None:
    vocabulary = cursor.context["vocabulary"]
    if not isinstance(value, str) or value not in vocabulary.tags:
        guess = vocabulary.closest(str(value))
        hint = f"did you mean '{guess}'? " if guess else ""
        cursor.report(
            f"unknown tag '{value}'",
            f"{hint}(tags are listed in templates/{vocabulary.path.name})",
            line=cursor.located.line(*cursor.keys),
        )
        return None
    return value


def _content_note(value: object, cursor: Cursor) -> str | None:
    notes = cursor.context["vocabulary"].content_notes
    if not isinstance(value, str) or value not in notes:
        known = ", ".join(notes) or "none are declared yet"
        cursor.report(
            f"unknown content note '{value}'",
            f"use one of the content notes in templates/tags.yml: {known}",
            line=cursor.located.line(*cursor.keys),
        )
        return None
    return value


SEGMENT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "title",
        f.text,
        kind="text",
        description="What the room does.",
        example='title: "Pairs: what did he see?"',
        required=True,
        limit=MAX_TITLE,
    ),
    FieldSpec(
        "minutes",
        f.minutes,
        kind="whole number of minutes",
        description="How long it takes.",
        example="minutes: 10",
        required=True,
    ),
    FieldSpec(
        "notes",
        f.text,
        kind="Markdown text",
        description="What to do or watch in it.",
        example='notes: "Two columns on the board."',
    ),
)
PLAN_FIELDS: tuple[FieldSpec, ...] = (
    *(
        FieldSpec(
            name, f.text, kind="Markdown text", description=label + ".", example=f'{name}: "..."'
        )
        for name, label in PLAN_PARTS.items()
    ),
    FieldSpec(
        "segments",
        f.list_of(
            f.record(SEGMENT_FIELDS, what="a segment", start_hint="write title: and minutes:"),
            noun="segments",
            hint="start each with '- title:' and give it minutes:",
        ),
        kind="list of segments (title, minutes, notes)",
        description="The timed parts of the session in order; they add up to at most suggested_minutes.",
        example='segments:\n  - title: "Read part A"\n    minutes: 8',
        limit=MAX_ENTRIES,
    ),
)
ROLE_CARD_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "role",
        f.text,
        kind="text",
        description="Who this card is for.",
        example='role: "Greg, the manager"',
        required=True,
    ),
    FieldSpec(
        "brief",
        f.text,
        kind="Markdown text",
        description="What this person knows and wants.",
        example="brief: |\n  ...",
        required=True,
    ),
)
PROVENANCE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "kind",
        f.choice(*PROVENANCE_KINDS),
        kind="retold, composite or invented",
        description="Where the story comes from.",
        example="kind: retold",
        required=True,
    ),
    FieldSpec(
        "source",
        f.text,
        kind="text",
        description="The source, for a retold story.",
        example='source: "A public post"',
    ),
)


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "title",
        f.text,
        kind="text",
        description="The story's title, shown as its heading and in every list.",
        example='title: "The quarter nobody asked about"',
        required=True,
        in_questions=True,
        limit=MAX_TITLE,
    ),
    FieldSpec(
        "summary",
        f.text,
        kind="text",
        description="One or two sentences saying what happens, without judging it.",
        example='summary: "A top seller misses her number and her new manager reaches for a plan."',
        required=True,
        in_questions=True,
        limit=MAX_SUMMARY,
    ),
    FieldSpec(
        "tags",
        f.list_of(_tag, noun="tags", hint="write e.g. tags: [wellbeing, underperformance]"),
        kind="list of tags",
        description="At least one tag from the vocabulary below. Themes and manager moments are both tags.",
        example="tags: [wellbeing, underperformance]",
        required=True,
        in_questions=True,
        limit=MAX_ENTRIES,
        # Templates get each tag with its label and page (see pages.story_view).
        on_page=False,
    ),
    FieldSpec(
        "reflection",
        f.list_of(
            _question,
            noun="questions",
            hint='write each question on its own line: - "What did ... notice?"',
        ),
        kind="list of questions",
        description="At least one reflection question. A question may use the story's fields, "
        "written like {{ story.protagonist }}.",
        example='reflection:\n  - "What did the manager notice first?"',
        required=True,
        limit=MAX_ENTRIES,
        # Rendered with Jinja first, then handed to templates as questions.
        view=None,
    ),
    FieldSpec(
        "protagonist",
        f.text,
        kind="text",
        description="The first name of the person at the heart of the story, for use in questions.",
        example='protagonist: "Dana"',
        in_questions=True,
        limit=MAX_TITLE,
        # A template may write {{ story.protagonist }} whether or not the story names one.
        view=lambda value: value or "",
    ),
    FieldSpec(
        "slug",
        f.slug,
        kind="text",
        description="The last part of the page address. Defaults to the file name. Lowercase letters, "
        "digits and hyphens only; unique across the library.",
        example="slug: quarter-nobody-asked-about",
        in_questions=True,
        on_page=False,
    ),
    FieldSpec(
        "draft",
        f.boolean,
        kind="true or false",
        description="A draft is checked, but left out of the learner edition and its search; the "
        "facilitator edition shows it, marked as a draft.",
        example="draft: true",
        on_page=False,
    ),
    FieldSpec(
        "content_notes",
        f.list_of(
            _content_note, noun="content notes", hint="write e.g. content_notes: [bereavement]"
        ),
        kind="list of content notes",
        description="Sensitive subjects the story touches, from the content notes in templates/tags.yml. "
        "Readers see them in plain words before the story starts.",
        example="content_notes: [bereavement, serious-illness]",
        limit=MAX_ENTRIES,
        on_page=False,
    ),
    FieldSpec(
        "reveal",
        f.list_of(f.text, noun="headings", hint='write e.g. reveal: ["What she was carrying"]'),
        kind="list of headings",
        description="Headings (## lines) of the story that each begin a part held back until the room has "
        "discussed what came before. A reader alone finds each such part folded.",
        example='reveal: ["What she was carrying"]',
        limit=MAX_ENTRIES,
    ),
    FieldSpec(
        "reveal_notes",
        f.list_of(
            _content_note, noun="content notes", hint="write e.g. reveal_notes: [bereavement]"
        ),
        kind="list of content notes",
        description="Sensitive subjects that only the held-back parts (reveal:) touch, from the content "
        "notes in templates/tags.yml. Readers who want to know can look them up before the "
        "story; everyone else meets them as a content note just before the held-back part. "
        "Only for a story with reveal:; a note is listed here or in content_notes:, not both.",
        example="reveal_notes: [bereavement]",
        limit=MAX_ENTRIES,
        on_page=False,
    ),
    FieldSpec(
        "reflection_after",
        f.list_of(
            _question,
            noun="questions",
            hint='write each question on its own line: - "What changes now that ...?"',
        ),
        kind="list of questions",
        description="Reflection questions asked only after the held-back parts (reveal:) have been read; "
        "reflection: keeps the questions for before. Written like reflection: questions. "
        "A discussion plan numbers them after the reflection: questions (with three of "
        "those, the first of these is question 4). Only for a story with reveal:.",
        example='reflection_after:\n  - "What would you do differently now that you know?"',
        limit=MAX_ENTRIES,
        # Rendered with Jinja first, then handed to templates as questions.
        view=None,
    ),
    FieldSpec(
        "banks",
        f.possibly_empty_list_of(
            _tag, noun="tags", hint="write e.g. banks: [wellbeing], or banks: []"
        ),
        kind="list of tags",
        description="Which of its tags' question banks the story takes; [] for none. Without it, all of them.",
        example="banks: [wellbeing]",
        limit=MAX_ENTRIES,
        on_page=False,
    ),
    FieldSpec(
        "facilitator_notes",
        f.text,
        kind="Markdown text",
        description="Notes for whoever runs a session. Facilitator edition only: never shown to learners.",
        example="facilitator_notes: |\n  Open by asking the room what they noticed first.",
        facilitator_only=True,
    ),
    FieldSpec(
        "suggested_minutes",
        f.minutes,
        kind="whole number of minutes",
        description="How long a workshop session on this story usually takes. Facilitator edition only.",
        example="suggested_minutes: 45",
        facilitator_only=True,
    ),
    FieldSpec(
        "discussion_plan",
        f.record(
            PLAN_FIELDS,
            what="discussion_plan",
            start_hint="indent 'open:', 'listen_for:' and 'close:' below discussion_plan:, "
            "each with its text",
            must_list="open, listen_for and close",
        ),
        kind="open, listen_for, close, and timed segments",
        description="How to open the discussion, what to listen for in the room, and how to close it, "
        "each as Markdown text, and optionally the timed segments of the session. "
        "Facilitator edition only.",
        example="discussion_plan:\n"
        '  open: "Ask who has been in this spot."\n'
        '  listen_for: "Observations mixed up with assumptions."\n'
        '  close: "Each person names one thing they will do this week."',
        facilitator_only=True,
    ),
    FieldSpec(
        "role_cards",
        f.list_of(
            f.record(ROLE_CARD_FIELDS, what="a role card", start_hint="write role: and brief:"),
            noun="role cards",
            hint="start each card with '- role:' and give it a brief:",
        ),
        kind="list of role cards (role, brief)",
        description="Briefs for a role-play of the conversation the story ends in, one card per role. "
        "Facilitator edition only.",
        example='role_cards:\n  - role: "The manager"\n    brief: "You want to understand first."',
        limit=MAX_ENTRIES,
        facilitator_only=True,
    ),
    FieldSpec(
        "provenance",
        f.record(PROVENANCE_FIELDS, what="provenance", start_hint="write kind: and source:"),
        kind="kind (retold, composite, invented) and source",
        description="Where the story comes from: retold from a source, a composite of real cases, or "
        "invented. Facilitator edition only.",
        example='provenance:\n  kind: retold\n  source: "A public post by a sales leader"',
        facilitator_only=True,
    ),
)

FIELD_NAMES: tuple[str, ...] = f.names(FIELDS)
FACILITATOR_FIELDS: tuple[str, ...] = f.names(FIELDS, facilitator_only=True)
# What a reflection question may use as story.<name> (Story.fields() gives exactly these).
QUESTION_FIELDS: tuple[str, ...] = f.names(FIELDS, in_questions=True)


@dataclass(frozen=True)
class Story:
    """A validated story. The body is kept exactly as written and never run through Jinja."""

    path: Path
    slug_line: int
    title: str
    summary: str
    tags: tuple[str, ...]
    reflection: tuple[Question, ...]
    slug: str
    body: str
    body_line: int
    protagonist: str | None = None
    draft: bool = False
    facilitator_notes: str | None = None
    suggested_minutes: int | None = None
    discussion_plan: Mapping[str, Any] | None = field(default=None, hash=False)
    # Every other field that is set, by name, as its spec read it.
    more: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def values(self) -> dict[str, Any]:
        """Every field by name, as read (None for an unset optional field)."""
        return {spec.name: self.value(spec.name) for spec in FIELDS}

    def value(self, name: str) -> Any:
        """One field as read (None when unset): a typed attribute, or kept in ``more``."""
        return getattr(self, name) if name in TYPED_FIELDS else self.more.get(name)

    def fields(self) -> dict[str, object]:
        """The fields a question may use as ``story.<name>`` (those whose spec says
        ``in_questions``); unset optional fields are absent. Lists are given as lists."""
        values: dict[str, object] = {}
        for name in QUESTION_FIELDS:
            value = self.value(name)
            if value is not None:
                values[name] = list(value) if isinstance(value, tuple) else value
        return values

    def entries(self, name: str) -> tuple[Any, ...]:
        """A list field as read, empty when unset."""
        return tuple(self.value(name) or ())

    @property
    def content_notes(self) -> tuple[str, ...]:
        return self.entries("content_notes")

    @property
    def reveal(self) -> tuple[str, ...]:
        return self.entries("reveal")

    @property
    def reveal_notes(self) -> tuple[str, ...]:
        """Content notes that only the held-back parts touch."""
        return self.entries("reveal_notes")

    @property
    def reflection_after(self) -> tuple[Question, ...]:
        """The questions asked only after the held-back parts."""
        return self.entries("reflection_after")

    @property
    def all_questions(self) -> tuple[Question, ...]:
        """Every question of the story in the order a session asks them: reflection, then
        reflection_after (the numbering a discussion plan's "Question N" follows)."""
        return self.reflection + self.reflection_after

    @property
    def banks(self) -> tuple[str, ...]:
        """The tags whose question banks this story takes (all its tags unless it chose)."""
        chosen = self.value("banks")
        return self.tags if chosen is None else tuple(chosen)

    @property
    def segments(self) -> tuple[Mapping[str, Any], ...]:
        return tuple((self.discussion_plan or {}).get("segments") or ())

    @property
    def role_cards(self) -> tuple[Mapping[str, Any], ...]:
        return self.entries("role_cards")


def typed_fields(specs: tuple[FieldSpec, ...]) -> frozenset[str]:
    """The fields Story keeps as attributes of their own (a spec whose name is a Story
    attribute); every other field is kept in Story.more."""
    attributes = {item.name for item in dataclasses.fields(Story)}
    return frozenset(name for name in f.names(specs) if name in attributes)


TYPED_FIELDS: frozenset[str] = typed_fields(FIELDS)


def field_lists(specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    """Every list of story field names this module derives from its specs, by constant name:
    what a test that declares other specs puts in their place."""
    return {
        "FIELDS": specs,
        "FIELD_NAMES": f.names(specs),
        "FACILITATOR_FIELDS": f.names(specs, facilitator_only=True),
        "QUESTION_FIELDS": f.names(specs, in_questions=True),
        "TYPED_FIELDS": typed_fields(specs),
    }

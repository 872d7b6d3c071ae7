"""The typed model of a story, and the field list that documents it for trainers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FieldSpec:
    """One front-matter field: the single source for validation and for the authoring page."""

    name: str
    kind: str
    required: bool
    description: str
    example: str
    # Shown in the facilitator edition only; the learner edition never contains it.
    facilitator_only: bool = False


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "title",
        "text",
        True,
        "The story's title, shown as its heading and in every list.",
        'title: "The quarter nobody asked about"',
    ),
    FieldSpec(
        "summary",
        "text",
        True,
        "One or two sentences saying what happens, without judging it.",
        'summary: "A top seller misses her number and her new manager reaches for a plan."',
    ),
    FieldSpec(
        "tags",
        "list of tags",
        True,
        "At least one tag from the vocabulary below. Themes and manager moments are both tags.",
        "tags: [wellbeing, underperformance]",
    ),
    FieldSpec(
        "reflection",
        "list of questions",
        True,
        "At least one reflection question. A question may use the story's fields, "
        "written like {{ story.protagonist }}.",
        'reflection:\n  - "What did the manager notice first?"',
    ),
    FieldSpec(
        "protagonist",
        "text",
        False,
        "The first name of the person at the heart of the story, for use in questions.",
        'protagonist: "Dana"',
    ),
    FieldSpec(
        "slug",
        "text",
        False,
        "The last part of the page address. Defaults to the file name. Lowercase letters, "
        "digits and hyphens only; unique across the library.",
        "slug: quarter-nobody-asked-about",
    ),
    FieldSpec(
        "draft",
        "true or false",
        False,
        "A draft is checked, but left out of the learner edition and its search; the "
        "facilitator edition shows it, marked as a draft.",
        "draft: true",
    ),
    FieldSpec(
        "content_notes",
        "list of content notes",
        False,
        "Sensitive subjects the story touches, from the content_notes section of the "
        "vocabulary below. Readers see them as a Content note before the story and on its card.",
        "content_notes: [bereavement, serious-illness]",
    ),
    FieldSpec(
        "banks",
        "list of tags",
        False,
        "Which of the story's tags lend it questions from their bank, under Going further. "
        "[] takes none; without the field, every tag lends its questions.",
        "banks: [wellbeing, feedback]",
    ),
    FieldSpec(
        "facilitator_notes",
        "Markdown text",
        False,
        "Notes for whoever runs a session. Facilitator edition only: never shown to learners.",
        "facilitator_notes: |\n  Open by asking the room what they noticed first.",
        facilitator_only=True,
    ),
    FieldSpec(
        "suggested_minutes",
        "whole number of minutes",
        False,
        "How long a workshop session on this story usually takes. Facilitator edition only.",
        "suggested_minutes: 45",
        facilitator_only=True,
    ),
    FieldSpec(
        "discussion_plan",
        "three parts: open, listen_for, close",
        False,
        "How to open the discussion, what to listen for in the room, and how to close it, "
        "each as Markdown text. Facilitator edition only.",
        "discussion_plan:\n"
        '  open: "Ask who has been in this spot."\n'
        '  listen_for: "Observations mixed up with assumptions."\n'
        '  close: "Each person names one thing they will do this week."',
        facilitator_only=True,
    ),
)

FIELD_NAMES: tuple[str, ...] = tuple(spec.name for spec in FIELDS)
FACILITATOR_FIELDS: tuple[str, ...] = tuple(spec.name for spec in FIELDS if spec.facilitator_only)
# The parts of a discussion plan, in the order a session runs.
PLAN_PARTS: dict[str, str] = {
    "open": "How to open",
    "listen_for": "What to listen for",
    "close": "How to close",
}
# What a reflection question may use as story.<name>.
QUESTION_FIELDS: tuple[str, ...] = ("title", "summary", "protagonist", "tags", "slug")


@dataclass(frozen=True)
class Question:
    """A reflection question as written (a Jinja string) and where it was written."""

    template: str
    path: Path
    line: int


@dataclass(frozen=True)
class DiscussionPlan:
    """How a facilitator opens, listens and closes; each part is Markdown, and optional."""

    open: str | None = None
    listen_for: str | None = None
    close: str | None = None


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
    discussion_plan: DiscussionPlan | None = None
    content_notes: tuple[str, ...] = ()
    # The tags whose question banks the story takes; None: all of its tags.
    banks: tuple[str, ...] | None = None

    def fields(self) -> dict[str, object]:
        """The fields a question may use as ``story.<name>``; unset optional fields are absent."""
        values: dict[str, object] = {
            "title": self.title,
            "summary": self.summary,
            "tags": list(self.tags),
            "slug": self.slug,
        }
        if self.protagonist is not None:
            values["protagonist"] = self.protagonist
        return values

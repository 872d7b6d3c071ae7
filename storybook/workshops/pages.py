"""The workshop pages: a run-of-show for the facilitator edition, an agenda for learners.

Both show a workshop's and a session's fields as their specs do in the edition being built
(fields.views): in an edition without facilitator material no facilitator-only field is even
read, so the learner edition's agenda cannot show one.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from storybook.core.editions import Edition, facilitator_view
from storybook.core.errors import Problem, StorybookError
from storybook.core.model import Story
from storybook.core.pages import Page, front_matter, story_uri
from storybook.core.reading import content_note_views
from storybook.core.render import Renderer
from storybook.core.vocabulary import Vocabulary
from storybook.workshops.plan import (
    SESSION_FIELDS,
    WORKSHOP_FIELDS,
    Slot,
    Workshop,
    clock,
    schedule,
    session_fields_view,
    usable,
    workshop_fields_view,
)

WORKSHOPS_INDEX = "workshops/index.md"
KIND_LABELS = {"story": "Story", "break": "Break", "exercise": "Exercise"}


def workshop_uri(slug: str) -> str:
    return f"workshops/{slug}.md"


def stories_of(workshop: Workshop) -> frozenset[str]:
    """The stories a workshop's pages are made from: those its sessions run."""
    return frozenset(s.story for s in workshop.sessions if s.story is not None)


def long_date(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def workshop_links(workshops: Sequence[Workshop]) -> list[dict[str, str]]:
    """What index pages show of a workshop, the same in both editions."""
    return [
        {
            "title": workshop.title,
            "date": long_date(workshop.date),
            "start": clock(workshop.start),
            "slug": workshop.slug,
            "uri": workshop_uri(workshop.slug),
        }
        for workshop in sorted(workshops, key=lambda w: (w.date, w.start, w.title))
    ]


def build_workshop_pages(
    workshops: Sequence[Workshop],
    stories: Sequence[Story],
    renderer: Renderer,
    *,
    edition: Edition,
    vocabulary: Vocabulary | None = None,
) -> tuple[list[Page], list[Problem]]:
    """The workshops' index page and one page per workshop, in the given edition."""
    by_slug = {story.slug: story for story in stories}
    facilitator = edition.shows_facilitator
    pages: list[Page] = []
    problems: list[Problem] = []
    for workshop in workshops:
        # A story with problems of its own is not shown; its problem is reported already.
        if not usable(workshop, by_slug):
            continue
        try:
            if facilitator:
                pages.append(render_run_of_show(workshop, by_slug, renderer, edition, vocabulary))
            else:
                pages.append(render_agenda(workshop, by_slug, renderer, edition))
        except StorybookError as exc:
            problems.extend(exc.problems)
    guide = (
        {
            "fields": [vars(spec) for spec in WORKSHOP_FIELDS],
            "session_fields": [vars(spec) for spec in SESSION_FIELDS],
        }
        if facilitator
        else None
    )
    try:
        content = renderer.render_template(
            "workshops.md.j2", workshops=workshop_links(workshops), guide=guide
        )
        pages.append(Page(WORKSHOPS_INDEX, content))
    except StorybookError as exc:
        problems.extend(exc.problems)
    return pages, problems


def render_run_of_show(
    workshop: Workshop,
    stories: Mapping[str, Story],
    renderer: Renderer,
    edition: Edition,
    vocabulary: Vocabulary | None = None,
) -> Page:
    slots = schedule(workshop)
    total = workshop.total_minutes
    view = {
        **workshop_view(workshop, edition),
        "planned_end": clock(workshop.start + workshop.planned_minutes),
        "total_minutes": total,
        "over_minutes": workshop.over_minutes,
        "spare_minutes": max(0, workshop.planned_minutes - total),
    }
    rows = []
    for slot in slots:
        story = stories.get(slot.session.story or "")
        rows.append(
            {
                **slot_view(slot, story, edition),
                "cumulative": slot.cumulative,
                "past_planned_end": slot.past_planned_end,
                "facilitator": facilitator_view(story, edition) if story is not None else None,
                "content_notes": content_note_views(story.content_notes, vocabulary)
                if story is not None and vocabulary is not None
                else [],
                "reveal_notes": content_note_views(story.reveal_notes, vocabulary)
                if story is not None and vocabulary is not None
                else [],
                "questions": numbered_questions(story, renderer) if story is not None else [],
                "reveal": list(story.reveal) if story is not None else [],
            }
        )
    content = renderer.render_template("run-of-show.md.j2", workshop=view, slots=rows)
    description = f"Run-of-show for {workshop.title}, {long_date(workshop.date)}."
    front = front_matter(workshop.title, description)
    return Page(workshop_uri(workshop.slug), front + content, stories_of(workshop))


def render_agenda(
    workshop: Workshop, stories: Mapping[str, Story], renderer: Renderer, edition: Edition
) -> Page:
    rows = []
    for slot in schedule(workshop):
        story = stories.get(slot.session.story or "")
        # Only the questions for before the reveal: those for after it (reflection_after)
        # would tell a participant the turn of the story before the session.
        questions = (
            [renderer.render_question(question, story) for question in story.reflection]
            if story is not None
            else []
        )
        rows.append({**slot_view(slot, story, edition), "questions": questions})
    content = renderer.render_template(
        "agenda.md.j2", workshop=workshop_view(workshop, edition), slots=rows
    )
    description = workshop.summary or f"Agenda for {workshop.title}, {long_date(workshop.date)}."
    front = front_matter(workshop.title, description)
    return Page(workshop_uri(workshop.slug), front + content, stories_of(workshop))


def numbered_questions(story: Story, renderer: Renderer) -> list[dict[str, Any]]:
    """Every question of a story as a facilitator's plan numbers them ("Question 4"): its
    reflection questions, then those for after the reveal, each marked ``after``."""
    fields = story.fields()
    return [
        {
            "number": number,
            "text": renderer.render_question(question, story, fields),
            "after": number > len(story.reflection),
        }
        for number, question in enumerate(story.all_questions, 1)
    ]


def workshop_view(workshop: Workshop, edition: Edition) -> dict[str, Any]:
    """What a page of the edition shows of a workshop: its fields as their specs show them in
    that edition (its facilitator notes only in an edition that shows them), its address and
    when it ends."""
    return {
        **workshop_fields_view(workshop, edition),
        "slug": workshop.slug,
        "end": clock(workshop.start + workshop.total_minutes),
    }


def slot_view(slot: Slot, story: Story | None, edition: Edition) -> dict[str, Any]:
    """What a page of the edition shows of a session: its fields as their specs show them in
    that edition, the story it names (never the story's facilitator material) and its clock."""
    session = slot.session
    return {
        **session_fields_view(session, edition),
        "kind": session.kind,
        "kind_label": KIND_LABELS[session.kind],
        "title": story.title if story is not None else session.label or "",
        "summary": story.summary if story is not None else "",
        "uri": story_uri(story.slug) if story is not None else "",
        "start": clock(slot.start),
        "end": clock(slot.end),
    }

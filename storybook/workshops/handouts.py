"""A workshop's handouts and console: the learner workbook, the facilitator pack, and the
workshop console that follows the run-of-show as it happens.

The workbook is made in both editions from learner material only; the pack and the console
are made in the facilitator edition only, and only they read facilitator-only fields.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Protocol

from storybook.core.editions import LEARNER_EDITION, Edition, facilitator_view
from storybook.core.errors import Problem, StorybookError
from storybook.core.model import Story
from storybook.core.pages import Page, front_matter, story_questions, story_uri, story_view
from storybook.core.parts import held_stretches
from storybook.core.render import Renderer
from storybook.core.vocabulary import Vocabulary
from storybook.workshops.pages import (
    long_date,
    numbered_questions,
    stories_of,
    workshop_uri,
)
from storybook.workshops.pages import slot_view as page_slot_view
from storybook.workshops.pages import workshop_view as page_workshop_view
from storybook.workshops.plan import Slot, Workshop, schedule, usable

# Material hides the sidebars of these pages on screen, and print.css everything but the page.
HIDDEN = ("navigation", "toc")
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,5})(?=[ \t]|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def workbook_uri(slug: str) -> str:
    return f"workshops/{slug}/workbook.md"


def pack_uri(slug: str) -> str:
    return f"workshops/{slug}/pack.md"


def console_uri(slug: str) -> str:
    return f"workshops/{slug}/console.md"


def handout_uris(slug: str) -> tuple[str, ...]:
    """Every page made from a workshop besides its run-of-show or agenda."""
    return (workbook_uri(slug), pack_uri(slug), console_uri(slug))


def story_console_uri(slug: str) -> str:
    """A story's presenter console (built by the room's pages, facilitator edition)."""
    return f"console/{slug}.md"


class MakeHandout(Protocol):
    def __call__(
        self,
        workshop: Workshop,
        stories: Mapping[str, Story],
        vocabulary: Vocabulary,
        renderer: Renderer,
        edition: Edition,
        page_uris: Collection[str] = (),
    ) -> Page: ...


def build_handouts(
    make: MakeHandout,
    workshops: Sequence[Workshop],
    stories: Sequence[Story],
    vocabulary: Vocabulary,
    renderer: Renderer,
    *,
    edition: Edition,
    page_uris: Collection[str] = (),
) -> tuple[list[Page], list[Problem]]:
    """One handout (``make``: workbook, pack or console) of each workshop that can be shown.

    ``page_uris`` are the other pages of the build: the console links to a story's presenter
    console only when the build has one.
    """
    by_slug = {story.slug: story for story in stories}
    pages: list[Page] = []
    problems: list[Problem] = []
    for workshop in workshops:
        if not usable(workshop, by_slug):
            continue
        try:
            pages.append(make(workshop, by_slug, vocabulary, renderer, edition, page_uris))
        except StorybookError as exc:
            problems.extend(exc.problems)
    return pages, problems


def handout_front_matter(title: str, description: str) -> str:
    """Page front matter that also hides Material's navigation and table of contents, and
    keeps the page out of search: it repeats what the story and workshop pages hold."""
    closing = "---\n\n"
    head = front_matter(title, description)
    hide = "".join(f"  - {name}\n" for name in HIDDEN)
    return head[: -len(closing)] + "hide:\n" + hide + "search:\n  exclude: true\n" + closing


def render_workbook(
    workshop: Workshop,
    stories: Mapping[str, Story],
    vocabulary: Vocabulary,
    renderer: Renderer,
    edition: Edition,
    page_uris: Collection[str] = (),
) -> Page:
    slots = schedule(workshop)
    # Learner material only, in every edition: what a participant takes home.
    content = renderer.render_template(
        "workbook.md.j2",
        workshop=workshop_view(workshop, LEARNER_EDITION),
        slots=[slot_view(slot, stories, LEARNER_EDITION) for slot in slots],
        stories=[workbook_story(story, vocabulary, renderer) for story in run(slots, stories)],
    )
    title = f"{workshop.title}: workbook"
    description = f"Workbook for {workshop.title}, {long_date(workshop.date)}."
    front = handout_front_matter(title, description)
    return Page(workbook_uri(workshop.slug), front + content, stories_of(workshop))


def render_pack(
    workshop: Workshop,
    stories: Mapping[str, Story],
    vocabulary: Vocabulary,
    renderer: Renderer,
    edition: Edition,
    page_uris: Collection[str] = (),
) -> Page:
    slots = schedule(workshop)
    content = renderer.render_template(
        "pack.md.j2",
        workshop=workshop_view(workshop, edition),
        slots=[slot_view(slot, stories, edition) for slot in slots],
        stories=[pack_story(story, renderer, edition) for story in run(slots, stories)],
    )
    title = f"{workshop.title}: facilitator pack"
    description = f"Facilitator pack for {workshop.title}, {long_date(workshop.date)}."
    front = handout_front_matter(title, description)
    return Page(pack_uri(workshop.slug), front + content, stories_of(workshop))


def render_console(
    workshop: Workshop,
    stories: Mapping[str, Story],
    vocabulary: Vocabulary,
    renderer: Renderer,
    edition: Edition,
    page_uris: Collection[str] = (),
) -> Page:
    slots = schedule(workshop)
    rows = []
    for slot in slots:
        slug = slot.session.story
        console = story_console_uri(slug) if slug is not None else ""
        rows.append(
            {
                **slot_view(slot, stories, edition),
                "console": console if console in page_uris else "",
                "begins": slot.start,
                "ends": slot.end,
            }
        )
    content = renderer.render_template(
        "workshop-console.md.j2",
        workshop={
            **workshop_view(workshop, edition),
            "iso_date": workshop.date.isoformat(),
            "begins": workshop.start,
            "planned_minutes": workshop.planned_minutes,
        },
        slots=rows,
    )
    title = f"{workshop.title}: console"
    description = f"Workshop console for {workshop.title}, {long_date(workshop.date)}."
    front = handout_front_matter(title, description)
    return Page(console_uri(workshop.slug), front + content, stories_of(workshop))


def workshop_view(workshop: Workshop, edition: Edition) -> dict[str, Any]:
    """What a handout of the edition shows of a workshop: what its agenda or run-of-show
    shows, and its address."""
    return {**page_workshop_view(workshop, edition), "uri": workshop_uri(workshop.slug)}


def run(slots: Sequence[Slot], stories: Mapping[str, Story]) -> list[Story]:
    """The stories a workshop runs, in the order of its sessions."""
    return [stories[slot.session.story] for slot in slots if slot.session.story is not None]


def slot_view(slot: Slot, stories: Mapping[str, Story], edition: Edition) -> dict[str, Any]:
    """What a handout of the edition shows of a session: what its workshop's page shows,
    and the minutes so far."""
    story = stories.get(slot.session.story or "")
    return {
        **page_slot_view(slot, story, edition),
        "cumulative": slot.cumulative,
        "past_planned_end": slot.past_planned_end,
    }


def workbook_story(story: Story, vocabulary: Vocabulary, renderer: Renderer) -> dict[str, Any]:
    """A story as learners read it, with the same questions as its page: no facilitator field.

    A story that holds parts back is cut at its first fold: ``body`` is what comes before
    (with the reflection questions), ``held_body`` the held-back parts, which the workbook
    prints on a page of their own after a page that says stop, with the questions for after
    them (reflection_after)."""
    plan = story_questions(story, vocabulary, renderer)
    held = held_stretches(story.body, story.reveal)
    return {
        **story_view(story, vocabulary),
        "body": demote_headings(held.before if story.reveal else story.body),
        "held_body": demote_headings("".join(held.stretches)) if story.reveal else "",
        "questions": plan.asked + plan.own_further,
        "after_questions": plan.after + plan.after_further,
        "after_start": len(story.reflection) + 1,
        # In the page's order: one entry per question, each with the label of its tag.
        "tag_questions": [
            {"label": vocabulary.tags[item.tag].label, "questions": [item.text]}
            for item in plan.bank
        ],
    }


def pack_story(story: Story, renderer: Renderer, edition: Edition) -> dict[str, Any]:
    """A story as the facilitator runs it: plan, segments, notes, role cards, and its
    questions numbered as the plan names them, those for after the reveal marked."""
    facilitator = facilitator_view(story, edition)
    if facilitator is None:
        raise ValueError(f"the {edition.name} edition has no facilitator pack")
    return {
        "questions": numbered_questions(story, renderer),
        "reveal": list(story.reveal),
        "title": story.title,
        "summary": story.summary,
        "slug": story.slug,
        "uri": story_uri(story.slug),
        "facilitator": facilitator,
        "segments": [
            {"title": s["title"], "minutes": s["minutes"], "notes": s.get("notes") or ""}
            for s in facilitator["segments"]
        ],
        "role_cards": facilitator["role_cards"],
    }


def demote_headings(markdown: str) -> str:
    """The body with every heading one level down: in a handout the story's title is a
    second-level heading, so the story's own sections go below it. Code is left alone."""
    lines = markdown.split("\n")
    fence = ""
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1).startswith(fence):
                fence = ""
        elif opening:
            fence = opening.group(1)
        else:
            lines[index] = _ATX_HEADING.sub(lambda match: match.group(0) + "#", line, count=1)
    return "\n".join(lines)

"""The learner and facilitator editions: what only facilitators may see, and how it is marked.

The learner edition is the default and must never contain facilitator-only material. That is
guaranteed structurally: facilitator data is only ever built by :func:`facilitator_view`, and
only called when the edition is the facilitator one. Templates cannot reach a :class:`Story`.
"""

from __future__ import annotations

from typing import Any

from storybook.model import PLAN_PARTS, Story

LEARNER = "learner"
FACILITATOR = "facilitator"
EDITIONS: tuple[str, ...] = (LEARNER, FACILITATOR)
# The variable mkdocs.yml reads with `edition: !ENV [STORYBOOK_EDITION, learner]`.
EDITION_VARIABLE = "STORYBOOK_EDITION"
FACILITATOR_SITE_NAME = "{site_name} · Facilitator edition"
# Marks the banner; `storybook serve --room` and the tests look for it.
BANNER_CLASS = "storybook-facilitator-edition"


def is_facilitator(edition: str) -> bool:
    return edition == FACILITATOR


def facilitator_view(story: Story) -> dict[str, Any]:
    """What the facilitator edition adds to a story: notes, suggested time, discussion plan,
    and where its presenter console is (docs-relative, "" for a draft)."""
    plan = story.discussion_plan
    steps = [
        {"name": name, "label": label, "text": getattr(plan, name)}
        for name, label in PLAN_PARTS.items()
        if plan is not None and getattr(plan, name)
    ]
    segments = [
        {"title": segment.title, "minutes": segment.minutes, "notes": segment.notes or ""}
        for segment in (plan.segments if plan is not None else ())
    ]
    return {
        "notes": story.facilitator_notes or "",
        "minutes": story.suggested_minutes,
        "plan": steps,
        "segments": segments,
        # Drafts have no projector view, so no console either.
        "console": "" if story.draft else f"console/{story.slug}.md",
    }


def edition_banner() -> str:
    """The box at the top of every page of the facilitator edition."""
    return (
        f'<div class="admonition warning {BANNER_CLASS}" role="note" data-search-exclude>\n'
        '<p class="admonition-title">Facilitator edition: not for learners</p>\n'
        "<p>This edition shows facilitator notes, timings, discussion plans and drafts. "
        "Project the learner edition, never this one.</p>\n"
        "</div>\n\n"
    )

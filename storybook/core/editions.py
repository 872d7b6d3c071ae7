"""Editions: a policy each, saying what one site built from the same stories shows and where.

The learner edition is the default and must never contain facilitator-only material. That is
guaranteed structurally: facilitator data is only ever built by :func:`facilitator_view`,
which is only called for an edition whose policy shows facilitator material. Templates
cannot reach a :class:`Story`. A third edition would be one more :class:`Edition` entry.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storybook.core.model import Story

# The variable mkdocs.yml reads with `edition: !ENV [STORYBOOK_EDITION, learner]`.
EDITION_VARIABLE = "STORYBOOK_EDITION"
# Set by `storybook serve --room` for each of its servers: the only edition that server may
# build, checked on every rebuild (mkdocs.yml may be edited while the room runs).
ROOM_EDITION_VARIABLE = "STORYBOOK_ROOM_EDITION"
# Where `storybook serve --room` says the other edition is; one edition alone uses the defaults.
PROJECTOR_URL_VARIABLE = "STORYBOOK_PROJECTOR_URL"
CONSOLE_URL_VARIABLE = "STORYBOOK_CONSOLE_URL"
JOIN_URL_VARIABLE = "STORYBOOK_JOIN_URL"
# `storybook serve --room` sets it to "off" for the learner edition: the projector's pages
# never show authoring problems; the terminal and the facilitator edition still do.
PROBLEM_BANNER_VARIABLE = "STORYBOOK_PROBLEM_BANNER"
# The plugin option each of the room's variables stands for.
ROOM_VARIABLES = {
    "projector_url": PROJECTOR_URL_VARIABLE,
    "console_url": CONSOLE_URL_VARIABLE,
    "join_url": JOIN_URL_VARIABLE,
    "problem_banner": PROBLEM_BANNER_VARIABLE,
}
# Marks the banner; `storybook serve --room` and the tests look for it.
BANNER_CLASS = "storybook-facilitator-edition"


@dataclass(frozen=True)
class Edition:
    """What one edition shows, what it is called, where it is built and who may reach it."""

    name: str
    # Drafts are built and shown, marked as drafts.
    shows_drafts: bool
    # Facilitator-only fields and pages are built at all.
    shows_facilitator: bool
    # How the site's name reads in this edition.
    site_name_format: str
    # Appended to MkDocs' default site folder (site/) only: a folder named by site_dir or
    # `mkdocs build -d` is used as named, and refused if it holds another edition.
    site_dir_suffix: str
    # Served on 127.0.0.1 only, never on the room's network; never deployed.
    local_only: bool
    # The box at the top of every page, if any (HTML).
    banner: str

    def site_name(self, site_name: str) -> str:
        return self.site_name_format.format(site_name=site_name)

    def marked(self, markdown: str) -> str:
        """A page of this edition with its banner after the page's front matter."""
        if not self.banner:
            return markdown
        front, body = split_page_front_matter(markdown)
        return front + self.banner + body


_FACILITATOR_BANNER = (
    f'<div class="admonition warning {BANNER_CLASS}" role="note" data-search-exclude>\n'
    '<p class="admonition-title">Facilitator edition: not for learners</p>\n'
    "<p>This edition shows facilitator notes, timings, discussion plans and drafts. "
    "Project the learner edition, never this one.</p>\n"
    "</div>\n\n"
)

LEARNER_EDITION = Edition(
    name="learner",
    shows_drafts=False,
    shows_facilitator=False,
    site_name_format="{site_name}",
    site_dir_suffix="",
    local_only=False,
    banner="",
)
FACILITATOR_EDITION = Edition(
    name="facilitator",
    shows_drafts=True,
    shows_facilitator=True,
    site_name_format="{site_name} · Facilitator edition",
    site_dir_suffix="-facilitator",
    local_only=True,
    banner=_FACILITATOR_BANNER,
)
BY_NAME: dict[str, Edition] = {e.name: e for e in (LEARNER_EDITION, FACILITATOR_EDITION)}
EDITIONS: tuple[str, ...] = tuple(BY_NAME)
LEARNER = LEARNER_EDITION.name
FACILITATOR = FACILITATOR_EDITION.name


def edition(name: str) -> Edition:
    """The policy of the edition called ``name`` (one of :data:`EDITIONS`)."""
    return BY_NAME[name]


def is_loopback(host: str) -> bool:
    """Whether an address reaches this machine only: 127.0.0.0/8, ::1 or localhost."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def facilitator_view(story: Story, edition: Edition) -> dict[str, Any] | None:
    """What an edition that shows facilitator material adds to a story: every facilitator-only
    field by name, plus the shapes the templates use (notes, minutes, plan steps, segments).
    None for an edition that shows none: its pages are given nothing of that material."""
    # Here, not above: the `storybook` command reads the editions for its options, and the
    # story's fields (with the cleaning of their text) are for building pages only.
    from storybook.core.fields import own_views
    from storybook.core.model import FIELDS, PLAN_PARTS

    if not edition.shows_facilitator:
        return None
    plan = story.discussion_plan or {}
    steps = [
        {"name": name, "label": label, "text": plan[name]}
        for name, label in PLAN_PARTS.items()
        if plan.get(name)
    ]
    return {
        **own_views(story.values(), FIELDS, edition),
        "notes": story.facilitator_notes or "",
        "minutes": story.suggested_minutes,
        "plan": steps,
        "segments": [dict(segment) for segment in story.segments],
        "role_cards": [dict(card) for card in story.role_cards],
    }


# As MkDocs finds it (mkdocs.utils.meta), with \r\n too: MkDocs reads files with
# universal newlines, the export copies their bytes.
_PAGE_FRONT_MATTER = re.compile(
    r"\A\ufeff?-{3}[ \t]*\r?\n(?:.*?\r?\n)??(?:-{3}|\.{3})[ \t]*(?:\r?\n|\Z)", re.DOTALL
)


def split_page_front_matter(markdown: str) -> tuple[str, str]:
    """A page's front matter (with its fences) and the rest. A hand-written page may have
    Windows line endings or a byte-order mark: MkDocs reads its front matter all the same."""
    found = _PAGE_FRONT_MATTER.match(markdown)
    if found is None:
        return "", markdown
    return markdown[: found.end()], markdown[found.end() :]

"""A section is the unit of the site: a new kind of page, added as one Section and nothing
else, gets the edition's policy, draft withdrawal, the cleaner and the export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import storybook.core.pipeline
import storybook.sections
from storybook.core.editions import FACILITATOR_EDITION, LEARNER_EDITION
from storybook.core.errors import Problem, StorybookError
from storybook.core.pages import Page, front_matter
from storybook.core.sections import STORIES, Inputs, Section, facilitator_editions
from storybook.export.exporter import export_site
from storybook.sections import SECTIONS, build_site

from .conftest import build, story_text

CARD_TEMPLATE = "card.md.j2"
SAFE_CARD = "**{{ story.title }}**\n\n{{ story.summary }}\n"
# What a careless template might write: the cleaner must take it off the page.
UNSAFE_CARD = SAFE_CARD + '\n<a href="javascript:alert(1)" onclick="alert(2)">Read on</a>\n'


def card_uri(slug: str) -> str:
    return f"cards/{slug}.md"


def make_cards(inputs: Inputs) -> tuple[list[Page], list[Problem]]:
    """A card per story of the library, drafts included on purpose: what the edition may
    show is the pipeline's business, not the section's."""
    pages = [
        Page(
            card_uri(story.slug),
            front_matter(story.title, story.summary)
            + inputs.renderer.render_template(
                CARD_TEMPLATE, story={"title": story.title, "summary": story.summary}
            ),
            frozenset({story.slug}),
        )
        for story in inputs.library.stories
    ]
    return pages, []


CARDS = Section("cards", make_cards, reads=(STORIES,), templates=(CARD_TEMPLATE,))
TRAINER_CARDS = Section(
    "trainer-cards",
    lambda inputs: ([Page("trainer-cards.md", "# Cards\n")], []),
    editions=facilitator_editions,
)


@pytest.fixture
def project(mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two stories, one a draft, and the card section registered beside the others."""
    project = mini_project(
        {
            "kept.md": story_text(title="Kept story"),
            "drafted.md": story_text(title="Drafted story", extra="draft: true\n"),
        }
    )
    (project / "templates" / CARD_TEMPLATE).write_text(SAFE_CARD, encoding="utf-8")
    monkeypatch.setattr(storybook.sections, "SECTIONS", [*SECTIONS, CARDS, TRAINER_CARDS])
    return project


def test_a_new_section_gets_the_editions_and_draft_withdrawal(project: Path) -> None:
    learner = build_site(project / "stories", project / "templates")
    assert learner.problems == []
    assert card_uri("kept") in learner.pages
    assert card_uri("drafted") not in learner.pages, "a draft's card left the learner edition"
    assert "trainer-cards.md" not in learner.pages, "a facilitator section made a learner page"
    assert learner.made_from[card_uri("kept")] == {"kept"}

    facilitator = build_site(
        project / "stories", project / "templates", edition=FACILITATOR_EDITION
    )
    assert {card_uri("kept"), card_uri("drafted"), "trainer-cards.md"} <= set(facilitator.pages)


def test_a_section_that_reads_what_nothing_loads_is_left_out(project: Path) -> None:
    reads_workshops = Section("agenda-cards", make_cards, reads=(STORIES, "workshops"))
    assert reads_workshops not in storybook.sections.site_sections([])
    with pytest.raises(ValueError, match="agenda-cards"):
        storybook.core.pipeline.build_site(
            project / "stories",
            project / "templates",
            sections=[reads_workshops],
            edition=LEARNER_EDITION,
        )


def test_a_new_section_is_cleaned_in_a_real_build(project: Path) -> None:
    (project / "templates" / CARD_TEMPLATE).write_text(UNSAFE_CARD, encoding="utf-8")
    site = build(project)
    card = (site / "cards" / "kept" / "index.html").read_text(encoding="utf-8")
    assert "Kept story" in card and "Read on" in card
    assert "javascript:" not in card and "onclick" not in card
    assert not (site / "cards" / "drafted").exists()


def test_a_new_section_is_exported_and_checked_at_its_story(project: Path, tmp_path: Path) -> None:
    export_site(project / "mkdocs.yml", tmp_path / "out")
    docs = tmp_path / "out" / "docs"
    assert "Kept story" in (docs / "cards" / "kept.md").read_text(encoding="utf-8")
    assert not (docs / "cards" / "drafted.md").exists()

    (project / "templates" / CARD_TEMPLATE).write_text(UNSAFE_CARD, encoding="utf-8")
    with pytest.raises(StorybookError) as refused:
        export_site(project / "mkdocs.yml", tmp_path / "again")
    # The engines that build an export clean nothing: the page is refused, at its story.
    problems = refused.value.problems
    assert problems and {p.path for p in problems} == {project / "stories" / "kept.md"}
    assert all("cards/kept.md" in p.message for p in problems)

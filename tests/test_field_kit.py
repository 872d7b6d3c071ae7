"""The field kit is the only list: a field declared by its spec alone reaches everything.

Two throwaway fields are added to the story specs (and to nothing else): ``mood``, which
learners see and questions may name, and ``debrief``, for facilitators only. The check, the
story page in both editions, the reflection questions, the authoring page and the scan of the
learner edition all see them, with no other code changed: only the template lines that show
them, as a trainer adds a field.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storybook.cli import main
from storybook.core import fields as f
from storybook.core import model
from storybook.core.editions import FACILITATOR_EDITION, LEARNER_EDITION
from storybook.core.fields import FieldSpec
from storybook.core.load import read_text
from storybook.core.yamlfile import parse_yaml
from storybook.workshops import pages as workshop_pages
from storybook.workshops import plan as workshop_plan
from storybook.workshops.plan import (
    Workshop,
    schedule,
    session_fields_view,
    validate_workshop,
    workshop_fields_view,
)

from .conftest import ROOT, build_edition, make_mini, own_template, site_bytes, story_text

MOOD = FieldSpec(
    "mood",
    f.text,
    kind="text",
    description="How the story feels, in a word (THROWAWAY-MOOD-GUIDE).",
    example='mood: "tense"',
    in_questions=True,
    limit=40,
)
DEBRIEF = FieldSpec(
    "debrief",
    f.text,
    kind="Markdown text",
    description="What to ask once the room has talked (THROWAWAY-DEBRIEF-GUIDE).",
    example='debrief: "Ask who would do the same."',
    facilitator_only=True,
)
MOOD_SHOWN = "Mood: Tense MARKER-MOOD"
DEBRIEF_MARKER = "MARKER-DEBRIEF"
STORY_FIELDS = f'mood: "Tense MARKER-MOOD"\ndebrief: "Debrief {DEBRIEF_MARKER} here"\n'
QUESTION = '\n  - "Why does it feel {{ story.mood }} to {{ story.protagonist }}?"'


def patch_everywhere(
    monkeypatch: pytest.MonkeyPatch, originals: dict[str, Any], lists: dict[str, Any]
) -> None:
    """Each list in place of the original, in every module of the storybook that imported it."""
    for module in [m for name, m in sys.modules.items() if name.startswith("storybook")]:
        for name, value in lists.items():
            if getattr(module, name, None) is originals[name]:
                monkeypatch.setattr(module, name, value)


@pytest.fixture
def throwaway_fields(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The story specs with MOOD and DEBRIEF added, everywhere the specs (and the lists of
    names the model derives from them) were imported."""
    lists = model.field_lists((*model.FIELDS, MOOD, DEBRIEF))
    patch_everywhere(monkeypatch, {name: getattr(model, name) for name in lists}, lists)
    yield


def test_the_model_derives_its_field_lists_from_the_specs() -> None:
    lists = model.field_lists(model.FIELDS)
    assert all(getattr(model, name) == value for name, value in lists.items())
    assert "title" in model.TYPED_FIELDS and "reveal" not in model.TYPED_FIELDS


def test_spec_descriptions_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        FieldSpec("mood", f.text, "text", "How it feels.", 'mood: "tense"')  # type: ignore[call-arg]


def run_check(project: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["check"], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.usefixtures("throwaway_fields")
def test_check_reads_the_new_fields_and_reports_each_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = story_text(extra="mood: [a, b]\ndebrief: [c]\n")
    lines = bad.splitlines()
    project = make_mini(
        tmp_path / "mini", {"bad.md": bad, "good.md": story_text(extra=STORY_FIELDS)}
    )
    code, output = run_check(project, monkeypatch)
    assert code != 0
    assert f"bad.md:{lines.index('mood: [a, b]') + 1}: mood must be text" in output
    assert f"bad.md:{lines.index('debrief: [c]') + 1}: debrief must be text" in output
    assert "good.md" not in output
    assert "unknown field" not in output


@pytest.mark.usefixtures("throwaway_fields")
def test_check_tells_a_question_about_the_new_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What check says about a field a question names comes from in_questions: the new field
    is offered, and a story without it is told to add it."""
    misspelt = story_text(extra=STORY_FIELDS, reflection='\n  - "Is it {{ story.moood }}?"')
    missing = story_text(reflection=QUESTION)
    project = make_mini(tmp_path / "mini", {"misspelt.md": misspelt, "missing.md": missing})
    code, output = run_check(project, monkeypatch)
    assert code != 0
    assert "did you mean 'story.mood'?" in output
    assert "This story has no mood: field; add it" in output


def make_project(root: Path) -> Path:
    """A storybook with one story that sets both fields, and templates that show them."""
    project = make_mini(root, {"felt.md": story_text(extra=STORY_FIELDS, reflection=QUESTION)})
    for name, line in (
        ("story.md.j2", "Mood: {{ story.mood }}"),
        ("story-facilitator.md.j2", "Debrief: {{ facilitator.debrief }}"),
    ):
        template = own_template(project, name)
        template.write_text(template.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return project


@pytest.fixture
def editions(tmp_path: Path, throwaway_fields: None) -> dict[str, dict[str, bytes]]:
    """Every file of both editions of that storybook."""
    return {
        edition: site_bytes(build_edition(make_project(tmp_path / edition), edition, strict=True))
        for edition in ("learner", "facilitator")
    }


def text_of(site: dict[str, bytes], name: str) -> str:
    return re.sub(r"<[^>]+>", "", site[name].decode("utf-8"))


def test_the_pages_show_the_new_fields_to_whom_they_are_for(
    editions: dict[str, dict[str, bytes]],
) -> None:
    learner, facilitator = editions["learner"], editions["facilitator"]
    for site in (learner, facilitator):
        page = text_of(site, "stories/felt/index.html")
        assert MOOD_SHOWN in page
        # The question filled in with the new field, as story.<name>.
        assert "Why does it feel Tense MARKER-MOOD to Sam?" in page
    assert f"Debrief {DEBRIEF_MARKER} here" in text_of(facilitator, "stories/felt/index.html")
    # The authoring page is for trainers: the facilitator edition's lists both fields.
    assert "authoring/index.html" not in learner
    authoring = text_of(facilitator, "authoring/index.html")
    for name, guide in (("mood", "THROWAWAY-MOOD-GUIDE"), ("debrief", "THROWAWAY-DEBRIEF-GUIDE")):
        assert re.search(rf"{name}\s*no\s*\S.*{guide}", authoring), name


def test_the_learner_edition_holds_no_byte_of_the_new_facilitator_field(
    editions: dict[str, dict[str, bytes]],
) -> None:
    assert DEBRIEF_MARKER.encode() in b"".join(editions["facilitator"].values())
    for name, data in editions["learner"].items():
        assert DEBRIEF_MARKER.encode() not in data, name


def sample_workshops() -> list[Workshop]:
    return [
        validate_workshop(path, parse_yaml(read_text(path, what="workshop"), path))
        for path in sorted((ROOT / "workshops").glob("*.yml"))
    ]


@pytest.mark.parametrize("workshop", sample_workshops(), ids=lambda w: w.slug)
def test_workshop_and_session_views_are_their_specs_views(workshop: Workshop) -> None:
    """What the workshop pages show of a workshop's and a session's fields is what the specs'
    views give in that edition (the pages add the address, the clock and the story a session
    names); the facilitator-only fields only in the edition that shows them."""
    for edition in (LEARNER_EDITION, FACILITATOR_EDITION):
        fields = workshop_fields_view(workshop, edition)
        shown = workshop_pages.workshop_view(workshop, edition)
        assert {key: shown[key] for key in fields} == fields
        assert set(shown) - set(fields) == {"slug", "end"}
        for slot in schedule(workshop):
            session = session_fields_view(slot.session, edition)
            assert session.items() <= workshop_pages.slot_view(slot, None, edition).items()
    assert "facilitator_notes" not in workshop_fields_view(workshop, LEARNER_EDITION)
    assert workshop_fields_view(workshop, FACILITATOR_EDITION)["facilitator_notes"] == (
        workshop.facilitator_notes or ""
    )
    for slot in schedule(workshop):
        assert set(session_fields_view(slot.session, LEARNER_EDITION)) == {"minutes", "activity"}
        assert session_fields_view(slot.session, FACILITATOR_EDITION)["notes"] == (
            slot.session.notes or ""
        )


# The same for workshops: a throwaway learner field of a workshop and a throwaway facilitator
# field of a session, declared by their specs alone.
VENUE = FieldSpec(
    "venue",
    f.text,
    kind="text",
    description="Where the workshop takes place (THROWAWAY-VENUE-GUIDE).",
    example='venue: "Room 4"',
)
PROPS = FieldSpec(
    "props",
    f.text,
    kind="text",
    description="What to bring to the session (THROWAWAY-PROPS-GUIDE).",
    example='props: "Cards"',
    facilitator_only=True,
)
PROPS_MARKER = "MARKER-PROPS"
WORKSHOP_TEXT = f"""\
title: "A throwaway workshop"
date: 2026-03-10
start: "09:30"
planned_minutes: 60
venue: "Room MARKER-VENUE"
sessions:
  - story: felt
    minutes: 30
    activity: Pairs
    props: "Cards {PROPS_MARKER}"
"""


@pytest.fixture
def throwaway_workshop_fields(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    lists = workshop_plan.field_lists(
        (*workshop_plan.WORKSHOP_FIELDS, VENUE), (*workshop_plan.SESSION_FIELDS, PROPS)
    )
    patch_everywhere(monkeypatch, {name: getattr(workshop_plan, name) for name in lists}, lists)
    yield


def test_the_workshop_module_derives_its_field_lists_from_the_specs() -> None:
    lists = workshop_plan.field_lists(workshop_plan.WORKSHOP_FIELDS, workshop_plan.SESSION_FIELDS)
    assert all(getattr(workshop_plan, name) == value for name, value in lists.items())


def workshop_project(root: Path, workshop: str) -> Path:
    project = make_mini(root, {"felt.md": story_text()})
    (project / "workshops").mkdir()
    (project / "workshops" / "throwaway.yml").write_text(workshop, encoding="utf-8")
    return project


@pytest.mark.usefixtures("throwaway_workshop_fields")
def test_check_reads_the_new_workshop_fields_at_their_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = WORKSHOP_TEXT.replace('"Room MARKER-VENUE"', "[a]").replace(
        f'"Cards {PROPS_MARKER}"', "[b]"
    )
    lines = bad.splitlines()
    code, output = run_check(workshop_project(tmp_path / "mini", bad), monkeypatch)
    assert code != 0
    assert f"throwaway.yml:{lines.index('venue: [a]') + 1}: venue must be text" in output
    assert f"throwaway.yml:{lines.index('    props: [b]') + 1}: session 1: props must be text" in (
        output
    )
    assert "unknown" not in output


@pytest.fixture
def workshop_editions(
    tmp_path: Path, throwaway_workshop_fields: None
) -> dict[str, dict[str, bytes]]:
    """Both editions of a storybook with that workshop, its templates showing the fields."""
    sites = {}
    for edition in ("learner", "facilitator"):
        project = workshop_project(tmp_path / edition, WORKSHOP_TEXT)
        for name, line in (
            ("agenda.md.j2", "Venue: {{ workshop.venue }}"),
            ("run-of-show.md.j2", "Venue: {{ workshop.venue }}"),
            ("run-of-show.md.j2", "{% for slot in slots %}Props: {{ slot.props }}{% endfor %}"),
        ):
            template = own_template(project, name)
            text = template.read_text(encoding="utf-8")
            template.write_text(text + f"\n{line}\n", encoding="utf-8")
        sites[edition] = site_bytes(build_edition(project, edition, strict=True))
    return sites


def test_the_workshop_pages_show_the_new_fields_to_whom_they_are_for(
    workshop_editions: dict[str, dict[str, bytes]],
) -> None:
    learner, facilitator = workshop_editions["learner"], workshop_editions["facilitator"]
    page = "workshops/throwaway/index.html"
    assert "Venue: Room MARKER-VENUE" in text_of(learner, page)
    assert "Venue: Room MARKER-VENUE" in text_of(facilitator, page)
    assert f"Props: Cards {PROPS_MARKER}" in text_of(facilitator, page)
    # The facilitator edition's guide to workshop files lists both.
    guide = text_of(facilitator, "workshops/index.html")
    assert "THROWAWAY-VENUE-GUIDE" in guide and "THROWAWAY-PROPS-GUIDE" in guide
    for name, data in learner.items():
        assert PROPS_MARKER.encode() not in data, name

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from storybook.library import load_library
from storybook.pages import AUTHORING, HOME, TAGS_INDEX, build_pages
from storybook.render import Renderer

from .conftest import ROOT, story_text


def pages_of(project: Path) -> dict[str, str]:
    library = load_library(project / "stories", project / "templates")
    assert library.problems == []
    pages, problems = build_pages(library, Renderer(project / "templates"))
    assert problems == []
    return {page.src_uri: page.content for page in pages}


def test_sample_library_pages_are_made_in_memory() -> None:
    pages = pages_of(ROOT)
    assert {HOME, TAGS_INDEX, AUTHORING, "stories/the-quiet-slump.md"} <= set(pages)
    assert "tags/wellbeing.md" in pages
    slump = pages["stories/the-quiet-slump.md"]
    assert slump.startswith("---\ntitle: The Quiet Slump\n")
    assert "## Reflection questions" in slump
    assert "caregiving" in slump


def test_story_gets_its_own_questions_then_its_tags_banks(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project({"one.md": story_text(tags="[wellbeing, feedback]")})
    page = pages_of(project)["stories/one.md"]
    own = page.index("1. What did Sam notice?")
    banks = page.index("### Questions on this story's themes")
    assert own < banks < page.index("- *Wellbeing:*") < page.index("- *Feedback:*")


def test_authoring_page_is_generated_from_the_model_and_vocabulary() -> None:
    from storybook.model import FIELDS
    from storybook.vocabulary import load_vocabulary

    page = pages_of(ROOT)[AUTHORING]
    for spec in FIELDS:
        assert f"| `{spec.name}` | {'yes' if spec.required else 'no'} |" in page
    for name in load_vocabulary(ROOT / "templates").tags:
        assert f"- `{name}`:" in page


def test_templates_never_see_facilitator_notes(mini_project: Callable[..., Path]) -> None:
    project = mini_project(
        {"one.md": story_text(extra="facilitator_notes: |\n  SECRET-NOTE-MARKER\n")}
    )
    assert not any("SECRET-NOTE-MARKER" in text for text in pages_of(project).values())

"""A projector page is made from its story's converted HTML (plugin/derived.py): a learner
build converts each story's body once, and the projector page is, byte for byte, what
converting the story again on it made."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import markdown
import pytest

from storybook.core import safety
from storybook.core.room_pages import CONSOLE_URL_VARIABLE, DEFAULT_CONSOLE_URL
from storybook.plugin.derived import SharedParts

from .conftest import build_edition, copy_sample, story_text

# Every way a part can be cut or written: text before the first heading, a heading inside
# code, a heading with attributes, a list, a link defined in another part, held-back parts.
BODY = textwrap.dedent(
    """\
    It starts here, with [a link][guide].

    ## Part A

    What happened first:

    - one thing
    - then another

    ```
    ## not a heading, inside code
    ```

    ## Part B

    The twist WORDS-IN-PART-B.

    ## Part C

    After the twist.

    [guide]: https://example.org/guide
    """
)
PLAN = 'reveal: ["Part B"]\nreflection_after:\n  - "What changed for {{ story.protagonist }}?"\n'


@pytest.fixture(autouse=True)
def built_for_a_room(monkeypatch: pytest.MonkeyPatch) -> None:
    """Learner sites built for a room's projector: told where its console is, they have
    projector pages (a learner build told no room address makes none)."""
    monkeypatch.setenv(CONSOLE_URL_VARIABLE, DEFAULT_CONSOLE_URL)


def spy_on_page_conversions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text Python-Markdown converts into a page from now on (not the checks of
    safety.py, which convert a text that may make markup to report it at its line)."""
    converted: list[str] = []
    convert = markdown.Markdown.convert

    def spy(self: markdown.Markdown, source: str) -> Any:
        if self is not getattr(safety._converters, "markdown", None):
            converted.append(source)
        return convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", spy)
    return converted


def without_sharing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build as it was: the projector page converts its story's parts again."""
    monkeypatch.setattr(SharedParts, "before_conversion", lambda self, uri, text: text)


def test_a_learner_build_converts_each_story_body_once_and_the_projector_shows_every_part(
    mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = mini_project({"twist.md": story_text(title="The twist", body=BODY, extra=PLAN)})
    converted = spy_on_page_conversions(monkeypatch)
    site = build_edition(project, "learner", strict=True)
    assert sum("WORDS-IN-PART-B" in text for text in converted) == 1
    assert sum("After the twist." in text for text in converted) == 1
    page = (site / "present" / "twist" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="storybook-slide') == 1 + 4 + 2  # title, 4 parts, 2 questions
    for shown in (
        'It starts here, with <a href="https://example.org/guide">a link</a>',
        "<li>then another</li>",
        "## not a heading, inside code",
        'id="part-b"',
        "WORDS-IN-PART-B",
        "After the twist.",
    ):
        assert shown in page
    assert "storybook-part" not in page and "storybook-html" not in page
    story = (site / "stories" / "twist" / "index.html").read_text(encoding="utf-8")
    assert "WORDS-IN-PART-B" in story and "storybook-part" not in story


def test_the_projector_page_is_what_converting_its_story_again_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_sample(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("search: pagefind", "search: lunr"),
        encoding="utf-8",
    )
    pages = ("present/*/index.html", "stories/*/index.html")
    shared = pages_of(build_edition(project, "learner", strict=True), pages)
    without_sharing(monkeypatch)
    again = pages_of(build_edition(project, "learner", strict=True), pages)
    assert any(name.startswith("present/") for name in shared)
    assert shared.keys() == again.keys()
    for name, html in shared.items():
        assert html == again[name], name


def test_the_mini_projector_page_is_what_converting_its_story_again_made(
    mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = mini_project({"twist.md": story_text(title="The twist", body=BODY, extra=PLAN)})
    shared = pages_of(build_edition(project, "learner", strict=True), ("present/*/index.html",))
    without_sharing(monkeypatch)
    again = pages_of(build_edition(project, "learner", strict=True), ("present/*/index.html",))
    assert shared == again and shared


def pages_of(site: Path, patterns: tuple[str, ...]) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
        for pattern in patterns
        for path in sorted(site.glob(pattern))
    }

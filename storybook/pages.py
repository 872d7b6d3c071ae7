"""Step 4: the site's Markdown pages, in memory: home, stories, tag pages, authoring guide."""

from __future__ import annotations

import heapq
import html
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import yaml

from storybook.editions import LEARNER, facilitator_view, is_facilitator
from storybook.errors import Problem, StorybookError
from storybook.library import Library
from storybook.model import FIELDS, Story
from storybook.render import Renderer
from storybook.vocabulary import KINDS, VOCABULARY_FILE, Tag, Vocabulary

# The C emitter is several times faster than the pure-Python one, which was the slowest
# step of rendering a story; both write YAML that reads back the same.
Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

HOME = "index.md"
TAGS_INDEX = "tags/index.md"
AUTHORING = "authoring.md"
RELATED_LIMIT = 3


@dataclass(frozen=True)
class Page:
    """A generated Markdown document and the docs-relative path it pretends to live at."""

    src_uri: str
    content: str


def story_uri(slug: str) -> str:
    return f"stories/{slug}.md"


def tag_uri(name: str) -> str:
    return f"tags/{name}.md"


def build_pages(
    library: Library,
    renderer: Renderer,
    *,
    include_drafts: bool = False,
    edition: str = LEARNER,
    workshops: Sequence[Mapping[str, Any]] = (),
    render_story: RenderStory | None = None,
) -> tuple[list[Page], list[Problem]]:
    """Render every page that can be rendered, and every template and question problem.

    ``workshops`` are what the home page lists of the workshops (title, date, uri).
    """
    vocabulary = library.vocabulary
    if vocabulary is None:
        return [], []
    render_story = render_story or render_story_page
    chosen = library.stories if include_drafts else library.published
    stories = sorted(chosen, key=lambda story: story.title.lower())
    problems: list[Problem] = []
    pages: list[Page] = []
    rendered: list[Story] = []
    related = related_stories(stories)
    for story in stories:
        try:
            pages.append(
                render_story(
                    story,
                    vocabulary,
                    renderer,
                    related=related[story.slug],
                    facilitator=is_facilitator(edition),
                )
            )
            rendered.append(story)
        except StorybookError as exc:
            problems.extend(exc.problems)
    try:
        pages.extend(render_index_pages(rendered, vocabulary, renderer, workshops))
    except StorybookError as exc:
        problems.extend(exc.problems)
    return pages, problems


def render_story_page(
    story: Story,
    vocabulary: Vocabulary,
    renderer: Renderer,
    *,
    related: Sequence[Related] = (),
    facilitator: bool = False,
) -> Page:
    problems: list[Problem] = []

    def ask(tag_questions: Any) -> list[str]:
        rendered = []
        for question in tag_questions:
            try:
                rendered.append(renderer.render_question(question, story))
            except StorybookError as exc:
                problems.extend(exc.problems)
        return rendered

    own = ask(story.reflection)
    banks = [
        {"tag": tag_view(vocabulary.tags[name]), "questions": ask(vocabulary.tags[name].questions)}
        for name in story.tags
    ]
    if problems:
        raise StorybookError(problems)
    content = renderer.render_template(
        "story.md.j2",
        story=story_view(story, vocabulary),
        questions=own,
        tag_questions=[bank for bank in banks if bank["questions"]],
        related=[
            {
                "title": item.story.title,
                "summary": item.story.summary,
                "uri": story_uri(item.story.slug),
                "shared": [tag_view(vocabulary.tags[name]) for name in item.shared],
            }
            for item in related
        ],
        # The learner edition passes nothing at all of the facilitator material.
        facilitator=facilitator_view(story) if facilitator else None,
    )
    return Page(story_uri(story.slug), front_matter(story.title, story.summary) + content)


@dataclass(frozen=True)
class Related:
    """A story worth reading next, and the tags it shares with the one just read."""

    story: Story
    shared: tuple[str, ...]


class RenderStory(Protocol):
    """What renders one story's page: render_story_page, or a cache in front of it."""

    def __call__(
        self,
        story: Story,
        vocabulary: Vocabulary,
        renderer: Renderer,
        *,
        related: Sequence[Related] = (),
        facilitator: bool = False,
    ) -> Page: ...


def related_stories(
    stories: Sequence[Story], *, limit: int = RELATED_LIMIT
) -> dict[str, list[Related]]:
    """For each story (by slug), up to ``limit`` other stories that share tags with it.

    Closest first: the most shared tags, then the rarer the shared tags the better (a tag
    half the library carries says less than one only two stories carry), then by title.
    """
    by_tag: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        for name in story.tags:
            by_tag[name].append(story)
    return {story.slug: _closest(story, by_tag, limit) for story in stories}


def _closest(story: Story, by_tag: dict[str, list[Story]], limit: int) -> list[Related]:
    shared: dict[str, list[str]] = defaultdict(list)
    others: dict[str, Story] = {}
    for name in story.tags:
        for other in by_tag[name]:
            if other.slug != story.slug:
                shared[other.slug].append(name)
                others[other.slug] = other

    def rank(other: Story) -> tuple[int, float, str]:
        tags = shared[other.slug]
        return (-len(tags), -sum(1 / len(by_tag[name]) for name in tags), other.title.lower())

    closest = heapq.nsmallest(limit, others.values(), key=rank)
    return [Related(other, tuple(shared[other.slug])) for other in closest]


def render_index_pages(
    stories: list[Story],
    vocabulary: Vocabulary,
    renderer: Renderer,
    workshops: Sequence[Mapping[str, Any]] = (),
) -> list[Page]:
    views = [story_view(story, vocabulary) for story in stories]
    kinds = [
        {
            "name": kind,
            "label": label,
            "tags": [
                {**tag_view(tag), "count": sum(tag.name in story.tags for story in stories)}
                for tag in vocabulary.by_kind(kind)
            ],
        }
        for kind, label in KINDS.items()
    ]
    pages = [
        Page(
            HOME,
            renderer.render_template(
                "home.md.j2", stories=views, kinds=kinds, workshops=list(workshops)
            ),
        ),
        Page(TAGS_INDEX, renderer.render_template("tags.md.j2", kinds=kinds)),
        Page(
            AUTHORING,
            renderer.render_template(
                "authoring.md.j2",
                fields=[vars(spec) for spec in FIELDS],
                kinds=kinds,
                vocabulary_file=f"templates/{VOCABULARY_FILE}",
            ),
        ),
    ]
    for tag in vocabulary.tags.values():
        tagged = [
            view for view, story in zip(views, stories, strict=True) if tag.name in story.tags
        ]
        content = renderer.render_template("tag.md.j2", tag=tag_view(tag), stories=tagged)
        pages.append(Page(tag_uri(tag.name), front_matter(tag.label, tag.description) + content))
    return pages


def story_view(story: Story, vocabulary: Vocabulary) -> dict[str, Any]:
    """What templates see of a story: never its facilitator notes."""
    return {
        "title": story.title,
        "summary": story.summary,
        "slug": story.slug,
        "protagonist": story.protagonist or "",
        "body": story.body,
        "tags": [tag_view(vocabulary.tags[name]) for name in story.tags],
        "uri": story_uri(story.slug),
        "draft": story.draft,
    }


def tag_view(tag: Tag) -> dict[str, Any]:
    return {
        "name": tag.name,
        "kind": tag.kind,
        "label": tag.label,
        "description": tag.description,
        "uri": tag_uri(tag.name),
    }


def front_matter(title: str, description: str) -> str:
    # The theme puts these into <title> and <meta content="..."> as they are: escape them.
    meta = {"title": html.escape(title), "description": html.escape(description)}
    return (
        "---\n"
        + yaml.dump(meta, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=10_000)
        + "---\n\n"
    )

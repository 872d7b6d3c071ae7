"""Step 4: the site's Markdown pages, in memory: home, stories, tag pages, authoring guide."""

from __future__ import annotations

import functools
import heapq
import html
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Protocol

import yaml
from markupsafe import Markup

from storybook.core.coverage import coverage, coverage_warnings
from storybook.core.editions import LEARNER_EDITION, Edition, facilitator_view
from storybook.core.errors import Problem, StorybookError
from storybook.core.fields import views
from storybook.core.library import Library
from storybook.core.model import FIELDS, Question, Story
from storybook.core.parts import HELD_SUMMARY, fold_held_parts, held_stretches
from storybook.core.reading import (
    BankQuestion,
    QuestionPlan,
    content_note_views,
    marked_title,
    plan_questions,
    reading_minutes,
)
from storybook.core.render import Renderer
from storybook.core.safety import neutralise
from storybook.core.vocabulary import (
    KINDS,
    VOCABULARY_FILE,
    Tag,
    Vocabulary,
    tag_fields_view,
)

# The C emitter is several times faster than the pure-Python one, which was the slowest
# step of rendering a story; both write YAML that reads back the same.
Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

HOME = "index.md"
TAGS_INDEX = "tags/index.md"
AUTHORING = "authoring.md"
TRAINER_PAGES = (AUTHORING,)
# Facilitator edition only: which stories carry each moment and theme.
COVERAGE = "coverage.md"
# The coverage page names this many stories of each tag (its own page lists them all) and
# quotes this many warnings (storybook check prints them all).
COVERAGE_NAMED = 5
COVERAGE_WARNINGS = 30
SINGULAR = {"themes": "Theme", "moments": "Moment"}
ALL_STORIES = "all-stories"
RELATED_LIMIT = 3
# The home page and each theme's page list at most this many stories, then link to the next
# page of the list: a library of thousands would otherwise make a few pages of a megabyte.
STORIES_PER_PAGE = 100


@dataclass(frozen=True)
class Page:
    """A generated Markdown document and the docs-relative path it pretends to live at.

    ``stories``: the slugs of the stories it is made from (every story whose view its template
    was given). Under `mkdocs serve` a page kept from the last good build is withdrawn as soon
    as one of them is (see lastgood.py).

    ``searched``: whether search may land on it. Only a story's own page says so: every other
    page (home, themes, paths, workshops, their further pages...) only lists or repeats
    stories, and a reader searching a word wants the story (see :func:`out_of_search`)."""

    src_uri: str
    content: str
    stories: frozenset[str] = frozenset()
    searched: bool = False


def slugs(views: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """The stories of a list of story views (see :func:`story_view`)."""
    return frozenset(str(view["slug"]) for view in views)


def story_uri(slug: str) -> str:
    return f"stories/{slug}.md"


def tag_uri(name: str) -> str:
    return f"tags/{name}.md"


def listing_uris(first: str, count: int) -> list[str]:
    """The pages of one list of stories: ``first``, then its pages 2, 3, ... Home's are
    all-stories/2.md, ...; a tag's tags/<name>/2.md, ... (URLs /tags/<name>/2/)."""
    folder = ALL_STORIES if first == HOME else first.removesuffix(".md")
    return [first] + [f"{folder}/{number}.md" for number in range(2, count + 1)]


def listing_pages(
    first: str, views: Sequence[Mapping[str, Any]], per_page: int
) -> list[tuple[str, list[Mapping[str, Any]], dict[str, Any] | None]]:
    """Splits a list of stories into pages: (src_uri, stories, pager) each. The pager is None
    for a list that fits on one page; otherwise it says where this page is in the list and
    links (relative, as Markdown links are) to the previous and next page."""
    chunks = [list(views[start : start + per_page]) for start in range(0, len(views), per_page)]
    chunks = chunks or [[]]
    uris = listing_uris(first, len(chunks))
    pages: list[tuple[str, list[Mapping[str, Any]], dict[str, Any] | None]] = []
    for index, (uri, chunk) in enumerate(zip(uris, chunks, strict=True)):
        here = posixpath.dirname(uri) or "."
        pager = None
        if len(chunks) > 1:
            pager = {
                "number": index + 1,
                "count": len(chunks),
                "first": index * per_page + 1,
                "last": index * per_page + len(chunk),
                "total": len(views),
                "previous": posixpath.relpath(uris[index - 1], here) if index else None,
                "next": posixpath.relpath(uris[index + 1], here) if index + 1 < len(uris) else None,
            }
        pages.append((uri, chunk, pager))
    return pages


def root_of(src_uri: str) -> str:
    """The relative link from a page to the top of the site: '', '../', '../../'."""
    return "../" * src_uri.count("/")


def render_story_page(
    story: Story,
    vocabulary: Vocabulary,
    renderer: Renderer,
    *,
    related: Sequence[Related] = (),
    edition: Edition = LEARNER_EDITION,
    view: Mapping[str, Any] | None = None,
) -> Page:
    """The page of one story. ``view``: its :func:`story_view`, if made already (the lists
    of stories need it too); the template gets a copy of it."""
    plan = story_questions(story, vocabulary, renderer)
    content = renderer.render_template(
        "story.md.j2",
        story=dict(story_view(story, vocabulary) if view is None else view),
        questions=plan.asked,
        further_questions=plan.own_further,
        after_questions=plan.after,
        after_further=plan.after_further,
        after_start=len(story.reflection) + 1,
        held_heading=story.reveal[0] if story.reveal else "",
        bank_questions=[
            {"tag": tag_view(vocabulary.tags[item.tag]), "question": item.text}
            for item in plan.bank
        ],
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
        facilitator=facilitator_view(story, edition),
    )
    made_from = frozenset({story.slug, *(item.story.slug for item in related)})
    return Page(
        story_uri(story.slug),
        front_matter(story.title, story.summary) + content,
        made_from,
        searched=True,
    )


def story_questions(story: Story, vocabulary: Vocabulary, renderer: Renderer) -> QuestionPlan:
    """The questions a story's page asks (own first, then a few from the banks of its tags),
    filled in; every question that cannot be filled in is raised at once. The workbook of a
    workshop asks the same."""
    problems: list[Problem] = []
    fields = story.fields()
    with renderer.page_budget():
        own = ask_each(story.reflection, renderer, story, fields, problems)
        after = ask_each(story.reflection_after, renderer, story, fields, problems)
        # A bank question names the story's title as the title of a work (marked_title).
        marked = {**fields, "title": marked_title(story.title)}
        banks = [
            [
                BankQuestion(name, text)
                for text in ask_each(
                    vocabulary.tags[name].questions, renderer, story, marked, problems
                )
            ]
            for name in story.banks
        ]
    if problems:
        raise StorybookError(problems)
    return plan_questions(own, banks, story.title, after=after)


def ask_each(
    questions: Sequence[Question],
    renderer: Renderer,
    story: Story,
    fields: dict[str, object],
    problems: list[Problem],
) -> list[str]:
    """The questions filled in for the story with ``fields``; problems go to ``problems``."""
    rendered = []
    for question in questions:
        try:
            rendered.append(renderer.render_question(question, story, fields))
        except StorybookError as exc:
            problems.extend(exc.problems)
    return rendered


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
        edition: Edition = LEARNER_EDITION,
        view: Mapping[str, Any] | None = None,
    ) -> Page: ...


def related_stories(
    stories: Sequence[Story], *, limit: int = RELATED_LIMIT
) -> dict[str, list[Related]]:
    """For each story (by slug), up to ``limit`` other stories that share tags with it.

    Closest first: the most shared tags, then the rarer the shared tags the better (a tag
    half the library carries says less than one only two stories carry), then by title.
    """
    shape = (limit, tuple((story.slug, story.title, story.tags) for story in stories))
    if _last_related.shape != shape:
        by_tag: dict[str, list[Story]] = defaultdict(list)
        for story in stories:
            for name in story.tags:
                by_tag[name].append(story)
        finder = _RelatedFinder(stories, by_tag, limit)
        _last_related.shape = shape
        _last_related.found = {
            story.slug: [(related.story.slug, related.shared) for related in finder.closest(story)]
            for story in stories
        }
    by_slug = {story.slug: story for story in stories}
    return {
        slug: [Related(by_slug[other], shared) for other, shared in found]
        for slug, found in _last_related.found.items()
    }


class _LastRelated:
    """The last ranking :func:`related_stories` made, by slug. It depends only on the
    stories' slugs, titles and tags, in order: under `mkdocs serve` a save rarely changes
    those, and ranking 1,000 stories again took a third of the save."""

    def __init__(self) -> None:
        self.shape: object = None
        self.found: dict[str, list[tuple[str, tuple[str, ...]]]] = {}


_last_related = _LastRelated()


class _RelatedFinder:
    """Finds the same stories as :func:`_closest` without comparing every pair of stories.

    Comparing each story with every story sharing a tag grows with the square of the
    library (seconds at a few thousand stories). Instead, for the tags a story shares with
    another, all of them first, then fewer and fewer: the stories carrying exactly those
    tags rank above any that share fewer, and among themselves by title; so once ``limit``
    stories are found at some number of shared tags, nobody sharing fewer can make the list,
    and of each combination of tags only its first ``limit`` stories by title can.
    """

    MAX_TAGS = 8  # beyond this, combinations of a story's tags outnumber a plain scan

    def __init__(self, stories: Sequence[Story], by_tag: dict[str, list[Story]], limit: int):
        self.by_tag = by_tag
        self.limit = limit
        self.position = {id(story): index for index, story in enumerate(stories)}
        self.tag_sets = {id(story): frozenset(story.tags) for story in stories}
        self.lowered = {id(story): story.title.lower() for story in stories}
        # Stories carrying every tag of a set, by title then by their place in the list.
        self.carrying: dict[frozenset[str], list[Story]] = {}

    def stories_carrying(self, names: frozenset[str]) -> list[Story]:
        found = self.carrying.get(names)
        if found is None:
            if len(names) == 1:
                (name,) = names
                found = sorted(self.by_tag[name], key=self._title_order)
            else:
                # Narrow the list of the rarer tags down to those with the most common one too.
                common = max(names, key=lambda name: (len(self.by_tag[name]), name))
                found = [
                    story
                    for story in self.stories_carrying(names - {common})
                    if common in self.tag_sets[id(story)]
                ]
            self.carrying[names] = found
        return found

    def closest(self, story: Story) -> list[Related]:
        tags = story.tags
        if len(tags) > self.MAX_TAGS:
            return _closest(story, self.by_tag, self.limit)
        mine = frozenset(tags)
        found: list[tuple[tuple[int, float, str, int, int], Related]] = []
        for count in range(len(tags), 0, -1):
            for shared in combinations(tags, count):  # in the story's own order of tags
                taken = 0
                # The same for every story sharing these tags: worked out at the first one.
                rarity: float | None = None
                first = 0
                for other in self.stories_carrying(frozenset(shared)):
                    if taken == self.limit:
                        break
                    if other.slug == story.slug or len(mine & self.tag_sets[id(other)]) != count:
                        continue  # itself, or shares more tags: found with those already
                    if rarity is None:
                        rarity = sum(1 / len(self.by_tag[name]) for name in shared)
                        first = tags.index(shared[0])
                    # As _closest ranks them; the last two keys are the order it meets them in.
                    key = (
                        -count,
                        -rarity,
                        self.lowered[id(other)],
                        first,
                        self.position[id(other)],
                    )
                    found.append((key, Related(other, shared)))
                    taken += 1
            if len(found) >= self.limit:
                break
        found.sort(key=lambda item: item[0])
        return [related for _, related in found[: self.limit]]

    def _title_order(self, story: Story) -> tuple[str, int]:
        return self.lowered[id(story)], self.position[id(story)]


def _closest(story: Story, by_tag: dict[str, list[Story]], limit: int) -> list[Related]:
    """The ranking, story by story: compares ``story`` with every story sharing a tag."""
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


def tag_kinds(stories: Sequence[Story], vocabulary: Vocabulary) -> list[dict[str, Any]]:
    """Each kind of tag with its tags, and how many of ``stories`` carry each."""
    counts = Counter(name for story in stories for name in set(story.tags))
    return [
        {
            "name": kind,
            "label": label,
            "tags": [
                {**tag_view(tag), "count": counts[tag.name]} for tag in vocabulary.by_kind(kind)
            ],
        }
        for kind, label in KINDS.items()
    ]


def render_home_pages(
    stories: Sequence[Story],
    vocabulary: Vocabulary,
    renderer: Renderer,
    workshops: Sequence[Mapping[str, Any]] = (),
    paths: Sequence[Mapping[str, Any]] = (),
    *,
    views: Sequence[Mapping[str, Any]] | None = None,
) -> list[Page]:
    """Home, with the first page of the list of every story, then the list's other pages.
    ``workshops`` and ``paths``: what the home page lists of them (see the plug-ins).
    ``views``: the stories' views, if made already (see :func:`story_views`)."""
    views = story_views(stories, vocabulary) if views is None else views
    listing = listing_pages(HOME, views, STORIES_PER_PAGE)
    _, first_stories, first_pager = listing[0]
    pages = [
        Page(
            HOME,
            renderer.render_page(
                HOME,
                "home.md.j2",
                stories=first_stories,
                pager=first_pager,
                root="",
                kinds=tag_kinds(stories, vocabulary),
                workshops=list(workshops),
                paths=list(paths),
            ),
            slugs(first_stories) | slugs(step for path in paths for step in path["steps"]),
        )
    ]
    for uri, chunk, pager in listing[1:]:
        assert pager is not None  # only a list of several pages has a page 2
        content = renderer.render_page(
            uri, "all-stories.md.j2", stories=chunk, pager=pager, root=root_of(uri)
        )
        title = f"All stories, page {pager['number']} of {pager['count']}"
        pages.append(Page(uri, front_matter(title, title) + content, slugs(chunk)))
    return pages


def render_tag_pages(
    stories: Sequence[Story],
    vocabulary: Vocabulary,
    renderer: Renderer,
    *,
    with_coverage: bool = False,
    views: Sequence[Mapping[str, Any]] | None = None,
) -> list[Page]:
    """The themes page and each tag's (paged) list of stories. ``with_coverage``: link the
    coverage page from the themes page (the facilitator edition has one)."""
    views = story_views(stories, vocabulary) if views is None else views
    pages = [
        Page(
            TAGS_INDEX,
            renderer.render_page(
                TAGS_INDEX,
                "tags.md.j2",
                kinds=tag_kinds(stories, vocabulary),
                coverage=f"../{COVERAGE}" if with_coverage else "",
            ),
        )
    ]
    tagged: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for view, story in zip(views, stories, strict=True):
        for name in dict.fromkeys(story.tags):
            tagged[name].append(view)
    for tag in vocabulary.tags.values():
        for uri, chunk, pager in listing_pages(
            tag_uri(tag.name), tagged[tag.name], STORIES_PER_PAGE
        ):
            content = renderer.render_page(
                uri, "tag.md.j2", tag=tag_view(tag), stories=chunk, pager=pager, root=root_of(uri)
            )
            number = pager["number"] if pager else 1
            title = tag.label if number == 1 else f"{tag.label}, page {number}"
            pages.append(Page(uri, front_matter(title, tag.description) + content, slugs(chunk)))
    return pages


def render_authoring_page(
    stories: Sequence[Story], vocabulary: Vocabulary, renderer: Renderer
) -> Page:
    """The guide to writing stories, for trainers."""
    return Page(
        AUTHORING,
        renderer.render_template(
            "authoring.md.j2",
            fields=[spec.guide() for spec in FIELDS],
            kinds=tag_kinds(stories, vocabulary),
            content_notes=content_note_views(list(vocabulary.content_notes), vocabulary),
            vocabulary_file=f"templates/{VOCABULARY_FILE}",
        ),
    )


def render_coverage_page(
    library: Library, vocabulary: Vocabulary, renderer: Renderer
) -> list[Page]:
    """Published stories against every moment and theme, with the gaps check warns about.

    Bounded at any library size, like the lists of stories: each tag names its first few
    stories and links to its own (paged) page for the rest, at most a few dozen warnings are
    quoted, and the table of stories by tag is split into pages of STORIES_PER_PAGE stories
    (coverage.md, then coverage/2.md, ...)."""
    found = coverage(vocabulary, library.stories)
    root = library.templates_dir.parent
    warnings = coverage_warnings(vocabulary, library.stories)
    kinds = [
        {
            "key": kind,
            "label": label,
            "singular": SINGULAR.get(kind, label),
            "tags": [
                {
                    **tag_view(row.tag),
                    "number": number,
                    "count": len(row.stories),
                    "stories": [_linked(story) for story in row.stories[:COVERAGE_NAMED]],
                    "more": max(0, len(row.stories) - COVERAGE_NAMED),
                }
                for number, row in enumerate(found.kinds[kind], 1)
            ],
        }
        for kind, label in KINDS.items()
    ]
    stories = [
        {
            **_linked(story),
            "marks": {
                kind: [row.tag.name in story.tags for row in found.kinds[kind]] for kind in KINDS
            },
        }
        for story in found.stories
    ]
    # The first page names a few stories of each tag: it is made from those too.
    named = {
        story_uri(story.slug)
        for rows in found.kinds.values()
        for row in rows
        for story in row.stories[:COVERAGE_NAMED]
    }
    pages = []
    for uri, chunk, pager in listing_pages(COVERAGE, stories, STORIES_PER_PAGE):
        content = renderer.render_template(
            "coverage.md.j2",
            total=len(found.stories),
            warnings=[w.format(root) for w in warnings[:COVERAGE_WARNINGS]],
            more_warnings=max(0, len(warnings) - COVERAGE_WARNINGS),
            kinds=kinds if pager is None or pager["number"] == 1 else [],
            table_kinds=kinds,
            stories=chunk,
            pager=pager,
            root=root_of(uri),
        )
        shown = {str(view["uri"]) for view in chunk}
        if pager is None or pager["number"] == 1:
            shown |= named
        made_from = frozenset(
            story.slug for story in found.stories if story_uri(story.slug) in shown
        )
        pages.append(Page(uri, content, made_from))
    return pages


def _linked(story: Story) -> dict[str, str]:
    return {"title": story.title, "uri": story_uri(story.slug)}


def story_views(stories: Sequence[Story], vocabulary: Vocabulary) -> list[Mapping[str, Any]]:
    return [story_view(story, vocabulary) for story in stories]


def story_view(story: Story, vocabulary: Vocabulary) -> dict[str, Any]:
    """What templates see of a story: every field everyone may see (as the learner edition
    shows it), never a facilitator one.

    A story with held-back parts keeps them a surprise: ``content_notes`` holds only the
    notes that apply from the start, ``reveal_notes`` those of the held-back parts, and
    ``touches_on`` both, each saying where it applies, for the one control a reader opens
    to find out before reading. ``themes`` and ``moments`` split ``tags`` by kind."""
    held = held_stretches(story.body, story.reveal)
    where_held = held_where(story.reveal)
    content_notes = content_note_views(story.content_notes, vocabulary)
    reveal_notes = content_note_views(story.reveal_notes, vocabulary)
    tags = [tag_view(vocabulary.tags[name]) for name in story.tags]
    return {
        # Every field everyone may see, as its spec's view shows it...
        **views(story.values(), FIELDS, LEARNER_EDITION),
        # ...but tags and content notes, which templates get in the library's words.
        "content_notes": content_notes,
        "reveal_notes": [{**note, "where": where_held} for note in reveal_notes],
        "tags": tags,
        # What is made from the fields.
        "touches_on": [{**note, "where": "from the start"} for note in content_notes]
        + [{**note, "where": where_held} for note in reveal_notes],
        # A reader alone meets each held-back part folded (see parts.py): the body is
        # neutralised here, so the folds' own markup is marked as ours.
        "body": Markup(fold_held_parts(story.body, story.reveal, text=neutralise)),
        # The same, cut at the folds, for a template that shows something at a fold.
        "body_before": held.before,
        "held": held.stretches,
        "held_summary": HELD_SUMMARY,
        "themes": [tag for tag in tags if tag["kind"] == "themes"],
        "moments": [tag for tag in tags if tag["kind"] != "themes"],
        "uri": story_uri(story.slug),
        "reading_minutes": reading_minutes(story.body),
    }


def held_where(reveal: Sequence[str]) -> str:
    """Where a story's reveal_notes apply, in a reader's words: 'in part B, “<heading>”'."""
    quoted = [f"“{heading}”" for heading in reveal]
    if len(quoted) <= 1:
        return "in part B, " + "".join(quoted)
    return "in the held-back parts, " + ", ".join(quoted[:-1]) + " and " + quoted[-1]


def tag_view(tag: Tag) -> dict[str, Any]:
    """A tag as pages show it: its fields in tags.yml as their specs show them, and where.

    Pages show a few dozen tags thousands of times (each story's tags on its page, in its
    bank questions, its related stories and every list it is in): each view is made once
    from what it shows (the tag's questions have no view), and every caller gets its own
    copy of it, as before. tests/test_lean_render.py holds it to :func:`_tag_view_slowly`."""
    return dict(_tag_view_of(tag.name, tag.kind, tag.label, tag.description))


@functools.lru_cache(maxsize=1024)
def _tag_view_of(name: str, kind: str, label: str, description: str) -> dict[str, Any]:
    return _tag_view_slowly(Tag(name, kind, label, description, questions=()))


def _tag_view_slowly(tag: Tag) -> dict[str, Any]:
    """What :func:`tag_view` gives, made afresh."""
    return {**tag_fields_view(tag), "name": tag.name, "kind": tag.kind, "uri": tag_uri(tag.name)}


def front_matter(title: str, description: str) -> str:
    # The theme puts these into <title> and <meta content="..."> as they are: escape them.
    meta = {"title": html.escape(title), "description": html.escape(description)}
    if all(value.isprintable() for value in meta.values()):
        # Printable text is a double-quoted YAML string once \ and " are escaped; writing it
        # directly costs a fifth of yaml.dump, which stays for everything else.
        fields = "".join(f'{key}: "{_escape_quoted(value)}"\n' for key, value in meta.items())
    else:
        fields = yaml.dump(meta, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    return "---\n" + fields + "---\n\n"


# Front matter as MkDocs finds it (mkdocs.utils.meta): YAML between two lines of ---.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_SEARCH_KEY = re.compile(r"^search\s*:", re.MULTILINE)
OUT_OF_SEARCH = "search:\n  exclude: true\n"
# As yaml.dump writes it for {"search": {"exclude": True}} (the room's pages say so).
_EXCLUDED = re.compile(r"^search:\n  exclude: true$", re.MULTILINE)


def out_of_search(content: str) -> str:
    """A page's Markdown with ``search: exclude: true`` in its front matter: Material's search
    (lunr, in every engine that builds an export too) leaves such a page out of its index,
    and so does the plugin's Pagefind index (see plugin/search.py). Whatever else the front
    matter says is kept; a template without front matter gets one."""
    found = _FRONT_MATTER.match(content)
    if found is None:
        return "---\n" + OUT_OF_SEARCH + "---\n\n" + content
    if not _SEARCH_KEY.search(found[1]):
        return content[: found.end(1)] + OUT_OF_SEARCH + content[found.end(1) :]
    if _EXCLUDED.search(found[1]):
        # Out of search already: parsing and writing its YAML again took half of a rebuild
        # under `mkdocs serve --dirty` (every projector page, on every save).
        return content
    # Its own search settings (a template's, say): parsed, so that exclude joins them.
    try:
        meta = yaml.safe_load(found[1])
    except yaml.YAMLError:
        return content  # MkDocs reports front matter it cannot read
    if not isinstance(meta, dict):
        return content
    search = meta.get("search")
    meta["search"] = {**(search if isinstance(search, dict) else {}), "exclude": True}
    fields = yaml.dump(meta, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    return "---\n" + fields + "---\n" + content[found.end() :]


def _escape_quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')

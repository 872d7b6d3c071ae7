from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from storybook.core.editions import BY_NAME
from storybook.core.model import Story
from storybook.core.pages import (
    AUTHORING,
    HOME,
    TAGS_INDEX,
    _closest,
    listing_pages,
    related_stories,
)
from storybook.sections import build_site

from .conftest import ROOT, build, story_text


def pages_of(project: Path, edition: str = "learner") -> dict[str, str]:
    result = build_site(
        project / "stories", project / "templates", edition=BY_NAME[edition], include_drafts=False
    )
    assert result.problems == []
    return result.pages


def test_sample_library_pages_are_made_in_memory() -> None:
    pages = pages_of(ROOT)
    assert {HOME, TAGS_INDEX, "stories/the-quiet-slump.md"} <= set(pages)
    assert AUTHORING not in pages, "the guide to writing stories is for trainers only"
    assert AUTHORING in pages_of(ROOT, "facilitator")
    assert "tags/wellbeing.md" in pages
    slump = pages["stories/the-quiet-slump.md"]
    assert slump.startswith('---\ntitle: "The Quiet Slump"\n')
    assert "## Reflection questions" in slump
    assert "caregiving" in slump


def test_story_gets_its_own_questions_then_its_tags_banks(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project({"one.md": story_text(tags="[wellbeing, feedback]")})
    page = pages_of(project)["stories/one.md"]
    own = page.index("1. What did Sam notice?")
    banks = page.index("<summary>Going further: 2 more questions</summary>")
    assert own < banks < page.index("- *Wellbeing:*") < page.index("- *Feedback:*")
    # The title inside a bank question is marked as the title of a work.
    assert "<cite>A test story</cite>" in page[banks:]


def test_a_title_with_code_shows_it_once_escaped_in_bank_questions(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project(
        {"one.md": story_text(title="Why `<img>` & co broke", tags="[feedback]")}
    )
    page = (build(project, strict=True) / "stories" / "one" / "index.html").read_text("utf-8")
    banks = page[page.index("Going further") :]
    assert "<cite>Why <code>&lt;img&gt;</code> &amp; co broke</cite>" in banks
    assert "&amp;lt;" not in page


def test_authoring_page_is_generated_from_the_model_and_vocabulary() -> None:
    from storybook.core.model import FIELDS
    from storybook.core.vocabulary import load_vocabulary

    page = pages_of(ROOT, "facilitator")[AUTHORING]
    for spec in FIELDS:
        assert f"| `{spec.name}` | {'yes' if spec.required else 'no'} |" in page
    for name in load_vocabulary(ROOT / "templates").tags:
        assert f"- `{name}`:" in page


def test_templates_never_see_facilitator_notes(mini_project: Callable[..., Path]) -> None:
    project = mini_project(
        {"one.md": story_text(extra="facilitator_notes: |\n  SECRET-NOTE-MARKER\n")}
    )
    assert not any("SECRET-NOTE-MARKER" in text for text in pages_of(project).values())


def tagged(title: str, *tags: str) -> Story:
    slug = title.lower().replace(" ", "-")
    return Story(Path(f"{slug}.md"), 1, title, "Summary.", tags, (), slug, "Body.", 8)


def test_related_stories_rank_by_shared_tags_then_rarity_then_title() -> None:
    stories = [
        tagged("Home", "feedback", "coaching", "communication"),
        tagged("Two shared", "feedback", "coaching"),
        tagged("Communication only", "communication"),
        tagged("Feedback B", "feedback"),
        tagged("Feedback A", "feedback"),
        tagged("Unrelated", "delegation"),
    ]
    related = related_stories(stories, limit=4)
    home = [(item.story.title, item.shared) for item in related["home"]]
    # One shared tag each: "communication" is on 2 stories, "feedback" on 4, so the story
    # sharing the rarer tag comes first; equals are in title order.
    assert home == [
        ("Two shared", ("feedback", "coaching")),
        ("Communication only", ("communication",)),
        ("Feedback A", ("feedback",)),
        ("Feedback B", ("feedback",)),
    ]
    assert related["unrelated"] == []
    assert related["two-shared"][0].story.title == "Home"
    assert all(item.story.slug != slug for slug, items in related.items() for item in items), (
        "a story is never related to itself"
    )


def test_related_stories_respect_the_limit() -> None:
    stories = [tagged(f"Story {i}", "feedback") for i in range(10)]
    assert {len(items) for items in related_stories(stories, limit=3).values()} == {3}


def test_related_stories_are_the_stories_given_whatever_was_ranked_before() -> None:
    """The ranking is kept between calls while slugs, titles and tags stay the same (a save
    under `mkdocs serve`), but what it hands back is always the stories it was given."""
    stories = [tagged("Home", "feedback"), tagged("Near", "feedback"), tagged("Far", "delegation")]
    assert related_stories(stories)["home"][0].story is stories[1]
    edited = [stories[0], replace(stories[1], body="Rewritten."), stories[2]]
    assert related_stories(edited)["home"][0].story is edited[1]
    retagged = [stories[0], replace(stories[1], tags=("delegation",)), stories[2]]
    assert related_stories(retagged)["home"] == []
    assert related_stories(retagged)["near"][0].story is stories[2]


def test_related_stories_are_those_of_comparing_every_pair() -> None:
    """The fast search finds exactly what comparing each story with every other finds."""
    rng = random.Random(3)
    pool = [f"tag{i}" for i in range(9)]
    titles = ["Alpha", "alpha", "Beta", "Gamma", "Delta", "Omega"]  # equal titles tie
    for library in range(300):
        stories = []
        for index in range(rng.randint(1, 40)):
            many = rng.random() < 0.05  # more tags than the fast search takes on
            tags = rng.sample(pool, rng.randint(7, 9) if many else rng.randint(1, 4))
            title = f"{rng.choice(titles)} {rng.randint(1, 3)}"
            stories.append(
                Story(Path(f"s{index}.md"), 1, title, "", tuple(tags), (), f"s{index}", "", 2)
            )
        limit = rng.randint(1, 5)
        by_tag: dict[str, list[Story]] = defaultdict(list)
        for story in stories:
            for name in story.tags:
                by_tag[name].append(story)
        expected = {story.slug: _closest(story, by_tag, limit) for story in stories}
        assert related_stories(stories, limit=limit) == expected, library


def test_story_pages_show_related_stories_with_what_they_share(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project(
        {
            "one.md": story_text(title="First story", tags="[wellbeing, feedback]"),
            "two.md": story_text(title="Second story", tags="[feedback]"),
            "three.md": story_text(title="Third story", tags="[delegation]"),
        }
    )
    pages = pages_of(project)
    one = pages["stories/one.md"]
    related = one[one.index("## Related stories") :]
    assert "**[Second story](../stories/two.md)**" in related
    assert "*Also about Feedback.*" in related
    assert "Third story" not in related
    assert "Related stories" not in pages["stories/three.md"]


def test_a_long_list_is_split_into_pages_that_link_to_each_other() -> None:
    views = [{"title": str(number)} for number in range(5)]
    home = listing_pages(HOME, views, 2)
    assert [(uri, [view["title"] for view in chunk]) for uri, chunk, _ in home] == [
        ("index.md", ["0", "1"]),
        ("all-stories/2.md", ["2", "3"]),
        ("all-stories/3.md", ["4"]),
    ]
    pagers = [pager for _, _, pager in home]
    assert pagers[0] == {
        "number": 1, "count": 3, "first": 1, "last": 2, "total": 5,
        "previous": None, "next": "all-stories/2.md",
    }  # fmt: skip
    second, third = pagers[1], pagers[2]
    assert second is not None and third is not None
    assert (second["previous"], second["next"]) == ("../index.md", "3.md")
    assert (third["first"], third["last"], third["next"]) == (5, 5, None)

    tag = listing_pages("tags/wellbeing.md", views, 4)
    assert [uri for uri, _, _ in tag] == ["tags/wellbeing.md", "tags/wellbeing/2.md"]
    assert tag[1][2] is not None and tag[1][2]["previous"] == "../wellbeing.md"
    assert tag[0][2] is not None and tag[0][2]["next"] == "wellbeing/2.md"

    assert listing_pages(HOME, views, 5) == [("index.md", views, None)]
    assert listing_pages(HOME, [], 5) == [("index.md", [], None)]

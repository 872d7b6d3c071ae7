"""What a renderer keeps of the story cards it made is bounded whatever a project's
story-card.md.j2 makes: a card is kept to be printed again on every list of stories, and a
huge one (a careless inline image, a hostile loop just under the page's size limit) must not
make a build hold each of them to its end."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

from storybook.core.defaults import DEFAULT_TEMPLATES
from storybook.core.render import _CARD_CHARS_KEPT, MAX_PAGE_CHARS, Renderer

# A card just under a page's size limit: 19 chunks of 99,999 characters, then the title.
HUGE_CARD = "{% for i in range(19) %}{{ 'x' * 99999 }}{% endfor %}{{ story.title }}\n"
# A story's view as the lists show it, and the roots of the pages that list it.
VIEW: dict[str, Any] = {"title": "A story", "summary": "What happens.", "uri": "stories/a.md"}
VIEW |= {"draft": False, "reading_minutes": 3, "tags": [], "content_notes": []}
ROOTS = ("", "../", "../../")


def test_the_cards_kept_are_bounded_whatever_their_size(tmp_path: Path) -> None:
    (tmp_path / "story-card.md.j2").write_text(HUGE_CARD, encoding="utf-8")
    renderer = Renderer(tmp_path)
    stories = [{"title": f"Story {number}"} for number in range(40)]
    renderer.story_card(stories[0], "")  # the template compiled before counting
    tracemalloc.start()
    try:
        cards = [renderer.story_card(story, "") for story in stories]
        kept, _ = tracemalloc.get_traced_memory()
        del cards
        still_kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kept > 40 * (MAX_PAGE_CHARS - 200_000)  # they were all made
    # 40 cards of 1.9 million characters are 76 MB; what stays is at most the bound's.
    assert still_kept < _CARD_CHARS_KEPT * 1.25


def test_a_card_printed_again_after_the_kept_cards_were_let_go_is_the_same(
    tmp_path: Path,
) -> None:
    (tmp_path / "story-card.md.j2").write_text(HUGE_CARD, encoding="utf-8")
    renderer = Renderer(tmp_path)
    stories = [{"title": f"Story {number}"} for number in range(40)]
    first = [renderer.story_card(story, "../") for story in stories]
    again = [renderer.story_card(story, "../") for story in stories]
    assert again == first
    assert all(card.endswith(f"Story {number}\n") for number, card in enumerate(again))


def test_a_story_saved_again_and_again_under_serve_leaves_one_view_kept() -> None:
    # Under `mkdocs serve` the renderer lives on, and every save of a story makes a new view
    # of it (its body included): the cards of the views it replaced must not keep them.
    renderer = Renderer(DEFAULT_TEMPLATES, remember=True)

    def saved(number: int) -> dict[str, Any]:
        return {**VIEW, "body": "word " * 20_000 + str(number)}  # 100,000 characters

    for root in ROOTS:
        renderer.story_card(saved(0), root)  # the template compiled before counting
    tracemalloc.start()
    try:
        for number in range(1, 201):
            view = saved(number)
            cards = [renderer.story_card(view, root) for root in ROOTS]
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert all("A story" in card for card in cards)
    # 200 views of 100,000 characters are 20 MB; the last one is 0.1 MB.
    assert kept < 2_000_000

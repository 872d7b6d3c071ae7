"""What a renderer keeps of the story cards it made is bounded whatever a project's
story-card.md.j2 makes: a card is kept to be printed again on every list of stories, and a
huge one (a careless inline image, a hostile loop just under the page's size limit) must not
make a build hold each of them to its end."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from storybook.core.render import _CARD_CHARS_KEPT, MAX_PAGE_CHARS, Renderer

# A card just under a page's size limit: 19 chunks of 99,999 characters, then the title.
HUGE_CARD = "{% for i in range(19) %}{{ 'x' * 99999 }}{% endfor %}{{ story.title }}\n"


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

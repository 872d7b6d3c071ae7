"""What a reader meets on a story page: reading time, content notes and the question budget."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from storybook.core.errors import StorybookError
from storybook.core.library import load_library, read_story
from storybook.core.reading import (
    BankQuestion,
    content_words,
    plan_questions,
    reading_minutes,
    repeats,
)
from storybook.core.vocabulary import load_vocabulary

from .conftest import ROOT, build, build_edition, story_text


def test_reading_time_counts_words_at_200_a_minute_rounded_up() -> None:
    assert reading_minutes("word " * 200) == 1
    assert reading_minutes("word " * 201) == 2
    assert reading_minutes("") == 1
    # Link targets and tags are not words a reader reads.
    assert reading_minutes("[a](" + "x/" * 500 + ") <span class='x y z'>b</span>") == 1


def test_own_questions_come_first_then_at_most_three_bank_questions_taken_in_turn() -> None:
    own = [f"Own question {n} about noticing the quiet colleague?" for n in range(9)]
    banks = [
        [BankQuestion("a", f"Bank a{n}: which deadline slipped, and why?") for n in range(3)],
        [BankQuestion("b", "Bank b: who decides the rota on Fridays?")],
    ]
    plan = plan_questions(own, banks, "A title")
    assert plan.asked == own[:7] and plan.own_further == own[7:]
    assert [item.tag for item in plan.bank] == ["a", "b"]  # a1, a2 repeat a0


def test_a_bank_question_repeating_the_story_is_left_out() -> None:
    own = ["Think of an unpopular change you must announce, without hiding behind others."]
    same = "How will you announce an unpopular change, without hiding behind others?"
    other = "Who in the story was on the inside, and who might feel on the outside?"
    plan = plan_questions(own, [[BankQuestion("x", same)], [BankQuestion("y", other)]], "T")
    assert [item.text for item in plan.bank] == [other]
    title = content_words("Not My Decision")
    assert repeats(content_words(same, title), content_words(own[0], title))
    assert not repeats(content_words(other, title), content_words(own[0], title))


def test_every_sample_story_asks_at_most_seven_then_at_most_three_more() -> None:
    site_pages = build_sample_pages()
    for name, page in site_pages.items():
        asked, _, further = page.partition('<details class="storybook-further">')
        reflection = asked[asked.index('class="storybook-reflection"') :]
        assert 1 <= reflection.count("<li>") <= 7, name
        assert further.count("<li>") <= 3, name


def build_sample_pages() -> dict[str, str]:
    from storybook.sections import build_site

    result = build_site(ROOT / "stories", ROOT / "templates", paths_dir=ROOT / "paths")
    assert result.problems == []
    import markdown

    return {
        uri: markdown.markdown(text, extensions=["md_in_html", "attr_list", "admonition"])
        for uri, text in result.pages.items()
        if uri.startswith("stories/")
    }


def test_banks_choose_which_tags_lend_questions(mini_project: Callable[..., Path]) -> None:
    project = mini_project(
        {
            "none.md": story_text(title="None", tags="[wellbeing, feedback]", extra="banks: []\n"),
            "one.md": story_text(
                title="One", tags="[wellbeing, feedback]", extra="banks: [feedback]\n"
            ),
            "all.md": story_text(title="All", tags="[wellbeing, feedback]"),
        }
    )
    site = build(project, strict=True)

    def page(slug: str) -> str:
        return (site / "stories" / slug / "index.html").read_text(encoding="utf-8")

    assert "Going further" not in page("none")
    assert "<em>Feedback:</em>" in page("one") and "<em>Wellbeing:</em>" not in page("one")
    assert "<em>Feedback:</em>" in page("all") and "<em>Wellbeing:</em>" in page("all")


def test_banks_and_content_notes_are_checked_at_their_line(tmp_path: Path) -> None:
    vocabulary = load_vocabulary(ROOT / "templates")
    path = tmp_path / "s.md"
    path.write_text(
        story_text(
            tags="[wellbeing, feedback]",
            extra="banks: [coaching]\ncontent_notes:\n  - bereavement\n  - grief\n",
        ),
        encoding="utf-8",
    )
    with pytest.raises(StorybookError) as caught:
        read_story(path, vocabulary)
    found = {(problem.line, problem.message) for problem in caught.value.problems}
    assert (8, "banks: 'coaching' is not one of this story's tags") in found
    assert (11, "unknown content note 'grief'") in found


def test_the_content_note_comes_before_the_story_on_its_page_and_card(sample_project: Path) -> None:
    site = build(sample_project, strict=True)
    story = (site / "stories" / "the-charging-bay" / "index.html").read_text(encoding="utf-8")
    # The notes that apply from the start are named on the one folded control before it.
    note = story.index('class="storybook-touches"')
    assert note < story.index('id="seven-weeks-in"')
    summary = story[note : story.index("</summary>", note)]
    assert "Content note: harassment" in summary
    assert "min read</p>" in story[:note]
    home = (site / "index.html").read_text(encoding="utf-8")
    cards = home[home.index('class="storybook-cards"') :]
    card = cards[cards.index('href="stories/the-charging-bay/"') :]
    card = card[: card.index("</div>")]
    assert "Content note: harassment" in card
    assert "min read" in card


def test_the_run_of_show_lists_each_story_s_content_notes(sample_project: Path) -> None:
    plans = sorted((sample_project / "workshops").glob("*.yml"))
    with_slump = [p for p in plans if "story: the-quiet-slump" in p.read_text(encoding="utf-8")]
    assert with_slump, "a sample workshop runs The Quiet Slump"
    site = build_edition(sample_project, "facilitator")
    page = (site / "workshops" / with_slump[0].stem / "index.html").read_text(encoding="utf-8")
    # The Quiet Slump touches its subjects only in part B: the facilitator is told, and when.
    assert "Held back with part B" in page and "bereavement, serious illness" in page


def test_the_sample_stories_use_content_notes_from_the_vocabulary() -> None:
    library = load_library(ROOT / "stories", ROOT / "templates")
    assert library.problems == []
    assert library.vocabulary is not None
    assert set(library.vocabulary.content_notes) >= {"bereavement", "divorce", "job-loss"}
    assert any(story.content_notes for story in library.published)

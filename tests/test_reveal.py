"""A story that holds a part back keeps its turn for the reveal (issue 25).

A reader who wants to know what a story touches on finds out in one step, before any of it;
a reader who does not is not told part B's turn by tags, content notes, cards, workbooks,
agendas or the projector. Each test builds a real site in tmp_path and reads what a reader
sees before the fold: the text, not the markup (a card's data-tags attribute, which the home
page's filter reads, is never shown).
"""

from __future__ import annotations

import html
import re
import textwrap
from pathlib import Path

import pytest

from storybook.core.room_pages import CONSOLE_URL_VARIABLE, DEFAULT_CONSOLE_URL

from .conftest import build_edition, make_mini, search_index, story_text

# What only part B holds: a moment and a content note. The story's theme and its note from
# the start may be named anywhere.
SPOILERS = ("Personal crisis", "Bereavement")
AFTER_QUESTION = "Now that you know about the funeral, what would you say to Ana first?"
STORY = textwrap.dedent(
    """\
    ---
    title: "The Late Rota"
    summary: "Ana's rota is late three weeks running and her new manager, Joe, plans a warning."
    protagonist: "Ana"
    tags: [wellbeing, personal-crisis]
    content_notes: [divorce]
    reveal: ["The call"]
    reveal_notes: [bereavement]
    reflection:
      - "What did Joe see, and what did he conclude?"
    reflection_after:
      - "Now that you know about the funeral, what would you say to {{ story.protagonist }} first?"
    ---
    Ana, recently separated, has run the shop's rota for six years.

    ## The warning

    Joe writes a warning and books a room for Friday.

    ## The call

    On Thursday Ana's sister rings: their father has died. WORDS-IN-PART-B.
    """
)
WORKSHOP = textwrap.dedent(
    """\
    title: "Late rotas"
    date: 2026-03-24
    start: "14:00"
    planned_minutes: 60
    sessions:
      - story: the-late-rota
        minutes: 45
        activity: Read part A, discuss, then part B
    """
)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    project = make_mini(
        tmp_path_factory.mktemp("reveal") / "mini",
        {"the-late-rota.md": STORY, "other.md": _other_story()},
    )
    (project / "workshops").mkdir()
    (project / "workshops" / "late-rotas.yml").write_text(WORKSHOP, encoding="utf-8")
    # Material's search, whose results show a story section by section (a Pagefind site has
    # no index of Material's); built for a room, so that the learner edition has its
    # projector views.
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - storybook\n",
            "  - storybook:\n      search: lunr\n      edition: !ENV [STORYBOOK_EDITION, learner]\n",
        ),
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as room:
        room.setenv(CONSOLE_URL_VARIABLE, DEFAULT_CONSOLE_URL)
        learner = build_edition(project, "learner", strict=True)
        facilitator = build_edition(project, "facilitator", strict=True)
    return {"learner": learner, "facilitator": facilitator}


def _other_story() -> str:
    return story_text(title="Another story")


def article(site: Path, page: str) -> str:
    text = (site / page / "index.html").read_text(encoding="utf-8")
    return text[text.index("<article") : text.index("</article>")]


def visible_text(markup: str) -> str:
    """The words of some HTML, without its tags and attributes."""
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def assert_no_spoiler(markup: str, where: str) -> None:
    text = visible_text(markup).lower()
    for label in SPOILERS:
        assert label.lower() not in text, f"{where} names '{label}' before the fold"
    assert "funeral" not in text, f"{where} asks a question for after the reveal"


def card(page: str, href: str) -> str:
    start = page.index(f'href="{href}"')
    start = page.rindex('<div class="storybook-card"', 0, start)
    return page[start : page.index("</div>", start)]


def test_cards_on_the_home_and_theme_pages_name_no_moment_or_note_of_part_b(
    sites: dict[str, Path],
) -> None:
    home = (sites["learner"] / "index.html").read_text(encoding="utf-8")
    home_card = card(home, "stories/the-late-rota/")
    assert "The Late Rota" in home_card and "divorce or separation" in home_card
    assert_no_spoiler(home_card, "the home page's card")
    theme = article(sites["learner"], "tags/wellbeing")
    assert_no_spoiler(card(theme, "../../stories/the-late-rota/"), "the theme page's card")


def test_the_story_page_names_part_b_s_notes_and_moments_only_in_one_folded_control(
    sites: dict[str, Path],
) -> None:
    page = article(sites["learner"], "stories/the-late-rota")
    fold = page.index('<details class="storybook-held"')
    top = page[:fold]
    control = re.search(
        r'<details class="storybook-touches"[^>]*>\s*<summary>(.*?)</summary>(.*?)</details>',
        top,
        re.DOTALL,
    )
    assert control is not None, "one folded control before the story"
    assert top.count("<details") == 1
    summary, inside = control.groups()
    # Folded, the control names the note that applies from the start, nothing of part B.
    assert "Content note: divorce or separation" in summary
    assert_no_spoiler(top.replace(inside, ""), "the top of the story page")
    # Opened, it names every note, where each applies, and every tag.
    told = visible_text(inside)
    for words in (
        "Divorce or separation, from the start.",
        "Bereavement, in part B, “The call”.",
        "Wellbeing",
        "Personal crisis",
    ):
        assert words in told
    # The moment is linked after the story, with its themes; the questions for after the
    # reveal come after the held-back part.
    tags = page.index('class="storybook-tags"')
    assert fold < tags and "Personal crisis" in visible_text(page[tags:])
    assert page.index("Now that you know about the funeral") > fold
    # At the fold, part B opens with its own content note, before its heading.
    held = page[fold:]
    note = held.index("what follows touches on bereavement")
    assert note < held.index('id="the-call"')


def test_search_results_do_not_quote_the_folded_control(sites: dict[str, Path]) -> None:
    docs = {
        doc["location"]: doc["text"]
        for doc in search_index(sites["learner"])
        if doc["location"].startswith("stories/the-late-rota/")
    }
    assert "WORDS-IN-PART-B" in docs["stories/the-late-rota/#the-call"], "part B is searchable"
    # What a result shows of the story before its fold: the top, and part A's sections.
    for location in ("stories/the-late-rota/", "stories/the-late-rota/#the-warning"):
        assert "Personal crisis" not in docs[location] and "touches on" not in docs[location]
        assert "Bereavement" not in docs[location]


def test_the_workbook_prints_part_b_after_a_stop_page_with_its_own_questions(
    sites: dict[str, Path],
) -> None:
    page = article(sites["learner"], "workshops/late-rotas/workbook")
    story = page[page.index('id="the-late-rota"') :]
    stop = story.index('class="storybook-workbook__stop"')
    assert_no_spoiler(story[:stop], "the workbook before its stop page")
    assert "WORDS-IN-PART-B" not in story[:stop]
    after = story[stop:]
    assert after.index("what follows touches on bereavement") < after.index("WORDS-IN-PART-B")
    assert after.index("WORDS-IN-PART-B") < after.index(AFTER_QUESTION)
    assert '<ol start="2">' in after
    css = Path(__file__).parent.parent / "storybook" / "assets" / "print.css"
    rule = re.search(r"\.storybook-workbook__stop \{(.*?)\}", css.read_text(encoding="utf-8"), re.S)
    assert rule is not None and "break-before: page" in rule[1] and "break-after: page" in rule[1]


def test_the_agenda_asks_only_the_questions_for_before_the_reveal(sites: dict[str, Path]) -> None:
    page = article(sites["learner"], "workshops/late-rotas")
    assert "What did Joe see, and what did he conclude?" in page
    assert_no_spoiler(page, "the agenda")


def test_the_run_of_show_and_pack_mark_the_questions_asked_after_the_reveal(
    sites: dict[str, Path],
) -> None:
    for page in ("workshops/late-rotas", "workshops/late-rotas/pack"):
        text = visible_text(article(sites["facilitator"], page))
        before = text.index("What did Joe see")
        after = text.index(AFTER_QUESTION)
        assert before < after
        assert "After the reveal" in text[before:after], page
        assert "After the reveal" not in text[:before], page


def test_the_projector_names_nothing_of_part_b_before_the_reveal(sites: dict[str, Path]) -> None:
    page = (sites["learner"] / "present" / "the-late-rota" / "index.html").read_text("utf-8")
    sections = re.findall(r"<section[^>]*>.*?</section>", page, re.DOTALL)
    first_held = next(i for i, s in enumerate(sections) if "data-held=" in s[: s.index(">")])
    for section in sections[:first_held]:
        assert_no_spoiler(section, "a slide before the reveal")
    held = sections[first_held:]
    assert all("data-held=" in s[: s.index(">")] for s in held), "after-questions held back"
    assert "what follows touches on bereavement" in held[0]
    assert AFTER_QUESTION in held[-1] and 'data-question="2"' in held[-1]

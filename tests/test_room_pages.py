"""The room's pages, built for real: projector views, presenter consoles, staged reveal,
timed segments, the address participants join on, and the room's banner policy."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from storybook.core.editions import LEARNER_EDITION, ROOM_EDITION_VARIABLE
from storybook.core.errors import StorybookError
from storybook.core.load import load_story
from storybook.core.parts import HELD_SUMMARY, fold_held_parts, headings, split_parts
from storybook.core.room_pages import (
    CONSOLE_URL_VARIABLE,
    JOIN_URL_VARIABLE,
    PROBLEM_BANNER_VARIABLE,
    PROJECTOR_URL_VARIABLE,
    ROOM_VARIABLES,
    overridden_by_the_room,
    room_settings,
    show_problem_banner,
)
from storybook.core.validate import validate_story
from storybook.core.vocabulary import Vocabulary, load_vocabulary
from storybook.room import (
    LOCAL,
    child_environment,
    join_url,
    room_servers,
    server_environment,
    single_server,
)

from .conftest import ROOT, build_edition, search_index, story_text

BODY = textwrap.dedent(
    """\
    It starts here.

    ## Part A

    What happened first.

    ```
    ## not a heading, inside code
    ```

    ## Part B

    The twist WORDS-IN-PART-B.

    ## Part C

    After the twist.
    """
)


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary(ROOT / "templates")


def problems_of(tmp_path: Path, vocabulary: Vocabulary, text: str) -> list[str]:
    path = tmp_path / "s.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StorybookError) as caught:
        validate_story(load_story(path), vocabulary)
    return [problem.format() for problem in caught.value.problems]


def test_parts_are_cut_at_level_two_headings_outside_code() -> None:
    assert headings(BODY) == ["Part A", "Part B", "Part C"]
    parts = split_parts(BODY, ["Part B"])
    assert [(part.heading, part.held) for part in parts] == [
        (None, False),
        ("Part A", False),
        ("Part B", True),
        ("Part C", True),
    ]
    assert "## not a heading" in parts[1].text
    assert "".join(part.text for part in parts) == BODY


def test_a_reader_alone_meets_each_held_back_stretch_folded() -> None:
    folded = fold_held_parts(BODY, ["Part B"])
    before, held = folded.split('<details class="storybook-held" markdown>')
    assert "Part A" in before and "Part B" not in before
    assert HELD_SUMMARY in held and "Part C" in held and held.rstrip().endswith("</details>")
    assert fold_held_parts(BODY, []) == BODY


def test_reveal_names_headings_of_the_story(tmp_path: Path, vocabulary: Vocabulary) -> None:
    text = story_text(body=BODY, extra='reveal: ["Part B", "Part D", "part c"]\n')
    messages = problems_of(tmp_path, vocabulary, text)
    assert any(":8: reveal: the story has no heading 'Part D'" in m for m in messages), messages
    assert any("'part c'" in m and "did you mean 'Part C'?" in m for m in messages), messages
    assert len(messages) == 2


def test_segments_must_fit_the_suggested_minutes(tmp_path: Path, vocabulary: Vocabulary) -> None:
    plan = textwrap.dedent(
        """\
        suggested_minutes: 20
        discussion_plan:
          segments:
            - title: "Read"
              minutes: 15
            - title: "Pairs"
              minutes: 10
              notes: "Then report back."
        """
    )
    messages = problems_of(tmp_path, vocabulary, story_text(extra=plan))
    assert (
        len(messages) == 1 and ":10: discussion_plan: the segments take 25 minutes" in messages[0]
    )


@pytest.fixture
def revealing_project(mini_project: Callable[..., Path]) -> Path:
    plan = textwrap.dedent(
        """\
        reveal: ["Part B"]
        suggested_minutes: 30
        discussion_plan:
          segments:
            - title: "Read part A"
              minutes: 10
        """
    )
    return mini_project({"twist.md": story_text(title="The twist", body=BODY, extra=plan)})


def test_the_projector_view_holds_the_story_in_slides_and_stays_out_of_search(
    revealing_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A learner site built for a room's projector is told where its console is.
    monkeypatch.setenv(CONSOLE_URL_VARIABLE, "http://127.0.0.1:8001/")
    site = build_edition(revealing_project, "learner", strict=True)
    page = (site / "present" / "twist" / "index.html").read_text(encoding="utf-8")
    assert 'class="md-header' not in page and "md-search" not in page and "md-nav" not in page
    assert page.count('class="storybook-slide') == 1 + 4 + 1  # title, 4 parts, 1 question
    assert 'data-held="start" data-kind="part" data-title="Part B"' in page
    assert 'data-held="more" data-kind="part" data-title="Part C"' in page
    assert "What did Sam notice?" in page and "assets/present.js" in page
    assert 'data-console="http://127.0.0.1:8001"' in page
    assert "join.svg" not in page and not (site / "present" / "join.svg").exists()
    docs = search_index(site)
    assert not any(doc["location"].startswith("present/") for doc in docs)
    # Search still finds the words of a held-back part, on the story's page.
    assert any(
        "WORDS-IN-PART-B" in doc["text"] and doc["location"].startswith("stories/twist/")
        for doc in docs
    )
    story = (site / "stories" / "twist" / "index.html").read_text(encoding="utf-8")
    assert '<details class="storybook-held">' in story and HELD_SUMMARY in story


def test_the_console_knows_the_projector_and_the_segments(
    revealing_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PROJECTOR_URL_VARIABLE, "http://127.0.0.1:9100/")
    site = build_edition(revealing_project, "facilitator", strict=True)
    page = (site / "console" / "twist" / "index.html").read_text(encoding="utf-8")
    assert 'data-projector="http://127.0.0.1:9100/present/twist/"' in page
    assert 'data-minutes="30" data-segment="story"' in page
    assert "Read part A</strong> (10 minutes)" in page
    story = (site / "stories" / "twist" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../console/twist/"' in story
    assert not (site / "present").exists()


def test_participants_get_an_address_and_a_qr_code_when_the_room_is_on_the_network(
    revealing_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(JOIN_URL_VARIABLE, "http://192.168.1.20:8000/")
    site = build_edition(revealing_project, "learner", strict=True)
    page = (site / "present" / "twist" / "index.html").read_text(encoding="utf-8")
    assert "Follow on your phone: <strong>http://192.168.1.20:8000/</strong>" in page
    assert 'src="../join.svg"' in page
    svg = (site / "present" / "join.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<svg" in svg and "http://192.168.1.20:8000/" in svg


def test_the_room_tells_each_edition_where_the_other_is_and_never_says_0_0_0_0() -> None:
    learner, facilitator = room_servers("0.0.0.0", 8100, 8101)
    told = server_environment(learner, [learner, facilitator])
    assert told[CONSOLE_URL_VARIABLE] == "http://127.0.0.1:8101/"
    assert told[PROBLEM_BANNER_VARIABLE] == "off"
    joining = told.get(JOIN_URL_VARIABLE)
    if joining is not None:  # a machine with no network has nothing to offer phones
        assert "0.0.0.0" not in joining and "127.0.0.1" not in joining
    assert server_environment(facilitator, [learner, facilitator]) == {
        "STORYBOOK_EDITION": "facilitator",
        PROJECTOR_URL_VARIABLE: "http://127.0.0.1:8100/",
    }
    local, _ = room_servers(LOCAL, 8100, 8101)
    assert join_url(local) is None
    assert JOIN_URL_VARIABLE not in server_environment(local, [local])
    # One edition alone (`storybook serve`, `make serve`) keeps its problem banner.
    (alone,) = single_server(LEARNER_EDITION, LOCAL, 8000)
    assert PROBLEM_BANNER_VARIABLE not in server_environment(alone, [alone])
    (named,) = single_server(LEARNER_EDITION, "192.168.7.7", 8000)
    assert join_url(named) == "http://192.168.7.7:8000/"


def test_the_banner_policy_follows_the_option_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(PROBLEM_BANNER_VARIABLE, raising=False)
    assert show_problem_banner({}) is True
    monkeypatch.setenv(PROBLEM_BANNER_VARIABLE, "off")
    assert show_problem_banner({}) is False
    assert show_problem_banner({"problem_banner": True}) is True


def test_the_terminal_shows_phones_where_to_go(monkeypatch: pytest.MonkeyPatch) -> None:
    from storybook import room

    monkeypatch.setattr(room, "lan_address", lambda: "192.168.1.20")
    said: list[str] = []
    learner, facilitator = room_servers("0.0.0.0", 8000, 8001)
    for server in (learner, facilitator):
        room._say_how_to_join(server, said.append)
    assert said[0].startswith("Participants open http://192.168.1.20:8000/ on their phones")
    assert len(said) == 2 and "█" in said[1], "then the QR code, once"
    said.clear()
    local, _ = room_servers(LOCAL, 8000, 8001)
    room._say_how_to_join(local, said.append)
    assert said == []


# (started by the room, the environment's value, mkdocs.yml's, the value that holds)
CONSOLE_URLS = [
    (False, None, None, "http://127.0.0.1:8001/"),
    (False, "http://127.0.0.1:9001/", None, "http://127.0.0.1:9001/"),
    (False, "http://127.0.0.1:9001/", "http://127.0.0.1:7001/", "http://127.0.0.1:7001/"),
    (True, "http://127.0.0.1:9001/", "http://127.0.0.1:7001/", "http://127.0.0.1:9001/"),
    (True, None, "http://127.0.0.1:7001/", "http://127.0.0.1:7001/"),
]
BANNERS = [
    (False, None, None, True),
    (False, "off", None, False),
    (False, "off", True, True),
    (True, "off", True, False),
    (True, None, False, False),
    (True, None, None, True),
]


def in_room(monkeypatch: pytest.MonkeyPatch, room: bool, variable: str, told: str | None) -> None:
    for name in (ROOM_EDITION_VARIABLE, *ROOM_VARIABLES.values()):
        monkeypatch.delenv(name, raising=False)
    if room:
        monkeypatch.setenv(ROOM_EDITION_VARIABLE, "learner")
    if told is not None:
        monkeypatch.setenv(variable, told)


@pytest.mark.parametrize(("room", "told", "written", "holds"), CONSOLE_URLS)
def test_in_a_room_the_rooms_address_wins_elsewhere_mkdocs_yml(
    monkeypatch: pytest.MonkeyPatch, room: bool, told: str | None, written: str | None, holds: str
) -> None:
    in_room(monkeypatch, room, CONSOLE_URL_VARIABLE, told)
    assert room_settings({"console_url": written}).console_url == holds
    overridden = room and told is not None and written is not None
    assert overridden_by_the_room({"console_url": written}) == (
        [f"console_url: {told}"] if overridden else []
    )


@pytest.mark.parametrize(("room", "told", "written", "holds"), BANNERS)
def test_in_a_room_the_rooms_banner_policy_wins_elsewhere_mkdocs_yml(
    monkeypatch: pytest.MonkeyPatch,
    room: bool,
    told: str | None,
    written: bool | None,
    holds: bool,
) -> None:
    in_room(monkeypatch, room, PROBLEM_BANNER_VARIABLE, told)
    assert show_problem_banner({"problem_banner": written}) is holds


def test_no_room_variable_is_inherited_from_the_shell_that_starts_the_room() -> None:
    learner, facilitator = room_servers(LOCAL, 8100, 8101)
    shell = {"PATH": "/usr/bin", **{name: "http://elsewhere/" for name in ROOM_VARIABLES.values()}}
    told = child_environment(learner, [learner, facilitator], shell)
    assert told[CONSOLE_URL_VARIABLE] == "http://127.0.0.1:8101/"
    assert told[PROBLEM_BANNER_VARIABLE] == "off"
    assert PROJECTOR_URL_VARIABLE not in told and JOIN_URL_VARIABLE not in told
    assert told["PATH"] == "/usr/bin" and told[ROOM_EDITION_VARIABLE] == "learner"

"""`storybook serve --room`, for real: both editions served side by side, both reloading."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import urllib.error
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from storybook.cli import main
from storybook.core.editions import BANNER_CLASS, FACILITATOR_EDITION, LEARNER_EDITION
from storybook.core.errors import RoomError
from storybook.core.room_pages import ROOM_VARIABLES
from storybook.core.siteconfig import read_config
from storybook.room import LOCAL, room_servers, single_server

from .conftest import ROOT, free_port, story_text
from .test_serve import Server, epoch_of

SLUMP = "/stories/the-quiet-slump/"
# Written only in the slump story's discussion plan, a facilitator-only field.
PLAN_WORDS = "How much longer the list of what Greg concluded"


class Edition(Server):
    """One edition served by the room (the room, not the test, started its `mkdocs serve`)."""

    def __init__(self, port: int, room: subprocess.Popen[bytes], log: Path) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.process = room
        self.log = log


class Room:
    def __init__(self, project: Path) -> None:
        self.project = project
        self.log = project.parent / "room.log"
        learner_port, facilitator_port = free_port(), free_port()
        command = [
            *(sys.executable, "-c", "from storybook.cli import main; main()"),
            *("serve", "--room", "--port", str(learner_port)),
            *("--facilitator-port", str(facilitator_port)),
        ]
        with self.log.open("wb") as log:
            # Started as a shell starts a background job: with Ctrl-C (SIGINT) ignored.
            self.process = subprocess.Popen(
                ["sh", "-c", 'trap "" INT; exec "$@"', "sh", *command],
                cwd=project,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.learner = Edition(learner_port, self.process, self.log)
        self.facilitator = Edition(facilitator_port, self.process, self.log)

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=60)


@pytest.fixture
def room(sample_project: Path) -> Iterator[Room]:
    (sample_project / "stories" / "wip.md").write_text(
        story_text(title="Unfinished draft", extra="draft: true\n"), encoding="utf-8"
    )
    running = Room(sample_project)
    try:
        yield running
    finally:
        running.stop()


def refused(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_the_room_serves_both_editions_and_both_reload_after_an_edit(room: Room) -> None:
    learner = room.learner.wait_for(SLUMP, lambda html: "The Quiet Slump" in html)
    facilitator = room.facilitator.wait_for(SLUMP, lambda html: "The Quiet Slump" in html)
    assert BANNER_CLASS not in learner and "For the facilitator" not in learner
    assert BANNER_CLASS in facilitator and "What to listen for." in facilitator
    assert PLAN_WORDS not in room.learner.get("/search/search_index.json")
    assert PLAN_WORDS in room.facilitator.get("/search/search_index.json")

    # Drafts: never in the learner edition, marked as drafts in the facilitator's.
    with pytest.raises(urllib.error.HTTPError) as missing:
        room.learner.get("/stories/wip/")
    assert missing.value.code == 404
    missing.value.close()
    assert "Unfinished draft" not in room.learner.get("/search/search_index.json")
    assert "This story is a draft" in room.facilitator.get("/stories/wip/")

    workshop = "/workshops/new-manager-day-one/"
    assert "run-of-show" in room.facilitator.get(workshop)
    assert "run-of-show" not in room.learner.get(workshop)

    epochs = {edition: epoch_of(page) for edition, page in (("l", learner), ("f", facilitator))}
    story = room.project / "stories" / "the-quiet-slump.md"
    story.write_text(
        story.read_text(encoding="utf-8").replace(
            'title: "The Quiet Slump"', 'title: "The Quiet Slump, retold"'
        ),
        encoding="utf-8",
    )
    # Each browser's live-reload poll answers with a newer epoch: that reloads both screens.
    for key, edition in (("l", room.learner), ("f", room.facilitator)):
        assert edition.next_epoch(epochs[key]) > epochs[key]
        edition.wait_for(SLUMP, lambda html: "The Quiet Slump, retold" in html)

    # A typo in the workshop during the session: both keep serving; the facilitator edition
    # says where it is, the projector's (learner) edition says nothing.
    learner_epoch = epoch_of(room.learner.get(workshop))
    plan = room.project / "workshops" / "new-manager-day-one.yml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("story: camera-off", "story: camera-of"),
        encoding="utf-8",
    )
    page = room.facilitator.wait_for(workshop, lambda html: "storybook-problems" in html)
    assert "<code>workshops/new-manager-day-one.yml:69</code> no story" in page
    assert "did you mean" in page
    assert "Camera Off" in page, "the last good workshop page is still served"
    assert int(room.learner.get(f"/livereload/{learner_epoch}/1", timeout=90)) > learner_epoch
    page = room.learner.get(workshop)
    assert "storybook-problems" not in page and "Camera Off" in page

    # Ctrl-C stops the room, and each server shuts down cleanly rather than being killed.
    assert room.stop(signal.SIGINT) == 0
    assert refused(room.learner.port) and refused(room.facilitator.port)
    log = room.log.read_text(encoding="utf-8")
    assert "[learner] INFO    -  Shutting down" in log
    assert "[facilitator] INFO    -  Shutting down" in log
    assert "Traceback" not in log


def test_in_the_room_problems_reach_the_facilitator_and_never_the_projector(room: Room) -> None:
    present = "/present/the-quiet-slump/"
    learner = room.learner.wait_for(present, lambda html: "The Quiet Slump" in html, timeout=90)
    facilitator = room.facilitator.wait_for(SLUMP, lambda html: "The Quiet Slump" in html)
    # The room tells each edition where the other one is.
    assert f'data-console="http://127.0.0.1:{room.facilitator.port}"' in learner
    console = room.facilitator.get("/console/the-quiet-slump/")
    assert f'data-projector="http://127.0.0.1:{room.learner.port}{present}"' in console

    epochs = {"l": epoch_of(learner), "f": epoch_of(facilitator)}
    story = room.project / "stories" / "the-quiet-slump.md"
    good = story.read_text(encoding="utf-8")
    story.write_text(good.replace("tags: [", "tags: [no-such-tag, ", 1), encoding="utf-8")
    page = room.facilitator.wait_for(SLUMP, lambda html: "storybook-problems" in html, timeout=90)
    assert "unknown tag &#x27;no-such-tag&#x27;" in page or "unknown tag 'no-such-tag'" in page
    # The learner edition rebuilt too (its reload poll answers), and shows no problem at all.
    assert int(room.learner.get(f"/livereload/{epochs['l']}/1", timeout=90)) > epochs["l"]
    for path in (present, SLUMP, "/"):
        html = room.learner.get(path)
        assert "storybook-problems" not in html and "no-such-tag" not in html, path
        assert "The Quiet Slump" in html, "the last good pages are still served"
    log = room.log.read_text(encoding="utf-8")
    assert "[facilitator] WARNING" in log and "[learner] WARNING" in log, log[-2000:]

    epoch = epoch_of(room.facilitator.get(SLUMP))
    story.write_text(good, encoding="utf-8")
    assert int(room.facilitator.get(f"/livereload/{epoch}/1", timeout=90)) > epoch
    room.facilitator.wait_for(SLUMP, lambda html: "storybook-problems" not in html)


def test_the_room_refuses_a_config_that_ignores_the_edition_variable(
    sample_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hard-coded facilitator edition would put facilitator notes on the projector."""
    config = sample_project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "edition: !ENV [STORYBOOK_EDITION, learner]", "edition: facilitator"
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(sample_project)
    result = CliRunner().invoke(main, ["serve", "--room", "--port", str(free_port())])
    assert result.exit_code == 1
    assert "does not take the edition from STORYBOOK_EDITION" in result.output
    assert "edition: !ENV [STORYBOOK_EDITION, learner]" in result.output


def test_the_room_says_which_port_is_taken(
    sample_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(sample_project)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            main, ["serve", "--room", "--port", str(free_port()), "--facilitator-port", str(port)]
        )
    assert result.exit_code == 1
    assert f"port {port} on 127.0.0.1 is in use" in result.output


def test_only_the_learner_edition_may_leave_this_machine() -> None:
    learner, facilitator = room_servers("0.0.0.0", 8000, 8001)
    assert (learner.edition, learner.host, learner.port) == (LEARNER_EDITION, "0.0.0.0", 8000)
    assert (facilitator.edition, facilitator.host, facilitator.port) == (
        FACILITATOR_EDITION,
        LOCAL,
        8001,
    )
    (alone,) = single_server(FACILITATOR_EDITION, "0.0.0.0", 8000)
    assert (alone.host, alone.port) == (LOCAL, 8000)
    with pytest.raises(RoomError, match="two ports"):
        room_servers(LOCAL, 8000, 8000)


def test_serve_outside_a_storybook_says_where_to_run_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["serve", "--room"])
    assert result.exit_code == 1 and "run this in the storybook's folder" in result.output


def test_the_learner_port_never_builds_another_edition_even_when_mkdocs_yml_changes(
    room: Room,
) -> None:
    first = room.learner.wait_for(SLUMP, lambda html: "The Quiet Slump" in html)
    config = room.project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "edition: !ENV [STORYBOOK_EDITION, learner]" in text
    config.write_text(
        text.replace("edition: !ENV [STORYBOOK_EDITION, learner]", "edition: facilitator"),
        encoding="utf-8",
    )
    # Once the learner server has rebuilt with the edited mkdocs.yml...
    assert room.learner.next_epoch(epoch_of(first)) > epoch_of(first)
    room.learner.wait_for_log("serves the learner edition only")
    # ...it still serves the learner edition: no banner, no notes, no drafts.
    page = room.learner.get(SLUMP)
    assert BANNER_CLASS not in page and "For the facilitator" not in page
    assert PLAN_WORDS not in room.learner.get("/search/search_index.json")
    assert "Facilitator edition" not in room.learner.get("/")


# What the guide's Settings block says of the room, copied into a project's mkdocs.yml.
COPIED_SETTINGS = """\
  - storybook:
      edition: !ENV [STORYBOOK_EDITION, learner]
      projector_url: http://127.0.0.1:8000/
      console_url: http://127.0.0.1:8001/
      problem_banner: true
"""


def test_the_rooms_own_settings_win_over_those_in_mkdocs_yml(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project(
        {"one.md": story_text(title="First title"), "two.md": story_text(title="Second")}
    )
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - storybook\n", COPIED_SETTINGS),
        encoding="utf-8",
    )
    room = Room(project)  # on free ports, never 8000 and 8001
    try:
        present = room.learner.wait_for("/present/one/", lambda html: "First title" in html)
        assert f'data-console="http://127.0.0.1:{room.facilitator.port}"' in present
        console = room.facilitator.wait_for("/console/one/", lambda html: "First title" in html)
        assert f'data-projector="http://127.0.0.1:{room.learner.port}/present/one/"' in console
        assert (
            "mkdocs.yml sets console_url, but this server of the room keeps console_url: http"
            in (room.log.read_text(encoding="utf-8"))
        )
        # A broken story, then another edit: the build that shows the edit has the problem.
        (project / "stories" / "two.md").write_text("no front matter\n", encoding="utf-8")
        (project / "stories" / "one.md").write_text(story_text(title="Retitled"), encoding="utf-8")
        for path in ("/present/one/", "/stories/one/", "/"):
            page = room.learner.wait_for(path, lambda html: "Retitled" in html)
            assert "storybook-problems" not in page and "stories/two.md" not in page, path
        page = room.facilitator.wait_for("/", lambda html: "storybook-problems" in html)
        assert "stories/two.md:1" in page
    finally:
        room.stop()


def plugin_options(config: dict[str, object]) -> dict[str, dict[str, object]]:
    """A mkdocs.yml's plugins, in order, each with its options."""
    plugins = config["plugins"]
    assert isinstance(plugins, list)
    found: dict[str, dict[str, object]] = {}
    for plugin in plugins:
        if isinstance(plugin, dict):
            ((name, options),) = plugin.items()
            found[name] = dict(options or {})
        else:
            found[str(plugin)] = {}
    return found


def test_the_guides_settings_block_is_safe_to_copy(tmp_path: Path) -> None:
    """It has the plugins mkdocs.yml has (the offline copy needs its plugin), with the same
    options, and pins none of the settings the room sets for its servers."""
    settings = (ROOT / "guide" / "docs" / "settings.md").read_text(encoding="utf-8")
    block = settings.split("\n## The plugins\n", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "mkdocs.yml").write_text(block, encoding="utf-8")
    copied = plugin_options(read_config(tmp_path / "mkdocs.yml"))
    ours = plugin_options(read_config(ROOT / "mkdocs.yml"))
    assert list(copied) == list(ours)
    for name, options in ours.items():
        assert {key: copied[name].get(key) for key in options} == options, name
    assert not set(copied["storybook"]) & set(ROOM_VARIABLES)

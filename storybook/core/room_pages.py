"""The pages that run a room: a projector view per story (learner edition, ``present/<slug>/``)
and a presenter console per story (facilitator edition, ``console/<slug>/``).

The projector page holds the learner's story and questions only: it is rendered from the same
learner views as the story page, never from facilitator material. The console is rendered only
for the facilitator edition. The two windows talk through ``postMessage`` (present.js,
console.js): the console sends commands, the projector answers with slide titles read from its
own page, so nothing facilitator-only can cross.
"""

from __future__ import annotations

import html
import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

import yaml

# The room's variables are named in editions.py, which the `storybook` command reads without
# this module; named here as well, where the plugin and the tests have always found them.
from storybook.core.editions import (
    CONSOLE_URL_VARIABLE as CONSOLE_URL_VARIABLE,
)
from storybook.core.editions import (
    JOIN_URL_VARIABLE as JOIN_URL_VARIABLE,
)
from storybook.core.editions import (
    PROBLEM_BANNER_VARIABLE as PROBLEM_BANNER_VARIABLE,
)
from storybook.core.editions import (
    PROJECTOR_URL_VARIABLE as PROJECTOR_URL_VARIABLE,
)
from storybook.core.editions import (
    ROOM_EDITION_VARIABLE,
    Edition,
    facilitator_view,
)
from storybook.core.editions import (
    ROOM_VARIABLES as ROOM_VARIABLES,
)
from storybook.core.errors import Problem, StorybookError
from storybook.core.model import Story
from storybook.core.pages import Dumper, Page, story_view
from storybook.core.parts import split_parts
from storybook.core.render import Renderer
from storybook.core.sections import (
    ROOM,
    STORIES,
    Inputs,
    Section,
    facilitator_editions,
    learner_editions,
)
from storybook.core.vocabulary import Vocabulary

PRESENT_TEMPLATE = "present.md.j2"
CONSOLE_TEMPLATE = "console.md.j2"
# The theme template of the projector view: the page alone, no header, navigation or search.
PROJECTOR_THEME_TEMPLATE = "storybook-present.html"
JOIN_QR = "present/join.svg"
# The name, on the console, of the text before a story's first heading.
OPENING = "The story begins"


def in_a_room() -> bool:
    """Whether `storybook serve` started this server. It then sets the room's variables
    itself, and what it sets for its own servers wins over mkdocs.yml: a copied setting must
    not put problems on the projector or point the console at another port."""
    return ROOM_EDITION_VARIABLE in os.environ


def _chosen(options: Mapping[str, object], option: str) -> object:
    """The room's value of a setting, else mkdocs.yml's, else the environment's (None: unset)."""
    told = os.environ.get(ROOM_VARIABLES[option], "").strip() or None
    value = options.get(option)
    written = (value.strip() or None) if isinstance(value, str) else value
    if in_a_room() and told is not None:
        return told
    return told if written is None else written


def overridden_by_the_room(options: Mapping[str, object]) -> list[str]:
    """The settings in mkdocs.yml that the room sets otherwise for this server, each said
    as "option: the room's value"."""
    if not in_a_room():
        return []
    said = []
    for option, variable in ROOM_VARIABLES.items():
        told = os.environ.get(variable, "").strip()
        written = options.get(option)
        if told and written is not None and _meaning(option, written) != _meaning(option, told):
            said.append(f"{option}: {told}")
    return said


def _meaning(option: str, value: object) -> object:
    return _banner_on(value) if option == "problem_banner" else str(value).strip()


def _banner_on(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "on").strip().lower() not in ("off", "false", "0")


def show_problem_banner(options: Mapping[str, object]) -> bool:
    """Under serve, whether problems go on a red box on every page: what the room says, else
    the plugin's problem_banner option, else the environment; on unless turned off."""
    return _banner_on(_chosen(options, "problem_banner"))


DEFAULT_PROJECTOR_URL = "http://127.0.0.1:8000/"
DEFAULT_CONSOLE_URL = "http://127.0.0.1:8001/"


@dataclass(frozen=True)
class RoomSettings:
    """Addresses the room pages need: the learner site (for the console's "Open projector
    view"), the facilitator site (the only origin a projector obeys), and the address
    participants type on their phones (None on 127.0.0.1)."""

    projector_url: str = DEFAULT_PROJECTOR_URL
    console_url: str = DEFAULT_CONSOLE_URL
    join_url: str | None = None


def room_settings(options: Mapping[str, object]) -> RoomSettings:
    """In a room, what the room set for this server; then the plugin's options where set,
    else the environment, else the defaults."""

    def pick(option: str) -> str | None:
        chosen = _chosen(options, option)
        return chosen if isinstance(chosen, str) else None

    return RoomSettings(
        projector_url=pick("projector_url") or DEFAULT_PROJECTOR_URL,
        console_url=pick("console_url") or DEFAULT_CONSOLE_URL,
        join_url=pick("join_url"),
    )


def room_of_build(
    options: Mapping[str, object], *, edition: Edition, serving: bool
) -> RoomSettings | None:
    """The room's addresses when this build makes the room's pages, else None.

    The facilitator edition always has its presenter consoles: its story pages link to them.
    A projector view is only ever opened by a console, so the learner edition makes them where
    a room can open them: when it is served (`mkdocs serve`, `storybook serve`, the room), or
    when it is told one of the room's addresses (``console_url``, ``join_url`` or
    ``projector_url``, in mkdocs.yml or the environment), as a site built for a room's
    projector is. Any other learner build, the one most sites deploy, makes none: they were a
    fifth of its build."""
    if edition.shows_facilitator or serving or in_a_room():
        return room_settings(options)
    if any(_chosen(options, option) is not None for option in ROOM_ADDRESSES):
        return room_settings(options)
    return None


# The settings that say where the room's windows are; one of them set means a room.
ROOM_ADDRESSES = ("projector_url", "console_url", "join_url")


def present_uri(slug: str) -> str:
    return f"present/{slug}.md"


def console_uri(slug: str) -> str:
    return f"console/{slug}.md"


def origin(url: str) -> str:
    """scheme://host:port of an address, as a browser writes ``event.origin``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class RenderRoomPage(Protocol):
    def __call__(
        self,
        story: Story,
        vocabulary: Vocabulary,
        renderer: Renderer,
        settings: RoomSettings,
        *,
        edition: Edition,
    ) -> Page: ...


def build_room_pages(
    stories: Sequence[Story],
    vocabulary: Vocabulary,
    renderer: Renderer,
    *,
    edition: Edition,
    settings: RoomSettings,
    render: RenderRoomPage | None = None,
) -> tuple[list[Page], list[Problem]]:
    """Projector pages in the learner edition, console pages in the facilitator edition.
    ``render``: a cached :func:`render_room_page` (under `mkdocs serve`)."""
    render = render or render_room_page
    pages: list[Page] = []
    problems: list[Problem] = []
    for story in stories:
        if story.draft:
            continue
        try:
            pages.append(render(story, vocabulary, renderer, settings, edition=edition))
        except StorybookError as exc:
            problems.extend(exc.problems)
    return pages, problems


def render_room_page(
    story: Story,
    vocabulary: Vocabulary,
    renderer: Renderer,
    settings: RoomSettings,
    *,
    edition: Edition,
) -> Page:
    """The story's console page for the facilitator edition, its projector page otherwise."""
    facilitator = facilitator_view(story, edition)
    if facilitator is not None:
        return render_console_page(story, vocabulary, renderer, settings, facilitator)
    return render_present_page(story, vocabulary, renderer, settings)


def _room_pages(inputs: Inputs) -> tuple[list[Page], list[Problem]]:
    """The room's pages of a build that runs a room (``inputs.room``), else none."""
    if inputs.room is None:
        return [], []
    return build_room_pages(
        inputs.published,
        inputs.vocabulary,
        inputs.renderer,
        edition=inputs.edition,
        settings=inputs.room,
        render=inputs.cache.render_room_page if inputs.cache else None,
    )


# The projector shows what learners may see; the console is the facilitator's.
PROJECTOR_PAGES = Section(
    "projector",
    _room_pages,
    editions=learner_editions,
    reads=(STORIES, ROOM),
    templates=(PRESENT_TEMPLATE,),
)
CONSOLE_PAGES = Section(
    "console",
    _room_pages,
    editions=facilitator_editions,
    reads=(STORIES, ROOM),
    templates=(CONSOLE_TEMPLATE,),
)


def slide_parts(story: Story) -> list[dict[str, Any]]:
    """The story's parts as the projector shows them; ``held`` is "start" for a part named in
    ``reveal:``, "more" for the parts after it that are revealed with it, "" otherwise."""
    views = []
    for part in split_parts(story.body, story.reveal):
        if not part.held:
            held = ""
        elif part.heading is not None and part.heading in story.reveal:
            held = "start"
        else:
            held = "more"
        views.append({"title": part.heading or OPENING, "text": part.text, "held": held})
    return views


def render_present_page(
    story: Story, vocabulary: Vocabulary, renderer: Renderer, settings: RoomSettings
) -> Page:
    fields = story.fields()
    questions = [renderer.render_question(question, story, fields) for question in story.reflection]
    after = [
        renderer.render_question(question, story, fields) for question in story.reflection_after
    ]
    content = renderer.render_template(
        PRESENT_TEMPLATE,
        story=story_view(story, vocabulary),
        parts=slide_parts(story),
        questions=questions,
        after_questions=after,
        console_origin=origin(settings.console_url),
        join={"url": settings.join_url, "qr": "join.svg"} if settings.join_url else None,
    )
    meta = {"template": PROJECTOR_THEME_TEMPLATE, "search": {"exclude": True}}
    front = _front_matter(story.title, story.summary, meta)
    return Page(present_uri(story.slug), front + content, frozenset({story.slug}))


def render_console_page(
    story: Story,
    vocabulary: Vocabulary,
    renderer: Renderer,
    settings: RoomSettings,
    facilitator: dict[str, Any],
) -> Page:
    projector = settings.projector_url.rstrip("/") + f"/present/{story.slug}/"
    content = renderer.render_template(
        CONSOLE_TEMPLATE,
        story=story_view(story, vocabulary),
        facilitator=facilitator,
        projector_url=projector,
    )
    meta = {"hide": ["navigation", "toc"], "search": {"exclude": True}}
    title = f"Console: {story.title}"
    front = _front_matter(title, story.summary, meta)
    return Page(console_uri(story.slug), front + content, frozenset({story.slug}))


def _front_matter(title: str, description: str, meta: dict[str, Any]) -> str:
    # The theme puts title and description into the page as they are: escape them.
    fields = {"title": html.escape(title), "description": html.escape(description), **meta}
    text = yaml.dump(fields, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    return "---\n" + text + "---\n\n"


def join_qr_svg(url: str) -> str:
    """A QR code of ``url`` as SVG text, dark on light, made without any network."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=8, border=2, dark="#000", light="#fff", title=f"QR code: {url}"
    )
    return out.getvalue().decode("utf-8")


def join_qr_terminal(url: str) -> str:
    """The same QR code drawn with characters, for the terminal that starts the room."""
    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()

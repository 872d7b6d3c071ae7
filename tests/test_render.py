from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from markupsafe import Markup

import storybook.core.render
from storybook.core.defaults import DEFAULT_TEMPLATES
from storybook.core.errors import StorybookError
from storybook.core.model import Question, Story
from storybook.core.render import MAX_TEMPLATE_BYTES, Renderer, values_inside_tags
from storybook.core.safety import neutralise

STORY = Story(
    path=Path("stories/s.md"),
    slug_line=1,
    title="The title",
    summary="The summary",
    tags=("wellbeing",),
    reflection=(),
    slug="s",
    body="Body {{ not jinja }}",
    body_line=5,
    protagonist="Dana",
)


def question(text: str, line: int = 7) -> Question:
    return Question(text, STORY.path, line)


@pytest.fixture
def renderer(tmp_path: Path) -> Renderer:
    return Renderer(tmp_path)


def test_questions_see_the_story_fields(renderer: Renderer) -> None:
    text = renderer.render_question(question("What did {{ story.protagonist }} need?"), STORY)
    assert text == "What did Dana need?"


def test_undefined_names_in_questions_are_errors_with_a_suggestion(renderer: Renderer) -> None:
    with pytest.raises(StorybookError) as caught:
        renderer.render_question(question("{{ story.protagnist }}"), STORY)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == (STORY.path, 7)
    assert "'protagnist' is not defined" in problem.message
    assert "did you mean 'story.protagonist'" in problem.hint


def test_sandbox_refuses_to_reach_python_internals(renderer: Renderer) -> None:
    escape = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    with pytest.raises(StorybookError) as caught:
        renderer.render_question(question(escape), STORY)
    assert "may not do" in caught.value.problems[0].message


def test_template_errors_name_the_template_file_and_line(
    tmp_path: Path, renderer: Renderer
) -> None:
    (tmp_path / "broken.md.j2").write_text("line one\n{% if %}\n", encoding="utf-8")
    (tmp_path / "undefined.md.j2").write_text("one\ntwo\n{{ story.nope }}\n", encoding="utf-8")
    with pytest.raises(StorybookError) as caught:
        renderer.render_template("broken.md.j2")
    assert (caught.value.problems[0].path.name, caught.value.problems[0].line) == (
        "broken.md.j2",
        2,
    )
    with pytest.raises(StorybookError) as caught:
        renderer.render_template("undefined.md.j2", story={"title": "x"})
    problem = caught.value.problems[0]
    assert (problem.path.name, problem.line) == ("undefined.md.j2", 3)
    assert "'nope' is not defined" in problem.message


def test_missing_template_is_named(renderer: Renderer, tmp_path: Path) -> None:
    with pytest.raises(StorybookError) as caught:
        renderer.render_template("no-such-page.md.j2")
    problem = caught.value.problems[0]
    assert "no-such-page.md.j2" in problem.message
    assert problem.path == tmp_path / "no-such-page.md.j2"


def test_values_passed_to_templates_are_not_run_as_jinja(
    tmp_path: Path, renderer: Renderer
) -> None:
    (tmp_path / "page.md.j2").write_text("{{ body }}", encoding="utf-8")
    # Printed as written (the braces as entities, so no attribute list is read in them).
    assert renderer.render_template("page.md.j2", body=STORY.body) == (
        "Body &#123;&#123; not jinja &#125;&#125;"
    )


def test_runaway_templates_get_plain_messages(tmp_path: Path, renderer: Renderer) -> None:
    (tmp_path / "self.md.j2").write_text("x\n{% include 'self.md.j2' %}\n", encoding="utf-8")
    (tmp_path / "zero.md.j2").write_text("{{ 1 / 0 }}\n", encoding="utf-8")
    with pytest.raises(StorybookError) as caught:
        renderer.render_template("self.md.j2")
    assert "includes or calls itself without end" in caught.value.problems[0].message
    with pytest.raises(StorybookError) as caught:
        renderer.render_template("zero.md.j2")
    assert (
        caught.value.problems[0].message
        == "this line fails when it is filled in (division by zero)"
    )


def test_powers_and_repetitions_cannot_exhaust_memory(renderer: Renderer) -> None:
    assert (
        renderer.render_question(question("{{ 'ab' * 3 }} {{ 2 ** 10 }}"), STORY) == "ababab 1024"
    )
    for bomb in ("{{ 'x' * 10**9 }}", "{{ [1] * 10**9 }}", "{{ 10 ** 100000 }}"):
        with pytest.raises(StorybookError) as caught:
            renderer.render_question(question(bomb), STORY)
        assert "may not do" in caught.value.problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "  What did you notice?  ",
        "Line one\r\nline two\rthree",
        "50% of 100} is % done",
        "",
        "é—“”",
    ],
)
def test_questions_without_jinja_come_out_as_jinja_would_render_them(
    renderer: Renderer, text: str
) -> None:
    expected = renderer.question_env.from_string(text).render(story=STORY.fields()).strip()
    assert renderer.render_question(question(text), STORY) == neutralise(expected)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ page.title }}", "T"),
        ("{{ page['title'] }}", "T"),
        # A dict's own attributes still come before its keys, as in plain Jinja.
        ("{{ page.items is callable }} {{ page['items'] }}", "True shadowed"),
        ("{{ page.get('title') }}", "T"),
        ("{{ page.title.upper() }}", "T"),
        ("{{ page.__class__ }}", None),
        ("{{ page.missing }}", None),
    ],
)
def test_values_are_looked_up_in_dicts_as_jinja_does(
    tmp_path: Path, renderer: Renderer, template: str, expected: str | None
) -> None:
    (tmp_path / "lookup.md.j2").write_text(template, encoding="utf-8")
    page = {"title": "T", "items": "shadowed"}
    if expected is None:
        with pytest.raises(StorybookError):
            renderer.render_template("lookup.md.j2", page=page)
    else:
        assert renderer.render_template("lookup.md.j2", page=page) == expected


def test_templates_no_page_used_are_checked_too(tmp_path: Path, renderer: Renderer) -> None:
    (tmp_path / "used.md.j2").write_text("{{ page }}", encoding="utf-8")
    (tmp_path / "unused.md.j2").write_text("line one\n{% for %}\n", encoding="utf-8")
    (tmp_path / "latin1.md.j2").write_bytes("Caf\xe9 {{ page }}\n".encode("latin-1"))
    (tmp_path / "notes.txt").write_bytes(b"\xff not a template")
    assert renderer.render_template("used.md.j2", page="x") == "x"
    found = sorted(renderer.syntax_problems(), key=lambda problem: problem.path.name)
    assert [(problem.path.name, problem.line) for problem in found] == [
        ("latin1.md.j2", 1),
        ("unused.md.j2", 2),
    ]
    assert found[0].message == "this template is not UTF-8 text"
    assert found[1].message.startswith("template syntax error")
    assert renderer.syntax_problems() == found, "the next build checks them again"


def test_the_questions_of_one_page_share_one_time_budget(
    renderer: Renderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fifteen questions of a second each must not make a page of fifteen seconds."""
    import storybook.core.render as render

    now = [0.0]

    # Every look at the clock finds a second gone: the fourth question starts past the budget.
    def a_second_later() -> float:
        now[0] += 1
        return now[0]

    monkeypatch.setattr(render, "_now", a_second_later)
    slow = "{% for i in range(2) %}{% endfor %}Next?"
    with renderer.page_budget(2.5):
        asked = [renderer.render_question(question(slow, line), STORY) for line in (1, 2)]
        with pytest.raises(StorybookError) as caught:
            renderer.render_question(question(slow, 9), STORY)
    assert asked == ["Next?", "Next?"]
    assert caught.value.format() == (
        "stories/s.md:9: this took more than 3 seconds to fill in and was stopped"
        " - look for a loop inside a loop, or a very large range()"
    )
    # Outside a page, each question has its own time again.
    assert renderer.render_question(question(slow, 10), STORY) == "Next?"


def test_a_template_linked_from_outside_the_folder_is_refused(tmp_path: Path) -> None:
    """The templates folder is a boundary: a link out of it is refused like an include of ../."""
    folder = tmp_path / "templates"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-OUTSIDE", encoding="utf-8")
    (folder / "page.md.j2").write_text("{% include 'leak.j2' %}", encoding="utf-8")
    (folder / "leak.j2").symlink_to(secret)
    renderer = Renderer(folder)
    with pytest.raises(StorybookError) as caught:
        renderer.render_template("page.md.j2")
    assert "SECRET-OUTSIDE" not in caught.value.format()
    assert caught.value.format() == (
        f"{folder / 'leak.j2'}:1: this template is a link to a file outside the templates "
        "folder - copy the file into the templates folder instead of linking to it"
    )
    problems = [problem.message for problem in renderer.syntax_problems()]
    assert problems == ["this template is a link to a file outside the templates folder"]


# Trainer text printed by a template: it can set no attribute (see safety.neutralise).
NEUTRALISED = [
    ('{"a": 1}\n{: #__config }', '&#123;"a": 1&#125;\n&#123;: #__config &#125;'),
    ("## Heading { #__search .md-x }", "## Heading &#123; #__search .md-x &#125;"),
    ("*em*{: data-x=y } and `{: kept }`", "*em*&#123;: data-x=y &#125; and `{: kept }`"),
    ('<p id="x" class="y" data-z="1" style="s" role="r" lang="fr">t</p>', '<p lang="fr">t</p>'),
    ('<a href="https://e.org" target="_blank" name="n">l</a>', '<a href="https://e.org">l</a>'),
    ("<not a tag <3 and <https://e.org/a>", "&lt;not a tag &lt;3 and <https://e.org/a>"),
    ('!!! md-x inline "Title"\n    Body', '!!! note "Title"\n    Body'),
    ("text\n```{ #id }\n{code}\n```", "text\n```\n{code}\n```"),
    ("text\n```\nnever closed {x}", "text\n&#96;``\nnever closed &#123;x&#125;"),
]


@pytest.mark.parametrize(("value", "printed"), NEUTRALISED)
def test_every_value_a_template_prints_is_neutralised(
    tmp_path: Path, renderer: Renderer, value: str, printed: str
) -> None:
    (tmp_path / "page.md.j2").write_text("{{ value }}", encoding="utf-8")
    assert renderer.render_template("page.md.j2", value=value) == printed


def test_values_marked_as_ours_are_printed_as_they_are(tmp_path: Path, renderer: Renderer) -> None:
    (tmp_path / "page.md.j2").write_text("{{ value }}", encoding="utf-8")
    ours = Markup('<div class="storybook-held" markdown>\n{ .kept }')
    assert renderer.render_template("page.md.j2", value=ours) == str(ours)


def test_a_filled_in_question_is_neutralised_whole(
    renderer: Renderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = dataclasses.replace(STORY, protagonist="Dana\n{: #__config }")
    asks = ("Was {{ story.protagonist }} right?", "Was {{ story.protagonist | upper }}?")
    for text in asks:
        with pytest.raises(StorybookError, match="the attribute list"):
            renderer.render_question(question(text), story)
    # Were the check to miss it, the question still sets nothing, on either path.
    monkeypatch.setattr(storybook.core.render, "find_unsafe", lambda text: [])
    for text in asks:
        assert "{" not in renderer.render_question(question(text), story)


def test_a_value_inside_an_html_tag_must_be_escaped(tmp_path: Path, renderer: Renderer) -> None:
    (tmp_path / "tags.md.j2").write_text(
        'One\n| <abbr title="{{ tag.label }}">{{ tag.number }}</abbr> |\n', encoding="utf-8"
    )
    (tmp_path / "page.md.j2").write_text("{% include 'tags.md.j2' %}", encoding="utf-8")
    tag = {"label": 'A" onmouseover="x', "number": 1}
    for name in ("tags.md.j2", "page.md.j2"):
        with pytest.raises(StorybookError) as caught:
            renderer.render_template(name, tag=tag)
        (problem,) = caught.value.problems
        assert (problem.path.name, problem.line) == ("tags.md.j2", 2)
        assert "{{ tag.label }} stands inside an HTML tag" in problem.message
        assert "{{ tag.label | e }}" in problem.hint
    assert [p.line for p in Renderer(tmp_path).syntax_problems()] == [2]

    (tmp_path / "tags.md.j2").write_text('<abbr title="{{ tag.label | e }}">', encoding="utf-8")
    assert renderer.render_template("tags.md.j2", tag=tag) == (
        '<abbr title="A&#34; onmouseover=&#34;x">'
    )


def test_the_storybooks_own_templates_escape_every_value_inside_a_tag() -> None:
    folder = Path(__file__).parent.parent / "templates"
    assert Renderer(folder).syntax_problems() == []


# Default templates: the project's folder first, then storybook/defaults/templates.

LIST_CONTEXT: dict[str, object] = {"stories": [], "pager": None, "root": ""}


def test_a_project_without_templates_renders_the_defaults(tmp_path: Path) -> None:
    for folder in (tmp_path / "empty", tmp_path / "absent"):
        renderer = Renderer(folder)
        if folder.name == "empty":
            folder.mkdir()
        page = renderer.render_template("all-stories.md.j2", **LIST_CONTEXT)
        assert page == Renderer(DEFAULT_TEMPLATES).render_template(
            "all-stories.md.j2", **LIST_CONTEXT
        )
        assert renderer.syntax_problems() == []


def test_every_default_template_is_shipped_and_parses() -> None:
    names = sorted(path.name for path in DEFAULT_TEMPLATES.glob("*.j2"))
    assert {"story.md.j2", "present.md.j2", "console.md.j2", "home.md.j2"} <= set(names)
    renderer = Renderer(DEFAULT_TEMPLATES)
    assert renderer.env.list_templates(filter_func=lambda name: name.endswith(".j2")) == names
    assert renderer.syntax_problems() == []


def test_a_project_template_overrides_the_default_of_its_name_only(tmp_path: Path) -> None:
    (tmp_path / "all-stories.md.j2").write_text("OWN LIST {{ root }}\n", encoding="utf-8")
    renderer = Renderer(tmp_path)
    assert renderer.render_template("all-stories.md.j2", **LIST_CONTEXT) == "OWN LIST \n"
    assert renderer.template_path("all-stories.md.j2") == tmp_path / "all-stories.md.j2"
    assert renderer.template_path("story-list.md.j2") == DEFAULT_TEMPLATES / "story-list.md.j2"
    # An override can include a default it does not replace.
    (tmp_path / "mine.md.j2").write_text(
        "{% include 'all-stories.md.j2' %}{% include 'content-note.md.j2' %}", encoding="utf-8"
    )
    assert renderer.render_template("mine.md.j2", **LIST_CONTEXT, held_notes=[]).startswith(
        "OWN LIST"
    )


def test_an_override_added_or_removed_later_is_picked_up(tmp_path: Path) -> None:
    """Under mkdocs serve one renderer lives on: a template cached from the defaults must
    give way to a project file added later, and come back when it is deleted."""
    renderer = Renderer(tmp_path)
    default = renderer.render_template("all-stories.md.j2", **LIST_CONTEXT)
    own = tmp_path / "all-stories.md.j2"
    own.write_text("OWN\n", encoding="utf-8")
    assert renderer.render_template("all-stories.md.j2", **LIST_CONTEXT) == "OWN\n"
    own.unlink()
    assert renderer.render_template("all-stories.md.j2", **LIST_CONTEXT) == default


def test_problems_of_an_override_name_the_projects_file(tmp_path: Path) -> None:
    own = tmp_path / "tag.md.j2"
    own.write_text("# {{ tag.label\n", encoding="utf-8")
    renderer = Renderer(tmp_path)
    problems = renderer.syntax_problems()
    assert [(problem.path, problem.line) for problem in problems] == [(own, 1)]
    with pytest.raises(StorybookError) as caught:
        renderer.render_template("tag.md.j2")
    assert caught.value.problems[0].path == own
    own.write_text("# ok\n\n{{ tag.nope }}\n", encoding="utf-8")
    with pytest.raises(StorybookError) as caught:
        renderer.render_template("tag.md.j2", tag={"label": "x"})
    assert (caught.value.problems[0].path, caught.value.problems[0].line) == (own, 3)


def test_a_failing_default_template_is_said_at_the_default_file(tmp_path: Path) -> None:
    (tmp_path / "page.md.j2").write_text("{% include 'all-stories.md.j2' %}\n", encoding="utf-8")
    with pytest.raises(StorybookError) as caught:
        Renderer(tmp_path).render_template("page.md.j2", stories=[], root="")
    problem = caught.value.problems[0]
    assert problem.path == DEFAULT_TEMPLATES / "story-list.md.j2"
    assert "'pager' is not defined" in problem.message


def test_a_link_to_a_default_template_is_still_outside_the_folder(tmp_path: Path) -> None:
    (tmp_path / "story.md.j2").symlink_to(DEFAULT_TEMPLATES / "story.md.j2")
    with pytest.raises(StorybookError) as caught:
        Renderer(tmp_path).render_template("story.md.j2")
    assert caught.value.problems[0].path == tmp_path / "story.md.j2"
    assert "link to a file outside the templates folder" in caught.value.problems[0].message


def test_an_override_is_read_within_the_limit(tmp_path: Path) -> None:
    (tmp_path / "tag.md.j2").write_text("x" * (MAX_TEMPLATE_BYTES + 1), encoding="utf-8")
    with pytest.raises(StorybookError) as caught:
        Renderer(tmp_path).render_template("tag.md.j2")
    assert caught.value.problems[0].path == tmp_path / "tag.md.j2"


def test_only_a_slug_or_a_number_stands_unquoted_in_an_attribute_list(tmp_path: Path) -> None:
    template = tmp_path / "pack.md.j2"
    allowed = "## {{ story.title }} { .box #{{ story.slug }}-role-{{ loop.index }} }\n"
    assert values_inside_tags(allowed, template) == []
    refused = "## {{ tag.label }}\n\n{: .{{ tag.label }} }\n{ #{{ tag.label | e }} }\n"
    problems = values_inside_tags(refused, template)
    assert [(problem.line, problem.message) for problem in problems] == [
        (3, "{{ tag.label }} stands inside a Markdown attribute list outside quotes"),
        (4, "{{ tag.label | e }} stands inside a Markdown attribute list outside quotes"),
    ]
    assert all("{{ story.slug }}" in problem.hint for problem in problems)

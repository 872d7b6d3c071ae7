"""A build keeps the page templates' compiled code for the next (core/compiled.py): the next
build compiles none of them, yet an edited template is compiled again, code kept for another
configuration is never run, and every value a kept template prints is still neutralised."""

from __future__ import annotations

import marshal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from storybook.core.compiled import CompiledTemplates
from storybook.core.render import Renderer
from storybook.sections import build_site

from .conftest import build, own_template, story_text

HOSTILE = "{: onclick=alert(1) } <b onclick=x>bold</b> {{ 7 * 7 }}"


def counting_compiles(renderer: Renderer, compiled: list[str] | None = None) -> list[str]:
    """The names of the page templates ``renderer`` compiles from now on (added to
    ``compiled``, if given)."""
    compiled = [] if compiled is None else compiled
    compile_source = renderer.env.compile

    def counting(source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(str(name))
        return compile_source(source, name, *args, **kwargs)

    renderer.env.compile = counting  # type: ignore[method-assign,assignment]
    return compiled


def build_pages(project: Path, compiled_dir: Path) -> tuple[dict[str, str], list[str]]:
    """The pages of one build of ``project`` and the page templates it compiled."""
    compiled: list[str] = []

    def renderer(*args: Any, **kwargs: Any) -> Renderer:
        made = Renderer(*args, **kwargs)
        counting_compiles(made, compiled)
        return made

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("storybook.core.pipeline.Renderer", renderer)
        result = build_site(project / "stories", project / "templates", compiled_dir=compiled_dir)
    assert not result.problems, result.problems
    return result.pages, compiled


def test_the_next_build_compiles_no_template_and_makes_the_same_pages(
    mini_project: Callable[..., Path], tmp_path: Path
) -> None:
    project = mini_project({"one.md": story_text(title="One"), "two.md": story_text("Two")})
    kept = tmp_path / "compiled"
    first, compiled_first = build_pages(project, kept)
    assert "story.md.j2" in compiled_first
    second, compiled_second = build_pages(project, kept)
    assert compiled_second == []
    assert second == first
    assert (kept / ".gitignore").read_text(encoding="utf-8").endswith("*\n")


def test_an_edited_template_is_compiled_again_and_shows_the_edit(
    mini_project: Callable[..., Path], tmp_path: Path
) -> None:
    project = mini_project()
    template = own_template(project, "story.md.j2")
    kept = tmp_path / "compiled"
    build_pages(project, kept)
    template.write_text(
        template.read_text(encoding="utf-8") + "\nEdited since the last build.\n",
        encoding="utf-8",
    )
    pages, compiled = build_pages(project, kept)
    assert compiled == ["story.md.j2"]
    assert "Edited since the last build." in pages["stories/one.md"]


def test_a_kept_template_still_neutralises_every_value(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.md.j2").write_text("{{ text }}\n", encoding="utf-8")
    kept = tmp_path / "compiled"
    made = [
        Renderer(tmp_path / "templates", compiled_dir=kept).render_template(
            "page.md.j2", text=HOSTILE
        )
        for _ in range(2)
    ]
    plain = Renderer(tmp_path / "templates").render_template("page.md.j2", text=HOSTILE)
    assert made == [plain, plain]
    # No attribute list is read, no tag keeps an attribute, no Jinja in a value runs.
    assert "{" not in plain and "<b>bold</b>" in plain and "49" not in plain


def test_code_kept_for_another_configuration_is_never_run(tmp_path: Path) -> None:
    """Code compiled by another version of the renderer (another finalize, sandbox or set of
    filters) would print values its own way: each configuration has its own folder, and the
    question environment, which prints values as they are, keeps no code at all."""
    assert (
        CompiledTemplates(tmp_path, b"pages").folder
        != CompiledTemplates(tmp_path, b"pages, changed").folder
    )
    renderer = Renderer(tmp_path, compiled_dir=tmp_path / "compiled")
    assert isinstance(renderer.env.bytecode_cache, CompiledTemplates)
    assert renderer.question_env.bytecode_cache is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda kept: b"",
        lambda kept: b"garbage",
        lambda kept: kept[: len(kept) // 2],  # cut short: its checksum still right
        lambda kept: kept.partition(b"\n")[0] + b"\n\x00\x01",
        lambda kept: kept.partition(b"\n")[0] + b"\n" + marshal.dumps(7),
    ],
    ids=["empty", "garbage", "cut short", "checksum then garbage", "not code"],
)
def test_a_damaged_kept_file_is_compiled_again(
    tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.md.j2").write_text("{{ text }}!\n", encoding="utf-8")
    kept = tmp_path / "compiled"
    Renderer(tmp_path / "templates", compiled_dir=kept).render_template("page.md.j2", text="x")
    (code,) = [path for path in kept.rglob("*") if path.is_file() and path.name != ".gitignore"]
    code.write_bytes(damage(code.read_bytes()))
    renderer = Renderer(tmp_path / "templates", compiled_dir=kept)
    compiled = counting_compiles(renderer)
    assert renderer.render_template("page.md.j2", text="x") == "x!\n"
    assert compiled == ["page.md.j2"]


def test_a_folder_that_cannot_be_written_keeps_nothing_and_renders(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.md.j2").write_text("{{ text }}\n", encoding="utf-8")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    renderer = Renderer(tmp_path / "templates", compiled_dir=blocked / "compiled")
    assert renderer.render_template("page.md.j2", text="x") == "x\n"


def test_mkdocs_build_keeps_them_beside_mkdocs_yml(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project()
    build(project)
    kept = project / ".cache" / "storybook" / "templates"
    assert (kept / ".gitignore").is_file()
    assert [path for path in kept.rglob("*") if path.is_file() and path.name != ".gitignore"]

"""The Content-Security-Policy on every page the plugin builds, and in the export's theme."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from storybook.core.csp import (
    inline_scripts,
    page_policies,
    policy,
    theme_overrides,
    with_policy,
)
from storybook.export.exporter import _with_theme_overrides

from .conftest import build, story_text


def unguarded_pages(site: Path) -> list[str]:
    """The pages without exactly the policy, or with an inline script a browser would run."""
    return [
        str(page.relative_to(site))
        for page in sorted(site.rglob("*.html"))
        if page_policies(text := page.read_text(encoding="utf-8")) != [policy()]
        or inline_scripts(text)
    ]


def test_the_policy_runs_scripts_and_workers_of_the_site_only() -> None:
    directives = dict(directive.split(" ", 1) for directive in policy().split("; "))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert directives["worker-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]


@pytest.mark.parametrize(
    ("edition", "offline"), [("learner", False), ("facilitator", False), ("learner", True)]
)
def test_every_page_of_either_edition_carries_the_policy_and_no_inline_script(
    built_sample: Callable[..., Path], edition: str, offline: bool
) -> None:
    site = built_sample(edition=edition, offline=offline)
    assert unguarded_pages(site) == []
    assert len(list(site.rglob("*.html"))) > 50


def test_the_projector_pages_carry_the_policy(
    mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = mini_project({"one.md": story_text()})
    monkeypatch.setenv("STORYBOOK_PROJECTOR_URL", "http://127.0.0.1:8000/")
    monkeypatch.setenv("STORYBOOK_CONSOLE_URL", "http://127.0.0.1:8001/")
    site = build(project, strict=True)
    assert (site / "present" / "one" / "index.html").is_file()
    assert unguarded_pages(site) == []


def test_a_page_with_an_inline_script_is_found() -> None:
    page = f'<meta http-equiv="Content-Security-Policy" content="{policy()}">'
    assert inline_scripts(page + '<script type="application/json">{}</script>') == []
    assert inline_scripts(page + '<script src="a.js"></script>') == []
    assert inline_scripts(page + "<SCRIPT>x = 1</SCRIPT >") == ["x = 1"]


def test_the_export_puts_the_overrides_into_the_theme_folder(tmp_path: Path) -> None:
    names = [name for name, _ in theme_overrides()]
    assert "partials/storybook-csp.html" in names
    assert "partials/javascripts/base.html" in names

    config, files = _with_theme_overrides({"theme": {"name": "material"}}, {})
    assert config["theme"] == {"name": "material", "custom_dir": "overrides"}
    assert sorted(files) == sorted(f"overrides/{name}" for name in names)

    # A partial of the project's own theme folder stays the project's.
    own = {"theme/partials/javascripts/palette.html": tmp_path / "palette.html"}
    config, files = _with_theme_overrides({"theme": "material"}, {})
    assert config["theme"]["custom_dir"] == "overrides"
    config, files = _with_theme_overrides(
        {"theme": {"name": "material", "custom_dir": "theme"}}, own
    )
    assert "theme/partials/javascripts/palette.html" not in files
    assert "theme/partials/javascripts/base.html" in files
    # Another theme has no such partials.
    assert _with_theme_overrides({"theme": {"name": "mkdocs"}}, {})[1] == {}


def test_a_page_whose_theme_dropped_the_policy_gets_it_first_in_its_head(
    mini_project: Callable[..., Path],
) -> None:
    """A project's own theme folder may replace the partial that holds the policy; the
    plugin puts the policy back, where it runs before anything else in the page."""
    project = mini_project({"one.md": story_text()})
    own = project / "overrides" / "partials" / "storybook-csp.html"
    own.parent.mkdir(parents=True)
    own.write_text("", encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n")
    )
    site = build(project, strict=True)
    assert unguarded_pages(site) == []
    page = (site / "stories" / "one" / "index.html").read_text(encoding="utf-8")
    assert page.index("Content-Security-Policy") < page.index("<meta charset")
    assert with_policy(page) == page
    assert with_policy("<p>no head</p>") == "<p>no head</p>"

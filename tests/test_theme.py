"""What the storybook adds to the Material theme, read back from real builds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from storybook.core.csp import MAIN_TEMPLATE, theme_overrides
from storybook.core.site import ASSETS, WORKER_SHIM

from .conftest import build, search_index, story_text

SLUMP = "stories/the-quiet-slump/"


def edit_config(project: Path, old: str, new: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")


def test_every_page_gets_the_reader_assets_and_a_named_search_dialog(
    built_sample: Callable[..., Path],
) -> None:
    site = built_sample()
    for asset in ASSETS:
        assert (site / asset).is_file(), asset
    story = (site / SLUMP / "index.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="../../assets/reader.css">' in story
    assert '<script src="../../assets/journal.js" defer></script>' in story
    assert 'role="dialog" aria-label="Search"' in story
    assert '<div class="storybook-reflection" data-story="the-quiet-slump"' in story
    # Only the offline build needs the Worker stand-in.
    assert "iframe-worker" not in story


def test_related_stories_are_shown_but_kept_out_of_search(
    built_sample: Callable[..., Path],
) -> None:
    site = built_sample()
    story = (site / SLUMP / "index.html").read_text(encoding="utf-8")
    related = story[story.index('<div class="storybook-related">') :]
    assert 'href="../camera-off/"' in related
    for doc in search_index(site):
        if doc["location"].startswith(SLUMP):
            assert "Related stories" not in doc["title"]
            assert "Camera Off" not in doc["text"], doc["location"]


def test_offline_build_uses_our_worker_shim_and_nothing_from_a_cdn(
    built_sample: Callable[..., Path],
) -> None:
    site = built_sample(offline=True)
    story = (site / "stories" / "the-quiet-slump.html").read_text(encoding="utf-8")
    assert f'<script src="../{WORKER_SHIM}" defer></script>' in story
    assert (site / "search" / "search_index.js").is_file()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in text and "fonts.googleapis" not in text, page


def test_offline_shim_replaces_the_cdn_one_whatever_the_plugin_order(
    mini_project: Callable[..., Path],
) -> None:
    project = mini_project({"one.md": story_text()})
    edit_config(project, "  - storybook\n", "  - storybook\n  - offline\n")
    site = build(project, strict=True)
    page = (site / "stories" / "one.html").read_text(encoding="utf-8")
    assert page.count("iframe-worker") == 1
    assert f'<script src="../{WORKER_SHIM}" defer></script>' in page


def test_the_repositorys_theme_folder_holds_the_packages_main_html_unchanged() -> None:
    """An engine that skips the plugin sees only the project's theme folder: this storybook
    keeps a copy of the package's main.html there, which must not drift from it."""
    root = Path(__file__).resolve().parent.parent
    package = dict(theme_overrides())[MAIN_TEMPLATE]
    assert (root / "overrides" / MAIN_TEMPLATE).read_bytes() == package
    assert package == (root / "storybook" / "plugin" / "theme" / MAIN_TEMPLATE).read_bytes()

"""Which search a site gets: Pagefind for a built site (served, or offline packed into
scripts), Material's own (lunr) under `mkdocs serve` and with `search: lunr`.

Real builds of the sample storybook; what the reader sees of search is in
tests/browser/test_finding_stories.py and tests/browser/test_offline.py.
"""

from __future__ import annotations

import base64
import errno
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from click.testing import CliRunner

from storybook.core.site import SCRIPTS, SITE_ADDRESS
from storybook.plugin import search as search_module
from storybook.plugin.search import (
    mark_excluded,
    pack_for_disk,
    plain_script,
    uses_pagefind,
    verify_index,
)
from storybook.plugin.theme import PAGEFIND_SEARCH

from .conftest import PACKED_FILE, copy_sample, search_index, story_text

BUNDLE = "assets/javascripts/bundle."


def build(project: Path, command: str = "build", **overrides: Any) -> Path:
    """Build as `mkdocs <command>` would (serve: the same build, told it is serving)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    site = project.parent / f"{project.name}-site"
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), **overrides)
    config.plugins.on_startup(command=command, dirty=False)  # type: ignore[arg-type]
    try:
        mkdocs_build(config, serve_url="http://127.0.0.1:8000/" if command == "serve" else None)
    finally:
        config.plugins.on_shutdown()
    return site


def set_engine(project: Path, engine: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("search: pagefind", f"search: {engine}")
    config.write_text(text, encoding="utf-8")


def scripts_in_order(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('<script src="')[1:]]


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return copy_sample(tmp_path / "project")


def test_a_built_site_searches_pagefind_through_materials_search_box(sample: Path) -> None:
    site = build(sample)
    assert (site / "pagefind" / "pagefind.js").is_file()
    # The pages Material's search indexes too (not 404.html, the projector's views or the
    # workbooks, which say search: exclude), and an entry file that says so (it was once
    # left empty).
    pages = {doc["location"].split("#")[0] for doc in search_index(site)}
    assert len(pages) > 30
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == len(pages)
    assert not (site / ".pagefind-pages").exists()
    assert len(list((site / "pagefind" / "fragment").glob("*.pf_fragment"))) == len(pages)
    # Only what the script behind Material's box loads: not Pagefind's own interfaces, nor its
    # worker (Pagefind runs in the page).
    assert not list((site / "pagefind").glob("pagefind-*ui*"))
    assert not (site / "pagefind" / "pagefind-worker.js").exists()
    scripts = scripts_in_order((site / "stories" / "the-quiet-slump" / "index.html").read_text())
    ours = next(index for index, src in enumerate(scripts) if src.endswith(PAGEFIND_SEARCH))
    bundle = next(index for index, src in enumerate(scripts) if BUNDLE in src)
    assert ours < bundle, "it must be in place before Material's search starts"
    # Every script that needs the site's address comes after the one that finds it.
    finds = [index for index, src in enumerate(scripts) if src.endswith(SITE_ADDRESS)]
    needs = [i for i, src in enumerate(scripts) if src.endswith((PAGEFIND_SEARCH, *SCRIPTS[1:]))]
    assert finds and len(needs) == len(SCRIPTS) and finds[0] < min(needs)
    # Material's index is still written (the export and other engines build it themselves).
    assert search_index(site)


def test_search_lunr_keeps_materials_search_everywhere(sample: Path) -> None:
    set_engine(sample, "lunr")
    site = build(sample)
    assert not (site / "pagefind").exists()
    assert PAGEFIND_SEARCH not in (site / "index.html").read_text(encoding="utf-8")


def test_the_offline_build_packs_pagefinds_index_into_scripts_it_can_read_from_disk(
    sample: Path,
) -> None:
    """Opened from disk a browser fetches nothing and runs no module: every file of the index
    is a plain script holding its bytes, and Material's own index, which it loads with every
    page from disk, has no documents (the reader's search is in tests/browser/test_offline.py)."""
    with mock.patch.dict(os.environ, {"STORYBOOK_OFFLINE": "true"}):
        site = build(sample)
    folder = site / "pagefind"
    files = [path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()]
    assert "pagefind.js.js" in files and "pagefind-entry.json.js" in files
    assert all(name.endswith(".js") for name in files), files
    assert any(name.startswith("fragment/") for name in files)
    program = (folder / "pagefind.js.js").read_text(encoding="utf-8")
    assert "import.meta" not in program and "export{" not in program
    assert (site / "search" / "search_index.js").read_text(encoding="utf-8").endswith('"docs": []}')
    assert not (site / "search" / "search_index.json").exists()  # nothing reads it here
    assert PAGEFIND_SEARCH in (site / "index.html").read_text(encoding="utf-8")
    # This build's copy of the script reads the packed files, opened from disk or served.
    script = (site / PAGEFIND_SEARCH).read_text(encoding="utf-8")
    assert "var PACKED = true;" in script and "var PACKED = false;" not in script
    served = build(copy_sample(sample.parent / "served"))
    assert "var PACKED = false;" in (served / PAGEFIND_SEARCH).read_text(encoding="utf-8")


def test_packing_keeps_every_byte_and_removes_what_no_browser_reads_from_disk(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "pagefind"
    (folder / "index").mkdir(parents=True)
    files = {
        "index/en_1.pf_index": bytes(range(256)) * 3,
        "pagefind-entry.json": '{"a": "é"}'.encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "pagefind.js").write_text(MODULE, encoding="utf-8")
    pack_for_disk(folder)
    packed = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}
    assert packed == {f"{name}.js" for name in [*files, "pagefind.js"]}
    for name, data in files.items():
        text = (folder / f"{name}.js").read_bytes()
        match = PACKED_FILE.fullmatch(text)
        assert match is not None, text[:80]
        assert text.startswith(f'__storybookPagefindFile("{name}",'.encode())
        assert base64.b64decode(match["payload"]) == data


# Pagefind's program as the pinned release shapes it: one export list at its very end.
MODULE = (
    'const v="1";let base=import.meta.url;function init(){}var search=()=>1;export{init,search};'
)


def test_pagefinds_program_becomes_a_plain_script() -> None:
    script = plain_script(MODULE)
    assert "import.meta" not in script and "export" not in script
    assert "window.__storybookPagefind={init:init,search:search};" in script
    assert script.startswith('(function(){"use strict";var pagefindScript=document.currentScript')


@pytest.mark.parametrize(
    "module",
    [
        'import{a}from"./a.js";let b=import.meta.url;export{a};',  # imports another module
        "let b=import.meta.url;export default b;",  # a default export
        "let b=import.meta.url;export{b};let c=1;",  # code after the exports
        "function init(){}export{init};",  # finds its folder some other way
    ],
)
def test_a_pagefind_program_shaped_otherwise_stops_the_build(module: str) -> None:
    with pytest.raises(RuntimeError, match="not shaped as the storybook expects"):
        plain_script(module)


def test_mkdocs_serve_keeps_materials_search_which_it_updates_after_each_save(
    sample: Path,
) -> None:
    site = build(sample, command="serve")
    assert not (site / "pagefind").exists()
    assert PAGEFIND_SEARCH not in (site / "index.html").read_text(encoding="utf-8")


def test_what_a_story_page_does_not_tell_is_marked_for_both_indexes(sample: Path) -> None:
    """Material removes its own mark after indexing a page; Pagefind's stays for Pagefind.
    (Lists of stories are out of both indexes whole: see test_search_results.py.)"""
    site = build(sample)
    story = (site / "stories" / "the-quiet-slump" / "index.html").read_text(encoding="utf-8")
    assert '<div class="storybook-tags" data-pagefind-ignore>' in story
    assert '<details class="storybook-touches" data-pagefind-ignore>' in story
    assert 'class="storybook-related"' in story  # excluded by its class (search.py)
    assert not [doc for doc in search_index(site) if "hailstorm" in doc["text"].lower()
                and not doc["location"].startswith("stories/the-hail-articles/")]  # fmt: skip


def test_mark_excluded_adds_pagefinds_mark_to_each_of_materials() -> None:
    html = (
        '<div class="a" data-search-exclude="data-search-exclude">x</div>'
        "<h2 data-search-exclude>y</h2><p data-search-excluded>z</p>"
    )
    assert mark_excluded(html) == (
        '<div class="a" data-search-exclude="data-search-exclude" data-pagefind-ignore>x</div>'
        "<h2 data-search-exclude data-pagefind-ignore>y</h2><p data-search-excluded>z</p>"
    )


@pytest.mark.parametrize(
    ("engine", "serving", "expected"),
    [("pagefind", False, True), ("pagefind", True, False), ("lunr", False, False)],
)
def test_which_search_a_site_gets(engine: str, serving: bool, expected: bool) -> None:
    assert uses_pagefind(engine, serving=serving) is expected


# --- the index is part of the build: failures while indexing, through Pagefind test doubles ---

real_run = search_module._run


def build_with_cli(project: Path) -> tuple[int, str]:
    """`mkdocs build` through MkDocs' own command line; returns its exit code, and what it
    printed and logged."""
    import logging

    from mkdocs.__main__ import cli

    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign,assignment]
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        site = project.parent / f"{project.name}-site"
        result = CliRunner().invoke(
            cli, ["build", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
        )
    finally:
        logger.removeHandler(handler)
    logged = "\n".join(record.getMessage() for record in records)
    return result.exit_code, f"{result.output}\n{logged}"


def assert_no_site_and_no_traceback(project: Path, output: str) -> None:
    site = project.parent / f"{project.name}-site"
    assert not (site / "index.html").exists(), "no site that looks finished"
    assert not (site / "pagefind").exists()
    assert "Traceback" not in output and 'File "' not in output, output


def pagefind_then(change: Callable[[Path], None]) -> Callable[..., None]:
    """A Pagefind runner that runs the real Pagefind, then changes what it wrote."""

    def run(program: Path, site: Path, output: Path, language: str) -> None:
        real_run(program, site, output, language)
        change(output)

    return run


def test_ctrl_c_while_pagefind_indexes_leaves_no_site_and_says_why(
    mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    project = mini_project()
    monkeypatch.setattr(search_module, "_run", interrupted)
    code, output = build_with_cli(project)
    assert code != 0, output
    assert "-site/pagefind: the build was stopped (Ctrl-C) while Pagefind indexed" in output
    assert "the site folder" in output and "was emptied" in output
    assert_no_site_and_no_traceback(project, output)


def test_a_full_disk_while_pagefind_indexes_fails_the_build_at_the_files_left_empty(
    mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind exited 0 on a full disk with 46 of its 74 files empty: as it did, here."""

    def empty_most(output: Path) -> None:
        for path in sorted(output.rglob("*"))[1::2]:
            if path.is_file():
                path.write_bytes(b"")

    project = mini_project()
    monkeypatch.setattr(search_module, "_run", pagefind_then(empty_most))
    code, output = build_with_cli(project)
    assert code != 0, output
    assert re.search(
        r"mini-site/pagefind/\S+: this file of the search index is empty - build again; "
        r"if the disk is full, free some space first",
        output,
    ), output
    assert_no_site_and_no_traceback(project, output)


def test_no_space_left_on_the_disk_while_indexing_says_so(
    mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(program: Path, site: Path, output: Path, language: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(output / "pagefind.js"))

    project = mini_project()
    monkeypatch.setattr(search_module, "_run", disk_full)
    code, output = build_with_cli(project)
    assert code != 0, output
    assert (
        "mini-site/pagefind/pagefind.js: the disk is full: the search index could not be " in output
    )
    assert "free some space on the disk, then build again" in output
    assert_no_site_and_no_traceback(project, output)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ("cut-short", "this file of the search index is cut short"),
        ("missing-fragment", "the search index names this file, which is missing"),
        (
            "broken-entry",
            "pagefind-entry.json: the search index's entry file is missing or unreadable",
        ),
        ("pagefind-fails", "Pagefind could not index the site (RuntimeError: Error: no space)"),
    ],
)
def test_an_index_that_is_not_whole_fails_the_build(
    change: str, says: str, mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def spoil(output: Path) -> None:
        if change == "cut-short":
            chunk = next((output / "index").glob("*.pf_index"))
            chunk.write_bytes(chunk.read_bytes()[: chunk.stat().st_size // 2])
        elif change == "missing-fragment":
            next((output / "fragment").glob("*.pf_fragment")).unlink()
        elif change == "broken-entry":
            (output / "pagefind-entry.json").write_text('{"version": "1.5', encoding="utf-8")
        else:
            raise RuntimeError("Error: no space")

    project = mini_project()
    monkeypatch.setattr(search_module, "_run", pagefind_then(spoil))
    code, output = build_with_cli(project)
    assert code != 0, output
    assert says in output, output
    assert_no_site_and_no_traceback(project, output)


def test_a_real_index_is_verified_whole(mini_project: Callable[..., Path]) -> None:
    project = mini_project({"one.md": story_text(), "two.md": story_text(title="Two")})
    code, output = build_with_cli(project)
    assert code == 0, output
    site = project.parent / f"{project.name}-site"
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    # The two stories, and no list of them (search lands on stories).
    assert verify_index(site / "pagefind") == entry["languages"]["en"]["page_count"] == 2
    assert f"Search: Pagefind indexed {entry['languages']['en']['page_count']} pages" in output

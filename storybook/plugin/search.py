"""Search for a served site: a Pagefind index of the built pages, behind Material's search box.

Material's own search downloads one index of the whole site (19 MB, 1.6 MB gzipped, at 3,000
stories) and builds it in the reader's browser before the first result: 17-21 s on a phone.
Pagefind splits its index into small chunks and fetches only those a query needs (about
200 kB for a search at 3,000 stories). ``bench/search_bench.py`` measures both.

After a build, :func:`write_index` indexes the site's pages with Pagefind (a Rust program
that comes inside the ``pagefind_bin`` wheel) into ``site/pagefind/``. In the reader's browser,
``assets/pagefind-search.js`` answers Material's search box from that index: Material's own
dialog, keyboard handling and result list stay, only the search behind them changes.

Pagefind cannot work from ``file://``, and rebuilding its index after every save would slow
down ``mkdocs serve``: the offline build and ``mkdocs serve`` keep Material's own search (see
:func:`uses_pagefind`). The same parts of a page are left out of both indexes: the lists of
stories on listing pages, related stories (marked ``data-search-exclude`` in the templates)
and the headings' permalink signs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

PAGEFIND = "pagefind"
LUNR = "lunr"
ENGINES = (PAGEFIND, LUNR)
# Where the index goes, inside the site folder; pagefind-search.js loads it from there.
OUTPUT = "pagefind"
# Where the pages to index are gathered while Pagefind runs, then removed (hidden: MkDocs
# leaves dot-folders alone).
STAGING = ".pagefind-pages"
SCRIPT = "assets/pagefind-search.js"
# Only the page's own article; within it, what is not the page's own text.
ROOT_SELECTOR = "article.md-content__inner"
# Material's search removes data-search-exclude from each page once it has indexed it (see
# mark_excluded); related stories are excluded by the heading, which for Pagefind is not
# the section.
EXCLUDE_SELECTORS = (".headerlink", ".storybook-pager", ".storybook-related")
_SEARCH_EXCLUDE = re.compile(r"(\sdata-search-exclude(?:=\"[^\"]*\")?)(?=[\s>/])")
# Pagefind's own user interfaces (the storybook keeps Material's search box instead), and its
# worker: pagefind-search.js runs Pagefind in the page, a round trip and 12 kB sooner.
UNUSED = (
    "pagefind-worker.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)  # fmt: skip


def uses_pagefind(engine: str, *, serving: bool, offline: bool) -> bool:
    """Pagefind for a built site served over http(s); Material's search otherwise."""
    return engine == PAGEFIND and not serving and not offline


def mark_excluded(html: str) -> str:
    """What is kept out of Material's index is kept out of Pagefind's: each element marked
    ``data-search-exclude`` is also marked ``data-pagefind-ignore``. Run before Material's
    search plugin, which removes its own marks from the page."""
    return _SEARCH_EXCLUDE.sub(r"\1 data-pagefind-ignore", html)


def available() -> bool:
    try:
        from pagefind.service import get_executable
    except ImportError:
        return False
    return get_executable() is not None


def searchable(meta: Mapping[str, Any]) -> bool:
    """Whether a page goes into the index: not with ``search: exclude: true`` in its front
    matter, which Material's search honours (the projector's views, the workbooks)."""
    search = meta.get("search")
    return not (isinstance(search, Mapping) and search.get("exclude"))


def write_index(site_dir: Path, pages: Iterable[Path], language: str) -> int:
    """Index the built ``pages`` (HTML files in ``site_dir``) into ``site_dir/pagefind/``;
    returns how many pages were indexed."""
    from pagefind.service import get_executable

    program = get_executable()
    if program is None:
        raise FileNotFoundError("the Pagefind program (package pagefind_bin) is not installed")
    output = site_dir / OUTPUT
    if output.exists():
        shutil.rmtree(output)
    # Pagefind indexes a whole folder: the pages to index are linked into one of their own
    # (hard links, nothing copied), where they have the same addresses as in the site.
    staging = site_dir / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for page in pages:
            target = staging / page.relative_to(site_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(page, target)
            except OSError:
                shutil.copyfile(page, target)
        _run(program, staging, output, language)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for name in UNUSED:
        (output / name).unlink(missing_ok=True)
    return len(list((output / "fragment").glob("*.pf_fragment")))


def _run(program: Path, site: Path, output: Path, language: str) -> None:
    # The program itself, not the Python API: the API stops the program as soon as it has
    # answered that it wrote the index, and on a busy machine files were left empty.
    command = [
        str(program),
        "--site", str(site),
        "--output-path", str(output),
        "--root-selector", ROOT_SELECTOR,
        "--force-language", language,
        "--silent",
    ]  # fmt: skip
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError((result.stderr or result.stdout).strip() or f"exit {result.returncode}")

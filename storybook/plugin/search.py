"""Search for a built site, served or offline: a Pagefind index behind Material's search box.

Material's own search downloads one index of the whole site (19 MB, 1.6 MB gzipped, at 3,000
stories) and builds it in the reader's browser before the first result: 17-21 s on a phone.
Pagefind splits its index into small chunks and fetches only those a query needs (about
200 kB for a search at 3,000 stories). ``bench/search_bench.py`` measures both.

After a build, :func:`write_index` indexes the site's pages with Pagefind (a Rust program
that comes inside the ``pagefind_bin`` wheel) into ``site/pagefind/``. In the reader's browser,
``assets/pagefind-search.js`` answers Material's search box from that index: Material's own
dialog, keyboard handling and result list stay, only the search behind them changes.

Opened from disk (``file://``, the offline build), a browser fetches no file and runs no
module script, and Pagefind does both. For the offline build :func:`pack_for_disk` turns each
of Pagefind's files into a plain script of the same name plus ``.js`` that hands its bytes to
``pagefind-search.js``, and Pagefind's program into a plain script: the offline copy searches
as a served site does, reading only the few chunks a word needs, and no longer loads
Material's whole index with every page (:func:`empty_offline_index`).

Rebuilding Pagefind's index after every save would slow down ``mkdocs serve``, so serving
keeps Material's own search (see :func:`uses_pagefind`). The same parts of a page are left
out of both indexes: the lists of stories on listing pages, related stories (marked
``data-search-exclude`` in the templates) and the headings' permalink signs.
"""

from __future__ import annotations

import base64
import errno
import gzip
import json
import os
import re
import shutil
import subprocess
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storybook.core.errors import Problem, StorybookError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

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
    "pagefind-worker.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js",
    "pagefind-modular-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
    "pagefind-highlight.js",
)  # fmt: skip


# The offline copy: what each packed file calls with its name and bytes (pagefind-search.js
# defines it), and where Pagefind's program, made a plain script, leaves its functions.
PACKED_CALL = "__storybookPagefindFile"
PROGRAM = "pagefind.js"
PROGRAM_GLOBAL = "__storybookPagefind"
_EXPORTS = re.compile(r"export\{(?P<names>[\w$]+(?:,[\w$]+)*)\};?\s*$")
_IMPORT_STATEMENT = re.compile(r"(?:^|[;}])\s*import\s*[\w{*\"']")


def uses_pagefind(engine: str, *, serving: bool) -> bool:
    """Pagefind for a built site, served or opened from disk; Material's search while serving,
    or where mkdocs.yml asks for it (``search: lunr``)."""
    return engine == PAGEFIND and not serving


# Material's search plugin, as mkdocs.yml's `- search` names it with the Material theme, and
# the events in which it indexes each page and writes the index.
MATERIAL_SEARCH = "material/search"
MATERIAL_INDEXING = ("page_context", "post_build")
# What Material's search removes from each page once it has indexed it.
_SEARCH_MARKS = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")


def without_material_index(config: MkDocsConfig) -> bool:
    """A site that Pagefind searches: Material's search plugin no longer indexes its pages
    nor writes ``search/search_index.json``, which no page of it reads (pagefind-search.js
    answers Material's request for it). The plugin stays on, so the theme keeps its search
    box. Returns whether Material's search was there to be stopped; the page hook then takes
    over what it did to each page (:func:`without_search_marks`)."""
    plugin = config.plugins.get(MATERIAL_SEARCH)
    if plugin is None:
        return False
    for event in MATERIAL_INDEXING:
        config.plugins.events[event] = [
            method
            for method in config.plugins.events[event]
            if getattr(method, "__self__", None) is not plugin
        ]
    return True


def without_search_marks(html: str) -> str:
    """The page as Material's search leaves it once indexed: without its data-search marks."""
    return _SEARCH_MARKS.sub("", html)


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


def write_index(
    site_dir: Path, pages: Iterable[Path], language: str, *, offline: bool = False
) -> int:
    """Index the built ``pages`` (HTML files in ``site_dir``) into ``site_dir/pagefind/``,
    packed to be read from disk if ``offline``; returns how many pages were indexed.

    Raises StorybookError, naming the folder or file, when Pagefind fails, the disk is full,
    or the index it wrote is not whole (see :func:`verify_index`): Pagefind was seen to exit
    0 on a full disk with most of its files empty."""
    from pagefind.service import get_executable

    output = site_dir / OUTPUT
    try:
        program = get_executable()
        if program is None:
            raise FileNotFoundError("the Pagefind program (package pagefind_bin) is not installed")
        if output.exists():
            shutil.rmtree(output)
        _index_pages(program, site_dir, pages, output, language)
        for name in UNUSED:
            (output / name).unlink(missing_ok=True)
        indexed = verify_index(output)
        if offline:
            pack_for_disk(output)
            empty_offline_index(site_dir, language)
    except OSError as exc:
        raise index_failure(output, exc) from None
    return indexed


def _index_pages(
    program: Path, site_dir: Path, pages: Iterable[Path], output: Path, language: str
) -> None:
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


def index_failure(output: Path, exc: OSError) -> StorybookError:
    """What a trainer reads when the index cannot be written: where, and what to do."""
    where = Path(exc.filename) if isinstance(exc.filename, str) else output
    if exc.errno == errno.ENOSPC:
        return StorybookError(
            [Problem(where, 0, "the disk is full: the search index could not be written",
                     "free some space on the disk, then build again")]
        )  # fmt: skip
    return StorybookError(
        [Problem(where, 0, f"the search index could not be written ({exc.strerror or exc})",
                 "check that the site folder may be written, then build again")]
    )  # fmt: skip


# --- is the index whole? ----------------------------------------------------------------------

_SIGNATURE = b"pagefind_dcd"
_NOT_WHOLE = "build again; if the disk is full, free some space first"
# Pagefind's compressed files: each must decompress whole.
_PACKED_FILES = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")


def verify_index(output: Path) -> int:
    """Check that Pagefind's index in ``output`` is whole before the build may succeed: every
    file it wrote is non-empty, its compressed files decompress, its entry file parses and
    names each language's manifest, and each manifest's pages and index chunks are there.
    Returns how many pages are indexed; raises StorybookError naming each broken file."""
    problems: list[Problem] = []
    files = sorted(path for path in output.rglob("*") if path.is_file()) if output.is_dir() else []
    for path in files:
        if path.stat().st_size == 0:
            problems.append(Problem(path, 0, "this file of the search index is empty", _NOT_WHOLE))
        elif path.name.endswith(_PACKED_FILES) and _unpacked(path) is None:
            problems.append(
                Problem(path, 0, "this file of the search index is cut short", _NOT_WHOLE)
            )
    if problems:
        raise StorybookError(problems)
    pages = 0
    for hash_, wasm in _languages(output):
        pages += _check_manifest(output, hash_, wasm, problems)
    if problems:
        raise StorybookError(problems)
    return pages


def _unpacked(path: Path) -> bytes | None:
    """A Pagefind file's data, or None when it is not whole (cut short, not Pagefind's)."""
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error):
        return None
    return data[len(_SIGNATURE) :] if data.startswith(_SIGNATURE) else None


def _languages(output: Path) -> list[tuple[str, str]]:
    """(manifest hash, wasm name) of each language the entry file lists."""
    entry = output / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
        found = [(str(lang["hash"]), str(lang["wasm"])) for lang in languages.values()]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        found = []
    if not found:
        raise StorybookError(
            [Problem(entry, 0, "the search index's entry file is missing or unreadable",
                     _NOT_WHOLE)]
        )  # fmt: skip
    return found


def _check_manifest(output: Path, hash_: str, wasm: str, problems: list[Problem]) -> int:
    """Checks that one language's manifest names only files that are there; its page count."""
    manifest = output / f"pagefind.{hash_}.pf_meta"
    data = _unpacked(manifest) if manifest.is_file() else None
    try:
        decoded = cbor(data)[0] if data is not None else None
        pages, chunks = decoded[1], decoded[2]  # type: ignore[index]
        needed = [output / "fragment" / f"{page[0]}.pf_fragment" for page in pages]
        needed += [output / "index" / f"{chunk[2]}.pf_index" for chunk in chunks]
    except (IndexError, KeyError, TypeError, ValueError):
        problems.append(
            Problem(manifest, 0, "the search index's manifest is missing or unreadable", _NOT_WHOLE)
        )
        return 0
    needed.append(output / f"wasm.{wasm}.pagefind")
    for path in needed:
        if not path.is_file():
            problems.append(
                Problem(path, 0, f"the search index names this file, which is missing "
                        f"(named in {manifest.name})", _NOT_WHOLE)
            )  # fmt: skip
    return len(pages)


def cbor(data: bytes, position: int = 0) -> tuple[Any, int]:
    """One CBOR value (RFC 8949, as Pagefind writes its manifest) and where it ends: numbers,
    texts, bytes, lists, maps, tags and simple values; raises ValueError on anything else."""
    head = data[position]
    major, info = head >> 5, head & 31
    position += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        if position + size > len(data):
            raise ValueError("cut short")
        argument = int.from_bytes(data[position : position + size], "big")
        position += size
    else:
        raise ValueError(f"indefinite or reserved length {info}")
    if major == 0:
        return argument, position
    if major == 1:
        return -1 - argument, position
    if major in (2, 3):
        if position + argument > len(data):
            raise ValueError("cut short")
        raw = data[position : position + argument]
        return (raw if major == 2 else raw.decode("utf-8")), position + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, position = cbor(data, position)
            items.append(item)
        return items, position
    if major == 5:
        mapping = {}
        for _ in range(argument):
            key, position = cbor(data, position)
            mapping[key], position = cbor(data, position)
        return mapping, position
    if major == 6:
        return cbor(data, position)
    return {20: False, 21: True, 22: None}.get(argument, argument), position


def pack_for_disk(output: Path) -> None:
    """Make Pagefind's index readable from ``file://``: each file F becomes a plain script
    ``F.js`` that hands F's bytes (base64) to pagefind-search.js, and Pagefind's program the
    plain script ``pagefind.js.js`` (a name Pagefind still finds its folder by). The
    originals are removed: nothing could read them from disk."""
    for path in sorted(item for item in output.rglob("*") if item.is_file()):
        name = path.relative_to(output).as_posix()
        packed = path.with_name(path.name + ".js")
        if name == PROGRAM:
            packed.write_text(plain_script(path.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            payload = base64.b64encode(path.read_bytes()).decode("ascii")
            packed.write_text(f'{PACKED_CALL}({json.dumps(name)},"{payload}");\n', "utf-8")
        path.unlink()


def plain_script(module: str) -> str:
    """Pagefind's program, an ES module, as a plain script that leaves its functions in
    ``window.__storybookPagefind``: browsers run no module from ``file://``. Pagefind is
    pinned; a release shaped otherwise fails the build here, not search in the reader's page."""
    exports = _EXPORTS.search(module)
    if exports is None or "import.meta.url" not in module or _IMPORT_STATEMENT.search(module):
        raise RuntimeError(
            "Pagefind's program is not shaped as the storybook expects (one export at its end)"
        )
    body = module[: exports.start()].replace("import.meta.url", "pagefindScript")
    api = ",".join(f"{name}:{name}" for name in exports["names"].split(","))
    return (
        '(function(){"use strict";'
        "var pagefindScript=document.currentScript?document.currentScript.src:undefined;\n"
        f"{body}\nwindow.{PROGRAM_GLOBAL}={{{api}}};\n}})();\n"
    )


def empty_offline_index(site_dir: Path, language: str) -> None:
    """Opened from disk, Material loads its whole index as a script with every page (16 MB at
    3,000 stories); with Pagefind answering, it gets an index with no documents instead.
    Material's search wrote no index to make it from (see :func:`without_material_index`);
    one it wrote all the same, which nothing reads, is removed."""
    (site_dir / "search" / "search_index.json").unlink(missing_ok=True)
    script = site_dir / "search" / "search_index.js"
    script.parent.mkdir(parents=True, exist_ok=True)
    config = {"lang": [language], "separator": r"[\s\-]+", "pipeline": []}
    index = json.dumps({"config": config, "docs": []})
    script.write_text(f"var __index = {index}", encoding="utf-8")


def pagefind_command(
    program: Path, site: Path, output: Path, language: str, *, silent: bool = True
) -> list[str]:
    """How the build runs Pagefind on the pages gathered in ``site`` (bench/pagefind_memory.py
    runs it the same way, not ``silent``, to see its stages)."""
    command = [
        str(program),
        "--site", str(site),
        "--output-path", str(output),
        "--root-selector", ROOT_SELECTOR,
        "--force-language", language,
    ]  # fmt: skip
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    return [*command, "--silent"] if silent else command


def _run(program: Path, site: Path, output: Path, language: str) -> None:
    # The program itself, not the Python API: the API stops the program as soon as it has
    # answered that it wrote the index, and on a busy machine files were left empty. (Nor
    # does the API hold less memory: measured with bench/pagefind_memory.py.)
    command = pagefind_command(program, site, output, language)
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError((result.stderr or result.stdout).strip() or f"exit {result.returncode}")


def indexed_urls(output: Path) -> list[str]:
    """The address of every page Pagefind's index in ``output`` holds, as its fragments say
    (the pages a search can land on), sorted."""
    urls = []
    for hash_, _ in _languages(output):
        meta = _unpacked(output / f"pagefind.{hash_}.pf_meta")
        pages = cbor(meta)[0][1] if meta is not None else []
        for page in pages:
            fragment = _unpacked(output / "fragment" / f"{page[0]}.pf_fragment")
            if fragment is not None:
                urls.append(str(json.loads(fragment)["url"]))
    return sorted(urls)

"""Run the `mkdocs` command line, adding up the CPU time the storybook spends, by phase.

Usage: timed_mkdocs.py REPORT.json storybook|plain [mkdocs arguments...]

The benchmark runs both builds through this wrapper, so both pay the same tiny cost for it;
only the storybook build imports the storybook. Its report has the CPU seconds of:

- ``import``: importing the plugin and what it needs that plain MkDocs does not;
- ``seconds``: everything inside the plugin's hooks, which is made of
  - ``load``: reading and validating the stories (and workshops),
  - ``render``: filling in the templates and questions, building the pages' Markdown,
  - ``clean``: removing unsafe HTML from the generated pages after MkDocs converted them,
  - the rest: handing the pages to MkDocs, theme files, and the hooks' own bookkeeping;

- ``render:<section>`` and ``made:<section>``: the CPU seconds each section (stories,
  tags, home, paths, workshops, the room's...) spends making its pages, and how many it made;
- ``index``: writing the Pagefind index (the Pagefind program's own CPU included, as it runs
  as a child process) and ``index-child``, the program's alone;

and, for both builds, what MkDocs spends on each kind of page (named by its folder:
``stories``, ``tags``, ``present``..., or ``top-level`` for the pages beside index.md):
``page:<folder>``, the CPU seconds converting their Markdown, putting them in the theme and
writing them (the plugin's page hooks included), and ``count:<folder>``, how many there are;
``material-search``, what Material's search plugin spends indexing the pages and writing its
index; ``rss-self``, the peak memory (KiB) of the MkDocs process (build_bench.py samples
that of Pagefind, which runs while MkDocs' process stays resident).
"""

from __future__ import annotations

import functools
import json
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

# What every `mkdocs build` imports before it loads a plugin, so that the storybook's import
# is timed without it.
import markdown  # noqa: F401
import mkdocs.commands.build
import mkdocs.config.defaults
import mkdocs.plugins
import yaml  # noqa: F401
from mkdocs.__main__ import cli

spent: dict[str, float] = defaultdict(float)


def timed(phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)  # keeps MkDocs' event priority attribute
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[phase] += time.process_time() - start

    return wrapper


def time_the_storybook() -> None:
    start = time.process_time()
    import storybook.core.pipeline
    import storybook.core.sections
    import storybook.plugin.hooks

    spent["import"] = time.process_time() - start
    plugin = storybook.plugin.hooks.StorybookPlugin
    for name in dir(plugin):
        if not name.startswith("on_"):
            continue
        event = plugin.__dict__.get(name)
        if isinstance(
            event, mkdocs.plugins.CombinedEvent
        ):  # each of its parts, keeping its priority
            methods = (timed("seconds", method) for method in event.methods)
            setattr(plugin, name, mkdocs.plugins.CombinedEvent(*methods))
        else:
            setattr(plugin, name, timed("seconds", getattr(plugin, name)))
    # The phases inside the hooks: the names the plugin and the pipeline call them by.
    for module, name, phase in (
        (storybook.core.pipeline, "load_library", "load"),
        (storybook.core.pipeline, "_load_plugins", "load"),
        (storybook.plugin.hooks, "clean", "clean"),
    ):
        setattr(module, name, timed(phase, getattr(module, name)))
    # Every section's pages: stories, lists, paths, workshops, the room's views.
    section = storybook.core.sections.Section
    section.pages = by_section(section.pages)  # type: ignore[method-assign]
    hooks = storybook.plugin.hooks
    write_index = hooks.write_search_index  # type: ignore[attr-defined]
    hooks.write_search_index = with_children("index", write_index)  # type: ignore[attr-defined]


def by_section(pages: Callable[..., Any]) -> Callable[..., Any]:
    """Section.pages, adding up its CPU under render and render:<name>, and the pages made."""

    @functools.wraps(pages)
    def wrapper(self: Any, inputs: Any) -> Any:
        start = time.process_time()
        made = pages(self, inputs)
        seconds = time.process_time() - start
        spent["render"] += seconds
        spent[f"render:{self.name}"] += seconds
        spent[f"made:{self.name}"] += len(made[0])
        return made

    return wrapper


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def with_children(phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """The CPU of ``function`` and of the programs it runs (``<phase>-child``: theirs)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start, child_start = time.process_time(), children_cpu()
        try:
            return function(*args, **kwargs)
        finally:
            child = children_cpu() - child_start
            spent[f"{phase}-child"] += child
            spent[phase] += time.process_time() - start + child

    return wrapper


def time_materials_search() -> None:
    """What Material's search plugin spends on its index, in both builds."""
    from material.plugins.search.plugin import SearchPlugin  # type: ignore[import-untyped]

    for name in ("on_page_context", "on_post_build"):
        setattr(SearchPlugin, name, timed("material-search", getattr(SearchPlugin, name)))


def folder_of(src_uri: str) -> str:
    folder, _, rest = src_uri.partition("/")
    return folder if rest else "top-level"


def time_the_pages() -> None:
    build = mkdocs.commands.build

    def timed_page(function: Callable[..., Any], counted: bool) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(page: Any, *args: Any, **kwargs: Any) -> Any:
            folder = folder_of(page.file.src_uri)
            if counted:
                spent[f"count:{folder}"] += 1
            start = time.process_time()
            try:
                return function(page, *args, **kwargs)
            finally:
                spent[f"page:{folder}"] += time.process_time() - start

        return wrapper

    build._populate_page = timed_page(build._populate_page, counted=True)
    build._build_page = timed_page(build._build_page, counted=False)


def main() -> int:
    report, kind, arguments = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
    time_materials_search()  # before the storybook: every build imports Material's search
    if kind == "storybook":
        time_the_storybook()
    time_the_pages()
    try:
        cli.main(args=arguments, prog_name="mkdocs", standalone_mode=False)
    finally:
        spent["rss-self"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        report.write_text(json.dumps(spent), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

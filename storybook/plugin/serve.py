"""What `mkdocs serve` shows while a story or template is broken, and what keeps it serving."""

from __future__ import annotations

import html
import logging
import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.utils import CountHandler

from storybook.core.cache import RACY_NS, folder_times
from storybook.core.editions import Edition, is_loopback
from storybook.core.errors import Problem, StorybookError
from storybook.core.siteconfig import read_config

if TYPE_CHECKING:  # only `mkdocs serve` imports the live-reload server and file watcher
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.api import BaseObserver

log = logging.getLogger("mkdocs.plugins.storybook")


PRIVATE_MESSAGE = (
    "a problem in facilitator-only material or a draft; "
    "the terminal and the facilitator edition say what it is"
)


def error_banner(problems: list[Problem], root: Path, *, show_private: bool = False) -> str:
    """A warning box for the top of every served page, naming file, line and fix.

    A problem that may quote facilitator-only material or a draft is shown by its file and
    line only, unless ``show_private`` (the facilitator edition)."""
    items = "\n".join(
        f"<li><code>{html.escape(problem.display_path(root))}:{problem.line}</code> "
        + (
            html.escape(PRIVATE_MESSAGE)
            if problem.private and not show_private
            else html.escape(problem.message)
            + (f" <em>{html.escape(problem.hint)}</em>" if problem.hint else "")
        )
        + "</li>"
        for problem in problems
    )
    count = f"{len(problems)} problem" + ("s" if len(problems) != 1 else "")
    return (
        f'<div class="admonition danger storybook-problems" role="alert">\n'
        f'<p class="admonition-title">The storybook has {count}. '
        f"Showing the last good pages until it is fixed.</p>\n"
        f"<ul>\n{items}\n</ul>\n</div>\n\n"
    )


# Where `mkdocs serve` was told its address, when not in mkdocs.yml: the command's -a.
SERVE_COMMAND = Path("mkdocs serve")
_DEV_ADDR = re.compile(r"""^dev_addr\s*:\s*["']?(?P<address>[^"'#\s]+)""", re.MULTILINE)


def local_only_problem(policy: Edition, config: MkDocsConfig) -> Problem | None:
    """A problem if ``config`` would serve a local-only edition (the facilitator's: notes,
    drafts) where other machines can reach it; None on 127.0.0.1, ::1 or localhost."""
    host, port = config.dev_addr
    if not policy.local_only or is_loopback(host):
        return None
    return Problem(
        *_where_the_address_is(Path(config.config_file_path), host),
        f"the {policy.name} edition would be served on {host}:{port}, where other machines "
        "can reach it, and it holds facilitator notes and drafts",
        f"serve it on this machine only (mkdocs serve -a 127.0.0.1:{port}), or run a room: "
        "storybook serve --room --host 0.0.0.0 serves the learner edition on the network and "
        "the facilitator edition on 127.0.0.1",
    )


def _where_the_address_is(config_file: Path, host: str) -> tuple[Path, int]:
    """mkdocs.yml and the line of its dev_addr if that is where the address comes from,
    else the command (its -a option)."""
    try:
        text = config_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return SERVE_COMMAND, 0
    match = _DEV_ADDR.search(text)
    if match is None or match["address"].rsplit(":", 1)[0].strip("[]") != host:
        return SERVE_COMMAND, 0
    return config_file, text.count("\n", 0, match.start()) + 1


def never_abort_on_warnings(config: MkDocsConfig) -> None:
    """Under serve, strict mode must not abort a rebuild: MkDocs then stalls every request.

    MkDocs counts warnings with a handler it attaches before any plugin runs, and aborts at
    the end if it counted any, so turning ``strict`` off is not enough: the counter goes too.
    Warnings are still printed; `mkdocs build` stays as strict as mkdocs.yml says.
    """
    if not config.strict:
        return
    config.strict = False
    mkdocs_log = logging.getLogger("mkdocs")
    for handler in list(mkdocs_log.handlers):
        if isinstance(handler, CountHandler):
            mkdocs_log.removeHandler(handler)
    log.debug("Strict mode is off under mkdocs serve, so that no warning can stall the room.")


def keep_watching(server: LiveReloadServer, folders: list[Path]) -> BaseObserver:
    """Watch ``folders`` with the system's own file events too (see watching.py). Only
    `mkdocs serve` watches: a build does not import the file watcher at all."""
    from storybook.plugin.watching import keep_watching as watch

    return watch(server, folders)


def request_rebuild(server: LiveReloadServer) -> None:
    """What MkDocs' own watcher does on a change. MkDocs 1.6 is the last release with plugins
    (2.0 drops them), so these attributes of its server will not move."""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def keep_answering(server: LiveReloadServer, config_file: Path) -> None:
    """A rebuild that fails (mkdocs.yml saved broken, a bug) must not stall the room.

    MkDocs' server holds every request until a rebuild succeeds, so one failed rebuild made
    every page hang. The rebuild is wrapped: a failure is reported at its file and line,
    and the pages already built stay served until the next save fixes it."""
    build = server.builder

    def guarded() -> None:
        try:
            build()
        except Exception as exc:  # a rebuild that fails must never stall the server
            for problem in _why_it_failed(exc, config_file):
                log.error(problem.format(config_file.parent))
            log.error("The rebuild failed, so the last good pages are still served.")

    server.builder = guarded


def _why_it_failed(exc: Exception, config_file: Path) -> list[Problem]:
    try:
        read_config(config_file)
    except StorybookError as error:
        return error.problems
    return [
        Problem(
            config_file,
            1,
            f"the site could not be rebuilt ({type(exc).__name__}: {exc})",
            "fix what the lines above say, then save again",
        )
    ]


# Material's theme folder holds some 14,500 files (its icons): MkDocs lists and matches them
# all on every build (`Files.add_files_from_theme`), about 0.4 s of each save at any size.
# Under serve the listing is kept, per theme folders, while none of their folders changed
# (a file added, removed or renamed changes its folder's mtime). Checked against MkDocs
# 1.6.1 (pinned mkdocs>=1.6.1,<2; 2.0 drops plugins): the method's signature and its rule
# that a docs file of the same path wins are as there.
_ThemeKey = tuple[tuple[str, ...], tuple[str, ...]]
_theme_listings: dict[_ThemeKey, tuple[dict[str, int], list[tuple[str, str]]]] = {}
_clock = time.time_ns  # nanoseconds since the epoch, as file times are (tests set it ahead)


def remember_theme_files() -> None:
    """Under serve: list the theme's files once per server, not on every build."""
    if getattr(Files.add_files_from_theme, "storybook_remembers", False):
        return
    list_theme_files = Files.add_files_from_theme

    def add_files_from_theme(self: Files, env: Any, config: MkDocsConfig) -> None:
        for path, folder in theme_files(env, config, list_theme_files):
            if self.get_file_from_path(path) is None:  # docs files win, as in MkDocs
                self.append(File(path, folder, config.site_dir, config.use_directory_urls))

    add_files_from_theme.storybook_remembers = True  # type: ignore[attr-defined]
    add_files_from_theme.mkdocs_own = list_theme_files  # type: ignore[attr-defined]
    Files.add_files_from_theme = add_files_from_theme  # type: ignore[method-assign]


def theme_files(env: Any, config: MkDocsConfig, list_theme_files: Any) -> list[tuple[str, str]]:
    """Every theme file MkDocs would add, as (path, theme folder), listed again only if a
    folder below the theme's folders changed since it was last listed."""
    key = (tuple(config.theme.dirs), tuple(config.theme.static_templates))
    kept = _theme_listings.get(key)
    if kept is not None and folder_times(kept[0]) == kept[0]:
        return kept[1]
    times = _folder_times_below(key[0])
    listed = Files([])
    list_theme_files(listed, env, config)
    files = [(file.src_uri, file.src_dir or "") for file in listed]
    # A folder changed in the last moments may change again within the same mtime.
    if max(times.values(), default=0) < _clock() - RACY_NS:
        _theme_listings[key] = (times, files)
    return files


def _folder_times_below(folders: tuple[str, ...]) -> dict[str, int]:
    """When every folder below ``folders`` last changed (links followed, as the theme's loader)."""
    return folder_times(
        folder for top in folders for folder, _, _ in os.walk(top, followlinks=True)
    )

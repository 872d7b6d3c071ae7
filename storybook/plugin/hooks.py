"""The MkDocs plugin: hook wiring over the storybook pipeline, nothing more."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage

from storybook.core.cache import StoryCache
from storybook.core.csp import with_policy
from storybook.core.editions import (
    EDITION_VARIABLE,
    EDITIONS,
    LEARNER,
    ROOM_EDITION_VARIABLE,
    Edition,
    edition,
)
from storybook.core.errors import Problem, StorybookError
from storybook.core.lastgood import LastGood
from storybook.core.load import MAX_PAGE_BYTES, encoding_problem, read_bounded
from storybook.core.pageload import deferred_scripts
from storybook.core.pages import story_uri
from storybook.core.project import missing_templates_folder
from storybook.core.room_pages import (
    JOIN_QR,
    RoomSettings,
    join_qr_svg,
    overridden_by_the_room,
    present_uri,
    room_of_build,
    show_problem_banner,
)
from storybook.core.safety import clean
from storybook.core.site import (
    MARKDOWN_EXTENSIONS,
    PAGES_FLAG,
    collisions,
    without_pages,
    without_trainer_pages,
)
from storybook.paths.plan import PATHS_INDEX, find_paths_dir
from storybook.plugin.csp import live_reload_file, live_reload_from_file
from storybook.plugin.deferred import (
    PROJECTOR_FOLDER,
    DeferredPages,
    GiveWay,
    is_projector_page,
)
from storybook.plugin.derived import SharedParts
from storybook.plugin.incremental import DirtyServe, installed_fingerprint
from storybook.plugin.mirror import ThemeBytecode
from storybook.plugin.search import (
    ENGINES,
    PAGEFIND,
    mark_excluded,
    searchable,
    uses_pagefind,
    without_material_index,
    without_search_marks,
)
from storybook.plugin.search import available as pagefind_available
from storybook.plugin.search import write_index as write_search_index
from storybook.plugin.serve import (
    error_banner,
    keep_answering,
    keep_watching,
    local_only_problem,
    never_abort_on_warnings,
    remember_theme_files,
)
from storybook.plugin.servedir import CACHE_FOLDER, KeptSite, keep_site
from storybook.plugin.sitedir import (
    discard_failed_site,
    edition_site_dir,
    mark_edition,
    not_a_site_problem,
    other_edition_problem,
)
from storybook.plugin.theme import asset_files, extend_theme, offline_build
from storybook.sections import build_site
from storybook.workshops.plan import find_workshops_dir

if TYPE_CHECKING:  # only `mkdocs serve` imports the live-reload server
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.api import BaseObserver

log = logging.getLogger("mkdocs.plugins.storybook")
# Where the story cache is saved in a site kept between runs of `mkdocs serve --dirty`.
SAVED_STORIES = "stories.pickle"
THEME_CODE = "theme-code"
# Where `mkdocs build` keeps the page templates' compiled code for the next build.
COMPILED_TEMPLATES = CACHE_FOLDER / "templates"


# MkDocs' Config.__init_subclass__ has no type hints.
class StorybookConfig(Config):  # type: ignore[no-untyped-call]
    # Not exists=True: a folder missing under `mkdocs serve` must be a problem on the banner,
    # not a configuration error that stalls the server. The pipeline reports missing folders.
    stories_dir = c.Dir(exists=False, default="stories")
    templates_dir = c.Dir(exists=False, default="templates")
    # Unset: the workshops/ folder beside mkdocs.yml, if there is one.
    workshops_dir = c.Optional(c.Dir(exists=False))
    # Unset: the paths/ folder beside mkdocs.yml, if there is one (learning paths).
    paths_dir = c.Optional(c.Dir(exists=False))
    # mkdocs.yml sets it with `edition: !ENV [STORYBOOK_EDITION, learner]`.
    edition = c.Choice(EDITIONS, default=LEARNER)
    # pagefind: a built site, served or offline, searches a Pagefind index (mkdocs serve keeps
    # Material's search); lunr: Material's search everywhere. See search.py.
    search = c.Choice(ENGINES, default=PAGEFIND)
    # The room (see core/room_pages.py). Unset: what `storybook serve --room` says in the
    # environment, else the room's default ports on 127.0.0.1. A learner edition that is
    # built, not served, makes projector views only when one of them is set (room_of_build).
    projector_url = c.Optional(c.Type(str))
    console_url = c.Optional(c.Type(str))
    join_url = c.Optional(c.Type(str))
    # Under `mkdocs serve`, problems on a red box on every page. The room turns it off for the
    # learner edition (STORYBOOK_PROBLEM_BANNER=off): the projector never shows them.
    problem_banner = c.Optional(c.Type(bool))


class StorybookPlugin(BasePlugin[StorybookConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self._reset()
        # Under `mkdocs serve`: unchanged stories are not re-read or re-rendered, and with
        # --dirty only the pages whose Markdown changed are rebuilt (see cache.py, incremental.py).
        self.cache = StoryCache()
        self.theme_bytecode = ThemeBytecode()
        self.dirty = DirtyServe()
        # A projector page takes its story's parts as the story page converted them.
        self.shared = SharedParts()
        # A cold start under serve answers before the projector views are made (deferred.py).
        self.later = DeferredPages()
        self.native_events: BaseObserver | None = None  # under serve: see keep_watching
        # The options as mkdocs.yml writes them, defaults left out (see load_config).
        self.options_written: dict[str, Any] = {}

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[Any, Any]:
        # A templates_dir mkdocs.yml names must exist; the default one may be missing.
        self.options_written = dict(options)
        return super().load_config(options, config_file_path)

    def _reset(self) -> None:
        self.serving = False
        self.command = ""
        self.problems: list[Problem] = []
        self.root = Path.cwd()
        # Under serve: the last good stories and pages, standing in while something is broken.
        self.last_good = LastGood()
        self.last_good_docs: dict[str, str] = {}
        self.generated: set[str] = set()
        self.to_clean: list[MkDocsPage] = []  # generated pages converted in this build
        self.site_dir = ""
        self.pagefind = False  # this build writes a Pagefind index
        self.material_index_off = False  # and Material's search writes none (see search.py)
        self.searchable: list[Path] = []  # the HTML files of the pages it indexes
        self.made_stories: list[str] = []  # the slugs of the stories whose page it made
        self.finished = False
        self.told: set[str] = set()  # what the terminal was told once already
        # Under serve --dirty: the site folder kept between runs, once tried (servedir.py).
        self.kept: KeptSite | None = None
        self.keeping_tried = False
        self.kept_other_edition = False

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # MkDocs keeps one plugin instance per process: start every session afresh.
        self._reset()
        self.later.reset()
        self.serving = command == "serve"
        self.command = command
        if self.serving:
            remember_theme_files()
        if self.serving and dirty:
            self.dirty.start()
        else:
            self.dirty.stop()

    @property
    def edition(self) -> Edition:
        return edition(self.config.edition)

    @property
    def room(self) -> RoomSettings | None:
        """The room's addresses, when this build makes the room's pages (see room_of_build)."""
        return room_of_build(dict(self.config), edition=self.edition, serving=self.serving)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._hold_the_room_edition()
        if self.serving:
            self._refuse_the_network(config)
        self._say_what_the_room_keeps()
        _edition_config(config, self.edition, self.command)
        for extension in MARKDOWN_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        self.pagefind = self._wants_pagefind(config)
        self.searchable = []
        # Pagefind searches this site: no index of Material's that no page reads.
        self.material_index_off = self.pagefind and without_material_index(config)
        extend_theme(config, pagefind=self.pagefind)
        if not self.edition.shows_facilitator:
            config.nav = without_trainer_pages(config.nav)
        config.extra[PAGES_FLAG] = True
        if self.serving:
            never_abort_on_warnings(config)
        if self.dirty.active:
            self._keep_the_site(config)
        self.site_dir = config.site_dir
        return config

    def _keep_the_site(self, config: MkDocsConfig) -> None:
        """Before the first build of `mkdocs serve --dirty`: build into the folder kept between
        runs, carrying on from what an earlier run left there."""
        if self.keeping_tried:
            if self.kept is not None and self.kept.edition != self.edition.name:
                self.kept_other_edition = True
            return
        self.keeping_tried = True
        root = Path(config.config_file_path).parent
        self.kept = keep_site(Path(config.site_dir), root, self.edition)
        self.theme_bytecode.keep_in(self.kept.folder / THEME_CODE if self.kept else None)
        if self.kept is None or not self.kept.reused:
            return
        self.dirty.reuse(self.kept.site)
        self.cache.load(self.kept.folder / SAVED_STORIES, installed_fingerprint())

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self._give_way_to_a_save()
        root = self.root = Path(config.config_file_path).parent
        try:
            templates_dir = Path(self.config.templates_dir)
            cache = self.cache.prepare(templates_dir, dict(self.config)) if self.serving else None
            room = self.room
            if self.later.leave_out_projector_views(possible=self._can_wait_for_the_room(room)):
                log.info("The projector views are made once the site is served")
                room = None
            result = build_site(
                Path(self.config.stories_dir),
                templates_dir,
                edition=self.edition,
                workshops_dir=self.workshops_dir(),
                paths_dir=find_paths_dir(self.config.paths_dir, self.root),
                fallback=self.last_good.stories if self.serving else None,
                cache=cache,
                room=room,
                compiled_dir=root / COMPILED_TEMPLATES,
            )
            self._give_way_to_a_save()  # before this build changes what the plugin holds
            problems = result.problems + _collisions(result.pages, files)
            problems += missing_templates_folder(
                Path(config.config_file_path), templates_dir, self.options_written
            )
            problems += self._unreadable_docs(files)
            pages = result.pages
        except Exception as exc:  # a bug in the storybook itself must not stall `mkdocs serve`
            log.debug("The storybook failed:", exc_info=True)
            result, pages = None, {}
            problems = [_internal_problem(exc, Path(config.config_file_path))]
        if problems:
            if not self.serving:
                _stop(problems, root, "The site was not built: ")
            for line in StorybookError(problems).format(root).splitlines():
                log.warning(line)
        if self.serving:
            # The last good version of anything broken now, but nothing of a withdrawn story.
            pages = self.last_good.pages_to_serve(
                result, problems, edition=self.edition, stories_dir=Path(self.config.stories_dir)
            )
            if self.later.owed:  # not even the last good ones: this build leaves them all out
                pages = {u: c for u, c in pages.items() if not is_projector_page(u)}
        self.problems = problems
        self.generated = set(pages)
        self.later.built(pages)
        self.made_stories = [
            story.slug
            for story in (result.library.published if result else [])
            if story_uri(story.slug) in pages
        ]
        # Projector views made later take the parts this build's story pages convert.
        owed = {present_uri(slug): "" for slug in self.made_stories} if self.later.owed else {}
        self.shared.prepare(
            result.library.published if result else [],
            {**pages, **owed},
            _markdown_settings(config),
        )
        self.to_clean = []
        sources: dict[str, Path] = {}
        if self.dirty.active:
            state = repr((dict(self.config), problems))
            if self.later.check(
                pages, everything=self.dirty.rebuilds_everything(config, files, state)
            ):
                self.dirty.forget_record(config)
            sources = self.dirty.page_sources(
                config, files, pages, state, keep=self._views_kept_while_owed()
            )
        if PATHS_INDEX not in pages and files.get_file_from_path(PATHS_INDEX) is None:
            # No paths folder: no page to list them, so no entry for it in the navigation.
            config.nav = without_pages(config.nav, (PATHS_INDEX,))
        # Under --dirty, the projector views whose page is as it was are left as they are.
        unchanged = (
            self.dirty.leave_unchanged_out(config, pages, PROJECTOR_FOLDER)
            if self.dirty.active
            else set()
        )
        for src_uri, content in pages.items():
            if src_uri not in unchanged and files.get_file_from_path(src_uri) is None:
                files.append(_page_file(config, src_uri, content, sources.get(src_uri)))
        for asset in asset_files(config):
            files.append(asset)
        live_reload = live_reload_file(config) if self.serving else None
        if live_reload is not None:
            files.append(live_reload)
        join_url = self.room.join_url if self.room else None
        if join_url and not self.edition.shows_facilitator:
            files.append(File.generated(config, JOIN_QR, content=join_qr_svg(join_url)))
        return files

    def on_page_markdown(
        self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str:
        if self.serving and self.problems and show_problem_banner(dict(self.config)):
            markdown = (
                error_banner(self.problems, self.root, show_private=self.edition.shows_facilitator)
                + markdown
            )
        self._give_way_to_a_save()
        markdown = self.shared.before_conversion(page.file.src_uri, markdown)
        return self.edition.banner + markdown

    def on_page_content(
        self, html: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str:
        # Every page made from stories holds harmless markup only (see safehtml.py). They are
        # cleaned together in on_env, before any is put in a template or the search index:
        # cleaning one page between MkDocs' conversions of others took twice as long.
        if page.file.src_uri in self.generated:
            html = self.shared.after_conversion(page.file.src_uri, html)
            self.to_clean.append(page)
        return html

    def on_build_error(self, *, error: Exception) -> None:
        # No site folder yet (on_config stopped the build): Path("") is the trainer's folder.
        if not self.serving and self.site_dir:
            discard_failed_site(Path(self.site_dir))
        self.dirty.build_failed()

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        # Before the server binds its address; `mkdocs serve --clean` says it builds, so this
        # is the first hook to know it serves.
        self._refuse_the_network(config)
        folders = [Path(self.config.stories_dir), Path(self.config.templates_dir)]
        workshops = self.workshops_dir()
        if workshops is not None:
            folders.append(workshops)
        paths = find_paths_dir(self.config.paths_dir, self.root)
        if paths is not None:
            folders.append(paths)
        self.native_events = keep_watching(server, folders)
        live_reload_from_file(server)  # the pages' policy runs no inline script
        keep_answering(server, Path(config.config_file_path))
        self.later.make_them_after_answering(server)
        return server

    def _can_wait_for_the_room(self, room: RoomSettings | None) -> bool:
        """The projector views can be made after the first answer: a served learner edition
        (they are the room's, and nothing links to them) whose site has none yet (no site
        kept from an earlier run, or one stopped before it made them), where the next build
        under --dirty makes them alone."""
        return (
            room is not None
            and self.dirty.active
            and not self.edition.shows_facilitator
            and (self.later.gave_way or not self.dirty.recorded(PROJECTOR_FOLDER))
        )

    def _views_kept_while_owed(self) -> str:
        """While a save's rebuild leaves out the projector views a deferred build stopped
        making (deferred.py), those it wrote stay: the folder that holds them, or ""."""
        return PROJECTOR_FOLDER if self.later.owed and self.later.gave_way else ""

    def _give_way_to_a_save(self) -> None:
        """At each step of the deferred build (before it reads the stories, after, before
        each page it converts or writes): a save goes first. Before each page was not enough:
        a save made while it read 3,000 stories waited for that, then for its own build."""
        try:
            self.later.give_way_to_a_save()
        except GiveWay:
            if self.dirty.active:
                self.dirty.keep_written(PROJECTOR_FOLDER)
            raise

    def _wants_pagefind(self, config: MkDocsConfig) -> bool:
        wanted = uses_pagefind(self.config.search, serving=self.serving)
        if wanted and not pagefind_available():
            log.warning(
                "Pagefind is not installed, so the site keeps Material's search, which is slow "
                "for large libraries - install the storybook again (pip install -e .) or set "
                "search: lunr under the storybook plugin in mkdocs.yml"
            )
            return False
        return wanted

    def _refuse_the_network(self, config: MkDocsConfig) -> None:
        """The facilitator edition is served on this machine only, however it is started."""
        problem = local_only_problem(self.edition, config)
        if problem is not None:
            _stop([problem], Path(config.config_file_path).parent, "The site was not served: ")

    def _say_what_the_room_keeps(self) -> None:
        """Once per setting: mkdocs.yml asks for another value than the room set."""
        for setting in overridden_by_the_room(dict(self.config)):
            if setting not in self.told:
                self.told.add(setting)
                option = setting.split(":", 1)[0]
                log.info(f"mkdocs.yml sets {option}, but this server of the room keeps {setting}")

    def _hold_the_room_edition(self) -> None:
        """In a room, each server builds its one edition, on every rebuild: a mkdocs.yml edited
        to say `edition: facilitator` must never put facilitator notes on the projector."""
        required = os.environ.get(ROOM_EDITION_VARIABLE)
        if required is None or required == self.config.edition:
            return
        if required not in EDITIONS:
            where = Problem(
                Path(ROOM_EDITION_VARIABLE),
                0,
                f"{required!r} names no edition",
                f"set it to {' or '.join(EDITIONS)}, or unset it (storybook serve --room sets it)",
            )
            _stop([where], None, "The site was not built: ")
        log.error(
            f"mkdocs.yml asks for the {self.config.edition} edition, but this server of the "
            f"room serves the {required} edition only: it keeps building the {required} "
            f"edition. Write edition: !ENV [{EDITION_VARIABLE}, learner] under the storybook plugin."
        )
        self.config.edition = required

    def _unreadable_docs(self, files: Files) -> list[Problem]:
        """Hand-written pages that are not UTF-8 are problems at their file, not a traceback;
        under serve the page's last good text stands in, so the build still succeeds."""
        problems = []
        for file in files.documentation_pages():
            if file.generated_by or not file.abs_src_path:
                continue
            try:
                # Within the limit, and a plain file (MkDocs would wait on a FIFO for ever).
                read_bounded(Path(file.abs_src_path), MAX_PAGE_BYTES, what="page")
            except StorybookError as exc:
                problems += exc.problems
                file.content_string = self.last_good_docs.get(
                    file.src_uri, "# This page could not be read\n\nSee the problem above.\n"
                )
                continue
            try:
                self.last_good_docs[file.src_uri] = file.content_string
            except UnicodeDecodeError as exc:
                path = Path(file.abs_src_path)
                problems.append(encoding_problem(path, read_bounded(path, MAX_PAGE_BYTES), exc))
                file.content_string = self.last_good_docs.get(
                    file.src_uri, "# This page could not be read\n\nSave it as UTF-8.\n"
                )
        return problems

    def _let_go_of_the_site(self) -> None:
        """When serving stops: keep the stories for the next run in the kept folder, or empty
        it if mkdocs.yml came to ask for another edition meanwhile (its folder holds one
        edition only)."""
        kept, self.kept = self.kept, None
        self.theme_bytecode.keep_in(None)
        self.dirty.stop(keep_files=kept is not None and not self.kept_other_edition)
        if kept is None:
            return
        try:
            if self.kept_other_edition:
                kept.empty()
            else:
                self.cache.save(kept.folder / SAVED_STORIES, installed_fingerprint())
        except OSError as exc:
            log.warning(f"{kept.folder}: the site could not be kept for the next run ({exc})")
        finally:
            kept.release()

    def workshops_dir(self) -> Path | None:
        return find_workshops_dir(self.config.workshops_dir, self.root)

    # Incremental rebuilds under `mkdocs serve --dirty`: thin wiring to incremental.py.

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._give_way_to_a_save()
        if self.dirty.active:
            # The build that makes the projector views only adds pages: if it is stopped
            # half-way, the next start still knows the site (deferred.py).
            self.dirty.before_build(config, keep_record=self.later.quiet)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._give_way_to_a_save()
        if self.dirty.active:
            self.dirty.read_nav_titles(nav, config)
        return nav

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self._give_way_to_a_save()
        for page in self.to_clean:
            page.content = clean(page.content or "")
        if self.serving:
            config_file = read_bounded(Path(config.config_file_path), what="settings")
            env.bytecode_cache = self.theme_bytecode.for_config(config_file)
        if self.dirty.active:
            self.dirty.pages_ready(files)
        return env

    @event_priority(100)  # before Material's search plugin removes data-search-exclude
    def on_page_context(
        self, context: Any, *, page: MkDocsPage, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        self._give_way_to_a_save()
        if self.pagefind and page.content and searchable(page.meta):
            page.content = mark_excluded(page.content)
            self.searchable.append(Path(page.file.abs_dest_path))
        if self.material_index_off and page.content:
            page.content = without_search_marks(page.content)
        return context

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        if self.dirty.active:
            self.dirty.page_built(page.url, page.file.dest_uri)
        # The theme overrides put the policy there (see core/csp.py); the page asks for its
        # scripts at once (see core/pageload.py).
        return deferred_scripts(with_policy(output))

    def on_post_template(self, output: str, *, template_name: str, config: MkDocsConfig) -> str:
        # The 404 page is rendered as a template, not as a page.
        if not template_name.endswith(".html"):
            return output
        return deferred_scripts(with_policy(output))

    @event_priority(100)  # before the search plugin writes its index
    def _before_the_index(self, *, config: MkDocsConfig) -> None:
        if self.later.quiet and self.dirty.active:
            self.dirty.forget_record(config)  # the search index is written again
        self.later.hold_for_the_index()

    # After the search plugin has written its index, and Material's offline plugin (at -100)
    # its copy as a script, which write_search_index empties when Pagefind answers offline.
    @event_priority(-110)
    def _after_the_index(self, *, config: MkDocsConfig) -> None:
        if self.dirty.active:
            self.dirty.after_build(config, keep=self._views_kept_while_owed())
        self.later.write_placeholders(config, self.made_stories)
        if not self.serving:
            mark_edition(Path(config.site_dir), self.edition)
        if self.pagefind:
            self._write_search_index(config)
        # Only now: a build stopped before (Ctrl-C while Pagefind indexes) is not finished,
        # and on_shutdown empties its site folder.
        self.finished = True

    on_post_build = CombinedEvent(_before_the_index, _after_the_index)

    def _write_search_index(self, config: MkDocsConfig) -> None:
        """The search index is part of the build: a build whose index is not whole fails,
        saying why at the file, and leaves no site behind (on_build_error, on_shutdown)."""
        site_dir = Path(config.site_dir)
        language = str(config.theme.get("language") or "en")
        try:
            pages = write_search_index(
                site_dir, self.searchable, language, offline=offline_build(config)
            )
        except KeyboardInterrupt:
            log.error(
                f"{site_dir.name}/pagefind: the build was stopped (Ctrl-C) while Pagefind "
                "indexed the site, so it has no search - build again"
            )
            raise
        except StorybookError as exc:
            _stop(
                exc.problems,
                self.root,
                "The search index is not whole, so the site was not built: ",
            )
        except Exception as exc:
            failed = Problem(
                site_dir / "pagefind",
                0,
                f"Pagefind could not index the site ({type(exc).__name__}: {exc})",
                "build again; if it fails again, set search: lunr under the storybook plugin "
                "in mkdocs.yml to build with Material's search",
            )
            _stop([failed], self.root, "The site was not built: ")
        log.info(f"Search: Pagefind indexed {pages} pages")

    def on_shutdown(self) -> None:
        # MkDocs calls this after a build that Ctrl-C stopped too, but no build error hook:
        # a build that began and never finished leaves no partial site behind.
        if not self.serving and self.site_dir and not self.finished:
            discard_failed_site(Path(self.site_dir))
        self._let_go_of_the_site()
        self.later.stop()
        if self.native_events is not None:
            self.native_events.stop()
            self.native_events = None


def _page_file(config: MkDocsConfig, src_uri: str, content: str, source: Path | None) -> File:
    # Stories and tag pages are reached through index pages, not the sidebar.
    inclusion = InclusionLevel.NOT_IN_NAV
    if source is None:
        return File.generated(config, src_uri, content=content, inclusion=inclusion)
    # A file that keeps its modification time while unchanged: `serve --dirty` skips it.
    return File.generated(config, src_uri, abs_src_path=str(source), inclusion=inclusion)


def _edition_config(config: MkDocsConfig, policy: Edition, command: str) -> None:
    """Name the site for its edition, and keep each edition out of the others' site folder."""
    if policy.local_only and command == "gh-deploy":
        refused = Problem(
            Path("mkdocs gh-deploy"),
            0,
            f"the {policy.name} edition is never deployed: it holds facilitator notes",
            f"deploy the learner edition (unset {EDITION_VARIABLE})",
        )
        _stop([refused], None, "Nothing was deployed: ")
    config.site_name = policy.site_name(config.site_name)
    if command == "serve":
        return  # `mkdocs serve` builds into a temporary folder of its own
    # An edition is built where it is told; only MkDocs' default folder differs by edition.
    site_dir = edition_site_dir(config.site_dir, config.config_file_path, policy)
    if site_dir != config.site_dir:
        log.info(f"The {policy.name} edition is built into {site_dir}")
        config.site_dir = site_dir
    # Editions never share a folder: one that holds the other edition is refused.
    shared = other_edition_problem(Path(site_dir), policy) or not_a_site_problem(Path(site_dir))
    if shared is not None:
        _stop([shared], Path(config.config_file_path).parent, "The site was not built: ")


def _markdown_settings(config: MkDocsConfig) -> str:
    return repr((config.markdown_extensions, config.mdx_configs))


def _collisions(pages: dict[str, str], files: Files) -> list[Problem]:
    hand_written = {
        file.src_uri: Path(file.abs_src_path)
        for file in files.documentation_pages()
        if file.abs_src_path and not file.generated_by
    }
    return collisions(pages, hand_written)


def _stop(problems: list[Problem], root: Path | None, what_happened: str) -> NoReturn:
    """Stop MkDocs with every problem as file:line: what - how to fix, as `storybook check`
    prints them; the count comes first, as MkDocs puts "ERROR -" before the first line."""
    error = StorybookError(problems)
    raise PluginError(f"{what_happened}{error.summary()}\n{error.format(root)}")


def _internal_problem(exc: Exception, config_file: Path) -> Problem:
    return Problem(
        config_file,
        1,
        f"the storybook itself failed ({type(exc).__name__}: {exc})",
        "this is a bug in the storybook, not in your files; "
        "run mkdocs build --verbose and report what it prints",
    )

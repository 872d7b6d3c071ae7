"""`storybook export`: the storybook as a plain site source that any MkDocs-style engine builds.

The export is what the plugin would hand to MkDocs, written out as ordinary files: the
rendered pages and the hand-written pages under ``docs/``, our stylesheet, and a
``mkdocs.yml`` without the storybook plugin. MkDocs, ProperDocs and Zensical build it
without our package installed.

The export owns only what it wrote. A manifest records each file with its hash; a later
export replaces or removes a file only while it still has that hash, so nothing a trainer
added or edited in the export folder is ever overwritten or deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storybook import __version__
from storybook.core.csp import theme_overrides
from storybook.core.editions import Edition
from storybook.core.errors import ExportError, Problem, StorybookError
from storybook.core.load import MAX_PAGE_BYTES, encoding_problem, read_bounded
from storybook.core.project import choose_edition, line_of, read_project
from storybook.core.room_pages import RoomSettings
from storybook.core.safety import page_problems, without_comments
from storybook.core.site import (
    DEFAULT_FOOTER,
    MARKDOWN_EXTENSIONS,
    PAGES_FLAG,
    SCRIPTS,
    STYLESHEETS,
    WORKER_SHIM,
    assets,
    collisions,
    files_below,
    without_pages,
    without_trainer_pages,
)
from storybook.core.siteconfig import dump_config, read_config
from storybook.export.owned import MANIFEST, WriteReport, write_owned_files
from storybook.paths.plan import PATHS_FOLDER, PATHS_INDEX
from storybook.sections import build_site
from storybook.workshops.plan import WORKSHOPS_FOLDER

PLUGIN = "storybook"
NOTE = "STORYBOOK-EXPORT.md"
DOCS = "docs"


@dataclass
class ExportReport:
    """What was exported, and what writing it into the folder did file by file."""

    out: Path
    edition: str
    stories: int
    pages: int
    files: WriteReport


# A file the export copies as it is (a picture, a PDF, a theme override): read whole.
MAX_COPIED_BYTES = 100_000_000


def export_site(config_file: Path, out: Path, *, edition: Edition | None = None) -> ExportReport:
    """Export the storybook configured in ``config_file`` into the folder ``out``."""
    config = read_config(config_file)
    root = config_file.resolve().parent
    if "INHERIT" in config:
        raise ExportError(
            config_file,
            "INHERIT is not supported by storybook export yet",
            "copy the inherited settings into this file, then export again",
            line=line_of(config_file, "INHERIT"),
        )
    project = read_project(config_file)
    chosen = choose_edition(project, edition)
    stories_dir, templates_dir = project.stories_dir, project.templates_dir
    docs_dir = project.docs_dir
    workshops_dir = project.workshops_dir or root / WORKSHOPS_FOLDER
    paths_dir = project.paths_dir or root / PATHS_FOLDER
    # A missing templates folder is the defaults (read_project refuses one mkdocs.yml names).
    for folder, what in ((stories_dir, "stories"),):
        if not folder.is_dir():
            raise ExportError(
                folder,
                f"no {what} folder here",
                f"check {what}_dir of the storybook plugin in {config_file}",
                line=0,
            )
    plain, copies = _theme_and_hooks(config, root)
    plain, overrides = _with_theme_overrides(plain, copies)
    _check_destination(
        out,
        root,
        [docs_dir, stories_dir, templates_dir, workshops_dir, paths_dir, *copies.values()],
    )

    # Only an edition whose policy shows them builds drafts and facilitator material at all.
    policy = chosen
    result = build_site(
        stories_dir,
        templates_dir,
        edition=chosen,
        workshops_dir=workshops_dir if workshops_dir.is_dir() else None,
        paths_dir=paths_dir if paths_dir.is_dir() else None,
        # The presenter consoles are ordinary pages; the projector view needs the storybook's
        # own page template, which only the plugin installs, so an export has none.
        room=RoomSettings() if policy.shows_facilitator else None,
    )
    hand_written = dict(files_below(docs_dir))
    problems = result.problems + collisions(result.pages, hand_written)
    # The engines that build an export clean nothing: whole pages are checked here.
    problems += page_problems(result.pages, result.sources())
    if problems:
        raise StorybookError(problems)
    generated = {
        f"{DOCS}/{uri}": policy.marked(without_comments(text)).encode("utf-8")
        for uri, text in result.pages.items()
    }
    generated.update({f"{DOCS}/{name}": data for name, data in assets()})

    files: dict[str, bytes] = {}
    unreadable: list[Problem] = []
    for rel, path in hand_written.items():
        try:
            data = _read_copied(rel, path)
            files[f"{DOCS}/{rel}"] = _marked_file(rel, data, policy)
        except StorybookError as exc:
            unreadable += exc.problems
        except UnicodeDecodeError as exc:
            unreadable.append(encoding_problem(path, data, exc, what="page"))
    for rel, path in copies.items():
        try:
            files[rel] = _read_copied(rel, path)
        except StorybookError as exc:
            unreadable += exc.problems
    if unreadable:
        raise StorybookError(unreadable)
    files.update(overrides)
    files.update(generated)
    if isinstance(plain.get("site_name"), str):
        plain = {**plain, "site_name": policy.site_name(plain["site_name"])}
    files["mkdocs.yml"] = site_config(plain, sorted(result.pages), chosen).encode("utf-8")
    files[NOTE] = export_note(chosen).encode("utf-8")
    written = write_owned_files(
        out,
        files,
        written_by=f"storybook export (Leadership Storybook {__version__})",
        edition=chosen,
    )
    return ExportReport(
        out=out,
        edition=chosen.name,
        stories=len(result.library.published),
        pages=len(result.pages),
        files=written,
    )


def _read_copied(rel: str, path: Path) -> bytes:
    """A file the export copies, read within its limit: a page as a story, anything else
    (a picture, a PDF) within MAX_COPIED_BYTES."""
    if rel.endswith(".md"):
        return read_bounded(path, MAX_PAGE_BYTES, what="page")
    return read_bounded(path, MAX_COPIED_BYTES, what="copied")


def _marked_file(rel: str, data: bytes, policy: Edition) -> bytes:
    if not policy.banner or not rel.endswith(".md"):
        return data
    marked: bytes = policy.marked(data.decode("utf-8")).encode("utf-8")
    return marked


def site_config(config: dict[str, Any], page_uris: list[str], edition: Edition) -> str:
    """The exported mkdocs.yml: the project's settings, without the storybook plugin."""
    data = dict(config)
    data["docs_dir"] = DOCS
    site_dir = data.get("site_dir")
    if isinstance(site_dir, str) and _leaves_folder(site_dir):
        # Zensical builds only into a folder inside the project.
        data["site_dir"] = "site"
    if "plugins" in data:
        data["plugins"] = _without_plugin(data["plugins"])
    data["markdown_extensions"] = _with_extensions(data.get("markdown_extensions"))
    data["extra_css"] = _with_items(data.get("extra_css"), STYLESHEETS)
    data["extra_javascript"] = _with_items(data.get("extra_javascript"), SCRIPTS)
    if "nav" in data:
        # As the plugin does: no trainers' pages for learners, no entry for a missing page.
        if not edition.shows_facilitator:
            data["nav"] = without_trainer_pages(data["nav"])
        if PATHS_INDEX not in page_uris:
            data["nav"] = without_pages(data["nav"], (PATHS_INDEX,))
    if not data.get("copyright"):
        data["copyright"] = DEFAULT_FOOTER.format(site_name=data.get("site_name") or "")
    not_in_nav = data.get("not_in_nav") or ""
    if isinstance(not_in_nav, str):
        # The plugin keeps its pages out of the sidebar; these lines do the same without it.
        if not_in_nav and not not_in_nav.endswith("\n"):
            not_in_nav += "\n"
        data["not_in_nav"] = not_in_nav + "".join(f"{p}\n" for p in _nav_patterns(page_uris))
    extra = data.get("extra")
    if extra is None or isinstance(extra, dict):
        # The Worker stand-in for Material's offline build: without the plugin nobody knows
        # whether the build is offline, and it does nothing unless opened from file://.
        polyfills = _with_items((extra or {}).get("polyfills"), (WORKER_SHIM,))
        data["extra"] = {**(extra or {}), PAGES_FLAG: True, "polyfills": polyfills}
    header = (
        f"# Written by `storybook export` (Leadership Storybook {__version__}), {edition.name} edition.\n"
        "# A plain site source: build it with `mkdocs build`, `properdocs build -f mkdocs.yml`\n"
        "# or `zensical build`; none of them needs the storybook package. To change stories,\n"
        "# edit them in the storybook and export again. See STORYBOOK-EXPORT.md.\n\n"
    )
    return header + dump_config(data)


def _nav_patterns(page_uris: list[str]) -> list[str]:
    """One pattern per generated folder, one per top-level page.

    MkDocs matches every file against every pattern, so a line per story would make the
    exported site's build grow with the square of the library.
    """
    patterns: list[str] = []
    for uri in page_uris:
        folder, nested, _ = uri.partition("/")
        pattern = f"/{folder}/" if nested else f"/{uri}"
        if pattern not in patterns:
            patterns.append(pattern)
    return patterns


def export_note(edition: Edition) -> str:
    return f"""# This folder is a storybook export

It was written by `storybook export` ({edition.name} edition) from a Leadership Storybook. It is a
plain site source: `docs/` holds every page as Markdown and `mkdocs.yml` the settings, with no
storybook plugin. Build it with any of:

```sh
mkdocs build                    # MkDocs 1.x with Material for MkDocs
properdocs build -f mkdocs.yml  # ProperDocs
zensical build                  # Zensical
```

Stories are written in the storybook, not here: edit them there and run `storybook export`
into this folder again. The export replaces only the files it wrote. A file you changed or
added here is kept and never overwritten; the export names it so you can decide what to do.
`{MANIFEST}` lists what the export wrote; leave it in place.
"""


def _leaves_folder(path: str) -> bool:
    return Path(path).is_absolute() or ".." in Path(path).parts


def _theme_and_hooks(config: dict[str, Any], root: Path) -> tuple[dict[str, Any], dict[str, Path]]:
    """The config with theme overrides and hooks pointing at copies, and what to copy where.

    A folder or file inside the project is copied to the same relative place in the
    export; one outside it is referred to by its absolute path.
    """
    data = dict(config)
    copies: dict[str, Path] = {}

    def place(value: Any, *, folder: bool) -> Any:
        if not isinstance(value, str):
            return value
        source = (root / value).resolve()
        if root not in source.parents:
            return str(source)
        rel = source.relative_to(root).as_posix()
        if folder:
            copies.update({f"{rel}/{name}": path for name, path in files_below(source)})
        elif source.is_file():
            copies[rel] = source
        return rel

    theme = data.get("theme")
    if isinstance(theme, dict) and "custom_dir" in theme:
        data["theme"] = {**theme, "custom_dir": place(theme["custom_dir"], folder=True)}
    hooks = data.get("hooks")
    if isinstance(hooks, list):
        data["hooks"] = [place(hook, folder=False) for hook in hooks]
    return data, copies


# The theme folder of an export whose project has none: it holds the storybook's overrides.
THEME_FOLDER = "overrides"


def _with_theme_overrides(
    config: dict[str, Any], copies: dict[str, Path]
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The config with a theme folder, and the storybook's theme overrides to write into it:
    they carry the pages' Content-Security-Policy and run the theme's inline scripts from a
    file (see core/csp.py), in every engine that renders Material's templates. A partial of
    the project's own theme folder of the same name is kept instead; a theme folder outside
    the project, which the export does not copy, gets none."""
    theme = config.get("theme")
    if isinstance(theme, str):
        theme = {"name": theme}
    if not isinstance(theme, dict) or theme.get("name") != "material":
        return config, {}
    folder = theme.get("custom_dir")
    if folder is None:
        folder = THEME_FOLDER
        config = {**config, "theme": {**theme, "custom_dir": folder}}
    if not isinstance(folder, str) or Path(folder).is_absolute():
        return config, {}
    overrides = {f"{folder}/{rel}": data for rel, data in theme_overrides()}
    return config, {rel: data for rel, data in overrides.items() if rel not in copies}


def _check_destination(out: Path, root: Path, sources: list[Path]) -> None:
    target = out.resolve()
    if target == root or target in root.parents:
        raise ExportError(
            out,
            "this folder holds the storybook itself",
            "export into a folder of its own, e.g. storybook export export/",
            line=0,
        )
    for source in sources:
        source = source.resolve()
        if target == source or source in target.parents or target in source.parents:
            raise ExportError(
                out,
                f"this folder overlaps {source}, which the export reads",
                "export into a folder of its own, e.g. storybook export export/",
                line=0,
            )


def _with_items(listed: Any, paths: tuple[str, ...]) -> list[Any]:
    items = list(listed or [])
    return items + [path for path in paths if path not in items]


def _without_plugin(plugins: Any) -> Any:
    if isinstance(plugins, dict):
        return {name: options for name, options in plugins.items() if name != PLUGIN}
    if isinstance(plugins, list):
        return [
            entry
            for entry in plugins
            if entry != PLUGIN and not (isinstance(entry, dict) and PLUGIN in entry)
        ]
    return plugins


def _with_extensions(extensions: Any) -> Any:
    """The project's Markdown extensions plus those the plugin adds for its pages."""
    if isinstance(extensions, dict):
        return {
            **extensions,
            **{name: {} for name in MARKDOWN_EXTENSIONS if name not in extensions},
        }
    listed = list(extensions or [])
    names = {entry if isinstance(entry, str) else next(iter(entry), "") for entry in listed}
    return listed + [name for name in MARKDOWN_EXTENSIONS if name not in names]

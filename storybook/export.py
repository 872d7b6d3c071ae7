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

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from storybook import __version__
from storybook.editions import (
    EDITIONS,
    FACILITATOR_SITE_NAME,
    LEARNER,
    edition_banner,
    is_facilitator,
)
from storybook.errors import Problem, StorybookError
from storybook.owned import MANIFEST, WriteReport, write_owned_files
from storybook.paths import PATHS_FOLDER, PATHS_INDEX
from storybook.pipeline import build_site
from storybook.plugin import PAGES_FLAG, REQUIRED_EXTENSIONS
from storybook.siteconfig import dump_config, read_config, resolve_env
from storybook.theme import (
    DEFAULT_FOOTER,
    SCRIPTS,
    STYLESHEETS,
    WORKER_SHIM,
    without_pages,
    without_trainer_pages,
)
from storybook.workshops import WORKSHOPS_FOLDER

PLUGIN = "storybook"
NOTE = "STORYBOOK-EXPORT.md"
DOCS = "docs"
DEFAULT_EDITION = LEARNER


class ExportError(Exception):
    """The export cannot run as asked; the message says why and what to do."""


@dataclass
class ExportReport:
    """What was exported, and what writing it into the folder did file by file."""

    out: Path
    edition: str
    stories: int
    pages: int
    files: WriteReport


def export_site(config_file: Path, out: Path, *, edition: str | None = None) -> ExportReport:
    """Export the storybook configured in ``config_file`` into the folder ``out``."""
    config = read_config(config_file)
    root = config_file.resolve().parent
    if "INHERIT" in config:
        raise ExportError(
            f"{config_file}: INHERIT is not supported by storybook export yet - "
            "copy the inherited settings into this file, then export again"
        )
    options = plugin_options(config)
    chosen = choose_edition(edition, options)
    stories_dir = _folder(config_file, options.get("stories_dir"), "stories")
    templates_dir = _folder(config_file, options.get("templates_dir"), "templates")
    docs_dir = _folder(config_file, config.get("docs_dir"), DOCS)
    workshops_dir = _folder(config_file, options.get("workshops_dir"), WORKSHOPS_FOLDER)
    paths_dir = _folder(config_file, options.get("paths_dir"), PATHS_FOLDER)
    for folder, what in ((stories_dir, "stories"), (templates_dir, "templates")):
        if not folder.is_dir():
            raise ExportError(
                f"{folder}: no {what} folder here - check {what}_dir of the storybook "
                f"plugin in {config_file}"
            )
    plain, copies = _theme_and_hooks(config, root)
    _check_destination(
        out,
        root,
        [docs_dir, stories_dir, templates_dir, workshops_dir, paths_dir, *copies.values()],
    )

    # Only the facilitator edition builds drafts and facilitator material at all.
    facilitator = is_facilitator(chosen)
    result = build_site(
        stories_dir,
        templates_dir,
        include_drafts=facilitator,
        edition=chosen,
        workshops_dir=workshops_dir if workshops_dir.is_dir() else None,
        paths_dir=paths_dir if paths_dir.is_dir() else None,
    )
    generated = {
        f"{DOCS}/{uri}": marked(text, facilitator).encode("utf-8")
        for uri, text in result.pages.items()
    }
    generated.update({f"{DOCS}/assets/{name}": data for name, data in _assets()})
    hand_written = {f"{DOCS}/{rel}": path for rel, path in _tree(docs_dir)}
    problems = result.problems + _collisions(generated, hand_written)
    if problems:
        raise StorybookError(problems)

    files: dict[str, bytes] = {
        rel: _marked_file(rel, path.read_bytes(), facilitator) for rel, path in hand_written.items()
    }
    files.update({rel: path.read_bytes() for rel, path in copies.items()})
    files.update(generated)
    if facilitator and isinstance(plain.get("site_name"), str):
        plain = {**plain, "site_name": FACILITATOR_SITE_NAME.format(site_name=plain["site_name"])}
    files["mkdocs.yml"] = site_config(plain, sorted(result.pages), chosen).encode("utf-8")
    files[NOTE] = export_note(chosen).encode("utf-8")
    written = write_owned_files(
        out, files, written_by=f"storybook export (Leadership Storybook {__version__})"
    )
    return ExportReport(
        out=out,
        edition=chosen,
        stories=len(result.library.published),
        pages=len(result.pages),
        files=written,
    )


def marked(markdown: str, facilitator: bool) -> str:
    """A page of the facilitator edition carries its banner, as the plugin adds it when serving."""
    if not facilitator:
        return markdown
    front, body = _split_front_matter(markdown)
    return front + edition_banner() + body


def _marked_file(rel: str, data: bytes, facilitator: bool) -> bytes:
    if not facilitator or not rel.endswith(".md"):
        return data
    return marked(data.decode("utf-8"), facilitator).encode("utf-8")


def _split_front_matter(markdown: str) -> tuple[str, str]:
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        if end != -1:
            return markdown[: end + 5], markdown[end + 5 :]
    return "", markdown


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    """The storybook plugin's options in mkdocs.yml ({} when it is listed without options)."""
    plugins = config.get("plugins")
    entries: list[Any] = list(plugins.items()) if isinstance(plugins, dict) else []
    if isinstance(plugins, list):
        for entry in plugins:
            if isinstance(entry, dict):
                entries.extend(entry.items())
            else:
                entries.append((entry, None))
    for name, options in entries:
        if name == PLUGIN:
            return dict(options) if isinstance(options, dict) else {}
    return {}


def choose_edition(asked: str | None, options: dict[str, Any]) -> str:
    """--edition if given, else the plugin's ``edition`` option (``!ENV`` resolved), else learner."""
    configured = resolve_env(options.get("edition"))
    edition = asked or (str(configured) if configured else DEFAULT_EDITION)
    if edition not in EDITIONS:
        source = "--edition" if asked else "the storybook plugin's edition option in mkdocs.yml"
        raise ExportError(
            f"{source} asks for the '{edition}' edition, but storybook export can only "
            f"export the {' or the '.join(EDITIONS)} edition"
        )
    return edition


def site_config(config: dict[str, Any], page_uris: list[str], edition: str) -> str:
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
        if not is_facilitator(edition):
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
        f"# Written by `storybook export` (Leadership Storybook {__version__}), {edition} edition.\n"
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


def export_note(edition: str) -> str:
    return f"""# This folder is a storybook export

It was written by `storybook export` ({edition} edition) from a Leadership Storybook. It is a
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


def _folder(config_file: Path, value: Any, default: str) -> Path:
    resolved = resolve_env(value)
    if resolved and not isinstance(resolved, str):
        raise ExportError(
            f"{config_file}: a folder is given as {resolved!r}, which storybook export cannot "
            "follow - write it as a plain path"
        )
    return (config_file.resolve().parent / (resolved or default)).resolve()


def _tree(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every file below ``folder`` as (posix path, path), skipping hidden files as MkDocs does."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        hidden = any(part.startswith(".") or part == "__pycache__" for part in rel.parts)
        if path.is_file() and not hidden:
            yield rel.as_posix(), path


def _assets() -> Iterator[tuple[str, bytes]]:
    """The static files the plugin adds to every site (storybook/assets/*)."""
    folder = resources.files("storybook").joinpath("assets")
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.is_file() and not entry.name.startswith("."):
            yield entry.name, entry.read_bytes()


def _collisions(generated: dict[str, bytes], hand_written: dict[str, Path]) -> list[Problem]:
    return [
        Problem(
            hand_written[rel],
            1,
            "this file has the same address as a page the storybook makes "
            f"({rel.removeprefix(DOCS + '/')})",
            "rename or move it",
        )
        for rel in sorted(generated)
        if rel in hand_written
    ]


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
            copies.update({f"{rel}/{name}": path for name, path in _tree(source)})
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


def _check_destination(out: Path, root: Path, sources: list[Path]) -> None:
    target = out.resolve()
    if target == root or target in root.parents:
        raise ExportError(
            f"{out}: this folder holds the storybook itself - export into a folder of its own, "
            "e.g. storybook export export/"
        )
    for source in sources:
        source = source.resolve()
        if target == source or source in target.parents or target in source.parents:
            raise ExportError(
                f"{out}: this folder overlaps {source}, which the export reads - "
                "export into a folder of its own, e.g. storybook export export/"
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
            **{name: {} for name in REQUIRED_EXTENSIONS if name not in extensions},
        }
    listed = list(extensions or [])
    names = {entry if isinstance(entry, str) else next(iter(entry), "") for entry in listed}
    return listed + [name for name in REQUIRED_EXTENSIONS if name not in names]

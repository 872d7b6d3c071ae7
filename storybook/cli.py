"""The `storybook` command: the same pipeline as the MkDocs plugin, for trainers at a terminal."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

# Only what the commands' declarations need is imported here: each command imports the rest
# when it runs, so `storybook serve` does not pay for export, SCORM, PDF and scaffolding
# before its server even starts (the `mkdocs serve` it starts imports the plugin again).
from storybook import room
from storybook.core.editions import BY_NAME, EDITION_VARIABLE, EDITIONS, LEARNER
from storybook.core.errors import Problem, StorybookError
from storybook.package import FORMATS
from storybook.pdf import PAPER_SIZES

if TYPE_CHECKING:
    from storybook.core.project import Project

STORY_TEMPLATE = "new-story.md.j2"


@click.group()
@click.version_option(package_name="leadership-storybook")
def main() -> None:
    """Leadership Storybook: check and write the stories of a storybook."""


def _folders(func: click.decorators.FC) -> click.decorators.FC:
    """--stories and --templates; unset, the folders mkdocs.yml names (see _story_folders)."""
    func = click.option(
        "--templates",
        "templates_dir",
        default=None,
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder of Jinja templates and tags.yml.  [default: from mkdocs.yml, else templates]",
    )(func)
    return click.option(
        "--stories",
        "stories_dir",
        default=None,
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder of story files.  [default: stories_dir in mkdocs.yml, else stories]",
    )(func)


def _story_folders(
    project: Project | None, stories_dir: Path | None, templates_dir: Path | None
) -> tuple[Path, Path]:
    """The folders given, else those mkdocs.yml names, else stories/ and templates/. The
    stories folder must exist, and a templates folder given with --templates; one left unsaid
    may be missing (the storybook's own templates are used; read_project refuses a missing
    one mkdocs.yml names)."""
    stories = stories_dir or (project.stories_dir if project else Path("stories"))
    templates = templates_dir or (project.templates_dir if project else Path("templates"))
    _require_folder(stories, "stories")
    if templates_dir is not None:
        _require_folder(templates, "templates")
    return stories, templates


def _require_folder(path: Path, what: str) -> None:
    if not path.is_dir():
        _refuse(
            path,
            f"no {what} folder here",
            f"run this in the storybook's folder, or pass --{what} DIR",
        )


CONFIG_FILE = click.option(
    "-f",
    "--config-file",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The storybook's MkDocs configuration.",
)


@main.command()
@_folders
@click.option(
    "--workshops",
    "workshops_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of workshop files.  [default: from mkdocs.yml, else workshops, if there is one]",
)
@click.option(
    "--paths",
    "paths_dir",
    default=None,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of learning paths.  [default: paths, if there is one]",
)
@CONFIG_FILE
def check(
    stories_dir: Path | None,
    templates_dir: Path | None,
    workshops_dir: Path | None,
    paths_dir: Path | None,
    config_file: Path,
) -> None:
    """Check every story, question, template, workshop and learning path, and list every
    problem at once.

    The folders are those the storybook plugin's options in mkdocs.yml name, so that check
    says what `mkdocs build` will say.
    """
    from storybook.core.coverage import coverage_warnings
    from storybook.core.room_pages import RoomSettings
    from storybook.core.site import collisions, files_below
    from storybook.paths.plan import find_paths_dir
    from storybook.sections import build_site
    from storybook.workshops.plan import find_workshops_dir

    project = _project(config_file)
    stories_dir, templates_dir = _story_folders(project, stories_dir, templates_dir)
    if project is not None:
        workshops_dir = workshops_dir or project.workshops_dir
        paths_dir = paths_dir or project.paths_dir
    else:
        workshops_dir = find_workshops_dir(workshops_dir, Path.cwd())
        paths_dir = find_paths_dir(paths_dir, Path.cwd())
    # Both editions, drafts included, so that every template is rendered at least once.
    results = [
        build_site(
            stories_dir,
            templates_dir,
            include_drafts=True,
            edition=edition,
            workshops_dir=workshops_dir,
            paths_dir=paths_dir,
            room=RoomSettings(),
        )
        for edition in BY_NAME.values()
    ]
    problems = list(dict.fromkeys(p for result in results for p in result.problems))
    if project is not None:
        hand_written = dict(files_below(project.docs_dir))
        for result in results:
            problems += [p for p in collisions(result.pages, hand_written) if p not in problems]
    if problems:
        _fail(StorybookError(problems), "")
    result = results[0]
    library = result.library
    drafts = len(library.stories) - len(library.published)
    workshops = len(result.workshops)
    paths = len(result.paths)
    # Gaps in coverage are worth knowing while writing, never a reason to stop a build.
    warnings = coverage_warnings(library.vocabulary, library.stories) if library.vocabulary else []
    for warning in warnings:
        click.echo(f"warning: {warning.format(Path.cwd())}", err=True)
    click.echo(
        f"All good: {_count(len(library.published), 'story', 'stories')}"
        + (f" and {drafts} draft(s)" if drafts else "")
        + (f", {workshops} workshop(s)" if workshops else "")
        + (f", {paths} learning path(s)" if paths else "")
        + f", {len(result.pages)} pages"
        + (f"; {len(warnings)} coverage warning(s) above." if warnings else ".")
    )


def _project(config_file: Path) -> Project | None:
    """The project mkdocs.yml describes; None where there is none (check then uses defaults)."""
    from storybook.core.project import read_project

    if not config_file.is_file():
        return None
    try:
        return read_project(config_file)
    except StorybookError as exc:
        _fail(exc, "")


def _fail(error: StorybookError, what_happened: str) -> NoReturn:
    """Print every problem as file:line: what - how to fix, then stop with exit code 1."""
    click.echo(error.format(Path.cwd()))
    click.echo(f"\n{what_happened}{error.summary()}", err=True)
    raise SystemExit(1)


def _refuse(path: Path, message: str, hint: str, what_happened: str = "") -> NoReturn:
    """Stop on one problem with a file or folder as a whole, printed as every problem is."""
    _fail(StorybookError([Problem(path, 0, message, hint)]), what_happened)


NOTHING_WRITTEN = "Nothing was written: "


@main.command()
@click.argument("title")
@_folders
@CONFIG_FILE
def new(
    title: str, stories_dir: Path | None, templates_dir: Path | None, config_file: Path
) -> None:
    """Create a new draft story called TITLE; never overwrites an existing file.

    It goes into the stories folder mkdocs.yml names, as `mkdocs build` will read it."""
    from storybook.core.library import load_library
    from storybook.core.model import MAX_TITLE
    from storybook.core.placeholders import STORY
    from storybook.core.render import Renderer
    from storybook.core.validate import slugify

    stories_dir, templates_dir = _story_folders(_project(config_file), stories_dir, templates_dir)
    slug = short_slug(slugify(title))
    if not slug:
        _refuse(
            stories_dir,
            f"the title {title!r} has no letter or digit to name its file",
            "give the story a title with at least one letter or digit",
            NOTHING_WRITTEN,
        )
    target = stories_dir / f"{slug}.md"
    if len(title.strip()) > MAX_TITLE:
        _refuse(
            target,
            f"the title is {len(title.strip())} characters long, more than the {MAX_TITLE} "
            "a story's title may have",
            "shorten it",
            NOTHING_WRITTEN,
        )
    if target.exists():
        _already_exists(target)
    library = load_library(stories_dir, templates_dir)
    example_tags = list(library.vocabulary.tags)[:2] if library.vocabulary else []
    try:
        content = Renderer(templates_dir).render_template(
            STORY_TEMPLATE, title=title, tags=example_tags, placeholders=STORY.for_template()
        )
    except StorybookError as exc:
        _fail(exc, NOTHING_WRITTEN)
    try:
        write_new_file(target, content)
    except FileExistsError:
        _already_exists(target)
    except OSError as exc:
        _refuse(
            target,
            f"could not be written ({exc.strerror or exc})",
            "free some space or check that you may write in the stories folder",
            NOTHING_WRITTEN,
        )
    click.echo(f"Created {target} (a draft). Write the story, then run: storybook check")


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
@CONFIG_FILE
@click.option(
    "--edition",
    default=None,
    type=click.Choice(EDITIONS),
    help="The edition to export: learner or facilitator. By default the storybook plugin's "
    "edition option in mkdocs.yml (STORYBOOK_EDITION), else learner.",
)
def export(out: Path, config_file: Path, edition: str | None) -> None:
    """Write the site as a plain source into OUT, buildable without the storybook plugin.

    MkDocs, ProperDocs and Zensical build OUT as it is. Exporting again replaces only the
    files the last export wrote; files you changed or added in OUT are kept.
    """
    from storybook.export.exporter import export_site

    try:
        report = export_site(config_file, out, edition=BY_NAME[edition] if edition else None)
    except StorybookError as exc:
        _fail(exc, "Nothing was exported: ")
    files = report.files
    for warning in files.warnings:
        click.echo(f"warning: {warning}", err=True)
    if files.failed:
        _fail(StorybookError(files.failed), f"The export to {out} is incomplete: ")
    click.echo(
        f"Exported the {report.edition} edition ({report.stories} stories, {report.pages} pages) "
        f"to {out}: {len(files.written)} file(s) written, {len(files.unchanged)} unchanged, "
        f"{len(files.removed)} removed, {len(files.warnings)} warning(s)."
    )
    click.echo(f"Build it with: cd {out} && mkdocs build   (or: zensical build)")


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "package_format",
    type=click.Choice(FORMATS),
    default=FORMATS[0],
    show_default=True,
    help="The SCORM version your LMS takes: scorm12 (SCORM 1.2) or scorm2004 (4th Edition).",
)
@click.option(
    "--path", "path_name", default=None, help="Package one learning path (its file name)."
)
@click.option(
    "--workshop", default=None, help="Package the stories of one workshop (its file name)."
)
@CONFIG_FILE
def package(
    out: Path, package_format: str, path_name: str | None, workshop: str | None, config_file: Path
) -> None:
    """Write the learner edition as a SCORM package (OUT.zip) to upload to an LMS.

    It reports progress only (opened, completed, where to resume, stories seen, time); the
    reader's journal answers never leave the browser.
    """
    from storybook.package.scorm import write_package

    try:
        report = write_package(config_file, out, package_format, path=path_name, workshop=workshop)
    except StorybookError as exc:
        _fail(exc, "No package was written: ")
    selection = report.selection
    click.echo(
        f"Wrote {out}: a {report.format.label} package of the learner edition, "
        f"{report.files} files, {report.size / 1_000_000:.1f} MB. It opens on "
        f"{selection.start.removesuffix('.md')}.html and is complete once the reader has opened "
        f"{_count(len(selection.stories), 'story', 'stories')}."
    )
    click.echo("Upload it to your LMS as a SCORM package; README.txt inside says what it reports.")


@main.group()
def pdf() -> None:
    """Write a workshop's handouts or a story's worksheet as a PDF file, to print.

    The workbook and the worksheet are built as the learner edition builds them, the pack as
    the facilitator edition does, whatever edition mkdocs.yml names."""


PAPER = click.option(
    "--paper",
    type=click.Choice(PAPER_SIZES, case_sensitive=False),
    default=PAPER_SIZES[0],
    show_default=True,
    help="The paper size.",
)
PDF_OUT = click.argument("out", type=click.Path(path_type=Path))


@pdf.command("workbook")
@click.argument("workshop")
@PDF_OUT
@PAPER
@CONFIG_FILE
def pdf_workbook(workshop: str, out: Path, paper: str, config_file: Path) -> None:
    """The participants' workbook of WORKSHOP (its file name in workshops/) into OUT."""
    _write_pdf("workbook", workshop, out, paper, config_file)


@pdf.command("pack")
@click.argument("workshop")
@PDF_OUT
@PAPER
@CONFIG_FILE
def pdf_pack(workshop: str, out: Path, paper: str, config_file: Path) -> None:
    """The facilitator pack of WORKSHOP (its file name in workshops/) into OUT."""
    _write_pdf("pack", workshop, out, paper, config_file)


@pdf.command("story")
@click.argument("story")
@PDF_OUT
@PAPER
@CONFIG_FILE
def pdf_story(story: str, out: Path, paper: str, config_file: Path) -> None:
    """The worksheet of STORY (its file name in stories/) into OUT."""
    _write_pdf("story", story, out, paper, config_file)


NO_PDF = "No PDF was written: "


def _write_pdf(kind: str, name: str, out: Path, paper: str, config_file: Path) -> None:
    from storybook.pdf.handout import HANDOUTS, make_handout

    if not config_file.is_file():
        _refuse(
            config_file,
            "no such file",
            "run this in the storybook's folder, or pass -f FILE",
            NO_PDF,
        )
    try:
        made = make_handout(config_file, kind, name, out, paper=paper)
    except StorybookError as exc:
        _fail(exc, NO_PDF)
    for url in dict.fromkeys(made.written.refused):
        click.echo(f"warning: left out {url}: a PDF is made from local files only", err=True)
    handout = HANDOUTS[kind]
    click.echo(
        f"Wrote {out}: the {handout.what} of {made.title}, "
        f"{_count(made.written.pages, 'page', 'pages')} ({handout.edition.name} edition)."
    )


def _already_exists(target: Path) -> NoReturn:
    _refuse(target, "already exists", "choose another title", "Nothing was changed: ")


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


# File names stay well under every file system's limit; the title itself is kept whole.
MAX_SLUG = 60


def short_slug(slug: str) -> str:
    """A slug of at most MAX_SLUG characters, cut at a hyphen where there is one."""
    if len(slug) <= MAX_SLUG:
        return slug
    cut = slug[:MAX_SLUG]
    return (cut.rsplit("-", 1)[0] if "-" in cut else cut).strip("-")


def write_new_file(target: Path, content: str) -> None:
    """Write ``target`` completely or not at all, and never replace an existing file."""
    from storybook.core.filemode import written_in_place

    with written_in_place(target, replace=False) as stream:
        stream.write(content.encode("utf-8"))


@main.command()
@click.option(
    "--room",
    "room_mode",
    is_flag=True,
    help="Serve both editions side by side: learner on --port, facilitator on --facilitator-port.",
)
@click.option(
    "--edition",
    type=click.Choice(EDITIONS),
    envvar=EDITION_VARIABLE,
    default=LEARNER,
    show_default=True,
    help=f"Without --room, the edition to serve (or set {EDITION_VARIABLE}).",
)
@click.option(
    "--host",
    default=room.LOCAL,
    show_default=True,
    help="Address of the learner edition. The facilitator edition is only served on 127.0.0.1.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--facilitator-port", default=8001, show_default=True, type=click.IntRange(1, 65535))
@CONFIG_FILE
def serve(
    room_mode: bool,
    edition: str,
    host: str,
    port: int,
    facilitator_port: int,
    config_file: Path,
) -> None:
    """Serve the storybook, reloading after every edit; --room serves both editions."""
    if not config_file.is_file():
        _refuse(
            config_file,
            "no such file",
            "run this in the storybook's folder, or pass -f FILE",
            "The storybook was not served: ",
        )
    try:
        servers = (
            room.room_servers(host, port, facilitator_port)
            if room_mode
            else room.single_server(BY_NAME[edition], host, port)
        )
        room.check_config_follows_edition(config_file)
        room.check_ports_free(servers)
    except StorybookError as exc:
        _fail(exc, "The room did not start: ")
    raise SystemExit(room.run(servers, config_file, click.echo))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--sample",
    is_flag=True,
    help="Start from the storybook's sample library (stories, workshops and a learning path) "
    "instead of one example story.",
)
@click.option(
    "--name",
    "site_name",
    default=None,
    help="The site's name.  [default: made from FOLDER's name]",
)
def init(folder: Path, sample: bool, site_name: str | None) -> None:
    """Start a new storybook in FOLDER, which must be new or empty; never overwrites a file.

    The templates and tags come with the package, so a newer package brings its
    improvements; `storybook templates` copies one into the storybook to change it."""
    from storybook.scaffold import project as scaffold

    try:
        written = scaffold.init_storybook(folder, sample=sample, site_name=site_name)
    except scaffold.IncompleteStorybook as exc:
        _fail(exc, f"The storybook in {folder} is incomplete: ")
    except StorybookError as exc:
        _fail(exc, NOTHING_WRITTEN)
    click.echo(f"Created a storybook in {folder}: {_count(len(written), 'file', 'files')}.")
    click.echo(
        f"Next: cd {shlex.quote(str(folder))} && storybook check && mkdocs serve   (then see its README.md)"
    )


@main.command()
@click.option(
    "--copy",
    "names",
    multiple=True,
    metavar="NAME",
    help="Copy the storybook's template NAME into the templates folder, to change it there "
    "(never replaces a file). May be given more than once.",
)
@CONFIG_FILE
def templates(names: tuple[str, ...], config_file: Path) -> None:
    """List the storybook's templates and which ones this storybook overrides; --copy starts
    an override.

    A file in the templates folder replaces the storybook's own of the same name; every
    other template comes from the package, and a newer package brings its improvements."""
    from storybook.scaffold import templates as own_templates

    project = _project(config_file)
    templates_dir = project.templates_dir if project else Path("templates")
    if names:
        _copy_templates(names, templates_dir)
        return
    found = own_templates.list_templates(templates_dir)
    where = _shown(templates_dir)
    click.echo(f"The storybook's templates; a file of the same name in {where}/ replaces one.")
    width = max(len(template.name) for template in found.defaults)
    for template in found.defaults:
        mark = f"  [yours: {_shown(template.own)}]" if template.own else ""
        click.echo(f"  {template.name:<{width}}  {template.about}{mark}".rstrip())
    for other in found.others:
        click.echo(
            f"{_shown(other)}: not one of the storybook's templates; it is used only if one "
            "of your templates includes it"
        )
    click.echo(
        f"{len(found.overridden)} of {len(found.defaults)} overridden. "
        "To change one: storybook templates --copy NAME"
    )


def _copy_templates(names: tuple[str, ...], templates_dir: Path) -> None:
    from storybook.scaffold import templates as own_templates

    problems: list[Problem] = []
    for name in dict.fromkeys(names):
        try:
            copied = own_templates.copy_default(name, templates_dir)
        except StorybookError as exc:
            problems += exc.problems
        else:
            click.echo(f"Copied {name} to {_shown(copied)}: edit it there. Delete it to go back.")
    if problems:
        _fail(StorybookError(problems), "")


def _shown(path: Path | None) -> str:
    """A path relative to the folder the command runs in, where it is below it."""
    if path is None:
        return ""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()

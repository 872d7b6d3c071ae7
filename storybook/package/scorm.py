"""`storybook package OUT.zip --format scorm12|scorm2004`: the learner edition as one SCO.

The zip holds the offline copy of the learner edition as `STORYBOOK_OFFLINE=true mkdocs build`
makes it, plus:

- ``storybook-scorm.html``, the page the LMS launches: the site in a frame, and
- ``assets/storybook-scorm.js`` (storybook/package/storybook-scorm.js) with ``assets/storybook-scorm-package.js``
  (this package's stories and first page), which report progress and nothing else,
- ``README.txt``, what the package tells the LMS and what it never tells,
- ``imsmanifest.xml`` and the schemas it names.
"""

from __future__ import annotations

import html
import json
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from storybook.core.csp import policy
from storybook.core.editions import LEARNER_EDITION
from storybook.core.errors import Problem, StorybookError
from storybook.core.filemode import written_in_place
from storybook.core.project import Project, read_project
from storybook.core.published import inside_published_folder
from storybook.core.siteconfig import read_config, resolve_env
from storybook.package.build import build_offline_learner
from storybook.package.manifest import (
    BY_NAME,
    MANIFEST,
    Format,
    identifier,
    manifest_xml,
    schema_files,
)
from storybook.package.selection import Selection, choose
from storybook.sections import build_site

LAUNCH = "storybook-scorm.html"
SCRIPT = "assets/storybook-scorm.js"
# The script itself, beside this module: it belongs to packages only, not to every site.
SCRIPT_SOURCE = "storybook-scorm.js"
SETTINGS = "assets/storybook-scorm-package.js"
README = "README.txt"
# Every entry of the zip carries this date: the same sources make the same bytes.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class PackageReport:
    out: Path
    format: Format
    selection: Selection
    files: int
    size: int


def write_package(
    config_file: Path,
    out: Path,
    package_format: str,
    *,
    path: str | None = None,
    workshop: str | None = None,
) -> PackageReport:
    """Write the SCORM package of ``config_file``'s storybook to ``out`` (a .zip), all or
    nothing: every problem is raised as a StorybookError before anything is written."""
    chosen_format = BY_NAME[package_format]
    project = read_project(config_file)
    _check_out(out, project)
    result = build_site(
        project.stories_dir,
        project.templates_dir,
        edition=LEARNER_EDITION,
        workshops_dir=project.workshops_dir,
        paths_dir=project.paths_dir,
    )
    if result.problems:
        raise StorybookError(result.problems)
    site_name = LEARNER_EDITION.site_name(_site_name(config_file))
    selection = choose(
        result,
        site_name,
        path=path,
        workshop=workshop,
        config_file=config_file,
        paths_dir=project.paths_dir,
        workshops_dir=project.workshops_dir,
    )
    language = _language(config_file)
    with tempfile.TemporaryDirectory(prefix="storybook-package-") as temporary:
        site = Path(temporary) / "site"
        build_offline_learner(config_file, site)
        files = _package_files(site, selection, chosen_format, language)
        count = _write_zip(out, files)
    return PackageReport(out, chosen_format, selection, count, out.stat().st_size)


def page_address(src_uri: str) -> str:
    """Where a page of the offline copy is: index.md -> index.html (no directory URLs)."""
    return src_uri.removesuffix(".md") + ".html"


def _package_files(
    site: Path, selection: Selection, package_format: Format, language: str
) -> dict[str, bytes]:
    files = {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }
    start = page_address(selection.start)
    stories = [page_address(uri) for uri in selection.stories]
    missing = [page for page in [start, *stories] if page not in files]
    if missing:  # the pipeline said these pages exist: a bug, not a trainer's mistake
        raise RuntimeError(f"the offline build has no {', '.join(missing)}")
    settings = {
        "format": package_format.name,
        "key": selection.key,
        "start": start,
        "stories": stories,
    }
    files[SETTINGS] = (
        "// This package's stories and first page, for storybook-scorm.js.\n"
        f"window.storybookScormPackage = {json.dumps(settings, indent=1)};\n"
    ).encode()
    files[SCRIPT] = resources.files("storybook.package").joinpath(SCRIPT_SOURCE).read_bytes()
    files[LAUNCH] = launch_page(selection.title, start, language).encode("utf-8")
    files[README] = readme(selection, package_format, len(stories)).encode("utf-8")
    listed = sorted(files)
    for name, data in schema_files(package_format):
        files[name] = data
    files[MANIFEST] = manifest_xml(
        package_format,
        identifier=identifier(selection.title, selection.kind, selection.name),
        title=selection.title,
        launch=LAUNCH,
        files=listed,
    ).encode("utf-8")
    return files


def launch_page(title: str, start: str, language: str) -> str:
    """The page the LMS opens: the site in a frame as large as the window, under the site's
    Content-Security-Policy (its scripts are files of the package)."""
    return f"""<!doctype html>
<html lang="{html.escape(language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(policy())}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{html.escape(title)}</title>
<style>
html, body {{ margin: 0; height: 100%; overflow: hidden; }}
#storybook-scorm-frame {{ display: block; border: 0; width: 100%; height: 100%; }}
</style>
</head>
<body>
<iframe id="storybook-scorm-frame" title="{html.escape(title)}"></iframe>
<noscript><p><a href="{html.escape(start)}">Open {html.escape(title)}</a></p></noscript>
<script src="{SETTINGS}"></script>
<script src="{SCRIPT}"></script>
</body>
</html>
"""


def readme(selection: Selection, package_format: Format, stories: int) -> str:
    counted = {
        "library": "every story of the storybook",
        "path": f"every story of the learning path '{selection.title}'",
        "workshop": f"every story of the workshop '{selection.title}'",
    }[selection.kind]
    return f"""{selection.title}: a {package_format.label} package of the Leadership Storybook

Upload this zip file to your learning management system as a {package_format.label}
package (one SCO). It opens on {page_address(selection.start)}.

What the LMS learns: only progress. "incomplete" when the course is opened, "completed"
once the reader has opened {counted} ({stories}), the page to resume at, which of those
stories were opened (one bit each, in the suspend data), and how long each visit took.

What the LMS never learns: the reader's answers to the reflection questions. They are kept
in the reader's own browser (its localStorage) and are never in any call to the LMS; "Export
my reflections" on each page downloads them for the reader alone.

Without an LMS, open index.html: the package is then the storybook's offline copy, with its
search, and nothing is sent anywhere.
"""


def _write_zip(out: Path, files: dict[str, bytes]) -> int:
    """Write the zip beside ``out`` under another name, then rename it: all or nothing."""
    with (
        written_in_place(out, suffix=".zip") as stream,
        zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        # The manifest first: some LMSs look for it there.
        for name in sorted(files, key=lambda n: (n != MANIFEST, n)):
            entry = zipfile.ZipInfo(name, ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, files[name])
    return len(files)


def _check_out(out: Path, project: Project) -> None:
    """OUT is a new .zip in an existing folder that MkDocs does not publish, or a package this
    command wrote before."""
    problems = []
    if out.suffix.lower() != ".zip":
        problems.append(
            Problem(out, 0, "a package is a .zip file", f"name it {out.with_suffix('.zip').name}")
        )
    if not out.parent.is_dir():
        problems.append(
            Problem(out.parent, 0, "no such folder", "create it, or write the package elsewhere")
        )
    elif out.exists() and not _is_our_package(out):
        problems.append(
            Problem(
                out,
                0,
                "already exists and is not a package this command wrote",
                "choose another name, or move that file away",
            )
        )
    published = inside_published_folder(out, project, "package")
    if published is not None:
        problems.append(published)
    if problems:
        raise StorybookError(problems)


def _is_our_package(out: Path) -> bool:
    if not out.is_file():
        return False
    try:
        with zipfile.ZipFile(out) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    return {MANIFEST, LAUNCH, SETTINGS} <= names


def _site_name(config_file: Path) -> str:
    name = resolve_env(read_config(config_file).get("site_name"))
    return name if isinstance(name, str) and name.strip() else "Leadership Storybook"


def _language(config_file: Path) -> str:
    theme = read_config(config_file).get("theme")
    language = resolve_env(theme.get("language")) if isinstance(theme, dict) else None
    return language if isinstance(language, str) and language else "en"

"""A page of the storybook as a PDF: its Markdown converted as MkDocs converts it, cleaned
as the plugin cleans it, laid out by WeasyPrint with the site's stylesheets (print.css among
them) and a page box with the running title and page numbers.

WeasyPrint needs Pango, a system library; it is imported only here, when a PDF is made, so
that a machine without Pango still builds and serves the site. Nothing outside the project
is ever fetched while rendering: see :func:`local_only_fetcher`.
"""

from __future__ import annotations

import importlib
import logging
import mimetypes
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown
from mkdocs.utils.meta import get_data

from storybook import __version__
from storybook.core.errors import Problem, StorybookError
from storybook.core.filemode import written_in_place
from storybook.core.project import Project, line_of
from storybook.core.published import inside_published_folder
from storybook.core.safety import MARKDOWN_EXTENSIONS, clean
from storybook.core.site import STYLESHEETS, asset_bytes
from storybook.core.siteconfig import Tagged, resolve_env
from storybook.pdf.pages import PrintPage

# Written into every PDF's Creator field: a PDF with it may be replaced by the next one.
CREATOR = "Leadership Storybook"
# MkDocs adds these to every site's extensions; the plugin adds MARKDOWN_EXTENSIONS.
MKDOCS_EXTENSIONS = ("toc", "tables", "fenced_code")
# A file named as the PDF to write that is bigger than this is not a handout of ours.
MAX_REPLACED_BYTES = 200_000_000
_HREF = re.compile(r'(<a\b[^>]*?)\shref="([^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


@dataclass
class Written:
    """What was written: the file, its pages, and every outside address left out."""

    path: Path
    pages: int
    refused: list[str] = field(default_factory=list)


def write_pdf(project: Project, page: PrintPage, out: Path, *, paper: str = "A4") -> Written:
    """Write ``page`` as a PDF into ``out``, replacing only a PDF this command wrote."""
    check_destination(out)
    published = inside_published_folder(out, project, "PDF")
    if published is not None:
        raise StorybookError([published])
    html = page_html(page, extensions(project))
    weasyprint = _weasyprint()
    fetcher = local_only_fetcher([project.root, _package_folder()])
    document = weasyprint.HTML(
        string=html, base_url=_base_url(project, page), url_fetcher=fetcher
    ).render(stylesheets=[weasyprint.CSS(string=css) for css in stylesheets(page, paper)])
    try:
        with written_in_place(out, suffix=".pdf") as stream:
            document.write_pdf(stream)
    except OSError as exc:
        raise StorybookError(
            [Problem(out, 0, f"could not be written ({exc.strerror or exc})", _FREE_SPACE)]
        ) from None
    return Written(out, len(document.pages), fetcher.refused)


_FREE_SPACE = "free some space, or check that you may write in that folder"


def check_destination(out: Path) -> None:
    """OUT must be a .pdf file in a folder that exists, and never a file a trainer wrote."""
    if out.suffix.lower() != ".pdf":
        raise StorybookError(
            [Problem(out, 0, "is not a PDF file's name", f"name it {out.stem or 'handout'}.pdf")]
        )
    if not out.parent.is_dir():
        raise StorybookError(
            [
                Problem(
                    out.parent, 0, "no such folder", "create it first, or write the PDF elsewhere"
                )
            ]
        )
    if out.is_dir() or (out.exists() and not written_by_storybook(out)):
        raise StorybookError(
            [
                Problem(
                    out,
                    0,
                    "already exists and was not written by storybook pdf, so it is kept",
                    "choose another file name, or move that file away first",
                )
            ]
        )


def written_by_storybook(path: Path) -> bool:
    """Whether ``path`` is a PDF that `storybook pdf` wrote (its Creator says so)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs what it finds wrong in a file; the trainer's own file is no concern of it.
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)
    try:
        if path.stat().st_size > MAX_REPLACED_BYTES:
            return False
        metadata = PdfReader(path).metadata
    except (OSError, PyPdfError, ValueError):
        return False
    finally:
        pypdf_log.setLevel(level)
    creator = metadata.creator if metadata is not None else None
    return isinstance(creator, str) and creator.startswith(CREATOR)


def page_html(page: PrintPage, converted_with: tuple[list[str], dict[str, dict[str, Any]]]) -> str:
    """The page as a whole HTML document: converted, cleaned, without links into the site."""
    body, meta = get_data(page.markdown)
    names, configs = converted_with
    converter = markdown.Markdown(extensions=names, extension_configs=configs)
    content = without_site_links(clean(converter.convert(body)))
    title = str(meta.get("title") or page.running_title)
    # no-js: print.css then leaves room to write under each question, as in a browser
    # that runs no script. The classes are the theme's, which the stylesheets address.
    return (
        '<!DOCTYPE html>\n<html lang="en" class="no-js">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n"
        f'<meta name="generator" content="{CREATOR} {__version__}">\n'
        "</head>\n<body>\n"
        '<div class="md-content"><article class="md-content__inner md-typeset">\n'
        f"{content}\n</article></div>\n</body>\n</html>\n"
    )


def without_site_links(html: str) -> str:
    """Links to other pages of the site lead nowhere on paper or in a PDF: their text stays,
    the link goes. Links within the page and to the web stay."""

    def keep_or_drop(match: re.Match[str]) -> str:
        href = match.group(2)
        if href.startswith("#") or _SCHEME.match(href):
            return match.group(0)
        return match.group(1)

    return _HREF.sub(keep_or_drop, html)


def extensions(project: Project) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The Markdown extensions MkDocs would convert the page with, and their settings: its
    own, the plugin's, and those mkdocs.yml lists."""
    names: list[str] = [*MKDOCS_EXTENSIONS, *MARKDOWN_EXTENSIONS]
    configs: dict[str, dict[str, Any]] = {}
    try:
        for entry in _listed(project.config.get("markdown_extensions")):
            name, settings = (entry, None) if isinstance(entry, str) else _named(entry)
            if name and name not in names:
                names.append(name)
            if name and isinstance(settings, dict):
                configs[name] = resolved(settings)
        markdown.Markdown(extensions=names, extension_configs=configs)
    except Exception as exc:
        raise StorybookError(
            [
                Problem(
                    project.config_file,
                    line_of(project.config_file, "markdown_extensions"),
                    f"a Markdown extension could not be loaded ({type(exc).__name__}: {exc})",
                    "check the names under markdown_extensions; `mkdocs build` says the same",
                )
            ]
        ) from None
    return names, configs


def resolved(value: Any) -> Any:
    """Settings as MkDocs loads them: ``!ENV`` read, ``!!python/name:a.b`` imported."""
    if isinstance(value, Tagged) and value.tag.startswith(_PYTHON_NAME):
        module, _, attribute = value.tag.removeprefix(_PYTHON_NAME).rpartition(".")
        return getattr(importlib.import_module(module), attribute)
    if isinstance(value, dict):
        return {key: resolved(item) for key, item in value.items()}
    if isinstance(value, list):
        return [resolved(item) for item in value]
    return resolve_env(value)


_PYTHON_NAME = "tag:yaml.org,2002:python/name:"


def _listed(value: object) -> Iterable[object]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [{name: settings} for name, settings in value.items()]
    return []


def _named(entry: object) -> tuple[str, object]:
    if isinstance(entry, dict) and len(entry) == 1:
        ((name, settings),) = entry.items()
        return str(name), settings
    return "", None


def stylesheets(page: PrintPage, paper: str) -> list[str]:
    """The site's stylesheets, as every page of it has them, then the printed page's own."""
    site = [asset_bytes(path).decode("utf-8") for path in STYLESHEETS]
    own = resources.files("storybook.pdf").joinpath("pdf.css").read_text(encoding="utf-8")
    running = (
        f"@page {{ size: {paper}; @top-center {{ content: {css_string(page.running_title)}; "
        "font-size: 8.5pt; color: #555; } }"
    )
    return [*site, own, running]


def css_string(text: str) -> str:
    """``text`` as a CSS string: anything but letters, digits and spaces is escaped, so no
    title can end the string or the rule."""
    escaped = "".join(
        char if char.isascii() and (char.isalnum() or char == " ") else f"\\{ord(char):x} "
        for char in " ".join(text.split())
    )
    return f'"{escaped}"'


def _base_url(project: Project, page: PrintPage) -> str:
    """The folder of docs/ the page is generated in: MkDocs finds a picture a page names
    relative to the page's Markdown file, and so does the PDF."""
    folder = project.docs_dir / PurePosixPath(page.uri).parent
    return folder.resolve().as_uri() + "/"


def _package_folder() -> Path:
    return Path(str(resources.files("storybook")))


def local_only_fetcher(roots: Sequence[Path]) -> Any:
    """WeasyPrint's fetcher for the files of the project (and the storybook's own), and
    nothing else: no web address, no other machine, no file outside them. What it refuses is
    left out of the PDF and listed in its ``refused``."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

    allowed = [root.resolve() for root in roots]

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        refused: list[str]

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = local_file(url, allowed)
            if path is None:
                self.refused.append(url)
                raise ValueError(f"not fetched: {url} (a PDF is made from local files only)")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    fetcher = LocalOnly(allowed_protocols=("file",))
    fetcher.refused = []
    return fetcher


def local_file(url: str, roots: Sequence[Path]) -> Path | None:
    """The file a ``file:`` URL names on this machine, if it is a file below one of
    ``roots``; None for anything else (another scheme, another host, outside the roots)."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    if not path.is_file() or not any(path.is_relative_to(root) for root in roots):
        return None
    return path


def _weasyprint() -> Any:
    """WeasyPrint, or a problem saying how to install what it needs."""
    try:
        import weasyprint  # type: ignore[import-untyped]
    except OSError as exc:  # Pango missing: WeasyPrint loads it when imported
        raise StorybookError(
            [
                Problem(
                    Path("storybook pdf"),
                    0,
                    f"WeasyPrint, which writes the PDF, needs the Pango library ({exc})",
                    "install it: on Debian or Ubuntu `sudo apt-get install libpango-1.0-0 "
                    "libpangoft2-1.0-0`, on macOS `brew install pango`",
                )
            ]
        ) from None
    return weasyprint

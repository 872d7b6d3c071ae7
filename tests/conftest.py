"""Shared fixtures: a copy of the sample storybook, small hand-made libraries, real builds."""

from __future__ import annotations

import base64
import gzip
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, settings

from storybook.core.defaults import DEFAULT_TEMPLATES

if TYPE_CHECKING:
    from storybook.core.cache import StoryCache

# Keep MkDocs 2 and Material end-of-life banners out of test output and subprocesses.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

# A shell starts a background job (a CI script's, say) with Ctrl-C ignored, and every
# `mkdocs serve` a test starts would inherit that: stopping each with Ctrl-C then waited 20 s
# and killed it. A handled signal is reset to the default on exec.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
# One of Pagefind's files as the offline build packs it (storybook/plugin/search.py).
PACKED_FILE = re.compile(rb'__storybookPagefindFile\("[^"]+","(?P<payload>[A-Za-z0-9+/=]*)"\);\n')

MINI_MKDOCS_YML = """\
site_name: Test storybook
docs_dir: docs
theme:
  name: material
plugins:
  - search
  - storybook
nav:
  - Home: index.md
  - Themes: tags/index.md
  - Writing a story: authoring.md
"""


def story_text(
    title: str = "A test story",
    tags: str = "[wellbeing]",
    reflection: str = '\n  - "What did {{ story.protagonist }} notice?"',
    body: str = "The story body.",
    extra: str = "",
) -> str:
    return (
        f'---\ntitle: "{title}"\nsummary: "A short summary."\nprotagonist: "Sam"\n'
        f"tags: {tags}\nreflection:{reflection}\n{extra}---\n{body}\n"
    )


def own_template(project: Path, name: str) -> Path:
    """The project's own copy of template (or tags.yml) ``name``, made from the storybook's
    default if the project has none yet: what a trainer does to change one."""
    own = project / "templates" / name
    if not own.exists():
        own.parent.mkdir(exist_ok=True)
        shutil.copyfile(DEFAULT_TEMPLATES / name, own)
    return own


def copy_sample(project: Path) -> Path:
    """Copy the repository's own storybook: stories, templates, workshops, paths, docs, overrides
    and mkdocs.yml."""
    project.mkdir()
    for name in ("stories", "templates", "workshops", "paths", "docs", "overrides"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A copy of the repository's own storybook (stories, templates, docs, overrides, mkdocs.yml)."""
    return copy_sample(tmp_path / "project")


def make_mini(project: Path, stories: dict[str, str] | None = None) -> Path:
    """A storybook in `project` with the repository's templates folder (which overrides
    none of the defaults) and the given stories: {file name: text}."""
    project.mkdir()
    shutil.copytree(ROOT / "templates", project / "templates")
    (project / "stories").mkdir()
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text(MINI_MKDOCS_YML, encoding="utf-8")
    for name, text in (stories if stories is not None else {"one.md": story_text()}).items():
        (project / "stories" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return project


@pytest.fixture
def mini_project(tmp_path: Path) -> Callable[..., Path]:
    """A storybook with the real templates and the given stories: {file name: text}."""

    def make(stories: dict[str, str] | None = None) -> Path:
        return make_mini(tmp_path / "mini", stories)

    return make


# Three stories whose tags relate none of them to another (tests of the caches).
THREE_TAGS = {"a": "[wellbeing]", "b": "[feedback]", "c": "[coaching]"}


@pytest.fixture
def three(mini_project: Callable[..., Path]) -> Path:
    """A storybook of the three stories a, b and c of THREE_TAGS."""
    return mini_project(
        {f"{name}.md": story_text(title=name, tags=THREE_TAGS[name]) for name in THREE_TAGS}
    )


def cached_build(project: Path, cache: StoryCache, **settings: object) -> dict[str, str]:
    """The pages a build through ``cache`` makes of ``project``; it must find no problem."""
    from storybook.sections import build_site

    result = build_site(
        project / "stories",
        project / "templates",
        cache=cache.prepare(project / "templates", settings),
    )
    assert result.problems == []
    return result.pages


def uncached_build(project: Path) -> dict[str, str]:
    """The pages a build without a cache makes of ``project``; it must find no problem."""
    from storybook.sections import build_site

    result = build_site(project / "stories", project / "templates")
    assert result.problems == []
    return result.pages


def property_settings(*, default: int = 300, times: int = 1) -> settings:
    """Hypothesis' settings for a property test: ``times`` the examples PROPERTY_EXAMPLES
    asks for (``default`` without it), however long each takes."""
    return settings(
        max_examples=int(os.environ.get("PROPERTY_EXAMPLES", str(default))) * times,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


def calls_made(function: Callable[..., object], *args: object) -> int:
    """How many functions (Python's and C's) ``function(*args)`` calls: a count that says
    whether work grows with its input, the same on a busy machine (no timing)."""
    calls = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(profile)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return calls


def run_mkdocs(
    project: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build ...` in its own process, as a trainer runs it."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def build(project: Path, **overrides: Any) -> Path:
    """Build a real site with MkDocs' own build command; returns the site folder."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    site = project.parent / f"{project.name}-site"
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), **overrides)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    # Either edition is built where it is told (see test_site_folder.py).
    return Path(config.site_dir)


class _Keeping(logging.Handler):
    """A log handler that keeps every record in a list."""

    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__()
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def build_error(project: Path) -> str:
    """Build a site that must fail; returns what MkDocs logged as the error."""
    from mkdocs.exceptions import Abort

    records: list[logging.LogRecord] = []
    handler = _Keeping(records)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        with pytest.raises(Abort) as stopped:
            build(project)
    finally:
        logger.removeHandler(handler)
    logged = [r.getMessage() for r in records if r.levelno >= logging.ERROR]
    # MkDocs logs the error, then raises Abort from inside its handler: the error is also the
    # Abort's context, whatever an earlier test did to the loggers.
    cause = stopped.value.__context__
    if cause is not None and str(cause) not in logged:
        logged.append(str(cause))
    return "\n".join(logged)


def search_index(site: Path) -> list[dict[str, Any]]:
    """The documents of the site's search index as Material's search_index.json lists them
    (location, title, text). A site that Pagefind searches has no such file (nothing would
    read it): its pages are read from Pagefind's index instead, one document a page."""
    material = site / "search" / "search_index.json"
    if not material.exists() and (site / "pagefind").is_dir():
        return pagefind_documents(site / "pagefind")
    data = json.loads(material.read_text(encoding="utf-8"))
    docs: list[dict[str, Any]] = data["docs"]
    return docs


def pagefind_documents(index: Path) -> list[dict[str, Any]]:
    """Each page in a Pagefind index (its fragments: gzip, a signature, then JSON)."""
    docs = []
    for fragment in sorted((index / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        page = json.loads(data[data.index(b"{") :])
        docs.append(
            {
                "location": page["url"].lstrip("/"),
                "title": page["meta"].get("title", ""),
                "text": page["content"],
                "anchors": [anchor["id"] for anchor in page.get("anchors", [])],
            }
        )
    return docs


# The storybook's own: a build keeps the templates' compiled code there (core/compiled.py).
COMPILED_TEMPLATES = (".cache", "storybook", "templates")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` but the compiled templates a build keeps for the next."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.relative_to(folder).parts[:3] != COMPILED_TEMPLATES
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def build_edition(project: Path, edition: str, **overrides: Any) -> Path:
    """Build one edition, as `STORYBOOK_EDITION=<edition> mkdocs build` does; returns its site."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if "STORYBOOK_EDITION" not in text:
        text = text.replace(
            "  - storybook\n", "  - storybook:\n      edition: !ENV [STORYBOOK_EDITION, learner]\n"
        )
        config.write_text(text, encoding="utf-8")
    before = os.environ.get("STORYBOOK_EDITION")
    os.environ["STORYBOOK_EDITION"] = edition
    try:
        site = build(project, **overrides)
    finally:
        if before is None:
            del os.environ["STORYBOOK_EDITION"]
        else:
            os.environ["STORYBOOK_EDITION"] = before
    target = project.parent / f"{project.name}-{edition}"
    shutil.rmtree(target, ignore_errors=True)
    return site.rename(target)


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Path]]:
    """built_sample(edition="learner", offline=False): the site of the repository's own
    storybook, built strict once per test session for every test that only reads it.

    A test that changes the sources or the site builds its own from `sample_project`; one that
    patches the storybook gets its shared site before it patches. The project a site was
    built from is `sample_source(site)`; both are checked at the end of the session to be
    as they were built.
    """
    sites: dict[tuple[str, bool], Path] = {}
    built: dict[Path, dict[str, bytes]] = {}

    def get(edition: str = "learner", offline: bool = False) -> Path:
        key = (edition, offline)
        if key not in sites:
            folder = tmp_path_factory.mktemp(f"sample-{edition}{'-offline' if offline else ''}")
            project = copy_sample(folder / "project")
            settings = {"STORYBOOK_OFFLINE": "true"} if offline else {}
            with mock.patch.dict(os.environ, settings):
                site = build_edition(project, edition, strict=True)
            sites[key] = site
            built[site] = snapshot(site.parent)
        return sites[key]

    yield get
    for site, files in built.items():
        assert changed_files(files, snapshot(site.parent)) == [], f"a test changed {site.parent}"


def changed_files(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


def sample_source(site: Path) -> Path:
    """The copy of the sample storybook that `built_sample` built `site` from."""
    return site.parent / "project"


def site_bytes(site: Path) -> dict[str, bytes]:
    """Every file a build wrote, compressed ones (sitemap.xml.gz, Pagefind's index files)
    also decompressed."""
    import gzip

    files = snapshot(site)
    for name, data in list(files.items()):
        packed = PACKED_FILE.fullmatch(data)
        if packed:  # an offline build's Pagefind file, packed into a script
            data = files[name + " (unpacked)"] = base64.b64decode(packed["payload"])
            name += " (unpacked)"
        if data[:2] == b"\x1f\x8b":  # gzip, whatever the file is called
            files[name + " (decompressed)"] = gzip.decompress(data)
    return files

"""The package as another company gets it: a wheel, installed into a fresh virtual environment
outside the repository, starts a storybook that checks, builds strict in both editions and
serves, reading nothing of this repository.

One wheel and one environment for the whole session: installing the dependencies is most of
the cost. pip fetches them once as `make install` does, into a wheelhouse kept between runs
(as pip's own cache is) that later runs install from without the network.
"""

from __future__ import annotations

import email.parser
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT, free_port

# Generous: a fresh environment downloads MkDocs, Material and Pagefind on a shared machine.
INSTALL_SECONDS = 900
COMMAND_SECONDS = 300
# The dependencies' wheels, kept between runs as pip keeps its cache: a fresh environment then
# installs in seconds, without the network.
WHEELHOUSE = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "leadership-storybook"
    / "test-wheelhouse"
)
# What a source checkout holds at its top that the wheel is not built from.
NOT_SOURCE = frozenset(
    {
        ".git",
        ".venv",
        "build",
        "dist",
        "site",
        "site-facilitator",
        "site-offline",
        "export",
        "tests",
    }
)
# ... and anywhere: caches and what an earlier build left.
LEFTOVERS = shutil.ignore_patterns("__pycache__", "*.egg-info", ".*_cache", ".hypothesis")


def not_source(folder: str, names: list[str]) -> set[str]:
    ignored = set(LEFTOVERS(folder, names))
    if Path(folder) == ROOT:
        ignored |= NOT_SOURCE & set(names)
    return ignored


@dataclass(frozen=True)
class Installed:
    wheel: Path
    bin: Path

    def run(self, cwd: Path, *command: str, **env: str) -> subprocess.CompletedProcess[str]:
        """A command of the environment, run as a trainer runs it there; must succeed."""
        program, *args = command
        result = subprocess.run(
            [str(self.bin / program), *args],
            cwd=cwd,
            env=clean_env(self.bin, **env),
            capture_output=True,
            text=True,
            timeout=COMMAND_SECONDS,
        )
        assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
        return result


def clean_env(bin_dir: Path, **extra: str) -> dict[str, str]:
    """This process's environment without anything that could lead Python to the repository."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
    }
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(bin_dir.parent)
    env.update(NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", **extra)
    return env


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built as `pip wheel .` builds it, from a copy of the sources, so that no build
    folder is left in (or reused from) the repository."""
    work = tmp_path_factory.mktemp("wheel")
    # Links kept as links: the sample library is linked into the package as in a checkout.
    shutil.copytree(ROOT, work / "source", symlinks=True, ignore=not_source)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work / "dist"), "."],
        cwd=work / "source",
        check=True,
        timeout=INSTALL_SECONDS,
    )
    (built,) = (work / "dist").glob("leadership_storybook-*.whl")
    return built


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The wheel and its dependencies in a new environment that cannot see the repository."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    # No pip of its own: this session's pip installs into it (--python), which saves
    # bootstrapping one; the environment still sees only what is installed into it.
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)],
        check=True,
        timeout=COMMAND_SECONDS,
    )
    environment = Installed(wheel, venv / "bin")
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    offline = [*pip, "install", "-q", "--no-index", "--find-links", str(WHEELHOUSE), str(wheel)]
    env = clean_env(venv / "bin")
    if subprocess.run(offline, env=env, capture_output=True, timeout=INSTALL_SECONDS).returncode:
        # The first run, or the dependencies changed: fetch them as `make install` does.
        fetch_dependencies = [*pip, "download", "-q", "-d", str(WHEELHOUSE), str(wheel)]
        subprocess.run(fetch_dependencies, env=env, check=True, timeout=INSTALL_SECONDS)
        (WHEELHOUSE / wheel.name).unlink(missing_ok=True)
        subprocess.run(offline, env=env, check=True, timeout=INSTALL_SECONDS)
    return environment


def metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))


def test_the_wheel_says_what_it_is(wheel: Path) -> None:
    found = metadata(wheel)
    assert found["Name"] == "leadership-storybook"
    assert found["Version"]
    assert "front-line managers" in found["Summary"]
    assert found["License-Expression"] == "MIT"
    assert found["License-File"] == "LICENSE"
    assert found["Requires-Python"] == ">=3.10"
    assert found["Author"]
    urls = dict(url.split(", ", 1) for url in found.get_all("Project-URL") or [])
    assert {"Homepage", "Documentation", "Source", "Issues"} <= urls.keys()
    classifiers = found.get_all("Classifier") or []
    assert "Framework :: MkDocs" in classifiers
    assert any(c.startswith("Programming Language :: Python :: 3.") for c in classifiers)
    assert "Typing :: Typed" in classifiers
    payload = found.get_payload()
    assert isinstance(payload, str)
    assert payload.startswith("# Leadership Storybook")


def test_the_wheel_holds_everything_a_storybook_needs_and_no_repository_folder(
    wheel: Path,
) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        declared = archive.read(entry_points).decode("utf-8")
    assert "storybook = storybook.cli:main" in declared
    assert "storybook = storybook.plugin:StorybookPlugin" in declared
    for default in (ROOT / "storybook" / "defaults" / "templates").iterdir():
        assert f"storybook/defaults/templates/{default.name}" in names
    for module in (ROOT / "storybook").rglob("*.py"):
        assert module.relative_to(ROOT).as_posix() in names
    assert "storybook/plugin/theme/main.html" in names
    assert "storybook/assets/reader.js" in names
    assert "storybook/scaffold/starter/mkdocs.yml.j2" in names
    for folder in ("stories", "workshops", "paths"):
        for path in (ROOT / folder).iterdir():
            assert f"storybook/scaffold/sample/{folder}/{path.name}" in names
    assert not {name.split("/")[0] for name in names} - {
        "storybook",
        wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info",
    }


def test_an_installed_storybook_starts_checks_builds_both_editions_and_serves(
    installed: Installed, tmp_path: Path
) -> None:
    where = installed.run(tmp_path, "python", "-c", "import storybook; print(storybook.__file__)")
    assert Path(where.stdout.strip()).is_relative_to(installed.bin.parent)
    installed.run(tmp_path, "storybook", "init", "ours")
    project = tmp_path / "ours"
    assert "All good: 1 story" in installed.run(project, "storybook", "check").stdout
    installed.run(project, "mkdocs", "build", "--strict")
    installed.run(project, "mkdocs", "build", "--strict", STORYBOOK_EDITION="facilitator")
    assert (project / "site" / "stories" / "the-opening-checks" / "index.html").is_file()
    assert (
        project / "site-facilitator" / "stories" / "the-opening-checks" / "index.html"
    ).is_file()
    with served(installed, project) as address:
        page = fetch(f"{address}stories/the-opening-checks/")
    assert "<title>The Opening Checks - Ours</title>" in page


def test_an_installed_sample_library_checks_all_good(installed: Installed, tmp_path: Path) -> None:
    installed.run(tmp_path, "storybook", "init", "--sample", "sample")
    stories = len(list((ROOT / "stories").glob("*.md")))
    output = installed.run(tmp_path / "sample", "storybook", "check").stdout
    assert f"All good: {stories} stories" in output


def test_a_storybook_takes_up_a_newer_default_template_it_has_not_copied(
    installed: Installed, tmp_path: Path
) -> None:
    installed.run(tmp_path, "storybook", "init", "ours")
    project = tmp_path / "ours"
    found = installed.run(
        tmp_path,
        "python",
        "-c",
        "from storybook.core import defaults; print(defaults.DEFAULT_TEMPLATES)",
    )
    home = Path(found.stdout.strip()) / "home.md.j2"
    before = home.read_bytes()
    # What an upgrade of the package does to the storybook's own home page template.
    home.write_bytes(before + b"\nA line the next version of the package adds.\n")
    try:
        installed.run(project, "mkdocs", "build", "--strict")
    finally:
        home.write_bytes(before)
    built = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "A line the next version of the package adds." in built


@contextmanager
def served(installed: Installed, project: Path) -> Iterator[str]:
    """`mkdocs serve` on a free port of 127.0.0.1, once it answers; stopped with Ctrl-C."""
    port = free_port()
    address = f"http://127.0.0.1:{port}/"
    log = project.parent / "serve.log"
    with log.open("w") as stream:
        process = subprocess.Popen(
            [str(installed.bin / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env=clean_env(installed.bin),
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_served(process, address, log)
            yield address
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


def wait_until_served(process: subprocess.Popen[bytes], address: str, log: Path) -> None:
    deadline = time.monotonic() + COMMAND_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(encoding="utf-8")
        try:
            fetch(address)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"mkdocs serve never answered\n{log.read_text(encoding='utf-8')}")


def fetch(address: str) -> str:
    with urllib.request.urlopen(address, timeout=30) as response:
        body: bytes = response.read()
        return body.decode("utf-8")

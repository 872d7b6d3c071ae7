"""The catalogue of bad and odd inputs (tests/data/bad_stories/expected.yml), case by case.

Each bad case: `storybook check` exits 1 and prints exactly the expected `path:line: message -
hint` lines, `mkdocs build` fails with the same lines and leaves no site, nothing prints a
traceback and no file of the storybook changes. Each good case builds and its page is right.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from storybook.cli import main

from .conftest import DATA, build, build_error, snapshot

BAD = DATA / "bad_stories"
CATALOGUE: dict[str, dict[str, Any]] = yaml.safe_load(
    (BAD / "expected.yml").read_text(encoding="utf-8")
)
BAD_CASES = sorted(name for name, case in CATALOGUE.items() if "works" not in case)
GOOD_CASES = sorted(name for name, case in CATALOGUE.items() if "works" in case)
# What a trainer must never see: Python's own words for what went wrong.
PYTHON_NOISE = re.compile(r"Traceback|\b\w+(Error|Exception)\b|<class |File \"")


def test_the_catalogue_is_complete() -> None:
    on_disk = {path.name for path in BAD.iterdir() if path.name != "expected.yml"}
    assert on_disk - {".gitattributes"} == set(CATALOGUE), "every case file has an outcome"
    assert len(CATALOGUE) >= 30


def install_case(name: str, project: Path) -> str:
    """Put a case into a fresh storybook; returns the case's own story path, as check prints it."""
    case = CATALOGUE[name]
    for relative in case.get("remove", []):
        (project / relative).unlink()
    source = BAD / name
    if source.is_dir():
        shutil.copytree(source, project, dirs_exist_ok=True)
        own = ""
    else:
        shutil.copy(source, project / "stories" / name)
        own = f"stories/{name}"
    if "grow_to" in case:
        story = project / "stories" / name
        data = story.read_bytes()
        last_line = data.rstrip(b"\n").rsplit(b"\n", 1)[-1] + b"\n"
        story.write_bytes(data + last_line * (case["grow_to"] // len(last_line) + 1))
    return own


def expected_problems(name: str, own: str) -> list[tuple[str, int, list[str]]]:
    case = CATALOGUE[name]
    listed = case.get("problems", [case])
    return [(item.get("file", own), item["line"], item["says"]) for item in listed]


def by_place(line: str) -> tuple[str, int, str]:
    """A printed problem's file and line, in the order of expected_problems."""
    path, number, rest = line.split(":", 2)
    return path, int(number), rest


def check(project: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["check"], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("name", BAD_CASES)
def test_bad_input_is_reported_at_its_line_with_a_hint(
    name: str, mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = mini_project({})
    own = install_case(name, project)
    before = snapshot(project)

    code, output = check(project, monkeypatch)
    assert code == 1, output
    printed = [line for line in output.splitlines() if re.match(r"[\w./-]+:\d+: ", line)]
    expected = expected_problems(name, own)
    assert len(printed) == len(expected), output
    for line, (path, number, says) in zip(
        sorted(printed, key=by_place), sorted(expected), strict=True
    ):
        assert line.startswith(f"{path}:{number}: "), output
        assert " - " in line, f"every problem comes with a hint: {line}"
        for words in says:
            assert words in line, line
    assert not PYTHON_NOISE.search(output), output

    message = build_error(project)
    for line in printed:
        assert line in message, "mkdocs build must report the same problem"
    assert not PYTHON_NOISE.search(message), message
    site = project.parent / f"{project.name}-site"
    assert not (site / "index.html").exists(), "a failed build leaves no site behind"

    # storybook export, for engines that run without the plugin: the same lines, no export.
    out = project.parent / "export"
    monkeypatch.chdir(project)
    exported = CliRunner().invoke(main, ["export", str(out)], catch_exceptions=False)
    assert exported.exit_code == 1, exported.output
    for line in printed:
        assert line in exported.output, "storybook export must report the same problem"
    assert not PYTHON_NOISE.search(exported.output), exported.output
    assert not out.exists() or not any(out.iterdir()), "an export with problems writes nothing"
    assert snapshot(project) == before, "nothing a trainer wrote may change"


@pytest.mark.parametrize("name", GOOD_CASES)
def test_odd_but_valid_input_builds_the_right_page(
    name: str, mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = CATALOGUE[name]
    project = mini_project({})
    install_case(name, project)
    before = snapshot(project)

    code, output = check(project, monkeypatch)
    assert code == 0, output
    assert "All good: 1 story," in output

    site = build(project, strict=True)
    page = (site / case["works"] / "index.html").read_text(encoding="utf-8")
    for text in case.get("has", []):
        assert text in page, text
    article = page[page.index('<article class="md-content__inner') : page.index("</article>")]
    for text in case.get("lacks", []):
        assert text not in article, repr(text)
    assert snapshot(project) == before

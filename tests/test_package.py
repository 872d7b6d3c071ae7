"""`storybook package`: real packages of real builds, read back from the zip.

The manifest is checked against the SCORM schemas (tests/data/scorm_schemas), the files
against the manifest, and every byte of a package of the marked storybook for facilitator
material. What the package does in a browser inside an LMS is tested in
tests/browser/test_scorm.py.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from storybook.cli import main
from storybook.core.errors import StorybookError
from storybook.package.selection import (
    MAX_SUSPEND_DATA,
    Selection,
    check_size,
    suspend_data_length,
)

from .conftest import DATA, ROOT, copy_sample, site_bytes
from .test_editions import MINUTES_SHOWN, TEXT_MARKERS, make_marked

SCHEMAS = DATA / "scorm_schemas"
SHIPPED = ROOT / "storybook" / "package" / "schemas"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
# The schemas each version's manifest is checked against, by namespace.
NAMESPACES = {
    "scorm12": {
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
        "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
    },
    "scorm2004": {
        "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
        "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
    },
}
SCHEMA_VERSION = {"scorm12": "1.2", "scorm2004": "2004 4th Edition"}
# Each version's package: the whole library in SCORM 1.2, a learning path in 2004.
PACKAGES = {"scorm12": [], "scorm2004": ["--path", "first-90-days"]}


def package(project: Path, out: Path, *args: str) -> str:
    """`storybook package OUT ARGS` in ``project``, as a trainer runs it; its output."""
    result = CliRunner().invoke(
        main, ["package", str(out), "-f", str(project / "mkdocs.yml"), *args]
    )
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def sample_packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """A package of each version made from the repository's own storybook."""
    folder = tmp_path_factory.mktemp("packages")
    project = copy_sample(folder / "project")
    made = {}
    for version, args in PACKAGES.items():
        out = folder / f"{version}.zip"
        package(project, out, "--format", version, *args)
        made[version] = out
    yield made


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def validator(version: str) -> object:
    """An lxml schema for the manifest: the version's schemas, one per namespace it uses."""
    from lxml import etree

    imports = "".join(
        f'<xs:import namespace="{namespace}" schemaLocation="{(SCHEMAS / version / name).as_uri()}"/>'
        for namespace, name in NAMESPACES[version].items()
    )
    driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    return etree.XMLSchema(etree.fromstring(driver.encode()))


@pytest.mark.parametrize("version", sorted(PACKAGES))
def test_the_manifest_is_valid_scorm_and_lists_every_file_of_one_sco(
    version: str, sample_packages: dict[str, Path]
) -> None:
    from lxml import etree

    files = read_zip(sample_packages[version])
    manifest = etree.fromstring(files["imsmanifest.xml"])
    schema = validator(version)
    assert schema.validate(manifest), schema.error_log  # type: ignore[attr-defined]

    ns = {"cp": manifest.nsmap[None], "adlcp": manifest.nsmap["adlcp"]}
    assert manifest.findtext("cp:metadata/cp:schema", namespaces=ns) == "ADL SCORM"
    assert (
        manifest.findtext("cp:metadata/cp:schemaversion", namespaces=ns)
        == (SCHEMA_VERSION[version])
    )
    (resource,) = manifest.findall("cp:resources/cp:resource", namespaces=ns)
    scorm_type = "scormtype" if version == "scorm12" else "scormType"
    assert resource.get(f"{{{ns['adlcp']}}}{scorm_type}") == "sco"
    (item,) = manifest.findall("cp:organizations/cp:organization/cp:item", namespaces=ns)
    assert item.get("identifierref") == resource.get("identifier")
    launch = resource.get("href")
    assert launch == "storybook-scorm.html" and launch in files

    # Every file of the package is listed, and every file listed is there; the schemas the
    # manifest names are at the root beside it.
    listed = {file.get("href") for file in resource.findall("cp:file", namespaces=ns)}
    named = manifest.get(XSI).split()[1::2]
    assert set(named) <= set(files)
    schemas = {name for name in files if name.endswith(".xsd")}
    assert listed == set(files) - {"imsmanifest.xml"} - schemas
    assert "index.html" in listed and "assets/storybook-scorm.js" in listed
    assert any(name.startswith("pagefind/") for name in listed)
    assert "README.txt" in listed


def settings_of(files: dict[str, bytes]) -> dict[str, object]:
    script = files["assets/storybook-scorm-package.js"].decode()
    found = re.search(r"window\.storybookScormPackage = (\{.*\});", script, re.S)
    assert found
    settings: dict[str, object] = json.loads(found[1])
    return settings


def test_the_package_counts_the_stories_of_what_it_packages(
    sample_packages: dict[str, Path],
) -> None:
    library = settings_of(read_zip(sample_packages["scorm12"]))
    stories = sorted(f"stories/{p.stem}.html" for p in (ROOT / "stories").glob("*.md"))
    assert library["start"] == "index.html"
    assert library["stories"] == stories
    assert library["format"] == "scorm12"

    path = settings_of(read_zip(sample_packages["scorm2004"]))
    steps = re.findall(r"- story: (\S+)", (ROOT / "paths" / "first-90-days.yml").read_text())
    assert path["start"] == "paths/first-90-days.html"
    assert path["stories"] == [f"stories/{slug}.html" for slug in steps]
    assert path["key"] != library["key"]


def test_the_readme_inside_says_what_the_lms_learns_and_never_learns(
    sample_packages: dict[str, Path],
) -> None:
    readme = read_zip(sample_packages["scorm2004"])["README.txt"].decode()
    assert "SCORM 2004 4th Edition" in readme and "paths/first-90-days.html" in readme
    assert "the learning path 'Your first 90 days' (16)" in readme
    said = " ".join(readme.split())
    assert "What the LMS never learns: the reader's answers to the reflection questions" in said
    assert "are never in any call to the LMS" in said


def test_the_package_is_the_learner_edition_even_when_everything_asks_for_the_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mkdocs.yml that says facilitator, and the room's and the edition's variables set to
    facilitator: every byte of the package, Pagefind's packed files unpacked, is still free of
    every facilitator-only field and draft."""
    project = make_marked(tmp_path / "mini")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - storybook\n", "  - storybook:\n      edition: facilitator\n"
        )
    )
    monkeypatch.setenv("STORYBOOK_EDITION", "facilitator")
    monkeypatch.setenv("STORYBOOK_ROOM_EDITION", "facilitator")
    out = tmp_path / "marked.zip"
    said = package(project, out, "--workshop", "marked")
    assert "complete once the reader has opened 1 story" in said

    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(out) as archive:
        archive.extractall(unpacked)
    everything = b"".join(site_bytes(unpacked).values())
    assert b"Marked story" in everything  # the story is there, its notes are not
    for marker in [*TEXT_MARKERS, MINUTES_SHOWN, "Facilitator edition"]:
        assert marker.encode() not in everything, marker
    # This mkdocs.yml lists no offline plugin: the package is the offline copy all the same,
    # with its search packed into scripts and no script from a CDN.
    assert (unpacked / "pagefind" / "pagefind.js.js").is_file()
    home = (unpacked / "index.html").read_text()
    assert "unpkg.com" not in home and "assets/iframe-worker-shim.js" in home
    assert 'href="../stories/marked.html"' in (unpacked / "workshops" / "marked.html").read_text()


def test_a_package_is_written_again_over_its_own_older_self(tmp_path: Path) -> None:
    """A package this command wrote is replaced whole (here a 1.2 by a 2004 package), and
    no temporary file is left beside it."""
    project = make_marked(tmp_path / "mini")
    out = tmp_path / "course.zip"
    package(project, out, "--format", "scorm12")
    assert b"<schemaversion>1.2<" in read_zip(out)["imsmanifest.xml"]
    package(project, out, "--format", "scorm2004")
    files = read_zip(out)
    assert b"<schemaversion>2004 4th Edition<" in files["imsmanifest.xml"]
    assert "adlcp_rootv1p2.xsd" not in files and "adlcp_v1p3.xsd" in files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course.zip", "mini"]


def test_suspend_data_holds_the_largest_package_it_allows() -> None:
    """One bit a story: 24,000 stories fit SCORM 1.2's 4,096 characters, and a package of
    more is refused rather than losing what a reader opened."""
    key = Selection("t", "index.md", ("a",)).key
    assert suspend_data_length(key, 24_000) <= MAX_SUSPEND_DATA
    check_size(Selection("t", "index.md", tuple(f"s/{n}.md" for n in range(24_000))), Path("m"))
    with pytest.raises(StorybookError) as refused:
        check_size(Selection("t", "index.md", tuple(f"s/{n}.md" for n in range(24_600))), Path("m"))
    assert "24600 stories" in str(refused.value) and "--path NAME" in str(refused.value)


def test_the_schemas_inside_packages_are_the_reference_schemas() -> None:
    for version in PACKAGES:
        shipped = {p.name: p.read_bytes() for p in (SHIPPED / version).iterdir()}
        reference = {p.name: p.read_bytes() for p in (SCHEMAS / version).iterdir()}
        assert shipped == reference

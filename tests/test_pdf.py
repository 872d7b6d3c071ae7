"""`storybook pdf`: real PDFs of a small storybook, written by the command and read back with
pypdf, page by page."""

from __future__ import annotations

import http.server
import importlib.abc
import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from click.testing import CliRunner, Result
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from storybook.cli import main
from storybook.pdf.render import css_string, local_file

from .conftest import DATA, make_mini, story_text
from .test_cli import run_bad_command
from .test_editions import MINUTES_SHOWN, STORY_MARKERS, TEXT_MARKERS

# Quotes and a semicolon: the running title must survive being put into a stylesheet.
WORKSHOP_TITLE = 'Marked "workshop"; day one'
ROLES = ("Alpha the supervisor", "Beta the analyst", "Role MARKER-ROLE")
PART_A = "Part A ends with the batch signed."
PART_B = "Part B begins on Monday morning."
QUESTION_BEFORE = "What did Sam see before Monday?"
QUESTION_AFTER = "What would you say to Sam now?"

TURN = story_text(
    title="The turn",
    reflection=f'\n  - "{QUESTION_BEFORE}"',
    body=f"## August\n\n{PART_A}\n\n## Monday\n\n{PART_B}\n",
    extra=(
        'reveal: ["Monday"]\n'
        f'reflection_after:\n  - "{QUESTION_AFTER}"\n'
        "role_cards:\n"
        f'  - role: "{ROLES[0]}"\n    brief: "Alpha brief."\n'
        f'  - role: "{ROLES[1]}"\n    brief: "Beta brief."\n'
    ),
)
MARKED = story_text(
    title="Marked story",
    body="The marked story's body.",
    extra="".join(STORY_MARKERS.values()),
)
WORKSHOP = f"""\
title: '{WORKSHOP_TITLE}'
date: 2026-03-10
start: "09:30"
planned_minutes: 120
facilitator_notes: "Whole day: MARKER-WORKSHOP-NOTES"
sessions:
  - story: marked
    minutes: 45
    activity: Pairs
    notes: "For the story: MARKER-SESSION-NOTES"
  - story: the-turn
    minutes: 45
    activity: Read part A, then part B
  - exercise: "Write it down"
    minutes: 15
    activity: Alone
    notes: "For the exercise: MARKER-SESSION-NOTES"
"""


def make_project(project: Path) -> Path:
    """Two stories in a workshop (one marked in every facilitator-only field, one with a
    held-back part B and two role cards) and a draft, in a storybook whose mkdocs.yml names
    the facilitator edition: the learner handouts must not follow it."""
    make_mini(
        project,
        {
            "marked.md": MARKED,
            "the-turn.md": TURN,
            "wip.md": story_text(title="Unfinished MARKER-DRAFT", extra="draft: true\n"),
        },
    )
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - storybook\n", "  - storybook:\n      edition: facilitator\n"
        ),
        encoding="utf-8",
    )
    (project / "workshops").mkdir()
    (project / "workshops" / "marked.yml").write_text(WORKSHOP, encoding="utf-8")
    return project


def run(project: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main, ["pdf", *args, "-f", str(project / "mkdocs.yml")], catch_exceptions=False
    )


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The workbook, the pack and a worksheet of the same storybook, each written once."""
    project = make_project(tmp_path_factory.mktemp("pdf") / "mini")
    written = {}
    for kind, name in (("workbook", "marked"), ("pack", "marked"), ("story", "the-turn")):
        out = project.parent / f"{kind}.pdf"
        result = run(project, kind, name, str(out))
        assert result.exit_code == 0, result.output
        written[kind] = out
    return written


def pages_of(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def body_lines(page: str) -> list[str]:
    """A page's lines without its running title and page number."""
    return [
        line
        for line in page.splitlines()
        if line.strip() and line != WORKSHOP_TITLE and not re.fullmatch(r"Page \d+ of \d+", line)
    ]


@pytest.mark.parametrize("kind", ["workbook", "pack", "story"])
def test_every_page_is_numbered_out_of_the_page_count(pdfs: dict[str, Path], kind: str) -> None:
    pages = pages_of(pdfs[kind])
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text.splitlines(), (kind, number)


@pytest.mark.parametrize("kind", ["workbook", "pack"])
def test_the_workshops_title_is_on_every_page(pdfs: dict[str, Path], kind: str) -> None:
    for number, text in enumerate(pages_of(pdfs[kind]), start=1):
        assert WORKSHOP_TITLE in text.splitlines(), (kind, number)


def test_a_worksheet_carries_its_storys_title_on_every_page(pdfs: dict[str, Path]) -> None:
    for text in pages_of(pdfs["story"]):
        assert "The turn" in text.splitlines()


@pytest.mark.parametrize("kind", ["workbook", "pack"])
def test_each_story_starts_a_page(pdfs: dict[str, Path], kind: str) -> None:
    pages = [body_lines(text) for text in pages_of(pdfs[kind])]
    for title in ("Marked story", "The turn"):
        starting = [number for number, lines in enumerate(pages) if lines[0] == title]
        assert len(starting) == 1, (kind, title, pages)
        assert starting[0] > 0  # not on the page of the agenda or run-of-show


def test_part_b_comes_after_a_page_that_says_stop(pdfs: dict[str, Path]) -> None:
    pages = [body_lines(text) for text in pages_of(pdfs["workbook"])]
    stop = next(n for n, lines in enumerate(pages) if lines[0].startswith("Stop here."))
    assert " ".join(pages[stop]).startswith("Stop here. Answer the questions above")
    assert not any(PART_A in line or PART_B in line for line in pages[stop])
    before, after = "\n".join(pages[stop - 1]), "\n".join(pages[stop + 1])
    assert QUESTION_BEFORE in before and PART_B not in before
    assert pages[stop + 1][0] == "Monday" and PART_B in after and QUESTION_AFTER in after
    # ...and it says so a third of the way down the page, not at its top, as print.css asks.
    page = PdfReader(pdfs["workbook"]).pages[stop]
    assert height_of("Stop here.", page) < 0.7 * float(page.mediabox.height)


def height_of(text: str, page: Any) -> float:
    """How high above the bottom of ``page`` the line starting with ``text`` is written."""
    heights: list[float] = []

    def visit(found: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if found.startswith(text):
            # Where the text matrix puts the line, through the page's transformation.
            heights.append(float(cm[1]) * tm[4] + float(cm[3]) * tm[5] + float(cm[5]))

    page.extract_text(visitor_text=visit)
    assert heights, text
    return heights[0]


def test_role_cards_are_one_to_a_page(pdfs: dict[str, Path]) -> None:
    pages = pages_of(pdfs["pack"])
    with_cards = [text for text in pages if "Role card:" in text]
    assert len(with_cards) == len(ROLES)
    for role, text in zip(sorted(ROLES), sorted(with_cards), strict=True):
        assert text.count("Role card:") == 1
        assert body_lines(text)[0] == f"Role card: {role}"


@pytest.mark.parametrize("kind", ["workbook", "pack", "story"])
def test_every_font_is_embedded(pdfs: dict[str, Path], kind: str) -> None:
    fonts = [font for page in PdfReader(pdfs[kind]).pages for font in fonts_of(page)]
    assert fonts
    for font in fonts:
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None, font
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.get_object()), font


def images_of(page: Any) -> Iterator[str]:
    """The name of each picture a page draws."""
    resources = page.get("/Resources") or {}
    for name, ref in (resources.get("/XObject") or {}).items():
        if ref.get_object().get("/Subtype") == "/Image":
            yield str(name)


def fonts_of(page: Any) -> Iterator[DictionaryObject]:
    """Each font a page uses, as the dictionary that says whether it is embedded (for a
    composite font, its descendant)."""
    resources = page.get("/Resources") or {}
    for ref in (resources.get("/Font") or {}).values():
        font = ref.get_object()
        if font.get("/Subtype") == "/Type0":
            yield from (d.get_object() for d in font["/DescendantFonts"])
        else:
            yield font


def squashed(*texts: str) -> str:
    """The text without white space: a line may break inside a marker, at its hyphens."""
    return re.sub(r"\s+", "", "".join(texts))


@pytest.mark.parametrize("kind", ["workbook", "story"])
def test_learner_handouts_hold_no_facilitator_text(pdfs: dict[str, Path], kind: str) -> None:
    """The markers of every facilitator-only field (as the edition tests scan sites for),
    though mkdocs.yml names the facilitator edition."""
    text = squashed(*pages_of(pdfs[kind]))
    for marker in [*TEXT_MARKERS, MINUTES_SHOWN, "Facilitator edition", "Role card"]:
        assert squashed(marker) not in text, (kind, marker)


def test_the_pack_holds_the_facilitator_text(pdfs: dict[str, Path]) -> None:
    """The scans above would pass on an empty file: the same markers are in the pack."""
    text = squashed(*pages_of(pdfs["pack"]))
    for marker in (
        "MARKER-STORY-NOTES",
        "MARKER-PLAN-LISTEN",
        "MARKER-SEGMENT-NOTES",
        "MARKER-ROLE",
        "MARKER-BRIEF",
        "MARKER-WORKSHOP-NOTES",
        "MARKER-SESSION-NOTES",
        "Facilitator edition: not for learners",
    ):
        assert squashed(marker) in text, marker
    assert "MARKER-DRAFT" not in text  # a draft is in no workshop


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "mini")


# `storybook pdf` given what it cannot print, and the problem lines each prints (see the file).
BAD_PDF_COMMANDS: dict[str, dict[str, Any]] = yaml.safe_load(
    (DATA / "bad_commands" / "pdf.yml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", sorted(BAD_PDF_COMMANDS))
def test_what_cannot_be_printed_is_said_in_the_one_format(
    case: str, mini_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    given = BAD_PDF_COMMANDS[case]
    project = mini_project()
    monkeypatch.chdir(project)
    result, files = run_bad_command(given, project)
    assert result.stderr.strip() == (
        f"No PDF was written: {len(given['expected'])} problem(s) in {files} file(s)."
    )


def test_a_pdf_it_wrote_is_replaced_by_the_next(project: Path) -> None:
    out = project / "turn.pdf"
    assert run(project, "story", "the-turn", str(out)).exit_code == 0
    (project / "stories" / "the-turn.md").write_text(
        TURN.replace(PART_A, "Part A, told again."), encoding="utf-8"
    )
    result = run(project, "story", "the-turn", str(out))
    assert result.exit_code == 0, result.output
    assert "Part A, told again." in "\n".join(pages_of(out))


class Recording(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Recording.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def web_server() -> Iterator[str]:
    """A web server on this machine that records every request it is sent."""
    Recording.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recording)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_nothing_outside_the_project_is_fetched(project: Path, web_server: str) -> None:
    """A picture on the web is left out (and said so); a picture beside the docs is in."""
    (project / "docs" / "img").mkdir()
    shutil.copyfile(
        Path(__file__).parent.parent / "screenshots" / "projector-view.png",
        project / "docs" / "img" / "room.png",
    )
    story = project / "stories" / "the-turn.md"
    story.write_text(
        TURN.replace(
            PART_A,
            f"{PART_A}\n\n![On the web]({web_server}/far.png)\n\n![In the room](../img/room.png)",
        ),
        encoding="utf-8",
    )
    out = project / "turn.pdf"
    result = CliRunner().invoke(
        main, ["pdf", "story", "the-turn", str(out), "-f", str(project / "mkdocs.yml")]
    )
    assert result.exit_code == 0, result.output
    assert Recording.requests == []
    assert f"warning: left out {web_server}/far.png" in result.stderr
    images = [name for page in PdfReader(out).pages for name in images_of(page)]
    assert len(set(images)) == 1  # every page shares the one picture


def test_a_file_url_is_local_only_below_the_allowed_folders(tmp_path: Path) -> None:
    inside = tmp_path / "docs" / "a.png"
    inside.parent.mkdir()
    inside.write_bytes(b"png")
    outside = tmp_path / "secret.txt"
    outside.write_text("no", encoding="utf-8")
    roots = [tmp_path / "docs"]
    assert local_file(inside.as_uri(), roots) == inside.resolve()
    assert local_file(outside.as_uri(), roots) is None
    assert local_file((tmp_path / "docs" / ".." / "secret.txt").as_uri(), roots) is None
    assert local_file(f"file://elsewhere{inside}", roots) is None
    assert local_file("https://example.org/a.png", roots) is None


def test_a_title_is_written_into_the_stylesheet_as_one_string() -> None:
    assert css_string('Say "no" } @page {') == ('"Say \\22 no\\22  \\7d  \\40 page \\7b "')


class NoPango(importlib.abc.MetaPathFinder):
    """Imports WeasyPrint as a machine without Pango does: it fails with OSError."""

    def find_spec(self, name: str, path: object, target: object = None) -> None:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")


def test_a_machine_without_pango_is_told_how_to_install_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])
    out = project / "out.pdf"
    result = run(project, "workbook", "marked", str(out))
    assert result.exit_code == 1
    assert result.output.startswith(
        "storybook pdf: WeasyPrint, which writes the PDF, needs the Pango library "
        "(cannot load library 'libpango-1.0-0') - install it: on Debian or Ubuntu "
    )
    assert not out.exists()


def test_the_sample_workshops_workbook_prints_part_b_after_its_stop_page(
    sample_project: Path,
) -> None:
    out = sample_project / "day-one.pdf"
    result = run(sample_project, "workbook", "new-manager-day-one", str(out))
    assert result.exit_code == 0, result.output
    pages = pages_of(out)
    assert result.output.startswith(
        f"Wrote {out}: the workbook of New manager, day one, {len(pages)} pages (learner edition)."
    )
    firsts = [
        next(line for line in text.splitlines() if line != "New manager, day one") for text in pages
    ]
    for title in ("The Friday Rota", "Both Shifts", "Camera Off"):
        assert firsts.count(title) == 1, (title, firsts)
    stop = firsts.index(next(line for line in firsts if line.startswith("Stop here.")))
    assert firsts.index("Both Shifts") < stop < firsts.index("Camera Off")
    assert firsts[stop + 1] == "Monday"  # Both Shifts holds back its part from "## Monday"


def test_the_markdown_extensions_of_mkdocs_yml_are_loaded_as_mkdocs_loads_them(
    project: Path,
) -> None:
    """Settings tagged !!python/name (as Material's documentation writes them) are imported."""
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "markdown_extensions:\n"
        + "  - toc:\n"
        + "      slugify: !!python/name:markdown.extensions.toc.slugify_unicode\n"
        + "  - pymdownx.caret\n",
        encoding="utf-8",
    )
    story = project / "stories" / "the-turn.md"
    story.write_text(TURN.replace(PART_A, f"{PART_A} It was ^^underlined^^."), encoding="utf-8")
    out = project / "turn.pdf"
    result = run(project, "story", "the-turn", str(out))
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(pages_of(out)).split())
    assert "It was underlined." in text


def test_a_markdown_extension_that_cannot_be_loaded_is_named_at_its_line(
    project: Path,
) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8") + "markdown_extensions:\n  - pymdownx.nowhere\n"
    config.write_text(text, encoding="utf-8")
    result = run(project, "story", "the-turn", str(project / "turn.pdf"))
    assert result.exit_code == 1
    line = text.splitlines().index("markdown_extensions:") + 1
    assert result.output.startswith(
        f"{config}:{line}: a Markdown extension could not be loaded (ModuleNotFoundError: "
    ), result.output

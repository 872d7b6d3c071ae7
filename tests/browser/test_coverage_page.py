"""The facilitator edition's coverage page, read in Chromium: accessible, and usable on a phone
although its grid has a column per moment."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..conftest import build_edition, copy_sample
from .conftest import DESKTOP, PHONE, Reader, serious_violations

COVERAGE = "/coverage/"


@pytest.fixture(scope="module")
def facilitator_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_sample(tmp_path_factory.mktemp("coverage") / "project")
    return build_edition(project, "facilitator", strict=True)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["laptop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_coverage_page_is_accessible_and_fits_a_phone(
    open_reader: Callable[..., Reader],
    serve_folder: Callable[[Path], str],
    facilitator_site: Path,
    viewport: dict[str, int],
    scheme: str,
) -> None:
    base = serve_folder(facilitator_site)
    page = open_reader(viewport=viewport, color_scheme=scheme, base=base).open(COVERAGE)
    expect(page.locator("article h1")).to_contain_text("Coverage of the library")
    grid = page.locator("table").nth(1)
    expect(grid).to_be_visible()
    assert serious_violations(page) == []
    # The wide grid scrolls inside its own box; nothing else sticks out of the page.
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "scrolls sideways"
    sticking_out = page.evaluate(
        """() => Array.from(document.querySelectorAll(".md-content article *"))
            .filter(node => !node.closest(".md-typeset__table"))
            .filter(node => node.getBoundingClientRect().right > innerWidth + 0.5)
            .map(node => node.outerHTML.slice(0, 80))"""
    )
    assert sticking_out == []

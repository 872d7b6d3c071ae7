"""The HTML policy: what the cleaner keeps and removes, and what check reports where.

tests/browser/test_hostile_content.py shows the same in a real Chromium."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import storybook.core.fields
import storybook.core.render
import storybook.core.validate
import storybook.plugin.hooks
from storybook.core.safety import clean, find_unsafe

from .conftest import build


def test_clean_keeps_harmless_markup() -> None:
    html = (
        '<p>Press <kbd>Ctrl</kbd>, <mark>see</mark> <a href="https://example.com/" '
        'title="t">this</a> and <a href="../tags/">that</a>.</p>'
        '<details open=""><summary>More</summary><p>Hidden</p></details>'
        '<img src="photo.jpg" alt="A photo" width="200">'
        '<table><tbody><tr><td colspan="2">Cell</td></tr></tbody></table>'
        '<h2 id="reflection">Q<a class="headerlink" href="#reflection">¶</a></h2>'
        '<table><tbody><tr><td style="text-align: right;">45</td></tr></tbody></table>'
    )
    assert clean(html) == html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVa&#x09;ScRiPt:alert(1)">x</a>',
        '<iframe src="https://example.com"></iframe>',
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
        '<object data="x.swf"></object>',
        '<embed src="x.swf">',
        '<svg onload="alert(1)"><circle r="1"/></svg>',
        '<details ontoggle="alert(1)" open>x</details>',
        "<style>body { display: none }</style>",
        '<p style="position:fixed">x</p>',
        '<form action="https://example.com"><button formaction="javascript:alert(1)">x</button></form>',
        '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>',
        '<div data-md-component="search">x</div>',
        '<meta http-equiv="refresh" content="0;url=https://example.com">',
        '<base href="https://example.com/">',
        '<input type="text" onfocus="alert(1)" autofocus>',
    ],
)
def test_clean_removes_everything_that_could_run_or_embed(hostile: str) -> None:
    cleaned = clean(f"<p>before</p>{hostile}<p>after</p>").lower()
    for word in ("script", "alert", "javascript", "iframe", "object", "embed", "svg", "style"):
        assert word not in cleaned, cleaned
    for word in ("onerror", "ontoggle", "onload", "onfocus", "data-md", "<form", "<meta", "<base"):
        assert word not in cleaned, cleaned
    assert "<p>before</p>" in cleaned and "<p>after</p>" in cleaned


def test_find_unsafe_reports_the_line_of_each_thing_the_cleaner_would_remove() -> None:
    text = "\n\n".join(
        [
            "Fine <kbd>text</kbd> and `<script>` in code.",  # 0
            "<script>alert(1)</script>",  # 2
            "[a link](javascript:alert(1))",  # 4
            '<img src="x" onerror="alert(1)">',  # 6
            'Hover\n{: onmouseover="alert(1)" }',  # 8-9
            "    <script>indented code is shown, not run</script>",  # 11
            "```html\n<iframe>fenced code too</iframe>\n```",  # 13-15
            "<iframe src=x></iframe>",  # 17
        ]
    )
    found = [(finding.line, finding.message) for finding in find_unsafe(text)]
    assert found == [
        (2, "<script> is not allowed in a story"),
        (4, "the link 'javascript:alert(1)' is not allowed in a story"),
        (6, "the onerror= attribute is not allowed in a story"),
        (9, 'the attribute list {: onmouseover="alert(1)" } is not allowed'),
        (17, "<iframe> is not allowed in a story"),
    ]


def test_each_text_is_checked_on_its_own() -> None:
    """The Markdown converter is reused between texts; nothing of one may reach the next."""
    use = "A story that uses a link it does not define: [click][evil]."
    defined = use + "\n\n[evil]: javascript:alert(1)"
    assert find_unsafe(use) == []
    assert [finding.line for finding in find_unsafe(defined)] == [2]
    assert find_unsafe(use) == [], "the definition in the text before is forgotten"


def test_the_cleaner_keeps_every_element_the_sample_site_uses(
    built_sample: Callable[..., Path], sample_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cleaned = built_sample()
    monkeypatch.setattr(storybook.plugin.hooks, "clean", lambda html: html)
    raw = build(sample_project, strict=True)
    pages = sorted(raw.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        twin = cleaned / page.relative_to(raw)
        assert structure(twin) == structure(page), page.relative_to(raw)


def structure(page: Path) -> list[Any]:
    """Every element with its attributes, and every piece of text, in order."""

    class Collector(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.items: list[Any] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.items.append((tag, sorted((name, value or "") for name, value in attrs)))

        def handle_data(self, data: str) -> None:
            if data.strip():
                self.items.append(data.strip())

    collector = Collector()
    collector.feed(page.read_text(encoding="utf-8"))
    return collector.items


def test_only_table_alignment_survives_as_a_style() -> None:
    cleaned = clean(
        '<td style="position: fixed; text-align: left">x</td><p style="text-align: right">y</p>'
    )
    assert "style" not in cleaned
    table = "| Minutes | Activity |\n| --: | --- |\n| 45 | Story |\n"
    assert find_unsafe(table) == []
    assert find_unsafe('<td style="color: red">x</td>')[0].message.startswith("the style=")

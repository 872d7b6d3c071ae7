"""What `mkdocs serve` shows while a story or template is broken."""

from __future__ import annotations

import html
import logging
from pathlib import Path

from mkdocs.utils import CountHandler

from storybook.errors import Problem

# Marks a logged problem that every served page already shows in its banner.
SHOWN_ON_PAGES = "storybook_shown_on_pages"


def error_banner(problems: list[Problem], root: Path) -> str:
    """A warning box for the top of every served page, naming file, line and fix."""
    items = "\n".join(
        f"<li><code>{html.escape(problem.display_path(root))}:{problem.line}</code> "
        f"{html.escape(problem.message)}"
        + (f" <em>{html.escape(problem.hint)}</em>" if problem.hint else "")
        + "</li>"
        for problem in problems
    )
    count = f"{len(problems)} problem" + ("s" if len(problems) != 1 else "")
    return (
        f'<div class="admonition danger storybook-problems" role="alert">\n'
        f'<p class="admonition-title">The storybook has {count}. '
        f"Showing the last good pages until it is fixed.</p>\n"
        f"<ul>\n{items}\n</ul>\n</div>\n\n"
    )


class _ShownOnPages(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, SHOWN_ON_PAGES, False)


def keep_strict_mode_from_stopping_the_server() -> None:
    """With `strict: true` MkDocs counts every warning and abandons the rebuild, so the server
    would keep the previous pages without the banner. Problems shown on pages are not counted.
    """
    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, CountHandler) and not any(
            isinstance(existing, _ShownOnPages) for existing in handler.filters
        ):
            handler.addFilter(_ShownOnPages())

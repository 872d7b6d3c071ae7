"""What `mkdocs serve` shows while a story or template is broken."""

from __future__ import annotations

import html
from pathlib import Path

from storybook.errors import Problem


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

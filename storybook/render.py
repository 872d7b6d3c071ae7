"""Step 3: render reflection questions and pages with the Jinja templates in ``templates/``.

Jinja runs sandboxed with strict undefined variables, on templates and question strings
only. A story's body is handed to templates as a value, so Jinja never interprets it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from storybook.errors import Problem, StorybookError
from storybook.model import QUESTION_FIELDS, Question, Story

_MISSING_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'|'([^']+)' is undefined")


class Renderer:
    """Renders the templates in one folder; every error names the template file and line."""

    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = templates_dir
        self.env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._questions: dict[str, jinja2.Template] = {}

    def render_template(self, name: str, **context: Any) -> str:
        path = self.templates_dir / name
        try:
            return self.env.get_template(name).render(**context)
        except jinja2.TemplateNotFound as exc:
            missing = self.templates_dir / str(exc.name)
            raise StorybookError(
                [
                    Problem(
                        missing,
                        1,
                        f"the template '{exc.name}' is missing",
                        "restore it from version control",
                    )
                ]
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            where = Path(exc.filename) if exc.filename else path
            raise StorybookError(
                [Problem(where, exc.lineno, f"template syntax error: {exc.message}", _SYNTAX_HINT)]
            ) from None
        except Exception as exc:  # any error raised while a trainer's template runs
            where, line = _template_location(exc.__traceback__, self.templates_dir, path)
            raise StorybookError([_runtime_problem(exc, where, line, context)]) from None

    def render_question(self, question: Question, story: Story) -> str:
        fields = story.fields()
        try:
            template = self._questions.get(question.template)
            if template is None:
                template = self.env.from_string(question.template)
                self._questions[question.template] = template
            return template.render(story=fields).strip()
        except jinja2.TemplateSyntaxError as exc:
            raise StorybookError(
                [
                    Problem(
                        question.path,
                        question.line + max(exc.lineno, 1) - 1,
                        f"this reflection question cannot be read: {exc.message}",
                        _SYNTAX_HINT,
                    )
                ]
            ) from None
        except Exception as exc:  # any error raised while a question template runs
            problem = _runtime_problem(exc, question.path, question.line, {"story": fields})
            if question.path != story.path:
                problem = Problem(
                    problem.path,
                    problem.line,
                    f"{problem.message} (for {story.path.name})",
                    problem.hint,
                )
            raise StorybookError([problem]) from None


_SYNTAX_HINT = "check that every {{ is closed by }} and every {% by %}"


def _template_location(
    tb: TracebackType | None, templates_dir: Path, default: Path
) -> tuple[Path, int]:
    """Jinja rewrites tracebacks so template frames carry the template's file and line."""
    found: tuple[Path, int] = (default, 1)
    root = templates_dir.resolve()
    while tb is not None:
        filename = Path(tb.tb_frame.f_code.co_filename)
        if filename.suffix != ".py" and root in filename.resolve().parents:
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _runtime_problem(exc: Exception, path: Path, line: int, context: Mapping[str, Any]) -> Problem:
    if isinstance(exc, SecurityError):
        return Problem(
            path,
            line,
            f"this tries something templates may not do ({exc})",
            "templates and questions may only show values such as {{ story.title }}",
        )
    if isinstance(exc, jinja2.UndefinedError):
        match = _MISSING_ATTRIBUTE.search(str(exc))
        name = next((group for group in match.groups() if group), "") if match else ""
        return Problem(
            path, line, f"'{name or exc}' is not defined here", _undefined_hint(name, context)
        )
    return Problem(path, line, f"{type(exc).__name__}: {exc}", "check the expression on this line")


def _undefined_hint(name: str, context: Mapping[str, Any]) -> str:
    story = context.get("story")
    if isinstance(story, Mapping):
        known = [f"story.{key}" for key in QUESTION_FIELDS]
        guess = difflib.get_close_matches(name, QUESTION_FIELDS, n=1, cutoff=0.6)
        if guess and guess[0] not in story:
            return f"did you mean 'story.{guess[0]}'? This story has no {guess[0]}: field; add it"
        if guess:
            return f"did you mean 'story.{guess[0]}'?"
        return "a question can use " + ", ".join(known)
    guess = difflib.get_close_matches(name, list(context), n=1, cutoff=0.6)
    if guess:
        return f"did you mean '{guess[0]}'?"
    return "this template can use " + ", ".join(sorted(context))

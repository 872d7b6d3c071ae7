"""`storybook templates`: which of the storybook's templates a project overrides, and a copy of
one to start an override.

The storybook's own templates and tag vocabulary ship in the package; a file of the same name
in the project's templates folder replaces one, file by file (see core/render.py). Nothing
here ever replaces a file the trainer has.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from storybook.core.defaults import DEFAULT_TEMPLATES
from storybook.core.errors import Problem, StorybookError

# What a templates folder may hold that is not meant as a template.
NOT_TEMPLATES = frozenset({"README.md"})
_LEADING_COMMENT = re.compile(r"\A\s*(?:\{#(?P<jinja>.*?)#\}|(?P<yaml>(?:#[^\n]*\n)+))", re.S)
_SENTENCE_END = re.compile(r"(?<=[a-z)])\.(?:\s|$)|:\s")


@dataclass(frozen=True)
class Template:
    """One of the storybook's templates, and the project's copy of it if it has one."""

    name: str
    about: str
    own: Path | None


@dataclass(frozen=True)
class Templates:
    """The storybook's templates as a project sees them, and the project's files that are
    none of them (its own partials, or a misspelt name the storybook never reads)."""

    folder: Path
    defaults: tuple[Template, ...]
    others: tuple[Path, ...]

    @property
    def overridden(self) -> tuple[Template, ...]:
        return tuple(template for template in self.defaults if template.own is not None)


def default_names() -> list[str]:
    return sorted(path.name for path in DEFAULT_TEMPLATES.iterdir() if path.is_file())


def list_templates(templates_dir: Path) -> Templates:
    names = default_names()
    own = _own_files(templates_dir)
    defaults = tuple(
        Template(name, describe(DEFAULT_TEMPLATES / name), own.get(name)) for name in names
    )
    others = tuple(path for name, path in sorted(own.items()) if name not in names)
    return Templates(templates_dir, defaults, others)


def _own_files(templates_dir: Path) -> dict[str, Path]:
    if not templates_dir.is_dir():
        return {}
    return {
        path.name: path
        for path in templates_dir.iterdir()
        if path.is_file() and not path.name.startswith(".") and path.name not in NOT_TEMPLATES
    }


def describe(template: Path) -> str:
    """The first sentence of the comment a default template opens with: what it makes."""
    text = template.read_text(encoding="utf-8")
    match = _LEADING_COMMENT.match(text)
    if match is None:
        return ""
    comment = match.group("jinja") or re.sub(r"^#\s?", "", match.group("yaml") or "", flags=re.M)
    flat = " ".join(comment.split())
    end = _SENTENCE_END.search(flat)
    return flat[: end.start()] if end else flat


def copy_default(name: str, templates_dir: Path) -> Path:
    """Copy the storybook's template ``name`` into ``templates_dir`` (made if missing) for the
    trainer to change; the copy then replaces the storybook's own. Never replaces a file."""
    names = default_names()
    target = templates_dir / name
    if name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        hint = (
            f"did you mean {close[0]}? `storybook templates` lists them all"
            if close
            else "`storybook templates` lists them all"
        )
        raise StorybookError(
            [Problem(target, 0, f"the storybook has no template called '{name}'", hint)]
        )
    if target.exists() or target.is_symlink():
        raise StorybookError(
            [
                Problem(
                    target,
                    0,
                    "this storybook already has its own copy",
                    "edit it, or delete it to go back to the storybook's own",
                )
            ]
        )
    if not templates_dir.is_dir() and (templates_dir.exists() or templates_dir.is_symlink()):
        raise StorybookError(
            [
                Problem(
                    templates_dir,
                    0,
                    "is a file or a broken link, not a folder, so no template can be copied "
                    "into it",
                    "move it away, then copy again",
                )
            ]
        )
    try:
        templates_dir.mkdir(parents=True, exist_ok=True)
        # "x": a file saved meanwhile is never replaced.
        with target.open("xb") as stream:
            stream.write((DEFAULT_TEMPLATES / name).read_bytes())
    except FileExistsError:
        raise StorybookError(
            [Problem(target, 0, "was saved meanwhile", "it was left as it is")]
        ) from None
    except OSError as exc:
        raise StorybookError(
            [
                Problem(
                    target,
                    0,
                    f"could not be written ({exc.strerror or exc})",
                    "check that you may write in the templates folder",
                )
            ]
        ) from None
    return target

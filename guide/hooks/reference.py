"""The guide's generated parts: field tables from the storybook's own specs, and its pictures.

A line ``<!-- fields: storybook.core.model:FIELDS -->`` in a guide page becomes the table of
those field specs (``storybook/core/fields.py``'s ``FieldSpec``), read when the page is built,
so a field added to the storybook shows up in the guide without editing it. A marker naming
something that is not a list of field specs stops the build, so a renamed list cannot leave
the guide silently out of date.

The guide shows the repository's ``screenshots/`` (taken by the browser tests) without
keeping copies of them: they are added to the guide's files as ``screenshots/<name>.png``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from storybook.core.fields import FieldSpec

MARKER = re.compile(r"^<!-- fields: (?P<module>[\w.]+):(?P<name>\w+) -->$", re.MULTILINE)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def on_files(files: Files, config: Any, **kwargs: Any) -> Files:
    for picture in sorted(SCREENSHOTS.glob("*.png")):
        files.append(
            File.generated(config, f"screenshots/{picture.name}", abs_src_path=str(picture))
        )
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files, **kwargs: Any) -> str:
    where = page.file.src_uri
    return MARKER.sub(lambda match: fields_table(named_specs(match, where)), markdown)


def named_specs(match: re.Match[str], where: str) -> Sequence[FieldSpec]:
    """The field specs a marker names, or a build error naming the page and the marker."""
    module_name, name = match["module"], match["name"]
    try:
        specs = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as error:
        raise PluginError(f"{where}: {match[0]} names nothing: {error}") from error
    if not specs or not all(isinstance(spec, FieldSpec) for spec in specs):
        raise PluginError(f"{where}: {match[0]} is not a list of field specs")
    return list(specs)


def fields_table(specs: Sequence[FieldSpec]) -> str:
    """A table of fields (name, required, what it holds), then every example at once."""
    rows = [
        "| Field | Required | Who sees it | What it holds |",
        "| --- | --- | --- | --- |",
        *(field_row(spec) for spec in specs),
    ]
    examples = "\n".join(spec.example for spec in specs)
    return "\n".join(rows) + f"\n\nAll of them at once:\n\n```yaml\n{examples}\n```\n"


def field_row(spec: FieldSpec) -> str:
    required = "yes" if spec.required else "no"
    audience = "facilitators only" if spec.facilitator_only else "everyone"
    limit = ""
    if spec.limit:
        unit = " characters" if spec.kind == "text" else ""
        limit = f" (at most {spec.limit}{unit})"
    what = f"{spec.kind[:1].upper()}{spec.kind[1:]}{limit}. {code_braces(spec.description)}"
    return f"| `{spec.name}` | {required} | {audience} | {cell(what)} |"


def code_braces(text: str) -> str:
    """Shows `{{ story.title }}` in a description as code, as the authoring page does."""
    return re.sub(r"(\{\{.*?\}\})", r"`\1`", text)


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")

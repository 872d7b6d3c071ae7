"""mkdocs.yml as plain data: read it keeping the tags the engines resolve, and write it back.

MkDocs, ProperDocs and Zensical resolve tags such as ``!ENV``, ``!relative`` and
``!!python/name:...`` when they load the file. `storybook export` must not resolve them
itself (the value of ``!ENV`` belongs to whoever builds the export), so an unknown tag is
kept as a :class:`Tagged` value and written back exactly as it was tagged.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from storybook.core.errors import Problem, StorybookError
from storybook.core.load import read_text
from storybook.core.yamlfile import SafeLoader


@dataclass(frozen=True)
class Tagged:
    """A value written with a tag this module does not resolve, e.g. ``!ENV [NAME, default]``."""

    tag: str
    value: Any


class _TolerantLoader(SafeLoader):  # type: ignore[valid-type,misc]
    """The safe loader, plus: any tag it does not know becomes a :class:`Tagged` value."""


def _construct_tagged(loader: yaml.SafeLoader, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.MappingNode):
        return Tagged(node.tag, loader.construct_mapping(node, deep=True))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(node.tag, loader.construct_sequence(node, deep=True))
    assert isinstance(node, yaml.ScalarNode)
    return Tagged(node.tag, loader.construct_scalar(node))


# A constructor registered for None is used for every tag without one of its own.
_TolerantLoader.add_constructor(None, _construct_tagged)


class _Dumper(yaml.SafeDumper):
    """Writes tagged values back with their tag, multi-line text as a block, never aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as mkdocs.yml files are usually written.
        super().increase_indent(flow, False)


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


def _represent_text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(Tagged, _represent_tagged)
_Dumper.add_representer(str, _represent_text)


def read_config(path: Path) -> dict[str, Any]:
    """The top-level mapping of a mkdocs.yml, with tags kept; every problem as file:line."""
    if not path.is_file():
        raise StorybookError(
            [
                Problem(
                    path,
                    1,
                    "no MkDocs configuration here",
                    "run this in the storybook's folder, or pass --config-file path/to/mkdocs.yml",
                )
            ]
        )
    text = read_text(path, what="settings")
    try:
        data = yaml.load(text, Loader=_TolerantLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise StorybookError(
            [
                Problem(
                    path,
                    line,
                    f"YAML cannot be read here ({what})",
                    "check the quotes, colons and indentation on this line and the one above it",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise StorybookError([Problem(path, 1, f"YAML error: {exc}")]) from None
    if not isinstance(data, dict):
        raise StorybookError(
            [Problem(path, 1, "the configuration must be a mapping", "start with site_name:")]
        )
    return data


def dump_config(data: dict[str, Any]) -> str:
    text: str = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000, indent=2
    )
    return text


def resolve_env(value: Any) -> Any:
    """The value an ``!ENV`` tag stands for right now, as MkDocs resolves it; others unchanged.

    ``!ENV NAME`` is the variable or None; ``!ENV [A, B, default]`` is the first variable
    that is set, else the last item.
    """
    if not isinstance(value, Tagged) or value.tag != "!ENV":
        return value
    names = value.value if isinstance(value.value, list) else [value.value]
    default = None
    if isinstance(value.value, list) and len(names) > 1:
        default = names[-1]
        names = names[:-1]
    for name in names:
        if str(name) in os.environ:
            return os.environ[str(name)]
    return default

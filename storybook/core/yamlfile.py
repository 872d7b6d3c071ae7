"""Safe YAML parsing that remembers the file line of every value.

MkDocs silently drops front matter it cannot parse, so we parse it ourselves and
turn every YAML problem into a :class:`Problem` a trainer can act on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from storybook.core.errors import Problem, StorybookError

# The C loader is about ten times faster; fall back to pure Python where libyaml is missing.
SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Key = tuple[str | int, ...]

# Front matter needs two levels (a field holding a list); deeper nesting is a mistake or an
# attack, and past a few hundred levels the YAML libraries run out of recursion.
MAX_DEPTH = 20


@dataclass
class Located:
    """Parsed YAML data plus the 1-based file line of each value, keyed by its path."""

    data: Any
    lines: dict[Key, int] = field(default_factory=dict)
    key_lines: dict[Key, int] = field(default_factory=dict)

    def line(self, *key: str | int) -> int:
        """The line of the value at ``key``, or of its nearest parent that has one."""
        path: Key = tuple(key)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def key_line(self, *key: str | int) -> int:
        """The line where the key itself is written (a block value starts below it)."""
        return self.key_lines.get(tuple(key)) or self.line(*key)


_HINTS = {
    "mapping values are not allowed": (
        "a value contains a colon (:); put the whole value in double quotes, "
        'e.g. title: "Monday: the call"'
    ),
    "while scanning a quoted scalar": "a quote is opened but never closed; close it on the same line",
    "found unexpected end of stream": "a quote is opened but never closed; close it",
    "could not find expected ':'": "each line needs 'field: value'; check for a missing colon",
    "did not find expected key": "check the indentation of this line and the one above it",
    "did not find expected '-' indicator": "list items must all start with '- ' at the same indentation",
    "expected <block end>, but found '-'": "list items must all be indented the same way",
    "found undefined tag handle": "remove the '!' in front of the value or put the value in quotes",
    "could not determine a constructor for the tag": (
        "values starting with '!' are not allowed; put the value in quotes"
    ),
    "found unhashable key": "a field name cannot be a list or mapping; check the brackets",
    "expected <block end>, but found '<scalar>'": (
        "a quoted value is followed by more text; put the whole value inside the quotes"
    ),
}
_DEFAULT_HINT = "check the quotes, colons and indentation on this line and the one above it"


def parse_yaml(text: str, path: Path, first_line: int = 1) -> Located:
    """Parse one YAML document; ``first_line`` is the file line where ``text`` starts."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located(data=None, lines={(): first_line})
        problems = list(_check_node(node, path, first_line))
        if problems:
            raise StorybookError(problems)
        try:
            data = _construct(node, loader)
        except ValueError as exc:  # YAML reads 2026-13-01 as a date, then cannot make one
            raise StorybookError(
                [
                    Problem(
                        path,
                        first_line + _impossible_date_line(node),
                        f"this date does not exist ({exc})",
                        "write dates as year-month-day, e.g. 2026-03-10, or put it in quotes",
                    )
                ]
            ) from None
    except yaml.MarkedYAMLError as exc:
        raise StorybookError([_yaml_problem(exc, text, path, first_line)]) from None
    except yaml.YAMLError as exc:
        raise StorybookError(
            [Problem(path, first_line, f"YAML error: {exc}", _DEFAULT_HINT)]
        ) from None
    except RecursionError:
        raise StorybookError([_too_deep(path, first_line)]) from None
    finally:
        loader.dispose()
    located = Located(data=data)
    _record_lines(node, (), located, first_line)
    return located


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map"))


def _construct(node: yaml.Node, loader: yaml.SafeLoader) -> Any:
    """What ``loader.construct_document(node)`` gives. Text, lists and mappings with text keys
    (nearly all front matter) are built directly: PyYAML's general constructor took half the
    time of parsing a story. Anything else (numbers, dates, merge keys, ...) is PyYAML's."""
    if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
        return node.value
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        return [_construct(item, loader) for item in node.value]
    if (
        isinstance(node, yaml.MappingNode)
        and node.tag == _MAP
        and all(isinstance(key, yaml.ScalarNode) and key.tag == _STR for key, _ in node.value)
    ):
        return {key.value: _construct(value, loader) for key, value in node.value}
    return loader.construct_object(node, deep=True)


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str, path: Path, first_line: int) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    index = mark.line if mark is not None else 0
    what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
    if "maximum nesting depth" in what:
        return _too_deep(path, first_line + index)
    lines = text.split("\n")
    if exc.problem and "could not determine a constructor" in exc.problem:
        return Problem(
            path,
            first_line + index,
            "values tagged with '!' (such as !!python/...) are not allowed",
            "remove the tag, or put the whole value in double quotes",
        )
    unclosed = next(
        (i for i, line in enumerate(lines[: index + 1]) if _opens_a_quote(line)),
        None,
    )
    if index < len(lines) and "\t" in lines[index]:
        return Problem(
            path,
            first_line + index,
            "this line has a tab, which the front matter cannot contain here",
            "indent with spaces, not tabs",
        )
    if unclosed is not None:
        return Problem(
            path,
            first_line + unclosed,
            'a quote (") is opened on this line but never closed',
            "close it at the end of the value",
        )
    hint = next((h for key, h in _HINTS.items() if key in what), _DEFAULT_HINT)
    return Problem(path, first_line + index, f"YAML cannot be read here ({what})", hint)


def _opens_a_quote(line: str) -> bool:
    """True for a line like `title: "Unclosed` (a quoted value that does not end on its line)."""
    value = line.split(":", 1)[1].strip() if ":" in line else line.strip().lstrip("- ")
    if not value.startswith('"'):
        return False
    body = value[1:].replace('\\"', "")
    return '"' not in body


def _impossible_date_line(node: yaml.Node) -> int:
    """The 0-based line of the first value YAML takes for a date but cannot construct."""
    constructor = yaml.SafeLoader("")
    stack: list[yaml.Node] = [node]
    while stack:
        current = stack.pop(0)
        if isinstance(current, yaml.ScalarNode) and current.tag.endswith(":timestamp"):
            try:
                constructor.construct_yaml_timestamp(current)
            except ValueError:
                return current.start_mark.line
        elif isinstance(current, yaml.MappingNode):
            stack.extend(part for pair in current.value for part in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return 0


def _too_deep(path: Path, line: int) -> Problem:
    return Problem(
        path,
        line,
        f"the front matter is nested more than {MAX_DEPTH} levels deep",
        "a field holds text or a list of texts; check the brackets and the indentation",
    )


def _check_node(node: yaml.Node, path: Path, first_line: int) -> list[Problem]:
    """Reject aliases (alias bombs), duplicate keys and deep nesting, before anything is built."""
    problems: list[Problem] = []
    stack: list[tuple[yaml.Node, int]] = [(node, 0)]
    seen: set[int] = set()
    while stack:
        current, depth = stack.pop()
        if depth > MAX_DEPTH:
            return [_too_deep(path, first_line + current.start_mark.line)]
        if id(current) in seen:
            alias = Problem(
                path,
                first_line + current.start_mark.line,
                "anchors and aliases (& and *) are not supported",
                "write the value out in full",
            )
            if alias not in problems:  # an alias bomb repeats them many times on one line
                problems.append(alias)
            continue
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            keys: dict[str, int] = {}
            for key_node, value_node in current.value:
                key = str(key_node.value)
                line = first_line + key_node.start_mark.line
                if key in keys:
                    problems.append(
                        Problem(
                            path,
                            line,
                            f"'{key}' is given twice (first on line {keys[key]})",
                            "keep one of them and delete the other",
                        )
                    )
                keys.setdefault(key, line)
                stack.extend(((key_node, depth + 1), (value_node, depth + 1)))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in current.value)
    return problems


def _record_lines(node: yaml.Node, key: Key, located: Located, first_line: int) -> None:
    located.lines[key] = first_line + node.start_mark.line
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        # A block of text starts on the line below its | or >: line 1 of the text is there.
        located.lines[key] += 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*key, str(key_node.value))
            located.key_lines[child] = first_line + key_node.start_mark.line
            _record_lines(value_node, child, located, first_line)
            # A value on the same line as its key is the key's line; a block value starts below.
            located.lines.setdefault(child, first_line + key_node.start_mark.line)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*key, index), located, first_line)

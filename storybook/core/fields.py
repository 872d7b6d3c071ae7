"""The field kit: one spec per field, the single source of how a field is read and shown.

A :class:`FieldSpec` says everything about one field of a story, a workshop or a session: how
its value is read (a :data:`Reader`), whether it is required, whether its text reaches a page
(and so is checked for unsafe markup), whether only facilitators see it, and the words of
the authoring guide. Validation, the unsafe-markup check, the views handed to templates,
the authoring pages and the edition tests are all driven by these specs, so adding an
optional field is one spec entry plus the template that shows it.

Readers take the raw YAML value and a :class:`Cursor` (where the value is written) and
return the typed value, or None after reporting what is wrong at its line.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storybook.core.errors import Problem
from storybook.core.safety import find_unsafe, may_make_markup
from storybook.core.yamlfile import Key, Located

if TYPE_CHECKING:  # editions.py reads the specs: the policy is only named here
    from storybook.core.editions import Edition

# Whole minutes a trainer may give anything: a session, a story, a workshop.
MAX_MINUTES = 720
# A page address: lowercase letters and digits in words joined by single hyphens.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class Cursor:
    """Where a value is written in a YAML file, and the list its problems go to.

    A cursor is made for every field and list item of every story, so it is a slotted class
    and works out how a trainer reads its name ("discussion_plan: open", "session 2") only
    when a problem needs it."""

    __slots__ = ("_given", "_parent", "context", "keys", "located", "path", "problems")

    def __init__(
        self,
        path: Path,
        located: Located,
        problems: list[Problem],
        keys: Key = (),
        label: str = "",
        context: Mapping[str, Any] | None = None,
        *,
        parent: Cursor | None = None,
    ) -> None:
        self.path = path
        self.located = located
        self.problems = problems
        self.keys = keys
        # What readers may need beyond the value, e.g. the library's vocabulary for tags.
        self.context: Mapping[str, Any] = context if context is not None else {}
        self._given = label
        self._parent = parent

    def at(self, key: str | int, label: str | None = None) -> Cursor:
        return Cursor(
            self.path,
            self.located,
            self.problems,
            (*self.keys, key),
            label or "",
            self.context,
            parent=None if label is not None else self,
        )

    @property
    def label(self) -> str:
        """The value's name in messages: "title", "discussion_plan: open", "session 2"."""
        if self._parent is None:
            return self._given
        key, above = self.keys[-1], self._parent.label
        if not isinstance(key, str):
            return above
        return f"{above}: {key}" if above else key

    @property
    def name(self) -> str:
        """The name of the nearest field: what a trainer writes before the colon."""
        return next((key for key in reversed(self.keys) if isinstance(key, str)), self.label)

    @property
    def line(self) -> int:
        """The line of the value (for a block value, the line of its key)."""
        return self.located.key_line(*self.keys) if self.keys else self.located.line()

    def report(self, message: str, hint: str = "", *, line: int | None = None) -> None:
        self.problems.append(Problem(self.path, line or self.line, message, hint))


Reader = Callable[[object, Cursor], Any]


@dataclass(frozen=True)
class FieldSpec:
    """One field: how it is read, who sees it, and how the authoring guide explains it.

    Only the name and the reader are positional; everything that describes the field is
    written by name, so a spec reads as what it says and a new option cannot shift others."""

    name: str
    read: Reader
    _: KW_ONLY
    kind: str
    description: str
    example: str
    required: bool = False
    # Shown in the facilitator edition only; the learner edition never contains it.
    facilitator_only: bool = False
    # Its text reaches a page as written, so it is checked for unsafe markup at its line
    # (False for values that cannot make markup or are shown only through a view of their own).
    on_page: bool = True
    # What a reflection question may use as story.<name>.
    in_questions: bool = False
    # How templates see the value (None: not handed to templates as it is, e.g. questions,
    # which are rendered first). Every field with a view reaches the templates: a new field
    # needs no code to be shown.
    view: Callable[[Any], Any] | None = field(default=lambda value: value)
    # The most it may hold: entries for a list, characters for a text. Every page a value
    # reaches does work in proportion to it (a card lists every tag of a story on every
    # theme page), so a value without a bound would make a page, and a build, without one.
    limit: int | None = None

    def guide(self) -> dict[str, Any]:
        """What the authoring pages show of the field."""
        return {
            "name": self.name,
            "kind": self.kind,
            "required": self.required,
            "description": self.description,
            "example": self.example,
            "facilitator_only": self.facilitator_only,
            "limit": self.limit,
        }

    def over_limit(self, value: object, cursor: Cursor) -> bool:
        """Whether the value holds more than the field's limit; if so, says so at its line."""
        if self.limit is None:
            return False
        if isinstance(value, list) and len(value) > self.limit:
            cursor.report(
                f"{cursor.label} has {len(value):,} entries, more than the {self.limit} allowed",
                f"keep the {self.limit} that matter most",
            )
            return True
        if isinstance(value, str) and len(value.strip()) > self.limit:
            cursor.report(
                f"{cursor.label} is {len(value.strip()):,} characters long, more than the "
                f"{self.limit} allowed",
                f"shorten it to at most {self.limit} characters",
            )
            return True
        return False


def read_fields(
    data: object,
    specs: Sequence[FieldSpec],
    cursor: Cursor,
    *,
    what: str,
    start_hint: str,
    must_list: str = "",
    unknown: str = "field",
) -> dict[str, Any] | None:
    """Read a mapping of fields by their specs, reporting every mistake at its line.

    Returns the values that were read (None for a missing optional field), or None when
    ``data`` is not a mapping at all. ``what`` names the thing in messages ("a story").
    """
    if not isinstance(data, dict) or (must_list and not data):
        must = f"must list {must_list}" if must_list else "must be a list of 'field: value' lines"
        cursor.report(f"{what} {must}", start_hint)
        return None
    raw = {str(key): value for key, value in data.items()}
    names = [spec.name for spec in specs]
    for key in raw:
        if key not in names:
            guess = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else "the fields are " + ", ".join(names)
            where = cursor.at(key)
            prefix = f"{cursor.label}: " if cursor.keys else ""
            where.report(f"{prefix}unknown {unknown} '{key}'", hint)
    values: dict[str, Any] = {}
    for spec in specs:
        value = raw.get(spec.name)
        if value is None:
            if spec.required:
                line = cursor.located.key_lines.get((*cursor.keys, spec.name))
                cursor.report(
                    f"the required field '{spec.name}' is missing",
                    f"add it, e.g. {spec.example.splitlines()[0]}",
                    line=line or (cursor.line if cursor.keys else 1),
                )
            values[spec.name] = None
            continue
        where = cursor.at(spec.name)
        values[spec.name] = None if spec.over_limit(value, where) else spec.read(value, where)
    return values


def unsafe_markup(data: object, specs: Sequence[FieldSpec], cursor: Cursor) -> None:
    """Report, at its line, any markup the HTML cleaner would remove from a field that reaches
    a page. Every text inside such a field is checked, however deep, so no field and no part
    of a field can be forgotten."""
    if not isinstance(data, dict):
        return
    for spec in specs:
        if spec.on_page and spec.name in data:
            for text, keys in _texts(data[spec.name], (*cursor.keys, spec.name)):
                if not may_make_markup(text):
                    continue  # the cheap test first: most texts cannot make markup at all
                line = cursor.located.line(*keys)
                for finding in find_unsafe(text):
                    cursor.report(finding.message, finding.hint, line=line + finding.line)


def _texts(value: object, keys: Key) -> Iterator[tuple[str, Key]]:
    """Every text inside a value, with the keys that lead to it."""
    if isinstance(value, str):
        yield value, keys
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*keys, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*keys, index))


# Readers. Each returns None after reporting, so that one mistake never hides another.


def text(value: object, cursor: Cursor) -> str | None:
    """Text, on one line or several; numbers are taken as text."""
    label, name = cursor.label, cursor.name
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        cursor.report(
            f"{label} must be text", f'write it on one line in double quotes: {name}: "..."'
        )
        return None
    if not value.strip():
        cursor.report(f"{label} is empty", f"write the {name} after '{name}:'")
        return None
    return value.strip()


def slug(value: object, cursor: Cursor) -> str | None:
    if not isinstance(value, str) or not SLUG.match(value):
        cursor.report(
            f"slug '{value}' is not a valid page address",
            "use lowercase letters, digits and single hyphens only, e.g. slug: first-hard-talk",
        )
        return None
    return value


def whole_minutes(value: object) -> int | None:
    """A number of minutes a trainer wrote, or None when it is not a whole number in range."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= MAX_MINUTES else None


# Messages about values never quote them: a facilitator-only field's problem is shown on
# the learner edition's banner under `mkdocs serve`.
def minutes(value: object, cursor: Cursor) -> int | None:
    found = whole_minutes(value)
    if found is None:
        cursor.report(
            f"{cursor.label} must be a whole number of minutes from 1 to {MAX_MINUTES}",
            f"write e.g. {cursor.name}: 45",
        )
    return found


def boolean(value: object, cursor: Cursor) -> bool | None:
    if not isinstance(value, bool):
        cursor.report(f"{cursor.label} must be true or false", "write true or false")
        return None
    return value


def choice(*allowed: str) -> Reader:
    """One of a few words."""

    def read(value: object, cursor: Cursor) -> str | None:
        if isinstance(value, str) and value.strip() in allowed:
            return value.strip()
        guess = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{guess[0]}'?" if guess else "write one of " + ", ".join(allowed)
        cursor.report(f"{cursor.label} must be one of {', '.join(allowed)}", hint)
        return None

    return read


def list_of(item: Reader, *, noun: str, hint: str) -> Reader:
    """A non-empty list of items; a single text counts as a list of one."""

    def read(value: object, cursor: Cursor) -> tuple[Any, ...] | None:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            cursor.report(f"{cursor.label} must be a non-empty list of {noun}", hint)
            return None
        items = []
        label = cursor.label  # made from the cursors above it: once, not once an item
        for index, entry in enumerate(value):
            read_item = item(entry, cursor.at(index, f"{label} {index + 1}"))
            if read_item is not None:
                items.append(read_item)
        return tuple(items)

    return read


def possibly_empty_list_of(item: Reader, *, noun: str, hint: str) -> Reader:
    """Like :func:`list_of`, but ``[]`` is a choice too (e.g. "no question banks")."""
    non_empty = list_of(item, noun=noun, hint=hint)

    def read(value: object, cursor: Cursor) -> tuple[Any, ...] | None:
        if value == []:
            return ()
        result: tuple[Any, ...] | None = non_empty(value, cursor)
        return result

    return read


def record(
    specs: Sequence[FieldSpec], *, what: str, start_hint: str, must_list: str = ""
) -> Reader:
    """A mapping of named parts, each read by its own spec: returns {part: value}."""

    def read(value: object, cursor: Cursor) -> dict[str, Any] | None:
        before = len(cursor.problems)
        values = read_fields(
            value,
            specs,
            cursor,
            what=what,
            start_hint=start_hint,
            must_list=must_list,
            unknown="part",
        )
        if values is None or len(cursor.problems) > before:
            return None
        return values

    return read


def views(
    values: Mapping[str, Any], specs: Sequence[FieldSpec], edition: Edition
) -> dict[str, Any]:
    """What templates see of the fields in an edition: every field with a view that the
    edition shows. Facilitator-only fields are read only for an edition whose policy shows
    facilitator material: the learner edition never builds them."""
    return {
        spec.name: spec.view(values.get(spec.name))
        for spec in specs
        if spec.view is not None and shows(edition, spec)
    }


def own_views(
    values: Mapping[str, Any], specs: Sequence[FieldSpec], edition: Edition
) -> dict[str, Any]:
    """The views an edition adds to what every edition shows: its facilitator-only fields
    (none in the learner edition)."""
    return {
        spec.name: spec.view(values.get(spec.name))
        for spec in specs
        if spec.view is not None and spec.facilitator_only and shows(edition, spec)
    }


def shows(edition: Edition, spec: FieldSpec) -> bool:
    """Whether pages of the edition may show the field at all."""
    return edition.shows_facilitator or not spec.facilitator_only


def names(specs: Sequence[FieldSpec], **flags: bool) -> tuple[str, ...]:
    """The names of the specs whose flags have the given values, e.g.
    ``names(FIELDS, facilitator_only=True)``: every list of field names comes from here."""
    return tuple(
        spec.name
        for spec in specs
        if all(getattr(spec, flag) == wanted for flag, wanted in flags.items())
    )


def kept_apart(values: Mapping[str, Any], kept: type) -> dict[str, Any]:
    """The values read that the dataclass ``kept`` has no attribute for (set ones only): what
    an item keeps in its ``more``, so that a field declared by its spec alone is kept too."""
    attributes = {item.name for item in dataclasses.fields(kept)}
    return {
        name: value
        for name, value in values.items()
        if name not in attributes and value is not None
    }


def value_of(item: Any, name: str) -> Any:
    """One field of a read item: its attribute of that name, else what its ``more`` keeps."""
    if name != "more" and name in {entry.name for entry in dataclasses.fields(item)}:
        return getattr(item, name)
    return item.more.get(name)

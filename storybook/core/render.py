"""Step 3: render reflection questions and pages with the Jinja templates.

A template is looked up in the project's templates folder first, then among the storybook's
own (storybook/defaults/templates): a project overrides them file by file, as a theme's
custom_dir does, and one with no templates at all builds with the defaults.

Jinja runs sandboxed with strict undefined variables, on templates and question strings
only. A story's body is handed to templates as a value, so Jinja never interprets it.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import SandboxedEnvironment, modifies_known_mutable
from markupsafe import Markup
from markupsafe import escape as markupsafe_escape

from storybook.core.compiled import CompiledTemplates
from storybook.core.defaults import DEFAULT_TEMPLATES
from storybook.core.errors import Problem, StorybookError
from storybook.core.load import MAX_STORY_BYTES, read_bounded
from storybook.core.model import QUESTION_FIELDS, Question, Story
from storybook.core.safety import find_unsafe, neutralise

_LINE_BREAK = re.compile(r"\r\n|\r")  # as Jinja's lexer normalises them
_MISSING_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'|'([^']+)' is undefined")

# A page renders in milliseconds; anything slower is a loop inside a loop gone wrong.
RENDER_SECONDS = 3.0
# The longest text or list a template may make by repeating one with * .
MAX_REPEAT = 100_000
# The widest a text may be padded or formatted to ('x'.ljust(n), '%0nd', '{:>n}').
MAX_WIDTH = 10_000
# The most text one template or question may make; a page is a few kB, a question a line.
MAX_PAGE_CHARS = 2_000_000
MAX_QUESTION_CHARS = 10_000
_PADDING_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
_WIDTH = re.compile(r"\d{5,}")


def _now() -> float:
    # CPU time, not the wall clock: a template is stopped for the work it does, never because
    # the machine is busy with something else (a loaded CI runner, a room laptop on battery).
    return time.process_time()


class _TooSlow(Exception):
    """Raised inside a template that runs longer than RENDER_SECONDS."""


# A template is read whole before it runs: at most as large as a story.
MAX_TEMPLATE_BYTES = MAX_STORY_BYTES


class _OutsideFolder(jinja2.TemplateNotFound):
    """A template that is a link to a file outside the templates folder."""


class _TooLarge(Exception):
    """Raised when a template or question makes more text than it may."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def _too_wide(spec: object) -> bool:
    """Whether a format string or width asks for more than MAX_WIDTH characters."""
    if isinstance(spec, bool):
        return False
    if isinstance(spec, (int, float)):
        return spec > MAX_WIDTH
    if isinstance(spec, str):
        return any(int(number) > MAX_WIDTH for number in _WIDTH.findall(spec))
    return False


_DICT_ATTRIBUTES = frozenset(dir(dict))
_LOOP_VALUES = frozenset(
    {"index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0"}
)


class StorybookSandbox(SandboxedEnvironment):
    """Jinja's sandbox, also refusing the repetitions and powers that exhaust memory."""

    intercepted_binops = frozenset({"*", "**", "%"})
    # How many times a template called a method that changes a list or dict in place
    # (story.tags.append(...)): a text made from a value before such a call may not be that
    # value's text after it (see Renderer.story_card).
    changes = 0

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Templates get their values as dicts, and Jinja looks `story.title` up as an
        # attribute first: an AttributeError raised and caught for nearly every value on a
        # page. A key that is not also a dict attribute gives the same value either way.
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        # loop.first, loop.index...: plain values the sandbox always allows, looked up in
        # every loop of every list; its checks cost twenty times the lookup.
        if type(obj) is LoopContext and attribute in _LOOP_VALUES:
            return getattr(obj, attribute)
        return super().getattr(obj, attribute)

    def call(
        __self,
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        name = getattr(__obj, "__name__", "")
        owner = getattr(__obj, "__self__", None)
        if (
            name in _PADDING_METHODS
            and isinstance(owner, str)
            and any(map(_too_wide, (*args, *kwargs.values())))
        ):
            raise SecurityError(f"padding text to more than {MAX_WIDTH} characters")
        # A method that changes its value in place, called on it (story.tags.append(x)) or
        # through its type (dict.update(story, ...)); counting one that only looks like such
        # a method costs no more than a card made again.
        if modifies_known_mutable(owner, name) or (args and modifies_known_mutable(args[0], name)):
            __self.changes += 1
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        # Jinja wraps str.format when it is looked up, so the width is checked there.
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _too_wide(value.__self__):
            raise SecurityError(f"formatting text wider than {MAX_WIDTH} characters")
        return wrapped

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str) and _too_wide(left):
            raise SecurityError(f"formatting text wider than {MAX_WIDTH} characters")
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > 100:
            raise SecurityError("powers above 100 are not allowed")
        if operator == "*":
            for repeated, times in ((left, right), (right, left)):
                if (
                    isinstance(repeated, (str, list, tuple))
                    and isinstance(times, int)
                    and len(repeated) * times > MAX_REPEAT
                ):
                    raise SecurityError(f"repeating makes more than {MAX_REPEAT} items")
        return super().call_binop(context, operator, left, right)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _TooSlow()


class _Clock:
    """SIGPROF (the process's CPU-time timer) stops a render that runs too long; only the main
    thread, where MkDocs builds, receives it. Installing the handler costs more than filling in a question, so a build
    installs it once (:func:`time_limits`) and each render only starts and stops the timer."""

    installed = False


@contextmanager
def time_limits() -> Iterator[None]:
    """Let every render inside stop after RENDER_SECONDS (each render needs it anyway)."""
    if (
        _Clock.installed
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    previous = signal.signal(signal.SIGPROF, _stop)
    _Clock.installed = True
    try:
        yield
    finally:
        _Clock.installed = False
        signal.signal(signal.SIGPROF, previous if previous is not None else signal.SIG_DFL)


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop the render inside if it runs longer than ``seconds``."""
    with time_limits():
        # Another thread, or a timer already running (someone else's, or a render around this
        # one): leave it alone.
        if (
            not _Clock.installed
            or threading.current_thread() is not threading.main_thread()
            or signal.getitimer(signal.ITIMER_PROF)[0] != 0
        ):
            yield
            return
        # Repeated every half second, in case something on the way out catches the first one.
        signal.setitimer(signal.ITIMER_PROF, seconds, 0.5)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)


_LINK_TEXT_SPECIAL = re.compile(r"([\\\[\]])")


def link_text(text: object) -> str:
    """The ``link_text`` filter: text for the [...] of a Markdown link. A title with [ or ]
    in it would otherwise end the link early and leave the rest as stray text."""
    shown = str(text)
    if "[" not in shown and "]" not in shown and "\\" not in shown:
        return shown  # most titles and labels: nothing to escape, no pattern run over them
    return _LINK_TEXT_SPECIAL.sub(r"\\\1", shown)


def _link_text_slowly(text: object) -> str:
    """What :func:`link_text` gives, by the pattern alone (tests compare the two)."""
    return _LINK_TEXT_SPECIAL.sub(r"\\\1", str(text))


def yaml_text(value: object) -> Markup:
    """The ``yaml_text`` filter: any text as one double-quoted YAML string that reads back as
    exactly that text (quotes, backslashes, emoji, control characters included)."""
    escaped = []
    for char in str(value):
        if char in ('"', "\\"):
            escaped.append("\\" + char)
        elif char.isprintable() and char not in "\u2028\u2029\ufeff":
            escaped.append(char)
        elif ord(char) <= 0xFF:
            escaped.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(f"\\U{ord(char):08x}")
    # Front matter is YAML, never Markdown: the quoted string is already harmless there.
    return Markup('"' + "".join(escaped) + '"')


class UnescapedValues(Exception):
    """A template prints a value inside an HTML tag without escaping it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


_JINJA_PART = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_ESCAPED = re.compile(r"\|\s*(?:e|escape|attr)\s*-?\}\}$")
_TAG_OPENING = re.compile(r"<[a-zA-Z]")
# Statements that print another template's (or a macro's) text where they stand: what that
# text prints was escaped for the place it stands in there, not for an attribute here.
# What may stand unquoted as an id or class token of an attribute list: a slug, a number.
_TOKEN_VALUE = re.compile(
    r"\{\{-?\s*(?:[A-Za-z_]\w*\.)+slug\s*-?\}\}$|\{\{-?\s*loop\.index0?\s*-?\}\}$"
)
_PRINTS_OTHER_TEXT = re.compile(r"\{%-?\s*(?:include|call)\b")


def values_inside_tags(source: str, path: Path) -> list[Problem]:
    """Every place a template prints a value where a quote in it would add an attribute:
    ``{{ value }}`` inside an HTML tag (``<abbr title="{{ x }}">``) or inside the quotes of a
    Markdown attribute list (``{: title="{{ x }}" }``) without an escaping filter at its end,
    an escaped value inside an HTML tag but outside quotes (a space in it starts another
    attribute), and an ``{% include %}`` or ``{% call %}`` in either place."""
    # The template's text with its Jinja parts blanked out: only its own < > { } and quotes count.
    text = _JINJA_PART.sub(lambda match: " " * len(match[0]), source)
    if "<" not in text and "{" not in text:
        return []
    problems = []
    for part in _JINJA_PART.finditer(source):
        found = _unsafe_place(part[0], text, part.start())
        if found is not None:
            message, hint = found
            problems.append(Problem(path, source.count("\n", 0, part.start()) + 1, message, hint))
    return problems


def _unsafe_place(value: str, text: str, start: int) -> tuple[str, str] | None:
    """What is wrong with Jinja part ``value`` standing at ``start`` of the blanked ``text``."""
    shown = " ".join(value.split())
    prints_other = _PRINTS_OTHER_TEXT.match(value) is not None
    if not value.startswith("{{") and not prints_other:
        return None
    in_tag = _in_html_tag(text, start)
    in_list = not in_tag and _in_attribute_list(text, start)
    if not in_tag and not in_list:
        return None
    where = "an HTML tag" if in_tag else "a Markdown attribute list"
    if prints_other:
        return (
            f"{shown} stands inside {where}: what it prints is not escaped there",
            "print the value here as {{ value | e }} between quotes instead: a quote in the "
            "text it prints would add an attribute",
        )
    quoted = _inside_quotes(text, text.rfind("<" if in_tag else "{", 0, start), start)
    if in_list and not quoted:
        # An id or class token such as #{{ story.slug }}: a slug or a loop's number holds no
        # space, quote or brace; any other value there could start another attribute,
        # escaped or not.
        if _TOKEN_VALUE.match(value):
            return None
        return (
            f"{shown} stands inside a Markdown attribute list outside quotes",
            "only a slug ({{ story.slug }}) or a number ({{ loop.index }}) may stand there; "
            'put any other value between quotes, as in title="{{ value | e }}": a space in '
            "it would start another attribute",
        )
    if not _ESCAPED.search(value):
        return (
            f"{shown} stands inside {where} without being escaped",
            f"write {shown[:-2].rstrip()} | e }}}}: a quote in the value would add an "
            "attribute to the tag",
        )
    if in_tag and not quoted:
        return (
            f"{shown} stands inside an HTML tag outside quotes",
            f'put it between quotes, as in title="{shown}": a space in the value would '
            "start another attribute",
        )
    return None


def _in_html_tag(text: str, start: int) -> bool:
    opened = text.rfind("<", 0, start)
    if opened < 0 or opened < text.rfind(">", 0, start):
        return False
    return _TAG_OPENING.match(text, opened) is not None


def _in_attribute_list(text: str, start: int) -> bool:
    """Whether ``start`` stands after a ``{`` of its line that is not yet closed: inside
    ``{: ... }`` or ``{ ... }`` (the template's own braces; its Jinja parts are blanked)."""
    line_start = text.rfind("\n", 0, start) + 1
    opened = text.rfind("{", line_start, start)
    return opened >= 0 and text.find("}", opened, start) < 0


def _inside_quotes(text: str, opened: int, start: int) -> bool:
    quote = ""
    for char in text[opened:start]:
        if not quote and char in "\"'":
            quote = char
        elif char == quote:
            quote = ""
    return bool(quote)


class _RecordingLoader(jinja2.FileSystemLoader):
    """Finds a template in the first of ``folders`` that has a file of its name (the
    project's, then the defaults), and notes which templates Jinja compiled, so that their
    syntax is not checked twice."""

    def __init__(self, folders: Sequence[Path]) -> None:
        super().__init__([str(folder) for folder in folders])
        self.folders = list(folders)
        self.roots = [folder.resolve() for folder in folders]
        self.compiled: set[str] = set()

    def find(self, template: str) -> tuple[Path, Path] | None:
        """The file that renders ``template`` and the (resolved) folder it belongs to; None
        when no folder has one. A file that cannot be read still overrides the default: the
        trainer hears what is wrong with it rather than getting the default silently."""
        parts = split_template_path(template)
        for folder, root in zip(self.folders, self.roots, strict=True):
            path = Path(folder, *parts)
            if os.path.lexists(path):
                return path, root
        return None

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        found = self.find(template)
        if found is None:
            raise jinja2.TemplateNotFound(template)
        path, root = found
        # A link in the folder that leads outside it is the folder's edge crossed, as an
        # include of ../ would be.
        if not path.resolve().is_relative_to(root):
            raise _OutsideFolder(template)
        # Read within a limit, never waiting on a FIFO; a folder or an unreadable file where a
        # template should be is a StorybookError at the file (Jinja's own loader raised).
        source = _template_text(read_bounded(path, MAX_TEMPLATE_BYTES, what="template"), path)
        unescaped = values_inside_tags(source, path)
        if unescaped:
            raise UnescapedValues(unescaped)
        modified = os.path.getmtime(path)

        def uptodate() -> bool:
            # Also stale once the project adds a file that overrides this one, or deletes it.
            try:
                return self.find(template) == found and os.path.getmtime(path) == modified
            except (OSError, jinja2.TemplateNotFound):
                return False

        return source, str(path), uptodate

    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        template = super().load(environment, name, globals)
        self.compiled.add(name)
        return template


def _template_text(raw: bytes, path: Path) -> str:
    """A template's bytes as text; anything not UTF-8 is a problem at its file, said the same
    way whether the template runs itself or is included by another (ours or the project's)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StorybookError(
            [
                Problem(
                    path,
                    1,
                    "this template is not UTF-8 text",
                    "save it again as UTF-8 (most editors offer it under Save As)",
                )
            ]
        ) from None


# What the story_card filter makes: one story's card in a list of stories.
STORY_CARD = "story-card.md.j2"
# The most cards a renderer keeps (a few for each story: one for each depth of its lists).
_CARDS_KEPT = 16_384
# The most characters of cards it keeps: a card is a few hundred (a summary is at most 600),
# 9,000 cards at 3,000 stories; a template that makes huge ones must not make a build or a
# server hold every one of them.
_CARD_CHARS_KEPT = 32_000_000


def _card_slot(story: dict[str, Any]) -> int | str:
    """Where a story's card is kept: by its page, so that the view made when the story is
    saved again under serve takes its last one's place rather than keeping it alive beside
    it (a view holds the story's body); a card is only ever given for the very view it was
    made from. A view without a page (a template's own dict) is kept by itself."""
    uri = story.get("uri")
    return uri if type(uri) is str else id(story)


# A templates folder holds a few dozen files. One with thousands is a slip of templates_dir
# (the project's own folder with its .venv, a home folder, /), which would otherwise be read
# whole on every build and every save under serve.
MAX_TEMPLATE_ENTRIES = 1_000


def template_names(folder: Path) -> list[str]:
    """The files below a templates folder, as names a template is looked up by (a/b.md.j2),
    in order; a StorybookError at the folder past MAX_TEMPLATE_ENTRIES files and folders."""
    names: list[str] = []
    entries = 0
    for current, subfolders, files in os.walk(folder):
        entries += len(subfolders) + len(files)
        if entries > MAX_TEMPLATE_ENTRIES:
            raise StorybookError(
                [
                    Problem(
                        folder,
                        0,
                        f"this templates folder holds more than {MAX_TEMPLATE_ENTRIES:,} files "
                        "and folders, so it cannot be the storybook's templates folder",
                        "point templates_dir in mkdocs.yml at the folder of your own templates "
                        "(it may be empty), or remove templates_dir",
                    )
                ]
            )
        subfolders.sort()
        relative = Path(current).relative_to(folder)
        names += sorted((relative / name).as_posix() for name in files)
    return names


class Renderer:
    """Renders the templates of a project's folder, each one it lacks taken from the
    storybook's defaults; every error names the template file and line it comes from."""

    def __init__(
        self,
        templates_dir: Path,
        defaults: Path | None = DEFAULT_TEMPLATES,
        *,
        reload: bool = True,
        remember: bool = False,
        compiled_dir: Path | None = None,
    ) -> None:
        self.templates_dir = templates_dir
        folders = [templates_dir]
        if defaults is not None and defaults.resolve() != templates_dir.resolve():
            folders.append(defaults)
        self.loader = _RecordingLoader(folders)
        # Every value a template prints is a trainer's text unless our own code marked it
        # safe (markupsafe.Markup): it is neutralised (safety.neutralise), so no text from a
        # story, path, workshop or vocabulary can set an attribute on the page.
        # What it printed and the questions it filled in are remembered by this renderer,
        # for one build or one server: nothing outlives the settings it was made under.
        self._printed = _Remembered(32_768)
        self._harmless = _Remembered(8_192)
        self.env = _sandbox(self.loader, finalize=functools.partial(_neutral_value, self._printed))
        # Questions are filled in without it, then neutralised whole (render_question): the
        # fast path and Jinja give the same text.
        self.question_env = _sandbox(self.loader, finalize=None)
        # ``reload``: a renderer that lives on between builds (under serve) looks whether each
        # template's file changed every time it renders it; one made for a single build does
        # not (that look was 3% of a build's own work, for files nothing changes meanwhile).
        self.env.auto_reload = self.question_env.auto_reload = reload
        # ``compiled_dir``: where the page templates' compiled code is kept between builds
        # (see compiled.py). Questions are compiled from strings and never kept there.
        if compiled_dir is not None:
            self.env.bytecode_cache = CompiledTemplates(compiled_dir, _configuration())
        self._questions: dict[str, jinja2.Template] = {}
        # Each story's card, by its page (see _card_slot) and the root of the list's page.
        self._cards: dict[tuple[int | str, str], tuple[object, jinja2.Template, int, Markup]] = {}
        self._cards_chars = 0  # the characters of the cards kept, with their roots
        # A filter, not a function: Jinja calls a filter directly, a function through the
        # sandbox's checks, once for every card of every list.
        self.env.filters["story_card"] = self.story_card
        # ``remember`` (under serve): the last text of each page, with what made it (see
        # render_page).
        self._pages: dict[str, tuple[jinja2.Template, dict[str, Any], str]] | None = (
            {} if remember else None
        )
        # Under page_budget(): when the questions of the page being rendered must be done.
        self._deadline: float | None = None

    @contextmanager
    def page_budget(self, seconds: float = RENDER_SECONDS) -> Iterator[None]:
        """All the questions rendered inside share ``seconds`` between them: fifteen slow
        questions of a second each must not make a page of fifteen seconds."""
        outer, self._deadline = self._deadline, _now() + seconds
        try:
            yield
        finally:
            self._deadline = outer

    def _seconds_left(self) -> float:
        if self._deadline is None:
            return RENDER_SECONDS
        left = self._deadline - _now()
        if left <= 0:
            raise _TooSlow()
        return min(RENDER_SECONDS, left)

    def template_path(self, name: str) -> Path:
        """The file that renders template ``name``: the project's if it has one, else the
        default; a name found in neither is said at the project's folder."""
        try:
            found = self.loader.find(name)
        except jinja2.TemplateNotFound:  # a name with .. in it
            found = None
        return found[0] if found else self.templates_dir / name

    def render_template(self, name: str, **context: Any) -> str:
        try:
            with _time_limit(RENDER_SECONDS):
                return _limited(self.env.get_template(name), MAX_PAGE_CHARS, context)
        except jinja2.TemplateNotFound as exc:
            raise StorybookError([self._not_found(exc, name)]) from None
        except UnescapedValues as exc:
            raise StorybookError(exc.problems) from None
        except StorybookError:
            raise  # a template that cannot be read, said at its file
        except jinja2.TemplateSyntaxError as exc:
            where = Path(exc.filename) if exc.filename else self.template_path(name)
            raise StorybookError(
                [Problem(where, exc.lineno, f"template syntax error: {exc.message}", _SYNTAX_HINT)]
            ) from None
        except Exception as exc:  # any error raised while a trainer's template runs
            path = self.template_path(name)
            where, line = _template_location(exc.__traceback__, self.loader.roots, path)
            raise StorybookError([_runtime_problem(exc, where, line, context)]) from None

    def render_page(self, uri: str, name: str, **context: Any) -> str:
        """Template ``name`` rendered for the page at ``uri``, as :meth:`render_template`.

        A renderer that remembers (the one kept between the builds of `mkdocs serve`) gives
        back the page's last text when the same template is given an equal context, without
        running it again: a save changes one story, and the lists of thousands of stories
        (home, theme pages) it is not on, or shows as before, stay as they were. Equal
        contexts make equal text: a template sees nothing but its context (no clock, no
        randomness), and the template itself is the same object only while its file is."""
        if self._pages is None:
            return self.render_template(name, **context)
        try:
            template = self.env.get_template(name)
        except Exception:  # render_template says what is wrong with it
            return self.render_template(name, **context)
        last = self._pages.get(uri)
        if last is not None and last[0] is template and last[1] == context:
            return last[2]
        text = self.render_template(name, **context)
        self._pages[uri] = (template, context, text)
        return text

    def story_card(self, story: Any, root: Any) -> Markup:
        """The ``story_card`` filter (``story | story_card(root)``): story-card.md.j2 for
        ``story`` on a list of stories whose page is ``root`` below the top of the site.

        A story is on the home page's list and on the list of each of its tags: its card is
        made once for each root and printed again on every list of that depth, the same
        text, as the card depends on nothing but the story's view, the root and the
        template (a new template is a new renderer under serve). A card is made again once a
        template has changed a list or dict in place (StorybookSandbox.changes): the view
        may be one of them. tests/test_story_cards.py holds it to :meth:`_story_card_slowly`."""
        try:
            template = self.env.get_template(STORY_CARD)
        except Exception:  # the slow way says what is wrong with it
            return self._story_card_slowly(story, root)
        if type(story) is not dict or type(root) is not str:
            return self._story_card_slowly(story, root)
        key, changes = (_card_slot(story), root), self.env.changes
        found = self._cards.get(key)
        # The story is kept with its card: it is this story while the card is kept.
        if found is not None and found[0] is story and found[1] is template and found[2] == changes:
            return found[3]
        card = self._story_card_slowly(story, root)
        if self.env.changes == changes:  # the card changed nothing itself
            self._keep_card(key, (story, template, changes, card))
        return card

    def _keep_card(
        self, key: tuple[int | str, str], kept: tuple[object, jinja2.Template, int, Markup]
    ) -> None:
        """Keep a card for :meth:`story_card`, all of them let go once they are more than
        _CARDS_KEPT or hold more than _CARD_CHARS_KEPT characters (with their roots)."""
        last = self._cards.pop(key, None)  # a card of the story's last view: let go
        if last is not None:
            self._cards_chars -= len(last[3]) + len(key[1])
        size = len(kept[3]) + len(key[1])
        if size > _CARD_CHARS_KEPT:
            return  # made again each time, as every card was before they were kept
        if len(self._cards) >= _CARDS_KEPT or self._cards_chars + size > _CARD_CHARS_KEPT:
            self._cards.clear()
            self._cards_chars = 0
        self._cards[key] = kept
        self._cards_chars += size

    def _story_card_slowly(self, story: Any, root: Any) -> Markup:
        """What :meth:`story_card` gives, made afresh. What it prints was made harmless as
        the card was made: printed again, it is left as it is."""
        return Markup(self.render_template(STORY_CARD, story=story, root=root))

    def syntax_problems(self) -> list[Problem]:
        """The syntax errors of every template of the project's folder, also of those a site
        only renders once it has grown (the pages of a long list of stories). Call it after
        rendering: the templates compiled since the last call are known to be fine, and so are
        the storybook's own defaults, which ship parsed and tested (parsing them all again
        was 4% of a build's own work)."""
        problems = []
        compiled, self.loader.compiled = self.loader.compiled, set()
        try:
            names = [
                name
                for folder in self.loader.folders
                for name in template_names(folder)
                if name.endswith(".j2")
            ]
        except StorybookError as exc:
            return exc.problems
        for name in sorted(set(names)):
            if name in compiled or not self._projects_own(name):
                continue
            try:
                source, filename, _ = self.loader.get_source(self.env, name)
            except _OutsideFolder as exc:
                problems.append(self._not_found(exc, name))
                continue
            except StorybookError as exc:
                problems += exc.problems
                continue
            except jinja2.TemplateNotFound:
                continue  # deleted since the folder was listed
            except UnescapedValues as exc:
                problems.extend(exc.problems)
                continue
            try:
                # Parsing finds the syntax errors at a third of the cost of compiling.
                self.env.parse(source, name, filename)
            except jinja2.TemplateSyntaxError as exc:
                where = Path(exc.filename) if exc.filename else self.template_path(name)
                problems.append(
                    Problem(
                        where, exc.lineno, f"template syntax error: {exc.message}", _SYNTAX_HINT
                    )
                )
        return problems

    def _projects_own(self, name: str) -> bool:
        """Whether template ``name`` is a file of the project's folder (not a default)."""
        found = self.loader.find(name)
        return found is not None and found[1] == self.loader.roots[0]

    def render_question(
        self, question: Question, story: Story, fields: dict[str, object] | None = None
    ) -> str:
        """The question filled in for the story; ``fields`` is ``story.fields()``, passed in
        when many questions are asked of one story."""
        fields = story.fields() if fields is None else fields
        simple = _fill_in_simply(question.template, fields)
        if simple is not None:
            # A bank's question reads the same for most stories of its tag: checked and
            # neutralised once. Only a harmless text is remembered, so one that is not is
            # refused for every story, at its own line.
            found = self._harmless.get(simple)
            if found is None:
                found = neutralise(_harmless(simple, question, story))
                self._harmless.remember(simple, found)
                self._printed_as_it_is(simple, found)
            return found
        try:
            with _time_limit(self._seconds_left()):
                template = self._questions.get(question.template)
                if template is None:
                    template = self.question_env.from_string(question.template)
                    self._questions[question.template] = template
                text = _limited(template, MAX_QUESTION_CHARS, {"story": fields}).strip()
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
            problem = _runtime_problem(
                exc, question.path, question.line, {"story": fields}, question=True
            )
            if question.path != story.path:
                problem = Problem(
                    problem.path,
                    problem.line,
                    f"{problem.message} (for {story.path.name})",
                    problem.hint,
                )
            raise StorybookError([problem]) from None
        found = neutralise(_harmless(text, question, story))
        self._printed_as_it_is(text, found)
        return found

    def _printed_as_it_is(self, text: str, made: str) -> None:
        """Tells the pages' finalize (:func:`_neutral_value`) that ``made``, neutralise's
        text for ``text``, prints as it is when neutralise left ``text`` as it was: a filled-in
        question is printed on the story's page, and a bank question (its title marked with a
        <cite> tag) was neutralised once more there, at the cost of the first time."""
        if made == text and len(made) <= _REMEMBERED_LENGTH:
            self._printed.remember(made, made)

    def _not_found(self, exc: jinja2.TemplateNotFound, name: str) -> Problem:
        missing = str(exc.name)
        if isinstance(exc, _OutsideFolder):
            return Problem(
                self.template_path(missing),
                1,
                "this template is a link to a file outside the templates folder",
                "copy the file into the templates folder instead of linking to it",
            )
        if missing == name:
            return Problem(
                self.templates_dir / name,
                1,
                f"the template '{name}' is missing",
                "restore it from version control",
            )
        where, line = _template_location(
            exc.__traceback__, self.loader.roots, self.template_path(name)
        )
        if ".." in missing.replace("\\", "/").split("/") or missing.startswith(("/", "\\")):
            return Problem(
                where,
                line,
                f"'{missing}' is outside the templates folder",
                "a template can only include other files from the templates folder",
            )
        return Problem(
            where,
            line,
            f"the template '{missing}' used here does not exist",
            "check the file name, or restore the file from version control",
        )


@functools.cache
def _configuration() -> bytes:
    """What shapes the page environment's compiled code besides a template's source: its
    settings, filters and sandbox are this module's code (see compiled.py)."""
    return b"pages\0" + Path(__file__).read_bytes()


def _sandbox(loader: jinja2.BaseLoader, finalize: Callable[[Any], Any] | None) -> StorybookSandbox:
    env = StorybookSandbox(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,
    )
    env.filters["link_text"] = link_text
    env.filters["yaml_text"] = yaml_text
    for name in ("e", "escape", "attr"):
        env.filters[name] = attribute_text
    for name in ("center", "format", "indent", "wordwrap"):
        env.filters[name] = _width_checked(env.filters[name])
    return env


def _neutral_value(remembered: _Remembered, value: Any) -> Any:
    """Jinja's finalize: what a template prints of a value."""
    if type(value) is str and len(value) <= _REMEMBERED_LENGTH:
        # The same texts are printed again and again (a tag's label on every page that
        # lists it, a story's title and summary in each of its lists): each is neutralised
        # once. Only plain str: a subclass may print differently from an equal str. Not a
        # story's body: printed once a page, it would only keep every story in memory.
        found = remembered.get(value)
        if found is None:
            found = remembered.remember(value, neutralise(value))
        return found
    if isinstance(value, str) and not isinstance(value, Markup):
        return neutralise(value)
    return value


class _Remembered(dict[str, str]):
    """Texts and what a pure function of the text made of them, forgotten all at once past
    ``size`` (a build's texts are a few per story; the bound is for a long `mkdocs serve`)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def remember(self, text: str, made: str) -> str:
        if len(self) >= self.size:
            self.clear()
        self[text] = made
        return made


_REMEMBERED_LENGTH = 1_000


_MARKUP_IN_AN_ATTRIBUTE = str.maketrans({"<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def attribute_text(value: object) -> Markup:
    """The ``e``, ``escape`` and ``attr`` filters: any text escaped for HTML, inside an
    attribute's quotes too, and neutralised (no attribute list is ever read in it)."""
    if isinstance(value, Markup):
        # Ours, but made around a trainer's text (a story's body, its quotes kept): inside an
        # attribute its quotes and tags are text too. Its entities stay as they are.
        return Markup(str(value).translate(_MARKUP_IN_AN_ATTRIBUTE))
    # Neutralised too: an escaped value may also stand in Markdown, outside any tag.
    return Markup(neutralise(str(markupsafe_escape(str(value)))))


def _width_checked(filter_function: Any) -> Any:
    """A built-in filter that pads or formats in plain Python, outside the sandbox's reach,
    refusing widths over MAX_WIDTH ('x'|center(20000000), '%020000000d'|format(0))."""

    @functools.wraps(filter_function)
    def checked(value: Any, *args: Any, **kwargs: Any) -> Any:
        if any(map(_too_wide, (value, *args, *kwargs.values()))):
            raise SecurityError(f"padding or formatting text wider than {MAX_WIDTH} characters")
        return filter_function(value, *args, **kwargs)

    return checked


def _limited(template: jinja2.Template, limit: int, context: Mapping[str, Any]) -> str:
    """The template rendered, stopped as soon as it has made more than ``limit`` characters."""
    # The chunks are counted and kept without a Python step per chunk (a page is hundreds of
    # chunks): one copy of the stream is summed as it comes, the other is kept for the text.
    # The template's code runs as Jinja's render() runs it, not inside generate()'s generator:
    # that was one more generator step for every chunk of every page.
    chunks = template.root_render_func(template.new_context(dict(context)))
    counted, kept = itertools.tee(chunks)
    try:
        too_large = any(map(limit.__lt__, itertools.accumulate(map(len, counted))))
    except Exception:
        # As generate() does: the traceback points at the template's lines, not its code's.
        template.environment.handle_exception()
    if too_large:
        raise _TooLarge(limit)
    return "".join(kept)


def _limited_slowly(template: jinja2.Template, limit: int, context: Mapping[str, Any]) -> str:
    """What :func:`_limited` does, a chunk at a time (tests compare the two)."""
    made, size = [], 0
    for chunk in template.generate(**context):
        size += len(chunk)
        if size > limit:
            raise _TooLarge(limit)
        made.append(chunk)
    return "".join(made)


def _harmless(text: str, question: Question, story: Story) -> str:
    """A filled-in question, refused at its line if it makes markup the cleaner would remove:
    a question can build a tag from escapes, or from a field it fills in."""
    found = find_unsafe(text)
    if found:
        where = "" if question.path == story.path else f" (for {story.path.name})"
        raise StorybookError(
            [
                Problem(
                    question.path,
                    question.line,
                    f"filled in, this question makes something not allowed on a page: "
                    f"{found[0].message}{where}",
                    found[0].hint,
                )
            ]
        )
    return text


_SYNTAX_HINT = "check that every {{ is closed by }} and every {% by %}"
_STORY_FIELD = re.compile(r"\{\{ *story\.(\w+) *\}\}")


def _fill_in_simply(template: str, fields: Mapping[str, object]) -> str | None:
    """What Jinja would make of a question whose only Jinja is ``{{ story.<field> }}`` with
    text fields; None for any other question. Most questions are like that, and filling them
    in without Jinja takes a tenth of the time (tests/test_properties.py compares the two)."""
    parts = _simple_parts(template)
    if parts is None:
        return None
    texts, names = parts
    values = [fields.get(name) for name in names]
    if not all(isinstance(value, str) for value in values):
        return None  # a missing field or a list: Jinja says what it makes of it
    filled = [texts[0]]
    for value, text in zip(values, texts[1:], strict=True):
        filled += [str(value), text]
    return "".join(filled).strip()


@functools.lru_cache(maxsize=4096)
def _simple_parts(template: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """A question's texts (line breaks as Jinja reads them) and the fields between them, or
    None if it has other Jinja: the same bank question is asked of every story of its tag."""
    # Split by a pattern with one group: text, field name, text, field name, ..., text.
    parts = _STORY_FIELD.split(template)
    texts = parts[0::2]
    if any("{" in text for text in texts):
        return None
    return tuple(_LINE_BREAK.sub("\n", text) for text in texts), tuple(parts[1::2])


def _template_location(
    tb: TracebackType | None, roots: Sequence[Path], default: Path
) -> tuple[Path, int]:
    """Jinja rewrites tracebacks so template frames carry the template's file and line (in
    the project's folder or among the defaults, whichever file ran)."""
    found: tuple[Path, int] = (default, 1)
    while tb is not None:
        filename = Path(tb.tb_frame.f_code.co_filename)
        if filename.suffix != ".py" and any(root in filename.resolve().parents for root in roots):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _runtime_problem(
    exc: Exception, path: Path, line: int, context: Mapping[str, Any], *, question: bool = False
) -> Problem:
    """What went wrong while a template ran, or a reflection question (``question``) was
    filled in, said at ``path`` and ``line``."""
    if isinstance(exc, _TooSlow):
        return Problem(
            path,
            line,
            f"this took more than {RENDER_SECONDS:g} seconds to fill in and was stopped",
            "look for a loop inside a loop, or a very large range()",
        )
    if isinstance(exc, _TooLarge):
        return Problem(
            path,
            line,
            f"this makes more than {exc.limit:,} characters of text and was stopped",
            "look for a loop that repeats text, or a very large range()",
        )
    if isinstance(exc, RecursionError):
        return Problem(
            path,
            line,
            "this includes or calls itself without end",
            "check {% include %} lines and macros that call themselves",
        )
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
        if question:
            hint = _undefined_hint(name, context)
        else:
            hint = _template_hint(name, context, attribute=match is not None and bool(match[1]))
        return Problem(path, line, f"'{name or exc}' is not defined here", hint)
    return Problem(
        path,
        line,
        f"this line fails when it is filled in ({exc})",
        "check the expression on this line",
    )


# The most of a story's fields a hint weighs a slip against (a view has a few dozen), and
# the longest field name weighed: a template's own dict may have any keys, and weighing long
# texts against each other takes seconds, after the template's time limit.
_FIELDS_WEIGHED = 200
_LONGEST_FIELD = 64


def _template_hint(name: str, context: Mapping[str, Any], *, attribute: bool) -> str:
    """The hint for a name a page template uses that is not there: a field of its story
    (a story's view: story.uri, story.draft...), or one of its variables. A template's
    ``story`` is a view, not the few fields a question may use (:func:`_undefined_hint`)."""
    story = context.get("story")
    if attribute and isinstance(story, Mapping) and len(name) <= _LONGEST_FIELD:
        keys = itertools.islice(story, _FIELDS_WEIGHED)
        fields = [key for key in keys if isinstance(key, str) and len(key) <= _LONGEST_FIELD]
        guess = difflib.get_close_matches(name, fields, n=1, cutoff=0.6)
        if guess:
            return f"did you mean 'story.{guess[0]}'?"
    return _variable_hint(name, context)


def _variable_hint(name: str, context: Mapping[str, Any]) -> str:
    """The hint for a name that is none of a template's variables: the closest of them, or
    all of them."""
    guess = difflib.get_close_matches(name, list(context), n=1, cutoff=0.6)
    if guess:
        return f"did you mean '{guess[0]}'?"
    return "this template can use " + ", ".join(sorted(context))


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
    return _variable_hint(name, context)

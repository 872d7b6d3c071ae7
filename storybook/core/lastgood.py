"""Under `mkdocs serve`: what stands in while something is broken, and what never may.

While a story, a template or a workshop is broken, the site keeps serving the last good
version of what it cannot build now (the room must not go blank mid-session). Two things
stand in:

- the last good version of each story file, read in place of the file while it is broken
  (:attr:`LastGood.stories`, the pipeline's ``fallback``);
- the pages of the last build that had no problem at all, for every page the build cannot
  make now (:meth:`LastGood.pages_to_serve`).

A story that is deleted, or made a draft in an edition that does not show drafts, is
*withdrawn*: every page made from it goes at once, whatever else is broken. Each page knows
the stories it is made from (:attr:`storybook.core.pages.Page.stories`), so the rule holds for
every kind of page alike: the story's own page, its projector view and console, the
workshops' agendas, workbooks, packs and consoles, the learning paths, and the cards on the
home, theme and list pages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from storybook.core.editions import Edition
from storybook.core.errors import Problem
from storybook.core.model import Story
from storybook.core.pipeline import BuildResult
from storybook.core.private import declares_draft


class LastGood:
    """The last good stories and pages of one `mkdocs serve`, and the rule that withdraws them."""

    def __init__(self) -> None:
        self._pages: dict[str, str] = {}
        self._made_from: dict[str, frozenset[str]] = {}
        self._stories: dict[Path, Story] = {}
        # The file each story was last read from, by slug: where to look for its withdrawal.
        self._files: dict[str, Path] = {}

    @property
    def stories(self) -> Mapping[Path, Story]:
        """The last good version of each story file that still exists."""
        return self._stories

    def pages_to_serve(
        self,
        result: BuildResult | None,
        problems: Sequence[Problem],
        *,
        edition: Edition,
        stories_dir: Path,
    ) -> dict[str, str]:
        """The pages to serve after a build that gave ``result`` (None: the storybook itself
        failed) and ``problems`` (all of them, the build's and any other).

        Without problems, exactly the build's pages, remembered as the last good ones. With
        problems, the build's pages, and for each page it could not make its last good
        version, unless that page is made from a story withdrawn since."""
        fresh = dict(result.pages) if result is not None else {}
        if result is not None:
            self._remember_stories(result, problems)
        if not problems and result is not None:
            self._pages = fresh
            self._made_from = dict(result.made_from)
            return dict(fresh)
        gone = self.withdrawn(result, edition=edition, stories_dir=stories_dir)
        kept = {
            src_uri: content
            for src_uri, content in self._pages.items()
            if not self._made_from.get(src_uri, frozenset()) & gone
        }
        return {**kept, **fresh}

    def withdrawn(
        self, result: BuildResult | None, *, edition: Edition, stories_dir: Path
    ) -> set[str]:
        """The slugs of the stories seen in this serve that this edition must not show now.

        A story is shown if the build has it (its last good version standing in counts), and
        withdrawn if its file is gone, or says ``draft: true`` in an edition without drafts
        (even a broken file says that much), or reads well now but no longer as this story
        (a draft, or another slug). A broken story that is none of these keeps its pages. A
        missing stories folder withdraws nothing: it is a problem of its own, to restore."""
        stories = result.library.stories if result is not None else []
        shown = {s.slug for s in stories if edition.shows_drafts or not s.draft}
        read_now = {s.path for s in stories}
        folder_there = stories_dir.is_dir()
        gone: set[str] = set()
        for slug, path in self._files.items():
            if slug in shown:
                continue
            deleted = folder_there and not path.is_file()
            drafted = not edition.shows_drafts and path.is_file() and declares_draft(path)
            if deleted or drafted or path in read_now:
                gone.add(slug)
        return gone

    def _remember_stories(self, result: BuildResult, problems: Sequence[Problem]) -> None:
        """Note the stories that are good now, to stand in if they break later, and the file
        each story was read from."""
        broken = {problem.path for problem in problems}
        good = {s.path: s for s in result.library.stories if s.path not in broken}
        self._stories = {
            path: story
            for path, story in {**self._stories, **good}.items()
            if path.is_file() or not result.library.stories_dir.is_dir()
        }
        self._files.update((story.slug, story.path) for story in result.library.stories)
